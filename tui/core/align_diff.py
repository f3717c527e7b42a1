"""Word-level differences between two paired sentences.

Words are compared folded (case and diacritics ignored); punctuation and spacing between
words are not compared and belong to no operation. A word a scraper glued to its neighbour
(``"thatAzerbaijan's"``, ``"saiduploading"``) still lines up with the separate words on the
other side: camel-case joins are split before diffing, and changed stretches are trimmed
of glued prefixes and suffixes, so only the words really missing are marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from rapidfuzz.distance import Indel

from tui.core.text import fold, word_spans

Op = Literal["equal", "insert", "delete", "replace"]


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One stretch of a word diff: ``a_text[a_start:a_end]`` against ``b_text[b_start:b_end]``.

    Offsets are relative to the texts diffed (a row's ``a_text``/``b_text``). An ``insert``
    has ``a_start == a_end`` (where it would go on the left), a ``delete`` ``b_start == b_end``.
    """

    op: Op
    a_start: int
    a_end: int
    b_start: int
    b_end: int

    def shifted(self, da: int, db: int) -> DiffOp:
        """The same operation with offsets moved by ``da`` on the left and ``db`` on the right."""
        return DiffOp(self.op, self.a_start + da, self.a_end + da,
                      self.b_start + db, self.b_end + db)

    def to_json(self) -> dict[str, Any]:
        """The operation as a JSON object."""
        return {"op": self.op, "a_start": self.a_start, "a_end": self.a_end,
                "b_start": self.b_start, "b_end": self.b_end}


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    key: str


def tokens(text: str) -> list[_Tok]:
    """Word tokens of ``text`` with folded keys, split at camel-case joins ("thatAzer")."""
    folded = fold(text)
    if len(folded) != len(text):  # rare ("ß" → "ss"): fold token by token instead
        folded = "".join(_fold_same_length(text[s:e]) if e > s else "" for s, e in _gaps(text))
    out: list[_Tok] = []
    for start, end in word_spans(text):
        cut = start
        tail = text[start + 1:end]
        if tail != tail.lower():  # a capital inside: maybe glued words
            for pos in range(start + 1, end):
                if text[pos].isupper() and text[pos - 1].islower():
                    out.append(_Tok(cut, pos, folded[cut:pos]))
                    cut = pos
        out.append(_Tok(cut, end, folded[cut:end]))
    return out


