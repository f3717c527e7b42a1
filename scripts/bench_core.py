"""Library-independent benchmarks: annotation throughput through the CLI, long alignments.

* ``crosscheck annotate --jsonl-in`` (the installed command, end to end: interpreter start,
  imports, reading stdin, writing the spans) on a JSONL file of about 20 MiB made from the
  synthetic library's articles (:func:`synth.write_jsonl`); MB/s of article text (target
  ≥ 2 MB/s, issue 4).
* :func:`tui.core.align.align` of two ~10,000-word reports (target < 1 s, issue 6), in a
  fresh process: the synthetic library's long report against its damaged copy
  (:func:`synth.long_pair`), and the aligner's own made-up-vocabulary pair
  (:mod:`tui.core.align_synth`, partly reordered).

    python scripts/bench_core.py [--mb 20] [--runs 3] [--work DIR]   # JSON on stdout
    python scripts/bench_core.py --align-phase WORDS RUNS             # (child process)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth  # noqa: E402
from bench_proc import ROOT, run_child, run_command  # noqa: E402

EXE = ROOT / ".venv" / "bin" / "crosscheck"
MB = 2**20


def annotate_input(work: Path, megabytes: float) -> tuple[Path, dict[str, int]]:
    """The JSONL input (written once per size under ``work``) and what it holds."""
    path = work / f"annotate-{megabytes:g}mb-s7-v{synth.VERSION}.jsonl"
    about = path.with_suffix(".json")
    if not about.exists():
        lines, text_bytes = synth.write_jsonl(path, megabytes)
        about.write_text(json.dumps({"lines": lines, "text_bytes": text_bytes,
                                     "file_bytes": path.stat().st_size}))
    info: dict[str, int] = json.loads(about.read_text())
    return path, info


def _check_output(out: Path, lines: int) -> int:
    """The number of spans written; raise if a line is missing or reports an error."""
    spans = written = 0
    with out.open(encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            if "error" in item:
                raise RuntimeError(f"annotate reported an error: {line[:200]}")
            spans += len(item["spans"])
            written += 1
    if written != lines:
        raise RuntimeError(f"annotate wrote {written} lines for {lines} input lines")
    return spans


def annotate_throughput(work: Path, megabytes: float, runs: int) -> dict[str, Any]:
    """Median end-to-end MB/s of ``crosscheck annotate --jsonl-in`` over ``runs`` runs."""
    source, info = annotate_input(work, megabytes)
    seconds: list[float] = []
    rss = 0.0
    spans = 0
    with tempfile.TemporaryDirectory(prefix="crosscheck-bench-") as tmp:
        config, out = Path(tmp) / "config.yaml", Path(tmp) / "out.jsonl"
        config.write_text("# benchmark: defaults only\n")
        for run in range(runs):
            done = run_command([str(EXE), "--config", str(config), "annotate", "--jsonl-in"],
                               source, out)
            if done.returncode:
                raise RuntimeError(f"crosscheck annotate failed:\n{done.stderr[-2000:]}")
            spans = _check_output(out, info["lines"])
            seconds.append(done.seconds)
            rss = max(rss, done.rss_mb)
            print(f"annotate --jsonl-in run {run + 1}/{runs}: {done.seconds:.1f} s, "
                  f"{info['text_bytes'] / MB / done.seconds:.2f} MB/s", file=sys.stderr)
    median = statistics.median(seconds)
    return {"median": median, "runs": seconds, "text_mb": info["text_bytes"] / MB,
            "file_mb": info["file_bytes"] / MB, "lines": info["lines"], "spans": spans,
            "mb_per_s": info["text_bytes"] / MB / median,
            "file_mb_per_s": info["file_bytes"] / MB / median, "rss_mb": rss}


def align_phase(words: int, runs: int) -> dict[str, Any]:
    """In this process: time :func:`align` on both ~``words``-word pairs."""
    from tui.core.align import align
    from tui.core.align_synth import damaged_copy, synthetic_report

    news_a, news_b, _title = synth.long_pair(7, words)
    made_a = synthetic_report(words, seed=1)
    pairs = {"news": (news_a, news_b), "made-up words": (made_a, damaged_copy(made_a, seed=2))}
    out: dict[str, Any] = {}
    for name, (a, b) in pairs.items():
        times, rows = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            rows = len(align(a, b).rows)
            times.append(time.perf_counter() - started)
        out[name] = {"median": statistics.median(times), "first": times[0], "max": max(times),
                     "n": runs, "words": [len(a.split()), len(b.split())], "rows": rows}
    return out


def align_long(words: int, runs: int) -> dict[str, Any]:
    """:func:`align_phase` in a fresh process, with its peak RSS."""
    child = run_child(["scripts/bench_core.py", "--align-phase", str(words), str(runs)])
    print(f"align {words:,} words: " + ", ".join(
        f"{k} {v['median']:.2f} s" for k, v in child.data.items()), file=sys.stderr)
    return {**child.data, "rss_mb": child.rss_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of the JSONL input")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/crosscheck-bench-suite"))
    parser.add_argument("--align-phase", nargs=2, type=int, metavar=("WORDS", "RUNS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.align_phase:
        print(json.dumps(align_phase(*args.align_phase)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    result = {"annotate": annotate_throughput(args.work, args.mb, args.runs),
              "align": align_long(10000, args.runs)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
