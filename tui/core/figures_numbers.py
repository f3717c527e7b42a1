"""Find number expressions in text: digits, number words, vague amounts, units, ordinals.

One precompiled scanner finds every candidate (dates, times, money, numbers, words) in a
single pass; :func:`scan` turns each match into a :class:`Raw` figure without context
(hedge, counted noun, measure and subject are added by :mod:`tui.core.figures_context`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tui.core.figures_dates import DATE_PARTS, MONTH_WORDS, WEEKDAY_WORDS

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_ONES)}
WORD_VALUES.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
_SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 10**9,
                "trillion": 10**12}
_SUFFIX_SCALE = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 10**9, "tn": 10**12}
_ORDINAL_WORDS = {
    w: i + 1 for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth".split())
}
_ORDINAL_WORDS.update({"thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100,
                       "thousandth": 1000})
#: Vague amounts and the range each allows.
VAGUE: dict[str, tuple[float, float]] = {
    "dozens": (24, 144), "hundreds": (200, 999), "thousands": (2_000, 9_999),
    "millions": (2e6, 999e6), "billions": (2e9, 999e9),
    "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
    "tens of millions": (2e7, 99e6), "hundreds of millions": (2e8, 999e6),
}
_FEW = {"several": (2, 9), "a few": (2, 5), "few": (2, 5)}
#: Suffixes a number may carry glued on ("3.2bn", "100km", "2nd"); anything else is an id.
_GLUED_OK = frozenset(
    "k m mn bn tn km kg cm mm mph kph ft lb lbs st nd rd th am pm g t mw gw kw h".split()
)

_NW = "|".join(sorted([*WORD_VALUES, *_SCALE_WORDS, "dozen"], key=len, reverse=True))
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?(?![.,]?\d)"
_ORDW = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))

#: The scanner's alternatives (verbose regexes) by group name, in the order it tries them.
_SCAN_PARTS = {
    "skip": r"(?P<skip>https?://\S+|www\.\S+)",
    **DATE_PARTS,
    "time": r"""(?P<time>\b\d{1,2}(?::(?P<tmin>\d{2}))?\s?(?P<ampm>[aApP]\.[mM]\.|[aApP][mM]\b)
        |\b\d{1,2}:\d{2}\b(?!:))""",
    "cur": rf"""(?P<cur>US\$|[CA]\$|[$€£¥₽₹]|\b(?:USD|EUR|GBP|AZN|AMD|RUB)\s?)(?P<mnum>{_NUM})
        (?P<mscale>\s?(?:million|billion|trillion|thousand)\b|(?:bn|mn|tn|m|k)\b)?""",
    "num": rf"""(?<![\w.,/@#:])(?<![^\W\d_]-)(?P<num>{_NUM})(?:\s?(?:-|–|—|to)\s?(?P<num2>{_NUM}))?
        (?P<scale>\s(?:million|billion|trillion|thousand|hundred)\b)?(?P<suf>[^\W\d_]+)?""",
    "vague": r"""(?i:\b(?P<vague>(?:tens|hundreds)\s+of\s+(?:thousands|millions)
        |(?:several|a\s+few|few)\s+(?:hundred|thousand|million)
        |hundreds|thousands|millions|billions|dozens)\b)""",
    "words": rf"""(?i:\b(?P<words>(?:a\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?(?:{_NW})
        (?:(?:\s+|-)(?:{_NW})|(?<=hundred)\s+and\s+(?:{_NW})|(?<=thousand)\s+and\s+(?:{_NW}))*)
        \b)""",
    "ordw": rf"(?i:\b(?P<ordw>{_ORDW})\b)",
}
SCAN_RE = re.compile("\n    |".join(_SCAN_PARTS.values()), re.X)


def _scanner(names: tuple[str, ...]) -> re.Pattern[str]:
    """The scanner with only the alternatives ``names`` (in its order), for places where
    no other can match; it has every group of :data:`SCAN_RE` (the others never set)."""
    own = re.compile("|".join(_SCAN_PARTS[n] for n in names), re.X).groupindex
    unset = "".join(f"(?P<{g}>)" for g in SCAN_RE.groupindex if g not in own)
    return re.compile("|".join(_SCAN_PARTS[n] for n in names) + "|(?!)" + unset, re.X)


# At an ASCII digit only these can match (the others open with a letter or a sign).
_DIGIT_SCAN_RE = _scanner(("iso", "dm", "decade", "time", "num"))
_ASCII_DIGITS = frozenset("0123456789")

_WORD_SPLIT_RE = re.compile(r"[\s-]+")
_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")
_AFTER_RE = re.compile(
    r"""
    (?P<pct>\s?(?:%|per\s?cent\b|percent\b|pct\b|percentage\s+points?\b))
    |\s(?P<cur>(?:(?:US|U\.S\.|American|Canadian|Australian)\s+)?(?:dollars?|euros?
        |pounds?\s+sterling|yen|yuan|roubles?|rubles?|manats?|drams?|rupees?|francs?|liras?
        |USD|EUR|GBP|AZN|AMD|RUB)\b)
    |(?:\s|-)?(?P<unit>(?:square\s+(?:kilomet(?:er|re)s?|miles?|met(?:er|re)s?)|sq\s?km|km/h
        |kph|mph|km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|cm|mm|centimet(?:er|re)s?
        |millimet(?:er|re)s?|kg|kilo(?:gram)?s?|grams?|tonnes?|tons?|lbs?|pounds?|feet|foot|ft
        |inch(?:es)?|hours?|hrs?|minutes?|mins?|seconds?|days?|weeks?|months?|years?|decades?
        |centuries|century|hectares?|acres?|lit(?:er|re)s?|barrels?|degrees?|MW|GW|kW
        |m(?=\s+(?:from|away|high|long|deep|wide|tall|above|below)\b))\b|°[CF]?)
    """,
    re.X,
)

_CURRENCY = {
    "$": "usd", "us$": "usd", "c$": "cad", "a$": "aud", "€": "eur", "£": "gbp", "¥": "jpy",
    "₽": "rub", "₹": "inr", "dollar": "usd", "euro": "eur", "pound sterling": "gbp",
    "yen": "jpy", "yuan": "cny", "rouble": "rub", "ruble": "rub", "manat": "azn",
    "dram": "amd", "rupee": "inr", "franc": "chf", "lira": "try",
}
_UNITS = {
    "kilometer": "km", "kilometre": "km", "km": "km", "mile": "miles", "meter": "m",
    "metre": "m", "m": "m", "centimeter": "cm", "centimetre": "cm", "millimeter": "mm",
    "millimetre": "mm", "kilo": "kg", "kilogram": "kg", "gram": "g", "tonne": "tonnes",
    "ton": "tonnes", "lb": "lb", "pound": "lb", "foot": "ft", "feet": "ft", "inche": "inches",
    "inch": "inches", "hr": "hours", "hour": "hours", "min": "minutes", "minute": "minutes",
    "second": "seconds", "day": "days", "week": "weeks", "month": "months", "year": "years",
    "decade": "decades", "century": "centuries", "centurie": "centuries", "hectare": "hectares",
    "acre": "acres", "liter": "litres", "litre": "litres", "barrel": "barrels",
    "degree": "degrees", "square kilometer": "km2", "square kilometre": "km2", "sq km": "km2",
    "sqkm": "km2", "square mile": "sq miles", "square meter": "m2", "square metre": "m2",
}


@dataclass(slots=True)
class Raw:
    """A number expression before its context is read."""

    start: int
    end: int
    kind: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    ordinal: bool = False
    year: bool = False
    """A bare four-digit number that may be a year (decided with its counted noun)."""
    word: str | None = None
    """The number word when the figure is one word (``"one"``): pronoun checks need it."""


def trie(words: list[str], tails: dict[str, str] | None = None) -> str:
    """A regex alternation of ``words`` factored by common prefix (fast to reject).

    A space in a word matches any run of whitespace. ``tails`` adds, after a first letter,
    a branch of its own (a regex) beside the words that start with that letter.
    """
    tree: dict[str, dict[str, Any]] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    for first, tail in (tails or {}).items():
        tree.setdefault(first, {})["\0" + tail] = {}
    return _trie_pattern(tree)


def _trie_pattern(node: dict[str, dict[str, Any]]) -> str:
    branches = [ch[1:] if ch[0] == "\0" else
                (r"\s+" if ch == " " else re.escape(ch)) + _trie_pattern(child)
                for ch, child in sorted(node.items()) if ch]
    optional = "" in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if optional:
        return f"(?:{body})?"
    return body


_TRIGGER_WORDS = [
    *WORD_VALUES, *_SCALE_WORDS, *_ORDINAL_WORDS, "dozen", "dozens", "hundreds", "thousands",
    "millions", "billions", "tens", "several", "few", "yesterday", "today", "tomorrow", "last",
    *(m.casefold() for m in MONTH_WORDS), *(d.casefold() for d in WEEKDAY_WORDS),
]
_TRIGGER_SET = sorted({
    *_TRIGGER_WORDS, *(w.capitalize() for w in _TRIGGER_WORDS), "https://", "http://", "www.",
    "US$", "USD", "EUR", "GBP", "AZN", "AMD", "RUB", "The day before", "the day before"})
_TRIGGER_WORDS_RE = trie(_TRIGGER_SET)
_A_SCALE = r"\s(?=(?:few\s+)?(?:hundred|thousand|million|billion|dozen)\b)"
"""After "a" or "A": "a hundred", "a few thousand"."""
# The trigger words and "a hundred" in one tree (one alternation fewer at every place).
_TRIGGERS = trie(_TRIGGER_SET, {"a": _A_SCALE, "A": _A_SCALE})
# Where a figure may start: a digit, a currency sign, a URL (to step over it) or a word of
# the trie at a word start. Only there is the full scanner tried, which keeps the scan near
# C speed over the text in between. Both patterns open with a character class, which the
# regex engine skips to in C: digits and signs anywhere (a digit run at once), words right
# after a character that is not a word character (or at the start of the text).
# (ASCII digits and the signs test as a bitmap; any other character beyond ASCII is let
# through to the look-behind, which asks for a digit: the same places as [\d$€£¥₽₹'].)
_SIGN_RE = re.compile(r"[0-9$€£¥₽₹'\x80-\U0010ffff](?<=[\d$€£¥₽₹'])(?:(?<=\d)[\d,.:]*)?")
_WORD_AFTER_RE = re.compile(r"\W(?=" + _TRIGGERS + ")")
_WORD_AT_START_RE = re.compile(r"(?=" + _TRIGGERS + r")\w")


def _triggers(text: str) -> list[int]:
    """Where the scanner is tried, in text order.

    A digit run is one trigger (its inner digits are none), a sign one each, a trigger word
    one at its start. Word triggers never start inside a digit run and the signs inside a
    word trigger ("US$") cannot start a figure that the word does not, so the two kinds are
    found apart and merged.
    """
    out = [m.start() for m in _SIGN_RE.finditer(text)]
    words = [m.end() for m in _WORD_AFTER_RE.finditer(text)]
    if _WORD_AT_START_RE.match(text):
        words.insert(0, 0)
    if words:
        out.extend(words)
        out.sort()
    return out


def scan(text: str) -> Iterator[re.Match[str]]:
    """Yield the scanner's matches over ``text``, left to right, never overlapping."""
    pos = 0
    match, digit_match, digits = SCAN_RE.match, _DIGIT_SCAN_RE.match, _ASCII_DIGITS
    for start in _triggers(text):
        if start < pos:
            continue
        m = digit_match(text, start) if text[start] in digits else match(text, start)
        if m is not None:
            pos = m.end()
            yield m


def parse_number(m: re.Match[str], text: str) -> Raw | None:
    """Turn a ``num``/``cur``/``vague``/``words``/``ordw`` match into a :class:`Raw`."""
    # What a number says depends only on these groups: the same "12", "$5 million",
    # "hundreds" recur. (A lone "5m" is read from the words after it: metres or millions.)
    key = m.group(*_NUMBER_GROUPS)
    said = _PARSED.get(key, _UNREAD)
    if said is not _UNREAD:
        if said is None:
            return None
        start, end = m.span()
        return Raw(start, end, *said)
    raw = _parse_number(m, text)
    num2, scale, suffix = key[4:7]
    if not (suffix and suffix.casefold() == "m" and num2 is None and scale is None):
        if len(_PARSED) >= 50_000:
            _PARSED.clear()
        _PARSED[key] = None if raw is None else (
            raw.kind, raw.value, raw.low, raw.high, raw.unit, raw.ordinal, raw.year, raw.word)
    return raw


_NUMBER_GROUPS = ("cur", "mnum", "mscale", "num", "num2", "scale", "suf", "vague", "words",
                  "ordw")
_Said = tuple[str, "float | None", "float | None", "float | None", "str | None", bool, bool,
              "str | None"]
_PARSED: dict[tuple[str | None, ...], _Said | None] = {}
"""Number readings by their groups (a :class:`Raw` without its place; cleared when full)."""
_UNREAD: _Said = ("", None, None, None, None, False, False, None)


def _parse_number(m: re.Match[str], text: str) -> Raw | None:
    cur, num, vague, words = m.group("cur", "num", "vague", "words")
    if cur is not None:
        return _money(m)
    if num is not None:
        return _digits(m, text, num)
    if vague is not None:
        return _vague(m)
    if words is not None:
        return _words(m)
    word = m.group("ordw").casefold()
    value = float(_ORDINAL_WORDS[word])
    return Raw(m.start(), m.end(), "number", value, value, value, None, ordinal=True)


def _to_float(digits: str) -> float:
    return float(digits.replace(",", ""))


def _money(m: re.Match[str]) -> Raw:
    scale_text = (m.group("mscale") or "").strip().casefold()
    scale = _SCALE_WORDS.get(scale_text) or _SUFFIX_SCALE.get(scale_text, 1)
    value = _to_float(m.group("mnum")) * scale
    unit = _CURRENCY.get(m.group("cur").strip().casefold(), m.group("cur").strip().casefold())
    return Raw(m.start(), m.end(), "money", value, value, value, unit)


def _digits(m: re.Match[str], text: str, num: str) -> Raw | None:
    num2, scale_word, suffix = m.group("num2", "scale", "suf")
    if suffix:
        suffix = suffix.casefold()
        if suffix not in _GLUED_OK:
            return None  # "3G", "7x": an id or a code, not a figure
    else:
        suffix = ""
    start, end = m.span()
    if suffix in ("st", "nd", "rd", "th"):
        value = _to_float(num)
        return Raw(start, end, "number", value, value, value, None, ordinal=True)
    scale = 1.0
    if scale_word:
        scale = _SCALE_WORDS[scale_word.strip().casefold()]
    elif suffix in _SUFFIX_SCALE and not (suffix == "m" and num2 is None
                                          and _looks_metric(text, end)):
        scale = _SUFFIX_SCALE[suffix]
        suffix = ""
    low = _to_float(num) * scale
    raw = Raw(start, end, "number", low, low, low)
    if num2 is not None:
        high = _to_float(num2) * scale
        raw.value, raw.high = None, high
        if high < low:  # "2-1": a score or a tally, not a range
            raw.value, raw.high, raw.unit = low, low, "score"
    elif scale == 1 and len(num) == 4 and _YEAR_RE.fullmatch(num):
        raw.year = True
    if suffix:
        raw.kind, raw.unit = "quantity", _UNITS.get(suffix, suffix)
    return raw


def _looks_metric(text: str, end: int) -> bool:
    """True when a glued ``m`` reads as metres ("100m from"), not millions ("5m people")."""
    after = text[end : end + 12].lstrip().casefold()
    return after.startswith(("from", "away", "high", "long", "deep", "wide", "tall", "above"))


def _vague(m: re.Match[str]) -> Raw:
    phrase = " ".join(m.group("vague").casefold().split())
    if phrase in VAGUE:
        low, high = VAGUE[phrase]
    else:
        few, _, scale_word = phrase.rpartition(" ")
        scale = _SCALE_WORDS[scale_word]
        low, high = _FEW[few][0] * scale, _FEW[few][1] * scale
    return Raw(m.start(), m.end(), "number", None, float(low), float(high))


def _words(m: re.Match[str]) -> Raw | None:
    tokens = _WORD_SPLIT_RE.split(m.group("words").casefold())
    value = words_value(tokens)
    if value is None:
        return None
    if tokens == ["a", "dozen"] or tokens == ["dozen"]:
        return Raw(m.start(), m.end(), "number", value, 10, 14)
    word = tokens[0] if len(tokens) == 1 else None
    return Raw(m.start(), m.end(), "number", value, value, value, word=word)


def words_value(tokens: list[str]) -> float | None:
    """The value of a run of number words (``["thirty", "two"]`` → 32), ``None`` if bare."""
    total, current, seen = 0.0, 0.0, False
    for token in tokens:
        if token in ("a", "and"):
            continue
        if token in WORD_VALUES:
            current += WORD_VALUES[token]
            seen = True
        elif token == "dozen":
            current = max(current, 1) * 12
        elif token == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALE_WORDS[token]
            current = 0
    if not seen and tokens[0] != "a" and tokens[-1] != "dozen":
        return None  # a bare "hundred" or "million" is not a number someone stated
    return total + current


def read_after(text: str, raw: Raw) -> None:
    """Extend ``raw`` over a following ``%``, currency word or unit, setting its kind/unit."""
    if raw.kind != "number" or raw.ordinal or raw.unit == "score":
        return
    m = _AFTER_RE.match(text, raw.end)
    if m is None:
        return
    raw.end = m.end()
    if m.group("pct") is not None:
        raw.kind, raw.unit = "percent", "percent"
    elif m.group("cur") is not None:
        raw.kind, raw.unit = "money", currency(m.group("cur"))
    else:
        unit = unit_name(m.group("unit"))
        if unit == "lb" and raw.value is not None and raw.value >= 1_000_000:
            raw.kind, raw.unit = "money", "gbp"  # "5 million pounds" is money
        else:
            raw.kind, raw.unit = "quantity", unit
    raw.year = False


def currency(word: str) -> str:
    """ISO-ish lower-case code for a currency word: ``"US dollars"`` → ``"usd"``."""
    folded = " ".join(word.casefold().split())
    for prefix in ("us ", "u.s. ", "american "):
        folded = folded.removeprefix(prefix)
    if folded.startswith(("canadian", "australian")):
        return "cad" if folded.startswith("c") else "aud"
    if folded in ("usd", "eur", "gbp", "azn", "amd", "rub"):
        return folded
    return _CURRENCY.get(folded.rstrip("s"), _CURRENCY.get(folded, folded))


def unit_name(word: str) -> str:
    """Canonical unit for a unit word: ``"kilometres"`` → ``"km"``, ``"hour"`` → ``"hours"``."""
    folded = " ".join(word.casefold().split())
    if folded.startswith("°"):
        return "degrees"
    if folded in _UNITS:
        return _UNITS[folded]
    singular = folded[:-1] if folded.endswith("s") else folded
    return _UNITS.get(singular, folded)
