"""The update pipeline: stages in order, new reports listed before their analysis ends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


def _stories(index: Index) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for aid, sid in index.db.execute("SELECT article_id, story_id FROM story_members"):
        groups.setdefault(sid, []).append(aid)
    return sorted(sorted(g) for g in groups.values())


def test_changed_settings_redo_what_depends_on_them(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "lib"
    shutil.copytree(ARTICLES, root)
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        before = _stories(index)
        assert any(len(g) > 1 for g in before)
        strict = Config(clustering={"merge_threshold": 0.99, "same_story": 0.99})
        update(index, strict)  # no file changed: the stories follow the new thresholds
        fresh = Index(root, tmp_path / "fresh", tmp_path / "fresh")
        try:
            update(fresh, strict)
            assert _stories(index) == _stories(fresh) != before
        finally:
            fresh.close()
        # A gazetteer addition is recognised in every article already indexed.
        names = Config(clustering=strict.clustering,
                       gazetteer={"organization": ["Sunday Heavy Fighting Desk"],
                                  "place": ["Zzyzx"]})
        calls: list[list[str]] = []
        import tui.core.pipeline as pipeline

        real = pipeline.annotate_articles

        def spy(index_: Index, ids: list[str], *args: object, **kwargs: object) -> object:
            calls.append(list(ids))
            return real(index_, ids, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(pipeline, "annotate_articles", spy)
        update(index, names)
        assert calls and len(calls[0]) == 5
        calls.clear()
        update(index, names)  # recorded: nothing to redo
        assert not calls
    finally:
        index.close()


def test_story_rows_count_unread_reports(tmp_path: Path) -> None:
    from tui.core.storyview import members, story_ids, story_rows

    root = tmp_path / "lib"
    shutil.copytree(ARTICLES, root)
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        rows = story_rows(index, story_ids(index))
        big = max(rows.values(), key=lambda r: r.n_articles)
        assert big.unread == big.n_articles > 1
        first = members(index, big.id)[0].row.id
        index.set_state(first, read=True)
        assert story_rows(index, [big.id])[big.id].unread == big.n_articles - 1
    finally:
        index.close()


def test_story_ids_read_their_head_first_then_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.core.storyview import StoryIds, story_ids

    root = tmp_path / "lib"
    shutil.copytree(ARTICLES, root)
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        every = story_ids(index)
        assert len(every) >= 2
        monkeypatch.setattr(StoryIds, "HEAD", 1)
        ids = StoryIds(index)
        assert len(ids) == len(every) and ids[0] == every[0] and ids[:1] == every[:1]
        assert ids._all is None  # only the head was read so far
        assert ids[len(every) - 1] == every[-1] and ids._all == every  # then all
        assert list(StoryIds(index)) == every and StoryIds(index)[-1] == every[-1]
        small = StoryIds(index, "n_articles > ?", (1,))
        assert list(small) == story_ids(index, "n_articles > ?", (1,))
        monkeypatch.setattr(StoryIds, "HEAD", 500)
        assert StoryIds(index)._all == every  # a short list is complete at once
    finally:
        index.close()
