"""Real-terminal starts in tmux: Crosscheck's warm start against newsboat's, same harness.

Both programs are started in a fresh tmux window of the same size on a private tmux
socket; the clock runs from ``tmux new-session`` until ``tmux capture-pane`` shows the
ready text (Crosscheck: the status line with the article count; newsboat: its feed list,
then, after Enter, its article list). newsboat reads the same articles from a local RSS
file whose cache was built beforehand (``newsboat -x reload``), with ``-u``/``-c``/``-C``
and ``HOME`` pointing into a temporary folder, so nothing touches the user's files.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bench_proc import ROOT

SOCKET = f"crosscheck-bench-{os.getpid()}"
SIZE = (160, 45)
EXE = ROOT / ".venv" / "bin" / "crosscheck"
NEWSBOAT_CONFIG = "max-items 0\nshow-read-feeds yes\nconfirm-exit no\n"


def tmux(*args: str) -> str:
    """Run a tmux command on the benchmark's private socket; return its stdout."""
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True,
                          timeout=30)
    return done.stdout


def start_server() -> None:
    """Start the private tmux server with a session that keeps it alive, and keep the panes
    of programs that exit (so their last screen, an error message, can be read)."""
    tmux("new-session", "-d", "-s", "keep", "sleep 86400")
    tmux("set-option", "-g", "remain-on-exit", "on")


def wait_screen(name: str, ready: Callable[[str], bool], timeout: float) -> str:
    """Poll the pane until ``ready(text)``; raise with the screen after ``timeout`` or as
    soon as the program has exited."""
    deadline = time.monotonic() + timeout
    while True:
        text = tmux("capture-pane", "-p", "-t", name)
        if ready(text):
            return text
        dead = tmux("display-message", "-p", "-t", name, "#{pane_dead} #{pane_dead_status}")
        if dead.startswith("1"):
            raise RuntimeError(f"{name}: exited ({dead.split()[-1]}); screen:\n{text}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name}: not ready after {timeout:.0f} s; screen:\n{text}")
        time.sleep(0.01)


def _peak_rss_mb(name: str) -> float:
    """VmHWM (peak resident set) of the pane's process, in MiB."""
    pid = tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip()
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def timed_start(command: str, steps: list[tuple[str | None, Callable[[str], bool]]],
                env: dict[str, str], timeout: float) -> dict[str, Any]:
    """Start ``command`` in a new tmux session; for each step send its key (if any) and
    time until its predicate holds on screen. Returns the times since start and the RSS."""
    name = f"bench-{uuid.uuid4().hex[:8]}"
    env_args = [a for k, v in env.items() for a in ("-e", f"{k}={v}")]
    started = time.perf_counter()
    tmux("new-session", "-d", "-s", name, "-x", str(SIZE[0]), "-y", str(SIZE[1]), *env_args,
         f"exec {command}")
    times: list[float] = []
    try:
        for key, ready in steps:
            if key:
                tmux("send-keys", "-t", name, key)
            wait_screen(name, ready, timeout)
            times.append(time.perf_counter() - started)
        time.sleep(0.3)
        rss = _peak_rss_mb(name)
        screen = tmux("capture-pane", "-p", "-t", name)
    finally:
        tmux("kill-session", "-t", name)
    return {"times": times, "rss_mb": rss, "screen": screen}


def crosscheck_start(root: Path, cache: Path, articles: int, home: Path,
                     timeout: float = 120) -> dict[str, Any]:
    """The installed ``crosscheck`` (background re-scan on, as a user runs it) to the
    status line showing the article count."""
    config = home / "crosscheck.yaml"
    config.write_text("# benchmark: defaults only\n")
    command = f"{EXE} --config {config} --cache-dir {cache} {root}"
    marker = f"{articles:,} articles"
    return timed_start(command, [(None, lambda s: marker in s)], _env(home), timeout)


def _env(home: Path) -> dict[str, str]:
    """Environment for both programs: a private HOME and XDG folders, UTF-8, a terminal."""
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CACHE_HOME": str(home / ".cache"),
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "tmux-256color"}


