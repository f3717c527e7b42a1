"""Bring a library's index and every analysis stored with it up to date, incrementally.

Stages: read changed files → annotate them (entities, figures) → fingerprint them →
update the stories they touch → regroup entity names → compare the figures of every
story whose membership or reports changed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence

from tui.core.annotations import (
    annotate_articles,
    compare_stories,
    missing_annotations,
    stories_needing_comparison,
)
from tui.core.cluster_config import ClusterConfig
from tui.core.config import Config
from tui.core.entities import MAX_ENTITIES
from tui.core.entities_index import regroup_entities, regroup_pending
from tui.core.figures import MAX_FIGURES
from tui.core.loader import article_id
from tui.core.store import Cancel, Index, RefreshReport, cannot_write
from tui.core.stories import changed_stories, forget_changed_stories, recluster, store_features

StageProgress = Callable[[str, int, int], None]


def update(
    index: Index,
    config: Config,
    progress: StageProgress | None = None,
    cancel: Cancel | None = None,
    force_cluster: bool = False,
    on_read: Callable[[RefreshReport], None] | None = None,
) -> RefreshReport:
    """Re-read changed files, then update the analyses for what changed.

    ``progress(stage, done, total)`` is called as each stage advances; ``cancel()`` is
    polled between batches, and an interrupted run is finished by the next one.
    ``on_read(report)`` is called once the files are read and searchable, before the
    analyses: an app can list new reports while their stories are still being worked out.
    """

    def stage(name: str) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            if progress is not None:
                progress(name, done, total)

        return report

    def stopped() -> bool:
        return cancel is not None and cancel()

    # Work an interrupted run (or one running elsewhere) may have left half done.
    interrupted = index.pending()
    report = index.refresh(stage("Reading files"), cancel)
    if on_read is not None:
        on_read(report)
    removed = report.removed_ids
    recorded = settings_changed(index, config)
    changed_settings = recorded or set()
    force_cluster = force_cluster or "clustering" in changed_settings
    # Nothing read, nothing pending from an interrupted run, settings recorded and unchanged:
    # every analysis is up to date, and the library-wide checks below can be skipped.
    behind = index.pending() or recorded is None or bool(changed_settings) or force_cluster
    # Reports this run did not read can miss an analysis only after an interruption (or
    # a settings change): only then is the whole library looked through for them.
    leftovers = interrupted or recorded is None or bool(changed_settings) or force_cluster
    to_annotate = sorted(set(report.changed_ids) | (
        set(missing_annotations(index)) if leftovers else set()) | (
        {r[0] for r in index.db.execute("SELECT id FROM articles")}
        if "gazetteer" in changed_settings else set()))
    if to_annotate or removed:
        annotate_articles(index, to_annotate, removed, config.gazetteer,
                          stage("Finding names and figures"), cancel)
        note_analysis_caps(index, to_annotate)
    if stopped():
        return report
    to_fingerprint = sorted(set(report.changed_ids) | (
        set(_missing_features(index)) if leftovers else set()))
    if to_fingerprint or removed or force_cluster:
        # Duplicate detection extracts its own name keys: feeding it the recogniser's
        # entities made shared background names (countries, officials) outweigh the
        # event evidence and pulled reports of a later strike into the story.
        store_features(index, to_fingerprint, removed, None, stage("Fingerprinting"), cancel)
        if stopped():
            return report
        recluster(index, cluster_config(config), to_fingerprint, removed,
                  full=force_cluster, progress=stage("Grouping stories"), cancel=cancel)
    if stopped():
        return report
    if to_annotate or removed or force_cluster or regroup_pending(index):
        regroup_entities(index, config.gazetteer, full="gazetteer" in changed_settings)
    if not behind:
        return report
    stale = changed_stories(index) | stories_needing_comparison(index, to_annotate)
    if "figures" in changed_settings:
        stale |= {r[0] for r in index.db.execute("SELECT id FROM stories")}
    if stale:
        compare_stories(index, sorted(stale), config.figures.get("about_tolerance"))
    if not stopped():
        forget_changed_stories(index, stale)
        remember_settings(index, config)
        index.clear_pending()
    return report


def _settings(config: Config) -> dict[str, str]:
    """A digest of each config section the stored analyses depend on."""
    return {name: hashlib.blake2b(json.dumps(value, sort_keys=True, default=str).encode(),
                                  digest_size=8).hexdigest()
            for name, value in (("clustering", config.clustering),
                                ("figures", config.figures),
                                ("gazetteer", config.gazetteer))}


def settings_changed(index: Index, config: Config) -> set[str] | None:
    """The config sections changed since the index was last brought up to date with them;
    ``None`` for an index that has never recorded any (everything in it is new anyway)."""
    row = index.db.execute("SELECT value FROM meta WHERE key='settings'").fetchone()
    if row is None:
        return None
    try:
        known = json.loads(row[0])
    except (TypeError, ValueError):
        known = {}
    return {name for name, digest in _settings(config).items() if known.get(name) != digest}


def remember_settings(index: Index, config: Config) -> None:
    """Record the settings the index now reflects."""
    with index.transaction() as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('settings', ?)",
                   (json.dumps(_settings(config), sort_keys=True),))


def update_or_fall_back(
    index: Index,
    config: Config,
    warn: Callable[[str], None],
    progress: StageProgress | None = None,
    cancel: Cancel | None = None,
    on_read: Callable[[RefreshReport], None] | None = None,
) -> RefreshReport:
    """:func:`update`; when the cache cannot be written (full disk, read-only file), carry on
    in a temporary index, passing the reason to ``warn``, and update that instead."""
    try:
        return update(index, config, progress, cancel, on_read=on_read)
    except sqlite3.OperationalError as exc:
        if not cannot_write(exc):
            raise
        index.use_temporary(str(exc))
        warn(index.warnings[-1])
        return update(index, config, progress, cancel, on_read=on_read)


def note_analysis_caps(index: Index, ids: Sequence[str]) -> None:
    """A warning among the library's problems for each article whose names or figures
    were cut at :data:`MAX_ENTITIES` / :data:`MAX_FIGURES` (so the cut is never silent)."""
    found: list[tuple[str, str]] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        rows = index.db.execute(
            "SELECT a.path, a.id, n.spans, n.figures FROM annotations n"
            " JOIN articles a ON a.id = n.article_id"
            f" WHERE n.article_id IN ({','.join('?' * len(chunk))})"
            # length() first: it is free, and no short text can hold that many items
            " AND ((length(n.spans) >= ? AND json_array_length(n.spans) >= ?)"
            " OR (length(n.figures) >= ? AND json_array_length(n.figures) >= ?))",
            [*chunk, 10 * MAX_ENTITIES, MAX_ENTITIES, 10 * MAX_FIGURES, MAX_FIGURES])
        for path, aid, spans, figures in rows:
            which = f"article {aid!r}: " if aid != article_id(path) else ""
            for items, limit, what in ((spans, MAX_ENTITIES, "names"),
                                       (figures, MAX_FIGURES, "figures")):
                listed = json.loads(items)
                if len(listed) >= limit:
                    found.append((path, f"{which}only the first {limit:,} {what} were analysed"
                                        f" (up to character {listed[-1][1]:,})"))
    if not found:
        return
    with index.transaction() as db:
        db.executemany("INSERT INTO problems SELECT ?, ?, 'warning' WHERE NOT EXISTS"
                       " (SELECT 1 FROM problems WHERE path=? AND message=?)",
                       [(path, msg, path, msg) for path, msg in found])


def cluster_config(config: Config) -> ClusterConfig:
    """The clustering thresholds: defaults overridden by the config's ``clustering`` section."""
    return ClusterConfig.from_dict(config.clustering)


def _missing_features(index: Index) -> list[str]:
    """Articles without stored features (after a crash or an interrupted run)."""
    rows = index.db.execute(
        "SELECT id FROM articles a WHERE NOT EXISTS"
        " (SELECT 1 FROM doc_features f WHERE f.article_id = a.id)").fetchall()
    return [r[0] for r in rows]
