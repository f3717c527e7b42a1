"""Figures: every number a report cites, what it counts, and what it is about.

:func:`extract_figures` finds digits, number words, vague amounts ("hundreds"), hedges,
percentages, money, units, ordinals, dates and times, with offsets into the text as given,
and reads each count's measure ("killed", "population" …) and subject (the place, group or
organisation of its clause, from entity spans the caller passes). :func:`compare_figures`
(in :mod:`tui.core.figures_compare`) lines the figures of several reports up.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Sequence

from tui.core.figures_compare import compare_figures, same_subject_default
from tui.core.figures_context import (
    Counted,
    Hedge,
    counted_noun,
    hedge_after,
    hedge_before,
    hedge_range,
    is_pronoun_one,
)
from tui.core.figures_dates import DATE_GROUPS, parse_date, parse_time, year_value
from tui.core.figures_measure import TotalWords, measure_of, scope_of
from tui.core.figures_numbers import Raw, parse_number, read_after, scan
from tui.core.figures_sentences import Sentences
from tui.core.figures_subject import TextSubjects
from tui.core.figures_types import (
    ABOUT_TOLERANCE,
    Figure,
    FigureGroup,
    FigureMention,
    ReportFigures,
)
from tui.core.spans import Span, quick_new

__all__ = [
    "ABOUT_TOLERANCE", "Figure", "FigureGroup", "FigureMention", "ReportFigures",
    "compare_figures", "extract_figures", "same_subject_default",
]

_YEAR_BEFORE_RE = re.compile(
    r"\b(?:in|since|of|by|until|till|from|before|after|during|the|early|late|mid|year|"
    r"summer|spring|winter|autumn|fall|between|and)[\s-]+$",
    re.I,
)


MAX_FIGURES = 10_000
"""Figures read from one text; the rest are dropped (the pipeline reports it).

