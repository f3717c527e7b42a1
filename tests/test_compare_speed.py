"""The comparison's shortcuts give what the plain ways gave: cached sentence keys, the
flattened chain search, lazy word diffs, lazily styled cells, pieces drawn without
intermediate texts, and the remembered subject checks of the figure comparison.

(Their speed is measured by ``scripts/bench_app.py``, not here.)"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Span as RichSpan
from rich.text import Text

from tui.app.widgets.sidebyside import column_lines, pair_lines, piece_segments
from tui.core.align import align
from tui.core.align_chain import best_chain, chain_order
from tui.core.align_diff import word_diff
from tui.core.align_score import Block, Keys, text_keys
from tui.core.align_synth import damaged_copy, synthetic_report
from tui.core.annotations import annotate_text
from tui.core.figures_compare import _comparable, _groups, _overlap, _union, compare_figures
from tui.core.figures_types import FigureGroup, ReportFigures
from tui.core.spans import Span
from tui.core.text import fold, sentence_spans, words
from tui.render.compare import _SPACES, _UNSAFE, RowCells, cell_texts, clean_text

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
REPEATED = ("Read more. Yes. At least 12 people were killed in Oslo, officials said. Yes. "
            "Read more. The storm began early in the morning. Yes.")


def _bundled() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]


def _texts() -> list[tuple[str, str]]:
    out = []
    for seed in range(3):
        a = synthetic_report(250 + 300 * seed, seed=seed)
        out.append((a, damaged_copy(a, seed=seed + 7)))
    bundled = _bundled()
    out += [(a, b) for a in bundled[:3] for b in bundled[:3] if a is not b]
    out += [(REPEATED, REPEATED[::-1].swapcase()), (REPEATED, damaged_copy(REPEATED, seed=2)),
            ("", "One sentence."), ("…", "Ünïcode ßtraße. Gəncə and Ganja!")]
    return out


def _joint_word_keys(a_sents: list[str], b_sents: list[str]) -> tuple[list[str], list[str]]:
    """Reference: the word keys of both sides from one code table, left first (as the
    aligner coded them before the keys of each text were cached)."""
    codes: dict[str, str] = {}

    def key(sentence: str) -> str:
        tokens = [fold(w) for w in words(sentence)]
        if not tokens:
            return fold(sentence.strip())
        out = []
        for t in tokens:
            if t not in codes:
                point = 0x100 + len(codes)
                codes[t] = chr(point if point < 0xD800 else point + 0x800)
            out.append(codes[t])
        return "".join(out)

    return [key(s) for s in a_sents], [key(s) for s in b_sents]


@pytest.mark.parametrize("pair", range(len(_texts())))
def test_cached_keys_equal_keys_coded_with_one_table(pair: int) -> None:
    a, b = _texts()[pair]
    a_sents = [a[s:e] for s, e in sentence_spans(a)]
    b_sents = [b[s:e] for s, e in sentence_spans(b)]
    expected = _joint_word_keys(a_sents, b_sents)
    (a_spans, a_keys), (b_spans, b_keys) = text_keys(a), text_keys(b)
    assert list(a_spans) == sentence_spans(a) and list(b_spans) == sentence_spans(b)
    for keys in (Keys(a_sents, b_sents), Keys.of_sides(a_keys, b_keys)):
        assert (keys.a_words, keys.b_words) == expected
        assert keys.a_chars == Keys(a_sents, b_sents).a_chars
        assert np.array_equal(keys.matrix(), Keys(a_sents, b_sents).matrix())
    cached = align(a, b).to_json()
    text_keys.cache_clear()
    assert align(a, b).to_json() == cached


def _reference_chain(blocks: list[Block], b_count: int) -> list[Block]:
    """Reference: the chain search as first written (a Fenwick tree, helpers and all)."""
    if not blocks:
        return []
    order = sorted(range(len(blocks)), key=lambda k: (blocks[k].i0, -blocks[k].weight))
    by_end = sorted(range(len(blocks)), key=lambda k: blocks[k].i1)
    best, best_at = [0.0] * (b_count + 1), [-1] * (b_count + 1)
    total, parent = [0.0] * len(blocks), [-1] * len(blocks)
    inserted = 0
    for k in order:
        while inserted < len(by_end) and blocks[by_end[inserted]].i1 <= blocks[k].i0:
            done = by_end[inserted]
            pos = blocks[done].j1
            while pos <= b_count:
                if total[done] > best[pos]:
                    best[pos], best_at[pos] = total[done], done
                pos += pos & -pos
            inserted += 1
        pos, before, found = blocks[k].j0, 0.0, -1
        while pos > 0:
            if best[pos] > before:
                before, found = best[pos], best_at[pos]
            pos -= pos & -pos
        parent[k], total[k] = found, before + blocks[k].weight
    k = max(range(len(blocks)), key=total.__getitem__)
    chain = []
    while k >= 0:
        chain.append(blocks[k])
        k = parent[k]
    return chain[::-1]


@pytest.mark.parametrize("seed", range(40))
def test_chain_order_breaks_ties_as_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.randint(1, 14)
    blocks = [Block(i, i + rng.randint(1, 3), j, j + rng.randint(1, 3), 0.5,
                    float(rng.choice([1, 2, 2, 3, 5])))  # few weights: many ties
              for i, j in ((rng.randrange(size), rng.randrange(size))
                           for _ in range(rng.randint(0, 60)))]
    assert best_chain(blocks, size + 3) == _reference_chain(blocks, size + 3)
    order = chain_order([b.i0 for b in blocks], [b.i1 for b in blocks], [b.j0 for b in blocks],
                        [b.j1 for b in blocks], [b.weight for b in blocks], size + 3)
    assert [blocks[k] for k in order] == best_chain(blocks, size + 3)


@pytest.mark.parametrize("pair", range(len(_texts())))
def test_lazy_word_diffs_equal_eager_ones(pair: int) -> None:
    for row in align(*_texts()[pair]).rows:
        expected = word_diff(row.a_text, row.b_text) if row.paired else []
        assert row.identical == (row.paired and all(op.op == "equal" for op in expected))
        assert row.diff == expected


def _spans(text: str) -> list[Span]:
    entities, figures = annotate_text(text, None)
    return [*entities, *(f.to_span() for f in figures)]


@pytest.mark.parametrize("pair", range(len(_texts())))
def test_row_cells_equal_cell_texts_and_their_plain_text(pair: int) -> None:
    a, b = _texts()[pair]
    al = align(a, b)
    spans = (_spans(a), _spans(b), _spans(a)[::3], _spans(b)[::4])
    cells = RowCells(al.rows, *spans)
    expected = [cell_texts(row, k, *spans) for k, row in enumerate(al.rows)]
    assert len(cells) == len(expected)
    for k in (*range(len(cells)), -1):
        if expected:
            assert [(c.plain, c.spans, c.style) for c in cells[k]] == \
                [(c.plain, c.spans, c.style) for c in expected[k]]
    assert cells.plain() == [(x.plain, y.plain) for x, y in expected]
    with pytest.raises(IndexError):
        cells[len(cells)]


def test_clean_text_shortcut_for_plain_ascii() -> None:
    expected = {"Plain ASCII, nothing to do.": "Plain ASCII, nothing to do.",
                "tab\there": "tab here", "esc\x1b[31mred": "escred", "zw\u200bsp": "zwsp",
                "ﬁne “quotes”": "ﬁne “quotes”", "Hangul\u3164filler": "Hangulfiller",
                "del\x7f": "del"}
    for text, clean in expected.items():
        assert clean_text(text)[0] == clean
    assert clean_text("Plain ASCII.") == ("Plain ASCII.", None)
    assert _UNSAFE.search("Plain ASCII.") is None and "Plain ASCII.".translate(_SPACES)


def _reference_piece(cell: Text, start: int, end: int, width: int,
                     style: Callable[[str | Style], Style], console: Console) -> list[Segment]:
    """Reference: slice, restyle, pad and render a piece with Rich's Text."""
    cut = cell[start:end]
    text = Text(cut.plain, style=style(cut.style),
                spans=[RichSpan(s.start, s.end, style(s.style)) for s in cut.spans])
    text.truncate(width, pad=True)
    if not text.spans and text.style:  # the row's colour stays (Rich alone drops it)
        return [Segment(text.plain, style(text.style))]
    return list(text.render(console))


