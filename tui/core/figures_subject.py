"""The subject of a figure: the place, group or organisation its clause is about.

A figure's subject is picked among the entity spans of its sentence by a small score:
closeness, plus the sentence's head position, minus signs that the entity is only the
source ("Azerbaijani officials said"), a possessive modifier ("Nagorno-Karabakh's main
city") or a reference point ("100 km north of Stepanakert"). A sentence opening with "It"
or "The city" borrows the place its previous sentence introduced. Above a threshold the
subject stays unknown: a wrong subject would make a false conflict.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from operator import attrgetter

from tui.core.figures_numbers import trie
from tui.core.spans import Span

_KIND_COST = {"place": 0.0, "group": 40.0, "organization": 70.0}
_START = attrgetter("start")
_THRESHOLD = 150.0
_HEAD_BONUS = -60.0
_LOCATIVE_BONUS = -30.0
_POSSESSIVE_COST = 40.0
_MODIFIER_COST = 200.0
_SOURCE_COST = 120.0
_REFERENCE_COST = 120.0
_RIGHT_COST = 1.3
"""Characters after the figure count a little more: subjects usually come first."""
_BEST_BONUS = min(_HEAD_BONUS, _LOCATIVE_BONUS, 0.0)
"""The most a span's score can drop below its distance (one of the two bonuses applies)."""

_HEAD_BEFORE_RE = re.compile(r"[\"“'(\s]*(?:(?:In|At|For|The|But|And)\s+)?$")
_POSSESSIVE_RE = re.compile(r"['’]s?\b")
_MODIFIER_RE = re.compile(
    r"['’]s\s+(?:[\w-]+\s+){0,2}?(?:city|town|capital|village|region|president|minister"
    r"|leader|adviser|advisor|aide|spokesman|spokeswoman|ministry|government|officials"
    r"|authorities|territory|province|port|district|ally|envoy|ambassador)\b",
    re.I,
)
_SOURCE_WORDS = (
    "said says say reported reports claimed claims told stated states announced accused denied"
    " denies confirmed officials authorities government ministry spokesman spokeswoman"
    " spokesperson media agency news"
).split()
# (A prefix tree of the words: the same matches, fewer alternatives tried at each word.)
_SOURCE_AFTER_RE = re.compile(
    r"(?:['’]s)?\s+(?:[\w-]+\s+){0,3}?(?:" + trie(sorted(_SOURCE_WORDS)) + r")\b", re.I
)
_LOCATIVE_BEFORE_RE = re.compile(
    r"\b(?:in|at|near|inside|across|throughout|(?:city|town|village|region|province)\s+of)"
    r"\s+(?:the\s+)?$",
    re.I,
)
_REFERENCE_BEFORE_RE = re.compile(
    r"\b(?:from|of|to|toward|towards|against|on|than|with|by)\s+(?:the\s+)?$", re.I
)
# The two look-backs above, read over the reversed words before a span: one anchored
# match instead of a search from every position (the same answer: see the tests).
_LOCATIVE_BACK_RE = re.compile(
    r"\s+(?:eht\s+)?(?:ni|ta|raen|edisni|ssorca|tuohguorht"
    r"|fo\s+(?:ytic|nwot|egalliv|noiger|ecnivorp))(?!\w)",
    re.I,
)
_REFERENCE_BACK_RE = re.compile(
    r"\s+(?:eht\s+)?(?:morf|fo|ot|drawot|sdrawot|tsniaga|no|naht|htiw|yb)(?!\w)", re.I
)
_PRONOUN_START_RE = re.compile(
    r"[\"“'\s]*(?:It|Its|The\s+(?:city|town|region|territory|capital|enclave|country|province"
    r"|village|area|district|island|state))\b"
)
_APPOSITION_RE = re.compile(
    r",\s+(?:the|a|an|its)\s+(?:[\w’'-]+\s+){0,3}?(?:city|town|capital|village|region"
    r"|territory|enclave|province|country|district|area|port|island|state)\b"
)


def subject_name(span: Span) -> str:
    """The name a subject is reported under: the canonical name, else the text."""
    name = span.canonical or span.text
    return _POSSESSIVE_RE.sub("", name) if name.endswith(("'s", "’s")) else name


