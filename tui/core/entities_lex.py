"""Lexical layer of the entity recogniser: compiled patterns and the record types it uses.

Everything here is precompiled once at import: the recogniser only ever runs these
patterns over the text, so the regex engine skips the lower-case words in C.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass


def _upper_class() -> str:
    """A regex character class body matching every upper-case letter (BMP)."""
    parts: list[str] = []
    start = prev = -2
    for code in range(sys.maxunicode if sys.maxunicode < 0x10000 else 0x10000):
        if chr(code).isupper():
            if code != prev + 1:
                if start >= 0:
                    parts.append(_range(start, prev))
                start = code
            prev = code
    parts.append(_range(start, prev))
    return "".join(parts)


def _range(lo: int, hi: int) -> str:
    return re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"


UP = _upper_class()
_SP = r"[ \u00a0]"
ABBREVIATIONS = frozenset(
    "mr. mrs. ms. dr. prof. gen. col. lt. sgt. capt. maj. adm. gov. sen. rep. st. mt. ft."
    " jr. sr. rev. hon. pres. cpl. pvt. supt. insp. det. cmdr. brig. messrs. mme. mlle."
    " co. inc. ltd. corp. no.".split()
)
# A capitalised word: inner apostrophes (not a possessive 's), hyphen parts that are
# capitalised ("Nagorno-Karabakh") or short lower-case links ("Port-au-Prince"), inner
# dots of initialisms ("U.S."), and one optional final dot (an abbreviation, an initial
# or a full stop: the recogniser tells them apart).
# (Letter and digit runs are matched whole, between the joiners: the regex engine runs
# through a run in one step instead of trying every alternative at every letter.)
_WORD = (
    rf"[{UP}][^\W_]*(?:(?:['’](?![sS]\b)(?=[^\W_])|-(?=[{UP}\d]|[a-z]{{1,3}}-[{UP}])"
    rf"|&(?=[{UP}])|\.(?=[{UP}]\.))[^\W_]*)*\.?"
)
CONNECTORS = (
    "of for and the on in de du des del della dei di da do dos das van von der den ter ten"
    " la le bin ibn bint al el y e zu af av upon &"
).split()
_CONN = "|".join(sorted((re.escape(c) for c in CONNECTORS), key=len, reverse=True))
_SEP = rf"(?:{_SP}+(?:(?:{_CONN}){_SP}+)*|/)"

# Starting with the upper-case class lets the regex engine skip lower-case text fast.
_GLUED = r"(?:(?:al|el|ad|an|as|ash|at|az|ibn|bin|abu|abd|bint)-)?"
CHUNK_RE = re.compile(rf"{_WORD}(?:{_SEP}{_GLUED}{_WORD})*")
"""A run of capitalised words joined by spaces, connectors or a slash."""
PIECE_RE = re.compile(r"[^\s/]+|/")
"""Splits a chunk into pieces (the same way gazetteer names are split)."""
INITIALS_RE = re.compile(rf"(?:[{UP}]\.)+")
"""``"J."``, ``"U.S."``: a final dot that does not end a sentence."""
NAME_PREFIX_RE = re.compile(r"(?:\b(?:al|el|ad|an|as|ash|at|az|ibn|bin|abu|abd|bint)-|\b[dl]['’])$")
"""Lower-case prefixes glued to a name: ``al-Assad``, ``d'Ivoire``."""

# Scraper artefacts and link debris: no entity may overlap them. Each pattern runs only
# when its cheap substring test finds something to look at.
MARKER_PATTERNS = (
    (("[",), re.compile(r"\[[a-z_]+\d*\]")),
    (("://",), re.compile(r"https?://\S+")),
    (("www.",), re.compile(r"www\.\S+")),
    ((".com/",), re.compile(r"\.com/\S*")),
    (("@",), re.compile(r"@\w+")),
    (("#",), re.compile(r"#\w+")),
    (("ead more", "EAD MORE", "lso read", "ead also"),
     re.compile(r"(?:Read more|Also read|Read also|READ MORE)\s*:", re.IGNORECASE)),
    (("browser",), re.compile(r"Your browser does(?:n['’]t| not) support[^\n.]*")),
    (("pic.twitter",), re.compile(r"pic\.twitter\.com\S*")),
)


