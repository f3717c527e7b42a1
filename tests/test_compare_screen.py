"""Pilot tests of the side-by-side comparison screen: every key, layout, speed."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, cast

import pytest
from textual.screen import Screen

from tui.app.app import CrosscheckApp, build_app
from tui.app.screens.compare import CompareScreen, PairHeads, open_compare
from tui.app.screens.help import HelpScreen, binding_rows
from tui.app.screens.library import LibraryScreen
from tui.app.widgets.sidebyside import SideBySide
from tui.core.align import align
from tui.core.align_synth import damaged_copy, synthetic_report
from tui.core.config import Config
from tui.core.pipeline import update
from tui.core.store import Index

LEFT = """---
title: Shelling hits the city
source: Wire One
date: 2021-03-02
---
Shelling hit the regional capital early on Tuesday morning, officials said.
Lyon has a population of about 50,000 inhabitants, according to the last census.
Rescue teams searched the rubble of three apartment blocks near the central market.
The mayor asked residents to stay in basements until further notice was given.
A spokesman for the [red]ministry[/red] declined to comment on the casualty figures.
Schools across the whole region will remain closed for the rest of the week.
"""

RIGHT = """---
title: City shelled at dawn
source: Daily Two
date: 2021-03-03
---
Shelling hit the regional capital early on Tuesday, local officials said.
Schools across the whole region will remain closed for the rest of the week.
Lyon has a population of roughly 55,000 inhabitants, according to the last census.
Rescue teams searched the rubble of three apartment blocks near the market.
Electricity was cut in several districts after a substation was damaged overnight.
The mayor asked residents to stay in basements until further notice was given.
"""

LONE = """---
title: Harvest festival opens
source: Local Paper
date: 2021-09-01
---
The harvest festival opened on Saturday with a parade through the old town.
"""

def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in its own event loop (no async plugin is installed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def _story(index: Index, story: str, ids: list[str]) -> None:
    with index.transaction() as db:
        db.execute("INSERT OR REPLACE INTO stories (id, label, n_articles, sort_key)"
                   " VALUES (?, ?, ?, ?)", (story, story, len(ids), story))
        for pos, article_id in enumerate(ids):
            db.execute("UPDATE story_members SET story_id=?, position=? WHERE article_id=?",
                       (story, pos, article_id))


def _pair(index: Index, a: str, b: str, relation: str, score: float) -> None:
    with index.transaction() as db:
        db.execute("INSERT OR REPLACE INTO pairs (a, b, score, relation) VALUES (?, ?, ?, ?)",
                   (a, b, score, relation))


@pytest.fixture
def app(library: Path, cache_dir: Path) -> CrosscheckApp:
    """The app on the bundled articles plus our own; ``left``/``right`` and three bundled
    reports form one story, ``left``/``right`` stored as copies."""
    (library / "left.md").write_text(LEFT, encoding="utf-8")
    (library / "right.md").write_text(RIGHT, encoding="utf-8")
    (library / "lone.md").write_text(LONE, encoding="utf-8")
    a = synthetic_report(2000, seed=1)
    (library / "big_a.txt").write_text(a, encoding="utf-8")
    (library / "big_b.txt").write_text(damaged_copy(a, seed=2), encoding="utf-8")
    built = build_app(library, cache_dir=cache_dir, refresh=False)
    update(built.index, Config())
    bundled = sorted(r.id for r in built.index.list_rows(0, 1000)
                     if r.id not in ("left", "right", "lone", "big_a", "big_b"))
    _story(built.index, "story-1", ["left", "right", *bundled[:3]])
    _pair(built.index, "left", "right", "copy", 0.9)
    _pair(built.index, "left", bundled[0], "same-story", 0.4)
    return built


async def _open(app: CrosscheckApp, pilot: Any, a: str = "left", b: str = "right") -> CompareScreen:
    screen = CompareScreen(app.index, a, b)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


@sync
async def test_open_compare_picks_closest_related(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        open_compare(app, app.index, "left")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert (screen.left_id, screen.right_id) == ("left", "right")
        cmp = screen.comparison
        assert cmp is not None
        assert len(screen.sbs.rows) == len(align(cmp.a.body, cmp.b.body).rows)
        summary = screen.summary_text()
        assert summary.startswith("copy · 0.90")
        assert f"{cmp.alignment.shared} of {cmp.alignment.total} sentences shared" in summary
        assert "1 conflicting figure" in summary
        head = screen.query_one(PairHeads).heads[0].plain
        assert "Shelling hits the city" in head and "Wire One" in head
        assert f"{cmp.a.words} words" in head


@sync
async def test_open_compare_without_related_report_notifies(app: CrosscheckApp,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    said: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **_: said.append(message))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        open_compare(app, app.index, "lone")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert said and "No related report" in said[0] and "search" in said[0]


@sync
async def test_difference_keys_walk_difference_rows(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open(app, pilot)
        assert screen.comparison is not None
        diffs = screen.comparison.alignment.difference_rows()
        assert len(diffs) >= 2
        await pilot.press("right_square_bracket")
        assert screen.sbs.current == diffs[0]
        await pilot.press("right_square_bracket")
        assert screen.sbs.current == diffs[1]
        await pilot.press("left_square_bracket")
        assert screen.sbs.current == diffs[0]
        await pilot.press("left_square_bracket")
        assert screen.sbs.current == diffs[-1]  # wraps around


@sync
async def test_conflict_keys_and_explanation(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open(app, pilot)
        assert screen.comparison is not None
        rows = screen.comparison.conflict_rows()
        assert rows
        await pilot.press("right_curly_bracket")
        assert screen.sbs.current == rows[0]
        status = screen.status_text()
        assert "left: about 50,000 inhabitants" in status
        assert "right: roughly 55,000 inhabitants" in status
        assert status in str(screen.query_one("#compare-status").render())
        await pilot.press("left_curly_bracket")
        assert screen.sbs.current == rows[-1]


@sync
async def test_linked_scrolling_keeps_rows_paired(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await _open(app, pilot, "big_a", "big_b")
        await pilot.press("pagedown", "pagedown")
        left, right = screen.sbs.top_rows()
        assert left == right > 0


@sync
async def test_unlink_scrolls_panes_independently(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await _open(app, pilot, "big_a", "big_b")
        sbs = screen.sbs
        await pilot.press("u")
        assert not sbs.linked
        start = sbs.top_rows()
        await pilot.press("pagedown", "pagedown")
        left, right = sbs.top_rows()
        assert left > start[0] and right == start[1]
        await pilot.press("tab")
        assert sbs.active == 1 and "scrolling right" in screen.status_text()
        await pilot.press("pagedown")
        left2, right2 = sbs.top_rows()
        assert left2 == left and right2 > right
        await pilot.press("u")
        assert sbs.linked
        assert sbs.top_rows()[0] == sbs.top_rows()[1]


@sync
async def test_swap_exchanges_sides(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open(app, pilot)
        assert screen.comparison is not None
        before = [(r.a_text, r.b_text) for r in screen.comparison.alignment.rows]
        await pilot.press("x")
        assert (screen.left_id, screen.right_id) == ("right", "left")
        after = {(r.b_text, r.a_text) for r in screen.comparison.alignment.rows}
        assert {p for p in before if p[0] and p[1]} <= after
        assert "City shelled at dawn" in screen.query_one(PairHeads).heads[0].plain


@sync
async def test_cycle_right_report_through_story(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open(app, pilot)
        from tui.core.storyview import members

        others = [m.row.id for m in members(app.index, "story-1") if m.row.id != "left"]
        assert others[0] == "right"
        await pilot.press("greater_than_sign")
        assert (screen.left_id, screen.right_id) == ("left", others[1])
        await pilot.press("greater_than_sign")
        assert screen.right_id == others[2]
        await pilot.press("less_than_sign", "less_than_sign")
        assert screen.right_id == "right"
        await pilot.press("less_than_sign")
        assert screen.right_id == others[-1]  # wraps around


@sync
async def test_escape_goes_back_and_help_lists_bindings(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {row[2] for row in binding_rows(cast(Screen[object], screen))}
        for name in ("back", "next_difference", "prev_difference", "next_conflict",
                     "prev_conflict", "unlink", "swap", "next_report", "prev_report",
                     "switch_pane"):
            assert f"compare.{name}" in ids
        await pilot.press("escape")
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


def _visible(sbs: SideBySide) -> list[str]:
    return [sbs.render_line(y).text for y in range(sbs.scrollable_content_region.height)]


@pytest.mark.parametrize("width", [80, 99, 100, 160])
@sync
async def test_cells_wrap_at_word_boundaries_within_width(app: CrosscheckApp,
                                                          width: int) -> None:
    ids = sorted(r.id for r in app.index.list_rows(0, 1000) if r.id[0].isdigit())
    async with app.run_test(size=(width, 40)) as pilot:
        screen = await _open(app, pilot, ids[0], ids[1])
        sbs = screen.sbs
        assert sbs.narrow == (width < 100)
        assert screen.has_class("-narrow") == (width < 100)
        words = {w for a, b in sbs.cells for w in (a.plain + " " + b.plain).split()}
        lines = _visible(sbs)
        assert any(line.strip() for line in lines)
        for line in lines:
            assert len(line) <= width
            panes = [line[3:]] if sbs.narrow else line[1:].split(" │ ")
            for pane in panes:
                assert all(w in words for w in pane.replace("▌", " ").split())


@sync
async def test_moved_rows_are_marked_and_markup_is_literal(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 60)) as pilot:
        screen = await _open(app, pilot)
        text = "\n".join(_visible(screen.sbs))
        assert "[red]ministry[/red]" in text
        cmp = screen.comparison
        assert cmp is not None
        if any(r.moved for r in cmp.alignment.rows):
            assert "↕ moved" in text


@sync
async def test_two_2000_word_reports_open_and_time_themselves(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open(app, pilot, "big_a", "big_b")
        assert screen.comparison is not None and screen.comparison.a.words >= 1900
        screen.load("big_a", "big_b")  # warm: caches filled as in a running app
        assert screen.open_seconds > 0  # measured and shown; its speed is make bench's job


@sync
async def test_drawn_pieces_follow_a_theme_change(app: CrosscheckApp) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open(app, pilot)
        sbs = screen.sbs
        y, word, name = next(
            (y, cut.plain[s.start:s.end], str(s.style))
            for y, (_row, piece, _right) in enumerate(sbs._pairs[0][:40]) if piece
            for cut in [sbs.cells[piece[0]][0][piece[2]:piece[3]]]
            for s in cut.spans if str(s.style).startswith(("entity.", "figure."))
            and cut.plain[s.start:s.end].strip())

        def colour() -> object:
            return next(seg.style.color for seg in sbs.render_line(y)
                        if word in seg.text and seg.style)

        expected = sbs._style(name).color
        assert colour() == expected
        app.theme = "crosscheck-light" if app.theme != "crosscheck-light" else "crosscheck-dark"
        await pilot.pause()
        assert sbs._style(name).color != expected
        assert colour() == sbs._style(name).color


@sync
async def test_focus_styles_nothing_in_the_panes(app: CrosscheckApp) -> None:
    """The panes skip Textual's restyle on focus (it took milliseconds of every opening of
    a comparison): nothing in the stylesheet may style them by focus."""
    from test_app_reader import restyled

    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _open(app, pilot)
        assert screen.sbs.has_focus
        focused = restyled(screen.sbs)
        screen.set_focus(None)
        await pilot.pause()
        assert not screen.sbs.has_focus and restyled(screen.sbs) == focused
