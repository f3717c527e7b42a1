"""Tests for the Rich side-by-side rendering (tui.render.compare)."""

from __future__ import annotations

import io
import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from rich.theme import Theme

from tui.core.align import align
from tui.core.spans import Span
from tui.render import NARROW_WIDTH, cell_texts, clean_text, pane_meta, render_compare
from tui.render.compare import SpanIndex, row_cells

A_TEXT = (
    "The council approved the new budget for the northern district of Springfield on Monday "
    "after a long and heated debate that lasted well into the night.\n"
    "Officials said the money will fund three schools and a hospital.\n"
    "Opposition members walked out of the chamber before the final vote.\n"
    "Construction of the first school is expected to begin next spring.\n"
)
B_TEXT = (
    "Construction of the first school is expected to begin next spring.\n"
    "The council approved the revised budget for the northern district of Springfield on "
    "Tuesday after a long and heated debate that lasted well into the night.\n"
    "Officials said the money will fund three schools and a hospital.\n"
    "A spokesperson declined to comment on the vote.\n"
)


def _render(a: str, b: str, width: int, **kwargs: object) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    renderable = render_compare("Left [bold]title[/bold]", {"source": "daily.example",
                                "date": "2024-03-01"}, a, "Right title", "wire · undated", b,
                                align(a, b), width, **kwargs)  # type: ignore[arg-type]
    console.print(renderable)
    return console.export_text()


def _body_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if "│" in line]


def test_side_by_side_layout_keeps_columns_apart() -> None:
    out = _render(A_TEXT, B_TEXT, 120)
    lines = out.splitlines()
    assert all(len(line) <= 120 for line in lines)
    body = _body_lines(out)
    assert len(body) > 10
    columns = {line.index("│") for line in body}
    assert len(columns) == 1  # the divider never moves: cells never overlap
    assert "2 of 5 sentences shared, 1 only left, 1 only right, 1 moved" in out
    assert "daily.example · 2024-03-01 · " in out and "wire · undated" in out


def _column_words(out: str, left: bool) -> set[str]:
    words: set[str] = set()
    for line in _body_lines(out):
        cut = line.index("│")
        words.update((line[:cut] if left else line[cut + 1:]).split())
    return words


def test_long_sentences_wrap_without_cutting_words() -> None:
    out = _render(A_TEXT, B_TEXT, 110)
    left, right = _column_words(out, True), _column_words(out, False)
    assert set(A_TEXT.split()) <= left
    assert set(B_TEXT.split()) <= right
    # The long first sentence needed several lines on each side.
    assert sum("Springfield" in line for line in out.splitlines()) == 1


def test_unmatched_rows_face_an_empty_cell_and_moves_are_marked() -> None:
    out = _render(A_TEXT, B_TEXT, 120)
    body = _body_lines(out)
    vote = next(line for line in body if "A spokesperson" in line)
    assert not vote[: vote.index("│")].strip()
    walked = next(line for line in body if "Opposition members" in line)
    assert not walked[walked.index("│") + 1:].strip()
    assert out.count("↕ moved") == 2


def test_narrow_width_stacks_the_reports() -> None:
    width = NARROW_WIDTH - 20
    out = _render(A_TEXT, B_TEXT, width)
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines)
    assert "│" not in out
    assert any(line.startswith(" A ") for line in lines)
    assert any(line.startswith(" B ") for line in lines)
    words = {w for line in lines for w in line.split()}
    assert set(A_TEXT.split()) <= words and set(B_TEXT.split()) <= words


def test_markup_and_escapes_in_text_are_shown_literally_or_removed() -> None:
    a = "He wrote [bold red]boom[/] and :smile: in the post.\x1b[31m Danger\x07 ahead.\n"
    b = "He wrote [bold red]boom[/] and :smile: in the post. Danger ahead.\n"
    out = _render(a, b, 120)
    assert "[bold red]boom[/]" in out and ":smile:" in out
    assert "Left [bold]title[/bold]" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "Danger ahead." in out


