"""The Textual app: a thin, keyboard-driven layer over tui.core."""
