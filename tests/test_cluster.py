"""Story clustering on the labelled corpus in tests/corpus/, plus incremental updates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tui.core.cluster import cluster, update
from tui.core.cluster_eval import bcubed, bcubed_f1
from tui.core.dedup import DocFeatures, DocInput, features
from tui.core.dedup_score import score_pair

CORPUS = Path(__file__).parent / "corpus" / "events.yaml"


def _wire(title: str, body: str) -> tuple[str, str]:
    """A syndicated copy: dateline, byline and copyright footer around the same text."""
    return title.upper(), (
        "By Newsdesk Staff\nGENEVA (Global Wire Service) - " + body.strip()
        + "\nCopyright 2024 Global Wire Service. All rights reserved. Not for redistribution."
    )


def _mirror(title: str, body: str) -> tuple[str, str]:
    """A damaged scrape: a phrase dropped, every other sentence glued, some words merged."""
    words = body.split(" ")
    if len(words) > 30:
        del words[14:19]  # a link's anchor text lost
    text = " ".join(words)
    parts = re.split(r"(?<=\.)\s+", text)
    glued = "".join(p if i % 2 else p + " " for i, p in enumerate(parts)).replace("\n", "")
    merged = re.sub(r"(\w{4}) (the|and|of) ", r"\1\2 ", glued, count=3)
    return title, merged


def _trim(title: str, body: str) -> tuple[str, str]:
    """A lightly edited copy: new title, last sentence cut."""
    lines = [ln for ln in body.strip().splitlines() if ln]
    return "Update: " + title.lower(), "\n".join(lines[:-1] if len(lines) > 2 else lines)


TRANSFORMS = {"wire": _wire, "mirror": _mirror, "trim": _trim}


def load_corpus() -> tuple[list[DocInput], dict[str, str], list[tuple[str, str]]]:
    """The corpus as inputs, gold labels (id → event) and expected copy pairs."""
    data: dict[str, Any] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    docs: dict[str, DocInput] = {}
    gold: dict[str, str] = {}
    for event, articles in data["events"].items():
        for art in articles:
            docs[art["id"]] = DocInput(art["id"], art["title"], art["body"], art["date"])
            gold[art["id"]] = event
    copies = []
    for item in data["derived"]:
        src = docs[item["from"]]
        title, body = TRANSFORMS[item["transform"]](src.title, src.body)
        docs[item["id"]] = DocInput(item["id"], title, body, src.date)
        gold[item["id"]] = gold[src.id]
        copies.append((src.id, item["id"]))
    return list(docs.values()), gold, copies


@pytest.fixture(scope="module")
def corpus() -> tuple[list[DocFeatures], dict[str, str], list[tuple[str, str]]]:
    docs, gold, copies = load_corpus()
    return [features(d) for d in docs], gold, copies


def test_corpus_is_big_and_varied() -> None:
    docs, gold, copies = load_corpus()
    assert len(docs) >= 60
    assert len(set(gold.values())) >= 12
    assert len(copies) >= 20


def test_bcubed_on_corpus(corpus: Any) -> None:
    feats, gold, _ = corpus
    result = cluster(feats)
    pred = result.story_of()
    precision, recall, f1 = bcubed(pred, gold)
    print(f"B-cubed P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    assert f1 >= 0.9
    assert precision >= 0.9


def test_hard_negatives_are_split(corpus: Any) -> None:
    feats, _, _ = corpus
    story = cluster(feats).story_of()
    for a, b in [("qp-1", "qt-1"), ("sd-1", "sr-1"), ("mac-1", "mal-1"), ("ep-1", "es-1"),
                 ("fk-1", "fb-1")]:
        assert story[a] != story[b], (a, b)


def test_derived_copies_are_copies(corpus: Any) -> None:
    feats, _, copies = corpus
    by_id = {f.id: f for f in feats}
    result = cluster(feats)
    for a, b in copies:
        group = next(g for s in result.stories for g in s.copies if a in g)
        assert b in group, (a, b)
    # Independent rewrites of one event are never copies.
    for s in result.stories:
        for group in s.copies:
            roots = {g.split("-wire")[0].split("-mirror")[0].split("-trim")[0] for g in group}
            assert len(roots) == 1, group
    assert by_id


def test_every_article_in_one_story_ordered_by_latest(corpus: Any) -> None:
    feats, _, _ = corpus
    result = cluster(feats)
    seen = [a for s in result.stories for a in s.articles]
    assert sorted(seen) == sorted(f.id for f in feats)
    lasts = [s.last_date for s in result.stories if s.last_date]
    assert lasts == sorted(lasts, reverse=True)
    for s in result.stories:
        assert s.id == "s:" + s.articles[0]
        assert s.first_date is not None and s.last_date is not None
        assert s.first_date <= s.last_date


def test_bcubed_f1_basics() -> None:
    gold = {"a": "1", "b": "1", "c": "2"}
    assert bcubed_f1(gold, gold) == 1.0
    p, r, _ = bcubed({"a": "x", "b": "y", "c": "z"}, gold)
    assert p == 1.0 and r == pytest.approx(2 / 3)
    p, r, _ = bcubed({"a": "x", "b": "x", "c": "x"}, gold)
    assert r == 1.0 and p == pytest.approx(5 / 9)


def test_manual_merge_and_split_survive(corpus: Any) -> None:
    feats, _, _ = corpus
    result = cluster(feats, must_link=[("x-museum", "x-strike")],
                     cannot_link=[("qp-1", "qp-2")])
    story = result.story_of()
    assert story["x-museum"] == story["x-strike"]
    assert story["qp-1"] != story["qp-2"]


def test_incremental_update_matches_full(corpus: Any) -> None:
    feats, gold, _ = corpus
    held = {"qp-3", "sd-3", "mal-2", "fk-1-wire", "x-space"}
    first = cluster([f for f in feats if f.id not in held])
    by_id = {f.id: f for f in feats}
    updated = update(first, by_id, added=sorted(held))
    full = cluster(feats)
    assert bcubed_f1(updated.story_of(), gold) >= bcubed_f1(full.story_of(), gold) - 0.02
    removed = update(updated, {k: v for k, v in by_id.items() if k != "sd-1"}, removed=["sd-1"])
    assert "sd-1" not in removed.story_of()
    assert sorted(removed.story_of()) == sorted(i for i in by_id if i != "sd-1")


def test_reindexing_unchanged_reports_changes_nothing(corpus: Any) -> None:
    """Updating with every report "changed" (same text) reproduces the full clustering:
    replaced reports must not be counted twice in the document frequencies."""
    feats, _, _ = corpus
    full = cluster(feats)
    by_id = {f.id: f for f in feats}
    again = update(full, by_id, added=sorted(by_id))
    assert sorted(map(sorted, (s.articles for s in again.stories))) == \
        sorted(map(sorted, (s.articles for s in full.stories)))


def test_pairs_inside_stories_have_reasons(corpus: Any) -> None:
    feats, _, _ = corpus
    result = cluster(feats)
    story = result.story_of()
    assert result.pairs
    for p in result.pairs:
        assert story[p.a] == story[p.b]
        assert p.relation in ("copy", "same-story")
        assert 0.0 <= p.score <= 1.0
    data = result.to_json()
    assert set(data) == {"stories", "pairs"}


def test_translation_in_spirit_is_same_story_not_copy(corpus: Any) -> None:
    feats, _, _ = corpus
    by_id = {f.id: f for f in feats}
    from tui.core.dedup_score import CorpusStats

    stats = CorpusStats.from_docs(feats)
    pair = score_pair(by_id["qp-1"], by_id["qp-4"], stats)
    assert pair.relation == "same-story"
