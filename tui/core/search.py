"""Search the index: filters (``source:``, ``date:``, ``is:``…), FTS5 ranking, fuzzy titles."""

from __future__ import annotations

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from tui.core.store import ROW_SELECT, ArticleRow, Index, _row

# Markers FTS5 puts around matches in snippets; article text never contains them
# (control characters are stripped on load), so they cannot be forged.
MARK_START = "\x02"
MARK_END = "\x03"
_FILTER_RE = re.compile(r'(?<!\S)(-?)(source|entity|date|is|has|story):("[^"]*"|\S+)', re.I)
_FTS_SYNTAX_RE = re.compile(r'["*()^]|\b(?:AND|OR|NOT|NEAR)\b')
_DATE_RE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)?(\.\.)?(\d{4}(?:-\d{2}(?:-\d{2})?)?)?$")


class QueryError(ValueError):
    """A search the user typed cannot be run; the message says why, in one line."""


@dataclass(slots=True)
class Query:
    """A search split into its free text and its filters."""

    text: str = ""
    sources: list[str] = field(default_factory=list)
    exclude_sources: list[str] = field(default_factory=list)
    """``-source:`` values."""
    entities: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    flags: set[str] = field(default_factory=set)
    """``is:`` values: ``read``, ``unread``, ``starred`` (``unstarred`` from ``-is:starred``)."""
    has: set[str] = field(default_factory=set)
    story: str | None = None

    @property
    def has_filters(self) -> bool:
        """True when anything besides free text narrows the search."""
        return bool(self.sources or self.exclude_sources or self.entities or self.date_from
                    or self.date_to or self.flags or self.has or self.story)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the row, its snippet (matches between markers) and how found."""

    row: ArticleRow
    snippet: str
    how: str
    """``"fts"`` for a full-text match, ``"fuzzy"`` for a fuzzy title match, ``"filter"``."""


def parse_query(raw: str) -> Query:
    """Split a typed search into free text and ``key:value`` filters."""
    query = Query()
    for neg, key, value in _FILTER_RE.findall(raw):
        value = value.strip('"')
        if neg:
            _apply_negated(query, key.lower(), value)
        else:
            _apply_filter(query, key.lower(), value)
    query.text = " ".join(_FILTER_RE.sub(" ", raw).split())
    return query


def _apply_filter(query: Query, key: str, value: str) -> None:
    """Record one ``key:value`` filter on ``query``, validating it."""
    if key == "source":
        query.sources.append(value)
    elif key == "entity":
        query.entities.append(value)
    elif key == "story":
        query.story = value
    elif key == "has":
        if value.lower() not in ("conflict", "conflicts", "star", "copies"):
            raise QueryError(f"has:{value}: expected has:conflict or has:copies")
        query.has.add(value.lower().rstrip("s") if value.lower() != "copies" else "copies")
    elif key == "is":
        if value.lower() not in ("read", "unread", "starred"):
            raise QueryError(f"is:{value}: expected is:read, is:unread or is:starred")
        query.flags.add(value.lower())
    else:
        match = _DATE_RE.match(value)
        if not match or not (match.group(1) or match.group(3)):
            raise QueryError(f"date:{value}: expected date:YYYY-MM-DD or date:FROM..TO")
        start, dots, end = match.groups()
        query.date_from = start
        query.date_to = end if dots else start
        if query.date_to and len(query.date_to) < 10:
            query.date_to += "\uffff"  # "2020-10" includes every day of October


def _apply_negated(query: Query, key: str, value: str) -> None:
    """Record a ``-key:value`` filter; only ``source:`` and ``is:`` can be negated."""
    opposite = {"read": "unread", "unread": "read", "starred": "unstarred"}
    if key == "source":
        query.exclude_sources.append(value)
    elif key == "is" and value.lower() in opposite:
        query.flags.add(opposite[value.lower()])
    elif key == "is":
        raise QueryError(f"-is:{value}: expected -is:read, -is:unread or -is:starred")
    else:
        raise QueryError(f"-{key}:{value}: only source: and is: filters can be negated")


def fts_expression(text: str) -> str:
    """Turn typed words into an FTS5 query: all words, the last one as a prefix (from
    :data:`PREFIX_FROM` letters on).

    Text already using FTS5 syntax (quotes, ``*``, ``AND``/``OR``/``NOT``, ``NEAR``) is
    passed through, so power users keep phrases and boolean queries.
    """
    if _FTS_SYNTAX_RE.search(text):
        return text
    tokens = re.findall(r"[^\W_]+", text)
    if not tokens:
        return ""
    quoted = [f'"{t}"' for t in tokens]
    if len(tokens[-1]) >= PREFIX_FROM:
        quoted[-1] += "*"
    return " ".join(quoted)


PREFIX_FROM = 3
"""A last word this long or longer also matches the words it begins. Shorter ones match
whole words only: "red c" as a prefix query ranked every word in c at 100k (1.5 s) while the
user was still typing "cross"."""


def filter_sql(index: Index, query: Query) -> tuple[list[str], list[Any]]:
    """SQL conditions (on ``a`` articles and ``s`` state) for the query's filters."""
    where: list[str] = []
    params: list[Any] = []
    for source in query.sources:
        where.append("a.source LIKE ? ESCAPE '\\'")
        params.append("%" + source.replace("%", "\\%").replace("_", "\\_") + "%")
    for source in query.exclude_sources:
        where.append("a.source NOT LIKE ? ESCAPE '\\'")
        params.append("%" + source.replace("%", "\\%").replace("_", "\\_") + "%")
    if query.date_from:
        where.append("a.date >= ?")
        params.append(query.date_from)
    if query.date_to:
        where.append("a.date <= ?")
        params.append(query.date_to)
    if "read" in query.flags:
        where.append("coalesce(s.read, 0) = 1")
    if "unread" in query.flags:
        where.append("coalesce(s.read, 0) = 0")
    if "starred" in query.flags:
        where.append("coalesce(s.starred, 0) = 1")
    if "unstarred" in query.flags:
        where.append("coalesce(s.starred, 0) = 0")
    for name in query.entities:
        # Canonical names: "entity:Ganja" finds the reports that wrote Gandja or Ganca.
        where.append(
            "a.id IN (SELECT m.article_id FROM mentions m JOIN entities e"
            " ON e.alias = m.text AND e.kind = m.kind WHERE e.canonical IN"
            " (SELECT canonical FROM entities WHERE alias = ? COLLATE NOCASE"
            "  OR canonical = ? COLLATE NOCASE))")
        params.extend([name, name])
    if "conflict" in query.has:
        where.append("a.id IN (SELECT m.article_id FROM story_members m JOIN stories s2"
                     " ON s2.id = m.story_id WHERE s2.has_conflict = 1)")
    if "copies" in query.has:
        where.append("a.id IN (SELECT m.article_id FROM story_members m JOIN stories s2"
                     " ON s2.id = m.story_id WHERE s2.n_copies > 0)")
    if query.story:
        where.append("a.id IN (SELECT article_id FROM story_members WHERE story_id = ?"
                     " OR story_id = ?)")
        params.extend([query.story, f"s:{query.story}"])
    return where, params


