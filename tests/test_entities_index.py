"""Canonical names kept up to date incrementally give the groups a full regrouping gives.

The reference is the former regrouping: every mention read back, persons per story, and
:func:`group_mentions` over all of them. Libraries are edited at random (reports added,
rewritten, removed; stories merged by hand) and after every update the stored names must
equal the reference, and an index built afresh from the same files.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from tui.core.config import Config
from tui.core.entities_group import (
    Mention,
    SurnameUse,
    canonical_key,
    group_mentions,
    group_names,
)
from tui.core.entities_index import regroup_entities, regroup_pending
from tui.core.gazetteer import load_gazetteer
from tui.core.pipeline import update
from tui.core.store import Index
from tui.core.stories import add_override

PEOPLE = ["Ilham Aliyev", "Mehriban Aliyeva", "Nikol Pashinyan", "Nikol Pachinian",
          "Sergei Lavrov", "Sergey Lavrov", "Jean-Yves Le Drian", "Anna Petrova",
          "Olga Petrova", "Hikmet Hajiyev", "Hikmat Hajiyev", "Elnur Guliyev"]
PLACES = ["Ganja", "Gandja", "Ganca", "Stepanakert", "Baku", "Tartar", "Terter", "Moscow",
          "Yerevan", "Paris"]
ORGS = ["the Red Cross", "the United Nations", "the Defence Ministry", "Reuters"]
EVENTS = ["shelling", "talks", "ceasefire", "floods", "election", "strike"]


def _surname(name: str) -> str:
    return "Le Drian" if name.endswith("Le Drian") else name.split()[-1]


def _report(rng: random.Random) -> str:
    event = rng.choice(EVENTS)
    place = rng.choice(PLACES)
    lines = [f"{event.title()} in {place}", "", f"The {event} near {place} went on."]
    for _ in range(rng.randint(2, 6)):
        person = rng.choice(PEOPLE)
        lines.append(rng.choice([
            f"{person} said {rng.choice(ORGS)} would help people in {rng.choice(PLACES)}.",
            f"{_surname(person)} told reporters in {rng.choice(PLACES)} that {event} continued.",
            f"President {person} met {rng.choice(PEOPLE)} in {place} on Monday.",
            f"According to {_surname(person)}, {rng.randint(2, 90)} people were hurt in {place}.",
        ]))
    return " ".join(lines[2:]).join([lines[0] + "\n\n", "\n"])


def _reference(index: Index) -> tuple[dict[tuple[str, str], str],
                                      dict[tuple[str, str], tuple[list[str], int]]]:
    """What regrouping every mention from scratch stores."""
    rows = index.db.execute(
        "SELECT m.text, m.kind, CASE WHEN m.kind = 'person'"
        " THEN coalesce(s.story_id, m.article_id) ELSE '' END AS context, sum(m.count)"
        " FROM mentions m LEFT JOIN story_members s ON s.article_id = m.article_id"
        " GROUP BY m.text, m.kind, context").fetchall()
    groups = group_mentions([Mention(c, c or None, t, k, n) for t, k, c, n in rows],
                            load_gazetteer())
    entities = {(a, k): g.canonical for g in groups for a, k in g.forms}
    return entities, {(g.canonical, g.kind): (g.aliases, g.mentions) for g in groups}


def _stored(index: Index) -> tuple[dict[tuple[str, str], str],
                                   dict[tuple[str, str], tuple[list[str], int]]]:
    entities = {(a, k): c for a, k, c in index.db.execute("SELECT * FROM entities")}
    groups = {(c, k): (json.loads(a), n) for c, k, a, n in
              index.db.execute("SELECT * FROM entity_groups")}
    return entities, groups


def _write(root: Path, name: str, rng: random.Random) -> None:
    (root / f"{name}.txt").write_text(_report(rng), encoding="utf-8")


def test_incremental_names_equal_a_full_regrouping(tmp_path: Path) -> None:
    rng = random.Random(5)
    root = tmp_path / "lib"
    root.mkdir()
    for n in range(30):
        _write(root, f"r{n:02d}", rng)
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        assert _stored(index) == _reference(index)
        assert index.db.execute("SELECT count(*) FROM surname_links").fetchone()[0] > 0
        for step in range(6):
            files = sorted(root.glob("*.txt"))
            for path in rng.sample(files, 3):
                path.unlink()
            for path in rng.sample(sorted(root.glob("*.txt")), 3):
                _write(root, path.stem, rng)
            for n in range(4):
                _write(root, f"new{step}-{n}", rng)
            update(index, Config())
            assert not regroup_pending(index)
            assert _stored(index) == _reference(index), f"after edit {step}"
        # A hand-made merge changes who shares a story (surnames follow the story).
        ids = [r[0] for r in index.db.execute("SELECT id FROM articles ORDER BY id LIMIT 2")]
        add_override(index, ids[0], ids[1], "merge")
        update(index, Config(), force_cluster=True)
        assert _stored(index) == _reference(index)
        fresh = Index(root, tmp_path / "fresh", tmp_path / "fresh")
        try:
            update(fresh, Config())
            assert _stored(fresh) == _reference(fresh)
        finally:
            fresh.close()
    finally:
        index.close()


def test_an_older_index_counts_its_names_once(tmp_path: Path) -> None:
    """An index from before name counts (no ``names_counted``) is recounted from its
    mentions at the next regrouping, without a rebuild."""
    rng = random.Random(9)
    root = tmp_path / "lib"
    root.mkdir()
    for n in range(8):
        _write(root, f"r{n}", rng)
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        update(index, Config())
        expected = _stored(index)
        with index.transaction() as db:
            for table in ("name_counts", "surname_links", "entities", "entity_groups"):
                db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM meta WHERE key='names_counted'")
        assert regroup_pending(index)
        regroup_entities(index, {})
        assert _stored(index) == expected
    finally:
        index.close()


def test_a_surname_joins_the_one_full_name_of_its_story() -> None:
    """From counts: "Lavrov" alone joins "Sergei Lavrov" where the story names only him,
    and stays apart where two full names end that way."""
    names = [("Sergei Lavrov", "person", 3), ("Anna Lavrova", "person", 1),
             ("Ivan Lavrov", "person", 1), ("Lavrov", "person", 5)]
    keys = {t: (canonical_key(t), False) for t, _k, _n in names}
    uses = [SurnameUse("s:1", "Lavrov", 4, ("Sergei Lavrov",)),
            SurnameUse("s:2", "Lavrov", 1, ("Ivan Lavrov", "Sergei Lavrov"))]
    groups = {g.canonical: g for g in group_names(names, uses, keys, load_gazetteer())}
    assert groups["Sergei Lavrov"].mentions == 7
    assert groups["Sergei Lavrov"].aliases == ["Lavrov", "Sergei Lavrov"]
    assert groups["Lavrov"].mentions == 1
    assert groups["Anna Lavrova"].mentions == 1  # -a: another person
