"""Ranking and operating-point metrics, and the trivial baselines every model must beat.

All take parallel lists of scores (higher: more likely real) and labels (1 real, 0 false
positive). Tied scores form one operating point: a threshold keeps all of them or none.

* average precision (PR-AUC): sum over operating points of (recall gained) x precision;
* precision at recall r: the precision of the highest threshold whose recall reaches r (the
  point an operator would choose), 0 when no threshold does;
* baselines: keep-all (one score for every finding), severity-only (the rule's severity, then
  confidence), per-rule prior (the rule's smoothed share of real findings among training labels).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    threshold: float
    tp: int
    fp: int
    precision: float
    recall: float


def operating_points(scores: Sequence[float], labels: Sequence[int]) -> list[Point]:
    """One point per distinct score, highest threshold first (keep rows with score >= threshold)."""
    positives = sum(labels)
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    points: list[Point] = []
    tp = fp = 0
    i = 0
    while i < len(order):
        s = scores[order[i]]
        while i < len(order) and scores[order[i]] == s:
            tp += labels[order[i]]
            fp += 1 - labels[order[i]]
            i += 1
        points.append(Point(s, tp, fp, tp / (tp + fp), tp / positives if positives else 0.0))
    return points


def average_precision(scores: Sequence[float], labels: Sequence[int]) -> float:
    ap, last = 0.0, 0.0
    for p in operating_points(scores, labels):
        ap += (p.recall - last) * p.precision
        last = p.recall
    return ap


def precision_at_recall(scores: Sequence[float], labels: Sequence[int], target: float) -> float:
    for p in operating_points(scores, labels):
        if p.recall >= target - 1e-12:
            return p.precision
    return 0.0


def threshold_for_recall(scores: Sequence[float], labels: Sequence[int], target: float) -> float:
    """The highest threshold whose recall reaches `target`, moved halfway down to the next lower
    score (same rows kept, a margin for new data); 0 when there are no positives."""
    points = operating_points(scores, labels)
    for i, p in enumerate(points):
        if p.recall >= target - 1e-12:
            lower = points[i + 1].threshold if i + 1 < len(points) else 0.0
            return (p.threshold + lower) / 2.0
    return 0.0


GROUP_MIN_REAL = 5


def threshold_for_recall_in_every_group(
    scores: Sequence[float], labels: Sequence[int], groups: Sequence[str], target: float
) -> float:
    """`threshold_for_recall` over all rows, lowered where needed so that every group (a rule)
    with at least `GROUP_MIN_REAL` real rows also keeps `target` of its own: a pooled recall
    target is met just as well by hiding a whole small rule, whose findings all score alike."""
    threshold = threshold_for_recall(scores, labels, target)
    by_group: dict[str, tuple[list[float], list[int]]] = {}
    for s, y, g in zip(scores, labels, groups, strict=True):
        by_group.setdefault(g, ([], []))[0].append(s)
        by_group[g][1].append(y)
    for group_scores, group_labels in by_group.values():
        if sum(group_labels) >= GROUP_MIN_REAL:
            threshold = min(threshold, threshold_for_recall(group_scores, group_labels, target))
    return threshold


def at_threshold(scores: Sequence[float], labels: Sequence[int], threshold: float) -> dict[str, float]:
    """What keeping the rows with score >= threshold does: precision, recall, FP removed."""
    kept = [y for s, y in zip(scores, labels, strict=True) if s >= threshold]
    positives, negatives = sum(labels), len(labels) - sum(labels)
    tp, fp = sum(kept), len(kept) - sum(kept)
    return {
        "threshold": threshold,
        "precision": tp / len(kept) if kept else 0.0,
        "recall": tp / positives if positives else 0.0,
        "fp_removed": (negatives - fp) / negatives if negatives else 0.0,
        "kept": float(len(kept)),
    }


def ranking(scores: Sequence[float], labels: Sequence[int]) -> dict[str, float]:
    return {
        "pr_auc": average_precision(scores, labels),
        "precision_at_90_recall": precision_at_recall(scores, labels, 0.90),
        "precision_at_95_recall": precision_at_recall(scores, labels, 0.95),
    }


def severity_scores(vectors: Sequence[dict[str, float]]) -> list[float]:
    return [v["severity"] + v["confidence"] / 10.0 for v in vectors]


def rule_prior(train_rules: Sequence[str], train_labels: Sequence[int]) -> dict[str, float]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for rule, y in zip(train_rules, train_labels, strict=True):
        counts[rule][0] += y
        counts[rule][1] += 1
    return {rule: (real + 1) / (n + 2) for rule, (real, n) in counts.items()}


def prior_scores(prior: dict[str, float], rules: Sequence[str], default: float) -> list[float]:
    return [prior.get(r, default) for r in rules]
