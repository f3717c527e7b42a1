"""A story at a glance: its reports in time, the figures they cite, the names they use.

Everything comes from what the index already stores (story members, annotations, entity
groups, figure groups), so an overview costs a few queries whatever the story's size: no
report is aligned or compared here. No Textual here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.core.entities_group import canonical_key
from tui.core.figures_types import Figure
from tui.core.sanitize import clean_text, one_line
from tui.core.spans import ENTITY_KINDS
from tui.core.store import Index
from tui.core.storyview import members, story_of, story_rows

RELATION_LABELS = {"original": "lead", "copy": "copy", "same-story": "same story"}
_WORD = r"[ \u00a0]{1,3}([^\W\d_][\w'’-]*)"
_NEXT_WORDS = re.compile(f"{_WORD}(?:{_WORD})?")
MATRIX_KINDS = tuple(k for k in ENTITY_KINDS if k != "other")
"""Entity kinds the matrix shows: people, places, organisations and groups."""


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One report of the story, as the timeline shows it."""

    n: int
    """1-based number of the report in the timeline (column headers use it)."""
    id: str
    date: str | None
    source: str
    title: str
    relation: str
    """``lead``, ``copy`` or ``same story``."""
    copy_of: str | None
    score: float
    words: int

    @property
    def short(self) -> str:
        """A short column label: ``"#2 Reuters"``, or ``"#2"`` without a source."""
        name = self.source[:10] + ("…" if len(self.source) > 10 else "")
        return f"#{self.n} {name}".rstrip()

    def to_json(self) -> dict[str, Any]:
        """The report as a JSON object."""
        return {"n": self.n, "id": self.id, "date": self.date, "source": self.source,
                "title": self.title, "relation": self.relation, "copy_of": self.copy_of,
                "score": round(self.score, 4), "words": self.words}


@dataclass(frozen=True, slots=True)
class FigureCell:
    """One figure of one report: enough to show it and to open the report at it."""

    article: str
    start: int
    end: int
    text: str
    """The figure with its counted noun: ``"roughly 55,000 people"``."""
    when: str | None = None
    conflict: bool = False

    def to_json(self) -> dict[str, Any]:
        """The cell as a JSON object."""
        return {"article": self.article, "start": self.start, "end": self.end,
                "text": self.text, "when": self.when, "conflict": self.conflict}


@dataclass(slots=True)
class FigureRow:
    """One measure about one subject, across the reports that state it."""

    measure: str
    subject: str | None
    cells: dict[str, list[FigureCell]] = field(default_factory=dict)
    status: str = ""
    """``conflict``, ``agree`` (compared and consistent) or ``""`` (never compared)."""

    @property
    def label(self) -> str:
        """``"population · Stepanakert"`` (or the measure alone)."""
        return f"{self.measure} · {self.subject}" if self.subject else self.measure

    @property
    def conflict(self) -> bool:
        """True when two reports state this figure differently."""
        return self.status == "conflict"

    def cell_text(self, article_id: str) -> str:
        """What one report states (``""`` when it states nothing here)."""
        return "; ".join(dict.fromkeys(c.text for c in self.cells.get(article_id, [])))

    def first(self, article_id: str) -> FigureCell | None:
        """The cell to open for a report: a conflicting figure first."""
        cells = self.cells.get(article_id, [])
        return next((c for c in cells if c.conflict), cells[0] if cells else None)

    def to_json(self) -> dict[str, Any]:
        """The row as a JSON object (cells by article id)."""
        return {"measure": self.measure, "subject": self.subject, "status": self.status,
                "cells": {a: [c.to_json() for c in cs] for a, cs in self.cells.items()}}


@dataclass(slots=True)
class EntityRow:
    """One entity (under its canonical name) and how often each report names it."""

    name: str
    kind: str
    counts: dict[str, int] = field(default_factory=dict)
    """Mentions by article id (reports that do not name it are absent)."""
    spellings: list[str] = field(default_factory=list)

    @property
    def reports(self) -> int:
        """How many reports name it."""
        return len(self.counts)

    def to_json(self) -> dict[str, Any]:
        """The row as a JSON object."""
        return {"name": self.name, "kind": self.kind, "counts": self.counts,
                "spellings": self.spellings}


