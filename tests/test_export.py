"""Exports for a fact-check: overview and comparison as Markdown and JSON, files, CLI."""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from snapshot_apps.story import indexed_story, make_story_library

from tui.cli import main
from tui.core.compare_pair import Comparison, compare
from tui.core.config import Config
from tui.core.export import (
    ENV_EXPORT,
    EXPORT_FOLDER,
    comparison_data,
    comparison_json,
    comparison_markdown,
    export_dir,
    export_stem,
    md,
    overview_json,
    overview_markdown,
    write_export,
)
from tui.core.overview import Overview, story_overview
from tui.core.pipeline import update
from tui.core.store import Index

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")
HOSTILE = "Evil \x1b]0;owned\x07[click](javascript:alert(1)) | <b>x</b> *y* \u202eend"


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, Path, str]:
    root, cache = make_story_library(tmp_path / "lib"), tmp_path / "cache"
    return root, cache, indexed_story(root, cache)


@pytest.fixture
def index(library: tuple[Path, Path, str]) -> Index:
    return Index(library[0], library[1], library[1])


def overview(index: Index, story: str) -> Overview:
    found = story_overview(index, story)
    assert found is not None
    return found


def pair(index: Index, a: str = "a-wire", b: str = "b-daily") -> Comparison:
    left, right = index.get(a), index.get(b)
    assert left is not None and right is not None
    return compare(index, left, right)


def table_rows(markdown: str, heading: str) -> list[list[str]]:
    """The cells of the first table under ``## heading``."""
    section = markdown.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in lines[2:]]


def test_md_escapes_markup_and_cleans_controls() -> None:
    out = md(HOSTILE)
    assert not CONTROL.search(out)
    assert r"\[click\]" in out and r"\|" in out and r"\<b\>" in out and r"\*y\*" in out
    assert md("a\nb") == "a b" and md(None) == ""


def test_overview_markdown_is_a_write_up(library: tuple[Path, Path, str], index: Index) -> None:
    text = overview_markdown(overview(index, library[2]))
    assert text.startswith("# Shelling hits Lyon before dawn")
    assert "3 reports, 1 copy" in text and "1 conflicting figure" in text
    timeline = table_rows(text, "Timeline")
    assert [row[0] for row in timeline] == ["1", "2", "3"]
    assert timeline[1][2:5] == ["Daily Two", "Lyon shelled at dawn, mayor urges shelter",
                                "same story"]
    assert timeline[2][4] == "copy of #1" and timeline[0][6] == "`a-wire`"
    figures = table_rows(text, "Figures")
    assert figures[0][:3] == ["⚠ population · Lyon", "**about 50,000 inhabitants**",
                              "**roughly 55,000 inhabitants**"]
    entities = {row[0]: row for row in table_rows(text, "Entities")}
    assert entities["Red Cross †"][2:] == ["", "1", ""]
    assert entities["Lyon"][1] == "place"


def test_overview_json_round_trips(library: tuple[Path, Path, str], index: Index) -> None:
    ov = overview(index, library[2])
    data = json.loads(overview_json(ov))
    assert data == json.loads(json.dumps(ov.to_json()))


def test_comparison_markdown_marks_differences_and_conflicts(index: Index) -> None:
    cmp = pair(index)
    text = comparison_markdown(cmp)
    assert text.startswith("# Comparison: Shelling hits Lyon before dawn · Lyon shelled")
    assert "| Source | Wire One | Daily Two |" in text
    assert "**same story · " in text and "1 conflicting figure**" in text
    assert "- population · Lyon — A: about 50,000 inhabitants · B: roughly 55,000 inhabitants" \
        in text
    rows = table_rows(text, "Aligned sentences")
    assert len(rows) == len(cmp.alignment.rows)
    notes = {row[3] for row in rows}
    assert notes & {"only in A", "⚠ only in A", "changed", "⚠ changed"}


