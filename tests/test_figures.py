"""Figure recognition: number forms, hedges, units, ordinals, dates, times and exclusions."""

from __future__ import annotations

import datetime

import pytest

from tui.core.figures import Figure, extract_figures
from tui.core.spans import Span

REF = datetime.date(2020, 10, 4)  # a Sunday


def figs(text: str, ref: datetime.date | None = REF) -> list[Figure]:
    return extract_figures(text, ref)


def one(text: str, ref: datetime.date | None = REF) -> Figure:
    found = [f for f in figs(text, ref) if not f.ordinal and f.kind != "date"]
    assert len(found) == 1, found
    return found[0]


def day(iso: str) -> float:
    return float(datetime.date.fromisoformat(iso).toordinal())


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The town has 55,000 people.", 55_000),
        ("A budget of 1.5 million people was cited.", 1_500_000),
        ("They moved 3.2bn tonnes.", 3.2e9),
        ("Police counted 1,234,567 votes.", 1_234_567),
        ("Four people were hurt.", 4),
        ("Thirty-two people were hurt.", 32),
        ("Two hundred and fifty people came.", 250),
        ("A thousand people came.", 1000),
        ("A million people came.", 1e6),
        ("Seven villages were retaken.", 7),
        ("It took 12 people.", 12),
    ],
)
def test_number_values(text: str, value: float) -> None:
    assert one(text).value == pytest.approx(value)


def test_offsets_point_into_the_text_as_given() -> None:
    text = "Résumé: at least 240 people died."
    f = one(text)
    assert text[f.start : f.end] == f.text == "at least 240"
    assert f.to_span() == Span(f.start, f.end, f.text, "number", None, 240.0)


def test_ranges_and_scores() -> None:
    r = one("Between 10-15 soldiers were seen.")
    assert (r.value, r.low, r.high) == (None, 10, 15)
    s = one("The hosts won 2-1 at home.")
    assert (s.value, s.unit) == (2, "score")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Hundreds of people fled.", 200, 999),
        ("Thousands of protesters marched.", 2_000, 9_999),
        ("Tens of thousands of people marched.", 20_000, 99_999),
        ("Hundreds of thousands displaced.", 200_000, 999_999),
        ("Several hundred were injured.", 200, 900),
        ("Dozens of homes burned.", 24, 144),
        ("A dozen rockets fell.", 10, 14),
    ],
)
def test_vague_amounts_are_ranges(text: str, low: float, high: float) -> None:
    f = one(text)
    assert (f.low, f.high) == (low, high)


@pytest.mark.parametrize(
    ("text", "hedge", "low", "high"),
    [
        ("At least 240 people died.", "at least", 240, None),
        ("More than 100 people died.", "more than", 100, None),
        ("Over 100 people died.", "over", 100, None),
        ("Up to 30 people died.", "up to", None, 30),
        ("As many as 30 people died.", "up to", None, 30),
        ("Fewer than 30 people died.", "fewer than", None, 30),
        ("No more than 30 people died.", "at most", None, 30),
        ("About 50,000 people live there.", "about", 48_000, 52_000),
        ("Around 50,000 people live there.", "about", 48_000, 52_000),
        ("Approximately 50,000 people live there.", "about", 48_000, 52_000),
        ("An estimated 50,000 people live there.", "about", 48_000, 52_000),
        ("Some 50,000 people live there.", "some", 48_000, 52_000),
        ("Nearly 50 people died.", "nearly", 48, 50),
        ("Almost 50 people died.", "nearly", 48, 50),
        ("The toll is 244.", None, 244, 244),
        ("We saw 100 or more trucks.", "at least", 100, None),
    ],
)
def test_hedges_set_the_range(text: str, hedge: str | None, low: float | None,
                              high: float | None) -> None:
    f = one(text)
    assert f.hedge == hedge
    assert f.low == (pytest.approx(low) if low is not None else None)
    assert f.high == (pytest.approx(high) if high is not None else None)


