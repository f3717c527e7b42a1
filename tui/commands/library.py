"""``list``, ``show``, ``search`` and ``check``: the library as data."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.commands.base import CommandError, Context, emit_json, plain
from tui.core.search import MARK_END, MARK_START, QueryError, search
from tui.core.store import ArticleRow


def _library_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH", help="library folder (default: .)")


def _json_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def configure_list(parser: argparse.ArgumentParser) -> None:
    _library_arg(parser)
    _json_arg(parser)
    parser.add_argument("--sort", choices=["date", "source", "title", "size", "id"],
                        default="date", help="sort order (default: newest first)")


def row_json(row: ArticleRow) -> dict[str, Any]:
    """An article row as a JSON object."""
    return {"id": row.id, "title": row.title, "source": row.source, "date": row.date,
            "url": row.url, "words": row.words, "path": row.path}


def run_list(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.path)
    descending = ctx.args.sort in ("date", "size")
    rows = index.list_rows(0, 10**9, order=ctx.args.sort, descending=descending)
    if ctx.args.json:
        emit_json({"articles": [row_json(r) for r in rows]})
        return 0
    for row in rows:
        date = row.date or "undated"
        print(plain(f"{row.id}\t{date}\t{row.source or '-'}\t{row.words}w\t{row.title}"
                    f"\t{row.url or '-'}\t{row.path}"))
    return 0


def configure_show(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="article id (see 'crosscheck list')")
    parser.add_argument("--library", metavar="PATH", help="library folder (default: .)")
    parser.add_argument("--original", action="store_true", help="the text as the file holds it")
    _json_arg(parser)


def run_show(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.library)
    article = index.get(ctx.args.id)
    if article is None:
        raise CommandError(f"no article with id {ctx.args.id!r} (see 'crosscheck list')")
    text = index.original(article.id) if ctx.args.original else article.body
    read, starred = index.state(article.id)
    if ctx.args.json:
        emit_json({"id": article.id, "title": article.title, "source": article.source,
                   "date": article.date, "url": article.url, "author": article.author,
                   "language": article.language, "tags": article.tags, "extra": article.extra,
                   "path": article.path, "words": article.words, "read": read,
                   "starred": starred, "artefacts": article.artefacts, "text": text})
        return 0
    print(plain(article.title))
    meta = [article.date or "undated", article.source, article.author, article.url]
    print(plain(" · ".join(m for m in meta if m)))
    print()
    print(plain(text))
    return 0


def configure_search(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", metavar="QUERY",
                        help="words (last one matches as a prefix), \"a phrase\", AND/OR/NOT, "
                        "filters source: date:FROM..TO is:unread")
    _library_arg(parser)
    _json_arg(parser)
    parser.add_argument("--limit", type=int, default=20, help="number of hits (default 20)")


def run_search(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.path)
    try:
        hits = search(index, ctx.args.query, limit=max(1, ctx.args.limit))
    except QueryError as exc:
        raise CommandError(str(exc)) from None
    if ctx.args.json:
        emit_json({"query": ctx.args.query, "hits": [
            {**row_json(h.row), "match": h.how,
             "snippet": h.snippet.replace(MARK_START, "[").replace(MARK_END, "]")}
            for h in hits]})
        return 0
    if not hits:
        print("no matches", file=sys.stderr)
    for hit in hits:
        print(plain(f"{hit.row.id}\t{hit.row.date or 'undated'}\t{hit.row.title}"))
        if hit.snippet:
            snippet = hit.snippet.replace(MARK_START, "«").replace(MARK_END, "»")
            print(plain(f"    {snippet}"))
    return 0


def configure_check(parser: argparse.ArgumentParser) -> None:
    _library_arg(parser)
    _json_arg(parser)


def run_check(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.path, problems=False)  # printed on stdout below
    problems = index.problems()
    if ctx.args.json:
        emit_json({"articles": index.count(), "problems": [
            {"path": p.path, "message": p.message, "severity": p.severity} for p in problems]})
    else:
        for problem in problems:
            print(plain(f"{problem.severity}: {problem}"))
        print(f"{index.count()} articles, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0
