"""Tests for the entity recogniser and the cross-report entity grouping."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from tui.core.entities import (
    EntityGroup,
    EntityRecogniser,
    Mention,
    canonical_key,
    canonicalise,
    group_mentions,
    recognise,
)
from tui.core.entities_group import CanonicalIndex, tokens_match
from tui.core.spans import Span

HERE = Path(__file__).parent
REC = EntityRecogniser()


def found(text: str) -> list[tuple[str, str]]:
    """(text, kind) of every span, checking offsets and order on the way."""
    spans = REC.recognise(text)
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    for s in spans:
        assert text[s.start : s.end] == s.text
    return [(s.text, s.kind) for s in spans]


# --- rules ------------------------------------------------------------------------------


def test_gazetteer_names_and_groups() -> None:
    text = "Turkey backs Azerbaijan, and the Turks say Armenians must leave Nagorno-Karabakh."
    assert found(text) == [
        ("Turkey", "place"),
        ("Azerbaijan", "place"),
        ("Turks", "group"),
        ("Armenians", "group"),
        ("Nagorno-Karabakh", "place"),
    ]


def test_titles_are_not_part_of_names() -> None:
    assert found("President Ilham Aliyev spoke on television.") == [("Ilham Aliyev", "person")]
    assert found("Talks with Foreign Minister Zbigniew Rau ended.") == [("Zbigniew Rau", "person")]
    assert found("U.S. Secretary of State Mike Pompeo left.") == [
        ("U.S.", "place"),
        ("Mike Pompeo", "person"),
    ]
    assert found("Earlier, Mr. Okonkwo declined.") == [("Okonkwo", "person")]
    assert found("Dr. Anneliese Brauer and Gen. Tomasz Wilk arrived.") == [
        ("Anneliese Brauer", "person"),
        ("Tomasz Wilk", "person"),
    ]


def test_demonym_before_title_is_a_group() -> None:
    assert found("Ghanaian President Nana Akufo-Addo flew home.") == [
        ("Ghanaian", "group"),
        ("Nana Akufo-Addo", "person"),
    ]


def test_lower_case_title_before_name() -> None:
    assert found("The ministry's spokeswoman Ivana Petrova said nothing.") == [
        ("Ivana Petrova", "person")
    ]


def test_sentence_start_common_words_are_not_names() -> None:
    assert found("However, nobody came.") == []
    assert found("Heavy rain fell. Officials said the dam held.") == []
    assert found("Meanwhile Lisbon celebrated.") == [("Lisbon", "place")]
    # A sentence-initial word whose lower-case form is used in the text is common.
    assert found("Skirmishes continued. Observers counted skirmishes daily.") == []


def test_headline_in_capitals_keeps_only_known_names() -> None:
    assert found("FIERCE CLASHES ERUPT NEAR KHARTOUM AS UN WARNS\nThe text.") == [
        ("KHARTOUM", "place"),
        ("UN", "organization"),
    ]


def test_dateline_in_capitals() -> None:
    assert found("NAIROBI/ADDIS ABABA -- Kenya and Ethiopia signed a deal.") == [
        ("NAIROBI", "place"),
        ("ADDIS ABABA", "place"),
        ("Kenya", "place"),
        ("Ethiopia", "place"),
    ]


def test_said_patterns_type_unknown_names_as_people() -> None:
    assert found("The fire is out, Okafor said.") == [("Okafor", "person")]
    assert found("Zelinski told reporters the plan had failed.") == [("Zelinski", "person")]
    assert found("Kowalczyk, an adviser to the mayor, resigned.") == [("Kowalczyk", "person")]


def test_ministry_of_and_head_words_make_organisations() -> None:
    assert found("The Ministry of Foreign Affairs summoned the envoy.") == [
        ("Ministry of Foreign Affairs", "organization")
    ]
    assert found("Analysts at the Brookfield Research Institute agreed.") == [
        ("Brookfield Research Institute", "organization")
    ]
    assert found("The Tanzanian Ports Authority and the Green Party objected.") == [
        ("Tanzanian Ports Authority", "organization"),
        ("Green Party", "organization"),
    ]
    assert found("A statement from the Armenian Defense Ministry followed.") == [
        ("Armenian Defense Ministry", "organization")
    ]


def test_place_hints() -> None:
    assert found("Shelling was reported in Tovuz overnight.") == [("Tovuz", "place")]
    assert found("Troops withdrew from the city of Lachin.") == [("Lachin", "place")]
    assert found("Fighting spread to the Fuzuli district.") == [("Fuzuli", "place")]
    assert found("Villages near Qubadli, Zangilan and Jabrayil were hit.") == [
        ("Qubadli", "place"),
        ("Zangilan", "place"),
        ("Jabrayil", "place"),
    ]


def test_place_words_make_places() -> None:
    assert found("Rain hit Lake Titicaca and Buskerud County.") == [
        ("Lake Titicaca", "place"),
        ("Buskerud County", "place"),
    ]


def test_initials_and_dotted_abbreviations() -> None:
    assert found("The author J. K. Rowling lives in the U.K. now.") == [
        ("J. K. Rowling", "person"),
        ("U.K.", "place"),
    ]


def test_hyphenated_names_and_particles() -> None:
    assert found("Jean-Yves Le Drian met Ursula von der Leyen in Brussels.") == [
        ("Jean-Yves Le Drian", "person"),
        ("Ursula von der Leyen", "person"),
        ("Brussels", "place"),
    ]
    assert found("Later Bashar al-Assad spoke.") == [("Bashar al-Assad", "person")]


def test_possessives_are_not_part_of_names() -> None:
    assert found("Azerbaijan's army and Reuters’ reporters moved.") == [
        ("Azerbaijan", "place"),
        ("Reuters", "organization"),
    ]


def test_hyphenated_adjectives_keep_the_name() -> None:
    assert found("A Russian-brokered truce and an Armenian-populated town.") == [
        ("Russian", "group"),
        ("Armenian", "group"),
    ]


def test_first_names_make_people() -> None:
    assert found("Yesterday Olga Brzezinska won.") == [("Olga Brzezinska", "person")]
    # A country that is also a given name, followed by a surname, is a person.
    assert found("Winger Jordan Henderson scored.") == [("Jordan Henderson", "person")]


def test_surname_alone_follows_full_name_in_text() -> None:
    text = "Nikolai Vardanyan arrived on Monday. Late on Tuesday Vardanyan left Yerevan."
    assert ("Vardanyan", "person") in found(text)


def test_events_and_other_names() -> None:
    assert found("Before Hurricane Ida, the World Cup drew crowds.") == [
        ("Hurricane Ida", "other"),
        ("World Cup", "other"),
    ]


def test_months_and_days_are_not_entities() -> None:
    assert found("On Sunday, October 4, little happened.") == []


def test_scraper_markers_never_inside_spans() -> None:
    text = "[ad_1]\nNATO met. Read more: pic.twitter.com/AbC @HikmetHajiyev http://Cnn.com/X"
    spans = REC.recognise(text)
    assert [s.text for s in spans] == ["NATO"]


def test_no_overlaps_and_offsets_on_unicode() -> None:
    text = "In Gəncə and Şəki, Türkiye’s envoy met İlham Əliyev."
    got = found(text)
    assert ("Türkiye", "place") in got
    assert any(kind == "person" and "Əliyev" in t for t, kind in got)


def test_module_level_recognise_matches_class() -> None:
    text = "Reuters reported from Cairo."
    assert recognise(text) == REC.recognise(text)


# --- evaluation -------------------------------------------------------------------------


def _f1(path: Path) -> tuple[float, float]:
    """Span F1 (untyped, typed) of the recogniser on a labelled YAML file."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    tp_span = tp_typed = predicted = gold_total = 0
    for item in items:
        text, gold, pos = item["text"], set(), 0
        for surface, kind in item["entities"]:
            start = text.index(surface, pos)
            gold.add((start, start + len(surface), kind))
            pos = start + len(surface)
        pred = {(s.start, s.end, s.kind) for s in REC.recognise(text)}
        tp_span += len({g[:2] for g in gold} & {p[:2] for p in pred})
        tp_typed += len(gold & pred)
        predicted += len(pred)
        gold_total += len(gold)

    def f1(tp: int) -> float:
        precision, recall = tp / predicted, tp / gold_total
        return 2 * precision * recall / (precision + recall)

    return f1(tp_span), f1(tp_typed)


