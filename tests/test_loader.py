"""Finding article files and surviving bad ones (tui.core.loader)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.core.loader import LoadResult, article_id, load_file, scan
from tui.core.model import Problem
from tui.core.store import Index

PROSE = "The harbour reopened on Friday after a week of storms. Ferries resumed their routes."


def write(root: Path, relpath: str, content: str | bytes) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_one(root: Path, relpath: str, max_bytes: int = 8 * 1024 * 1024) -> LoadResult:
    entry = next(e for e in scan(root) if e.relpath == relpath)
    return load_file(entry, max_bytes)


# -- scanning ----------------------------------------------------------------------------


def test_scan_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.md", "a/y.markdown", "c/d/e.json", "c/f.jsonl", "notes.docx",
                "image.png", ".hidden.txt", ".git/config.txt", "a/.cache/x.md", "README"]:
        write(tmp_path, rel, PROSE)
    found = [e.relpath for e in scan(tmp_path)]
    assert found == ["b.txt", "a/y.markdown", "a/z.md", "c/f.jsonl", "c/d/e.json"]


def test_scan_records_size_and_mtime(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", PROSE)
    (entry,) = scan(tmp_path)
    assert entry.size == len(PROSE)
    assert entry.mtime_ns == path.stat().st_mtime_ns


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path, "sub/a.txt", PROSE)
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    os.symlink(tmp_path / "sub", tmp_path / "sub" / "again")
    found = [e.relpath for e in scan(tmp_path)]
    assert found.count("sub/a.txt") == 1
    assert len(found) == 1


def test_symlinked_folder_outside_is_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, "x.txt", PROSE)
    root = tmp_path / "lib"
    root.mkdir()
    os.symlink(outside, root / "linked")
    assert [e.relpath for e in scan(root)] == ["linked/x.txt"]


def test_self_referencing_file_symlink_is_one_problem(tmp_path: Path) -> None:
    os.symlink(tmp_path / "loop.txt", tmp_path / "loop.txt")
    result = load_one(tmp_path, "loop.txt")
    assert result.articles == []
    assert len(result.problems) == 1
    assert "cannot be read" in result.problems[0].message


def test_article_id() -> None:
    assert article_id("a/b/c.txt") == "a/b/c"
    assert article_id("report.v2.md") == "report.v2"
    assert article_id("dir.x/noext") == "dir.x/noext"


# -- bad input: one problem each, the rest still loads ------------------------------------

LATIN = "Caf\xe9 owners in S\xe3o Paulo said the na\xefve plan failed. Prices rose again today."
DEEP_JSON = "[" * 50 + "]" * 50
DEEP_YAML = "---\ntitle: x\nnest: " + "[" * 60 + "]" * 60 + "\n---\n" + PROSE
# "Billion laughs": nine levels of aliases, 9**9 values once expanded.
BOMB_YAML = "---\ntitle: bomb\na0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 9)
) + "---\n" + PROSE


BAD_CASES: dict[str, tuple[str, bytes, str, bool]] = {
    # name: (relpath, content, expected words in the message, article still loads)
    "cp1252": ("legacy.txt", LATIN.replace("\xe9", "\u2019").encode("cp1252") + b" \x93q\x94",
               "read as cp1252", True),
    "latin1": ("old.txt", LATIN.encode("latin-1") + b" \x81\x8d", "read as latin-1", True),
    "binary": ("blob.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
               "binary", False),
    "binary-no-nul": ("ctl.md", bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 40, "binary", False),
    "empty": ("empty.txt", b"", "empty", False),
    "blank": ("blank.md", b"  \n\n\t\n", "empty", False),
    "front-matter-syntax": ("fm.md", b"---\ntitle: ok\nsource: [unclosed\n---\n" + PROSE.encode(),
                            "malformed front matter at line", True),
    "front-matter-unclosed": ("open.md", b"---\ntitle: never closed\n" + PROSE.encode(),
                              "not closed", True),
    "front-matter-not-mapping": ("list.md", b"---\n- a\n- b\n---\n" + PROSE.encode(),
                                 "not a mapping", True),
    "front-matter-huge": ("huge.md", b"---\nnote: '" + b"x" * 70_000 + b"'\n---\n"
                          + PROSE.encode(), "front matter over", True),
    "front-matter-deep": ("deep.md", DEEP_YAML.encode(), "nested too deeply", True),
    "front-matter-bomb": ("bomb.md", BOMB_YAML.encode(), "over 100000 values", True),
    "json-many-values": ("wide.json", json.dumps({"text": PROSE, "x": [0] * 150_000}).encode(),
                         "over 100000 values", False),
    "json-invalid": ("bad.json", b'{"text": "hello",\n  "title": oops}', "line 2, column", False),
    "json-deep-list": ("deep.json", DEEP_JSON.encode(), "not an article object", False),
    "json-very-deep": ("deeper.json", ("[" * 100_000 + "]" * 100_000).encode(),
                       "nested too deeply", False),
    "json-deep-object": ("obj.json", json.dumps({"text": PROSE, "x": json.loads(DEEP_JSON)})
                         .encode(), "nested too deeply", False),
    "json-no-text": ("notext.json", b'{"title": "only a title"}', "no text", False),
    "jsonl-all-bad": ("bad.jsonl", b"{oops\n", "line 1: invalid JSON", False),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_file_is_one_problem_and_library_still_loads(
    case: str, tmp_path: Path
) -> None:
    relpath, content, expected, loads = BAD_CASES[case]
    root = tmp_path / "lib"
    write(root, "good.txt", PROSE)
    write(root, relpath, content)
    index = Index(root, tmp_path / "cache")
    index.refresh()
    problems = index.problems()
    assert len(problems) == 1, problems
    assert problems[0].path == relpath
    assert expected in problems[0].message
    assert str(problems[0]).startswith(relpath + ": ")
    assert "\n" not in str(problems[0])
    assert index.get("good") is not None
    assert (index.get(article_id(relpath)) is not None) == loads
    index.close()


def test_legacy_encoding_text_is_decoded(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", LATIN.encode("cp1252"))
    result = load_one(tmp_path, "a.txt")
    assert result.articles[0].body == LATIN
    assert result.problems[0].severity == "warning"
    assert "not UTF-8" in result.problems[0].message


def test_malformed_front_matter_reports_line_and_column(tmp_path: Path) -> None:
    text = "---\ntitle: fine\nsource: [unclosed\nauthor: x\n---\n" + PROSE
    write(tmp_path, "a.md", text)
    result = load_one(tmp_path, "a.md")
    (problem,) = result.problems
    assert "line " in problem.message and "column " in problem.message
    line = int(problem.message.split("line ")[1].split(",")[0])
    assert 3 <= line <= 5  # counted in the whole file, front matter starts on line 2
    article = result.articles[0]
    assert article.title.startswith("The harbour reopened")
    assert article.source == ""
    assert article.body == PROSE


def test_yaml_python_tag_is_refused_and_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (
        "---\ntitle: !!python/object/apply:os.system\n"
        f"  - 'touch {marker}'\n---\n" + PROSE
    )
    write(tmp_path, "lib/evil.md", text)
    text2 = "---\nx: !!python/object:collections.OrderedDict {}\n---\n" + PROSE
    write(tmp_path, "lib/evil2.md", text2)
    for name in ("evil.md", "evil2.md"):
        result = load_one(tmp_path / "lib", name)
        (problem,) = result.problems
        assert "refused YAML tag (!!python/" in problem.message
        assert result.articles[0].title.startswith("The harbour")
        assert result.articles[0].extra == {}
    assert not marker.exists()


def test_jsonl_bad_lines_are_numbered_and_others_load(tmp_path: Path) -> None:
    lines = [json.dumps({"text": PROSE}), "{not json", json.dumps({"text": "Second story here."}),
             "[" * 100_000, json.dumps({"text": "Third story arrives."})]
    write(tmp_path, "w.jsonl", "\n".join(lines))
    result = load_one(tmp_path, "w.jsonl")
    assert [a.id for a in result.articles] == ["w#1", "w#3", "w#5"]
    messages = [p.message for p in result.problems]
    assert len(messages) == 2
    assert messages[0].startswith("line 2: invalid JSON")
    assert messages[1].startswith("line 4: invalid JSON")


def test_oversized_text_is_partly_read_with_warning(tmp_path: Path) -> None:
    write(tmp_path, "big.txt", (PROSE + "\n") * 2000)
    result = load_one(tmp_path, "big.txt", max_bytes=10_000)
    (problem,) = result.problems
    assert problem.severity == "warning"
    assert "cap" in problem.message and "first part" in problem.message
    assert 0 < len(result.articles[0].body) <= 10_000


def test_oversized_json_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "big.json", json.dumps([{"text": PROSE}] * 500))
    result = load_one(tmp_path, "big.json", max_bytes=10_000)
    assert result.articles == []
    (problem,) = result.problems
    assert problem.severity == "error"
    assert "cap" in problem.message and "skipped" in problem.message


def test_oversized_cap_through_index(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    write(root, "big.txt", (PROSE + "\n") * 2000)
    write(root, "small.txt", PROSE)
    index = Index(root, tmp_path / "cache", max_bytes=10_000)
    index.refresh()
    assert [p.path for p in index.problems()] == ["big.txt"]
    assert index.count() == 2


@pytest.mark.parametrize("char", ["é", "€", "😀"])
@pytest.mark.parametrize("cut", [1, 2, 3])
def test_truncated_utf8_at_cap_is_not_a_legacy_encoding(
    char: str, cut: int, tmp_path: Path
) -> None:
    size = len(char.encode())
    write(tmp_path, "a.txt", (char * 6000).encode())
    cap = size * 4000 + min(cut, size - 1)  # cuts inside a character when it has room
    result = load_one(tmp_path, "a.txt", max_bytes=cap)
    assert [p.message for p in result.problems if "UTF-8" in p.message] == []
    assert result.articles[0].body == char * 4000


def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.txt", PROSE)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        result = load_one(tmp_path, "locked.txt")
        assert result.articles == []
        assert [p.message for p in result.problems] == ["cannot be read: Permission denied"]
    finally:
        path.chmod(0o644)


def test_file_vanishing_before_read_is_one_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "gone.txt", PROSE)
    (entry,) = scan(tmp_path)
    path.unlink()
    result = load_file(entry)
    assert result.articles == []
    assert len(result.problems) == 1
    assert isinstance(result.problems[0], Problem)


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (Path(os.fsdecode(bytes(root) + b"/caf\xe9.txt"))).write_text(PROSE, encoding="utf-8")
    (entry,) = scan(root)
    assert entry.relpath == "caf\ufffd.txt"
    entry.relpath.encode("utf-8")  # storable and printable
    assert load_file(entry).articles[0].id == "caf\ufffd"
    index = Index(root, tmp_path / "cache")
    index.refresh()
    assert index.count() == 1


def test_files_read_by_worker_processes_match_files_read_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many files are read by two processes ahead of the writer: same results, same order,
    problems included."""
    import tui.core.loader as loader

    root = tmp_path / "lib"
    for n in range(30):
        write(root, f"d{n % 3}/a{n:02d}.txt", f"Report {n}\n\nPeople met in Baku on day {n}.\n")
    write(root, "bad.json", "{not json")
    entries = list(scan(root))
    batches = [entries[i : i + 7] for i in range(0, len(entries), 7)]
    here = [[(r.articles, r.problems) for r in b] for b in loader.load_batches(batches)]
    monkeypatch.setattr(loader, "PARALLEL_LOAD", 0)
    there = [[(r.articles, r.problems) for r in b] for b in loader.load_batches(batches)]
    assert there == here and len(here) == 5
    assert any(problems for batch in here for _articles, problems in batch)
