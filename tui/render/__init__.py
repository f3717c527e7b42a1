"""Rich renderings of Crosscheck's analyses (no Textual): used by the CLI and the app."""

from tui.render.compare import (
    COMPARE_THEME,
    NARROW_WIDTH,
    cell_texts,
    clean_text,
    pane_meta,
    render_compare,
)

__all__ = [
    "COMPARE_THEME",
    "NARROW_WIDTH",
    "cell_texts",
    "clean_text",
    "pane_meta",
    "render_compare",
]
