"""A scrolling view of one text with highlighted spans, drawing only visible lines."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Span as RichSpan
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.spans import KINDS, Span
from tui.core.wrap import line_of, wrap_offsets

MAX_CHARS = 2_000_000
"""Texts longer than this are shown in part: drawing stays instant whatever the file."""
STRIP_CACHE = 2_000
"""Drawn lines kept, so scrolling back and forth redraws nothing."""


class DocumentView(ScrollView, can_focus=True, inherit_bindings=False):
    """Text wrapped at word boundaries, highlighted by span kind, with a "current" span.

    Colours come from component classes (``doc--person`` …) styled in the app's TCSS
    with theme variables, so every theme colours highlights its own way.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Down", show=False, id="doc.down"),
        Binding("up,k", "scroll_up", "Up", show=False, id="doc.up"),
        Binding("pagedown,ctrl+d,space", "jump_page(1)", "Page down", show=False,
                id="doc.page_down"),
        Binding("pageup,ctrl+u", "jump_page(-1)", "Page up", show=False, id="doc.page_up"),
        Binding("home,g", "jump(0)", "Top", show=False, id="doc.top"),
        Binding("end,G", "jump(1)", "Bottom", show=False, id="doc.bottom"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"doc--{kind}" for kind in KINDS), "doc--conflict", "doc--current", "doc--match",
        "doc--dim",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.spans: list[Span] = []
        self.conflicts: set[tuple[int, int]] = set()
        self.matches: list[tuple[int, int]] = []
        self.current: tuple[int, int] | None = None
        self.note = ""
        # Three layers of cached work, each kept until what it depends on changes:
        self._styled: list[RichSpan] | None = None
        """Highlights over the whole text (text, spans, matches, current, theme)."""
        self._styled_with: dict[str, Style] = {}
        """The component styles ``_styled`` was made with."""
        self._lines: list[tuple[int, int]] = []
        self._width = 0
        """The width ``_lines`` were wrapped to (0: not wrapped yet)."""
        self._wrapped_for: tuple[int, int, bool] | None = None
        """The view (width, height, scrollbar shown?) ``_width`` was chosen for."""
        self._line_spans: list[list[RichSpan]] | None = None
        """Each line's highlights, relative to the line (``_styled`` cut at ``_lines``)."""
        self._segments: LRUCache[int, list[Segment]] = LRUCache(STRIP_CACHE)
        """Each drawn line's segments, base style applied, before padding to the view."""
        self._strips: LRUCache[int, Strip] = LRUCache(STRIP_CACHE)
        self._strips_for: tuple[int, Style] | None = None
        """The view width and base style the cached segments and strips were drawn with."""
        self._check_styles = False
        self._pass: tuple[Region, Style] | None = None
        """The view's region and base style during a :meth:`render_lines` pass."""

    def show(self, text: str, spans: Sequence[Span] = (), conflicts: Sequence[Span] = ()) -> None:
        """Display ``text`` with ``spans`` highlighted; conflicting figures stand out."""
        self.note = ""
        if len(text) > MAX_CHARS:
            self.note = f"[showing the first {MAX_CHARS:,} of {len(text):,} characters]"
            text = text[:MAX_CHARS]
        self.text = text
        self.spans = [s for s in spans if s.end <= len(text)]
        self.conflicts = {(s.start, s.end) for s in conflicts}
        self.matches = []
        self.current = None
        self._width, self._wrapped_for = 0, None
        self._invalidate()
        self.scroll_home(animate=False)

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        """Mark search matches (drawn under the entity highlights)."""
        self.matches = matches
        self._invalidate()

    def set_current(self, span: tuple[int, int] | None) -> None:
        """Mark one stretch as current and scroll it into the middle of the view."""
        self.current = span
        self._invalidate()
        if span is not None:
            self._ensure_layout()
            y = line_of(self._lines, span[0])
            self.scroll_to(y=max(0, y - self.scrollable_content_region.height // 3),
                           animate=False)

    # Jumps land at once: an animated scroll across a long document repaints it dozens
    # of times (about a second for end, home and page down on a million-line file).
    def action_jump(self, where: int) -> None:
        """To the top (0) or the bottom (1)."""
        if where:
            self.scroll_end(animate=False)
        else:
            self.scroll_home(animate=False)

    def action_jump_page(self, step: int) -> None:
        """One page down (1) or up (-1)."""
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y + step * height, animate=False)

    def _invalidate(self) -> None:
        """Forget the highlights and the lines drawn (the wrapping stays)."""
        self._styled = None
        self._line_spans = None
        self._forget_drawn()
        self.refresh()

    def _forget_drawn(self) -> None:
        self._segments.clear()
        self._strips.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._check_styles = True  # the theme may have changed the highlight colours

    def _ensure_layout(self, view: Region | None = None) -> None:
        """Wrap the text to the view's width and lay the highlights out over the lines,
        redoing only what the last change made stale (``view``: the content region)."""
        if self._check_styles:
            self._check_styles = False
            if self._styled is not None and self._highlight_styles() != self._styled_with:
                self._invalidate()
        if view is None:
            view = self.scrollable_content_region
        key = (view.width, view.height, self.show_vertical_scrollbar)
        if key != self._wrapped_for:
            self._wrapped_for = key
            self._wrap(view)
        if self._styled is None:
            self._styled_with = self._highlight_styles()
            self._styled = self._style_text(self._styled_with).spans
        if self._line_spans is None:
            self._line_spans = line_spans(self._styled, self._lines)

    def _wrap(self, view: Region) -> None:
        """Wrap the text for the view (one cell to spare)."""
        width = max(10, view.width - 1)
        bar = self.styles.scrollbar_size_vertical
        extra = 2 if self.note else 0
        scrolls = not self.show_vertical_scrollbar and bar and self.styles.overflow_y == "auto"
        if scrolls and self.text.count("\n", 0, 1_000_000) + 1 + extra > view.height:
            # More hard lines than the view holds: it will scroll whatever the wrapping,
            # so wrap once, for the width the scrollbar leaves.
            width = max(10, view.width - bar - 1)
        lines = self._lines if width == self._width else wrap_offsets(self.text, width)
        if (scrolls and width == max(10, view.width - 1)
                and len(lines) + extra > view.height):
            # Too long for the view: the scrollbar is about to take ``bar`` columns. Wrap
            # for what will be left, rather than once now and once when it shows.
            width = max(10, view.width - bar - 1)
            lines = self._lines if width == self._width else wrap_offsets(self.text, width)
        if width != self._width:
            self._width, self._lines = width, lines
            self._line_spans = None
            self._forget_drawn()
            self.virtual_size = Size(width, len(lines) + extra)

    def _highlight_styles(self) -> dict[str, Style]:
        get = self.get_component_rich_style
        return {name: get(name) for name in sorted(self.COMPONENT_CLASSES)}

    def _style_text(self, styles: dict[str, Style]) -> Text:
        text = Text(self.text, no_wrap=True)
        for start, end in self.matches:
            text.stylize(styles["doc--match"], start, end)
        for span in self.spans:
            text.stylize(styles[f"doc--{span.kind}"], span.start, span.end)
            if (span.start, span.end) in self.conflicts:
                text.stylize(styles["doc--conflict"], span.start, span.end)
        if self.current is not None:
            text.stylize(styles["doc--current"], *self.current)
        return text

    def render_lines(self, crop: Region) -> list[Strip]:
        # The view's width and base style are the same for every line of one pass, and
        # looking them up costs more than drawing a cached line: look once per pass.
        self._pass = (self.scrollable_content_region, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def render_line(self, y: int) -> Strip:
        view, base = self._pass or (self.scrollable_content_region, self.rich_style)
        self._ensure_layout(view)
        width = view.width
        line = y + int(self.scroll_y)
        if self._strips_for != (width, base):
            if self._strips_for is None or self._strips_for[1] != base:
                self._segments.clear()
            self._strips.clear()
            self._strips_for = (width, base)
        strip = self._strips.get(line)
        if strip is None:
            strip = self._strips[line] = self._draw(line, width, base)
        return strip

    def _draw(self, line: int, width: int, base: Style) -> Strip:
        """Display line ``line`` (of the document, not of the view) as a strip."""
        if line >= len(self._lines) or self._line_spans is None:
            if self.note and line == len(self._lines) + 1:
                note = Text(self.note, style=self.get_component_rich_style("doc--dim"))
                return _pad(_segments(note, self, base), width, base)
            return Strip([Segment(" " * width, base)], width)
        segments = self._segments.get(line)
        if segments is None:
            start, end = self._lines[line]
            text = Text(self.text[start:end], spans=self._line_spans[line])
            segments = self._segments[line] = _segments(text, self, base)
        return _pad(segments, width, base)


def line_spans(spans: Sequence[RichSpan], lines: Sequence[tuple[int, int]]
               ) -> list[list[RichSpan]]:
    """Each line's part of ``spans`` (offsets into the text), relative to the line.

    ``lines`` are ``(start, end)`` offsets in order, not overlapping (as
    :func:`tui.core.wrap.wrap_offsets` gives them). A line's spans keep the order of
    ``spans``, so overlapping styles stack as they would on the whole text: the result is
    what slicing the whole styled text at each line gives, at the cost of one pass.
    """
    starts = [start for start, _ in lines]
    out: list[list[RichSpan]] = [[] for _ in lines]
    for start, end, style in spans:
        k = max(0, bisect_right(starts, start) - 1)
        while k < len(lines) and lines[k][0] < end:
            line_start, line_end = lines[k]
            lo, hi = max(start, line_start), min(end, line_end)
            if hi > lo:
                out[k].append(RichSpan(lo - line_start, hi - line_start, style))
            k += 1
    return out


def _segments(text: Text, view: DocumentView, base: Style) -> list[Segment]:
    """One display line's segments over the view's ``base`` style."""
    return list(Segment.apply_style(text.render(view.app.console), base))


def _pad(segments: list[Segment], width: int, base: Style) -> Strip:
    """A display line as a strip exactly ``width`` cells wide."""
    return Strip(segments).extend_cell_length(width, base).crop(0, width)
