"""Side by side: two reports sentence against sentence."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tui.app.screens.styled import StyledOnMount
from tui.app.widgets.footer import KeyBar
from tui.app.widgets.sidebyside import SideBySide
from tui.core.annotations import Notes
from tui.core.compare_pair import Comparison, compare, relation_label
from tui.core.export import comparison_json, comparison_markdown, export_stem
from tui.core.model import Article
from tui.core.store import Index
from tui.core.storyview import members, related, story_of
from tui.render.compare import NARROW_WIDTH, RowCells, clean_text


def open_compare(app: App[Any], index: Index, article_id: str) -> None:
    """Open the comparison of ``article_id`` with its closest related report.

    When no report is related, say so (and how to compare it with another one).
    """
    others = [r for r in related(index, article_id) if r[1] != "unrelated"]
    if not others:
        app.notify("No related report for this one. To compare it with another, search "
                   "for that report (/) and press c on it.", title="Nothing to compare",
                   markup=False, timeout=6)
        return
    app.push_screen(CompareScreen(index, article_id, others[0][0]))


class CompareScreen(StyledOnMount[None]):
    """Two reports side by side, rows paired by :func:`tui.core.align.align`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "app.pop_screen", "Back", id="compare.back"),
        Binding("right_square_bracket", "next_difference(1)", "Difference",
                id="compare.next_difference"),
        Binding("left_square_bracket", "next_difference(-1)", "Previous difference",
                show=False, id="compare.prev_difference"),
        Binding("right_curly_bracket", "next_conflict(1)", "Conflict",
                id="compare.next_conflict"),
        Binding("left_curly_bracket", "next_conflict(-1)", "Previous conflict", show=False,
                id="compare.prev_conflict"),
        Binding("u", "toggle_link", "Unlink", id="compare.unlink"),
        Binding("x", "swap", "Swap", id="compare.swap"),
        Binding("greater_than_sign", "cycle(1)", "Report", id="compare.next_report"),
        Binding("less_than_sign", "cycle(-1)", "Previous report", show=False,
                id="compare.prev_report"),
        Binding("e", "export", "Export", id="compare.export"),
    ]

    def __init__(self, index: Index, left_id: str, right_id: str) -> None:
        super().__init__()
        self.index = index
        self.left_id = left_id
        self.right_id = right_id
        self.comparison: Comparison | None = None
        self.notes: dict[str, Notes] = {}
        self.position: dict[str, int] = {}
        self.open_seconds = 0.0
        """How long the last :meth:`load` took (aligning and laying out)."""

    def compose(self) -> ComposeResult:
        self._narrow()  # before anything is styled: setting it later restyles every widget
        yield PairHeads(id="compare-heads")
        yield Static("", id="compare-summary")
        yield SideBySide(id="compare-sbs")
        yield Static("", id="compare-status")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.load(self.left_id, self.right_id):
            self.sbs.focus()
            self.mounted_styled()
        else:
            self.app.pop_screen()

    def on_resize(self, _event: events.Resize) -> None:
        self._narrow()

    def _narrow(self) -> None:
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")

    @property
    def sbs(self) -> SideBySide:
        return self.query_one("#compare-sbs", SideBySide)

    # -- data ----------------------------------------------------------------------

    def _article(self, article_id: str) -> Article | None:
        article = self.index.get(article_id)
        if article is None:
            self.notify(f"report {article_id!r} is no longer in the library", severity="error",
                        markup=False)
        return article

    def load(self, left_id: str, right_id: str) -> bool:
        """Compare ``left_id`` (left) with ``right_id`` (right); False if one is missing."""
        started = time.perf_counter()
        a, b = self._article(left_id), self._article(right_id)
        if a is None or b is None:
            return False
        self.left_id, self.right_id = left_id, right_id
        cmp = compare(self.index, a, b, self.notes)
        self.comparison = cmp
        self.position = {}
        cells = RowCells(cmp.alignment.rows, cmp.notes_a.spans, cmp.notes_b.spans,
                         cmp.conflicts_a, cmp.conflicts_b)
        self.sbs.show(cmp.alignment.rows, cells)
        self.query_one(PairHeads).show(_head("A", a), _head("B", b))
        self.query_one("#compare-summary", Static).update(Text(self.summary_text()))
        self.update_status()
        self.open_seconds = time.perf_counter() - started
        return True

    def summary_text(self) -> str:
        """``"copy · 0.93 · 12 of 17 sentences shared, 3 only left, … · 2 conflicting figures"``."""
        cmp = self.comparison
        if cmp is None:
            return ""
        n = cmp.conflict_count
        return " · ".join([relation_label(cmp.relation, cmp.score), cmp.alignment.summary(),
                           f"{n} conflicting figure{'' if n == 1 else 's'}"])

    def status_text(self) -> str:
        """The status line: where the cursor is, what a conflicting figure is about."""
        cmp = self.comparison
        if cmp is None:
            return ""
        parts = []
        row = self.sbs.current
        if row is not None:
            explanation = cmp.explain(row)
            parts.append(explanation or f"row {row + 1} of {len(cmp.alignment.rows)}")
        if not self.sbs.linked:
            parts.append(f"unlinked · tab: scrolling {'left' if self.sbs.active == 0 else 'right'}")
        return " · ".join(parts) or "] [ differences · } { conflicting figures · u unlink"

    def update_status(self) -> None:
        self.query_one("#compare-status", Static).update(Text(clean_text(self.status_text())[0]))

    # -- actions -------------------------------------------------------------------

    def _walk(self, name: str, stops: list[int], step: int) -> None:
        """Go to the next (``step`` 1) or previous (-1) of ``stops`` from the current row."""
        if not stops:
            self.notify(f"no {name} here", markup=False, timeout=2)
            return
        current = self.sbs.current
        if current is None:
            target = stops[0] if step > 0 else stops[-1]
        elif step > 0:
            target = next((s for s in stops if s > current), stops[0])
        else:
            target = next((s for s in reversed(stops) if s < current), stops[-1])
        self.sbs.go_to_row(target)
        self.position[name] = stops.index(target)
        self.update_status()

    def action_next_difference(self, step: int) -> None:
        if self.comparison is not None:
            self._walk("difference", self.comparison.alignment.difference_rows(), step)

    def action_next_conflict(self, step: int) -> None:
        if self.comparison is not None:
            self._walk("conflicting figure", self.comparison.conflict_rows(), step)

    def action_toggle_link(self) -> None:
        self.sbs.set_linked(not self.sbs.linked)
        self.update_status()

    def action_swap(self) -> None:
        self.load(self.right_id, self.left_id)

    def action_cycle(self, step: int) -> None:
        """Show the next (or previous) other report of the left report's story on the right."""
        story = story_of(self.index, self.left_id)
        others = [m.row.id for m in members(self.index, story)] if story else []
        others = [o for o in others if o != self.left_id]
        if not others or others == [self.right_id]:
            self.notify("no other report in this story", markup=False, timeout=3)
            return
        if self.right_id in others:
            target = others[(others.index(self.right_id) + step) % len(others)]
        else:
            target = others[0] if step > 0 else others[-1]
        self.load(self.left_id, target)

    def action_export(self) -> None:
        """Write the comparison as Markdown and JSON into the export folder."""
        from tui.app.screens.story import export_files

        cmp = self.comparison
        if cmp is not None:
            export_files(self, export_stem("compare", cmp.a.id, cmp.b.id),
                         comparison_markdown(cmp), comparison_json(cmp))


