"""Pilot tests of the library screen: list keys, stories, flat list, search, filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from snapshot_apps.library import (
    MARKUP_TITLE,
    indexed_app,
    make_library,
    sync,
    wait_for,
)
from textual.widgets import Input

from tui.app.app import CrosscheckApp, build_app
from tui.app.screens.library import LibraryScreen
from tui.app.screens.reader import ReaderScreen
from tui.app.sources import ArticleSource, SearchSource, StorySource
from tui.app.widgets.document import DocumentView
from tui.app.widgets.vlist import VirtualList
from tui.core.store import ArticleRow, Index
from tui.core.story_edit import story_articles

SIZE = (120, 36)


@pytest.fixture
def app(tmp_path: Path) -> CrosscheckApp:
    return indexed_app(make_library(tmp_path / "library"), tmp_path / "cache")


def library(app: CrosscheckApp) -> LibraryScreen:
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


def all_rows(index: Index) -> list[ArticleRow]:
    return list(index.rows_by_ids(
        [r[0] for r in index.db.execute("SELECT id FROM articles")]).values())


def group_story(index: Index, lead: str, other: str, relation: str = "copy") -> None:
    """Put two articles in one story, as the clustering stage would."""
    with index.transaction() as db:
        for article_id in (lead, other):
            db.execute("DELETE FROM stories WHERE id IN (SELECT story_id FROM story_members"
                       " WHERE article_id=?)", (article_id,))
            db.execute("DELETE FROM story_members WHERE article_id=?", (article_id,))
        db.execute("INSERT INTO stories (id, label, first_date, last_date, n_articles, n_copies,"
                   " sources, sort_key) VALUES ('S', 'Grouped story', '2021-03-04',"
                   " '2021-03-06', 2, 1, 'Harbour Wire', '2021-03-06S')")
        db.execute("INSERT INTO story_members (article_id, story_id, relation, position)"
                   " VALUES (?, 'S', 'original', 0)", (lead,))
        db.execute("INSERT INTO story_members (article_id, story_id, copy_of, relation, position)"
                   " VALUES (?, 'S', ?, ?, 1)", (other, lead, relation))


@sync
async def test_starts_on_stories_with_list_focused(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = library(app)
        assert isinstance(app.focused, VirtualList)
        assert isinstance(screen.vlist.source, StorySource)
        stories = app.index.db.execute("SELECT count(*) FROM stories").fetchone()[0]
        assert len(screen.vlist.source) == stories and app.index.count() == 8
        status = screen.status_text().plain
        assert "8 articles" in status and f"{stories} stories" in status
        assert "1 problem (P)" in status


@sync
async def test_refresh_on_start_fills_the_list(tmp_path: Path) -> None:
    root = make_library(tmp_path / "library")
    app = build_app(root, None, tmp_path / "cache", tmp_path / "cache", refresh=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.index.count() == 8 and not app.indexing
                       and len(library(app).vlist.source) > 0)
        await pilot.pause(0.1)
        assert "8 articles" in library(app).status_text().plain
        assert not library(app).query_one("#index-progress").display


@sync
async def test_cursor_keys(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")  # the flat list: one row per article, 8 rows
        vlist = library(app).vlist
        await pilot.press("j", "down")
        assert vlist.cursor == 2
        await pilot.press("k")
        assert vlist.cursor == 1
        await pilot.press("up", "up")
        assert vlist.cursor == 0
        await pilot.press("G")
        assert vlist.cursor == len(vlist.source) - 1
        await pilot.press("g")
        assert vlist.cursor == 0
        await pilot.press("end")
        assert vlist.cursor == 7
        await pilot.press("home")
        assert vlist.cursor == 0


@sync
async def test_page_keys_move_by_a_screenful(app: CrosscheckApp) -> None:
    async with app.run_test(size=(120, 11)) as pilot:
        await pilot.press("t")  # the flat list: one row per article, 8 rows
        vlist = library(app).vlist
        page = vlist.scrollable_content_region.height
        assert 1 < page < 7
        await pilot.press("ctrl+d")
        assert vlist.cursor == page
        await pilot.press("ctrl+u")
        assert vlist.cursor == 0
        await pilot.press("pagedown")
        assert vlist.cursor == page
        await pilot.press("pageup")
        assert vlist.cursor == 0
        await pilot.press("G")
        assert vlist.scroll_y > 0, "the cursor row must be scrolled into view"


@sync
async def test_enter_on_a_single_report_story_opens_the_reader(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        index = library(app).index
        while len(story_articles(index, library(app).vlist.current_key or "")) != 1:
            await pilot.press("down")
        expected = library(app).current_article()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article_id == expected
        assert isinstance(app.focused, DocumentView)
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


@sync
async def test_stories_expand_and_collapse(app: CrosscheckApp) -> None:
    group_story(app.index, "ferry-strike", "ferry-vote")
    async with app.run_test(size=SIZE) as pilot:
        screen = library(app)
        screen.reload()
        source = screen.vlist.source
        assert isinstance(source, StorySource)
        closed = len(source)
        row = source.ids.index("S")
        screen.vlist.cursor = row
        await pilot.press("right")
        assert len(source) == closed + 2
        assert [source.key(row + 1), source.key(row + 2)] == ["ferry-strike", "ferry-vote"]
        assert "copy" in source.render_row(row + 2, 100, screen.vlist._styles())[0].plain
        await pilot.press("left")
        assert len(source) == closed and screen.vlist.cursor == row
        await pilot.press("enter")  # Enter on a closed story of several reports expands it
        assert len(source) == closed + 2 and isinstance(app.screen, LibraryScreen)
        await pilot.press("j", "j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.article_id == "ferry-vote"
        await pilot.press("escape", "k", "l")  # 'l' on a member keeps its story open
        assert len(source) == closed + 2
        await pilot.press("h")
        assert len(source) == closed and source.key(screen.vlist.cursor) == "S"


@sync
async def test_flat_list_and_sort_orders(app: CrosscheckApp) -> None:
    rows = all_rows(app.index)

    def expected(key: str, descending: bool) -> list[str]:
        by_id = sorted(rows, key=lambda r: r.id)
        fields = {"date": lambda r: r.date or "", "source": lambda r: r.source.lower(),
                  "title": lambda r: r.title.lower(), "size": lambda r: r.words}
        return [r.id for r in sorted(by_id, key=fields[key], reverse=descending)]

    async with app.run_test(size=SIZE) as pilot:
        screen = library(app)
        await pilot.press("t")
        source = screen.vlist.source
        assert screen.flat and isinstance(source, ArticleSource)
        assert source.ids == expected("date", True)
        assert "flat · sort: date" in screen.status_text().plain
        for key, descending in (("source", False), ("title", False), ("size", True),
                                ("date", True)):
            await pilot.press("o")
            source = screen.vlist.source
            assert isinstance(source, ArticleSource) and source.order == key
            assert source.ids == expected(key, descending), key
        await pilot.press("t")
        assert isinstance(screen.vlist.source, StorySource) and not screen.flat


@sync
async def test_sort_key_switches_to_the_flat_list(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert library(app).flat and isinstance(library(app).vlist.source, ArticleSource)


async def search_for(pilot: object, app: CrosscheckApp, text: str,
                     typed: bool = True) -> SearchSource:
    """Enter ``text`` in the search box and wait for the debounced results.

    ``typed=False`` sets the box's value in one go (same Changed path, fewer key events).
    """
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    screen = library(app)
    if not isinstance(app.focused, Input):
        await pilot.press("slash")
    if typed:
        await pilot.press(*text)
    else:
        screen.query_one("#search", Input).value = text
    await wait_for(pilot, lambda: screen.search_text == text
                   and isinstance(screen.vlist.source, SearchSource))
    await pilot.pause()
    source = screen.vlist.source
    assert isinstance(source, SearchSource)
    return source


def hit_ids(source: SearchSource) -> set[str]:
    return {h.row.id for h in source.hits}


@sync
async def test_search_as_you_type_then_open_and_clear(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = library(app)
        await pilot.press("slash")
        assert isinstance(app.focused, Input) and app.focused.id == "search"
        source = await search_for(pilot, app, "portavel")
        assert hit_ids(source) == {"ferry-strike", "ferry-vote"}
        assert source.row_height == 2
        assert "2 matches for 'portavel'" in screen.status_text().plain
        snippet = source.render_row(0, 100, screen.vlist._styles())[1].plain
        assert "portavel" in snippet.lower()
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.article_id == source.hits[0].row.id
        assert reader.search_text == "portavel" and reader.matches
        await pilot.press("escape")
        assert app.screen is screen and isinstance(screen.vlist.source, SearchSource)
        await pilot.press("escape")
        assert screen.search_text == "" and screen.query_one("#search", Input).value == ""
        assert isinstance(screen.vlist.source, StorySource)
        assert isinstance(app.focused, VirtualList)


@sync
async def test_search_filters(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        source = await search_for(pilot, app, "source:harbour", typed=False)
        assert hit_ids(source) == {"ferry-strike"}
        await pilot.press("escape")
        dated = {r.id for r in all_rows(app.index)
                 if r.date and "2020-10-04" <= r.date <= "2020-10-06"}
        assert dated, "the test library must have reports in the range"
        source = await search_for(pilot, app, "date:2020-10-04..2020-10-06", typed=False)
        assert hit_ids(source) == dated
        await pilot.press("escape")
        app.index.set_state("ferry-vote", read=True)
        source = await search_for(pilot, app, "is:unread", typed=False)
        assert hit_ids(source) == {r.id for r in all_rows(app.index)} - {"ferry-vote"}


@sync
async def test_a_bad_filter_says_why_in_the_status_line(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = library(app)
        await pilot.press("slash", *"date:soon")
        await wait_for(pilot, lambda: "date:soon" in screen.status_text().plain)
        assert "expected date:" in screen.status_text().plain


@sync
async def test_a_typo_still_finds_the_title(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        source = await search_for(pilot, app, "ferry stirke")
        assert "ferry-strike" in hit_ids(source)


@sync
async def test_mark_read_and_star_from_the_list(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = library(app)
        await pilot.press("t")
        article = screen.current_article()
        assert article is not None and app.index.state(article) == (False, False)
        await pilot.press("m", "s")
        assert app.index.state(article) == (True, True)
        line = screen.vlist.source.render_row(screen.vlist.cursor, 100,
                                              screen.vlist._styles())[0].plain
        assert "★" in line
        await pilot.press("m", "s")
        assert app.index.state(article) == (False, False)


@sync
async def test_preview_follows_the_cursor_and_p_hides_it(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = library(app)
        preview = screen.query_one("#preview", DocumentView)
        await pilot.press("t", "j")
        article = app.index.get(screen.current_article() or "")
        assert article is not None
        await wait_for(pilot, lambda: preview.text.startswith(article.title))
        await pilot.press("p")
        assert not preview.display
        await pilot.press("p")
        assert preview.display


@sync
async def test_narrow_terminal_hides_the_preview(app: CrosscheckApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = library(app)
        assert screen.has_class("-narrow")
        assert not screen.query_one("#preview").display
        await pilot.press("p")
        assert screen.query_one("#preview").display


@sync
async def test_tab_cycles_focus(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        seen = []
        for _ in range(3):
            await pilot.press("tab")
            seen.append(app.focused)
        assert {type(w) for w in seen} == {Input, VirtualList, DocumentView}


@sync
async def test_mouse_click_moves_and_double_click_opens(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")  # flat: a double click opens, never expands
        vlist = library(app).vlist
        await pilot.click(VirtualList, offset=(10, 3))
        assert vlist.cursor == 3
        await pilot.click(VirtualList, offset=(10, 3), times=2)
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


@sync
async def test_markup_in_titles_is_shown_literally(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = library(app)
        await pilot.press("t")
        source = screen.vlist.source
        assert isinstance(source, ArticleSource)
        row = source.ids.index("markup")
        assert MARKUP_TITLE in source.render_row(row, 200, screen.vlist._styles())[0].plain
        screen.vlist.cursor = row
        preview = screen.query_one("#preview", DocumentView)
        await wait_for(pilot, lambda: preview.text.startswith(MARKUP_TITLE))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.doc.text.startswith(MARKUP_TITLE)
        first_line = "".join(seg.text for seg in app.screen.doc.render_line(0))
        assert first_line.strip().startswith("[bold red]Fake[/]")
