"""Hostile article text is inert everywhere: every CLI output (text and JSON), and the app.

Titles, bodies, metadata and file names carry terminal escapes (clear screen, window
title, OSC 52 clipboard writes, cursor moves, bracketed-paste markers), other C0/C1
controls, Rich/Textual markup lookalikes, bidi overrides and zero-width characters.
None of it may reach the terminal; markup must be shown literally; nothing may crash.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from snapshot_apps.library import make_library, sync, wait_for

from tui.app.app import CrosscheckApp, build_app
from tui.app.screens.compare import CompareScreen
from tui.app.screens.library import LibraryScreen
from tui.app.screens.problems import ProblemsScreen
from tui.app.screens.reader import ReaderScreen
from tui.cli import main
from tui.core.config import Config
from tui.core.formats import parse_json, parse_jsonl, parse_markdown
from tui.core.loader import load_bytes
from tui.core.pipeline import update
from tui.core.sanitize import clean_text, one_line, visible_controls
from tui.core.store import Index

ROOT = Path(__file__).resolve().parent.parent
ESCAPES = {
    "clear screen": "\x1b[2J\x1b[3J\x1b[H",
    "window title": "\x1b]0;owned\x07",
    "osc 52 clipboard": "\x1b]52;c;cm0gLXJmIH4K\x07",
    "osc 8 link": "\x1b]8;;http://evil.example\x1b\\",
    "cursor moves": "\x1b[10A\x1b[5C\x1b7\x1b8",
    "bracketed paste": "\x1b[200~rm -rf ~\x1b[201~",
    "dcs": "\x1bP1$r\x1b\\",
    "c0 controls": "\x07\x08\x0b\x0c\x0e\x1a\x7f",
    "c1 controls": "\x9b31m\x9d0;t\x9c\x90\x85\x8d",
}
MARKUP = "[bold red]x[/] [link=http://evil.example]click[/link] [/] [@click=app.quit]q[/]"
INVISIBLE = "\u202egnp.exe\u202c \u2066iso\u2069 \u200bzw\u200d\ufeff\u061c\u00ad\u2060"
EVERYTHING = "".join(ESCAPES.values()) + INVISIBLE
# What may never reach a terminal: C0 (but tab/newline), DEL, C1, bidi and zero-width marks.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
                    "\u2060-\u2069\ufeff\u00ad]")
SGR = re.compile(r"\x1b\[[0-9;]*m")

BODY = (
    "Officials in Portavel{0} said on Monday that 1,200 people{1} were evacuated. "
    "Mayor Mara Quist {m} told reporters the damage reached 3 million euros{2}. "
    "About 50,000 inhabitants{8} live in the city{i}, the Red Cross said{5}.\n"
    "A second paragraph{4} with more{7} text about the flood in Portavel{3}.\n"
    "Rescue teams from the Interior Ministry{6} reached the harbour by Tuesday.\n"
)


def hostile_body(first: str = "1,200", second: str = "50,000") -> str:
    """A news report with every hostile sequence woven into its sentences."""
    seqs = list(ESCAPES.values())
    body = BODY.format(*seqs, m=MARKUP, i=INVISIBLE)
    return body.replace("1,200", first).replace("50,000", second)


def write_library(root: Path) -> Path:
    """A library where every field of every format carries hostile text."""
    root.mkdir(parents=True)
    title = json.dumps(f"Flood {EVERYTHING} {MARKUP} in Portavel")
    front = (f"---\ntitle: {title}\nsource: \"Wire \\e[31m[b]x[/b]\\u202e\"\n"
             "author: \"Au \\x9b1m \\e]0;x\\a\"\ndate: 2024-03-04\n"
             "url: \"https://example.org/\\e[2J\"\ntags: [\"t\\e]0;x\\a\", \"[red]t[/]\"]\n"
             "note: \"extra \\e[2J \\u202e\"\n\"key\\e[1m\": 1\n---\n")
    (root / "hostile.md").write_text(front + hostile_body(), encoding="utf-8")
    copy = {"title": f"Copy {EVERYTHING} {MARKUP}", "source": "Other" + ESCAPES["window title"],
            "date": "2024-03-05", "body": hostile_body("1,500", "55,000") + "\x00 nul",
            "extra": {"k\x1b[1m": "v\x9b2J"}}
    (root / "copy.json").write_text(json.dumps(copy), encoding="utf-8")
    raw = " date 2024-03-05 " + hostile_body("1,250") + EVERYTHING
    (root / "raw.txt").write_bytes(raw.encode("utf-8"))
    (root / "odd\x1b]0;x\x07name.txt").write_text("Portavel flooded again on Monday.",
                                                    encoding="utf-8")
    (root / "broken\x1b[2J.json").write_text('{"title": "x\x1b[2J", ', encoding="utf-8")
    (root / "deep.md").write_text("---\nt: " + "[" * 30000 + "\n---\nDeep body.\n",
                                  encoding="utf-8")
    (root / "baddate.md").write_text("---\ndate: 2024-13-45\ntitle: \x1b[2JBad date\n---\n"
                                     "A report whose date cannot exist.\n", encoding="utf-8")
    return root


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSCHECK_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"))
    env.pop("FORCE_COLOR", None)
    return env


@contextmanager
def _isolated(home: Path, extra_env: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update({**_env(home), **extra_env})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(*args: str, home: Path, stdin: str = "",
        env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """``crosscheck ARGS`` in this process: ``(exit code, stdout, stderr)``."""
    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with _isolated(home, env or {}), redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        sys.stdin = saved_stdin
    return code, out.getvalue(), err.getvalue()


def assert_inert(text: str, where: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, f"{where}: {found.group()!r} in {text[:400]!r}"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_library(tmp_path_factory.mktemp("hostile") / "lib")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("cache"))


def commands(lib: Path) -> list[list[str]]:
    """Every command that prints article data, in text and JSON."""
    at = ["--library", str(lib)]
    out = [["list", str(lib)], ["search", "Portavel", str(lib)], ["search", "bold red", str(lib)],
           ["check", str(lib)], ["clusters", str(lib)], ["entities", str(lib)],
           ["figures", str(lib)], ["show", "hostile", *at], ["show", "copy", *at],
           ["show", "raw", "--original", *at], ["show", "hostile", "--original", *at],
           ["annotate", "hostile", "copy", *at], ["annotate", str(lib / "raw.txt")],
           ["compare", "hostile", "copy", *at, "--width", "140"],
           ["compare", "hostile", "raw", *at, "--width", "60"]]
    return out + [[*c, "--json"] for c in out]


def test_every_cli_output_is_inert(lib: Path, home: Path, cache: str) -> None:
    seen_markup = set()
    for args in commands(lib):
        code, out, err = run(*args, "--cache-dir", cache, home=home)
        where = " ".join(args[:2])
        assert code in (0, 1), (args, err)
        assert out.strip(), args
        assert_inert(out, where)
        assert_inert(err, where + " (stderr)")
        if "--json" in args:
            json.loads(out)
        if "[bold red]x[/]" in out:
            seen_markup.add(args[0])
    # markup lookalikes are printed as they are, never interpreted or dropped
    assert {"list", "search", "show", "clusters", "compare"} <= seen_markup


def test_check_names_the_refused_files(lib: Path, home: Path, cache: str) -> None:
    code, out, _ = run("check", str(lib), "--json", "--cache-dir", cache, home=home)
    problems = {p["path"]: p["message"] for p in json.loads(out)["problems"]}
    assert code == 1
    assert "nested too deeply" in problems["deep.md"]
    assert "month must be in 1..12" in problems["baddate.md"]
    assert any(path.startswith("broken") for path in problems)
    listed = json.loads(run("list", str(lib), "--json", "--cache-dir", cache, home=home)[1])
    assert {"deep", "baddate", "hostile", "raw", "copy"} <= {a["id"] for a in
                                                              listed["articles"]}


def test_titles_and_metadata_are_clean_in_json(lib: Path, home: Path, cache: str) -> None:
    _, out, _ = run("show", "hostile", "--library", str(lib), "--json", "--cache-dir", cache,
                    home=home)
    data = json.loads(out)
    for value in (data["title"], data["source"], data["author"], data["url"], *data["tags"],
                  *data["extra"], *map(str, data["extra"].values()), data["text"]):
        assert_inert(value, "show --json")
    assert data["title"].startswith("Flood ") and MARKUP in data["title"]
    assert "[red]t[/]" in data["tags"]
    assert "\n" not in data["title"]


def test_compare_in_colour_emits_only_its_own_styles(lib: Path, home: Path, cache: str) -> None:
    code, out, _ = run("compare", "hostile", "copy", "--library", str(lib), "--width", "140",
                       "--cache-dir", cache, home=home, env={"FORCE_COLOR": "1"})
    assert code == 0
    assert SGR.search(out), "colour was forced: styles expected"
    assert_inert(SGR.sub("", out), "compare in colour")
    assert "[bold red]x[/]" in SGR.sub("", out)


def test_annotate_stream_survives_hostile_lines(home: Path) -> None:
    lines = [json.dumps({"id": "e\x1b[2J", "text": hostile_body()}),
             json.dumps({"text": 5}), json.dumps("just a string"), json.dumps([1, 2]),
             json.dumps({"text": "Portavel on Monday.", "date": 5}),
             json.dumps({"text": "Portavel on Monday.", "date": "2024-99-99"}),
             "{broken \x1b]0;x\x07", json.dumps({"text": "[bold]Portavel[/bold] " * 50})]
    code, out, err = run("annotate", "--jsonl-in", home=home, stdin="\n".join(lines) + "\n")
    assert code == 0
    assert_inert(out, "annotate --jsonl-in")
    assert_inert(err, "annotate --jsonl-in (stderr)")
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == len(lines)
    assert results[0]["id"] == "e\x1b[2J"  # data, JSON-escaped on the way out
    assert "error" in results[1] and "error" in results[6]
    assert results[4]["spans"] and results[5]["spans"]


# -- the sanitiser and the parsers ---------------------------------------------------------


def test_every_format_character_is_dropped() -> None:
    fmt = "".join(chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf")
    assert clean_text(f"a{fmt}b") == "ab"
    assert one_line(f"a{fmt}b") == "ab"
    assert "\u200b" not in visible_controls(f"a{fmt}b")


def test_unterminated_sequences_keep_the_rest_of_the_text() -> None:
    assert clean_text("Title\x1b]0;owned\nThe body survives.") == "Title\nThe body survives."
    assert clean_text("a\x1bP junk\nline two") == "a\nline two"
    assert clean_text("a\x9d0;x\nline two") == "a\nline two"


FRONT_MATTER_BOMBS = {
    "flow nesting": "t: " + "[" * 30000,
    "block nesting": "- " * 30000 + "x",
    "key nesting": "? " * 30000 + "x",
    "impossible date": "date: 2024-13-45",
    "impossible time": "t: 2024-01-01 25:61:61",
    "bad int tag": "n: !!int 0x",
    "huge integer": "n: " + "1" * 5000,
    "huge hex integer": "title: 0x" + "f" * 4000 + "\nn: 0x" + "f" * 4000,
    "billion laughs": "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
        for i in range(9)),
    "recursive alias": "a: &a [*a]",
    "python tag": "t: !!python/object/apply:os.system ['echo owned']",
}


def test_front_matter_bombs_never_crash_the_process() -> None:
    # In a child: libyaml's C composer overflows the stack (a segfault, not an exception)
    # on deep nesting, which would take pytest down with it.
    code = (
        "import json, sys\n"
        "from tui.core.formats import parse_markdown\n"
        "for name, fm in json.load(sys.stdin).items():\n"
        "    text = '---\\n' + fm + '\\n---\\nBody.\\n'\n"
        "    articles, problems = parse_markdown('x.md', 'x', text)\n"
        "    assert [a.body for a in articles] == ['Body.'], name\n"
        "    print(name, '|', ' '.join(p.message for p in problems))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], input=json.dumps(FRONT_MATTER_BOMBS),
                          capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = dict(line.split(" | ", 1) for line in proc.stdout.splitlines())
    assert set(report) == set(FRONT_MATTER_BOMBS)
    for name in set(FRONT_MATTER_BOMBS) - {"huge hex integer"}:
        assert report[name], f"{name}: refused without saying so"


def test_json_numbers_too_long_to_convert_are_a_problem() -> None:
    big = "1" * 5000
    for parse, text in ((parse_json, f'{{"text": "a b", "n": {big}}}'),
                        (parse_jsonl, f'{{"text": "a b", "n": {big}}}\n{{"text": "fine"}}\n')):
        articles, problems = parse("x.json", "x", text)
        assert problems and "invalid JSON" in problems[0].message
    articles, _ = parse_jsonl("x.jsonl", "x", f'{{"text": "a", "n": {big}}}\n{{"text": "ok"}}\n')
    assert [a.body for a in articles] == ["ok"]


def test_markdown_metadata_values_are_cleaned() -> None:
    (article,), _ = parse_markdown("x.md", "x", "---\nnote: \"\\e[2J\\u202ehi\"\n"
                                   "nested: {\"k\\e[1m\": [\"\\x9b2J\"]}\n---\nBody.\n")
    assert article.extra == {"note": "hi", "nested": {"k": [""]}}


def test_load_bytes_never_raises_on_hostile_bytes() -> None:
    samples = [b"\xff\xfe" + "\x1b[2J".encode("utf-16-le"), b"\xfe\xff\x00", b"\x1b" * 100,
               b"---\n" + b"[" * 100 + b"\n---\n", "\u202e".encode() * 10]
    for data in samples:
        for name in ("a.txt", "a.md", "a.json", "a.jsonl"):
            result = load_bytes(name, data)
            for article in result.articles:
                assert_inert(article.title + article.body, name)


# -- the app ------------------------------------------------------------------------------


@pytest.fixture
def hostile_app(tmp_path: Path) -> CrosscheckApp:
    root = make_library(tmp_path / "library")
    (root / "hostile.md").write_text(
        f"---\ntitle: {json.dumps('Flood ' + EVERYTHING + ' ' + MARKUP)}\n"
        "source: \"[b]Wire[/b]\\e[31m\"\ndate: 2024-03-04\n---\n" + hostile_body(),
        encoding="utf-8")
    (root / "copy.txt").write_text(hostile_body("1,500"), encoding="utf-8")
    (root / "odd\x1b]0;x\x07[b]name.txt").write_text("Portavel [i]again[/i].",
                                                          encoding="utf-8")
    (root / "broken\x1b[2J\x1b]0;t\x07.json").write_text('{"x": ', encoding="utf-8")
    cache = tmp_path / "cache"
    index = Index(root, cache, cache)
    try:
        update(index, Config())
        with index.transaction() as db:  # one story, so the two can be compared
            db.execute("UPDATE story_members SET story_id=(SELECT story_id FROM story_members"
                       " WHERE article_id='hostile') WHERE article_id='copy'")
            db.execute("INSERT OR REPLACE INTO pairs (a, b, score, relation)"
                       " VALUES ('copy', 'hostile', 0.9, 'copy')")
    finally:
        index.close()
    return build_app(root, Config(), cache, cache, refresh=False)


def screen_text(app: CrosscheckApp) -> str:
    """Everything the current screen draws (as the SVG screenshot holds it)."""
    return app.export_screenshot()


@sync
async def test_app_shows_hostile_text_literally(hostile_app: CrosscheckApp) -> None:
    app = hostile_app
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert_inert(screen_text(app), "stories")
        await pilot.press("t")  # the flat list of reports
        source = screen.vlist.source
        rows = {i: source.render_row(k, 200, screen.vlist._styles())[0].plain
                for k, i in enumerate(list(source.ids))}
        assert MARKUP in rows["hostile"]
        assert_inert(screen_text(app), "library")
        screen.open_reader("hostile")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.doc.text.startswith("Flood ") and MARKUP in reader.doc.text
        first = "".join(s.text for s in reader.doc.render_line(0))
        assert "[bold red]x[/]" in first
        for key in ("v", "e", "f", "i", "y", "v"):  # original text, walking, panel, copy
            await pilot.press(key)
            await pilot.pause()
            assert_inert(screen_text(app), f"reader after {key}")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen))
        await pilot.pause()
        assert_inert(screen_text(app), "compare")
        await pilot.press("escape", "escape", "question_mark")
        await pilot.pause()
        assert_inert(screen_text(app), "help")


@sync
async def test_app_problems_screen_is_inert(hostile_app: CrosscheckApp) -> None:
    app = hostile_app
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        assert_inert(screen_text(app), "problems")
