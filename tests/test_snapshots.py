"""Snapshots of each screen at 80×24 and 160×45 (pytest-textual-snapshot).

The library is indexed before the app starts and opened by a relative path, so the status
line shows ``library`` rather than a temporary folder; the search box does not blink.
Regenerate after an intended change with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from snapshot_apps.library import indexed_app, make_library, steady, wait_for
from textual.pilot import Pilot
from textual.widgets import Input

from tui.app.screens.library import LibraryScreen
from tui.app.sources import SearchSource

SIZES = [(80, 24), (160, 45)]


async def show_library(pilot: Pilot[Any]) -> None:
    steady(pilot.app)
    await pilot.pause()


async def show_reader(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    screen.open_reader("ferry-strike")
    await pilot.pause()


async def show_search(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    steady(pilot.app)
    await pilot.press("slash")
    screen.query_one("#search", Input).value = "strike"
    await wait_for(pilot, lambda: screen.search_text == "strike"
                   and isinstance(screen.vlist.source, SearchSource))
    await pilot.pause(0.1)


async def show_story(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    largest = screen.index.db.execute(
        "SELECT id FROM stories ORDER BY n_articles DESC, id LIMIT 1").fetchone()[0]
    screen.open_story(largest)
    await pilot.pause()


async def show_compare(pilot: Pilot[Any]) -> None:
    from tui.app.screens.compare import CompareScreen

    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    story = screen.index.db.execute(
        "SELECT id FROM stories ORDER BY n_articles DESC, id LIMIT 1").fetchone()[0]
    a, b = [r[0] for r in screen.index.db.execute(
        "SELECT article_id FROM story_members WHERE story_id=? ORDER BY position LIMIT 2",
        (story,))]
    compare = CompareScreen(screen.index, a, b)
    await pilot.app.push_screen(compare)
    await wait_for(pilot, lambda: compare.comparison is not None)
    await pilot.pause(0.1)


async def show_help(pilot: Pilot[Any]) -> None:
    await pilot.press("question_mark")


async def show_problems(pilot: Pilot[Any]) -> None:
    await pilot.press("P")


SCREENS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "library": show_library,
    "reader": show_reader,
    "search": show_search,
    "story": show_story,
    "compare": show_compare,
    "help": show_help,
    "problems": show_problems,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(name: str, size: tuple[int, int], tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch, snap_compare: Any) -> None:
    make_library(tmp_path / "library")
    monkeypatch.chdir(tmp_path)
    app = indexed_app(Path("library"), tmp_path / "cache")
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[name])
