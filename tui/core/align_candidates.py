"""Candidate pairings for the aligner: which sentences (or merged groups of two or three)
of two reports may pair, with their similarity and weight (:mod:`tui.core.align`).

Keys and similarity live in :mod:`tui.core.align_score`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tui.core.align_score import (
    _SLOTS,
    CANDIDATE_BUDGET,
    CANDIDATES_PER_SENTENCE,
    MERGE_CEILING,
    Block,
    Groups,
    Keys,
)


def block_weight(keys: Keys, i0: int, i1: int, j0: int, j1: int, sim: float,
                 threshold: float, merge_penalty: float) -> float:
    """Contribution of pairing ``a[i0:i1]`` with ``b[j0:j1]``: similarity over the threshold,
    times the text it covers, so long good matches count more than short ones; each extra
    merged sentence costs ``merge_penalty`` so merges win only when they clearly help."""
    extra = (i1 - i0) + (j1 - j0) - 2
    return (sim - threshold - merge_penalty * extra) * max(1, keys.group_len(i0, i1, j0, j1))


@dataclass(slots=True)
class Candidates:
    """Candidate blocks as parallel arrays (see :class:`Block` for the fields), in order."""

    i0: NDArray[np.intp]
    i1: NDArray[np.intp]
    j0: NDArray[np.intp]
    j1: NDArray[np.intp]
    sim: NDArray[np.float64]
    weight: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.i0)

    def blocks(self, which: Sequence[int] | None = None) -> list[Block]:
        """The blocks (only those at indices ``which``, when given), as :class:`Block`."""
        fields = (self.i0, self.i1, self.j0, self.j1, self.sim, self.weight)
        if which is not None:
            index = np.asarray(which, dtype=np.intp)
            fields = tuple(f[index] for f in fields)  # type: ignore[assignment]
        return list(map(Block._make, zip(*(f.tolist() for f in fields), strict=True)))


def candidate_blocks(keys: Keys, sims: NDArray[np.float32], threshold: float,
                     merge_floor: float, merge_penalty: float) -> list[Block]:
    """:func:`candidate_arrays` as a list of :class:`Block`."""
    return candidate_arrays(keys, sims, threshold, merge_floor, merge_penalty).blocks()


def candidate_arrays(keys: Keys, sims: NDArray[np.float32], threshold: float,
                     merge_floor: float, merge_penalty: float) -> Candidates:
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
    parts = [_weighted(keys, g, threshold, merge_penalty) for g in (single, merged)]
    return Candidates(*(np.concatenate(f) for f in zip(*parts, strict=True)))


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


def _weighted(keys: Keys, groups: Groups, threshold: float, merge_penalty: float
              ) -> tuple[NDArray[Any], ...]:
    """``(i0, i1, j0, j1, sim, weight)`` of the groups that add weight
    (:func:`block_weight`, in one pass)."""
    extra = groups.k + groups.ell - 2
    weight = (groups.sim - threshold - merge_penalty * extra) * np.maximum(
        1, keys.group_lens(groups))
    good = weight > 0
    i0, j0 = groups.i0[good], groups.j0[good]
    return (i0, i0 + groups.k[good], j0, j0 + groups.ell[good], groups.sim[good],
            weight[good])
