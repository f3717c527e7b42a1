"""Profile a benchmark scenario with pyinstrument and list the hotspots.

Needs ``pyinstrument`` in the venv (``.venv/bin/pip install pyinstrument``; it is not a
project dependency). Scenarios, on a library and cache made by ``scripts/bench.py``:

* ``cold``: a cold index of LIBRARY into a fresh cache, in this one process (the
  annotation and fingerprint pools switched off, so every stage is visible);
* ``warm-reopen``: open the index of LIBRARY in CACHE and update it, nothing changed;
* ``add-100``: 100 new articles added to LIBRARY and the update (on a copy of CACHE;
  the files are removed afterwards);
* ``annotate``: what ``crosscheck annotate --jsonl-in`` does per line (parse, annotate,
  write), on the first ``--mb`` MiB of the JSONL input of ``scripts/bench_core.py``;
* ``warm-start``: ``build_app`` to the first paint of the library, headless;
* ``search``: :func:`tui.core.search.search` for the benchmark's queries (FTS, then a
  typo that only the fuzzy title match finds);
* ``compare-core``: :func:`tui.core.compare_pair.compare` of the 2,000-word pair;
* ``reader-open`` / ``compare-open``: pushing the screens in the headless app;
* ``list-keys``: ``down``, ``pagedown`` and ``end`` in the story list.

    python scripts/bench_profile.py SCENARIO LIBRARY CACHE [--repeat 5] [--html out.html]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_core  # noqa: E402
import bench_index  # noqa: E402
from bench_app import (  # noqa: E402
    FTS_QUERIES,
    LONG_A,
    LONG_B,
    SIZE,
    TYPO_QUERY,
    send_key,
    settle,
)

SCENARIOS = ("cold", "warm-reopen", "add-100", "annotate", "warm-start", "search",
             "compare-core", "reader-open", "compare-open", "list-keys")
MB = 2.0
"""MiB of JSONL the ``annotate`` scenario reads (``--mb``)."""
PROFILER: Any = None
"""The pyinstrument profiler; scenarios start it around the part they measure only."""


def hotspot_data(frame: Any, total: float, top: int = 15) -> dict[str, Any]:
    """The functions with the most self time, and the project functions with the most
    inclusive time: ``[share, seconds, "function (file:line)"]`` each."""
    own: dict[str, float] = defaultdict(float)
    inclusive: dict[str, float] = defaultdict(float)

    def walk(node: Any, stack: frozenset[str]) -> None:
        if node.is_synthetic:  # "[self]" and await leaves: counted in the parent's self time
            return
        name = f"{node.function} ({node.file_path_short}:{node.line_no})"
        own[name] += node.total_self_time
        if name not in stack:
            inclusive[name] += node.time
        for child in node.children:
            walk(child, stack | {name})

    walk(frame, frozenset())
    ours = [(n, t) for n, t in inclusive.items() if "tui/" in n and "<module>" not in n]

    def best(items: list[tuple[str, float]]) -> list[list[Any]]:
        ranked = sorted(items, key=lambda kv: -kv[1])[:top]
        return [[t / total if total else 0.0, t, n] for n, t in ranked]

    return {"total": total, "self": best(list(own.items())), "inclusive": best(ours)}


def hotspots(frame: Any, total: float, top: int = 15) -> list[str]:
    """:func:`hotspot_data` as lines of text."""
    data = hotspot_data(frame, total, top)
    lines = [f"total {total:.2f} s", "", "self time:"]
    lines += [f"  {share:6.1%}  {t:7.3f} s  {name}" for share, t, name in data["self"]]
    lines += ["", "inclusive (project code only):"]
    lines += [f"  {share:6.1%}  {t:7.3f} s  {name}" for share, t, name in data["inclusive"]]
    return lines


def cold(library: Path, _cache: Path, _repeat: int) -> None:
    """A cold index in this process, pools off."""
    from tui.core import annotations, pipeline, stories
    from tui.core.config import Config
    from tui.core.store import Index

    annotations.PARALLEL_ABOVE = 10**9
    stories.PARALLEL_MIN = 10**9
    with tempfile.TemporaryDirectory() as tmp:
        index = Index(library, Path(tmp), Path(tmp))
        PROFILER.start()
        pipeline.update(index, Config())
        PROFILER.stop()
        index.close()
        shutil.rmtree(tmp, ignore_errors=True)


def warm_reopen(library: Path, cache: Path, repeat: int) -> None:
    """Open the index and update it when no file changed, ``repeat`` times."""
    from tui.core import pipeline
    from tui.core.config import Config
    from tui.core.store import Index

    PROFILER.start()
    for _ in range(repeat):
        index = Index(library, cache, cache)
        pipeline.update(index, Config())
        index.close()
    PROFILER.stop()


def add_100(library: Path, cache: Path, _repeat: int) -> None:
    """Copy 100 new articles into the library; profile the update of a copy of the index."""
    from tui.core import pipeline
    from tui.core.config import Config
    from tui.core.store import Index

    folder = library / f"{bench_index.ADDED}profile"
    with tempfile.TemporaryDirectory(dir=cache.parent) as tmp:
        scratch = Path(tmp) / "cache"
        shutil.copytree(cache, scratch)
        # Flush the copy now: else the first checkpoint's fsync writes the whole file.
        os.sync()
        folder.mkdir()
        try:
            for path in bench_index._new_articles(cache.parent, 100):
                shutil.copy(path, folder / path.name)
            PROFILER.start()
            index = Index(library, scratch, scratch)
            pipeline.update(index, Config())
            PROFILER.stop()
            index.close()
        finally:
            shutil.rmtree(folder)


def annotate(_library: Path, cache: Path, _repeat: int) -> None:
    """Per line of ``annotate --jsonl-in``: parse, annotate, write JSON, in this process.

    The command spreads lines over a process pool, which a profiler of this process does
    not see; this is the work each worker does. Input: the first ``--mb`` MiB of the JSONL
    of ``scripts/bench_core.py`` (under CACHE's parent folder, the benchmarks' work dir).
    """
    from tui.core.annotations import annotate_text

    source, _info = bench_core.annotate_input(cache.parent, 20)
    with source.open(encoding="utf-8") as f:
        head = f.read(int(MB * 2**20))
    lines = head[:head.rfind("\n") + 1].splitlines()
    annotate_text("Warm up.", None)  # the recognisers load once per process
    PROFILER.start()
    for line in lines:
        item = json.loads(line)
        entities, figures = annotate_text(item["text"], item.get("date"))
        spans = [*entities, *(f.to_span() for f in figures)]
        json.dumps({"id": item["id"], "spans": [s.to_json() for s in spans]})
    PROFILER.stop()


def warm_start(library: Path, cache: Path, repeat: int) -> None:
    """``build_app`` to the library's first paint, ``repeat`` times (imports included once)."""
    from bench_app import warm_start as start

    PROFILER.start()
    for _ in range(repeat):
        asyncio.run(start(library, cache, _articles(library, cache)))
    PROFILER.stop()