class PairHeads(Widget):
    """Both reports' heads, side by side (stacked on narrow terminals), each line cut with
    an ellipsis: one widget, where a row of two took milliseconds more to open."""

    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual name)
        super().__init__(id=id)
        self.heads = (Text(), Text())

    def show(self, left: Text, right: Text) -> None:
        """Show ``left`` and ``right`` (two lines each)."""
        self.heads = (left, right)
        self.refresh()

    def render(self) -> Text:
        """Both heads (drawing is line by line)."""
        return Text("\n").join(self.heads)

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        if self.app.size.width < NARROW_WIDTH:
            cells = [(self.heads[y // 2], y % 2, width)] if y < 4 else [(Text(), 0, width)]
        else:
            cells = [(self.heads[0], y, width // 2), (self.heads[1], y, width - width // 2)]
        blank = Style(bgcolor=base.bgcolor)  # what a Static pads with
        segments: list[Segment] = []
        for text, line, cell_width in cells:
            fitted = Strip(self._fit(text, line, cell_width - 2, base))
            segments += [Segment(" ", blank), *fitted.adjust_cell_length(cell_width - 1, blank)]
        return Strip(segments).adjust_cell_length(width, blank)

    def _fit(self, text: Text, line: int, width: int, base: Style) -> list[Segment]:
        """Line ``line`` of ``text``, cut with an ellipsis to ``width`` cells."""
        lines = text.split("\n", allow_blank=True)
        cut = lines[line].copy() if line < len(lines) else Text()
        cut.end = ""
        cut.truncate(max(0, width), overflow="ellipsis")
        return list(Segment.apply_style(cut.render(self.app.console), base))


def _head(label: str, article: Article) -> Text:
    """A pane's header: label and title, then source · date · words."""
    meta = " · ".join([article.source or "unknown source", article.date or "undated",
                       f"{article.words} words"])
    # One line each (app.tcss: no wrapping, an ellipsis), so a long title never pushes
    # the source and date out of the header.
    return Text.assemble((f" {label} ", "bold reverse"), " ",
                         (clean_text(article.title)[0], "bold"), "\n",
                         (clean_text(meta)[0], "dim"))
