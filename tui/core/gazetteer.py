"""The gazetteer: known names (places, groups, organisations, other) and context word lists.

The data ships as YAML in ``tui/data`` (general knowledge only) and is loaded once with
``yaml.safe_load``. Users extend it from their config with a mapping such as
``{"place": ["Foo"], "person": ["Jane Roe"], "aliases": {"Kyiv": ["Kiev"]}}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from tui.core.text import fold

NAME_KINDS = ("place", "group", "organization", "other", "person")
"""Sections of the gazetteer (and of the user's config) that list names."""

# Config spellings accepted for the name sections, mapped to the entity kind.
_CONFIG_KINDS = {
    "place": "place",
    "places": "place",
    "person": "person",
    "people": "person",
    "persons": "person",
    "organization": "organization",
    "organisation": "organization",
    "organizations": "organization",
    "organisations": "organization",
    "org": "organization",
    "group": "group",
    "groups": "group",
    "other": "other",
}
_CONFIG_LISTS = ("first_names",)
_WORD_LISTS = (
    "common",
    "never",
    "title_core",
    "title_modifier",
    "person_before",
    "speech_verbs",
    "place_after",
    "place_before",
    "place_nouns",
    "org_heads",
    "place_heads",
    "other_heads",
    "of_heads",
    "particles",
    "team_verbs",
    "org_before",
)
# Splits a name into the pieces the recogniser sees: words, and "/" on its own.
_NAME_PIECE_RE = re.compile(r"[^\s/]+|/")


@dataclass(frozen=True, slots=True)
class Entry:
    """One known name: its canonical form, its kind and the exact surface it was listed as."""

    name: str
    kind: str
    surface: tuple[str, ...]
    exact: bool
    """True for acronyms ("WHO", "US"): they only match text written the same way."""


@dataclass(frozen=True)
class Gazetteer:
    """Known names indexed by their folded word pieces, plus the recogniser's word lists."""

    entries: dict[tuple[str, ...], tuple[Entry, ...]]
    max_pieces: int
    sizes: dict[str, tuple[int, ...]]
    """Folded first piece → the piece counts of the entries starting with it, longest first."""
    first_names: frozenset[str]
    words: dict[str, frozenset[str]]
    aliases: dict[str, str] = field(default_factory=dict)
    """Folded alias or name → canonical name, for grouping mentions across reports."""

    def word_list(self, name: str) -> frozenset[str]:
        """Return the word list ``name`` (one of the lists in ``words.yaml``)."""
        return self.words[name]

    def canonical_name(self, text: str) -> str | None:
        """Return the gazetteer's canonical name for ``text`` (any listed alias), if any."""
        return self.aliases.get(" ".join(fold(text).split()))


def name_pieces(name: str) -> tuple[str, ...]:
    """Split a name into raw pieces the way the recogniser does (``"RFE/RL"`` → 3 pieces)."""
    return tuple(_NAME_PIECE_RE.findall(name))


def _is_exact(name: str) -> bool:
    """True when ``name`` is an acronym (no lower-case letter) and must match case."""
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) >= 2 and not any(ch.islower() for ch in letters)


def _read_yaml(filename: str) -> dict[str, Any]:
    """Load one packaged YAML file with the safe loader (libyaml's when PyYAML has it:
    parsing the packaged data was 0.3 s of every process that annotates)."""
    text = resources.files("tui").joinpath("data", filename).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise ValueError(f"{filename}: expected a mapping at the top level")
    return data


def _lines(block: str | None) -> list[list[str]]:
    """Parse a block of ``Name | Alias | Alias`` lines into lists of names."""
    out: list[list[str]] = []
    for line in (block or "").splitlines():
        names = [part.strip() for part in line.split("|") if part.strip()]
        if names:
            out.append(names)
    return out


