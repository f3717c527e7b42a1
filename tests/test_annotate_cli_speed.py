"""The quick paths of ``annotate --jsonl-in`` print exactly what the plain ones printed.

Output lines are written piece by piece (no :class:`Span` per figure, no dict per span) and
:class:`Span`/:class:`Figure` get a quicker ``__init__``; these tests hold both to the
reference: ``to_json({"id": ..., "spans": _spans_json(spans)})`` and the generated dataclass.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.commands.annotate import _annotate_batch, _spans_json, _spans_line
from tui.commands.base import to_json
from tui.core.annotations import annotate_text
from tui.core.figures_types import Figure
from tui.core.spans import KINDS, Span, quick_init

ROOT = Path(__file__).resolve().parent.parent
# Characters the encoder or the terminal escaping treat specially, and some plain ones.
AWKWARD = "a Z é ı ə \" \\ / \n \t \x00 \x1b \x7f \x85 \x9b \u2028 \u2029 \ud7ff 😀"


def _reference(ident: object, entities: list[Span], figures: list[Figure]) -> str:
    """The line as the command wrote it before the quick path."""
    spans = [*entities, *(f.to_span() for f in figures)]
    return to_json({"id": ident, "spans": _spans_json(spans)}) + "\n"


texts = st.text(alphabet=st.sampled_from(AWKWARD.split(" ") + [" "]), max_size=12)
places = st.tuples(st.integers(0, 30), st.integers(0, 4))
values = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                   st.integers(-10**20, 10**20), st.booleans())
idents = st.one_of(st.none(), st.integers(), st.floats(), texts,
                   st.lists(texts, max_size=3), st.dictionaries(texts, st.integers(), max_size=2))


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start, width = draw(places)
    return Span(start, start + width, draw(texts), draw(st.sampled_from(KINDS)),
                draw(st.one_of(st.none(), texts)), draw(values))


@st.composite
def figures(draw: st.DrawFn) -> Figure:
    start, width = draw(places)
    return Figure(start, start + width, draw(texts), draw(st.sampled_from(KINDS[5:])),
                  draw(values), unit=draw(st.one_of(st.none(), texts)))


@settings(max_examples=300, deadline=None)
@given(idents, st.lists(spans(), max_size=8), st.lists(figures(), max_size=8))
def test_spans_line_is_the_reference_line(ident: object, entities: list[Span],
                                          found: list[Figure]) -> None:
    """Any spans, values (NaN, infinities, ints, bools) and ids: the same bytes, in the
    same order (entities before figures at one place)."""
    assert _spans_line(ident, entities, found) == _reference(ident, entities, found)


def test_spans_line_keeps_ties_and_escapes() -> None:
    entities = [Span(5, 9, "Baku\u2028", "place", "Baku\x85"), Span(0, 3, "Ali", "person")]
    found = [Figure(5, 9, "five", "number", 5.0), Figure(0, 3, "1e16", "number", 1e16),
             Figure(0, 3, "-0", "number", -0.0), Figure(7, 8, "x", "date", None)]
    line = _spans_line("id\x1b", entities, found)
    assert line == _reference("id\x1b", entities, found)
    assert "\\u2028" in line and "\\u0085" in line and "\\u001b" in line
    assert [s["text"] for s in json.loads(line)["spans"]] == [
        "Ali", "1e16", "-0", "Baku\u2028", "five", "x"]


@pytest.mark.parametrize("path", sorted((ROOT / "articles").glob("*.txt")),
                         ids=lambda p: p.name[:3])
def test_spans_line_on_the_bundled_articles(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    entities, found = annotate_text(text, "2020-10-04")
    assert entities and found
    assert _spans_line(path.name, entities, found) == _reference(path.name, entities, found)


def test_annotate_batch_lines_match_the_reference() -> None:
    """The worker's unit: each input line's output and error, good and bad lines."""
    text = "Maria Garcia counted 12 boats in Lisbon on Sunday."
    good = {"id": 7, "text": text, "date": "2024-05-06"}
    batch = [(1, json.dumps(good) + "\n"), (2, "{broken\n"), (3, json.dumps({"text": 5}))]
    (out, err), (bad, why), (bad2, _) = _annotate_batch(batch, "{}")
    entities, found = annotate_text(text, "2024-05-06", "{}")
    assert (out, err) == (_reference(7, entities, found), "")
    assert bad == '{"id": null, "line": 2, "error": "invalid input line"}\n'
    assert "stdin line 2" in why and bad2.startswith('{"id": null, "line": 3')


@pytest.mark.parametrize("cls", [Span, Figure])
def test_quick_init_keeps_the_dataclass_signature(cls: type) -> None:
    fields = dataclasses.fields(cls)
    params = list(inspect.signature(cls).parameters.values())
    assert [p.name for p in params] == [f.name for f in fields]
    assert [p.default for p in params] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        for f in fields]
    assert vars(cls)["__init__"].__qualname__ == f"{cls.__name__}.__init__"


def test_quick_init_builds_the_same_records() -> None:
    span = Span(1, 4, "Ali", "person", value=2.0)
    assert span == Span(1, 4, "Ali", "person", None, 2.0)
    assert (span.start, span.end, span.text, span.kind, span.canonical, span.value) == (
        1, 4, "Ali", "person", None, 2.0)
    assert hash(span) == hash(Span(1, 4, "Ali", "person", None, 2.0))
    assert dataclasses.replace(span, canonical="Aly").canonical == "Aly"
    assert pickle.loads(pickle.dumps(span)) == span
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 2  # type: ignore[misc]
    with pytest.raises(TypeError, match="missing 2 required positional"):
        Span(1, 2)  # type: ignore[call-arg]
    figure = Figure(0, 3, "240", "number", 240.0, 240.0, None, "at least", unit="people")
    row = figure.as_row()
    assert Figure(*row) == figure  # type: ignore[arg-type]
    assert row[7:9] == ("at least", "people")
    assert row[-4:] == (None, False, None, None)  # defaults filled in
    assert figure.to_span() == Span(0, 3, "240", "number", None, 240.0)


def test_quick_init_refuses_what_it_cannot_copy() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Factory:
        a: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Post:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, Factory, Post):
        with pytest.raises(TypeError, match="quick_init"):
            quick_init(cls)
