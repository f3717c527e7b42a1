"""Markdown paragraphs joined back into prose (tui.core.mdtext)."""

from __future__ import annotations

from tui.core.formats import parse_markdown
from tui.core.mdtext import unwrap_paragraphs


def test_wrapped_paragraph_lines_are_joined() -> None:
    text = "The union said 1,200 members\njoined the strike on\nMonday.\n\nNext paragraph\nhere."
    assert unwrap_paragraphs(text) == (
        "The union said 1,200 members joined the strike on Monday.\n\nNext paragraph here.")


def test_blocks_keep_their_lines() -> None:
    text = ("# Title\nFirst line\n- one item that\n  wraps\n- two\n1. first\n2. second\n"
            "> quote\n| a | b |\n| - | - |\n---\nafter the rule\n    code\n    more code")
    out = unwrap_paragraphs(text).split("\n")
    assert out == ["# Title", "First line", "- one item that wraps", "- two", "1. first",
                   "2. second", "> quote", "| a | b |", "| - | - |", "---", "after the rule",
                   "    code", "    more code"]


def test_fenced_code_and_hard_breaks_are_untouched() -> None:
    text = "```\nx = 1\ny = 2\n```\nline with break\\\nnext\nsoft\nwrap"
    assert unwrap_paragraphs(text) == "```\nx = 1\ny = 2\n```\nline with break\\\nnext soft wrap"


def test_text_without_wrapping_is_unchanged() -> None:
    text = "One paragraph on one line.\n\nAnother one.\n"
    assert unwrap_paragraphs(text) == text


def test_markdown_articles_are_unwrapped_but_the_original_is_kept() -> None:
    raw = "---\ntitle: T\n---\nDock workers stopped every\nferry on Thursday.\n"
    [article], problems = parse_markdown("x.md", "x", raw)
    assert not problems
    assert article.body.startswith("Dock workers stopped every ferry on Thursday.")
    assert "every\nferry" in article.original
