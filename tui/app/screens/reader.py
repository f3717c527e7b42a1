"""One report in full, entities and figures highlighted, with a side panel listing them."""

from __future__ import annotations

import webbrowser
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.app.screens.styled import StyledOnMount
from tui.app.widgets.document import DocumentView, TextLines
from tui.app.widgets.footer import KeyBar
from tui.core.annotations import Notes, annotate_article
from tui.core.search import parse_query, terms_pattern
from tui.core.spans import ENTITY_KINDS, FIGURE_KINDS, Span
from tui.core.store import Index

KIND_FILTERS = ("entity", *ENTITY_KINDS, "figure")
NARROW = 100
"""Below this width the side panel hides (app.tcss ``.-narrow``); ``i`` brings it back."""


class ReaderScreen(StyledOnMount[None]):
    """The full report. ``e``/``E`` and ``f``/``F`` walk the highlights; ``n``/``N`` the search."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "app.pop_screen", "Back", id="reader.back"),
        Binding("e", "next_span(1)", "Next entity", id="reader.next_entity"),
        Binding("E", "next_span(-1)", "Prev entity", show=False, id="reader.prev_entity"),
        Binding("K", "cycle_kind", "Entity kind", show=False, id="reader.cycle_kind"),
        Binding("f", "next_figure(1)", "Next figure", id="reader.next_figure"),
        Binding("F", "next_figure(-1)", "Prev figure", show=False, id="reader.prev_figure"),
        Binding("n", "next_match(1)", "Next match", show=False, id="reader.next_match"),
        Binding("N", "next_match(-1)", "Prev match", show=False, id="reader.prev_match"),
        Binding("v", "toggle_original", "Original", id="reader.original"),
        Binding("b", "open_url", "Browser", show=False, id="reader.open_url"),
        Binding("y", "copy_text", "Copy", show=False, id="reader.copy"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="reader.toggle_read"),
        Binding("s", "toggle_star", "Star", id="reader.star"),
        Binding("c", "compare", "Compare", id="reader.compare"),
        Binding("i", "toggle_panel", "Panel", show=False, id="reader.panel"),
    ]

    def __init__(self, index: Index, article_id: str, query: str = "",
                 at: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.index = index
        self.article_id = article_id
        self.at = at
        """Body offsets to open at (a figure or a name), marked as current."""
        self.search_text = query
        self.showing_original = False
        self.kind_filter = 0
        self.notes = Notes()
        self.header_len = 0
        self.matches: list[tuple[int, int]] = []
        self.position: dict[str, int] = {}
        self.panel_filled = False
        """The side panel lists the entities and figures (filled when first shown)."""

    def compose(self) -> ComposeResult:
        # Narrow or wide before anything is styled, and few widgets (the side panel is
        # docked, no container holds the legend and the text): each one is styled, laid
        # out and painted as the screen opens.
        self.set_class(self.app.size.width < NARROW, "-narrow")
        yield Static("", id="reader-legend")
        yield DocumentView(id="reader-doc")
        with VerticalScroll(id="reader-side"):
            yield TextLines(id="reader-panel")
        yield KeyBar()

    def on_mount(self) -> None:
        article = self.index.get(self.article_id)
        if article is None:
            self.notify(f"article {self.article_id!r} is no longer in the library",
                        severity="error", markup=False)
            self.app.pop_screen()
            return
        self.article = article
        self.notes = annotate_article(self.index, article)
        self.index.set_state(self.article_id, read=True)
        self.show_body()
        self.query_one("#reader-legend", Static).update(self._legend())
        self._fill_panel()
        self.doc.focus()
        if self.at is not None:
            self.call_after_refresh(self.doc.set_current,
                                    (self.at[0] + self.header_len, self.at[1] + self.header_len))
        self.mounted_styled()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self._fill_panel()

    def _fill_panel(self) -> None:
        """List the entities and figures in the side panel, once, when it is first shown."""
        side = self.query_one("#reader-side", VerticalScroll)
        if self.panel_filled or not side.display:
            return
        self.panel_filled = True
        text = self._entity_panel()
        text.append("\n")
        text.append_text(self._figure_panel())
        self.query_one("#reader-panel", TextLines).update(text)
        if not side.size and text.plain.count("\n") >= self.app.size.height:
            # Sure to scroll: laid out with its scrollbar from the first layout, rather
            # than laid out, painted, then laid out and painted again narrower.
            side.show_vertical_scrollbar = True

    @property
    def doc(self) -> DocumentView:
        return self.query_one("#reader-doc", DocumentView)

    def show_body(self) -> None:
        a = self.article
        row = self.index.rows_by_ids([a.id]).get(a.id)  # its stored word count: counting
        words, starred = (row.words, row.starred) if row else (a.words, False)  # is slow
        header = (f"{a.title}\n{a.date or 'undated'} · {a.source or 'unknown source'} · "
                  f"{words} words{' · ★' if starred else ''}"
                  f"{' · ' + a.url if a.url else ''}\n\n")
        self.header_len = len(header)
        if self.showing_original:
            self.doc.show(header + self.index.original(a.id))
            self.show_where("original text")
        else:
            self.doc.show(header + a.body, self.notes.spans, self.notes.conflicts, len(header))
        self.matches = self._find_matches(self.doc.text)
        self.doc.set_matches(self.matches)

    def _find_matches(self, text: str) -> list[tuple[int, int]]:
        """Where the search's words occur (prefix match on the last word, like the index)."""
        pattern = terms_pattern(parse_query(self.search_text).text) if self.search_text \
            else None
        return [] if pattern is None else [(m.start(), m.end()) for m in pattern.finditer(text)]

    def show_where(self, where: str) -> None:
        """Say where the reader is ("entity 3 of 40", "original text") beside the legend."""
        self.sub_title = where
        self.query_one("#reader-legend", Static).update(self._legend())

    def _legend(self) -> Text:
        legend = Text("Legend: ")
        for kind in (*ENTITY_KINDS, "number", "date"):
            legend.append(f" {kind} ", self.doc.get_component_rich_style(f"doc--{kind}"))
        legend.append(" conflict ", self.doc.get_component_rich_style("doc--conflict"))
        if self.sub_title:
            legend.append(f"   {self.sub_title}", "bold")
        return legend

    def _entity_panel(self) -> Text:
        out = Text("Entities\n", style="bold")
        counts: dict[str, dict[str, int]] = {}
        for span in self.notes.spans:
            if span.kind in ENTITY_KINDS:
                name = span.canonical or span.text
                counts.setdefault(span.kind, {}).setdefault(name, 0)
                counts[span.kind][name] += 1
        if not counts:
            out.append("  none recognised\n", "dim")
        for kind in ENTITY_KINDS:
            if kind not in counts:
                continue
            out.append(f"\n{kind}\n", self.doc.get_component_rich_style(f"doc--{kind}"))
            for name, n in sorted(counts[kind].items(), key=lambda kv: (-kv[1], kv[0])):
                out.append(f"  {name}", "")
                out.append(f" ×{n}\n", "dim")
        return out

    def _figure_panel(self) -> Text:
        out = Text("\nFigures\n", style="bold")
        if not self.notes.figure_lines:
            out.append("  none stated\n", "dim")
        marked = self.doc.get_component_rich_style("doc--conflict")
        for line, conflict in self.notes.figure_lines:
            out.append(("⚠ " if conflict else "  ") + line + "\n", marked if conflict else "")
        return out

    # -- navigation ------------------------------------------------------------------

    def _walk(self, name: str, stops: list[tuple[int, int]], step: int) -> None:
        if not stops:
            self.notify(f"no {name} here", markup=False, timeout=2)
            return
        pos = (self.position.get(name, -1 if step > 0 else 0) + step) % len(stops)
        self.position[name] = pos
        self.doc.set_current(stops[pos])
        self.show_where(f"{name} {pos + 1} of {len(stops)}")

    def _span_stops(self, kinds: tuple[str, ...]) -> list[tuple[int, int]]:
        if self.showing_original:
            return []
        return [(s.start + self.header_len, s.end + self.header_len)
                for s in self.notes.spans if s.kind in kinds]

    def action_next_span(self, step: int) -> None:
        choice = KIND_FILTERS[self.kind_filter]
        kinds = ENTITY_KINDS if choice == "entity" else (choice,)
        self._walk(choice if choice != "entity" else "entity", self._span_stops(kinds), step)

    def action_cycle_kind(self) -> None:
        self.kind_filter = (self.kind_filter + 1) % (len(KIND_FILTERS) - 1)
        self.notify(f"e/E now walk: {KIND_FILTERS[self.kind_filter]}", markup=False, timeout=2)

    def action_next_figure(self, step: int) -> None:
        self._walk("figure", self._span_stops(FIGURE_KINDS), step)

    def action_next_match(self, step: int) -> None:
        self._walk("match", self.matches, step)

    def action_toggle_original(self) -> None:
        self.showing_original = not self.showing_original
        self.show_where("original text" if self.showing_original else "")
        self.show_body()

    def action_open_url(self) -> None:
        if not self.article.url.startswith(("http://", "https://")):
            self.notify("this report has no web address", markup=False, timeout=3)
            return
        webbrowser.open(self.article.url)

    def action_copy_text(self) -> None:
        self.app.copy_to_clipboard(self.article.body)
        self.notify("text copied to the clipboard", markup=False, timeout=2)

    def action_toggle_read(self) -> None:
        read, _ = self.index.state(self.article_id)
        self.index.set_state(self.article_id, read=not read)
        self.notify("marked unread" if read else "marked read", markup=False, timeout=2)

    def action_toggle_star(self) -> None:
        _, starred = self.index.state(self.article_id)
        self.index.set_state(self.article_id, starred=not starred)
        self.notify("unstarred" if starred else "starred ★", markup=False, timeout=2)

    def action_toggle_panel(self) -> None:
        side = self.query_one("#reader-side")
        side.display = not side.display
        self._fill_panel()

    def action_compare(self) -> None:
        from tui.app.screens.compare import open_compare

        open_compare(self.app, self.index, self.article_id)

    def current_span(self) -> Span | None:
        """The highlighted span the reader is on (for tests)."""
        if self.doc.current is None:
            return None
        start = self.doc.current[0] - self.header_len
        return next((s for s in self.notes.spans if s.start == start), None)
