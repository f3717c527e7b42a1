"""Tests for the packaged gazetteer and the user's extensions to it."""

from __future__ import annotations

import pytest

from tui.core.entities import EntityRecogniser
from tui.core.gazetteer import load_gazetteer, name_pieces
from tui.core.text import fold


def _kind(name: str) -> str | None:
    gaz = load_gazetteer()
    bucket = gaz.entries.get(tuple(fold(p) for p in name_pieces(name)))
    return bucket[0].kind if bucket else None


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Azerbaijan", "place"),
        ("Côte d'Ivoire", "place"),
        ("Ivory Coast", "place"),
        ("Buenos Aires", "place"),
        ("Kyiv", "place"),
        ("Kiev", "place"),
        ("Nagorno-Karabakh", "place"),
        ("Catalonia", "place"),
        ("Azerbaijani", "group"),
        ("Armenians", "group"),
        ("Muslim", "group"),
        ("Kurdish", "group"),
        ("Democrats", "group"),
        ("OSCE", "organization"),
        ("Organization for Security and Cooperation in Europe", "organization"),
        ("Red Cross", "organization"),
        ("RFE/RL", "organization"),
        ("Reuters", "organization"),
        ("AFP", "organization"),
        ("BBC", "organization"),
        ("World Cup", "other"),
    ],
)
def test_packaged_entries(name: str, kind: str) -> None:
    assert _kind(name) == kind


def test_size_of_packaged_lists() -> None:
    gaz = load_gazetteer()
    places = {e[0].name for e in gaz.entries.values() if e[0].kind == "place"}
    assert len(places) > 500  # countries, capitals, major cities, regions
    assert len(gaz.first_names) > 300
    assert {"president", "minister", "mr.", "spokesman"} <= gaz.word_list("title_core")
    assert "however" in gaz.word_list("common")
    assert "officials" in gaz.word_list("common")  # plural derived from "official"


def test_loading_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()
    extra = {"place": ["Foo Valley Town"]}
    assert load_gazetteer(extra) is load_gazetteer(dict(extra))


def test_acronyms_match_case_exactly() -> None:
    gaz = load_gazetteer()
    entry = gaz.entries[("who",)][0]
    assert entry.exact and entry.surface == ("WHO",)
    rec = EntityRecogniser(gaz)
    assert [s.text for s in rec.recognise("The WHO said so.")] == ["WHO"]
    assert rec.recognise("Who said so? Nobody.") == []


def test_canonical_name_for_aliases() -> None:
    gaz = load_gazetteer()
    assert gaz.canonical_name("Kiev") == "Kyiv"
    assert gaz.canonical_name("U.S.") == "United States"
    assert gaz.canonical_name("Azeris") == "Azerbaijani"
    assert gaz.canonical_name("Zorblax") is None


def test_user_extension_adds_names_kinds_and_aliases() -> None:
    extra = {
        "place": ["Zorblax"],
        "person": ["Quintus Varro"],
        "organization": ["Blue Heron Collective"],
        "aliases": {"Zorblax": ["Zorblaks"]},
    }
    gaz = load_gazetteer(extra)
    rec = EntityRecogniser(gaz)
    text = "Quintus Varro met the Blue Heron Collective near Zorblaks."
    got = [(s.text, s.kind) for s in rec.recognise(text)]
    assert got == [
        ("Quintus Varro", "person"),
        ("Blue Heron Collective", "organization"),
        ("Zorblaks", "place"),
    ]
    assert gaz.canonical_name("Zorblaks") == "Zorblax"
    # The packaged gazetteer is untouched.
    assert load_gazetteer().canonical_name("Zorblaks") is None


@pytest.mark.parametrize(
    ("extra", "bad"),
    [
        ({"placse": ["Foo"]}, "placse"),
        ({"place": "Foo", "persons": [1, 2]}, "persons"),
        ({"aliases": ["Kyiv", "Kiev"]}, "aliases"),
        ({"aliases": {"Kyiv": [3]}}, "aliases.Kyiv"),
    ],
)
def test_bad_config_names_the_key(extra: dict[str, object], bad: str) -> None:
    with pytest.raises(ValueError, match=bad.replace(".", r"\.")):
        load_gazetteer(extra)