def search(index: Index, raw: str, limit: int = 50, fuzzy: bool = True) -> list[Hit]:
    """Run a typed search: ranked full-text hits, then fuzzy title matches for typos."""
    query = parse_query(raw)
    where, params = filter_sql(index, query)
    if not query.text:
        if not query.has_filters:
            return []
        rows = index.list_rows(0, limit, where=" AND ".join(where), params=params)
        return [Hit(row, "", "filter") for row in rows]
    hits = _fts(index, query.text, where, params, limit)
    if fuzzy and len(hits) < limit:
        from tui.core.search_titles import fuzzy_titles  # RapidFuzz: not before first paint

        seen = {h.row.id for h in hits}
        for row in fuzzy_titles(index, query.text, where, params, limit - len(hits)):
            if row.id not in seen:
                hits.append(Hit(row, "", "fuzzy"))
    return hits


def _fts(index: Index, text: str, where: list[str], params: list[Any], limit: int) -> list[Hit]:
    """Full-text hits ranked by BM25 (title weighs most), with snippets."""
    expression = fts_expression(text)
    if not expression:
        return []
    try:
        ranked = _ranked(index, expression, where, params, limit)
    except sqlite3.OperationalError as exc:
        message = str(exc).removeprefix("fts5: ")
        raise QueryError(f"invalid search {text!r}: {message}") from None
    if not ranked:
        return []
    # Snippets are cut here, not by FTS5's snippet(): its cost grows with the square of
    # the matches in one document, and a long report naming "Baku" a thousand times
    # stalled the search for minutes.
    marks = ",".join("?" * len(ranked))
    rows = index.db.execute(_ROWS_WITH_BODY.format(marks=marks), ranked).fetchall()
    by_rowid = {r[0]: r for r in rows}
    pattern = terms_pattern(text)
    return [Hit(_row(r[:10]), snippet(r[10], pattern), "fts")
            for r in (by_rowid.get(rowid) for rowid in ranked) if r is not None]


