"""The figure scanner's shortcuts agree with the plain searches they stand in for."""

from __future__ import annotations

import random
import re

from tui.core.figures_measure import _TOTAL_RE, TotalWords, scope_of
from tui.core.figures_numbers import _TRIGGER_WORDS_RE, SCAN_RE, scan
from tui.core.figures_sentences import Sentences, sentence_around

# The trigger search as one pattern (what scan() used before it split digits and words).
_ONE_PATTERN = re.compile(
    r"\d[\d,.:]*|[$€£¥₽₹']|\b(?:" + _TRIGGER_WORDS_RE
    + r"|[aA]\s(?=(?:few\s+)?(?:hundred|thousand|million|billion|dozen)\b))"
)
_TOKENS = [
    "one", "two", "A", "a", " ", "  ", ",", ".", ":", "-", "$", "US$", "€", "'", "5", "12",
    "1,200", "3.5", "million", "hundred", "few", "The day before", "yesterday", "Monday",
    "May", "mar", "x", "www.", "https://", "é", "ı", "\n", "pm", "p.m.", "km", "th", "_",
    "USD", "2020", "1980s", "'80s", "thousand", "and", "of", "killed", "some",
]


def _one_pattern_scan(text: str) -> list[tuple[int, int, str | None]]:
    out, pos = [], 0
    for trigger in _ONE_PATTERN.finditer(text):
        if trigger.start() < pos:
            continue
        m = SCAN_RE.match(text, trigger.start())
        if m is not None:
            pos = m.end()
            out.append((m.start(), m.end(), m.lastgroup))
    return out


def test_scan_finds_what_one_trigger_pattern_finds() -> None:
    rng = random.Random(7)
    for _ in range(4000):
        text = "".join(rng.choice(_TOKENS) for _ in range(rng.randint(1, 14)))
        found = [(m.start(), m.end(), m.lastgroup) for m in scan(text)]
        assert found == _one_pattern_scan(text), text


def test_scan_at_the_very_start_and_after_signs() -> None:
    text = "Five people, US$5m and €3 on Monday; 'twenty' at 3pm"
    assert [m.group() for m in scan(text)] == [
        "Five", "US$5m", "€3", "Monday", "twenty", "3pm"]


_TEXTS = [
    "The death toll rose to 40. In all, 12 died. TOTAL: 5 since Monday.",
    "Officials said 3 people died; the toll so far is 9, rising it to 12 overall.",
    "Cumulatively 7 were hurt, bringing the total to 9. Altogether 4 more.",
    "Sınce the war, 5 were killed. ſo far 3. İn all 4 died.",  # IGNORECASE look-alikes
    "Totally 5 people were totalled; 6 tolls, 7 altogetherness.",
]


def test_total_words_agree_with_the_search_on_every_stretch() -> None:
    for text in _TEXTS:
        totals = TotalWords(text)
        for left in range(len(text) + 1):
            for right in range(left, len(text) + 1):
                expected = _TOTAL_RE.search(text, left, right) is not None
                assert totals.between(text, left, right) == expected, (text, left, right)


def test_scope_with_and_without_total_words() -> None:
    text = "The death toll rose to 40 on Monday."
    start = text.index("40")
    assert scope_of(text, start, 0, len(text), False, TotalWords(text)) == "total"
    assert scope_of(text, start, 0, len(text), False) == "total"
    assert scope_of(text, start, start, len(text), False, TotalWords(text)) is None


def test_sentences_end_at_stops_line_breaks_and_glued_capitals() -> None:
    text = ("Dr. Smith said 5 people died.\nU.S. officials put it at 7! The other side.Baku "
            "said \"nine\" were hurt. J. Doe counted 3.5 km of road.")
    sentences = Sentences(text)

    def said(word: str) -> str:
        at = text.index(word)
        return text[slice(*sentences.around(at, at + len(word)))]

    assert said("5") == "Dr. Smith said 5 people died."
    assert said("7") == "U.S. officials put it at 7!"
    assert said("other") == "The other side."
    assert said("nine") == 'Baku said "nine" were hurt.'
    assert said("3.5") == "J. Doe counted 3.5 km of road."
    assert sentence_around(text, text.index("7"), text.index("7") + 1) == \
        sentences.around(text.index("7"), text.index("7") + 1)
