"""Entities and figures of one article, as the reader shows them."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.model import Article
from tui.core.spans import Span
from tui.core.store import Index


@dataclass(slots=True)
class Notes:
    """What the reader highlights in one article."""

    spans: list[Span] = field(default_factory=list)
    conflicts: list[Span] = field(default_factory=list)
    figure_lines: list[tuple[str, bool]] = field(default_factory=list)
    """One line per figure ("about 50,000 inhabitants · population · Stepanakert"), conflict?"""


def annotate_article(index: Index, article: Article) -> Notes:
    """The article's highlights (entities and figures)."""
    return Notes()
