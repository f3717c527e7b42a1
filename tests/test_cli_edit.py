"""``crosscheck merge/split/unsplit/edits`` through the real CLI entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tui.cli import main

ARTICLES = Path(__file__).resolve().parents[1] / "articles"


def _run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--library", str(tmp_path / "lib"), "--cache-dir",
                 str(tmp_path / "cache")])
    out, err = capsys.readouterr()
    return code, out, err


def _stories(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> dict[str, str]:
    code = main(["clusters", str(tmp_path / "lib"), "--json", "--cache-dir",
                 str(tmp_path / "cache")])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    return {a: s["id"] for s in data["stories"] for a in s["articles"]}


def test_split_merge_unsplit_round_trip(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    shutil.copytree(ARTICLES, tmp_path / "lib")
    before = _stories(capsys, tmp_path)
    article = next(a for a, s in before.items() if list(before.values()).count(s) > 1)
    partner = next(a for a, s in before.items() if s == before[article] and a != article)

    code, out, _ = _run(capsys, tmp_path, "split", article, "--json")
    assert code == 0 and json.loads(out)["articles"] == [article]
    assert _stories(capsys, tmp_path)[article] != _stories(capsys, tmp_path)[partner]

    code, out, _ = _run(capsys, tmp_path, "merge", article, partner)
    assert code == 0 and "merged" in out
    after = _stories(capsys, tmp_path)
    assert after[article] == after[partner]

    code, out, _ = _run(capsys, tmp_path, "edits", "--json")
    assert code == 0 and any(e["kind"] == "merge" for e in json.loads(out))

    code, out, _ = _run(capsys, tmp_path, "unsplit", article)
    assert code == 0 and "forgot" in out
    assert _stories(capsys, tmp_path) == before


def test_unknown_ids_give_one_line_errors(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    shutil.copytree(ARTICLES, tmp_path / "lib")
    code, _, err = _run(capsys, tmp_path, "split", "no-such-article")
    assert code == 2 and err.strip().count("\n") == 0 and "no-such-article" in err
    code, _, err = _run(capsys, tmp_path, "merge", "nope", "nada")
    assert code == 2 and "nope" in err and "Traceback" not in err
