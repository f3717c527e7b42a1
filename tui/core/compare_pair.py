"""Two reports compared: their alignment, relation, and the figures on which they disagree.

Shared by the comparison screen and ``crosscheck compare``; no Textual here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.core.align import Alignment, align
from tui.core.annotations import Notes, annotate_article, conflicts_between
from tui.core.model import Article
from tui.core.spans import Span
from tui.core.store import Index
from tui.core.storyview import pair_reasons, story_of

RELATIONS = ("copy", "same-story", "unrelated")
_WORD = re.compile(r"\S+")


@dataclass(slots=True)
class Comparison:
    """Everything the comparison shows about two reports (``a`` left, ``b`` right)."""

    a: Article
    b: Article
    alignment: Alignment
    relation: str
    """One of :data:`RELATIONS`."""
    score: float
    notes_a: Notes = field(default_factory=Notes)
    notes_b: Notes = field(default_factory=Notes)
    groups: list[dict[str, Any]] = field(default_factory=list)
    """Conflicting figure groups limited to these two reports (``crosscheck figures`` shape)."""
    conflicts_a: list[Span] = field(default_factory=list)
    """Conflicting figures in ``a.body`` (offsets into it)."""
    conflicts_b: list[Span] = field(default_factory=list)

    def conflict_rows(self) -> list[int]:
        """Indices of the rows holding a conflicting figure on either side."""
        return [k for k, row in enumerate(self.alignment.rows)
                if _inside(self.conflicts_a, row.a_span) or _inside(self.conflicts_b, row.b_span)]

    @property
    def conflict_count(self) -> int:
        """Number of conflicting figures: groups when known, else marked figure pairs."""
        if self.groups:
            return len(self.groups)
        return max(len(self.conflicts_a), len(self.conflicts_b))

    def explain(self, row_index: int) -> str:
        """One line on the conflicting figures of a row, e.g.
        ``"left: about 50,000 inhabitants (Stepanakert) · right: roughly 55,000"``."""
        row = self.alignment.rows[row_index]
        left = _inside(self.conflicts_a, row.a_span)
        right = _inside(self.conflicts_b, row.b_span)
        if not left and not right:
            return ""
        for group in self.groups:
            line = _explain_group(group, self.a.id, self.b.id, left + right)
            if line:
                return line
        return (f"left: {_phrases(self.a.body, left) or '—'} · "
                f"right: {_phrases(self.b.body, right) or '—'}")


def compare(index: Index, a: Article, b: Article,
            notes: dict[str, Notes] | None = None) -> Comparison:
    """Align ``a`` and ``b`` and gather their relation and conflicting figures.

    ``notes`` caches :func:`annotate_article` results by article id between calls.
    """
    cache = notes if notes is not None else {}
    for article in (a, b):
        if article.id not in cache:
            cache[article.id] = annotate_article(index, article)
    alignment = align(a.body, b.body)
    relation, score = pair_relation(index, a.id, b.id, alignment)
    groups = conflict_groups(index, a.id, b.id)
    cmp = Comparison(a, b, alignment, relation, score, cache[a.id], cache[b.id], groups)
    cmp.conflicts_a = _group_spans(groups, a.id, a.body)
    cmp.conflicts_b = _group_spans(groups, b.id, b.body)
    return cmp


def pair_relation(index: Index, a_id: str, b_id: str, alignment: Alignment) -> tuple[str, float]:
    """The stored relation of two reports; else ``same-story`` when the clustering put
    them in one story through other reports, ``unrelated`` otherwise, scored by the
    sentences shared (shared rows over the larger sentence count)."""
    stored = pair_reasons(index, a_id, b_id)
    if stored is not None and stored[0] in RELATIONS:
        return stored[0], round(stored[1], 4)
    most = max(alignment.a_count, alignment.b_count)
    shared = round(alignment.shared / most, 4) if most else 0.0
    story = story_of(index, a_id)
    if story is not None and story == story_of(index, b_id):
        return "same-story", shared
    return "unrelated", shared


def conflict_groups(index: Index, a_id: str, b_id: str) -> list[dict[str, Any]]:
    """Conflicting figure groups of the two reports (see ``annotations.conflicts_between``)."""
    return conflicts_between(index, a_id, b_id)


def relation_label(relation: str, score: float) -> str:
    """``"copy · 0.93"``, ``"same story · 0.41"``."""
    return f"{relation.replace('-', ' ')} · {score:.2f}"


def _inside(spans: Sequence[Span], span: tuple[int, int] | None) -> list[Span]:
    """The spans lying (at least partly) within ``span``."""
    if span is None:
        return []
    return [s for s in spans if s.start < span[1] and s.end > span[0]]


def _group_spans(groups: list[dict[str, Any]], article_id: str, body: str) -> list[Span]:
    """Spans of the mentions of ``article_id`` in the groups."""
    out = []
    for group in groups:
        for m in group.get("mentions", []):
            start, end = int(m.get("start", -1)), int(m.get("end", -1))
            if m.get("article") == article_id and 0 <= start < end <= len(body):
                out.append(Span(start, end, body[start:end], "number"))
    return sorted(set(out), key=lambda s: (s.start, s.end))


def _explain_group(group: dict[str, Any], a_id: str, b_id: str, spans: list[Span]) -> str:
    """The line for a group holding one of ``spans`` (empty when it holds none)."""
    mentions = group.get("mentions", [])
    offsets = {(s.start, s.end) for s in spans}
    if not any((m.get("start"), m.get("end")) in offsets for m in mentions):
        return ""
    subject = group.get("subject")
    sides = []
    for label, art in (("left", a_id), ("right", b_id)):
        texts = [_with_unit(m) for m in mentions if m.get("article") == art]
        sides.append(f"{label}: {', '.join(dict.fromkeys(texts)) or '—'}")
    if subject:
        sides[0] += f" ({subject})"
    return " · ".join(sides)


def _with_unit(mention: dict[str, Any]) -> str:
    """``"about 50,000 inhabitants"``: the figure with its counted noun."""
    text, unit = str(mention.get("text", "")), mention.get("unit")
    return f"{text} {unit}" if unit and str(unit) not in text else text


def _phrases(body: str, spans: list[Span]) -> str:
    """Each span with a word of context either side: ``"around 50,000 inhabitants"``."""
    return ", ".join(dict.fromkeys(_context(body, s) for s in spans))


def _context(body: str, span: Span, words: int = 1) -> str:
    """``span`` widened by ``words`` words each side, within its line, punctuation trimmed."""
    line_start = body.rfind("\n", 0, span.start) + 1
    line_end = body.find("\n", span.end)
    line_end = len(body) if line_end < 0 else line_end
    before = list(_WORD.finditer(body, line_start, span.start))[-words:]
    after = list(_WORD.finditer(body, span.end, line_end))[:words]
    start = before[0].start() if before else span.start
    end = after[-1].end() if after else span.end
    return " ".join(body[start:end].split()).strip(".,;:!?\"'()")

