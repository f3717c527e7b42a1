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


# -- the shortcuts of the second pass: each agrees with the plain search it stands in for --

_PROSE = [
    "one", "Two", "at least", "about", "nearly", "more than", "another", "an additional",
    "or more", "or so", "plus", "+", "-", " ", "  ", "\n", "\u00a0", "people", "killed",
    "lives lost", "death toll", "injured", "of", "or", "5", "12", "1,200", "3.5", "$5m",
    "5m", "from", "2020", "'90s", "Monday", "May 5", "5 May", "3pm", "10:30", "km", "%",
    "x", "_", "é", "ı", "İ", "ſ", "A", "a", "few", "hundred", "US$", "USD", "www.x",
]


def _prose(rng: random.Random, words: int = 12) -> str:
    return "".join(rng.choice(_PROSE) + rng.choice(["", " ", " ", ","])
                   for _ in range(rng.randint(1, words)))


def test_the_digit_scanner_reads_what_the_full_scanner_reads() -> None:
    from tui.core.figures_numbers import _DIGIT_SCAN_RE

    rng = random.Random(3)
    for _ in range(3000):
        text = _prose(rng)
        for at, ch in enumerate(text):
            if ch in "0123456789":
                full, digit = SCAN_RE.match(text, at), _DIGIT_SCAN_RE.match(text, at)
                assert (full is None) == (digit is None), (text, at)
                if full is not None and digit is not None:
                    assert (full.span(), full.lastgroup, full.groupdict()) == \
                        (digit.span(), digit.lastgroup, digit.groupdict()), (text, at)


def test_trigger_patterns_find_the_places_of_their_plain_forms() -> None:
    from tui.core.figures_numbers import _SIGN_RE, _WORD_AFTER_RE

    signs = re.compile(r"[\d$€£¥₽₹'](?:(?<=\d)[\d,.:]*)?")
    words = re.compile(r"\W(?=" + _TRIGGER_WORDS_RE
                       + r"|[aA]\s(?=(?:few\s+)?(?:hundred|thousand|million|billion|dozen)\b))")
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    rng = random.Random(5)
    for text in [every, *(_prose(rng, 20) for _ in range(2000))]:
        assert [m.start() for m in _SIGN_RE.finditer(text)] == \
            [m.start() for m in signs.finditer(text)]
        assert [m.end() for m in _WORD_AFTER_RE.finditer(text)] == \
            [m.end() for m in words.finditer(text)]


def test_hedges_read_backwards_and_prechecked_agree_with_the_searches() -> None:
    from tui.core.figures_context import (
        _HEDGE_AFTER_RE,
        _HEDGE_BEFORE_RE,
        _hedge,
        hedge_after,
        hedge_before,
    )

    rng = random.Random(9)
    for _ in range(3000):
        text = _prose(rng)
        for at in range(len(text) + 1):
            back = _HEDGE_BEFORE_RE.search(text, max(0, at - 24), at)
            assert hedge_before(text, at) == (
                None if back is None else _hedge(back.group("h"), back.start(), at)), text
            after = _HEDGE_AFTER_RE.match(text, at)
            found = hedge_after(text, at)
            assert (found is None) == (after is None), (text, at)
            assert found is None or after is None or found.end == after.end()


def test_cues_found_from_the_character_before_them() -> None:
    from tui.core.figures_measure import _CUE_AFTER_RE, _CUE_RE

    rng = random.Random(11)
    for _ in range(3000):
        text = _prose(rng)
        for _ in range(5):
            lo = rng.randint(1, len(text))
            hi = rng.randint(lo, len(text))
            assert [m.span(1) for m in _CUE_AFTER_RE.finditer(text, lo - 1, hi)] == \
                [m.span(1) for m in _CUE_RE.finditer(text, lo, hi)], (text, lo, hi)


def test_number_readings_are_remembered_but_not_metres_or_millions() -> None:
    from tui.core.figures_numbers import parse_number

    def read(text: str) -> tuple[object, ...] | None:
        m = next(scan(text))
        raw = parse_number(m, text)
        return None if raw is None else (raw.start, raw.end, raw.kind, raw.value, raw.unit)

    for _ in range(2):  # the second time from memory
        assert read("about 5m from the road") == (6, 8, "quantity", 5.0, "m")
        assert read("about 5m people") == (6, 8, "number", 5e6, None)
        assert read("x $12 million") == (2, 13, "money", 12e6, "usd")
        assert read("Some 7x") is None
