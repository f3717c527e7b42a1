"""Scoring one pair of reports: copy, same story or unrelated, with the evidence.

The copy test is textual: the share of word 3-grams and of sentences of the shorter report
found in the other (fuzzy, so a damaged mirror is still a copy; a translation is not). The
same-story score mixes the TF-IDF cosine of the content words, the overlap of names,
places, figures and dates (IDF-weighted), and title similarity, discounted by the days
between the two reports.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from tui.core.cluster_config import ClusterConfig
from tui.core.dedup import U64, DocFeatures

F32 = npt.NDArray[np.float32]
# Keys are stronger evidence than words, and names/dates more than bare numbers.
_KIND_WEIGHT = {"n": 1.0, "e": 1.2, "#": 0.9, "d": 1.0}


@dataclass(slots=True)
class CorpusStats:
    """Document frequencies of terms and keys (by hash) over a library."""

    n_docs: int = 0
    hashes: U64 = field(default_factory=lambda: np.zeros(0, np.uint64))
    counts: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    prior: int = 20

    @classmethod
    def from_docs(cls, docs: Iterable[DocFeatures], prior: int = 20) -> CorpusStats:
        """Count in how many documents each term and key occurs."""
        stats = cls(prior=prior)
        stats.add(list(docs))
        return stats

    def add(self, docs: list[DocFeatures], sign: int = 1) -> None:
        """Count ``docs`` in (``sign=1``) or out (``sign=-1``) of the frequencies."""
        if not docs:
            return
        new = np.concatenate([np.concatenate([d.term_hashes, d.key_hashes]) for d in docs])
        allh = np.concatenate([self.hashes, new])
        allc = np.concatenate([self.counts, np.full(len(new), sign, np.int64)])
        uniq, inverse = np.unique(allh, return_inverse=True)
        counts = np.bincount(inverse, weights=allc, minlength=len(uniq)).astype(np.int64)
        keep = counts > 0
        self.hashes, self.counts = uniq[keep], counts[keep]
        self.n_docs += sign * len(docs)

    def idf(self, hashes: U64) -> F32:
        """Smoothed inverse document frequency, ``ln((N + prior) / (df + 1))``."""
        pos = np.searchsorted(self.hashes, hashes)
        pos_c = np.minimum(pos, max(len(self.hashes) - 1, 0))
        found = (pos < len(self.hashes)) & (self.hashes[pos_c] == hashes) if len(self.hashes) \
            else np.zeros(len(hashes), bool)
        df = np.where(found, self.counts[pos_c] if len(self.counts) else 0, 0)
        return np.log((self.n_docs + self.prior) / (df + 1.0)).astype(np.float32)

    def df(self, hashes: U64) -> npt.NDArray[np.int64]:
        """Document frequency of each hash (0 when unseen)."""
        if not len(self.hashes):
            return np.zeros(len(hashes), np.int64)
        pos = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        return np.where(self.hashes[pos] == hashes, self.counts[pos], 0)

    def to_bytes(self) -> bytes:
        """Serialise (header, then the two arrays)."""
        head = struct.pack("<qqq", self.n_docs, self.prior, len(self.hashes))
        return head + self.hashes.tobytes() + self.counts.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> CorpusStats:
        """Rebuild stats written by :meth:`to_bytes`."""
        n_docs, prior, n = struct.unpack_from("<qqq", data, 0)
        hashes = np.frombuffer(data, np.uint64, n, 24).copy()
        counts = np.frombuffer(data, np.int64, n, 24 + 8 * n).copy()
        return cls(n_docs, hashes, counts, prior)


@dataclass(slots=True)
class PairScore:
    """How two reports relate, how strongly (0..1) and why."""

    relation: str
    """``"copy"``, ``"same-story"`` or ``"unrelated"``."""
    score: float
    reasons: dict[str, Any]
    a: str = ""
    b: str = ""

    def to_json(self) -> dict[str, Any]:
        """The pair in the CLI's JSON shape."""
        return {"a": self.a, "b": self.b, "score": round(self.score, 4),
                "relation": self.relation, "reasons": self.reasons}


@dataclass(slots=True)
class _Vec:
    """A document's weighted term and key vectors under some corpus statistics."""

    term_w: F32
    key_w: F32
    key_norm: float


