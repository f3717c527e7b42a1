"""A story of three reports (a lead, a copy of it and an independent report that disagrees
on a figure) plus one unrelated report, for the overview, export and story screen tests.

The independent report is joined to the story by a reader's merge (the method alone keeps
it apart), which is also what the tests of splitting and forgetting need.
"""

from __future__ import annotations

from pathlib import Path

from tui.app.app import CrosscheckApp, build_app
from tui.core.config import Config
from tui.core.pipeline import update
from tui.core.store import Index
from tui.core.story_edit import merge_stories
from tui.core.storyview import story_of

LEAD = """---
title: Shelling hits Lyon before dawn
source: Wire One
date: 2021-03-02
---
Shelling hit the regional capital Lyon early on Tuesday morning, officials said.
Lyon has a population of about 50,000 inhabitants, according to the last census.
Rescue teams searched the rubble of three apartment blocks near the central market.
Mayor Jean Dupont asked residents to stay in basements until further notice was given.
Schools across the whole region will remain closed for the rest of the week.
"""

INDEPENDENT = """---
title: Lyon shelled at dawn, mayor urges shelter
source: Daily Two
date: 2021-03-03
---
Artillery struck Lyon in the early hours of Tuesday, according to the city council.
The city, home to roughly 55,000 inhabitants, woke to sirens and burning cars.
The Red Cross sent two convoys of blankets and water on Wednesday.
Jean Dupont, the mayor, told people to shelter underground and wait for instructions.
Classes in the region are cancelled until next Monday.
"""

# A mirror: the lead's body word for word under its own front matter.
MIRROR = ("---\ntitle: Shelling hits Lyon before dawn (mirror)\ndate: 2021-03-04\n---\n"
          + LEAD.split("---\n", 2)[2])

UNRELATED = """---
title: Harvest festival opens in Tarnow
source: Local Paper
date: 2021-09-01
---
The harvest festival opened in Tarnow on Saturday with a parade through the old town.
Organisers expected 12,000 visitors over the weekend.
"""

FILES = {"a-wire.md": LEAD, "b-daily.md": INDEPENDENT, "c-mirror.md": MIRROR,
         "d-harvest.md": UNRELATED}


def make_story_library(root: Path) -> Path:
    """Write the four reports under ``root`` (created); return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def indexed_story(root: Path, cache: Path, config: Config | None = None) -> str:
    """Index ``root`` and merge the independent report into the lead's story; its id."""
    config = config or Config()
    index = Index(root, cache, cache, config.max_bytes)
    try:
        update(index, config)
        lead, other = story_of(index, "a-wire"), story_of(index, "b-daily")
        assert lead is not None and other is not None
        return lead if lead == other else merge_stories(index, config, lead, other)
    finally:
        index.close()


def story_app(root: Path, cache: Path, config: Config | None = None) -> CrosscheckApp:
    """An app on the story library, indexed and merged before it starts."""
    make_story_library(root)
    indexed_story(root, cache, config)
    return build_app(root, config or Config(), cache, cache, refresh=False)
