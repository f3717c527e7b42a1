"""Scoring many candidate pairs at once, with the same result as :func:`score_pair`.

Clustering a large library scores hundreds of thousands of candidate pairs; calling
:func:`~tui.core.dedup_score.score_pair` for each costs some thirty small numpy calls per
pair. Here the pairs are grouped by their first report, and each group's term cosines and
key overlaps are computed in a few numpy passes over the concatenated partner vectors. Only
the pairs that could be copies (their vocabularies overlap enough) have their shingles
compared, pair by pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from tui.core.cluster_config import ClusterConfig
from tui.core.dedup import DocFeatures
from tui.core.dedup_score import Weights, _copy_evidence, _day_gap, _time_factor

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


@dataclass(slots=True)
class BatchScores:
    """Scores of candidate pairs ``(a[i], b[i])`` (positions into the document list)."""

    score: F64
    copy: npt.NDArray[np.bool_]
    """True where the pair is a copy (its score then says how much of the text matches)."""


def score_many(docs: Sequence[DocFeatures], a: I64, b: I64, weights: Weights,
               config: ClusterConfig | None = None) -> BatchScores:
    """Score the pairs ``(docs[a[i]], docs[b[i]])``: the scores and copy flags that
    :func:`~tui.core.dedup_score.score_pair` would give (up to float rounding)."""
    cfg = config or ClusterConfig()
    n = len(a)
    term_sim, key_sim = _similarities(docs, a, b, weights)
    title = np.array([_title(docs[i], docs[j]) for i, j in zip(a.tolist(), b.tolist(),
                                                               strict=True)], np.float64)
    has_title = title >= 0
    score = np.where(
        has_title, cfg.weight_terms * term_sim + cfg.weight_keys * key_sim
        + cfg.weight_title * title,
        (cfg.weight_terms * term_sim + cfg.weight_keys * key_sim)
        / max(cfg.weight_terms + cfg.weight_keys, 1e-9))
    score *= _time_factors(docs, a, b, cfg)
    copy = np.zeros(n, bool)
    for k in np.flatnonzero(term_sim >= cfg.copy_min_terms).tolist():
        da, db = docs[int(a[k])], docs[int(b[k])]
        reasons: dict[str, object] = {}
        containment = _copy_evidence(da, db, cfg, reasons)
        total = int(reasons["sentences_total"])  # type: ignore[call-overload]
        matched = int(reasons["sentences_matched"])  # type: ignore[call-overload]
        share = matched / total if total else 0.0
        if containment >= cfg.copy_containment or (share >= cfg.copy_sentence_share
                                                   and matched >= 2):
            copy[k] = True
            score[k] = max(score[k], 0.5 + 0.5 * max(containment, share))
    score = np.where(copy, score, np.minimum(score, 1.0))
    return BatchScores(score, copy)


def _title(a: DocFeatures, b: DocFeatures) -> float:
    """Title similarity as :func:`score_pair` computes it, -1 when a title is empty."""
    if not a.title_terms or not b.title_terms:
        return -1.0
    return float(fuzz.token_set_ratio(" ".join(a.title_terms), " ".join(b.title_terms))) / 100


def _time_factors(docs: Sequence[DocFeatures], a: I64, b: I64, cfg: ClusterConfig) -> F64:
    """The day-gap discount of every pair (dated pairs vectorised, the rest one by one)."""
    days = np.array([d.day for d in docs], np.int64)
    da, db = days[a], days[b]
    gap = np.abs(da - db).astype(np.float64)
    factor = 1.0 - cfg.day_penalty * np.minimum(gap, cfg.time_window_days)
    factor = np.where(gap > cfg.time_window_days, factor * 0.5, factor)
    for k in np.flatnonzero((da == 0) | (db == 0)).tolist():
        factor[k] = _time_factor(_day_gap(docs[int(a[k])], docs[int(b[k])]), cfg)
    return np.asarray(factor, np.float64)


def _similarities(docs: Sequence[DocFeatures], a: I64, b: I64,
                  weights: Weights) -> tuple[F64, F64]:
    """Term cosine and key overlap of every pair, a group of pairs per first document."""
    term_sim = np.zeros(len(a), np.float64)
    key_sim = np.zeros(len(a), np.float64)
    if not len(a):
        return term_sim, key_sim
    order = np.argsort(a, kind="stable")
    sorted_a = a[order]
    bounds = np.flatnonzero(np.diff(sorted_a)) + 1
    for group in np.split(order, bounds):
        doc = docs[int(a[group[0]])]
        partners = [docs[j] for j in b[group].tolist()]
        va = weights.of(doc)
        vbs = [weights.of(d) for d in partners]
        dots = _group_sums(doc.term_hashes, va.term_w, [d.term_hashes for d in partners],
                           [v.term_w for v in vbs], np.multiply)
        term_sim[group] = dots
        shared = _group_sums(doc.key_hashes, va.key_w, [d.key_hashes for d in partners],
                             [v.key_w for v in vbs], np.minimum)
        norms = np.array([max(v.key_norm, 1e-9) for v in vbs], np.float64)
        denom = np.sqrt(max(va.key_norm, 1e-9) * norms)
        key_sim[group] = np.where(denom > 1e-6, np.minimum(shared / denom, 1.0), 0.0)
    return term_sim, key_sim


def _group_sums(hashes: npt.NDArray[np.uint64], w: npt.NDArray[np.float32],
                other_hashes: list[npt.NDArray[np.uint64]],
                other_w: list[npt.NDArray[np.float32]], combine: np.ufunc) -> F64:
    """For each partner, the sum of ``combine(w, w_partner)`` over the hashes both hold."""
    k = len(other_hashes)
    if not len(hashes):
        return np.zeros(k, np.float64)
    lengths = np.array([len(h) for h in other_hashes], np.int64)
    allh = np.concatenate(other_hashes)
    allw = np.concatenate(other_w)
    pos = np.searchsorted(hashes, allh)
    pos[pos == len(hashes)] = 0
    hit = hashes[pos] == allh
    owner = np.repeat(np.arange(k), lengths)
    values = combine(w[pos[hit]], allw[hit]).astype(np.float64)
    return np.bincount(owner[hit], weights=values, minlength=k).astype(np.float64)
