"""Process helpers for the benchmarks: run a child and measure its peak memory.

Two figures per child: ``rss_mb``, the peak resident set of the child or of its largest
descendant, from the kernel's rusage of that child (``os.wait4``, the same accounting as
``getrusage(RUSAGE_CHILDREN)``, but for this one child only); and ``tree_mb``, the peak of
the *sum* over the child and all its descendants (worker pools), sampled from ``/proc``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class ChildResult:
    """What a child printed on its last stdout line (JSON), and its memory peaks."""

    data: dict[str, Any]
    rss_mb: float
    tree_mb: float
    seconds: float


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (from ``/proc``)."""
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        found: list[int] = []
        for task in tasks:
            text = (task / "children").read_text()
            found.extend(int(p) for p in text.split())
        return found
    except OSError:
        return []


def _rss(pid: int) -> int:
    """Resident bytes of ``pid`` now (0 if it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants now."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss(current)
        todo.extend(_children(current))
    return total


class TreeSampler:
    """Samples the resident size of a process tree in a thread; ``peak_mb`` is the max."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid = pid
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.every)

    @property
    def peak_mb(self) -> float:
        """The largest sampled total, in MiB."""
        return self.peak / 2**20


def run_child(args: list[str], timeout: float = 7200, env: dict[str, str] | None = None
              ) -> ChildResult:
    """Run ``python args…`` from the repo root; parse its last stdout line as JSON."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=out, stderr=err,
                                text=True, env=env)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        with TreeSampler(proc.pid) as sampler:
            _pid, status, usage = os.wait4(proc.pid, 0)
        killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{stderr[-4000:]}")
    lines = stdout.strip().splitlines()
    data: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    return ChildResult(data, usage.ru_maxrss / 1024, sampler.peak_mb, seconds)


@dataclass
class CommandResult:
    """Wall seconds, peak RSS (largest process of the tree, MiB) and exit code of a command."""

    seconds: float
    rss_mb: float
    returncode: int
    stderr: str


def run_command(argv: list[str], stdin: Path, stdout: Path, env: dict[str, str] | None = None,
                timeout: float = 3600) -> CommandResult:
    """Run ``argv`` with ``stdin`` and ``stdout`` redirected to files; time it end to end."""
    with stdin.open("rb") as inp, stdout.open("wb") as out, \
            tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdin=inp, stdout=out, stderr=err, env=env)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return CommandResult(seconds, usage.ru_maxrss / 1024, proc.returncode, err.read())


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages now."""
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> str:
    """One line about this machine: CPU model, cores, memory, Python."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    return (f"{model}, {os.cpu_count()} cores, {mem_kb / 2**20:.0f} GiB RAM, "
            f"Python {sys.version.split()[0]}")
