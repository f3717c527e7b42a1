"""Side-by-side rendering of an alignment with Rich, like a diff tool for prose.

Article text is only ever placed in :class:`rich.text.Text` (never parsed as markup), with
control characters and terminal escape sequences removed first. Styles are semantic names
(``diff.insert``, ``entity.place``…) resolved through :data:`COMPARE_THEME`, which the
renderable applies itself; a caller's own theme may override any of them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence, Sized
from typing import Any, overload

from rich import box, errors
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.rule import Rule
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from tui.core.align import Alignment, Row
from tui.core.sanitize import INVISIBLE_CHARS
from tui.core.spans import ENTITY_KINDS, Span
from tui.core.text import count_words

NARROW_WIDTH = 100
"""Under this many columns the two reports are stacked instead of side by side."""

COMPARE_THEME = Theme({
    "pane.title": "bold",
    "pane.meta": "dim",
    "pane.label": "bold reverse",
    "compare.summary": "bold",
    "compare.rule": "dim",
    "diff.delete": "underline red",
    "diff.insert": "bold underline green",
    "diff.change": "underline yellow",
    "diff.only_a": "red",
    "diff.only_b": "green",
    "diff.moved": "magenta",
    "diff.moved.label": "bold reverse magenta",
    "entity.person": "cyan",
    "entity.place": "blue",
    "entity.organization": "bright_magenta",
    "entity.group": "bright_cyan",
    "entity.other": "italic",
    "figure.number": "bold",
    "figure.date": "bold",
    "figure.percent": "bold",
    "figure.money": "bold",
    "figure.quantity": "bold",
    "figure.time": "bold",
    "figure.conflict": "bold reverse red",
})
"""Default styles of every name the comparison uses."""

# Terminal escape sequences (CSI, OSC, other ESC), C0/C1 controls, and invisible characters
# (bidi overrides that could reorder what the terminal shows, zero-width characters).
# Tabs and line breaks are turned into spaces instead.
_UNSAFE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[@-_]?"
    f"|[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{INVISIBLE_CHARS}]"
)
_NON_SPACE = re.compile(r"\S+")
_SPACES = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def clean_text(text: str) -> tuple[str, list[int] | None]:
    """Return ``text`` safe to display and a map from its offsets to the cleaned ones.

    The map is ``None`` when nothing was removed (offsets are unchanged); otherwise
    ``mapping[k]`` is where original offset ``k`` (``0..len(text)``) lands.
    """
    if text.isascii() and text.isprintable():  # the common case, with nothing to remove
        return text, None
    if not _UNSAFE.search(text):
        return text.translate(_SPACES), None
    parts: list[str] = []
    mapping: list[int] = []
    last = pos = 0
    for match in _UNSAFE.finditer(text):
        keep = text[last:match.start()]
        mapping.extend(range(pos, pos + len(keep)))
        pos += len(keep)
        parts.append(keep)
        mapping.extend([pos] * (match.end() - match.start()))
        last = match.end()
    keep = text[last:]
    mapping.extend(range(pos, pos + len(keep) + 1))
    parts.append(keep)
    return "".join(parts).translate(_SPACES), mapping


def pane_meta(meta: Mapping[str, Any] | str, text: str = "") -> str:
    """The meta line of a pane: ``"RT · 2020-10-04 · 443 words"`` from a mapping with
    ``source``, ``date`` and optionally ``words`` (counted in ``text`` when missing)."""
    if isinstance(meta, str):
        return meta
    words = meta.get("words")
    parts = [str(meta.get("source") or "unknown source"), str(meta.get("date") or "undated"),
             f"{words if words is not None else count_words(text)} words"]
    return " · ".join(parts)


def cell_texts(row: Row, row_index: int = 0, highlights_a: Sequence[Span] = (),
               highlights_b: Sequence[Span] = (), conflicts_a: Sequence[Span] = (),
               conflicts_b: Sequence[Span] = ()) -> tuple[Text, Text]:
    """The styled left and right cells of ``row`` (empty Text for an empty side).

    Spans are offsets into the full texts (as the recognisers return them); those outside
    the row are ignored. Layers, lowest first: entities/figures, word diff, conflicts.
    For every row of an alignment at once, :func:`row_cells` is faster.
    """
    return (
        _cell(row, row_index, True, _overlapping(highlights_a, row.a_span),
              _overlapping(conflicts_a, row.a_span)),
        _cell(row, row_index, False, _overlapping(highlights_b, row.b_span),
              _overlapping(conflicts_b, row.b_span)),
    )


def row_cells(rows: Sequence[Row], highlights_a: Sequence[Span] = (),
              highlights_b: Sequence[Span] = (), conflicts_a: Sequence[Span] = (),
              conflicts_b: Sequence[Span] = ()) -> list[tuple[Text, Text]]:
    """:func:`cell_texts` of every row (``rows[k]`` as row ``k``), finding each row's spans
    through a sorted index instead of scanning every span for every row."""
    return list(RowCells(rows, highlights_a, highlights_b, conflicts_a, conflicts_b))


class SpanIndex:
    """Spans found by the stretch they overlap, in their original order."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self._spans = list(spans)
        self._order = sorted(range(len(self._spans)), key=lambda k: self._spans[k].start)
        self._starts = [self._spans[k].start for k in self._order]
        self._longest = max((s.end - s.start for s in self._spans), default=0)

    def overlapping(self, span: tuple[int, int] | None) -> list[Span]:
        """The spans with ``start < span[1]`` and ``end > span[0]`` (none for ``None``),
        in the order they were given."""
        if span is None or not self._spans:
            return []
        lo = bisect_left(self._starts, span[0] - self._longest)
        hi = bisect_left(self._starts, span[1])
        hits = sorted(k for k in self._order[lo:hi] if self._spans[k].end > span[0])
        return [self._spans[k] for k in hits]



