"""Entities and figures of every article, stored in the index and compared across a story.

Annotation runs once per changed article (in two processes for big batches); canonical
entity names and figure conflicts are then recomputed from the stored annotations.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import Any

from tui.core.entities import EntityRecogniser
from tui.core.entities_group import canonical_key
from tui.core.entities_index import count_mentions
from tui.core.figures import (
    Figure,
    FigureGroup,
    ReportFigures,
    compare_figures,
    extract_figures,
)
from tui.core.gazetteer import load_gazetteer
from tui.core.model import Article
from tui.core.spans import ENTITY_KINDS, Span
from tui.core.store import Cancel, Index

Progress = Callable[[int, int], None]
PARALLEL_ABOVE = 1500
BATCH = 400
MAX_ANALYSED = 500_000
"""Characters of one article that are annotated (a 50 MB file is shown, not analysed whole)."""

Row = tuple[str, str, str, list[tuple[str, str, int]]]


@dataclass(slots=True)
class Notes:
    """What the reader highlights in one article."""

    spans: list[Span] = field(default_factory=list)
    conflicts: list[Span] = field(default_factory=list)
    figure_lines: list[tuple[str, bool]] = field(default_factory=list)
    """One line per figure ("about 50,000 · population · Stepanakert"), and conflict?"""
    figures: list[Figure] = field(default_factory=list)


@cache
def _recogniser(extra_json: str) -> EntityRecogniser:
    return EntityRecogniser(load_gazetteer(json.loads(extra_json) or None))


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def annotate_text(text: str, date: str | None, extra_json: str = "{}") -> tuple[list[Span],
                                                                                  list[Figure]]:
    """Entity spans and figures of one text (figures know the entities for subjects)."""
    text = text[:MAX_ANALYSED]
    entities = _recogniser(extra_json).recognise(text)
    # Relative dates ("Sunday") resolve against the report's own date.
    return entities, extract_figures(text, _date(date), entities)


def _annotate_batch(items: list[tuple[str, str, str | None]], extra_json: str) -> list[Row]:
    """Annotate a batch (top-level so a process pool can run it)."""
    out: list[Row] = []
    for article_id, body, date in items:
        entities, figures = annotate_text(body, date, extra_json)
        counts = Counter((s.text, s.kind) for s in entities)
        out.append((
            article_id,
            json.dumps([[s.start, s.end, s.kind] for s in entities]),
            json.dumps([f.as_row() for f in figures]),
            [(text, kind, n) for (text, kind), n in counts.items()],
        ))
    return out


def annotate_articles(index: Index, ids: Sequence[str], removed: Sequence[str],
                      gazetteer: Mapping[str, Any], progress: Progress | None = None,
                      cancel: Cancel | None = None) -> None:
    """Annotate changed articles and store the results; forget removed ones."""
    extra_json = json.dumps(dict(gazetteer), sort_keys=True)
    with index.transaction() as db:
        for chunk in _chunks(list(removed), 500):
            marks = ",".join("?" * len(chunk))
            db.execute(f"DELETE FROM annotations WHERE article_id IN ({marks})", chunk)
            count_mentions(db, chunk)
            db.execute(f"DELETE FROM mentions WHERE article_id IN ({marks})", chunk)
    batches = [list(b) for b in _chunks(list(ids), BATCH)]
    done = 0
    for rows in _run(index, batches, extra_json, cancel):
        _store(index, rows)
        done += len(rows)
        if progress is not None:
            progress(done, len(ids))


def _run(index: Index, batches: list[list[str]], extra_json: str,
         cancel: Cancel | None) -> Iterable[list[Row]]:
    """Annotate batches here, or in two processes when there are many."""
    def load(batch: list[str]) -> list[tuple[str, str, str | None]]:
        return _bodies(index, batch)

    if sum(len(b) for b in batches) <= PARALLEL_ABOVE:
        for batch in batches:
            if cancel is not None and cancel():
                return
            yield _annotate_batch(load(batch), extra_json)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        pending = [pool.submit(_annotate_batch, load(b), extra_json) for b in batches[:4]]
        queued = 4
        while pending:
            if cancel is not None and cancel():
                for future in pending:
                    future.cancel()
                return
            rows = pending.pop(0).result()
            if queued < len(batches):
                pending.append(pool.submit(_annotate_batch, load(batches[queued]), extra_json))
                queued += 1
            yield rows


def _bodies(index: Index, ids: list[str]) -> list[tuple[str, str, str | None]]:
    marks = ",".join("?" * len(ids))
    rows = index.db.execute(f"SELECT id, body, date FROM articles WHERE id IN ({marks})", ids)
    return [(r[0], r[1], r[2]) for r in rows]


def _store(index: Index, rows: list[Row]) -> None:
    with index.transaction() as db:
        db.executemany("INSERT OR REPLACE INTO annotations VALUES (?,?,?)",
                       [(r[0], r[1], r[2]) for r in rows])
        count_mentions(db, [r[0] for r in rows], [m for r in rows for m in r[3]])
        db.executemany("DELETE FROM mentions WHERE article_id=?", [(r[0],) for r in rows])
        db.executemany("INSERT INTO mentions VALUES (?,?,?,?)",
                       [(r[0], text, kind, n) for r in rows for text, kind, n in r[3]])


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def missing_annotations(index: Index) -> list[str]:
    """Articles not yet annotated (new, or interrupted before)."""
    rows = index.db.execute("SELECT id FROM articles a WHERE NOT EXISTS"
                            " (SELECT 1 FROM annotations n WHERE n.article_id = a.id)")
    return [r[0] for r in rows]


def entity_names(index: Index, article_id: str) -> list[str]:
    """The entity names an article mentions (for duplicate detection)."""
    rows = index.db.execute("SELECT text FROM mentions WHERE article_id=? AND kind != 'other'",
                            (article_id,))
    return [r[0] for r in rows]


# -- library-wide: canonical names and figure conflicts ----------------------------------


def same_subject(index: Index) -> Callable[[str, str], bool]:
    """Whether two figure subjects name the same entity (Ganja / Gandja / Ganca)."""
    canon = _canonical_lookup(index)

    def same(a: str, b: str) -> bool:
        ca, cb = canon(a) or a, canon(b) or b
        return ca == cb or canonical_key(ca) == canonical_key(cb)

    return same


def _canonical_lookup(index: Index) -> Callable[[str], str | None]:
    cache_: dict[str, str | None] = {}

    def lookup(text: str) -> str | None:
        if text not in cache_:
            row = index.db.execute("SELECT canonical FROM entities WHERE alias=?",
                                   (text,)).fetchone()
            cache_[text] = row[0] if row else None
        return cache_[text]

    return lookup


def compare_stories(index: Index, story_ids: Iterable[str], tolerance: float | None = None) -> None:
    """Recompute the figure groups of the given stories and their conflict flags.

    Written 500 stories per transaction; a story of one report (most of a library) has
    nothing to compare and costs no query of its own.
    """
    same = same_subject(index)
    for chunk in _chunks(list(story_ids), 500):
        marks = ",".join("?" * len(chunk))
        multi = {r[0] for r in index.db.execute(
            f"SELECT id FROM stories WHERE id IN ({marks}) AND n_articles > 1", chunk)}
        found: list[tuple[str, list[FigureGroup]]] = []
        for story_id in chunk:
            reports = _story_reports(index, story_id) if story_id in multi else []
            found.append((story_id, compare_figures(reports, same, tolerance=tolerance)
                          if len(reports) > 1 else []))
        with index.transaction() as db:
            db.executemany("DELETE FROM figure_groups WHERE story_id=?", [(i,) for i in chunk])
            db.executemany("INSERT INTO figure_groups VALUES (?,?,?,?,?,?)", [
                (story_id, n, g.measure, g.subject, g.status,
                 json.dumps(g.to_json(), ensure_ascii=False))
                for story_id, groups in found for n, g in enumerate(groups)])
            db.executemany("UPDATE stories SET has_conflict=? WHERE id=?", [
                (int(any(g.status == "conflict" for g in groups)), story_id)
                for story_id, groups in found])


def _story_reports(index: Index, story_id: str) -> list[ReportFigures]:
    rows = index.db.execute(
        "SELECT m.article_id, a.date, n.figures FROM story_members m"
        " JOIN articles a ON a.id = m.article_id"
        " JOIN annotations n ON n.article_id = m.article_id WHERE m.story_id=?"
        " ORDER BY m.position", (story_id,)).fetchall()
    return [ReportFigures(a, story_id, _date(d), [Figure(*f) for f in json.loads(figs)])
            for a, d, figs in rows]


def stories_needing_comparison(index: Index, article_ids: Iterable[str]) -> set[str]:
    """Stories holding any of the given articles."""
    out: set[str] = set()
    for chunk in _chunks(list(article_ids), 500):
        marks = ",".join("?" * len(chunk))
        out.update(r[0] for r in index.db.execute(
            f"SELECT DISTINCT story_id FROM story_members WHERE article_id IN ({marks})", chunk))
    return out


# -- per article, for the reader ------------------------------------------------------------


def stored(index: Index, article_id: str) -> tuple[list[Span], list[Figure]] | None:
    """An article's stored entity spans (with canonical names) and figures."""
    row = index.db.execute("SELECT a.body, n.spans, n.figures FROM annotations n"
                           " JOIN articles a ON a.id = n.article_id WHERE n.article_id=?",
                           (article_id,)).fetchone()
    if row is None:
        return None
    body = row[0]
    canon = _canonical_lookup(index)
    spans = [Span(s, e, body[s:e], k, canon(body[s:e])) for s, e, k in json.loads(row[1])]
    return spans, [Figure(*f) for f in json.loads(row[2])]


