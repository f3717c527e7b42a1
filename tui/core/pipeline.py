"""Bring a library's index and every analysis stored with it up to date, incrementally."""

from __future__ import annotations

from collections.abc import Callable

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
) -> RefreshReport:
    """Re-read changed files, then update the analyses for what changed.

    ``progress(stage, done, total)`` is called as each stage advances.
    """

    def stage(name: str) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            if progress is not None:
                progress(name, done, total)

        return report

    report = index.refresh(stage("Reading files"), cancel)
    missing = _missing_features(index)
    if cancel is not None and cancel():
        return report
    if report.touched or missing or force_cluster:
        todo = sorted(set(report.changed_ids) | set(missing))
        store_features(index, todo, report.removed_ids, None, stage("Fingerprinting"), cancel)
        if cancel is not None and cancel():
            return report
        recluster(index, cluster_config(config), todo, report.removed_ids,
                  full=force_cluster, progress=stage("Grouping stories"), cancel=cancel)
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
