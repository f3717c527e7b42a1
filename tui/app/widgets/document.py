"""A scrolling view of one text with highlighted spans, drawing only visible lines."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from time import perf_counter
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
from textual.timer import Timer
from textual.widget import Widget

from tui.core.spans import KINDS, Span
from tui.core.wrap import Highlights, Layer, Wrapped, line_spans

__all__ = ["DocumentView", "TextLines", "line_segments", "line_spans"]

MAX_CHARS = 2_000_000
"""Texts longer than this are shown in part: drawing stays instant whatever the file."""
STRIP_CACHE = 2_000
"""Drawn lines kept, so scrolling back and forth redraws nothing."""
LAYOUT_STEP = 0.008
"""Seconds of wrapping per step of the layout done after the first paint."""


class LineCache:
    """Drawn lines, keyed by their offsets in the text, for one width and base style."""

    def __init__(self) -> None:
        self.segments: LRUCache[tuple[int, int], list[Segment]] = LRUCache(STRIP_CACHE)
        """Each line's segments, base style applied, before padding to the width."""
        self.strips: LRUCache[tuple[int, int], Strip] = LRUCache(STRIP_CACHE)
        self.made_for: tuple[int, Style] | None = None

    def clear(self) -> None:
        """Forget every drawn line."""
        self.segments.clear()
        self.strips.clear()

    def check(self, width: int, base: Style) -> None:
        """Forget what was drawn for another width (the strips) or base style (all)."""
        if self.made_for != (width, base):
            if self.made_for is None or self.made_for[1] != base:
                self.segments.clear()
            self.strips.clear()
            self.made_for = (width, base)


