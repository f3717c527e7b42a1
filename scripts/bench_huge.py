"""Huge inputs: a 50 MB article, a 10 MB single line, a 1,000,000-line file.

Writes each input under ``/tmp`` (or ``--out``), indexes it in a child process (the
pipeline the app and ``crosscheck check`` run) and reports wall time and the child's
peak RSS, then opens the reader headless on the 50 MB article and on the million lines
and times the first paint. Last, the article and the line are indexed together: their
texts are alike, so they make one story of two huge reports.

    python scripts/bench_huge.py [--out DIR] [--scale 1.0] [--no-story] [--json]

``--scale`` shrinks every input (0.1 writes a 5 MB article, a 1 MB line, 100,000 lines).
The generators are used by ``tests/test_huge.py`` too.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

MB = 1024 * 1024
PLACES = ("Lisbon Nairobi Lagos Manila Quito Tbilisi Baku Yerevan Kyiv Lviv Dakar Accra Lima "
          "Ganja Stepanakert Barda Tartar Hanoi Dhaka Ankara Athens Sofia Riga Oslo").split()
PEOPLE = ("Maria Garcia|Ahmed Khan|Olena Petrenko|Juan Silva|Li Wang|Fatima Hassan|Peter Novak|"
          "Amina Okafor|Ivan Ivanov|Sara Cohen|Kofi Mensah|Ilham Aliyev").split("|")
ORGS = ("the Red Cross|the United Nations|the Health Ministry|the Interior Ministry|"
        "Amnesty International|the Electoral Commission|the Port Authority").split("|")
TEMPLATES = (
    "At least {n} people were killed and {m} injured in {place} on Sunday, {org} said.",
    "\"We are doing everything we can,\" {person} told reporters in {place} on October {d}.",
    "{place}, a city of about {big:,} inhabitants, was hit by {m} missiles overnight.",
    "Damage was estimated at ${m} million, according to {org}, which cited {person}.",
    "{person} of {org} said roughly {pct}% of the homes in {place} had no power.",
    "The U.S. and the E.U. called for calm; Mr. {last} said talks would resume on {d} May.",
)
SHORT_LINES = ("Baku", "12", "said", "Ganja.", "", "No.", "3.5%", "Mr. Aliyev", "Oct 4", "-",
               "killed", "", "UN", "55,000", "Kyiv", "[ad_1]", "ok")


def sentence(rng: random.Random) -> str:
    """One news-like sentence with names, places and figures."""
    person = rng.choice(PEOPLE)
    return rng.choice(TEMPLATES).format(
        n=rng.randrange(2, 400), m=rng.randrange(2, 90), place=rng.choice(PLACES),
        org=rng.choice(ORGS), person=person, last=person.split()[-1], d=rng.randrange(1, 29),
        big=rng.randrange(10, 900) * 1000, pct=rng.randrange(5, 95))


def paragraphs(rng: random.Random, count: int = 2000) -> list[str]:
    """A pool of distinct paragraphs of two to six sentences."""
    return [" ".join(sentence(rng) for _ in range(rng.randrange(2, 7))) for _ in range(count)]


def _chunks_of(pool: list[str], rng: random.Random, size: int, sep: str) -> Iterator[str]:
    """Pieces drawn from ``pool`` and joined by ``sep`` until ``size`` characters."""
    written = 0
    while written < size:
        batch = sep.join(rng.choices(pool, k=256)) + sep
        piece = batch[: size - written]
        written += len(piece)
        yield piece


def write_big_article(path: Path, size: int = 50 * MB, seed: int = 1) -> Path:
    """A Markdown article of ``size`` bytes (ASCII): front matter, then paragraphs."""
    rng = random.Random(seed)
    head = "---\ntitle: A very long report\nsource: Bench Wire\ndate: 2020-10-04\n---\n\n"
    with path.open("w", encoding="ascii", newline="\n") as out:
        out.write(head)
        for piece in _chunks_of(paragraphs(rng), rng, size - len(head), "\n\n"):
            out.write(piece)
    return path


def write_single_line(path: Path, size: int = 10 * MB, seed: int = 2) -> Path:
    """A text article that is one line of ``size`` bytes: sentences, no line break."""
    rng = random.Random(seed)
    pool = [sentence(rng) for _ in range(5000)]
    with path.open("w", encoding="ascii", newline="\n") as out:
        for piece in _chunks_of(pool, rng, size, " "):
            out.write(piece)
    return path


def write_many_lines(path: Path, lines: int = 1_000_000, seed: int = 3) -> Path:
    """A text article of ``lines`` short lines (words, figures, blanks, ad markers)."""
    rng = random.Random(seed)
    with path.open("w", encoding="ascii", newline="\n") as out:
        out.write(" date 2020-10-04 A list of one million short lines follows.\n")
        for start in range(1, lines, 10_000):
            count = min(10_000, lines - start)
            out.write("\n".join(rng.choices(SHORT_LINES, k=count)) + "\n")
    return path


Writer = Callable[[Path, float], Path]
INPUTS: dict[str, tuple[str, Writer]] = {
    "50 MB article": ("big.md", lambda p, s: write_big_article(p, int(50 * MB * s))),
    "10 MB single line": ("oneline.txt", lambda p, s: write_single_line(p, int(10 * MB * s))),
    "1,000,000-line file": ("lines.txt", lambda p, s: write_many_lines(p, int(1_000_000 * s))),
}

CHILD = """
import sys, time
from pathlib import Path
from tui.core.config import Config
from tui.core.pipeline import update
from tui.core.store import Index
config = Config()
index = Index(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[2]), config.max_bytes)
started = time.perf_counter()
update(index, config)
seconds = time.perf_counter() - started
print(repr((seconds, [str(p) for p in index.problems()])))
index.close()
"""


def index_in_child(library: Path, cache: Path) -> dict[str, object]:
    """Index ``library`` in a fresh interpreter: wall time (start-up included) and peak RSS.

    ``wait4`` gives the peak RSS of this child alone; ``RUSAGE_CHILDREN`` (also reported)
    is the largest of every child waited for so far.
    """
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(library), str(cache)],
                             stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
    assert child.stdout is not None
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"indexing {library} failed with exit code {child.returncode}")
    seconds, problems = ast.literal_eval(output.strip().splitlines()[-1])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"wall_s": round(wall, 2), "update_s": round(seconds, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "rusage_children_mb": round(children / 1024, 1), "problems": problems}


async def first_paint(library: Path, cache: Path, article_id: str) -> dict[str, object]:
    """Open the reader on ``article_id`` headless: seconds until its first paint, then
    seconds for ``end``, ``home`` and ``pagedown``."""
    from tui.app.app import build_app
    from tui.app.screens.reader import ReaderScreen

    app = build_app(library, None, cache, cache, refresh=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await app.push_screen(ReaderScreen(app.index, article_id))
        while not (isinstance(app.screen, ReaderScreen) and app.screen.doc.text):
            await asyncio.sleep(0)
        await pilot.pause()
        doc = app.screen.doc
        first = "".join(s.text for s in doc.render_line(0)).strip()
        seconds = time.perf_counter() - started
        keys_started = time.perf_counter()
        for key in ("end", "home", "pagedown"):
            await pilot.press(key)
        await pilot.pause()
        keys = time.perf_counter() - keys_started
        note = doc.note
    return {"first_paint_s": round(seconds, 2), "three_keys_s": round(keys, 2),
            "first_line": first, "note": note,
            "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def bench(out: Path, scale: float, story: bool = True) -> dict[str, dict[str, object]]:
    """Write and index every input (each in a library of its own), open the reader on the
    article and on the million lines; with ``story``, also index the 50 MB article and
    the 10 MB line together (one story of two huge reports)."""
    results: dict[str, dict[str, object]] = {}
    paths: dict[str, Path] = {}
    for label, (name, write) in INPUTS.items():
        library = _fresh(out / name.split(".")[0])
        cache = out / f"{library.name}-cache"
        shutil.rmtree(cache, ignore_errors=True)
        started = time.perf_counter()
        paths[name] = write(library / name, scale)
        results[label] = {"file_mb": round(paths[name].stat().st_size / MB, 1),
                          "write_s": round(time.perf_counter() - started, 2),
                          **index_in_child(library, cache)}
        print(f"{label}: {results[label]}", file=sys.stderr)
    if story:
        library = _fresh(out / "story")
        for name in ("big.md", "oneline.txt"):
            os.symlink(paths[name], library / name)
        shutil.rmtree(out / "story-cache", ignore_errors=True)
        results["both in one story"] = {
            "file_mb": round(sum(paths[n].stat().st_size for n in ("big.md", "oneline.txt"))
                             / MB, 1), **index_in_child(library, out / "story-cache")}
        print(f"both in one story: {results['both in one story']}", file=sys.stderr)
    # The readers come last: a child forked by a process that already holds the app
    # reports that process's size as its own peak RSS.
    for label, name in (("50 MB article", "big"), ("1,000,000-line file", "lines")):
        results[label]["reader"] = asyncio.run(
            first_paint(out / name, out / f"{name}-cache", name))
        print(f"{label} reader: {results[label]['reader']}", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/crosscheck-huge"))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--no-story", action="store_true",
                        help="skip indexing the article and the line together")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = bench(args.out, args.scale, not args.no_story)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for label, row in results.items():
        print(f"{label} ({row['file_mb']} MB on disk): index {row['wall_s']} s wall "
              f"({row['update_s']} s in update), peak RSS {row['peak_rss_mb']} MB "
              f"(RUSAGE_CHILDREN so far {row['rusage_children_mb']} MB)")
        for problem in row["problems"]:  # type: ignore[attr-defined]
            print(f"    {problem}")
        if "reader" in row:
            print(f"    reader: {row['reader']}")


if __name__ == "__main__":
    main()
