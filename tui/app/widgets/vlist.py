"""A list that renders only its visible rows, so 100,000 entries stay instant.

Rows come from a :class:`RowSource`, which fetches what is on screen from the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class RowSource(Protocol):
    """What a :class:`VirtualList` shows: a count and a way to draw row ``i``."""

    row_height: int

    def __len__(self) -> int: ...

    def render_row(self, index: int, width: int, styles: RowStyles) -> list[Text]:
        """The ``row_height`` lines of row ``index``."""
        ...

    def key(self, index: int) -> str | None:
        """A stable key for the row (an article or story id)."""
        ...


@dataclass(frozen=True, slots=True)
class RowStyles:
    """Rich styles from the list's component classes (so colours come from the theme)."""

    dim: Style
    unread: Style
    match: Style
    badge: Style
    conflict: Style
    copy: Style


class EmptySource:
    """A source with no rows."""

    row_height = 1

    def __len__(self) -> int:
        return 0

    def render_row(self, index: int, width: int, styles: RowStyles) -> list[Text]:
        return [Text("")]

    def key(self, index: int) -> str | None:
        return None


class VirtualList(ScrollView, can_focus=True, inherit_bindings=False):
    """A keyboard-driven list over a :class:`RowSource`, drawing only visible lines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("up,k", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("pagedown,ctrl+d", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("pageup,ctrl+u", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("home,g", "jump(0)", "First", show=False, id="list.first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id="list.last"),
        Binding("enter", "select", "Open", id="list.open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "vlist--cursor", "vlist--dim", "vlist--unread", "vlist--match", "vlist--badge",
        "vlist--conflict", "vlist--copy",
    }

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another row."""

        vlist: VirtualList
        index: int
        key: str | None

        @property
        def control(self) -> VirtualList:
            return self.vlist

    @dataclass
    class Selected(Message):
        """A row was chosen (Enter or click)."""

        vlist: VirtualList
        index: int
        key: str | None

        @property
        def control(self) -> VirtualList:
            return self.vlist

    class Painted(Message):
        """The list drew its rows for the first time (work that can wait may start)."""

    def __init__(self, source: RowSource | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source: RowSource = source or EmptySource()
        self._painted = False

    def set_source(self, source: RowSource, keep_key: str | None = None) -> None:
        """Show another source; keep the cursor on ``keep_key`` if it is still there."""
        self.source = source
        self._update_size()
        target = 0
        if keep_key is not None:
            target = next((i for i in range(min(len(source), 5000))
                           if source.key(i) == keep_key), 0)
        self.cursor = target
        self.refresh()

    def _update_size(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.source) * self.source.row_height)

    def on_resize(self, _event: events.Resize) -> None:
        self._update_size()

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.source) - 1)) if len(self.source) else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, new, self.current_key))

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor."""
        return self.source.key(self.cursor) if len(self.source) else None

    def _scroll_cursor_into_view(self) -> None:
        height = self.source.row_height
        top = self.cursor * height
        visible = max(1, self.scrollable_content_region.height)
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + height > self.scroll_y + visible:
            self.scroll_to(y=top + height - visible, animate=False)

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        rows = max(1, self.scrollable_content_region.height // self.source.row_height)
        self.cursor += direction * rows

    def action_jump(self, where: int) -> None:
        self.cursor = len(self.source) - 1 if where < 0 else where

    def action_select(self) -> None:
        if len(self.source):
            self.post_message(self.Selected(self, self.cursor, self.current_key))

    def on_click(self, event: events.Click) -> None:
        row = (event.y + int(self.scroll_y)) // self.source.row_height
        if 0 <= row < len(self.source):
            if row == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = row

    def _styles(self) -> RowStyles:
        # Partial styles: a full component style carries the list's background, which
        # would paint over the cursor bar on every styled part of the row.
        def get(name: str) -> Style:
            return self.get_component_rich_style(name, partial=True)

        return RowStyles(get("vlist--dim"), get("vlist--unread"), get("vlist--match"),
                         get("vlist--badge"), get("vlist--conflict"), get("vlist--copy"))

    def render_line(self, y: int) -> Strip:
        if not self._painted:
            self._painted = True
            self.post_message(self.Painted())
        width = self.scrollable_content_region.width
        line = y + int(self.scroll_y)
        height = self.source.row_height
        index, part = divmod(line, height)
        base = self.rich_style
        if index >= len(self.source):
            return Strip([Segment(" " * width, base)], width)
        text = self.source.render_row(index, width, self._styles())[part]
        text.truncate(width, overflow="ellipsis", pad=True)
        style = base + self.get_component_rich_style("vlist--cursor") if (
            index == self.cursor) else base
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, style), width).crop(0, width)
