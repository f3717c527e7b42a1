"""Similarity of sentences and sentence groups, for the aligner (:mod:`tui.core.align`).

A sentence is compared through two keys: its folded words joined by spaces (character
similarity, robust to typos and glued words) and its words coded one character per distinct
word (word similarity, which keeps unrelated sentences that share letters apart). The
similarity of two keys is the mean of both RapidFuzz ratios, on a 0..1 scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from tui.core.text import fold, words

# Merged groups a sentence may match: (sentences on the left, sentences on the right).
MERGE_SHAPES = ((1, 2), (2, 1), (1, 3), (3, 1))
CANDIDATE_BUDGET = 16
"""Candidate pairs per sentence over which only each sentence's best ones are kept."""
CANDIDATES_PER_SENTENCE = 8
MERGE_CEILING = 0.9
"""Pairs at least this similar (0..1) are not tried as part of a merged group."""
_SLOTS = np.array([(k, ell, x, y) for k, ell in MERGE_SHAPES
                   for x in range(k) for y in range(ell)], dtype=np.intp)
"""Merged groups around a pair, in the order they are tried: ``(k, ell, x, y)`` is the group
of ``k`` left and ``ell`` right sentences starting ``k - 1 - x`` left and ``ell - 1 - y``
right sentences before the pair."""


class Block(NamedTuple):
    """A candidate pairing of sentences ``a[i0:i1]`` with ``b[j0:j1]`` (a named tuple:
    thousands are made per alignment, and a tuple is several times cheaper to build)."""

    i0: int
    i1: int
    j0: int
    j1: int
    sim: float
    """Similarity of the two groups, 0..1."""
    weight: float
    """What pairing them adds to the alignment's total (always > 0)."""


@dataclass(slots=True)
class Groups:
    """Candidate groups ``a[i0:i0+k]`` with ``b[j0:j0+ell]``, as parallel arrays."""

    i0: NDArray[np.intp]
    k: NDArray[np.intp]
    j0: NDArray[np.intp]
    ell: NDArray[np.intp]
    sim: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    """Similarity (0..1) of each group, once known."""

    def __len__(self) -> int:
        return len(self.i0)

    def select(self, mask: NDArray[np.bool_]) -> Groups:
        """The groups where ``mask`` holds, in the same order."""
        sim = self.sim[mask] if len(self.sim) else self.sim
        return Groups(self.i0[mask], self.k[mask], self.j0[mask], self.ell[mask], sim)


