"""Grouping reports into stories, with copy groups inside each story.

Pipeline: candidate pairs from the :class:`~tui.core.cluster_index.CandidateIndex` (no
all-pairs comparison), precise scoring of each candidate (:func:`score_pair`), connected
groups of linked reports, then average-linkage merging inside each group: two partial
stories merge only when the *mean* score over all their member pairs is high enough, so one
stray link cannot chain two events together. Small groups have every pair scored exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from tui.core.cluster_config import ClusterConfig
from tui.core.cluster_index import CandidateIndex, Candidates
from tui.core.cluster_link import average_linkage, components
from tui.core.dedup import DocFeatures
from tui.core.dedup_batch import score_many
from tui.core.dedup_score import PairScore, Weights, score_pair

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
Pair = tuple[str, str]


class Cancelled(Exception):
    """Raised when the ``cancel`` callback asked clustering to stop."""


@dataclass(slots=True)
class Story:
    """Reports of one event: copy groups folded, independent reports side by side."""

    id: str
    """Stable id: ``s:`` plus the id of the earliest report (survives re-clustering)."""
    label: str
    """The title of the most central report."""
    articles: list[str]
    copies: list[list[str]]
    """Copy groups (two or more reports of the same text), representative first."""
    first_date: str | None
    last_date: str | None

    def to_json(self) -> dict[str, Any]:
        """The story in the CLI's JSON shape (plus dates)."""
        return {"id": self.id, "label": self.label, "articles": self.articles,
                "copies": self.copies, "first_date": self.first_date,
                "last_date": self.last_date}


@dataclass(slots=True)
class Clustering:
    """Stories (ordered by latest report) and the related pairs inside them."""

    stories: list[Story]
    pairs: list[PairScore]
    index: CandidateIndex | None = field(default=None, repr=False)
    """The candidate index the clustering was built with (for :func:`update`)."""

    def story_of(self) -> dict[str, str]:
        """Map every article id to its story id."""
        return {a: s.id for s in self.stories for a in s.articles}

    def to_json(self) -> dict[str, Any]:
        """``{"stories": [...], "pairs": [...]}`` as the CLI prints it."""
        return {"stories": [s.to_json() for s in self.stories],
                "pairs": [p.to_json() for p in self.pairs]}


def cluster(docs: Sequence[DocFeatures], config: ClusterConfig | None = None,
            progress: Progress | None = None, cancel: Cancel | None = None,
            must_link: Iterable[Pair] = (), cannot_link: Iterable[Pair] = (),
            index: CandidateIndex | None = None) -> Clustering:
    """Group ``docs`` into stories.

    Args:
        docs: features of every report in the library.
        config: thresholds (defaults when ``None``).
        progress: called with ``(done, total)`` pairs scored.
        cancel: polled while scoring; when it returns true, :class:`Cancelled` is raised.
        must_link: pairs of ids a user merged: always in one story.
        cannot_link: pairs of ids a user split: never in one story.
        index: a prebuilt candidate index for exactly these docs (built when ``None``).

    Returns:
        Every report in exactly one story; the clustering keeps its index for updates.
    """
    cfg = config or ClusterConfig()
    index = index or CandidateIndex.build(docs, cfg)
    by_id = {d.id: d for d in docs}
    cands = index.all_pairs()
    pairs = [(index.ids[a], index.ids[b]) for a, b in zip(cands.a.tolist(), cands.b.tolist(),
                                                           strict=True)]
    stories, related = _cluster_subset(by_id, list(by_id), pairs, index, cfg, progress, cancel,
                                       list(must_link), list(cannot_link))
    return Clustering(_ordered(stories), related, index)


class StoryLookup(Protocol):
    """The stories as they were before an update: in memory, or read from the index."""

    def story_of(self, article_id: str) -> str | None:
        """The id of the story holding ``article_id`` (``None``: in none)."""
        ...

    def members(self, story_id: str) -> Sequence[str]:
        """The reports of story ``story_id``."""
        ...


