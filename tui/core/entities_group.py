"""Cross-report entity grouping: one canonical name per entity, however it is spelled.

Names are reduced to a transliteration-aware key (``"Gandja"``, ``"Ganca"`` and
``"Ganja"`` share one), identical keys are merged, near-identical ones are merged
fuzzily inside small blocks (so the work stays near-linear on a large library), and a
surname alone joins the one full name that carries it in the same story.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Indel

from tui.core.gazetteer import Gazetteer, load_gazetteer
from tui.core.spans import Span
from tui.core.text import fold

# Ordered spelling rewrites: Azeri/Turkish letters, Russian and French transliterations,
# Scandinavian "sj"/"j" and English digraphs all end up on one spelling.
_REWRITES = [
    (re.compile(p), r)
    for p, r in (
        ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("tch", "ch"), ("sch", "s"), ("sh", "s"),
        ("sj", "s"), ("ch", "c"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("ks", "x"),
        ("x", "h"), ("w", "v"), ("ou", "u"), ("oo", "u"), ("ck", "k"), ("q", "k"),
        ("iy", "i"), ("y", "i"), ("c", "j"),
        # a j between a consonant and a vowel is a y-sound ("Pasjinjan", "Ganja")
        (r"(?<=[bcdfghklmnprstvz])j(?=[aeiou])", "i"),
        (r"(.)\1+", r"\1"),
    )
]
_SPLIT_RE = re.compile(r"[\s\-‐'’/.,]+")
_VOWELS_RE = re.compile(r"(?<!^)[aeiou]")
_CHUNK = 512
"""Rows of one fuzzy block scored at once (bounds the score matrix to 512 x n)."""
_GROUPABLE = {"place": "pog", "organization": "pog", "other": "pog"}
# Name particles: "Le Drian" is a surname alone, like "Lavrov".
_PARTICLES = frozenset("le la de du des del da di van von der den al el bin ibn".split())


def _is_surname(key: str) -> bool:
    """True for a key that is a surname alone: one word, or a particle and one word."""
    tokens = key.split()
    return len(tokens) == 1 or (len(tokens) == 2 and tokens[0] in _PARTICLES)


def _key_token(token: str) -> str:
    for pattern, repl in _REWRITES:
        token = pattern.sub(repl, token)
    return token


def canonical_key(name: str, gazetteer: Gazetteer | None = None) -> str:
    """A spelling-insensitive key for ``name``: equal keys mean the same name.

    Gazetteer aliases map to their canonical name first ("Kiev" → "Kyiv"); then
    diacritics are folded and transliteration variants rewritten (ç/c, dj/j, ı/i,
    kh/h, ğ/g, ş/sh, Azeri x/kh, doubled letters, -iyev/-iev, ou/u, sj/sh ...).
    """
    if gazetteer is None:
        return _default_key(name)
    return _canonical_key(name, gazetteer)


@lru_cache(maxsize=65536)
def _default_key(name: str) -> str:
    """:func:`canonical_key` with the packaged gazetteer, remembered: figure comparison asks
    for the same few subjects once per pair of figures (millions of times in a story of
    two long reports)."""
    return _canonical_key(name, load_gazetteer())


def _canonical_key(name: str, gaz: Gazetteer) -> str:
    name = gaz.canonical_name(name) or name
    # Azerbaijani schwa is written "a" in English ("Gəncə" → "Ganja"); fold() makes it "e".
    name = name.replace("ə", "a").replace("Ə", "A")
    tokens = [t for t in _SPLIT_RE.split(fold(name)) if t]
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(_key_token(t) for t in tokens)


def tokens_match(a: str, b: str) -> bool:
    """True when two key tokens are spellings of one word (not merely look-alikes).

    Short tokens must be equal; longer ones must share first and last letter (so
    "Aliyev"/"Aliyeva" and "Aliyev"/"Guliyev" stay apart) and be near-identical or
    differ only in vowels ("Hikmet"/"Hikmat").
    """
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or a[0] != b[0] or a[-1] != b[-1]:
        return False
    score = Indel.normalized_similarity(a, b) * 100
    if _VOWELS_RE.sub("", a) == _VOWELS_RE.sub("", b):
        # Vowels drift in transliteration after the first syllable ("Hikmet"/"Hikmat"),
        # but a different first vowel or a short word is another name ("Lena"/"Lina",
        # "Miller"/"Müller").
        return bool(score >= 75 and min(len(a), len(b)) >= 5 and _first_vowel(a) == _first_vowel(b))
    return bool(score >= 88 and min(len(a), len(b)) >= 6)


def _first_vowel(token: str) -> str:
    return next((c for c in token if c in "aeiou"), "")


def keys_match(a: str, b: str) -> bool:
    """True when two multi-word keys match token by token."""
    ta, tb = a.split(), b.split()
    return len(ta) == len(tb) and all(tokens_match(x, y) for x, y in zip(ta, tb, strict=True))


@dataclass(frozen=True, slots=True)
class Mention:
    """One recognised name in one report."""

    article_id: str
    story_id: str | None
    text: str
    kind: str
    weight: int = 1
    """How many mentions this one stands for (the same name, kind and story)."""


@dataclass(slots=True)
class EntityGroup:
    """All the mentions of one entity across the library."""

    canonical: str
    kind: str
    aliases: list[str]
    articles: list[str]
    mentions: int
    forms: list[tuple[str, str]] = field(default_factory=list)
    """Every (spelling, kind) the group's mentions used: one report may call a place an
    organisation, and lookups by a mention's own kind must still find the group."""

    def to_json(self) -> dict[str, object]:
        """The group as the CLI's JSON object."""
        return {
            "canonical": self.canonical,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "articles": list(self.articles),
            "mentions": self.mentions,
        }