class Keys:
    """Comparison keys of the sentences of both texts (one shared word code table)."""

    def __init__(self, a_sents: list[str], b_sents: list[str]) -> None:
        self._codes: dict[str, str] = {}
        a_tokens = [[fold(w) for w in words(s)] for s in a_sents]
        b_tokens = [[fold(w) for w in words(s)] for s in b_sents]
        self.a_chars = [_char_key(s, t) for s, t in zip(a_sents, a_tokens, strict=True)]
        self.b_chars = [_char_key(s, t) for s, t in zip(b_sents, b_tokens, strict=True)]
        self.a_words = [self._word_key(t, c) for t, c in zip(a_tokens, self.a_chars, strict=True)]
        self.b_words = [self._word_key(t, c) for t, c in zip(b_tokens, self.b_chars, strict=True)]
        self._a_cum = _cumulative(len(k) for k in self.a_chars)
        self._b_cum = _cumulative(len(k) for k in self.b_chars)
        self._cums = [np.asarray(_cumulative(len(k) for k in self._keys(kind)), dtype=np.intp)
                      for kind in range(4)]
        self._joined: dict[tuple[int, int], list[str]] = {}

    def _word_key(self, tokens: list[str], char_key: str) -> str:
        """One character per word (``tokens``: the folded words), the same character for
        the same word."""
        if not tokens:
            return char_key
        return "".join(self._code(t) for t in tokens)

    def _code(self, token: str) -> str:
        code = self._codes.get(token)
        if code is None:
            point = 0x100 + len(self._codes)
            code = chr(point if point < 0xD800 else point + 0x800)  # skip surrogates
            self._codes[token] = code
        return code

    def matrix(self) -> NDArray[np.float32]:
        """Similarity (0..100) of every left sentence with every right sentence."""
        if not self.a_chars or not self.b_chars:
            return np.zeros((len(self.a_chars), len(self.b_chars)), dtype=np.float32)
        chars = process.cdist(self.a_chars, self.b_chars, scorer=fuzz.ratio, dtype=np.float32)
        wrds = process.cdist(self.a_words, self.b_words, scorer=fuzz.ratio, dtype=np.float32)
        result: NDArray[np.float32] = (chars + wrds) / 2
        return result

    def group_sim(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Similarity (0..1) of sentences ``a[i0:i1]`` taken together with ``b[j0:j1]``."""
        ac = " ".join(self.a_chars[i0:i1])
        bc = " ".join(self.b_chars[j0:j1])
        aw = "".join(self.a_words[i0:i1])
        bw = "".join(self.b_words[j0:j1])
        return float(fuzz.ratio(ac, bc) + fuzz.ratio(aw, bw)) / 200.0

    def group_len(self, i0: int, i1: int, j0: int, j1: int) -> int:
        """Characters in both groups' keys: how much text a pairing accounts for."""
        return self._a_cum[i1] - self._a_cum[i0] + self._b_cum[j1] - self._b_cum[j0]

    def group_sims(self, groups: Groups) -> NDArray[np.float64]:
        """:meth:`group_sim` of every group, computed in one pass."""
        if not len(groups):
            return np.zeros(0)
        ac = self._pick(0, groups.i0, groups.k)
        bc = self._pick(1, groups.j0, groups.ell)
        aw = self._pick(2, groups.i0, groups.k)
        bw = self._pick(3, groups.j0, groups.ell)
        return (_ratios(ac, bc) + _ratios(aw, bw)) / 200.0

    def group_lens(self, groups: Groups) -> NDArray[np.intp]:
        """:meth:`group_len` of every group."""
        a_cum, b_cum = self._cums[0], self._cums[1]
        result: NDArray[np.intp] = (a_cum[groups.i0 + groups.k] - a_cum[groups.i0]
                                    + b_cum[groups.j0 + groups.ell] - b_cum[groups.j0])
        return result

    def key_lens(self, groups: Groups) -> tuple[NDArray[np.intp], ...]:
        """Lengths of the four keys :meth:`group_sim` compares: left and right character
        keys (joined by spaces), left and right word keys."""
        return tuple(self._lens(kind, start, size) for kind, start, size in (
            (0, groups.i0, groups.k), (1, groups.j0, groups.ell),
            (2, groups.i0, groups.k), (3, groups.j0, groups.ell)))

    def _lens(self, kind: int, start: NDArray[np.intp], size: NDArray[np.intp]
              ) -> NDArray[np.intp]:
        cum = self._cums[kind]
        spaces = size - 1 if kind < 2 else 0
        result: NDArray[np.intp] = cum[start + size] - cum[start] + spaces
        return result

    def _keys(self, kind: int) -> list[str]:
        """0: left character keys, 1: right character keys, 2/3: left/right word keys."""
        return (self.a_chars, self.b_chars, self.a_words, self.b_words)[kind]

    def _pick(self, kind: int, start: NDArray[np.intp], size: NDArray[np.intp]) -> list[str]:
        """The joined keys of ``kind`` (see :meth:`_keys`) of each ``[start, start+size)``."""
        tables: dict[int, list[str]] = {}
        for k in np.unique(size).tolist():
            tables[k] = self._joined_keys(kind, k)
        return [tables[k][i] for i, k in zip(start.tolist(), size.tolist(), strict=True)]

    def _joined_keys(self, kind: int, size: int) -> list[str]:
        """Keys of ``kind`` of every ``size`` consecutive sentences, joined as in
        :meth:`group_sim` (character keys by a space, word keys by nothing)."""
        found = self._joined.get((kind, size))
        if found is None:
            keys, sep = self._keys(kind), " " if kind < 2 else ""
            found = [sep.join(keys[i:i + size]) for i in range(len(keys) - size + 1)]
            self._joined[(kind, size)] = found
        return found


def _cumulative(values: Iterable[int]) -> list[int]:
    """Prefix sums, starting with 0."""
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


def _char_key(sentence: str, tokens: list[str]) -> str:
    """Folded words (``tokens``) joined by single spaces (the folded text itself when it has
    no words)."""
    if tokens:
        return " ".join(tokens)
    return fold(sentence.strip())


def block_weight(keys: Keys, i0: int, i1: int, j0: int, j1: int, sim: float,
                 threshold: float, merge_penalty: float) -> float:
    """Contribution of pairing ``a[i0:i1]`` with ``b[j0:j1]``: similarity over the threshold,
    times the text it covers, so long good matches count more than short ones; each extra
    merged sentence costs ``merge_penalty`` so merges win only when they clearly help."""
    extra = (i1 - i0) + (j1 - j0) - 2
    return (sim - threshold - merge_penalty * extra) * max(1, keys.group_len(i0, i1, j0, j1))


def candidate_blocks(keys: Keys, sims: NDArray[np.float32], threshold: float,
                     merge_floor: float, merge_penalty: float) -> list[Block]:
    """Every pairing worth considering: 1:1 pairs over ``threshold`` and merged groups
    (see :data:`MERGE_SHAPES`) with one part over ``merge_floor`` (both 0..1).

    Blocks come 1:1 pairs first (row by row), then merged groups in the order the pairs
    that suggest them are met; :func:`tui.core.align_chain.best_chain` breaks ties by it.
    """
    pairs = sims >= threshold * 100
    near = (sims >= merge_floor * 100) & (sims < MERGE_CEILING * 100)
    n, m = sims.shape
    if int(pairs.sum()) + int(near.sum()) > CANDIDATE_BUDGET * (n + m):
        keep = _nearest_best(sims, CANDIDATES_PER_SENTENCE)
        pairs &= keep
        near &= keep
    ii, jj = np.nonzero(pairs)
    ones = np.ones_like(ii)
    single = Groups(ii, ones, jj, ones, sims[ii, jj].astype(np.float64) / 100.0)
    # (near excludes pairs that already match almost fully: a merge gains them nothing.)
    merged = merged_groups(near)
    merged = merged.select(_may_gain(keys, merged, threshold, merge_penalty))
    merged.sim = keys.group_sims(merged)
    return [*_blocks(keys, single, threshold, merge_penalty),
            *_blocks(keys, merged, threshold, merge_penalty)]


def _nearest_best(sims: NDArray[np.float32], k: int) -> NDArray[np.bool_]:
    """Mask of each sentence's ``k`` best counterparts on either side, ties going to those
    nearest the diagonal: texts full of near-identical sentences ("Read more.", "Yes.")
    would otherwise give a quadratic number of candidates."""
    n, m = sims.shape
    rows = np.arange(n, dtype=np.float32)[:, None] * (m / max(n, 1))
    cols = np.arange(m, dtype=np.float32)[None, :]
    adjusted = sims - 5.0 * np.abs(rows - cols) / max(n, m, 1)
    keep = np.zeros(sims.shape, dtype=bool)
    if m > k:
        best_j = np.argpartition(-adjusted, k, axis=1)[:, :k]
        keep[np.arange(n)[:, None], best_j] = True
    else:
        keep[:, :] = True
    if n > k:
        best_i = np.argpartition(-adjusted, k, axis=0)[:k, :]
        keep[best_i, np.arange(m)[None, :]] = True
    return keep


def merged_groups(near: NDArray[np.bool_]) -> Groups:
    """Every merged group (of :data:`MERGE_SHAPES`) holding a pair marked in ``near``, once,
    in the order first met: pairs row by row; around each, shapes in order, then by
    first left and first right sentence."""
    n, m = near.shape
    ii, jj = np.nonzero(near)
    i0 = (ii[:, None] - _SLOTS[:, 0] + 1 + _SLOTS[:, 2]).ravel()
    j0 = (jj[:, None] - _SLOTS[:, 1] + 1 + _SLOTS[:, 3]).ravel()
    k = np.tile(_SLOTS[:, 0], len(ii))
    ell = np.tile(_SLOTS[:, 1], len(ii))
    inside = (i0 >= 0) & (j0 >= 0) & (i0 + k <= n) & (j0 + ell <= m)
    i0, j0, k, ell = i0[inside], j0[inside], k[inside], ell[inside]
    code = ((i0 * (m + 1) + j0) * 4 + k) * 4 + ell
    first = np.sort(np.unique(code, return_index=True)[1])
    return Groups(i0[first], k[first], j0[first], ell[first])


def _may_gain(keys: Keys, groups: Groups, threshold: float,
              merge_penalty: float) -> NDArray[np.bool_]:
    """False for groups whose key lengths alone keep them too dissimilar to add weight.

    ``fuzz.ratio`` of two strings is at most ``100·(1 - |la-lb|/(la+lb))`` (their indel
    distance is at least the difference of their lengths), so a group whose two bounds
    fall short of ``threshold`` plus the merge penalty would get a weight <= 0 anyway.
    """
    ca, cb, wa, wb = keys.key_lens(groups)
    bound = _ratio_bound(ca, cb) + _ratio_bound(wa, wb)
    need = 200.0 * (threshold + merge_penalty * (groups.k + groups.ell - 2))
    result: NDArray[np.bool_] = bound >= need - 1e-6
    return result


def _ratio_bound(la: NDArray[np.intp], lb: NDArray[np.intp]) -> NDArray[np.float64]:
    """Upper bound of ``fuzz.ratio`` of strings of lengths ``la`` and ``lb``."""
    total = la + lb
    bound = 100.0 * (1.0 - np.abs(la - lb) / np.maximum(total, 1))
    result: NDArray[np.float64] = np.where(total == 0, 100.0, bound)
    return result


def _blocks(keys: Keys, groups: Groups, threshold: float, merge_penalty: float) -> list[Block]:
    """Blocks of the groups that add weight (:func:`block_weight`, in one pass)."""
    if not len(groups):
        return []
    extra = groups.k + groups.ell - 2
    weight = (groups.sim - threshold - merge_penalty * extra) * np.maximum(
        1, keys.group_lens(groups))
    good = weight > 0
    i0, j0 = groups.i0[good], groups.j0[good]
    fields = (i0, i0 + groups.k[good], j0, j0 + groups.ell[good], groups.sim[good],
              weight[good])
    return list(map(Block._make, zip(*(f.tolist() for f in fields), strict=True)))


def _ratios(xs: Sequence[str], ys: Sequence[str]) -> NDArray[np.float64]:
    """``fuzz.ratio`` of each pair ``(xs[k], ys[k])``."""
    if hasattr(process, "cpdist"):  # rapidfuzz >= 3.6
        result: NDArray[np.float64] = process.cpdist(xs, ys, scorer=fuzz.ratio,
                                                     dtype=np.float64)
        return result
    return np.array([fuzz.ratio(x, y) for x, y in zip(xs, ys, strict=True)], dtype=np.float64)
