"""Canonical entity names across the library, kept up to date in the index incrementally.

Regrouping names used to read every mention of the library (a ``GROUP BY`` over millions
of rows, and one row per person and story). Now the index keeps what the grouping needs:

* ``name_counts``: one row per distinct (name, kind) with its number of mentions and its
  spelling key, changed by :func:`count_mentions` whenever an article's mentions change;
* ``surname_links``: for each story (or report in no story) that uses a person's surname
  alone, how often, and which full names of that story end with it;
* ``entity_dirty``: the stories whose surnames must be looked at again (their members or
  their members' mentions changed), marked by :func:`mark_contexts`.

:func:`regroup_entities` then reads one row per name and one per story-surname, not one per
mention, and writes only the groups that changed. It gives the groups
:func:`tui.core.entities_group.group_mentions` gives over every mention.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tui.core.entities_group import (
    EntityGroup,
    SurnameUse,
    canonical_key,
    group_names,
    is_surname,
    surname_uses,
)
from tui.core.gazetteer import Gazetteer, load_gazetteer
from tui.core.store import Index

ALL = "all"
"""``meta.entity_contexts`` when every story's surnames must be looked at again."""
_CHUNK = 500
_SEP = "\x1f"
"""Between the candidate full names of a surname link (a name never holds a control
character: the loader's clean_text drops them), cheaper to read back than JSON for 40k links."""


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def count_mentions(db: sqlite3.Connection, article_ids: Sequence[str],
                   new: Iterable[tuple[str, str, int]] = ()) -> None:
    """Before the mentions of ``article_ids`` are deleted (and ``new`` ones, as (text, kind,
    count), inserted): move the name counts by the difference, and mark the articles'
    stories for a new look at their surnames. Call it inside the write transaction."""
    delta: Counter[tuple[str, str]] = Counter()
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        for text, kind, n in db.execute(
                f"SELECT text, kind, count FROM mentions WHERE article_id IN ({marks})", chunk):
            delta[(text, kind)] -= n
    for text, kind, n in new:
        delta[(text, kind)] += n
    changed = [(t, k, n) for (t, k), n in delta.items() if n]
    db.executemany("INSERT INTO name_counts (text, kind, count) VALUES (?,?,?) ON CONFLICT"
                   " (text, kind) DO UPDATE SET count = count + excluded.count", changed)
    db.executemany("DELETE FROM name_counts WHERE text=? AND kind=? AND count <= 0",
                   [(t, k) for t, k, n in changed if n < 0])
    mark_contexts(db, article_ids, articles=True)


def mark_contexts(db: sqlite3.Connection, ids: Sequence[str], articles: bool = False) -> None:
    """Mark stories (or, with ``articles``, the given articles and their stories) whose
    surnames must be looked at again by the next :func:`regroup_entities`."""
    db.executemany("INSERT OR IGNORE INTO entity_dirty VALUES (?)", [(i,) for i in ids])
    if articles:
        for chunk in _chunks(ids):
            db.execute("INSERT OR IGNORE INTO entity_dirty SELECT DISTINCT story_id FROM"
                       f" story_members WHERE article_id IN ({','.join('?' * len(chunk))})",
                       chunk)


def mark_all_contexts(db: sqlite3.Connection) -> None:
    """Every story changed (a full clustering): look at all surnames again."""
    db.execute("INSERT OR REPLACE INTO meta VALUES ('entity_contexts', ?)", (ALL,))


def regroup_pending(index: Index) -> bool:
    """True when names must be regrouped (mentions or stories changed since the last time)."""
    db = index.db
    return (db.execute("SELECT 1 FROM entity_dirty LIMIT 1").fetchone() is not None
            or _meta(db, "entity_contexts") == ALL or _meta(db, "names_counted") is None)


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return None if row is None else str(row[0])


def regroup_entities(index: Index, gazetteer: Mapping[str, Any], full: bool = False) -> None:
    """Group every entity mention under canonical names (story-aware for surnames).

    Incremental: only new names get a key and only marked stories are looked at again;
    ``full`` (the gazetteer changed: every key may change) recounts and rekeys everything.
    """
    gaz = load_gazetteer(dict(gazetteer) or None)
    with index.transaction() as db:
        recount = full or _meta(db, "names_counted") is None
        if recount:
            db.execute("DELETE FROM name_counts")
            db.execute("INSERT INTO name_counts (text, kind, count) SELECT text, kind,"
                       " sum(count) FROM mentions GROUP BY text, kind")
        _fill_keys(db, gaz, everything=full)
        _update_surnames(db, everything=recount or _meta(db, "entity_contexts") == ALL)
        keys = {t: (k, bool(known)) for t, k, known in
                db.execute("SELECT text, key, known FROM name_counts")}
        names = db.execute("SELECT text, kind, count FROM name_counts").fetchall()
        # Stories where one surname has the same candidates attach it alike: one row each.
        uses = [SurnameUse("", t, n, tuple(cands.split(_SEP)) if cands else ())
                for t, cands, n in db.execute("SELECT text, candidates, sum(count)"
                                              " FROM surname_links GROUP BY text, candidates")]
        _write_groups(db, group_names(names, uses, keys, gaz))
        db.execute("DELETE FROM entity_dirty")
        db.execute("DELETE FROM meta WHERE key='entity_contexts'")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('names_counted', '1')")


