"""Fuzzy title search through the title words, and full-text ranking split in two halves."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tui.core import search as search_module
from tui.core.search import search
from tui.core.search_titles import fuzzy_titles
from tui.core.store import Index
from tui.core.text import title_terms

CITIES = ["Lisbon", "Lima", "Lyon", "Lille", "Leeds", "Lagos", "Luanda", "Lusaka"]
EVENTS = ["Earthquake", "Flood", "Blackout", "Strike", "Fire"]


def _articles() -> list[dict[str, str]]:
    out = []
    for n in range(120):
        city, event = CITIES[n % len(CITIES)], EVENTS[n % len(EVENTS)]
        out.append({
            "id": f"a{n:03d}", "title": f"{event} in {city}: Ana García reports ({n})",
            "source": ["Wire", "Herald", "Post"][n % 3], "date": f"2024-05-{1 + n % 28:02d}",
            "text": f"The {event.lower()} in {city} was reported by residents. The red cross "
                    f"sent {n} volunteers. " + "Officials met again. " * (n % 7)})
    return out


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    base = tmp_path_factory.mktemp("titles")
    root = base / "lib"
    root.mkdir()
    (root / "news.json").write_text(json.dumps(_articles()), encoding="utf-8")
    idx = Index(root, base / "cache")
    idx.refresh()
    return idx


def titles(index: Index, query: str, limit: int = 50) -> list[str]:
    return [row.title for row in fuzzy_titles(index, query, [], [], limit)]


def test_title_terms_fold_like_the_full_text_index() -> None:
    assert title_terms("Ana García: Gəncə’s mayor, 2024") == {
        "ana", "garcia", "gence", "s", "mayor", "2024"}


def test_a_typo_in_each_word_finds_only_titles_with_both_words(index: Index) -> None:
    found = titles(index, "erthquake in lisbom")
    assert found and all(t.startswith("Earthquake in Lisbon") for t in found)
    # Every such title is found (3 of the 120: n ≡ 0 mod 40).
    assert len(found) == 3


def test_a_dropped_letter_still_finds_the_name(index: Index) -> None:
    # "grcia" is too far from "garcia" for a whole-title score, not for a word score.
    assert len(titles(index, "grcia")) == 50
    assert titles(index, "grcia", limit=3) == titles(index, "garcia", limit=3)


def test_ties_go_to_the_latest_report(index: Index) -> None:
    rows = fuzzy_titles(index, "blakout", [], [], 50)
    dates = [row.date or "" for row in rows]
    assert rows and dates == sorted(dates, reverse=True)


def test_unrelated_words_and_short_words_find_nothing(index: Index) -> None:
    assert titles(index, "zzzqx") == []
    assert titles(index, "in of") == []


def test_filters_still_apply(index: Index) -> None:
    rows = fuzzy_titles(index, "erthquake", ["a.source = ?"], ["Herald"], 50)
    assert rows and {r.source for r in rows} == {"Herald"}


def test_new_titles_are_found_after_a_refresh(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.json").write_text(json.dumps(_articles()[:5]), encoding="utf-8")
    idx = Index(root, tmp_path / "cache")
    idx.refresh()
    assert titles(idx, "volcanno") == []
    (root / "b.json").write_text(json.dumps([{
        "id": "v", "title": "Volcano erupts near Catania", "text": "Ash fell on the town."}]),
        encoding="utf-8")
    idx.refresh()
    assert titles(idx, "volcanno") == ["Volcano erupts near Catania"]


def test_an_older_index_gets_its_title_words_on_opening(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.json").write_text(json.dumps(_articles()[:10]), encoding="utf-8")
    idx = Index(root, tmp_path / "cache")
    idx.refresh()
    with sqlite3.connect(idx.db_path) as db:
        db.execute("DROP TABLE title_terms")
    idx.close()
    again = Index(root, tmp_path / "cache")
    assert "lisbon" in again.title_terms() and "garcia" in again.title_terms()
    assert titles(again, "erthquake in lisbom")


@pytest.mark.parametrize("query", ["red cross", "volunteers", "earthquake lisbon",
                                   "officials source:herald", "fire OR flood"])
def test_ranking_in_two_halves_gives_the_same_hits(
        index: Index, monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    whole = [(h.row.id, h.snippet) for h in search(index, query, limit=30, fuzzy=False)]
    monkeypatch.setattr(search_module, "PARALLEL_FROM", 0)
    halves = [(h.row.id, h.snippet) for h in search(index, query, limit=30, fuzzy=False)]
    assert whole and halves == whole


def test_an_invalid_query_is_reported_from_either_half(
        index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "PARALLEL_FROM", 0)
    with pytest.raises(search_module.QueryError, match="invalid search"):
        search(index, '"unclosed AND', fuzzy=False)