class RowCells(Sequence[tuple[Text, Text]]):
    """:func:`cell_texts` of every row, each styled when first asked for and kept.

    The comparison screen draws a screenful of rows at a time: styling every row (and
    diffing its words) before the first paint would only delay it. :meth:`plain` gives a
    row's text without styling anything, for wrapping.
    """

    def __init__(self, rows: Sequence[Row], highlights_a: Sequence[Span] = (),
                 highlights_b: Sequence[Span] = (), conflicts_a: Sequence[Span] = (),
                 conflicts_b: Sequence[Span] = ()) -> None:
        self._rows = rows
        self._found = [SpanIndex(spans) for spans in (highlights_a, conflicts_a,
                                                      highlights_b, conflicts_b)]
        self._made: dict[int, tuple[Text, Text]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> tuple[Text, Text]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Text, Text]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Text, Text] | list[tuple[Text, Text]]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        k = index + len(self) if index < 0 else index
        if not 0 <= k < len(self):
            raise IndexError(index)
        made = self._made.get(k)
        if made is None:
            row, found = self._rows[k], self._found
            made = self._made[k] = (
                _cell(row, k, True, found[0].overlapping(row.a_span),
                      found[1].overlapping(row.a_span)),
                _cell(row, k, False, found[2].overlapping(row.b_span),
                      found[3].overlapping(row.b_span)))
        return made

    def plain(self) -> list[tuple[str, str]]:
        """The plain text of every row's two cells (``cell.plain``), nothing styled."""
        return [(_cell_plain(row, k, True), _cell_plain(row, k, False))
                for k, row in enumerate(self._rows)]


def _overlapping(spans: Sequence[Span], span: tuple[int, int] | None) -> list[Span]:
    """The spans with ``start < span[1]`` and ``end > span[0]``, in order."""
    if span is None:
        return []
    lo, hi = span
    return [s for s in spans if s.start < hi and s.end > lo]


def _cell(row: Row, row_index: int, left: bool, highlights: Sequence[Span],
          conflicts: Sequence[Span]) -> Text:
    """One side of a row: see :func:`cell_texts`."""
    raw = row.a_text if left else row.b_text
    span = row.a_span if left else row.b_span
    if not raw or span is None:
        return Text("")
    clean, mapping = clean_text(raw)
    text = Text(clean, style=_base_style(row, left))
    offset = span[0]
    for s in highlights:
        _stylize(text, mapping, s.start - offset, s.end - offset, _span_style(s.kind))
    for op in row.diff:
        start, end = (op.a_start, op.a_end) if left else (op.b_start, op.b_end)
        style = _diff_style(op.op, left)
        if style:
            # Word by word, so a wrapped line does not end in a marked space.
            for m in _NON_SPACE.finditer(raw, start, end):
                _stylize(text, mapping, m.start(), m.end(), style)
    for s in conflicts:
        _stylize(text, mapping, s.start - offset, s.end - offset, "figure.conflict")
    if row.moved:
        return Text.assemble((_moved_label(row, row_index), "diff.moved.label"), " ", text)
    return text


def _cell_plain(row: Row, row_index: int, left: bool) -> str:
    """``_cell(row, row_index, left, ...).plain``, without styling anything."""
    raw = row.a_text if left else row.b_text
    span = row.a_span if left else row.b_span
    if not raw or span is None:
        return ""
    clean = clean_text(raw)[0]
    return f"{_moved_label(row, row_index)} {clean}" if row.moved else clean


def _moved_label(row: Row, row_index: int) -> str:
    """``"↕ moved ↓"`` (its counterpart is further down) or ``"↕ moved ↑"``."""
    return f"↕ moved {'↓' if (row.moved_to or 0) > row_index else '↑'}"


def _base_style(row: Row, left: bool) -> str:
    if row.moved:
        return "diff.moved"
    if not row.paired:
        return "diff.only_a" if left else "diff.only_b"
    return ""


def _span_style(kind: str) -> str:
    return f"entity.{kind}" if kind in ENTITY_KINDS else f"figure.{kind}"


