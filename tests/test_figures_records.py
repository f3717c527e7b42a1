"""Figures and spans built by the quick factories are the records the classes build."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from tui.core.figures_types import Figure
from tui.core.spans import Span, quick_new


def test_quick_new_builds_the_same_frozen_records() -> None:
    new_span, new_figure = quick_new(Span), quick_new(Figure)
    span = new_span(1, 4, "Ali", "person", None, 2.0)
    assert type(span) is Span
    assert span == Span(1, 4, "Ali", "person", value=2.0)
    assert hash(span) == hash(Span(1, 4, "Ali", "person", None, 2.0))
    assert new_span(1, 4, "Ali", "person") == Span(1, 4, "Ali", "person")  # defaults
    assert pickle.loads(pickle.dumps(span)) == span
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 2  # type: ignore[misc]
    figure = new_figure(0, 3, "240", "number", 240.0, 240.0, None, "at least", "people")
    assert type(figure) is Figure
    assert figure == Figure(0, 3, "240", "number", 240.0, 240.0, None, "at least",
                            unit="people")
    assert figure.as_row()[-4:] == (None, False, None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        figure.value = 1.0  # type: ignore[misc]


def test_quick_init_still_builds_subclass_records() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Marked(Span):
        mark: int = 0

    marked = Marked(1, 2, "a", "place", mark=3)
    assert (type(marked), marked.start, marked.mark) == (Marked, 1, 3)
    assert Span.__init__(marked, 5, 6, "b", "group") is None  # the setters' way
    assert (type(marked), marked.start, marked.kind, marked.mark) == (Marked, 5, "group", 3)


def test_quick_new_wants_a_quick_init_class() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Plain:
        a: int

    with pytest.raises(TypeError, match="quick_new"):
        quick_new(Plain)
