"""The core and the scripting commands must never load Textual (fast start, no UI deps)."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import tui.core

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import importlib, json, sys
names = json.loads(sys.argv[1])
for name in names:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))))
"""


def core_modules() -> list[str]:
    return sorted(f"tui.core.{m.name}" for m in pkgutil.iter_modules(tui.core.__path__))


def test_core_cli_and_commands_do_not_import_textual() -> None:
    names = [*core_modules(), "tui.cli", "tui.commands"]
    assert "tui.core.store" in names and "tui.core.loader" in names
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(names)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_running_a_command_does_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys, tui.cli\n"
        "rc = tui.cli.main(['check', sys.argv[1], '--json', '--no-cache'])\n"
        "print('textual' in sys.modules, rc, file=sys.stderr)\n"
    )
    (tmp_path / "a.txt").write_text("A short report about the weather today.", "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSCHECK_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.stderr.strip().splitlines()[-1] == "False 0"
