"""The document view draws each line from its own share of the highlights (line_spans),
caches what it drew, and redraws when the text, the highlights or the theme change."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style
from rich.text import Span as RichSpan
from rich.text import Text
from snapshot_apps.library import indexed_app, make_library, sync
from textual.app import App, ComposeResult
from textual.strip import Strip

from tui.app.widgets.document import DocumentView, line_spans
from tui.core.config import Config
from tui.core.spans import ENTITY_KINDS
from tui.core.wrap import line_of, wrap_offsets

SIZE = (120, 36)
PIECES = ["Gəncə", "Ganja", "said", "50,000", " ", "  ", "\n", "\n\n", "word", "ａｂｃ",
          "emoji👍🏽", "a-b", "."]


@st.composite
def styled_texts(draw: st.DrawFn) -> tuple[str, list[RichSpan], int]:
    text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=60)))
    bounds = st.integers(0, len(text))
    raw = draw(st.lists(st.tuples(bounds, bounds, st.sampled_from(["a", "b", "c"])),
                        max_size=25))
    spans = [RichSpan(min(s, e), max(s, e), style) for s, e, style in raw]
    return text, spans, draw(st.integers(1, 30))


@settings(max_examples=200, deadline=None)
@given(styled_texts())
def test_line_spans_are_the_styled_text_cut_at_each_line(
        case: tuple[str, list[RichSpan], int]) -> None:
    text, spans, width = case
    lines = wrap_offsets(text, width)
    whole = Text(text, spans=spans)
    for (start, end), mine in zip(lines, line_spans(spans, lines), strict=True):
        assert mine == whole[start:end].spans


def _visible_span(doc: DocumentView) -> tuple[int, str, str]:
    """A highlighted entity on the screen: its view line, kind and text."""
    top = int(doc.scroll_y)
    height = doc.scrollable_content_region.height
    for span in doc.spans:
        y = line_of(doc._lines, span.start) - top
        if span.kind in ENTITY_KINDS and 0 <= y < height and "\n" not in span.text:
            return y, span.kind, span.text
    raise AssertionError("no entity on the first screen")


def _colour_of(strip: Strip, word: str) -> object:
    return next(seg.style.color for seg in strip if word in seg.text and seg.style)


@sync
async def test_highlights_follow_a_theme_change(tmp_path: Path) -> None:
    app = indexed_app(make_library(tmp_path / "library"), tmp_path / "cache",
                      Config(theme="crosscheck-dark"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        doc = app.screen.query_one(DocumentView)
        y, kind, word = _visible_span(doc)
        dark = doc.get_component_rich_style(f"doc--{kind}").color
        assert _colour_of(doc.render_line(y), word) == dark
        app.theme = "crosscheck-light"
        await pilot.pause()
        light = doc.get_component_rich_style(f"doc--{kind}").color
        assert light != dark
        assert _colour_of(doc.render_line(y), word) == light


@sync
async def test_drawn_lines_change_with_the_current_mark(tmp_path: Path) -> None:
    app = indexed_app(make_library(tmp_path / "library"), tmp_path / "cache")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        doc = app.screen.query_one(DocumentView)
        y, _kind, word = _visible_span(doc)
        before = doc.render_line(y)
        assert doc.render_line(y) is before  # drawn once, then reused
        start = doc.text.index(word, doc._lines[y + int(doc.scroll_y)][0])
        doc.set_current((start, start + len(word)))
        await pilot.pause()
        y = line_of(doc._lines, start) - int(doc.scroll_y)
        current = doc.get_component_rich_style("doc--current")
        styles = [seg.style or Style() for seg in doc.render_line(y) if word in seg.text]
        assert styles and all(s.bgcolor == current.bgcolor for s in styles)


class _DocApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DocumentView()


def _fits(doc: DocumentView) -> bool:
    """Wrapped one cell inside the view, whether or not the scrollbar shows."""
    return doc._width == doc.scrollable_content_region.width - 1 and all(
        end - start <= doc._width for start, end in doc._lines)


@sync
async def test_text_is_wrapped_to_the_view_it_ends_up_in() -> None:
    app = _DocApp()
    async with app.run_test(size=(60, 12)) as pilot:
        doc = app.query_one(DocumentView)
        doc.show("word " * 200)  # taller than the view: the scrollbar shows
        await pilot.pause()
        assert doc.show_vertical_scrollbar and _fits(doc)
        await pilot.resize_terminal(60, 40)  # now it fits: no scrollbar, wider lines
        await pilot.pause()
        assert not doc.show_vertical_scrollbar and _fits(doc)
        doc.show("A short text.")
        await pilot.pause()
        assert not doc.show_vertical_scrollbar and _fits(doc)
        assert doc._lines == [(0, 13)]


@sync
async def test_jumps_land_at_once() -> None:
    """End, Home and page keys move without a scroll animation (a long document would be
    repainted dozens of times on the way)."""
    app = _DocApp()
    async with app.run_test(size=(60, 12)) as pilot:
        doc = app.query_one(DocumentView)
        doc.show("\n".join(f"line {i}" for i in range(5000)))
        doc.focus()
        await pilot.pause()
        await pilot.press("end")
        assert doc.scroll_y == doc.max_scroll_y > 4000  # at once, no frames in between
        await pilot.press("home")
        assert doc.scroll_y == 0
        await pilot.press("pagedown")
        assert doc.scroll_y == doc.scrollable_content_region.height - 1
        await pilot.press("pageup")
        assert doc.scroll_y == 0
