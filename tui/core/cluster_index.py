"""Candidate generation: which pairs of reports are worth scoring precisely.

Two postings lists share one sorted array: each report posts its rarest terms and keys
(names, figures, dates; IDF-weighted, very common ones left out) and its MinHash LSH band
hashes (weighted so that one shared band is enough). Two reports are candidates when the
weights of what they share add up. Nothing here compares two full texts, and building the
pairs is a handful of numpy passes over the postings.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tui.core.cluster_config import ClusterConfig
from tui.core.dedup import U64, DocFeatures
from tui.core.dedup_score import CorpusStats

I64 = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
_BAND_SALT = np.uint64(0x5851F42D4C957F2D)


@dataclass(slots=True)
class Candidates:
    """Candidate pairs as parallel arrays of document positions (``a < b``) and weights."""

    a: I64
    b: I64
    weight: F32


class CandidateIndex:
    """Postings of rare terms, keys and LSH bands for a library, updatable in place."""

    flush_pairs = 4_000_000
    """Raw candidate pairs summed in one pass of :meth:`all_pairs` (bounds its memory)."""

    def __init__(self, config: ClusterConfig, stats: CorpusStats) -> None:
        self.config = config
        self.stats = stats
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.days = np.zeros(0, np.int64)
        self.alive = np.zeros(0, bool)
        self.keys = np.zeros(0, np.uint64)
        self.docs = np.zeros(0, np.int64)
        self.weights = np.zeros(0, np.float32)

    @classmethod
    def build(cls, docs: Sequence[DocFeatures], config: ClusterConfig | None = None,
              stats: CorpusStats | None = None) -> CandidateIndex:
        """Index ``docs`` (computing corpus statistics unless given)."""
        cfg = config or ClusterConfig()
        index = cls(cfg, stats or CorpusStats.from_docs(docs, cfg.idf_prior_docs))
        index._post(docs)
        return index

    def __len__(self) -> int:
        return int(self.alive.sum())

    def add(self, docs: Sequence[DocFeatures]) -> None:
        """Add (or replace) documents; their statistics are counted in.

        A replaced document was counted already: its statistics are taken out first (with
        its new features, a close stand-in for the old ones) so re-indexing never inflates
        document frequencies.
        """
        again = [d for d in docs if d.id in self.pos]
        self.remove([d.id for d in again])
        if again:
            self.stats.add(again, sign=-1)
        self.stats.add(list(docs))
        self._post(docs)

    def remove(self, ids: Iterable[str]) -> None:
        """Forget documents (their postings are dropped lazily, at the next compaction).

        Document frequencies keep counting them: a handful of removals barely moves an IDF.
        """
        for doc_id in ids:
            p = self.pos.pop(doc_id, None)
            if p is not None:
                self.alive[p] = False
        if len(self.alive) and self.alive.sum() < 0.8 * len(self.alive):
            self._compact()

    def _post(self, docs: Sequence[DocFeatures]) -> None:
        """Append the postings of ``docs`` and keep the postings sorted by key."""
        start = len(self.ids)
        keys, owners, weights = [], [], []
        for i, doc in enumerate(docs):
            k, w = self._doc_postings(doc)
            keys.append(k)
            weights.append(w)
            owners.append(np.full(len(k), start + i, np.int64))
            self.pos[doc.id] = start + i
            self.ids.append(doc.id)
        self.days = np.concatenate([self.days, np.array([d.day for d in docs], np.int64)])
        self.alive = np.concatenate([self.alive, np.ones(len(docs), bool)])
        if not docs:
            return
        all_keys = np.concatenate([self.keys, *keys])
        order = np.argsort(all_keys, kind="stable")
        self.keys = all_keys[order]
        self.docs = np.concatenate([self.docs, *owners])[order]
        self.weights = np.concatenate([self.weights, *weights])[order]

    def _doc_postings(self, doc: DocFeatures) -> tuple[U64, F32]:
        """The rarest terms and keys of ``doc`` (each kind its own quota) and its LSH bands.

        Keys (names, figures, dates) get their own quota so that words shared only with a
        copy of the report cannot use up the whole budget.
        """
        cfg = self.config
        parts = [self._rarest(h, cfg.candidate_keys) for h in (doc.term_hashes, doc.key_hashes)]
        rows = len(doc.minhash) // cfg.lsh_bands
        bands = doc.minhash[: rows * cfg.lsh_bands].astype(np.uint64).reshape(cfg.lsh_bands, rows)
        mix = np.zeros(cfg.lsh_bands, np.uint64)
        for r in range(rows):
            mix = (mix ^ bands[:, r]) * _BAND_SALT
        mix ^= np.arange(cfg.lsh_bands, dtype=np.uint64) + np.uint64(1)
        band_w = np.full(cfg.lsh_bands, cfg.min_shared_weight, np.float32)
        return (np.concatenate([parts[0][0], parts[1][0], mix]),
                np.concatenate([parts[0][1], parts[1][1], band_w]))

    def _rarest(self, hashes: U64, limit: int) -> tuple[U64, F32]:
        """The ``limit`` rarest of ``hashes`` shared with another report but not too common."""
        df = self.stats.df(hashes)
        hashes = hashes[(df >= 2) & (df <= self.config.max_posting)]
        idf = self.stats.idf(hashes)
        best = np.argsort(-idf, kind="stable")[:limit]
        return hashes[best], idf[best]

    def _compact(self) -> None:
        """Drop the postings of removed documents and renumber the living ones."""
        keep_doc = np.flatnonzero(self.alive)
        renumber = np.full(len(self.alive), -1, np.int64)
        renumber[keep_doc] = np.arange(len(keep_doc))
        keep = self.alive[self.docs]
        self.keys, self.weights = self.keys[keep], self.weights[keep]
        self.docs = renumber[self.docs[keep]]
        self.ids = [self.ids[i] for i in keep_doc.tolist()]
        self.pos = {doc_id: i for i, doc_id in enumerate(self.ids)}
        self.days, self.alive = self.days[keep_doc], self.alive[keep_doc]

    def all_pairs(self) -> Candidates:
        """Candidate pairs over the whole library.

        Raw pairs (one per key two reports share) are summed per pair in passes, each pass
        taking the pairs whose lower position falls in its residue class, so that every
        pair is complete within one pass and can be judged there: only the pairs that
        pass the thresholds are kept from a pass (tens of thousands at 100k, out of tens
        of millions of raw pairs). The cap per report applies to them all at the end.
        """
        ends = _group_bounds(self.keys)[1]
        remaining = ends - np.arange(len(self.keys)) - 1
        raw = int(np.minimum(remaining, self.config.max_posting).sum())
        passes = max(1, -(-raw // self.flush_pairs))
        mass = np.bincount(self.docs, weights=self.weights,
                           minlength=len(self.ids)).astype(np.float64)
        kept = [self._judge(*self._pass_sums(remaining, p, passes), mass)
                for p in range(passes)]
        return _cap_per_doc(Candidates(np.concatenate([c.a for c in kept]),
                                       np.concatenate([c.b for c in kept]),
                                       np.concatenate([c.weight for c in kept])),
                            self.config.max_candidates)

    def _pass_sums(self, remaining: I64, part: int, parts: int) -> tuple[I64, F64]:
        """Summed weights of the live pairs whose lower position is ``part`` modulo
        ``parts`` (pair codes sorted)."""
        codes, weights = [], []
        n = np.int64(len(self.ids) + 1)
        active = np.flatnonzero(remaining >= 1)
        k = 1
        while len(active) and k <= self.config.max_posting:
            a, b = self.docs[active], self.docs[active + k]
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            ok = (lo % parts == part) & (lo != hi) if parts > 1 else lo != hi
            codes.append(lo[ok] * n + hi[ok])
            weights.append(self.weights[active][ok])
            k += 1
            active = active[remaining[active] >= k]
        if not codes:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        code, w = np.concatenate(codes), np.concatenate(weights)
        order = np.argsort(code, kind="stable")
        code, w = code[order], w[order].astype(np.float64)
        if not len(code):
            return code, w
        starts = np.concatenate([[0], np.flatnonzero(code[1:] != code[:-1]) + 1])
        return code[starts], np.add.reduceat(w, starts)

    def _judge(self, codes: I64, sums: F64, mass: F64) -> Candidates:
        """The pairs among ``codes`` between two live reports with enough shared evidence,
        in absolute terms and relative to what each report posts (a cheap cosine that
        drops pairs sharing only a topic's vocabulary)."""
        n = len(self.ids) + 1
        a, b = codes // n, codes % n
        live = self.alive[a] & self.alive[b]
        a, b, total = a[live], b[live], sums[live].astype(np.float32)
        norm = total / np.sqrt(np.maximum(mass[a] * mass[b], 1e-9))
        keep = (total >= self.config.min_shared_weight) & (norm >= self.config.min_shared_share)
        return Candidates(a[keep], b[keep], total[keep])

    def pairs_of(self, ids: Iterable[str]) -> Candidates:
        """Candidate pairs involving any of ``ids`` (which must be indexed)."""
        mine = np.array([self.pos[i] for i in ids if i in self.pos], np.int64)
        if not len(mine):
            return Candidates(np.zeros(0, np.int64), np.zeros(0, np.int64),
                              np.zeros(0, np.float32))
        sel = np.isin(self.docs, mine)
        qk, qd, qw = self.keys[sel], self.docs[sel], self.weights[sel]
        lo = np.searchsorted(self.keys, qk, "left")
        hi = np.searchsorted(self.keys, qk, "right")
        sizes = hi - lo
        ok = sizes <= self.config.max_posting
        lo, sizes, qd, qw = lo[ok], sizes[ok], qd[ok], qw[ok]
        rep = np.repeat(np.arange(len(lo)), sizes)
        offsets = np.arange(len(rep)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        partner = self.docs[lo[rep] + offsets]
        own = qd[rep]
        # A pair of two queried documents is seen from both sides: count it from one.
        once = ~(np.isin(partner, mine) & (partner < own))
        return self._reduce([own[once]], [partner[once]], [qw[rep][once]])

    def _reduce(self, a_parts: list[I64], b_parts: list[I64], w_parts: list[F32]) -> Candidates:
        """Sum weights per pair, drop weak, dead, self and out-of-window pairs, cap per doc."""
        if not a_parts:
            return Candidates(np.zeros(0, np.int64), np.zeros(0, np.int64),
                              np.zeros(0, np.float32))
        a, b = np.concatenate(a_parts), np.concatenate(b_parts)
        w = np.concatenate(w_parts)
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        ok = lo != hi
        code = lo[ok] * np.int64(len(self.ids) + 1) + hi[ok]
        uniq, inverse = np.unique(code, return_inverse=True)
        total = np.bincount(inverse, weights=w[ok], minlength=len(uniq)).astype(np.float64)
        mass = np.bincount(self.docs, weights=self.weights,
                           minlength=len(self.ids)).astype(np.float64)
        return _cap_per_doc(self._judge(uniq.astype(np.int64), total, mass),
                            self.config.max_candidates)

    def to_bytes(self) -> bytes:
        """Serialise the index (postings, ids, days and statistics)."""
        buf = io.BytesIO()
        np.savez(buf, keys=self.keys, docs=self.docs, weights=self.weights, days=self.days,
                 alive=self.alive, stats=np.frombuffer(self.stats.to_bytes(), np.uint8),
                 ids=np.frombuffer(json.dumps(self.ids).encode(), np.uint8))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, config: ClusterConfig | None = None) -> CandidateIndex:
        """Rebuild an index written by :meth:`to_bytes`."""
        arrays = np.load(io.BytesIO(data))
        index = cls(config or ClusterConfig(), CorpusStats.from_bytes(arrays["stats"].tobytes()))
        index.keys, index.docs, index.weights = arrays["keys"], arrays["docs"], arrays["weights"]
        index.days, index.alive = arrays["days"], arrays["alive"]
        index.ids = json.loads(arrays["ids"].tobytes().decode())
        alive = index.alive.tolist()  # (indexing the array per report took 50 ms at 100k)
        index.pos = {d: i for i, d in enumerate(index.ids) if alive[i]}
        return index


def _group_bounds(keys: U64) -> tuple[I64, I64]:
    """For each position of a sorted array, the start and end of its run of equal keys."""
    n = len(keys)
    if not n:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    change = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [n]])
    sizes = ends - starts
    return np.repeat(starts, sizes), np.repeat(ends, sizes)


def _cap_per_doc(c: Candidates, limit: int) -> Candidates:
    """Keep a pair when it is among the ``limit`` heaviest of either of its documents."""
    if len(c.a) == 0:
        return c
    ends = np.concatenate([c.a, c.b])
    w = np.concatenate([c.weight, c.weight])
    order = np.lexsort((-w, ends))
    sorted_ends = ends[order]
    starts = np.searchsorted(sorted_ends, sorted_ends, "left")
    rank = np.arange(len(order)) - starts
    kept = np.zeros(len(ends), bool)
    kept[order[rank < limit]] = True
    keep = kept[: len(c.a)] | kept[len(c.a) :]
    return Candidates(c.a[keep], c.b[keep], c.weight[keep])
