"""One real-terminal smoke test: the installed ``crosscheck`` in tmux, typed at and read."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from snapshot_apps.library import ARTICLES

EXE = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "crosscheck"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None or not EXE.exists(),
                                reason="needs tmux and the installed crosscheck")


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=10)
    return done.stdout


@pytest.fixture
def session(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "articles"
    shutil.copytree(ARTICLES, root)
    name = f"crosscheck-smoke-{uuid.uuid4().hex[:8]}"
    # COLUMNS/LINES from the test runner would override the terminal's real size.
    command = f"env -u COLUMNS -u LINES {EXE} --cache-dir {tmp_path / 'cache'} {root}"
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "35", command)
    # Another client of the same tmux server may have shrunk the window: pin the size.
    tmux("set-option", "-t", name, "window-size", "manual")
    tmux("resize-window", "-t", name, "-x", "120", "-y", "35")
    try:
        yield name
    finally:
        tmux("kill-session", "-t", name)


def screen(name: str) -> str:
    return tmux("capture-pane", "-p", "-t", name)


def wait_screen(name: str, ready: Callable[[str], bool], timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = screen(name)
        if ready(text):
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"screen never got ready; it shows:\n{text}")
        time.sleep(0.1)


def test_type_search_open_and_quit(session: str) -> None:
    count = sum(1 for f in ARTICLES.iterdir() if f.is_file())
    wait_screen(session, lambda s: f"{count} articles" in s)
    time.sleep(0.5)  # the first paint can come before the input reader is listening
    for key in ("j", "/"):
        tmux("send-keys", "-t", session, key)
        time.sleep(0.3)
    tmux("send-keys", "-t", session, "-l", "ganja")
    shown = wait_screen(session, lambda s: "for 'ganja'" in s)
    results = shown.splitlines()[3:-2]
    assert any("ganja" in line.lower() for line in results), "snippets show the match"
    tmux("send-keys", "-t", session, "Enter")
    # The reader paints in steps: wait for the side panel, not just the legend.
    wait_screen(session, lambda s: "Legend" in s and "Entities" in s)
    tmux("send-keys", "-t", session, "Escape")
    wait_screen(session, lambda s: "Legend" not in s and "articles" in s)
    tmux("send-keys", "-t", session, "Escape")
    wait_screen(session, lambda s: "ganja" not in "".join(s.splitlines()[:3]))
    time.sleep(0.3)  # a key right after Escape would read as alt+key
    tmux("send-keys", "-t", session, "q")
    deadline = time.monotonic() + 10
    while session in tmux("list-sessions", "-F", "#{session_name}"):
        assert time.monotonic() < deadline, "q did not quit"
        time.sleep(0.1)
