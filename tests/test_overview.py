"""The story overview data: timeline, figure table, entity matrix, JSON; from the index only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from snapshot_apps.story import LEAD, make_story_library

from tui.core.config import Config
from tui.core.overview import (
    EntityRow,
    Overview,
    ReportRow,
    entity_offsets,
    resolve_story,
    story_overview,
)
from tui.core.pipeline import update
from tui.core.store import Index
from tui.core.story_edit import merge_stories
from tui.core.storyview import story_of


@pytest.fixture
def index(tmp_path: Path) -> Index:
    root = make_story_library(tmp_path / "lib")
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    update(index, Config())
    lead, other = story_of(index, "a-wire"), story_of(index, "b-daily")
    assert lead and other
    if lead != other:
        merge_stories(index, Config(), lead, other)
    return index


def overview(index: Index, ref: str = "a-wire") -> Overview:
    story = resolve_story(index, ref)
    assert story is not None
    found = story_overview(index, story)
    assert found is not None
    return found


def test_timeline_orders_by_date_and_names_relations(index: Index) -> None:
    ov = overview(index)
    assert [(r.n, r.id, r.date) for r in ov.reports] == [
        (1, "a-wire", "2021-03-02"), (2, "b-daily", "2021-03-03"), (3, "c-mirror", "2021-03-04")]
    assert [r.relation for r in ov.reports] == ["lead", "same story", "copy"]
    assert ov.lead is not None and ov.lead.id == "a-wire"
    assert ov.relation_of(ov.reports[2]) == "copy of #1"
    assert ov.reports[0].source == "Wire One" and ov.reports[0].words > 40
    assert ov.copies == 1 and "3 reports, 1 copy" in ov.summary()


def test_undated_reports_come_last(index: Index) -> None:
    (index.root / "e-undated.txt").write_text(LEAD.split("---")[2].strip(), encoding="utf-8")
    update(index, Config())
    ov = overview(index)
    assert ov.reports[-1].id == "e-undated" and ov.reports[-1].date is None
    assert ov.reports[-1].relation == "copy" and ov.reports[-1].n == len(ov.reports)


def test_short_labels_and_lead_of_rows() -> None:
    rows = [ReportRow(1, "x", None, "", "", "same story", None, 0.3, 5),
            ReportRow(2, "y", "2020-01-01", "A very long source", "", "lead", None, 1.0, 5)]
    ov = Overview("s:x", "X", "undated", rows, [], [])
    assert ov.lead is rows[1]
    assert rows[0].short == "#1" and rows[1].short == "#2 A very lon…"


def test_figure_table_marks_the_conflict_and_locates_each_cell(index: Index) -> None:
    ov = overview(index)
    row = next(f for f in ov.figures if f.measure == "population")
    assert row.subject == "Lyon" and row.label == "population · Lyon" and row.conflict
    assert ov.figures[0] is row, "conflicting rows come first"
    assert row.cell_text("a-wire") == "about 50,000 inhabitants"
    assert row.cell_text("b-daily") == "roughly 55,000 inhabitants"
    for article_id, cells in row.cells.items():
        body = index.get(article_id).body  # type: ignore[union-attr]
        for cell in cells:
            assert cell.conflict and cell.article == article_id
            assert cell.text.startswith(body[cell.start:cell.end])
    first = row.first("b-daily")
    assert first is not None and first.start == row.cells["b-daily"][0].start
    assert row.first("d-harvest") is None and row.cell_text("d-harvest") == ""
    assert ov.conflicts == 1


def test_entity_matrix_counts_names_and_marks_single_report_names(index: Index) -> None:
    ov = overview(index)
    names = {e.name: e for e in ov.entities}
    assert names["Lyon"].reports == 3 and names["Lyon"].kind == "place"
    assert names["Jean Dupont"].counts == {"a-wire": 1, "b-daily": 1, "c-mirror": 1}
    red_cross = names["Red Cross"]
    assert ov.only_one(red_cross) and not ov.only_one(names["Lyon"])
    assert ov.entities[-1] is red_cross, "names of one report come last"
    start, end = entity_offsets(index, "b-daily", red_cross) or (0, 0)
    assert index.get("b-daily").body[start:end] == "Red Cross"  # type: ignore[union-attr]
    assert entity_offsets(index, "a-wire", EntityRow("Nowhere", "place")) is None


def test_resolve_story_takes_a_story_or_any_article(index: Index) -> None:
    story = story_of(index, "c-mirror")
    assert resolve_story(index, "c-mirror") == story == resolve_story(index, story or "")
    assert resolve_story(index, "no-such-thing") is None
    assert story_overview(index, "s:no-such-story") is None


def test_a_story_of_one_report(index: Index) -> None:
    ov = overview(index, "d-harvest")
    assert [r.relation for r in ov.reports] == ["lead"]
    assert not ov.figures or all(not f.conflict for f in ov.figures)
    assert all(not ov.only_one(e) for e in ov.entities), "one report: nothing to single out"


def test_json_shape(index: Index) -> None:
    ov = overview(index)
    data = json.loads(json.dumps(ov.to_json()))
    assert data["story"] == ov.story_id and data["label"] == ov.label
    assert [r["id"] for r in data["reports"]] == ["a-wire", "b-daily", "c-mirror"]
    population = data["figures"][0]
    assert population["status"] == "conflict" and population["measure"] == "population"
    cell = population["cells"]["b-daily"][0]
    assert set(cell) == {"article", "start", "end", "text", "when", "conflict"}
    by_name = {e["name"]: e for e in data["entities"]}
    assert by_name["Red Cross"]["only_one"] and not by_name["Lyon"]["only_one"]


def test_hostile_titles_are_cleaned(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "evil.json").write_text(json.dumps({
        "title": "Evil \x1b]0;owned\x07 [bold]title[/bold]\u202e", "source": "Bad\x1b[31mSrc",
        "text": "Shelling hit Lyon on Tuesday. Lyon has about 50,000 inhabitants."}),
        encoding="utf-8")
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    update(index, Config())
    ov = overview(index, "evil")
    text = json.dumps(ov.to_json(), ensure_ascii=False)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert ov.reports[0].title.startswith("Evil") and "[bold]" in ov.reports[0].title
