"""Annotated spans: what the recognisers return and what the reader highlights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ENTITY_KINDS = ("person", "place", "organization", "group", "other")
FIGURE_KINDS = ("number", "date", "percent", "money", "quantity", "time")
KINDS = ENTITY_KINDS + FIGURE_KINDS


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of text ``text[start:end]`` recognised as an entity or a figure."""

    start: int
    end: int
    text: str
    kind: str
    """One of :data:`KINDS`."""
    canonical: str | None = None
    """For entities: the name the mention is grouped under (``"Ganja"`` for ``"Gandja"``)."""
    value: float | None = None
    """For figures: the numeric value (for dates, an ordinal day number)."""

    def shifted(self, delta: int) -> Span:
        """The same span moved ``delta`` characters (for text shown after a header)."""
        return Span(self.start + delta, self.end + delta, self.text, self.kind,
                    self.canonical, self.value)

    def to_json(self) -> dict[str, Any]:
        """The span as a JSON object (``canonical``/``value`` only when set)."""
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
        }
        if self.canonical is not None:
            out["canonical"] = self.canonical
        if self.value is not None:
            out["value"] = self.value
        return out
