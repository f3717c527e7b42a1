"""Faults: the indexer killed at random moments, files and folders changing under it,
caches that cannot be written, two indexes on one library at once.

Whatever happens, the next start opens a consistent index, finishes the work, and never
loses what the reader saved (read and starred marks, story merges and splits).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.commands.base import update_library
from tui.core import loader as loader_module
from tui.core.config import Config
from tui.core.loader import FileEntry, load_file, scan
from tui.core.pipeline import update
from tui.core.store import Index, IndexError_
from tui.core.stories import add_override

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from synth import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or sys.platform == "win32",
                                reason="needs fork and SIGKILL")
FORK = multiprocessing.get_context("fork")
KILLS = 22
ARTICLES = 160
CHURN = 24
"""Files rewritten, removed and restored between runs, so every start has work to do."""


# -- the library and the indexer that gets killed -------------------------------------------


def article_ids(root: Path) -> dict[str, str]:
    """Every article id in the library and the file holding it (as the loader reads them)."""
    out: dict[str, str] = {}
    for entry in scan(root):
        for article in load_file(entry).articles:
            out[article.id] = entry.relpath
    return out


def overrides_for(stable: list[str]) -> list[tuple[str, str, str]]:
    """Merges and splits that never contradict each other (disjoint pairs)."""
    merges = [(stable[i], stable[i + 1], "merge") for i in range(0, 8, 2)]
    splits = [(stable[i], stable[i + 1], "split") for i in range(8, 16, 2)]
    return [(*sorted((a, b)), kind) for a, b, kind in merges + splits]  # type: ignore[misc]


def indexer(root: str, cache: str, log: str, stable: list[str], seed: int, force: bool,
            ready: Any) -> None:
    """The child: index the library while a reader marks articles and edits stories.

    Each decision is logged only after its transaction committed, so everything in the
    log must survive the kill.
    """
    import threading

    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        index = Index(Path(root), Path(cache), Path(cache))
        rng = random.Random(seed)
        edits = overrides_for(stable)

        def reader() -> None:
            while True:
                article = rng.choice(stable)
                op = rng.randrange(10)
                if op < 5:
                    index.set_state(article, read=True)
                    line = f"read {article}"
                elif op < 9:
                    index.set_state(article, starred=True)
                    line = f"star {article}"
                else:
                    a, b, kind = rng.choice(edits)
                    add_override(index, a, b, kind)
                    line = f"{kind} {a} {b}"
                os.write(fd, (line + "\n").encode())
                time.sleep(0.01)

        threading.Thread(target=reader, daemon=True).start()
        ready.set()
        update(index, Config(), force_cluster=force)
        os.write(fd, b"done\n")
        os._exit(0)
    except BaseException:  # noqa: B036 - report anything, then leave without cleanup
        os.write(fd, ("error " + traceback.format_exc().replace("\n", " | ") + "\n").encode())
        os._exit(1)


def run_indexer(root: Path, cache: Path, log: Path, stable: list[str], seed: int,
                force: bool, kill_after: float | None) -> float | None:
    """Run the indexer in a forked child; SIGKILL it ``kill_after`` seconds after it is
    ready (``None``: let it finish). Returns how long a finished run took, ``None`` when
    it was killed first."""
    ready = FORK.Event()
    child = FORK.Process(target=indexer, args=(str(root), str(cache), str(log), stable, seed,
                                                force, ready))
    child.start()
    assert ready.wait(30), "the indexer never started"
    started = time.monotonic()
    child.join(120 if kill_after is None else kill_after)
    if child.is_alive():
        os.kill(child.pid or 0, signal.SIGKILL)
        child.join(30)
        return None
    assert child.exitcode == 0, f"the indexer failed (exit code {child.exitcode})"
    return time.monotonic() - started


class Expected:
    """What the reader saved, according to the log of committed decisions."""

    def __init__(self) -> None:
        self.read: set[str] = set()
        self.starred: set[str] = set()
        self.overrides: set[tuple[str, str, str]] = set()

    def take(self, log: Path) -> None:
        for line in log.read_text(encoding="utf-8").splitlines():
            kind, _, rest = line.partition(" ")
            assert kind != "error", rest.replace(" | ", "\n")
            if kind == "read":
                self.read.add(rest)
            elif kind == "star":
                self.starred.add(rest)
            elif kind in ("merge", "split"):
                a, b = rest.split()
                self.overrides.add((a, b, kind))
        log.unlink()

    def check(self, index: Index) -> None:
        for article in self.read:
            assert index.state(article)[0], f"read mark of {article} lost"
        for article in self.starred:
            assert index.state(article)[1], f"star of {article} lost"
        stored = set(index.db.execute("SELECT a, b, kind FROM st.story_overrides"))
        assert self.overrides <= stored, self.overrides - stored


def assert_consistent(index: Index) -> None:
    """The index and the saved state pass SQLite's integrity check; nothing was rebuilt."""
    assert index.warnings == [], index.warnings
    assert index.db.execute("PRAGMA main.integrity_check").fetchall() == [("ok",)]
    assert index.db.execute("PRAGMA st.integrity_check").fetchall() == [("ok",)]


