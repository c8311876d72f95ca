"""Time-ordered splits: train on earlier decisions, test on later ones.

A boundary is a time: every row at or after it is on the later side, so rows decided at the same
instant never straddle it, and since a dataset has one row per fingerprint no fingerprint can be
on both sides (`check_disjoint` proves it on every split, and raises rather than asserts, so it
holds under `python -O` too). The validation slice is the latest part of the training side: it
stops boosting early, fits the calibration and chooses the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reviewbot.learn.dataset import Row, TrainingError

MIN_ROWS = 10  # on each side of a split


@dataclass(frozen=True)
class Split:
    fit: list[Row]  # trains the trees
    validation: list[Row]  # early stopping, calibration, threshold
    test: list[Row]  # held out: the reported figures
    split_at: datetime  # first time of the test side
    validation_from: datetime

    @property
    def train(self) -> list[Row]:
        return self.fit + self.validation


def boundary(rows: Sequence[Row], later_fraction: float) -> datetime:
    """The time that puts about `later_fraction` of the (time-ordered) rows at or after it."""
    if not rows:
        raise TrainingError("no rows to split")
    k = min(len(rows) - 1, max(1, round(len(rows) * (1.0 - later_fraction))))
    return rows[k].when


def cut(rows: Sequence[Row], at: datetime) -> tuple[list[Row], list[Row]]:
    return [r for r in rows if r.when < at], [r for r in rows if r.when >= at]


def time_split(
    rows: Sequence[Row],
    *,
    split_at: datetime | None = None,
    test_fraction: float = 0.25,
    validation_fraction: float = 0.2,
    min_rows: int = MIN_ROWS,
) -> Split:
    rows = sorted(rows, key=lambda r: (r.when, r.fingerprint))
    at = split_at if split_at is not None else boundary(rows, test_fraction)
    train, test = cut(rows, at)
    if len(train) < 2 * min_rows or len(test) < min_rows:
        raise TrainingError(
            f"too few rows to split at {at.isoformat()}: {len(train)} before (need {2 * min_rows}), "
            f"{len(test)} at or after (need {min_rows})"
        )
    vat = boundary(train, validation_fraction)
    fit, validation = cut(train, vat)
    if len(fit) < min_rows or len(validation) < min_rows:
        raise TrainingError(f"too few rows for a validation slice: {len(fit)} fit, {len(validation)} validation")
    split = Split(fit, validation, test, at, vat)
    check_disjoint(split)
    return split


def check_disjoint(split: Split) -> None:
    """No fingerprint on two sides, and every side strictly later than the one before."""
    sides = {"fit": split.fit, "validation": split.validation, "test": split.test}
    seen: dict[str, str] = {}
    for name, side in sides.items():
        for r in side:
            if r.fingerprint in seen:
                raise TrainingError(f"fingerprint {r.fingerprint} is on both the {seen[r.fingerprint]} and {name} side")
            seen[r.fingerprint] = name
    if max(r.when for r in split.fit) >= min(r.when for r in split.validation):
        raise TrainingError("validation rows must all be later than the fit rows")
    if max(r.when for r in split.validation) >= min(r.when for r in split.test):
        raise TrainingError("test rows must all be later than the training rows")
