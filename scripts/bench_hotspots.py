"""Profile every figure that misses its target (``scripts/bench.py --profile``).

For each missed row with a profiling scenario, runs ``scripts/bench_profile.py`` once per
scenario, on the largest size where it misses, in a child process, and saves the hotspots
as ``profile-SCENARIO-KEY.json`` in the work dir, where :mod:`bench_summary` finds them.
The cold index is profiled on the largest library of at most 10,000 articles (pools off,
so it is slow); ``annotate`` needs no library.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import bench_index
import bench_report
from bench_proc import ROOT, load

COLD_MAX = 10000
"""The cold-index profile runs without pools; larger libraries take too long for it."""


def targets(results: dict[str, dict[str, Any]]) -> dict[tuple[str, str], int]:
    """(scenario, section key) -> the library size to profile it on: each scenario once,
    on the largest size where one of its figures misses."""
    sizes = sorted(int(k) for k in results if k.isdigit()) or [1000]
    chosen: dict[str, str] = {}
    for key, row in bench_report.misses(results):
        if row.scenario is None:
            continue
        if key == "core":  # the annotate scenario only needs the work dir's JSONL input
            key = str(sizes[0])
        elif row.scenario == "cold":
            key = str(max([s for s in sizes if s <= COLD_MAX] or [sizes[0]]))
        if row.scenario not in chosen or int(key) > int(chosen[row.scenario]):
            chosen[row.scenario] = key
    return {(scenario, key): int(key) for scenario, key in chosen.items()}


def profile_misses(results: dict[str, dict[str, Any]], work: Path) -> None:
    """Profile each missed scenario once; save the hotspots next to the results."""
    for (scenario, key), n in targets(results).items():
        root, cache = bench_index.library(work, n), bench_index.warm_cache(work, n)
        out = work / f"profile-{scenario}-{key}.json"
        at_start = load()
        print(f"-- profile {scenario} on {n:,}: load {at_start} --", file=sys.stderr)
        done = subprocess.run([sys.executable, "scripts/bench_profile.py", scenario,
                               str(root), str(cache), "--repeat", "3", "--json", str(out)],
                              cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            print(f"profile {scenario} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        data = json.loads(out.read_text())
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()
        data.update(key=key, size=n, load=at_start, code=commit,
                    when=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
        out.write_text(json.dumps(data))