class _InMemory:
    """A :class:`StoryLookup` over a :class:`Clustering`."""

    def __init__(self, clustering: Clustering) -> None:
        self._story_of = clustering.story_of()
        self._members = {s.id: s.articles for s in clustering.stories}

    def story_of(self, article_id: str) -> str | None:
        return self._story_of.get(article_id)

    def members(self, story_id: str) -> Sequence[str]:
        return self._members.get(story_id, ())


@dataclass(slots=True)
class Changes:
    """What an update changes: the stories clustered again and the ones they replace."""

    stories: list[Story]
    """The stories of every report looked at again (some may equal the ones before)."""
    related: list[PairScore]
    """Scored pairs inside those stories."""
    replaced: set[str]
    """Ids of the stories before that held any report looked at again (or removed)."""
    touched: set[str]
    """Every report looked at again, and every removed one."""


def update(previous: Clustering, docs: Mapping[str, DocFeatures], added: Sequence[str] = (),
           removed: Sequence[str] = (), config: ClusterConfig | None = None,
           must_link: Iterable[Pair] = (), cannot_link: Iterable[Pair] = (),
           progress: Progress | None = None, cancel: Cancel | None = None,
           index: CandidateIndex | None = None) -> Clustering:
    """Update a clustering after reports were added, changed or removed.

    Only candidates of the changed reports are scored, and only the stories they touch are
    re-clustered. A changed report is listed in ``added`` (and may be in ``removed`` too).

    Args:
        previous: the clustering before the change.
        docs: features of every report now in the library (at least the affected ones).
        added: ids of new or changed reports (their features are in ``docs``).
        removed: ids of deleted (or changed) reports.
        index: the candidate index (default ``previous.index``); updated in place.
    """
    cfg = config or ClusterConfig()
    index = index or previous.index or CandidateIndex.build(list(docs.values()), cfg)
    changes = update_changes(_InMemory(previous), docs, added, removed, cfg, must_link,
                             cannot_link, progress, cancel, index)
    return _apply(previous, changes, index)


def update_changes(previous: StoryLookup, docs: Mapping[str, DocFeatures],
                   added: Sequence[str], removed: Sequence[str], cfg: ClusterConfig,
                   must_link: Iterable[Pair], cannot_link: Iterable[Pair],
                   progress: Progress | None, cancel: Cancel | None,
                   index: CandidateIndex) -> Changes:
    """:func:`update`, giving only what changes (the stories before are looked up, never
    all loaded: at 100k articles that costs more than the update itself)."""
    gone = set(removed) | set(added)
    index.remove(set(removed) - set(added))
    index.add([docs[i] for i in added])  # replaces changed reports, statistics included
    return regroup_changes(previous, docs, added, gone, cfg, must_link, cannot_link,
                           progress, cancel, index)


def regroup(previous: Clustering, docs: Mapping[str, DocFeatures], ids: Sequence[str],
            gone: set[str], cfg: ClusterConfig, must_link: Iterable[Pair] = (),
            cannot_link: Iterable[Pair] = (), progress: Progress | None = None,
            cancel: Cancel | None = None, index: CandidateIndex | None = None) -> Clustering:
    """Cluster again the stories of ``ids`` (and their candidates' stories).

    Used by :func:`update` once the candidate index holds the new features, and on its
    own when only the reader's merges and splits changed (features and statistics stay).
    """
    index = index or previous.index or CandidateIndex.build(list(docs.values()), cfg)
    changes = regroup_changes(_InMemory(previous), docs, ids, gone, cfg, must_link,
                              cannot_link, progress, cancel, index)
    return _apply(previous, changes, index)


def _apply(previous: Clustering, changes: Changes, index: CandidateIndex) -> Clustering:
    kept = [s for s in previous.stories if s.id not in changes.replaced]
    kept_pairs = [p for p in previous.pairs
                  if p.a not in changes.touched and p.b not in changes.touched]
    return Clustering(_ordered(kept + changes.stories), kept_pairs + changes.related, index)


