"""Bring a library's index and every analysis stored with it up to date, incrementally."""

from __future__ import annotations

from collections.abc import Callable

from tui.core.config import Config
from tui.core.store import Cancel, Index, RefreshReport

StageProgress = Callable[[str, int, int], None]


def update(
    index: Index,
    config: Config,
    progress: StageProgress | None = None,
    cancel: Cancel | None = None,
) -> RefreshReport:
    """Re-read changed files, then update the analyses for what changed.

    ``progress(stage, done, total)`` is called as each stage advances.
    """

    def reading(done: int, total: int) -> None:
        if progress is not None:
            progress("Reading files", done, total)

    report = index.refresh(reading, cancel)
    if report.touched or _stories_missing(index):
        singleton_stories(index)
    return report


def _stories_missing(index: Index) -> bool:
    """True when some article belongs to no story."""
    row = index.db.execute(
        "SELECT 1 FROM articles a WHERE NOT EXISTS"
        " (SELECT 1 FROM story_members m WHERE m.article_id = a.id) LIMIT 1").fetchone()
    return row is not None


def singleton_stories(index: Index) -> None:
    """Give every article without a story a story of its own."""
    with index.transaction() as db:
        db.execute("DELETE FROM story_members WHERE article_id NOT IN (SELECT id FROM articles)")
        db.execute("DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM story_members)")
        db.execute(
            "INSERT INTO stories (id, label, first_date, last_date, n_articles, sources, sort_key)"
            " SELECT a.id, a.title, a.date, a.date, 1, a.source, coalesce(a.date, '') || a.id"
            " FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM story_members m WHERE m.article_id = a.id)")
        db.execute(
            "INSERT INTO story_members (article_id, story_id) SELECT a.id, a.id FROM articles a"
            " WHERE NOT EXISTS (SELECT 1 FROM story_members m WHERE m.article_id = a.id)")