class DocumentView(ScrollView, can_focus=True, inherit_bindings=False):
    """Text wrapped at word boundaries, highlighted by span kind, with a "current" span.

    Only what is drawn is laid out at first: the text is wrapped block by block as lines
    are needed (:class:`tui.core.wrap.Wrapped`), the rest in small steps after the first
    paint, and each drawn line picks its highlights by position. Colours come from
    component classes (``doc--person`` …) styled in the app's TCSS with theme variables,
    so every theme colours highlights its own way.
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
        self._spans: Sequence[Span] = ()
        self._offset = 0
        """Where in ``text`` the offsets of ``_spans`` count from."""
        self.conflicts: set[tuple[int, int]] = set()
        """The stretches (offsets into ``text``) of conflicting figures."""
        self.matches: list[tuple[int, int]] = []
        self.current: tuple[int, int] | None = None
        self.note = ""
        # Cached work, each kept until what it depends on changes:
        self._highlights: Highlights | None = None
        """Matches, spans and conflicts by position (the current span is drawn apart)."""
        self._styled_with: dict[str, Style] = {}
        """The component styles ``_highlights`` was made with."""
        self._lines = Wrapped("", 1)
        self._width = 0
        """The width ``_lines`` were wrapped to (0: not wrapped yet)."""
        self._wrapped_for: tuple[int, int, bool] | None = None
        """The view (width, height, scrollbar shown?) ``_width`` was chosen for."""
        self._drawn = LineCache()
        self._layout_timer: Timer | None = None
        self._check_styles = False
        self._pass: tuple[Region, Style] | None = None
        """The view's region and base style during a :meth:`render_lines` pass."""
        self._sized_for: tuple[Size, Size] | None = None
        """The size and container size the scrollbar was last updated for."""

    def show(self, text: str, spans: Sequence[Span] = (), conflicts: Sequence[Span] = (),
             offset: int = 0) -> None:
        """Display ``text`` with ``spans`` highlighted; conflicting figures stand out.

        ``spans`` and ``conflicts`` count from ``text[offset]`` (the text after a header
        of ``offset`` characters): a long text's spans need no shifted copies.
        """
        self.note = ""
        if len(text) > MAX_CHARS:
            self.note = f"[showing the first {MAX_CHARS:,} of {len(text):,} characters]"
            text = text[:MAX_CHARS]
            spans = [s for s in spans if s.end + offset <= len(text)]
        self.text = text
        self._spans, self._offset = spans, offset
        self.conflicts = {(s.start + offset, s.end + offset) for s in conflicts}
        self.matches = []
        self.current = None
        self._width, self._wrapped_for = 0, None
        if not self.size:
            self._expect_scrollbar()
        self._invalidate()
        self.scroll_home(animate=False)

    def _expect_scrollbar(self) -> None:
        """Before the first layout: a text too long for the whole terminal (more than
        (width + 1) x height characters) has the scrollbar from that layout on."""
        width, height = self.app.size
        if self.styles.overflow_y == "auto" and len(self.text) > (width + 1) * height:
            self.virtual_size = Size(0, len(self.text) // max(1, width))
            self.show_vertical_scrollbar = True

    @property
    def spans(self) -> list[Span]:
        """The highlighted spans, as offsets into ``text``."""
        if not self._offset:
            return list(self._spans)
        return [s.shifted(self._offset) for s in self._spans]

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        """Mark search matches (drawn under the entity highlights)."""
        self.matches = matches
        self._invalidate()

    def set_current(self, span: tuple[int, int] | None) -> None:
        """Mark one stretch as current and scroll it into the middle of the view."""
        self.current = span
        self._drawn.clear()
        self.refresh()
        if span is not None:
            self._ensure_layout()
            height = self.scrollable_content_region.height
            y = self._lines.around(span[0], height, height)
            self._sync_size()
            # Forced: a span marked before the first layout (no scrollbar yet) still shows.
            self.scroll_to(y=max(0, y - height // 3), animate=False, force=True)

    # Jumps land at once: an animated scroll across a long document repaints it dozens
    # of times (about a second for end, home and page down on a million-line file).
    def action_jump(self, where: int) -> None:
        """To the top (0) or the bottom (1)."""
        if where:
            self._ensure_layout()
            self._lines.wrap_tail(self.scrollable_content_region.height)
            self._sync_size()
            self.scroll_end(animate=False)
        else:
            self.scroll_home(animate=False)

    def action_jump_page(self, step: int) -> None:
        """One page down (1) or up (-1)."""
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y + step * height, animate=False)

    def _invalidate(self) -> None:
        """Forget the highlights and the lines drawn (the wrapping stays)."""
        self._highlights = None
        self._drawn.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._check_styles = True  # the theme may have changed the highlight colours

    def watch_has_focus(self, _has_focus: bool) -> None:
        # Not restyled (milliseconds per opening): nothing styles it by focus (tested).
        self.refresh()

    def _ensure_layout(self, view: Region | None = None) -> None:
        """Wrap the text to the view's width (lazily) and gather the highlights, redoing
        only what the last change made stale (``view``: the content region)."""
        if self._check_styles:
            self._check_styles = False
            if self._highlights is not None and self._highlight_styles() != self._styled_with:
                self._invalidate()
        if view is None:
            view = self.scrollable_content_region
        key = (view.width, view.height, self.show_vertical_scrollbar)
        if key != self._wrapped_for:
            self._wrapped_for = key
            self._wrap(view)
        if self._highlights is None:
            self._styled_with = self._highlight_styles()
            self._highlights = self._layers(self._styled_with)

    def _wrap(self, view: Region) -> None:
        """Wrap the text for the view (one cell to spare), as far as the view needs."""
        width = max(10, view.width - 1)
        bar = self.styles.scrollbar_size_vertical
        extra = 2 if self.note else 0
        lines = self._lines if width == self._width else Wrapped(self.text, width)
        if (not self.show_vertical_scrollbar and bar and self.styles.overflow_y == "auto"
                and lines.longer_than(view.height - extra)):
            # Too long for the view: the scrollbar is about to take ``bar`` columns. Wrap
            # for what will be left, rather than once now and once when it shows.
            width = max(10, view.width - bar - 1)
            lines = self._lines if width == self._width else Wrapped(self.text, width)
        if width != self._width:
            self._width, self._lines = width, lines
            self._sync_size()
            self._lay_out_later()

    def _sync_size(self) -> None:
        """Make the scrollable height what the lines are known (or guessed) to be; lay
        the screen out again only if the scrollbar must appear or go."""
        size = Size(self._width, len(self._lines) + (2 if self.note else 0))
        if size == self.virtual_size:
            return
        self.set_reactive(DocumentView.virtual_size, size)
        scrolls = self.styles.overflow_y == "scroll" or (
            self.styles.overflow_y == "auto" and size.height > self.container_size.height)
        if scrolls != self.show_vertical_scrollbar:
            self._sized_for = None  # the next layout shows or hides the scrollbar
            self.refresh(layout=True)
        elif scrolls:
            self.vertical_scrollbar.window_virtual_size = size.height
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # At every layout of the screen, a scroll view repaints its scrollbar: only on a
        # resize here (:meth:`_sync_size` follows the height).
        if (size, container_size) == self._sized_for:
            return False
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        self._sized_for = (size, container_size)
        if self.is_attached and size:  # wrapped before the paint, not found while painting
            self._ensure_layout()
            self._lines.around(self._top_offset() or 0, 0, self.scrollable_content_region.height)
            self._sync_size()
        return resized

    def _lay_out_later(self) -> None:
        """Wrap the rest of the text in small steps, between keys and paints."""
        if self._layout_timer is not None:
            self._layout_timer.stop()
            self._layout_timer = None
        if not self._lines.done and self.is_attached:
            self._layout_timer = self.set_interval(0.002, self._lay_out_more)

    def _lay_out_more(self) -> None:
        """One step of the layout (a few ms): the lines above the view may move, the view
        stays on the same text; the scrollbar is brought up to date at the end."""
        lines, anchor = self._lines, self._top_offset()
        deadline = perf_counter() + LAYOUT_STEP
        while not lines.done and perf_counter() < deadline:
            lines.wrap_more(1)  # one block
        if lines.done and self._layout_timer is not None:
            self._layout_timer.stop()
            self._layout_timer = None
        y = lines.line_of(anchor) if anchor is not None else int(self.scroll_y)
        if lines.done or y != int(self.scroll_y):
            self._sync_size()
        if y != int(self.scroll_y):
            self.scroll_to(y=y, animate=False)

    def _top_offset(self) -> int | None:
        """Where in the text the view's top line starts (None: at the very top)."""
        top = int(self.scroll_y)
        try:
            return self._lines[top][0] if top else None
        except IndexError:
            return None

    def _highlight_styles(self) -> dict[str, Style]:
        get = self.get_component_rich_style
        return {name: get(name) for name in sorted(self.COMPONENT_CLASSES)}

    def _layers(self, styles: dict[str, Style]) -> Highlights:
        """Matches under each span's colour, a conflict's mark over its colour."""
        match, conflict = [styles["doc--match"]], styles["doc--conflict"]
        spans, conflicts, offset = self._spans, self.conflicts, self._offset
        starts = [s.start + offset for s in spans]
        ends = [s.end + offset for s in spans]

        def span_styles(i: int) -> list[Style]:
            kind = styles[f"doc--{spans[i].kind}"]
            return [kind, conflict] if (starts[i], ends[i]) in conflicts else [kind]

        return Highlights(
            Layer([s for s, _ in self.matches], [e for _, e in self.matches], lambda _: match),
            Layer(starts, ends, span_styles))

    def render_lines(self, crop: Region) -> list[Strip]:
        # The view's width and base style are the same for every line of one pass, and
        # looking them up costs more than drawing a cached line: look once per pass.
        self._pass = (self.scrollable_content_region, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None
            self._sync_size()  # drawing may have wrapped blocks whose size was a guess

    def render_line(self, y: int) -> Strip:
        view, base = self._pass or (self.scrollable_content_region, self.rich_style)
        self._ensure_layout(view)
        width = view.width
        self._drawn.check(width, base)
        line = y + int(self.scroll_y)
        try:
            key = self._lines[line]
        except IndexError:
            return self._after_end(line, width, base)
        strip = self._drawn.strips.get(key)
        if strip is None:
            strip = self._drawn.strips[key] = _pad(self._draw(key, base), width, base)
        return strip

    def _after_end(self, line: int, width: int, base: Style) -> Strip:
        """A line below the text: blank, or the note saying the text was cut."""
        if self.note and line == len(self._lines) + 1:
            dim = self.get_component_rich_style("doc--dim")
            return _pad(line_segments(self.note, [RichSpan(0, len(self.note), dim)], base),
                        width, base)
        return Strip([Segment(" " * width, base)], width)

    def _draw(self, key: tuple[int, int], base: Style) -> list[Segment]:
        """The segments of the text ``text[start:end]`` (``key``), highlighted."""
        segments = self._drawn.segments.get(key)
        if segments is None:
            assert self._highlights is not None
            start, end = key
            spans = self._highlights.line(start, end)
            current = self.current
            if current is not None and current[0] < end and current[1] > start:
                spans.append(RichSpan(max(0, current[0] - start), min(end, current[1]) - start,
                                      self._styled_with["doc--current"]))
            segments = self._drawn.segments[key] = line_segments(self.text[start:end], spans,
                                                                 base)
        return segments


class TextLines(Widget):
    """A block of styled text as tall as its wrapped lines, drawing only the lines shown:
    a long list in a scrolling panel costs what is on the screen, not its length."""

    DEFAULT_CSS = "TextLines { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._style = Style()
        """The text's own style, under its spans."""
        self._highlights = Highlights()
        self._lines = Wrapped("", 1)
        self._drawn = LineCache()
        self._pass: tuple[int, Style] | None = None
        """The width and base style during a :meth:`render_lines` pass."""

    def update(self, text: Text) -> None:
        """Show ``text`` (its spans, and its base style over all of it)."""
        self._text, self._style = text, _style(text.style)
        spans = text.spans
        self._highlights = Highlights(Layer([s.start for s in spans], [s.end for s in spans],
                                            lambda i: [spans[i].style]))
        self._lines = Wrapped(text.plain, 1)
        self._drawn.clear()
        self.refresh(layout=True)

    def render(self) -> Text:
        """The whole text (what selecting and tests read; drawing is line by line)."""
        return self._text

    def _wrapped(self, width: int) -> Wrapped:
        if self._lines.width != max(1, width):
            self._lines = Wrapped(self._text.plain, width)
        return self._lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        lines = self._wrapped(width)
        lines.wrap_more(len(lines.text) + 1)
        return len(lines)

    def render_lines(self, crop: Region) -> list[Strip]:
        # Looking the width and base style up costs more than drawing a cached line.
        self._pass = (self.size.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def render_line(self, y: int) -> Strip:
        width, base = self._pass or (self.size.width, self.rich_style)
        self._drawn.check(width, base)
        lines = self._wrapped(width)
        blank = Style(bgcolor=base.bgcolor)  # what a Static pads its lines with
        if y >= len(lines):
            return Strip([Segment(" " * width, blank)], width)
        key = lines[y]
        strip = self._drawn.strips.get(key)
        if strip is None:
            start, end = key
            under = base + self._style if end > start else base  # as a Static draws them
            segments = line_segments(self._text.plain[start:end],
                                     self._highlights.line(start, end), under)
            strip = self._drawn.strips[key] = _pad(segments, width, blank)
        return strip


def line_segments(text: str, spans: Sequence[RichSpan], base: Style) -> list[Segment]:
    """One display line as segments: ``spans`` (relative to the line, in stacking order,
    styles as :class:`Style`) over the ``base`` style, as Rich would draw the styled text
    (without the cost of a :class:`Text` per line)."""
    if not spans:
        return [Segment(text, base)]  # even when empty, as Rich draws it
    cuts = sorted({0, len(text), *(min(s.start, len(text)) for s in spans),
                   *(min(s.end, len(text)) for s in spans)})
    segments = []
    for start, end in pairwise(cuts):
        style = base
        for span in spans:
            if span.start <= start and span.end >= end:
                style += _style(span.style)
        segments.append(Segment(text[start:end], style))
    return segments


def _style(style: str | Style) -> Style:
    return Style.parse(style) if isinstance(style, str) else style


def _pad(segments: list[Segment], width: int, base: Style) -> Strip:
    """A display line as a strip exactly ``width`` cells wide."""
    length = sum(segment.cell_length for segment in segments)
    if length < width:
        return Strip([*segments, Segment(" " * (width - length), base)], width)
    strip = Strip(segments, length)
    return strip if length == width else strip.crop(0, width)
