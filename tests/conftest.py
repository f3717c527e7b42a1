"""Shared fixtures: a private copy of the demo library and a private cache folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ARTICLES = Path(__file__).resolve().parent.parent / "articles"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A writable copy of the bundled ``articles/`` folder (files only, not their modes)."""
    root = tmp_path / "library"
    root.mkdir()
    for src in sorted(ARTICLES.iterdir()):
        if src.is_file():
            shutil.copyfile(src, root / src.name)
    return root


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    """An empty cache folder for indexes and state."""
    folder = tmp_path / "cache"
    folder.mkdir()
    return folder
