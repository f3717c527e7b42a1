"""Markdown paragraphs as prose: lines an editor wrapped are joined back into one.

Markdown treats a single line break inside a paragraph as a space, so notes saved from an
editor that wraps at 72 or 80 columns read as ragged fragments if shown line by line.
Headings, list items, quotes, tables, code and hard breaks (two trailing spaces or a
backslash) keep their lines.
"""

from __future__ import annotations

import re

_BLOCK_START_RE = re.compile(
    r"(?:#{1,6}(?:\s|$)|[-*+]\s|\d{1,9}[.)]\s|>|\||```|~~~|\s{4}|\t|<)"
)
_RULE_RE = re.compile(r"(?:[-=*_]\s*){3,}$")
_FENCE_RE = re.compile(r"\s{0,3}(```|~~~)")


def unwrap_paragraphs(text: str) -> str:
    """``text`` with the soft line breaks inside its Markdown paragraphs made spaces."""
    out: list[str] = []
    in_fence = False
    joinable = False  # may the next line continue the last one?
    for line in text.split("\n"):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            out.append(line)
            joinable = False
            continue
        stripped = line.strip()
        if in_fence or not stripped:
            out.append(line)
            joinable = False
            continue
        if joinable and not _starts_block(line):
            out[-1] = out[-1].rstrip() + " " + stripped
        else:
            out.append(line)
        last = out[-1]
        joinable = not (_is_block_line(line) or last.endswith(("  ", "\\")))
    return "\n".join(out)


def _starts_block(line: str) -> bool:
    """True when ``line`` opens its own block (so it never continues a paragraph)."""
    return bool(_BLOCK_START_RE.match(line) or _RULE_RE.match(line.strip()))


def _is_block_line(line: str) -> bool:
    """Headings, rules, tables and indented code: lines that nothing continues.

    List items and quotes may continue (a wrapped item is one item), so they are not here.
    """
    stripped = line.lstrip()
    return bool(re.match(r"#{1,6}(?:\s|$)|\||<", stripped) or _RULE_RE.match(line.strip())
                or line.startswith(("    ", "\t")))
