"""Sentence alignment of two reports, for the side-by-side comparison.

:func:`align` pairs the sentences of two texts so that matching ones sit on the same row:
the monotonic alignment with the largest total similarity (RapidFuzz), where one sentence may
match two or three consecutive ones on the other side (a damaged mirror glues sentences
together), and sentences without a counterpart face an empty cell. Sentences left unpaired on
both sides that match each other strongly are then marked *moved* rather than shown as
deleted and added. Paired rows carry a word-level diff (:mod:`tui.core.align_diff`).

Offsets: ``Row.a_span``/``b_span`` are absolute offsets into the texts aligned; ``Row.diff``
offsets are relative to ``Row.a_text``/``b_text``; :meth:`Row.absolute_diff` gives them
shifted into the original texts, ready to overlay on entity and figure spans.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tui.core.align_candidates import candidate_arrays
from tui.core.align_chain import chain_order
from tui.core.align_diff import DiffOp, word_diff
from tui.core.align_score import Block, Keys, text_keys

__all__ = ["Alignment", "DiffOp", "Row", "align", "bench_align"]

PAIR_THRESHOLD = 0.5
"""Similarity (0..1) under which two sentences are never paired. Unrelated English sentences
score 0.2–0.45 on the combined character/word measure; rewrites of one sentence 0.5–0.9."""
MERGE_FLOOR = 0.4
"""A merged group is tried only when one of its sentences alone reaches this similarity."""
MERGE_PENALTY = 0.04
"""Similarity each extra sentence in a merged group must earn."""
MOVED_THRESHOLD = 0.6
"""Similarity an unpaired sentence needs with one unpaired on the other side to be *moved*."""

Spans = list[tuple[int, int]]


@dataclass(slots=True)
class Row:
    """One row of the comparison: sentences of the left and right text shown side by side."""

    a: list[int] | None
    """Indices of the left sentences on this row (``None``: the left cell is empty)."""
    b: list[int] | None
    """Indices of the right sentences on this row (``None``: the right cell is empty)."""
    a_text: str
    b_text: str
    score: float
    """Similarity 0..1 of the two sides (for a moved row: of it and its counterpart)."""
    moved: bool = False
    _diff: list[DiffOp] | None = field(default=None, repr=False, compare=False)
    """The word diff once computed (see :attr:`diff`)."""
    moved_to: int | None = None
    """For a moved row: the index of the row holding its counterpart."""
    a_span: tuple[int, int] | None = None
    """``(start, end)`` of ``a_text`` in the left text."""
    b_span: tuple[int, int] | None = None
    """``(start, end)`` of ``b_text`` in the right text."""

    @property
    def paired(self) -> bool:
        """True when both cells hold text."""
        return self.a is not None and self.b is not None

    @property
    def diff(self) -> list[DiffOp]:
        """Word diff of a paired row, offsets relative to ``a_text``/``b_text`` (empty for
        a one-sided row). Computed on first use: a screen diffs only the rows it draws."""
        if self._diff is None:
            self._diff = word_diff(self.a_text, self.b_text) if self.paired else []
        return self._diff

    @property
    def identical(self) -> bool:
        """True for a paired row whose words are all equal."""
        if not self.paired:
            return False
        return self.a_text == self.b_text or all(op.op == "equal" for op in self.diff)

    def absolute_diff(self) -> list[DiffOp]:
        """The word diff with offsets into the original left and right texts."""
        da = self.a_span[0] if self.a_span else 0
        db = self.b_span[0] if self.b_span else 0
        return [op.shifted(da, db) for op in self.diff]

    def to_json(self) -> dict[str, Any]:
        """The row as a JSON object (the ``rows`` items of ``crosscheck compare --json``)."""
        return {
            "a": self.a, "b": self.b, "a_text": self.a_text, "b_text": self.b_text,
            "score": round(self.score, 4), "moved": self.moved, "moved_to": self.moved_to,
            "a_span": list(self.a_span) if self.a_span else None,
            "b_span": list(self.b_span) if self.b_span else None,
            "diff": [op.to_json() for op in self.diff],
        }


@dataclass(slots=True)
class Alignment:
    """The rows of a comparison and the sentence spans they index."""

    rows: list[Row]
    a_spans: Spans
    b_spans: Spans

    @property
    def shared(self) -> int:
        """Rows with text on both sides."""
        return sum(1 for r in self.rows if r.paired)

    @property
    def only_a(self) -> int:
        """Rows with text on the left only, moved rows excluded."""
        return sum(1 for r in self.rows if r.b is None and not r.moved)

    @property
    def only_b(self) -> int:
        """Rows with text on the right only, moved rows excluded."""
        return sum(1 for r in self.rows if r.a is None and not r.moved)

    @property
    def moved(self) -> int:
        """Sentences moved: pairs of rows that reference each other."""
        return sum(1 for r in self.rows if r.moved and r.a is not None)

    @property
    def a_count(self) -> int:
        """Sentences in the left text."""
        return len(self.a_spans)

    @property
    def b_count(self) -> int:
        """Sentences in the right text."""
        return len(self.b_spans)

    @property
    def total(self) -> int:
        """Units compared: shared rows, moved pairs and one-sided rows."""
        return self.shared + self.moved + self.only_a + self.only_b

    def difference_rows(self) -> list[int]:
        """Indices of the rows that differ (one-sided, moved, or changed words)."""
        return [k for k, r in enumerate(self.rows) if not r.identical]

    def summary(self) -> str:
        """One line: ``"12 of 18 sentences shared, 3 only left, 2 only right, 1 moved"``."""
        return (f"{self.shared} of {self.total} sentences shared, {self.only_a} only left, "
                f"{self.only_b} only right, {self.moved} moved")

    def to_json(self) -> dict[str, Any]:
        """``{"rows": [...], "summary": {...}}`` for ``crosscheck compare --json``."""
        return {
            "rows": [r.to_json() for r in self.rows],
            "summary": {"shared": self.shared, "only_a": self.only_a, "only_b": self.only_b,
                        "moved": self.moved, "a_count": self.a_count, "b_count": self.b_count,
                        "text": self.summary()},
        }


def align(a: str, b: str) -> Alignment:
    """Align the sentences of ``a`` and ``b`` (see the module docstring).

    Rows come in reading order of both texts: paired rows in the order of both, and between
    two paired rows the left-only rows before the right-only ones.
    """
    a_found, a_keys = text_keys(a)
    b_found, b_keys = text_keys(b)
    a_spans, b_spans = list(a_found), list(b_found)
    keys = Keys.of_sides(a_keys, b_keys)
    sims = keys.matrix()
    found = candidate_arrays(keys, sims, PAIR_THRESHOLD, MERGE_FLOOR, MERGE_PENALTY)
    chain = found.blocks(chain_order(found.i0.tolist(), found.i1.tolist(), found.j0.tolist(),
                                     found.j1.tolist(), found.weight.tolist(), len(b_spans)))
    rows = _rows(a, b, a_spans, b_spans, chain, sims)
    return Alignment(rows, a_spans, b_spans)


def _rows(a: str, b: str, a_spans: Spans, b_spans: Spans, chain: list[Block],
          sims: NDArray[np.float32]) -> list[Row]:
    """Rows for the chain of pairings, one-sided rows in between, moves marked."""
    rows: list[Row] = []
    i = j = 0
    for block in chain:
        rows.extend(_one_sided(a, a_spans, range(i, block.i0), left=True))
        rows.extend(_one_sided(b, b_spans, range(j, block.j0), left=False))
        rows.append(_paired(a, b, a_spans, b_spans, block))
        i, j = block.i1, block.j1
    rows.extend(_one_sided(a, a_spans, range(i, len(a_spans)), left=True))
    rows.extend(_one_sided(b, b_spans, range(j, len(b_spans)), left=False))
    _mark_moves(rows, sims)
    return rows


def _text(text: str, spans: Spans, idx: list[int]) -> tuple[str, tuple[int, int]]:
    """The text of consecutive sentences ``idx`` (with what lies between them) and its span."""
    start, end = spans[idx[0]][0], spans[idx[-1]][1]
    return text[start:end], (start, end)


def _one_sided(text: str, spans: Spans, idx: range, left: bool) -> list[Row]:
    """Rows for sentences without a counterpart."""
    out = []
    for k in idx:
        body, span = _text(text, spans, [k])
        if left:
            out.append(Row([k], None, body, "", 0.0, a_span=span))
        else:
            out.append(Row(None, [k], "", body, 0.0, b_span=span))
    return out


def _paired(a: str, b: str, a_spans: Spans, b_spans: Spans, block: Block) -> Row:
    """The row of one pairing (its word diff is computed when first asked for)."""
    ia, ib = list(range(block.i0, block.i1)), list(range(block.j0, block.j1))
    a_text, a_span = _text(a, a_spans, ia)
    b_text, b_span = _text(b, b_spans, ib)
    return Row(ia, ib, a_text, b_text, block.sim, a_span=a_span, b_span=b_span)


def _mark_moves(rows: list[Row], sims: NDArray[np.float32]) -> None:
    """Link left-only and right-only rows that match strongly, best matches first."""
    left = {r.a[0]: k for k, r in enumerate(rows) if r.b is None and r.a is not None}
    right = {r.b[0]: k for k, r in enumerate(rows) if r.a is None and r.b is not None}
    if not left or not right:
        return
    ia, jb = np.array(sorted(left)), np.array(sorted(right))
    sub = sims[np.ix_(ia, jb)]
    found = np.argwhere(sub >= MOVED_THRESHOLD * 100)
    ranked = sorted(found.tolist(), key=lambda p: -float(sub[p[0], p[1]]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    for p, q in ranked:
        i, j = int(ia[p]), int(jb[q])
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        ra, rb = left[i], right[j]
        score = float(sub[p, q]) / 100.0
        rows[ra].moved = rows[rb].moved = True
        rows[ra].moved_to, rows[rb].moved_to = rb, ra
        rows[ra].score = rows[rb].score = score


def bench_align(words: int, repeat: int = 3) -> float:
    """Seconds (best of ``repeat``) to align two synthetic reports of about ``words`` words,
    the second a damaged, partly reordered copy of the first. For ``make bench``."""
    from tui.core.align_synth import damaged_copy, synthetic_report

    a = synthetic_report(words, seed=1)
    b = damaged_copy(a, seed=2)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        align(a, b)
        best = min(best, time.perf_counter() - start)
    return best
