"""Load the app's themes from ``tui/data/themes.yaml`` (no colour is written in Python)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from textual.theme import Theme

THEME_FIELDS = ("primary", "secondary", "accent", "foreground", "background", "surface",
                "panel", "warning", "error", "success", "boost", "dark")


@cache
def crosscheck_themes() -> tuple[Theme, ...]:
    """The themes shipped with Crosscheck."""
    text = resources.files("tui.data").joinpath("themes.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, Any]] = yaml.safe_load(text)
    themes = []
    for name, spec in data.items():
        fields = {k: v for k, v in spec.items() if k in THEME_FIELDS}
        themes.append(Theme(name=name, variables=dict(spec.get("variables", {})), **fields))
    return tuple(themes)


def theme_variables() -> dict[str, str]:
    """Defaults for the highlight variables, so built-in Textual themes work too."""
    dark = next(t for t in crosscheck_themes() if t.dark)
    return dict(dark.variables)
