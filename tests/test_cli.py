"""The ``crosscheck`` command: exit codes, JSON shapes, clean output, no tracebacks.

The essentials run in real subprocesses (several at once); the details call
:func:`tui.cli.main` in this process with the same isolated environment, which keeps the
suite fast now that the command registry imports every analysis at start-up.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from tui import __version__
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE_TITLE = "Evil \x1b[2J\x1b]0;owned\x07title \x1b]52;c;ZXZpbA==\x07here\x9b31m"
PROSE = "The regional parliament approved a new water law on Tuesday after a long debate."


def _env(home: Path) -> dict[str, str]:
    """The environment of a run: an isolated home, so no user config is read."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSCHECK_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"),
               PYTHONPATH=str(ROOT))
    return env


def run_many(
    commands: list[list[str]], home: Path, cwd: Path | None = None
) -> list[subprocess.CompletedProcess[str]]:
    """Run several ``python -m tui.cli`` commands at once; none may print a traceback."""
    procs = [
        subprocess.Popen([sys.executable, "-m", "tui.cli", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=_env(home), cwd=cwd or ROOT)
        for args in commands
    ]
    results = []
    for args, proc in zip(commands, procs, strict=True):
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in err, err
        results.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
    return results


@contextmanager
def _isolated(home: Path, cwd: Path | None) -> Iterator[None]:
    """This process with the environment and folder a subprocess run would get."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(_env(home))
    os.chdir(cwd or ROOT)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)


def run(*args: str, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run one command in this process: ``main(args)`` with stdout/stderr captured.

    An uncaught exception fails the test, as a traceback would fail a subprocess run.
    """
    out, err = io.StringIO(), io.StringIO()
    with _isolated(home, cwd), redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small library with one clean article, one hostile one and one with a problem."""
    root = tmp_path_factory.mktemp("cli") / "lib"
    (root / "desk").mkdir(parents=True)
    (root / "desk" / "water.md").write_text(
        f"---\ntitle: Water law passes\nsource: Daily Ledger\ndate: 2022-06-07\n"
        f"url: https://example.org/water\n---\n[ad_1]\n{PROSE}\n", encoding="utf-8")
    hostile = {"title": HOSTILE_TITLE, "source": "Bad\x1b[31mSource",
               "text": "Body with \x1b[2J escapes and a bell\x07 inside the parliament text."}
    (root / "hostile.json").write_text(json.dumps(hostile), encoding="utf-8")
    (root / "broken.jsonl").write_text('{"text": "A fine line about parliament."}\n{oops\n',
                                       encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def clean_lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clean") / "lib"
    root.mkdir()
    (root / "a.txt").write_text(PROSE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("cache"))


def assert_plain(text: str) -> None:
    assert CONTROL.search(text.replace("\t", " ").replace("\n", " ")) is None, repr(text)


# -- global options -------------------------------------------------------------------------


def test_version_and_help(home: Path) -> None:
    (proc,) = run_many([["--version"]], home)
    helped = run("--help", home=home)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"crosscheck {__version__}"
    assert helped.returncode == 0
    for command in ("list", "show", "search", "check", "--cache-dir", "--no-cache", "--config"):
        assert command in helped.stdout


USAGE_ERRORS = [
    ["list", "--bogus"],
    ["search"],
    ["search", "x", "--limit", "many"],
    ["list", "--sort", "colour"],
    ["show"],
    ["list", "/definitely/not/here"],
    ["check", "README.md"],
    ["/definitely/not/here"],
]


def test_usage_errors_exit_2(home: Path, cache: str) -> None:
    for args in USAGE_ERRORS:
        proc = run(*args, "--cache-dir", cache, home=home)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stdout == "", args
        assert proc.stderr.strip(), args


def test_real_process_errors(home: Path, cache: str, lib: Path, tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("colour: red\n", encoding="utf-8")
    run("list", str(lib), "--cache-dir", cache, home=home)  # build the index once
    commands = [["list", "--bogus"], ["/not/here"], ["list", str(lib), "--config", str(config)],
                ["show", "no/such/id", "--library", str(lib)]]
    results = run_many([[*c, "--cache-dir", cache] for c in commands], home)
    assert [p.returncode for p in results] == [2, 2, 2, 1]
    for proc in results:
        assert proc.stdout == ""
        assert proc.stderr.strip()


def test_real_process_output(home: Path, cache: str, lib: Path) -> None:
    run("list", str(lib), "--cache-dir", cache, home=home)
    commands = [["list", str(lib), "--json"], ["show", "hostile", "--library", str(lib)]]
    listed, shown = run_many([[*c, "--cache-dir", cache] for c in commands], home)
    assert listed.returncode == shown.returncode == 0
    assert len(json.loads(listed.stdout)["articles"]) == 3
    assert "broken.jsonl" in listed.stderr
    assert_plain(shown.stdout)
    assert "Evil" in shown.stdout


def test_bad_config_is_a_usage_error(home: Path, cache: str, tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("colour: red\n", encoding="utf-8")
    proc = run("list", str(tmp_path), "--config", str(config), "--cache-dir", cache, home=home)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "unknown key 'colour'" in proc.stderr and str(config) in proc.stderr


def test_config_library_is_the_default_path(home: Path, cache: str, clean_lib: Path,
                                            tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(f"library: {clean_lib}\n", encoding="utf-8")
    proc = run("list", "--json", "--config", str(config), "--cache-dir", cache, home=home)
    assert [a["id"] for a in json.loads(proc.stdout)["articles"]] == ["a"]


# -- list -----------------------------------------------------------------------------------


def test_list_text(lib: Path, home: Path, cache: str) -> None:
    proc = run("list", str(lib), "--cache-dir", cache, home=home)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].split("\t")[:3] == ["desk/water", "2022-06-07", "Daily Ledger"]
    assert all(len(line.split("\t")) == 7 for line in lines)  # ... title, url, path
    assert lines[0].split("\t")[-1].startswith("desk/water.")
    assert_plain(proc.stdout)
    # problems go to stderr, one line each, naming the file
    assert "broken.jsonl: line 2: invalid JSON" in proc.stderr
    assert_plain(proc.stderr)


def test_list_json_shape(lib: Path, home: Path, cache: str) -> None:
    proc = run("list", str(lib), "--json", "--cache-dir", cache, home=home)
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert set(data) == {"articles"}
    assert sorted(a["id"] for a in data["articles"]) == ["broken#1", "desk/water", "hostile"]
    for article in data["articles"]:
        assert set(article) == {"id", "title", "source", "date", "url", "words", "path"}
        assert isinstance(article["words"], int)
    water = next(a for a in data["articles"] if a["id"] == "desk/water")
    assert water == {"id": "desk/water", "title": "Water law passes", "source": "Daily Ledger",
                     "date": "2022-06-07", "url": "https://example.org/water",
                     "words": len(PROSE.split()), "path": "desk/water.md"}
    hostile = next(a for a in data["articles"] if a["id"] == "hostile")
    assert "\x1b" not in hostile["title"] and "\x07" not in hostile["title"]


def test_list_bundled_articles(library: Path, home: Path, cache_dir: Path) -> None:
    proc = run("list", str(library), "--json", "--cache-dir", str(cache_dir), home=home)
    files = sorted(p.stem for p in library.iterdir())
    assert sorted(a["id"] for a in json.loads(proc.stdout)["articles"]) == files
    assert proc.stderr == ""


def test_no_cache_writes_nothing(clean_lib: Path, home: Path, tmp_path: Path) -> None:
    cache = tmp_path / "unused"
    cache.mkdir()
    proc = run("list", str(clean_lib), "--no-cache", "--cache-dir", str(cache), home=home)
    assert proc.returncode == 0 and proc.stdout.startswith("a\t")
    assert list(cache.iterdir()) == []


def test_cache_dir_receives_the_index(clean_lib: Path, home: Path, tmp_path: Path) -> None:
    proc = run("--cache-dir", str(tmp_path), "list", str(clean_lib), home=home)
    assert proc.returncode == 0
    assert list(tmp_path.glob("libraries/*/index.sqlite"))


# -- show -----------------------------------------------------------------------------------


def test_show_text_and_json(lib: Path, home: Path, cache: str) -> None:
    proc = run("show", "desk/water", "--library", str(lib), "--cache-dir", cache, home=home)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0] == "Water law passes"
    assert "2022-06-07" in lines[1] and "Daily Ledger" in lines[1]
    assert PROSE in proc.stdout and "[ad_1]" not in proc.stdout
    data = json.loads(run("show", "desk/water", "--library", str(lib), "--json",
                          "--cache-dir", cache, home=home).stdout)
    assert set(data) == {"id", "title", "source", "date", "url", "author", "language", "tags",
                         "extra", "path", "words", "read", "starred", "artefacts", "text"}
    assert data["text"] == PROSE
    assert data["artefacts"] == ["[ad_1]"]
    assert (data["read"], data["starred"]) == (False, False)


def test_show_original(lib: Path, home: Path, cache: str) -> None:
    proc = run("show", "desk/water", "--original", "--library", str(lib), "--json",
               "--cache-dir", cache, home=home)
    text = json.loads(proc.stdout)["text"]
    assert text.startswith("[ad_1]\n") and PROSE in text


def test_show_unknown_id_exits_1(lib: Path, home: Path, cache: str) -> None:
    proc = run("show", "no/such/id", "--library", str(lib), "--cache-dir", cache, home=home)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "no article with id 'no/such/id'" in proc.stderr


def test_show_hostile_article_is_plain(lib: Path, home: Path, cache: str) -> None:
    for extra in ([], ["--original"]):
        proc = run("show", "hostile", "--library", str(lib), *extra, "--cache-dir", cache,
                   home=home)
        assert proc.returncode == 0
        assert_plain(proc.stdout)
        assert "Evil" in proc.stdout and "here" in proc.stdout


# -- search ---------------------------------------------------------------------------------


def test_search_text_and_json(lib: Path, home: Path, cache: str) -> None:
    proc = run("search", "parliament", str(lib), "--cache-dir", cache, home=home)
    assert proc.returncode == 0
    assert_plain(proc.stdout)
    assert "«parliament»" in proc.stdout
    data = json.loads(run("search", "parliament", str(lib), "--json", "--limit", "2",
                          "--cache-dir", cache, home=home).stdout)
    assert set(data) == {"query", "hits"}
    assert data["query"] == "parliament"
    assert len(data["hits"]) == 2
    for hit in data["hits"]:
        assert {"id", "title", "snippet", "match", "path"} <= set(hit)
        assert hit["match"] == "fts" and "[parliament]" in hit["snippet"]


def test_every_command_reports_the_librarys_problems(lib: Path, home: Path,
                                                    cache: str) -> None:
    check = run("check", str(lib), "--cache-dir", cache, home=home)
    assert check.stdout and not check.stderr.count("warning:") + check.stderr.count("error:")
    for args in (["search", "water", str(lib)], ["entities", str(lib)],
                 ["figures", str(lib)]):
        proc = run(*args, "--cache-dir", cache, home=home)
        assert proc.returncode == 0, proc.stderr
        for line in check.stdout.splitlines():
            assert line in proc.stderr, (args, line)


def test_search_no_matches(lib: Path, home: Path, cache: str) -> None:
    proc = run("search", "zeppelin", str(lib), "--cache-dir", cache, home=home)
    assert proc.returncode == 0 and proc.stdout == ""
    assert "no matches" in proc.stderr


@pytest.mark.parametrize("query", ['"unclosed', "is:whatever"])
def test_search_invalid_query_exits_1(query: str, lib: Path, home: Path, cache: str) -> None:
    proc = run("search", query, str(lib), "--cache-dir", cache, home=home)
    assert proc.returncode == 1
    # The library's file problems come first (every command reports them), then one line.
    errors = [line for line in proc.stderr.splitlines() if line.startswith("crosscheck: ")]
    assert len(errors) == 1 and "Traceback" not in proc.stderr


# -- check ----------------------------------------------------------------------------------


def test_check_with_problems(lib: Path, home: Path, cache: str) -> None:
    proc = run("check", str(lib), "--cache-dir", cache, home=home)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "error: broken.jsonl: line 2: invalid JSON (Expecting property name enclosed in double "
        "quotes): skipped"]
    assert "3 articles, 1 problems" in proc.stderr
    data = json.loads(run("check", str(lib), "--json", "--cache-dir", cache, home=home).stdout)
    assert data == {"articles": 3, "problems": [
        {"path": "broken.jsonl", "severity": "error",
         "message": "line 2: invalid JSON (Expecting property name enclosed in double quotes): "
                    "skipped"}]}


def test_check_without_problems(clean_lib: Path, home: Path, cache: str) -> None:
    proc = run("check", str(clean_lib), "--cache-dir", cache, home=home)
    assert proc.returncode == 0 and proc.stdout == ""
    data = json.loads(run("check", str(clean_lib), "--json", "--cache-dir", cache,
                          home=home).stdout)
    assert data == {"articles": 1, "problems": []}


def test_check_defaults_to_current_folder(clean_lib: Path, home: Path, cache: str) -> None:
    proc = run("check", "--json", "--cache-dir", cache, home=home, cwd=clean_lib)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["articles"] == 1


def test_corrupt_cache_is_a_warning_not_a_crash(clean_lib: Path, home: Path,
                                                tmp_path: Path) -> None:
    # built by another process: this one must hold no connection to the file it breaks
    run_many([["list", str(clean_lib), "--cache-dir", str(tmp_path)]], home)
    (db,) = tmp_path.glob("libraries/*/index.sqlite")
    db.write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    proc = run("list", str(clean_lib), "--cache-dir", str(tmp_path), home=home)
    assert proc.returncode == 0 and proc.stdout.startswith("a\t")
    assert "warning:" in proc.stderr and "rebuilt" in proc.stderr


def test_hostile_file_names_never_reach_the_terminal(home: Path, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    names = [b"odd\x1b]0;owned\x07name.txt", b"csi\xc2\x9b31mname.txt", b"caf\xe9.txt",
             b"broken\x1b[2J.json"]
    for name in names:
        content = b"{oops" if name.endswith(b".json") else PROSE.encode()
        Path(os.fsdecode(bytes(root) + b"/" + name)).write_bytes(content)
    cache = str(tmp_path / "cache")
    run("list", str(root), "--cache-dir", cache, home=home)  # build the index once
    results = [*run_many([["list", str(root), "--cache-dir", cache],
                          ["check", str(root), "--cache-dir", cache]], home),
               run("list", str(root), "--json", "--cache-dir", cache, home=home),
               run("check", str(root), "--json", "--cache-dir", cache, home=home)]
    for proc in results:
        assert_plain(proc.stdout)
        assert_plain(proc.stderr)
    listed = json.loads(results[2].stdout)["articles"]
    assert len(listed) == 3
    assert "caf\ufffd" in [a["id"] for a in listed]
    assert results[1].returncode == 1
    assert len(json.loads(results[3].stdout)["problems"]) == 1


def test_config_max_file_mb_caps_reading(home: Path, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "long.txt").write_text((PROSE + "\n") * 100, encoding="utf-8")
    (root / "long.json").write_text(json.dumps({"text": PROSE * 100}), encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text("max_file_mb: 0.001\n", encoding="utf-8")
    proc = run("list", str(root), "--json", "--config", str(config),
               "--cache-dir", str(tmp_path / "cache"), home=home)
    assert proc.returncode == 0
    assert [a["id"] for a in json.loads(proc.stdout)["articles"]] == ["long"]
    lines = proc.stderr.splitlines()
    assert len(lines) == 2
    assert "long.json: " in lines[0] and "over the 0.001 MB cap: skipped" in lines[0]
    assert "long.txt: " in lines[1] and "only the first part was read" in lines[1]


def test_annotate_stream_keeps_order_across_workers(tmp_path: Path) -> None:
    """Enough lines for the worker pool: output lines follow input lines, bad ones included."""
    lines = [json.dumps({"id": f"n{i}", "text": f"Maria Garcia counted {i} boats in Lisbon."})
             for i in range(200)]
    lines[137] = "{broken"
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "--no-cache", "annotate",
                           "--jsonl-in"], input="\n".join(lines) + "\n", capture_output=True,
                          text=True, env=_env(tmp_path), cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == [f"n{i}" if i != 137 else None for i in range(200)]
    assert out[137] == {"id": None, "line": 138, "error": "invalid input line"}
    assert "stdin line 138" in proc.stderr and "Traceback" not in proc.stderr
    for i in (0, 64, 199):
        kinds = {(s["text"], s["kind"]) for s in out[i]["spans"]}
        assert {("Maria Garcia", "person"), ("Lisbon", "place"), (str(i), "number")} <= kinds


def test_every_command_in_the_registry_builds_its_parser() -> None:
    """The registry's lazy table points at real set-up and run functions."""
    from tui.cli import build_parser
    from tui.commands.registry import COMMANDS, command

    parser = build_parser()  # every command set up
    for name in COMMANDS:
        configure, run = command(name)
        assert callable(configure) and callable(run), name
    assert parser.parse_args(["compare", "a", "b", "--json"]).json


def test_listing_loads_no_analysis_modules(tmp_path: Path) -> None:
    """``crosscheck list`` loads what indexing needs, not the comparison or the app."""
    code = ("import sys\nfrom tui.cli import main\nmain(['--no-cache', 'list', sys.argv[1]])\n"
            "heavy = [m for m in ('tui.core.compare_pair', 'tui.render.compare', 'textual')"
            " if m in sys.modules]\nprint('HEAVY', heavy, file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "articles")],
                          capture_output=True, text=True, env=_env(tmp_path), cwd=tmp_path,
                          timeout=120)
    assert "HEAVY []" in proc.stderr, proc.stderr[-2000:]
