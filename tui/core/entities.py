"""Fast rule-and-gazetteer named-entity recogniser for English news.

The recogniser finds runs of capitalised words with one precompiled regex, splits each
run into known names (gazetteer n-gram lookups), titles and unknown names, types the
unknown ones from their words and context ("said", "in <Place>", "Ministry of …"), then
makes one document-level pass so that a surname or a place seen once with evidence keeps
its type everywhere in the text. Cross-report grouping lives in :mod:`entities_group`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from tui.core.entities_group import (
    EntityGroup,
    Mention,
    canonical_key,
    canonicalise,
    group_mentions,
)
from tui.core.entities_lex import (
    ABBREVIATIONS,
    CHUNK_RE,
    CONNECTORS,
    INITIALS_RE,
    PIECE_RE,
    Piece,
    Seg,
    lower_elsewhere,
    marker_ranges,
    run_key,
)
from tui.core.entities_typing import SegTyper, Words
from tui.core.gazetteer import Gazetteer, load_gazetteer
from tui.core.spans import Span, quick_new
from tui.core.text import fold

__all__ = [
    "EntityGroup",
    "EntityRecogniser",
    "Mention",
    "canonical_key",
    "canonicalise",
    "group_mentions",
    "recognise",
]

_CONNECTOR_SET = frozenset(CONNECTORS) | {"/"}
# Lower-case window searched for a sentence-initial word ("Intense" vs "intense").
_LOWER_WINDOW = 20000
# Run plans remembered (cleared when full): bounded memory on any library.
_CACHE_SIZE = 50000

MAX_ENTITIES = 20_000
"""Entity spans kept per text; the rest are dropped (the pipeline reports it). A long
report names a few thousand; a list of nothing but names would flood the reader."""


_new_span = quick_new(Span)
"""``Span(...)``, quicker (thousands per text)."""

_SegRow = tuple[int, int, "str | None", str, int, int, str, "Words | None"]
"""A segment of a planned chunk: ``lo, hi, kind, how, start, end, key`` (offsets from the
start of its run) and, for a name still to type, what its own words tell."""


@dataclass(frozen=True, slots=True)
class _Chunk:
    """How a chunk of a run is cut and typed, as far as the run's own words tell."""

    pieces: list[Piece]
    """The chunk's pieces, offsets from the start of the run (shared: never changed)."""
    segs: tuple[_SegRow, ...]
    initial: bool
    typed: bool
    """Every segment is a known name: nothing is left to read from the context."""


