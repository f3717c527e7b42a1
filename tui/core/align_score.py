"""Similarity of sentences and sentence groups, for the aligner (:mod:`tui.core.align`).

A sentence is compared through two keys: its folded words joined by spaces (character
similarity, robust to typos and glued words) and its words coded one character per distinct
word (word similarity, which keeps unrelated sentences that share letters apart). The
similarity of two keys is the mean of both RapidFuzz ratios, on a 0..1 scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from tui.core.text import fold, sentence_spans, words

# Merged groups a sentence may match: (sentences on the left, sentences on the right).
MERGE_SHAPES = ((1, 2), (2, 1), (1, 3), (3, 1))
CANDIDATE_BUDGET = 16
"""Candidate pairs per sentence over which only each sentence's best ones are kept."""
CANDIDATES_PER_SENTENCE = 8
MAX_GROUP = max(max(shape) for shape in MERGE_SHAPES)
"""Most sentences on one side of a merged group."""
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


class SideKeys:
    """The comparison keys of one text's sentences, independent of the other text.

    Word keys use this text's own code table (first appearance first); :class:`Keys`
    recodes the right-hand side into the left-hand side's table. Built once per text by
    :func:`text_keys` and shared between comparisons: never changed once made (the
    joined keys are added on first use, always the same).
    """

    __slots__ = ("chars", "words", "plain", "vocab", "cums", "_flat")

    def __init__(self, sentences: Sequence[str]) -> None:
        tokens = [[fold(w) for w in words(s)] for s in sentences]
        self.chars = [_char_key(s, t) for s, t in zip(sentences, tokens, strict=True)]
        self.vocab: dict[str, str] = {}
        self.words = [_word_key(t, c, self.vocab) for t, c in zip(tokens, self.chars,
                                                                   strict=True)]
        self.plain = [not t for t in tokens]
        """Sentences without words, whose word key is their character key (not coded)."""
        self.cums = tuple(np.asarray(_cumulative(len(k) for k in keys), dtype=np.intp)
                          for keys in (self.chars, self.words))
        self._flat: dict[int, FlatKeys] = {}

    def flat(self, kind: int) -> FlatKeys:
        """:func:`flat_keys` of the character (``kind`` 0) or word (1) keys, made once."""
        found = self._flat.get(kind)
        if found is None:
            found = self._flat[kind] = flat_keys(self.chars if kind == 0 else self.words,
                                                 " " if kind == 0 else "")
        return found


@lru_cache(maxsize=8)
def text_keys(text: str) -> tuple[tuple[tuple[int, int], ...], SideKeys]:
    """The sentence spans of ``text`` and their :class:`SideKeys`, cached by text: the
    comparison screen aligns the same reports again on swap, cycle and return."""
    spans = tuple(sentence_spans(text))
    return spans, SideKeys([text[s:e] for s, e in spans])


class Keys:
    """Comparison keys of the sentences of both texts (one shared word code table)."""

    def __init__(self, a_sents: Sequence[str], b_sents: Sequence[str]) -> None:
        self._set_sides(SideKeys(a_sents), SideKeys(b_sents))

    @classmethod
    def of_sides(cls, a: SideKeys, b: SideKeys) -> Keys:
        """Keys of two texts from their (possibly cached) :class:`SideKeys`."""
        keys = cls.__new__(cls)
        keys._set_sides(a, b)
        return keys

    def _set_sides(self, a: SideKeys, b: SideKeys) -> None:
        self._a, self._b = a, b
        self.a_chars, self.b_chars = a.chars, b.chars
        self.a_words = a.words
        self.b_words = _recode(b, a.vocab)
        self._a_cum: list[int] = a.cums[0].tolist()
        self._b_cum: list[int] = b.cums[0].tolist()
        self._cums = [a.cums[0], b.cums[0], a.cums[1], b.cums[1]]
        self._b_flat: FlatKeys | None = None

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

    def _flat(self, kind: int) -> FlatKeys:
        if kind == 3:  # the right word keys are recoded for this pair
            if self._b_flat is None:
                self._b_flat = flat_keys(self.b_words, "")
            return self._b_flat
        return (self._a, self._b, self._a)[kind].flat(kind // 2)

    def _pick(self, kind: int, start: NDArray[np.intp], size: NDArray[np.intp]) -> list[str]:
        """The joined keys of ``kind`` (see :meth:`_keys`) of each ``[start, start+size)``."""
        if len(size) and (size.min() < 1 or size.max() > MAX_GROUP):
            keys, sep = self._keys(kind), " " if kind < 2 else ""
            return [sep.join(keys[i:i + k]) for i, k in zip(start.tolist(), size.tolist(),
                                                            strict=True)]
        flat, starts = self._flat(kind)
        picked: list[str] = flat[starts[size] + start].tolist()
        return picked


FlatKeys = tuple[NDArray[np.object_], NDArray[np.intp]]
"""Joined keys of every run of 1..:data:`MAX_GROUP` consecutive sentences in one object
array, and where each run length starts in it (``starts[size] + first sentence``)."""


def flat_keys(keys: Sequence[str], sep: str) -> FlatKeys:
    """The :data:`FlatKeys` of ``keys`` joined by ``sep`` (as :meth:`Keys.group_sim` joins)."""
    tables = [[sep.join(keys[i:i + size]) for i in range(len(keys) - size + 1)]
              for size in range(1, MAX_GROUP + 1)]
    lengths = [0, 0, *(len(t) for t in tables)]
    starts = np.cumsum(lengths[:-1], dtype=np.intp)
    flat = np.empty(sum(lengths), dtype=object)
    flat[:] = [key for table in tables for key in table]
    return flat, starts


def _word_key(tokens: list[str], char_key: str, vocab: dict[str, str]) -> str:
    """One character per word (``tokens``: the folded words), the same character for the
    same word (codes from ``vocab``, extended in order of first appearance); the character
    key itself for a sentence without words."""
    if not tokens:
        return char_key
    out = []
    for token in tokens:
        code = vocab.get(token)
        if code is None:
            code = vocab[token] = _code(len(vocab))
        out.append(code)
    return "".join(out)


def _code(n: int) -> str:
    """The character coding the ``n``-th distinct word."""
    point = 0x100 + n
    return chr(point if point < 0xD800 else point + 0x800)  # skip surrogates


def _recode(side: SideKeys, vocab: dict[str, str]) -> list[str]:
    """``side``'s word keys in the code table ``vocab`` continues: its words in ``vocab``
    keep their codes there, the others get the next ones in order of first appearance, as
    if both texts had been coded with one table, left first."""
    table: dict[int, str] = {}
    n = len(vocab)
    for token, local in side.vocab.items():  # in order of first appearance
        code = vocab.get(token)
        if code is None:
            code, n = _code(n), n + 1
        table[ord(local)] = code
    return [key if plain else key.translate(table)
            for key, plain in zip(side.words, side.plain, strict=True)]


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


def _ratios(xs: Sequence[str], ys: Sequence[str]) -> NDArray[np.float64]:
    """``fuzz.ratio`` of each pair ``(xs[k], ys[k])``."""
    if hasattr(process, "cpdist"):  # rapidfuzz >= 3.6
        result: NDArray[np.float64] = process.cpdist(xs, ys, scorer=fuzz.ratio,
                                                     dtype=np.float64)
        return result
    return np.array([fuzz.ratio(x, y) for x, y in zip(xs, ys, strict=True)], dtype=np.float64)