@dataclass(slots=True)
class _Node:
    """Mentions that share one (kind class, key); a union-find element."""

    cls: str
    key: str
    members: list[Mention] = field(default_factory=list)
    parent: int = -1


class _Grouper:
    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.nodes: list[_Node] = []
        self.index: dict[tuple[str, str], int] = {}
        self.keys: dict[str, str] = {}
        self.known: set[str] = set()
        """Keys of names the gazetteer lists: two different ones are two entities."""

    def key(self, text: str) -> str:
        cached = self.keys.get(text)
        if cached is None:
            cached = self.keys[text] = canonical_key(text, self.gaz)
            if self.gaz.canonical_name(text) is not None:
                self.known.add(cached)
        return cached

    def node(self, cls: str, key: str) -> int:
        idx = self.index.get((cls, key))
        if idx is None:
            idx = self.index[(cls, key)] = len(self.nodes)
            self.nodes.append(_Node(cls, key))
        return idx

    def find(self, i: int) -> int:
        root = i
        while self.nodes[root].parent >= 0:
            root = self.nodes[root].parent
        while self.nodes[i].parent >= 0:  # path compression
            self.nodes[i].parent, i = root, self.nodes[i].parent
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.nodes[max(ra, rb)].parent = min(ra, rb)

    def fuzzy(self, since: int = 0) -> None:
        """Union near-identical keys, comparing only inside blocks of similar names.

        ``keys_match`` needs every token to agree in first and last letter, so those
        letters (and the token count) make an exact blocking key: no match is lost.
        """
        blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, node in enumerate(self.nodes):
            tokens = node.key.split()
            if tokens:
                block = " ".join(t[0] + t[-1] for t in tokens)
                blocks[(node.cls, block)].append(i)
        for members in blocks.values():
            # ``since``: blocks with no node added after that index were done already.
            if len(members) > 1 and members[-1] >= since:
                self._fuzzy_block(members)

    def _fuzzy_block(self, members: list[int]) -> None:
        import numpy  # only when names need fuzzy matching: keeps the app's start light

        keys = [self.nodes[i].key for i in members]
        for lo in range(0, len(keys), _CHUNK):
            scores = process.cdist(
                keys[lo : lo + _CHUNK], keys, scorer=Indel.normalized_similarity,
                score_cutoff=0.7, dtype=numpy.float32,
            )
            rows, cols = numpy.nonzero(scores)
            upper = cols > rows + lo
            for row, col in zip(rows[upper].tolist(), cols[upper].tolist(), strict=True):
                a, b = lo + row, col
                if (self.find(members[a]) != self.find(members[b])
                        and not (keys[a] in self.known and keys[b] in self.known)
                        and keys_match(keys[a], keys[b])):
                    self.union(members[a], members[b])


