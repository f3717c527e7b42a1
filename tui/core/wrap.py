"""Word wrapping that keeps character offsets, so highlights map onto wrapped lines;
and highlights found by position, so a line drawn needs only its own."""

from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate
from typing import overload

from rich.cells import cell_len
from rich.style import Style
from rich.text import Span as RichSpan

_ONE_CELL = re.compile("[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2010-\u2027"
                       "\u2030-\u205e\u2190-\u2193\u2500-\u25fc\u2605\u26a0]*")
"""Characters one cell wide each (Latin, Greek, Cyrillic, punctuation such as · – … ×,
box drawing, the ★ and ⚠ the app draws): text made only of these is as wide as it is
long, with nothing to measure."""

BLOCK = 16_384
"""Characters per block of :class:`Wrapped` (a block holds whole hard lines, so a longer
hard line makes a longer block)."""


def wrap_offsets(text: str, width: int, start: int = 0, end: int | None = None
                 ) -> list[tuple[int, int]]:
    """Split ``text`` (or its stretch ``text[start:end]``) into display lines of at most
    ``width`` cells.

    Returns ``(start, end)`` character offsets (into ``text``) of each line, breaking at
    spaces where possible, inside a word only when the word is longer than a line, and
    always at ``\\n``. The spaces at a soft break belong to no line, so nothing is drawn
    twice.
    """
    starts, ends = _wrap_columns(text, width, start, end)
    return list(zip(starts, ends, strict=True))


def _wrap_columns(text: str, width: int, start: int = 0, end: int | None = None
                  ) -> tuple[list[int], list[int]]:
    """:func:`wrap_offsets` as two lists, the starts and the ends of the lines (a million
    short lines take half the time and memory without a tuple each)."""
    width = max(1, width)
    piece = text[start:end]
    lengths = list(map(len, piece.split("\n")))
    if max(lengths) <= width and _narrow(piece):  # short lines: nothing to measure
        starts = list(accumulate(map((1).__add__, lengths), initial=start))
        starts.pop()
        return starts, list(map(operator.add, starts, lengths))
    lines: list[tuple[int, int]] = []
    for length in lengths:
        stop = start + length
        if length <= width and _narrow(text[start:stop]):
            lines.append((start, stop))
        else:
            _wrap_line(text, start, stop, width, lines)
        start = stop + 1
    return [s for s, _ in lines], [e for _, e in lines]


def _wrap_line(text: str, start: int, end: int, width: int, out: list[tuple[int, int]]) -> None:
    """Append the wrapped pieces of the hard line ``text[start:end]``."""
    if start == end:
        out.append((start, end))
        return
    pos = start
    while pos < end:
        # Only a window of the rest is measured: a character is at most two cells and
        # rarely none, so 4 x width characters always hold a line. Measuring the whole
        # rest of a 2 MB single line for each of its lines took seconds.
        lim = min(end, pos + 4 * width + 8)
        if lim == end and _cells(text, pos, end) <= width:
            out.append((pos, end))
            return
        cut = _fit(text, pos, lim, width)
        space = text.rfind(" ", pos, cut + 1)
        if space > pos:
            out.append((pos, space))
            pos = space
            while pos < end and text[pos] == " ":
                pos += 1
        else:
            out.append((pos, cut))
            pos = cut


def _cells(text: str, start: int, end: int) -> int:
    """Display width of ``text[start:end]``, measuring only what is not one cell wide."""
    piece = text[start:end]
    if _narrow(piece):
        return len(piece)
    if "\u200d" in piece or "\ufe0f" in piece:  # joiners: widths do not simply add up
        return cell_len(piece)
    rest = _ONE_CELL.sub("", piece)
    return len(piece) - len(rest) + cell_len(rest)


def _fit(text: str, start: int, end: int, width: int) -> int:
    """The largest ``cut`` with ``text[start:cut]`` at most ``width`` cells (at least 1 char)."""
    if _narrow(text[start:end]):
        return min(end, start + width)
    used = 0
    pos = start
    while pos < end:
        used += cell_len(text[pos])
        if used > width:
            break
        pos += 1
    return max(pos, start + 1)


def _narrow(piece: str) -> bool:
    """Whether each character of ``piece`` takes one cell (ASCII counts as such, as a
    terminal draws it once control characters are gone)."""
    return piece.isascii() or _ONE_CELL.fullmatch(piece) is not None


