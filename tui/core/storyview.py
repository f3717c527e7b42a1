"""Read stories from the index: ordered lists, rows for a window, members of one story."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, overload

from tui.core.store import ArticleRow, Index


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One story as the library list shows it."""

    id: str
    label: str
    first_date: str | None
    last_date: str | None
    n_articles: int
    n_copies: int
    sources: str
    has_conflict: bool
    unread: int = 0
    """Reports of the story not read yet."""

    @property
    def span(self) -> str:
        """``2020-10-04`` or ``2020-10-04…10-17`` or ``undated``."""
        if not self.last_date:
            return "undated"
        if not self.first_date or self.first_date == self.last_date:
            return self.last_date
        first, last = self.first_date, self.last_date
        return f"{first}…{last[5:] if first[:4] == last[:4] else last}"


@dataclass(frozen=True, slots=True)
class Member:
    """A report within a story: its row, its relation and what it copies (if a copy)."""

    row: ArticleRow
    relation: str
    """``original`` (the story's representative), ``same-story`` or ``copy``."""
    copy_of: str | None
    score: float


_STORY_COLUMNS = "id, label, first_date, last_date, n_articles, n_copies, sources, has_conflict"


def _story(r: Any) -> StoryRow:
    return StoryRow(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), r[6], bool(r[7]))


def story_ids(index: Index, where: str = "", params: tuple[Any, ...] = ()) -> list[str]:
    """Every story id, latest report first."""
    sql = f"SELECT id FROM stories {('WHERE ' + where) if where else ''} ORDER BY sort_key DESC"
    # One joined string instead of a row per story: half the time at 100k (the list's start).
    row = index.db.execute(f"SELECT group_concat(id, char(31)), count(*) FROM ({sql})",
                           params).fetchone()
    ids = row[0].split("\x1f") if row and row[0] is not None else []
    if len(ids) == row[1]:
        return ids
    return [r[0] for r in index.db.execute(sql, params)]  # an id holding the separator


class StoryIds(Sequence[str]):
    """Every story id, latest first, as :func:`story_ids` gives them, read in two steps: the
    first :data:`HEAD` at once (what a list shows first), the rest by :meth:`complete`
    (from a thread, after the first paint) or when first needed beyond the head."""

    HEAD = 500

    def __init__(self, index: Index, where: str = "", params: tuple[Any, ...] = ()) -> None:
        self._index, self._where, self._params = index, where, params
        sql = (f"SELECT id FROM stories {('WHERE ' + where) if where else ''}"
               " ORDER BY sort_key DESC LIMIT ?")
        self._head: list[str] = [r[0] for r in index.db.execute(sql, (*params, self.HEAD + 1))]
        self._all: list[str] | None = None
        self._count = len(self._head)
        if len(self._head) <= self.HEAD:
            self._all = self._head
        else:
            count_sql = f"SELECT count(*) FROM stories {('WHERE ' + where) if where else ''}"
            self._count = int(index.db.execute(count_sql, params).fetchone()[0])

    def complete(self) -> list[str]:
        """Every id (read once; safe from another thread: the list is swapped in whole)."""
        found = self._all
        if found is None:
            found = story_ids(self._index, self._where, self._params)
            self._all = found
        return found

    def __len__(self) -> int:
        return self._count if self._all is None else len(self._all)

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if self._all is None:
            head = len(self._head) - 1  # the extra row read only says there are more
            if isinstance(i, slice):
                if i.step in (None, 1) and 0 <= (i.start or 0) and i.stop is not None \
                        and 0 <= i.stop <= head:
                    return self._head[i]
            elif 0 <= i < head:
                return self._head[i]
        return self.complete()[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self.complete())


def story_rows(index: Index, ids: list[str]) -> dict[str, StoryRow]:
    """Rows for the given story ids."""
    out: dict[str, StoryRow] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for r in index.db.execute(f"SELECT {_STORY_COLUMNS} FROM stories WHERE id IN ({marks})",
                                  chunk):
            out[r[0]] = _story(r)
        for story_id, unread in index.db.execute(
                "SELECT m.story_id, sum(coalesce(s.read, 0) = 0) FROM story_members m"
                " LEFT JOIN st.state s ON s.id = m.article_id"
                f" WHERE m.story_id IN ({marks}) GROUP BY m.story_id", chunk):
            if story_id in out:
                out[story_id] = replace(out[story_id], unread=int(unread))
    return out


def story_of(index: Index, article_id: str) -> str | None:
    """The id of the story holding an article."""
    row = index.db.execute("SELECT story_id FROM story_members WHERE article_id=?",
                           (article_id,)).fetchone()
    return str(row[0]) if row else None


def members(index: Index, story_id: str) -> list[Member]:
    """The story's reports: each original followed by its copies, in story order."""
    rows = index.db.execute(
        "SELECT article_id, relation, copy_of, score FROM story_members WHERE story_id=?"
        " ORDER BY position", (story_id,)).fetchall()
    by_id = index.rows_by_ids([r[0] for r in rows])
    return [Member(by_id[r[0]], r[1], r[2], float(r[3])) for r in rows if r[0] in by_id]


def pair_reasons(index: Index, a: str, b: str) -> tuple[str, float, dict[str, Any]] | None:
    """``(relation, score, reasons)`` stored for two articles, in either order."""
    row = index.db.execute(
        "SELECT relation, score, reasons FROM pairs WHERE (a=? AND b=?) OR (a=? AND b=?)",
        (a, b, b, a)).fetchone()
    return (row[0], float(row[1]), json.loads(row[2])) if row else None


def related(index: Index, article_id: str) -> list[tuple[str, str, float]]:
    """Articles related to one: ``(other id, relation, score)``, best first."""
    rows = index.db.execute(
        "SELECT b, relation, score FROM pairs WHERE a=? UNION ALL"
        " SELECT a, relation, score FROM pairs WHERE b=? ORDER BY 3 DESC",
        (article_id, article_id)).fetchall()
    return [(r[0], r[1], float(r[2])) for r in rows]
