"""Per-article highlights (tui.core.annotations): figures give way to entity names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.annotations import _drop_overlaps
from tui.core.spans import ENTITY_KINDS, Span

stretch = st.tuples(st.integers(0, 80), st.integers(0, 12))
kinds = st.sampled_from([*ENTITY_KINDS, "number", "date"])


def _spans(raw: list[tuple[int, int]], kind_list: list[str]) -> list[Span]:
    return [Span(s, s + n, "x", k) for (s, n), k in zip(raw, kind_list, strict=False)]


@settings(max_examples=150, deadline=None)
@given(st.lists(stretch, max_size=25), st.lists(stretch, max_size=40),
       st.lists(kinds, min_size=40, max_size=40))
def test_drop_overlaps_keeps_exactly_the_figures_no_entity_touches(
        figures_raw: list[tuple[int, int]], entities_raw: list[tuple[int, int]],
        entity_kinds: list[str]) -> None:
    figures = _spans(figures_raw, ["number"] * len(figures_raw))
    entities = _spans(entities_raw, entity_kinds)
    taken = [(e.start, e.end) for e in entities if e.kind in ENTITY_KINDS]
    expected = [f for f in figures if not any(a < f.end and f.start < b for a, b in taken)]
    assert _drop_overlaps(figures, entities) == expected


def test_entity_names_win_over_figures_inside_them() -> None:
    g7 = Span(10, 12, "G7", "organization")
    boeing = Span(20, 30, "Boeing 737", "organization")
    seven = Span(11, 12, "7", "number")
    figures = [seven, Span(27, 30, "737", "number"), Span(40, 42, "12", "number")]
    assert _drop_overlaps(figures, [boeing, g7]) == [Span(40, 42, "12", "number")]
    assert _drop_overlaps(figures, [Span(11, 12, "7", "number")]) == figures


def test_figure_rows_are_astuple_without_the_copy() -> None:
    from dataclasses import astuple, fields

    from tui.core.figures_types import Figure

    values = [3, 15, "at least 240", "number", 240.0, 240.0, None, "at least", "people",
              "killed", "Ganja", False, "toll", "2020-10-04"]
    assert [f.name for f in fields(Figure)] == list(Figure.__slots__)
    figure = Figure(*values)
    assert figure.as_row() == astuple(figure) == tuple(values)
    assert Figure(*figure.as_row()) == figure
