"""The best monotonic chain of candidate pairings (sparse dynamic programming).

Skipping a sentence costs nothing, so the best alignment is the chain of non-overlapping
pairings, each after the previous one on both sides, with the largest total weight. Solving
it over the sparse candidates with a prefix-maximum tree costs O(k log m) for k candidates,
instead of the O(n·m) table of a Needleman–Wunsch run over every pair of sentences.
"""

from __future__ import annotations

from tui.core.align_score import Block


def best_chain(blocks: list[Block], b_count: int) -> list[Block]:
    """Return the heaviest chain of blocks strictly increasing on both sides, in order.

    Blocks are taken by first left sentence (heaviest first among equals); a block may
    follow every block ending on the left at or before its start, and the best of those
    ending on the right at or before its own right start comes from a Fenwick tree of
    prefix maxima over right positions (ties keep the block found first).
    """
    if not blocks:
        return []
    i0, i1 = [b.i0 for b in blocks], [b.i1 for b in blocks]
    j0, j1 = [b.j0 for b in blocks], [b.j1 for b in blocks]
    weight = [b.weight for b in blocks]
    keys = [(a, -w) for a, w in zip(i0, weight, strict=True)]
    order = sorted(range(len(blocks)), key=keys.__getitem__)
    by_end = sorted(range(len(blocks)), key=i1.__getitem__)
    best = [0.0] * (b_count + 1)  # the Fenwick tree: best total reached ...
    best_at = [-1] * (b_count + 1)  # ... and by which block
    total = [0.0] * len(blocks)
    parent = [-1] * len(blocks)
    inserted = 0
    for k in order:
        # Blocks ending at or before this one's first left sentence may precede it.
        while inserted < len(by_end) and i1[by_end[inserted]] <= i0[k]:
            done = by_end[inserted]
            _offer(best, best_at, j1[done], total[done], done)
            inserted += 1
        pos, before, found = j0[k], 0.0, -1
        while pos > 0:  # the best total over right positions 1..j0
            if best[pos] > before:
                before, found = best[pos], best_at[pos]
            pos -= pos & -pos
        parent[k] = found
        total[k] = before + weight[k]
    return _trace(blocks, total, parent)


def _offer(best: list[float], best_at: list[int], pos: int, value: float, index: int) -> None:
    """Record that block ``index`` reaches ``value`` ending at right position ``pos``."""
    size = len(best) - 1
    while pos <= size:
        if value > best[pos]:
            best[pos] = value
            best_at[pos] = index
        pos += pos & -pos


def _trace(blocks: list[Block], total: list[float], parent: list[int]) -> list[Block]:
    """Follow parent links back from the heaviest chain end."""
    k = max(range(len(blocks)), key=total.__getitem__)
    chain: list[Block] = []
    while k >= 0:
        chain.append(blocks[k])
        k = parent[k]
    chain.reverse()
    return chain
