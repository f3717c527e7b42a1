"""Thresholds and weights for duplicate scoring and story clustering.

Every field can be overridden from the user's config YAML (``ClusterConfig.from_dict``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Settings for :func:`tui.core.dedup_score.score_pair` and :func:`tui.core.cluster.cluster`."""

    copy_containment: float = 0.5
    """Share of the shorter report's word 3-grams found in the other above which the pair
    is a copy (syndicated, mirrored or lightly edited text)."""
    copy_sentence_share: float = 0.5
    """Share of the shorter report's sentences matching the other above which it is a copy."""
    copy_min_terms: float = 0.4
    """Copies must also share their vocabulary (TF-IDF cosine at least this): shared
    boilerplate (a wire footer, a site's byline) must not make two short reports copies."""
    sentence_match: float = 0.5
    """Share of a sentence's word 3-grams that must occur in the other text for it to match."""
    same_story: float = 0.25
    """Pair score at or above which two reports are called the same story."""
    merge_threshold: float = 0.20
    """Average-linkage score two groups need to be merged into one story: the mean pair score
    over all members (pairs never compared count as 0, which resists chaining)."""
    weight_terms: float = 0.45
    """Weight of the TF-IDF cosine of the content words in the pair score."""
    weight_keys: float = 0.45
    """Weight of the shared names, places, figures and dates in the pair score."""
    weight_title: float = 0.10
    """Weight of the title similarity in the pair score."""
    time_window_days: int = 4
    """Reports further apart than this (when both are dated) are rarely the same event: their
    score is halved (copies are not affected)."""
    day_penalty: float = 0.04
    """Score lost per day between two dated reports, up to the time window."""
    idf_prior_docs: int = 20
    """Pseudo-documents added to the corpus size in IDF, so that a name found in every report
    of a 5-report library still counts."""
    candidate_keys: int = 24
    """Rarest terms and keys per report used to look up candidates in the inverted index."""
    max_posting: int = 200
    """Terms or keys shared by more reports than this are too common to propose candidates."""
    max_candidates: int = 10
    """Most candidates per report passed on to precise scoring (best by rare overlap)."""
    min_shared_weight: float = 4.0
    """Summed IDF of the rare terms and keys two reports must share to become candidates."""
    min_shared_share: float = 0.08
    """...and that shared weight relative to the geometric mean of what each posts."""
    lsh_bands: int = 16
    """MinHash LSH bands (rows per band = signature size / bands) proposing copy candidates."""
    exact_component: int = 80
    """Groups of linked reports up to this size have all their pairs scored exactly."""
    max_component: int = 400
    """Larger linked groups are split by raising the link threshold until they fit."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClusterConfig:
        """Build a config from a mapping (e.g. a YAML section).

        Raises:
            ValueError: for an unknown key, a value of the wrong type, or a threshold or
                weight outside [0, 1] (the message names the key).
        """
        known = {f.name: f for f in fields(cls)}
        defaults = cls()
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise ValueError(f"clustering.{key}: unknown setting (known: "
                                 f"{', '.join(sorted(known))})")
            default = getattr(defaults, key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"clustering.{key}: expected a number, not {value!r}")
            values[key] = type(default)(value)
            if isinstance(default, float) and default <= 1 and not 0 <= values[key] <= 1:
                raise ValueError(f"clustering.{key}: must be between 0 and 1")
            least = 0 if key in ("time_window_days", "idf_prior_docs") else 1
            if isinstance(default, int) and values[key] < least:
                raise ValueError(f"clustering.{key}: must be at least {least}")
        return cls(**values)