class EntityRecogniser:
    """Recognises people, places, organisations, groups and other names in English text."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        """Build a recogniser over ``gazetteer`` (the packaged one by default)."""
        self.gaz = gazetteer or load_gazetteer()
        self.typer = SegTyper(self.gaz)
        self._common = self.gaz.word_list("common")
        self._never = self.gaz.word_list("never")
        self._plans: dict[tuple[str, str, bool], tuple[_Chunk, ...]] = {}

    def recognise(self, text: str) -> list[Span]:
        """Return the entity spans of ``text``: sorted, non-overlapping, offsets into ``text``.

        Kinds are ``person``, ``place``, ``organization``, ``group`` and ``other``. No span
        overlaps a scraper marker (``[ad_1]``, links, handles, "Read more:"). At most
        :data:`MAX_ENTITIES` spans are returned: the first ones.
        """
        markers = _merged(marker_ranges(text))
        marker_starts = [s for s, _ in markers]
        segs = self.typer.propagate(text, self._segments(text))
        kept = [(s.start, s.end, kind) for s in segs
                if (kind := s.kind) is not None and s.how != "weak"]
        if markers:
            kept = [k for k in kept if not _overlaps(k[0], k[1], markers, marker_starts)]
        return [_new_span(start, end, text[start:end], kind)
                for start, end, kind in kept[:MAX_ENTITIES]]

    def _segments(self, text: str) -> list[Seg]:
        """The candidate segments of every run of capitalised words, in text order.

        A run is planned once (cut and typed as far as its own words tell) and the plan
        kept; here only what the context decides is read.
        """
        segs: list[Seg] = []
        plans = self._plans
        # Sentence-initial words found in lower case elsewhere, when "elsewhere" (the window
        # of _check_initial) is the whole text.
        confirmed: dict[str, bool] | None = {} if len(text) <= _LOWER_WINDOW else None
        for match in CHUNK_RE.finditer(text):
            offset = match.start()
            key = run_key(text, match.group(), offset)
            plan = plans.get(key)
            if plan is None:
                if len(plans) >= _CACHE_SIZE:
                    plans.clear()
                plan = plans[key] = self._plan(*key)
            for chunk in plan:
                if chunk.typed:  # known names only: nothing to read around them
                    for lo, hi, kind, how, start, end, name, _ in chunk.segs:
                        segs.append(Seg(lo, hi, kind, how, offset + start, offset + end, name))
                else:
                    self._emit(text, offset, chunk, segs, confirmed)
        return segs

    def _emit(self, text: str, offset: int, chunk: _Chunk, out: list[Seg],
              confirmed: dict[str, bool] | None) -> None:
        """Add the segments of a planned chunk at ``offset``, typing the unknown ones."""
        pieces = chunk.pieces
        for lo, hi, kind, how, start, end, key, words in chunk.segs:
            seg = Seg(lo, hi, kind, how, offset + start, offset + end, key)
            if words is not None:
                self.typer.type_unknown(seg, text, pieces, offset + pieces[0].start, words)
                guessed = seg.how in ("guess", "hint")
                if seg.kind is not None and lo == 0 and chunk.initial and guessed:
                    self._check_initial(text, seg, chunk.pieces, confirmed)
                if seg.kind is None or seg.kind == "title":
                    continue
            elif kind == "title":
                continue
            out.append(seg)

    def _plan(self, run: str, glue: str, initial: bool) -> tuple[_Chunk, ...]:
        """Cut a regex run into chunks at full stops and plan each chunk.

        ``glue`` is a lower-case prefix glued to the run in the text ("al-", "d'");
        ``initial`` says the run starts a sentence. The plan depends on nothing else, so
        it is kept for the next run of the same words.
        """
        if " " not in run and "/" not in run and "\u00a0" not in run:
            return self._one_word(run, glue, initial)
        chunks: list[_Chunk] = []
        pieces: list[Piece] = []
        for m in PIECE_RE.finditer(run):
            piece, stop = self._piece(m.start(), m.group(), glue if m.start() == 0 else "")
            pieces.append(piece)
            if stop:
                chunks.extend(self._chunk(pieces, initial))
                pieces, initial = [], True
        if pieces:
            chunks.extend(self._chunk(pieces, initial))
        return tuple(chunks)

    def _one_word(self, run: str, glue: str, initial: bool) -> tuple[_Chunk, ...]:
        """The common case: a run of one capitalised word."""
        key = fold(run[:-1] if run[-1] == "." else run)
        if key in self._never:
            return ()  # "Sunday", "I"
        piece = self._piece(0, run, glue)[0]
        if key in self._common:
            if run.isupper() and len(run) > 1:
                return self._known([piece], initial)  # "WHO", "IT": only as a known acronym
            if initial:
                return ()  # "The", "However"
        return self._known([piece], initial) or self._chunk([piece], initial)

    def _known(self, pieces: list[Piece], initial: bool) -> tuple[_Chunk, ...]:
        """The chunk of a lone known name ("Azerbaijan"), or nothing."""
        fast = self._single(pieces[0])
        if fast is None:
            return ()
        row = (fast.lo, fast.hi, fast.kind, fast.how, fast.start, fast.end, fast.key, None)
        return (_Chunk(pieces, (row,), initial, fast.kind != "title"),)

    @staticmethod
    def _piece(start: int, raw: str, glue: str) -> tuple[Piece, bool]:
        """Make a piece (``glue`` joins it at the front); the flag says a full stop ends the
        chunk after it."""
        stop = False
        if raw[-1] == "." and len(raw) > 1:
            if fold(raw) not in ABBREVIATIONS and not INITIALS_RE.fullmatch(raw):
                raw, stop = raw[:-1], True
        if glue:
            raw, start = glue + raw, start - len(glue)
        return Piece(start, start + len(raw), raw, fold(raw), raw in _CONNECTOR_SET), stop

    def _chunk(self, pieces: list[Piece], initial: bool) -> tuple[_Chunk, ...]:
        """Segment one chunk of capitalised pieces (the unknown names are typed later)."""
        while pieces and pieces[-1].conn:
            pieces = pieces[:-1]
        if len(pieces) == 1 and not (initial and pieces[0].key in self._common):
            known = self._known(pieces, initial)
            if known:
                return known
        if not pieces:
            return ()
        shouting = len(pieces) > 1 and all(p.conn or p.raw.isupper() for p in pieces)
        rows: list[_SegRow] = []
        for seg in self.typer.merge(self._segment(pieces, initial, shouting), pieces):
            key = " ".join(p.key for p in pieces[seg.lo : seg.hi] if p.raw != "/")
            words = self.typer.words_of(pieces, seg.lo, seg.hi) if seg.kind is None else None
            rows.append((seg.lo, seg.hi, seg.kind, seg.how, pieces[seg.lo].start,
                         pieces[seg.hi - 1].end, key, words))
        typed = all(row[2] is not None and row[2] != "title" for row in rows)
        return (_Chunk(pieces, tuple(rows), initial, typed),) if rows else ()

    def _segment(self, pieces: list[Piece], initial: bool, shouting: bool) -> list[Seg]:
        """Split a chunk into gazetteer names, titles and unknown runs."""
        segs: list[Seg] = []
        i, n = 0, len(pieces)
        if initial:
            i = self._skip_initial_common(pieces)
        while i < n:
            piece = pieces[i]
            if piece.conn:
                i += 1
                continue
            hit = self.typer.gaz_match(pieces, i, shouting)
            if hit is not None:
                j, entry_kind = hit
                if not (i == 0 and initial and j == 1 and piece.key in self._common):
                    segs.append(Seg(i, j, entry_kind, "gaz"))
                i = j
                continue
            if shouting:
                i += 1  # headlines in capitals: only known names count
                continue
            t = self.typer.title_length(pieces, i)
            if t:
                segs.append(Seg(i, i + t, "title", "title"))
                i += t
                continue
            j = self.typer.unknown_run(pieces, i)
            segs.extend(self._split_common(pieces, i, j))
            i = j
        return segs

    def _skip_initial_common(self, pieces: list[Piece]) -> int:
        """Index of the first piece after sentence-initial common words ("The", "However")."""
        i = 0
        while i < len(pieces):
            piece = pieces[i]
            if piece.conn:
                i += 1
                continue
            key = piece.key
            if key not in self._common and key not in self._never or (
                len(piece.raw) > 1 and piece.raw.isupper()
            ):
                break
            if (i > 0 or key in self.typer.of_heads) and self._headed(pieces, i):
                break  # "The Foreign Ministry", "Ministry of Defence"
            hit = self.typer.gaz_match(pieces, i, False)
            if hit is not None and hit[0] > i + 1:
                break  # "New York", "The Hague"
            if self.typer.title_length(pieces, i):
                break
            if self.typer.prefixed(key) and i + 1 < len(pieces) and not pieces[i + 1].conn:
                break  # "Hurricane Ian", "Lake Victoria"
            if key in self.gaz.first_names and i + 1 < len(pieces) and not pieces[i + 1].conn:
                break
            i += 1
        return i

    def _headed(self, pieces: list[Piece], i: int) -> bool:
        """True when pieces ``i``.. form a name of two or more words with a head word."""
        return len(pieces) - i >= 2 and self.typer.has_head(pieces, i, len(pieces))

    def _split_common(self, pieces: list[Piece], i: int, j: int) -> list[Seg]:
        """Turn an unknown run into segments, cutting at never-words ("Sunday").

        Capitalised common words inside a sentence are part of a name ("Red Bull", "Credit
        Suisse"), except in a title-case headline (three or more of them and no head
        word). A run ending in a head word ("International Crisis Group") stays whole.
        """
        typer = self.typer
        if j - i > 1 and (typer.has_head(pieces, i, j) or typer.prefixed(pieces[i].key)):
            return [Seg(i, j, None, "")]
        firsts = self.gaz.first_names
        commons = sum(1 for p in pieces[i:j] if p.key in self._common and p.key not in firsts)
        headline = commons >= 3
        out: list[Seg] = []
        lo = i
        for k in range(i, j + 1):
            if k < j:
                key = pieces[k].key
                named = key in firsts and k + 1 < j
                if named or not (key in self._never or (headline and key in self._common)):
                    continue
            lo_t, hi_t = lo, k
            while lo_t < hi_t and pieces[lo_t].conn:
                lo_t += 1
            while hi_t > lo_t and pieces[hi_t - 1].conn:
                hi_t -= 1
            if hi_t > lo_t:
                how = "weak" if hi_t - lo_t == 1 and pieces[lo_t].key in self._common else ""
                out.append(Seg(lo_t, hi_t, None, how))
            lo = k + 1
        return out

    def _check_initial(self, text: str, seg: Seg, pieces: list[Piece],
                       confirmed: dict[str, bool] | None) -> None:
        """Demote a guessed sentence-initial name whose lower-case form occurs nearby.

        ``confirmed`` remembers the answers by word when nearby is the whole text.
        """
        word = pieces[seg.lo].raw.lower()
        if seg.hi - seg.lo == 1 and (seg.how == "guess" or word.endswith(("ing", "ed", "ly"))):
            # "Flooding in ...", "Reportedly, ...", "Analysts at ...": a lone unexplained
            # word at a sentence start is kept only if the text confirms it elsewhere.
            seg.how = "weak"
            return
        found = confirmed.get(word) if confirmed is not None else None
        if found is None:
            lo = max(0, seg.start - _LOWER_WINDOW)
            hi = min(len(text), seg.end + _LOWER_WINDOW)
            found = lower_elsewhere(text, word, lo, hi)
            if confirmed is not None:
                confirmed[word] = found
        if found:
            seg.how = "weak"

    def _single(self, piece: Piece) -> Seg | None:
        """Fast path for a lone known name ("Azerbaijan"); ``None`` means take the long way."""
        if piece.conn:
            return None
        bucket = self.gaz.entries.get((piece.key,))
        if not bucket:
            return None
        for entry in bucket:
            if not entry.exact or entry.surface[0] == piece.raw:
                return Seg(0, 1, entry.kind, "gaz", piece.start, piece.end, piece.key)
        return None


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``ranges`` sorted, overlapping ones merged: disjoint, so their ends ascend too."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _overlaps(start: int, end: int, ranges: list[tuple[int, int]], starts: list[int]) -> bool:
    """True when ``[start, end)`` overlaps one of ``ranges`` (merged, ``starts`` theirs).

    Only the last range starting before ``end`` can reach past ``start``: a bisection,
    not a scan, so a text of thousands of markers and names stays linear.
    """
    i = bisect_left(starts, end)
    return i > 0 and ranges[i - 1][1] > start


_DEFAULT: EntityRecogniser | None = None


def recognise(text: str) -> list[Span]:
    """Recognise entities in ``text`` with the packaged gazetteer (cached recogniser)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = EntityRecogniser()
    return _DEFAULT.recognise(text)

