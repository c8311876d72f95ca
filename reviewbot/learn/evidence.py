"""When a figure on the report is backed by enough data to colour it, and the words when it is not.

One rule for every tile and verdict on the page: a tile turns amber or red only when its figure
rests on a sample at least as large as the minimum its statistic needs; below that it stays
neutral and says "N of M needed". The minimums live with the statistics they guard: drift's in
`reviewbot.learn.drift.MIN_RECENT`, the audit estimate's here.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewbot.learn.drift import MIN_RECENT

# Triaged audit samples before the hidden-findings share is a headline figure. The share carries a
# Wilson 95 % interval whose half-width is about 0.98 / sqrt(n) at a share of 0.5: at n = 1 it spans
# 21-100 %, at n = 10 about +-0.28, and from n = 30 at most +-0.17 (under 0.15 for shares up to
# 0.25), narrow enough to tell "the model hides few real findings" from "it hides many".
MIN_AUDIT_TRIAGED = 30


@dataclass(frozen=True)
class Evidence:
    """`have` observations of the `need` a figure's statistic needs (`have` None: not recorded)."""

    have: int | None
    need: int
    what: str

    @property
    def enough(self) -> bool:
        return self.have is not None and self.have >= self.need

    def shortfall(self) -> str:
        have = "an unknown number" if self.have is None else str(self.have)
        return f"not enough {self.what} to judge ({have} of {self.need} needed)"


def drift_evidence(rows: int | None) -> Evidence:
    return Evidence(rows, MIN_RECENT, "recent findings")


def audit_evidence(triaged: int) -> Evidence:
    return Evidence(triaged, MIN_AUDIT_TRIAGED, "triaged audit samples")
