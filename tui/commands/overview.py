"""``story``: one story's reports in time, the figures they cite and the names they use."""

from __future__ import annotations

import argparse
import sys

from tui.commands.base import CommandError, Context, plain
from tui.core.export import overview_json, overview_markdown
from tui.core.overview import Overview, resolve_story, story_overview


def configure_story(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="a story id (s:…) or any article of the story")
    parser.add_argument("--library", metavar="PATH", help="library folder (default: .)")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON instead of text")
    form.add_argument("--markdown", action="store_true",
                      help="print a Markdown write-up (timeline, figures, entities)")


def run_story(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.library)
    story_id = resolve_story(index, ctx.args.id)
    ov = story_overview(index, story_id) if story_id else None
    if ov is None:
        raise CommandError(f"{ctx.args.id}: no such story or article (see 'crosscheck clusters')",
                           2)
    if ctx.args.json:
        sys.stdout.write(overview_json(ov))
    elif ctx.args.markdown:
        sys.stdout.write(overview_markdown(ov))
    else:
        for line in overview_lines(ov):
            print(plain(line))
    return 0


def overview_lines(ov: Overview) -> list[str]:
    """The overview as plain lines: timeline, figures by row, entities by report count."""
    lines = [ov.label, f"{ov.summary()} · {ov.story_id}", "", "Timeline"]
    for r in ov.reports:
        lines.append(f"  #{r.n:<3} {r.date or 'undated':<10}  {ov.relation_of(r):<12} "
                     f"{r.words:>6}w  {r.source or '—'}  {r.id}  {r.title}")
    lines += ["", "Figures" + ("" if ov.figures else ": none stated with a measure")]
    for f in ov.figures:
        mark = {"conflict": "⚠ CONFLICT ", "agree": "✓ agree    "}.get(f.status, "           ")
        cells = [f"#{r.n} {f.cell_text(r.id)}" for r in ov.reports if r.id in f.cells]
        lines.append(f"  {mark}{f.label}: " + " · ".join(cells))
    lines += ["", "Entities" + ("" if ov.entities else ": none recognised")]
    shared = [e for e in ov.entities if not ov.only_one(e)]
    for e in shared:
        counts = " · ".join(f"#{r.n} {e.counts[r.id]}" for r in ov.reports if r.id in e.counts)
        lines.append(f"  {e.name} ({e.kind}): {counts}")
    for r in ov.reports:
        alone = [e.name for e in ov.entities if ov.only_one(e) and r.id in e.counts]
        if alone:
            lines.append(f"  only in #{r.n}: " + ", ".join(alone))
    return lines
