"""The document view lays out only a window around what is shown: the text is wrapped a
block at a time (tui.core.wrap.Wrapped) and each drawn line picks its own highlights
(Layer, Highlights, line_segments); the rest is wrapped in small steps after the first
paint. These check that the lazy layout gives the same lines and colours as wrapping and
styling the whole text, and that jumps land where they should before the layout is done.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Span as RichSpan
from rich.text import Text
from snapshot_apps.library import sync
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot

from tui.app.widgets.document import DocumentView, TextLines, line_segments
from tui.core.spans import Span
from tui.core.wrap import _ONE_CELL, Highlights, Layer, Wrapped, line_of, wrap_offsets

PIECES = ["Gəncə", "Ganja", "said", "50,000", " ", "  ", "\n", "\n\n", "word", "ａｂｃ",
          "emoji👍🏽", "a-b", ".", "·", "⚠", "x" * 30]
STYLES = [Style(color="red"), Style(bold=True), Style(bgcolor="blue"), Style(reverse=True)]


@st.composite
def texts(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.sampled_from(PIECES), max_size=80)))


def test_one_cell_characters_are_one_cell_for_rich() -> None:
    """The characters wrapping counts without measuring are one cell wide to Rich too."""
    wide = [hex(c) for c in range(0x20, 0x3000)
            if _ONE_CELL.fullmatch(chr(c)) and cell_len(chr(c)) != 1]
    assert not wide


@settings(max_examples=300, deadline=None)
@given(texts(), st.integers(1, 30), st.integers(1, 40), st.lists(st.integers(0, 10**6)))
def test_block_wrapping_gives_the_lines_of_the_whole_text(
        text: str, width: int, block: int, probes: list[int]) -> None:
    whole = wrap_offsets(text, width)
    lines = Wrapped(text, width, block)
    for probe in probes:  # asked in any order, lines and offsets agree with each other
        offset = probe % (len(text) + 1)
        assert lines[lines.line_of(offset)] == whole[line_of(whole, offset)]
    lines.wrap_tail(3)
    assert list(lines) == whole and len(lines) == len(whole) and lines.done
    for start, end in whole:
        assert cell_len(text[start:end]) <= width or end - start == 1


@settings(max_examples=100, deadline=None)
@given(texts(), st.integers(1, 30), st.integers(1, 40), st.integers(0, 50))
def test_longer_than_and_around_wrap_only_what_they_need(
        text: str, width: int, block: int, lines_wanted: int) -> None:
    whole = wrap_offsets(text, width)
    lines = Wrapped(text, width, block)
    assert lines.longer_than(lines_wanted) == (len(whole) > lines_wanted)
    y = lines.around(len(text) // 2, 2, 2)
    assert lines[y] == whole[line_of(whole, len(text) // 2)]


def test_a_long_text_is_wrapped_a_block_at_a_time() -> None:
    text = "\n".join(f"line {i}" for i in range(50_000))
    lines = Wrapped(text, 40, block=4096)
    assert lines[10] == (text.index("line 10"), text.index("line 10") + 7)
    assert not lines.done and len(lines) == 50_000  # short lines: the guess is exact
    assert lines.wrap_more(10**9) and lines == wrap_offsets(text, 40)


@st.composite
def layered(draw: st.DrawFn) -> tuple[str, list[list[RichSpan]]]:
    text = draw(texts())
    bounds = st.integers(0, len(text))
    layers = []
    for _ in range(draw(st.integers(1, 3))):
        raw = draw(st.lists(st.tuples(bounds, bounds, st.sampled_from(STYLES)), max_size=12))
        layers.append([RichSpan(min(a, b), max(a, b), s) for a, b, s in raw])
    return text, layers


@settings(max_examples=200, deadline=None)
@given(layered(), st.integers(1, 25))
def test_each_line_draws_what_the_whole_styled_text_draws(
        case: tuple[str, list[list[RichSpan]]], width: int) -> None:
    """Per-line highlights, found by position in unsorted layers, and drawn without a
    Text per line: the same cells as styling the whole text and cutting it."""
    text, layers = case
    base = Style(color="white", bgcolor="black")
    highlights = Highlights(*(Layer([s.start for s in spans], [s.end for s in spans],
                                    lambda i, spans=spans: [spans[i].style])
                              for spans in layers))
    whole = Text(text, spans=[span for spans in layers for span in spans])
    console = Console(width=200)
    for start, end in wrap_offsets(text, width):
        mine = line_segments(text[start:end], highlights.line(start, end), base)
        rich = Segment.apply_style(whole[start:end].render(console), base)
        assert _cells(mine) == _cells(rich)


def _cells(segments: Any) -> list[tuple[str, Style | None]]:
    return [(ch, seg.style) for seg in segments for ch in seg.text]


class _DocApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DocumentView()


LONG = "\n".join(f"line {i} " + "word " * (i % 25) for i in range(120_000))
"""About 6 MB cut to the view's 2,000,000 characters: more than a hundred blocks."""


