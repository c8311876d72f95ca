"""Drift: how far recent findings have moved from the data a model was trained on.

The card stores, per feature and for the calibrated score, the training rows' distribution
(`Distribution`: exact values when there are few, else decile edges). Recent findings are binned
the same way and compared with the population stability index

    PSI = sum over bins of (recent share - training share) * ln(recent share / training share)

(shares floored at 1e-4). By the usual reading, under 0.1 is stable, 0.1-0.25 a moderate shift,
above 0.25 a large one. A value never seen in training falls into an extra bin whose training
share is 0, so a new kind of finding shows up as drift. Decision counts (`rule_decisions`,
`path_decisions`) grow with the ledger by construction and are left out.

Under MIN_RECENT recent findings there is no verdict on the PSI (`DriftReport.enough`): the report
says "not enough recent findings to judge (N of M needed)" instead of "stable" or "large shift".
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewbot.learn.card import Distribution

MAX_VALUES = 12
SCORE_EDGES = [i / 10 for i in range(1, 10)]
MODERATE, LARGE = 0.1, 0.25
# The sample a PSI verdict needs. For n recent findings drawn from the training distribution itself,
# n * PSI is roughly chi-squared with (bins - 1) degrees of freedom (PSI is a symmetrised
# chi-squared distance between the two share vectors). With the ten decile bins plus the unseen
# bin (10 degrees of freedom), the 99th percentile of chi-squared(10) is 23.2, so an unchanged
# distribution stays under LARGE (0.25) in 99 % of samples only from n >= 23.2 / 0.25 = 93; at
# n = 2 a single finding in an empty bin already reads as PSI > 1. Rounded up to 100, which also
# gives each decile bin an expected count of 10 (the chi-squared reading needs at least ~5).
MIN_RECENT = 100
GROWING = frozenset({"rule_decisions", "path_decisions"})  # counts that grow with the ledger: not drift
_FLOOR = 1e-4


def summarize(values: Sequence[float], edges: Sequence[float] | None = None) -> Distribution:
    distinct = sorted(set(values))
    if edges is None and len(distinct) <= MAX_VALUES:
        counts = {v: 0 for v in distinct}
        for v in values:
            counts[v] += 1
        return Distribution(values=distinct, shares=[counts[v] / len(values) for v in distinct])
    if edges is None:
        ordered = sorted(values)
        edges = sorted({ordered[min(len(ordered) - 1, (len(ordered) * k) // 10)] for k in range(1, 10)})
    return Distribution(edges=list(edges), shares=_shares(Distribution(edges=list(edges), shares=[]), values)[:-1])


def _shares(dist: Distribution, values: Sequence[float]) -> list[float]:
    """Shares of `values` in the distribution's bins, plus a last bin for values it has no bin for."""
    if dist.values is not None:
        index = {v: i for i, v in enumerate(dist.values)}
        counts = [0] * (len(dist.values) + 1)
        for v in values:
            counts[index.get(v, len(dist.values))] += 1
    else:
        edges = dist.edges or []
        counts = [0] * (len(edges) + 2)
        for v in values:
            counts[bisect.bisect_left(edges, v)] += 1
    n = max(1, len(values))
    return [c / n for c in counts]


def psi(dist: Distribution, values: Sequence[float]) -> float:
    recent = _shares(dist, values)
    expected = [*dist.shares, *[0.0] * (len(recent) - len(dist.shares))]
    total = 0.0
    for e, a in zip(expected, recent, strict=True):
        e, a = max(e, _FLOOR), max(a, _FLOOR)
        total += (a - e) * math.log(a / e)
    return total


