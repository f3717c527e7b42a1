"""Two reports sentence against sentence, drawing only the visible lines.

Each alignment row's two cells are wrapped at word boundaries to the pane width and drawn
side by side (or stacked, on terminals narrower than :data:`NARROW_WIDTH`). Linked, one
scroll position moves both panes; unlinked, each pane keeps its own and ``tab`` chooses
which one the keys scroll.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Span as RichSpan
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.align import Row
from tui.core.spans import ENTITY_KINDS, FIGURE_KINDS
from tui.core.wrap import wrap_offsets
from tui.render.compare import NARROW_WIDTH, RowCells

FIGURE_CLASSES = {"date": "sbs--date", "time": "sbs--date"}
"""The component class of each figure kind: dates and times look alike, all other figures
alike (each class costs milliseconds of styling whenever the comparison opens)."""
# The renderer's semantic style names and the component classes that colour them here.
STYLE_CLASSES: dict[str, str] = {
    "diff.insert": "sbs--insert", "diff.delete": "sbs--delete", "diff.change": "sbs--change",
    "diff.only_a": "sbs--only-a", "diff.only_b": "sbs--only-b", "diff.moved": "sbs--moved",
    "diff.moved.label": "sbs--moved-label", "figure.conflict": "sbs--conflict",
    **{f"entity.{k}": f"sbs--{k}" for k in ENTITY_KINDS},
    **{f"figure.{k}": FIGURE_CLASSES.get(k, "sbs--number") for k in FIGURE_KINDS},
}
DIVIDER = " │ "
GUTTER = 1
"""The column left of each pane that marks the current row."""
PIECE_CACHE = 4_000

Piece = tuple[int, int, int, int]
"""``(row, side, start, end)``: a stretch of one cell on one display line (side 0 = left)."""
Line = tuple[int, Piece | None, Piece | None]
"""``(row, left, right)``: one display line; ``row`` is -1 for the blank between rows."""


def pair_lines(cells: Sequence[tuple[str, str]], width: int) -> tuple[list[Line], list[int]]:
    """Side-by-side lines of every row (cells wrapped to ``width``) and each row's first line."""
    lines: list[Line] = []
    tops: list[int] = []
    for k, (a, b) in enumerate(cells):
        tops.append(len(lines))
        left, right = wrap_offsets(a, width), wrap_offsets(b, width)
        for n in range(max(len(left), len(right))):
            lp = (k, 0, *left[n]) if n < len(left) and a else None
            rp = (k, 1, *right[n]) if n < len(right) and b else None
            lines.append((k, lp, rp))
        lines.append((-1, None, None))
    return lines, tops


def column_lines(cells: Sequence[tuple[str, str]], width: int,
                 sides: tuple[int, ...]) -> tuple[list[Line], list[int]]:
    """One column: the cells of ``sides`` of every row in turn (empty cells skipped)."""
    lines: list[Line] = []
    tops: list[int] = []
    for k, pair in enumerate(cells):
        tops.append(len(lines))
        shown = [s for s in sides if pair[s]]
        for side in shown:
            lines.extend((k, (k, side, s, e), None) for s, e in wrap_offsets(pair[side], width))
        if shown:
            lines.append((-1, None, None))
    return lines, tops