A long report holds a few thousand; a text that is nothing but numbers would take
seconds to read in context and make a reader of hundreds of thousands of highlights.
"""


_Count = tuple[int, int, str, "float | None", "float | None", "float | None", "str | None",
               "str | None", int, bool]
"""A count figure under construction (a plain tuple: thousands are made per text):
``start, end, kind, value, low, high, hedge, unit`` as in :class:`Figure`, then where the
measure cue search starts on the right (after the counted noun) and whether it counts an
increment ("29 more")."""


def extract_figures(text: str, ref_date: datetime.date | None = None,
                    entities: Sequence[Span] = (), *,
                    tolerance: float = ABOUT_TOLERANCE) -> list[Figure]:
    """Every figure in ``text``, in text order, with offsets into ``text`` as given.

    Args:
        text: The text to read (a report's body).
        ref_date: The report's date; weekdays, "yesterday" and dates without a year are
            resolved against it (left unresolved, ``value=None``, without it).
        entities: Entity spans of ``text`` (any order); places, groups and organisations
            become subjects.
        tolerance: Half-width of the range an approximate hedge implies (fraction).

    At most :data:`MAX_FIGURES` figures are returned: the first ones.
    """
    found: list[Figure | _Count] = []
    counts = 0
    for m in scan(text):
        group = m.lastgroup
        if len(found) >= MAX_FIGURES:
            break
        if group == "skip":
            continue
        figure: Figure | _Count | None
        if group in _DATE_GROUPS:
            figure = _date_figure(m, ref_date)
        elif group == "time":
            figure = _time_figure(m)
        else:
            figure = _count_figure(m, text, tolerance)
            counts += isinstance(figure, tuple)
        if figure is not None:
            found.append(figure)
    if not counts:
        return found  # type: ignore[return-value]  # no _Count in it
    return _with_context(text, found, entities)


_DATE_GROUPS = frozenset(("iso", "md", "dm", "my", "decade", "rel"))
_new_figure = quick_new(Figure)
"""``Figure(...)``, quicker (thousands per text)."""


def _date_figure(m: re.Match[str], ref: datetime.date | None) -> Figure | None:
    # A date's reading depends only on its groups and the report's date: the same
    # "Tuesday" or "2020" recurs in a text and across reports of one day.
    key = (m.group(*DATE_GROUPS), ref)
    found = _DATES.get(key, _UNREAD)
    if found is _UNREAD:
        found = _read_date(m, ref)
        if len(_DATES) >= 4096:
            _DATES.clear()
        _DATES[key] = found
    if found is None:
        return None
    said = m.group()
    value, low, high, unit, iso = found
    return _new_figure(m.start(), m.end(), said, "date", value, low, high, unit=unit,
                       when=iso or said)


_DateFields = tuple["float | None", "float | None", "float | None", str, "str | None"]
_DATES: dict[tuple[tuple[str | None, ...], datetime.date | None], _DateFields | None] = {}
_UNREAD: _DateFields = (None, None, None, "", None)


def _read_date(m: re.Match[str], ref: datetime.date | None) -> _DateFields | None:
    """``value, low, high, unit, iso`` of a date match (``None``: no real date)."""
    date = parse_date(m, ref)
    if date is None:
        return None
    value = float(date.low) if date.low is not None and date.low == date.high else None
    low = float(date.low) if date.low is not None else None
    high = float(date.high) if date.high is not None else None
    return value, low, high, date.unit, date.iso


def _time_figure(m: re.Match[str]) -> Figure | None:
    hour = parse_time(m)
    if hour is None:
        return None
    return Figure(m.start(), m.end(), m.group(), "time", hour, hour, hour, unit="hours")


def _count_figure(m: re.Match[str], text: str, tolerance: float) -> Figure | _Count | None:
    """A year or an ordinal (done), a count (its context still to read), or nothing."""
    raw = parse_number(m, text)
    if raw is None:
        return None
    read_after(text, raw)
    if m.group("words") is not None and text.startswith("-", raw.end):
        return None  # "one-sided", "two-thirds": not a count ("four-day" took its unit)
    counted = counted_noun(text, raw.end, raw.value == 1)
    if raw.word == "one" and is_pronoun_one(text, raw.start, counted):
        return None
    if raw.year and (counted.noun is None
                     or _YEAR_BEFORE_RE.search(text, max(0, raw.start - 12), raw.start)):
        year = year_value(int(raw.value or 0))
        said = text[raw.start : raw.end]
        return Figure(raw.start, raw.end, said, "date", None, float(year.low or 0),
                      float(year.high or 0), unit="year", when=said)
    if raw.ordinal:
        return Figure(raw.start, raw.end, text[raw.start : raw.end], "number", raw.value,
                      raw.value, raw.value, ordinal=True)
    return _hedged(text, raw, counted, tolerance)


def _hedged(text: str, raw: Raw, counted: Counted, tolerance: float) -> _Count:
    """The count of ``raw`` with its hedge, range and counted noun."""
    before = hedge_before(text, raw.start)
    after = hedge_after(text, raw.end)
    increment = counted.increment
    if before is not None and before.effect == "increment":
        increment, before = True, None
    hedge: Hedge | None = before or after
    low, high = raw.low, raw.high
    if hedge is not None:
        low, high = hedge_range(raw.value, low, high, hedge.effect, tolerance)
    start = before.start if before else raw.start
    end = after.end if after else raw.end
    unit = raw.unit if raw.unit is not None else counted.noun
    return (start, end, raw.kind, raw.value, low, high, hedge.name if hedge else None, unit,
            max(end, counted.end), increment)


def _with_context(text: str, found: list[Figure | _Count],
                  entities: Sequence[Span]) -> list[Figure]:
    """The figures with every count's measure, scope, date and subject read."""
    read = _Reader(text, found, entities).read
    return [read(f) if isinstance(f, tuple) else f for f in found]


class _Reader:
    """Reads each count of one text in its context.

    Counts come in text order, so the counts of one sentence come together: what depends
    only on the sentence (its subject candidates, the subject it borrows, its date) is read
    once for all of them.
    """

    __slots__ = ("text", "subjects", "anchors", "dates", "date_starts", "around", "totals",
                 "sentence", "lo", "hi", "borrowed", "when")

    def __init__(self, text: str, found: list[Figure | _Count],
                 entities: Sequence[Span]) -> None:
        self.text, self.subjects = text, TextSubjects(text, entities)
        # Where every count and time stands: the measure of one is read between the others.
        self.anchors = sorted((f[0], f[1]) if isinstance(f, tuple) else (f.start, f.end)
                              for f in found
                              if isinstance(f, tuple) or f.kind != "date" and not f.ordinal)
        self.dates = [f for f in found if isinstance(f, Figure) and f.kind == "date"]
        self.date_starts = [d.start for d in self.dates]
        self.around, self.totals = Sentences(text).around, TotalWords(text)
        self.sentence = (-1, -1)
        self.lo = self.hi = 0
        self.borrowed: str | None = None
        self.when: str | None = None

    def read(self, count: _Count) -> Figure:
        """The figure of ``count`` with its measure, subject, scope and date."""
        text = self.text
        start, end, kind, value, low, high, hedge, unit, cue_end, increment = count
        sentence = self.around(start, end)
        if sentence != self.sentence:
            self._enter(sentence)
        sent_start, sent_end = sentence
        # The stretch of the sentence between the figures either side.
        anchors = self.anchors
        i = bisect.bisect_left(anchors, (start, end))
        left = anchors[i - 1][1] if i > 0 and anchors[i - 1][1] > sent_start else sent_start
        right = anchors[i + 1][0] if i + 1 < len(anchors) and anchors[i + 1][0] < sent_end \
            else sent_end
        subject = self.borrowed
        if self.lo < self.hi:
            best = self.subjects.pick(sent_start, self.lo, self.hi, start, cue_end)
            subject = self.subjects.name(best) if best >= 0 else None
        return _new_figure(
            start, end, text[start:end], kind, value, low, high, hedge, unit,
            measure_of(text, start, cue_end, unit, kind, left, right), subject, False,
            scope_of(text, start, left, right, increment, self.totals), self.when,
        )

    def _enter(self, sentence: tuple[int, int]) -> None:
        """Read what depends on the sentence only: its subject candidates (or the subject
        it borrows from the one before) and its first date."""
        self.sentence = sentence
        subjects = self.subjects
        self.lo, self.hi = lo, hi = subjects.within(sentence)
        self.borrowed = None
        if lo == hi and sentence[0] > 0 and subjects.spans \
                and subjects.may_borrow(self.text, sentence):
            previous = self.around(sentence[0] - 1, sentence[0] - 1)
            self.borrowed = subjects.borrowed(sentence, previous)
        i = bisect.bisect_left(self.date_starts, sentence[0])
        dates = self.dates
        self.when = dates[i].when if i < len(dates) and dates[i].start < sentence[1] else None
