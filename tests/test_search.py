"""Search over the index: FTS5 ranking, snippets, syntax, filters, fuzzy titles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.search import (
    MARK_END,
    MARK_START,
    QueryError,
    fts_expression,
    parse_query,
    search,
    snippet,
    split_marks,
)
from tui.core.store import Index

ARTICLES = [
    {"id": "flood-a", "title": "Flood waters rise in river towns", "source": "Valley Post",
     "date": "2021-03-09",
     "text": "Flood waters rose two metres overnight. Residents of the river towns moved to "
             "higher ground while volunteers filled sandbags near the old bridge."},
    {"id": "flood-b", "title": "Council debates budget", "source": "City Herald",
     "date": "2021-03-15",
     "text": "The council debated the budget for hours. One member mentioned the flood only "
             "once, near the end of a long session about road repairs and school meals."},
    {"id": "harvest", "title": "Record harvest in the plains", "source": "Farm Weekly",
     "date": "2020-08-01",
     "text": "Farmers reported a record harvest of wheat. Prices for bread may fall next year."},
    {"id": "bridge", "title": "Old bridge reopens", "source": "Valley Post",
     "text": "The old bridge reopened after repairs. Traffic across the river resumed on Friday."},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    base = tmp_path_factory.mktemp("search")
    root = base / "lib"
    root.mkdir()
    (root / "news.json").write_text(json.dumps(ARTICLES), encoding="utf-8")
    idx = Index(root, base / "cache")
    idx.refresh()
    return idx


def hit_ids(index: Index, query: str, **kwargs: object) -> list[str]:
    return [h.row.id for h in search(index, query, **kwargs)]  # type: ignore[arg-type]


def test_ranked_hits_with_snippets(index: Index) -> None:
    hits = search(index, "flood", fuzzy=False)
    assert [h.row.id for h in hits] == ["flood-a", "flood-b"]  # title match ranks first
    assert all(h.how == "fts" for h in hits)
    assert f"{MARK_START}Flood{MARK_END}" in hits[0].snippet
    assert f"{MARK_START}flood{MARK_END}" in hits[1].snippet
    pieces = split_marks(hits[1].snippet)
    assert ("flood", True) in pieces
    assert all(not matched for text, matched in pieces if text != "flood")


def test_prefix_on_last_word(index: Index) -> None:
    assert hit_ids(index, "harv", fuzzy=False) == ["harvest"]
    assert hit_ids(index, "sandb", fuzzy=False) == ["flood-a"]
    assert hit_ids(index, "brea*", fuzzy=False) == ["harvest"]


def test_all_words_must_match(index: Index) -> None:
    assert hit_ids(index, "river volunteers", fuzzy=False) == ["flood-a"]


def test_phrase(index: Index) -> None:
    assert hit_ids(index, '"old bridge"', fuzzy=False) == ["bridge", "flood-a"]
    assert hit_ids(index, '"bridge old"', fuzzy=False) == []


def test_boolean(index: Index) -> None:
    assert sorted(hit_ids(index, "wheat OR sandbags", fuzzy=False)) == ["flood-a", "harvest"]
    assert hit_ids(index, "bridge NOT flood", fuzzy=False) == ["bridge"]
    assert hit_ids(index, "river AND repairs", fuzzy=False) == ["bridge"]


def test_source_is_searchable_and_diacritics_fold(index: Index) -> None:
    assert sorted(hit_ids(index, "herald", fuzzy=False)) == ["flood-b"]
    assert hit_ids(index, "hárvest", fuzzy=False) == ["harvest"]


@pytest.mark.parametrize("query", ['"unclosed', "AND", "flood AND", "(", "flood)", "*"])
def test_invalid_query_is_a_clear_error(index: Index, query: str) -> None:
    with pytest.raises(QueryError) as info:
        search(index, query)
    message = str(info.value)
    assert message.startswith(f"invalid search {query!r}:")
    assert "\n" not in message and "fts5:" not in message


def test_empty_query(index: Index) -> None:
    assert search(index, "") == []
    assert search(index, "   ...  ") == []


def test_source_filter(index: Index) -> None:
    assert sorted(hit_ids(index, "source:valley")) == ["bridge", "flood-a"]
    assert hit_ids(index, 'source:"valley post" sandbags') == ["flood-a"]
    assert sorted(hit_ids(index, "-source:valley")) == ["flood-b", "harvest"]
    assert hit_ids(index, "source:nowhere flood") == []


def test_date_filter(index: Index) -> None:
    assert sorted(hit_ids(index, "date:2021-03-01..2021-03-10")) == ["flood-a"]
    assert sorted(hit_ids(index, "date:2021-03")) == ["flood-a", "flood-b"]
    assert sorted(hit_ids(index, "date:2020")) == ["harvest"]
    assert sorted(hit_ids(index, "date:2021-03-10..")) == ["flood-b"]
    assert sorted(hit_ids(index, "date:..2020-12-31")) == ["harvest"]
    assert hit_ids(index, "date:2021 flood", fuzzy=False) == ["flood-a", "flood-b"]


def test_state_filters(index: Index) -> None:
    index.set_state("harvest", read=True, starred=True)
    index.set_state("bridge", read=True)
    try:
        assert sorted(hit_ids(index, "is:unread")) == ["flood-a", "flood-b"]
        assert sorted(hit_ids(index, "is:read")) == ["bridge", "harvest"]
        assert hit_ids(index, "is:starred") == ["harvest"]
        assert sorted(hit_ids(index, "-is:starred is:read")) == ["bridge"]
        assert hit_ids(index, "is:unread river", fuzzy=False) == ["flood-a"]
    finally:
        index.set_state("harvest", read=False, starred=False)
        index.set_state("bridge", read=False)


@pytest.mark.parametrize(
    ("query", "words"),
    [("is:bogus", "is:bogus"), ("date:yesterday", "date:yesterday"),
     ("-date:2020", "only source: and is:"), ("has:nothing", "has:nothing")],
)
def test_invalid_filter_is_a_clear_error(index: Index, query: str, words: str) -> None:
    with pytest.raises(QueryError, match=words):
        search(index, query)


def test_fuzzy_title_with_a_typo(index: Index) -> None:
    hits = search(index, "harvset")
    assert [(h.row.id, h.how) for h in hits] == [("harvest", "fuzzy")]
    assert search(index, "harvset", fuzzy=False) == []


def test_fuzzy_respects_filters(index: Index) -> None:
    assert hit_ids(index, "harvset source:valley") == []


def test_limit(index: Index) -> None:
    assert len(search(index, "the", limit=2)) == 2


def test_parse_query_and_fts_expression() -> None:
    query = parse_query('flood source:"Valley Post" date:2021 is:unread town')
    assert query.text == "flood town"
    assert query.sources == ["Valley Post"]
    assert query.date_from == "2021" and query.date_to is not None
    assert query.flags == {"unread"}
    assert fts_expression("flood town") == '"flood" "town"*'
    assert fts_expression("o'brien's") == '"o" "brien" "s"'
    # A last word of one or two letters is a whole word, not the start of thousands.
    assert fts_expression("red c") == '"red" "c"'
    assert fts_expression("red cr") == '"red" "cr"'
    assert fts_expression("red cro") == '"red" "cro"*'
    assert fts_expression('"a phrase"') == '"a phrase"'
    assert fts_expression("...") == ""


def test_snippets_center_the_first_match_and_mark_every_one() -> None:
    import re

    body = "Opening words of the report. " * 20 + "Then Baku and BAKU again, and more text after."
    pattern = re.compile(r"\b(?:baku)\w*", re.IGNORECASE)
    text = snippet(body, pattern)
    assert text.startswith("…") and text.index(MARK_START) < 40
    assert f"{MARK_START}Baku{MARK_END}" in text and f"{MARK_START}BAKU{MARK_END}" in text
    assert snippet("No match in this one.", pattern) == "No match in this one."
    assert snippet("Words " * 100, None).endswith("…")


def test_a_word_repeated_thousands_of_times_in_one_report_is_found(tmp_path: Path) -> None:
    """FTS5's snippet() was quadratic in the matches of one document; ours is linear."""
    root = tmp_path / "lib"
    root.mkdir()
    (root / "long.txt").write_text("Baku reported shelling near the city. " * 20000,
                                   encoding="utf-8")
    index = Index(root, tmp_path / "cache")
    try:
        index.refresh()
        [hit] = search(index, "baku", fuzzy=False)
        assert hit.snippet.startswith(f"{MARK_START}Baku{MARK_END} reported")
    finally:
        index.close()
