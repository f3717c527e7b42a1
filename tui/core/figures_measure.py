"""The measure a figure states and the scope of a toll, read from the words around it."""

from __future__ import annotations

import re
from bisect import bisect_left

from tui.core.figures_numbers import trie

#: Counted nouns that are people, and the family a comparison treats as one population.
PEOPLE_FAMILY: dict[str, str] = {
    **dict.fromkeys(
        "people dead deaths victims fatalities bodies casualties injuries inhabitants residents"
        " citizens".split(), "people"),
    **dict.fromkeys("soldiers troops servicemen fighters militants personnel".split(), "military"),
    "civilians": "civilians", "children": "children", "women": "women", "men": "men",
    **dict.fromkeys(
        "refugees migrants journalists protesters demonstrators officers policemen police"
        " workers students patients prisoners hostages mercenaries".split(), "other-people"),
}
MUNITIONS = frozenset("missiles rockets shells projectiles drones bombs strikes".split())
LENGTH_KM = {"km": 1.0, "m": 0.001, "miles": 1.609344, "ft": 0.0003048, "cm": 1e-5}
AREA_UNITS = frozenset(("km2", "sq miles", "m2", "hectares", "acres"))

#: Nouns that name the measure themselves ("244 deaths").
_NOUN_MEASURE = {
    "dead": "killed", "deaths": "killed", "fatalities": "killed", "bodies": "killed",
    "victims": "killed", "injuries": "wounded", "casualties": "casualties",
    "inhabitants": "population", "residents": "population", "refugees": "displaced",
    "arrests": "arrested", "detainees": "arrested",
}
_CUES: dict[str, str] = {
    **dict.fromkeys(
        "killed killing kills dead death deaths died die fatalities perished slain bodies"
        " massacred executed".split(), "killed"),
    "lost their lives": "killed", "lives lost": "killed", "lives were lost": "killed",
    "death toll": "killed",
    **dict.fromkeys("wounded wounding injured injuring injuries hurt".split(), "wounded"),
    **dict.fromkeys(
        "population inhabitants residents populous".split(), "population"),
    "home to": "population", "people live": "population", "populated by": "population",
    "inhabited by": "population",
    **{f"{place} of": "population" for place in
       "city town village nation country region enclave capital metropolis".split()},
    **dict.fromkeys("displaced refugees fled evacuated homeless".split(), "displaced"),
    **dict.fromkeys("arrested detained arrests jailed imprisoned".split(), "arrested"),
    "taken into custody": "arrested", "missing": "missing", "casualties": "casualties",
    **dict.fromkeys("lost losing loses".split(), "lost"),
    "turnout": "turnout", "unemployment": "unemployment", "inflation": "inflation",
}
# One prefix tree, case-sensitive over lower-case cues: cheap on the short windows it scans.
_CUE_RE = re.compile(r"\b(" + trie(sorted(_CUES)) + r")\b")
# The same cues found from the character before each (a cue starts a word): the regex
# engine skips to those characters in C instead of trying every position.
_CUE_AFTER_RE = re.compile(r"\W(" + trie(sorted(_CUES)) + r")\b")
_PEOPLE_MEASURES = frozenset(
    ("killed", "wounded", "population", "displaced", "arrested", "missing", "casualties")
)
_CLAUSE_BREAK_RE = re.compile(r"[,;:()–—]|\b(?:and|but|while|whereas)\b")
_TOTAL_RE = re.compile(
    r"\b(?:toll|total|in\s+all|so\s+far|to\s+date|since|overall|altogether|cumulative"
    r"|(?:rising|rose|risen|bringing|brought)\s+(?:it\s+)?to)\b",
    re.I,
)
#: Lower-case strings of which every match of ``_TOTAL_RE`` holds one.
_TOTAL_KEYS = ("toll", "total", "all", "far", "date", "since", "together", "cumulative", "ris",
               "rose", "bringing", "brought")
_MORE_BEFORE_RE = re.compile(r"\b(?:another|an\s+additional|a\s+further|additional)\s+$", re.I)

#: How far (characters) a cue may lie from its figure, and the handicap of a cue before it.
_REACH_RIGHT = 60
_REACH_LEFT = 55
_LEFT_HANDICAP = 12
_BREAK_HANDICAP = 25


def unit_family(unit: str | None, measure: str | None) -> str | None:
    """The comparison family of a unit: people-like nouns share one, munitions another."""
    if unit is None:
        return "people" if measure in _PEOPLE_MEASURES else None
    if unit in PEOPLE_FAMILY:
        return PEOPLE_FAMILY[unit]
    if unit in MUNITIONS:
        return "munitions"
    if unit in LENGTH_KM:
        return "length"
    return unit


