"""Make untrusted article text safe to store, print and draw.

Article text comes from scrapers and strangers. Nothing in it may act on the terminal:
escape sequences and control characters are removed (or shown visibly), and characters
that let one title impersonate another (bidi overrides, zero-width joiners) are dropped
from one-line fields.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL/ST), and two-byte ones.
# An unterminated string sequence (OSC, DCS...) stops at the end of its line: the ESC is
# gone either way, and the rest of an article must not vanish with it.
_ESCAPE_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC (window title, OSC 52 clipboard, links)
    r"|\x1b[PX^_][^\x1b\n]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]"  # two-byte sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c\n]*[\x07\x9c]?"  # 8-bit OSC
)
# C0 controls except tab/newline, DEL, C1 controls.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible characters: every format character (Unicode category Cf: bidi embeddings,
# overrides, isolates and marks, zero-width spaces and joiners, soft hyphen, BOM, tags),
# the combining grapheme joiner and the Hangul fillers that render as blank letters.
INVISIBLE_CHARS = (
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
    "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
"""A regex character class body (no brackets) of the characters :func:`clean_text` drops."""
_INVISIBLE_RE = re.compile(f"[{INVISIBLE_CHARS}]")
_LINE_BREAKS_RE = re.compile(r"\r\n?|[\u2028\u2029\x85]")
# Anything any of the patterns above could touch: most texts have none, so one search
# lets them through untouched.
_SUSPECT_RE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029{INVISIBLE_CHARS}]")


def clean_text(text: str) -> str:
    """Return ``text`` without escape sequences or control characters (tabs/newlines kept).

    Windows and old-Mac line ends become ``\\n``; bidi controls are dropped, since they can
    reorder what is displayed; zero-width characters inside words are dropped too.
    """
    if not _SUSPECT_RE.search(text):
        return text
    text = _LINE_BREAKS_RE.sub("\n", text)
    text = _ESCAPE_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    return _INVISIBLE_RE.sub("", text)


def visible_controls(text: str) -> str:
    """Return ``text`` with control characters shown in caret notation (``ESC`` → ``^[``).

    Used for "view original": the reader sees what the file holds, and nothing acts.
    """
    text = _LINE_BREAKS_RE.sub("\n", text)

    def caret(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code < 0x20:
            return "^" + chr(code + 0x40)
        return f"<U+{code:04X}>"

    text = _CONTROL_RE.sub(caret, text)
    return _INVISIBLE_RE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def one_line(text: str, limit: int = 0) -> str:
    """Clean ``text`` for a one-line field (title, source): no breaks, no invisible marks.

    When ``limit`` is positive the result is cut at a word boundary with an ellipsis.
    """
    flat = " ".join(clean_text(text).split())
    if limit and len(flat) > limit:
        cut = flat.rfind(" ", 0, limit)
        flat = flat[: cut if cut > limit // 2 else limit].rstrip(" ,;:-—") + "…"
    return flat