def _diff_style(op: str, left: bool) -> str:
    if op == "replace":
        return "diff.change"
    if op == "delete" and left:
        return "diff.delete"
    if op == "insert" and not left:
        return "diff.insert"
    return ""


def _stylize(text: Text, mapping: list[int] | None, start: int, end: int, style: str) -> None:
    """Style ``[start, end)`` (raw row offsets) when it overlaps the cell."""
    size = len(mapping) - 1 if mapping is not None else len(text.plain)
    start, end = max(0, start), min(size, end)
    if start >= end:
        return
    if mapping is not None:
        start, end = mapping[start], mapping[end]
    text.stylize(style, start, end)


class _Themed:
    """A renderable drawn with :data:`COMPARE_THEME` underneath the console's own styles."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Only the names the console does not define yet: a caller's theme wins.
        with console.use_theme(_missing_styles(console)):
            lines = console.render_lines(self.inner, options, pad=False, new_lines=True)
        for line in lines:
            yield from line


def _missing_styles(console: Console) -> Theme:
    """The part of :data:`COMPARE_THEME` the console has no style for."""
    missing = {}
    for name, style in COMPARE_THEME.styles.items():
        try:
            console.get_style(name)
        except errors.MissingStyle:
            missing[name] = style
    return Theme(missing, inherit=False)


def render_compare(a_title: str, a_meta: Mapping[str, Any] | str, a_text: str,
                   b_title: str, b_meta: Mapping[str, Any] | str, b_text: str,
                   alignment: Alignment, width: int,
                   highlights_a: Sequence[Span] = (), highlights_b: Sequence[Span] = (),
                   conflicts: int | Sized | None = None,
                   conflicts_a: Sequence[Span] = (), conflicts_b: Sequence[Span] = (),
                   relation: str | None = None) -> RenderableType:
    """A side-by-side (``width`` >= :data:`NARROW_WIDTH`) or stacked rendering of a comparison.

    Args:
        a_title, a_meta, a_text: the left report (``a_meta`` as for :func:`pane_meta`).
        b_title, b_meta, b_text: the right report.
        alignment: ``align(a_text, b_text)``.
        width: the columns available; the rendering never exceeds it.
        highlights_a, highlights_b: entity/figure spans over ``a_text``/``b_text``.
        conflicts: the conflicting figure groups (or their count), for the summary line.
        conflicts_a, conflicts_b: the spans of conflicting figures, marked above all else.
        relation: e.g. ``"copy · 0.93"``, shown at the start of the summary line.
    """
    panes = ((a_title, pane_meta(a_meta, a_text)), (b_title, pane_meta(b_meta, b_text)))
    cells = row_cells(alignment.rows, highlights_a, highlights_b, conflicts_a, conflicts_b)
    summary = Text(_summary(alignment, conflicts, relation), style="compare.summary")
    body: RenderableType
    if width < NARROW_WIDTH:
        body = _stacked(panes, cells, width)
    else:
        body = _side_by_side(panes, cells, width)
    rule = Rule(style="compare.rule")
    return _Themed(Group(summary, rule, body))


def _summary(alignment: Alignment, conflicts: int | Sized | None, relation: str | None) -> str:
    parts = [relation] if relation else []
    parts.append(alignment.summary())
    if conflicts is not None:
        count = conflicts if isinstance(conflicts, int) else len(conflicts)
        parts.append(f"{count} conflicting figure{'' if count == 1 else 's'}")
    return " · ".join(parts)


def _header(label: str, title: str, meta: str) -> Text:
    return Text.assemble((f" {label} ", "pane.label"), " ", (clean_text(title)[0], "pane.title"),
                         "\n", (clean_text(meta)[0], "pane.meta"))


def _side_by_side(panes: Iterable[tuple[str, str]], cells: list[tuple[Text, Text]],
                  width: int) -> Table:
    """Two columns with a divider; a blank line between rows."""
    table = Table(box=box.MINIMAL, show_edge=False, expand=True, width=width, leading=1,
                  padding=(0, 1))
    for label, (title, meta) in zip("AB", panes, strict=True):
        table.add_column(_header(label, title, meta), ratio=1, overflow="fold",
                         vertical="top")
    for a_cell, b_cell in cells:
        table.add_row(a_cell, b_cell)
    return table


def _stacked(panes: Iterable[tuple[str, str]], cells: list[tuple[Text, Text]],
             width: int) -> Group:
    """Headers, then each row as its left then right cell, for narrow terminals."""
    heads = [_header(label, title, meta) for label, (title, meta) in zip("AB", panes,
                                                                          strict=True)]
    table = Table.grid(padding=(0, 1), expand=True)
    table.width = width
    table.add_column(width=3, no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    for a_cell, b_cell in cells:
        if a_cell.plain:
            table.add_row(Text(" A ", "pane.label"), a_cell)
        if b_cell.plain:
            table.add_row(Text(" B ", "pane.label"), b_cell)
        table.add_row("", "")
    return Group(*heads, Rule(style="compare.rule"), table)