def test_eval_set_is_large_and_varied() -> None:
    items = yaml.safe_load((HERE / "entities_eval.yaml").read_text(encoding="utf-8"))
    assert len(items) >= 40
    kinds = {kind for item in items for _, kind in item["entities"]}
    assert kinds == {"person", "place", "organization", "group", "other"}


def test_span_f1_on_development_set() -> None:
    untyped, typed = _f1(HERE / "entities_eval.yaml")
    assert untyped >= 0.92
    assert typed >= 0.85


def test_span_f1_on_fresh_set() -> None:
    """Fifteen sentences from other beats (sports, markets, courts, science), written after
    the recogniser: 0.94 / 0.84 when first measured, 0.94 / 0.89 after two general fixes."""
    untyped, typed = _f1(HERE / "entities_eval_fresh.yaml")
    assert untyped >= 0.85
    assert typed >= 0.75


def test_span_f1_on_held_out_set() -> None:
    untyped, typed = _f1(HERE / "entities_eval_holdout.yaml")
    assert untyped >= 0.85
    assert typed >= 0.75


# --- canonical keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ganja", "Gandja"),
        ("Ganja", "Ganca"),
        ("Gəncə", "Ganja"),
        ("Mingachevir", "Mingəçevir"),
        ("Hajiyev", "Haciyev"),
        ("Aliyev", "Aliev"),
        ("Pashinyan", "Pasjinjan"),
        ("Harutyunyan", "Harutiunian"),
        ("Çavuşoğlu", "Chavushoglu"),
        ("Kiev", "Kyiv"),
        ("Khodorkovsky", "Hodorkovsky"),
    ],
)
def test_canonical_key_folds_transliterations(a: str, b: str) -> None:
    assert canonical_key(a) == canonical_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Aliyev", "Guliyev"), ("Hajiyev", "Hasanov"), ("Aliyev", "Aliyeva"), ("Karen", "Koran"),
     ("Lena", "Lina"), ("Dana", "Dina"), ("Miller", "Müller"), ("Mira", "Mara")],
)
def test_look_alike_surnames_do_not_match(a: str, b: str) -> None:
    assert not tokens_match(canonical_key(a), canonical_key(b))


