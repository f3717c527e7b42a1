"""Annotated spans: what the recognisers return and what the reader highlights."""

from __future__ import annotations

from collections.abc import Callable
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
    of building small records made by the thousand per text. This one lends the new object,
    for the time of its stores, to an unfrozen class of the same slots (plain attribute
    stores, the cheapest there are) and hands it back; a subclass's object calls each
    slot's own setter instead. Same parameters, defaults and resulting object; two to three
    times as fast.
    """
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"quick_init: {cls.__name__} has __post_init__")
    params: list[str] = []
    stores: list[str] = []
    sets: list[str] = []
    names: dict[str, Any] = {"_cls": cls, "_set_class": _SET_CLASS}
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
        stores.append(f"        self.{f.name} = {f.name}\n")
        sets.append(f"        _set{i}(self, {f.name})\n")
    names["_open"] = _open_class(cls)
    exec(f"def __init__(self, {', '.join(params)}):\n"
         "    if self.__class__ is _cls:\n"
         "        _set_class(self, _open)\n"
         f"{''.join(stores)}"
         "        _set_class(self, _cls)\n"
         "    else:\n"
         f"{''.join(sets)}", names)
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


_SET_CLASS = object.__dict__["__class__"].__set__
"""Sets an object's class past a frozen ``__setattr__`` (for :func:`quick_init`)."""
_OPEN: dict[type, type] = {}
"""The unfrozen twin of each :func:`quick_init` class."""


def _open_class(cls: type) -> type:
    """A class with the slots of ``cls`` and nothing else: an object can change from one
    to the other (``__class__`` assignment wants the same layout)."""
    twin = _OPEN[cls] = type(f"_Open{cls.__name__}", (), {"__slots__": cls.__dict__["__slots__"]})
    return twin


def quick_new(cls: type[T]) -> Callable[..., T]:
    """A factory building ``cls(...)`` for a :func:`quick_init` class, quicker still.

    It skips the class call (``__new__`` then ``__init__``): the object is born in the
    unfrozen class of the same slots, filled with plain stores and handed to ``cls``.
    Same parameters and defaults as ``cls``; for the records made by the ten thousand.
    """
    if cls not in _OPEN:
        raise TypeError(f"quick_new: {cls.__name__} has no quick_init")
    names: dict[str, Any] = {"_cls": cls, "_open": _OPEN[cls], "_new": object.__new__}
    params: list[str] = []
    stores: list[str] = []
    for i, f in enumerate(fields(cls)):  # type: ignore[arg-type]
        if f.default is MISSING:
            params.append(f.name)
        else:
            names[f"_default{i}"] = f.default
            params.append(f"{f.name}=_default{i}")
        stores.append(f"    o.{f.name} = {f.name}\n")
    exec(f"def new_{cls.__name__}({', '.join(params)}):\n    o = _new(_open)\n"
         f"{''.join(stores)}    o.__class__ = _cls\n    return o\n", names)
    factory: Callable[..., T] = names[f"new_{cls.__name__}"]
    return factory


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
