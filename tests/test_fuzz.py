"""Property-based tests (Hypothesis): no text makes the analyses fail or misplace a span.

Every reader of article text gets random Unicode, huge numbers, pathological punctuation
and hostile control characters, alone and woven into news-like prose. Properties: no
exception; offsets always inside the text and matching the text they name; spans sorted
and non-overlapping wherever the API promises it.

Run with ``--hypothesis-show-statistics`` to see how many examples each property ran.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from tui.core.align import align
from tui.core.clean import clean, derive_title
from tui.core.entities import EntityRecogniser
from tui.core.figures import extract_figures
from tui.core.loader import load_bytes
from tui.core.sanitize import clean_text, one_line, visible_controls
from tui.core.spans import ENTITY_KINDS, FIGURE_KINDS
from tui.core.text import sentence_spans
from tui.core.wrap import wrap_offsets
from tui.render.compare import render_compare

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(FUZZ, max_examples=60)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
                    "\u2060-\u2069\ufeff\u00ad]")
SGR = re.compile(r"\x1b\[[0-9;]*m")

# Pieces of news prose and of what breaks naive parsers, joined at random.
FRAGMENTS = [
    "The", "the", "Ganja", "Gəncə", "Stepanakert", "Mr.", "Dr.", "U.S.", "U.N.", "e.g.",
    "J.", "Smith", "Red Cross", "Ministry of Defence", "said", "killed", "wounded", "people",
    "inhabitants", "about", "at least", "nearly", "more than", "up to", "some", "dozens",
    "hundreds of", "1", "3", "12", "40", "1,200", "50,000", "55.000", "3.5", "0.0001",
    "12%", "$3m", "€3 million", "3 million euros", "2.5bn", "10 km", "5:30 p.m.",
    "1" * 60, "9" * 400, "1,000,000,000,000,000,000", "1e308", "-0", "½", "٣٤", "五十",
    "2020-10-04", "2024-13-45", "Oct. 4", "4 October 2020", "Sunday", "yesterday", "1990s",
    "first", "2nd", ".", ". ", "..", "...", "…", "!", "?!?!", ",", ";", ":", " - ", "—", "–",
    "\"", "“", "”", "'", "’", "(", ")", "[", "]", "[ad_1]", "[bold red]x[/]", "[/]",
    "Read more: x", "pic.twitter.com/abc", "© AP Photo", " date 2020-10-04 ", "@handle",
    "http://example.org/a.b", "#tag", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\u00a0",
    "\u2028", "\x85", "\x1b[2J", "\x1b]0;t\x07", "\x9b31m", "\x00", "\u202e", "\u200b",
    "\ufeff", "a\u0301", "🇦🇿", "👍🏽", "ﷺ", "𝔸", "İ", "ß", "ǅ",
]
prose = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)),
                 max_size=60).map(" ".join)
joined = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
texts = st.one_of(st.text(max_size=300), prose, joined)
# Loader input: text in the shape of each format, or any bytes at all.
meta_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
articles = st.dictionaries(
    st.sampled_from(["title", "body", "text", "content", "date", "source", "url", "id",
                     "author", "tags", "language", "extra"]), meta_values, max_size=8)


@st.composite
def file_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file name and content: well-formed in its format, slightly broken, or random."""
    suffix = draw(st.sampled_from([".txt", ".md", ".json", ".jsonl"]))
    shape = draw(st.integers(0, 3))
    if shape == 0:
        return f"f{suffix}", draw(st.binary(max_size=400))
    if suffix == ".json":
        text = json.dumps(draw(st.one_of(articles, st.lists(articles, max_size=3))))
    elif suffix == ".jsonl":
        text = "\n".join(json.dumps(a) for a in draw(st.lists(articles, max_size=3)))
    elif suffix == ".md":
        front = "\n".join(f"{k}: {json.dumps(v)}" for k, v in draw(articles).items())
        text = f"---\n{draw(st.sampled_from([front, draw(texts)]))}\n---\n{draw(texts)}"
    else:
        text = draw(texts)
    if shape == 1:  # cut anywhere, or damaged
        text = text[: draw(st.integers(0, len(text)))]
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
    return f"f{suffix}", text.encode(encoding, "replace")


def assert_spans(spans: Sequence[tuple[int, int]], size: int, *, disjoint: bool) -> None:
    """Offsets inside the text, non-empty, sorted (and non-overlapping if promised)."""
    last_end, last_start = 0, 0
    for start, end in spans:
        assert 0 <= start < end <= size, (start, end, size)
        assert start >= last_start, "not sorted"
        if disjoint:
            assert start >= last_end, f"overlap at {start}"
        last_start, last_end = start, end


# -- loader and cleaner -------------------------------------------------------------------


@FUZZ
@given(file_bytes())
def test_loader_reads_any_bytes(named: tuple[str, bytes]) -> None:
    name, data = named
    result = load_bytes(name, data)
    assert result.content_hash
    for problem in result.problems:
        assert problem.path == name and problem.message and "\n" not in problem.message
    for article in result.articles:
        assert article.id and article.title
        assert "\n" not in article.title
        for field in (article.title, article.body, article.source, article.author, article.url):
            assert UNSAFE.search(field) is None, repr(field)
        assert article.date is None or dt.date.fromisoformat(article.date)
        json.dumps(article.extra)  # storable as JSON


