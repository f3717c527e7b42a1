"""The report around the size sections: header, what misses and why, profiles, merging.

Sections sit between ``<!-- bench:KEY -->`` markers, so :func:`merge` replaces the ones
measured again and keeps the others (a hand-written ``<!-- bench:notes -->`` section
survives every run).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bench_report import Row, misses, section_order, size_section


def profiles(work: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Saved profiles by (scenario, section key)."""
    found = {}
    for path in work.glob("profile-*.json"):
        data = json.loads(path.read_text())
        found[(data["scenario"], data["key"])] = data
    return found


def _size(key: str) -> str:
    return "all sizes" if key == "core" else f"{int(key):,}"


def misses_section(results: dict[str, dict[str, Any]], work: Path) -> str:
    """What misses its target at which sizes, the evidence in the data (from the largest
    size that misses), and the top hotspots of its profile."""
    found = profiles(work)
    out = ["## What misses and why", "",
           "Built from the figures below (and from `--profile` runs, when there are any). "
           "Other work was running on the same 2 cores: see each part's load.", ""]
    grouped: dict[str, list[tuple[str, Row]]] = {}
    for key, row in misses(results):
        grouped.setdefault(row.label, []).append((key, row))
    if not grouped:
        out.append("Every figure meets its target.")
    shown: set[str] = set()
    for label, rows in grouped.items():
        key, row = rows[-1]
        by_size: dict[str, list[str]] = {}
        for k, r in rows:
            by_size.setdefault(k, []).append(r.value)
        values = " · ".join(f"{_size(k)}: {', '.join(v)}" for k, v in by_size.items())
        out.append(f"- **{label}** (target {row.target}) — {values}. "
                   f"{row.why}".rstrip())
        profile = found.get((row.scenario or "", key)) or next(
            (v for (scenario, _k), v in found.items() if scenario == row.scenario), None)
        if profile and row.scenario not in shown:
            shown.add(row.scenario or "")
            top = "; ".join(f"`{name}` {share:.0%}" for share, _t, name
                            in [i for i in profile["inclusive"] if i[0] < 0.97][:4])
            out.append(f"  Profile `{row.scenario}` on {profile['size']:,} (inclusive "
                       f"time): {top}.")
    return "\n".join(out)


def profiles_section(results: dict[str, dict[str, Any]], work: Path) -> str | None:
    """The hotspots of every saved profile whose scenario still misses a target."""
    missing = {row.scenario for _key, row in misses(results)}
    found = {k: v for k, v in profiles(work).items() if k[0] in missing}
    if not found:
        return None
    out = ["## Profiles of the misses", "",
           "`python scripts/bench_profile.py SCENARIO LIBRARY CACHE` (pyinstrument, 1 ms "
           "interval; pools off in `cold`). Self time: all code; inclusive: project code.", ""]
    for (scenario, _key), data in sorted(found.items(), key=lambda kv: section_order(kv[0][1])):
        out += [f"### `{scenario}` on {data['size']:,} articles ({data['when']}, code "
                f"{data['code']}, load {data['load'][0]:.2f}; profiled {data['total']:.2f} s)",
                "",
                "| self | s | function | | inclusive | s | function |",
                "|---|---|---|---|---|---|---|"]
        for own, inc in zip(data["self"][:10], data["inclusive"][:10], strict=False):
            out.append(f"| {own[0]:.1%} | {own[1]:.3f} | `{own[2]}` | | {inc[0]:.1%} | "
                       f"{inc[1]:.3f} | `{inc[2]}` |")
        out.append("")
    return "\n".join(out).rstrip()


HEAD = """# Benchmarks

Written by `make bench` (`scripts/bench.py`): sizes 1,000 and 10,000 (6 minutes on this
machine when idle, 10 under a load of 3); `make bench BENCH_ARGS=--full` adds 100,000
(about 20 more minutes, most of it the cold index). Every figure is the median of N
runs (N is stated), each part in fresh processes; timings are wall clock, with the CPU time
of the process where it helps to tell slowness from waiting for a core.

Reproduce:

```sh
make bench                                        # 1k + 10k + library-independent figures
make bench BENCH_ARGS=--full                      # also 100k
make bench BENCH_ARGS="100000 --parts cold app"   # some parts of one size (others kept)
make bench BENCH_ARGS="--report-only --profile"  # profile every miss into this file
python scripts/bench_profile.py SCENARIO LIBRARY CACHE   # one profile by hand
```

Libraries (`scripts/synth.py`, seed 7: a few hundred words per article, mixed formats,
about one in five articles in a story with copies or rewrites), indexes and raw results
(`results-*.json`) live in `/tmp/crosscheck-bench-suite` (`--work`). Keys are timed by
delivering the key event and waiting until every queued message is handled and the screen
painted (no idle sleeps); `pilot` figures in the JSON use `pilot.press` + `pilot.pause`."""


def sections(results: dict[str, dict[str, Any]], work: Path) -> dict[str, str]:
    """Every section to write, by key."""
    out = {"head": HEAD, "misses": misses_section(results, work)}
    out.update({key: size_section(key, results[key]) for key in results})
    found = profiles_section(results, work)
    if found:
        out["profiles"] = found
    return out


def _rank(key: str) -> tuple[int, int]:
    ranks = {"head": 0, "misses": 1, "core": 3, "profiles": 9}
    return (5, int(key)) if key.isdigit() else (ranks.get(key, 2), 0)


def merge(existing: str, new: dict[str, str]) -> str:
    """The report: sections of ``existing`` replaced by ``new`` (others kept), in order."""
    kept = {m.group(1): m.group(2).strip("\n") for m in
            re.finditer(r"<!-- bench:(\w+) -->\n?(.*?)<!-- /bench:\1 -->", existing, re.S)}
    kept.update(new)
    return "\n\n".join(f"<!-- bench:{key} -->\n{body}\n<!-- /bench:{key} -->"
                       for key, body in sorted(kept.items(), key=lambda kv: _rank(kv[0]))) + "\n"
