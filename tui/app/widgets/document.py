"""A scrolling view of one text with highlighted spans, drawing only visible lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.spans import KINDS, Span
from tui.core.wrap import line_of, wrap_offsets

MAX_CHARS = 2_000_000
"""Texts longer than this are shown in part: drawing stays instant whatever the file."""


class DocumentView(ScrollView, can_focus=True):
    """Text wrapped at word boundaries, highlighted by span kind, with a "current" span.

    Colours come from component classes (``doc--person`` …) styled in the app's TCSS
    with theme variables, so every theme colours highlights its own way.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Down", show=False, id="doc.down"),
        Binding("up,k", "scroll_up", "Up", show=False, id="doc.up"),
        Binding("pagedown,ctrl+d,space", "page_down", "Page down", show=False,
                id="doc.page_down"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, id="doc.page_up"),
        Binding("home,g", "scroll_home", "Top", show=False, id="doc.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="doc.bottom"),
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
        self._lines: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        self._styled: Text | None = None
        self._width = 0

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

    def _invalidate(self) -> None:
        self._styled = None
        self._width = 0
        self.refresh()

    def on_resize(self, _event: events.Resize) -> None:
        self._invalidate()

    def _ensure_layout(self) -> None:
        width = max(10, self.scrollable_content_region.width - 1)
        if self._width == width and self._styled is not None:
            return
        self._width = width
        self._lines = wrap_offsets(self.text, width)
        self._styled = self._style_text()
        self.virtual_size = Size(width, len(self._lines) + (2 if self.note else 0))

    def _style_text(self) -> Text:
        text = Text(self.text, no_wrap=True)
        get = self.get_component_rich_style
        for start, end in self.matches:
            text.stylize(get("doc--match"), start, end)
        for span in self.spans:
            text.stylize(get(f"doc--{span.kind}"), span.start, span.end)
            if (span.start, span.end) in self.conflicts:
                text.stylize(get("doc--conflict"), span.start, span.end)
        if self.current is not None:
            text.stylize(get("doc--current"), *self.current)
        return text

    def render_line(self, y: int) -> Strip:
        self._ensure_layout()
        width = self.scrollable_content_region.width
        line = y + int(self.scroll_y)
        base = self.rich_style
        if line >= len(self._lines) or self._styled is None:
            if self.note and line == len(self._lines) + 1:
                note = Text(self.note, style=self.get_component_rich_style("doc--dim"))
                return _strip(note, self, width, base)
            return Strip([Segment(" " * width, base)], width)
        start, end = self._lines[line]
        return _strip(self._styled[start:end], self, width, base)


def _strip(text: Text, view: DocumentView, width: int, base: Style) -> Strip:
    """One display line as a strip padded to ``width``."""
    segments = list(text.render(view.app.console))
    strip = Strip(Segment.apply_style(segments, base))
    return strip.extend_cell_length(width, base).crop(0, width)
