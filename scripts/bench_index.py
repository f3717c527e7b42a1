"""Index benchmarks, each update in a fresh process: cold, warm re-open, add 100.

The whole of :func:`tui.core.pipeline.update` runs (read + clean, annotate entities and
figures, fingerprint, cluster, regroup names, compare figures), as a user gets it
(annotation on); each stage function of the pipeline is wrapped with a timer, so the
per-stage times add up to the total.

* cold: a synthetic library indexed from nothing;
* warm re-open: the index opened again and brought up to date when nothing changed;
* add 100: 100 new articles (``.txt``/``.md`` files of a library generated with another
  seed) copied into the library, then the update; repeated on the same index, so run k
  adds to a library of N + 100·(k-1). It works on a copy of the warm index, and the added
  files are removed afterwards, so the other benchmarks see the library unchanged.

    python scripts/bench_index.py --phase LIBRARY CACHE    # one update; JSON on stdout
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth  # noqa: E402
from bench_proc import run_child  # noqa: E402

STAGES = {
    "refresh": "read + clean",
    "annotate_articles": "annotate",
    "store_features": "fingerprint",
    "recluster": "cluster",
    "regroup_entities": "regroup names",
    "compare_stories": "compare figures",
}
"""Pipeline stage functions timed (module attribute -> label); the rest is ``other``."""


ADDED = "bench-added-"
"""Prefix of the folders the add-100 benchmark puts into a library (removed after)."""


def library(work: Path, n: int, seed: int = 7) -> Path:
    """The synthetic library of ``n`` articles plus the 2,000-word pair (made once)."""
    path = work / f"lib{n}-s{seed}-v{synth.VERSION}"
    for leftover in path.glob(f"{ADDED}*"):  # from an add-100 run that was killed
        shutil.rmtree(leftover)
    if not (path / ".complete").exists():
        shutil.rmtree(path, ignore_errors=True)
        started = time.perf_counter()
        synth.generate(path, n, seed)
        synth.write_long_pair(path, seed)
        (path / ".complete").write_text("ok")
        print(f"generated {n:,} articles in {time.perf_counter() - started:.0f} s: {path}",
              file=sys.stderr)
    return path


def _timed(name: str, fn: Callable[..., Any], times: dict[str, float],
           peaks: dict[str, float]) -> Callable[..., Any]:
    """``fn`` wrapped so its run time adds to ``times[name]``, and ``peaks[name]`` is this
    process's peak RSS (MiB) when it returns (the peak only grows: the stage that raises
    it is the one that needed the memory; worker pools are not counted)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            times[name] = times.get(name, 0.0) + time.perf_counter() - started
            peaks[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    return wrapper


def phase(root: Path, cache: Path) -> dict[str, Any]:
    """Index ``root`` into the empty ``cache`` in this process; time each stage."""
    from tui.core import pipeline
    from tui.core.config import Config
    from tui.core.store import Index

    times: dict[str, float] = {}
    peaks: dict[str, float] = {}
    for name in STAGES:
        if name != "refresh" and hasattr(pipeline, name):
            setattr(pipeline, name, _timed(STAGES[name], getattr(pipeline, name), times,
                                           peaks))
    Index.refresh = _timed(  # type: ignore[method-assign]
        STAGES["refresh"], Index.refresh, times, peaks)
    started = time.perf_counter()
    index = Index(root, cache, cache)
    opened = time.perf_counter() - started
    report = pipeline.update(index, Config())
    total = time.perf_counter() - started
    articles = index.count()
    stories = index.db.execute("SELECT count(*) FROM stories").fetchone()[0]
    multi = index.db.execute("SELECT count(*), coalesce(sum(n_articles), 0) FROM stories"
                             " WHERE n_articles > 1").fetchone()
    index.close()
    times["other"] = max(0.0, total - sum(times.values()))
    return {"total": total, "open": opened, "stages": times, "stage_rss_mb": peaks,
            "articles": articles,
            "stories": stories, "multi_stories": multi[0], "in_multi": multi[1],
            "changed": len(report.changed_ids), "removed": len(report.removed_ids)}


def cold_index(work: Path, n: int, runs: int) -> dict[str, Any]:
    """Median cold index of the ``n`` library over ``runs`` fresh processes.

    The cache of the last run is kept as ``work/cache{n}`` for the warm benchmarks.
    """
    root = library(work, n)
    results = []
    for run in range(runs):
        cache = work / f"cache{n}-cold"
        shutil.rmtree(cache, ignore_errors=True)
        child = run_child(["scripts/bench_index.py", "--phase", str(root), str(cache)])
        result = {**child.data, "rss_mb": child.rss_mb, "tree_mb": child.tree_mb}
        results.append(result)
        print(f"cold index {n:,} run {run + 1}/{runs}: {result['total']:.1f} s, "
              f"peak {child.rss_mb:.0f} MB (tree {child.tree_mb:.0f} MB)", file=sys.stderr)
    warm = work / f"cache{n}"
    shutil.rmtree(warm, ignore_errors=True)
    (work / f"cache{n}-cold").rename(warm)
    median = sorted(results, key=lambda r: r["total"])[len(results) // 2]
    return {**median, "runs": [r["total"] for r in results],
            "rss_mb": max(r["rss_mb"] for r in results),
            "tree_mb": max(r["tree_mb"] for r in results),
            "per_s": median["articles"] / median["total"],
            "spread": (min(r["total"] for r in results), max(r["total"] for r in results)),
            "median_total": statistics.median(r["total"] for r in results)}


def warm_cache(work: Path, n: int) -> Path:
    """The cache a cold run left for the ``n`` library (indexing once if there is none)."""
    cache = work / f"cache{n}"
    if not (cache / ".bench-complete").exists():
        cold_index(work, n, 1)
        (cache / ".bench-complete").write_text("ok")
    return cache


def mark_complete(work: Path, n: int) -> None:
    """Record that ``work/cache{n}`` holds a finished index."""
    (work / f"cache{n}" / ".bench-complete").write_text("ok")


def warm_reopen(work: Path, n: int, runs: int) -> dict[str, Any]:
    """Open the warm index of the ``n`` library and update it, nothing having changed."""
    root, cache = library(work, n), warm_cache(work, n)
    results = [run_child(["scripts/bench_index.py", "--phase", str(root), str(cache)])
               for _ in range(runs)]
    totals = [r.data["total"] for r in results]
    changed = sum(r.data["changed"] + r.data["removed"] for r in results)
    print(f"warm re-open {n:,}: {statistics.median(totals):.2f} s", file=sys.stderr)
    return {"median": statistics.median(totals), "runs": totals, "changed": changed,
            "open": statistics.median(r.data["open"] for r in results),
            "rss_mb": max(r.rss_mb for r in results)}


def _new_articles(work: Path, count: int) -> list[Path]:
    """``count`` article files (``.txt``/``.md``, one article each) of a seed-99 library."""
    extra = work / f"extra-s99-v{synth.VERSION}"
    needed = count * 2 + 100  # about 80% of the files hold one article
    if not (extra / f".complete-{needed}").exists():
        shutil.rmtree(extra, ignore_errors=True)
        synth.generate(extra, needed, seed=99)
        (extra / f".complete-{needed}").write_text("ok")
    files = sorted(p for p in extra.rglob("*") if p.suffix in (".txt", ".md"))
    return files[:count]


def add_hundred(work: Path, n: int, runs: int) -> dict[str, Any]:
    """Add 100 new articles to the ``n`` library and update, ``runs`` times in a row,
    on a copy of the warm index; the library is restored afterwards."""
    root, cache = library(work, n), warm_cache(work, n)
    scratch = work / f"cache{n}-add"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(cache, scratch)
    # Flush the copy now: else the first checkpoint's fsync writes the whole file.
    os.sync()
    new = _new_articles(work, 100 * runs)
    results: list[dict[str, Any]] = []
    try:
        for run in range(runs):
            folder = root / f"{ADDED}{run}"
            folder.mkdir()
            for path in new[run * 100:(run + 1) * 100]:
                shutil.copy(path, folder / path.name)
            child = run_child(["scripts/bench_index.py", "--phase", str(root), str(scratch)])
            results.append({**child.data, "rss_mb": child.rss_mb})
            print(f"add 100 to {n:,} run {run + 1}/{runs}: {child.data['total']:.2f} s "
                  f"({child.data['changed']} new)", file=sys.stderr)
    finally:
        for folder in root.glob(f"{ADDED}*"):
            shutil.rmtree(folder)
        shutil.rmtree(scratch, ignore_errors=True)
    median = sorted(results, key=lambda r: r["total"])[len(results) // 2]
    return {"median": statistics.median(r["total"] for r in results),
            "runs": [r["total"] for r in results],
            "stages": median["stages"], "added": [r["changed"] for r in results],
            "rss_mb": max(r["rss_mb"] for r in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phase", nargs=2, type=Path, required=True)
    args = parser.parse_args()
    print(json.dumps(phase(args.phase[0], args.phase[1])))


if __name__ == "__main__":
    main()
