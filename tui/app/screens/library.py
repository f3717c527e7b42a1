"""Home: the stories (or a flat article list), search as you type, a preview pane."""

from __future__ import annotations

import gc
import sys
import time
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, ProgressBar, Static

from tui.app.sources import ArticleSource, SearchSource, StorySource
from tui.app.widgets.document import DocumentView
from tui.app.widgets.footer import KeyBar
from tui.app.widgets.vlist import VirtualList
from tui.core.sanitize import one_line
from tui.core.search import Hit, QueryError, search
from tui.core.store import Index, RefreshReport
from tui.core.storyview import StoryIds, story_of, story_rows

SORTS = ("date", "source", "title", "size")
SEARCH_DELAY = 0.12
"""Searches start at most this often (s) while typing: a key after a pause searches at once,
keys typed faster than this search once the pause since the last search is over."""
NARROW = 100
"""Below this width the preview pane hides (app.tcss ``.-narrow``); ``p`` brings it back."""


class LibraryScreen(Screen[None]):
    """The library: stories newest first; ``t`` flips to a flat, sortable article list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="library.search"),
        Binding("escape", "clear_search", "Clear", show=False, id="library.clear"),
        Binding("t", "toggle_flat", "Stories/flat", id="library.toggle_flat"),
        Binding("o", "cycle_sort", "Sort", id="library.sort"),
        Binding("right,l", "expand", "Expand", show=False, id="library.expand"),
        Binding("left,h", "collapse", "Collapse", show=False, id="library.collapse"),
        Binding("c", "compare", "Compare", id="library.compare"),
        Binding("v", "story_overview", "Story", id="library.story"),
        Binding("M", "merge", "Mark/merge", show=False, id="library.merge"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="library.toggle_read"),
        Binding("s", "toggle_star", "Star", show=False, id="library.star"),
        Binding("p", "toggle_preview", "Preview", show=False, id="library.preview"),
    ]

    class ListShown(Message):
        """The list was painted for the first time: the app starts its background update."""

    flat: reactive[bool] = reactive(False)
    sort_index: reactive[int] = reactive(0)

    def __init__(self, index: Index) -> None:
        super().__init__()
        self.index = index
        self.search_text = ""
        self._search_timer: Timer | None = None
        self._searched_at = 0.0
        self._preview_timer: Timer | None = None
        self._new_list = False
        self._painted = False
        """The next highlight comes from a new list (search results, a reload): its preview
        follows the list's paint at once, without the wait that lets held keys go by."""
        self.merge_mark: str | None = None
        """The story marked with ``M``, to be merged into the next story ``M`` is pressed on."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ search · source: entity: date:A..B is:unread has:conflict "
                    "story:", id="search")
        with Horizontal(id="library-body"):
            yield VirtualList(id="list")
            yield DocumentView(id="preview")
        with Horizontal(id="status"):
            yield Static("", id="status-text", markup=False)
            yield ProgressBar(id="index-progress", show_eta=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#index-progress").display = False
        self.reload()
        self.query_one("#list").focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    # -- data ----------------------------------------------------------------------

    @property
    def vlist(self) -> VirtualList:
        return self.query_one("#list", VirtualList)

    def reload(self, keep: str | None = None) -> None:
        """Re-read the list from the index, keeping the cursor on the same entry
        (or on ``keep``)."""
        keep = keep or self.vlist.current_key
        if self.search_text:
            self.run_search(self.search_text)
            return
        if self.flat:
            source: ArticleSource | StorySource = ArticleSource(
                self.index, SORTS[self.sort_index], SORTS[self.sort_index] in ("date", "size"))
        else:
            source = StorySource(self.index)
            # The first rows are read; the rest of the ids once this paint is done.
            self.call_after_refresh(self._complete_ids, source.ids)
        self._new_list = True
        self.vlist.set_source(source, keep)
        self.update_status()

    @work(thread=True, exclusive=True, group="story-ids")
    def _complete_ids(self, ids: StoryIds) -> None:
        ids.complete()

    def update_status(self, extra: str = "") -> None:
        articles = self.index.count()
        stories = self.index.db.execute("SELECT count(*) FROM stories").fetchone()[0]
        problems = self.index.db.execute("SELECT count(*) FROM problems").fetchone()[0]
        mode = f"flat · sort: {SORTS[self.sort_index]}" if self.flat else "stories"
        parts = [f"{articles:,} articles", f"{stories:,} stories", mode,
                 f"{problems} problem{'s' if problems != 1 else ''}" + (" (P)" if problems
                                                                        else "")]
        if self.merge_mark:
            row = story_rows(self.index, [self.merge_mark]).get(self.merge_mark)
            label = one_line(row.label, 30) if row else self.merge_mark
            parts.append(f"marked: {label} (M on another story merges it in)")
        if extra:
            parts.append(extra)
        # The path goes last: a long one must not push counts and progress off screen.
        parts.append(str(self.index.root))
        self.query_one("#status-text", Static).update(" · ".join(parts))

    def show_progress(self, stage: str, done: int, total: int) -> None:
        bar = self.query_one("#index-progress", ProgressBar)
        bar.display = total > 0 and done < total
        bar.update(total=max(total, 1), progress=done)
        self.update_status(f"{stage} {done:,}/{total:,}")

    def files_read(self, report: RefreshReport) -> None:
        """New and changed reports are in the index: list them while their analysis runs."""
        self.reload()

    def index_finished(self, report: RefreshReport | None) -> None:
        self.query_one("#index-progress").display = False
        if report is not None and report.touched:
            self.reload()
        else:
            self.update_status()

    # -- search ----------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        search_box = self.query_one("#search", Input)
        if search_box.value or self.search_text:
            search_box.value = ""
            self.search_text = ""
            self.reload()
        self.vlist.focus()

    @on(Input.Changed, "#search")
    def schedule_search(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value
        wait = self._searched_at + SEARCH_DELAY - time.monotonic()
        if wait <= 0:
            self._start_search(value)
        else:
            self._search_timer = self.set_timer(wait, lambda: self._start_search(value))

    def _start_search(self, value: str) -> None:
        self._searched_at = time.monotonic()
        self.search_text = value.strip()
        if not self.search_text:
            self.reload()
        else:
            self.run_search(self.search_text)

    @on(Input.Submitted, "#search")
    def submit_search(self) -> None:
        self.vlist.focus()
        if len(self.vlist.source):
            self.vlist.action_select()

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        """Search in a thread; only the latest query's results are shown."""
        try:
            hits = search(self.index, query, limit=200)
        except QueryError as exc:
            self.app.call_from_thread(self._search_failed, str(exc))
            return
        self.app.call_from_thread(self._show_hits, query, hits)

    def _show_hits(self, query: str, hits: list[Hit]) -> None:
        if query != self.search_text:
            return
        self._new_list = True
        self.vlist.set_source(SearchSource(hits))
        self.update_status(f"{len(hits)} match{'es' if len(hits) != 1 else ''} for {query!r}")

    def _search_failed(self, message: str) -> None:
        self.update_status(message)

    # -- list and preview ----------------------------------------------------------------

    @on(VirtualList.Highlighted, "#list")
    def schedule_preview(self, event: VirtualList.Highlighted) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        if self._new_list:
            self._new_list = False
            self.call_after_refresh(self.update_preview)
        else:
            self._preview_timer = self.set_timer(0.05, self.update_preview)

    def current_article(self) -> str | None:
        """The article under the cursor (a story row means its lead report)."""
        source = self.vlist.source
        if not len(source):
            return None
        if isinstance(source, StorySource):
            return source.article_at(self.vlist.cursor)
        return source.key(self.vlist.cursor)

    def update_preview(self) -> None:
        preview = self.query_one("#preview", DocumentView)
        if not preview.display:
            return
        if "tui.core.annotations" not in sys.modules:
            # The recognisers load in a thread (0.2 s) once the list is on screen.
            if self._painted:
                self._load_analysis()
            return
        article_id = self.current_article()
        article = self.index.get(article_id) if article_id else None
        if article is None:
            preview.show("")
            return
        # Imported here: the recognisers load after the list's first paint, not before.
        from tui.core.annotations import annotate_article

        notes = annotate_article(self.index, article)
        header = f"{article.title}\n{article.date or 'undated'} · {article.source or '—'} · " \
                 f"{article.words} words\n\n"
        shifted = [s.shifted(len(header)) for s in notes.spans]
        conflicts = [s.shifted(len(header)) for s in notes.conflicts]
        preview.show(header + article.body, shifted, conflicts)

    def on_virtual_list_painted(self, _message: VirtualList.Painted) -> None:
        # The first screen reaches the terminal over a few compositor passes (0.1 s at
        # 100k); work that holds the interpreter lock waits until they are done.
        self.set_timer(0.15, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What the first paint should not wait for: the app's background update, the
        recognisers for the preview."""
        self._painted = True
        self.post_message(self.ListShown())
        self.update_preview()

    @work(thread=True, exclusive=True, group="analysis")
    def _load_analysis(self) -> None:
        import tui.core.annotations  # noqa: F401

        self.app.call_from_thread(self.update_preview)

    @on(VirtualList.Selected, "#list")
    def open_selected(self, event: VirtualList.Selected) -> None:
        source = self.vlist.source
        if isinstance(source, StorySource):
            story_id, member = source.entry(event.index)
            if member < 0 and story_id in source.expanded:
                self.open_story(story_id)
                return
            if member < 0 and self._story_size(event.index):
                self.action_expand()
                return
        article_id = self.current_article()
        if article_id:
            self.open_reader(article_id)

    def _story_size(self, row: int) -> int:
        source = self.vlist.source
        assert isinstance(source, StorySource)
        story_id, _ = source.entry(row)
        count = self.index.db.execute("SELECT n_articles FROM stories WHERE id=?",
                                      (story_id,)).fetchone()
        return int(count[0]) if count and count[0] > 1 else 0

    def open_reader(self, article_id: str) -> None:
        from tui.app.screens.reader import ReaderScreen

        self.app.push_screen(ReaderScreen(self.index, article_id, self.search_text))

    def action_expand(self) -> None:
        source = self.vlist.source
        if isinstance(source, StorySource) and len(source):
            self.vlist.cursor = source.toggle(self.vlist.cursor, True)
            self.vlist.set_source(source, self.vlist.current_key)

    def action_collapse(self) -> None:
        source = self.vlist.source
        if isinstance(source, StorySource) and len(source):
            key = source.entry(self.vlist.cursor)[0]
            source.toggle(self.vlist.cursor, False)
            self.vlist.set_source(source, key)

    def action_toggle_flat(self) -> None:
        self.flat = not self.flat
        self.reload()

    def action_cycle_sort(self) -> None:
        if not self.flat:
            self.flat = True
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.reload()

    def action_toggle_preview(self) -> None:
        preview = self.query_one("#preview", DocumentView)
        preview.display = not preview.display
        self.update_preview()

    def action_toggle_read(self) -> None:
        article_id = self.current_article()
        if article_id:
            read, _ = self.index.state(article_id)
            self.index.set_state(article_id, read=not read)
            self._redraw_rows()

    def action_toggle_star(self) -> None:
        article_id = self.current_article()
        if article_id:
            _, starred = self.index.state(article_id)
            self.index.set_state(article_id, starred=not starred)
            self._redraw_rows()

    def _redraw_rows(self) -> None:
        source = self.vlist.source
        if isinstance(source, ArticleSource):
            source.invalidate()
        elif isinstance(source, StorySource):
            source.reload_members()
        self.vlist.refresh()

    def action_compare(self) -> None:
        article_id = self.current_article()
        if article_id:
            from tui.app.screens.compare import open_compare

            open_compare(self.app, self.index, article_id)

    # -- stories: overview, merge --------------------------------------------------------

    def current_story(self) -> str | None:
        """The story under the cursor (a report row means the story holding it)."""
        source = self.vlist.source
        if isinstance(source, StorySource) and len(source):
            return source.entry(self.vlist.cursor)[0]
        article_id = self.current_article()
        return story_of(self.index, article_id) if article_id else None

    def action_story_overview(self) -> None:
        story_id = self.current_story()
        if story_id:
            self.open_story(story_id)

    def open_story(self, story_id: str) -> None:
        """Open the story overview; the list is re-read if the story was edited there."""
        from tui.app.screens.story import StoryScreen

        self.app.push_screen(StoryScreen(self.index, story_id), self._story_closed)

    def _story_closed(self, edited: str | None) -> None:
        if edited:
            self.reload(edited)

    def action_merge(self) -> None:
        """First ``M`` marks a story; ``M`` on another merges the marked one into it."""
        story_id = self.current_story()
        if story_id is None:
            return
        if self.merge_mark is None or self.merge_mark == story_id:
            unmark = self.merge_mark == story_id
            self.merge_mark = None if unmark else story_id
            self.notify("merge mark removed" if unmark else
                        "Story marked. Press M on another story to merge this one into it "
                        "(M here again to unmark).", title="Merge", markup=False, timeout=5)
            self.update_status()
            return
        if getattr(self.app, "indexing", False):
            self.notify("wait until the library has finished indexing", markup=False, timeout=3)
            return
        self.merge_stories(story_id, self.merge_mark)

    @work(thread=True, exclusive=True, group="story-edit")
    def merge_stories(self, target: str, marked: str) -> None:
        """Merge ``marked`` into ``target`` in a thread, then show the merged story."""
        from tui.app.screens.story import app_config
        from tui.core.story_edit import StoryEditError, merge_stories, story_articles

        try:
            merged = merge_stories(self.index, app_config(self.app), target, marked)
        except StoryEditError as exc:
            self.app.call_from_thread(self._merged, None, str(exc))
            return
        count = len(story_articles(self.index, merged))
        self.app.call_from_thread(self._merged, merged, f"merged: the story now holds {count} "
                                  f"report{'s' if count != 1 else ''}")

    def _merged(self, story_id: str | None, message: str) -> None:
        self.merge_mark = None
        if story_id is None:
            self.notify(message, title="Merge failed", severity="error", markup=False)
            self.update_status()
            return
        self.notify(message, title="Merged", markup=False, timeout=5)
        self.reload(story_id)

    def on_screen_resume(self) -> None:
        self.vlist.refresh()
        self.update_status()
        # Collect what the closed screen left once the list is back on screen: otherwise a
        # full collection (40 ms) tends to land inside the next screen's opening.
        self.call_after_refresh(gc.collect)

    def status_text(self) -> Text:
        """The status line's text (for tests)."""
        return Text(str(self.query_one("#status-text", Static).render()))