def line_of(lines: Sequence[tuple[int, int]], offset: int) -> int:
    """Index of the wrapped line holding character ``offset``."""
    if isinstance(lines, Wrapped):
        return lines.line_of(offset)
    starts = [s for s, _ in lines]
    return max(0, bisect_right(starts, offset) - 1)


class Wrapped(Sequence[tuple[int, int]]):
    """The display lines of ``text`` at ``width`` (as :func:`wrap_offsets` gives them),
    wrapped a block at a time, when first needed.

    The text is cut into blocks of whole hard lines of about :data:`BLOCK` characters.
    A block is wrapped when one of its lines is asked for (by index or by offset), or by
    :meth:`wrap_more` / :meth:`wrap_tail`; until then its number of lines is estimated.
    So while :attr:`done` is false, ``len()`` and the index of a line after an unwrapped
    block are estimates, and asking for a line may move the lines after it. Iterating
    (or comparing) wraps every block first.
    """

    def __init__(self, text: str, width: int, block: int = BLOCK) -> None:
        self.text = text
        self.width = max(1, width)
        self._starts = _block_starts(text, max(1, block))
        self._ends = [*self._starts[1:], len(text) + 1]
        """Where each block ends, its closing ``\\n`` included (one past the text: none)."""
        self._blocks: list[tuple[list[int], list[int]] | None] = [None] * len(self._starts)
        """Each wrapped block's lines: their starts and their ends."""
        self._counts = [self._estimate(k) for k in range(len(self._starts))]
        self._firsts: list[int] = []
        """The index of each block's first line (and, last, the number of lines)."""
        self._sum_from(0)
        self._next = 0
        """No block before this one is left to wrap."""

    @property
    def done(self) -> bool:
        """Whether every block is wrapped, so every count and index is exact."""
        return self._next >= len(self._blocks)

    def __len__(self) -> int:
        return self._firsts[-1]

    @overload
    def __getitem__(self, y: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, y: slice) -> list[tuple[int, int]]: ...

    def __getitem__(self, y: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(y, slice):
            self.wrap_more(len(self.text) + 1)
            return [self[i] for i in range(*y.indices(len(self)))]
        if y < 0:
            y += len(self)
        while True:
            if not 0 <= y < len(self):
                raise IndexError(y)
            k = bisect_right(self._firsts, y) - 1
            block = self._blocks[k]
            if block is not None:
                return block[0][y - self._firsts[k]], block[1][y - self._firsts[k]]
            self._wrap(k)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        self.wrap_more(len(self.text) + 1)
        for block in self._blocks:
            if block is not None:
                yield from zip(*block, strict=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def line_of(self, offset: int) -> int:
        """Index of the line holding character ``offset`` (wrapping its block)."""
        k = max(0, bisect_right(self._starts, offset) - 1)
        starts, _ends = self._wrap(k)
        return self._firsts[k] + max(0, bisect_right(starts, offset) - 1)

    def around(self, offset: int, before: int, after: int) -> int:
        """:meth:`line_of` ``offset``, once the ``before`` lines above that line and the
        ``after`` lines below it are wrapped: a view of them will not shift as it draws."""
        k = max(0, bisect_right(self._starts, offset) - 1)
        y = self.line_of(offset) - self._firsts[k]
        above, below = y, len(self._wrap(k)[0]) - y - 1
        first = last = k
        while first > 0 and above < before:
            first -= 1
            above += len(self._wrap(first)[0])
        while last + 1 < len(self._blocks) and below < after:
            last += 1
            below += len(self._wrap(last)[0])
        return self.line_of(offset)

    def wrap_more(self, chars: int) -> bool:
        """Wrap the next blocks in order, about ``chars`` characters' worth; say whether
        all are wrapped."""
        while chars > 0 and not self.done:
            chars -= self._ends[self._next] - self._starts[self._next]
            self._wrap(self._next)
        return self.done

    def wrap_tail(self, lines: int) -> None:
        """Wrap blocks from the end until at least the last ``lines`` lines are exact."""
        exact = 0
        for k in range(len(self._blocks) - 1, -1, -1):
            if exact >= lines:
                return
            exact += len(self._wrap(k)[0])

    def longer_than(self, lines: int) -> bool:
        """Whether there are more than ``lines`` lines, wrapping only as far as needed."""
        k = 0
        while k < len(self._blocks) and self._firsts[k] <= lines:
            self._wrap(k)
            k += 1
        return len(self) > lines

    def _wrap(self, k: int) -> tuple[list[int], list[int]]:
        """Block ``k``'s lines, wrapped now if not yet (the counts after it follow)."""
        block = self._blocks[k]
        if block is None:
            block = self._blocks[k] = _wrap_columns(
                self.text, self.width, self._starts[k], self._ends[k] - 1)
            if len(block[0]) != self._counts[k]:
                self._counts[k] = len(block[0])
                self._sum_from(k)
            while self._next < len(self._blocks) and self._blocks[self._next] is not None:
                self._next += 1
        return block

    def _sum_from(self, k: int) -> None:
        """Recount the first line of every block after block ``k``."""
        first = self._firsts[k] if self._firsts else 0
        self._firsts[k:] = accumulate(self._counts[k:], initial=first)

    def _estimate(self, k: int) -> int:
        """A guess at block ``k``'s number of lines: its hard lines, plus one for each
        ``width`` characters beyond half a line per hard line."""
        start, end = self._starts[k], self._ends[k] - 1
        hard = self.text.count("\n", start, end) + 1
        return hard + max(0, end - start - hard * (self.width // 2)) // self.width


def _block_starts(text: str, block: int) -> list[int]:
    """Where each block starts: just after the first ``\\n`` at least ``block``
    characters into the previous block (so no block is empty, and none splits a line)."""
    starts = [0]
    while True:
        newline = text.find("\n", starts[-1] + block - 1)
        if newline < 0:
            return starts
        starts.append(newline + 1)


class Layer:
    """Stretches of a text, each drawn in one or more styles, found by position.

    ``styles(i)`` gives the styles of stretch ``i`` (stacked in that order); it is asked
    only for stretches on the lines drawn, so a long text's highlights cost nothing until
    their lines show.
    """

    def __init__(self, starts: Sequence[int], ends: Sequence[int],
                 styles: Callable[[int], Sequence[str | Style]]) -> None:
        self.starts, self.ends, self.styles = starts, ends, styles
        self.order: Sequence[int] = range(len(starts))
        self.sorted_starts = starts
        if any(map(operator.gt, starts, starts[1:])):
            self.order = sorted(self.order, key=starts.__getitem__)
            self.sorted_starts = [starts[i] for i in self.order]
        self.longest = max(map(operator.sub, ends, starts), default=0)

    def within(self, start: int, end: int) -> list[RichSpan]:
        """The styled stretches overlapping ``text[start:end]``, in stacking order."""
        lo = bisect_left(self.sorted_starts, start - self.longest)
        hi = bisect_left(self.sorted_starts, end)
        picked = sorted(i for i in self.order[lo:hi] if self.ends[i] > start)
        return [RichSpan(self.starts[i], self.ends[i], style)
                for i in picked for style in self.styles(i)]


class Highlights:
    """Layers of styled stretches over one text, each stacked over the ones before it."""

    def __init__(self, *layers: Layer) -> None:
        self.layers = layers

    def line(self, start: int, end: int) -> list[RichSpan]:
        """The highlights of the line ``text[start:end]``, relative to the line."""
        spans = [span for layer in self.layers for span in layer.within(start, end)]
        return line_spans(spans, [(start, end)])[0]


def line_spans(spans: Sequence[RichSpan], lines: Sequence[tuple[int, int]]
               ) -> list[list[RichSpan]]:
    """Each line's part of ``spans`` (offsets into the text), relative to the line.

    ``lines`` are ``(start, end)`` offsets in order, not overlapping (as
    :func:`tui.core.wrap.wrap_offsets` gives them). A line's spans keep the order of
    ``spans``, so overlapping styles stack as they would on the whole text: the result is
    what slicing the whole styled text at each line gives, at the cost of one pass.
    """
    starts = [start for start, _ in lines]
    out: list[list[RichSpan]] = [[] for _ in lines]
    for start, end, style in spans:
        k = max(0, bisect_right(starts, start) - 1)
        while k < len(lines) and lines[k][0] < end:
            line_start, line_end = lines[k]
            lo, hi = max(start, line_start), min(end, line_end)
            if hi > lo:
                out[k].append(RichSpan(lo - line_start, hi - line_start, style))
            k += 1
    return out