def ensure_newsboat() -> str | None:
    """The newsboat executable, installing Debian's package if it is missing (as root)."""
    found = shutil.which("newsboat")
    if found or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return found
    print("installing newsboat (apt-get)…", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}

    def apt(*args: str) -> int:
        return subprocess.run(["apt-get", *args], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode

    if apt("install", "-y", "newsboat"):
        apt("update")
        apt("install", "-y", "newsboat")
    return shutil.which("newsboat")


def write_rss(index_db: Path, out: Path) -> int:
    """Write every article of a Crosscheck index as one RSS 2.0 feed; return the count."""
    db = sqlite3.connect(f"file:{index_db}?mode=ro", uri=True)
    rows = db.execute("SELECT id, title, source, date, body FROM articles ORDER BY id")
    count = 0
    with out.open("w", encoding="utf-8") as feed:
        feed.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                   "<title>Crosscheck bench</title><link>https://example.org/</link>"
                   "<description>synthetic library</description>\n")
        for article_id, title, source, date, body in rows:
            feed.write(f"<item><title>{escape(title or article_id)}</title>"
                       f"<link>https://example.org/{escape(article_id)}</link>"
                       f"<guid>{escape(article_id)}</guid><author>{escape(source or '')}"
                       f"</author>{_pub_date(date)}<description>{escape(body)}"
                       "</description></item>\n")
            count += 1
        feed.write("</channel></rss>\n")
    db.close()
    return count


def _pub_date(date: str | None) -> str:
    """An RSS ``pubDate`` element for an ISO date (empty when undated)."""
    if not date or len(date) < 10:
        return ""
    try:
        day = datetime.strptime(date[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return ""
    return f"<pubDate>{format_datetime(day)}</pubDate>"


class Newsboat:
    """newsboat on a local RSS file, its files all under ``home``."""

    def __init__(self, exe: str, home: Path) -> None:
        self.exe, self.home = exe, home
        self.urls, self.cache, self.config = home / "urls", home / "cache.db", home / "config"

    def prepare(self, index_db: Path) -> dict[str, float]:
        """Write the feed, the urls and config files, and build the cache (timed)."""
        self.home.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        items = write_rss(index_db, self.home / "feed.xml")
        written = time.perf_counter() - started
        self.urls.write_text(f"file://{self.home / 'feed.xml'}\n")
        self.config.write_text(NEWSBOAT_CONFIG)
        self.cache.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run([*self.argv(), "-x", "reload"], env={**os.environ, **_env(self.home)},
                       check=True, capture_output=True, timeout=7200)
        return {"items": items, "write_rss_s": written,
                "reload_s": time.perf_counter() - started,
                "feed_mb": (self.home / "feed.xml").stat().st_size / 2**20}

    def argv(self) -> list[str]:
        """The command line with the private urls, cache and config files."""
        return [self.exe, "-u", str(self.urls), "-c", str(self.cache), "-C", str(self.config)]

    def start(self, timeout: float = 600) -> dict[str, Any]:
        """Start to feed list, then Enter to the article list (times since start)."""
        steps: list[tuple[str | None, Callable[[str], bool]]] = [
            (None, lambda s: "Crosscheck bench" in s),
            ("Enter", lambda s: "Articles in feed" in s),
        ]
        return timed_start(" ".join(self.argv()), steps, _env(self.home), timeout)


def side_by_side(root: Path, cache: Path, index_db: Path, articles: int, work: Path,
                 runs: int) -> dict[str, Any]:
    """Crosscheck's and newsboat's starts, alternating, one untimed warm-up each."""
    home = work / f"tmux-home-{articles}"
    home.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {}
    exe = ensure_newsboat()
    boat = Newsboat(exe, home / "newsboat") if exe else None
    if boat is not None:
        out["newsboat prepare"] = boat.prepare(index_db)
    ours: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []
    start_server()
    try:
        for run in range(runs + 1):
            mine = crosscheck_start(root, cache, articles, home)
            other = boat.start() if boat is not None else None
            if run:  # the first round warms the page cache for both
                ours.append(mine)
                if other is not None:
                    theirs.append(other)
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
        socket_dir = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (socket_dir / SOCKET).unlink(missing_ok=True)
    out["crosscheck"] = _summary(ours)
    if theirs:
        out["newsboat"] = _summary(theirs)
        out["ratio"] = out["newsboat"]["article list"] / out["crosscheck"]["first paint"]
    return out


def _summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Median times per step and the peak RSS over the runs."""
    names = ["first paint"] if len(results[0]["times"]) == 1 else ["feed list", "article list"]
    summary: dict[str, Any] = {
        name: statistics.median(r["times"][i] for r in results) for i, name in enumerate(names)}
    summary["all"] = [r["times"][-1] for r in results]
    summary["rss_mb"] = max(r["rss_mb"] for r in results)
    shown = re.search(r"\((\d+) unread, (\d+) total\)", results[-1]["screen"])
    if shown:
        summary["items shown"] = int(shown.group(2))
    return summary
