"""Pilot tests of help, problems, the command palette, themes and keymaps from the config."""

from __future__ import annotations

from pathlib import Path

import pytest
from snapshot_apps.library import indexed_app, make_library, sync, wait_for
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Static

from tui.app.app import CrosscheckApp
from tui.app.screens.help import HelpScreen, binding_rows, describe_keys
from tui.app.screens.library import LibraryScreen
from tui.app.screens.problems import ProblemsScreen
from tui.app.screens.reader import ReaderScreen
from tui.app.themes import crosscheck_themes
from tui.app.widgets.document import DocumentView
from tui.app.widgets.vlist import VirtualList
from tui.core.config import Config

SIZE = (120, 36)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_library(tmp_path / "library")


@pytest.fixture
def app(root: Path, tmp_path: Path) -> CrosscheckApp:
    return indexed_app(root, tmp_path / "cache")


def help_text(app: CrosscheckApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return str(app.screen.query_one("#help-text", Static).render())


@sync
async def test_help_lists_the_current_screens_bindings(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        on_library = help_text(app)
        for expected in ("Keys: Library", "Search", "Stories/flat", "library.search",
                         "Down", "list.down", "Quit", "app.problems"):
            assert expected in on_library, expected
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("t", "enter", "question_mark")  # the flat list: Enter reads
        assert isinstance(app.screen, HelpScreen) and isinstance(app.screen.under, ReaderScreen)
        on_reader = help_text(app)
        for expected in ("Keys: Reader", "Next entity", "reader.next_match", "Original"):
            assert expected in on_reader, expected
        assert "Stories/flat" not in on_reader and "Next entity" not in on_library
        await pilot.press("q")  # closes help, does not quit
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("question_mark", "question_mark")
        assert isinstance(app.screen, ReaderScreen)


@sync
async def test_help_rows_follow_the_bindings_not_a_copy(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE):
        rows = binding_rows(app.screen)
        ids = [ident for _keys, _desc, ident in rows]
        assert len(ids) == len(set(ids)), "one row per binding"
        by_id = {ident: keys for keys, _desc, ident in rows}
        assert by_id["library.search"] == "/"
        assert by_id["list.down"] == "↓ / j"
    assert describe_keys("pagedown,ctrl+d") == "PgDn / ctrl+d"


@sync
async def test_problems_screen_lists_the_broken_file(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P")
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 1
        cells = [str(c) for c in table.get_row_at(0)]
        assert cells[0] == "broken.json" and cells[1] == "error" and "JSON" in cells[2]
        assert "1 problem reading" in str(screen.query_one("#problems-title", Static).render())
        await pilot.press("P")
        assert len(app.screen_stack) == 3, "P on the problems screen opens no second copy"
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


@sync
async def test_no_problems_says_so(tmp_path: Path) -> None:
    root = make_library(tmp_path / "library")
    (root / "broken.json").unlink()
    app = indexed_app(root, tmp_path / "cache")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P")
        assert isinstance(app.screen, ProblemsScreen)
        assert app.screen.query_one(DataTable).row_count == 0
        assert "No problems" in str(app.screen.query_one("#problems-title", Static).render())


async def run_command(pilot: object, app: CrosscheckApp, words: str) -> None:
    """Open the palette, type ``words``, run the first hit."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("ctrl+p")
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*words)
    await wait_for(pilot, lambda: app.screen.query_one("CommandList").option_count > 0)
    await pilot.pause(0.1)
    await pilot.press("enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))
    await pilot.pause()


@sync
async def test_palette_runs_commands(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        library = app.screen
        assert isinstance(library, LibraryScreen)
        await run_command(pilot, app, "toggle flat")
        assert library.flat
        await run_command(pilot, app, "show problems")
        assert isinstance(app.screen, ProblemsScreen)
        await pilot.press("escape")
        await run_command(pilot, app, "theme: light")
        assert app.theme == "crosscheck-light"


@sync
async def test_palette_goes_to_a_story(app: CrosscheckApp) -> None:
    from tui.app.screens.story import StoryScreen
    from tui.core.storyview import story_of

    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, app, "story portavel")
        assert isinstance(app.screen, StoryScreen)
        assert app.screen.story_id == story_of(app.index, "ferry-strike")


@sync
async def test_palette_opens_articles_by_title(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, app, "harbour portavel")
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article_id == "ferry-strike"


@sync
async def test_library_commands_run_from_the_reader(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter")  # the flat list: Enter reads
        assert isinstance(app.screen, ReaderScreen)
        await run_command(pilot, app, "toggle flat")
        assert isinstance(app.screen, LibraryScreen) and not app.screen.flat


@pytest.mark.parametrize("theme", ["crosscheck-dark", "crosscheck-light"])
@sync
async def test_themes_colour_the_highlights(root: Path, tmp_path: Path, theme: str) -> None:
    app = indexed_app(root, tmp_path / "cache", Config(theme=theme))
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == theme
        assert app.current_theme.dark == (theme == "crosscheck-dark")
        await pilot.press("enter")
        doc = app.screen.query_one(DocumentView)
        mine = {kind: doc.get_component_rich_style(f"doc--{kind}").color
                for kind in ("person", "place", "number")}
        assert len(set(mine.values())) == 3, "each kind has its own colour"
        other = "crosscheck-light" if theme == "crosscheck-dark" else "crosscheck-dark"
        app.theme = other
        await pilot.pause()
        assert doc.get_component_rich_style("doc--person").color != mine["person"]


def test_both_themes_define_every_highlight_colour() -> None:
    themes = {t.name: t for t in crosscheck_themes()}
    assert {"crosscheck-dark", "crosscheck-light"} <= set(themes)
    assert themes["crosscheck-dark"].variables.keys() == themes["crosscheck-light"].variables.keys()
    assert "hl-person" in themes["crosscheck-dark"].variables


@sync
async def test_unknown_theme_falls_back_to_dark(root: Path, tmp_path: Path) -> None:
    app = indexed_app(root, tmp_path / "cache", Config(theme="no-such-theme"))
    async with app.run_test(size=SIZE):
        assert app.theme == "crosscheck-dark"
        said = [n.message for n in app._notifications]
        assert any("'no-such-theme' is not known" in m for m in said), said


@sync
async def test_keymap_from_the_config_rebinds_keys(root: Path, tmp_path: Path) -> None:
    config = Config(keymap={"library.search": "ctrl+f", "list.down": "x"})
    app = indexed_app(root, tmp_path / "cache", config)
    async with app.run_test(size=SIZE) as pilot:
        library = app.screen
        assert isinstance(library, LibraryScreen)
        await pilot.press("slash")
        assert isinstance(app.focused, VirtualList), "the old key no longer searches"
        await pilot.press("x")
        assert library.vlist.cursor == 1
        await pilot.press("ctrl+f")
        assert isinstance(app.focused, Input)
        await pilot.press("escape", "question_mark")
        assert "ctrl+f" in help_text(app)


@sync
async def test_q_quits(app: CrosscheckApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
