"""What every command shares: options, opening the library, printing data safely."""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.config import Config, ConfigError, cache_root, load_config, state_root
from tui.core.sanitize import clean_text
from tui.core.store import Index, IndexError_


class CommandError(Exception):
    """A user error: printed as one line on stderr, with an exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass(slots=True)
class Context:
    """Parsed arguments plus the loaded config."""

    args: argparse.Namespace
    config: Config

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        """Load the config named by the arguments (or the default one)."""
        try:
            config = load_config(Path(args.config) if getattr(args, "config", None) else None)
        except ConfigError as exc:
            raise CommandError(str(exc), 2) from None
        return cls(args, config)

    def library_path(self, given: str | None) -> Path:
        """The library folder: the argument, else the config's, else the current folder."""
        root = Path(given or self.config.library or ".").expanduser()
        if not root.exists():
            raise CommandError(f"{root}: no such folder", 2)
        if not root.is_dir():
            raise CommandError(f"{root}: not a folder (give the library folder)", 2)
        return root

    def open_index(self, given: str | None, refresh: bool = True,
                   problems: bool = True) -> Index:
        """Open (and by default refresh) the index of a library, reporting on stderr:
        warnings, progress and (unless ``problems`` is false) every file problem."""
        root = self.library_path(given)
        no_cache = bool(getattr(self.args, "no_cache", False))
        cache = None if no_cache else cache_root(getattr(self.args, "cache_dir", None))
        state = None if no_cache else state_root(getattr(self.args, "cache_dir", None))
        index = Index(root, cache, state, self.config.max_bytes)
        for warning in index.warnings:
            print(plain(f"crosscheck: warning: {warning}"), file=sys.stderr)
        if refresh:
            update_library(index, self.config, stderr_progress())
        if problems:
            print_problems(index)
        return index


def update_library(index: Index, config: Config, progress: Any = None) -> None:
    """Refresh the index and every analysis stored with it."""
    from tui.core.pipeline import update_or_fall_back

    def warn(message: str) -> None:
        print(plain(f"crosscheck: warning: {message}"), file=sys.stderr)

    try:
        report = update_or_fall_back(index, config, warn, progress)
    except IndexError_ as exc:
        raise CommandError(str(exc), 2) from None
    for warning in report.warnings:
        warn(warning)


def stderr_progress() -> Any:
    """A progress callback drawing one line on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def report(stage: str, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r\x1b[K{stage}: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return report


def print_problems(index: Index) -> None:
    """Every problem of the library, one line each, on stderr."""
    for problem in index.problems():
        print(plain(f"{problem.severity}: {problem}"), file=sys.stderr)


def plain(text: str) -> str:
    """Text safe for a terminal or a file: no escape sequences, no control characters."""
    return clean_text(text)


# The encoder escapes C0 controls but writes DEL, C1 controls (8-bit CSI/OSC) and the
# Unicode line separators as they are; they only occur inside strings, so escape them too.
_JSON_UNSAFE_RE = re.compile("[\x7f-\x9f\u2028\u2029]")


def to_json(data: Any, indent: int | None = None) -> str:
    """``data`` as JSON text with no character a terminal could act on."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def emit_json(data: Any) -> None:
    """Print data as JSON (every control character in strings escaped)."""
    sys.stdout.write(to_json(data, indent=2) + "\n")


def emit_jsonl(data: Any) -> None:
    """Print one JSON object on one line."""
    sys.stdout.write(to_json(data) + "\n")
