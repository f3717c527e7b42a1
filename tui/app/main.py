"""Start the app from the CLI."""

from __future__ import annotations

from pathlib import Path

from tui.app.app import build_app
from tui.commands.base import Context
from tui.core.config import cache_root, state_root


def run_app(ctx: Context, root: Path) -> int:
    """Open the app on ``root`` with the CLI's cache options; return the exit code."""
    no_cache = bool(getattr(ctx.args, "no_cache", False))
    cache_dir = getattr(ctx.args, "cache_dir", None)
    app = build_app(
        root,
        ctx.config,
        None if no_cache else cache_root(cache_dir),
        None if no_cache else state_root(cache_dir),
    )
    app.run()
    return app.return_code or 0
