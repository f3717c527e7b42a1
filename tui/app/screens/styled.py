"""A screen that skips Textual's restyle of every widget when it is first shown."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import Screen

R = TypeVar("R")


class StyledOnMount(Screen[R], Generic[R]):
    """Call :meth:`mounted_styled` at the end of ``on_mount``: the restyle Textual does as
    the screen is first shown is skipped (its widgets were styled a moment ago, as they
    were mounted, and nothing has changed; milliseconds per widget)."""

    _just_mounted = False

    def mounted_styled(self) -> None:
        self._just_mounted = True
        self.call_after_refresh(setattr, self, "_just_mounted", False)  # only that one

    def update_node_styles(self, animate: bool = True) -> None:
        if self._just_mounted:
            self._just_mounted = False
            return
        super().update_node_styles(animate)
