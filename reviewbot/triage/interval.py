"""Proportions shown honestly: the Wilson score interval, and a count with its interval.

A rate from a small sample is never shown bare: `Proportion` carries the count behind it and its
Wilson 95 % interval (sound at small counts and at 0 or n successes, where the normal
approximation collapses to a zero-width interval). The audit estimate (`policy.audit`) and the
KPIs (`triage.kpi`) both use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the two-sided 95 % normal quantile


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion (no continuity correction)."""
    if trials <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes out of {trials} trials")
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Proportion:
    """`part` of `whole`, with the Wilson 95 % interval; `rate` None when `whole` is 0."""

    part: int
    whole: int

    @property
    def rate(self) -> float | None:
        return self.part / self.whole if self.whole else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.part, self.whole) if self.whole else None

    def words(self) -> str:
        """`8 of 10 (80%, 95% interval 49-94%)` (an en dash in the text), or `0 of 0` when there is nothing to count."""
        if not self.whole:
            return "0 of 0"
        low, high = wilson_interval(self.part, self.whole)
        return f"{self.part} of {self.whole} ({self.part / self.whole:.0%}, 95% interval {low:.0%}\u2013{high:.0%})"

    def as_json(self) -> dict[str, object]:
        interval = self.interval
        return {
            "part": self.part,
            "whole": self.whole,
            "rate": self.rate,
            "low": interval[0] if interval else None,
            "high": interval[1] if interval else None,
        }