def is_people(unit: str | None) -> bool:
    """True for a counted noun naming people (or none: "32 were wounded")."""
    return unit is None or unit in PEOPLE_FAMILY or (unit[:1].isalpha() and _ethnic(unit))


def _ethnic(unit: str) -> bool:
    # "Armenians", "Azerbaijanis", "Kurds" arrive lower-cased; a plural ending in -ans/-is
    # /-ese after a number is nearly always a nationality in news text.
    return unit.endswith(("ans", "anis", "ese", "kurds", "jews", "arabs", "turks"))


def measure_of(text: str, start: int, end: int, unit: str | None, kind: str,
               left: int, right: int) -> str | None:
    """The measure the figure ``text[start:end]`` counting ``unit`` states, or ``None``.

    ``left``..``right`` bound the search (the sentence, cut at neighbouring figures).
    """
    if kind == "quantity":
        if unit in LENGTH_KM:
            return "distance"
        return "area" if unit in AREA_UNITS else None
    if kind not in ("number", "percent"):
        return None
    if unit in _NOUN_MEASURE:
        return _NOUN_MEASURE[unit]
    if unit in MUNITIONS:
        return "missiles"
    best, best_score = None, float("inf")
    lo, hi = max(left, start - _REACH_LEFT), min(right, end + _REACH_RIGHT)
    cues = _CUE_AFTER_RE.finditer(text, lo - 1, hi) if lo > 0 else _CUE_RE.finditer(text, lo, hi)
    for m in cues:
        cue_start, cue_end = m.span(1)
        if cue_start >= end:
            gap = text[end:cue_start]
            score = float(len(gap))
        else:
            gap = text[cue_end:start]
            score = float(len(gap) + _LEFT_HANDICAP)
        if score >= best_score:
            continue  # a clause break only adds to it
        if _CLAUSE_BREAK_RE.search(gap):
            score += _BREAK_HANDICAP
            if score >= best_score:
                continue
        cue = m.group(1)
        measure = _CUES.get(cue) or _CUES[" ".join(cue.split())]
        if _fits(measure, unit, kind):
            best, best_score = measure, score
    return "killed" if best == "lost" else best


def _fits(measure: str, unit: str | None, kind: str) -> bool:
    """Whether a cue's measure can apply to a figure of this unit and kind."""
    if kind == "percent":
        return measure in ("turnout", "unemployment", "inflation")
    if measure in ("turnout", "unemployment", "inflation"):
        return False
    if measure == "lost":
        # "lost 150 soldiers" is a toll; "lost seven villages" is not.
        return unit is not None and PEOPLE_FAMILY.get(unit) in ("military", "people")
    return is_people(unit)


class TotalWords:
    """Where the words of a total ("toll", "so far", "since" …) may stand in one text.

    Found once per text with ``str.find`` over its lower-case form, so that most figures
    skip the case-insensitive search of their stretch of sentence.
    """

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        """Find the candidate places in ``text``."""
        # Under IGNORECASE "ı" and "ſ" match "i" and "s"; "İ" lower-cases to two
        # characters (then every stretch is searched: offsets would no longer line up).
        low = text.lower().replace("ı", "i").replace("ſ", "s")
        starts: list[int] | None = None
        if len(low) == len(text):
            starts = []
            for key in _TOTAL_KEYS:
                at = low.find(key)
                while at >= 0:
                    starts.append(at)
                    at = low.find(key, at + 1)
            starts.sort()
        self.starts = starts

    def between(self, text: str, left: int, right: int) -> bool:
        """Whether ``text[left:right]`` states a total (as ``_TOTAL_RE`` finds it)."""
        starts = self.starts
        if starts is not None:
            i = bisect_left(starts, left)
            if i == len(starts) or starts[i] >= right:
                return False  # no key word there: the search cannot match
        return _TOTAL_RE.search(text, left, right) is not None


def scope_of(text: str, start: int, left: int, right: int, increment: bool,
             totals: TotalWords | None = None) -> str | None:
    """``"increment"`` for "29 more deaths", ``"total"`` for tolls and "since …" counts.

    ``totals`` (the :class:`TotalWords` of ``text``) saves searching where no total is.
    """
    if increment or _more_before(text, start):
        return "increment"
    if totals.between(text, left, right) if totals else _TOTAL_RE.search(text, left, right):
        return "total"
    return None


def _more_before(text: str, start: int) -> bool:
    """Whether "another", "a further" … ends right before ``start`` (then spaces)."""
    lo = start - 16 if start > 16 else 0
    tail = text[lo:start]
    # A match ends in "r" or "l" (no other character matches them ignoring case), then
    # the spaces before the figure: most figures are ruled out without a search.
    if not tail[-1:].isspace() or not tail.rstrip().endswith(("r", "R", "l", "L")):
        return False
    return _MORE_BEFORE_RE.search(text, lo, start) is not None
