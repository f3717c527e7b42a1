"""Pilot tests of the story overview: every key, and merge/split from the library."""

from __future__ import annotations

from pathlib import Path

import pytest
from snapshot_apps.library import sync, wait_for
from snapshot_apps.story import story_app
from textual.pilot import Pilot

from tui.app.app import CrosscheckApp
from tui.app.screens.compare import CompareScreen
from tui.app.screens.library import LibraryScreen
from tui.app.screens.reader import ReaderScreen
from tui.app.screens.story import OverviewTable, StoryScreen
from tui.app.sources import StorySource
from tui.core.config import Config
from tui.core.export import ENV_EXPORT
from tui.core.pipeline import update
from tui.core.store import Index
from tui.core.storyview import story_of

SIZE = (120, 36)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CrosscheckApp:
    monkeypatch.setenv(ENV_EXPORT, str(tmp_path / "exports"))
    return story_app(tmp_path / "lib", tmp_path / "cache")


def library(app: CrosscheckApp) -> LibraryScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, LibraryScreen)
    return screen


def story_screen(app: CrosscheckApp) -> StoryScreen:
    assert isinstance(app.screen, StoryScreen)
    return app.screen


def cursor_to_story(app: CrosscheckApp, article_id: str) -> None:
    screen = library(app)
    source = screen.vlist.source
    assert isinstance(source, StorySource)
    screen.vlist.cursor = source.ids.index(story_of(app.index, article_id) or "")


async def open_overview(pilot: Pilot[int], app: CrosscheckApp, article_id: str = "a-wire"
                        ) -> StoryScreen:
    await pilot.pause()
    cursor_to_story(app, article_id)
    await pilot.press("v")
    await pilot.pause()
    return story_screen(app)


async def focus_table(pilot: Pilot[int], screen: StoryScreen, name: str, row: int,
                      column: int) -> OverviewTable:
    table = screen.table(name)
    table.focus()
    table.move_cursor(row=row, column=column)
    await pilot.pause()
    return table


@sync
async def test_v_opens_the_overview_with_three_tables(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot, app)
        ov = screen.overview
        assert ov is not None and [r.id for r in ov.reports] == ["a-wire", "b-daily",
                                                                  "c-mirror"]
        assert screen.table("timeline").row_count == 3
        assert screen.table("figures").row_count == len(ov.figures) >= 1
        assert screen.table("entities").row_count == len(ov.entities)
        assert len(screen.table("figures").columns) == 4
        assert "3 reports, 1 copy" in str(screen.query_one("#story-head").render())
        assert isinstance(app.focused, OverviewTable) and app.focused.id == "story-timeline"
        assert screen.open_seconds > 0
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


@sync
async def test_enter_expands_then_opens_the_overview(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cursor_to_story(app, "a-wire")
        source = library(app).vlist.source
        assert isinstance(source, StorySource)
        await pilot.press("enter")
        assert story_of(app.index, "a-wire") in source.expanded
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert story_screen(app).story_id == story_of(app.index, "a-wire")


@sync
async def test_enter_on_a_figure_opens_the_reader_at_it(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot, app)
        ov = screen.overview
        assert ov is not None
        await focus_table(pilot, screen, "figures", 0, 2)  # population · Lyon, report #2
        assert screen.selected_report() == "b-daily"
        assert screen.table("timeline").cursor_row == 1, "the timeline follows the column"
        assert "roughly 55,000 inhabitants" in screen.status_text()
        assert "conflicts with" in screen.status_text()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen)
                       and app.screen.doc.current is not None)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.article_id == "b-daily"
        cell = ov.figures[0].cells["b-daily"][0]
        assert reader.doc.current == (cell.start + reader.header_len,
                                      cell.end + reader.header_len)
        await pilot.press("escape")
        assert app.screen is screen


@sync
async def test_enter_on_an_empty_cell_says_so(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot, app)
        ov = screen.overview
        assert ov is not None
        row = next(k for k, e in enumerate(ov.entities) if e.name == "Red Cross")
        await focus_table(pilot, screen, "entities", row, 2)  # report #1 does not name it
        assert "named 0× here" in screen.status_text()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert any("does not name Red Cross" in str(n.message) for n in app._notifications)


@sync
async def test_enter_on_the_timeline_and_on_a_name(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot, app)
        await pilot.press("j", "j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.article_id == "c-mirror"
        await pilot.press("escape")
        ov = screen.overview
        assert ov is not None
        row = next(k for k, e in enumerate(ov.entities) if e.name == "Red Cross")
        await focus_table(pilot, screen, "entities", row, 3)  # column of report #2
        assert "Red Cross (organization)" in screen.status_text()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen)
                       and app.screen.doc.current is not None)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.article_id == "b-daily"
        start, end = reader.doc.current or (0, 0)
        assert reader.doc.text[start:end] == "Red Cross"