class Weights:
    """Per-document IDF weights, cached so each document is weighed once per clustering."""

    def __init__(self, stats: CorpusStats, limit: int = 1_000_000) -> None:
        self.stats = stats
        self._cache: dict[str, _Vec] = {}
        self._limit = limit

    def of(self, doc: DocFeatures) -> _Vec:
        """The (cached) weight vectors of ``doc``."""
        vec = self._cache.get(doc.id)
        if vec is None:
            vec = self._compute(doc)
            if len(self._cache) < self._limit:
                self._cache[doc.id] = vec
        return vec

    def forget(self, doc_id: str) -> None:
        """Drop a cached document (after it changed)."""
        self._cache.pop(doc_id, None)

    def _compute(self, doc: DocFeatures) -> _Vec:
        tw = (1.0 + np.log(doc.term_tf.astype(np.float32))) * self.stats.idf(doc.term_hashes)
        norm = float(np.sqrt(np.dot(tw, tw))) or 1.0
        kinds = np.array([_KIND_WEIGHT.get(k[:1], 1.0) for k in doc.key_list()], np.float32)
        kw = self.stats.idf(doc.key_hashes) * kinds if len(kinds) else np.zeros(0, np.float32)
        return _Vec((tw / norm).astype(np.float32), kw.astype(np.float32), float(kw.sum()))


def score_pair(a: DocFeatures, b: DocFeatures, stats: CorpusStats,
               config: ClusterConfig | None = None, weights: Weights | None = None,
               detail: bool = True) -> PairScore:
    """Relate two reports: copy, same story or unrelated, with a score in [0, 1] and reasons.

    ``weights`` is an optional cache of per-document weights (the clusterer passes one);
    with ``detail=False`` the lists of shared names, figures and words are left out of the
    reasons (the score and relation are the same), which is several times faster.
    """
    cfg = config or ClusterConfig()
    w = weights or Weights(stats)
    reasons: dict[str, Any] = {}
    containment = _copy_evidence(a, b, cfg, reasons)
    va, vb = w.of(a), w.of(b)
    term_sim = _term_cosine(a, b, va, vb)
    key_sim = _key_overlap(a, b, va, vb, reasons if detail else None)
    title_sim = _title_similarity(a, b)
    if detail:
        reasons["shared_terms"] = _shared_terms(a, b, va)
    gap = _day_gap(a, b)
    reasons.update(term_similarity=round(term_sim, 3), key_similarity=round(key_sim, 3),
                   day_gap=gap)
    if title_sim is not None:
        reasons["title_similarity"] = round(title_sim, 3)
        score = cfg.weight_terms * term_sim + cfg.weight_keys * key_sim + cfg.weight_title * \
            title_sim
    else:
        score = (cfg.weight_terms * term_sim + cfg.weight_keys * key_sim) / max(
            cfg.weight_terms + cfg.weight_keys, 1e-9)
    score *= _time_factor(gap, cfg)
    total = reasons["sentences_total"]
    share = reasons["sentences_matched"] / total if total else 0.0
    # Two short briefs of two events share a stock sentence ("Police said the suspect was
    # arrested."): one matching sentence never makes a copy on its own.
    textual = containment >= cfg.copy_containment or (
        share >= cfg.copy_sentence_share and reasons["sentences_matched"] >= 2)
    if textual and term_sim >= cfg.copy_min_terms:
        return PairScore("copy", max(score, 0.5 + 0.5 * max(containment, share)), reasons,
                         a.id, b.id)
    score = min(score, 1.0)
    relation = "same-story" if score >= cfg.same_story else "unrelated"
    return PairScore(relation, score, reasons, a.id, b.id)


def _day_gap(a: DocFeatures, b: DocFeatures) -> int | None:
    """Days between two reports; an undated one is taken to be from the latest date it
    mentions (month and day), which is usually the day it reports on."""
    if a.day and b.day:
        return abs(a.day - b.day)
    da, db = _latest_mention(a), _latest_mention(b)
    if da is None or db is None:
        return None
    year = dt.date.fromordinal(a.day or b.day).year if (a.day or b.day) else 2000
    ords = [_ordinal(year, md) if isinstance(md, tuple) else md for md in (da, db)]
    if None in ords:
        return None
    gap = abs(int(ords[0] or 0) - int(ords[1] or 0))
    return min(gap, abs(365 - gap))


