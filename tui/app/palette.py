"""The command palette (ctrl+p), built from a declarative table of commands."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from tui.app.app import CrosscheckApp
    from tui.app.screens.library import LibraryScreen

# (name, help, method on the app or its current screen)
COMMAND_TABLE: tuple[tuple[str, str, str], ...] = (
    ("Toggle flat list", "Stories ↔ a flat list of every article", "toggle_flat"),
    ("Cycle sort order", "Flat list sorted by date, source, title or size", "cycle_sort"),
    ("Show problems", "Files that could not be read, with reasons", "problems"),
    ("Re-index library", "Read changed files and update stories", "reindex"),
    ("Search", "Focus the search box", "focus_search"),
    ("Theme: dark", "Switch to crosscheck-dark", "theme:crosscheck-dark"),
    ("Theme: light", "Switch to crosscheck-light", "theme:crosscheck-light"),
    ("Help", "Keys of the current screen", "help"),
)


class CrosscheckCommands(Provider):
    """Crosscheck's own commands, plus "open article" by title."""

    @property
    def cc_app(self) -> CrosscheckApp:
        from tui.app.app import CrosscheckApp

        assert isinstance(self.app, CrosscheckApp)
        return self.app

    def _runner(self, target: str) -> Callable[[], object]:
        app = self.cc_app
        if target.startswith("theme:"):
            return partial(setattr, app, "theme", target.split(":", 1)[1])
        for node in (app.screen, app):
            method = getattr(node, f"action_{target}", None)
            if method is not None:
                return method  # type: ignore[no-any-return]
        def on_library() -> None:
            library = self._back_to_library()
            if library is not None:
                getattr(library, f"action_{target}")()

        return on_library

    def _back_to_library(self) -> LibraryScreen | None:
        """Close the screens above the library; the library screen (``None`` if none)."""
        from tui.app.screens.library import LibraryScreen

        app = self.cc_app
        library = next((s for s in app.screen_stack if isinstance(s, LibraryScreen)), None)
        while library is not None and app.screen is not library:
            app.pop_screen()
        return library

    async def discover(self) -> Hits:
        for name, help_text, target in COMMAND_TABLE:
            yield DiscoveryHit(name, self._runner(target), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, target in COMMAND_TABLE:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), self._runner(target), help=help_text)
        # "story ganja" (or "go to story ganja") puts the stories first.
        words, stories_first = query, False
        for prefix in ("go to story ", "story "):
            if query.casefold().startswith(prefix):
                words, stories_first = query[len(prefix):], True
        if len(words) >= 3:
            found = self._titles(words)
            for article_id, title in found:
                # Text, never a markup string: a title like "[bold]x" must show as typed.
                yield Hit(0.5, Text(f"Open: {title}"), partial(self._open, article_id),
                          text=f"Open: {title}")
            for story_id, label, count in self._stories([i for i, _ in found]):
                name = f"Go to story: {label} ({count} reports)"
                yield Hit(0.95 if stories_first else 0.45, Text(name),
                          partial(self._story, story_id), text=name)

    def _titles(self, query: str) -> list[tuple[str, str]]:
        from tui.core.search import search

        try:
            hits = search(self.cc_app.index, query, limit=8)
        except ValueError:
            return []
        return [(h.row.id, h.row.title) for h in hits]

    def _stories(self, article_ids: list[str]) -> list[tuple[str, str, int]]:
        """The stories (of several reports) holding these articles: id, label, size."""
        from tui.core.storyview import story_of, story_rows

        index = self.cc_app.index
        ids = list(dict.fromkeys(s for s in (story_of(index, a) for a in article_ids) if s))
        rows = story_rows(index, ids)
        return [(sid, rows[sid].label, rows[sid].n_articles) for sid in ids
                if sid in rows and rows[sid].n_articles > 1]

    def _story(self, story_id: str) -> None:
        library = self._back_to_library()
        if library is not None:
            library.open_story(story_id)

    def _open(self, article_id: str) -> None:
        from tui.app.screens.reader import ReaderScreen

        self.app.push_screen(ReaderScreen(self.cc_app.index, article_id))
