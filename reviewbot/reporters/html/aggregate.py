"""The report's numbers: pure functions from ledger records, scan findings and suppressions.

No I/O and no clock: `today` is passed in, so every figure on the page can be tested. Findings are
counted per scan report (a finding seen in two reports counts twice: each report is one review).
Per-rule false-positive rates count each fingerprint once, by its latest verdict, exactly as
`reviewbot triage stats` does (`reviewbot.triage.stats.ledger_stats`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from enum import StrEnum

from reviewbot.finding import Disposition, Severity
from reviewbot.policy.audit import AUDIT_PREFIX
from reviewbot.reporters.html.inputs import ScanFinding, ScanReport
from reviewbot.reporters.html.suppression_view import Suppression
from reviewbot.triage.ledger import LedgerRead, TriageRecord, Verdict
from reviewbot.triage.stats import Tally, ledger_stats

EXPIRING_DAYS = 30
HIST_BINS = 10
DEMOTED = Disposition.BELOW_THRESHOLD.value


@dataclass(frozen=True)
class Week:
    start: date  # the Monday (ISO week) the decisions fall in, in UTC
    counts: dict[Verdict, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def weekly_decisions(records: Iterable[TriageRecord]) -> list[Week]:
    """Every ledger record (each decision, not just the latest) per ISO week and verdict.

    Weeks run from the first decision's week to the last one's without gaps, so a quiet week shows
    as zero rather than vanishing from the chart.
    """
    per_week: dict[date, Counter[Verdict]] = {}
    for r in records:
        day = r.when.astimezone(UTC).date()
        monday = day - timedelta(days=day.weekday())
        per_week.setdefault(monday, Counter())[r.verdict] += 1
    if not per_week:
        return []
    weeks = []
    monday, last = min(per_week), max(per_week)
    while monday <= last:
        counts = per_week.get(monday, Counter())
        weeks.append(Week(monday, {v: counts[v] for v in Verdict}))
        monday += timedelta(days=7)
    return weeks


def rules_by_volume(read: LedgerRead) -> list[Tally]:
    """Per rule: findings by latest verdict, most decided first (then by rule id)."""
    return sorted(ledger_stats(read).rules, key=lambda t: (-t.findings, t.rule_id))


@dataclass(frozen=True)
class Histogram:
    """Scores of reported vs demoted (below-threshold) findings, in `HIST_BINS` equal bins of 0..1.

    Audit samples (demoted findings shown anyway, `reviewbot.policy.audit`) are counted on their own."""

    reported: list[int]
    demoted: list[int]
    audit: list[int]
    other_scored: int  # scored findings hidden for another reason (triaged, suppressed, …)
    unscored: int

    @property
    def scored(self) -> int:
        return sum(self.reported) + sum(self.demoted) + sum(self.audit) + self.other_scored


def score_bin(score: float, bins: int = HIST_BINS) -> int:
    """Bin i holds i/bins <= score < (i+1)/bins; a score of exactly 1 goes to the last bin."""
    return min(bins - 1, max(0, int(score * bins)))


def score_histogram(findings: Iterable[ScanFinding]) -> Histogram:
    reported, demoted, audit = [0] * HIST_BINS, [0] * HIST_BINS, [0] * HIST_BINS
    other = unscored = 0
    for f in findings:
        if f.score is None:
            unscored += 1
        elif is_audit_sample(f):
            audit[score_bin(f.score)] += 1
        elif f.disposition == Disposition.REPORTED.value:
            reported[score_bin(f.score)] += 1
        elif f.disposition == DEMOTED:
            demoted[score_bin(f.score)] += 1
        else:
            other += 1
    return Histogram(reported, demoted, audit, other, unscored)


def unscored_reasons(findings: Iterable[ScanFinding]) -> list[tuple[str, int]]:
    """Unscored findings per recorded reason, most common first (reports older than the field: '')."""
    counts = Counter(f.unscored_reason for f in findings if f.score is None)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def is_audit_sample(f: ScanFinding) -> bool:
    """A demoted finding shown anyway as an audit sample (as `reviewbot.policy.audit.is_audit_sample`)."""
    return f.disposition == Disposition.REPORTED.value and f.disposition_reason.startswith(AUDIT_PREFIX)


def all_findings(reports: Sequence[ScanReport]) -> list[ScanFinding]:
    return [f for r in reports for f in r.findings]


def disposition_counts(findings: Iterable[ScanFinding]) -> list[tuple[str, int]]:
    """Findings per disposition: the known ones in pipeline order, then any unknown (newer) ones."""
    counts = Counter(f.disposition for f in findings)
    known = [d.value for d in Disposition if counts[d.value]]
    unknown = sorted(d for d in counts if d not in {k.value for k in Disposition})
    return [(d, counts[d]) for d in [*known, *unknown]]


def hidden_examples(findings: Iterable[ScanFinding], per_disposition: int = 3) -> dict[str, list[ScanFinding]]:
    """A few hidden findings per disposition, most severe first, for the "why" column."""
    rank = {s.value: -s.rank for s in Severity}  # the report's severities are strings; unknown ones last
    groups: dict[str, list[ScanFinding]] = {}
    for f in findings:
        if f.disposition != Disposition.REPORTED.value:
            groups.setdefault(f.disposition, []).append(f)
    return {
        d: sorted(fs, key=lambda f: (rank.get(f.severity, 1), f.rule_id, f.path, f.start_line))[:per_disposition]
        for d, fs in groups.items()
    }


class Status(StrEnum):
    EXPIRED = "expired"
    EXPIRING = "expiring"  # within EXPIRING_DAYS
    ACTIVE = "active"
    PERMANENT = "permanent"


def status_of(entry: Suppression, today: date) -> Status:
    if entry.permanent or entry.expires is None:  # the file's schema allows no third case
        return Status.PERMANENT
    if entry.expires < today:
        return Status.EXPIRED
    if entry.expires <= today + timedelta(days=EXPIRING_DAYS):
        return Status.EXPIRING
    return Status.ACTIVE


@dataclass
class OwnerRow:
    owner: str
    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))
    unused: int = 0  # of these, entries that matched nothing lately (whatever their status)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def suppressions_by_owner(entries: Iterable[Suppression], today: date) -> list[OwnerRow]:
    """Entries per owner and status; owners with expired entries first, then by volume."""
    rows: dict[str, OwnerRow] = {}
    for e in entries:
        owner = e.owner or "(no owner)"
        row = rows.setdefault(owner, OwnerRow(owner))
        row.counts[status_of(e, today)] += 1
        row.unused += e.unused
    return sorted(rows.values(), key=lambda r: (-r.counts[Status.EXPIRED], -r.total, r.owner))


def suppressions_by_urgency(entries: Iterable[Suppression], today: date) -> list[tuple[Suppression, Status]]:
    """Each entry with its status: expired, then expiring soonest, active, permanent."""
    order = list(Status)
    pairs = [(e, status_of(e, today)) for e in entries]
    return sorted(pairs, key=lambda p: (order.index(p[1]), p[0].expires or date.max, p[0].id))
