"""Every article format: text, Markdown with front matter, JSON, JSONL (tui.core.formats)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_loader import write

from tui.core.formats import parse_date
from tui.core.loader import LoadResult, load_file, scan
from tui.core.model import Article

PROSE = "The river rose two metres overnight in the valley towns. Residents moved to higher ground."


def load(root: Path, relpath: str, content: str | bytes) -> LoadResult:
    """Write one file under ``root`` and load it through the scanner."""
    write(root, relpath, content)
    entry = next(e for e in scan(root) if e.relpath == relpath)
    return load_file(entry)


def only(result: LoadResult) -> Article:
    assert len(result.articles) == 1, result.problems
    return result.articles[0]


# -- plain text ----------------------------------------------------------------------


def test_txt_id_title_and_body(tmp_path: Path) -> None:
    article = only(load(tmp_path, "news/river.txt", PROSE + "\n"))
    assert article.id == "news/river"
    assert article.path == "news/river.txt"
    assert article.title == "The river rose two metres overnight in the valley towns"
    assert article.body == PROSE
    assert article.date is None
    assert article.source == ""
    assert article.content_hash


def test_txt_date_marker_is_taken_and_removed(tmp_path: Path) -> None:
    article = only(load(tmp_path, "a.txt", " date 2021-03-09 " + PROSE))
    assert article.date == "2021-03-09"
    assert article.body.startswith("The river rose")
    assert "date 2021-03-09" in article.artefacts


def test_txt_without_marker_is_undated_not_mtime(tmp_path: Path) -> None:
    result = load(tmp_path, "a.txt", "Published on a Tuesday. " + PROSE)
    assert only(result).date is None
    assert result.problems == []


def test_txt_title_skips_ad_marker_and_caption(tmp_path: Path) -> None:
    text = "[ad_1]\n© Jane Doe/Example Agency\n\n" + PROSE
    article = only(load(tmp_path, "a.txt", text))
    assert article.title.startswith("The river rose")
    assert "[ad_1]" not in article.title and "©" not in article.title
    assert "[ad_1]" in article.artefacts
    assert "© Jane Doe/Example Agency" in article.artefacts


def test_txt_title_skips_short_heading_line(tmp_path: Path) -> None:
    article = only(load(tmp_path, "a.txt", "Flood update\n" + PROSE))
    assert article.title.startswith("The river rose")


def test_txt_title_for_text_without_sentences(tmp_path: Path) -> None:
    article = only(load(tmp_path, "a.txt", "just three words"))
    assert article.title == "just three words"


def test_txt_crlf_line_ends(tmp_path: Path) -> None:
    article = only(load(tmp_path, "a.txt", "First line here today.\r\nSecond line here.\r\n"))
    assert "\r" not in article.body
    assert article.body == "First line here today.\nSecond line here."


def test_utf8_bom_is_not_part_of_text(tmp_path: Path) -> None:
    article = only(load(tmp_path, "a.txt", b"\xef\xbb\xbf" + PROSE.encode()))
    assert article.body == PROSE


def test_utf16_with_bom(tmp_path: Path) -> None:
    result = load(tmp_path, "a.txt", PROSE.encode("utf-16"))
    assert only(result).body == PROSE


# -- Markdown --------------------------------------------------------------------------


FRONT = """---
title: "Valley towns flooded"
source: Example Herald
date: 2021-03-09
url: https://example.org/flood
author: [Ann Lee, Bo Chan]
language: en
tags: [flood, weather]
desk: national
priority: 3
---
"""


def test_markdown_front_matter_fields(tmp_path: Path) -> None:
    result = load(tmp_path, "notes/flood.md", FRONT + "\n" + PROSE + "\n")
    article = only(result)
    assert result.problems == []
    assert article.id == "notes/flood"
    assert article.title == "Valley towns flooded"
    assert article.source == "Example Herald"
    assert article.date == "2021-03-09"
    assert article.url == "https://example.org/flood"
    assert article.author == "Ann Lee, Bo Chan"
    assert article.language == "en"
    assert article.tags == ["flood", "weather"]
    assert article.extra == {"desk": "national", "priority": 3}
    assert article.body == PROSE
    assert "Valley towns" not in article.body


def test_markdown_extension_variants(tmp_path: Path) -> None:
    article = only(load(tmp_path, "x.markdown", "---\ntitle: Long form\n---\n" + PROSE))
    assert article.id == "x"
    assert article.title == "Long form"
    upper = only(load(tmp_path, "y.MD", PROSE))
    assert upper.id == "y"


def test_markdown_front_matter_with_windows_line_ends(tmp_path: Path) -> None:
    text = "---\r\ntitle: Saved on Windows\r\nsource: Desk\r\n---\r\n" + PROSE + "\r\n"
    result = load(tmp_path, "win.md", text.encode())
    article = only(result)
    assert (article.title, article.source, article.body) == ("Saved on Windows", "Desk", PROSE)
    assert result.problems == []


def test_markdown_front_matter_after_byte_order_mark(tmp_path: Path) -> None:
    article = only(load(tmp_path, "bom.md", b"\xef\xbb\xbf---\ntitle: T\n---\n" + PROSE.encode()))
    assert (article.title, article.body) == ("T", PROSE)


def test_markdown_without_front_matter(tmp_path: Path) -> None:
    result = load(tmp_path, "a.md", PROSE)
    assert only(result).title.startswith("The river rose")
    assert result.problems == []


def test_markdown_empty_front_matter(tmp_path: Path) -> None:
    result = load(tmp_path, "a.md", "---\n---\n" + PROSE)
    assert only(result).body == PROSE
    assert result.problems == []


def test_markdown_single_tag_string_and_extra_dates(tmp_path: Path) -> None:
    text = "---\ntags: flood\nupdated: 2021-03-10\n---\n" + PROSE
    article = only(load(tmp_path, "a.md", text))
    assert article.tags == ["flood"]
    assert article.extra == {"updated": "2021-03-10"}
    json.dumps(article.extra)  # extra metadata stays JSON-serialisable


def test_markdown_unreadable_date_is_a_warning(tmp_path: Path) -> None:
    result = load(tmp_path, "a.md", "---\ndate: sometime soon\n---\n" + PROSE)
    assert only(result).date is None
    assert len(result.problems) == 1
    assert "sometime soon" in result.problems[0].message
    assert result.problems[0].severity == "warning"


def test_metadata_title_wins_over_marker_date_still_used(tmp_path: Path) -> None:
    article = only(load(tmp_path, "a.md", "---\ntitle: T\n---\n date 2019-01-02 " + PROSE))
    assert article.title == "T"
    assert article.date == "2019-01-02"


# -- dates -----------------------------------------------------------------------------


def test_parse_date_formats() -> None:
    assert parse_date("2020-10-04") == "2020-10-04"
    assert parse_date("2020-10-04T08:30:00Z") == "2020-10-04"
    assert parse_date("2020-10-04 08:30:00+02:00") == "2020-10-04"
    assert parse_date("4 October 2020") == "2020-10-04"
    assert parse_date("October 4, 2020") == "2020-10-04"
    assert parse_date("Oct 4, 2020") == "2020-10-04"
    assert parse_date("2020/10/04") == "2020-10-04"
    assert parse_date("04.10.2020") == "2020-10-04"
    assert parse_date("Sun, 04 Oct 2020 10:00:00 +0000") == "2020-10-04"
    assert parse_date("not a date") is None
    assert parse_date(20201004) is None
    assert parse_date(None) is None


def test_front_matter_date_formats(tmp_path: Path) -> None:
    for n, value in enumerate(["2020-10-04", "'October 4, 2020'", "2020-10-04T12:00:00Z"]):
        article = only(load(tmp_path, f"d{n}.md", f"---\ndate: {value}\n---\n{PROSE}"))
        assert article.date == "2020-10-04", value


# -- JSON ------------------------------------------------------------------------------


def test_json_single_object(tmp_path: Path) -> None:
    data = {"title": "Bridge reopens", "text": PROSE, "source": "Daily", "date": "2022-05-01",
            "lead_photo": "x.jpg"}
    article = only(load(tmp_path, "feeds/one.json", json.dumps(data)))
    assert article.id == "feeds/one"
    assert article.title == "Bridge reopens"
    assert article.source == "Daily"
    assert article.date == "2022-05-01"
    assert article.extra == {"lead_photo": "x.jpg"}


def test_json_list_ids_are_numbered_or_own(tmp_path: Path) -> None:
    data = [{"body": PROSE}, {"id": "abc-1", "content": "Second report on the bridge works."},
            {"text": "Third report about the council vote here."}]
    result = load(tmp_path, "feeds/many.json", json.dumps(data))
    assert [a.id for a in result.articles] == ["feeds/many#1", "abc-1", "feeds/many#3"]
    assert result.problems == []


def test_json_articles_wrapper(tmp_path: Path) -> None:
    data = {"exported": "2022", "articles": [{"text": PROSE}, {"text": "Another one entirely."}]}
    result = load(tmp_path, "export.json", json.dumps(data))
    assert [a.id for a in result.articles] == ["export#1", "export#2"]


def test_json_items_without_text_or_not_objects_are_reported(tmp_path: Path) -> None:
    data = [{"text": PROSE}, {"title": "no body"}, 42]
    result = load(tmp_path, "mixed.json", json.dumps(data))
    assert [a.id for a in result.articles] == ["mixed#1"]
    messages = [p.message for p in result.problems]
    assert len(messages) == 2
    assert messages[0].startswith("item 2:") and "no text" in messages[0]
    assert messages[1].startswith("item 3:") and "not an article object" in messages[1]


def test_json_duplicate_own_ids_are_renumbered(tmp_path: Path) -> None:
    data = [{"id": "same", "text": PROSE}, {"id": "same", "text": "Other text, other day."}]
    result = load(tmp_path, "dup.json", json.dumps(data))
    assert [a.id for a in result.articles] == ["same", "dup#2"]
    assert len(result.problems) == 1 and "duplicate id" in result.problems[0].message


@pytest.mark.parametrize("content", ["[]", '{"articles": []}'])
def test_json_without_articles_is_reported(tmp_path: Path, content: str) -> None:
    result = load(tmp_path, "none.json", content)
    assert result.articles == []
    assert [p.message for p in result.problems] == ["no articles in file: skipped"]


def test_json_scalar_is_refused(tmp_path: Path) -> None:
    result = load(tmp_path, "s.json", "\"just a string\"")
    assert result.articles == []
    assert len(result.problems) == 1 and "neither" in result.problems[0].message


# -- JSONL -----------------------------------------------------------------------------


def test_jsonl_one_article_per_line(tmp_path: Path) -> None:
    lines = [json.dumps({"text": PROSE, "source": "Wire"}), "",
             json.dumps({"id": "own", "text": "A second wire story arrived later."})]
    result = load(tmp_path, "wire.jsonl", "\n".join(lines) + "\n")
    assert [a.id for a in result.articles] == ["wire#1", "own"]
    assert result.articles[0].source == "Wire"
    assert result.problems == []


def test_jsonl_non_object_line_is_reported_with_its_number(tmp_path: Path) -> None:
    result = load(tmp_path, "w.jsonl", json.dumps({"text": PROSE}) + "\n\n[1, 2]\n")
    assert [a.id for a in result.articles] == ["w#1"]
    assert [p.message for p in result.problems] == ["line 3: not an article object: skipped"]
