"""``annotate``, ``entities`` and ``figures``: names and numbers, per article and per story."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from itertools import chain
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from operator import itemgetter
from pathlib import Path
from typing import Any

from tui.commands.base import CommandError, Context, emit_json, plain, to_json
from tui.core.annotations import annotate_article, annotate_text
from tui.core.figures_types import Figure
from tui.core.loader import FileEntry, load_file
from tui.core.model import Article
from tui.core.spans import Span
from tui.core.store import Index


def configure_annotate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", nargs="*", metavar="FILE|ID",
                        help="article files, or ids in the library")
    parser.add_argument("--library", metavar="PATH", help="library folder for ids (default: .)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--jsonl-in", action="store_true",
                        help='read {"id": ..., "text": ...} lines on stdin, write spans per line')


def _spans_json(spans: list[Span]) -> list[dict[str, Any]]:
    return [s.to_json() for s in sorted(spans, key=lambda s: (s.start, s.end))]


def run_annotate(ctx: Context) -> int:
    extra = json.dumps(ctx.config.gazetteer, sort_keys=True)
    if ctx.args.jsonl_in:
        return _annotate_stream(extra)
    if not ctx.args.targets:
        raise CommandError("give article files or ids, or --jsonl-in", 2)
    results = [_annotate_target(ctx, target) for target in ctx.args.targets]
    if ctx.args.json:
        emit_json({"articles": [{"id": a.id, "spans": _spans_json(spans)} for a, spans in results]})
        return 0
    for article, spans in results:
        print(plain(f"{article.id}: {article.title}"))
        for span in sorted(spans, key=lambda s: s.start):
            canonical = f" → {span.canonical}" if span.canonical and span.canonical != span.text \
                else ""
            print(plain(f"  {span.start:>6}-{span.end:<6} {span.kind:<12} {span.text}{canonical}"))
    return 0


BATCH_LINES = 64
"""Input lines per unit of work in ``--jsonl-in`` (small enough to keep output flowing)."""


def _annotate_stream(extra: str) -> int:
    """One JSON object per stdin line in, one per line out, in input order; bad lines get an
    error object. Large inputs are spread over one process per core."""
    batches = _batches(enumerate(sys.stdin, start=1), BATCH_LINES)
    first = next(batches, None)
    if first is None:
        return 0
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(first) < BATCH_LINES:  # a short input: no pool to start
        _write(_annotate_batch(first, extra))
        for batch in batches:
            _write(_annotate_batch(batch, extra))
        return 0
    annotate_text("Warm up.", None, extra)  # load the recognisers once, before forking
    with ProcessPoolExecutor(workers, mp_context=_context()) as pool:
        pending: deque[Future[list[tuple[str, str]]]] = deque()
        for batch in chain([first], batches):
            pending.append(pool.submit(_annotate_batch, batch, extra))
            if len(pending) > 2 * workers:  # bounded read-ahead: memory stays flat
                _write(pending.popleft().result())
        while pending:
            _write(pending.popleft().result())
    return 0


def _batches(lines: Iterable[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    """Numbered non-blank lines, ``size`` at a time."""
    batch: list[tuple[int, str]] = []
    for lineno, line in lines:
        if line.strip():
            batch.append((lineno, line))
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch


def _context() -> BaseContext | None:
    """Fork where there is fork: the workers start with the recognisers already loaded."""
    return get_context("fork") if "fork" in get_all_start_methods() else None


def _write(results: list[tuple[str, str]]) -> None:
    for out, err in results:
        if err:
            print(err, file=sys.stderr)
        sys.stdout.write(out)


def _annotate_batch(batch: list[tuple[int, str]], extra: str) -> list[tuple[str, str]]:
    """Each line's output (a JSON line) and error message (empty when none)."""
    return [_annotate_line(lineno, line, extra) for lineno, line in batch]


def _annotate_line(lineno: int, line: str, extra: str) -> tuple[str, str]:
    try:
        item = json.loads(line)
        text, ident = item["text"], item.get("id", lineno)
        if not isinstance(text, str):
            raise TypeError("text is not a string")
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        return (to_json({"id": None, "line": lineno, "error": "invalid input line"}) + "\n",
                plain(f"crosscheck: stdin line {lineno}: {exc.__class__.__name__}: {exc}"))
    date = item.get("date")  # a report's own date, for relative dates; text only
    entities, figures = annotate_text(text, date if isinstance(date, str) else None, extra)
    return _spans_line(ident, entities, figures), ""


def _spans_line(ident: object, entities: list[Span], figures: list[Figure]) -> str:
    """What ``to_json({"id": ident, "spans": _spans_json(spans)}) + "\\n"`` prints, written
    piece by piece: no :class:`Span` per figure, no dict per span. Spans in place order,
    entities before figures at the same place (the sort is stable)."""
    placed = [(s.start, s.end, _span_text(s.start, s.end, s.text, s.kind, s.canonical, s.value))
              for s in entities]
    placed += [(f.start, f.end, _span_text(f.start, f.end, f.text, f.kind, None, f.value))
               for f in figures]
    placed.sort(key=_by_place)
    return f'{{"id": {to_json(ident)}, "spans": [{", ".join([p[2] for p in placed])}]}}\n'


