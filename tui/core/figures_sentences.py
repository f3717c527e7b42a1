"""The sentence around a figure: one pass finds the sentence ends, a bisection the rest."""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right

from tui.core.text import ABBREVIATIONS, LONGEST_ABBREVIATION

# A sentence ends at a line break, or at terminal punctuation (plus closing quotes) followed
# by a space and a capital, digit or quote, or glued straight onto a capitalised word
# ("the other side.Baku reported"), as :func:`tui.core.text.sentence_spans` splits them.
_END_RE = re.compile(
    r"\n|[.!?…][\"'”’)\]]*(?:[ \t\u00a0]+(?=[A-Z0-9\"“‘'(«])|(?<=[a-z][.!?])(?=[A-Z][a-z]))"
)
_REACH = 500
"""Characters looked at on each side: longer sentences are cut there."""


class _Bounds(threading.local):
    """The sentence ends of the last text looked at, per thread (figures come in order)."""

    text: str | None = None
    starts: list[int] = []
    ends: list[int] = []


_BOUNDS = _Bounds()


def _bounds(text: str) -> tuple[list[int], list[int]]:
    """Where each sentence end of ``text`` starts and ends (one pass, kept for the text)."""
    if _BOUNDS.text is not text:
        starts, ends = [], []
        for m in _END_RE.finditer(text):
            if not _abbreviation(text, m.start()):
                starts.append(m.start())
                ends.append(m.end())
        _BOUNDS.text, _BOUNDS.starts, _BOUNDS.ends = text, starts, ends
    return _BOUNDS.starts, _BOUNDS.ends


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence holding ``text[start:end]``, spaces trimmed.

    Sentences longer than :data:`_REACH` characters on either side are cut there.
    """
    starts, ends = _bounds(text)
    left = max(0, start - _REACH)
    k = bisect_right(ends, start) - 1  # the last sentence end at or before ``start``
    if k >= 0 and starts[k] >= left:
        left = ends[k]
    right = min(len(text), end + _REACH)
    k = bisect_left(starts, end)  # the first sentence end at or after ``end``
    if k < len(starts) and starts[k] < right:
        right = starts[k] + (1 if text[starts[k]] != "\n" else 0)
    while left < right and text[left].isspace():
        left += 1
    return left, right


def _abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` closes "Dr.", "U.S." or an initial."""
    if text[dot] != ".":
        return False
    i = dot
    floor = max(0, dot - LONGEST_ABBREVIATION - 1)  # a longer run is no abbreviation
    while i > floor and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    token = text[i:dot].casefold()
    return (len(token) == 1 and text[i].isupper()) or token in ABBREVIATIONS
