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

from tui.core.spans import Span

_KIND_COST = {"place": 0.0, "group": 40.0, "organization": 70.0}
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
_SOURCE_AFTER_RE = re.compile(
    r"(?:['’]s)?\s+(?:[\w-]+\s+){0,3}?(?:said|says|say|reported|reports|claimed|claims|told"
    r"|stated|states|announced|accused|denied|denies|confirmed|officials|authorities"
    r"|government|ministry|spokesman|spokeswoman|spokesperson|media|agency|news)\b",
    re.I,
)
_LOCATIVE_BEFORE_RE = re.compile(
    r"\b(?:in|at|near|inside|across|throughout|(?:city|town|village|region|province)\s+of)"
    r"\s+(?:the\s+)?$",
    re.I,
)
_REFERENCE_BEFORE_RE = re.compile(
    r"\b(?:from|of|to|toward|towards|against|on|than|with|by)\s+(?:the\s+)?$", re.I
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


def pick_subject(text: str, sentence: tuple[int, int], fig: tuple[int, int],
                 candidates: Sequence[Span],
                 memo: dict[tuple[int, int, bool], tuple[float, ...]] | None = None,
                 ) -> Span | None:
    """The best subject among ``candidates`` (entities of the sentence, sorted by start) for
    ``fig``: the lowest score under the threshold, the earliest on a tie.

    ``memo`` (one dict per text) keeps what the words around each span add to its score,
    which figures of the same sentence share.
    """
    best: Span | None = None
    best_key = (_THRESHOLD, -1)
    fig_start, fig_end = fig
    # Nearest first, so a close subject is found early and the spans too far away for any
    # bonus to save are not scored: a sentence dense with names stays cheap.
    split = bisect_left(candidates, fig_start, key=_start)
    nearest_first = [*reversed(candidates[:split]), *candidates[split:]]
    for span in nearest_first:
        kind_cost = _KIND_COST.get(span.kind)
        if kind_cost is None or fig_start <= span.start < fig_end:
            continue
        if span.end <= fig_start:
            distance = float(fig_start - span.end)
        else:
            distance = (span.start - fig_end) * _RIGHT_COST
        bound = distance + _BEST_BONUS
        if bound > best_key[0] and span.start >= fig_end:
            break  # every later span lies further right
        if (bound + kind_cost, span.start) >= best_key:
            continue
        after = span.start > fig_end
        memo_key = (span.start, sentence[0], after)
        adjust = memo.get(memo_key) if memo is not None else None
        if adjust is None:
            adjust = _adjustment(text, sentence[0], span, after)
            if memo is not None:
                memo[memo_key] = adjust
        score = distance + kind_cost
        for add in adjust:  # one by one, as the score was always summed
            score += add
        key = (score, span.start)
        if key < best_key:
            best, best_key = span, key
    return best


def _start(span: Span) -> int:
    return span.start


def _adjustment(text: str, sent_start: int, span: Span, after: bool) -> tuple[float, ...]:
    """What the words around ``span`` add to its score (``after``: it follows the figure)."""
    score: list[float] = []
    before = text[max(sent_start, span.start - 12) : span.start]
    if span.start - sent_start < 12 and _HEAD_BEFORE_RE.fullmatch(text, sent_start, span.start):
        score.append(_HEAD_BONUS)
    elif _LOCATIVE_BEFORE_RE.search(before):
        score.append(_LOCATIVE_BONUS)
    elif after and _REFERENCE_BEFORE_RE.search(before):
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
