"""``compare``: two reports side by side in the terminal, or their alignment as JSON."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rich.console import Console

from tui.commands.base import CommandError, Context, emit_json
from tui.core.compare_pair import Comparison, compare, relation_label
from tui.core.export import comparison_data, comparison_markdown
from tui.core.model import Article
from tui.core.store import Index
from tui.render.compare import render_compare

MIN_WIDTH = 20


def _width(value: str) -> int:
    """``--width``: a whole number of columns, at least :data:`MIN_WIDTH`."""
    try:
        width = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if width < MIN_WIDTH:
        raise argparse.ArgumentTypeError(f"at least {MIN_WIDTH} columns")
    return width


def configure_compare(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", metavar="A", help="id of the left report (see 'crosscheck list')")
    parser.add_argument("b", metavar="B", help="id of the right report")
    parser.add_argument("--library", metavar="PATH", help="library folder (default: .)")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON instead of text")
    form.add_argument("--markdown", action="store_true",
                      help="print a Markdown write-up: summary, conflicts, aligned sentences")
    parser.add_argument("--width", type=_width, metavar="N",
                        help="columns to render in (default: the terminal's width)")


def _get(index: Index, article_id: str) -> Article:
    article = index.get(article_id)
    if article is None:
        raise CommandError(f"no article with id {article_id!r} (see 'crosscheck list')")
    return article


def comparison_json(cmp: Comparison) -> dict[str, Any]:
    """The comparison in the shape ``crosscheck compare --json`` prints."""
    return comparison_data(cmp)


def run_compare(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.library)
    a, b = _get(index, ctx.args.a), _get(index, ctx.args.b)
    cmp = compare(index, a, b)
    if ctx.args.json:
        emit_json(comparison_json(cmp))
        return 0
    if ctx.args.markdown:
        sys.stdout.write(comparison_markdown(cmp))
        return 0
    console = Console(width=ctx.args.width, highlight=False, emoji=False, markup=False,
                      soft_wrap=False)
    width = ctx.args.width or console.width
    console.print(render_compare(
        a.title, _meta(a), a.body, b.title, _meta(b), b.body, cmp.alignment, width,
        cmp.notes_a.spans, cmp.notes_b.spans, cmp.conflict_count, cmp.conflicts_a,
        cmp.conflicts_b, relation_label(cmp.relation, cmp.score)))
    sys.stdout.flush()
    return 0


def _meta(article: Article) -> dict[str, Any]:
    return {"source": article.source, "date": article.date, "words": article.words}