@FUZZ
@given(texts)
def test_sanitiser_output_is_inert_and_stable(text: str) -> None:
    cleaned = clean_text(text)
    assert UNSAFE.search(cleaned) is None
    assert clean_text(cleaned) == cleaned
    flat = one_line(text, 40)
    assert UNSAFE.search(flat) is None and "\n" not in flat and len(flat) <= 41
    assert UNSAFE.search(visible_controls(text)) is None


@FUZZ
@given(texts)
def test_cleaner_keeps_prose_and_lists_what_it_removed(text: str) -> None:
    text = clean_text(text)
    out = clean(text)
    assert out.body == out.body.strip("\n")
    assert all(isinstance(a, str) and a for a in out.artefacts)
    assert out.date is None or dt.date.fromisoformat(out.date)
    assert is_subsequence(out.body, text), "cleaning only removes"
    title = derive_title(out.body)
    assert title and "\n" not in title and len(title) <= 121


def is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


# -- sentences, wrapping ------------------------------------------------------------------


@FUZZ
@given(texts)
def test_sentences_cover_every_word_once(text: str) -> None:
    spans = sentence_spans(text)
    assert_spans(spans, len(text), disjoint=True)
    covered = set()
    for start, end in spans:
        piece = text[start:end]
        assert piece == piece.strip(), repr(piece)
        covered.update(range(start, end))
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and i not in covered]
    assert not missing, f"characters outside every sentence: {missing[:5]}"


@FUZZ
@given(texts, st.integers(1, 50))
def test_wrapped_lines_fit_and_keep_order(text: str, width: int) -> None:
    text = clean_text(text)
    lines = wrap_offsets(text, width)
    last = 0
    for start, end in lines:
        assert last <= start <= end <= len(text)
        piece = text[start:end]
        assert "\n" not in piece
        assert cell_len(piece) <= width or len(piece) == 1, (piece, width)
        last = end
    assert len(lines) >= text.count("\n") + 1


# -- recognisers ---------------------------------------------------------------------------


RECOGNISER = EntityRecogniser()


@SLOW
@given(texts)
def test_entities_are_sorted_disjoint_and_in_the_text(text: str) -> None:
    spans = RECOGNISER.recognise(text)
    assert_spans([(s.start, s.end) for s in spans], len(text), disjoint=True)
    for span in spans:
        assert span.text == text[span.start : span.end]
        assert span.kind in ENTITY_KINDS


@FUZZ
@given(texts, st.one_of(st.none(), st.dates()))
def test_figures_lie_in_the_text(text: str, date: dt.date | None) -> None:
    figures = extract_figures(text, date, RECOGNISER.recognise(text) if len(text) < 200 else [])
    assert_spans([(f.start, f.end) for f in figures], len(text), disjoint=True)
    for figure in figures:
        assert figure.text == text[figure.start : figure.end]
        assert figure.kind in FIGURE_KINDS
        for bound in (figure.value, figure.low, figure.high):
            assert bound is None or bound == bound, "NaN"


# -- alignment and its rendering ------------------------------------------------------------


def check_alignment(a: str, b: str) -> None:
    result = align(a, b)
    seen_a: list[int] = []
    seen_b: list[int] = []
    for k, row in enumerate(result.rows):
        assert row.a is not None or row.b is not None
        for side, idx, span, body, seen, spans, text in (
                ("a", row.a, row.a_span, row.a_text, seen_a, result.a_spans, a),
                ("b", row.b, row.b_span, row.b_text, seen_b, result.b_spans, b)):
            if idx is None:
                assert span is None and body == "", side
                continue
            assert span is not None and text[span[0] : span[1]] == body
            assert span == (spans[idx[0]][0], spans[idx[-1]][1])
            seen.extend(idx)
        if row.moved:
            assert row.moved_to is not None and result.rows[row.moved_to].moved_to == k
        for op in row.diff:
            assert 0 <= op.a_start <= op.a_end <= len(row.a_text)
            assert 0 <= op.b_start <= op.b_end <= len(row.b_text)
        assert_spans([(op.a_start, op.a_end) for op in row.diff if op.a_end > op.a_start],
                     len(row.a_text), disjoint=True)
        assert_spans([(op.b_start, op.b_end) for op in row.diff if op.b_end > op.b_start],
                     len(row.b_text), disjoint=True)
    assert seen_a == list(range(len(result.a_spans))), "every left sentence once, in order"
    assert seen_b == list(range(len(result.b_spans))), "every right sentence once, in order"


@SLOW
@given(texts, texts)
def test_alignment_places_every_sentence_once(a: str, b: str) -> None:
    check_alignment(a, b)


@SLOW
@given(texts, st.randoms(use_true_random=False))
def test_alignment_of_a_damaged_copy(a: str, rng: object) -> None:
    import random

    assert isinstance(rng, random.Random)
    sentences = [a[s:e] for s, e in sentence_spans(a)]
    rng.shuffle(sentences)
    b = " ".join(s for s in sentences if rng.random() > 0.2)
    check_alignment(a, b)
    same = align(a, a)
    assert all(row.paired and row.identical for row in same.rows)


@settings(SLOW, max_examples=40)
@given(texts, texts, st.integers(20, 160))
def test_side_by_side_rendering_is_inert(a: str, b: str, width: int) -> None:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system="truecolor")
    console.print(render_compare(a, {"source": b[:20]}, a, b, "meta", b, align(a, b),
                                 width, RECOGNISER.recognise(a)))
    drawn = SGR.sub("", out.getvalue())
    assert UNSAFE.search(drawn.replace("\n", " ")) is None
    assert all(cell_len(line) <= width for line in drawn.splitlines())
