"""The incremental SQLite index and the user state kept beside it (tui.core.store)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

import tui.core.loader as loader
import tui.core.store as store
from tui.core.loader import DEFAULT_MAX_BYTES, FileEntry, LoadResult
from tui.core.schema import SCHEMA_VERSION
from tui.core.store import Index, IndexError_, library_dir
from tui.core.text import count_words

ONE = "The bridge over the northern river reopened on Friday after repairs. Traffic resumed."
TWO = "Farmers in the southern plains reported a record harvest of wheat this year."
THREE = "The city council voted to extend the tram line to the airport by 2030."


def make_library(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "one.txt").write_text(ONE, encoding="utf-8")
    (root / "sub").mkdir(exist_ok=True)
    (root / "sub" / "two.md").write_text(f"---\ntitle: Harvest\nsource: Farm News\n---\n{TWO}",
                                         encoding="utf-8")
    items = [{"text": THREE, "source": "Metro"}, {"id": "tram-2", "text": ONE + " Again."}]
    (root / "feed.json").write_text(json.dumps(items), encoding="utf-8")
    return root


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    return make_library(tmp_path / "lib")


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file the index reads."""
    calls: list[str] = []
    real = loader.load_file

    def load_file(entry: FileEntry, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
        calls.append(entry.relpath)
        return real(entry, max_bytes)

    monkeypatch.setattr(loader, "load_file", load_file)  # every read (store imports it late)
    return calls


def ids(index: Index) -> list[str]:
    return sorted(r.id for r in index.list_rows(0, 1000))


def fts_ids(index: Index, word: str) -> list[str]:
    rows = index.db.execute(
        "SELECT a.id FROM fts JOIN articles a ON a.rowid = fts.rowid WHERE fts MATCH ?", (word,))
    return sorted(r[0] for r in rows)


def bump(path: Path, text: str) -> None:
    """Rewrite a file and make sure its mtime differs from before."""
    old = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(old + 2_000_000_000, old + 2_000_000_000))


# -- building and refreshing --------------------------------------------------------------