class TextSubjects:
    """The entities of one text that may be subjects, and the subject of each figure.

    Spans are looked up by sentence with a bisection; what the words around a span add to
    its score is read once per span, sentence and side of the figure.
    """

    __slots__ = ("text", "spans", "starts", "costs", "names", "before", "after")

    def __init__(self, text: str, entities: Sequence[Span]) -> None:
        """The candidates among ``entities`` (any order): places, groups, organisations."""
        self.text = text
        self.spans = sorted((e for e in entities if e.kind in _KIND_COST), key=_START)
        self.starts = [s.start for s in self.spans]
        self.costs = [_KIND_COST[s.kind] for s in self.spans]
        self.names: list[str | None] = [None] * len(self.spans)
        # Per span: (sentence start, adjustment) for a figure after it / before it.
        self.before: list[tuple[int, tuple[float, ...]] | None] = [None] * len(self.spans)
        self.after: list[tuple[int, tuple[float, ...]] | None] = [None] * len(self.spans)

    def within(self, sentence: tuple[int, int]) -> tuple[int, int]:
        """The index range of the candidates inside ``sentence``."""
        starts = self.starts
        return bisect_left(starts, sentence[0]), bisect_left(starts, sentence[1])

    @staticmethod
    def may_borrow(text: str, sentence: tuple[int, int]) -> bool:
        """Whether ``sentence`` opens with "It", "Its" or "The city" (and may borrow the
        subject of the sentence before it)."""
        return _PRONOUN_START_RE.match(text, sentence[0]) is not None

    def borrowed(self, sentence: tuple[int, int], previous: tuple[int, int]) -> str | None:
        """The subject a sentence without candidates borrows from ``previous`` (the sentence
        before it), if it opens with "It" or "The city" and that one is plain."""
        lo, hi = self.within(previous)
        best = antecedent(self.text, sentence, previous, self.spans[lo:hi])
        return subject_name(best) if best is not None else None

    def name(self, i: int) -> str:
        """The subject name of candidate ``i`` (see :func:`subject_name`)."""
        name = self.names[i]
        if name is None:
            name = self.names[i] = subject_name(self.spans[i])
        return name

    def pick(self, sent_start: int, lo: int, hi: int, fig_start: int, fig_end: int) -> int:
        """The best subject among candidates ``lo``..``hi`` (those of the sentence starting
        at ``sent_start``) for the figure ``fig_start``..``fig_end``: the index of the one
        with the lowest score under the threshold, the earliest on a tie (-1: none).

        Nearest first, so a close subject is found early and the spans too far away for any
        bonus to save are not scored: a sentence dense with names stays cheap.
        """
        spans, starts, costs = self.spans, self.starts, self.costs
        best = -1
        best_score, best_start = _THRESHOLD, -1
        split = bisect_left(starts, fig_start, lo, hi)
        for i in range(split - 1, lo - 1, -1):  # before the figure, nearest first
            start = starts[i]
            span = spans[i]
            if span.end <= fig_start:
                distance = float(fig_start - span.end)
            else:
                distance = (start - fig_end) * _RIGHT_COST
            low = distance + _BEST_BONUS + costs[i]
            if low > best_score or low == best_score and start >= best_start:
                continue
            score = distance + costs[i]
            for add in self._adjust(i, sent_start, False):  # one by one, as always summed
                score += add
            if score < best_score or score == best_score and start < best_start:
                best, best_score, best_start = i, score, start
        for i in range(split, hi):  # after it, nearest first
            start = starts[i]
            if start < fig_end:
                continue  # inside the figure
            distance = (start - fig_end) * _RIGHT_COST
            bound = distance + _BEST_BONUS
            if bound > best_score:
                break  # every later span lies further right
            low = bound + costs[i]
            if low > best_score or low == best_score and start >= best_start:
                continue
            score = distance + costs[i]
            for add in self._adjust(i, sent_start, start > fig_end):
                score += add
            if score < best_score or score == best_score and start < best_start:
                best, best_score, best_start = i, score, start
        return best

    def _adjust(self, i: int, sent_start: int, after: bool) -> tuple[float, ...]:
        side = self.after if after else self.before
        known = side[i]
        if known is not None and known[0] == sent_start:
            return known[1]
        adjust = _adjustment(self.text, sent_start, self.spans[i], after)
        side[i] = (sent_start, adjust)
        return adjust


def _adjustment(text: str, sent_start: int, span: Span, after: bool) -> tuple[float, ...]:
    """What the words around ``span`` add to its score (``after``: it follows the figure)."""
    score: list[float] = []
    back = text[max(sent_start, span.start - 12) : span.start][::-1]  # the words before
    if span.start - sent_start < 12 and _HEAD_BEFORE_RE.fullmatch(text, sent_start, span.start):
        score.append(_HEAD_BONUS)
    elif _LOCATIVE_BACK_RE.match(back):
        score.append(_LOCATIVE_BONUS)
    elif after and _REFERENCE_BACK_RE.match(back):
        score.append(_REFERENCE_COST)
    if _MODIFIER_RE.match(text, span.end - 2 if span.text.endswith("s") else span.end):
        score.append(_MODIFIER_COST)  # "Azerbaijan's second-largest city": about the city
    elif text.startswith(("'s", "’s"), span.end) or span.text.endswith(("'s", "’s")):
        score.append(_POSSESSIVE_COST)
    if _SOURCE_AFTER_RE.match(text, span.end, span.end + 40):
        score.append(_SOURCE_COST)
    return tuple(score)


def antecedent(text: str, sentence: tuple[int, int], previous: tuple[int, int] | None,
               previous_entities: Sequence[Span]) -> Span | None:
    """The place an "It …"/"The city …" sentence refers back to, if it is plain."""
    if previous is None or not _PRONOUN_START_RE.match(text, sentence[0]):
        return None
    places = [s for s in previous_entities if s.kind == "place"]
    for span in places:
        if _APPOSITION_RE.match(text, span.end):
            return span
    plain = [s for s in places if not text.startswith(("'s", "’s"), s.end)
             and not _SOURCE_AFTER_RE.match(text, s.end, s.end + 40)]
    return plain[0] if len(plain) == 1 else None