def _latest_mention(doc: DocFeatures) -> int | tuple[int, int] | None:
    """The publication day, or else the latest (month, day) the text mentions."""
    if doc.day:
        return doc.day
    dates = [k[2:] for k in doc.key_list() if k.startswith("d:")]
    if not dates:
        return None
    month, day = max(dates).split("-")
    return int(month), int(day)


def _ordinal(year: int, month_day: tuple[int, int]) -> int | None:
    """Ordinal of a month and day in ``year`` (``None`` for an impossible date)."""
    try:
        return dt.date(year, *month_day).toordinal()
    except ValueError:
        return None


def _common(x: npt.NDArray[Any], y: npt.NDArray[Any]) -> tuple[npt.NDArray[np.intp],
                                                                  npt.NDArray[np.intp]]:
    """Positions of the common values of two sorted unique arrays (faster than intersect1d)."""
    if not len(x) or not len(y):
        empty = np.zeros(0, np.intp)
        return empty, empty
    pos = np.searchsorted(y, x)
    pos[pos == len(y)] = 0
    hit = y[pos] == x
    return np.flatnonzero(hit), pos[hit]


def _time_factor(gap: int | None, cfg: ClusterConfig) -> float:
    """Discount for the days between two reports (none when either is undated)."""
    if gap is None:
        return 1.0
    factor = 1.0 - cfg.day_penalty * min(gap, cfg.time_window_days)
    return factor * 0.5 if gap > cfg.time_window_days else factor


def _copy_evidence(a: DocFeatures, b: DocFeatures, cfg: ClusterConfig,
                   reasons: dict[str, Any]) -> float:
    """Shingle containment of the shorter text in the longer; fills the sentence counts."""
    short, long_ = (a, b) if len(a.shingles) <= len(b.shingles) else (b, a)
    if np.count_nonzero(a.minhash == b.minhash) < 2:
        # The signatures agree on almost nothing: the texts share (next to) no 3-grams.
        total = int(np.sum(np.diff(np.append(short.sent_starts, len(short.shingles))) >= 3))
        reasons.update(sentences_matched=0, sentences_total=total, containment=0.0)
        return 0.0
    s_set, l_set = short.shingle_set(), long_.shingle_set()
    inter = len(_common(s_set, l_set)[0])
    containment = inter / len(s_set) if len(s_set) else 0.0
    matched, total = _sentence_matches(short, l_set, cfg.sentence_match) if inter else (0, 0)
    if not inter:
        total = int(np.sum(np.diff(np.append(short.sent_starts, len(short.shingles))) >= 3))
    reasons.update(sentences_matched=matched, sentences_total=total,
                   containment=round(containment, 3))
    return containment


def _sentence_matches(doc: DocFeatures, other: npt.NDArray[np.uint32],
                      threshold: float) -> tuple[int, int]:
    """Sentences of ``doc`` (3+ shingles) whose shingles mostly occur in ``other``."""
    if not len(doc.shingles):
        return 0, 0
    # ``other`` is sorted and unique: a binary search beats np.isin (which sorts again).
    pos = np.searchsorted(other, doc.shingles)
    pos[pos == len(other)] = 0
    found = (other[pos] == doc.shingles).astype(np.int32) if len(other) else \
        np.zeros(len(doc.shingles), np.int32)
    starts = doc.sent_starts.astype(np.int64)
    hits = np.add.reduceat(found, starts)
    lengths = np.diff(np.append(starts, len(doc.shingles)))
    counted = lengths >= 3
    return int(np.sum((hits >= threshold * lengths) & counted)), int(np.sum(counted))


def _term_cosine(a: DocFeatures, b: DocFeatures, va: _Vec, vb: _Vec) -> float:
    """Cosine of the IDF-weighted content-word vectors."""
    ia, ib = _common(a.term_hashes, b.term_hashes)
    return float(np.dot(va.term_w[ia], vb.term_w[ib])) if len(ia) else 0.0


