"""Measures, subjects and the cross-report comparison of figures (with its traps)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from tui.core.figures import (
    Figure,
    FigureGroup,
    ReportFigures,
    compare_figures,
    extract_figures,
)
from tui.core.spans import Span

D = datetime.date(2021, 3, 14)
PLACES = ("Kharkiv", "Kharkov", "Ukraine", "Russia", "Lviv", "Tartu", "Estonia", "Stepanakert",
          "Nagorno-Karabakh", "Ganja", "Gandja", "Azerbaijan", "Armenia")
GROUPS = ("Ukrainian", "Russian", "Azerbaijani", "Armenian")
ORGS = ("Reuters", "Health Ministry")


def ents(text: str) -> list[Span]:
    """Hand-made entity spans: every listed name where it occurs."""
    out = []
    for kind, names in (("place", PLACES), ("group", GROUPS), ("organization", ORGS)):
        for name in names:
            for m in re.finditer(rf"\b{re.escape(name)}\b", text):
                out.append(Span(m.start(), m.end(), name, kind))
    return out


def counts(text: str, ref: datetime.date | None = D) -> list[Figure]:
    return [f for f in extract_figures(text, ref, ents(text)) if f.measure is not None]


def single(text: str) -> Figure:
    [f] = counts(text)
    return f


def report(aid: str, text: str, date: datetime.date | None = D) -> ReportFigures:
    return ReportFigures(aid, "story", date, extract_figures(text, date, ents(text)))


def compare(*reports: ReportFigures) -> list[FigureGroup]:
    return compare_figures(reports)


def test_measures_from_verbs_and_nouns() -> None:
    assert single("In Lviv, 12 people were killed.").measure == "killed"
    assert single("In Lviv, 12 people lost their lives.").measure == "killed"
    assert single("Officials counted 12 deaths in Lviv.").measure == "killed"
    assert single("In Lviv, 12 civilians were injured.").measure == "wounded"
    assert single("Lviv has about 700,000 inhabitants.").measure == "population"
    assert single("Lviv is home to 700,000 people.").measure == "population"
    assert single("Tartu lies 180 km south of Tallinn.").measure == "distance"
    assert single("Four missiles hit Lviv.").measure == "missiles"
    assert single("In Lviv, 300 people were displaced.").measure == "displaced"
    assert single("Police arrested 40 protesters in Lviv.").measure == "arrested"
    assert single("The Ukrainian army lost 150 soldiers.").measure == "killed"


def test_each_count_takes_its_own_verb() -> None:
    one, four = counts("Officials say one person was killed and four injured in Lviv.")
    assert (one.measure, four.measure) == ("killed", "wounded")
    six, many = counts("In addition to the six people killed, 35 were wounded in Lviv.")
    assert (six.measure, many.measure) == ("killed", "wounded")


def test_no_measure_without_a_cue_or_for_things() -> None:
    assert counts("Russia retook seven villages near Lviv.") == []
    assert counts("The two countries met in Tartu.") == []


def test_subject_is_the_head_of_the_clause() -> None:
    assert single("Kharkiv has about 1,400,000 inhabitants.").subject == "Kharkiv"
    text = "In Kharkiv, Ukraine's second city of roughly 1.4 million people, sirens sounded."
    assert single(text).subject == "Kharkiv"
    text = "Estonia is smaller than Lviv was and has about 1.3 million inhabitants."
    assert single(text).subject == "Estonia"
    text = "Kharkiv has 1.4 million inhabitants and lies 40 km south of Russia."
    assert [f.subject for f in counts(text)] == ["Kharkiv", "Kharkiv"]


def test_subject_skips_sources_and_possessive_modifiers() -> None:
    text = "An adviser to Ukraine's president said at least four missiles hit the city."
    assert single(text).subject is None
    text = "Russian officials said 12 people were killed in Kharkiv."
    assert single(text).subject == "Kharkiv"


def test_pronoun_sentence_borrows_the_previous_place() -> None:
    text = "Troops now guard Tartu, the largest city in the region. It has 90,000 inhabitants."
    assert single(text).subject == "Tartu"


def test_scope_and_stated_date() -> None:
    more, toll = counts("Officials reported 29 more deaths on March 12, bringing the toll to 633.")
    assert (more.scope, more.when) == ("increment", "2021-03-12")
    assert toll.scope == "total"


def test_hedged_toll_agrees_with_exact_toll() -> None:
    a = report("a", "In Kharkiv, at least 240 people died.")
    b = report("b", "Kharkiv counted 244 deaths.")
    [group] = compare(a, b)
    assert (group.status, group.measure, group.subject) == ("agree", "killed", "Kharkiv")
    assert [m.article for m in group.mentions] == ["a", "b"]


def test_rounded_populations_ten_percent_apart_conflict() -> None:
    a = report("a", "Kharkiv has a population of around 50,000 inhabitants.")
    b = report("b", "In Kharkiv, a city of roughly 55,000 people, sirens sounded.")
    [group] = compare(a, b)
    assert (group.status, group.measure) == ("conflict", "population")
    assert group.to_json()["mentions"][0] == {
        "article": "a", "text": "around 50,000", "value": 50_000.0, "low": 48_000.0,
        "high": 52_000.0, "hedge": "about", "unit": "inhabitants",
        "start": group.mentions[0].start, "end": group.mentions[0].end,
    }


def test_close_estimates_agree_and_exact_mismatch_conflicts() -> None:
    a = report("a", "In Lviv, 12 people were killed.")
    b = report("b", "In Lviv, 15 people were killed.")
    c = report("c", "In Lviv, about 12 people were killed.")
    assert [g.status for g in compare(a, b)] == ["conflict"]
    assert [g.status for g in compare(a, c)] == ["agree"]


def test_subject_matching_is_pluggable() -> None:
    a = report("a", "Kharkiv has 1.4 million inhabitants.")
    b = report("b", "Kharkov has 1.5 million inhabitants.")
    assert compare(a, b) == []
    same = {frozenset(("Kharkiv", "Kharkov"))}
    groups = compare_figures([a, b], lambda x, y: x == y or frozenset((x, y)) in same)
    assert [g.status for g in groups] == ["conflict"]


def test_trap_same_number_about_different_things() -> None:
    a = report("a", "In Lviv, 12 people were killed.")
    b = report("b", "In Lviv, 12 people were injured.")
    c = report("c", "In Tartu, 30 people were killed.")
    d = report("d", "Lviv lies 12 km from the border.")
    assert compare(a, b, c, d) == []


def test_trap_different_populations_of_people() -> None:
    a = report("a", "In Lviv, 47 civilians died.")
    b = report("b", "In Lviv, 150 soldiers died.")
    c = report("c", "In Lviv, 200 people died.")
    assert compare(a, b, c) == []


def test_trap_same_measure_on_different_days() -> None:
    a = report("a", "In Lviv, 12 people were killed.", datetime.date(2021, 3, 1))
    b = report("b", "In Lviv, 40 people were killed.", datetime.date(2021, 3, 9))
    assert compare(a, b) == []
    c = report("c", "In Lviv, 12 people were killed on March 10.")
    d = report("d", "In Lviv, 40 people were killed.")
    assert compare(c, d) == []
    e = report("e", "On March 10, 12 people were killed in Lviv.")
    assert [g.status for g in compare(c, e)] == ["agree"]


def test_trap_undated_reports_do_not_compare_tolls() -> None:
    a = report("a", "In Lviv, 12 people were killed.", None)
    b = report("b", "In Lviv, 40 people were killed.", None)
    assert compare(a, b) == []
    c = report("c", "Lviv has 700,000 inhabitants.", None)
    e = report("e", "Lviv has 900,000 inhabitants.", datetime.date(2000, 1, 1))
    assert [g.status for g in compare(c, e)] == ["conflict"]  # population does not move


def test_trap_daily_increment_versus_cumulative_toll() -> None:
    a = report("a", "Lviv reported 29 more deaths.")
    b = report("b", "Lviv raised its death toll to 633.")
    assert compare(a, b) == []


def test_trap_ordinals_and_years_are_never_compared() -> None:
    a = report("a", "In Lviv, the first 3 people were killed in 1994.")
    b = report("b", "In Lviv, the fourth attack killed people in 2004.")
    assert all(g.measure != "killed" or len(g.mentions) == 0 for g in compare(a, b))
    assert compare(a, b) == []


def test_same_report_alone_is_not_a_group() -> None:
    a = report("a", "In Lviv, 12 people were killed. In Lviv, 15 people were killed.")
    assert compare(a) == []


def test_distance_compares_across_units() -> None:
    a = report("a", "Tartu lies 100 km from Estonia's border.")
    b = report("b", "Tartu lies 62 miles from Estonia's border.")
    [group] = compare(a, b)
    assert (group.measure, group.status) == ("distance", "agree")


def test_seed_reports_stepanakert_population_conflict() -> None:
    """One case among many: the bundled reports' Stepanakert figures disagree."""
    root = Path(__file__).resolve().parent.parent / "articles"
    reports = []
    for name in ("000_2c49f6f941952d6c.txt", "001_a25c22efd439cb62.txt"):
        text = (root / name).read_text(encoding="utf-8")
        reports.append(ReportFigures(name[:3], "s", None, extract_figures(text, None, ents(text))))
    [group] = compare_figures(reports)
    assert (group.subject, group.measure, group.status) == (
        "Stepanakert", "population", "conflict")
    assert {m.text for m in group.mentions} == {"around 50,000", "roughly 55,000"}


