"""Ledger records to training rows: one row per fingerprint, leak-free by construction.

* The label is the latest verdict per fingerprint (`triage.ledger.latest_verdicts`): `is_real`.
* The row's time is that verdict's `when`; it orders the split.
* Static features (rule, context, diff) come from the record's stored vector: the finding as it
  was reviewed. When the latest record has none, or one of an older schema, the newest record of
  the same fingerprint with a vector of the current schema is used; else the row is skipped and
  counted. A vector lacking only features added to the schema since (`ADDED_WITH_DEFAULT`, the
  JavaScript and TypeScript languages) gets them at the value they had then (0).
* History features are never taken from the stored vector: they are recomputed from the ledger
  itself, from decisions strictly before the row's time and never from its own fingerprint.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from reviewbot.errors import InputError
from reviewbot.learn.features import (
    ADDED_WITH_DEFAULT,
    FEATURE_NAMES,
    FEATURE_SCHEMA_VERSION,
    HISTORY_FEATURES,
    leak_free_history,
    without_path_roles_if_critical,
)
from reviewbot.triage.ledger import TriageRecord, latest_verdicts, read_ledger

_STATIC = tuple(n for n in FEATURE_NAMES if n not in HISTORY_FEATURES)


class TrainingError(InputError):
    """The ledger cannot train or evaluate a model (too few rows, one class only, ...)."""


@dataclass(frozen=True)
class Row:
    fingerprint: str
    rule_id: str
    when: datetime
    label: int  # 1: a human acted on it (verdict.is_real); 0: false positive
    features: dict[str, float]


@dataclass
class Dataset:
    rows: list[Row]  # ordered by (when, fingerprint)
    records: int
    skipped: dict[str, int] = field(default_factory=dict)
    sha256: str = ""  # of the ledger file's bytes, when read from a file
    problems: list[tuple[int, str]] = field(default_factory=list)  # unreadable ledger lines


def load_records(path: Path) -> tuple[list[TriageRecord], str, list[tuple[int, str]]]:
    """The ledger's records, the sha256 of its bytes, and its unreadable lines."""
    if not path.is_file():
        raise TrainingError(f"{path}: no such ledger file")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    read = read_ledger(path)
    return list(read.records), digest, list(read.problems)


def build_dataset(records: Sequence[TriageRecord]) -> Dataset:
    latest = latest_verdicts(records)
    with_vector: dict[str, TriageRecord] = {}
    for r in sorted(records, key=lambda r: r.when):  # the newest usable vector per fingerprint
        if r.features is not None and r.feature_schema == FEATURE_SCHEMA_VERSION:
            with_vector[r.fingerprint] = r
    skipped: Counter[str] = Counter()
    chosen: list[tuple[TriageRecord, dict[str, float]]] = []
    for fp, decision in latest.items():
        current = decision.features is not None and decision.feature_schema == FEATURE_SCHEMA_VERSION
        source = decision if current else (with_vector.get(fp) or decision)
        if source is None or source.features is None:
            skipped["no feature vector"] += 1
            continue
        if source.feature_schema != FEATURE_SCHEMA_VERSION:
            skipped[
                f"feature schema {source.feature_schema!r} (this reviewbot trains on {FEATURE_SCHEMA_VERSION})"
            ] += 1
            continue
        stored = {**ADDED_WITH_DEFAULT, **source.features}  # written before those features existed
        if any(name not in stored for name in _STATIC):
            skipped["incomplete feature vector"] += 1
            continue
        vector = {name: float(stored[name]) for name in _STATIC}
        chosen.append((decision, without_path_roles_if_critical(vector)))
    keys = [(d.fingerprint, d.rule_id, d.path if vec["path_new"] == 0.0 else None, d.when) for d, vec in chosen]
    histories = leak_free_history(records, keys)
    rows = [
        Row(d.fingerprint, d.rule_id, d.when, int(d.verdict.is_real), {**vec, **hist})
        for (d, vec), hist in zip(chosen, histories, strict=True)
    ]
    rows.sort(key=lambda r: (r.when, r.fingerprint))
    return Dataset(rows, len(records), dict(skipped))
