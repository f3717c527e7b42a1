"""The Crosscheck app: opens a library's index and hosts the screens."""

from __future__ import annotations

import gc
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import get_current_worker

from tui.app.palette import CrosscheckCommands
from tui.app.screens.help import HelpScreen
from tui.app.screens.library import LibraryScreen
from tui.app.screens.problems import ProblemsScreen
from tui.app.themes import crosscheck_themes, theme_variables
from tui.core.config import Config
from tui.core.store import Index, IndexError_, RefreshReport


@dataclass
class IndexProgress(Message):
    """Indexing advanced: ``done`` of ``total`` in ``stage``."""

    stage: str
    done: int
    total: int


@dataclass
class IndexDone(Message):
    """Indexing finished (``report`` is ``None`` when it failed; ``error`` says why)."""

    report: RefreshReport | None
    error: str = ""


@dataclass
class IndexRead(Message):
    """The files are read and searchable; names, figures and stories are still to come."""

    report: RefreshReport


class CrosscheckApp(App[int]):
    """A terminal news reader for many reports of the same events."""

    CSS_PATH = "app.tcss"
    TITLE = "Crosscheck"
    COMMANDS = App.COMMANDS | {CrosscheckCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette"),
        Binding("P", "problems", "Problems", show=False, id="app.problems"),
        Binding("ctrl+r", "reindex", "Re-index", show=False, id="app.reindex"),
    ]

    def __init__(self, index: Index, config: Config, *, watch: bool = True) -> None:
        super().__init__()
        self.index = index
        self.config = config
        self.indexing = False
        self._refresh_on_start = watch
        for theme in crosscheck_themes():
            self.register_theme(theme)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **theme_variables()}

    def on_mount(self) -> None:
        self.theme = self.config.theme if self.config.theme in self.available_themes else (
            "crosscheck-dark")
        if self.config.theme not in self.available_themes:
            self.notify(f"{self.config.path or 'config'}: theme {self.config.theme!r} is not"
                        f" known; using crosscheck-dark (ctrl+p → theme lists them)",
                        severity="warning", markup=False, timeout=8)
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        self.push_screen(LibraryScreen(self.index))
        for warning in self.index.warnings:
            self.notify(warning, severity="warning", markup=False, timeout=8)
        # Objects alive after the first paint (Textual, the stylesheet, the index) stay:
        # taking them out of garbage collection spares each later screen a full pass.
        self.call_after_refresh(gc.freeze)

    def on_library_screen_list_shown(self, _message: LibraryScreen.ListShown) -> None:
        # The update starts once the list is on screen: its imports and file scan hold the
        # interpreter lock much of the time, and the first paint came 0.2 s later at 100k.
        if self._refresh_on_start:
            self._refresh_on_start = False
            self.reindex()

    @work(thread=True, exclusive=True, group="index")
    def reindex(self) -> None:
        """Bring the index up to date in a thread, posting progress to the UI."""
        # The analysis stack loads here, off the UI thread.
        from tui.core.pipeline import update_or_fall_back

        worker = get_current_worker()
        self.indexing = True

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(IndexProgress(stage, done, total))

        def read(report: RefreshReport) -> None:
            if report.touched:
                self.post_message(IndexRead(report))

        def warn(message: str) -> None:
            self.call_from_thread(self.notify, message, severity="warning", markup=False,
                                  timeout=10)

        try:
            report = update_or_fall_back(self.index, self.config, warn, progress,
                                         lambda: worker.is_cancelled, on_read=read)
        except (IndexError_, OSError, sqlite3.Error) as exc:
            self.post_message(IndexDone(None, str(exc)))
            return
        finally:
            self.indexing = False
        self.post_message(IndexDone(report))

    def on_index_progress(self, message: IndexProgress) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.show_progress(message.stage, message.done, message.total)

    def on_index_read(self, message: IndexRead) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.files_read(message.report)

    def on_index_done(self, message: IndexDone) -> None:
        if message.report is None:
            self.notify(message.error, title="Indexing failed", severity="error", markup=False)
        else:
            for warning in message.report.warnings[:5]:
                self.notify(warning, severity="warning", markup=False, timeout=8)
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.index_finished(message.report)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_problems(self) -> None:
        if not isinstance(self.screen, ProblemsScreen):
            self.push_screen(ProblemsScreen(self.index.problems()))

    def action_reindex(self) -> None:
        self.notify("Re-indexing the library…", markup=False)
        self.reindex()


def build_app(
    root: Path,
    config: Config | None = None,
    cache_dir: Path | None = None,
    state_dir: Path | None = None,
    *,
    refresh: bool = True,
) -> CrosscheckApp:
    """The one factory the CLI, the tests and the screenshot script use."""
    config = config or Config()
    index = Index(root, cache_dir, state_dir, config.max_bytes)
    return CrosscheckApp(index, config, watch=refresh)