def _stored_figures(index: Index, article_id: str) -> list[Figure] | None:
    """An article's stored figures (what :func:`stored` gives, without the entity spans)."""
    row = index.db.execute("SELECT figures FROM annotations WHERE article_id=?",
                           (article_id,)).fetchone()
    return None if row is None else [Figure(*f) for f in json.loads(row[0])]


def conflict_groups(index: Index, article_id: str) -> list[dict[str, Any]]:
    """The figure groups of the article's story in which it takes part."""
    rows = index.db.execute(
        "SELECT g.data FROM figure_groups g JOIN story_members m ON m.story_id = g.story_id"
        " WHERE m.article_id=?", (article_id,)).fetchall()
    groups = [json.loads(r[0]) for r in rows]
    return [g for g in groups if any(m["article"] == article_id for m in g["mentions"])]


def conflicts_between(index: Index, a: str, b: str,
                      tolerance: float | None = None) -> list[dict[str, Any]]:
    """Figures on which two reports disagree, compared as if they were one story.

    Computed on demand, so any two reports can be compared, in one story or not.
    """
    story = index.db.execute("SELECT story_id FROM story_members WHERE article_id=?",
                             (a,)).fetchone()
    story_id = story[0] if story else ""
    reports = []
    for article_id in (a, b):
        found = _stored_figures(index, article_id)
        article = index.get(article_id)
        if article is None:
            return []
        figures = found if found is not None else annotate_text(article.body, article.date)[1]
        reports.append(ReportFigures(article_id, story_id, _date(article.date), figures))
    groups = compare_figures(reports, same_subject(index), tolerance=tolerance)
    return [g.to_json() for g in groups if g.status == "conflict"]