def _shown(doc: DocumentView, y: int) -> str:
    return "".join(seg.text for seg in doc.render_line(y)).strip()


async def _laid_out(pilot: Pilot[None], doc: DocumentView) -> None:
    for _ in range(500):
        if doc._lines.done:
            return
        await pilot.pause(0.02)
    raise AssertionError("the layout never finished")


@sync
async def test_first_paint_lays_out_a_window_and_the_rest_follows() -> None:
    app = _DocApp()
    async with app.run_test(size=(80, 20)) as pilot:
        doc = app.query_one(DocumentView)
        doc.focus()
        await pilot.pause()
        doc.show(LONG)
        assert _shown(doc, 0) == "line 0"
        assert not doc._lines.done, "only the blocks drawn are wrapped at first"
        assert doc._layout_timer is not None
        doc._layout_timer.pause()  # hold the rest of the layout back
        await pilot.press("end")
        assert not doc._lines.done, "the end is found without laying out the middle"
        text = doc.text
        last = text[text.rindex("\n") + 1:].strip()
        bottom = doc.scrollable_content_region.height - 1
        assert doc.scroll_y == doc.max_scroll_y
        assert _shown(doc, bottom) == "[showing the first 2,000,000 of" \
            f" {len(LONG):,} characters]"
        assert last.startswith(_shown(doc, bottom - 2))
        doc._layout_timer.resume()
        await _laid_out(pilot, doc)
        assert doc.scroll_y == doc.max_scroll_y, "still at the end"
        assert doc._lines == wrap_offsets(text, doc._width)
        assert doc.virtual_size.height == len(doc._lines) + 2  # the scrollbar is exact


@sync
async def test_the_view_stays_on_its_text_while_the_layout_goes_on() -> None:
    app = _DocApp()
    async with app.run_test(size=(60, 20)) as pilot:
        doc = app.query_one(DocumentView)
        text = "\n\n".join("paragraph " + "words " * (i % 40) + str(i) for i in range(12_000))
        await pilot.pause()
        doc.show(text)
        doc.render_line(0)
        assert not doc._lines.done and doc._layout_timer is not None
        doc._layout_timer.pause()
        where = text.index(" 8000") + 1
        doc.set_current((where, where + 5))  # far into the part not laid out yet
        await pilot.pause()
        assert not doc._lines.done
        y = doc._lines.line_of(where) - int(doc.scroll_y)
        assert 0 <= y < doc.scrollable_content_region.height and "8000" in _shown(doc, y)
        doc._layout_timer.resume()
        await _laid_out(pilot, doc)
        y = doc._lines.line_of(where) - int(doc.scroll_y)
        assert 0 <= y < doc.scrollable_content_region.height and "8000" in _shown(doc, y)
        current = doc.get_component_rich_style("doc--current")
        assert any(seg.style and seg.style.bgcolor == current.bgcolor and "8000" in seg.text
                   for seg in doc.render_line(y))


@sync
async def test_highlights_after_a_header_count_from_its_end() -> None:
    app = _DocApp()
    async with app.run_test(size=(60, 12)) as pilot:
        doc = app.query_one(DocumentView)
        header, body = "Title\n\n", "Dock workers in Portavel stopped."
        start = body.index("Portavel")
        span = Span(start, start + 8, "Portavel", "place", "Portavel")
        doc.show(header + body, [span], [span], offset=len(header))
        await pilot.pause()
        [shifted] = doc.spans
        assert doc.text[shifted.start:shifted.end] == "Portavel"
        assert (shifted.start, shifted.end) in doc.conflicts
        place = doc.get_component_rich_style("doc--place")
        assert any(seg.text == "Portavel" and seg.style and seg.style.color == place.color
                   for seg in doc.render_line(2))


class _PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield TextLines(id="panel")


@sync
async def test_a_long_panel_draws_only_the_lines_shown() -> None:
    app = _PanelApp()
    async with app.run_test(size=(40, 10)) as pilot:
        panel = app.query_one(TextLines)
        text = Text("Figures\n", style="bold")
        for i in range(5000):
            text.append(f"⚠ {i} inhabitants · population · Oslo\n", "red" if i % 2 else "")
        panel.update(text)
        await pilot.pause()
        assert panel.render() is text
        assert panel.size.height == len(wrap_offsets(text.plain, panel.size.width))
        assert len(panel._drawn.strips) <= 10, "only the lines on the screen are drawn"
        line = panel.render_line(2)
        assert "".join(seg.text for seg in line).startswith("⚠ 1 inhabitants")
        assert all(seg.style and seg.style.bold for seg in line if seg.text.strip())
