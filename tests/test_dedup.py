"""Features, pair scoring and explanations; the bundled seed reports as one case among many."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from tui.core.cluster import cluster
from tui.core.cluster_config import ClusterConfig
from tui.core.cluster_index import CandidateIndex
from tui.core.dedup import DocFeatures, DocInput, features
from tui.core.dedup_score import CorpusStats, explain, score_pair

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
TEXT = (
    "Heavy fighting continued on Sunday in Ganja, Azerbaijan's second city. "
    "Officials said 55,000 people live near the front line since October 4. "
    "The Defense Ministry said 32 people were wounded and one was killed."
)


def _seed(path: Path) -> DocInput:
    """A bundled report read raw, with a light clean-up of scraper artefacts."""
    raw = path.read_text(encoding="utf-8")
    date = None
    match = re.match(r"\s*date (\d{4}-\d{2}-\d{2})\s*", raw)
    if match:
        date, raw = match.group(1), raw[match.end() :]
    lines = [ln for ln in raw.splitlines()
             if not re.fullmatch(r"\s*\[ad_\d+\]\s*", ln)
             and not re.match(r"\s*(Read more|Also read):", ln)]
    return DocInput(path.name[:3], "", "\n".join(lines).strip(), date)


def test_features_extract_names_figures_dates() -> None:
    f = features(DocInput("a", "Fighting in Ganja", TEXT, "2020-10-04", entities=["Gəncə"]))
    keys = set(f.key_list())
    assert {"n:ganja", "n:azerbaijan", "#:55000", "#:32", "d:10-04", "e:gence"} <= keys
    assert "n:officials" not in keys  # sentence-initial, not a name
    assert f.date == "2020-10-04"
    assert f.title_terms == ("fighting", "ganja")
    assert len(f.sent_starts) == 3 and len(f.minhash) == 64


def test_numbers_too_large_for_a_float_are_no_keys() -> None:
    """A 320-digit number (or "1e308 million") used to stop the fingerprinting stage."""
    huge = "9" * 320
    text = f"The debt was {huge} dollars, or 9{'9' * 307} million, and 55 banks lent it."
    keys = features(DocInput("x", "t", text)).key_list()
    assert "#:55" in keys and not any(len(k) > 300 for k in keys)


def test_features_round_trip_through_bytes() -> None:
    f = features(DocInput("a", "T", TEXT, None))
    g = DocFeatures.from_bytes(f.to_bytes())
    assert (g.id, g.title, g.day, g.keys, g.terms) == (f.id, f.title, 0, f.keys, f.terms)
    for name in ("term_hashes", "term_tf", "key_hashes", "shingles", "sent_starts", "minhash"):
        assert np.array_equal(getattr(f, name), getattr(g, name))


def test_damaged_copy_is_copy_and_rewrite_is_not() -> None:
    base = features(DocInput("a", "", TEXT, "2020-10-04"))
    damaged = TEXT.replace(". ", ".").replace("the front", "thefront").replace("32 people", "")
    mirror = features(DocInput("b", "", damaged, "2020-10-05"))
    rewrite = features(DocInput("c", "", (
        "In Ganja, Azerbaijan's second-largest city, one person died and 32 were hurt as "
        "shelling went on, the ministry of defence reported on October 4."), "2020-10-04"))
    stats = CorpusStats.from_docs([base, mirror, rewrite])
    copy = score_pair(base, mirror, stats)
    assert copy.relation == "copy"
    assert copy.reasons["sentences_matched"] >= 2
    other = score_pair(base, rewrite, stats)
    assert other.relation != "copy"
    assert "Ganja" in other.reasons["shared_names"]
    assert "Oct 4" in other.reasons["shared_dates"]
    assert explain(copy).startswith("copy")


def test_index_round_trip() -> None:
    docs = [features(_seed(p)) for p in sorted(ARTICLES.glob("*.txt"))]
    index = CandidateIndex.build(docs)
    again = CandidateIndex.from_bytes(index.to_bytes())
    assert again.ids == index.ids
    assert np.array_equal(again.all_pairs().a, index.all_pairs().a)


def test_config_from_dict() -> None:
    cfg = ClusterConfig.from_dict({"merge_threshold": 0.3, "time_window_days": 7})
    assert cfg.merge_threshold == 0.3 and cfg.time_window_days == 7
    for bad in ({"unknown": 1}, {"merge_threshold": "0.3"}, {"same_story": 1.5},
                {"lsh_bands": 0}, {"merge_threshold": True}):
        with pytest.raises(ValueError, match="clustering\\."):
            ClusterConfig.from_dict(bad)


def test_seed_reports() -> None:
    docs = [features(_seed(p)) for p in sorted(ARTICLES.glob("*.txt"))]
    by_id = {d.id: d for d in docs}
    stats = CorpusStats.from_docs(docs)
    pair = score_pair(by_id["001"], by_id["002"], stats)
    assert pair.relation == "copy", explain(pair)
    assert pair.reasons["sentences_matched"] >= 10
    for other in ("001", "002"):
        assert score_pair(by_id["000"], by_id[other], stats).relation != "copy"
    for other in ("000", "001", "002", "003"):
        assert score_pair(by_id["004"], by_id[other], stats).relation != "copy"
    story = cluster(docs).story_of()
    assert story["000"] == story["001"] == story["002"]
    for a in sorted(by_id):
        for b in sorted(by_id):
            if a < b:
                print(a, b, explain(score_pair(by_id[a], by_id[b], stats)))
    print(story)


def test_batch_scores_match_score_pair() -> None:
    from test_cluster import load_corpus

    from tui.core.dedup_batch import score_many
    from tui.core.dedup_score import Weights

    inputs, _gold, _copies = load_corpus()
    seeds = [_seed(p) for p in sorted(ARTICLES.glob("*.txt"))]
    docs = [features(d) for d in [*inputs, *seeds]]
    docs.append(features(DocInput("undated", "", docs[0].title + " " + "x" * 3, None)))
    stats = CorpusStats.from_docs(docs)
    cfg = ClusterConfig()
    ia, ib = np.triu_indices(len(docs), 1)
    batch = score_many(docs, ia.astype(np.int64), ib.astype(np.int64), Weights(stats), cfg)
    n_copies = 0
    for k, (i, j) in enumerate(zip(ia.tolist(), ib.tolist(), strict=True)):
        exact = score_pair(docs[i], docs[j], stats, cfg, detail=False)
        assert abs(exact.score - batch.score[k]) < 1e-5, (docs[i].id, docs[j].id)
        assert (exact.relation == "copy") == bool(batch.copy[k])
        n_copies += exact.relation == "copy"
    assert n_copies >= 5


def test_two_briefs_sharing_one_stock_sentence_are_no_copies() -> None:
    """Two-sentence briefs of two shootings share the boilerplate sentence only."""
    denver = features(DocInput("d", "Gunman kills four at Denver supermarket", (
        "A gunman opened fire at a supermarket in Denver on Monday, killing four people "
        "before being arrested, police chief Ron Thomas said. Police said the suspect had "
        "been arrested at the scene."), "2024-05-06"))
    tulsa = features(DocInput("t", "Gunman kills three at Tulsa hospital", (
        "Three people were killed at a hospital in Tulsa on Tuesday when a former patient "
        "returned with a rifle, chief Wendell Franklin told reporters. Police said the "
        "suspect had been arrested at the scene."), "2024-05-07"))
    stats = CorpusStats.from_docs([denver, tulsa])
    scored = score_pair(denver, tulsa, stats)
    assert scored.reasons["sentences_matched"] == 1
    assert scored.relation != "copy"


def test_candidates_summed_in_batches_are_the_same() -> None:
    """all_pairs sums raw pairs in batches to bound memory; the result must not change."""
    from test_cluster import load_corpus

    inputs, _gold, _copies = load_corpus()
    docs = [features(d) for d in inputs]
    index = CandidateIndex.build(docs)
    whole = index.all_pairs()
    index.flush_pairs = 7  # many small batches
    batched = index.all_pairs()
    assert len(whole.a) > 20
    assert np.array_equal(whole.a, batched.a) and np.array_equal(whole.b, batched.b)
    assert np.allclose(whole.weight, batched.weight, rtol=1e-6)