def _articles(library: Path, cache: Path) -> int:
    """The number of articles in the index (the figure the status line shows)."""
    from tui.core.store import Index

    index = Index(library, cache, cache)
    count = index.count()
    index.close()
    return count


def search(library: Path, cache: Path, repeat: int) -> None:
    """The benchmark's searches (as in ``scripts/bench_app.py``), ``repeat`` times each."""
    from tui.core.search import search as find
    from tui.core.store import Index

    index = Index(library, cache, cache)
    PROFILER.start()
    for _ in range(repeat):
        for query in FTS_QUERIES:
            find(index, query, limit=200, fuzzy=False)
        find(index, TYPO_QUERY, limit=200, fuzzy=True)
    PROFILER.stop()
    index.close()


def compare_core(library: Path, cache: Path, repeat: int) -> None:
    """The comparison's core work, ``repeat`` times."""
    from tui.core.compare_pair import compare
    from tui.core.store import Index

    index = Index(library, cache, cache)
    a, b = index.get(LONG_A), index.get(LONG_B)
    if a is None or b is None:
        raise SystemExit(f"{library}: no {LONG_A} / {LONG_B} (made by scripts/bench.py)")
    compare(index, a, b, {})  # warm-up: imports, compiled patterns
    PROFILER.start()
    for _ in range(repeat):
        compare(index, a, b, {})
    PROFILER.stop()
    index.close()


def in_app(action: Callable[[Any, bool], Any]) -> Callable[[Path, Path, int], None]:
    """A scenario running ``action(pilot, profile)`` ``repeat`` times in the headless app,
    after one unprofiled run (imports, caches); the action starts and stops the profiler
    around what it measures (the samples add up in one session)."""

    def run(library: Path, cache: Path, repeat: int) -> None:
        from tui.app.app import build_app

        async def go() -> None:
            app = build_app(library, None, cache, cache, refresh=False)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                await action(pilot, False)
                for _ in range(repeat):
                    await action(pilot, True)
            app.index.close()

        asyncio.run(go())

    return run


async def _open(pilot: Any, screen: Any, profile: bool) -> None:
    """Push ``screen`` until painted (profiled), then go back (not profiled)."""
    if profile:
        PROFILER.start()
    await pilot.app.push_screen(screen)
    await settle(pilot)
    if profile:
        PROFILER.stop()
    await pilot.press("escape")
    await pilot.pause(0.05)


async def _reader(pilot: Any, profile: bool) -> None:
    from tui.app.screens.reader import ReaderScreen

    await _open(pilot, ReaderScreen(pilot.app.index, LONG_A), profile)


async def _compare(pilot: Any, profile: bool) -> None:
    from tui.app.screens.compare import CompareScreen

    await _open(pilot, CompareScreen(pilot.app.index, LONG_A, LONG_B), profile)


async def _keys(pilot: Any, profile: bool) -> None:
    if profile:
        PROFILER.start()
    for key in ("down", "down", "pagedown", "end", "home"):
        await send_key(pilot, key)
    if profile:
        PROFILER.stop()


RUNNERS: dict[str, Callable[[Path, Path, int], None]] = {
    "cold": cold, "warm-reopen": warm_reopen, "add-100": add_100, "annotate": annotate,
    "warm-start": warm_start, "search": search, "compare-core": compare_core,
    "reader-open": in_app(_reader), "compare-open": in_app(_compare), "list-keys": in_app(_keys)}


def main() -> None:
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=SCENARIOS)
    parser.add_argument("library", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--html", type=Path)
    parser.add_argument("--json", type=Path, help="also write the hotspots here as JSON")
    parser.add_argument("--mb", type=float, default=2.0, help="input of the annotate scenario")
    args = parser.parse_args()
    global PROFILER, MB
    MB = args.mb
    PROFILER = Profiler(interval=0.001, async_mode="disabled")
    RUNNERS[args.scenario](args.library, args.cache, args.repeat)
    session = PROFILER.last_session
    print("\n".join(hotspots(session.root_frame(), session.duration)))
    if args.html:
        args.html.write_text(PROFILER.output_html())
    if args.json:
        data = hotspot_data(session.root_frame(), session.duration)
        args.json.write_text(json.dumps({**data, "scenario": args.scenario,
                                         "library": str(args.library)}))


if __name__ == "__main__":
    main()
