"""The key bar at the bottom of every screen, compact when the terminal is narrow."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 120
"""Terminal widths under this drop the padding between keys, so Quit and Help still fit."""
PALETTE_FROM = 100
"""The ``^p Commands`` hint shows from this width (``ctrl+p`` works at any width)."""


class KeyBar(Footer):
    """Textual's footer, switching to its compact style on narrow terminals."""

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
        self.show_command_palette = event.size.width >= PALETTE_FROM
