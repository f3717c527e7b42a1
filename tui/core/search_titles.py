"""Fuzzy title search: each typed word is matched against the words used in titles despite
typos, and the titles holding those words are found through the full-text index.

Scoring every title of a 100,000-article library against the query took 150 ms and grew
with the library; the words used in titles grow far slower than the titles do.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rapidfuzz import fuzz, process

from tui.core.store import ROW_SELECT, ArticleRow, Index, _row
from tui.core.text import folded_words

WORD_CUTOFF = 75.0
"""Least :func:`rapidfuzz.fuzz.ratio` between a typed word and a title word
("lisbom"/"lisbon" 83, "erthquake"/"earthquake" 95, "lisb"/"lisbon" 80)."""
ALTERNATIVES = 8
"""Title words kept per typed word (the closest)."""
CANDIDATES = 2000
"""Titles scored at most (those holding close words for the most typed words, then the
last indexed)."""
MIN_WORD = 3
"""Shorter typed words ("in", "of") say too little to find a title by."""


def fuzzy_titles(index: Index, text: str, where: list[str], params: list[Any],
                 limit: int) -> list[ArticleRow]:
    """Articles whose title is close to ``text`` despite typos, best first, that also meet
    the filter conditions ``where`` (on ``a`` articles and ``s`` state).

    A title scores the mean, over the typed words, of its closest word's similarity; it
    must hold a close word for every typed word of one or two, all but one of three or
    more. Ties go to the latest report."""
    typed = [w for w in dict.fromkeys(folded_words(text)) if len(w) >= MIN_WORD]
    if not typed or limit <= 0:
        return []
    vocabulary = index.title_terms()
    groups = [g for g in (_close_words(w, vocabulary) for w in typed) if g]
    if not groups:
        return []
    need = len(groups) if len(groups) <= 2 else len(groups) - 1
    scored = []
    for article_id, date, words in _candidates(index, groups, need):
        score = sum(max((group.get(w, 0.0) for w in words), default=0.0) for group in groups)
        scored.append((score, date, article_id))
    scored.sort(reverse=True)
    return _rows(index, [i for _s, _d, i in scored[:limit * 3]], where, params)[:limit]


def _close_words(word: str, vocabulary: list[str]) -> dict[str, float]:
    """The title words closest to ``word``, with their similarity."""
    found = process.extract(word, vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF,
                            limit=ALTERNATIVES)
    return {term: score for term, score, _n in found}


def _candidates(index: Index, groups: list[dict[str, float]],
                need: int) -> list[tuple[str, str, set[str]]]:
    """Article ids, dates and folded title words of the articles whose title holds a word
    of at least ``need`` groups (at most :data:`CANDIDATES`: those holding most, then the
    last indexed)."""
    shared: Counter[int] = Counter()
    for group in groups:
        expression = "{title} : (" + " OR ".join(f'"{t}"' for t in group) + ")"
        shared.update(r[0] for r in index.db.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ?", (expression,)))
    best = sorted((rowid for rowid, n in shared.items() if n >= need),
                  key=lambda rowid: (-shared[rowid], -rowid))[:CANDIDATES]
    found: list[tuple[str, str, set[str]]] = []
    for start in range(0, len(best), 500):
        chunk = best[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found += [(article_id, date or "", set(folded_words(title)))
                  for article_id, date, title in index.db.execute(
                      f"SELECT id, date, title FROM articles WHERE rowid IN ({marks})", chunk)]
    return found


def _rows(index: Index, ids: list[str], where: list[str],
          params: list[Any]) -> list[ArticleRow]:
    """Rows of ``ids`` meeting the conditions, in the order of ``ids``."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    conditions = " AND ".join([f"a.id IN ({marks})", *where])
    rows = index.db.execute(f"{ROW_SELECT} WHERE {conditions}", (*ids, *params)).fetchall()
    by_id = {r[1]: _row(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]
