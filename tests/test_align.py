"""Tests for the sentence aligner and the word diff (tui.core.align, align_diff)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.align import Alignment, align
from tui.core.align_diff import DiffOp, word_diff
from tui.core.align_synth import damaged_copy, synthetic_report

ARTICLES = Path(__file__).resolve().parent.parent / "articles"

STORY = [
    "The council approved the new budget for the northern district on Monday.",
    "Officials said the money will fund three schools and a small hospital.",
    "Opposition members walked out of the chamber before the final vote.",
    "The mayor called the decision a turning point for the region's economy.",
    "Construction of the first school is expected to begin next spring.",
    "Residents gathered outside the town hall to celebrate late into the evening.",
]
OTHER = [
    "A storm damaged several fishing boats in the harbour overnight.",
    "Rescue teams searched the coastline for two missing sailors.",
    "Weather services warned of further gales along the western shore.",
    "Ferry crossings to the islands were cancelled until Thursday morning.",
]


def _cover(al: Alignment) -> tuple[list[int], list[int]]:
    a = [i for r in al.rows if r.a for i in r.a]
    b = [j for r in al.rows if r.b for j in r.b]
    return a, b


def _check_invariants(al: Alignment, a: str, b: str) -> None:
    """Every sentence on exactly one row; paired rows in order on both sides; texts match."""
    ia, ib = _cover(al)
    assert sorted(ia) == list(range(al.a_count))
    assert sorted(ib) == list(range(al.b_count))
    pairs = [(r.a[0], r.b[0]) for r in al.rows if r.a and r.b]
    assert pairs == sorted(pairs)
    assert all(p[1] < q[1] for p, q in zip(pairs, pairs[1:], strict=False))
    for r in al.rows:
        if r.a_span:
            assert a[r.a_span[0]:r.a_span[1]] == r.a_text
        if r.b_span:
            assert b[r.b_span[0]:r.b_span[1]] == r.b_text
        if r.moved:
            assert r.moved_to is not None and al.rows[r.moved_to].moved_to == al.rows.index(r)
    assert al.total == al.shared + al.moved + al.only_a + al.only_b


def test_identical_texts_pair_every_sentence() -> None:
    text = " ".join(STORY[:3]) + "\n" + " ".join(STORY[3:]) + "\n"
    al = align(text, text)
    assert al.shared == len(STORY) == len(al.rows)
    assert all(r.identical and r.score == 1.0 and r.a == r.b for r in al.rows)
    assert al.summary() == "6 of 6 sentences shared, 0 only left, 0 only right, 0 moved"
    assert al.difference_rows() == []


def test_glued_sentences_match_two() -> None:
    a = "\n".join(STORY) + "\n"
    glued = STORY[1][:-1] + ",while" + STORY[2][0].lower() + STORY[2][1:]
    b = "\n".join([STORY[0], glued, *STORY[3:]]) + "\n"
    al = align(a, b)
    _check_invariants(al, a, b)
    row = next(r for r in al.rows if r.b == [1])
    assert row.a == [1, 2]
    assert al.shared == 5 and al.only_a == al.only_b == 0
    # The reverse direction gives a 1:2 row.
    back = align(b, a)
    assert any(r.a == [1] and r.b == [1, 2] for r in back.rows)


def test_three_sentences_glued_into_one() -> None:
    a = "\n".join(STORY) + "\n"
    s1, s2, s3 = (s[0].lower() + s[1:-1] for s in STORY[1:4])
    b = "\n".join([STORY[0], f"{s1.capitalize()},and {s2},while {s3}.", *STORY[4:]]) + "\n"
    al = align(a, b)
    _check_invariants(al, a, b)
    assert any(r.a == [1, 2, 3] and r.b == [1] for r in al.rows)


def test_reordered_paragraphs_are_moved_not_deleted() -> None:
    paras = [" ".join(STORY[0:2]), " ".join(STORY[2:4]), " ".join(STORY[4:6])]
    a = "\n".join(paras) + "\n"
    b = "\n".join([paras[2], paras[0], paras[1]]) + "\n"
    al = align(a, b)
    _check_invariants(al, a, b)
    assert al.moved == 2
    assert al.only_a == al.only_b == 0
    assert al.shared == 4
    moved = [r for r in al.rows if r.moved]
    assert {r.a_text for r in moved if r.a} == set(STORY[4:6])
    for r in moved:
        partner = al.rows[r.moved_to or 0]
        assert (r.a_text or r.b_text) == (partner.a_text or partner.b_text)


def test_much_longer_report() -> None:
    a = " ".join(STORY[:4]) + "\n"
    b = "\n".join([*OTHER[:2], *STORY, *OTHER[2:]]) + "\n"
    al = align(a, b)
    _check_invariants(al, a, b)
    assert al.shared == 4 and al.only_a == 0 and al.only_b == len(OTHER) + 2
    assert [r.b for r in al.rows if r.paired] == [[2], [3], [4], [5]]


@pytest.mark.parametrize(("a", "b"), [("", ""), ("", "One sentence here."), ("Just me.", "")])
def test_empty_reports(a: str, b: str) -> None:
    al = align(a, b)
    _check_invariants(al, a, b)
    assert al.shared == 0
    assert al.only_a == al.a_count and al.only_b == al.b_count
    assert json.loads(json.dumps(al.to_json()))["summary"]["shared"] == 0


def test_unrelated_texts_do_not_pair() -> None:
    al = align("\n".join(STORY), "\n".join(OTHER))
    assert al.shared == 0 and al.moved == 0


def test_unicode_and_diacritics_are_folded() -> None:
    a = "Raketlər Gəncə şəhərinə düşdü. Ракеты упали на город Гянджа ночью."
    b = "Raketler Gence seherine dusdu. Ракеты упали на город Гянджа утром."
    al = align(a, b)
    _check_invariants(al, a, b)
    assert al.shared == 2
    assert al.rows[0].identical
    changed = [op for op in al.rows[1].diff if op.op != "equal"]
    assert [(al.rows[1].a_text[o.a_start:o.a_end], al.rows[1].b_text[o.b_start:o.b_end])
            for o in changed] == [("ночью", "утром")]


def _changes(a: str, b: str) -> list[tuple[str, str, str]]:
    return [(o.op, a[o.a_start:o.a_end], b[o.b_start:o.b_end])
            for o in word_diff(a, b) if o.op != "equal"]


def test_word_diff_basic_operations() -> None:
    a = "Forces of the two rivals carried out strikes throughout Sunday."
    b = "The two rivals carried out heavy strikes throughout the day."
    assert _changes(a, b) == [
        ("delete", "Forces of", ""),
        ("insert", "", "heavy"),
        ("replace", "Sunday", "the day"),
    ]


def test_word_diff_glued_words() -> None:
    a = "an adviser said at least four missiles hit the city, uploading a video"
    b = "an adviser saiduploading a video"
    assert _changes(a, b) == [("delete", "at least four missiles hit the city", "")]
    a2 = "the region claimed that a military airfield was destroyed in Ganja, Azerbaijan's city"
    b2 = "the region claimed thatAzerbaijan's city"
    assert _changes(a2, b2) == [("delete", "a military airfield was destroyed in Ganja", "")]
    a3, b3 = "a crushing response, while the major", "a crushing response,whilethe major"
    assert _changes(a3, b3) == []


def test_word_diff_does_not_split_unrelated_prefixes() -> None:
    assert _changes("they met as planned", "they met assault planned") == [
        ("replace", "as", "assault")]


def test_word_diff_covers_every_word_in_order() -> None:
    a, b = STORY[0] + " " + STORY[1], STORY[0].replace("new", "revised") + " extra words"
    ops = word_diff(a, b)
    assert ops[0].op == "equal" and ops[0].a_start == 0 and ops[0].b_start == 0
    for prev, nxt in zip(ops, ops[1:], strict=False):
        assert prev.a_end <= nxt.a_start and prev.b_end <= nxt.b_start
        assert prev.op != nxt.op
    assert ops[-1].a_end == len(a) - 1 and ops[-1].b_end == len(b)


def test_absolute_diff_and_json() -> None:
    a = "Intro line here.\n" + STORY[0] + "\n"
    b = "Another intro.\n" + STORY[0].replace("Monday", "Tuesday") + "\n"
    al = align(a, b)
    row = next(r for r in al.rows if r.paired)
    (op,) = [o for o in row.absolute_diff() if o.op != "equal"]
    assert (a[op.a_start:op.a_end], b[op.b_start:op.b_end]) == ("Monday", "Tuesday")
    data = json.loads(json.dumps(al.to_json()))
    rows = data["rows"]
    assert {"a", "b", "a_text", "b_text", "score", "moved", "diff"} <= set(rows[0])
    paired = next(r for r in rows if r["a"] is not None and r["b"] is not None)
    assert any(d["op"] == "replace" for d in paired["diff"])
    assert DiffOp("equal", 0, 1, 0, 1).shifted(2, 3) == DiffOp("equal", 2, 3, 3, 4)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=50, max_value=600))
def test_synthetic_damaged_copies_keep_invariants(seed: int, words: int) -> None:
    a = synthetic_report(words, seed=seed)
    b = damaged_copy(a, seed=seed + 1)
    al = align(a, b)
    _check_invariants(al, a, b)
    assert al.shared + al.moved >= 0.6 * min(al.a_count, al.b_count)


def test_bundled_damaged_mirror() -> None:
    a_path = next(ARTICLES.glob("001_*.txt"), None)
    b_path = next(ARTICLES.glob("002_*.txt"), None)
    if a_path is None or b_path is None:
        pytest.skip("bundled articles not present")
    a, b = a_path.read_text(encoding="utf-8"), b_path.read_text(encoding="utf-8")
    al = align(a, b)
    _check_invariants(al, a, b)
    assert al.shared >= 0.6 * min(al.a_count, al.b_count)
    glued = next(r for r in al.rows if r.b_text and "saiduploading" in r.b_text)
    assert glued.paired and "said at least four missiles" in glued.a_text
    deleted = [glued.a_text[o.a_start:o.a_end] for o in glued.diff if o.op == "delete"]
    assert deleted == ["at least four missiles hit the city"]
