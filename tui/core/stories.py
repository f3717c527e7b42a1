"""Keep the index's stories in step with the articles, incrementally.

Each article's duplicate-detection features and the candidate index are stored in the
index, so a warm start costs nothing and a change re-scores only what it touches. User
merges and splits (``st.story_overrides``) are applied on every clustering.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import secrets
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from tui.core.cluster import Changes, Clustering, Story, cluster, regroup_changes, update_changes
from tui.core.cluster_config import ClusterConfig
from tui.core.cluster_index import CandidateIndex
from tui.core.dedup import DocFeatures, DocInput, features
from tui.core.dedup_score import PairScore
from tui.core.entities_index import mark_all_contexts, mark_contexts
from tui.core.store import Cancel, Index

Progress = Callable[[int, int], None]

CHUNK = 500
"""Articles fingerprinted per batch (one transaction, one task for a worker process)."""
PARALLEL_MIN = 2000
"""Above this many articles to fingerprint, worker processes share the work."""


class FeatureStore(Mapping[str, DocFeatures]):
    """Document features read from the index on demand (a warm start loads none)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._cache: dict[str, DocFeatures] = {}

    def __getitem__(self, key: str) -> DocFeatures:
        found = self._cache.get(key)
        if found is None:
            row = self.index.db.execute("SELECT data FROM doc_features WHERE article_id=?",
                                        (key,)).fetchone()
            if row is None:
                raise KeyError(key)
            found = self._cache[key] = DocFeatures.from_bytes(row[0])
        return found

    def __contains__(self, key: object) -> bool:
        if key in self._cache:
            return True
        return self.index.db.execute("SELECT 1 FROM doc_features WHERE article_id=?",
                                     (key,)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.index.db.execute("SELECT article_id FROM doc_features"))

    def __len__(self) -> int:
        return int(self.index.db.execute("SELECT count(*) FROM doc_features").fetchone()[0])


def doc_input(index: Index, article_id: str, entities: Sequence[str] = ()) -> DocInput | None:
    """What duplicate detection reads from one article."""
    row = index.db.execute("SELECT title, body, date FROM articles WHERE id=?",
                           (article_id,)).fetchone()
    if row is None:
        return None
    return DocInput(article_id, row[0], row[1], row[2], entities)


def _doc_inputs(index: Index, ids: Sequence[str],
                entity_names: Callable[[str], Sequence[str]] | None) -> list[DocInput]:
    """The inputs of ``ids`` (those still in the index), read in one query."""
    marks = ",".join("?" * len(ids))
    rows = index.db.execute(
        f"SELECT id, title, body, date FROM articles WHERE id IN ({marks})", list(ids))
    return [DocInput(i, t, b, d, entity_names(i) if entity_names else ()) for i, t, b, d in rows]


def fingerprint_chunk(docs: Sequence[DocInput]) -> list[tuple[str, bytes]]:
    """Serialised features of ``docs`` (a top-level function, so worker processes can run
    it under the ``spawn`` start method)."""
    return [(d.id, features(d).to_bytes()) for d in docs]


def _chunks(index: Index, ids: Sequence[str],
            entity_names: Callable[[str], Sequence[str]] | None) -> Iterator[list[DocInput]]:
    """The inputs of ``ids`` in chunks of :data:`CHUNK` (read lazily, as workers ask)."""
    for start in range(0, len(ids), CHUNK):
        yield _doc_inputs(index, ids[start : start + CHUNK], entity_names)


def store_features(index: Index, ids: Sequence[str], removed: Sequence[str],
                   entity_names: Callable[[str], Sequence[str]] | None = None,
                   progress: Progress | None = None, cancel: Cancel | None = None,
                   processes: int | None = None) -> None:
    """Compute and store the features of changed articles; forget removed ones.

    More than :data:`PARALLEL_MIN` articles are fingerprinted by a pool of ``processes``
    workers (default: one per core, at most two) while this process reads and writes.
    """
    with index.transaction() as db:
        db.executemany("DELETE FROM doc_features WHERE article_id=?", [(i,) for i in removed])
    procs = processes if processes is not None else min(os.cpu_count() or 1, 2)
    chunks = _chunks(index, list(ids), entity_names)
    if len(ids) > PARALLEL_MIN and procs > 1:
        with multiprocessing.get_context("spawn").Pool(procs) as pool:
            _store_results(index, _windowed(pool, chunks, 2 * procs), len(ids), progress,
                           cancel)
    else:
        _store_results(index, map(fingerprint_chunk, chunks), len(ids), progress, cancel)


