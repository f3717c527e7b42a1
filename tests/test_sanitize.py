"""Untrusted text made safe to store, print and draw (tui.core.sanitize)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.sanitize import clean_text, one_line, visible_controls

HOSTILE = {
    "clear screen": "\x1b[2J\x1b[H",
    "window title": "\x1b]0;owned\x07",
    "osc52 clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "osc st": "\x1b]8;;http://evil\x1b\\",
    "cursor": "\x1b[10A\x1b[5C",
    "bracketed paste": "\x1b[200~ls\x1b[201~",
    "dcs": "\x1bP1$r\x1b\\",
    "8-bit csi": "\x9b31m",
    "bell and nul": "\x07\x00\x08",
    "lone esc": "\x1b",
}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_clean_text_removes_escape_sequences(name: str) -> None:
    out = clean_text(f"before {HOSTILE[name]}after")
    assert CONTROL.search(out) is None
    assert out.startswith("before ") and out.endswith("after")


def test_clean_text_keeps_tabs_newlines_and_unicode() -> None:
    text = "Gəncə\tcity\nBakı — “quoted” 55,000"
    assert clean_text(text) == text


def test_clean_text_normalises_line_breaks() -> None:
    assert clean_text("a\r\nb\rc\u2028d\x85e") == "a\nb\nc\nd\ne"


def test_bidi_and_zero_width_are_dropped() -> None:
    assert clean_text("pay\u202eboj\u202c to\u200b me\ufeff") == "payboj to me"


def test_visible_controls_shows_what_the_file_holds() -> None:
    out = visible_controls("a\x1b[2Jb\x07c\u202ed\r\ne")
    assert out == "a^[[2Jb^Gc<U+202E>d\ne"
    assert CONTROL.search(out) is None


def test_one_line_flattens_and_limits() -> None:
    assert one_line("  a\nb\t c \u2028 d ") == "a b c d"
    cut = one_line("word " * 40, 23)
    assert cut == "word word word word…"
    assert one_line("x" * 50, 10) == "x" * 10 + "…"
    assert one_line("short", 10) == "short"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_outputs_never_hold_control_characters(text: str) -> None:
    for out in (clean_text(text), visible_controls(text), one_line(text, 20)):
        assert CONTROL.search(out) is None
    assert "\n" not in one_line(text)