SNIPPET_REACH = 200_000
"""Characters of a body searched for the snippet (a match further in shows the start)."""
_COLUMNS, _FROM = ROW_SELECT.split(" FROM ", 1)
_ROWS_WITH_BODY = (f"{_COLUMNS}, substr(a.body, 1, {SNIPPET_REACH}) FROM {_FROM}"
                   " WHERE a.rowid IN ({marks})")
PARALLEL_FROM = 20_000
"""Libraries spanning more article rows than this are ranked in two halves at once (one
thread and connection each: SQLite runs without the interpreter lock, so both cores work).
Ranking is the cost of a common word: BM25 reads every matching row's statistics."""
_pool: ThreadPoolExecutor | None = None


def _ranked(index: Index, expression: str, where: list[str], params: list[Any],
            limit: int) -> list[int]:
    """Row ids of the ``limit`` best full-text matches, best first."""
    # The best are ranked on row ids alone, then joined to their rows: carrying every
    # matching row's text through the sort took 0.4 s for a common word at 100k.
    source = ("fts" if not where else
              "fts JOIN articles a ON a.rowid = fts.rowid LEFT JOIN st.state s ON s.id = a.id")
    conditions = " AND ".join(["fts MATCH ?", *where])
    sql = (f"SELECT fts.rowid, bm25(fts, 8.0, 1.0, 2.0) AS rank FROM {source}"
           f" WHERE {conditions} AND fts.rowid BETWEEN ? AND ? ORDER BY rank, fts.rowid LIMIT ?")
    low, high = index.db.execute("SELECT min(rowid), max(rowid) FROM articles").fetchone()
    if low is None:
        return []

    def rank(first: int, last: int) -> list[tuple[int, float]]:
        return index.db.execute(sql, (expression, *params, first, last, limit)).fetchall()

    if high - low < PARALLEL_FROM:
        return [rowid for rowid, _ in rank(low, high)]
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(2, thread_name_prefix="crosscheck-search")
    middle = (low + high) // 2
    halves = [_pool.submit(rank, low, middle), _pool.submit(rank, middle + 1, high)]
    best = sorted([*halves[0].result(), *halves[1].result()], key=lambda r: (r[1], r[0]))
    return [rowid for rowid, _ in best[:limit]]
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def terms_pattern(text: str) -> re.Pattern[str] | None:
    """A pattern for the words of a query (each as a word prefix, operators left out), to
    mark them in snippets and in the reader."""
    words = [w for w in re.findall(r"[^\W_]+", text) if w not in _OPERATORS]
    if not words:
        return None
    alternatives = "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def snippet(body: str, pattern: re.Pattern[str] | None, before: int = 30,
            after: int = 120) -> str:
    """A one-line extract of ``body`` around the first match of ``pattern``, each match
    between :data:`MARK_START` and :data:`MARK_END`; the opening when nothing matches."""
    found = pattern.search(body) if pattern is not None else None
    start = 0 if found is None else max(0, found.start() - before)
    if start:
        space = body.find(" ", start, found.start() if found else start)
        start = space + 1 if space >= 0 else start
    end = min(len(body), (found.end() if found else 0) + after)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start else end
    window = body[start:end]
    if pattern is not None:
        window = pattern.sub(lambda m: f"{MARK_START}{m.group()}{MARK_END}", window)
    return ("…" if start else "") + " ".join(window.split()) + ("…" if end < len(body) else "")


def split_marks(snippet: str) -> list[tuple[str, bool]]:
    """Split a snippet into ``(text, is_match)`` pieces using the match markers."""
    pieces: list[tuple[str, bool]] = []
    for i, part in enumerate(re.split(f"[{MARK_START}{MARK_END}]", snippet)):
        if part:
            pieces.append((part, i % 2 == 1))
    return pieces
