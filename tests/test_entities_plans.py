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


def test_words_before_a_name_read_backwards_agree_with_the_walk() -> None:
    import random

    from tui.core.entities_typing import _prev_words, _prev_words_slowly

    rng = random.Random(7)
    pieces = ["a", "B", "7", "_", "'", "’", ".", "-", " ", " ", "\u00a0", ",", "(", "\n",
              "é", "ı", "İ", "xyzw" * 6, "of the"]
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for offset in range(len(text) + 1):
            assert _prev_words(text, offset) == _prev_words_slowly(text, offset), (text, offset)


def test_a_lower_case_word_elsewhere_is_found_as_the_four_searches_find_it() -> None:
    import random

    from tui.core.entities_lex import lower_elsewhere

    rng = random.Random(8)
    for _ in range(50000):
        text = "".join(rng.choice(["ab", " ", ",", ".", ";", "a", "b", "x"])
                       for _ in range(rng.randint(0, 15)))
        word = rng.choice(["a", "ab", "b", "ba"])
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        expected = any(text.find(" " + word + tail, lo, hi) >= 0 for tail in " ,.;")
        assert lower_elsewhere(text, word, lo, hi) == expected, (text, word, lo, hi)


def test_run_keys_know_sentence_starts_and_glued_prefixes() -> None:
    import random

    from tui.core.entities_lex import SENTENCE_END, SENTENCE_SKIP, run_key

    def starts_sentence(text: str, offset: int) -> bool:  # the walk the key replaced
        k, limit = offset - 1, max(-1, offset - 12)
        while k > limit and text[k] in SENTENCE_SKIP:
            k -= 1
        return k < 0 or k != limit and text[k] in SENTENCE_END

    rng = random.Random(9)
    chars = " \t\u00a0\"'“‘”’([«—–-*.!?:;…\n\r|aB"
    for _ in range(5000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 20)))
        for offset in range(len(text) + 1):
            assert run_key(text, "X", offset)[2] == starts_sentence(text, offset), (text, offset)
    assert run_key("Forces of al-Assad", "Assad", 13)[1] == "al-"
    assert run_key("Côte d'Ivoire", "Ivoire", 7)[1] == "d'"


def test_names_typed_by_their_own_words_and_by_their_context() -> None:
    rec = EntityRecogniser()
    text = ("Officials at the Karvelo Development Bank said 3 died. Said Tovik, a senior "
            "adviser, spoke. Reports came from Velkaria Province and from Dunmore.")
    names = dict(_names(rec.recognise(text)))
    assert names["Karvelo Development Bank"] == "organization"  # its head word
    assert names["Velkaria Province"] == "place"
    assert rec.recognise(text) == rec.recognise(text)  # planned once, read the same