class SideBySide(ScrollView, can_focus=True):
    """The rows of an alignment, cells styled by :func:`tui.render.compare.cell_texts`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Down", show=False, id="compare.down"),
        Binding("up,k", "scroll_up", "Up", show=False, id="compare.up"),
        Binding("pagedown,ctrl+d,space", "page_down", "Page down", show=False,
                id="compare.page_down"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, id="compare.page_up"),
        Binding("home,g", "scroll_home", "Top", show=False, id="compare.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="compare.bottom"),
        Binding("tab", "switch_pane", "Other pane", show=False, id="compare.switch_pane"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *STYLE_CLASSES.values(), "sbs--current", "sbs--divider", "sbs--label", "sbs--inactive",
    }

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual name)
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.cells: Sequence[tuple[Text, Text]] = []
        self._plain: list[tuple[str, str]] = []
        self.linked = True
        self.active = 0
        """The pane the keys scroll when unlinked (0 left, 1 right)."""
        self.current: int | None = None
        self._offsets = [0, 0]
        self._key: tuple[int, bool] | None = None
        self._pairs: tuple[list[Line], list[int]] = ([], [])
        self._columns: list[tuple[list[Line], list[int]]] = []
        self._styles: dict[str, Style] = {}
        self._drawn_with: dict[str, Style] | None = None
        """The styles the cached pieces were drawn with, when they may be out of date."""
        self._components: dict[str, Style] = {}
        self._pieces: LRUCache[tuple[Piece | None, int], list[Segment]] = LRUCache(PIECE_CACHE)
        """Drawn cell stretches by ``(piece, pane width)``: scrolling redraws none twice."""
        self._pass: tuple[int, int, bool, Style] | None = None
        """View width, pane width, narrow? and base style during a :meth:`render_lines`."""
        self._sized_for: tuple[Size, Size, Size] | None = None

    # -- content -------------------------------------------------------------------

    def show(self, rows: list[Row], cells: Sequence[tuple[Text, Text]]) -> None:
        """Display ``rows`` with their styled ``cells``, from the top, linked.

        ``cells`` may be a :class:`tui.render.compare.RowCells`: then only the rows drawn
        are ever styled.
        """
        self.rows, self.cells = rows, cells
        self._plain = (cells.plain() if isinstance(cells, RowCells)
                       else [(a.plain, b.plain) for a, b in cells])
        self._pieces.clear()
        self.current = None
        self.linked, self.active, self._offsets = True, 0, [0, 0]
        self._key = None
        if not self.size and self.styles.overflow_y == "auto" \
                and 2 * len(rows) > self.app.size.height:
            # Before the first layout, rows sure to be taller than the terminal (each
            # takes a line and a blank at least) show the scrollbar from that layout on,
            # wrapped for the width it leaves, rather than laid out and painted twice.
            self.show_vertical_scrollbar = True
        self._ensure_layout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    @property
    def narrow(self) -> bool:
        """True when the terminal is too narrow for two panes side by side."""
        return self.app.size.width < NARROW_WIDTH

    def pane_width(self) -> int:
        """Columns of text in one pane."""
        width = self.scrollable_content_region.width or self.app.size.width - (
            self.styles.scrollbar_size_vertical if self.show_vertical_scrollbar else 0)
        if self.narrow:
            return max(10, width - GUTTER - 2)
        return max(10, (width - 2 * GUTTER - len(DIVIDER)) // 2)

    def _ensure_layout(self) -> None:
        key = (self.pane_width(), self.narrow)
        if key != self._key:
            self._key = key
            width = key[0]
            self._pairs = (column_lines(self._plain, width, (0, 1)) if key[1]
                           else pair_lines(self._plain, width))
            self._columns = []
        if not self.linked and not self._columns:
            # Laid out only once unlinked: opening a comparison stays fast.
            self._columns = [column_lines(self._plain, key[0], (s,)) for s in (0, 1)]
        self._update_size()

    def _update_size(self) -> None:
        lines = self._pairs[0] if self.linked else self._columns[self.active][0]
        # Lines are wrapped to the pane width, so nothing scrolls sideways: a width of 0
        # keeps the virtual size from changing (and laying the screen out again) when the
        # first layout gives the widget its real width.
        size = Size(0, len(lines))
        if size != self.virtual_size:
            self.virtual_size = size

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # Called by every layout of the screen; a scroll view repaints its scrollbar each
        # time (milliseconds): only when the size or the scrollable height changed.
        if (size, container_size, self.virtual_size) == self._sized_for:
            return False
        self._sized_for = (size, container_size, self.virtual_size)
        return super()._size_updated(size, virtual_size, container_size, layout)

    def on_resize(self, _event: events.Resize) -> None:
        top, key = self.top_rows(), self._key
        self._ensure_layout()
        if self._key != key:  # wrapped anew: keep the same rows at the top
            self._scroll_rows(top)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Styles are updated on focus and on every screen switch, mostly to the same
        # values: keep the drawn pieces unless their styles really changed (_check_pieces).
        if self._styles and self._drawn_with is None:
            self._drawn_with = self._styles
        self._styles = {}
        self._components = {}

    def watch_has_focus(self, _has_focus: bool) -> None:
        # Textual restyles a widget when it gains or loses focus; nothing styles this
        # one by focus (tests/test_compare_screen.py checks), and restyling its many
        # classes took milliseconds of every opening of a comparison.
        self.refresh()

    def _check_pieces(self) -> None:
        """Forget the drawn pieces if the styles they were drawn with have changed."""
        if self._drawn_with is not None:
            self._style("")
            if self._styles != self._drawn_with:
                self._pieces.clear()
            self._drawn_with = None

    # -- positions -----------------------------------------------------------------

    def _layout(self, pane: int) -> tuple[list[Line], list[int]]:
        return self._pairs if self.linked else self._columns[pane]

    def _offset(self, pane: int) -> int:
        if self.linked or pane == self.active:
            return int(self.scroll_y)
        return self._offsets[pane]

    def top_rows(self) -> tuple[int, int]:
        """The alignment row at the top of the left and right panes."""
        out = []
        for pane in (0, 1):
            lines, tops = self._layout(pane)
            offset = self._offset(pane)
            # The first row drawn at or below the top (a blank line belongs to none).
            row = next((line[0] for line in lines[offset:offset + 3] if line[0] >= 0), -1)
            if row < 0 and tops:
                row = max(0, bisect_right(tops, offset) - 1)
            out.append(max(0, row))
        return out[0], out[1]

    def _scroll_rows(self, rows: tuple[int, int], lead: int = 0) -> None:
        """Put row ``rows[p]`` at the top of pane ``p`` (less ``lead`` lines of context)."""
        for pane in (0, 1):
            tops = self._layout(pane)[1]
            if tops:
                self._offsets[pane] = max(0, tops[min(rows[pane], len(tops) - 1)] - lead)
        target = self._offsets[0] if self.linked else self._offsets[self.active]
        self.scroll_to(y=target, animate=False, immediate=True)
        self.refresh()

    def go_to_row(self, row: int) -> None:
        """Make ``row`` current and scroll it to the upper third of both panes."""
        self._ensure_layout()
        self.current = row
        lead = max(0, self.scrollable_content_region.height // 3)
        self._scroll_rows((row, row), lead)

    def set_linked(self, linked: bool) -> None:
        """Link (one scroll position) or unlink (one per pane) the two panes."""
        if linked == self.linked:
            return
        top = self.top_rows()
        if linked:
            top = (top[self.active], top[self.active])
        self.linked = linked
        self._ensure_layout()
        self._scroll_rows(top)

    def action_switch_pane(self) -> None:
        """Unlinked: let the keys scroll the other pane."""
        if self.linked:
            return
        self._offsets[self.active] = int(self.scroll_y)
        self.active = 1 - self.active
        self._update_size()
        self.scroll_to(y=self._offsets[self.active], animate=False, immediate=True)
        self.refresh()

    # -- drawing -------------------------------------------------------------------

    def _style(self, name: str | Style) -> Style:
        if isinstance(name, Style):
            return name
        if not self._styles:
            get = self.get_component_rich_style
            self._styles = {n: get(c) for n, c in STYLE_CLASSES.items()}
        return self._styles.get(name, Style.null())

    def _component(self, name: str) -> Style:
        """The component class ``name``'s style (looked up once per theme)."""
        style = self._components.get(name)
        if style is None:
            style = self._components[name] = self.get_component_rich_style(name)
        return style

    def _piece(self, piece: Piece | None, width: int) -> list[Segment]:
        """One cell's stretch, theme-styled, padded to ``width`` cells."""
        found = self._pieces.get((piece, width))
        if found is None:
            found = self._pieces[(piece, width)] = self._draw_piece(piece, width)
        return found

    def _draw_piece(self, piece: Piece | None, width: int) -> list[Segment]:
        if piece is None:
            text = Text("")
        else:
            row, side, start, end = piece
            cell = self.cells[row][side]
            found = piece_segments(cell, start, end, width, self._style)
            if found is not None:
                return found
            cut = cell[start:end]
            text = Text(cut.plain, style=self._style(cut.style),
                        spans=[RichSpan(s.start, s.end, self._style(s.style)) for s in cut.spans])
        text.truncate(width, pad=True)
        if not text.spans and text.style:  # Rich draws a text without spans unstyled
            return [Segment(text.plain, self._style(text.style))]
        return list(text.render(self.app.console))

    def _marker(self, row: int) -> Segment:
        if row >= 0 and row == self.current:
            return Segment("▌", self._component("sbs--current"))
        return Segment(" ")

    def _label(self, piece: Piece | None) -> list[Segment]:
        """Stacked panes: ``A``/``B`` on the first line of each cell."""
        if piece is None or piece[2] != 0:
            return [Segment("  ")]
        return [Segment("AB"[piece[1]], self._component("sbs--label")),
                Segment(" ")]

    def render_lines(self, crop: Region) -> list[Strip]:
        # Widths and the base style are the same for every line of one pass, and looking
        # them up costs more than drawing a line from cached pieces: look once per pass.
        self._pass = self._measure()
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def _measure(self) -> tuple[int, int, bool, Style]:
        return (self.scrollable_content_region.width, self.pane_width(), self.narrow,
                self.rich_style)

    def render_line(self, y: int) -> Strip:
        width, pw, narrow, base = self._pass or self._measure()
        self._check_pieces()
        if (pw, narrow) != self._key or (not self.linked and not self._columns):
            self._ensure_layout()
        if narrow:
            lines = self._layout(self.active)[0]
            line = _at(lines, y + self._offset(self.active))
            segs = [self._marker(line[0]), *self._label(line[1]), *self._piece(line[1], pw)]
        else:
            left = _at(self._layout(0)[0], y + self._offset(0))
            right = _at(self._layout(1)[0], y + self._offset(1)) if not self.linked else left
            r_piece = right[2] if self.linked else right[1]
            divider = Segment(DIVIDER, self._component("sbs--divider"))
            segs = [self._marker(left[0]), *self._piece(left[1], pw), divider,
                    self._marker(right[0]), *self._piece(r_piece, pw)]
            if not self.linked:
                segs = self._dim_inactive(segs, pw)
        strip = Strip(Segment.apply_style(segs, base))
        return strip.extend_cell_length(width, base).crop(0, width)

    def _dim_inactive(self, segs: list[Segment], pw: int) -> list[Segment]:
        """Unlinked: tint the pane the keys do not scroll."""
        dim = self._component("sbs--inactive")
        strip = Strip(segs)
        cut = GUTTER + pw + len(DIVIDER)
        parts = strip.divide([cut, strip.cell_length])
        left, right = list(parts[0]), list(parts[1]) if len(parts) > 1 else []
        if self.active == 0:
            right = list(Segment.apply_style(right, post_style=dim))
        else:
            left = list(Segment.apply_style(left, post_style=dim))
        return left + right


