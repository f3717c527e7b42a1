"""Pilot tests of the reader: highlight walking, search matches, original text, state."""

from __future__ import annotations

from pathlib import Path

import pytest
from snapshot_apps.library import indexed_app, make_library, sync
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget

from tui.app.app import CrosscheckApp
from tui.app.screens import reader as reader_module
from tui.app.screens.library import LibraryScreen
from tui.app.screens.reader import ReaderScreen
from tui.app.widgets.document import DocumentView
from tui.core.annotations import Notes
from tui.core.spans import ENTITY_KINDS, FIGURE_KINDS, Span
from tui.core.store import Index
from tui.core.wrap import wrap_offsets

SIZE = (120, 36)


@pytest.fixture
def app(tmp_path: Path) -> CrosscheckApp:
    return indexed_app(make_library(tmp_path / "library"), tmp_path / "cache")


def spans_of(body: str) -> Notes:
    """Hand-made highlights for the ferry report: two places, a person, two figures."""
    found = []
    for text, kind in (("Portavel", "place"), ("Mara Quist", "person"), ("1,200", "number"),
                       ("3 million euros", "money")):
        start = body.index(text)
        found.append(Span(start, start + len(text), text, kind, text if kind in
                          ENTITY_KINDS else None))
    found.sort(key=lambda s: s.start)
    figure = next(s for s in found if s.kind == "number")
    return Notes(spans=found, conflicts=[figure],
                 figure_lines=[("1,200 members · strikers", True)])


