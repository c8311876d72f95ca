"""The lead's KPIs, computed from the event history and the triage ledger (docs/kpi.md).

    kpis = compute_kpis(history.events, ledger.records, since=..., until=now, rule=None)

A finding counts in a window when it was first reported in it (`since` <= reported <= `until`);
what happened to it afterwards counts up to `until`. Per finding:

* accepted: fixed, or its latest verdict is `true_positive`;
* false positive: its latest verdict (ledger records and trusted PR-thread verdicts together,
  the latest `when` deciding, as in `ledger.latest_verdicts`) is `false_positive`, of the
  findings with a verdict;
* time to fix: first report → first fix; time to triage: first report → first verdict;
* demoted but real: an audit sample (a demoted finding shown anyway) whose latest verdict is real,
  of the triaged audit samples.

Every share is a `Proportion` (count and Wilson interval). Clock skew (a fix or verdict dated
before the report, as runners' clocks disagree) counts as zero time and is counted in `skewed`;
events dated after `until` are left out and counted in `later`.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from reviewbot.triage.events import EventKind, HistoryEvent, Timeline, bulk, fold
from reviewbot.triage.interval import Proportion
from reviewbot.triage.ledger import TriageRecord, Verdict, as_utc

# Findings of a rule before the PR summary says how often they were fixed: under ten, one fix
# more or less moves the share by over ten points, and the Wilson interval spans half the scale.
MIN_LINE_SAMPLE = 10


@dataclass(frozen=True)
class Durations:
    """Elapsed times in seconds; mean and median None when there are none."""

    seconds: tuple[float, ...] = ()

    @property
    def count(self) -> int:
        return len(self.seconds)

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.seconds) if self.seconds else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None


@dataclass(frozen=True)
class Figures:
    """The KPIs of one group of findings (a rule, a severity, a week, or all of them)."""

    reported: int
    accepted: Proportion  # fixed or true_positive, of reported
    fixed: Proportion  # fixed, of reported
    false_positive: Proportion  # false_positive, of those with a verdict
    time_to_fix: Durations
    time_to_triage: Durations
    demoted_real: Proportion  # real, of the triaged audit samples


@dataclass
class _Group:
    reported: int = 0
    accepted: int = 0
    fixed: int = 0
    triaged: int = 0
    false_positive: int = 0
    audit_triaged: int = 0
    audit_real: int = 0
    to_fix: list[float] = field(default_factory=list)
    to_triage: list[float] = field(default_factory=list)

    def figures(self) -> Figures:
        return Figures(
            reported=self.reported,
            accepted=Proportion(self.accepted, self.reported),
            fixed=Proportion(self.fixed, self.reported),
            false_positive=Proportion(self.false_positive, self.triaged),
            time_to_fix=Durations(tuple(self.to_fix)),
            time_to_triage=Durations(tuple(self.to_triage)),
            demoted_real=Proportion(self.audit_real, self.audit_triaged),
        )


@dataclass(frozen=True)
class Kpis:
    since: datetime | None
    until: datetime
    rule: str | None
    overall: Figures
    rules: dict[str, Figures]
    severities: dict[str, Figures]
    weeks: list[tuple[date, Figures]]  # by the ISO week (Monday, UTC) of the first report
    comments: int  # inline comments posted on the PRs reviewed in the window
    prs: int  # PRs reviewed in the window
    skewed: int  # a fix or verdict dated before its report: counted as zero time
    later: int  # events dated after `until`: not counted
    orphans: int  # events about a finding the history never saw reported

    @property
    def comments_per_pr(self) -> float | None:
        return self.comments / self.prs if self.prs else None


@dataclass(frozen=True)
class _Outcome:
    accepted: bool
    fixed_after: float | None
    verdict: Verdict | None
    triaged_after: float | None
    skewed: int


def _verdicts_by_fingerprint(records: Iterable[TriageRecord]) -> dict[str, list[tuple[datetime, Verdict]]]:
    out: dict[str, list[tuple[datetime, Verdict]]] = defaultdict(list)
    for r in records:
        out[r.fingerprint].append((as_utc(r.when), r.verdict))
    return out


def _elapsed(start: datetime, end: datetime) -> tuple[float, int]:
    seconds = (end - start).total_seconds()
    return (0.0, 1) if seconds < 0 else (seconds, 0)


def _outcome(t: Timeline, ledger: list[tuple[datetime, Verdict]], until: datetime) -> _Outcome:
    skewed = 0
    fixed_after = None
    if t.fixed is not None and t.fixed <= until:
        fixed_after, skew = _elapsed(t.reported, t.fixed)
        skewed += skew
    # Every verdict up to `until`, the latest deciding; on equal times the later source (the
    # thread, then the ledger's file order) wins, as in `ledger.latest_verdicts`.
    decided = sorted(
        ((when, i, v) for i, (when, v) in enumerate([*t.verdicts, *ledger]) if when <= until),
        key=lambda x: (x[0], x[1]),
    )
    verdict = decided[-1][2] if decided else None
    triaged_after = None
    if decided:
        triaged_after, skew = _elapsed(t.reported, decided[0][0])
        skewed += skew
    accepted = fixed_after is not None or verdict is Verdict.TRUE_POSITIVE
    return _Outcome(accepted, fixed_after, verdict, triaged_after, skewed)


def _add(group: _Group, t: Timeline, o: _Outcome) -> None:
    group.reported += 1
    group.accepted += o.accepted
    if o.fixed_after is not None:
        group.fixed += 1
        group.to_fix.append(o.fixed_after)
    if o.verdict is not None:
        group.triaged += 1
        group.false_positive += o.verdict is Verdict.FALSE_POSITIVE
        if o.triaged_after is not None:
            group.to_triage.append(o.triaged_after)
        if t.audit:
            group.audit_triaged += 1
            group.audit_real += o.verdict.is_real


def compute_kpis(
    events: Iterable[HistoryEvent],
    records: Iterable[TriageRecord],
    *,
    until: datetime,
    since: datetime | None = None,
    rule: str | None = None,
) -> Kpis:
    """The KPIs of the findings first reported in [since, until] (of `rule` only, when given)."""
    until = as_utc(until)
    start = as_utc(since) if since is not None else None
    later = 0
    kept: list[HistoryEvent] = []
    for e in events:
        if e.when > until:  # an event's `when` is in UTC (events.HistoryEvent)
            later += 1
        else:
            kept.append(e)
    with bulk():
        folded = fold(kept)
    ledger = _verdicts_by_fingerprint(records)
    overall = _Group()
    rules: dict[str, _Group] = defaultdict(_Group)
    severities: dict[str, _Group] = defaultdict(_Group)
    weeks: dict[date, _Group] = defaultdict(_Group)
    skewed = 0
    for t in folded.timelines.values():
        if (start is not None and t.reported < start) or (rule is not None and t.rule_id != rule):
            continue
        o = _outcome(t, ledger.get(t.fingerprint, []), until)
        skewed += o.skewed
        for group in (overall, rules[t.rule_id], severities[t.severity.value if t.severity else "unknown"]):
            _add(group, t, o)
        day = t.reported.date()
        _add(weeks[day - timedelta(days=day.weekday())], t, o)
    in_window = [e for e in folded.reviews if e.pr is not None and (start is None or e.when >= start)]
    prs = {e.pr for e in in_window}
    comments = [
        e
        for e in folded.comments
        if e.pr in prs and (start is None or e.when >= start) and (rule is None or e.rule_id == rule)
    ]
    return Kpis(
        since=start,
        until=until,
        rule=rule,
        overall=overall.figures(),
        rules={k: g.figures() for k, g in sorted(rules.items(), key=lambda kv: (-kv[1].reported, kv[0]))},
        severities={k: g.figures() for k, g in sorted(severities.items())},
        weeks=_every_week(weeks),
        comments=len(comments),
        prs=len(prs),
        skewed=skewed,
        later=later,
        orphans=folded.orphans,
    )


def _every_week(weeks: dict[date, _Group]) -> list[tuple[date, Figures]]:
    """Each week from the first to the last, weeks without reports as zeros (not left out)."""
    if not weeks:
        return []
    out, day, last = [], min(weeks), max(weeks)
    while day <= last:
        out.append((day, weeks.get(day, _Group()).figures()))
        day += timedelta(days=7)
    return out


def rule_fix_rates(events: Iterable[HistoryEvent], *, until: datetime, exclude_pr: int | None) -> dict[str, Proportion]:
    """Per rule: findings fixed, of those reported, leaving out one PR's own (the PR being summarised)."""
    end = as_utc(until)
    folded = fold(e for e in events if e.event is not EventKind.REVIEWED and e.when <= end)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for t in folded.timelines.values():
        if exclude_pr is not None and t.pr == exclude_pr:
            continue
        c = counts[t.rule_id]
        c[1] += 1
        c[0] += t.fixed is not None
    return {r: Proportion(k, n) for r, (k, n) in counts.items()}