@dataclass(slots=True)
class Overview:
    """A story's timeline, figure table and entity matrix."""

    story_id: str
    label: str
    span: str
    reports: list[ReportRow]
    figures: list[FigureRow]
    entities: list[EntityRow]

    @property
    def lead(self) -> ReportRow | None:
        """The story's representative report."""
        return next((r for r in self.reports if r.relation == "lead"),
                    self.reports[0] if self.reports else None)

    @property
    def conflicts(self) -> int:
        """Figure rows on which reports disagree."""
        return sum(1 for f in self.figures if f.conflict)

    @property
    def copies(self) -> int:
        """Reports that are copies of another."""
        return sum(1 for r in self.reports if r.relation == "copy")

    def only_one(self, row: EntityRow) -> bool:
        """True when a name is found in only one report of several."""
        return row.reports == 1 and len(self.reports) > 1

    def relation_of(self, report: ReportRow) -> str:
        """``"lead"``, ``"same story"`` or ``"copy of #1"``."""
        original = self.report(report.copy_of) if report.copy_of else None
        return f"copy of #{original.n}" if report.relation == "copy" and original \
            else report.relation

    def report(self, article_id: str) -> ReportRow | None:
        """The timeline row of an article."""
        return next((r for r in self.reports if r.id == article_id), None)

    def summary(self) -> str:
        """``"5 reports, 1 copy · 2020-10-04…10-05 · 1 conflicting figure"``."""
        n, c, k = len(self.reports), self.copies, self.conflicts
        parts = [f"{n} report{'s' if n != 1 else ''}" + (f", {c} cop{'ies' if c != 1 else 'y'}"
                                                        if c else ""), self.span,
                 f"{k} conflicting figure{'s' if k != 1 else ''}"]
        return " · ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The overview as JSON data (``crosscheck story --json``)."""
        return {
            "story": self.story_id, "label": self.label, "span": self.span,
            "reports": [r.to_json() for r in self.reports],
            "figures": [f.to_json() for f in self.figures],
            "entities": [{**e.to_json(), "only_one": self.only_one(e)} for e in self.entities],
        }


def resolve_story(index: Index, ref: str) -> str | None:
    """A story id from a story id or any article id of it."""
    if index.db.execute("SELECT 1 FROM stories WHERE id=?", (ref,)).fetchone():
        return ref
    return story_of(index, ref)


def story_overview(index: Index, story_id: str) -> Overview | None:
    """The overview of a story from what the index stores (``None``: no such story)."""
    story = story_rows(index, [story_id]).get(story_id)
    if story is None:
        return None
    reports = timeline(index, story_id)
    ids = [r.id for r in reports]
    return Overview(story_id, one_line(story.label), story.span, reports,
                    figure_table(index, story_id, ids), entity_matrix(index, ids))


def timeline(index: Index, story_id: str) -> list[ReportRow]:
    """The story's reports by date (undated last, then in story order), numbered from 1."""
    found = members(index, story_id)
    order = sorted(range(len(found)), key=lambda k: (found[k].row.date is None,
                                                     found[k].row.date or "", k))
    out = []
    for n, k in enumerate(order, 1):
        m = found[k]
        relation = "lead" if k == 0 else RELATION_LABELS.get(m.relation, m.relation)
        out.append(ReportRow(n, m.row.id, m.row.date, one_line(m.row.source),
                             one_line(m.row.title), relation, m.copy_of, m.score, m.row.words))
    return out


# -- figures ---------------------------------------------------------------------------------


def figure_table(index: Index, story_id: str, ids: Sequence[str]) -> list[FigureRow]:
    """One row per measure and subject stated by any report; conflicting cells marked.

    Conflicts and agreements come from the figure groups stored for the story.
    """
    figures, bodies = _stored_figures(index, ids)
    status = _group_status(index, story_id)
    subjects = _canonical_names(index, {f.subject for fs in figures.values() for f in fs
                                        if f.subject})
    rows: dict[tuple[str, str], FigureRow] = {}
    for article_id in ids:
        for f in figures.get(article_id, []):
            if not f.measure:
                continue
            subject = subjects.get(f.subject, f.subject) if f.subject else None
            key = (f.measure, canonical_key(subject) if subject else "")
            row = rows.setdefault(key, FigureRow(f.measure, subject))
            mark = status.get((article_id, f.start, f.end), "")
            row.cells.setdefault(article_id, []).append(FigureCell(
                article_id, f.start, f.end, _with_noun(f, bodies[article_id]), f.when,
                mark == "conflict"))
            row.status = _stronger(row.status, mark)
    return sorted(rows.values(), key=_figure_order)


def _figure_order(row: FigureRow) -> tuple[int, int, str, str]:
    rank = {"conflict": 0, "agree": 1}.get(row.status, 2)
    return rank, -len(row.cells), row.measure, (row.subject or "").casefold()


def _stronger(current: str, mark: str) -> str:
    order = ("", "agree", "conflict")
    return max(current, mark, key=order.index)


