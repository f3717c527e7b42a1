"""Word wrapping that keeps character offsets, so highlights map onto wrapped lines."""

from __future__ import annotations

from bisect import bisect_right

from rich.cells import cell_len


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Split ``text`` into display lines of at most ``width`` cells.

    Returns ``(start, end)`` character offsets of each line, breaking at spaces where
    possible, inside a word only when the word is longer than a line, and always at
    ``\\n``. The spaces at a soft break belong to no line, so nothing is drawn twice.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    start = 0
    for raw_line in text.split("\n"):
        end = start + len(raw_line)
        if len(raw_line) <= width and raw_line.isascii():
            lines.append((start, end))  # the common short line: nothing to measure
        else:
            _wrap_line(text, start, end, width, lines)
        start = end + 1
    return lines


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
    """Display width of ``text[start:end]`` (ASCII fast path)."""
    piece = text[start:end]
    return len(piece) if piece.isascii() else cell_len(piece)


def _fit(text: str, start: int, end: int, width: int) -> int:
    """The largest ``cut`` with ``text[start:cut]`` at most ``width`` cells (at least 1 char)."""
    if text[start:end].isascii():
        return min(end, start + width)
    used = 0
    pos = start
    while pos < end:
        used += cell_len(text[pos])
        if used > width:
            break
        pos += 1
    return max(pos, start + 1)


def line_of(lines: list[tuple[int, int]], offset: int) -> int:
    """Index of the wrapped line holding character ``offset``."""
    starts = [s for s, _ in lines]
    return max(0, bisect_right(starts, offset) - 1)
