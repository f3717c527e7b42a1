"""The recogniser plans each run of capitalised words once; context still decides the rest."""

from __future__ import annotations

from tui.core.entities import EntityRecogniser
from tui.core.spans import Span


def _names(spans: list[Span]) -> list[tuple[str, str]]:
    return [(s.text, s.kind) for s in spans]


def test_a_second_pass_over_a_text_gives_the_same_spans() -> None:
    rec = EntityRecogniser()
    text = ("Zainab Sharma of the World Bank said 12 people died in Sofia. Sharma said the "
            "Red Cross helped. Flooding in Ganja. Officials in Baku said so.")
    first = rec.recognise(text)
    assert rec.recognise(text) == first
    assert ("Zainab Sharma", "person") in _names(first)
    assert ("World Bank", "organization") in _names(first)


def test_the_same_run_is_typed_by_its_own_context() -> None:
    rec = EntityRecogniser()
    said = _names(rec.recognise("Yesterday Tomas Velkar said the talks failed."))
    placed = _names(rec.recognise("Fighting went on in Velkar for days."))
    assert ("Tomas Velkar", "person") in said
    assert ("Velkar", "place") in placed


def test_a_glued_prefix_belongs_to_the_name() -> None:
    rec = EntityRecogniser()
    glued = rec.recognise("Forces loyal to Bashar al-Assad advanced.")
    assert any(s.text.endswith("al-Assad") for s in glued)
    bare = rec.recognise("Assad advanced, Assad said.")
    assert all(s.text == "Assad" for s in bare)


def test_sentence_start_and_mid_sentence_plans_differ() -> None:
    rec = EntityRecogniser()
    assert rec.recognise("However, the talks went on.") == []
    mid = _names(rec.recognise("The talks went on, said Omar However."))
    assert ("Omar However", "person") in mid
