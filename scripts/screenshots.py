"""Regenerate ``screenshots/*.svg`` from ``articles/`` at 140×40 (``make screenshots``).

Each screen is shown by driving the app the way a user would; the index lives in a
throw-away cache folder, so the screenshots never depend on the user's own state.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from tui.app.app import CrosscheckApp, build_app  # noqa: E402
from tui.app.screens.library import LibraryScreen  # noqa: E402
from tui.app.sources import SearchSource, StorySource  # noqa: E402
from tui.core.config import Config  # noqa: E402
from tui.core.pipeline import update  # noqa: E402
from tui.core.store import Index  # noqa: E402
from tui.core.storyview import story_rows  # noqa: E402

SIZE = (140, 40)
SEARCH = "ganja"
Step = Callable[[Pilot[Any]], Awaitable[None]]


def library_screen(pilot: Pilot[Any]) -> LibraryScreen:
    screen = next(s for s in pilot.app.screen_stack if isinstance(s, LibraryScreen))
    return screen


async def settle(pilot: Pilot[Any], until: Callable[[], bool], timeout: float = 10.0) -> None:
    """Run the app until ``until()`` holds (bounded), then let it paint."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not until() and loop.time() < deadline:
        await pilot.pause(0.05)
    await pilot.pause(0.2)


def keys_drawn(pilot: Pilot[Any]) -> bool:
    """True once the current screen's key bar lists its keys."""
    from tui.app.widgets.footer import KeyBar

    bars = list(pilot.app.screen.query(KeyBar))
    return bool(bars) and all(len(bar.keys) > 0 for bar in bars)


async def show_library(pilot: Pilot[Any]) -> None:
    await settle(pilot, lambda: keys_drawn(pilot) and library_screen(pilot).vlist.source
                 is not None)


async def show_search(pilot: Pilot[Any]) -> None:
    screen = library_screen(pilot)
    await pilot.press("slash")
    screen.query_one("#search", Input).value = SEARCH
    await settle(pilot, lambda: isinstance(screen.vlist.source, SearchSource))


async def show_reader(pilot: Pilot[Any]) -> None:
    await show_search(pilot)
    await pilot.press("enter")
    await settle(pilot, lambda: not isinstance(pilot.app.screen, LibraryScreen))


async def show_help(pilot: Pilot[Any]) -> None:
    await pilot.press("question_mark")
    await settle(pilot, lambda: True)


async def show_problems(pilot: Pilot[Any]) -> None:
    await pilot.press("P")
    await settle(pilot, lambda: True)


def first_big_story(pilot: Pilot[Any]) -> None:
    """Put the library's cursor on the first story with several reports."""
    screen = library_screen(pilot)
    source = screen.vlist.source
    if isinstance(source, StorySource):
        sizes = story_rows(screen.index, list(source.ids))
        screen.vlist.cursor = next((i for i, sid in enumerate(source.ids)
                                    if sizes[sid].n_articles > 1), 0)


async def show_compare(pilot: Pilot[Any]) -> None:
    first_big_story(pilot)
    await pilot.press("c")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "CompareScreen")


async def show_story(pilot: Pilot[Any]) -> None:
    first_big_story(pilot)
    await pilot.press("v")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "StoryScreen")


async def show_expanded(pilot: Pilot[Any]) -> None:
    first_big_story(pilot)
    await pilot.press("right")
    await settle(pilot, lambda: True)


def steps() -> dict[str, Step]:
    """The screens to capture; compare and story only once the compare screen exists."""
    chosen: dict[str, Step] = {"library": show_library, "reader": show_reader,
                               "search": show_search, "help": show_help,
                               "problems": show_problems}
    from tui.app.screens import compare

    if hasattr(compare, "CompareScreen"):
        chosen["compare"] = show_compare
        chosen["story"] = show_story
        chosen["stories"] = show_expanded
    return chosen


async def capture(app: CrosscheckApp, name: str, step: Step, out: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        for box in app.screen.query(Input):
            box.cursor_blink = False
        await step(pilot)
        await settle(pilot, lambda: keys_drawn(pilot))
        app.save_screenshot(f"{name}.svg", str(out))


def main() -> int:
    """Write every screenshot; return 0, or 1 if one failed (the others are still written)."""
    os.chdir(ROOT)  # the status line then shows "articles", not an absolute path
    library = Path("articles")
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="crosscheck-shots-") as tmp:
        cache = Path(tmp)
        config = Config()
        index = Index(library, cache, cache, config.max_bytes)
        update(index, config)
        index.close()
        for name, step in steps().items():
            app = build_app(library, config, cache, cache, refresh=False)
            try:
                asyncio.run(capture(app, name, step, out))
                print(f"wrote screenshots/{name}.svg")
            except Exception as exc:  # one broken screen must not lose the others
                failed = 1
                print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
