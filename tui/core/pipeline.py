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

    return index.refresh(reading, cancel)