def regroup_changes(previous: StoryLookup, docs: Mapping[str, DocFeatures],
                    ids: Sequence[str], gone: set[str], cfg: ClusterConfig,
                    must_link: Iterable[Pair], cannot_link: Iterable[Pair],
                    progress: Progress | None, cancel: Cancel | None,
                    index: CandidateIndex) -> Changes:
    """:func:`regroup`, giving only what changes."""
    added = set(ids)
    affected = set(added)
    for doc_id in gone:
        affected.update(previous.members(previous.story_of(doc_id) or ""))
    weights = Weights(index.stats)
    reaching = [(a, b) for a, b in _candidate_ids(index, index.pairs_of(added))
                if previous.story_of(b if a in added else a) is not None]
    known = _score_pairs(docs, reaching, weights, cfg, None, cancel)
    for (a, b), scored in known.items():
        if scored.score >= _link_threshold(cfg):
            affected.update(previous.members(previous.story_of(b if a in added else a) or ""))
    affected = {i for i in affected if i in docs and i in index.pos}
    pairs = [p for p in _candidate_ids(index, index.pairs_of(affected))
             if p[0] in affected and p[1] in affected]
    stories, related = _cluster_subset(docs, sorted(affected), pairs, index, cfg, progress,
                                       cancel, list(must_link), list(cannot_link), known)
    touched = affected | gone
    replaced = {sid for a in touched if (sid := previous.story_of(a)) is not None}
    return Changes(stories, related, replaced, touched)


def _candidate_ids(index: CandidateIndex, cands: Candidates) -> list[Pair]:
    """Candidate positions as id pairs."""
    return [(index.ids[a], index.ids[b]) for a, b in zip(cands.a.tolist(), cands.b.tolist(),
                                                          strict=True)]


def _link_threshold(cfg: ClusterConfig) -> float:
    """Pairs scoring at least this link two reports into one group to be clustered."""
    return min(cfg.merge_threshold, cfg.same_story)


def _cluster_subset(docs: Mapping[str, DocFeatures], ids: list[str], pairs: list[Pair],
                    index: CandidateIndex, cfg: ClusterConfig, progress: Progress | None,
                    cancel: Cancel | None, must_link: list[Pair], cannot_link: list[Pair],
                    known: Mapping[Pair, PairScore] | None = None,
                    ) -> tuple[list[Story], list[PairScore]]:
    """Score ``pairs`` among ``ids`` (those not ``known`` already) and cluster ``ids``."""
    weights = Weights(index.stats)
    known = known or {}
    scored = _score_pairs(docs, [p for p in pairs if p not in known], weights, cfg, progress,
                          cancel)
    scored.update((p, known[p]) for p in pairs if p in known)
    present = set(ids)
    must = [(a, b) for a, b in must_link if a in present and b in present]
    links = [p for p, s in scored.items() if s.score >= _link_threshold(cfg)] + must
    stories: list[Story] = []
    related: list[PairScore] = []
    for group in components(ids, links, scored, _link_threshold(cfg), cfg.max_component):
        for members, pair_scores in _cluster_group(group, docs, scored, index, cfg, weights,
                                                   must, cannot_link):
            stories.append(_story(members, docs, pair_scores))
            related.extend(score_pair(docs[p.a], docs[p.b], index.stats, cfg, weights)
                           for p in pair_scores if p.relation != "unrelated")
    return stories, related


def _score_pairs(docs: Mapping[str, DocFeatures], pairs: list[Pair], weights: Weights,
                 cfg: ClusterConfig, progress: Progress | None,
                 cancel: Cancel | None, chunk: int = 20000) -> dict[Pair, PairScore]:
    """Score candidate pairs in numpy batches (reasons left empty: see :func:`score_pair`)."""
    scored: dict[Pair, PairScore] = {}
    for start in range(0, len(pairs), chunk):
        if cancel is not None and cancel():
            raise Cancelled
        if progress is not None:
            progress(start, len(pairs))
        part = pairs[start : start + chunk]
        pos: dict[str, int] = {}
        for a, b in part:
            pos.setdefault(a, len(pos))
            pos.setdefault(b, len(pos))
        feats = [docs[i] for i in pos]
        ia = np.array([pos[a] for a, _ in part], np.int64)
        ib = np.array([pos[b] for _, b in part], np.int64)
        result = score_many(feats, ia, ib, weights, cfg)
        for (a, b), value, copy in zip(part, result.score.tolist(), result.copy.tolist(),
                                       strict=True):
            relation = "copy" if copy else (
                "same-story" if value >= cfg.same_story else "unrelated")
            scored[(a, b)] = PairScore(relation, value, {}, a, b)
    if progress is not None:
        progress(len(pairs), len(pairs))
    return scored


