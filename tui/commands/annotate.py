"""``annotate``, ``entities`` and ``figures``: names and numbers, per article and per story."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tui.commands.base import CommandError, Context, emit_json, emit_jsonl, plain
from tui.core.annotations import annotate_article, annotate_text
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


def _annotate_stream(extra: str) -> int:
    """One JSON object per stdin line in, one per line out; bad lines get an error object."""
    for lineno, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text, ident = item["text"], item.get("id", lineno)
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            print(plain(f"crosscheck: stdin line {lineno}: {exc.__class__.__name__}: {exc}"),
                  file=sys.stderr)
            emit_jsonl({"id": None, "line": lineno, "error": "invalid input line"})
            continue
        date = item.get("date")  # a report's own date, for relative dates; text only
        entities, figures = annotate_text(text, date if isinstance(date, str) else None, extra)
        spans = [*entities, *(f.to_span() for f in figures)]
        emit_jsonl({"id": ident, "spans": _spans_json(spans)})
    return 0


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
    articles: dict[tuple[str, str], set[str]] = {}
    for canonical, kind, article_id in index.db.execute(
            "SELECT e.canonical, e.kind, m.article_id FROM entities e JOIN mentions m"
            " ON m.text = e.alias AND m.kind = e.kind"):
        articles.setdefault((canonical, kind), set()).add(article_id)
    out = []
    for canonical, kind, aliases, mentions in index.db.execute(
            "SELECT canonical, kind, aliases, mentions FROM entity_groups"
            " ORDER BY mentions DESC, canonical"):
        out.append({"canonical": canonical, "kind": kind, "aliases": json.loads(aliases),
                    "articles": sorted(articles.get((canonical, kind), ())),
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
            unit = f" {m['unit']}" if m["unit"] else ""
            print(plain(f"    {m['article']}: {m['text']}{unit}"))
    return 0