def test_tolerance_is_configurable() -> None:
    f = extract_figures("About 50,000 people live there.", tolerance=0.1)[0]
    assert (f.low, f.high) == (pytest.approx(45_000), pytest.approx(55_000))


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("Turnout was 5% lower.", "percent", 5, "percent"),
        ("Turnout was 5 percent lower.", "percent", 5, "percent"),
        ("Turnout was five per cent lower.", "percent", 5, "percent"),
        ("It costs $5m to run.", "money", 5e6, "usd"),
        ("It costs €2.3 billion to run.", "money", 2.3e9, "eur"),
        ("It costs 500 dollars to run.", "money", 500, "usd"),
        ("It costs £40 to run.", "money", 40, "gbp"),
        ("It lies 100 km away.", "quantity", 100, "km"),
        ("It lies 100 kilometers away.", "quantity", 100, "km"),
        ("It lies 100 kilometres away.", "quantity", 100, "km"),
        ("It lies 5 miles away.", "quantity", 5, "miles"),
        ("The bag weighs 30 kg.", "quantity", 30, "kg"),
        ("The talks lasted 2 hours.", "quantity", 2, "hours"),
        ("A four-day truce began.", "quantity", 4, "days"),
    ],
)
def test_units(text: str, kind: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.kind, f.value, f.unit) == (kind, pytest.approx(value), unit)


def test_counted_nouns_are_plural_and_lowercase() -> None:
    assert one("One civilian was killed.").unit == "civilians"
    assert one("One person was killed.").unit == "people"
    assert one("Four missiles hit the city.").unit == "missiles"
    assert one("4 new missile hit the city.").unit == "missiles"
    assert one("Some 150,000 ethnic Armenians live there.").unit == "armenians"
    assert one("Thousands of mercenaries arrived.").unit == "mercenaries"


@pytest.mark.parametrize(
    ("text", "value"),
    [("It was the first time.", 1), ("He came 2nd in the race.", 2),
     ("It was the fourth day of shelling.", 4)],
)
def test_ordinals_are_ranks_not_counts(text: str, value: float) -> None:
    [f] = figs(text)
    assert f.ordinal and f.kind == "number" and f.value == value and f.measure is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Fighting resumed on October 4.", "2020-10-04"),
        ("Fighting resumed on 4 October 2020.", "2020-10-04"),
        ("Fighting resumed on Oct. 4.", "2020-10-04"),
        ("Fighting resumed on 2020-10-04.", "2020-10-04"),
        ("It began on September 27.", "2020-09-27"),
        ("Fighting resumed on Sunday.", "2020-10-04"),
        ("Fighting resumed on Saturday.", "2020-10-03"),
        ("Fighting resumed on Monday.", "2020-09-28"),
        ("Fighting resumed yesterday.", "2020-10-03"),
        ("The day before yesterday, talks failed.", "2020-10-02"),
        ("Talks are due tomorrow.", "2020-10-05"),
    ],
)
def test_dates_resolve_against_the_report_date(text: str, iso: str) -> None:
    dates = [f for f in figs(text) if f.kind == "date"]
    assert len(dates) == 1
    assert dates[0].value == day(iso) and dates[0].when == iso


def test_date_without_year_uses_the_nearest_year() -> None:
    [f] = figs("On December 30 the talks began.", datetime.date(2021, 1, 3))
    assert f.value == day("2020-12-30")


def test_unresolved_dates_without_a_reference() -> None:
    [f] = figs("Fighting resumed on Sunday.", None)
    assert (f.kind, f.value, f.unit) == ("date", None, "weekday")


def test_years_and_decades() -> None:
    [year] = figs("A war ended in 1994 with a truce.")
    assert (year.kind, year.unit, year.low) == ("date", "year", day("1994-01-01"))
    [decade] = figs("It broke away in the early 1990s.")
    assert (decade.unit, decade.high) == ("decade", day("1999-12-31"))
    count = one("They sent 2000 soldiers.")
    assert (count.kind, count.value) == ("number", 2000)


@pytest.mark.parametrize(
    ("text", "hour"), [("Sirens sounded at 10:30.", 10.5), ("Sirens sounded at 3 p.m.", 15),
                       ("Sirens sounded at 12 am.", 0), ("Sirens sounded at 9pm.", 21)],
)
def test_times(text: str, hour: float) -> None:
    [f] = figs(text)
    assert (f.kind, f.value) == ("time", hour)


@pytest.mark.parametrize(
    "text",
    [
        "See pic.twitter.com/GInYCJyJc6 for more.",
        "Read https://example.com/2020/10/04/story-55 now.",
        "Follow @user2020 and #tag5 online.",
        "The A320 and F-16 and COVID-19 were discussed.",
        "It was one of the worst escalations.",
        "No one was hurt.",
        "They blamed one another.",
        "The one-sided vote passed.",
        "Someone may come in May.",
    ],
)
def test_not_figures(text: str) -> None:
    assert figs(text) == []


def test_one_counts_only_with_a_counted_noun() -> None:
    assert one("Officials reported that one civilian was killed.").value == 1
    assert figs("She is the one who left.") == []