def _cluster_group(group: list[str], docs: Mapping[str, DocFeatures],
                   scored: dict[Pair, PairScore], index: CandidateIndex, cfg: ClusterConfig,
                   weights: Weights, must: list[Pair],
                   cannot: list[Pair]) -> list[tuple[list[str], list[PairScore]]]:
    """Average-linkage clustering of one linked group; returns stories with their pairs."""
    if len(group) == 1:
        return [(group, [])]
    pos = {d: i for i, d in enumerate(group)}
    n = len(group)
    sim = np.zeros((n, n), np.float64)
    local: dict[Pair, PairScore] = {}
    extra: dict[Pair, PairScore] = {}
    if n <= cfg.exact_component:  # a small group: every pair scored, in one batch
        missing = [(group[i], group[j]) for i in range(n) for j in range(i + 1, n)
                   if (group[i], group[j]) not in scored and (group[j], group[i]) not in scored]
        extra = _score_pairs(docs, missing, weights, cfg, None, None)
    for i in range(n):
        for j in range(i + 1, n):
            key = (group[i], group[j])
            s = scored.get(key) or scored.get((group[j], group[i])) or extra.get(key)
            if s is not None:
                local[key] = s
                sim[i, j] = sim[j, i] = s.score
    labels = average_linkage(sim, cfg.merge_threshold,
                             [(pos[a], pos[b]) for a, b in must if a in pos and b in pos],
                             [(pos[a], pos[b]) for a, b in cannot if a in pos and b in pos])
    out: dict[int, list[str]] = {}
    for doc_id, label in zip(group, labels, strict=True):
        out.setdefault(label, []).append(doc_id)
    result = []
    for members in out.values():
        inside = set(members)
        pair_scores = [s for (a, b), s in local.items() if a in inside and b in inside]
        result.append((members, pair_scores))
    return result


def _story(members: list[str], docs: Mapping[str, DocFeatures],
           pairs: list[PairScore]) -> Story:
    """Build a story record: copy groups, label, id and dates."""
    def order_key(d: str) -> tuple[int, int, str]:
        doc = docs[d]
        return (doc.day or 10**9, -doc.n_tokens, d)

    members = sorted(members, key=order_key)
    parent = {m: m for m in members}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    centrality = dict.fromkeys(members, 0.0)
    for p in pairs:
        centrality[p.a] += p.score
        centrality[p.b] += p.score
        if p.relation == "copy":
            ra, rb = find(p.a), find(p.b)
            if ra != rb:
                parent[max(ra, rb, key=order_key)] = min(ra, rb, key=order_key)
    groups: dict[str, list[str]] = {}
    for m in members:
        groups.setdefault(find(m), []).append(m)
    copies = [g for g in groups.values() if len(g) > 1]
    central = max(members, key=lambda m: (centrality[m], -members.index(m)))
    days = [docs[m].day for m in members if docs[m].day]
    return Story(
        id="s:" + members[0], label=docs[central].title or central, articles=members,
        copies=copies,
        first_date=docs[min(members, key=lambda m: docs[m].day or 10**9)].date if days else None,
        last_date=docs[max(members, key=lambda m: docs[m].day)].date if days else None,
    )


def _ordered(stories: list[Story]) -> list[Story]:
    """Stories by latest report first (undated stories last), then by id."""
    out = sorted(stories, key=lambda s: s.id)
    out.sort(key=lambda s: s.last_date or "", reverse=True)  # stable: ids stay in order
    return out
