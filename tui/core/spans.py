"""Annotated spans: what the recognisers return and what the reader highlights."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from types import MemberDescriptorType
from typing import Any, TypeVar

T = TypeVar("T")

ENTITY_KINDS = ("person", "place", "organization", "group", "other")
FIGURE_KINDS = ("number", "date", "percent", "money", "quantity", "time")
KINDS = ENTITY_KINDS + FIGURE_KINDS


def quick_init(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass a quicker ``__init__`` (apply above ``@dataclass``).

    The generated one stores each field with ``object.__setattr__``, which dominates the cost
    of building small records made by the thousand per text; this one calls each slot's own
    setter instead. Same parameters, defaults and resulting object; about twice as fast.
    """
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"quick_init: {cls.__name__} has __post_init__")
    params: list[str] = []
    body: list[str] = []
    names: dict[str, Any] = {}
    for i, f in enumerate(fields(cls)):  # type: ignore[arg-type]
        slot = cls.__dict__.get(f.name)
        if (not isinstance(slot, MemberDescriptorType) or not f.init or f.kw_only
                or f.default_factory is not MISSING):
            raise TypeError(f"quick_init: {cls.__name__}.{f.name} needs the generated __init__")
        names[f"_set{i}"] = slot.__set__
        if f.default is MISSING:
            params.append(f.name)
        else:
            names[f"_default{i}"] = f.default
            params.append(f"{f.name}=_default{i}")
        body.append(f"    _set{i}(self, {f.name})\n")
    exec(f"def __init__(self, {', '.join(params)}):\n{''.join(body)}", names)
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


@quick_init
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
