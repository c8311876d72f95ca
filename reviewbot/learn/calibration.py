"""Probability calibration: Platt scaling, stored as two plain numbers, and its measure (ECE).

    p = 1 / (1 + exp(a * raw + b))        raw: the model's raw score (log-odds scale)

Fitted on the validation slice (rows the trees never saw) with Platt's regularised targets and
the Newton method with backtracking of Lin, Lin and Weng (2007), as LIBSVM does. Two floats in
card.json: nothing executable, nothing pickled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Platt:
    a: float
    b: float

    def __call__(self, raw: float) -> float:
        z = self.a * raw + self.b
        if z >= 0:
            e = math.exp(-z)
            return e / (1.0 + e)
        return 1.0 / (1.0 + math.exp(z))

    def to_json(self) -> dict[str, float | str]:
        return {"method": "platt", "a": self.a, "b": self.b}

    @classmethod
    def from_json(cls, data: dict[str, float | str]) -> Platt:
        if data.get("method") != "platt":
            raise ValueError(f"unknown calibration method {data.get('method')!r}")
        a, b = float(data["a"]), float(data["b"])
        if not (math.isfinite(a) and math.isfinite(b)):
            raise ValueError("calibration parameters must be finite numbers")
        return cls(a, b)


def _loss(scores: Sequence[float], targets: Sequence[float], a: float, b: float) -> float:
    total = 0.0
    for s, t in zip(scores, targets, strict=True):
        z = s * a + b
        total += t * z + math.log1p(math.exp(-z)) if z >= 0 else (t - 1) * z + math.log1p(math.exp(z))
    return total


def fit_platt(scores: Sequence[float], labels: Sequence[int], max_iter: int = 100) -> Platt:
    pos = sum(1 for y in labels if y)
    neg = len(labels) - pos
    hi, lo = (pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0)
    targets = [hi if y else lo for y in labels]
    a, b = 0.0, math.log((neg + 1.0) / (pos + 1.0))
    fval = _loss(scores, targets, a, b)
    for _ in range(max_iter):
        h11 = h22 = 1e-12
        h21 = g1 = g2 = 0.0
        for s, t in zip(scores, targets, strict=True):
            z = s * a + b
            if z >= 0:
                p, q = math.exp(-z) / (1.0 + math.exp(-z)), 1.0 / (1.0 + math.exp(-z))
            else:
                p, q = 1.0 / (1.0 + math.exp(z)), math.exp(z) / (1.0 + math.exp(z))
            d2 = p * q
            h11, h22, h21 = h11 + s * s * d2, h22 + d2, h21 + s * d2
            g1, g2 = g1 + s * (t - p), g2 + (t - p)
        if abs(g1) < 1e-5 and abs(g2) < 1e-5:
            break
        det = h11 * h22 - h21 * h21
        da, db = -(h22 * g1 - h21 * g2) / det, -(-h21 * g1 + h11 * g2) / det
        gd = g1 * da + g2 * db
        step = 1.0
        while step >= 1e-10:
            na, nb = a + step * da, b + step * db
            nf = _loss(scores, targets, na, nb)
            if nf < fval + 1e-4 * step * gd:
                a, b, fval = na, nb, nf
                break
            step /= 2.0
        else:
            break
    return Platt(a, b)


def expected_calibration_error(probs: Sequence[float], labels: Sequence[int], bins: int = 10) -> float:
    """Sum over equal-width probability bins of (share of rows) x |mean probability - share real|."""
    if not probs:
        return 0.0
    n = len(probs)
    return sum(abs(sp - sy) / n for sp, sy, c in _bin_sums(probs, labels, bins) if c)


def reliability(probs: Sequence[float], labels: Sequence[int], bins: int = 10) -> list[tuple[float, float, int]]:
    """(mean probability, share real, rows) per non-empty bin: the calibration plot's points."""
    return [(sp / c, sy / c, int(c)) for sp, sy, c in _bin_sums(probs, labels, bins) if c]


def _bin_sums(probs: Sequence[float], labels: Sequence[int], bins: int) -> list[list[float]]:
    """[sum of probabilities, sum of labels, rows] for each of `bins` equal-width probability bins."""
    sums = [[0.0, 0.0, 0] for _ in range(bins)]
    for p, y in zip(probs, labels, strict=True):
        k = min(bins - 1, int(p * bins))
        sums[k][0] += p
        sums[k][1] += y
        sums[k][2] += 1
    return sums