def _fill_keys(db: sqlite3.Connection, gaz: Gazetteer, everything: bool) -> None:
    """Give new names (or, with ``everything``, all names) their spelling key."""
    where = "" if everything else " WHERE key IS NULL"
    texts = {r[0] for r in db.execute(f"SELECT DISTINCT text FROM name_counts{where}")}
    db.executemany("UPDATE name_counts SET key=?, known=? WHERE text=?", [
        (canonical_key(t, gaz), int(gaz.canonical_name(t) is not None), t) for t in texts])


def _update_surnames(db: sqlite3.Connection, everything: bool) -> None:
    """Recompute the surname links of the marked stories (or of all stories)."""
    person: dict[str, str] = dict(db.execute(
        "SELECT text, key FROM name_counts WHERE kind='person' AND key != ''"))
    if everything:
        db.execute("DELETE FROM surname_links")
        contexts = _contexts_using(db, [t for t, k in person.items() if is_surname(k)])
    else:
        contexts = [r[0] for r in db.execute("SELECT context FROM entity_dirty")]
        for chunk in _chunks(contexts):
            db.execute(f"DELETE FROM surname_links WHERE context IN ({','.join('?' * len(chunk))})",
                       chunk)
    rows: list[tuple[str, str, int, str]] = []
    for chunk in _chunks(contexts):
        for context, counts in _person_counts(db, chunk).items():
            rows += [(u.context, u.text, u.count, _SEP.join(u.candidates))
                     for u in surname_uses(context, counts, person)]
    db.executemany("INSERT OR REPLACE INTO surname_links VALUES (?,?,?,?)", rows)


def _contexts_using(db: sqlite3.Connection, texts: Sequence[str]) -> list[str]:
    """The stories (or lone reports) in which any of ``texts`` names a person."""
    found: set[str] = set()
    for chunk in _chunks(texts):
        found.update(r[0] for r in db.execute(
            "SELECT DISTINCT coalesce(s.story_id, m.article_id) FROM mentions m"
            " LEFT JOIN story_members s ON s.article_id = m.article_id"
            f" WHERE m.kind = 'person' AND m.text IN ({','.join('?' * len(chunk))})", chunk))
    return sorted(found)


def _person_counts(db: sqlite3.Connection, contexts: Sequence[str]
                   ) -> dict[str, Counter[str]]:
    """Person names and their mentions in each of ``contexts`` (story ids, or the ids of
    reports that are in no story)."""
    marks = ",".join("?" * len(contexts))
    members: dict[str, str] = {a: s for a, s in db.execute(
        f"SELECT article_id, story_id FROM story_members WHERE story_id IN ({marks})", contexts)}
    members.update((a, a) for (a,) in db.execute(
        f"SELECT id FROM articles WHERE id IN ({marks}) AND NOT EXISTS"
        " (SELECT 1 FROM story_members s WHERE s.article_id = articles.id)", contexts))
    out: dict[str, Counter[str]] = defaultdict(Counter)
    ids = sorted(members)
    for chunk in _chunks(ids):
        for article_id, text, n in db.execute(
                "SELECT article_id, text, count FROM mentions WHERE kind = 'person'"
                f" AND article_id IN ({','.join('?' * len(chunk))})", chunk):
            out[members[article_id]][text] += n
    return out


def _write_groups(db: sqlite3.Connection, groups: Sequence[EntityGroup]) -> None:
    """Store the groups, writing only the rows that differ from the stored ones."""
    entities: dict[tuple[str, str], str] = {}
    for g in groups:  # as INSERT OR REPLACE did: a later group wins an alias both use
        for alias, kind in g.forms:
            entities[(alias, kind)] = g.canonical
    stored = {(a, k): c for a, k, c in db.execute("SELECT alias, kind, canonical FROM entities")}
    db.executemany("DELETE FROM entities WHERE alias=? AND kind=?",
                   [key for key in stored if key not in entities])
    db.executemany("INSERT OR REPLACE INTO entities VALUES (?,?,?)",
                   [(a, k, c) for (a, k), c in entities.items() if stored.get((a, k)) != c])
    rows = {(g.canonical, g.kind): (json.dumps(g.aliases, ensure_ascii=False), g.mentions)
            for g in groups}
    known = {(c, k): (a, n) for c, k, a, n in
             db.execute("SELECT canonical, kind, aliases, mentions FROM entity_groups")}
    db.executemany("DELETE FROM entity_groups WHERE canonical=? AND kind=?",
                   [key for key in known if key not in rows])
    db.executemany("INSERT OR REPLACE INTO entity_groups VALUES (?,?,?,?)",
                   [(c, k, a, n) for (c, k), (a, n) in rows.items() if known.get((c, k)) != (a, n)])
