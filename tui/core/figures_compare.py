"""Cross-report comparison: do reports of one story state the same figure alike?

Two figures from different reports are compared only when everything says they state the
same thing: the same measure, the same subject, the same family of counted noun (people,
civilians, military …), the same scope (a day's increment is never set against a toll)
and the same time (both stated for one explicit date, or — when neither names a date —
reports published within a day of each other; population, distance and area ignore time).
Precision over recall: a flag a reader cannot trust is worse than no flag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from tui.core.figures_measure import LENGTH_KM, unit_family
from tui.core.figures_types import Figure, FigureGroup, FigureMention, ReportFigures
from tui.core.text import fold

SameSubject = Callable[[str, str], bool]
#: Measures that do not change from one day's report to the next.
STATIC_MEASURES = frozenset(("population", "distance", "area"))
_COMPARABLE_KINDS = frozenset(("number", "quantity", "percent", "money"))
_APPROX_HEDGES = frozenset(("about", "some"))
_CONVERSION_SLACK = 0.02

_Item = tuple[int, ReportFigures, Figure]


def same_subject_default(a: str, b: str) -> bool:
    """Subjects match when they fold to the same text ("Gəncə" = "gence")."""
    return fold(a) == fold(b)


def compare_figures(reports: Sequence[ReportFigures],
                    same_subject: SameSubject = same_subject_default, *,
                    max_day_gap: int = 1, tolerance: float | None = None,
                    allow_unknown_subject: bool = False) -> list[FigureGroup]:
    """Group figures of different reports of a story that state the same measure.

    Args:
        reports: The reports, each with its story id, date and extracted figures.
        same_subject: Whether two subject names are the same entity (transliteration-aware
            matching comes from the entity recogniser).
        max_day_gap: Undated figures of reports published further apart than this many
            days are never compared (tolls change daily).
        tolerance: If given, recompute the range of "about"/"some"/"nearly" figures with
            this half-width instead of the one used at extraction.
        allow_unknown_subject: Also compare figures without a subject (less precise).

    Returns:
        One group per connected set of comparable figures spanning two or more reports,
        ``"conflict"`` when some two reports' ranges do not overlap, else ``"agree"``.
    """
    items = [(i, r, f) for i, r in enumerate(reports) for f in r.figures
             if _eligible(f, allow_unknown_subject)]
    parent = list(range(len(items)))
    conflicts: set[int] = set()
    bounds = [_bounds(f, tolerance) for _, _, f in items]
    comparable = _comparable_memo(items, same_subject, max_day_gap)
    for a, b in candidate_pairs(items):
        # candidate_pairs gives only pairs that agree on all else _comparable checks.
        if not comparable(a, b):
            continue
        root = _union(parent, a, b)
        if not _overlap_bounds(items[a][2], bounds[a], items[b][2], bounds[b]):
            conflicts.add(root)
    return _groups(items, parent, conflicts)


def _comparable_memo(items: Sequence[_Item], same_subject: SameSubject,
                     max_day_gap: int) -> Callable[[int, int], bool]:
    """:func:`_same_subject_and_time` of two items, by index, worked out once for each
    pair of what it reads (subjects, dates, static measure or not): a story's figures
    are compared pair by pair, but name few subjects and dates."""
    kinds: dict[tuple[object, ...], int] = {}
    kind = [kinds.setdefault((f.subject, f.measure in STATIC_MEASURES, f.when, r.date),
                             len(kinds)) for _, r, f in items]
    known: dict[int, bool] = {}
    size = len(kinds)

    def comparable(a: int, b: int) -> bool:
        key = kind[a] * size + kind[b]
        found = known.get(key)
        if found is None:
            found = known[key] = _same_subject_and_time(items[a], items[b], same_subject,
                                                        max_day_gap)
        return found

    return comparable


def candidate_pairs(items: Sequence[_Item]) -> Iterator[tuple[int, int]]:
    """Index pairs ``(a, b)``, ``a < b``, of the items that may be comparable.

    Only pairs from different reports of one story that agree on everything
    :func:`_comparable` requires to be equal (measure, kind, unit family, scope, whether
    a subject is named) are given, so a story with many figures is not compared pair by
    pair. The groups found do not depend on the order pairs come in.
    """
    buckets: dict[tuple[object, ...], dict[str, list[int]]] = {}
    for i, (_, report, f) in enumerate(items):
        key = (report.story_id, f.measure or "", f.kind, unit_family(f.unit, f.measure),
               f.scope == "increment", f.subject is None)
        buckets.setdefault(key, {}).setdefault(report.article_id, []).append(i)
    for by_report in buckets.values():
        runs = list(by_report.values())
        for n, first in enumerate(runs):
            for second in runs[n + 1 :]:
                for a in first:
                    for b in second:
                        yield (a, b) if a < b else (b, a)


def _eligible(f: Figure, allow_unknown_subject: bool) -> bool:
    if f.kind not in _COMPARABLE_KINDS or f.ordinal or f.measure is None:
        return False
    if unit_family(f.unit, f.measure) is None:
        return False
    return f.subject is not None or allow_unknown_subject


def _comparable(x: _Item, y: _Item, same_subject: SameSubject, max_day_gap: int) -> bool:
    """Whether two figures state the same thing (see the module docstring)."""
    (_, rx, a), (_, ry, b) = x, y
    if rx.article_id == ry.article_id or rx.story_id != ry.story_id:
        return False
    if a.measure != b.measure or a.kind != b.kind:
        return False
    if unit_family(a.unit, a.measure) != unit_family(b.unit, b.measure):
        return False
    if (a.scope == "increment") != (b.scope == "increment"):
        return False  # "29 more deaths" is not the toll
    return _same_subject_and_time(x, y, same_subject, max_day_gap)


def _same_subject_and_time(x: _Item, y: _Item, same_subject: SameSubject,
                           max_day_gap: int) -> bool:
    """The part of :func:`_comparable` that :func:`candidate_pairs` leaves to check."""
    (_, rx, a), (_, ry, b) = x, y
    if a.subject is None or b.subject is None:
        if a.subject is not None or b.subject is not None:
            return False
    elif not same_subject(a.subject, b.subject):
        return False
    return a.measure in STATIC_MEASURES or _same_time(rx, a, ry, b, max_day_gap)


def _same_time(rx: ReportFigures, a: Figure, ry: ReportFigures, b: Figure,
               max_day_gap: int) -> bool:
    """Whether two event figures speak of the same moment."""
    if a.when is not None or b.when is not None:
        return a.when == b.when
    if rx.date is None or ry.date is None:
        return False  # an undated toll may be from any day
    return abs((rx.date - ry.date).days) <= max_day_gap


def _bounds(f: Figure, tolerance: float | None) -> tuple[float, float]:
    low, high = f.low, f.high
    if tolerance is not None and f.value is not None:
        if f.hedge in _APPROX_HEDGES:
            low, high = f.value * (1 - tolerance), f.value * (1 + tolerance)
        elif f.hedge == "nearly":
            low = f.value * (1 - tolerance)
    scale = LENGTH_KM.get(f.unit or "", 1.0) if f.measure == "distance" else 1.0
    return (
        -float("inf") if low is None else low * scale,
        float("inf") if high is None else high * scale,
    )


def _overlap(a: Figure, b: Figure, tolerance: float | None) -> bool:
    return _overlap_bounds(a, _bounds(a, tolerance), b, _bounds(b, tolerance))


def _overlap_bounds(a: Figure, a_bounds: tuple[float, float], b: Figure,
                    b_bounds: tuple[float, float]) -> bool:
    """Whether the ranges of ``a`` and ``b`` (their :func:`_bounds`) overlap."""
    (a_low, a_high), (b_low, b_high) = a_bounds, b_bounds
    if a.unit != b.unit and a.measure == "distance":
        # "100 km" and "62 miles" are one distance rounded in two units.
        a_low, a_high = a_low * (1 - _CONVERSION_SLACK), a_high * (1 + _CONVERSION_SLACK)
    return a_low <= b_high and b_low <= a_high


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> int:
    ra, rb = _find(parent, a), _find(parent, b)
    parent[rb] = ra
    return ra


def _groups(items: list[_Item], parent: list[int], conflicts: set[int]) -> list[FigureGroup]:
    conflict_roots = {_find(parent, c) for c in conflicts}
    members: dict[int, list[_Item]] = {}
    for i, item in enumerate(items):
        members.setdefault(_find(parent, i), []).append(item)
    out: list[FigureGroup] = []
    for root, group in members.items():
        if len({r.article_id for _, r, _ in group}) < 2:
            continue
        first = group[0][2]
        mentions = [FigureMention.of(r.article_id, f) for _, r, f in group]
        status = "conflict" if root in conflict_roots else "agree"
        out.append(FigureGroup(group[0][1].story_id, first.measure or "", first.subject,
                               status, mentions))
    out.sort(key=lambda g: (g.story, g.measure, fold(g.subject or "")))
    return out