# -- the pairs compared: only those that may be comparable, same groups as all pairs ----

def _all_pairs_groups(reports: list[ReportFigures], tolerance: float | None) -> list[FigureGroup]:
    """Reference: every pair of eligible figures of a story and measure compared."""
    from tui.core import figures_compare as fc

    items = [(i, r, f) for i, r in enumerate(reports) for f in r.figures
             if fc._eligible(f, True)]
    parent = list(range(len(items)))
    conflicts: set[int] = set()
    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            if fc._comparable(items[a], items[b], fc.same_subject_default, 1):
                root = fc._union(parent, a, b)
                if not fc._overlap(items[a][2], items[b][2], tolerance):
                    conflicts.add(root)
    return fc._groups(items, parent, conflicts)


def _random_reports(seed: int) -> list[ReportFigures]:
    import random

    rng = random.Random(seed)
    reports = []
    for n in range(rng.randint(2, 5)):
        figures = []
        for k in range(rng.randint(0, 12)):
            value = float(rng.choice([10, 12, 40, 50_000, 55_000, 100, 62]))
            hedge = rng.choice([None, "about", "at least", "nearly"])
            low, high = (value * 0.9, value * 1.1) if hedge == "about" else (value, value)
            figures.append(Figure(
                k, k + 2, str(value), rng.choice(["number", "number", "quantity"]), value,
                low, high if hedge != "at least" else None, hedge,
                rng.choice([None, "people", "civilians", "soldiers", "km", "miles", "missiles"]),
                rng.choice(["killed", "wounded", "population", "distance"]),
                rng.choice([None, "Ganja", "Gəncə", "Stepanakert"]),
                rng.random() < 0.05, rng.choice([None, None, "increment", "total"]),
                rng.choice([None, None, "2021-03-14"])))
        date = rng.choice([None, D, D + datetime.timedelta(days=rng.randint(0, 3))])
        reports.append(ReportFigures(f"r{rng.randint(0, 3 + n)}", rng.choice("st"), date,
                                     figures))
    return reports


def test_candidate_pairs_give_the_groups_all_pairs_give() -> None:
    found = conflicts = 0
    for seed in range(150):
        reports = _random_reports(seed)
        for tolerance in (None, 0.2):
            expected = _all_pairs_groups(reports, tolerance)
            got = compare_figures(reports, tolerance=tolerance, allow_unknown_subject=True)
            assert [g.to_json() for g in got] == [g.to_json() for g in expected]
            found += len(got)
            conflicts += sum(1 for g in got if g.status == "conflict")
    assert found > 20 and conflicts > 5


def test_candidate_pairs_cover_every_comparable_pair() -> None:
    from tui.core import figures_compare as fc

    for seed in range(60):
        reports = _random_reports(seed)
        items = [(i, r, f) for i, r in enumerate(reports) for f in r.figures
                 if fc._eligible(f, True)]
        pairs = list(fc.candidate_pairs(items))
        assert all(a < b and items[a][1].article_id != items[b][1].article_id
                   for a, b in pairs)
        assert len(set(pairs)) == len(pairs)
        comparable = {(a, b) for a in range(len(items)) for b in range(a + 1, len(items))
                      if fc._comparable(items[a], items[b], fc.same_subject_default, 1)}
        assert comparable <= set(pairs)
