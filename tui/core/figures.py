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
from dataclasses import dataclass

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
from tui.core.figures_dates import parse_date, parse_time, year_value
from tui.core.figures_measure import TotalWords, measure_of, scope_of
from tui.core.figures_numbers import Raw, parse_number, read_after, scan
from tui.core.figures_sentences import Sentences
from tui.core.figures_subject import antecedent, pick_subject, subject_name
from tui.core.figures_types import (
    ABOUT_TOLERANCE,
    Figure,
    FigureGroup,
    FigureMention,
    ReportFigures,
)
from tui.core.spans import Span

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


@dataclass(slots=True)
class _Count:
    """A count figure under construction: its fields and what context reading needs."""

    start: int
    end: int
    kind: str
    value: float | None
    low: float | None
    high: float | None
    hedge: str | None
    unit: str | None
    cue_end: int
    """Where the measure cue search starts on the right (after the counted noun)."""
    increment: bool


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
            counts += isinstance(figure, _Count)
        if figure is not None:
            found.append(figure)
    if not counts:
        return found  # type: ignore[return-value]  # no _Count in it
    return _with_context(text, found, entities)


_DATE_GROUPS = frozenset(("iso", "md", "dm", "my", "decade", "rel"))


def _date_figure(m: re.Match[str], ref: datetime.date | None) -> Figure | None:
    date = parse_date(m, ref)
    if date is None:
        return None
    value = float(date.low) if date.low is not None and date.low == date.high else None
    low = float(date.low) if date.low is not None else None
    high = float(date.high) if date.high is not None else None
    return Figure(m.start(), m.end(), m.group(), "date", value, low, high, unit=date.unit,
                  when=date.iso or m.group())


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
    return _Count(start, end, raw.kind, raw.value, low, high, hedge.name if hedge else None,
                  unit, max(end, counted.end), increment)


def _with_context(text: str, found: list[Figure | _Count],
                  entities: Sequence[Span]) -> list[Figure]:
    """The figures with every count's measure, scope, date and subject read."""
    ents = sorted(entities, key=_start)
    ent_starts = [e.start for e in ents]
    anchors = sorted((f.start, f.end) for f in found
                     if isinstance(f, _Count) or f.kind != "date" and not f.ordinal)
    dates = [f for f in found if isinstance(f, Figure) and f.kind == "date"]
    date_starts = [d.start for d in dates]
    sentences = Sentences(text)
    around = sentences.around
    totals = TotalWords(text)
    memo: dict[tuple[int, int, bool], tuple[float, ...]] = {}
    out: list[Figure] = []
    for f in found:
        if isinstance(f, Figure):
            out.append(f)
            continue
        start, end = f.start, f.end
        sentence = around(start, end)
        left, right = _neighbours(anchors, start, end, sentence)
        out.append(Figure(
            start, end, text[start:end], f.kind, f.value, f.low, f.high, f.hedge, f.unit,
            measure_of(text, start, f.cue_end, f.unit, f.kind, left, right),
            _subject(text, sentences, sentence, (start, f.cue_end), ents, ent_starts, memo)
            if ents else None,
            False,
            scope_of(text, start, left, right, f.increment, totals),
            _when(dates, date_starts, sentence),
        ))
    return out


def _start(span: Span) -> int:
    return span.start


def _neighbours(anchors: list[tuple[int, int]], start: int, end: int,
                sentence: tuple[int, int]) -> tuple[int, int]:
    """The stretch of the sentence between the figures either side of ``start``..``end``."""
    i = bisect.bisect_left(anchors, (start, end))
    left = anchors[i - 1][1] if i > 0 else sentence[0]
    right = anchors[i + 1][0] if i + 1 < len(anchors) else sentence[1]
    return max(left, sentence[0]), min(right, sentence[1])


def _subject(text: str, sentences: Sentences, sentence: tuple[int, int],
             fig: tuple[int, int], ents: list[Span], ent_starts: list[int],
             memo: dict[tuple[int, int, bool], tuple[float, ...]]) -> str | None:
    inside = _entities_in(ents, ent_starts, sentence)
    best = pick_subject(text, sentence, fig, inside, memo)
    if best is None and sentence[0] > 0 and not [
        e for e in inside if e.kind in ("place", "group", "organization")
    ]:
        previous = sentences.around(sentence[0] - 1, sentence[0] - 1)
        best = antecedent(text, sentence, previous, _entities_in(ents, ent_starts, previous))
    return subject_name(best) if best is not None else None


def _entities_in(ents: list[Span], ent_starts: list[int],
                 sentence: tuple[int, int]) -> list[Span]:
    return ents[bisect.bisect_left(ent_starts, sentence[0]):
                bisect.bisect_left(ent_starts, sentence[1])]


def _when(dates: list[Figure], date_starts: list[int],
          sentence: tuple[int, int]) -> str | None:
    """The date stated in the sentence (the first, if several), else ``None``."""
    i = bisect.bisect_left(date_starts, sentence[0])
    if i < len(dates) and dates[i].start < sentence[1]:
        return dates[i].when
    return None
