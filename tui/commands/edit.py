"""``merge``, ``split``, ``unsplit``/``edits``: the reader's own corrections to the stories."""

from __future__ import annotations

import argparse
import time

from tui.commands.base import CommandError, Context, emit_json, plain
from tui.core.store import Index
from tui.core.story_edit import (
    StoryEditError,
    edits,
    forget_edits,
    merge_stories,
    split_article,
    story_articles,
)
from tui.core.storyview import story_of


def _library(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", metavar="PATH", help="library folder (default: .)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def configure_merge(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", metavar="A", help="a story id (s:…) or any article of it")
    parser.add_argument("b", metavar="B", help="the other story, or an article of it")
    _library(parser)


def configure_split(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", metavar="ARTICLE", help="the report to take out of its story")
    _library(parser)


def configure_unsplit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", metavar="ARTICLE",
                        help="forget every merge and split involving this report")
    _library(parser)


def configure_edits(parser: argparse.ArgumentParser) -> None:
    _library(parser)


def _story(index: Index, ref: str) -> str:
    """A story id from a story id or an article id."""
    if story_articles(index, ref):
        return ref
    found = story_of(index, ref)
    if found is None:
        raise CommandError(f"{ref}: no such story or article", 2)
    return found


def _report(ctx: Context, index: Index, story_id: str, verb: str) -> int:
    ids = story_articles(index, story_id)
    if ctx.args.json:
        emit_json({"story": story_id, "articles": ids})
    else:
        print(plain(f"{verb}: {story_id} now holds {len(ids)} report"
                    f"{'s' if len(ids) != 1 else ''}: {', '.join(ids)}"))
    return 0


def run_merge(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.library)
    a, b = _story(index, ctx.args.a), _story(index, ctx.args.b)
    try:
        merged = merge_stories(index, ctx.config, a, b)
    except StoryEditError as exc:
        raise CommandError(str(exc), 2) from None
    return _report(ctx, index, merged, "merged")


def run_split(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.library)
    try:
        alone = split_article(index, ctx.config, ctx.args.article)
    except StoryEditError as exc:
        raise CommandError(str(exc), 2) from None
    return _report(ctx, index, alone, "split")


def run_unsplit(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.library)
    if story_of(index, ctx.args.article) is None:
        raise CommandError(f"{ctx.args.article}: no such article", 2)
    dropped = forget_edits(index, ctx.config, ctx.args.article)
    story = story_of(index, ctx.args.article) or ""
    if ctx.args.json:
        emit_json({"dropped": dropped, "story": story,
                   "articles": story_articles(index, story)})
    else:
        print(plain(f"forgot {dropped} decision{'s' if dropped != 1 else ''};"
                    f" {ctx.args.article} is in {story}"))
    return 0


def run_edits(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.library)
    rows = edits(index)
    if ctx.args.json:
        emit_json([{"a": a, "b": b, "kind": k, "created": c} for a, b, k, c in rows])
        return 0
    for a, b, kind, created in rows:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(created))
        verb = "together" if kind == "merge" else "apart"
        print(plain(f"{when}  {kind:5}  {a}  {b}  (kept {verb})"))
    if not rows:
        print("no merges or splits yet")
    return 0
