"""The key bar at the bottom of every screen, compact when the terminal is narrow.

One widget draws every key on one line (Textual's ``Footer`` mounts, styles and lays out
a widget per key, and does it again whenever the bindings change). It looks like the
footer: keys in the accent colour, ``^p Commands`` on the right, and a key is pressed by
clicking it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

COMPACT_BELOW = 120
"""Terminal widths under this drop the padding between keys, so Quit and Help still fit."""
PALETTE_FROM = 100
"""The ``^p Commands`` hint shows from this width (``ctrl+p`` works at any width)."""
BORDER = "▏"
"""Left of ``^p Commands`` (the footer's ``vkey`` border)."""


class Key(NamedTuple):
    """One key shown in the bar."""

    key: str
    """The key pressed when it is clicked (``escape``)."""
    display: str
    """How it is shown (``esc``)."""
    description: str
    enabled: bool
    tooltip: str


class Item(NamedTuple):
    """Where a key was drawn: cells ``start`` to ``end`` of the bar."""

    start: int
    end: int
    key: Key


class KeyBar(Widget, can_focus=False):
    """The screen's shown bindings, one per action, and the command palette's key."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .keybar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .keybar--hover {
        background: $block-hover-background;
    }
    KeyBar > .keybar--border {
        color: $foreground 20%;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keybar--key", "keybar--description", "keybar--hover", "keybar--border",
    }

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual name)
        super().__init__(id=id)
        self._keys: tuple[list[Key], Key | None] | None = None
        """The keys and the palette's key, gathered when first drawn."""
        self._items: list[Item] = []
        self._hover: Key | None = None
        """The key under the mouse."""

    @property
    def keys(self) -> list[Key]:
        """The keys shown (left to right, without the command palette's)."""
        return self._gather()[0]

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self._keys is None:
            return  # not drawn yet: gathered when it is
        keys = _gather_keys(screen)
        if keys != self._keys:
            self._keys = keys
            self.refresh()

    def _gather(self) -> tuple[list[Key], Key | None]:
        if self._keys is None:
            self._keys = _gather_keys(self.screen)
        return self._keys

    # -- drawing ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        blank = Style(bgcolor=base.bgcolor)  # what the footer fills gaps with
        if y or not width:
            return Strip([Segment(" " * width, blank)], width)
        styles = {name: base + self.get_component_rich_style(f"keybar--{name}")
                  for name in ("key", "description", "hover", "border")}
        keys, palette = self._gather()
        tail: list[Segment] = []
        if palette is not None and width >= PALETTE_FROM:
            # Drawn compact at any width, one blank cell on its right (as the footer does).
            tail = [Segment(BORDER, styles["border"]), *self._draw(palette, True, styles),
                    Segment(" ", blank)]
        room = max(0, width - Strip(tail).cell_length)
        segments = self._lay_out(keys, width < COMPACT_BELOW, styles, room, blank)
        if palette is not None and tail:
            self._items.append(Item(room, width, palette))
        gap = room - Strip(segments).cell_length
        strip = Strip([*segments, *([Segment(" " * gap, blank)] if gap > 0 else []), *tail])
        return strip.crop(0, width)

    def _lay_out(self, keys: list[Key], compact: bool, styles: dict[str, Style], room: int,
                 blank: Style) -> list[Segment]:
        """The keys' segments, cut to ``room`` cells; note where each key is drawn."""
        segments: list[Segment] = []
        self._items = []
        for key in keys:
            x = Strip(segments).cell_length
            if x >= room:
                break
            segments.extend(self._draw(key, compact, styles))
            if compact:
                segments.append(Segment(" ", blank))
            self._items.append(Item(x, min(room, Strip(segments).cell_length), key))
        return list(Strip(segments).crop(0, room))

    def _draw(self, key: Key, compact: bool, styles: dict[str, Style]) -> list[Segment]:
        return list(_key_segments(key, compact, styles, key == self._hover))

    # -- mouse -----------------------------------------------------------------------

    def _key_at(self, x: int) -> Key | None:
        return next((item.key for item in self._items if item.start <= x < item.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._key_at(event.x)
        if hover != self._hover:
            self._hover = hover
            self.tooltip = (hover.tooltip or None) if hover is not None else None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Press the key clicked (a disabled one rings the bell)."""
        key = self._key_at(event.x)
        if key is not None and key.enabled:
            self.app.simulate_key(key.key)
        elif key is not None:
            self.app.bell()


def _key_segments(key: Key, compact: bool, styles: dict[str, Style],
                  hover: bool) -> Iterable[Segment]:
    """A key as the footer draws it: `` esc Back `` (or ``esc Back`` when compact)."""
    key_text, description = (key.display, f" {key.description}") if compact \
        else (f" {key.display} ", f"{key.description} ")
    if not key.description:
        key_text = key.display
    key_style, description_style = styles["key"], styles["description"]
    if hover:
        key_style += styles["hover"]
        description_style += styles["hover"]
    if not key.enabled:
        key_style += Style(dim=True)
        description_style += Style(dim=True)
    yield Segment(key_text, key_style)
    if key.description:
        yield Segment(description, description_style)


def _gather_keys(screen: Screen[object]) -> tuple[list[Key], Key | None]:
    """The shown bindings of ``screen``, the first of each action, as the footer lists
    them; and the command palette's key (None when the app has no palette)."""
    app = screen.app
    active = screen.active_bindings
    keys: dict[str, Key] = {}
    for _node, binding, enabled, tooltip in active.values():
        if binding.show and binding.action not in keys:
            keys[binding.action] = Key(binding.key, app.get_key_display(binding),
                                       binding.description, enabled, tooltip)
    palette = None
    found = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
    if found is not None:
        _node, binding, enabled, _tooltip = found
        palette = Key(binding.key, app.get_key_display(binding), binding.description,
                      enabled, binding.tooltip or binding.description)
    return list(keys.values()), palette
