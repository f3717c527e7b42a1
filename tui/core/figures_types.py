"""Records for figures (numbers a report cites) and their cross-report comparison."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from tui.core.spans import Span, quick_init

#: Half-width of the range an approximate hedge ("about", "roughly", "some") implies, as a
#: fraction of the value. 4 % keeps "about 240" and "244" together (1.7 % apart) but lets
#: "about 50,000" and "roughly 55,000" (10 % apart) conflict: two approximate figures agree
#: when they differ by at most about 8 %. Wider (the 10 % of everyday speech) would make
#: every pair of round numbers one step apart agree, which is the disagreement readers want
#: to see; a reader can widen it per call.
ABOUT_TOLERANCE = 0.04


@quick_init
@dataclass(frozen=True, slots=True)
class Figure:
    """A number a text cites, with what it counts and what it is about.

    ``start``/``end``/``text`` locate the figure (hedge included: ``"at least 240"``).
    ``value`` is the single number stated (``None`` for ranges and vague amounts such as
    "hundreds"); ``low``/``high`` bound what the statement allows (``None`` = unbounded).
    Dates carry proleptic ordinal day numbers (:meth:`datetime.date.toordinal`), times the
    hour of day as a decimal (15.5 for 3:30 p.m.).
    """

    start: int
    end: int
    text: str
    kind: str
    """One of ``number``, ``date``, ``percent``, ``money``, ``quantity``, ``time``."""
    value: float | None = None
    low: float | None = None
    high: float | None = None
    hedge: str | None = None
    """Normalised hedge: ``"at least"``, ``"about"``, ``"more than"``, ``"up to"`` …"""
    unit: str | None = None
    """Unit or counted noun in plural form: ``"people"``, ``"km"``, ``"usd"``, ``"year"``."""
    measure: str | None = None
    """What the figure states: ``"killed"``, ``"wounded"``, ``"population"`` …"""
    subject: str | None = None
    """The place, group or organisation the figure is about, as its entity span reads."""
    ordinal: bool = False
    """``True`` for "first", "2nd", "fourth day": a rank, never a count."""
    scope: str | None = None
    """``"increment"`` ("29 more deaths"), ``"total"`` ("death toll", "since …") or ``None``."""
    when: str | None = None
    """A date stated in the figure's sentence (ISO date, year or text), else ``None``."""

    def as_row(self) -> tuple[object, ...]:
        """The fields in order, as stored (``Figure(*row)`` rebuilds it); every field is a
        plain scalar, so this is what :func:`dataclasses.astuple` gives, minus its deep copy."""
        return tuple(getattr(self, name) for name in self.__slots__)

    def to_span(self) -> Span:
        """The figure as a highlightable :class:`Span` (kind and value kept)."""
        return Span(self.start, self.end, self.text, self.kind, None, self.value)


@dataclass(frozen=True, slots=True)
class ReportFigures:
    """The figures of one report, with what the comparison needs to know about it."""

    article_id: str
    story_id: str
    date: datetime.date | None
    figures: list[Figure] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FigureMention:
    """One report's statement inside a :class:`FigureGroup`."""

    article: str
    text: str
    value: float | None
    low: float | None
    high: float | None
    hedge: str | None
    unit: str | None
    start: int
    end: int

    @classmethod
    def of(cls, article: str, figure: Figure) -> FigureMention:
        """The mention of ``figure`` in ``article``."""
        return cls(
            article, figure.text, figure.value, figure.low, figure.high, figure.hedge,
            figure.unit, figure.start, figure.end,
        )

    def to_json(self) -> dict[str, Any]:
        """The mention as a JSON object."""
        return {
            "article": self.article, "text": self.text, "value": self.value, "low": self.low,
            "high": self.high, "hedge": self.hedge, "unit": self.unit, "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class FigureGroup:
    """Figures from several reports of one story stating one measure about one subject."""

    story: str
    measure: str
    subject: str | None
    status: str
    """``"agree"`` when every pair of reports' ranges overlap, else ``"conflict"``."""
    mentions: list[FigureMention]

    def to_json(self) -> dict[str, Any]:
        """The group in the shape ``crosscheck figures --json`` prints."""
        return {
            "story": self.story,
            "measure": self.measure,
            "subject": self.subject,
            "status": self.status,
            "mentions": [m.to_json() for m in self.mentions],
        }
