"""Side by side: two reports sentence against sentence."""

from __future__ import annotations

from textual.app import App

from tui.core.store import Index


def open_compare(app: App[object], index: Index, article_id: str) -> None:
    """Open the comparison of ``article_id`` with its closest related report."""
    app.notify("The side-by-side comparison arrives with its own issue.", markup=False)
