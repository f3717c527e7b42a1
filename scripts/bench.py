"""The benchmark suite: index, app, real terminal against newsboat, CLI throughput.

For each library size (synthetic, deterministic; ``scripts/synth.py``), each part in
fresh processes:

* ``cold``: cold index (``scripts/bench_index.py``): total, per stage, art/s, peak RSS;
* ``update``: warm re-open (nothing changed), and adding 100 new articles and updating;
* ``app``: the headless app (``scripts/bench_app.py``): warm start to first paint, key
  latency in the lists and the comparison, search (FTS and fuzzy titles), opening the
  reader and the comparison of two ~2,000-word reports, peak RSS;
* ``tmux``: a real terminal (``scripts/bench_tmux.py``): the installed ``crosscheck``
  against newsboat on the same articles, in the same tmux harness;

and once per run, whatever the sizes (``core``, ``scripts/bench_core.py``):
``crosscheck annotate --jsonl-in`` on ~20 MiB of JSONL (MB/s), and aligning two
~10,000-word reports.

    python scripts/bench.py [SIZES…] [--full] [--runs 3] [--parts …] [--profile]
                            [--work DIR] [--out BENCHMARKS.md]

Sizes default to 1,000 and 10,000; ``--full`` adds 100,000. Libraries, indexes and
results (``results-N.json``, ``results-core.json``) are kept under ``--work``; ``--reuse``
keeps the figures of parts an earlier run finished there. The report is rebuilt from
every result file in ``--work`` (sections of sizes not found there are kept as they are).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_core  # noqa: E402
import bench_index  # noqa: E402
import bench_summary  # noqa: E402
import bench_tmux  # noqa: E402
from bench_proc import ROOT, load, machine, run_child  # noqa: E402

SIZE_PARTS = ("cold", "update", "app", "tmux")
PARTS = (*SIZE_PARTS, "core")
Result = dict[str, Any]


def _load(path: Path) -> Result:
    """Saved results (empty when there are none)."""
    return json.loads(path.read_text()) if path.exists() else {}


def code_version() -> dict[str, Any]:
    """The commit measured, and the tracked files the working tree had changed."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    changed = [line[3:] for line in git("status", "--short", "--untracked-files=no")
               .splitlines()]
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "subject": git("log", "-1", "--format=%s")[:100], "changed": changed}


def run_part(result: Result, name: str, saved: Path, work: Callable[[], Any]) -> None:
    """Run one part unless ``result`` has it; note when, the load at its start, the code
    and the machine; save."""
    if name in result:
        return
    started, at_start = time.perf_counter(), load()
    print(f"-- {saved.stem} {name}: load {at_start} --", file=sys.stderr)
    meta = {"load": at_start, "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "code": code_version(), "machine": machine()}
    result[name] = work()
    result.setdefault("meta", {})[name] = {**meta, "wall": time.perf_counter() - started}
    saved.write_text(json.dumps(result, indent=1))


def _results(saved: Path, parts: list[str], reuse: bool) -> Result:
    """The saved results, less the parts to measure again (all of ``parts`` unless
    ``reuse``)."""
    result = _load(saved)
    if not reuse:
        for part in parts:
            result.pop(part, None)
    return result


def bench_size(n: int, args: argparse.Namespace) -> Result:
    """Every figure for the library of ``n`` articles (saved after each part)."""
    work: Path = args.work
    saved = work / f"results-{n}.json"
    result = _results(saved, args.parts, args.reuse)
    root = bench_index.library(work, n)
    count = n + 2  # the library plus the 2,000-word pair
    parts = set(args.parts)
    if "cold" in parts:
        runs = args.runs if n <= args.max_cold_runs_size else 1

        def cold() -> Any:
            out = bench_index.cold_index(work, n, runs)
            bench_index.mark_complete(work, n)
            return out

        run_part(result, "cold", saved, cold)
    if "update" in parts:
        run_part(result, "update", saved, lambda: {
            "warm": bench_index.warm_reopen(work, n, args.runs),
            "add100": bench_index.add_hundred(work, n, args.runs)})
    cache = bench_index.warm_cache(work, n)
    if "app" in parts:
        run_part(result, "app", saved, lambda: _app(root, cache, count, args.runs))
    if "tmux" in parts:
        from tui.core.store import library_dir

        db = library_dir(root, cache) / "index.sqlite"
        run_part(result, "tmux", saved, lambda: bench_tmux.side_by_side(
            root, cache, db, count, work, args.runs))
    return result


def _app(root: Path, cache: Path, count: int, runs: int) -> Result:
    """The headless app benchmark in a child process, with its peak memory."""
    child = run_child(["scripts/bench_app.py", str(root), str(cache), "--articles",
                       str(count), "--runs", str(runs)])
    print(f"app {count:,}: warm start {child.data['warm start']['median']:.2f} s, "
          f"peak {child.rss_mb:.0f} MB", file=sys.stderr)
    return {**child.data, "rss_mb": child.rss_mb, "tree_mb": child.tree_mb}


def bench_common(args: argparse.Namespace) -> Result:
    """The figures that do not depend on a library size."""
    saved = args.work / "results-core.json"
    result = _results(saved, ["annotate", "align"], args.reuse)
    run_part(result, "annotate", saved,
             lambda: bench_core.annotate_throughput(args.work, args.mb, args.runs))
    run_part(result, "align", saved, lambda: bench_core.align_long(10000, args.runs))
    return result


def saved_results(work: Path) -> dict[str, Result]:
    """Every result file in ``work``, by section key (``"1000"``, ``"core"``)."""
    found = {}
    for path in work.glob("results-*.json"):
        key = path.stem.removeprefix("results-")
        if key == "core" or key.isdigit():
            found[key] = _load(path)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--full", action="store_true", help="add the 100,000 library")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median shown)")
    parser.add_argument("--max-cold-runs-size", type=int, default=1000,
                        help="larger libraries are cold-indexed once")
    parser.add_argument("--mb", type=float, default=20.0, help="MiB of JSONL for annotate")
    parser.add_argument("--work", type=Path, default=Path("/tmp/crosscheck-bench-suite"))
    parser.add_argument("--out", type=Path, help="write the Markdown report here")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse figures saved in --work by an earlier run")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--profile", action="store_true",
                        help="profile every missed target (pyinstrument) into the report")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rebuild the report from --work")
    args = parser.parse_args()
    if args.report_only:
        args.parts = []
    sizes = sorted(set(args.sizes + ([100000] if args.full else [])))
    args.work.mkdir(parents=True, exist_ok=True)
    print(machine(), file=sys.stderr)
    for n in sizes if set(args.parts) & set(SIZE_PARTS) else ():
        bench_size(n, args)
    if "core" in args.parts:
        bench_common(args)
    results = saved_results(args.work)
    if args.profile:
        import bench_hotspots

        bench_hotspots.profile_misses(results, args.work)
    sections = bench_summary.sections(results, args.work)
    print(sections.get("misses", ""))
    if args.out:
        existing = args.out.read_text() if args.out.exists() else ""
        args.out.write_text(bench_summary.merge(existing, sections))
        print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