def _gaps(text: str) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` pieces covering ``text``: its words and what lies between."""
    out: list[tuple[int, int]] = []
    last = 0
    for start, end in word_spans(text):
        out.extend([(last, start), (start, end)])
        last = end
    out.append((last, len(text)))
    return out


def _fold_same_length(token: str) -> str:
    """:func:`fold` character by character, so key offsets are text offsets."""
    folded = fold(token)
    if len(folded) == len(token):
        return folded
    out = []
    for ch in token:
        f = fold(ch)
        out.append(f if len(f) == 1 else ch.lower()[:1] or ch)
    return "".join(out)


def word_diff(a_text: str, b_text: str) -> list[DiffOp]:
    """Diff two texts word by word; see the module docstring for what is compared.

    Returns operations in order, covering every word of both texts; consecutive operations
    of the same kind are merged.
    """
    if a_text == b_text:  # most paired rows of a copy: one equal stretch, no diff to run
        return _all_equal(a_text)
    return _token_diff(a_text, b_text)


def _token_diff(a_text: str, b_text: str) -> list[DiffOp]:
    """:func:`word_diff` the long way: the folded tokens of both texts diffed."""
    ta, tb = tokens(a_text), tokens(b_text)
    ops: list[DiffOp] = []
    region: list[int] | None = None  # [a0, a1, b0, b1] of the pending changed stretch
    for code in Indel.opcodes([t.key for t in ta], [t.key for t in tb]):
        if code.tag == "equal":
            if region:
                ops.extend(_changed(ta[region[0]:region[1]], tb[region[2]:region[3]], ops))
                region = None
            ops.append(_span_op("equal", ta[code.src_start:code.src_end],
                                tb[code.dest_start:code.dest_end], ops))
        elif region is None:
            region = [code.src_start, code.src_end, code.dest_start, code.dest_end]
        else:
            region[1], region[3] = code.src_end, code.dest_end
    if region:
        ops.extend(_changed(ta[region[0]:region[1]], tb[region[2]:region[3]], ops))
    return _merge(ops)


def _all_equal(text: str) -> list[DiffOp]:
    """:func:`word_diff` of ``text`` with itself: its words, first to last, all equal."""
    first = last = None
    for span in word_spans(text):
        if first is None:
            first = span
        last = span
    if first is None or last is None:
        return []
    return [DiffOp("equal", first[0], last[1], first[0], last[1])]


def _span_op(op: Op, ta: list[_Tok], tb: list[_Tok], before: list[DiffOp]) -> DiffOp:
    """An operation over whole token runs; an empty side sits after the previous operation."""
    a_at = before[-1].a_end if before else (ta[0].start if ta else 0)
    b_at = before[-1].b_end if before else (tb[0].start if tb else 0)
    a0, a1 = (ta[0].start, ta[-1].end) if ta else (a_at, a_at)
    b0, b1 = (tb[0].start, tb[-1].end) if tb else (b_at, b_at)
    return DiffOp(op, a0, a1, b0, b1)


def _changed(ta: list[_Tok], tb: list[_Tok], before: list[DiffOp]) -> list[DiffOp]:
    """Operations for a changed stretch, with glued words on its edges matched up."""
    ta = [_Tok(t.start, t.end, t.key) for t in ta]
    tb = [_Tok(t.start, t.end, t.key) for t in tb]
    head: list[DiffOp] = []
    tail: list[DiffOp] = []
    while ta and tb and (_unglue_front(ta, tb, head) or _unglue_front(tb, ta, head, True)):
        pass
    while ta and tb and (_unglue_back(ta, tb, tail) or _unglue_back(tb, ta, tail, True)):
        pass
    context = before + head
    kind: Op = "replace" if ta and tb else ("delete" if ta else "insert")
    middle = [_span_op(kind, ta, tb, context)] if ta or tb else []
    return head + middle + tail[::-1]


def _unglue_front(glued: list[_Tok], other: list[_Tok], out: list[DiffOp],
                  swapped: bool = False) -> bool:
    """Match ``other[0]`` with the start of ``glued[0]`` when the rest is confirmed by the
    next word on the other side (or its last word); consume both. True if done."""
    g, o = glued[0], other[0]
    if g.key == o.key:
        rest = ""
    elif len(o.key) >= 2 and g.key.startswith(o.key):
        rest = g.key[len(o.key):]
        nxt = other[1].key if len(other) > 1 else ""
        last = other[-1].key if len(other) > 1 else ""
        if len(rest) < 2 or not nxt or not (rest.startswith(nxt) or rest == last):
            return False
    else:
        return False
    cut = g.start + len(o.key)
    out.append(_pair("equal", (g.start, cut), (o.start, o.end), swapped))
    other.pop(0)
    if rest:
        glued[0] = _Tok(cut, g.end, rest)
    else:
        glued.pop(0)
    return True


def _unglue_back(glued: list[_Tok], other: list[_Tok], out: list[DiffOp],
                 swapped: bool = False) -> bool:
    """Mirror of :func:`_unglue_front` on the last words of a changed stretch."""
    g, o = glued[-1], other[-1]
    if g.key == o.key:
        rest = ""
    elif len(o.key) >= 2 and g.key.endswith(o.key):
        rest = g.key[: len(g.key) - len(o.key)]
        prev = other[-2].key if len(other) > 1 else ""
        first = other[0].key if len(other) > 1 else ""
        if len(rest) < 2 or not prev or not (rest.endswith(prev) or rest == first):
            return False
    else:
        return False
    cut = g.end - len(o.key)
    out.append(_pair("equal", (cut, g.end), (o.start, o.end), swapped))
    other.pop()
    if rest:
        glued[-1] = _Tok(g.start, cut, rest)
    else:
        glued.pop()
    return True


def _pair(op: Op, glued: tuple[int, int], other: tuple[int, int], swapped: bool) -> DiffOp:
    """A DiffOp from a glued-side range and an other-side range (``swapped``: glued is b)."""
    a, b = (other, glued) if swapped else (glued, other)
    return DiffOp(op, a[0], a[1], b[0], b[1])


def _merge(ops: list[DiffOp]) -> list[DiffOp]:
    """Merge consecutive operations of the same kind into one."""
    out: list[DiffOp] = []
    for op in ops:
        if out and out[-1].op == op.op:
            last = out[-1]
            out[-1] = DiffOp(op.op, last.a_start, max(last.a_end, op.a_end),
                             last.b_start, max(last.b_end, op.b_end))
        else:
            out.append(op)
    return out