_by_place = itemgetter(0, 1)


def _span_text(start: int, end: int, text: str, kind: str, canonical: str | None,
               value: float | None) -> str:
    """One span as :func:`to_json` writes :meth:`Span.to_json`."""
    if type(start) is not int or type(end) is not int or not (
            value is None or type(value) is float and value - value == 0.0):
        # Not a plain int offset or finite float value: let the encoder spell it.
        return to_json(Span(start, end, text, kind, canonical, value).to_json())
    out = f'{{"start": {start}, "end": {end}, "text": {_string(text)}, "kind": {_string(kind)}'
    if canonical is not None:
        out += f', "canonical": {_string(canonical)}'
    if value is not None:
        out += f', "value": {value!r}'
    return out + "}"


@lru_cache(maxsize=1 << 16)
def _string(text: str) -> str:
    """``text`` as a JSON string, escaped for terminals (names and figures recur: cached)."""
    return to_json(text)


def _annotate_target(ctx: Context, target: str) -> tuple[Article, list[Span]]:
    path = Path(target)
    if path.is_file():
        info = path.stat()
        result = load_file(FileEntry(path.name, path, info.st_size, info.st_mtime_ns),
                           ctx.config.max_bytes)
        for problem in result.problems:
            print(plain(f"crosscheck: {problem.severity}: {target}: {problem.message}"),
                  file=sys.stderr)
        if not result.articles:
            raise CommandError(f"{target}: no article could be read")
        article = result.articles[0]
        entities, figures = annotate_text(article.body, article.date)
        return article, [*entities, *(f.to_span() for f in figures)]
    index = ctx.open_index(ctx.args.library)
    found = index.get(target)
    if found is None:
        raise CommandError(f"{target}: neither a file nor an article id in the library")
    return found, annotate_article(index, found).spans


def configure_entities(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH", help="library folder (default: .)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def entities_json(index: Index) -> dict[str, Any]:
    """Every entity of the library under its canonical name, with aliases and articles."""
    # Keyed by canonical name only: a report that typed a place as an organisation
    # still counts for the place (its mention row carries its own kind).
    articles: dict[str, set[str]] = {}
    for canonical, article_id in index.db.execute(
            "SELECT e.canonical, m.article_id FROM entities e JOIN mentions m"
            " ON m.text = e.alias AND m.kind = e.kind"):
        articles.setdefault(canonical, set()).add(article_id)
    out = []
    for canonical, kind, aliases, mentions in index.db.execute(
            "SELECT canonical, kind, aliases, mentions FROM entity_groups"
            " ORDER BY mentions DESC, canonical"):
        out.append({"canonical": canonical, "kind": kind, "aliases": json.loads(aliases),
                    "articles": sorted(articles.get(canonical, ())),
                    "mentions": mentions})
    return {"entities": out}


def run_entities(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.path)
    data = entities_json(index)
    if ctx.args.json:
        emit_json(data)
        return 0
    for entity in data["entities"]:
        aliases = [a for a in entity["aliases"] if a != entity["canonical"]]
        also = f"  (also: {', '.join(aliases)})" if aliases else ""
        print(plain(f"{entity['mentions']:>5}  {entity['kind']:<12} {entity['canonical']}"
                    f"  [{len(entity['articles'])} articles]{also}"))
    return 0


def configure_figures(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH", help="library folder (default: .)")
    parser.add_argument("--story", metavar="ID", help="only this story")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def run_figures(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.path)
    sql = "SELECT data FROM figure_groups"
    params: tuple[str, ...] = ()
    if ctx.args.story:
        story = ctx.args.story
        if not index.db.execute("SELECT 1 FROM stories WHERE id IN (?, ?)",
                                (story, f"s:{story}")).fetchone():
            raise CommandError(f"no story with id {story!r} (see 'crosscheck clusters')")
        sql += " WHERE story_id IN (?, ?)"
        params = (story, f"s:{story}")
    groups = [json.loads(r[0]) for r in index.db.execute(sql + " ORDER BY story_id, n", params)]
    if ctx.args.json:
        emit_json({"groups": groups})
        return 0
    for group in groups:
        mark = "CONFLICT" if group["status"] == "conflict" else "agree   "
        subject = f" of {group['subject']}" if group["subject"] else ""
        print(plain(f"{mark} {group['measure']}{subject}  ({group['story']})"))
        for m in group["mentions"]:
            said = m["text"].casefold()
            unit = f" [{m['unit']}]" if m["unit"] and m["unit"].casefold() not in said else ""
            print(plain(f"    {m['article']}: {m['text']}{unit}"))
    return 0
