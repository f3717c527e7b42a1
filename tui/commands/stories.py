"""``clusters``: the stories of a library, their copies and why they were grouped."""

from __future__ import annotations

import argparse

from tui.commands.base import Context, emit_json, plain
from tui.core.dedup_score import PairScore, explain
from tui.core.store import Index
from tui.core.storyview import members, story_ids, story_rows


def configure_clusters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH", help="library folder (default: .)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def stories_json(index: Index) -> dict[str, object]:
    """``{"stories": [...], "pairs": [...]}`` in the documented shape."""
    ids = story_ids(index)
    rows = story_rows(index, ids)
    stories = []
    for sid in ids:
        found = members(index, sid)
        groups: dict[str, list[str]] = {}
        for m in found:
            if m.copy_of:
                groups.setdefault(m.copy_of, [m.copy_of]).append(m.row.id)
        row = rows[sid]
        stories.append({"id": sid, "label": row.label, "articles": [m.row.id for m in found],
                        "copies": list(groups.values()), "first_date": row.first_date,
                        "last_date": row.last_date})
    pairs = [PairScore(rel, score, _loads(reasons), a, b).to_json() for a, b, score, rel, reasons
             in index.db.execute("SELECT a, b, score, relation, reasons FROM pairs ORDER BY a, b")]
    return {"stories": stories, "pairs": pairs}


def _loads(text: str) -> dict[str, object]:
    import json

    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def run_clusters(ctx: Context) -> int:
    index = ctx.open_index(ctx.args.path)
    if ctx.args.json:
        emit_json(stories_json(index))
        return 0
    reasons = {(a, b): PairScore(rel, score, _loads(r), a, b) for a, b, score, rel, r
               in index.db.execute("SELECT a, b, score, relation, reasons FROM pairs")}
    ids = story_ids(index)
    rows = story_rows(index, ids)
    for sid in ids:
        row = rows[sid]
        copies = f", {row.n_copies} cop{'y' if row.n_copies == 1 else 'ies'}" if row.n_copies \
            else ""
        print(plain(f"{row.span}  {row.label}  [{row.n_articles} report"
                    f"{'s' if row.n_articles != 1 else ''}{copies}]"))
        found = members(index, sid)
        lead = found[0].row.id if found else ""
        for m in found:
            mark = {"copy": "  = copy  ", "original": "  ● lead  "}.get(m.relation, "  ◆ story ")
            print(plain(f"{mark}{m.row.id}  {m.row.date or 'undated'}  {m.row.title}"))
            other = m.copy_of or (lead if m.row.id != lead else None)
            pair = reasons.get((m.row.id, other) if other else ("", "")) or \
                reasons.get((other, m.row.id) if other else ("", ""))
            if pair is not None:
                print(plain(f"            why: {explain(pair)}"))
        print()
    return 0
