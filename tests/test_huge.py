"""Huge inputs: a 50 MB article, a 10 MB single line, a 1,000,000-line file.

Each is read, indexed and opened; what is too big to analyse whole is cut at a cap and the
cut is reported (a problem naming the file). Texts built to be slow (dense figures, markers
glued together, endless abbreviations) are cut or read in linear time. No timing here:
``scripts/bench_huge.py`` measures the same inputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from snapshot_apps.library import sync, wait_for
from textual.widgets import DataTable

from tui.app.app import build_app
from tui.app.screens.problems import ProblemsScreen
from tui.app.screens.reader import ReaderScreen
from tui.core import annotations
from tui.core.config import Config
from tui.core.dedup import DocInput, features
from tui.core.entities import MAX_ENTITIES, recognise
from tui.core.entities_lex import marker_ranges
from tui.core.figures import MAX_FIGURES, extract_figures
from tui.core.figures_sentences import sentence_around
from tui.core.pipeline import update
from tui.core.store import Index
from tui.core.text import MAX_ANALYSED, sentence_spans

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from bench_huge import MB, write_big_article, write_many_lines, write_single_line  # noqa: E402

LINES = 1_000_000


Library = tuple[Path, Path]
"""A library folder and its cache folder."""


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Library]:
    """Each huge file in a library of its own, indexed once (two of them in one library
    would make one story, whose figure comparison is measured by the bench instead)."""
    root = tmp_path_factory.mktemp("huge")
    out: dict[str, Library] = {}
    for name, write in (("big.md", lambda p: write_big_article(p, 50 * MB)),
                        ("oneline.txt", lambda p: write_single_line(p, 10 * MB)),
                        ("lines.txt", lambda p: write_many_lines(p, LINES))):
        library, cache = root / name.split(".")[0], root / f"{name}-cache"
        library.mkdir()
        write(library / name)
        index = Index(library, cache, cache, Config().max_bytes)
        try:
            update(index, Config())
        finally:
            index.close()
        out[name] = (library, cache)
    return out


def problems_of(lib: Library) -> list[str]:
    """The messages of the problems the index of ``lib`` holds."""
    index = Index(lib[0], lib[1], lib[1])
    try:
        return [p.message for p in index.problems()]
    finally:
        index.close()


def stored(lib: Library, article_id: str) -> tuple[str, list[list[int]], list[list[int]]]:
    """An article's body and its stored entity and figure rows."""
    index = Index(lib[0], lib[1], lib[1])
    try:
        row = index.db.execute("SELECT a.body, n.spans, n.figures FROM articles a JOIN"
                               " annotations n ON n.article_id = a.id WHERE a.id=?",
                               (article_id,)).fetchone()
    finally:
        index.close()
    assert row is not None, f"{article_id} was not indexed"
    return row[0], json.loads(row[1]), json.loads(row[2])


# -- the three inputs -------------------------------------------------------------------


def test_a_50_mb_article_is_read_in_part_and_analysed_in_part(huge: dict[str, Library]) -> None:
    body, spans, figures = stored(huge["big.md"], "big")
    assert MAX_ANALYSED < len(body) <= Config().max_bytes
    messages = problems_of(huge["big.md"])
    assert "50 MB is over the 8 MB cap: only the first part was read" in messages
    assert f"only the first 500,000 of {len(body):,} characters were analysed for names," \
        " figures and copies" in messages
    assert spans and figures
    assert all(end <= MAX_ANALYSED for _start, end, _kind in spans)
    assert all(row[1] <= MAX_ANALYSED for row in figures)


def test_a_10_mb_single_line_is_one_paragraph_with_a_short_title(huge: dict[str, Library]) -> None:
    body, spans, figures = stored(huge["oneline.txt"], "oneline")
    assert "\n" not in body and len(body) > MAX_ANALYSED
    lib = huge["oneline.txt"]
    index = Index(lib[0], lib[1], lib[1])
    try:
        article = index.get("oneline")
    finally:
        index.close()
    assert article is not None and 10 < len(article.title) <= 120
    messages = problems_of(huge["oneline.txt"])
    assert any("over the 8 MB cap" in m for m in messages)
    assert any(m.startswith("only the first 500,000 of") for m in messages)
    assert spans and figures