def group_mentions(
    mentions: Iterable[Mention], gazetteer: Gazetteer | None = None
) -> list[EntityGroup]:
    """Group mentions of one entity across reports under a canonical name.

    Same kind only, except that places, organisations and other names with the very same
    key merge across those kinds (one report may have guessed the type). A person's
    shorter name ("Hajiyev", "Le Drian") joins the full name with that ending used in the
    same story (``story_id``, else the article) when exactly one such full name exists.
    Groups are sorted by number of mentions, most first.
    """
    grouper = _Grouper(gazetteer or load_gazetteer())
    short: list[tuple[Mention, str]] = []
    for m in mentions:
        key = grouper.key(m.text)
        if not key:
            continue
        if m.kind == "person" and _is_surname(key):
            short.append((m, key))
        else:
            grouper.nodes[grouper.node(_GROUPABLE.get(m.kind, m.kind), key)].members.append(m)
    person_ids = [i for i, n in enumerate(grouper.nodes) if n.cls == "person"]
    grouper.fuzzy()
    attached = _attach_short(grouper, short, person_ids)
    return _finish(grouper, short, attached)


def _finish(grouper: _Grouper, short: Sequence[tuple[Mention, str]],
            attached: set[int]) -> list[EntityGroup]:
    """Give the surnames that joined no full name a node of their own, and build groups."""
    done = len(grouper.nodes)
    for m, key in short:
        if id(m) not in attached:
            grouper.nodes[grouper.node("person", key)].members.append(m)
    grouper.fuzzy(since=done)
    return _build_groups(grouper, attached)


@dataclass(frozen=True, slots=True)
class SurnameUse:
    """A person's surname used alone in one story (or lone report), ``count`` times there,
    with the full names of that story whose last words are that surname."""

    context: str
    text: str
    count: int
    candidates: tuple[str, ...]


def surname_uses(context: str, counts: Mapping[str, int], keys: Mapping[str, str]
                 ) -> list[SurnameUse]:
    """The surnames used alone among one story's person names (``counts``: name → mentions;
    ``keys``: name → :func:`canonical_key`), each with the full names it may stand for."""
    shorts = [t for t in counts if keys.get(t) and _is_surname(keys[t])]
    if not shorts:
        return []
    fulls = [t for t in counts if keys.get(t) and not _is_surname(keys[t])]
    return [SurnameUse(context, s, counts[s],
                       tuple(sorted(f for f in fulls if _ends_with(keys[f], keys[s]))))
            for s in sorted(shorts)]


def is_surname(key: str) -> bool:
    """True when a person's key is a surname alone (it is then grouped by story)."""
    return bool(key) and _is_surname(key)


def group_names(names: Iterable[tuple[str, str, int]], surnames: Iterable[SurnameUse],
                keys: Mapping[str, tuple[str, bool]], gazetteer: Gazetteer | None = None
                ) -> list[EntityGroup]:
    """:func:`group_mentions` from counts instead of mentions: the same groups (without
    their ``articles``), from one row per distinct name and one per surname used alone in a
    story, which is what the index keeps up to date.

    ``names``: (text, kind, mentions) for every name; persons' surnames alone are skipped
    there and come from ``surnames``. ``keys``: text → (key, listed in the gazetteer?).
    """
    grouper = _Grouper(gazetteer or load_gazetteer())
    for text, (key, known) in keys.items():
        grouper.keys[text] = key
        if known:
            grouper.known.add(key)
    for text, kind, count in names:
        key = grouper.key(text)
        if key and not (kind == "person" and _is_surname(key)):
            node = grouper.node(_GROUPABLE.get(kind, kind), key)
            grouper.nodes[node].members.append(Mention("", None, text, kind, count))
    grouper.fuzzy()
    short: list[tuple[Mention, str]] = []
    attached: set[int] = set()
    for use in surnames:
        key = grouper.key(use.text)
        if not key:
            continue
        m = Mention(use.context, use.context, use.text, "person", use.count)
        short.append((m, key))
        found = (grouper.index.get(("person", grouper.key(c))) for c in use.candidates)
        roots = {grouper.find(i) for i in found if i is not None}
        if len(roots) == 1:
            grouper.nodes[roots.pop()].members.append(m)
            attached.add(id(m))
    return _finish(grouper, short, attached)


