"""A small, varied, deterministic library and helpers to start the app on it.

The library is the bundled ``articles/`` plus files written here: a Markdown report with
front matter, a second dated report, a title that looks like Rich markup, and a broken
JSON file for the problems view. Indexing runs synchronously before the app starts, so
screens never depend on worker timing.
"""

from __future__ import annotations

import asyncio
import functools
import shutil
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, ParamSpec

from textual.pilot import Pilot
from textual.widgets import Input

from tui.app.app import CrosscheckApp, build_app
from tui.core.config import Config
from tui.core.pipeline import update
from tui.core.store import Index

ARTICLES = Path(__file__).resolve().parents[2] / "articles"

FRONT_MATTER = """---
title: Ferry strike leaves harbour of Portavel idle
date: 2021-03-04
source: Harbour Wire
url: https://example.org/ferry
---

Dock workers in Portavel stopped every ferry on Thursday. The union said 1,200 members
joined the strike, and the port authority put its losses at 3 million euros a day.

Advertisement

Talks with the ministry resume on Monday, according to union leader Mara Quist.
"""

SECOND = """Ferry crews in Portavel vote to extend their strike.

The vote was held on 2021-03-06 and 812 of the 1,150 crew members supported the extension.
Ferries to the islands stay in port until at least next week.
"""

P = ParamSpec("P")

MARKUP_TITLE = "[bold red]Fake[/] title [link=http://x]y[/link]"


def make_library(root: Path) -> Path:
    """Write the test library under ``root`` (created); return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for src in sorted(ARTICLES.iterdir()):
        if src.is_file():
            shutil.copyfile(src, root / src.name)
    (root / "ferry-strike.md").write_text(FRONT_MATTER, encoding="utf-8")
    (root / "ferry-vote.txt").write_text(SECOND, encoding="utf-8")
    (root / "markup.txt").write_text(
        f"{MARKUP_TITLE}. The body goes on with a plain second sentence.\n", encoding="utf-8")
    (root / "broken.json").write_text('{"title": "never closed", ', encoding="utf-8")
    return root


def indexed_app(root: Path, cache: Path, config: Config | None = None) -> CrosscheckApp:
    """An app on ``root`` whose index is brought up to date before it starts."""
    config = config or Config()
    index = Index(root, cache, cache, config.max_bytes)
    try:
        update(index, config)
    finally:
        index.close()
    return build_app(root, config, cache, cache, refresh=False)


async def wait_for(pilot: Pilot[object], ready: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until ``ready()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {ready}")
        await pilot.pause(0.02)


def steady(app: CrosscheckApp) -> None:
    """Stop anything that blinks, so screenshots do not depend on the clock."""
    for box in app.screen.query(Input):
        box.cursor_blink = False


def sync(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an ``async def`` test with ``asyncio.run`` (no async pytest plugin needed).

    ``functools.wraps`` keeps the signature, so pytest still injects fixtures.
    """

    @functools.wraps(test)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return run
