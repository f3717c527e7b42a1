"""The table of subcommands: name → help and the module that implements it.

Modules are imported only for the command that runs, so ``crosscheck list`` never loads
the comparison or annotation stack and ``crosscheck --help`` loads none of them.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

from tui.commands.base import Context

Configure = Callable[[argparse.ArgumentParser], None]
Run = Callable[[Context], int]

COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("list the articles of a library", "library"),
    "show": ("show one article's metadata and text", "library"),
    "search": ("full-text search with ranked snippets", "library"),
    "check": ("report every file that could not be read; exit 1 if any", "library"),
    "clusters": ("the stories: copies folded, independent reports side by side, and why",
                 "stories"),
    "merge": ("merge two stories (by story id or any of their articles); kept across re-indexing",
              "edit"),
    "split": ("take a report out of its story into a story of its own", "edit"),
    "unsplit": ("forget every merge and split involving a report", "edit"),
    "edits": ("list the merges and splits you made", "edit"),
    "story": ("one story: its reports in time, a figure table and an entity matrix",
              "overview"),
    "compare": ("compare two reports side by side, sentence against sentence", "compare"),
    "annotate": ("print the entity and figure spans of articles (or of JSONL on stdin)",
                 "annotate"),
    "entities": ("every person, place and organisation, under one name across spellings",
                 "annotate"),
    "figures": ("figures stated by several reports of a story: agree or conflict", "annotate"),
}
"""Command → (help, module in ``tui.commands`` with ``configure_<name>`` and ``run_<name>``)."""


def command(name: str) -> tuple[Configure, Run]:
    """The parser set-up and the runner of command ``name`` (importing its module)."""
    module = importlib.import_module(f"tui.commands.{COMMANDS[name][1]}")
    configure: Configure = getattr(module, f"configure_{name}")
    run: Run = getattr(module, f"run_{name}")
    return configure, run
