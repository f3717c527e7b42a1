"""Segmentation and typing rules of the entity recogniser (see :mod:`tui.core.entities`)."""

from __future__ import annotations

import re

from tui.core.entities_lex import APPOSITION_RE, COORD_RE, NEXT_WORD_RE, Piece, Seg
from tui.core.gazetteer import Gazetteer
from tui.core.text import fold

_PLACE_PREFIXES = frozenset(
    "lake mount mt. cape gulf isle fort port sea bay plaza piazza avenida rue calle".split()
)
# First words that make the name an event ("Hurricane Ian", "Operation Barbarossa").
_OTHER_PREFIXES = frozenset("hurricane cyclone typhoon storm operation tropical".split())
_OF = frozenset(("of", "for"))
_UNSURE = frozenset(("guess", "weak"))
"""How a type rests on no evidence (see :attr:`Seg.sure`)."""

Words = tuple["str | None", str, str, int]
"""What typing reads of an unknown name's own words: the kind its head word gives (or
``None``), its first word (folded, before any hyphen) and as written, and how many words."""


def _prev_words(text: str, offset: int) -> tuple[str, str]:
    """The two words before ``offset`` (second-last, last), when only spaces separate them."""
    # Read backwards: the words, reversed, open the reversed stretch before ``offset``.
    lo = offset - _PREV_REACH if offset > _PREV_REACH else 0
    back = text[lo:offset][::-1]
    m = _PREV_BACK_RE.match(back)
    if m is None:
        return "", ""
    last, second = m.group(1, 2)
    if lo and (m.end() == len(back) or second is None and not back[m.end():].strip(" \u00a0")):
        return _prev_words_slowly(text, offset)  # the stretch may cut a word short
    return (fold(second[::-1]) if second else ""), fold(last[::-1])


_PREV_REACH = 64
_PREV_BACK_RE = re.compile(r"[ \u00a0]+((?:[^\W_]|['’.\-])+)(?:[ \u00a0]+((?:[^\W_]|['’.\-])+))?")
"""Spaces, a word, then optionally spaces and a word: read over reversed text."""


def _prev_words_slowly(text: str, offset: int) -> tuple[str, str]:
    """:func:`_prev_words`, a character at a time (for words longer than its stretch)."""
    found: list[str] = []
    j = offset
    while len(found) < 2:
        k = j
        while k > 0 and text[k - 1] in " \u00a0":
            k -= 1
        if k == j:
            break
        end = k
        while k > 0 and (text[k - 1].isalnum() or text[k - 1] in "'’.-"):
            k -= 1
        if k == end:
            break
        found.append(fold(text[k:end]))
        j = k
    found += ["", ""]
    return found[1], found[0]