def test_a_million_lines_are_read_whole_and_their_analysis_cut(huge: dict[str, Library]) -> None:
    assert (huge["lines.txt"][0] / "lines.txt").read_bytes().count(b"\n") == LINES
    body, spans, figures = stored(huge["lines.txt"], "lines")
    assert body.count("\n") > LINES // 2  # blank runs collapse; every word line stays
    assert "[ad_1]" not in body
    messages = problems_of(huge["lines.txt"])
    assert not any("over the" in m for m in messages)  # under the size cap: read whole
    assert any(m.startswith("only the first 500,000 of") for m in messages)
    # A list of nothing but names and numbers hits the count caps before the character cap.
    assert len(spans) == MAX_ENTITIES and len(figures) == MAX_FIGURES
    assert f"only the first {MAX_ENTITIES:,} names were analysed (up to character" \
        f" {spans[-1][1]:,})" in messages
    assert f"only the first {MAX_FIGURES:,} figures were analysed (up to character" \
        f" {figures[-1][1]:,})" in messages


@sync
async def test_the_reader_opens_the_50_mb_article(huge: dict[str, Library]) -> None:
    library, cache = huge["big.md"]
    app = build_app(library, None, cache, cache, refresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.push_screen(ReaderScreen(app.index, "big"))
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen)
                       and bool(app.screen.doc.text), timeout=120)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        first = "".join(s.text for s in reader.doc.render_line(0))
        assert first.startswith("A very long report")
        assert "showing the first" in reader.doc.note
        for key in ("end", "pageup", "home", "pagedown", "f", "e"):
            await pilot.press(key)
            await pilot.pause()
        assert any("".join(s.text for s in reader.doc.render_line(y)).strip()
                   for y in range(10))
        await pilot.press("escape", "P")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen), timeout=30)
        table = app.screen.query_one(DataTable)
        shown = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        assert any("over the 8 MB cap" in cell for cell in shown)
        assert any(cell.startswith("only the first 500,000 of") for cell in shown)


# -- the caps, one by one -----------------------------------------------------------------


def test_the_caps_agree() -> None:
    """The loader reports the cut the annotation stage makes: the same number."""
    assert annotations.MAX_ANALYSED == MAX_ANALYSED


def test_copies_are_fingerprinted_on_the_analysed_part() -> None:
    body = "Officials in Ganja said 12 people were hurt. " * (MAX_ANALYSED // 40)
    whole = features(DocInput("a", "t", body + "Something else entirely, 77 times."))
    cut = features(DocInput("a", "t", body[:MAX_ANALYSED]))
    assert whole.to_bytes() == cut.to_bytes()


def test_a_text_of_numbers_keeps_the_first_figures() -> None:
    text = "1 " * (MAX_FIGURES + 2000)
    figures = extract_figures(text)
    assert len(figures) == MAX_FIGURES
    assert [f.start for f in figures] == list(range(0, 2 * MAX_FIGURES, 2))


def test_a_text_of_names_keeps_the_first_names() -> None:
    spans = recognise("in Ganja, " * (MAX_ENTITIES + 1000))
    assert len(spans) == MAX_ENTITIES
    assert spans[0].start == 3 and spans[-1].start == 10 * (MAX_ENTITIES - 1) + 3


def test_a_cut_item_of_a_jsonl_file_is_named(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    items = [{"title": "Plain", "body": "Officials in Ganja said 12 people were hurt."},
             {"title": "Numbers", "body": "Counts: " + "7 " * (MAX_FIGURES + 10)}]
    (library / "feed.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items))
    index = Index(library, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        update(index, Config())  # a second run adds nothing twice
        messages = [p.message for p in index.problems()]
    finally:
        index.close()
    assert messages == [f"article 'feed#2': only the first {MAX_FIGURES:,} figures were"
                        f" analysed (up to character {8 + 2 * MAX_FIGURES - 1:,})"]


# -- texts built to be slow stay linear (these took minutes when they were quadratic) -----


def test_endless_abbreviations_split_in_one_pass() -> None:
    text = "Ab." * 10_000 + " 5 people"
    spans = sentence_spans(text)
    assert spans[:2] == [(0, 3), (3, 6)] and spans[-1] == (len(text) - 8, len(text))
    assert sentence_around(text, len(text) - 8, len(text) - 7)[1] == len(text)


def test_stops_inside_quotes_are_counted_once() -> None:
    text = '1."b' * 20_000
    assert sentence_spans(text) == [(0, len(text))]


def test_markers_glued_together_are_walked_once() -> None:
    text = "[ad_1]" * 10_000
    assert marker_ranges(text) == [(0, 6 * (i + 1)) for i in range(10_000)]
    spans = recognise("[ad_1] Ganja " * 5000)
    assert len(spans) == 5000 and all(text_ == "Ganja" for text_ in (s.text for s in spans))
