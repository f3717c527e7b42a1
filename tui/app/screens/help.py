"""``?``: the keys of the screen you are on, generated from its bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def describe_keys(keys: str) -> str:
    """``"down,j"`` → ``"↓ / j"``."""
    names = {"down": "↓", "up": "↑", "left": "←", "right": "→", "question_mark": "?",
             "slash": "/", "escape": "Esc", "enter": "Enter", "tab": "Tab",
             "pagedown": "PgDn", "pageup": "PgUp", "home": "Home", "end": "End",
             "space": "Space", "right_square_bracket": "]", "left_square_bracket": "[",
             "right_curly_bracket": "}", "left_curly_bracket": "{", "less_than_sign": "<",
             "greater_than_sign": ">"}
    return " / ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """``(keys, description, binding id)`` for every binding active on ``screen``."""
    rows: dict[str, tuple[str, str, str]] = {}
    seen_actions: dict[tuple[str, str], str] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        description = binding.description or binding.action
        ident = binding.id or binding.action
        slot = (type(active.node).__name__, binding.action)
        if slot in seen_actions:
            first = seen_actions[slot]
            keys, desc, bid = rows[first]
            rows[first] = (f"{keys} / {describe_keys(key)}", desc, bid)
            continue
        seen_actions[slot] = key
        rows[key] = (describe_keys(key), description, ident)
    return sorted(rows.values(), key=lambda r: r[2])


class HelpScreen(ModalScreen[None]):
    """The key list of the screen underneath, with each binding's id for remapping."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Text()
        table.append(f"Keys: {self.under.__class__.__name__.removesuffix('Screen')}\n\n",
                     "bold")
        for keys, description, ident in binding_rows(self.under):
            table.append(f"{keys:>22}  ", "bold")
            table.append(f"{description:<30}")
            table.append(f" {ident}\n", "dim")
        table.append("\nRemap any key in config.yaml: keymap: {<id>: <keys>}", "dim")
        with VerticalScroll(id="help-box"):
            yield Static(table, id="help-text")
