"""A story at a glance: timeline, figure table and entity matrix across all its reports.

The data comes from :mod:`tui.core.overview` (stored annotations and figure groups, no
comparison computed); this screen lays it out in three tables and acts on the report under
the cursor: read it (at a figure or a name), compare it with the lead, split it out of the
story or forget the reader's edits of it, and export the whole overview.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.widgets.data_table import CellDoesNotExist

from tui.app.widgets.footer import KeyBar
from tui.core.config import Config
from tui.core.export import (
    export_dir,
    export_stem,
    overview_json,
    overview_markdown,
    write_export,
)
from tui.core.overview import Overview, ReportRow, entity_offsets, story_overview
from tui.core.sanitize import one_line
from tui.core.store import Index
from tui.core.story_edit import StoryEditError, forget_edits, split_article
from tui.core.storyview import story_of

CELL_CHARS = 28
"""Figure cells longer than this are cut in the table (the status line shows them whole)."""
TIMELINE_FIXED = 44
"""Columns the timeline uses besides the source and the title (cells and padding)."""
CONFIRM_SECONDS = 4.0
WIDE = 100
"""From this width on, row labels (measure · subject, names) may be longer."""
LABEL_CHARS, LABEL_CHARS_NARROW = 40, 26
LABEL_COLUMN = "label"
KIND_COLUMN = "kind"


def app_config(app: App[Any]) -> Config:
    """The running app's config (defaults when the app carries none)."""
    config = getattr(app, "config", None)
    return config if isinstance(config, Config) else Config()


def export_files(screen: Screen[Any], stem: str, markdown: str, json_data: str) -> None:
    """Write ``<stem>.md`` and ``.json`` where ``e`` writes (``export_dir`` from the config,
    else the default) and say where, or why it could not."""
    folder = export_dir(app_config(screen.app).export_dir)
    try:
        md_path, _json = write_export(folder, stem, markdown, json_data)
    except OSError as exc:
        screen.notify(f"cannot write to {folder}: {exc.strerror or exc}", severity="error",
                      markup=False)
        return
    screen.notify(f"{md_path} (and .json)", title="Exported", markup=False, timeout=6)


