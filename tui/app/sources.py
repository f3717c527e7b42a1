"""Row sources for the library list: stories, flat articles, search results.

Each keeps only ids in memory and fetches the visible rows from the index in blocks,
so a 100,000-article library costs one id list, not 100,000 widgets.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from rich.text import Text

from tui.app.widgets.vlist import RowStyles
from tui.core.search import Hit, split_marks
from tui.core.store import ArticleRow, Index
from tui.core.storyview import Member, StoryIds, StoryRow, members, story_rows

BLOCK = 64
T = TypeVar("T")


class BlockCache(Generic[T]):
    """Rows fetched by block of ids, keeping the most recent blocks."""

    def __init__(self, fetch: Callable[[list[str]], dict[str, T]], size: int = 32) -> None:
        self._fetch = fetch
        self._blocks: OrderedDict[int, dict[str, T]] = OrderedDict()
        self._size = size

    def get(self, ids: Sequence[str], index: int) -> T | None:
        block = index // BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            rows = self._fetch(list(ids[block * BLOCK : (block + 1) * BLOCK]))
            self._blocks[block] = rows
            if len(self._blocks) > self._size:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block)
        return rows.get(ids[index])


def _date(value: str | None) -> str:
    return value or "undated"


def article_line(row: ArticleRow, width: int, styles: RowStyles, prefix: str = "") -> Text:
    """One article as a list line: date, source, title; unread titles stand out."""
    text = Text(no_wrap=True)
    text.append(prefix)
    text.append(f"{_date(row.date):<10} ", styles.dim)
    if row.source:
        text.append(f"{row.source[:18]:<18} ", styles.dim)
    text.append("★ " if row.starred else "", styles.badge)
    text.append(row.title, styles.unread if not row.read else styles.dim)
    text.append(f"  {row.words}w", styles.dim)
    return text


class ArticleSource:
    """Every article, flat, in a chosen order."""

    row_height = 1

    def __init__(self, index: Index, order: str = "date", descending: bool = True) -> None:
        self.index = index
        self.order = order
        self.descending = descending
        self.ids = _ordered_ids(index, order, descending)
        self._cache: BlockCache[ArticleRow] = BlockCache(index.rows_by_ids)

    def __len__(self) -> int:
        return len(self.ids)

    def key(self, index: int) -> str | None:
        return self.ids[index] if 0 <= index < len(self.ids) else None

    def render_row(self, index: int, width: int, styles: RowStyles) -> list[Text]:
        row = self._cache.get(self.ids, index)
        return [article_line(row, width, styles) if row else Text("…")]

    def invalidate(self) -> None:
        self._cache = BlockCache(self.index.rows_by_ids)


def _ordered_ids(index: Index, order: str, descending: bool) -> list[str]:
    """Article ids in list order (one query; no row data)."""
    column = {"date": "coalesce(date,'')", "source": "lower(source)", "title": "lower(title)",
              "size": "words"}.get(order, "coalesce(date,'')")
    direction = "DESC" if descending else "ASC"
    sql = f"SELECT id FROM articles ORDER BY {column} {direction}, id"
    return [r[0] for r in index.db.execute(sql)]


class StorySource:
    """Stories, latest first; an expanded story shows its reports (copies folded under)."""

    row_height = 1

    def __init__(self, index: Index, where: str = "", params: tuple[str, ...] = ()) -> None:
        self.index = index
        self.ids = StoryIds(index, where, params)
        self.expanded: dict[str, list[Member]] = {}
        # Every story folded (the usual case, and always at start): row i is story i, and
        # no list of rows is built (91k stories at 100k articles).
        self._rows: list[tuple[str, int]] | None = None
        self._positions: dict[str, int] | None = None
        self._cache: BlockCache[StoryRow] = BlockCache(lambda ids: story_rows(index, ids))

    def __len__(self) -> int:
        return len(self.ids) if self._rows is None else len(self._rows)

    def entry(self, index: int) -> tuple[str, int]:
        """``(story id, member index)``; member index -1 is the story row itself."""
        return (self.ids[index], -1) if self._rows is None else self._rows[index]

    def key(self, index: int) -> str | None:
        if not 0 <= index < len(self):
            return None
        story_id, member = self.entry(index)
        if member < 0:
            return story_id
        return self.expanded[story_id][member].row.id

    def article_at(self, index: int) -> str | None:
        """The article to preview at a row: the member, or the story's lead report."""
        story_id, member = self.entry(index)
        if member >= 0:
            return self.expanded[story_id][member].row.id
        found = self.expanded.get(story_id) or members(self.index, story_id)[:1]
        return found[0].row.id if found else None

    def toggle(self, index: int, expand: bool | None = None) -> int:
        """Expand or collapse the story at row ``index``; return the story's row."""
        story_id, _member = self.entry(index)
        is_open = story_id in self.expanded
        if expand is None:
            expand = not is_open
        if expand and not is_open:
            found = members(self.index, story_id)
            if len(found) > 1:  # a story of one report has nothing to unfold
                self.expanded[story_id] = found
        elif not expand and is_open:
            del self.expanded[story_id]
        self._rebuild()
        if self._rows is None:
            return self._position(story_id)
        return self._rows.index((story_id, -1))

    def reload_members(self) -> None:
        """Fetch the expanded stories' members again (after read/star changes)."""
        for story_id in self.expanded:
            self.expanded[story_id] = members(self.index, story_id)

    def _position(self, story_id: str) -> int:
        """Where a story is in :attr:`ids`."""
        if self._positions is None:
            self._positions = {sid: i for i, sid in enumerate(self.ids)}
        return self._positions[story_id]

    def _rebuild(self) -> None:
        if not self.expanded:
            self._rows = None
            return
        rows: list[tuple[str, int]] = []
        for sid in self.ids:
            rows.append((sid, -1))
            rows.extend((sid, i) for i in range(len(self.expanded.get(sid, ()))))
        self._rows = rows

    def render_row(self, index: int, width: int, styles: RowStyles) -> list[Text]:
        story_id, member = self.entry(index)
        if member >= 0:
            return [self._member_line(self.expanded[story_id][member], width, styles)]
        position = index if self._rows is None else self._position(story_id)
        story = self._cache.get(self.ids, position)
        if story is None:
            return [Text("…")]
        return [self._story_line(story, story_id in self.expanded, styles)]

    @staticmethod
    def _story_line(story: StoryRow, is_open: bool, styles: RowStyles) -> Text:
        text = Text(no_wrap=True)
        marker = "▾ " if is_open else ("▸ " if story.n_articles > 1 else "  ")
        text.append(marker, styles.dim)
        text.append(f"{story.span:<16} ", styles.dim)
        text.append("⚠ " if story.has_conflict else "  ", styles.conflict)
        reports = story.n_articles - story.n_copies
        badge = f"{reports}" + (f"·{story.n_copies}c" if story.n_copies else "")
        text.append(f"{badge:>5} ", styles.badge)
        # Like the flat list: a story with reports still to read stands out.
        text.append(story.label, styles.unread if story.unread else styles.dim)
        if story.sources:
            text.append(f"  {story.sources}", styles.dim)
        return text

    @staticmethod
    def _member_line(m: Member, width: int, styles: RowStyles) -> Text:
        if m.relation == "copy":
            prefix = Text("      └ copy  ", styles.copy)
        elif m.relation == "original":
            prefix = Text("    ● lead    ", styles.dim)
        else:
            prefix = Text("    ◆ story   ", styles.dim)
        line = article_line(m.row, width, styles)
        return prefix + line


class SearchSource:
    """Search hits: title line plus the matching snippet under it."""

    row_height = 2

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits

    def __len__(self) -> int:
        return len(self.hits)

    def key(self, index: int) -> str | None:
        return self.hits[index].row.id if 0 <= index < len(self.hits) else None

    def render_row(self, index: int, width: int, styles: RowStyles) -> list[Text]:
        hit = self.hits[index]
        first = article_line(hit.row, width, styles)
        if hit.how == "fuzzy":
            first.append("  ~title", styles.dim)
        second = Text("    ", no_wrap=True)
        for piece, is_match in split_marks(hit.snippet):
            second.append(piece, styles.match if is_match else styles.dim)
        return [first, second]