def assert_complete(index: Index, ids: dict[str, str]) -> None:
    """Every article of the library is indexed and analysed, and nothing else is."""
    db = index.db
    assert {r[0] for r in db.execute("SELECT id FROM articles")} == set(ids)
    for table, column in (("annotations", "article_id"), ("doc_features", "article_id"),
                          ("story_members", "article_id")):
        held = {r[0] for r in db.execute(f"SELECT {column} FROM {table}")}
        assert held == set(ids), (table, sorted(held ^ set(ids))[:5])


def churn(root: Path, files: list[Path], rng: random.Random, step: int,
          gone: list[tuple[Path, bytes]]) -> None:
    """Rewrite some files, remove one and bring back one removed earlier."""
    for path in rng.sample(files, 8):
        if path.exists():
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"\nUpdate {step}: officials in Lisbon gave {step * 7} new figures.\n")
    if gone and rng.random() < 0.7:
        path, data = gone.pop(0)
        path.write_bytes(data)
    victim = rng.choice(files)
    if victim.exists():
        gone.append((victim, victim.read_bytes()))
        victim.unlink()


@pytest.fixture(scope="module")
def synth_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults") / "lib"
    generate(root, ARTICLES, seed=11)
    return root


def test_sigkill_at_random_moments_loses_nothing(synth_library: Path, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(synth_library, root)
    cache, log = tmp_path / "cache", tmp_path / "decisions.log"
    rng = random.Random(20240604)
    files = sorted(p for p in root.rglob("*.txt"))[:CHURN]
    churned = {p.relative_to(root).as_posix() for p in files}
    stable = sorted(i for i, path in article_ids(root).items() if path not in churned)[:40]
    expected, gone = Expected(), []
    kills = finished = step = 0
    typical = 1.5  # seconds a run takes, learnt from the runs that finish first
    while kills < KILLS:
        step += 1
        assert step < 4 * KILLS, f"only {kills} kills in {step} runs"
        took = run_indexer(root, cache, log, stable, rng.randrange(10**6), step % 6 == 0,
                           rng.uniform(0.0, typical))
        if took is None:
            kills += 1
        else:
            finished += 1
            typical = max(0.1, took * 1.1)
        expected.take(log)
        index = Index(root, cache, cache)
        try:
            assert_consistent(index)
            expected.check(index)
        finally:
            index.close()
        churn(root, files, rng, step, gone)
    # The next start finishes the work, with everything the reader saved.
    assert run_indexer(root, cache, log, stable, 1, False, None) is not None
    expected.take(log)
    index = Index(root, cache, cache)
    try:
        assert_consistent(index)
        expected.check(index)
        assert_complete(index, article_ids(root))
    finally:
        index.close()
    print(f"\n{kills} kills survived ({finished} runs finished before their kill), "
          f"{len(expected.read)} read, {len(expected.starred)} starred, "
          f"{len(expected.overrides)} story edits kept")


# -- files and folders changing under the indexer --------------------------------------------


PROSE = "Officials in Lisbon said on Monday that {n} families were moved after the flood."


def small_library(root: Path, count: int = 6) -> Path:
    root.mkdir(parents=True)
    for n in range(count):
        (root / f"a{n}.txt").write_text(PROSE.format(n=n * 100 + 7), encoding="utf-8")
    return root


@pytest.fixture
def shifting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A library whose files vanish, change and appear while the index reads them."""
    root = small_library(tmp_path / "lib")
    real_load = loader_module.load_file
    done: list[bool] = []

    def load_while_shifting(entry: FileEntry, max_bytes: int) -> Any:
        if not done:
            done.append(True)
            (root / "a1.txt").unlink()  # listed by the scan, gone before it is read
            changed = root / "a2.txt"
            changed.write_text(PROSE.format(n=999_999) + " More text.", encoding="utf-8")
            os.utime(changed, ns=(1, 10**18))
            (root / "new.txt").write_text(PROSE.format(n=5), encoding="utf-8")
        return real_load(entry, max_bytes)

    monkeypatch.setattr(loader_module, "load_file", load_while_shifting)
    yield root


def test_files_vanishing_changing_and_appearing_during_refresh(shifting: Path,
                                                               tmp_path: Path) -> None:
    index = Index(shifting, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())  # must not raise
        vanished = [p for p in index.problems() if p.path == "a1.txt"]
        assert vanished and "cannot be read" in vanished[0].message
        update(index, Config())  # the next refresh settles on what is there now
        assert {r[0] for r in index.db.execute("SELECT id FROM articles")} == {
            "a0", "a2", "a3", "a4", "a5", "new"}
        assert "999999 families" in index.get("a2").body  # type: ignore[union-attr]
        assert index.problems() == []
        assert_complete(index, article_ids(shifting))
    finally:
        index.close()


def test_library_folder_removed_while_open(tmp_path: Path) -> None:
    root = small_library(tmp_path / "lib")
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        index.set_state("a0", read=True)
        shutil.rmtree(root)
        with pytest.raises(IndexError_, match="library folder not found"):
            update(index, Config())
        # What was indexed stays readable; the text of a vanished file says so.
        assert index.count() == 6 and index.get("a3") is not None
        assert index.original("a3") == "(the file is no longer there)"
        assert index.state("a0") == (True, False)
        small_library(root, 3)  # the folder comes back, smaller
        update(index, Config())
        assert index.count() == 3 and index.state("a0") == (True, False)
    finally:
        index.close()


def test_cli_reports_a_vanished_library_in_one_line(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    root = small_library(tmp_path / "lib")
    assert main(["list", str(root), "--cache-dir", str(tmp_path / "cache")]) == 0
    shutil.rmtree(root)
    capsys.readouterr()
    assert main(["list", str(root), "--cache-dir", str(tmp_path / "cache")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such folder" in err


# -- caches that cannot be written -------------------------------------------------------------


def test_uncreatable_cache_falls_back_to_a_temporary_index(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    root = small_library(tmp_path / "lib")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    assert main(["list", str(root), "--cache-dir", str(blocker / "cache")]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 6
    lines = err.splitlines()
    assert len(lines) == 1 and "temporary index" in lines[0], err


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes to read-only folders")
def test_read_only_cache_dir_falls_back_to_a_temporary_index(tmp_path: Path) -> None:
    root = small_library(tmp_path / "lib")
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        index = Index(root, cache, cache)
        update(index, Config())
        assert index.count() == 6
        assert len(index.warnings) == 1 and "temporary index" in index.warnings[0]
        index.close()
    finally:
        cache.chmod(0o700)


@pytest.mark.parametrize("pragma, reason", [("max_page_count", "full"),
                                             ("query_only", "read-only")])
def test_cache_failing_mid_update_falls_back_and_says_so(
        pragma: str, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = small_library(tmp_path / "lib")
    cache = tmp_path / "cache"
    index = Index(root, cache, cache)
    try:
        index.set_state("a4", starred=True)
        pages = index.db.execute("PRAGMA page_count").fetchone()[0]
        # The disk fills up (no page beyond those in use) or the file turns read-only.
        index.db.execute(f"PRAGMA {pragma}={pages if pragma == 'max_page_count' else 1}")
        update_library(index, Config())
        lines = capsys.readouterr().err.splitlines()
        assert len(lines) == 1 and "temporary index" in lines[0], lines
        assert index.count() == 6
        assert index.state("a4") == (False, True), "saved marks still read"
        assert cache not in index.db_path.parents
    finally:
        index.close()


# -- two indexes, two processes, one library --------------------------------------------------


def concurrent_indexer(root: str, cache: str, marks: list[str], ready: Any) -> None:
    try:
        index = Index(Path(root), Path(cache), Path(cache))
        ready.wait(30)
        for article in marks:
            index.set_state(article, read=True)
        update(index, Config())
        for article in marks:
            index.set_state(article, starred=True)
        os._exit(0)
    except BaseException:  # noqa: B036
        traceback.print_exc()
        os._exit(1)


def test_two_processes_index_one_library_at_once(synth_library: Path, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(synth_library, root)
    files = sorted(root.rglob("*.txt"))
    for path in files[40:]:  # a smaller library: the point is the overlap, not the size
        path.unlink()
    for path in root.rglob("*.json*"):
        path.unlink()
    ids = sorted(article_ids(root))
    cache = tmp_path / "cache"
    go = FORK.Event()
    halves = [ids[: len(ids) // 2], ids[len(ids) // 2 :]]
    children = [FORK.Process(target=concurrent_indexer, args=(str(root), str(cache), half, go))
                for half in halves]
    for child in children:
        child.start()
    go.set()
    for child in children:
        child.join(120)
    assert [c.exitcode for c in children] == [0, 0]
    index = Index(root, cache, cache)
    try:
        assert_consistent(index)
        assert_complete(index, article_ids(root))
        assert all(index.state(i) == (True, True) for i in ids)
        assert index.problems() == []
    finally:
        index.close()


def test_reports_left_out_by_another_process_join_their_stories(tmp_path: Path) -> None:
    from tui.core.pipeline import cluster_config
    from tui.core.stories import recluster

    root = small_library(tmp_path / "lib", 8)
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        # As a full rewrite from a snapshot read before another process added "a3" leaves it.
        with index.transaction() as db:
            db.execute("DELETE FROM story_members WHERE article_id = 'a3'")
        recluster(index, cluster_config(Config()), [], [])
        assert_complete(index, article_ids(root))
        assert_consistent(index)
    finally:
        index.close()


def test_two_indexes_in_one_process(tmp_path: Path) -> None:
    root = small_library(tmp_path / "lib", 12)
    first = Index(root, tmp_path / "cache", tmp_path / "cache")
    second = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(first, Config())
        second.set_state("a3", read=True)
        (root / "a3.txt").write_text(PROSE.format(n=1) + " Edited.", encoding="utf-8")
        update(second, Config())
        assert first.count() == second.count() == 12
        assert first.state("a3") == (True, False)
        assert "Edited" in (first.get("a3").body)  # type: ignore[union-attr]
        for index in (first, second):
            assert_consistent(index)
    finally:
        first.close()
        second.close()


def test_a_crash_between_stages_is_finished_by_the_next_update(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    """Stopped right after the files were read (the stages after it never ran)."""
    from tui.core import pipeline

    root = small_library(tmp_path / "lib")
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        (root / "a9.txt").write_text(PROSE.format(n=42), encoding="utf-8")
        (root / "a0.txt").unlink()

        def crash(*_args: Any, **_kwargs: Any) -> None:
            raise KeyboardInterrupt

        for stage in ("annotate_articles", "store_features", "recluster"):
            with monkeypatch.context() as patch:
                patch.setattr(pipeline, stage, crash)
                with pytest.raises(KeyboardInterrupt):
                    update(index, Config())
            update(index, Config())
            assert_complete(index, article_ids(root))
            (root / f"b{stage}.txt").write_text(PROSE.format(n=len(stage)), encoding="utf-8")
            (root / "a1.txt").unlink(missing_ok=True)
    finally:
        index.close()


def test_sqlite_errors_name_the_database(tmp_path: Path) -> None:
    """A database that is not SQLite at all is moved aside, never trusted."""
    root = small_library(tmp_path / "lib")
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    update(index, Config())
    index.set_state("a2", read=True)
    path = index.db_path
    index.close()
    path.write_bytes(b"\0" * 4096)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    reopened = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        assert any("rebuilt" in w for w in reopened.warnings)
        update(reopened, Config())
        assert reopened.count() == 6 and reopened.state("a2") == (True, False)
        assert reopened.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        reopened.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (6,)