def _with_noun(f: Figure, body: str) -> str:
    """The figure as the report words it, with the noun it counts when that follows it
    (a word between allowed): ``"one civilian"``, ``"Two other rockets"``; a unit the text
    does not use is never added."""
    text = one_line(f.text)
    follows = _NEXT_WORDS.match(body, f.end) if f.unit else None
    if not follows or not f.unit:
        return text
    for end in (follows.end(1), follows.end(2)):
        if end > 0 and _same_noun(body[f.end:end].split()[-1], f.unit):
            return f"{text} {one_line(body[f.end:end])}"
    return text


def _same_noun(word: str, unit: str) -> bool:
    word, unit = word.casefold(), unit.casefold()
    return word[:4] == unit[:4] or (unit == "people" and word.startswith("person"))


def _stored_figures(index: Index, ids: Sequence[str]) -> tuple[dict[str, list[Figure]],
                                                                dict[str, str]]:
    """Stored figures and body of each article (bodies to word the figures)."""
    figures: dict[str, list[Figure]] = {}
    bodies: dict[str, str] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for article_id, data, body in index.db.execute(
                "SELECT n.article_id, n.figures, a.body FROM annotations n JOIN articles a"
                f" ON a.id = n.article_id WHERE n.article_id IN ({marks})", chunk):
            figures[article_id] = [Figure(*f) for f in json.loads(data)]
            bodies[article_id] = body
    return figures, bodies


def _group_status(index: Index, story_id: str) -> dict[tuple[str, int, int], str]:
    """``(article, start, end)`` of every compared figure → ``conflict`` or ``agree``."""
    out: dict[tuple[str, int, int], str] = {}
    for status, data in index.db.execute(
            "SELECT status, data FROM figure_groups WHERE story_id=?", (story_id,)):
        for m in json.loads(data).get("mentions", []):
            key = (str(m.get("article")), int(m.get("start", -1)), int(m.get("end", -1)))
            out[key] = _stronger(out.get(key, ""), status)
    return out


def _canonical_names(index: Index, names: Iterable[str]) -> dict[str, str]:
    """Canonical entity name for each name the entity groups know."""
    wanted = sorted(names)
    out: dict[str, str] = {}
    for chunk in _chunks(wanted):
        marks = ",".join("?" * len(chunk))
        for alias, canonical in index.db.execute(
                f"SELECT alias, canonical FROM entities WHERE alias IN ({marks})", chunk):
            out.setdefault(alias, canonical)
    return out


# -- entities --------------------------------------------------------------------------------


def entity_matrix(index: Index, ids: Sequence[str]) -> list[EntityRow]:
    """Every person, place, organisation and group the reports name, by canonical name.

    Rows named by most reports come first; a name found in one report only comes last.
    """
    rows: dict[str, EntityRow] = {}
    kinds: dict[str, dict[str, int]] = {}
    for article_id, text, kind, count, canonical in _mentions(index, ids):
        name = one_line(canonical or text)
        row = rows.setdefault(name, EntityRow(name, kind))
        row.counts[article_id] = row.counts.get(article_id, 0) + int(count)
        spelling = one_line(text)
        if spelling not in row.spellings:
            row.spellings.append(spelling)
        tally = kinds.setdefault(name, {})
        tally[kind] = tally.get(kind, 0) + int(count)
    for name, row in rows.items():
        row.kind = max(sorted(kinds[name]), key=lambda k: kinds[name][k])
    return sorted(rows.values(), key=lambda r: (-r.reports, -sum(r.counts.values()),
                                                r.name.casefold()))


def _mentions(index: Index, ids: Sequence[str]) -> list[tuple[str, str, str, int, str | None]]:
    out: list[tuple[str, str, str, int, str | None]] = []
    kinds = ",".join(f"'{k}'" for k in MATRIX_KINDS)
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        out.extend(index.db.execute(
            "SELECT m.article_id, m.text, m.kind, m.count, e.canonical FROM mentions m"
            " LEFT JOIN entities e ON e.alias = m.text AND e.kind = m.kind"
            f" WHERE m.article_id IN ({marks}) AND m.kind IN ({kinds})", chunk))
    return out


def entity_offsets(index: Index, article_id: str, row: EntityRow) -> tuple[int, int] | None:
    """Where a report first names an entity (any of its spellings), for the reader."""
    found = index.db.execute(
        "SELECT a.body, n.spans FROM annotations n JOIN articles a ON a.id = n.article_id"
        " WHERE n.article_id=?", (article_id,)).fetchone()
    if found is None:
        return None
    body, spans = found[0], json.loads(found[1])
    names = set(row.spellings) | {row.name}
    for start, end, _kind in sorted(spans):
        if one_line(clean_text(body[start:end])) in names:
            return int(start), int(end)
    return None


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