def _windowed(pool: Pool, chunks: Iterator[list[DocInput]],
              window: int) -> Iterator[list[tuple[str, bytes]]]:
    """Results of :func:`fingerprint_chunk` in order, with at most ``window`` chunks in
    flight (so a large library's texts are never all in memory at once)."""
    pending: deque[AsyncResult[list[tuple[str, bytes]]]] = deque()
    for chunk in chunks:
        pending.append(pool.apply_async(fingerprint_chunk, (chunk,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _store_results(index: Index, results: Iterable[list[tuple[str, bytes]]], total: int,
                   progress: Progress | None, cancel: Cancel | None) -> None:
    """Write fingerprinted chunks as they arrive; stop early when cancelled."""
    done = 0
    for batch in results:
        with index.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO doc_features VALUES (?, ?)", batch)
        done = min(done + CHUNK, total)
        if progress is not None:
            progress(done, total)
        if cancel is not None and cancel():
            break


def overrides(index: Index) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The user's ``(must_link, cannot_link)`` pairs."""
    rows = index.db.execute("SELECT a, b, kind FROM st.story_overrides").fetchall()
    return ([(a, b) for a, b, k in rows if k == "merge"],
            [(a, b) for a, b, k in rows if k == "split"])


def recluster(index: Index, config: ClusterConfig, changed: Sequence[str],
              removed: Sequence[str], full: bool = False, progress: Progress | None = None,
              cancel: Cancel | None = None) -> None:
    """Update the stories for changed/removed articles (everything when ``full``)."""
    _recluster(index, config, changed, removed, full, progress, cancel)
    if cancel is not None and cancel():
        return
    # Another process may have added reports while this one clustered from what it had
    # read before: a full rewrite then left them out. They join their stories now.
    reports, members = index.db.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM story_members)"
    ).fetchone()
    if reports == members:  # the usual case, read from two counts (the full query: 50 ms)
        return
    late = [r[0] for r in index.db.execute(
        "SELECT f.article_id FROM doc_features f JOIN articles a ON a.id = f.article_id"
        " WHERE f.article_id NOT IN (SELECT article_id FROM story_members)")]
    if late:
        _recluster(index, config, late, [], False, progress, cancel)


def _recluster(index: Index, config: ClusterConfig, changed: Sequence[str],
               removed: Sequence[str], full: bool, progress: Progress | None,
               cancel: Cancel | None) -> None:
    must, cannot = overrides(index)
    docs = FeatureStore(index)
    token = _candidate_token(index)
    saved = _load_candidate_index(index, config)
    if full or saved is None:
        all_docs = list(docs.values())
        result = cluster(all_docs, config, progress, cancel, must, cannot)
        _write_all(index, result)
        if result.index is not None:
            _save_candidate_index(index, result.index, token)
        return
    live = [i for i in changed if i in docs]
    changes = update_changes(_StoredStories(index), docs, live, list(removed), config, must,
                             cannot, progress, cancel, saved)
    _write_changes(index, changes, live)
    _save_candidate_index(index, saved, token)


def _candidate_token(index: Index) -> str | None:
    """What names the stored candidate index (to tell whether another process replaced it)."""
    row = index.db.execute(
        "SELECT CASE WHEN typeof(value) = 'blob' THEN 'blob:' || length(value) ELSE value END"
        " FROM meta WHERE key='candidate_index'").fetchone()
    return None if row is None else str(row[0])


def _candidates_path(index: Index) -> Path:
    return index.db_path.with_name("candidates.npz")


def _save_candidate_index(index: Index, saved: CandidateIndex, loaded: str | None) -> None:
    """Keep the candidate index in a file beside the index, named by a token in ``meta``.

    It is tens of MB at 100k articles: stored in SQLite, rewriting it on every update
    filled the write-ahead log and made its checkpoint cost seconds. The file is replaced
    while the write lock is held and the token changes in the same transaction, so a
    file that does not match the index (a crash between the two) is never used.
    """
    token = secrets.token_hex(8)
    path = _candidates_path(index)
    with index.transaction() as db:
        if _candidate_token(index) != loaded:
            # Another process stored its own since ``saved`` was loaded: each misses the
            # other's reports, so neither is kept and the next update clusters afresh.
            db.execute("DELETE FROM meta WHERE key='candidate_index'")
            return
        try:
            scratch = path.with_name(f"{path.name}.{token}.tmp")
            scratch.write_bytes(token.encode() + b"\n" + saved.to_bytes())
            os.replace(scratch, path)
        except OSError:  # no room for it: the next update clusters everything again
            scratch.unlink(missing_ok=True)
            db.execute("DELETE FROM meta WHERE key='candidate_index'")
            return
        db.execute("INSERT OR REPLACE INTO meta VALUES ('candidate_index', ?)",
                   (f"file:{token}",))


def regroup_stories(index: Index, config: ClusterConfig, ids: Sequence[str]) -> None:
    """Cluster again the stories holding ``ids`` after the reader's merge or split.

    Features and corpus statistics are unchanged, so nothing is re-indexed.
    """
    saved = _load_candidate_index(index, config)
    if saved is None:
        recluster(index, config, ids, [], full=True)
        return
    must, cannot = overrides(index)
    changes = regroup_changes(_StoredStories(index), FeatureStore(index), ids, set(ids),
                              config, must, cannot, None, None, saved)
    _write_changes(index, changes, ids)


class _StoredStories:
    """The stories in the index, looked up one at a time (a :class:`StoryLookup`)."""

    def __init__(self, index: Index) -> None:
        self.db = index.db

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM story_members WHERE article_id=?",
                              (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def members(self, story_id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT article_id FROM story_members WHERE story_id=? ORDER BY position",
            (story_id,))]

    def signature(self, story_id: str) -> tuple[object, ...] | None:
        """What a story's row and members say (see :func:`_signature`)."""
        row = self.db.execute("SELECT label, first_date, last_date FROM stories WHERE id=?",
                              (story_id,)).fetchone()
        if row is None:
            return None
        copies: dict[str, set[str]] = {}
        members = []
        for article_id, copy_of in self.db.execute(
                "SELECT article_id, copy_of FROM story_members WHERE story_id=?", (story_id,)):
            members.append(article_id)
            if copy_of:
                copies.setdefault(copy_of, {copy_of}).add(article_id)
        return (frozenset(members), frozenset(frozenset(g) for g in copies.values()), *row)


def _load_candidate_index(index: Index, config: ClusterConfig) -> CandidateIndex | None:
    row = index.db.execute("SELECT value FROM meta WHERE key='candidate_index'").fetchone()
    value = row[0] if row else None
    if isinstance(value, bytes) and value:  # written by an older version, in the index
        return CandidateIndex.from_bytes(value, config)
    if not isinstance(value, str) or not value.startswith("file:"):
        return None
    try:
        data = _candidates_path(index).read_bytes()
    except OSError:
        return None
    token, _, body = data.partition(b"\n")
    return CandidateIndex.from_bytes(body, config) if token.decode() == value[5:] else None


def _write_all(index: Index, result: Clustering) -> None:
    with index.transaction() as db:
        db.execute("DELETE FROM stories")
        db.execute("DELETE FROM story_members")
        db.execute("DELETE FROM pairs")
        mark_all_contexts(db)
        # Every story may have changed: the next comparison checks each one's members.
        db.execute("INSERT OR REPLACE INTO meta VALUES ('figure_check', 'all')")
        _insert(db, result.stories, result.pairs)


def _write_changes(index: Index, changes: Changes, changed: Sequence[str]) -> None:
    """Write the stories that differ from the ones they replace, and their pairs.

    A story clustered again with the same reports, copies, label and dates is left as it
    is (its figures and names need no new look), unless it holds a changed report.
    """
    stored = _StoredStories(index)
    before = {sid: stored.signature(sid) for sid in changes.replaced}
    after = {s.id: _signature(s) for s in changes.stories}
    edited = set(changed)
    new = [s for s in changes.stories
           if before.get(s.id) != after[s.id] or edited.intersection(s.articles)]
    rewritten = {s.id for s in new}
    gone = [sid for sid in before if sid in rewritten or after.get(sid) != before[sid]]
    touched = {a for sid in gone for a in stored.members(sid)} | {
        a for s in new for a in s.articles}
    with index.transaction() as db:
        marked = sorted({*gone, *rewritten})
        mark_contexts(db, marked)
        db.executemany("INSERT OR IGNORE INTO story_dirty VALUES (?)", [(i,) for i in marked])
        for sid in gone:
            db.execute("DELETE FROM stories WHERE id=?", (sid,))
            db.execute("DELETE FROM story_members WHERE story_id=?", (sid,))
        db.executemany("DELETE FROM pairs WHERE a=? OR b=?", [(a, a) for a in touched])
        db.execute("DELETE FROM story_members WHERE article_id NOT IN (SELECT id FROM articles)")
        pairs = [p for p in changes.related if p.a in touched or p.b in touched]
        _insert(db, new, pairs)


def _signature(story: Story) -> tuple[object, ...]:
    """A story's reports, copy groups, label and dates, whatever their order."""
    return (frozenset(story.articles), frozenset(frozenset(g) for g in story.copies),
            story.label, story.first_date, story.last_date)


def _insert(db: sqlite3.Connection, stories: Sequence[Story], pairs: Sequence[PairScore]) -> None:
    """Insert stories with their members (lead first, copies under their original)."""
    best: dict[str, tuple[str, float]] = {}
    for p in pairs:
        for x in (p.a, p.b):
            if p.score > best.get(x, ("", -1.0))[1]:
                best[x] = (p.relation, p.score)
    db.executemany("INSERT OR REPLACE INTO pairs VALUES (?,?,?,?,?)", [
        (p.a, p.b, p.score, p.relation, json.dumps(p.reasons, ensure_ascii=False))
        for p in pairs])
    sources = _sources(db, [a for story in stories for a in story.articles])
    story_rows: list[tuple[Any, ...]] = []
    member_rows: list[tuple[Any, ...]] = []
    for story in stories:
        _story_rows(story, best, sources, story_rows, member_rows)
    db.executemany("INSERT OR REPLACE INTO stories VALUES (?,?,?,?,?,?,?,?,?)", story_rows)
    db.executemany("INSERT OR REPLACE INTO story_members VALUES (?,?,?,?,?,?)", member_rows)


def _sources(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    """Each article's source (all of a library's in one pass when there are many)."""
    if len(ids) > 5000:
        return dict(db.execute("SELECT id, source FROM articles"))
    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        out.update(db.execute(f"SELECT id, source FROM articles WHERE id IN"
                              f" ({','.join('?' * len(chunk))})", chunk))
    return out


def _story_rows(story: Story, best: dict[str, tuple[str, float]], sources: dict[str, str],
                story_rows: list[tuple[Any, ...]], member_rows: list[tuple[Any, ...]]) -> None:
    copy_of = {c: group[0] for group in story.copies for c in group[1:]}
    order = _member_order(story, copy_of)
    names = sorted({sources[a] for a in order if sources.get(a)})
    story_rows.append((
        story.id, story.label, story.first_date, story.last_date, len(story.articles),
        len(copy_of), ", ".join(names)[:80], 0,
        # Newest first (the list reads it descending); undated stories go last.
        f"{story.last_date or '0000-00-00'}|{story.id}"))
    for position, article_id in enumerate(order):
        relation = "copy" if article_id in copy_of else (
            "original" if position == 0 else "same-story")
        score = best.get(article_id, ("", 0.0))[1]
        member_rows.append((article_id, story.id, copy_of.get(article_id), relation, score,
                            position))


def _member_order(story: Story, copy_of: dict[str, str]) -> list[str]:
    """Originals in story order, each followed by its copies."""
    order: list[str] = []
    for article_id in story.articles:
        if article_id in copy_of:
            continue
        order.append(article_id)
        order.extend(c for c, original in copy_of.items() if original == article_id)
    return order


def add_override(index: Index, a: str, b: str, kind: str) -> None:
    """Record a user's merge or split of two articles' stories (kept across re-indexing)."""
    first, second = sorted((a, b))
    with index.transaction() as db:
        db.execute("INSERT OR REPLACE INTO st.story_overrides VALUES (?,?,?,?)",
                   (first, second, kind, time.time()))


# -- which stories' figures must be compared again -----------------------------------


def changed_stories(index: Index) -> set[str]:
    """Stories whose membership changed since their figures were last compared: those the
    clustering marked, or (after a full clustering, or in an index from before the marks)
    every story whose members differ from the ones recorded at its last comparison."""
    meta = dict(index.db.execute(
        "SELECT key, value FROM meta WHERE key IN ('story_marks', 'figure_check')"))
    if "figure_check" in meta or "story_marks" not in meta:
        return stale_stories(index)
    return {r[0] for r in index.db.execute("SELECT story_id FROM story_dirty")}


def forget_changed_stories(index: Index, ids: Iterable[str]) -> None:
    """Record that the figures of the changed stories ``ids`` were compared again."""
    with index.transaction() as db:
        db.executemany("DELETE FROM story_dirty WHERE story_id=?", [(i,) for i in ids])
        db.execute("DELETE FROM meta WHERE key='figure_check'")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('story_marks', '1')")


def stale_stories(index: Index) -> set[str]:
    """Stories whose membership changed since their figures were last compared."""
    current = {
        sid: hashlib.blake2b(members.encode(), digest_size=8).hexdigest()
        for sid, members in index.db.execute(
            "SELECT story_id, group_concat(article_id, '|') FROM"
            " (SELECT story_id, article_id FROM story_members ORDER BY story_id, article_id)"
            " GROUP BY story_id")
    }
    known = dict(index.db.execute("SELECT story_id, members FROM figure_state").fetchall())
    stale = {sid for sid, digest in current.items() if known.get(sid) != digest}
    with index.transaction() as db:
        db.executemany("DELETE FROM figure_state WHERE story_id=?",
                       [(sid,) for sid in known if sid not in current])
        db.executemany("DELETE FROM figure_groups WHERE story_id=?",
                       [(sid,) for sid in known if sid not in current])
        db.executemany("INSERT OR REPLACE INTO figure_state VALUES (?, ?)",
                       [(sid, current[sid]) for sid in stale])
    return stale
