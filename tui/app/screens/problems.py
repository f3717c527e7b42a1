"""The files that could not be read, with the reasons."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.app.widgets.footer import KeyBar
from tui.core.model import Problem
from tui.core.sanitize import one_line


class ProblemsScreen(Screen[None]):
    """One row per problem: file, severity, what went wrong and what was done."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="problems.back"),
    ]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} reading the library" if count \
            else "No problems: every file was read."
        yield Static(summary, id="problems-title", markup=False)
        table: DataTable[Text] = DataTable(id="problems-table", cursor_type="row")
        table.add_columns("File", "Severity", "Problem")
        for problem in self.problems:
            # Text cells: a file name like '[bold]x' must show literally, never as markup.
            # Control characters in a hostile file name are shown as visible symbols.
            table.add_row(Text(one_line(problem.path)), Text(problem.severity),
                          Text(one_line(problem.message)))
        yield table
        yield KeyBar()