def test_clean_text_maps_offsets() -> None:
    raw = "ab\x1b[1mcd\tef"
    clean, mapping = clean_text(raw)
    assert clean == "abcd ef"
    assert mapping is not None and mapping[raw.index("c")] == 2 and mapping[len(raw)] == 7
    assert clean_text("plain") == ("plain", None)


def test_cell_styles_layer_entities_diff_and_conflicts() -> None:
    a = "Intro.\nAbout 50,000 people live in Stepanakert today.\n"
    b = "Intro.\nAbout 55,000 people live in Stepanakert now.\n"
    al = align(a, b)
    k, row = next((k, r) for k, r in enumerate(al.rows) if r.paired and not r.identical)
    place = a.index("Stepanakert")
    figure_b = b.index("55,000")
    left, right = cell_texts(
        row, k,
        highlights_a=[Span(place, place + 11, "Stepanakert", "place")],
        conflicts_b=[Span(figure_b, figure_b + 6, "55,000", "number")],
    )
    styles_left = {(s.start, s.end, str(s.style)) for s in left.spans}
    rel = place - (row.a_span or (0, 0))[0]
    assert (rel, rel + 11, "entity.place") in styles_left
    assert any(str(s.style) == "diff.change" for s in left.spans)
    rel_b = figure_b - (row.b_span or (0, 0))[0]
    assert (rel_b, rel_b + 6, "figure.conflict") in {(s.start, s.end, str(s.style))
                                                     for s in right.spans}


def test_caller_theme_overrides_defaults() -> None:
    a, b = "Same words here.\n", "Other words here.\n"
    console = Console(width=120, record=True, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", theme=Theme({"diff.change": "#123456"}))
    console.print(render_compare("A", "m", a, "B", "m", b, align(a, b), 120))
    assert "38;2;18;52;86" in console.export_text(styles=True)


def test_summary_line_includes_relation_and_conflicts() -> None:
    out = _render(A_TEXT, B_TEXT, 120, conflicts=1, relation="copy · 0.91")
    assert "copy · 0.91 · " in out and "1 conflicting figure" in out
    assert pane_meta({"source": "x", "date": None}, "one two three") == "x · undated · 3 words"


def _word_spans(text: str, seed: int) -> list[Span]:
    """Spans over some words of ``text`` (some overlapping, one long) in shuffled order."""
    rng = random.Random(seed)
    kinds = ("person", "place", "number", "organization")
    out = [Span(m.start(), m.end(), m.group(), rng.choice(kinds))
           for m in re.finditer(r"\w+", text) if rng.random() < 0.3]
    out.append(Span(3, len(text) - 3, text[3:-3], "other"))
    out += [Span(s.start, s.end + 4, "", "place") for s in out[:5]]
    rng.shuffle(out)
    return out


def _plain(cells: list[tuple[Text, Text]]) -> list[object]:
    return [[t.plain, str(t.style), [(s.start, s.end, str(s.style)) for s in t.spans]]
            for pair in cells for t in pair]


def test_row_cells_equal_cell_texts_row_by_row() -> None:
    a = A_TEXT.replace("spring.", "spring.\x1b[31m Red\tline.")
    al = align(a, B_TEXT)
    spans = [_word_spans(a, 1), _word_spans(B_TEXT, 2), _word_spans(a, 3)[:6],
             _word_spans(B_TEXT, 4)[:6]]
    expected = [cell_texts(row, k, *spans) for k, row in enumerate(al.rows)]
    assert _plain(row_cells(al.rows, *spans)) == _plain(expected)
    assert any(t.spans for pair in expected for t in pair)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 25)), max_size=30),
       st.integers(0, 70), st.integers(0, 30))
def test_span_index_finds_what_a_scan_finds(raw: list[tuple[int, int]], lo: int,
                                            size: int) -> None:
    spans = [Span(start, start + length, "x", "place") for start, length in raw]
    expected = [s for s in spans if s.start < lo + size and s.end > lo]
    assert SpanIndex(spans).overlapping((lo, lo + size)) == expected
    assert SpanIndex(spans).overlapping(None) == []
