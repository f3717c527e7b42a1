"""The best monotonic chain of candidate pairings (sparse dynamic programming).

Skipping a sentence costs nothing, so the best alignment is the chain of non-overlapping
pairings, each after the previous one on both sides, with the largest total weight. Solving
it over the sparse candidates with a prefix-maximum tree costs O(k log m) for k candidates,
instead of the O(n·m) table of a Needleman–Wunsch run over every pair of sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tui.core.align_score import Block


def best_chain(blocks: list[Block], b_count: int) -> list[Block]:
    """Return the heaviest chain of blocks strictly increasing on both sides, in order
    (see :func:`chain_order`)."""
    if not blocks:
        return []
    i0, i1, j0, j1, _sim, weight = (list(f) for f in zip(*blocks, strict=True))
    return [blocks[k] for k in chain_order(i0, i1, j0, j1, weight, b_count)]


def chain_order(i0: Sequence[int], i1: Sequence[int], j0: Sequence[int], j1: Sequence[int],
                weight: Sequence[float], b_count: int) -> list[int]:
    """The indices of the heaviest chain of the blocks ``a[i0:i1]`` with ``b[j0:j1]``
    (parallel lists), in order.

    Blocks are taken by first left sentence (heaviest first among equals); a block may
    follow every block ending on the left at or before its start, and the best of those
    ending on the right at or before its own right start comes from a Fenwick tree of
    prefix maxima over right positions (ties keep the block found first).
    """
    count = len(i0)
    if not count:
        return []
    order: list[int] = np.lexsort((-np.asarray(weight, dtype=np.float64),
                                   np.asarray(i0))).tolist()
    by_end: list[int] = np.argsort(np.asarray(i1), kind="stable").tolist()
    ends = [i1[k] for k in by_end]
    best = [0.0] * (b_count + 1)  # the Fenwick tree: best total reached ...
    best_at = [-1] * (b_count + 1)  # ... and by which block
    total = [0.0] * count
    parent = [-1] * count
    inserted = 0
    # One loop with the tree walks written out: this runs for thousands of blocks per
    # comparison, and function calls would double its time.
    for k in order:
        start = i0[k]
        # Blocks ending at or before this one's first left sentence may precede it.
        while inserted < count and ends[inserted] <= start:
            done = by_end[inserted]
            value, pos = total[done], j1[done]
            # Record that block `done` reaches `value` at `pos`. A node holds the best of
            # the nodes below it, so once one holds as much, so do all above: stop there.
            while pos <= b_count and value > best[pos]:
                best[pos] = value
                best_at[pos] = done
                pos += pos & -pos
            inserted += 1
        pos, before, found = j0[k], 0.0, -1
        while pos > 0:  # the best total over right positions 1..j0
            if best[pos] > before:
                before, found = best[pos], best_at[pos]
            pos -= pos & -pos
        parent[k] = found
        total[k] = before + weight[k]
    return _trace(total, parent)


def _trace(total: list[float], parent: list[int]) -> list[int]:
    """Follow parent links back from the heaviest chain end (the first, among equals)."""
    k = total.index(max(total))
    chain: list[int] = []
    while k >= 0:
        chain.append(k)
        k = parent[k]
    chain.reverse()
    return chain
