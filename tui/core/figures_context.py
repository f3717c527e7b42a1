"""What a figure counts and states: hedges, counted nouns, measures and scope.

Everything here reads a few words around a figure with precompiled regexes; nothing parses
the sentence. The rules favour silence over guesses: an unknown measure is ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.core.figures_numbers import trie
from tui.core.text import fold

_HEDGE_AFTER_RE = re.compile(r"\s+or\s+(?P<a>more|so)\b|(?P<b>\+)|[\s-]plus\b(?!\s*\d)", re.I)

#: Hedge phrase → (normalised hedge, what it does to the range).
_HEDGES: dict[str, tuple[str, str]] = {
    "at least": ("at least", "min"), "no fewer than": ("at least", "min"),
    "no less than": ("at least", "min"), "as few as": ("at least", "min"),
    "at most": ("at most", "max"), "no more than": ("at most", "max"),
    "as many as": ("up to", "max"), "as much as": ("up to", "max"), "up to": ("up to", "max"),
    "more than": ("more than", "min"), "upwards of": ("more than", "min"),
    "in excess of": ("more than", "min"), "exceeding": ("more than", "min"),
    "above": ("more than", "min"), "over": ("over", "min"), "just over": ("over", "min"),
    "fewer than": ("fewer than", "max"), "less than": ("fewer than", "max"),
    "under": ("fewer than", "max"), "below": ("fewer than", "max"),
    "nearly": ("nearly", "near"), "almost": ("nearly", "near"), "close to": ("nearly", "near"),
    "just under": ("nearly", "near"), "about": ("about", "approx"),
    "around": ("about", "approx"), "roughly": ("about", "approx"),
    "approximately": ("about", "approx"), "approx.": ("about", "approx"),
    "circa": ("about", "approx"), "an estimated": ("about", "approx"),
    "estimated": ("about", "approx"), "some": ("some", "approx"),
    "or more": ("at least", "min"), "+": ("at least", "min"), "plus": ("at least", "min"),
    "or so": ("about", "approx"),
}
_INCREMENT_WORDS = frozenset(("additional", "an additional", "another", "a further"))
_BEFORE_WORDS = sorted({*_HEDGES, *_INCREMENT_WORDS} - {"or more", "+", "plus", "or so"})
_BEFORE_PHRASES = sorted({*_BEFORE_WORDS, *(w.capitalize() for w in _BEFORE_WORDS)})
# A prefix tree of the hedges, both capitalisations: the look-back search.
_HEDGE_BEFORE_RE = re.compile(r"\b(?P<h>" + trie(_BEFORE_PHRASES) + r")\s+$")
# The same read backwards, over the reversed text before a figure: one anchored match
# instead of a search from every position of the stretch. The longest hedge that fits
# is the one the search finds first; its first letter must start a word.
_HEDGE_BACK_RE = re.compile(
    r"\s+(?P<h>" + trie(sorted(p[::-1] for p in _BEFORE_PHRASES)) + r")(?!\w)"
)
_HEDGE_REACH = 24
"""Characters before a figure searched for its hedge."""


@dataclass(slots=True)
class Hedge:
    """A hedge found next to a figure: its normalised name, effect and text extent."""

    name: str
    effect: str
    """``"min"``, ``"max"``, ``"near"``, ``"approx"`` or ``"increment"``."""
    start: int
    end: int


def hedge_before(text: str, start: int) -> Hedge | None:
    """The hedge that ends right before ``start`` ("at least ", "roughly "), if any."""
    lo = start - _HEDGE_REACH if start > _HEDGE_REACH else 0
    # Reversed, with the character before the stretch (which decides whether the hedge
    # starts a word there).
    back = text[lo - 1 if lo else 0 : start][::-1]
    m = _HEDGE_BACK_RE.match(back)
    if m is None:
        return None
    hedge_start = start - m.end("h")
    if hedge_start < lo:  # it overruns the stretch: what does the stretch itself hold?
        return _hedge_searched(text, lo, start)
    return _hedge(back[m.start("h") : m.end("h")][::-1], hedge_start, start)


def _hedge_searched(text: str, lo: int, start: int) -> Hedge | None:
    m = _HEDGE_BEFORE_RE.search(text, lo, start)
    return None if m is None else _hedge(m.group("h"), m.start(), start)


def _hedge(said: str, hedge_start: int, start: int) -> Hedge:
    """The hedge ``said`` at ``hedge_start`` before a figure at ``start``."""
    known = _SAID.get(said)
    if known is None:
        phrase = " ".join(said.casefold().split())
        known = (phrase, "increment") if phrase in _INCREMENT_WORDS else _HEDGES[phrase]
        if len(_SAID) < 4096:  # hedges are few; spacing variants are not
            _SAID[said] = known
    name, effect = known
    return Hedge(name, effect, hedge_start, hedge_start if effect == "increment" else start)


_SAID: dict[str, tuple[str, str]] = {}
"""Normalised hedge and effect by the hedge as written."""


def hedge_after(text: str, end: int) -> Hedge | None:
    """The hedge right after ``end`` ("or more", "+", "or so"), if any."""
    first = text[end : end + 1]
    if first != "+" and not _may_hedge_after(first, text[end + 1 : end + 3]):
        return None
    m = _HEDGE_AFTER_RE.match(text, end)
    if m is None:
        return None
    phrase = "or " + m.group("a").casefold() if m.group("a") else m.group("b") or "plus"
    name, effect = _HEDGES[phrase]
    return Hedge(name, effect, end, m.end())


def _may_hedge_after(first: str, then: str) -> bool:
    """Whether " or more", " or so", " plus" or "-plus" may start with ``first`` followed
    by ``then`` (ignoring case, "o", "r", "p" and "l" match only themselves)."""
    if first == "-":
        return then[:1] in ("p", "P") and then[1:] in ("l", "L")
    if not first.isspace():
        return False
    return (then[:1] in ("o", "O") and then[1:] in ("r", "R")
            or then[:1] in ("p", "P") and then[1:] in ("l", "L") or then[:1].isspace())


def hedge_range(value: float | None, low: float | None, high: float | None, effect: str,
                tolerance: float) -> tuple[float | None, float | None]:
    """The ``(low, high)`` a hedge allows around a stated value or range."""
    if effect == "min":
        return low, None
    if effect == "max":
        return None, high
    if effect == "near" and value is not None:
        return value * (1 - tolerance), value
    if effect == "approx" and value is not None:
        return value * (1 - tolerance), value * (1 + tolerance)
    return low, high  # a vague amount ("about hundreds") keeps its own range


_TOKEN_RE = re.compile(r"[ \t\u00a0]+([^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*)")
#: Words after a number that never name what is counted.
_STOP = frozenset(
    """
    a an the and or but nor of in on at to from for by with without into onto over under
    who whom whose which that this these those than as per times was were is are be been
    being has have had do does did will would could should may might can must not no yes
    so too very also just only still even each every all both either neither such what
    when where while if because after before since until during about around against among
    between through across out up down off here there then now more most less least other
    others another percent per cent years year he she it they we you i his her its their
    our your my them us him me said says say told reported
    """.split()
)
_ADJECTIVES = frozenset(
    """
    more additional new further ethnic armed unarmed innocent local foreign young elderly
    civilian military armenian azerbaijani russian turkish syrian ukrainian israeli
    palestinian american british french german chinese iranian iraqi afghan other
    """.split()
)
_PLURALS = {
    "person": "people", "persons": "people", "people": "people", "children": "children",
    "men": "men", "women": "women", "man": "men", "woman": "women", "child": "children",
    "serviceman": "servicemen", "policeman": "policemen", "staff": "staff", "police": "police",
    "personnel": "personnel", "militia": "militias", "dead": "dead",
}
#: Singular nouns that, after a number, are surely what it counts.
_COUNTED = frozenset(
    """
    people civilian soldier troop fighter militant child woman man resident inhabitant
    citizen refugee migrant journalist protester demonstrator officer policeman worker
    student patient prisoner hostage mercenary family home house building village town city
    missile rocket shell drone tank aircraft plane helicopter vehicle death casualty victim
    body injury case vote seat member employee person serviceman staff personnel police
    bomb projectile strike attack explosion
    """.split()
)


@dataclass(slots=True)
class Counted:
    """The noun a number counts, in plural form, and where it ends in the text."""

    noun: str | None
    end: int
    increment: bool = False
    """``True`` for "29 more deaths", "five new cases"."""


def counted_noun(text: str, end: int, single: bool) -> Counted:
    """Read the noun counted by the number ending at ``end`` (``single`` for value 1)."""
    pos, increment = end, False
    fallback: Counted | None = None  # "one civilian was": an adjective used as the noun
    roles = _ROLES
    for _ in range(4):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            break
        word = m.group(1)
        pos = m.end()
        role = roles.get(word) or _role(word)
        tag = role[0]
        if tag == _INCREMENT:
            increment = True
            continue
        if tag == _ADJECTIVE or (tag == _OF and pos - len(word) - end < 3):
            if role[1] is not None and fallback is None:
                fallback = Counted(role[1], pos, increment)
            continue
        noun = role[2] if single else role[3]
        if noun is None and fallback is not None:
            return fallback
        return Counted(noun, pos if noun else end, increment)
    return fallback or Counted(None, end, increment)


_NOUN, _ADJECTIVE, _INCREMENT, _OF = range(4)
_Role = tuple[int, "str | None", "str | None", "str | None"]
"""What a word after a number is: ``(kind, the noun an adjective may stand for, the noun
after one, the noun after more than one)``; kind is one of ``_NOUN`` … ``_OF``."""
_ROLES: dict[str, _Role] = {}
"""Roles of the words seen after numbers, by word as written (cleared when full)."""


def _role(word: str) -> _Role:
    """The role of ``word`` after a number, remembered in :data:`_ROLES`."""
    low = fold(word)
    role: _Role
    if low in ("more", "additional", "new", "further"):
        role = (_INCREMENT, None, None, None)
    elif low == "of":
        role = (_OF, None, None, None)  # an adjective when it follows the number closely
    elif low in _ADJECTIVES:
        role = (_ADJECTIVE, pluralise(low) if low in _COUNTED else None, None, None)
    else:
        role = (_NOUN, None, _noun(word, low, True), _noun(word, low, False))
    if len(_ROLES) >= 50_000:
        _ROLES.clear()
    _ROLES[word] = role
    return role


def _noun(word: str, low: str, single: bool) -> str | None:
    """The plural form of ``word`` if it reads as a counted noun, else ``None``."""
    if low in _STOP or low.endswith(("ing", "ly")):
        return None
    if low in _PLURALS:
        return _PLURALS[low]
    if low in _COUNTED:
        return pluralise(low) if single or not low.endswith("s") else low
    if low.endswith("ed") and low[:-1] not in _COUNTED:
        return None  # "four injured", "32 killed": a participle, not a noun
    plural = low.endswith("s") and not low.endswith(("ss", "us", "is")) and len(low) > 3
    if plural and low[:-1] in _COUNTED or plural:
        return low
    if single and word.islower():
        return pluralise(low)  # "one condition": a count of one
    return None


def pluralise(noun: str) -> str:
    """English plural of a singular counted noun (``"casualty"`` → ``"casualties"``)."""
    if noun in _PLURALS:
        return _PLURALS[noun]
    if noun.endswith("man"):
        return noun[:-3] + "men"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


_PRONOUN_ONE_BEFORE_RE = re.compile(
    r"\b(?:no|the|every|any|each)\s+$", re.I
)


def is_pronoun_one(text: str, start: int, counted: Counted) -> bool:
    """True when "one" is a pronoun ("one of the worst", "no one", "the one") not a count."""
    if counted.noun is None:
        return True
    if counted.noun in ("days", "times", "ways", "sides", "things", "anothers"):
        return True  # "one day", "at one time": idioms, not counts
    return _PRONOUN_ONE_BEFORE_RE.search(text, max(0, start - 10), start) is not None
