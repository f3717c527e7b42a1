"""A figure's subject: the pruned, memoised search picks what scoring every span picks."""

from __future__ import annotations

import random
import re

from tui.core.figures import extract_figures
from tui.core.figures_subject import (
    _BEST_BONUS,
    _KIND_COST,
    _LOCATIVE_BACK_RE,
    _LOCATIVE_BEFORE_RE,
    _REFERENCE_BACK_RE,
    _REFERENCE_BEFORE_RE,
    _RIGHT_COST,
    _SOURCE_AFTER_RE,
    _THRESHOLD,
    TextSubjects,
    _adjustment,
)
from tui.core.spans import Span

_WORDS = ["in", "In", "at", "of", "the", "city", "said", "officials", "'s", "’s", "from",
          "near", "north", "killed", "people", "Its", "It", "The city", ",", ".", " "]
_KINDS = ["place", "group", "organization", "person"]


def _best_by_scoring_all(text: str, sentence: tuple[int, int], spans: list[Span],
                         fig: tuple[int, int]) -> Span | None:
    """Score every candidate (the sums in the order the search makes them)."""
    best, best_key = None, (_THRESHOLD, -1)
    for span in spans:
        if span.kind not in _KIND_COST or fig[0] <= span.start < fig[1]:
            continue
        if span.end <= fig[0]:
            distance = float(fig[0] - span.end)
        else:
            distance = (span.start - fig[1]) * _RIGHT_COST
        score = distance + _KIND_COST[span.kind]
        for add in _adjustment(text, sentence[0], span, span.start > fig[1]):
            score += add
        if (score, span.start) < best_key:
            best, best_key = span, (score, span.start)
    return best


def test_pick_finds_the_lowest_score_under_the_threshold() -> None:
    assert _BEST_BONUS == -60.0
    rng = random.Random(2)
    for _ in range(1500):
        parts, spans, pos = [], [], 0
        for _ in range(rng.randint(3, 30)):
            if rng.random() < 0.3:
                name = rng.choice(["Baku", "Ganja", "Red Cross", "Azerbaijani", "Lachin"])
                spans.append(Span(pos, pos + len(name), name, rng.choice(_KINDS)))
                piece = name
            else:
                piece = rng.choice(_WORDS)
            parts.append(piece + " ")
            pos += len(piece) + 1
        text = "".join(parts)
        subjects = TextSubjects(text, spans)
        sentence = (0, len(text))
        lo, hi = subjects.within(sentence)
        for _ in range(4):
            start = rng.randrange(len(text))
            fig = (start, min(len(text), start + rng.randint(1, 8)))
            found = subjects.pick(0, lo, hi, *fig)
            expected = _best_by_scoring_all(text, sentence, spans, fig)
            assert (subjects.spans[found] if found >= 0 else None) == expected, (text, fig)


def test_backward_lookbacks_agree_with_the_searches() -> None:
    rng = random.Random(4)
    words = ["in", "İn", "IN", "at", "near", "inside", "across", "throughout", "city", "town",
             "province", "of", "the", "The", "from", "to", "towards", "on", "than", "by",
             "x", "ſ", "é", "_", " ", "  ", "\n"]
    for _ in range(40000):
        before = "".join(rng.choice(words) + rng.choice(["", " "])
                         for _ in range(rng.randint(0, 5)))[-12:]
        back = before[::-1]
        assert bool(_LOCATIVE_BACK_RE.match(back)) == bool(_LOCATIVE_BEFORE_RE.search(before))
        assert bool(_REFERENCE_BACK_RE.match(back)) == bool(_REFERENCE_BEFORE_RE.search(before))


def test_source_words_as_a_tree_match_the_plain_alternation() -> None:
    plain = re.compile(
        r"(?:['’]s)?\s+(?:[\w-]+\s+){0,3}?(?:said|says|say|reported|reports|claimed|claims"
        r"|told|stated|states|announced|accused|denied|denies|confirmed|officials|authorities"
        r"|government|ministry|spokesman|spokeswoman|spokesperson|media|agency|news)\b",
        re.I,
    )
    rng = random.Random(6)
    words = ["said", "SAYS", "say", "sayx", "reports", "news", "newsy", "spokes", "the",
             "officials", "ministry's", "'s", "x", "-", " ", "  "]
    for _ in range(20000):
        text = " " + "".join(rng.choice(words) + rng.choice(["", " "]) for _ in range(6))
        assert bool(_SOURCE_AFTER_RE.match(text, 0, 40)) == bool(plain.match(text, 0, 40))


def test_a_sentence_opening_with_it_borrows_the_place_before() -> None:
    text = "Shelling hit Ganja on Monday. It has 300,000 inhabitants."
    ganja = text.index("Ganja")
    figures = extract_figures(text, None, [Span(ganja, ganja + 5, "Ganja", "place")])
    assert [(f.text, f.measure, f.subject) for f in figures if f.kind == "number"] == [
        ("300,000", "population", "Ganja")]
