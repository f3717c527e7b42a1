"""Benchmark duplicate detection and story clustering at library scale.

For each N it times, through :func:`tui.core.pipeline.update` (entity annotation switched
off unless ``--annotate``: it is measured elsewhere), in a fresh process each:

* cold: index a library of N synthetic articles from nothing (read + clean + fingerprint +
  cluster), with the time of each stage and the peak RSS;
* warm: re-open the index and update it when nothing changed;
* add 100: copy 100 new articles into the library and update.

    python scripts/bench_stories.py 1000 10000 [100000] [--runs 3] [--work /tmp/bench]

Libraries are generated once with ``scripts/synth.py`` under ``--work`` and reused.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SYNTH = ROOT / "scripts" / "synth.py"


def _library(work: Path, n: int, seed: int = 7) -> Path:
    """The synthetic library of ``n`` articles (generated on first use)."""
    path = work / f"lib{n}-s{seed}"
    if not (path / ".complete").exists():
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run([sys.executable, str(SYNTH), str(path), "--count", str(n),
                        "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
        (path / ".complete").write_text("ok")
    return path


def _disable_annotation() -> None:
    """Replace the annotation stages of the pipeline with no-ops (not measured here)."""
    from tui.core import pipeline

    def nothing(*_args: Any, **_kwargs: Any) -> Any:
        return None

    pipeline.annotate_articles = nothing  # type: ignore[assignment]
    pipeline.missing_annotations = lambda _index: []  # type: ignore[assignment]
    pipeline.regroup_entities = nothing  # type: ignore[assignment]
    pipeline.compare_stories = nothing  # type: ignore[assignment]
    pipeline.stories_needing_comparison = lambda _index, _ids: set()  # type: ignore[assignment]
    pipeline._stale_stories = lambda _index: set()  # type: ignore[attr-defined]


def _phase(root: Path, cache: Path, annotate: bool) -> dict[str, Any]:
    """Run one pipeline update in this process; time it, its stages and peak RSS."""
    sys.path.insert(0, str(ROOT))
    from tui.core import pipeline
    from tui.core.config import Config
    from tui.core.store import Index

    if not annotate:
        _disable_annotation()
    stages: dict[str, list[float]] = {}

    def progress(stage: str, _done: int, _total: int) -> None:
        now = time.perf_counter()
        stages.setdefault(stage, [now, now])[1] = now

    start = time.perf_counter()
    index = Index(root, cache)
    opened = time.perf_counter()
    pipeline.update(index, Config(), progress)
    end = time.perf_counter()
    stories = index.db.execute("SELECT count(*) FROM stories").fetchone()[0]
    index.close()
    # A stage's time runs from its first progress call to the next stage's first call.
    marks = sorted((v[0], k) for k, v in stages.items())
    times = {k: (marks[i + 1][0] if i + 1 < len(marks) else end) - t
             for i, (t, k) in enumerate(marks)}
    return {"total": end - start, "open": opened - start, "stages": times,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "stories": stories}


def _run_phase(root: Path, cache: Path, annotate: bool) -> dict[str, Any]:
    """Run :func:`_phase` in a fresh interpreter (so RSS and caches start from zero)."""
    cmd = [sys.executable, __file__, "--phase", str(root), str(cache)]
    if annotate:
        cmd.append("--annotate")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _add_files(work: Path, root: Path, run: int) -> None:
    """Copy 100 articles of a differently seeded library into ``root``."""
    extra = _library(work, 1000, seed=99)
    files = sorted(p for p in extra.rglob("*") if p.suffix in (".txt", ".md"))
    dest = root / f"added{run}"
    dest.mkdir()
    for p in files[run * 100 : (run + 1) * 100]:
        shutil.copy(p, dest / p.name)


def bench(n: int, work: Path, runs: int, annotate: bool) -> dict[str, Any]:
    """Cold, warm and add-100 figures for a library of ``n`` articles."""
    base = _library(work, n)
    root = work / f"run{n}"
    cache = work / f"cache{n}"
    colds: list[dict[str, Any]] = []
    for _ in range(runs):
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(base, root, symlinks=True)
        colds.append(_run_phase(root, cache, annotate))
    warms = [_run_phase(root, cache, annotate) for _ in range(max(runs, 3))]
    adds = []
    for run in range(runs):
        _add_files(work, root, run)
        adds.append(_run_phase(root, cache, annotate))
    cold = sorted(colds, key=lambda r: r["total"])[len(colds) // 2]
    return {
        "n": n, "cold": cold["total"], "stages": cold["stages"], "rss_mb": cold["rss_mb"],
        "stories": cold["stories"],
        "warm": statistics.median(r["total"] for r in warms),
        "add100": statistics.median(r["total"] for r in adds),
        "add_rss_mb": max(r["rss_mb"] for r in adds),
    }


def _table(rows: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table."""
    head = ("| N | cold s | art/s | read s | fingerprint s | cluster s | peak RSS MB | "
            "warm s | add 100 s | stories |")
    lines = [head, "|---" * 10 + "|"]
    for r in rows:
        st = r["stages"]
        lines.append(
            f"| {r['n']:,} | {r['cold']:.1f} | {r['n'] / r['cold']:,.0f} | "
            f"{st.get('Reading files', 0):.1f} | {st.get('Fingerprinting', 0):.1f} | "
            f"{st.get('Grouping stories', 0):.1f} | {r['rss_mb']:.0f} | {r['warm']:.2f} | "
            f"{r['add100']:.2f} | {r['stories']:,} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=1, help="cold/add runs (median shown)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/crosscheck-bench"))
    parser.add_argument("--annotate", action="store_true", help="keep entity annotation on")
    parser.add_argument("--phase", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(_phase(args.phase[0], args.phase[1], args.annotate)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.sizes:
        rows.append(bench(n, args.work, args.runs, args.annotate))
        print(json.dumps(rows[-1]), file=sys.stderr)
    print(_table(rows))


if __name__ == "__main__":
    main()