def test_vowel_variants_match() -> None:
    assert tokens_match(canonical_key("Hikmet"), canonical_key("Hikmat"))


# --- grouping ---------------------------------------------------------------------------


def _groups(rows: list[tuple[str, str | None, str, str]]) -> list[EntityGroup]:
    return group_mentions(Mention(a, s, t, k) for a, s, t, k in rows)


def _find(groups: list[EntityGroup], alias: str) -> list[EntityGroup]:
    return [g for g in groups if alias in g.aliases]


def test_place_spellings_group_with_most_frequent_canonical() -> None:
    groups = _groups(
        [
            ("a1", "s", "Ganja", "place"),
            ("a2", "s", "Ganja", "place"),
            ("a3", "t", "Gandja", "place"),
            ("a4", "t", "Ganca", "place"),
        ]
    )
    assert len(groups) == 1
    g = groups[0]
    assert (g.canonical, g.kind, g.mentions) == ("Ganja", "place", 4)
    assert g.aliases == ["Ganja", "Ganca", "Gandja"]
    assert g.articles == ["a1", "a2", "a3", "a4"]


def test_person_spellings_group() -> None:
    groups = _groups(
        [
            ("a1", "s", "Hikmet Hajiyev", "person"),
            ("a2", "s", "Hikmat Haciyev", "person"),
            ("a3", "s", "Nikol Pashinyan", "person"),
            ("a4", "s", "Nikol Pasjinjan", "person"),
        ]
    )
    assert sorted(len(g.aliases) for g in groups) == [2, 2]


def test_surname_joins_the_single_full_name_in_its_story() -> None:
    groups = _groups(
        [
            ("a1", "s1", "Sergei Lavrov", "person"),
            ("a1", "s1", "Lavrov", "person"),
            ("a2", "s1", "Lavrov", "person"),
            ("a9", "s9", "Lavrov", "person"),  # another story: no full name there
        ]
    )
    full = _find(groups, "Sergei Lavrov")[0]
    assert full.canonical == "Sergei Lavrov"  # the full name, though "Lavrov" is commoner
    assert full.mentions == 3 and full.articles == ["a1", "a2"]
    alone = [g for g in groups if g is not full]
    assert len(alone) == 1 and alone[0].articles == ["a9"]


def test_surname_with_two_full_names_in_story_stays_apart() -> None:
    groups = _groups(
        [
            ("a1", "s1", "Ilham Aliyev", "person"),
            ("a1", "s1", "Heydar Aliyev", "person"),
            ("a1", "s1", "Aliyev", "person"),
        ]
    )
    assert len(groups) == 3


def test_distinct_gazetteer_names_never_merge() -> None:
    """Guinea and Guyana differ only in vowels, but the gazetteer lists both."""
    groups = _groups([("a1", "s1", "Guinea", "place"), ("a2", "s1", "Guyana", "place"),
                      ("a3", "s2", "Lena Khalil", "person"), ("a4", "s2", "Lina Khalil", "person"),
                      ("a5", "s3", "Gandja", "place"), ("a6", "s3", "Ganja", "place")])
    assert sorted(g.canonical for g in groups) == [
        "Ganja", "Guinea", "Guyana", "Lena Khalil", "Lina Khalil"]