class OverviewTable(DataTable[Text]):
    """A table of the overview, with vim keys and theme-coloured marks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="overview.down"),
        Binding("k", "cursor_up", "Up", show=False, id="overview.up"),
        Binding("h", "cursor_left", "Left", show=False, id="overview.left"),
        Binding("l", "cursor_right", "Right", show=False, id="overview.right"),
        Binding("g", "scroll_top", "First", show=False, id="overview.first"),
        Binding("G", "scroll_bottom", "Last", show=False, id="overview.last"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "overview--conflict", "overview--agree", "overview--dim", "overview--only",
        *DataTable.COMPONENT_CLASSES,
    }

    def mark(self, name: str) -> Any:
        """A Rich style for ``overview--<name>`` (foreground and text style only)."""
        return self.get_component_rich_style(f"overview--{name}", partial=True)


class StoryScreen(Screen[str | None]):
    """All reports of one story; dismissed with the story id when the story was edited."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "Back", id="story.back"),
        Binding("c", "compare", "Compare with lead", id="story.compare"),
        Binding("x", "split", "Split out", id="story.split"),
        Binding("u", "forget", "Forget edits", id="story.forget"),
        Binding("e", "export", "Export", id="story.export"),
    ]

    def __init__(self, index: Index, story_id: str) -> None:
        super().__init__()
        self.index = index
        self.story_id = story_id
        self.overview: Overview | None = None
        self.changed = False
        self.busy = False
        self.open_seconds = 0.0
        """How long the last :meth:`load` took (query and tables)."""
        self._armed: tuple[str, float] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="story-head")
        yield OverviewTable(id="story-timeline", cursor_type="row", zebra_stripes=True)
        yield OverviewTable(id="story-figures", cursor_type="cell", fixed_columns=1)
        yield OverviewTable(id="story-entities", cursor_type="cell", fixed_columns=1)
        yield Static("", id="story-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.table("timeline").border_title = "Timeline"
        self.table("figures").border_title = "Figures · ⚠ reports disagree · ✓ agree"
        self.table("entities").border_title = "Entities · † named by one report only"
        if self.load(self.story_id):
            self.table("timeline").focus()
        else:
            self.app.pop_screen()

    def on_resize(self) -> None:
        if self.overview is None:
            return
        self._show_head(self.overview)
        table = self.table("timeline")
        chars = self._title_chars(self.overview)
        for r in self.overview.reports:  # titles are cut to the width
            table.update_cell(r.id, "title", Text(one_line(r.title, chars)), update_width=True)

    def table(self, name: str) -> OverviewTable:
        return self.query_one(f"#story-{name}", OverviewTable)

    # -- data ----------------------------------------------------------------------

    def load(self, story_id: str) -> bool:
        """Show ``story_id``; False (with a notification) when it no longer exists."""
        started = time.perf_counter()
        ov = story_overview(self.index, story_id)
        if ov is None:
            self.notify(f"story {story_id!r} is no longer in the library", severity="error",
                        markup=False)
            return False
        keep = self.selected_report()
        self.story_id, self.overview = story_id, ov
        self._show_head(ov)
        self._fill_timeline(ov)
        self._fill_figures(ov)
        self._fill_entities(ov)
        kept = ov.report(keep) if keep else None
        if kept is not None:
            self.table("timeline").move_cursor(row=kept.n - 1)
        self.update_status()
        self.open_seconds = time.perf_counter() - started
        return True

    def _show_head(self, ov: Overview) -> None:
        width = max(20, self.app.size.width - 2)
        head = Text(one_line(ov.label or "Untitled story", width), style="bold")
        summary = f"{ov.summary()} · {ov.story_id}"
        head.append("\n" + one_line(summary if len(summary) <= width else ov.summary(), width),
                    style="dim")
        self.query_one("#story-head", Static).update(head)

    def _label_chars(self) -> int:
        return LABEL_CHARS if self.app.size.width >= WIDE else LABEL_CHARS_NARROW

    def _fill_timeline(self, ov: Overview) -> None:
        table = self.table("timeline")
        table.clear(columns=True)
        table.add_columns("#", "Date", "Source", "Relation", "Words")
        table.add_column("Title", key="title")
        dim = table.mark("dim")
        title_chars = self._title_chars(ov)
        for r in ov.reports:
            relation = ov.relation_of(r)
            table.add_row(Text(f"#{r.n}"), Text(r.date or "undated", dim),
                          Text(one_line(r.source, 18) or "—", dim),
                          Text(relation, table.mark("agree") if r.relation == "lead" else ""),
                          Text(f"{r.words:,}", dim, justify="right"),
                          Text(one_line(r.title, title_chars)), key=r.id)

    def _title_chars(self, ov: Overview) -> int:
        source = max((len(one_line(r.source, 18)) for r in ov.reports), default=1)
        return max(24, self.app.size.width - TIMELINE_FIXED - max(source, 1))

    def _fill_figures(self, ov: Overview) -> None:
        table = self.table("figures")
        table.clear(columns=True)
        table.add_column("Measure · subject", key=LABEL_COLUMN)
        for r in ov.reports:
            table.add_column(r.short, key=r.id)
        for n, f in enumerate(ov.figures):
            mark = {"conflict": ("⚠ ", "conflict"), "agree": ("✓ ", "agree")}.get(
                f.status, ("  ", "dim"))
            label = Text.assemble((mark[0], table.mark(mark[1])),
                                  one_line(f.label, self._label_chars()))
            cells = []
            for r in ov.reports:
                cell = Text(one_line(f.cell_text(r.id), CELL_CHARS))
                if any(c.conflict for c in f.cells.get(r.id, [])):
                    cell.stylize(table.mark("conflict"))
                cells.append(cell)
            table.add_row(label, *cells, key=str(n))
        if not ov.figures:
            table.add_row(Text("no figure stated with a measure", table.mark("dim")),
                          *[Text("") for _ in ov.reports])

    def _fill_entities(self, ov: Overview) -> None:
        table = self.table("entities")
        table.clear(columns=True)
        table.add_column("Name", key=LABEL_COLUMN)
        table.add_column("Kind", key=KIND_COLUMN)
        for r in ov.reports:
            table.add_column(r.short, key=r.id)
        dim, only = table.mark("dim"), table.mark("only")
        for n, e in enumerate(ov.entities):
            alone = ov.only_one(e)
            name = Text(one_line(e.name, self._label_chars()), only if alone else "")
            if alone:
                name.append(" †", only)
            counts = [Text(str(e.counts[r.id]) if r.id in e.counts else "·",
                           "" if r.id in e.counts else dim, justify="right")
                      for r in ov.reports]
            table.add_row(name, Text(e.kind, dim), *counts, key=str(n))

    # -- where the cursor is -------------------------------------------------------------

    def selected_report(self) -> str | None:
        """The report under the cursor: the timeline row, or a report column elsewhere."""
        ov = self.overview
        if ov is None or not ov.reports:
            return None
        table = self.focused if isinstance(self.focused, OverviewTable) else None
        if table is not None and table.id != "story-timeline" and table.row_count:
            column = _column_key(table)
            if column in {r.id for r in ov.reports}:
                return column
        timeline = self.table("timeline")
        row = min(timeline.cursor_row, len(ov.reports) - 1)
        return ov.reports[max(row, 0)].id

    @on(DataTable.CellHighlighted)
    @on(DataTable.RowHighlighted)
    def follow_cursor(self, event: DataTable.CellHighlighted | DataTable.RowHighlighted) -> None:
        ov = self.overview
        if ov is not None and event.data_table.id != "story-timeline":
            report = ov.report(_column_key(event.data_table) or "")
            if report is not None:
                self.table("timeline").move_cursor(row=report.n - 1, scroll=True)
        self.update_status()

    def status_text(self) -> str:
        """What the cursor is on, and what Enter does there."""
        ov = self.overview
        article = self.selected_report()
        report = ov.report(article) if ov and article else None
        if ov is None or report is None:
            return ""
        where = f"#{report.n} {report.relation} · {report.id}"
        table = self.focused if isinstance(self.focused, OverviewTable) else None
        if table is not None and table.id == "story-figures" and ov.figures:
            return f"{where} · {self._figure_status(ov, table, report)}"
        if table is not None and table.id == "story-entities" and ov.entities:
            row = ov.entities[min(table.cursor_row, len(ov.entities) - 1)]
            count = row.counts.get(report.id, 0)
            names = ", ".join(row.spellings)
            return (f"{where} · {row.name} ({row.kind}): named {count}× here, by "
                    f"{row.reports} of {len(ov.reports)} reports · spelled {names}")
        why = self._why(ov, report)
        if why:
            return f"{where} · why: {why} · Enter reads it"
        return f"{where} · {report.date or 'undated'} · {report.words:,} words · Enter reads it"

    def _why(self, ov: Overview, report: ReportRow) -> str:
        """Why the report is in the story: the stored evidence against its closest report
        (the one it copies, else the lead, else any report of the story)."""
        from tui.core.dedup_score import PairScore, explain
        from tui.core.storyview import pair_reasons, related

        if report.relation == "lead":
            return ""
        lead = next((r for r in ov.reports if r.relation == "lead"), None)
        numbers = {r.id: r.n for r in ov.reports}
        partners = [p for p in (report.copy_of, lead.id if lead else None) if p]
        partners += [other for other, _rel, _score in related(self.index, report.id)
                     if other in numbers and other not in partners]
        for partner in partners:
            found = pair_reasons(self.index, partner, report.id)
            if found is not None:
                relation, score, reasons = found
                pair = PairScore(relation, score, reasons, partner, report.id)
                return f"vs #{numbers.get(partner, '?')}: {explain(pair)}"
        return ""

    def _figure_status(self, ov: Overview, table: OverviewTable, report: ReportRow) -> str:
        row = ov.figures[min(table.cursor_row, len(ov.figures) - 1)]
        said = row.cell_text(report.id) or "states nothing here"
        others = [f"#{r.n} {row.cell_text(r.id)}" for r in ov.reports
                  if r.id != report.id and r.id in row.cells]
        line = f"{row.label}: {said}"
        if others:
            line += f" · {'conflicts with' if row.conflict else 'others'}: " + "; ".join(others)
        return line

    def update_status(self) -> None:
        self.query_one("#story-status", Static).update(Text(one_line(self.status_text())))

    # -- actions -------------------------------------------------------------------

    @on(DataTable.RowSelected, "#story-timeline")
    def read_report(self, event: DataTable.RowSelected) -> None:
        self.open_reader(str(event.row_key.value), None)

    @on(DataTable.CellSelected, "#story-figures")
    def read_figure(self, event: DataTable.CellSelected) -> None:
        ov, column = self.overview, str(event.cell_key.column_key.value)
        if ov is None or not ov.figures or ov.report(column) is None:
            return
        cell = ov.figures[event.coordinate.row].first(column)
        if cell is None:
            self.notify("this report states nothing here", markup=False, timeout=2)
            return
        self.open_reader(column, (cell.start, cell.end))

    @on(DataTable.CellSelected, "#story-entities")
    def read_entity(self, event: DataTable.CellSelected) -> None:
        ov, column = self.overview, str(event.cell_key.column_key.value)
        if ov is None or not ov.entities or ov.report(column) is None:
            return
        row = ov.entities[event.coordinate.row]
        if column not in row.counts:
            self.notify(f"this report does not name {one_line(row.name)}", markup=False,
                        timeout=2)
            return
        self.open_reader(column, entity_offsets(self.index, column, row))

    def open_reader(self, article_id: str, at: tuple[int, int] | None) -> None:
        from tui.app.screens.reader import ReaderScreen

        self.app.push_screen(ReaderScreen(self.index, article_id, at=at))

    def action_compare(self) -> None:
        ov, article = self.overview, self.selected_report()
        lead = ov.lead if ov else None
        if ov is None or lead is None or article is None or len(ov.reports) < 2:
            self.notify("only one report in this story: nothing to compare", markup=False,
                        timeout=3)
            return
        other = article if article != lead.id else next(r.id for r in ov.reports
                                                        if r.id != lead.id)
        from tui.app.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(self.index, lead.id, other))

    def action_split(self) -> None:
        article = self.selected_report()
        ov = self.overview
        if article is None or ov is None or self._refuse_edit():
            return
        if len(ov.reports) < 2:
            self.notify("this report is already a story of its own", markup=False, timeout=3)
            return
        now = time.monotonic()
        if self._armed is None or self._armed[0] != article or \
                now - self._armed[1] > CONFIRM_SECONDS:
            self._armed = (article, now)
            self.notify(f"Press x again to take {article} out of this story.", title="Split",
                        markup=False, timeout=CONFIRM_SECONDS)
            return
        self._armed = None
        rest = next(r.id for r in ov.reports if r.id != article)
        self.run_edit("split", article, rest)

    def action_forget(self) -> None:
        article = self.selected_report()
        if article is not None and not self._refuse_edit():
            self.run_edit("forget", article, article)

    def _refuse_edit(self) -> bool:
        if self.busy or getattr(self.app, "indexing", False):
            self.notify("wait until the library has finished indexing", markup=False,
                        timeout=3)
            return True
        return False

    @work(thread=True, exclusive=True, group="story-edit")
    def run_edit(self, kind: str, article: str, follow: str) -> None:
        """Split or forget in a thread; then show the story ``follow`` now belongs to."""
        self.busy = True
        config = app_config(self.app)
        try:
            if kind == "split":
                split_article(self.index, config, article)
                message = f"{article} is now a story of its own"
            else:
                dropped = forget_edits(self.index, config, article)
                message = (f"forgot {dropped} decision{'s' if dropped != 1 else ''} about "
                           f"{article}" if dropped else f"no merge or split involves {article}")
        except StoryEditError as exc:
            self.app.call_from_thread(self._edit_done, None, str(exc))
            return
        finally:
            self.busy = False
        self.app.call_from_thread(self._edit_done, story_of(self.index, follow), message)

    def _edit_done(self, story_id: str | None, message: str) -> None:
        if story_id is None:
            self.notify(message, severity="error", markup=False)
            return
        self.changed = True
        self.notify(message, markup=False, timeout=4)
        self.load(story_id)

    def action_export(self) -> None:
        ov = self.overview
        if ov is not None:
            export_files(self, export_stem(ov.story_id), overview_markdown(ov),
                         overview_json(ov))

    def action_back(self) -> None:
        self.dismiss(self.story_id if self.changed else None)


def _column_key(table: DataTable[Any]) -> str | None:
    """The key of the column under a table's cursor."""
    if not table.row_count or not table.columns:
        return None
    try:
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).column_key.value)
    except CellDoesNotExist:  # a table being refilled has no cell there yet
        return None
