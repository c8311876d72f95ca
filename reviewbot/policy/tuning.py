"""Tuning: which threshold a finding's score meets, the floors that are never demoted, and the stage
that re-decides REPORTED / BELOW_THRESHOLD with them (`.reviewbot/config.yml` says which; `config.py`
reads it).

    effective_threshold(finding, loaded.config, card)    # rule > category > threshold > preset > card
    always_report(finding, loaded.config)                # floors: never demoted
    apply_tuning(findings, loaded.config, card, ...)     # re-decides REPORTED / BELOW_THRESHOLD
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from reviewbot.errors import ConfigError
from reviewbot.finding import Disposition, Finding
from reviewbot.policy.config import Config


def _card_dict(card: Mapping[str, Any] | BaseModel) -> Mapping[str, Any]:
    if isinstance(card, BaseModel):  # a ModelCard: read the two fields, not a dump per finding
        return {"threshold": getattr(card, "threshold", None), "thresholds": getattr(card, "thresholds", None)}
    return card


def threshold_for_recall(card: Mapping[str, Any] | BaseModel, recall: float) -> float | None:
    """The card's threshold for the smallest listed recall at or above `recall` (None: not listed).

    `card["thresholds"]` maps recall (a string such as "0.95") to a threshold; choosing the next
    recall up when the exact one is missing keeps at least the recall the preset promises.
    """
    table = _card_dict(card).get("thresholds")
    if not isinstance(table, Mapping):
        return None
    rows: list[tuple[float, float]] = []
    for key, value in table.items():
        try:
            r, t = float(key), float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(r) and math.isfinite(t) and 0.0 <= t <= 1.0 and r >= recall - 1e-9:
            rows.append((r, t))
    return min(rows)[1] if rows else None


def _card_threshold(card: Mapping[str, Any] | BaseModel) -> float:
    value = _card_dict(card).get("threshold")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ConfigError(f"the model card has no usable `threshold` (found {value!r})")
    return float(value)


def threshold_source(
    finding: Finding, config: Config, card: Mapping[str, Any] | BaseModel, override: float | None = None
) -> tuple[float, str]:
    """The threshold for `finding` and where it came from, most specific first; `override` (the
    --threshold of the person running reviewbot) beats every config and card threshold."""
    if override is not None:
        return override, "--threshold"
    if finding.rule_id in config.thresholds.rules:
        return config.thresholds.rules[finding.rule_id], f"thresholds.rules.{finding.rule_id}"
    if finding.category in config.thresholds.categories:
        return config.thresholds.categories[finding.category], f"thresholds.categories.{finding.category}"
    if config.threshold is not None:
        return config.threshold, "threshold"
    if config.preset is not None:
        value = threshold_for_recall(card, config.preset.recall)
        if value is not None:
            return value, f"preset {config.preset.value} (recall {config.preset.recall:.2f} on the model card)"
        return _card_threshold(card), f"the model card (it lists no threshold for preset {config.preset.value})"
    return _card_threshold(card), "the model card"


def effective_threshold(finding: Finding, config: Config, card: Mapping[str, Any] | BaseModel) -> float:
    """Per rule, else per category, else `threshold`, else the preset's row of the card, else the card's."""
    return threshold_source(finding, config, card)[0]


def always_report_reason(finding: Finding, config: Config) -> str | None:
    floors = config.always_report
    if floors.severity is not None and finding.severity.rank >= floors.severity.rank:
        return f"severity {finding.severity.value} is at or above always_report.severity {floors.severity.value}"
    if finding.rule_id in floors.rules:
        return f"rule {finding.rule_id} is in always_report.rules"
    if finding.category in floors.categories:
        return f"category {finding.category} is in always_report.categories"
    return None


def always_report(finding: Finding, config: Config) -> bool:
    """True when a floor in `always_report` says the model may never demote this finding."""
    return always_report_reason(finding, config) is not None


def apply_tuning(
    findings: Sequence[Finding],
    config: Config,
    card: Mapping[str, Any] | BaseModel,
    *,
    model: str = "",
    resurfaced: Mapping[str, str] | None = None,
    override: float | None = None,
) -> list[Finding]:
    """Re-decide REPORTED / BELOW_THRESHOLD for every scored finding with the config's thresholds.

    Only findings the model decides are touched (scored, and REPORTED or BELOW_THRESHOLD); every
    other disposition is kept. `resurfaced` (fingerprint → note, from the suppressions stage)
    names findings whose suppression expired: they are shown whatever their score, with the note.
    """
    resurfaced = resurfaced or {}
    of_model = f" of model {model}" if model else ""
    out = []
    for f in findings:
        if f.score is None or f.disposition not in (Disposition.REPORTED, Disposition.BELOW_THRESHOLD):
            out.append(f)
            continue
        threshold, source = threshold_source(f, config, card, override)
        below = f.score < threshold
        floor = always_report_reason(f, config) if below else None
        if f.fingerprint in resurfaced:
            extra = f"; score {f.score:.2f} is below the threshold {threshold:.2f}" if below else ""
            out.append(f.with_disposition(Disposition.REPORTED, resurfaced[f.fingerprint] + extra))
        elif below and floor is None:
            reason = f"score {f.score:.2f} is below the threshold {threshold:.2f}{of_model} (from {source})"
            out.append(f.with_disposition(Disposition.BELOW_THRESHOLD, reason))
        elif floor is not None:
            reason = f"always reported: {floor} (score {f.score:.2f}, threshold {threshold:.2f})"
            out.append(f.with_disposition(Disposition.REPORTED, reason))
        elif f.disposition is Disposition.BELOW_THRESHOLD:
            out.append(f.with_disposition(Disposition.REPORTED, ""))
        else:
            out.append(f)
    return out
