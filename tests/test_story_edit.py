"""The reader's merges and splits: applied at once, kept across re-indexing, undoable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui.core.config import Config
from tui.core.pipeline import update
from tui.core.store import Index
from tui.core.story_edit import (
    StoryEditError,
    edits,
    forget_edits,
    merge_stories,
    split_article,
    story_articles,
)
from tui.core.storyview import story_of

ARTICLES = Path(__file__).resolve().parents[1] / "articles"


def _library(tmp_path: Path) -> tuple[Index, Config, list[str]]:
    root = tmp_path / "lib"
    shutil.copytree(ARTICLES, root)
    index = Index(root, tmp_path / "cache", tmp_path / "state")
    config = Config()
    update(index, config)
    ids = [r[0] for r in index.db.execute("SELECT id FROM articles ORDER BY id")]
    return index, config, ids


def _partition(index: Index, ids: list[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(story_of(index, i) or "", []).append(i)
    return sorted(groups.values())


def test_split_makes_a_story_of_its_own_and_survives_a_new_index(tmp_path: Path) -> None:
    index, config, ids = _library(tmp_path)
    story = story_of(index, ids[1])
    assert story is not None and len(story_articles(index, story)) > 1
    alone = split_article(index, config, ids[1])
    assert story_articles(index, alone) == [ids[1]]
    kept = _partition(index, ids)
    # A fresh index over the same state (a cache wiped, a schema upgrade) agrees.
    fresh = Index(index.root, tmp_path / "other-cache", tmp_path / "state")
    update(fresh, config)
    assert _partition(fresh, ids) == kept


def test_merge_joins_two_stories_and_forget_restores_the_method(tmp_path: Path) -> None:
    index, config, ids = _library(tmp_path)
    before = _partition(index, ids)
    first, last = story_of(index, before[0][0]), story_of(index, before[-1][0])
    assert first is not None and last is not None and first != last
    merged = merge_stories(index, config, first, last)
    assert set(story_articles(index, merged)) == set(before[0]) | set(before[-1])
    assert any(kind == "merge" for _, _, kind, _ in edits(index))
    assert forget_edits(index, config, before[0][0]) + forget_edits(
        index, config, before[-1][0]) >= 1
    assert _partition(index, ids) == before


def test_merge_undoes_an_earlier_split_between_the_same_reports(tmp_path: Path) -> None:
    index, config, ids = _library(tmp_path)
    story = story_of(index, ids[0])
    assert story is not None
    partner = next(x for x in story_articles(index, story) if x != ids[0])
    split_article(index, config, ids[0])
    assert story_of(index, ids[0]) != story_of(index, partner)
    a, b = story_of(index, ids[0]), story_of(index, partner)
    assert a is not None and b is not None
    merge_stories(index, config, a, b)
    assert story_of(index, ids[0]) == story_of(index, partner)


def test_bad_edits_are_refused(tmp_path: Path) -> None:
    index, config, ids = _library(tmp_path)
    story = story_of(index, ids[0])
    assert story is not None
    with pytest.raises(StoryEditError):
        merge_stories(index, config, story, story)
    with pytest.raises(StoryEditError):
        merge_stories(index, config, story, "s:nope")
    with pytest.raises(StoryEditError):
        split_article(index, config, "nope")
    lonely = next(i for i in ids if len(story_articles(index, story_of(index, i) or "")) == 1)
    with pytest.raises(StoryEditError):
        split_article(index, config, lonely)