def piece_segments(cell: Text, start: int, end: int, width: int,
                   style: Callable[[str | Style], Style]) -> list[Segment] | None:
    """The segments of ``cell[start:end]`` restyled by ``style``, padded to ``width`` cells,
    as slicing, truncating and rendering a :class:`Text` gives them (except that a stretch
    without highlights keeps the cell's style, which Rich drops), without building the
    intermediate texts (``None`` when the stretch is wider than ``width``)."""
    plain = cell.plain[start:end]
    length = cell_len(plain)
    if length > width:
        return None
    plain += " " * (width - length)
    spans = [(max(s.start, start) - start, min(s.end, end) - start, style(s.style))
             for s in cell.spans if max(s.start, start) < min(s.end, end)]
    if not spans:  # Text.render would drop the row's own colour here (only, moved rows)
        base = style(cell.style)
        return [Segment(plain, base)] if base else [Segment(plain)]
    styles = [style(cell.style), *(s[2] for s in spans)]
    marks = sorted([(0, False, 0), *((s[0], False, k) for k, s in enumerate(spans, 1)),
                    *((s[1], True, k) for k, s in enumerate(spans, 1)),
                    (len(plain), True, 0)], key=itemgetter(0, 1))
    stack: list[int] = []
    combined: dict[tuple[int, ...], Style] = {}
    out = []
    for (offset, leaving, k), (following, _, _) in zip(marks, marks[1:], strict=False):
        if leaving:
            stack.remove(k)
        else:
            stack.append(k)
        if following > offset:
            key = tuple(sorted(stack))
            current = combined.get(key)
            if current is None:
                current = combined[key] = Style.combine(styles[n] for n in key)
            out.append(Segment(plain[offset:following], current))
    return out


def _at(lines: list[Line], index: int) -> Line:
    """The display line at ``index``, a blank one past the end."""
    return lines[index] if 0 <= index < len(lines) else (-1, None, None)