class _Builder:
    """Accumulates entries and aliases, then freezes them into a :class:`Gazetteer`."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], list[Entry]] = {}
        self.aliases: dict[str, str] = {}
        self.first_names: set[str] = set()
        self.words: dict[str, frozenset[str]] = {}

    def add(self, canonical: str, kind: str, surfaces: list[str]) -> None:
        """Register ``canonical`` of ``kind`` under each of ``surfaces`` (itself included)."""
        for surface in [canonical, *surfaces]:
            raw = name_pieces(surface)
            if not raw:
                continue
            key = tuple(fold(piece) for piece in raw)
            entry = Entry(canonical, kind, raw, _is_exact(surface))
            bucket = self.entries.setdefault(key, [])
            # A later (user) entry for the same key wins over the packaged one.
            bucket[:] = [e for e in bucket if e.surface != raw or e.exact != entry.exact]
            bucket.insert(0, entry)
            self.aliases[" ".join(fold(surface).split())] = canonical

    def kind_of(self, name: str) -> str | None:
        """The kind of a name already registered, if any."""
        bucket = self.entries.get(tuple(fold(p) for p in name_pieces(name)))
        return bucket[0].kind if bucket else None

    def freeze(self) -> Gazetteer:
        """Build the immutable gazetteer."""
        entries = {key: tuple(bucket) for key, bucket in self.entries.items() if bucket}
        sizes: dict[str, set[int]] = {}
        for key in entries:
            sizes.setdefault(key[0], set()).add(len(key))
        return Gazetteer(
            entries=entries,
            max_pieces=max((len(key) for key in entries), default=1),
            sizes={k: tuple(sorted(v, reverse=True)) for k, v in sizes.items()},
            first_names=frozenset(self.first_names),
            words=dict(self.words),
            aliases=dict(self.aliases),
        )


def _base_builder() -> _Builder:
    """A builder holding the packaged data."""
    builder = _Builder()
    data = _read_yaml("gazetteer.yaml")
    for kind in NAME_KINDS:
        for names in _lines(data.get(kind)):
            builder.add(names[0], kind, names[1:])
    words = _read_yaml("words.yaml")
    for name in _WORD_LISTS:
        builder.words[name] = frozenset(str(words.get(name) or "").split())
    common = builder.words["common"]
    # Plurals of common words are common too ("Officials", "Witnesses").
    builder.words["common"] = common | {w + "s" for w in common} | {w + "es" for w in common}
    first = _read_yaml("names.yaml")
    builder.first_names.update(str(first.get("first_names") or "").split())
    return builder


@lru_cache(maxsize=1)
def _base() -> Gazetteer:
    return _base_builder().freeze()


def _string_list(value: Any, where: str) -> list[str]:
    """Check that ``value`` is a list of non-empty strings (or one string)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"gazetteer config: {where!r} must be a list of names (strings)")
    return [v.strip() for v in value]


def validate_extra(extra: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` naming the first bad key or value of a user gazetteer section."""
    if not isinstance(extra, Mapping):
        raise ValueError("gazetteer config: expected a mapping of section → names")
    allowed = sorted([*_CONFIG_KINDS, "aliases", *_CONFIG_LISTS])
    for key, value in extra.items():
        if key in _CONFIG_KINDS or key in _CONFIG_LISTS:
            _string_list(value, str(key))
        elif key == "aliases":
            if not isinstance(value, Mapping):
                raise ValueError("gazetteer config: 'aliases' must map a name to its aliases")
            for name, alts in value.items():
                if not isinstance(name, str) or not name.strip():
                    raise ValueError(f"gazetteer config: alias key {name!r} must be a name")
                _string_list(alts, f"aliases.{name}")
        else:
            raise ValueError(
                f"gazetteer config: unknown key {key!r} (expected one of: {', '.join(allowed)})"
            )


@lru_cache(maxsize=16)
def _extended(extra_json: str) -> Gazetteer:
    extra: dict[str, Any] = json.loads(extra_json)
    builder = _base_builder()
    for key, value in extra.items():
        if key in _CONFIG_KINDS:
            for name in _string_list(value, key):
                builder.add(name, _CONFIG_KINDS[key], [])
        elif key == "first_names":
            builder.first_names.update(fold(n) for n in _string_list(value, key))
    for name, alts in (extra.get("aliases") or {}).items():
        kind = builder.kind_of(name) or "other"
        builder.add(name.strip(), kind, _string_list(alts, f"aliases.{name}"))
    return builder.freeze()


def load_gazetteer(extra: Mapping[str, Any] | None = None) -> Gazetteer:
    """Return the packaged gazetteer, extended with the user's config section ``extra``.

    Both the packaged data and each distinct extension are cached. Raises ``ValueError``
    with a message naming the bad key when ``extra`` is malformed.
    """
    if not extra:
        return _base()
    validate_extra(extra)
    return _extended(json.dumps(extra, sort_keys=True, ensure_ascii=False))
