"""The update pipeline: stages in order, new reports listed before their analysis ends."""

from __future__ import annotations

import shutil
from pathlib import Path

from tui.core.config import Config
from tui.core.pipeline import update
from tui.core.store import Index, RefreshReport
from tui.core.storyview import story_of

ARTICLES = Path(__file__).resolve().parents[1] / "articles"


def test_new_reports_are_searchable_before_their_stories_exist(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(ARTICLES, root)
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    seen: list[tuple[RefreshReport, int, int, str | None]] = []

    def on_read(report: RefreshReport) -> None:
        first = min(report.changed_ids, default="")
        notes = index.db.execute("SELECT count(*) FROM mentions").fetchone()[0]
        seen.append((report, index.count(), notes, story_of(index, first)))

    try:
        final = update(index, Config(), on_read=on_read)
        assert len(seen) == 1
        report, count, mentions, story = seen[0]
        assert report is final and count == 5 == len(report.changed_ids)
        assert mentions == 0 and story is None  # read, not yet analysed
        assert index.db.execute("SELECT count(*) FROM mentions").fetchone()[0] > 0
        assert all(story_of(index, i) for i in report.changed_ids)
        seen.clear()
        update(index, Config(), on_read=on_read)  # nothing changed: still told, untouched
        assert len(seen) == 1 and not seen[0][0].touched
    finally:
        index.close()
