"""The key bar: one widget drawing the screen's keys, clickable, following the bindings."""

from __future__ import annotations

from typing import ClassVar

from snapshot_apps.library import sync
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget

from tui.app.widgets.footer import KeyBar


class _Pane(Widget, can_focus=True):
    DEFAULT_CSS = "_Pane { height: 1fr; }"


class _Left(_Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "app.mark('x')", "Mark"),
        Binding("y", "app.mark('y')", "Mark again"),
        Binding("z", "app.mark('z')", "Hidden", show=False),
    ]


class _Right(_Pane):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("w", "app.mark('w')", "Wide")]


class _KeysApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "mark('q')", "Quit"),
        Binding("d", "mark('d')", "Disabled"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.marked: list[str] = []

    def compose(self) -> ComposeResult:
        yield _Left(id="left")
        yield _Right(id="right")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#left").focus()

    def action_mark(self, what: str) -> None:
        self.marked.append(what)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if parameters == ("d",) else True  # None: shown, but disabled


def _line(app: _KeysApp) -> str:
    bar = app.query_one(KeyBar)
    return "".join(segment.text for segment in bar.render_line(0))


@sync
async def test_lists_each_shown_key_once_with_the_palette_on_the_right() -> None:
    app = _KeysApp()
    async with app.run_test(size=(130, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        assert [key.display for key in bar.keys] == ["x", "y", "q", "d"]
        line = _line(app)
        assert line.startswith(" x Mark  y Mark again  q Quit  d Disabled ")
        assert "Hidden" not in line
        assert line.endswith("▏^p palette ") and len(line) == 130


@sync
async def test_narrow_terminals_get_the_compact_bar_without_the_palette_hint() -> None:
    app = _KeysApp()
    async with app.run_test(size=(90, 10)) as pilot:
        await pilot.pause()
        line = _line(app)
        assert line.startswith("x Mark y Mark again q Quit d Disabled ")
        assert "palette" not in line and len(line) == 90


@sync
async def test_follows_the_bindings_when_focus_moves() -> None:
    app = _KeysApp()
    async with app.run_test(size=(130, 10)) as pilot:
        await pilot.pause()
        app.query_one("#right").focus()
        await pilot.pause()
        assert [key.display for key in app.query_one(KeyBar).keys] == ["w", "q", "d"]
        assert _line(app).startswith(" w Wide  q Quit ")


@sync
async def test_clicking_a_key_presses_it_and_a_disabled_key_does_nothing() -> None:
    app = _KeysApp()
    async with app.run_test(size=(130, 10)) as pilot:
        await pilot.pause()
        line = _line(app)
        await pilot.click(KeyBar, offset=(line.index("Quit"), 0))
        await pilot.click(KeyBar, offset=(line.index("Mark again"), 0))
        await pilot.click(KeyBar, offset=(line.index("Disabled"), 0))
        await pilot.click(KeyBar, offset=(120, 0))  # the gap before the palette's key
        await pilot.pause()
        assert app.marked == ["q", "y"]


@sync
async def test_hovering_a_key_highlights_only_that_key() -> None:
    app = _KeysApp()
    async with app.run_test(size=(130, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        plain = bar.render_line(0)
        await pilot.hover(KeyBar, offset=(_line(app).index("Quit"), 0))
        await pilot.pause()
        hovered = bar.render_line(0)
        changed = [a.text for a, b in zip(plain, hovered, strict=True) if a.style != b.style]
        assert changed == [" q ", "Quit "]