@sync
async def test_c_compares_the_selected_report_with_the_lead(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot, app)
        await pilot.press("j", "c")
        await pilot.pause()
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        assert (compare.left_id, compare.right_id) == ("a-wire", "b-daily")
        await pilot.press("escape", "k", "c")  # on the lead: the next report
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert (app.screen.left_id, app.screen.right_id) == ("a-wire", "b-daily")
        await pilot.press("escape")
        assert app.screen is screen


@sync
async def test_e_exports_markdown_and_json(app: CrosscheckApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot, app)
        await pilot.press("e")
        stem = screen.story_id.replace(":", "-")
        md_file = tmp_path / "exports" / f"{stem}.md"
        assert md_file.exists() and (tmp_path / "exports" / f"{stem}.json").exists()
        assert "## Figures" in md_file.read_text(encoding="utf-8")
        assert any(str(md_file) in str(n.message) for n in app._notifications)


@sync
async def test_e_in_the_comparison_exports_it(app: CrosscheckApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_overview(pilot, app)
        await pilot.press("j", "c")
        await pilot.pause()
        await pilot.press("e")
        path = tmp_path / "exports" / "compare--a-wire--b-daily.md"
        assert path.exists() and "## Aligned sentences" in path.read_text(encoding="utf-8")
        assert (tmp_path / "exports" / "compare--a-wire--b-daily.json").exists()


@sync
async def test_x_twice_splits_and_the_split_survives_reindexing(app: CrosscheckApp,
                                                                tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        stories_before = len(library(app).vlist.source)
        screen = await open_overview(pilot, app)
        await pilot.press("j", "x")
        await pilot.pause()
        assert story_of(app.index, "b-daily") == screen.story_id, "one press only asks"
        await pilot.press("x")
        await wait_for(pilot, lambda: screen.overview is not None
                       and len(screen.overview.reports) == 2 and not screen.busy)
        assert story_of(app.index, "b-daily") != story_of(app.index, "a-wire")
        assert "b-daily" not in {r.id for r in screen.overview.reports}  # type: ignore[union-attr]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert len(library(app).vlist.source) == stories_before + 1, "the list was re-read"
    again = Index(app.index.root, tmp_path / "cache", tmp_path / "cache")
    (app.index.root / "a-wire.md").touch()
    update(again, Config())
    assert story_of(again, "b-daily") != story_of(again, "a-wire")


@sync
async def test_u_forgets_the_edits_of_a_report(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot, app, "b-daily")
        await pilot.press("j", "u")  # b-daily was merged in by hand: forgetting splits it
        await wait_for(pilot, lambda: screen.changed and not screen.busy)
        assert screen.overview is not None
        assert [r.id for r in screen.overview.reports] == ["b-daily"]
        await pilot.press("u")
        await wait_for(pilot, lambda: any("no merge or split" in str(n.message)
                                          for n in app._notifications))


@sync
async def test_x_on_a_story_of_one_report_refuses(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot, app, "d-harvest")
        await pilot.press("x", "x", "c")
        await pilot.pause()
        assert app.screen is screen and not screen.changed


@sync
async def test_M_marks_then_merges_into_another_story(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = library(app)
        await pilot.pause()
        harvest = story_of(app.index, "d-harvest")
        cursor_to_story(app, "d-harvest")
        await pilot.press("M")
        assert screen.merge_mark == harvest
        assert "marked: Harvest festival" in screen.status_text().plain
        await pilot.press("M")
        assert screen.merge_mark is None, "M on the marked story unmarks it"
        await pilot.press("M")
        cursor_to_story(app, "a-wire")
        await pilot.press("M")
        await wait_for(pilot, lambda: story_of(app.index, "d-harvest")
                       == story_of(app.index, "a-wire") and screen.merge_mark is None)
        await pilot.pause()
        source = screen.vlist.source
        assert isinstance(source, StorySource) and len(source) == 1
        assert screen.vlist.current_key == story_of(app.index, "a-wire")


@sync
async def test_the_status_line_says_why_a_report_is_in_the_story(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot, app)
        ov = screen.overview
        assert ov is not None
        assert "why" not in screen.status_text()  # the lead
        for report in ov.reports[1:]:
            await focus_table(pilot, screen, "timeline", report.n - 1, 0)
            text = screen.status_text()
            assert "why: vs #" in text, text
            if report.relation == "copy":
                assert "copy (" in text and "sentences match" in text
