"""What the report shows about the model: its card, its drift and the hidden-findings audit.

The card is read as raw JSON and every section is optional: an older or newer card, or one that
is half written, still shows what it has (`card_summary`). Drift and the audit estimate are shown
only when something actually computed them; otherwise the page says "not computed" and how to get
it, never a made-up number. Non-finite numbers and booleans are never taken for metrics.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewbot.errors import ReviewbotError
from reviewbot.learn.evidence import Evidence, drift_evidence
from reviewbot.policy.audit import AuditEstimate

# The usual reading of the population stability index, as in reviewbot/learn/drift.py.
PSI_MODERATE, PSI_LARGE = 0.1, 0.25


# Card metrics that count rows rather than measure them (docs/model-card.md): shown as integers.
COUNT_METRICS = frozenset({"rows", "real", "kept_at_threshold"})


def metric_text(name: str, value: float | None) -> str:
    """A card metric as the page shows it: counts as integers, rates and scores to three places."""
    if value is None:
        return "\u2014"
    return f"{round(value):d}" if name in COUNT_METRICS else f"{value:.3f}"


def number(value: Any) -> float | None:
    """A finite number, or None (booleans, strings, NaN and infinities are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _section(card: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = card.get(key)
    return value if isinstance(value, Mapping) else {}


def _table(value: Any) -> dict[str, dict[str, float]]:
    """{row: {column: number}} keeping only finite numbers and non-empty rows."""
    out: dict[str, dict[str, float]] = {}
    if isinstance(value, Mapping):
        for row, cols in value.items():
            if isinstance(cols, Mapping):
                nums = {str(k): n for k, v in cols.items() if (n := number(v)) is not None}
                if nums:
                    out[str(row)] = nums
    return out


@dataclass(frozen=True)
class CardSummary:
    name: str
    created: str
    facts: list[tuple[str, str]]  # label, value: the card's headline facts, in reading order
    metrics: dict[str, dict[str, float]]  # side (test, validation) -> metric -> value
    baselines: dict[str, dict[str, float]]  # baseline -> metric -> value (test rows)
    libraries: dict[str, str]
    notes: list[str] = field(default_factory=list)


def card_summary(card: Mapping[str, Any], fallback_name: str = "") -> CardSummary:
    data, split = _section(card, "training_data"), _section(card, "split")
    facts: list[tuple[str, str]] = []

    def fact(label: str, value: Any, fmt: str = "{}") -> None:
        if isinstance(value, str) and value:
            facts.append((label, value))
        elif (n := number(value)) is not None:
            facts.append((label, fmt.format(n)))

    fact("decision threshold", card.get("threshold"), "{:.3f}")
    fact("target recall", card.get("target_recall"), "{:.0%}")
    fact("training rows", data.get("rows"), "{:,.0f}")
    fact("ledger records read", data.get("records"), "{:,.0f}")
    fact("training ledger", data.get("ledger"))
    fact("training data sha256", text(data.get("sha256"))[:16])
    fact("last decision used", data.get("last_decision"))
    fact("split", split.get("method"))
    for side in ("fit", "validation", "test"):
        fact(f"{side} rows", _section(split, side).get("rows"), "{:,.0f}")
    fact("fingerprints on two sides", split.get("fingerprints_on_two_sides"), "{:.0f}")
    features = card.get("features")
    if isinstance(features, list):
        facts.append(("features", str(len(features))))
    fact("feature schema", card.get("feature_schema"))
    fact("trees", card.get("num_trees"), "{:.0f}")
    fact("reviewbot version", card.get("reviewbot_version"))
    fact("model sha256", text(card.get("model_sha256"))[:16])
    libraries = card.get("libraries")
    notes = card.get("notes")
    return CardSummary(
        name=text(card.get("name")) or fallback_name,
        created=text(card.get("created")),
        facts=facts,
        metrics=_table(card.get("metrics")),
        baselines=_table(card.get("baselines")),
        libraries={str(k): str(v) for k, v in libraries.items()} if isinstance(libraries, Mapping) else {},
        notes=[n for n in notes if isinstance(n, str)] if isinstance(notes, list) else [],
    )


@dataclass(frozen=True)
class DriftStatus:
    """PSI of recent findings against the training data, or why there is none."""

    computed: bool
    source: str = ""
    score_psi: float | None = None
    worst: list[tuple[str, float]] = field(default_factory=list)  # feature, PSI: largest first
    rows: int | None = None
    reasons: list[str] = field(default_factory=list)
    why_not: str = ""

    @property
    def largest(self) -> float | None:
        return max([v for v in [self.score_psi, *(p for _, p in self.worst)] if v is not None], default=None)

    @property
    def level(self) -> str:
        """The PSI reading alone; whether the sample supports it is `evidence.enough`."""
        return reading(self.largest or 0.0)

    @property
    def evidence(self) -> Evidence:
        return drift_evidence(self.rows)


def reading(psi: float) -> str:
    return "large shift" if psi >= PSI_LARGE else "moderate shift" if psi >= PSI_MODERATE else "stable"


def drift_from_mapping(doc: Mapping[str, Any], source: str) -> DriftStatus:
    """A saved drift result (`score_psi`, `feature_psi`, `rows`, `reasons`), as `reviewbot drift` reports it."""
    feature_psi = doc.get("feature_psi")
    worst = sorted(
        ((str(k), n) for k, v in feature_psi.items() if (n := number(v)) is not None)
        if isinstance(feature_psi, Mapping)
        else [],
        key=lambda kv: -kv[1],
    )
    score = number(doc.get("score_psi"))
    if score is None and not worst:
        return DriftStatus(False, source, why_not=f"{source} holds no PSI values")
    rows = number(doc.get("rows"))
    count = int(rows) if rows is not None else None
    reasons = doc.get("reasons")
    # A saved result's reasons may be PSI verdicts on too small a sample (an older reviewbot gave
    # them): under the minimum none is shown, as the live computation would give none.
    kept = [r for r in reasons if isinstance(r, str)] if isinstance(reasons, list) else []
    return DriftStatus(True, source, score, worst, count, kept if drift_evidence(count).enough else [])


def compute_drift(model_dir: Path, ledger: Path) -> DriftStatus:
    """Drift of the ledger's decisions since the training data, computed by `reviewbot.learn.drift`.

    Needs the model itself (model.txt), not only its card. Any failure is a reason on the page."""
    source = f"computed now from {ledger} against {model_dir}"
    try:
        from reviewbot.learn.drift import drift_report

        report = drift_report(model_dir, ledger=ledger, report=None)
    except (ImportError, ReviewbotError, OSError, ValueError, KeyError) as exc:
        return DriftStatus(False, source, why_not=f"could not compute drift: {exc}")
    if report.rows == 0:
        return DriftStatus(False, source, why_not="no decisions in the ledger after the training data ended")
    return DriftStatus(True, source, report.score_psi, report.worst, report.rows, report.reasons())


@dataclass(frozen=True)
class AuditView:
    """The hidden-findings estimate of `reviewbot.policy.audit`, and the demoted findings it stands for."""

    estimate: AuditEstimate
    demoted: int  # below-threshold findings in the scan reports
