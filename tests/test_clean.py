"""Separating scraper artefacts from the body, and keeping the original (tui.core.clean)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.clean import clean, derive_title
from tui.core.store import Index

PARA = "Officials said the talks would resume on Monday after a pause."


@pytest.mark.parametrize(
    "line",
    [
        "Read more: https://example.com/another-story",
        "READ MORE: Ten things about the talks",
        "Also read: Ministers meet again next week",
        "Your browser doesn’t support HTML5",
        "Your browser doesn't support HTML5 video.",
        "Your browser does not support the audio element.",
        "Advertisement",
        "© Jane Doe/Example Agency",
        "Photo: Jane Doe",
        "(AP Photo/Jane Roe)",
        "Rescue workers search the rubble on Tuesday. (AP Photo/Jane Roe)",
        "Smoke rises over the old town (Photo: John Smith)",
        "A woman walks past a damaged shop /Reuters",
    ],
)
def test_artefact_lines_leave_the_body(line: str) -> None:
    cleaned = clean(f"{PARA}\n{line}\nThe next paragraph follows here.")
    assert cleaned.body == f"{PARA}\nThe next paragraph follows here."
    assert cleaned.artefacts == [line]


def test_inline_markers_are_removed_and_kept() -> None:
    text = "[ad_1]\nThe mayor spoke briefly. pic.twitter.com/AbC123 Then she left.[ad_2]\n"
    cleaned = clean(text)
    assert cleaned.body == "The mayor spoke briefly. Then she left."
    assert sorted(cleaned.artefacts) == ["[ad_1]", "[ad_2]", "pic.twitter.com/AbC123"]


def test_pic_link_with_scheme_at_end_of_line() -> None:
    cleaned = clean("Results of the strike on the city https://pic.twitter.com/GInYCJy")
    assert cleaned.body == "Results of the strike on the city"
    assert cleaned.artefacts == ["https://pic.twitter.com/GInYCJy"]


def test_other_links_stay() -> None:
    text = "Details are on https://twitter.com/someone/status/1 and example.org today."
    assert clean(text).body == text


def test_date_marker_only_at_start() -> None:
    cleaned = clean(" date 2020-10-04 Heavy fighting continued.\nThe date 2020-10-05 was set.")
    assert cleaned.date == "2020-10-04"
    assert cleaned.body == "Heavy fighting continued.\nThe date 2020-10-05 was set."


def test_date_marker_after_ad_marker_and_blank_lines() -> None:
    cleaned = clean("[ad_1]\n\n date 2021-01-31 © Someone/Agency\n\n\n" + PARA)
    assert cleaned.date == "2021-01-31"
    assert cleaned.body == PARA
    assert cleaned.artefacts == ["[ad_1]", "date 2021-01-31", "© Someone/Agency"]


def test_embedded_tweet_text_stays_prose() -> None:
    tweet = "Armenia shelled the city this morning. — Jane Roe (@janeroe) October 4, 2020"
    cleaned = clean(f"{PARA}\n{tweet} pic.twitter.com/xyz12")
    assert cleaned.body == f"{PARA}\n{tweet}"


def test_paragraph_breaks_are_kept_but_collapsed() -> None:
    cleaned = clean(f"\n\n{PARA}\n\n\n\nSecond paragraph here.\n\n")
    assert cleaned.body == f"{PARA}\n\nSecond paragraph here."


def test_prose_that_mentions_artefact_words_stays() -> None:
    text = ("He said readers should read more: the report is long.\n"
            "The photo (taken at dawn) shows the damage clearly, officials said.")
    assert clean(text).body == text
    assert clean(text).artefacts == []


def test_derive_title_skips_dateline_and_short_lines() -> None:
    body = "Breaking\nLONDON (Reuters) - Markets fell sharply on Monday. Traders were worried."
    assert derive_title(body) == "Markets fell sharply on Monday"
    assert derive_title("BAKU/YEREVAN -- Russia and France called for talks.") == (
        "Russia and France called for talks")


def test_derive_title_is_cut_at_a_word() -> None:
    body = "The " + "very " * 60 + "long sentence ends here."
    title = derive_title(body, limit=50)
    assert len(title) <= 51 and title.endswith("…")
    assert not title[:-1].endswith(" ")


def test_derive_title_fallbacks() -> None:
    assert derive_title("") == "(untitled)"
    assert derive_title("Short heading") == "Short heading"


def test_original_text_stays_available(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    raw = "[ad_1]\n date 2020-01-02 First line of the story here.\nRead more: elsewhere\n"
    (root / "a.txt").write_text(raw, encoding="utf-8")
    index = Index(root, tmp_path / "cache")
    index.refresh()
    article = index.get("a")
    assert article is not None
    assert article.body == "First line of the story here."
    assert article.artefacts == ["[ad_1]", "date 2020-01-02", "Read more: elsewhere"]
    assert index.original("a") == raw
    assert index.original("missing") == ""
    (root / "a.txt").unlink()
    assert "no longer there" in index.original("a")


def test_original_shows_control_characters_visibly(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.txt").write_text("Evil \x1b]0;title\x07 text is here today.\r\n", "utf-8")
    index = Index(root, tmp_path / "cache")
    index.refresh()
    original = index.original("a")
    assert "\x1b" not in original and "\x07" not in original and "\r" not in original
    assert "^[]0;title^G" in original