@dataclass(frozen=True)
class DriftReport:
    rows: int
    feature_psi: dict[str, float]
    score_psi: float | None
    new_labels: int | None  # decisions since the training data ended (ledger mode)
    training_rows: int

    @property
    def worst(self) -> list[tuple[str, float]]:
        return sorted(self.feature_psi.items(), key=lambda kv: -kv[1])

    @property
    def enough(self) -> bool:
        """Whether there are enough recent findings for the PSI values to mean anything."""
        return self.rows >= MIN_RECENT

    def reasons(self) -> list[str]:
        """Why retraining is due. PSI reasons only from MIN_RECENT findings on (`learn.evidence`
        words the shortfall); the count of new decisions is a reason of its own whatever the PSI says."""
        out = []
        if self.enough and self.score_psi is not None and self.score_psi >= LARGE:
            out.append(f"the score distribution moved (PSI {self.score_psi:.2f} >= {LARGE})")
        large = [(n, v) for n, v in self.worst if v >= LARGE] if self.enough else []
        if large:
            names = ", ".join(f"{n} {v:.2f}" for n, v in large[:5])
            out.append(f"{len(large)} feature(s) moved a lot (PSI >= {LARGE}): {names}")
        if self.new_labels is not None and self.new_labels >= max(50, self.training_rows // 5):
            out.append(f"{self.new_labels} decisions since the training data ended (>= 20% of {self.training_rows})")
        return out

    def as_json(self) -> dict[str, object]:
        """The result as `reviewbot drift --json` prints it and `reviewbot report` reads it (drift.json)."""
        return {
            "rows": self.rows,
            "training_rows": self.training_rows,
            "min_recent": MIN_RECENT,
            "enough": self.enough,
            "score_psi": self.score_psi,
            "feature_psi": dict(self.worst),
            "new_labels": self.new_labels,
            "reasons": self.reasons(),
        }


def compare(
    distributions: Mapping[str, Distribution],
    vectors: Sequence[Mapping[str, float]],
    scores: Sequence[float] | None,
    *,
    new_labels: int | None,
    training_rows: int,
) -> DriftReport:
    feature_psi = {
        name: psi(dist, [v.get(name, 0.0) for v in vectors])
        for name, dist in distributions.items()
        if name != "__score__" and name not in GROWING
    }
    score_psi = None
    if scores is not None and "__score__" in distributions:
        score_psi = psi(distributions["__score__"], scores)
    return DriftReport(len(vectors), feature_psi, score_psi, new_labels, training_rows)


def drift_report(model_dir: Path, *, ledger: Path | None, report: Path | None) -> DriftReport:
    """Recent findings against `model_dir`'s training data: the ledger's decisions after the
    training data ended, or the findings of a scan report (their stored features, scored here)."""
    from reviewbot.learn.scoring import Scorer

    scorer = Scorer.load(model_dir)
    card = scorer.card
    vectors: list[dict[str, float]]
    new_labels: int | None = None
    if report is not None:
        vectors = _report_vectors(report)
    else:
        from reviewbot.learn.dataset import build_dataset, load_records

        records, _, _ = load_records(ledger) if ledger is not None else ([], "", [])
        end = card.training_data.last_decision
        rows = [r for r in build_dataset(records).rows if end is None or r.when.isoformat() > end]
        vectors, new_labels = [r.features for r in rows], len(rows)
    scores = [scorer.explain(v)[0] for v in vectors]
    return compare(
        card.training_distribution,
        vectors,
        scores,
        new_labels=new_labels,
        training_rows=card.split.fit.rows + card.split.validation.rows,
    )


def _report_vectors(path: Path) -> list[dict[str, float]]:
    from pydantic import ValidationError

    from reviewbot.errors import InputError
    from reviewbot.finding import Finding
    from reviewbot.learn.features import FEATURE_SCHEMA_VERSION, features_of
    from reviewbot.scan_report import read_findings

    out = []
    for f in read_findings(path, error=InputError):
        if not isinstance(f, dict):
            continue
        features = f.get("features")
        if isinstance(features, dict) and f.get("feature_schema") == FEATURE_SCHEMA_VERSION:
            out.append({str(k): float(v) for k, v in features.items()})
            continue
        try:
            out.append(features_of(Finding.model_validate(f)))
        except ValidationError:
            continue
    return out