class SegTyper:
    """Gazetteer lookups, title and unknown-run detection, merging and typing."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        w = gaz.word_list
        self.core, self.modifier = w("title_core"), w("title_modifier")
        self.person_before, self.speech = w("person_before"), w("speech_verbs")
        self.place_after, self.place_before = w("place_after"), w("place_before")
        self.place_nouns, self.of_heads = w("place_nouns"), w("of_heads")
        self.org_heads, self.place_heads = w("org_heads"), w("place_heads")
        self.other_heads, self.particles = w("other_heads"), w("particles")
        self.common, self.org_before = w("common"), w("org_before")

    @staticmethod
    def prefixed(key: str) -> bool:
        """True for a first word that opens a place or event name ("Lake", "Hurricane")."""
        return key in _PLACE_PREFIXES or key in _OTHER_PREFIXES

    # --- segmentation -------------------------------------------------------------------

    def gaz_match(self, pieces: list[Piece], i: int, shouting: bool) -> tuple[int, str] | None:
        """Longest gazetteer name starting at piece ``i``: ``(end index, kind)`` or ``None``."""
        gaz = self.gaz
        sizes = gaz.sizes.get(pieces[i].key)
        if sizes is None:
            return None
        for size in sizes:
            if i + size > len(pieces):
                continue
            bucket = gaz.entries.get(tuple([p.key for p in pieces[i : i + size]]))
            if not bucket:
                continue
            raw: tuple[str, ...] | None = None
            for entry in bucket:
                if entry.exact and not shouting:
                    raw = raw or tuple(p.raw for p in pieces[i : i + size])
                    if raw != entry.surface:
                        continue
                return i + size, entry.kind
        return None

    def title_length(self, pieces: list[Piece], i: int) -> int:
        """Number of pieces from ``i`` forming a title ("Deputy Secretary of State"), or 0."""
        j, end, core = i, i, False
        while j < len(pieces):
            p = pieces[j]
            if p.conn:
                if p.key in ("of", "for", "the") and j > i:
                    j += 1
                    continue
                break
            if p.key in self.core:
                core = True
            elif p.key not in self.modifier:
                break
            j += 1
            end = j
        return end - i if core else 0

    def unknown_run(self, pieces: list[Piece], i: int) -> int:
        """End index of the unknown name starting at ``i`` (particles and "X of Y" inside)."""
        j, n = i + 1, len(pieces)
        after_of = self.prefixed(pieces[i].key)
        while j < n:
            p = pieces[j]
            if p.conn:
                k = j
                while k < n and pieces[k].conn and pieces[k].key in self.particles:
                    k += 1
                if j < k < n and not pieces[k].conn:
                    j = k  # "von der Leyen", "bin Salman"
                    continue
                if j + 1 >= n or pieces[j + 1].conn:
                    break
                if p.key in _OF and pieces[j - 1].key in self.of_heads:
                    after_of = True
                    j += 1
                    continue
                break
            if not after_of and self._name_starts(pieces, j):
                break
            j += 1
        return j

    def _name_starts(self, pieces: list[Piece], j: int) -> bool:
        """True when a known name, or a title followed by a name, starts at piece ``j``."""
        if self.gaz_match(pieces, j, False) is not None:
            return True
        t = self.title_length(pieces, j)
        return bool(t) and j + t < len(pieces) and not pieces[j + t].conn

    def has_head(self, pieces: list[Piece], lo: int, hi: int) -> bool:
        """True when pieces ``lo``..``hi`` end in a head word or read "<head> of …"."""
        last = pieces[hi - 1].key
        if last in self.org_heads or last in self.place_heads or last in self.other_heads:
            return True
        return pieces[lo].key in self.of_heads and any(p.key in _OF for p in pieces[lo:hi])

    def merge(self, segs: list[Seg], pieces: list[Piece]) -> list[Seg]:
        """Apply titles to the names after them and join known names with their heads.

        "President Ilham Aliyev" → person "Ilham Aliyev"; "General Motors" → one name;
        "Armenian Defense Ministry", "OSCE Minsk Group" → one organisation; "Jordan
        Henderson" (a place that is also a given name) → person.
        """
        out: list[Seg] = []
        k = 0
        while k < len(segs):
            seg = segs[k]
            nxt = segs[k + 1] if k + 1 < len(segs) else None
            adjacent = nxt is not None and nxt.lo == seg.hi
            if seg.kind == "title":
                if nxt is not None and adjacent and nxt.kind is None:
                    if self.has_head(pieces, nxt.lo, nxt.hi):
                        nxt.lo = seg.lo
                    else:
                        nxt.kind, nxt.how = "person", "title"
                k += 1
                continue
            if nxt is not None and adjacent and seg.how == "gaz":
                joined = self._join_known(seg, nxt, pieces)
                if joined is not None:
                    out.append(joined)
                    k += 2
                    continue
            out.append(seg)
            k += 1
        return out

    def _join_known(self, seg: Seg, nxt: Seg, pieces: list[Piece]) -> Seg | None:
        """The single name formed by a known name and the segment right after it, if any."""
        if nxt.kind is None and self.has_head(pieces, nxt.lo, nxt.hi):
            return Seg(seg.lo, nxt.hi, None, "")
        if nxt.kind == "organization" and seg.kind in ("place", "group", "organization"):
            return Seg(seg.lo, nxt.hi, "organization", "merge")
        if nxt.kind == "other" and seg.kind in ("place", "group"):
            return Seg(seg.lo, nxt.hi, "other", "merge")  # "Hungarian Grand Prix"
        if nxt.kind is None and nxt.how != "weak" and seg.kind == "place":
            if seg.hi - seg.lo == 1 and pieces[seg.lo].key in self.gaz.first_names:
                return Seg(seg.lo, nxt.hi, "person", "hint")
            if nxt.hi - nxt.lo == 1:
                return Seg(seg.lo, nxt.hi, "organization", "merge")
        return None

    # --- typing -------------------------------------------------------------------------

    def words_of(self, pieces: list[Piece], lo: int, hi: int) -> Words:
        """What typing needs of pieces ``lo``..``hi`` that their context cannot change
        (read once per planned chunk, not at every occurrence)."""
        words = [p for p in pieces[lo:hi] if not p.conn]
        first = words[0]
        return (self._by_words(words, pieces[lo:hi]), first.key.split("-")[0], first.raw,
                len(words))

    def type_unknown(self, seg: Seg, text: str, pieces: list[Piece], start: int,
                     words: Words) -> None:
        """Give an unknown segment of a chunk (``pieces``, starting at ``start`` in ``text``;
        ``words``: its :meth:`words_of`) a kind and say how sure it is (``seg.how``)."""
        kind, how = words[0], "head"
        if kind is None:
            if seg.lo == 0:
                prev2, prev1 = _prev_words(text, start)
            else:
                prev1 = pieces[seg.lo - 1].key
                prev2 = pieces[seg.lo - 2].key if seg.lo >= 2 else ""
            kind, how = self._by_context(words, prev1, prev2, text, seg.end)
        seg.kind = kind
        if seg.how != "weak" or how != "guess":
            seg.how = how

    def _by_words(self, words: list[Piece], pieces: list[Piece]) -> str | None:
        """Kind implied by the name's own words (its head), or ``None``."""
        if len(words) < 2:
            return None
        first, last = words[0].key, words[-1].key
        # "University of Cape Town", "Bank of England": the head before "of" decides.
        if first in self.of_heads and any(p.key in _OF for p in pieces):
            if first in self.place_heads:
                return "place"
            return "other" if first in self.other_heads else "organization"
        if last in self.org_heads:
            return "organization"
        if last in self.place_heads:
            return "place"
        if last in self.other_heads:
            return "other"
        if first in _PLACE_PREFIXES:
            return "place"
        return "other" if first in _OTHER_PREFIXES else None

    def _by_context(
        self, words: Words, prev1: str, prev2: str, text: str, end: int
    ) -> tuple[str, str]:
        """Kind from the words around the name (it ends at ``end``), with ``"hint"`` or
        ``"guess"``. The words after it are read only if the words before do not decide."""
        _, first, raw, count = words
        if prev1 in self.person_before:
            return "person", "hint"
        if prev1 in self.org_before:
            return "organization", "hint"
        named = first in self.gaz.first_names
        if named and count > 1:
            return "person", "hint"
        nxt = NEXT_WORD_RE.match(text, end, end + 40)
        next_word = nxt.group(1) if nxt else ""
        if named and next_word in self.speech:
            return "person", "hint"
        if count == 1 and raw.isupper() and 2 <= len(raw) <= 6:
            return "organization", "hint"
        if next_word in self.place_after or (prev1 == "of" and prev2 in self.place_nouns):
            return "place", "hint"
        if prev1 in self.place_before and (count == 1 or prev1 != "from"):
            return "place", "hint"
        if count <= 4 and (next_word in self.speech or self._role_after(text, end)):
            return "person", "hint"
        # Unexplained two- to four-word names are mostly people; lone words mostly
        # companies, clubs and outlets (lone surnames were resolved by the document pass).
        return ("person" if count > 1 else "organization"), "guess"

    def _role_after(self, text: str, end: int) -> bool:
        """True when an apposition naming a role follows (", an adviser", ", the aide")."""
        if text[end : end + 1] != ",":
            return False
        app = APPOSITION_RE.match(text, end, end + 60)
        return app is not None and any(w in self.person_before for w in app.group(1).split())

    # --- document pass ------------------------------------------------------------------

    def propagate(self, text: str, segs: list[Seg]) -> list[Seg]:
        """Re-type guessed names from sure ones in the same text.

        A name typed with evidence once keeps that type everywhere; a lone surname of a
        person named in full is a person; items of a list ("Tartar, Barda, and Beylagan")
        share the type of a sure neighbour. Weak candidates (common words) survive only
        when the text confirms them.
        """
        sure: dict[str, str] = {}
        surnames: set[str] = set()
        unsure: list[Seg] = []
        for seg in segs:
            if seg.how in _UNSURE:
                unsure.append(seg)
            elif seg.kind is not None:
                sure.setdefault(seg.key, seg.kind)
                if seg.kind == "person" and " " in seg.key:
                    surnames.add(seg.key.rsplit(" ", 1)[1])
        for seg in unsure:
            kind = sure.get(seg.key) or ("person" if seg.key in surnames else None)
            if kind is not None:
                seg.kind, seg.how = kind, "doc"
        # Each pass changes only the guessed name it is at: the others can be skipped.
        guessed = [i for i, seg in enumerate(segs) if seg.how == "guess"]
        self._coordinate(text, segs, [i for i in guessed if i >= 1], -1)
        last = len(segs) - 1
        self._coordinate(text, segs, [i for i in reversed(guessed) if i < last], 1)
        return segs

    @staticmethod
    def _coordinate(text: str, segs: list[Seg], order: list[int], step: int) -> None:
        """Let guessed list items take the type of the sure item next to them."""
        for idx in order:
            seg, other = segs[idx], segs[idx + step]
            if seg.how != "guess" or not other.sure or other.kind is None:
                continue
            gap = text[other.end : seg.start] if step < 0 else text[seg.end : other.start]
            if seg.kind == "person" and seg.hi - seg.lo > 1 and gap.strip() == ",":
                continue  # "the Nigeria Police Force, Olumuyiwa Adejobi, said": apposition
            if other.kind != "group" and COORD_RE.match(gap):
                seg.kind, seg.how = other.kind, "doc"