def _key_overlap(a: DocFeatures, b: DocFeatures, va: _Vec, vb: _Vec,
                 reasons: dict[str, Any] | None) -> float:
    """IDF-weighted overlap of names, figures and dates; lists the shared ones in
    ``reasons`` (when given)."""
    ia, ib = _common(a.key_hashes, b.key_hashes)
    shared_w = float(np.minimum(va.key_w[ia], vb.key_w[ib]).sum()) if len(ia) else 0.0
    denom = math.sqrt(max(va.key_norm, 1e-9) * max(vb.key_norm, 1e-9))
    if reasons is not None:
        _list_keys(a, va, ia, reasons)
    return min(shared_w / denom, 1.0) if denom > 1e-6 else 0.0


def _list_keys(a: DocFeatures, va: _Vec, ia: npt.NDArray[np.intp],
               reasons: dict[str, Any]) -> None:
    """Put the shared names, figures and dates, most telling first, into ``reasons``."""
    keys = a.key_list()
    order = sorted(ia.tolist(), key=lambda i: -float(va.key_w[i]))
    shared = [keys[i] for i in order]
    reasons["shared_names"] = [_show(k) for k in shared
                               if k[0] in "ne" and k[2:] not in _plain_words()][:10]
    reasons["shared_figures"] = [_show(k) for k in shared if k[0] == "#"][:8]
    reasons["shared_dates"] = [_show(k) for k in shared if k[0] == "d"][:5]


def _title_similarity(a: DocFeatures, b: DocFeatures) -> float | None:
    """Token-set similarity of the titles' content words (``None`` when a title is empty)."""
    if not a.title_terms or not b.title_terms:
        return None
    return float(fuzz.token_set_ratio(" ".join(a.title_terms), " ".join(b.title_terms))) / 100


def _shared_terms(a: DocFeatures, b: DocFeatures, va: _Vec, limit: int = 8) -> list[str]:
    """The rarest content words the two reports share (names included)."""
    ia, _ = _common(a.term_hashes, b.term_hashes)
    if not len(ia):
        return []
    best = ia[np.argsort(-va.term_w[ia], kind="stable")[:limit]]
    terms = a.term_list()
    return [terms[i] for i in best.tolist()]


@cache
def _plain_words() -> frozenset[str]:
    """Ordinary words a sentence may capitalise ("Foreign", "Minister", "Civil"): shown
    among the shared names, they read as names and say nothing (scoring still counts them)."""
    from tui.core.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    return gaz.word_list("common") | gaz.word_list("title_core") | gaz.word_list("title_modifier")


def _show(key: str) -> str:
    """A key as a reader would write it: ``n:ganja`` → ``Ganja``, ``#:55000`` → ``55,000``."""
    kind, text = key[0], key[2:]
    if kind in "ne":
        return "-".join(p[:1].upper() + p[1:] for p in text.split("-"))
    if kind == "#":
        return f"{int(text):,}" if text.isdigit() and len(text) > 4 else text
    month, day = (int(x) for x in text.split("-"))
    return dt.date(2000, month, day).strftime("%b ") + str(day)


def explain(pair: PairScore) -> str:
    """One line saying what the pair is and why, e.g. ``copy: 14 of 17 sentences match; ...``."""
    r = pair.reasons
    parts: list[str] = []
    if r.get("sentences_total"):
        if pair.relation == "copy" or r.get("sentences_matched"):
            parts.append(f"{r['sentences_matched']} of {r['sentences_total']} sentences match")
    shared = r.get("shared_names", [])[:4] + r.get("shared_figures", [])[:3] + \
        r.get("shared_dates", [])[:2]
    if shared:
        parts.append("shared: " + ", ".join(shared))
    elif r.get("shared_terms"):
        parts.append("shared words: " + ", ".join(r["shared_terms"][:5]))
    if r.get("title_similarity") is not None and r["title_similarity"] >= 0.5:
        parts.append(f"titles {round(100 * r['title_similarity'])}% alike")
    if r.get("day_gap"):
        parts.append(f"{r['day_gap']} day{'s' if r['day_gap'] != 1 else ''} apart")
    head = f"{pair.relation} ({pair.score:.2f})"
    return head + (": " + "; ".join(parts) if parts else "")
