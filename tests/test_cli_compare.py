"""``crosscheck compare``: the Rich rendering and the JSON, run as a subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

# Runs the real CLI in a child process.
BOOT = """
import sys
from tui.cli import main
sys.exit(main(sys.argv[1:]))
"""

LEFT = """---
title: Flood closes the bridge
source: River News
date: 2022-05-10
---
The river rose above the flood mark on Monday night, closing the old bridge.
About 1,200 people were evacuated from the lower town, the fire service said.
Emergency crews \x1b[31mpiled sandbags\x1b[0m along the [bold]embankment[/bold] all night.
"""

RIGHT = """---
title: Bridge shut as river floods
source: Valley Post
date: 2022-05-11
---
The river rose above the flood mark on Monday night, closing the old bridge to traffic.
Some 1,500 people were evacuated from the lower town, the fire service said.
A shelter opened in the school gymnasium for families who had nowhere to go.
"""

ANSI = re.compile(r"\x1b")


def _run(library: Path, cache_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BOOT, "compare", *args, "--library", str(library),
         "--cache-dir", str(cache_dir)],
        capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def lib(library: Path) -> Path:
    (library / "left.md").write_text(LEFT, encoding="utf-8")
    (library / "right.md").write_text(RIGHT, encoding="utf-8")
    return library


def test_json_shape(lib: Path, cache_dir: Path) -> None:
    done = _run(lib, cache_dir, "left", "right", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) >= {"a", "b", "relation", "score", "summary", "rows", "conflicts"}
    assert (data["a"], data["b"]) == ("left", "right")
    assert data["relation"] in ("copy", "same-story", "unrelated")
    assert isinstance(data["score"], float) and 0.0 <= data["score"] <= 1.0
    assert isinstance(data["conflicts"], list)
    rows = data["rows"]
    assert rows and all({"a", "b", "a_text", "b_text", "score", "moved", "diff"} <= set(r)
                        for r in rows)
    assert data["summary"]["shared"] == sum(1 for r in rows if r["a"] and r["b"])
    assert data["summary"]["a_count"] == 3 and data["summary"]["b_count"] == 3
    assert any(r["a"] is not None and r["b"] is None for r in rows) or any(
        r["moved"] for r in rows)


def test_unrelated_score_is_share_of_sentences(lib: Path, cache_dir: Path) -> None:
    data = json.loads(_run(lib, cache_dir, "left", "right", "--json").stdout)
    # No pair is stored for our two reports: the score is shared rows / larger count.
    if data["relation"] == "unrelated":
        assert data["score"] == round(data["summary"]["shared"] / 3, 4)


@pytest.mark.parametrize("width", [60, 100, 140])
def test_text_respects_width_and_has_no_escapes(lib: Path, cache_dir: Path,
                                                width: int) -> None:
    done = _run(lib, cache_dir, "left", "right", "--width", str(width))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert not ANSI.search(out)
    assert all(ch == "\n" or ch >= " " for ch in out)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "Flood closes the bridge" in out.replace("\n", " ") or "Flood closes" in out
    assert "[bold]embankment[/bold]" in out.replace("\n", " ")
    assert "sentences shared" in out.replace("\n", " ")
    if width < 100:
        assert " │ " not in out  # stacked, not side by side
    else:
        assert " │ " in out


def test_unknown_id_is_a_one_line_error(lib: Path, cache_dir: Path) -> None:
    done = _run(lib, cache_dir, "left", "nope")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "crosscheck: no article with id 'nope' (see 'crosscheck list')"]


def test_width_too_small_is_a_usage_error(lib: Path, cache_dir: Path) -> None:
    done = _run(lib, cache_dir, "left", "right", "--width", "5")
    assert done.returncode == 2
    assert "--width" in done.stderr