def annotate_article(index: Index, article: Article) -> Notes:
    """The article's highlights: stored ones, or computed now if it is not indexed yet."""
    found = stored(index, article.id)
    if found is None:
        spans, figures = annotate_text(article.body, article.date)
    else:
        spans, figures = found
    groups = conflict_groups(index, article.id)
    conflicted = {(m["start"], m["end"]) for g in groups if g["status"] == "conflict"
                  for m in g["mentions"] if m["article"] == article.id}
    figure_spans = [f.to_span() for f in figures]
    notes = Notes(sorted([*spans, *_drop_overlaps(figure_spans, spans)], key=lambda s: s.start),
                  [s for s in figure_spans if (s.start, s.end) in conflicted], [], figures)
    notes.figure_lines = [(_figure_line(f), (f.start, f.end) in conflicted) for f in figures
                          if f.measure or (f.start, f.end) in conflicted]
    return notes


def _drop_overlaps(figures: list[Span], entities: list[Span]) -> list[Span]:
    """Figures that do not overlap an entity span (entities win: "G7", "Boeing 737")."""
    taken = sorted((s.start, s.end) for s in entities if s.kind in ENTITY_KINDS)
    starts = [a for a, _ in taken]
    # reach[k]: the furthest end among the first k entities (by start).
    reach = list(accumulate((b for _, b in taken), max, initial=-1))
    return [f for f in figures if reach[bisect_left(starts, f.end)] <= f.start]


def _figure_line(f: Figure) -> str:
    parts = [f.text + (f" {f.unit}" if f.unit and f.unit not in f.text else "")]
    if f.measure:
        parts.append(f.measure)
    if f.subject:
        parts.append(f.subject)
    if f.when:
        parts.append(f.when)
    return " · ".join(parts)
