"""Headless app benchmark, run in a child process on an indexed library (JSON on stdout).

Everything goes through the real app (``build_app`` + ``run_test``) driven by the pilot:
a key's time is ``await pilot.press(key)`` + ``await pilot.pause()``, and the pause ends
with Textual's screen update, so the repaint is included. The app is built with
``refresh=False`` (the index is already up to date): the background re-scan the CLI starts
is measured by the tmux benchmark instead.

    python scripts/bench_app.py LIBRARY CACHE --articles N [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZE = (160, 45)
LONG_A, LONG_B = "long/report-a", "long/report-b"
TYPO_QUERY = "erthquake in lisbom"
"""Misspelt: full-text search finds nothing, so fuzzy title matching does the work."""
FTS_QUERIES = ("earthquake", "earthquake lisbon", "garcia", "red cross", "lis")
KEY_CHARS = {"right_square_bracket": "]", "f12": None}

Pilot = Any
Timings = dict[str, Any]


def _median(values: list[float]) -> dict[str, float]:
    """Median, first and max of ``values`` (seconds)."""
    return {"median": statistics.median(values), "first": values[0], "max": max(values),
            "n": len(values)}


async def timed(action: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    """Wall and CPU seconds ``action`` takes (CPU: this process, all threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    await action()
    return time.perf_counter() - wall, time.process_time() - cpu


async def settle(pilot: Pilot) -> None:
    """Let every queued message (and those they post) be handled, then paint the screen.

    Unlike ``pilot.pause()`` this never sleeps: ``pause`` and ``press`` wait for the
    process to look idle in steps of 20 ms (Textual's ``wait_for_idle``), which puts a
    floor of about 60 ms under ``press`` + ``pause`` whatever the app does.
    """
    app = pilot.app
    for _ in range(10):
        await pilot._wait_for_screen()
        pumps = [app, *app.screen.walk_children(with_self=True)]
        if all(pump._message_queue.empty() for pump in pumps):
            break
    app.screen._on_timer_update()


async def send_key(pilot: Pilot, key: str) -> None:
    """Deliver one key as the driver would, then :func:`settle` (no idle sleeps)."""
    from textual import events

    event = events.Key(key, KEY_CHARS.get(key))
    event.set_sender(pilot.app)
    pilot.app._driver.send_message(event)
    await settle(pilot)


def _stats(values: list[tuple[float, float]]) -> dict[str, float]:
    """Median/first/max wall time, and median CPU time, of ``(wall, cpu)`` pairs."""
    out = _median([v[0] for v in values])
    out["cpu"] = statistics.median(v[1] for v in values)
    return out


async def press_times(pilot: Pilot, key: str, count: int, reset: str | None = None,
                      settle_for: float = 0.08) -> dict[str, Any]:
    """Time ``key`` ``count`` times, pressing ``reset`` untimed before each.

    ``direct``: the key delivered, handled and the screen painted (:func:`send_key`);
    ``pilot``: ``await pilot.press(key)`` + ``await pilot.pause()``, idle sleeps included.
    ``settle_for`` lets debounced work (the preview, 50 ms after the cursor stops) finish
    outside the timed window, as it does between a user's keystrokes.
    """
    async def pilot_press() -> None:
        await pilot.press(key)
        await pilot.pause()

    out: dict[str, list[tuple[float, float]]] = {"direct": [], "pilot": []}
    for i in range(count * 2):
        if reset:
            await pilot.press(reset)
        await pilot.pause(settle_for)
        if i % 2:
            out["pilot"].append(await timed(pilot_press))
        else:
            out["direct"].append(await timed(lambda: send_key(pilot, key)))
    return {"direct": _stats(out["direct"]), "pilot": _stats(out["pilot"]),
            **_stats(out["direct"])}


async def warm_start(root: Path, cache: Path, articles: int) -> tuple[float, float]:
    """Seconds from ``build_app`` to a first paint whose status line shows the count,
    and the process's peak RSS (MB) by then."""
    from tui.app.app import build_app
    from tui.app.screens.library import LibraryScreen

    started = time.perf_counter()
    app = build_app(root, None, cache, cache, refresh=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while not (isinstance(app.screen, LibraryScreen)
                   and f"{articles:,} articles" in app.screen.status_text().plain):
            await pilot.pause(0.005)
        seconds = time.perf_counter() - started
    app.index.close()
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def list_keys(pilot: Pilot, runs: int) -> Timings:
    """Key latency in the story list and the flat list, and the preview update."""
    screen = pilot.app.screen
    out: Timings = {}
    for mode in ("stories", "flat"):
        if mode == "flat":
            await pilot.press("t")
            await pilot.pause()
        out[f"{mode} down"] = await press_times(pilot, "down", runs * 4)
        out[f"{mode} pagedown"] = await press_times(pilot, "pagedown", runs * 2)
        out[f"{mode} end"] = await press_times(pilot, "end", runs, reset="home")
        out[f"{mode} home"] = await press_times(pilot, "home", runs, reset="end")

    async def preview() -> None:
        screen.update_preview()
        await settle(pilot)

    out["preview update"] = _stats([await timed(preview) for _ in range(runs)])
    out["no-op key (harness floor)"] = await press_times(pilot, "f12", runs)
    await pilot.press("t")
    await pilot.pause()
    return out


async def app_search(pilot: Pilot, query: str, pause: bool = True) -> float:
    """Seconds from pressing the last key of ``query`` to the results shown: typed after a
    pause of 0.36 s (the search starts at once), or with keys 30 ms apart (searches start at most
    every ``SEARCH_DELAY``, so the last one may wait for its turn)."""
    from tui.app.screens.library import SEARCH_DELAY

    screen = pilot.app.screen
    await pilot.press("slash")
    if pause:  # the search for all but the last key is shown; the user reads, then types
        await pilot.press(*query[:-1])
        await pilot.pause(SEARCH_DELAY * 3)
    else:
        for char in query[:-1]:
            await pilot.press(char)
            await asyncio.sleep(0.03)
    started = time.perf_counter()
    await pilot.press(query[-1])
    while f"for {query!r}" not in screen.status_text().plain:
        await pilot.pause(0.002)
    seconds = time.perf_counter() - started
    await pilot.press("escape")
    await pilot.pause(SEARCH_DELAY * 2)
    await pilot.press("escape")
    await pilot.pause()
    return seconds


def core_search(index: Any, runs: int) -> Timings:
    """:func:`tui.core.search.search` timings: FTS only, and a typo (FTS + fuzzy titles)."""
    from tui.core.search import search

    def clock(query: str, fuzzy: bool) -> float:
        started = time.perf_counter()
        search(index, query, limit=200, fuzzy=fuzzy)
        return time.perf_counter() - started

    out: Timings = {"fuzzy typo (first, loads titles)": clock(TYPO_QUERY, True)}
    for query in FTS_QUERIES:
        out[f"fts {query!r}"] = _median([clock(query, False) for _ in range(runs)])
    out["fuzzy typo"] = _median([clock(TYPO_QUERY, True) for _ in range(runs)])
    out["typed words (fts + fuzzy)"] = _median([clock("earthquake lisbon", True)
                                                 for _ in range(runs)])
    out["hits"] = {q: len(search(index, q, limit=200)) for q in (*FTS_QUERIES, TYPO_QUERY)}
    return out


def core_open(index: Any, runs: int) -> Timings:
    """The core work behind the two screens: annotations, alignment and figure conflicts."""
    from tui.core.annotations import annotate_article
    from tui.core.compare_pair import compare

    a, b = index.get(LONG_A), index.get(LONG_B)
    out: Timings = {"words": [a.words, b.words]}

    def clock(work: Callable[[], Any]) -> float:
        started = time.perf_counter()
        work()
        return time.perf_counter() - started

    out["annotate_article"] = _median([clock(lambda: annotate_article(index, a))
                                       for _ in range(runs)])
    out["compare (align + conflicts)"] = _median([clock(lambda: compare(index, a, b, {}))
                                                  for _ in range(runs)])
    return out


async def open_screen(pilot: Pilot, make: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU seconds to push the screen ``make()`` builds until it is mounted,
    its messages handled and the screen painted."""
    async def push() -> None:
        await pilot.app.push_screen(make())
        await settle(pilot)

    return await timed(push)


async def screens(pilot: Pilot, runs: int) -> Timings:
    """Opening the reader and the comparison of the 2,000-word pair, and keys in them."""
    from tui.app.screens.compare import CompareScreen
    from tui.app.screens.reader import ReaderScreen

    app = pilot.app
    out: Timings = {}
    for name, make in (("reader", lambda: ReaderScreen(app.index, LONG_A)),
                       ("compare", lambda: CompareScreen(app.index, LONG_A, LONG_B))):
        opens = []
        for _ in range(runs):
            opens.append(await open_screen(pilot, make))
            await pilot.press("escape")
            await pilot.pause(0.05)
        out[f"{name} open"] = _stats(opens)
    await open_screen(pilot, lambda: CompareScreen(app.index, LONG_A, LONG_B))
    out["compare rows"] = len(app.screen.comparison.alignment.rows)
    out["compare down"] = await press_times(pilot, "down", runs * 4, settle_for=0.02)
    out["compare pagedown"] = await press_times(pilot, "pagedown", runs * 2, settle_for=0.02)
    out["compare end"] = await press_times(pilot, "end", runs, reset="home", settle_for=0.02)
    out["compare next difference"] = await press_times(pilot, "right_square_bracket",
                                                       runs * 2, settle_for=0.02)
    await pilot.press("escape")
    await open_screen(pilot, lambda: ReaderScreen(app.index, LONG_A))
    out["reader pagedown"] = await press_times(pilot, "pagedown", runs * 2, settle_for=0.02)
    out["reader end"] = await press_times(pilot, "end", runs, reset="home", settle_for=0.02)
    await pilot.press("escape")
    await pilot.pause()
    return out


async def session(root: Path, cache: Path, runs: int) -> Timings:
    """One app session: list keys, searches typed in the app, screens."""
    from tui.app.app import build_app

    app = build_app(root, None, cache, cache, refresh=False)
    out: Timings = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        out["list"] = await list_keys(pilot, runs)
        out["app search (fts)"] = _median([await app_search(pilot, "earthquake lisbon")
                                           for _ in range(runs)])
        out["app search (typo)"] = _median([await app_search(pilot, TYPO_QUERY)
                                            for _ in range(runs)])
        out["app search (typing)"] = _median([await app_search(pilot, q, pause=False)
                                              for q in ("earthquake lisbon", TYPO_QUERY,
                                                        "red cross")])
        out["screens"] = await screens(pilot, runs)
    out["core search"] = core_search(app.index, runs)
    out["core open"] = core_open(app.index, runs)
    app.index.close()
    return out


async def bench(root: Path, cache: Path, articles: int, runs: int) -> Timings:
    """All headless figures for one library."""
    started = time.perf_counter()
    import tui.app.app  # noqa: F401  (the import is part of a real start)

    out: Timings = {"import": time.perf_counter() - started}
    starts = []
    for _ in range(runs):
        seconds, rss = await warm_start(root, cache, articles)
        starts.append(seconds)
        out.setdefault("rss_after_first_paint_mb", rss)
    out["warm start"] = _median(starts)
    out.update(await session(root, cache, runs))
    out["rss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from tui.app.screens.library import SEARCH_DELAY

    out["search_delay"] = SEARCH_DELAY
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    result = asyncio.run(bench(args.library, args.cache, args.articles, args.runs))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