def _attach_short(
    grouper: _Grouper, short: Sequence[tuple[Mention, str]], person_ids: list[int]
) -> set[int]:
    """Attach lone surnames to the single full name ending that way in the same story."""
    by_story: dict[str, set[int]] = defaultdict(set)
    for i in person_ids:
        for m in grouper.nodes[i].members:
            by_story[m.story_id or m.article_id].add(i)
    attached: set[int] = set()
    for m, key in short:
        roots = {
            grouper.find(i)
            for i in by_story.get(m.story_id or m.article_id, ())
            if _ends_with(grouper.nodes[i].key, key)
        }
        if len(roots) == 1:
            grouper.nodes[roots.pop()].members.append(m)
            attached.add(id(m))
    return attached


def _ends_with(full: str, short: str) -> bool:
    """True when the longer name ``full`` ends with the surname ``short`` (spelling-aware)."""
    ft, st = full.split(), short.split()
    if len(ft) <= len(st):
        return False
    return all(tokens_match(a, b) for a, b in zip(ft[-len(st):], st, strict=True))


def _build_groups(grouper: _Grouper, attached: set[int]) -> list[EntityGroup]:
    members: dict[int, list[Mention]] = defaultdict(list)
    for i, node in enumerate(grouper.nodes):
        members[grouper.find(i)].extend(node.members)
    groups = [_group(ms, attached, grouper.gaz) for ms in members.values() if ms]
    groups.sort(key=lambda g: (-g.mentions, g.canonical))
    return groups


def _group(ms: list[Mention], attached: set[int], gaz: Gazetteer) -> EntityGroup:
    counts: Counter[str] = Counter()
    full: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for m in ms:
        counts[m.text] += m.weight
        kinds[m.kind] += m.weight
        if id(m) not in attached:
            full[m.text] += m.weight
    full = full or counts
    # Most used, then the gazetteer's spelling, then plain ASCII, then the shortest.
    canonical = min(
        full, key=lambda t: (-full[t], gaz.canonical_name(t) != t, not t.isascii(), len(t), t)
    )
    kind = kinds.most_common(1)[0][0]
    aliases = sorted(counts, key=lambda t: (-counts[t], t))
    articles = sorted({m.article_id for m in ms if m.article_id})
    forms = sorted({(m.text, m.kind) for m in ms})
    return EntityGroup(canonical, kind, aliases, articles, sum(counts.values()), forms)


class CanonicalIndex:
    """Looks up the canonical name of a span's text, per article."""

    def __init__(self, groups: Iterable[EntityGroup]) -> None:
        self._by_alias: dict[str, list[EntityGroup]] = defaultdict(list)
        for group in groups:
            for alias in group.aliases:
                self._by_alias[alias].append(group)

    def canonical(self, text: str, article_id: str | None = None) -> str | None:
        """The canonical name for ``text`` as used in ``article_id`` (``None`` if unknown)."""
        candidates = self._by_alias.get(text)
        if not candidates:
            return None
        if len(candidates) > 1 and article_id is not None:
            local = [g for g in candidates if article_id in g.articles]
            candidates = local or candidates
        return max(candidates, key=lambda g: g.mentions).canonical

    def apply(self, spans: Iterable[Span], article_id: str | None = None) -> list[Span]:
        """Return ``spans`` with ``canonical`` filled in for the entity spans it knows."""
        out: list[Span] = []
        for span in spans:
            name = self.canonical(span.text, article_id)
            out.append(replace(span, canonical=name) if name is not None else span)
        return out


def canonicalise(
    spans: Iterable[Span], groups: Iterable[EntityGroup], article_id: str | None = None
) -> list[Span]:
    """Return ``spans`` with ``canonical`` set from ``groups`` (see :class:`CanonicalIndex`).

    For many articles build one :class:`CanonicalIndex` and call ``apply`` instead.
    """
    return CanonicalIndex(groups).apply(spans, article_id)
