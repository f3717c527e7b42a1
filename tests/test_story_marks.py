"""Figures are compared again exactly for the stories whose members changed.

The clustering marks the stories it rewrites; the pipeline and the reader's story edits
compare those and clear the marks (no hashing of every story on each update).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tui.core.config import Config
from tui.core.pipeline import update
from tui.core.store import Index
from tui.core.story_edit import split_article
from tui.core.storyview import story_of

ARTICLES = Path(__file__).resolve().parents[1] / "articles"
LEAD, MIRROR, TRANSLATED = ("001_a25c22efd439cb62", "002_ec3e328f5cdb1df9",
                            "000_2c49f6f941952d6c")


def _conflict(index: Index, article_id: str) -> bool:
    row = index.db.execute("SELECT s.has_conflict FROM stories s JOIN story_members m"
                           " ON m.story_id = s.id WHERE m.article_id=?", (article_id,)).fetchone()
    return bool(row and row[0])


def _marks(index: Index) -> int:
    return int(index.db.execute("SELECT count(*) FROM story_dirty").fetchone()[0])


def test_a_report_joining_or_leaving_a_story_updates_its_conflicts(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    for name in (LEAD, MIRROR):  # both say "roughly 55,000"
        shutil.copy(ARTICLES / f"{name}.txt", root)
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        assert story_of(index, LEAD) == story_of(index, MIRROR)
        assert not _conflict(index, LEAD) and _marks(index) == 0
        shutil.copy(ARTICLES / f"{TRANSLATED}.txt", root)  # "around 50,000"
        update(index, Config())
        assert story_of(index, TRANSLATED) == story_of(index, LEAD)
        assert _conflict(index, LEAD) and _marks(index) == 0
        split_article(index, Config(), TRANSLATED)  # the reader says: another story
        assert story_of(index, TRANSLATED) != story_of(index, LEAD)
        assert not _conflict(index, LEAD) and _marks(index) == 0
        (root / f"{TRANSLATED}.txt").unlink()
        update(index, Config())
        assert not _conflict(index, LEAD) and _marks(index) == 0
    finally:
        index.close()


def test_an_interrupted_comparison_is_finished_by_the_next_update(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(ARTICLES, root)
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        assert _conflict(index, LEAD)
        story = story_of(index, LEAD)
        with index.transaction() as db:  # as if killed after clustering, before comparing
            db.execute("UPDATE stories SET has_conflict=0 WHERE id=?", (story,))
            db.execute("DELETE FROM figure_groups WHERE story_id=?", (story,))
            db.execute("INSERT INTO story_dirty VALUES (?)", (story,))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('pending', '1')")
        update(index, Config())
        assert _conflict(index, LEAD) and _marks(index) == 0
    finally:
        index.close()


def test_a_candidate_index_replaced_meanwhile_is_dropped_not_overwritten(tmp_path: Path) -> None:
    """Two processes updating at once each hold a candidate index missing the other's new
    reports: the second to save finds the index replaced, keeps neither, and the next
    update clusters afresh (stories complete, nothing stale kept)."""
    from tui.core.cluster_config import ClusterConfig
    from tui.core.stories import _candidate_token, _load_candidate_index, _save_candidate_index

    root = tmp_path / "lib"
    shutil.copytree(ARTICLES, root)
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        loaded = _candidate_token(index)
        assert loaded is not None and loaded.startswith("file:")
        mine = _load_candidate_index(index, ClusterConfig())
        assert mine is not None
        _save_candidate_index(index, mine, loaded)  # "the other process" saves first
        assert _candidate_token(index) not in (None, loaded)
        _save_candidate_index(index, mine, loaded)  # this one finds it replaced
        assert _candidate_token(index) is None
        (root / f"{TRANSLATED}.txt").write_text(
            (ARTICLES / f"{TRANSLATED}.txt").read_text(encoding="utf-8") + "\nUpdated.\n",
            encoding="utf-8")
        update(index, Config())  # clusters afresh and stores a new one
        assert _candidate_token(index) is not None
        assert story_of(index, TRANSLATED) == story_of(index, LEAD)
    finally:
        index.close()
