"""Bring a library's index and every analysis stored with it up to date, incrementally.

Stages: read changed files → annotate them (entities, figures) → fingerprint them →
update the stories they touch → regroup entity names → compare the figures of every
story whose membership or reports changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from tui.core.annotations import (
    annotate_articles,
    compare_stories,
    missing_annotations,
    regroup_entities,
    stories_needing_comparison,
)
from tui.core.cluster_config import ClusterConfig
from tui.core.config import Config
from tui.core.store import Cancel, Index, RefreshReport
from tui.core.stories import recluster, store_features

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

    report = index.refresh(stage("Reading files"), cancel)
    if on_read is not None:
        on_read(report)
    removed = report.removed_ids
    to_annotate = sorted(set(report.changed_ids) | set(missing_annotations(index)))
    if to_annotate or removed:
        annotate_articles(index, to_annotate, removed, config.gazetteer,
                          stage("Finding names and figures"), cancel)
    if stopped():
        return report
    to_fingerprint = sorted(set(report.changed_ids) | set(_missing_features(index)))
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
    if to_annotate or removed or force_cluster:
        regroup_entities(index, config.gazetteer)
    stale = stale_stories(index) | stories_needing_comparison(index, to_annotate)
    if stale:
        compare_stories(index, sorted(stale), config.figures.get("about_tolerance"))
    return report


def cluster_config(config: Config) -> ClusterConfig:
    """The clustering thresholds: defaults overridden by the config's ``clustering`` section."""
    return ClusterConfig.from_dict(config.clustering)


def _missing_features(index: Index) -> list[str]:
    """Articles without stored features (after a crash or an interrupted run)."""
    rows = index.db.execute(
        "SELECT id FROM articles a WHERE NOT EXISTS"
        " (SELECT 1 FROM doc_features f WHERE f.article_id = a.id)").fetchall()
    return [r[0] for r in rows]


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