def test_look_alike_people_never_merge() -> None:
    groups = _groups(
        [
            ("a1", "s1", "Ilham Aliyev", "person"),
            ("a1", "s1", "Mehriban Aliyeva", "person"),
            ("a2", "s1", "Elchin Guliyev", "person"),
            ("a3", "s1", "Hikmet Hajiyev", "person"),
            ("a3", "s1", "Zakir Hasanov", "person"),
            ("a4", "s1", "Aliyeva", "person"),
            ("a4", "s1", "Guliyev", "person"),
            ("a4", "s1", "Hasanov", "person"),
        ]
    )
    by_name = {g.canonical: g for g in groups}
    assert set(by_name) == {
        "Ilham Aliyev",
        "Mehriban Aliyeva",
        "Elchin Guliyev",
        "Hikmet Hajiyev",
        "Zakir Hasanov",
    }
    assert by_name["Mehriban Aliyeva"].aliases == ["Aliyeva", "Mehriban Aliyeva"]
    assert by_name["Ilham Aliyev"].aliases == ["Ilham Aliyev"]
    assert by_name["Hikmet Hajiyev"].mentions == 1


def test_kinds_stay_apart_except_place_and_organisation() -> None:
    groups = _groups(
        [
            ("a1", "s", "Jordan", "place"),
            ("a2", "s", "Jordan", "person"),
            ("a3", "s", "Mingacevir", "place"),
            ("a4", "s", "Mingachevir", "organization"),
        ]
    )
    assert len(_find(groups, "Jordan")) == 2
    ming = _find(groups, "Mingacevir")
    assert len(ming) == 1 and ming[0].kind == "place" and ming[0].mentions == 2


def test_gazetteer_aliases_group_and_tie_prefers_gazetteer_name() -> None:
    groups = _groups([("a1", None, "Kiev", "place"), ("a2", None, "Kyiv", "place")])
    assert len(groups) == 1 and groups[0].canonical == "Kyiv"


def test_canonicalise_sets_canonical_per_article() -> None:
    groups = _groups(
        [
            ("a1", "s1", "Ilham Aliyev", "person"),
            ("a1", "s1", "Aliyev", "person"),
            ("a2", "s2", "Mehriban Aliyeva", "person"),
            ("a3", "s3", "Gandja", "place"),
            ("a4", "s3", "Ganja", "place"),
        ]
    )
    spans = [Span(0, 6, "Aliyev", "person"), Span(10, 16, "Gandja", "place")]
    out = canonicalise(spans, groups, article_id="a1")
    assert [s.canonical for s in out] == ["Ilham Aliyev", "Ganja"]
    index = CanonicalIndex(groups)
    assert index.canonical("Nobody") is None
    assert index.apply([Span(0, 5, "Ganja", "place")])[0].canonical == "Ganja"


def test_grouping_many_names() -> None:
    """A library-sized mix of names: every mention lands in a group, spellings still merge."""
    rng = random.Random(7)
    syllables = "ka ri mo sa le tu na vo gi de pa lo mi zu be ha".split()

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()

    people = [f"{word()} {word()}" for _ in range(3000)]
    rows = [(f"a{i}", f"s{i % 300}", people[i % 3000], "person") for i in range(20000)]
    rows.append(("b1", "t1", "Djamila Kovacs", "person"))
    rows.append(("b2", "t2", "Jamila Kovacs", "person"))
    groups = group_mentions(Mention(a, s, t, k) for a, s, t, k in rows)
    assert sum(g.mentions for g in groups) == len(rows)
    jamila = [g for g in groups if "Jamila Kovacs" in g.aliases]
    assert len(jamila) == 1 and "Djamila Kovacs" in jamila[0].aliases


def test_group_json_shape() -> None:
    g = _groups([("a1", None, "NATO", "organization")])[0]
    assert g.to_json() == {
        "canonical": "NATO",
        "kind": "organization",
        "aliases": ["NATO"],
        "articles": ["a1"],
        "mentions": 1,
    }


def test_a_name_typed_two_ways_is_found_under_either_kind(tmp_path: Path) -> None:
    """One report calls Mwanza an organisation, another a place: the group keeps both
    forms, so entity search and the per-name article lists find both reports."""
    from tui.core.entities_index import count_mentions, regroup_entities
    from tui.core.search import search
    from tui.core.store import Index

    root = tmp_path / "lib"
    root.mkdir()
    for name in ("a", "b"):
        (root / f"{name}.txt").write_text(f"Report {name} about the lake.\n", encoding="utf-8")
    index = Index(root, tmp_path / "cache", tmp_path / "cache")
    try:
        index.refresh()
        rows = [("a", "Mwanza", "place"), ("a", "Mwanza", "place"),
                ("b", "Mwanza", "organization")]
        with index.transaction() as db:
            count_mentions(db, ["a", "b"], [(t, k, 1) for _a, t, k in rows])
            db.executemany("INSERT INTO mentions VALUES (?,?,?,1)", rows)
        regroup_entities(index, {})
        kinds = {r[0] for r in index.db.execute(
            "SELECT kind FROM entities WHERE alias='Mwanza'")}
        assert kinds == {"place", "organization"}
        assert {h.row.id for h in search(index, "entity:Mwanza")} == {"a", "b"}
    finally:
        index.close()
