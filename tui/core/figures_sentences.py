"""The sentence around a figure, found locally (no pass over the whole text)."""

from __future__ import annotations

import re

from tui.core.text import ABBREVIATIONS

# A sentence ends at a line break, or at terminal punctuation (plus closing quotes) followed
# by a space and a capital, digit or quote, or glued straight onto a capitalised word
# ("the other side.Baku reported"), as :func:`tui.core.text.sentence_spans` splits them.
_END_RE = re.compile(
    r"\n|[.!?…][\"'”’)\]]*(?:[ \t\u00a0]+(?=[A-Z0-9\"“‘'(«])|(?<=[a-z][.!?])(?=[A-Z][a-z]))"
)
_REACH = 500
"""Characters looked at on each side: longer sentences are cut there."""


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence holding ``text[start:end]``, spaces trimmed."""
    left = max(0, start - _REACH)
    # The search runs a little past ``start`` so the look-ahead after a stop can see it.
    for m in _END_RE.finditer(text, left, min(len(text), start + 2)):
        if m.end() <= start and not _abbreviation(text, m.start()):
            left = m.end()
    right = min(len(text), end + _REACH)
    for m in _END_RE.finditer(text, end, right):
        if not _abbreviation(text, m.start()):
            right = m.start() + (1 if text[m.start()] != "\n" else 0)
            break
    while left < right and text[left].isspace():
        left += 1
    return left, right


def _abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` closes "Dr.", "U.S." or an initial."""
    if text[dot] != ".":
        return False
    i = dot
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    token = text[i:dot].casefold()
    return (len(token) == 1 and text[i].isupper()) or token in ABBREVIATIONS
