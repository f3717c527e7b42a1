"""Sentence splitting and word tokens (tui.core.text)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.text import count_words, fold, sentence_spans, sentences, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Dr. Jones on Monday. They talked.",
         ["Mr. Smith met Dr. Jones on Monday.", "They talked."]),
        ("J. R. Tolkien wrote books. He died in 1973.",
         ["J. R. Tolkien wrote books.", "He died in 1973."]),
        ("The U.S. Army said so. Officials agreed.",
         ["The U.S. Army said so.", "Officials agreed."]),
        ("The U.N. and the U.K. met. Talks ended.",
         ["The U.N. and the U.K. met.", "Talks ended."]),
        ("Growth was 3.5 per cent. It was 2.1 before.",
         ["Growth was 3.5 per cent.", "It was 2.1 before."]),
        ("At 10 a.m. Monday the vote began. It ended.",
         ["At 10 a.m. Monday the vote began.", "It ended."]),
        ("Gen. Smith and Col. Brown arrived. Nobody spoke.",
         ["Gen. Smith and Col. Brown arrived.", "Nobody spoke."]),
        ("Fruit, e.g. apples, was sold. Prices fell.",
         ["Fruit, e.g. apples, was sold.", "Prices fell."]),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ('"We will win," he said. "No doubt."', ['"We will win," he said.', '"No doubt."']),
        ("“Never,” she said. “Not again.” He nodded.",
         ["“Never,” she said.", "“Not again.”", "He nodded."]),
        ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
        ("Wait... What happened?", ["Wait...", "What happened?"]),
        ("Costs rose 5%. 2021 was worse.", ["Costs rose 5%.", "2021 was worse."]),
        ("Visit example.com today. It works.", ["Visit example.com today.", "It works."]),
        ("the other side.Baku reported strikes.", ["the other side.", "Baku reported strikes."]),
        ('people in shelters."New strikes hit the city.',
         ["people in shelters.", '"New strikes hit the city.']),
        ("He quoted them: \"go home.\" And they did.",
         ['He quoted them: "go home."', "And they did."]),
        ("no capital after. the stop keeps going", ["no capital after. the stop keeps going"]),
        ("Line one without stop\nLine two. Line three.",
         ["Line one without stop", "Line two.", "Line three."]),
        ("  \n\n  ", []),
        ("", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_are_offsets_into_the_text() -> None:
    text = "  First one here.  Second one?\n\nThird, on its own line! "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["First one here.", "Second one?",
                                              "Third, on its own line!"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aB .!?\"'“”\n3.U.S")), max_size=80))
def test_spans_ordered_trimmed_and_inside(text: str) -> None:
    last = 0
    for start, end in sentence_spans(text):
        assert last <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        last = end


def test_words_and_fold() -> None:
    assert words("Azerbaijan’s second-largest city, 55,000 people") == [
        "Azerbaijan’s", "second-largest", "city", "55", "000", "people"]
    assert count_words("one two  three\nfour") == 4
    assert fold("Gəncə") == "gence"
    assert fold("ÉLYSÉE") == "elysee"
