"""Per-document features for duplicate detection and story clustering.

:func:`features` turns one report into a compact :class:`DocFeatures` record, computed once
and stored as bytes in the index (:meth:`DocFeatures.to_bytes`), so a warm start costs only a
``numpy.frombuffer``. Everything the scorer (:mod:`tui.core.dedup_score`) and the clusterer
(:mod:`tui.core.cluster`) need is in it:

* word 3-gram shingle hashes in reading order, with the index where each sentence starts,
  so "14 of 17 sentences match" can be counted fuzzily (a sentence matches when most of its
  shingles occur in the other text; glued sentences and merged words only break a few);
* a MinHash signature of the shingle set (for LSH candidate generation);
* the content terms (folded, stop words removed) with their counts, for TF-IDF;
* "keys": capitalised names (and entity keys from the recogniser), numbers, and dates
  mentioned in the text, which are strong evidence that two reports describe one event.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import struct
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from tui.core.dedup_lex import MONTHS, STOPWORDS
from tui.core.text import MAX_ANALYSED, fold

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
U16 = npt.NDArray[np.uint16]

MINHASH_SIZE = 64
"""Number of MinHash permutations (the LSH bands split these)."""

_MAGIC = b"CXF1"
_WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")
_NUM_RE = re.compile(r"\d[\d,.]*\d|\d")
_SCALE = {"million": 1_000_000, "billion": 1_000_000_000, "thousand": 1000}
_ISO_RE = re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_MONTH_NAMES = "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
    "Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
# Month names are capitalised in English; matching case-sensitively keeps this fast.
_MONTH_DAY_RE = re.compile(
    rf"\b({_MONTH_NAMES})\b\.?\s+(\d{{1,2}})(?!\d)|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?=({_MONTH_NAMES})\b)"
)
# A cheap test run first: most paragraphs name no month, and the full pattern is slow.
_MONTH_HINT_RE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
# Sentence breaks: terminal punctuation (maybe closing a quote) before a space or a capital
# (which also splits "side.Baku" glued by a scraper), and line ends. Abbreviations split too,
# which only matters for counting sentences, not for matching them.
_SENT_SPLIT_RE = re.compile(r"[.!?…][\"'”’)\]]?(?:\s+|(?=[A-Z]))|\n+")

# Odd 64-bit multipliers: shingle = t0*P0 + t1*P1 + t2 (mod 2**64), keep the high bits.
_P0 = np.uint64(0x9E3779B97F4A7C15)
_P1 = np.uint64(0xC2B2AE3D27D4EB4F)
_rng = np.random.default_rng(20201004)
_MH_A = (_rng.integers(1, 2**63, MINHASH_SIZE, dtype=np.uint64) * 2 + 1).astype(np.uint64)
_MH_B = _rng.integers(0, 2**63, MINHASH_SIZE, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class DocInput:
    """What the feature extractor needs from one article (the cleaned body, not the raw file)."""

    id: str
    title: str
    body: str
    date: str | None = None
    """Publication date as ``YYYY-MM-DD``, or ``None``."""
    entities: Sequence[str] = ()
    """Canonical entity names from the recogniser, when available (folded here)."""


@dataclass(slots=True, eq=False)
class DocFeatures:
    """Everything duplicate scoring needs about one document, serialisable to bytes."""

    id: str
    title: str
    day: int
    """Publication date as a proleptic ordinal (``date.toordinal()``), 0 when undated."""
    n_tokens: int
    title_terms: tuple[str, ...]
    """Folded content words of the title."""
    term_hashes: U64
    """Sorted unique hashes of the content terms."""
    term_tf: U16
    """Occurrences of each term, aligned with ``term_hashes``."""
    terms: str
    """The terms themselves, ``\\n``-joined and aligned with ``term_hashes`` (one string, to
    keep 100,000 documents small; split only to explain a pair)."""
    key_hashes: U64
    """Sorted unique hashes of the keys (``n:`` names, ``e:`` entities, ``#:`` numbers,
    ``d:`` dates as ``MM-DD``)."""
    keys: str
    """The keys, ``\\n``-joined and aligned with ``key_hashes``."""
    shingles: U32
    """Word 3-gram hashes in reading order (one per token position but the last two)."""
    sent_starts: U32
    """Index into ``shingles`` where each sentence starts (ascending)."""
    minhash: U32
    """MinHash signature (``MINHASH_SIZE`` values) of the shingle set."""
    _shingle_set: U32 | None = field(default=None, repr=False)

    @property
    def date(self) -> str | None:
        """The publication date as ``YYYY-MM-DD`` (``None`` when undated)."""
        return dt.date.fromordinal(self.day).isoformat() if self.day else None

    def shingle_set(self) -> U32:
        """Sorted unique shingle hashes (computed once, on first use)."""
        if self._shingle_set is None:
            self._shingle_set = np.unique(self.shingles)
        return self._shingle_set

    def term_list(self) -> list[str]:
        """The content terms, aligned with :attr:`term_hashes`."""
        return self.terms.split("\n") if self.terms else []

    def key_list(self) -> list[str]:
        """The keys, aligned with :attr:`key_hashes`."""
        return self.keys.split("\n") if self.keys else []

    def to_bytes(self) -> bytes:
        """Serialise to bytes: a magic tag, a JSON header, then the raw numpy arrays."""
        head = json.dumps(
            {
                "id": self.id,
                "title": self.title,
                "day": self.day,
                "n": self.n_tokens,
                "tt": list(self.title_terms),
                "terms": self.terms,
                "keys": self.keys,
            },
            ensure_ascii=False,
        ).encode()
        arrays = (self.term_hashes, self.term_tf, self.key_hashes, self.shingles,
                  self.sent_starts, self.minhash)
        sizes = struct.pack("<6I", *(len(a) for a in arrays))
        return b"".join(
            [_MAGIC, struct.pack("<I", len(head)), head, sizes, *(a.tobytes() for a in arrays)]
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> DocFeatures:
        """Rebuild a record written by :meth:`to_bytes` (arrays are zero-copy views).

        Raises:
            ValueError: when ``data`` is not a serialised :class:`DocFeatures`.
        """
        if data[:4] != _MAGIC:
            raise ValueError("not a serialised DocFeatures record")
        (hlen,) = struct.unpack_from("<I", data, 4)
        head = json.loads(data[8 : 8 + hlen].decode())
        pos = 8 + hlen
        sizes = struct.unpack_from("<6I", data, pos)
        pos += 24
        out = []
        for n, dtype in zip(sizes, (np.uint64, np.uint16, np.uint64, np.uint32, np.uint32,
                                    np.uint32), strict=True):
            out.append(np.frombuffer(data, dtype=dtype, count=n, offset=pos))
            pos += n * np.dtype(dtype).itemsize
        return cls(head["id"], head["title"], head["day"], head["n"], tuple(head["tt"]),
                   out[0], out[1], head["terms"], out[2], head["keys"], out[3], out[4], out[5])


@lru_cache(maxsize=262144)
def token_hash(token: str) -> int:
    """A stable 32-bit hash of a (folded) token."""
    return zlib.crc32(token.encode())


@lru_cache(maxsize=262144)
def term_hash(term: str) -> int:
    """A stable 64-bit hash of a term or key (two CRCs with different seeds)."""
    raw = term.encode()
    return zlib.crc32(raw) | (zlib.crc32(raw, 0x9E3779B9) << 32)


def parse_day(date: str | None) -> int:
    """Ordinal day of a ``YYYY-MM-DD`` string (0 for ``None`` or an unreadable date)."""
    if not date:
        return 0
    try:
        return dt.date.fromisoformat(date[:10]).toordinal()
    except ValueError:
        return 0


def features(doc: DocInput) -> DocFeatures:
    """Compute the features of one document (pure; well under a millisecond per report).

    Only the first :data:`~tui.core.text.MAX_ANALYSED` characters are read: a copy is
    recognised by its opening, and a 10 MB text would otherwise take seconds.
    """
    body = doc.body[:MAX_ANALYSED]
    tokens: list[str] = []
    sent_tok: list[int] = []
    names: set[str] = set()
    for piece in _SENT_SPLIT_RE.split(body):
        raw = _WORD_RE.findall(piece)
        if not raw:
            continue
        sent_tok.append(len(tokens))
        tokens.extend(map(norm, raw))
        # Capitalised words inside a sentence are names; the first word of a sentence is
        # capitalised anyway ("Officials said") and is only taken when seen mid-sentence.
        names.update(norm(w) for w in raw[1:] if w[0].isupper())
    keys = {"n:" + n for n in names if n not in STOPWORDS and n not in MONTHS and len(n) > 1
            and not n[0].isdigit()}
    month_days = list(_MONTH_DAY_RE.finditer(body)) if _MONTH_HINT_RE.search(body) else []
    keys |= _number_keys(body, month_days) | _date_keys(body, month_days)
    keys |= {"e:" + fold(e) for e in doc.entities if e.strip()}
    shingles, sent_starts = _shingles(tokens, sent_tok)
    term_hashes, term_tf, terms = _terms(tokens)
    key_list = sorted(keys)
    key_hashes = np.array([term_hash(k) for k in key_list], dtype=np.uint64)
    order = np.argsort(key_hashes)
    return DocFeatures(
        id=doc.id, title=doc.title, day=parse_day(doc.date), n_tokens=len(tokens),
        title_terms=tuple(t for t in map(norm, _WORD_RE.findall(doc.title))
                          if t not in STOPWORDS),
        term_hashes=term_hashes, term_tf=term_tf, terms=terms,
        key_hashes=key_hashes[order], keys="\n".join(key_list[i] for i in order),
        shingles=shingles, sent_starts=sent_starts, minhash=minhash(shingles),
    )


@lru_cache(maxsize=262144)
def norm(token: str) -> str:
    """Fold a token and drop a possessive ending: ``"Azerbaijan’s"`` → ``"azerbaijan"``."""
    folded = fold(token)
    return folded[:-2] if folded.endswith("'s") else folded


def _number_keys(body: str, month_days: list[re.Match[str]]) -> set[str]:
    """Number keys (``#:55000``) for the figures in ``body``: decimals, and whole numbers
    from 10 up (small counts like "four missiles" say little about which event it is).
    ``month_days`` are the matches of the month-and-day pattern in ``body``.
    """
    out: set[str] = set()
    if month_days:  # a date's day is not a figure
        pieces, last = [], 0
        for m in month_days:
            pieces += [body[last : m.start()], " "]
            last = m.end()
        body = "".join([*pieces, body[last:]])
    for m in _NUM_RE.finditer(body):
        text = m.group().replace(",", "")
        try:
            value = float(text)
        except ValueError:
            continue
        nxt = body[m.end() : m.end() + 9].lstrip().lower()
        for word, scale in _SCALE.items():
            if nxt.startswith(word):
                value *= scale
        if not math.isfinite(value):
            continue  # 310 digits or more: no float holds it, and no report means it
        if value >= 10 or value != int(value):
            out.add("#:" + (f"{value:.0f}" if value == int(value) else f"{value:g}"))
    return out


def _date_keys(body: str, month_days: list[re.Match[str]]) -> set[str]:
    """Date keys (``d:10-04``) for "October 4", "4 Oct.", "2020-10-04" (years left out)."""
    out: set[str] = set()
    if "-" in body:
        for m in _ISO_RE.finditer(body):
            out.add(f"d:{m.group(2)}-{m.group(3)}")
    for m in month_days:
        day = int(m.group(2) or m.group(3))
        if 1 <= day <= 31:
            month = MONTHS[(m.group(1) or m.group(4)).lower()]
            out.add(f"d:{month:02d}-{day:02d}")
    return out


def _shingles(tokens: list[str], sent_tok: list[int]) -> tuple[U32, U32]:
    """Word 3-gram hashes over the whole text, and the shingle index of each sentence start.

    Shingles run across sentence boundaries so that a scraper gluing or splitting sentences
    changes nothing; each shingle belongs to the sentence of its first word.
    """
    if len(tokens) < 3:
        return np.zeros(0, np.uint32), np.zeros(0, np.uint32)
    th = np.array(list(map(token_hash, tokens)), dtype=np.uint64)
    mixed = th[:-2] * _P0 + th[1:-1] * _P1 + th[2:]
    shingles = ((mixed >> np.uint64(32)) ^ mixed).astype(np.uint32)
    first = np.array([i for i in sent_tok if i < len(shingles)], dtype=np.uint32)
    return shingles, first


def minhash(shingles: U32) -> U32:
    """One-permutation MinHash: the least hash per bucket, empty buckets densified.

    Each shingle is mixed once and falls in one of ``MINHASH_SIZE`` buckets; an empty bucket
    borrows its right neighbour's value (a deterministic rule, so copies still agree).
    """
    sig = np.full(MINHASH_SIZE, 0xFFFFFFFF, dtype=np.uint32)
    if len(shingles) == 0:
        return sig
    mixed = shingles.astype(np.uint64) * _MH_A[0] + _MH_B[0]
    bucket = (mixed >> np.uint64(58)).astype(np.intp)
    value = ((mixed >> np.uint64(26)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    np.minimum.at(sig, bucket, value)
    empty = sig == 0xFFFFFFFF
    if empty.any() and not empty.all():
        full = np.flatnonzero(~empty)
        nxt = full[np.searchsorted(full, np.arange(MINHASH_SIZE)) % len(full)]
        sig = np.where(empty, sig[nxt] ^ np.arange(MINHASH_SIZE, dtype=np.uint32), sig)
    return sig


def _terms(tokens: list[str]) -> tuple[U64, U16, str]:
    """Content terms (no stop words, no bare numbers, 3+ letters) with counts, hash-sorted."""
    items = [(t, c) for t, c in Counter(tokens).items()
             if len(t) > 2 and t not in STOPWORDS and not t[0].isdigit()]
    hashes = np.array([term_hash(t) for t, _ in items], dtype=np.uint64)
    tf = np.array([min(c, 65535) for _, c in items], dtype=np.uint16)
    order = np.argsort(hashes)
    return hashes[order], tf[order], "\n".join(items[i][0] for i in order)