@pytest.fixture
def fake_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic highlights, whatever the entity and figure engines find today."""
    monkeypatch.setattr(reader_module, "annotate_article",
                        lambda _index, article: spans_of(article.body))


async def open_reader(pilot: Pilot[object], app: CrosscheckApp, article_id: str,
                      query: str = "") -> ReaderScreen:
    library = app.screen
    assert isinstance(library, LibraryScreen)
    library.search_text = query
    library.open_reader(article_id)
    await pilot.pause()
    reader = app.screen
    assert isinstance(reader, ReaderScreen)
    return reader


def shown(reader: ReaderScreen) -> str:
    """The stretch of text the reader marks as current."""
    assert reader.doc.current is not None
    start, end = reader.doc.current
    return reader.doc.text[start:end]


@sync
async def test_entity_and_figure_keys_walk_the_highlights(app: CrosscheckApp,
                                                         fake_notes: None) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app, "ferry-strike")
        assert len(reader.doc.spans) == 4, "highlights reach the document view"
        assert reader.doc.conflicts
        await pilot.press("e")
        assert shown(reader) == "Portavel"
        await pilot.press("e")
        assert shown(reader) == "Mara Quist"
        await pilot.press("E", "E")  # back past the first one wraps to the last
        assert shown(reader) == "Mara Quist"
        await pilot.press("f")
        assert shown(reader) == "1,200"
        await pilot.press("f")
        assert shown(reader) == "3 million euros"
        await pilot.press("F")
        assert shown(reader) == "1,200"
        assert reader.sub_title == "figure 1 of 2"
        assert "figure 1 of 2" in str(reader.query_one("#reader-legend").render())
        await pilot.press("v")
        assert "original text" in str(reader.query_one("#reader-legend").render())
        await pilot.press("v")
        panel = str(reader.query_one("#reader-panel").render())
        assert "Mara Quist" in panel and "Portavel" in panel
        assert "⚠ 1,200 members" in panel


@sync
async def test_kind_filter_narrows_entity_walking(app: CrosscheckApp, fake_notes: None) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app, "ferry-strike")
        await pilot.press("K")  # entity → person
        await pilot.press("e", "e")
        assert shown(reader) == "Mara Quist"


@sync
async def test_real_annotations_reach_the_view(app: CrosscheckApp) -> None:
    """Whatever the engines find is drawn; with nothing found the keys say so."""
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app, "ferry-strike")
        article = app.index.get("ferry-strike")
        assert article is not None
        notes = reader_module.annotate_article(app.index, article)
        assert len(reader.doc.spans) == len(notes.spans)
        for span in reader.doc.spans:
            assert reader.doc.text[span.start:span.end] == span.text
        await pilot.press("e")
        if any(s.kind in ENTITY_KINDS for s in notes.spans):
            assert reader.current_span() is not None
        else:  # the engines find nothing yet: the key must say so, not fail
            assert reader.doc.current is None
            assert any("no entity" in str(n.message) for n in app._notifications)
        await pilot.press("f")
        if any(s.kind in FIGURE_KINDS for s in notes.spans):
            assert reader.current_span() is not None


@sync
async def test_search_matches_walk_with_n(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app, "ferry-strike", "portav")
        text = reader.doc.text.lower()
        assert len(reader.matches) == text.count("portavel") == 2
        await pilot.press("n")
        assert shown(reader) == "Portavel" and reader.doc.current == reader.matches[0]
        await pilot.press("n")
        assert reader.doc.current == reader.matches[1]
        await pilot.press("n")
        assert reader.doc.current == reader.matches[0]
        await pilot.press("N")
        assert reader.doc.current == reader.matches[1]


@sync
async def test_filters_are_not_searched_for_in_the_text(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app, "ferry-strike", "source:harbour")
        assert reader.matches == []
        await pilot.press("n")
        assert reader.doc.current is None


@sync
async def test_v_toggles_the_original_text(app: CrosscheckApp, fake_notes: None) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app, "ferry-strike")
        cleaned = reader.doc.text
        assert "Advertisement" not in cleaned and reader.doc.spans
        await pilot.press("v")
        assert reader.showing_original and "Advertisement" in reader.doc.text
        assert reader.doc.text.endswith(app.index.original("ferry-strike"))
        assert reader.doc.spans == [] and reader.sub_title == "original text"
        await pilot.press("e")
        assert reader.doc.current is None  # no highlights on the original
        await pilot.press("v")
        assert reader.doc.text == cleaned and reader.doc.spans


@sync
async def test_read_and_star_persist(app: CrosscheckApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app, "ferry-vote")
        assert app.index.state("ferry-vote") == (True, False), "opening marks read"
        await pilot.press("m")
        assert app.index.state("ferry-vote") == (False, False)
        await pilot.press("s")
        assert app.index.state("ferry-vote") == (False, True)
        await pilot.press("m")
        assert reader.article_id == "ferry-vote"
    again = Index(app.index.root, tmp_path / "cache", tmp_path / "cache")
    assert again.state("ferry-vote") == (True, True)
    again.close()


@sync
async def test_panel_toggle_and_back_keys(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app, "ferry-strike")
        side = reader.query_one("#reader-side")
        assert side.display
        await pilot.press("i")
        assert not side.display
        await pilot.press("i")
        assert side.display
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        await open_reader(pilot, app, "ferry-strike")
        await pilot.press("backspace")
        assert isinstance(app.screen, LibraryScreen)


@sync
async def test_narrow_reader_hides_the_panel(app: CrosscheckApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_reader(pilot, app, "ferry-strike")
        assert reader.has_class("-narrow") and not reader.query_one("#reader-side").display
        await pilot.press("i")
        assert reader.query_one("#reader-side").display


@sync
async def test_copy_and_open_in_browser(app: CrosscheckApp,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(reader_module.webbrowser, "open", opened.append)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app, "ferry-strike")
        await pilot.press("y")
        assert app.clipboard == reader.article.body
        await pilot.press("b")
        assert opened == ["https://example.org/ferry"]
        await pilot.press("escape")
        await open_reader(pilot, app, "ferry-vote")
        await pilot.press("b")
        assert opened == ["https://example.org/ferry"], "no address: nothing opened"


@sync
async def test_a_vanished_article_closes_the_reader(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        library = app.screen
        assert isinstance(library, LibraryScreen)
        library.open_reader("no-such-article")
        await pilot.pause()
        assert app.screen is library


def restyled(widget: Widget) -> tuple[object, ...]:
    """A widget's styles, and its component classes', freshly computed."""
    widget.update_node_styles(animate=False)
    widget.refresh()
    return (widget.rich_style, widget.styles.base.css_lines, widget.styles.inline.css_lines,
            [widget.get_component_rich_style(name) for name in sorted(widget.COMPONENT_CLASSES)])


@sync
async def test_focus_styles_nothing_in_the_text(app: CrosscheckApp) -> None:
    """The document view skips Textual's restyle on focus (it took milliseconds of every
    opening of the reader): nothing in the stylesheet may style it by focus."""
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app, "ferry-strike")
        assert reader.doc.has_focus
        focused = restyled(reader.doc)
        reader.set_focus(None)
        await pilot.pause()
        assert not reader.doc.has_focus and restyled(reader.doc) == focused


class _TextApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield DocumentView()

    def on_mount(self) -> None:
        self.query_one(DocumentView).show(self.text)


def _scrollbar(doc: DocumentView) -> tuple[bool, int, int]:
    return (doc.show_vertical_scrollbar, doc.virtual_size.height,
            doc.vertical_scrollbar.window_virtual_size if doc.show_vertical_scrollbar else 0)


@sync
async def test_the_scrollbar_follows_the_text_shown() -> None:
    """Sized when the text is shown and at each resize: shown for long texts (at once
    for one too long for the whole terminal), hidden for short ones."""
    long = "\n".join(f"line {i} " + "word " * 12 for i in range(60))
    app = _TextApp(long)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        doc = app.query_one(DocumentView)
        height = len(wrap_offsets(long, doc.scrollable_content_region.width - 1))
        assert _scrollbar(doc) == (True, height, height)
        doc.show("a short one")
        await pilot.pause()
        assert _scrollbar(doc) == (False, 1, 0)
        doc.show("\n".join(f"line {i}" for i in range(30)))
        await pilot.pause()
        assert _scrollbar(doc) == (True, 30, 30)
        await pilot.resize_terminal(40, 40)
        await pilot.pause()
        assert _scrollbar(doc) == (False, 30, 0)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert _scrollbar(doc) == (True, 30, 30)


def test_spans_of_matches_its_text() -> None:
    """The hand-made highlights above really cover their words."""
    body = "Dock workers in Portavel: 1,200 joined; 3 million euros lost; said Mara Quist."
    notes = spans_of(body)
    assert [body[s.start:s.end] for s in notes.spans] == [s.text for s in notes.spans]
