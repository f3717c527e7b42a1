"""The table of subcommands: name → (help, configure parser, run)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from tui.commands import annotate, compare, edit, library, overview, stories
from tui.commands.base import Context

Command = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[Context], int]]

COMMANDS: dict[str, Command] = {
    "list": ("list the articles of a library", library.configure_list, library.run_list),
    "show": ("show one article's metadata and text", library.configure_show, library.run_show),
    "search": ("full-text search with ranked snippets", library.configure_search,
               library.run_search),
    "check": ("report every file that could not be read; exit 1 if any",
              library.configure_check, library.run_check),
    "clusters": ("the stories: copies folded, independent reports side by side, and why",
                 stories.configure_clusters, stories.run_clusters),
    "merge": ("merge two stories (by story id or any of their articles); kept across re-indexing",
              edit.configure_merge, edit.run_merge),
    "split": ("take a report out of its story into a story of its own",
              edit.configure_split, edit.run_split),
    "unsplit": ("forget every merge and split involving a report",
                edit.configure_unsplit, edit.run_unsplit),
    "edits": ("list the merges and splits you made", edit.configure_edits, edit.run_edits),
    "story": ("one story: its reports in time, a figure table and an entity matrix",
              overview.configure_story, overview.run_story),
    "compare": ("compare two reports side by side, sentence against sentence",
                compare.configure_compare, compare.run_compare),
    "annotate": ("print the entity and figure spans of articles (or of JSONL on stdin)",
                 annotate.configure_annotate, annotate.run_annotate),
    "entities": ("every person, place and organisation, under one name across spellings",
                 annotate.configure_entities, annotate.run_entities),
    "figures": ("figures stated by several reports of a story: agree or conflict",
                annotate.configure_figures, annotate.run_figures),
}
