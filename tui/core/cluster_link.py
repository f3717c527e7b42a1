"""Graph helpers for story clustering: linked groups and average-linkage merging."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from tui.core.dedup_score import PairScore

Pair = tuple[str, str]


def components(ids: Sequence[str], links: Sequence[Pair], scored: Mapping[Pair, PairScore],
               threshold: float, max_size: int) -> list[list[str]]:
    """Connected groups of ``ids`` joined by ``links``, none larger than ``max_size``.

    A group that is too large is split by dropping its weakest links (raising the threshold
    step by step); links missing from ``scored`` (a user's merges) are never dropped.
    """
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    out: list[list[str]] = []
    for group in groups.values():
        if len(group) <= max_size or threshold >= 1.0:
            out.append(group)
            continue
        inside = set(group)
        stronger = threshold + 0.05
        sub = [(a, b) for a, b in links if a in inside and b in inside
               and ((a, b) not in scored or scored[(a, b)].score >= stronger)]
        out.extend(components(group, sub, scored, stronger, max_size))
    return out


def average_linkage(sim: npt.NDArray[np.float64], threshold: float,
                    must: Sequence[tuple[int, int]] = (),
                    cannot: Sequence[tuple[int, int]] = ()) -> list[int]:
    """Agglomerative clustering with average linkage over a dense similarity matrix.

    Two clusters merge while the mean similarity over all their cross pairs is at least
    ``threshold`` (unknown pairs are 0). ``must`` pairs start in one cluster; clusters
    holding a ``cannot`` pair never merge.

    Returns:
        A cluster label per row of ``sim``.
    """
    n = len(sim)
    label = list(range(n))
    for a, b in must:
        old, new = label[b], label[a]
        label = [new if x == old else x for x in label]
    roots = sorted(set(label))
    index = {r: k for k, r in enumerate(roots)}
    member = np.zeros((len(roots), n))
    for i, lab in enumerate(label):
        member[index[lab], i] = 1.0
    total = member @ sim @ member.T
    size = member.sum(axis=1)
    banned = np.zeros((len(roots), len(roots)), bool)
    for a, b in cannot:
        ia, ib = index[label[a]], index[label[b]]
        banned[ia, ib] = banned[ib, ia] = True
    alive = np.ones(len(roots), bool)
    while alive.sum() > 1:
        link = total / np.outer(size, size)
        link[~alive, :] = -1.0
        link[:, ~alive] = -1.0
        link[banned] = -1.0
        np.fill_diagonal(link, -1.0)
        flat = int(np.argmax(link))
        i, j = divmod(flat, len(link))
        if link[i, j] < threshold:
            break
        total[i, :] += total[j, :]
        total[:, i] += total[:, j]
        size[i] += size[j]
        banned[i, :] |= banned[j, :]
        banned[:, i] |= banned[:, j]
        alive[j] = False
        member[i] += member[j]
    groups = np.argmax(member * alive[:, None], axis=0)
    return [int(g) for g in groups]