def marker_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of the scraper markers in ``text`` (a link or handle from its first character)."""
    out: list[tuple[int, int]] = []
    for probes, pattern in MARKER_PATTERNS:
        for probe in probes:
            if probe in text:
                _add_markers(text, pattern, out)
                break
    return out


def _add_markers(text: str, pattern: re.Pattern[str], out: list[tuple[int, int]]) -> None:
    # "example.com/x", "user@host": take the whole token. The walk back stops at the
    # previous match, whose token start is known, so a text of markers with no space
    # between them ("[ad_1][ad_1]…") is walked once, not once per marker.
    prev, prev_start = -1, 0
    for m in pattern.finditer(text):
        start = m.start()
        while start > 0 and start != prev and not text[start - 1].isspace():
            start -= 1
        if start == prev:
            start = prev_start
        prev, prev_start = m.start(), start
        out.append((start, m.end()))


NEXT_WORD_RE = re.compile(r"[ \u00a0]*([a-z][\w'’]*)")
"""The lower-case word right after a chunk."""
APPOSITION_RE = re.compile(
    r",[ \u00a0]+(?:an?|the|its|his|her)[ \u00a0]+([a-z\-]+(?:[ \u00a0]+[a-z]+)?)"
)
"""``", an adviser"`` / ``", a senior aide"`` right after a name (the first two words)."""
COORD_RE = re.compile(
    r"^(?:[ \u00a0]*,[ \u00a0]*(?:(?:and|or)[ \u00a0]+)?|[ \u00a0]+(?:and|or|&)[ \u00a0]+)$"
)
"""The gap between two items of a list: ``", "``, ``", and "``, ``" and "``."""
SENTENCE_SKIP = " \t\u00a0\"'“‘”’([«—–-*"
SENTENCE_END = ".!?:;…\n\r|"


@dataclass(slots=True)
class Piece:
    """One word (or connector) inside a chunk."""

    start: int
    end: int
    raw: str
    key: str
    """Folded form (lower case, no diacritics), the gazetteer key."""
    conn: bool
    """A lower-case connector ("of", "de") or a slash, never a name on its own."""


@dataclass(slots=True)
class Seg:
    """A candidate entity: pieces ``lo``..``hi`` of a chunk, typed or not yet."""

    lo: int
    hi: int
    kind: str | None
    how: str
    """``gaz`` (gazetteer), ``title``, ``head``, ``hint``, ``merge``, ``guess`` or ``weak``."""
    start: int = 0
    end: int = 0
    key: str = ""

    @property
    def sure(self) -> bool:
        """True when the type rests on evidence rather than a default guess."""
        return self.how not in ("guess", "weak")


_GLUE_MARKS = frozenset("-'’")
"""Characters right before a run that may end a glued prefix ("al-", "d'")."""


def run_key(text: str, run: str, offset: int) -> tuple[str, str, bool]:
    """What a run's plan depends on: the run, a lower-case prefix glued to it ("al-",
    "d'") and whether it starts a sentence, a line or a quotation."""
    glue = ""
    if offset and text[offset - 1] in _GLUE_MARKS:
        prefix = NAME_PREFIX_RE.search(text, max(0, offset - 5), offset)
        glue = text[prefix.start() : offset] if prefix is not None else ""
    # Up to 11 characters back, past spaces, quotes and dashes: a sentence end, or the
    # start of the text.
    lo = offset - 11 if offset > 11 else 0
    before = text[lo:offset].rstrip(SENTENCE_SKIP)
    return run, glue, before[-1] in SENTENCE_END if before else lo == 0


def lower_elsewhere(text: str, word: str, lo: int, hi: int) -> bool:
    """True when `` word`` followed by a space, comma, full stop or semicolon lies in
    ``text[lo:hi]``."""
    needle = " " + word
    after, last = len(needle), hi - 1  # room for the character after it
    at = text.find(needle, lo, last) if last > 0 else -1
    while at >= 0:
        if text[at + after] in " ,.;":
            return True
        at = text.find(needle, at + 1, last)
    return False
