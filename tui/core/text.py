"""Text primitives shared by every analysis: sentence spans, word tokens, normalisation.

Offsets are always character offsets into the string given, so highlights computed on
a text can be drawn on that same text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen col lt sgt capt cpt maj adm gov sen rep st jr sr messrs mt ft
    no vs etc inc ltd corp co dept est approx jan feb mar apr jun jul aug sep sept oct
    nov dec fig al u.s u.k u.n e.g i.e a.m p.m rev hon pres
    """.split()
)
LONGEST_ABBREVIATION = max(map(len, ABBREVIATIONS))

MAX_ANALYSED = 500_000
"""Characters of one article the analyses read (names, figures, duplicate fingerprints).

A longer article is still indexed, searched and shown (within the file size cap), but only
its first ``MAX_ANALYSED`` characters are analysed: analysis time grows with the text, and a
50 MB file must not stall indexing. The loader reports every article cut this way.
"""

_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)
# A candidate boundary: terminal punctuation, optional closing quotes/brackets.
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"'”’)\]]*")
_SPACE_RE = re.compile(r"\s+")


def words(text: str) -> list[str]:
    """Return the word tokens of ``text`` (letters and digits, inner apostrophes/hyphens)."""
    return _WORD_RE.findall(text)


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` offsets of every word token in ``text``."""
    for match in _WORD_RE.finditer(text):
        yield match.start(), match.end()


def count_words(text: str) -> int:
    """Count the word tokens in ``text``."""
    return len(_WORD_RE.findall(text))


def collapse_space(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return _SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """Lower-case and strip diacritics: ``"Gəncə"`` → ``"gence"``, ``"Ganca"`` → ``"ganca"``."""
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return out.replace("ı", "i").replace("ə", "e").replace("’", "'")


_TERM_RE = re.compile(r"[^\W_]+")


def folded_words(text: str) -> list[str]:
    """The words of ``text`` folded as the full-text index folds them (case, diacritics)."""
    return [fold(word) for word in _TERM_RE.findall(text)]


def title_terms(title: str) -> set[str]:
    """The distinct folded words of a title: the vocabulary that fuzzy title search
    matches typos against."""
    return set(folded_words(title))


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` closes an abbreviation or an initial."""
    start = dot
    # A run longer than any abbreviation is none: never walk further back than that, or
    # "Ab.Ab.Ab.…" would be walked from its start at every stop (quadratic).
    floor = max(0, dot - LONGEST_ABBREVIATION - 1)
    while start > floor and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    token = text[start:dot].casefold()
    if not token:
        return False
    if len(token) == 1 and token.isalpha() and text[start].isupper():
        return True  # an initial: "J. Smith"
    return token in ABBREVIATIONS


def _starts_sentence(text: str, pos: int) -> bool:
    """True when a sentence may start at ``pos`` (after skipping spaces)."""
    if pos >= len(text):
        return True
    ch = text[pos]
    return ch.isupper() or ch.isdigit() or ch in "\"'“‘([«—-"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences and return their ``(start, end)`` offsets.

    Lines are hard boundaries (scraped text puts one paragraph per line). Inside a line a
    sentence ends at ``.``, ``!``, ``?`` (plus closing quotes) followed by a space and a
    capital, digit or quote, unless the stop closes an abbreviation or initial. Sentences
    glued together by a scraper (``"the other side.Baku reported"``) are split too, when a
    lower-case word of two or more letters runs straight into a capitalised one.
    """
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.splitlines(keepends=True):
        _split_line(text, line_start, line_start + len(line), spans)
        line_start += len(line)
    return spans


def _split_line(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Append the sentence spans of ``text[start:end]`` (one line) to ``out``."""
    cursor = start
    quotes = _QuoteCount(text)
    for match in _BOUNDARY_RE.finditer(text, start, end):
        stop = match.end()
        nxt = stop
        while nxt < end and text[nxt] in " \t\u00a0":
            nxt += 1
        glued = nxt == stop and nxt < end
        if glued and text[stop - 1] == '"' and quotes.between(cursor, match.start()) % 2 == 0:
            # 'shelters."New strikes': the straight quote opens the next sentence.
            stop = nxt = stop - 1
        if glued:
            if not (_glued_boundary(text, match.start(), nxt)):
                continue
        elif nxt < end and not _starts_sentence(text, nxt):
            continue
        if text[match.start()] == "." and match.end() - match.start() == 1:
            if _is_abbreviation(text, match.start()) and not glued:
                continue
        _append_trimmed(text, cursor, stop, out)
        cursor = nxt
    _append_trimmed(text, cursor, end, out)


class _QuoteCount:
    """Straight quotes in ``text[cursor:pos]``, counted incrementally as ``pos`` grows.

    Recounting from the sentence start at every stop is quadratic on a long line of stops
    that end no sentence (``1."b1."b…``).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = self.pos = self.count = -1

    def between(self, cursor: int, pos: int) -> int:
        """Quotes in ``text[cursor:pos]`` (``cursor`` never moves back, nor ``pos``)."""
        if cursor != self.cursor:
            self.cursor, self.pos, self.count = cursor, cursor, 0
        self.count += self.text.count('"', self.pos, pos)
        self.pos = pos
        return self.count


def _glued_boundary(text: str, dot: int, nxt: int) -> bool:
    """True for ``word.Word`` glued by a scraper, but not ``U.S.`` or ``3.5`` or ``e.g.``."""
    if not (text[nxt].isupper() or text[nxt] in "\"“"):
        return False
    i = dot
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    before = text[i:dot]
    if len(before) < 2 or not before[-1].islower():
        return False
    if text[dot] != ".":
        return True
    # "Inc.Com" style runs are rare; a following lower-case continuation is not a sentence.
    j = nxt + 1
    while j < len(text) and text[j].isalpha():
        j += 1
    return j - nxt >= 2 and text[nxt + 1 : j].islower() or text[nxt] in "\"“"


def _append_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Append ``(start, end)`` trimmed of surrounding whitespace, if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def sentences(text: str) -> list[str]:
    """Return the sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text)]