def test_comparison_of_copies_bolds_only_changed_words(index: Index) -> None:
    index.db.execute("UPDATE articles SET body = replace(body, 'central market', 'old market')"
                     " WHERE id='c-mirror'")
    rows = table_rows(comparison_markdown(pair(index, "a-wire", "c-mirror")),
                      "Aligned sentences")
    changed = [row for row in rows if row[3] == "changed"]
    assert len(changed) == 1 and "**central**" in changed[0][1] and "**old**" in changed[0][2]
    assert all(row[3] == "same" for row in rows if row is not changed[0])


def test_comparison_json_matches_the_cli_shape(index: Index) -> None:
    cmp = pair(index)
    data = json.loads(comparison_json(cmp))
    assert data == json.loads(json.dumps(comparison_data(cmp)))
    assert set(data) == {"a", "b", "relation", "score", "summary", "rows", "conflicts"}
    assert data["summary"]["conflicts"] == 1 and data["relation"] == "same-story"


def test_hostile_report_exports_clean(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "evil.json").write_text(json.dumps({
        "title": HOSTILE, "source": "Bad\x1b[31mSource",
        "text": "Shelling hit Lyon on Tuesday.\x1b[2J Lyon has about 50,000 inhabitants."}),
        encoding="utf-8")
    (root / "fine.md").write_text("---\ntitle: Fine\n---\nShelling hit Lyon on Tuesday.\n",
                                  encoding="utf-8")
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    update(index, Config())
    story = index.db.execute("SELECT story_id FROM story_members WHERE article_id='evil'")
    ov = overview(index, story.fetchone()[0])
    for text in (overview_markdown(ov), overview_json(ov),
                 comparison_markdown(pair(index, "evil", "fine")),
                 comparison_json(pair(index, "evil", "fine"))):
        assert not CONTROL.search(text.replace("\n", " ")), text
    assert r"\[click\](javascript" in overview_markdown(ov)


def test_export_dir_env_config_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_EXPORT, raising=False)
    assert export_dir().name == EXPORT_FOLDER
    assert export_dir(str(tmp_path / "mine")) == tmp_path / "mine"
    monkeypatch.setenv(ENV_EXPORT, str(tmp_path / "env"))
    assert export_dir(str(tmp_path / "mine")) == tmp_path / "env"


def test_write_export_names_files_safely(tmp_path: Path) -> None:
    assert export_stem("s:001/../x") == "s-001-..-x"
    assert export_stem("compare", "a b", "c") == "compare--a-b--c"
    md_path, json_path = write_export(tmp_path / "new" / "dir", export_stem("s:x"), "# t\n",
                                      "{}\n")
    assert md_path.name == "s-x.md" and md_path.read_text(encoding="utf-8") == "# t\n"
    assert json_path.name == "s-x.json" and json_path.parent == md_path.parent


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user config or environment reaches the command."""
    for name in ("CROSSCHECK_CONFIG", "CROSSCHECK_CACHE_DIR", ENV_EXPORT):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


@pytest.mark.usefixtures("isolated")
def test_story_command(library: tuple[Path, Path, str]) -> None:
    root, cache, story = library
    base = ("--cache-dir", str(cache))
    code, out, _ = run(*base, "story", "c-mirror", "--library", str(root))
    assert code == 0 and "Shelling hits Lyon before dawn" in out
    assert "⚠ CONFLICT population · Lyon: #1 about 50,000 inhabitants" in out
    assert "only in #2: Red Cross" in out
    code, out, _ = run(*base, "story", story, "--library", str(root), "--json")
    assert code == 0 and json.loads(out)["story"] == story
    code, out, _ = run(*base, "story", story, "--library", str(root), "--markdown")
    assert code == 0 and out.startswith("# Shelling hits Lyon") and "## Entities" in out
    code, _, err = run(*base, "story", "nope", "--library", str(root))
    assert code == 2 and "no such story or article" in err
    code, _, _ = run(*base, "story", story, "--library", str(root), "--json", "--markdown")
    assert code == 2


@pytest.mark.usefixtures("isolated")
def test_compare_markdown_flag(library: tuple[Path, Path, str]) -> None:
    root, cache, _ = library
    code, out, _ = run("--cache-dir", str(cache), "compare", "a-wire", "b-daily", "--library",
                       str(root), "--markdown")
    assert code == 0 and out.startswith("# Comparison: ") and "## Aligned sentences" in out
