"""The aligner's candidate pairings and best chain (tui.core.align_candidates, align_chain), and
the word diff's shortcut for identical rows, checked against plain reference versions."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.align import MERGE_FLOOR, MERGE_PENALTY, PAIR_THRESHOLD
from tui.core.align_candidates import _may_gain, block_weight, candidate_blocks, merged_groups
from tui.core.align_chain import best_chain
from tui.core.align_diff import _all_equal, _token_diff, word_diff
from tui.core.align_score import (
    MERGE_CEILING,
    MERGE_SHAPES,
    Block,
    Groups,
    Keys,
)
from tui.core.align_synth import damaged_copy, synthetic_report
from tui.core.text import sentence_spans

TEMPLATES = [
    "At least {n} people were killed in the storm in {p}, officials said.",
    "{p}, a city of about {n} inhabitants, saw rescuers gather near the river.",
    "The storm began early in the morning, according to witnesses in {p}.",
    "Damage was estimated at ${n} million, with roads among the worst hit.",
]


def _keys(a: str, b: str) -> tuple[Keys, np.ndarray]:
    sa, sb = sentence_spans(a), sentence_spans(b)
    keys = Keys([a[s:e] for s, e in sa], [b[s:e] for s, e in sb])
    return keys, keys.matrix()


def _repetitive(seed: int, count: int) -> str:
    """News-like text made of a few templates: many near-identical sentences."""
    rng = random.Random(seed)
    return " ".join(rng.choice(TEMPLATES).format(n=rng.choice([3, 12, 40, 1200]),
                                                 p=rng.choice(["Oslo", "Lima", "Riga"]))
                    for _ in range(count))


def _pairs_of_texts() -> list[tuple[str, str]]:
    out = []
    for seed in range(4):
        a = synthetic_report(150 + 200 * seed, seed=seed)
        out.append((a, damaged_copy(a, seed=seed + 10)))
        r = _repetitive(seed, 20 + 15 * seed)
        out.append((r, damaged_copy(r, seed=seed)))
        out.append((r, _repetitive(seed + 50, 30)))
    long = _repetitive(9, 80)  # enough look-alike pairs to keep only the best per sentence
    out.append((long, damaged_copy(long, seed=1)))
    out.append(("", "One sentence."))
    return out


def _groups_around(i: int, j: int, n: int, m: int) -> list[tuple[int, int, int, int]]:
    """Reference: the merged groups holding the pair ``(i, j)``, in their defined order."""
    out = []
    for k, ell in MERGE_SHAPES:
        for i0 in range(i - k + 1, i + 1):
            for j0 in range(j - ell + 1, j + 1):
                if i0 >= 0 and j0 >= 0 and i0 + k <= n and j0 + ell <= m:
                    out.append((i0, i0 + k, j0, j0 + ell))
    return out


def _reference_blocks(keys: Keys, sims: np.ndarray) -> list[Block]:
    """Reference: candidate_blocks one pair and one group at a time (its first version)."""
    from tui.core.align_candidates import _nearest_best
    from tui.core.align_score import CANDIDATE_BUDGET, CANDIDATES_PER_SENTENCE

    pairs = sims >= PAIR_THRESHOLD * 100
    near = (sims >= MERGE_FLOOR * 100) & (sims < MERGE_CEILING * 100)
    n, m = sims.shape
    if int(pairs.sum()) + int(near.sum()) > CANDIDATE_BUDGET * (n + m):
        keep = _nearest_best(sims, CANDIDATES_PER_SENTENCE)
        pairs &= keep
        near &= keep
    blocks = []
    for i, j in zip(*np.nonzero(pairs), strict=True):
        i, j = int(i), int(j)
        sim = float(sims[i, j]) / 100.0
        w = block_weight(keys, i, i + 1, j, j + 1, sim, PAIR_THRESHOLD, MERGE_PENALTY)
        if w > 0:
            blocks.append(Block(i, i + 1, j, j + 1, sim, w))
    seen: set[tuple[int, int, int, int]] = set()
    for i, j in zip(*np.nonzero(near), strict=True):
        for group in _groups_around(int(i), int(j), n, m):
            if group in seen:
                continue
            seen.add(group)
            sim = keys.group_sim(*group)
            w = block_weight(keys, *group, sim, PAIR_THRESHOLD, MERGE_PENALTY)
            if w > 0:
                blocks.append(Block(*group, sim, w))
    return blocks


@pytest.mark.parametrize("pair", range(len(_pairs_of_texts())))
def test_candidate_blocks_match_the_reference(pair: int) -> None:
    keys, sims = _keys(*_pairs_of_texts()[pair])
    expected = _reference_blocks(keys, sims)
    got = candidate_blocks(keys, sims, PAIR_THRESHOLD, MERGE_FLOOR, MERGE_PENALTY)
    assert got == expected  # same blocks, same order (best_chain breaks ties by it)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.integers(0, 2**32 - 1))
def test_merged_groups_once_each_in_first_met_order(n: int, m: int, seed: int) -> None:
    near = np.random.default_rng(seed).random((n, m)) < 0.3
    expected: list[tuple[int, int, int, int]] = []
    for i, j in zip(*np.nonzero(near), strict=True):
        expected += [g for g in _groups_around(int(i), int(j), n, m) if g not in expected]
    g = merged_groups(near)
    got = list(zip((g.i0).tolist(), (g.i0 + g.k).tolist(), g.j0.tolist(),
                   (g.j0 + g.ell).tolist(), strict=True))
    assert got == expected


def _all_groups(n: int, m: int) -> Groups:
    return merged_groups(np.ones((n, m), dtype=bool))


def test_group_arrays_agree_with_the_single_group_methods() -> None:
    a = _repetitive(1, 12)
    keys, _ = _keys(a, damaged_copy(a, seed=3))
    groups = _all_groups(len(keys.a_chars), len(keys.b_chars))
    sims, lens = keys.group_sims(groups), keys.group_lens(groups)
    ca, cb, wa, wb = keys.key_lens(groups)
    for n, (i0, k, j0, ell) in enumerate(zip(groups.i0.tolist(), groups.k.tolist(),
                                             groups.j0.tolist(), groups.ell.tolist(),
                                             strict=True)):
        assert sims[n] == keys.group_sim(i0, i0 + k, j0, j0 + ell)
        assert lens[n] == keys.group_len(i0, i0 + k, j0, j0 + ell)
        assert ca[n] == len(" ".join(keys.a_chars[i0:i0 + k]))
        assert cb[n] == len(" ".join(keys.b_chars[j0:j0 + ell]))
        assert wa[n] == len("".join(keys.a_words[i0:i0 + k]))
        assert wb[n] == len("".join(keys.b_words[j0:j0 + ell]))
    assert len(keys.group_sims(groups.select(np.zeros(len(groups), dtype=bool)))) == 0


@pytest.mark.parametrize("pair", range(len(_pairs_of_texts())))
def test_length_bound_only_drops_groups_that_add_nothing(pair: int) -> None:
    keys, _ = _keys(*_pairs_of_texts()[pair])
    groups = _all_groups(len(keys.a_chars), len(keys.b_chars))
    if not len(groups):
        return
    kept = _may_gain(keys, groups, PAIR_THRESHOLD, MERGE_PENALTY)
    sims = keys.group_sims(groups)
    for n in np.nonzero(~kept)[0].tolist():
        i0, k, j0, ell = (int(x[n]) for x in (groups.i0, groups.k, groups.j0, groups.ell))
        assert block_weight(keys, i0, i0 + k, j0, j0 + ell, float(sims[n]),
                            PAIR_THRESHOLD, MERGE_PENALTY) <= 0


def _brute_chain_total(blocks: list[Block]) -> float:
    """Reference: the heaviest chain's weight by an O(k²) dynamic programme."""
    order = sorted(blocks, key=lambda b: (b.i0, b.j0))
    best: list[float] = []
    for n, b in enumerate(order):
        before = [best[p] for p in range(n) if order[p].i1 <= b.i0 and order[p].j1 <= b.j0]
        best.append(b.weight + max(before, default=0.0))
    return max(best, default=0.0)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(1, 3), st.integers(0, 12),
                          st.integers(1, 3), st.integers(1, 50)), max_size=40))
def test_best_chain_is_the_heaviest_monotonic_chain(raw: list[tuple[int, ...]]) -> None:
    blocks = [Block(i, i + k, j, j + ell, 0.5, float(w)) for i, k, j, ell, w in raw]
    chain = best_chain(blocks, 16)
    for x, y in zip(chain, chain[1:], strict=False):
        assert x.i1 <= y.i0 and x.j1 <= y.j0
    assert sum(b.weight for b in chain) == pytest.approx(_brute_chain_total(blocks))


TEXTS = ["", "...", "One.", "Hello thereWorld, said Dr. Smith.", "Gəncə   and\tGanja!",
         "thatAzerbaijan's saiduploading  a  b", "Straße ß STRASSE", "ﬁne “quotes” — dash"]


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.sampled_from(TEXTS), st.text(max_size=80),
                 st.lists(st.sampled_from(TEXTS), max_size=5).map(" ".join)))
def test_identical_rows_skip_the_diff_but_give_the_same_ops(text: str) -> None:
    assert _all_equal(text) == _token_diff(text, text)
    assert word_diff(text, str(text)) == _token_diff(text, text)