def test_first_refresh_indexes_everything(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    report = index.refresh()
    assert (report.added, report.changed, report.removed, report.unchanged) == (4, 0, 0, 0)
    assert ids(index) == ["feed#1", "one", "sub/two", "tram-2"]
    assert index.count() == 4
    assert index.db_path == library_dir(lib, cache_dir) / "index.sqlite"
    assert index.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    row = index.rows_by_ids(["sub/two"])["sub/two"]
    assert (row.title, row.source, row.path) == ("Harvest", "Farm News", "sub/two.md")
    assert row.words == count_words(TWO)
    assert index.problems() == []


def test_unchanged_files_are_not_reread(lib: Path, cache_dir: Path, spy: list[str]) -> None:
    Index(lib, cache_dir).refresh()
    assert sorted(spy) == ["feed.json", "one.txt", "sub/two.md"]
    spy.clear()
    report = Index(lib, cache_dir).refresh()  # a new session on the same cache
    assert spy == []
    assert report.unchanged == 3 and not report.touched


def test_touched_but_identical_file_is_not_reindexed(
    lib: Path, cache_dir: Path, spy: list[str]
) -> None:
    index = Index(lib, cache_dir)
    index.refresh()
    spy.clear()
    bump(lib / "one.txt", ONE)
    report = index.refresh()
    assert spy == ["one.txt"]  # read to compare hashes ...
    assert not report.touched  # ... but nothing re-indexed
    spy.clear()
    assert index.refresh().unchanged == 3 and spy == []  # the new mtime was recorded


def test_changed_file_is_reindexed_with_fts(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    index.refresh()
    assert fts_ids(index, "bridge") == ["one", "tram-2"]
    bump(lib / "one.txt", "A volcano erupted near the coast overnight, officials said.")
    report = index.refresh()
    assert (report.added, report.changed, report.removed) == (0, 1, 0)
    assert report.changed_ids == ["one"]
    assert fts_ids(index, "bridge") == ["tram-2"]
    assert fts_ids(index, "volcano") == ["one"]
    article = index.get("one")
    assert article is not None and article.body.startswith("A volcano")


def test_deleted_file_disappears_everywhere(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    index.refresh()
    (lib / "feed.json").unlink()
    report = index.refresh()
    assert report.removed == 2
    assert sorted(report.removed_ids) == ["feed#1", "tram-2"]
    assert ids(index) == ["one", "sub/two"]
    assert fts_ids(index, "tram") == []
    assert index.get("tram-2") is None


def test_file_losing_an_item_removes_that_article(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    index.refresh()
    bump(lib / "feed.json", json.dumps([{"text": THREE, "source": "Metro"}]))
    report = index.refresh()
    assert report.removed_ids == ["tram-2"]
    assert ids(index) == ["feed#1", "one", "sub/two"]


def test_problems_follow_their_file(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    (lib / "bad.json").write_text("{oops", encoding="utf-8")
    index.refresh()
    assert [p.path for p in index.problems()] == ["bad.json"]
    bump(lib / "bad.json", json.dumps({"text": TWO}))
    index.refresh()
    assert index.problems() == []
    assert "bad" in ids(index)


def test_same_id_from_two_files_gets_a_suffix(lib: Path, cache_dir: Path) -> None:
    (lib / "one.md").write_text(TWO, encoding="utf-8")
    index = Index(lib, cache_dir)
    report = index.refresh()
    taken = [i for i in ids(index) if i.startswith("one")]
    assert len(taken) == 2 and "one" in taken
    assert len(report.warnings) == 1 and "already used" in report.warnings[0]


def test_missing_library_folder_is_an_error(tmp_path: Path, cache_dir: Path) -> None:
    index = Index(tmp_path / "nowhere", cache_dir)
    with pytest.raises(IndexError_, match="not found"):
        index.refresh()


def test_no_cache_uses_a_throwaway_index(lib: Path) -> None:
    index = Index(lib, None)
    index.refresh()
    assert index.count() == 4
    assert "crosscheck-" in str(index.db_path)


def test_unusable_cache_folder_falls_back(lib: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    index = Index(lib, blocker)
    index.refresh()
    assert index.count() == 4
    assert len(index.warnings) == 1 and "temporary index" in index.warnings[0]


def test_progress_and_cancel(lib: Path, cache_dir: Path) -> None:
    seen: list[tuple[int, int]] = []
    Index(lib, cache_dir).refresh(progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3, 3)
    other = Index(lib, cache_dir / "other")
    report = other.refresh(cancel=lambda: True)
    assert report.added == 0 and other.count() == 0


# -- recovering from bad index files ------------------------------------------------------


def aside_files(index: Index) -> list[str]:
    return sorted(p.name for p in index.db_path.parent.iterdir() if ".broken-" in p.name)


def test_corrupt_index_is_moved_aside_and_rebuilt(lib: Path, cache_dir: Path) -> None:
    first = Index(lib, cache_dir)
    first.refresh()
    first.set_state("one", read=True, starred=True)
    first.close()
    first.db_path.write_bytes(b"\x00garbage, not SQLite at all\xff" * 100)
    for suffix in ("-wal", "-shm"):
        Path(str(first.db_path) + suffix).unlink(missing_ok=True)
    index = Index(lib, cache_dir)
    assert len(index.warnings) == 1 and "moved to" in index.warnings[0]
    assert len(aside_files(index)) == 1
    index.refresh()
    assert index.count() == 4
    assert index.state("one") == (True, True)  # user state lives in its own file


def test_foreign_sqlite_database_is_moved_aside(lib: Path, cache_dir: Path) -> None:
    db_path = library_dir(lib, cache_dir) / "index.sqlite"
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as other:
        other.execute("CREATE TABLE recipes (name TEXT)")
    index = Index(lib, cache_dir)
    assert any("not a Crosscheck index" in w for w in index.warnings)
    assert len(aside_files(index)) == 1
    index.refresh()
    assert index.count() == 4


def test_corrupt_state_file_does_not_crash(lib: Path, cache_dir: Path) -> None:
    first = Index(lib, cache_dir)
    first.refresh()
    first.close()
    first.state_path.write_bytes(b"this is not a database" * 50)
    index = Index(lib, cache_dir)
    assert index.warnings
    index.refresh()
    assert index.count() == 4
    index.set_state("one", read=True)
    assert index.state("one") == (True, False)


def test_schema_version_bump_rebuilds_and_keeps_state(
    lib: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, spy: list[str]
) -> None:
    first = Index(lib, cache_dir)
    first.refresh()
    first.set_state("sub/two", starred=True)
    first.close()
    spy.clear()
    monkeypatch.setattr(store, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    index = Index(lib, cache_dir)
    assert any("outdated" in w for w in index.warnings)
    assert index.count() == 0
    report = index.refresh()
    assert report.added == 4 and len(spy) == 3
    assert index.state("sub/two") == (False, True)
    assert Index(lib, cache_dir).warnings == []  # the new version was recorded


def test_an_index_of_this_version_gets_the_story_index_added_since(
        lib: Path, cache_dir: Path) -> None:
    first = Index(lib, cache_dir)
    first.refresh()
    with sqlite3.connect(first.db_path) as db:  # as the story index was before
        db.execute("DROP INDEX stories_sort_id")
        db.execute("CREATE INDEX stories_sort ON stories(sort_key)")
    first.close()
    index = Index(lib, cache_dir)
    names = {r[0] for r in index.db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "stories_sort_id" in names and "stories_sort" not in names
    assert index.warnings == [] and index.count() == 4


# -- user state -----------------------------------------------------------------------------


def test_state_survives_reindex(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    index.refresh()
    index.set_state("one", read=True)
    index.set_state("tram-2", starred=True)
    bump(lib / "one.txt", ONE + " Updated with a correction.")
    bump(lib / "feed.json", (lib / "feed.json").read_text() + "\n")
    index.refresh()
    assert index.state("one") == (True, False)
    assert index.state("tram-2") == (False, True)
    assert index.state("feed#1") == (False, False)
    rows = {r.id: r for r in index.list_rows(0, 100)}
    assert rows["one"].read and rows["tram-2"].starred and not rows["feed#1"].read


def test_state_can_be_cleared(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    index.refresh()
    index.set_state("one", read=True, starred=True)
    index.set_state("one", read=False)
    assert index.state("one") == (False, True)
    index.set_state("one", starred=False)
    assert index.state("one") == (False, False)


def test_state_survives_file_rename(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    index.refresh()
    index.set_state("one", read=True, starred=True)
    (lib / "archive").mkdir()
    (lib / "one.txt").rename(lib / "archive" / "bridge.txt")
    index.refresh()
    assert "one" not in ids(index)
    assert index.state("archive/bridge") == (True, True)


def test_state_survives_edit_then_rename(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    index.refresh()
    index.set_state("one", starred=True)
    bump(lib / "one.txt", ONE + " A correction was added later.")
    index.refresh()
    (lib / "one.txt").rename(lib / "renamed.txt")
    index.refresh()
    assert index.state("renamed") == (False, True)


def test_state_survives_rename_in_a_new_session(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    index.refresh()
    index.set_state("sub/two", read=True)
    index.close()
    (lib / "sub" / "two.md").rename(lib / "harvest.md")
    again = Index(lib, cache_dir)
    again.refresh()
    assert again.state("harvest") == (True, False)


def test_state_for_unknown_article(lib: Path, cache_dir: Path) -> None:
    index = Index(lib, cache_dir)
    index.refresh()
    assert index.state("nope") == (False, False)


def test_two_sessions_refreshing_at_once_do_not_duplicate(
    lib: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Index(lib, cache_dir)
    second = Index(lib, cache_dir)
    real = loader.load_file
    done: list[bool] = []

    def load_file(entry: FileEntry, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
        if not done:  # the other session indexes everything while this one reads
            done.append(True)
            first.refresh()
        return real(entry, max_bytes)

    monkeypatch.setattr(loader, "load_file", load_file)  # every read (store imports it late)
    report = second.refresh()
    assert ids(second) == ["feed#1", "one", "sub/two", "tram-2"]
    assert report.warnings == []
