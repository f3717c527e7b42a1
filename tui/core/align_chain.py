"""The best monotonic chain of candidate pairings (sparse dynamic programming).

Skipping a sentence costs nothing, so the best alignment is the chain of non-overlapping
pairings, each after the previous one on both sides, with the largest total weight. Solving
it over the sparse candidates with a prefix-maximum tree costs O(k log m) for k candidates,
instead of the O(n·m) table of a Needleman–Wunsch run over every pair of sentences.
"""

from __future__ import annotations

from tui.core.align_score import Block


class _PrefixMax:
    """Fenwick tree answering "best value among positions <= p" with the block index."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._value = [0.0] * (size + 1)
        self._index = [-1] * (size + 1)

    def update(self, pos: int, value: float, index: int) -> None:
        """Offer ``value`` (reached by block ``index``) at position ``pos`` (1-based)."""
        while pos <= self._size:
            if value > self._value[pos]:
                self._value[pos] = value
                self._index[pos] = index
            pos += pos & -pos

    def query(self, pos: int) -> tuple[float, int]:
        """Best ``(value, index)`` over positions ``1..pos`` (``(0.0, -1)`` when none)."""
        best, index = 0.0, -1
        while pos > 0:
            if self._value[pos] > best:
                best, index = self._value[pos], self._index[pos]
            pos -= pos & -pos
        return best, index


def best_chain(blocks: list[Block], b_count: int) -> list[Block]:
    """Return the heaviest chain of blocks strictly increasing on both sides, in order."""
    if not blocks:
        return []
    order = sorted(range(len(blocks)), key=lambda k: (blocks[k].i0, -blocks[k].weight))
    by_end = sorted(range(len(blocks)), key=lambda k: blocks[k].i1)
    tree = _PrefixMax(b_count)
    total = [0.0] * len(blocks)
    parent = [-1] * len(blocks)
    inserted = 0
    for k in order:
        block = blocks[k]
        # Blocks ending at or before this one's first left sentence may precede it.
        while inserted < len(by_end) and blocks[by_end[inserted]].i1 <= block.i0:
            done = by_end[inserted]
            tree.update(blocks[done].j1, total[done], done)
            inserted += 1
        before, parent[k] = tree.query(block.j0)
        total[k] = before + block.weight
    return _trace(blocks, total, parent)


def _trace(blocks: list[Block], total: list[float], parent: list[int]) -> list[Block]:
    """Follow parent links back from the heaviest chain end."""
    k = max(range(len(blocks)), key=total.__getitem__)
    chain: list[Block] = []
    while k >= 0:
        chain.append(blocks[k])
        k = parent[k]
    chain.reverse()
    return chain
