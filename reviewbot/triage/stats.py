"""What `reviewbot triage stats` counts: per rule, findings per latest verdict, the false-positive
rate, records and the last decision, read from the ledger (the HTML report shows the same counts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from reviewbot.triage.ledger import LedgerRead, Verdict, as_utc, latest_verdicts


@dataclass
class Tally:
    """Findings (fingerprints) per latest verdict, for one rule or for the whole ledger."""

    rule_id: str
    counts: dict[Verdict, int] = field(default_factory=lambda: dict.fromkeys(Verdict, 0))
    records: int = 0
    last_decision: datetime | None = None

    @property
    def findings(self) -> int:
        return sum(self.counts.values())

    @property
    def false_positive_rate(self) -> float | None:
        return self.counts[Verdict.FALSE_POSITIVE] / self.findings if self.findings else None


@dataclass(frozen=True)
class LedgerStats:
    rules: list[Tally]
    total: Tally
    malformed_lines: int


def ledger_stats(read: LedgerRead) -> LedgerStats:
    """Per rule: each finding counted once, by its latest verdict; records and last decision date."""
    by_rule: dict[str, Tally] = {}
    total = Tally("total")
    for r in read.records:
        for tally in (by_rule.setdefault(r.rule_id, Tally(r.rule_id)), total):
            tally.records += 1
            when = as_utc(r.when)
            if tally.last_decision is None or when > tally.last_decision:
                tally.last_decision = when
    for r in latest_verdicts(read.records).values():
        by_rule[r.rule_id].counts[r.verdict] += 1
        total.counts[r.verdict] += 1
    return LedgerStats(sorted(by_rule.values(), key=lambda t: t.rule_id), total, len(read.problems))
