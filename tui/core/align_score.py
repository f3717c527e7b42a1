"""Similarity of sentences and sentence groups, for the aligner (:mod:`tui.core.align`).

A sentence is compared through two keys: its folded words joined by spaces (character
similarity, robust to typos and glued words) and its words coded one character per distinct
word (word similarity, which keeps unrelated sentences that share letters apart). The
similarity of two keys is the mean of both RapidFuzz ratios, on a 0..1 scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Block:
    """A candidate pairing of sentences ``a[i0:i1]`` with ``b[j0:j1]``."""

    i0: int
    i1: int
    j0: int
    j1: int
    sim: float
    """Similarity of the two groups, 0..1."""
    weight: float
    """What pairing them adds to the alignment's total (always > 0)."""


class Keys:
    """Comparison keys of the sentences of both texts (one shared word code table)."""

    def __init__(self, a_sents: list[str], b_sents: list[str]) -> None:
        self._codes: dict[str, str] = {}
        self.a_chars = [_char_key(s) for s in a_sents]
        self.b_chars = [_char_key(s) for s in b_sents]
        self.a_words = [self._word_key(s, c) for s, c in zip(a_sents, self.a_chars, strict=True)]
        self.b_words = [self._word_key(s, c) for s, c in zip(b_sents, self.b_chars, strict=True)]
        self._a_cum = _cumulative(len(k) for k in self.a_chars)
        self._b_cum = _cumulative(len(k) for k in self.b_chars)

    def _word_key(self, sentence: str, char_key: str) -> str:
        """One character per word, the same character for the same folded word."""
        tokens = [fold(w) for w in words(sentence)]
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


def _cumulative(values: Iterable[int]) -> list[int]:
    """Prefix sums, starting with 0."""
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


def _char_key(sentence: str) -> str:
    """Folded words joined by single spaces (the folded text itself when it has no words)."""
    tokens = words(sentence)
    if tokens:
        return " ".join(fold(t) for t in tokens)
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
    (see :data:`MERGE_SHAPES`) with one part over ``merge_floor`` (both 0..1)."""
    pairs = sims >= threshold * 100
    near = (sims >= merge_floor * 100) & (sims < MERGE_CEILING * 100)
    n, m = sims.shape
    if int(pairs.sum()) + int(near.sum()) > CANDIDATE_BUDGET * (n + m):
        keep = _nearest_best(sims, CANDIDATES_PER_SENTENCE)
        pairs &= keep
        near &= keep
    blocks: list[Block] = []
    for i, j in zip(*np.nonzero(pairs), strict=True):
        i, j = int(i), int(j)
        sim = float(sims[i, j]) / 100.0
        weight = block_weight(keys, i, i + 1, j, j + 1, sim, threshold, merge_penalty)
        if weight > 0:
            blocks.append(Block(i, i + 1, j, j + 1, sim, weight))
    seen: set[tuple[int, int, int, int]] = set()
    # (near excludes pairs that already match almost fully: a merge gains them nothing.)
    for i, j in zip(*np.nonzero(near), strict=True):
        for i0, i1, j0, j1 in _groups_around(int(i), int(j), n, m):
            if (i0, i1, j0, j1) in seen:
                continue
            seen.add((i0, i1, j0, j1))
            sim = keys.group_sim(i0, i1, j0, j1)
            weight = block_weight(keys, i0, i1, j0, j1, sim, threshold, merge_penalty)
            if weight > 0:
                blocks.append(Block(i0, i1, j0, j1, sim, weight))
    return blocks


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


def _groups_around(i: int, j: int, n: int, m: int) -> list[tuple[int, int, int, int]]:
    """Merged groups (of :data:`MERGE_SHAPES`) that contain the sentence pair ``(i, j)``."""
    out = []
    for k, ell in MERGE_SHAPES:
        for i0 in range(i - k + 1, i + 1):
            for j0 in range(j - ell + 1, j + 1):
                if i0 >= 0 and j0 >= 0 and i0 + k <= n and j0 + ell <= m:
                    out.append((i0, i0 + k, j0, j0 + ell))
    return out
