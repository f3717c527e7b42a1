"""The user configuration file (tui.core.config)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.config import (
    ENV_CACHE,
    ENV_CONFIG,
    Config,
    ConfigError,
    cache_root,
    config_from_mapping,
    default_config_path,
    load_config,
    state_root,
)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never read the real user's config or cache settings."""
    monkeypatch.delenv(ENV_CONFIG, raising=False)
    monkeypatch.delenv(ENV_CACHE, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_no_file() -> None:
    config = load_config()
    assert config == Config()
    assert config.max_bytes == 8 * 1024 * 1024
    assert config.path == ""


def test_values_are_read(tmp_path: Path) -> None:
    path = write(tmp_path / "c.yaml", "library: ~/news\ntheme: crosscheck-light\n"
                 "max_file_mb: 2\nkeymap:\n  search: ctrl+f\nfigures:\n  about_tolerance: 0.1\n")
    config = load_config(path)
    assert config.library == "~/news"
    assert config.theme == "crosscheck-light"
    assert config.max_bytes == 2 * 1024 * 1024
    assert config.keymap == {"search": "ctrl+f"}
    assert config.figures == {"about_tolerance": 0.1}
    assert config.path == str(path)


def test_empty_file_means_defaults(tmp_path: Path) -> None:
    assert load_config(write(tmp_path / "c.yaml", "# nothing yet\n")).theme == Config().theme


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("colour: red\n", "unknown key 'colour'"),
        ("max_file_mb: lots\n", "'max_file_mb' must be a number, not str"),
        ("max_file_mb: true\n", "'max_file_mb' must be a number"),
        ("max_file_mb: -1\n", "'max_file_mb' must be positive"),
        ("theme: 3\n", "'theme' must be a str, not int"),
        ("keymap: [a, b]\n", "'keymap' must be a dict, not list"),
        ("keymap:\n  search: 5\n", "keymap.search"),
        ("- just\n- a list\n", "must be a mapping"),
        ("theme: [unclosed\n", "invalid YAML at line 2"),
        ("x: !!python/object/apply:os.system ['true']\n", "invalid YAML"),
        ("clustering:\n  same_storyy: 0.5\n", "clustering.same_storyy: unknown setting"),
        ("clustering:\n  merge_threshold: abc\n", "clustering.merge_threshold: expected a"),
        ("clustering:\n  same_story: 2\n", "clustering.same_story: must be between 0 and 1"),
        ("figures:\n  about_tolerance: lots\n", "figures.about_tolerance must be a number"),
        ("figures:\n  tolerance: 0.1\n", "unknown key figures.tolerance"),
        ("gazetteer:\n  place: 5\n", "'place' must be a list of names"),
        ("gazetteer:\n  planet: [Mars]\n", "unknown key 'planet'"),
    ],
)
def test_invalid_config_names_file_and_key(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path / "bad.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert words in message


def test_unknown_key_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="known: library, theme"):
        config_from_mapping({"libary": "x"}, "here.yaml")


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")


def test_not_utf8_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"theme: caf\xe9\n")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(path)


def test_env_var_overrides_default_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "env.yaml", "theme: from-env\n")
    monkeypatch.setenv(ENV_CONFIG, str(path))
    assert default_config_path() == path
    assert load_config().theme == "from-env"
    other = write(tmp_path / "cli.yaml", "theme: from-cli\n")
    assert load_config(other).theme == "from-cli"  # --config wins over the env var
    monkeypatch.setenv(ENV_CONFIG, str(tmp_path / "gone.yaml"))
    with pytest.raises(ConfigError, match="gone.yaml: config file not found"):
        load_config()


def test_default_location_is_read(tmp_path: Path) -> None:
    path = default_config_path()
    assert str(path).startswith(str(tmp_path))
    path.parent.mkdir(parents=True)
    write(path, "theme: user-default\n")
    assert load_config().theme == "user-default"


def test_cache_and_state_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cache_root(str(tmp_path / "c")) == tmp_path / "c"
    assert state_root(str(tmp_path / "c")) == tmp_path / "c"
    monkeypatch.setenv(ENV_CACHE, str(tmp_path / "env"))
    assert cache_root() == tmp_path / "env"
    assert state_root() == tmp_path / "env"
    assert cache_root(str(tmp_path / "c")) == tmp_path / "c"


def test_the_readme_example_config_loads(tmp_path: Path) -> None:
    """The example in the README is a valid config (keys and types checked)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml", 1)[1].split("```", 1)[0]
    path = tmp_path / "config.yaml"
    path.write_text(example, encoding="utf-8")
    config = load_config(path)
    assert config.clustering and config.export_dir and config.keymap
