"""User configuration: a YAML file validated into a typed record.

The file is found at ``--config FILE``, else ``$CROSSCHECK_CONFIG``, else
``<user config dir>/crosscheck/config.yaml``. A missing file means defaults; an invalid
one raises :class:`ConfigError` with a message naming the file and the key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml
from platformdirs import user_cache_dir, user_config_dir, user_data_dir

APP_NAME = "crosscheck"
ENV_CONFIG = "CROSSCHECK_CONFIG"
ENV_CACHE = "CROSSCHECK_CACHE_DIR"


class ConfigError(ValueError):
    """The config file cannot be used; the message names the file and the key."""


@dataclass(slots=True)
class Config:
    """Everything a user can set in ``config.yaml``."""

    library: str = ""
    """Folder opened when no path is given on the command line."""
    theme: str = "crosscheck-dark"
    """Theme name: ``crosscheck-dark``, ``crosscheck-light`` or any built-in Textual theme."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id → keys, e.g. ``{"search": "ctrl+f", "down": "down,j"}``."""
    clustering: dict[str, Any] = field(default_factory=dict)
    """Overrides for story clustering thresholds (see ``crosscheck clusters --help``)."""
    figures: dict[str, Any] = field(default_factory=dict)
    """Overrides for figure comparison (e.g. ``about_tolerance: 0.05``)."""
    gazetteer: dict[str, Any] = field(default_factory=dict)
    """Entity gazetteer additions: ``{"person": [...], "place": [...], "aliases": {...}}``."""
    max_file_mb: float = 8.0
    """Files larger than this are read only in part (text) or skipped (JSON)."""
    export_dir: str = ""
    """Where ``e`` writes exports ("" = ``crosscheck-exports`` in the documents folder)."""
    path: str = ""
    """Where this config was read from ("" for defaults). Not a setting."""

    @property
    def max_bytes(self) -> int:
        """The file size cap in bytes."""
        return int(self.max_file_mb * 1024 * 1024)


_TYPES: dict[str, type | tuple[type, ...]] = {
    "library": str,
    "theme": str,
    "keymap": dict,
    "clustering": dict,
    "figures": dict,
    "gazetteer": dict,
    "max_file_mb": (int, float),
    "export_dir": str,
}


def default_config_path() -> Path:
    """The config file used when neither ``--config`` nor the env var says otherwise."""
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env).expanduser()
    return Path(user_config_dir(APP_NAME)) / "config.yaml"


def load_config(path: Path | None = None) -> Config:
    """Read and validate the config file (defaults when it does not exist)."""
    explicit = path is not None or bool(os.environ.get(ENV_CONFIG))
    path = path or default_config_path()
    if not path.exists():
        if explicit:
            raise ConfigError(f"{path}: config file not found")
        return Config()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: invalid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    return config_from_mapping(data or {}, str(path))


def config_from_mapping(data: Any, origin: str = "config") -> Config:
    """Validate a mapping (as loaded from YAML) into a :class:`Config`."""
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: must be a mapping of settings, not {type(data).__name__}")
    known = [f.name for f in fields(Config) if f.name != "path"]
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _TYPES:
            raise ConfigError(f"{origin}: unknown key {key!r} (known: {', '.join(known)})")
        expected = _TYPES[key]
        if not isinstance(value, expected) or isinstance(value, bool):
            want = "a number" if key == "max_file_mb" else f"a {expected.__name__}"  # type: ignore[union-attr]
            raise ConfigError(f"{origin}: {key!r} must be {want}, not {type(value).__name__}")
        values[key] = value
    if "keymap" in values:
        for binding, keys in values["keymap"].items():
            if not isinstance(keys, str) or not keys.strip():
                raise ConfigError(f"{origin}: keymap.{binding} must be a key string like 'ctrl+f'")
    if values.get("max_file_mb", 1) <= 0:
        raise ConfigError(f"{origin}: 'max_file_mb' must be positive")
    if "clustering" in values:
        from tui.core.cluster_config import ClusterConfig

        try:
            ClusterConfig.from_dict(values["clustering"])
        except ValueError as exc:
            raise ConfigError(f"{origin}: {exc}") from None
    if "gazetteer" in values:
        from tui.core.gazetteer import validate_extra

        try:
            validate_extra(values["gazetteer"])
        except ValueError as exc:
            raise ConfigError(f"{origin}: {exc}") from None
    _check_figures(origin, values.get("figures", {}))
    return Config(**values, path=origin)


def _check_figures(origin: str, figures: dict[str, Any]) -> None:
    """The ``figures`` section: only ``about_tolerance``, a share between 0 and 1."""
    for key, value in figures.items():
        if key != "about_tolerance":
            raise ConfigError(f"{origin}: unknown key figures.{key} (known: about_tolerance)")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
            raise ConfigError(f"{origin}: figures.about_tolerance must be a number from 0 to 1"
                              f" (a share: 0.05 = 5%), not {value!r}")


def cache_root(override: str | None = None) -> Path:
    """Where indexes live: ``--cache-dir``, else ``$CROSSCHECK_CACHE_DIR``, else the user cache."""
    chosen = override or os.environ.get(ENV_CACHE)
    return Path(chosen).expanduser() if chosen else Path(user_cache_dir(APP_NAME))


def state_root(override: str | None = None) -> Path:
    """Where user state (read, starred, story merges) lives.

    User decisions are data, not cache: by default they go to the user data dir, so
    clearing caches never loses them. With ``--cache-dir`` (tests, portable use) they
    live beside the index instead.
    """
    chosen = override or os.environ.get(ENV_CACHE)
    return Path(chosen).expanduser() if chosen else Path(user_data_dir(APP_NAME))