def test_a_row_without_highlights_keeps_its_colour() -> None:
    """A sentence only on one side (or moved) is tinted even when nothing in it is marked."""
    tint = Style(bgcolor="red")
    cell = Text("Only here, nothing marked.", style="diff.only_a")
    drawn = piece_segments(cell, 0, len(cell.plain), 30,
                           lambda s: tint if s == "diff.only_a" else Style.parse(str(s) or "none"))
    assert drawn is not None and all(seg.style == tint for seg in drawn)


def test_pieces_are_drawn_as_rich_draws_them() -> None:
    console = Console(width=200)
    names: dict[str, Style] = {}

    def style(name: str | Style) -> Style:
        if isinstance(name, Style):
            return name
        if not name:
            return Style.null()
        n = len(names)
        return names.setdefault(name, Style(color=f"color({n + 1})", bold=n % 2 == 0,
                                            underline=n % 3 == 0))

    drawn = 0
    for a, b in _texts()[:6]:
        al = align(a, b)
        cells = RowCells(al.rows, _spans(a), _spans(b), _spans(a)[::5], _spans(b)[::5])
        for width in (12, 38, 77):
            plain = cells.plain()
            for lines, _tops in (pair_lines(plain, width), column_lines(plain, width, (0, 1))):
                for piece in (p for line in lines for p in line[1:] if p is not None):
                    row, side, start, end = piece
                    got = piece_segments(cells[row][side], start, end, width, style)
                    if got is not None:
                        drawn += 1
                        assert got == _reference_piece(cells[row][side], start, end, width,
                                                       style, console)
    assert drawn > 500


def _reference_groups(reports: list[ReportFigures]) -> list[FigureGroup]:
    """Reference: every candidate pair checked in full (compare_figures as first written)."""
    from tui.core.figures_compare import _eligible, candidate_pairs, same_subject_default

    items = [(i, r, f) for i, r in enumerate(reports) for f in r.figures if _eligible(f, False)]
    parent = list(range(len(items)))
    conflicts: set[int] = set()
    for a, b in candidate_pairs(items):
        if _comparable(items[a], items[b], same_subject_default, 1):
            root = _union(parent, a, b)
            if not _overlap(items[a][2], items[b][2], None):
                conflicts.add(root)
    return list(_groups(items, parent, conflicts))


def test_figure_groups_equal_the_pair_by_pair_reference() -> None:
    import datetime as dt

    texts = _bundled()
    reports = [ReportFigures(f"r{n}", "story", dt.date(2020, 10, 4 + n % 3),
                             annotate_text(text, None)[1]) for n, text in enumerate(texts)]
    reports += [ReportFigures("twin", "story", dt.date(2020, 10, 5), reports[0].figures)]
    found = compare_figures(reports)
    assert found and found == _reference_groups(reports)
