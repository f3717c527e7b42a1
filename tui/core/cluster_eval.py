"""Measuring a clustering against gold labels: B-cubed precision, recall and F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``pred`` against ``gold`` (item → cluster label).

    For each item, precision is the share of its predicted cluster that shares its gold
    label, recall the share of its gold cluster that shares its predicted cluster; both are
    averaged over the items present in both mappings.
    """
    items = [i for i in gold if i in pred]
    if not items:
        return 0.0, 0.0, 0.0
    both = Counter((pred[i], gold[i]) for i in items)
    pred_size = Counter(pred[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    precision = sum(both[(pred[i], gold[i])] / pred_size[pred[i]] for i in items) / len(items)
    recall = sum(both[(pred[i], gold[i])] / gold_size[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed_f1(pred: Mapping[str, str], gold: Mapping[str, str]) -> float:
    """B-cubed F1 of ``pred`` against ``gold`` (see :func:`bcubed`)."""
    return bcubed(pred, gold)[2]
