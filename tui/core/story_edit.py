"""The reader's own corrections to the stories: merge two stories, split a report out.

Each decision is stored as article-pair overrides in the state database
(``st.story_overrides``: ``merge`` = must link, ``split`` = cannot link), which outlives
the index and every re-clustering; only the stories the decision touches are clustered
again, then their figures are compared again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from tui.core.annotations import compare_stories
from tui.core.config import Config
from tui.core.pipeline import cluster_config
from tui.core.store import Index
from tui.core.stories import changed_stories, forget_changed_stories, regroup_stories
from tui.core.storyview import story_of

_SPLIT_ROUNDS = 4


class StoryEditError(ValueError):
    """A merge or split that cannot be done (unknown id, same story ...)."""


def story_articles(index: Index, story_id: str) -> list[str]:
    """The article ids of a story, lead first."""
    rows = index.db.execute(
        "SELECT article_id FROM story_members WHERE story_id=? ORDER BY position", (story_id,))
    return [r[0] for r in rows]


def merge_stories(index: Index, config: Config, story_a: str, story_b: str) -> str:
    """Merge two stories into one; returns the id of the merged story.

    Earlier splits between the two stories' reports are forgotten (the reader changed
    their mind); the leads are linked so the merge survives any later re-clustering.
    """
    a, b = story_articles(index, story_a), story_articles(index, story_b)
    if not a or not b:
        raise StoryEditError(f"no such story: {story_a if not a else story_b}")
    if story_a == story_b:
        raise StoryEditError("cannot merge a story with itself")
    with index.transaction() as db:
        db.executemany(
            "DELETE FROM st.story_overrides WHERE kind='split' AND a=? AND b=?",
            [tuple(sorted((x, y))) for x in a for y in b])
    _record(index, [(a[0], b[0])], "merge")
    _apply(index, config, a + b)
    merged = story_of(index, a[0])
    if merged is None:  # pragma: no cover - the lead is in the index by construction
        raise StoryEditError(f"{a[0]}: not in the index")
    return merged


def split_article(index: Index, config: Config, article_id: str) -> str:
    """Take one report out of its story; returns the id of the story it now forms.

    The report is kept apart from every other report of that story (copies it carried
    along stay apart too, unless the reader merges them back).
    """
    story = story_of(index, article_id)
    if story is None:
        raise StoryEditError(f"no such article: {article_id}")
    others = [x for x in story_articles(index, story) if x != article_id]
    if not others:
        raise StoryEditError(f"{article_id} is already a story of its own")
    with index.transaction() as db:
        db.execute("DELETE FROM st.story_overrides WHERE kind='merge' AND (a=? OR b=?)",
                   (article_id, article_id))
    alone: str | None = None
    # "Split out" means a story of its own: if, freed, the report joins another story,
    # it is kept apart from that one too (a few rounds at most).
    for _ in range(_SPLIT_ROUNDS):
        _record(index, [(article_id, o) for o in others], "split")
        _apply(index, config, [article_id, *others])
        alone = story_of(index, article_id)
        if alone is None:  # pragma: no cover - the article is in the index
            raise StoryEditError(f"{article_id}: not in the index")
        others = [x for x in story_articles(index, alone) if x != article_id]
        if not others:
            break
    assert alone is not None
    return alone


def forget_edits(index: Index, config: Config, article_id: str) -> int:
    """Drop every merge and split involving ``article_id``; returns how many were dropped.

    Its story and the stories it was kept from are clustered again by the method alone.
    """
    rows = index.db.execute(
        "SELECT a, b FROM st.story_overrides WHERE a=? OR b=?", (article_id, article_id)
    ).fetchall()
    if not rows:
        return 0
    touched = {x for pair in rows for x in pair}
    with index.transaction() as db:
        db.execute("DELETE FROM st.story_overrides WHERE a=? OR b=?", (article_id, article_id))
    stories = {story_of(index, x) for x in touched}
    ids = {x for sid in stories if sid for x in story_articles(index, sid)} | touched
    _apply(index, config, sorted(ids))
    return len(rows)


def edits(index: Index) -> list[tuple[str, str, str, float]]:
    """Every stored decision: ``(a, b, kind, created)``, newest first."""
    rows = index.db.execute(
        "SELECT a, b, kind, created FROM st.story_overrides ORDER BY created DESC")
    return [(a, b, kind, created) for a, b, kind, created in rows]


def _record(index: Index, pairs: Iterable[tuple[str, str]], kind: str) -> None:
    now = time.time()
    with index.transaction() as db:
        db.executemany("INSERT OR REPLACE INTO st.story_overrides VALUES (?,?,?,?)",
                       [(*sorted(p), kind, now) for p in pairs])


def _apply(index: Index, config: Config, ids: Sequence[str]) -> None:
    """Re-cluster the stories of ``ids`` and compare the figures of the changed ones."""
    regroup_stories(index, cluster_config(config), list(ids))
    stale = changed_stories(index)
    if stale:
        compare_stories(index, sorted(stale), config.figures.get("about_tolerance"))
    forget_changed_stories(index, stale)
