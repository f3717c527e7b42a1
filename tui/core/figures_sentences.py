"""The sentence around a figure: one pass finds the sentence ends, a bisection the rest."""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from functools import lru_cache

from tui.core.text import ABBREVIATIONS, LONGEST_ABBREVIATION

# A sentence ends at a line break, or at terminal punctuation (plus closing quotes) followed
# by a space and a capital, digit or quote, or glued straight onto a capitalised word
# ("the other side.Baku reported"), as :func:`tui.core.text.sentence_spans` splits them.
# (It opens with one character class, which the regex engine skips to in C.)
_END_RE = re.compile(
    r"[\n.!?…](?:(?<=\n)"
    r"|[\"'”’)\]]*(?:[ \t\u00a0]+(?=[A-Z0-9\"“‘'(«])|(?<=[a-z][.!?])(?=[A-Z][a-z])))"
)
_REACH = 500
"""Characters looked at on each side: longer sentences are cut there."""


class Sentences:
    """The sentence ends of one text, found in one pass; :meth:`around` bisects them."""

    __slots__ = ("text", "starts", "ends", "size")

    def __init__(self, text: str) -> None:
        """Find the sentence ends of ``text``."""
        gap = LONGEST_ABBREVIATION + 1
        found = [m.span() for m in _END_RE.finditer(text)]
        # Drop the full stops that close an abbreviation ("Dr.", "U.S.") or an initial.
        kept = [(dot, end) for dot, end in found if text[dot] != "."
                or not _abbreviation_before(text[dot - gap if dot > gap else 0 : dot])]
        self.starts = [dot for dot, _ in kept]
        self.ends = [end for _, end in kept]
        self.text, self.size = text, len(text)

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The ``(start, end)`` of the sentence holding ``text[start:end]``, spaces trimmed.

        Sentences longer than :data:`_REACH` characters on either side are cut there.
        """
        starts, ends, text = self.starts, self.ends, self.text
        left = start - _REACH if start > _REACH else 0
        k = bisect_right(ends, start) - 1  # the last sentence end at or before ``start``
        if k >= 0 and starts[k] >= left:
            left = ends[k]
        right = end + _REACH
        if right > self.size:
            right = self.size
        k = bisect_left(starts, end)  # the first sentence end at or after ``end``
        if k < len(starts) and starts[k] < right:
            right = starts[k] + (1 if text[starts[k]] != "\n" else 0)
        while left < right and text[left].isspace():
            left += 1
        return left, right


class _Last(threading.local):
    """The sentences of the last text looked at, per thread (figures come in order)."""

    sentences: Sentences | None = None


_LAST = _Last()


def sentences_of(text: str) -> Sentences:
    """The :class:`Sentences` of ``text`` (the last text's are kept, per thread)."""
    last = _LAST.sentences
    if last is None or last.text is not text:
        last = _LAST.sentences = Sentences(text)
    return last


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence holding ``text[start:end]``, spaces trimmed.

    Sentences longer than :data:`_REACH` characters on either side are cut there.
    """
    return sentences_of(text).around(start, end)


@lru_cache(maxsize=4096)
def _abbreviation_before(tail: str) -> bool:
    """True when a full stop after ``tail`` (the characters right before it, at most one
    more than the longest abbreviation) closes "Dr.", "U.S." or an initial."""
    i = len(tail)
    while i > 0 and (tail[i - 1].isalpha() or tail[i - 1] == "."):
        i -= 1
    token = tail[i:].casefold()
    return (len(token) == 1 and tail[i].isupper()) or token in ABBREVIATIONS
