"""The PR run's part of the event history: what it reads, the summary line, and what it appends.

    history = PrHistory.load(options.history, checkout, ctx)       # trusted events only
    lines = fix_rate_lines(history.events, reported, ctx.number)    # one line in the summary
    history.record(result, ctx, diff, commented, verdicts)          # after posting

Trust (as for the ledger): the events a PR run believes come from the merge-base's
`.reviewbot/history.jsonl` (the base branch's copy, never the PR head's, which the PR could edit
to talk its rule's record up) and from the `--history FILE` the operator named, which must lie
outside the checkout. The run appends only to that file; the team merges it into the base
branch's copy (`merge=union`, docs/kpi.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from reviewbot.change.files import GitFiles
from reviewbot.change.git import GitRepo
from reviewbot.errors import ReviewbotError
from reviewbot.finding import Finding
from reviewbot.github.anchors import DiffMap
from reviewbot.github.event import PrContext
from reviewbot.github.thread_triage import ThreadVerdict
from reviewbot.policy.audit import is_audit_sample
from reviewbot.reporters.markdown import code_span
from reviewbot.review.result import ReviewResult
from reviewbot.triage.events import EventSource, HistoryEvent, append_events, fold, parse_history
from reviewbot.triage.events import read_history as read_history_file
from reviewbot.triage.interval import Proportion
from reviewbot.triage.kpi import MIN_LINE_SAMPLE, rule_fix_rates
from reviewbot.triage.ledger import DEFAULT_HISTORY, Verdict
from reviewbot.triage.tracking import Review, review_events

MAX_RULE_LINES = 3  # rules named in the summary line; the rest are in `reviewbot kpi`


def utc_now() -> datetime:
    """The time stamped on the events (the one clock of this module, so tests can set it)."""
    return datetime.now(UTC)


@dataclass
class PrHistory:
    """The trusted events, where this run appends, and why it does not when it cannot."""

    events: list[HistoryEvent] = field(default_factory=list)
    out: Path | None = None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, out: Path | None, checkout: Path | None, ctx: PrContext) -> PrHistory:
        history = cls()
        if checkout is not None:
            history.events += _base_copy(checkout, ctx.base_sha, ctx.head_sha)
        if out is None:
            return history
        if checkout is not None and out.resolve().is_relative_to(checkout.resolve()):
            history.notes.append(
                f"--history {out} is inside the PR checkout, which the PR can edit: no events recorded "
                "(name a file outside it and merge it into the base branch's copy)"
            )
            return history
        try:
            read = read_history_file(out)
        except ReviewbotError as exc:
            history.notes.append(f"the event history was not read, no events recorded: {exc}")
            return history
        history.events += read.events
        history.out = out
        if read.problems:
            history.notes.append(f"{out}: {len(read.problems)} line(s) are not events and were skipped")
        return history

    def record(
        self,
        result: ReviewResult,
        ctx: PrContext,
        diff: DiffMap,
        commented: Iterable[str],
        verdicts: Sequence[ThreadVerdict],
    ) -> int:
        """Append this run's events to `--history`; the number appended (0 when there is no file)."""
        if self.out is None:
            return 0
        skipped = " ".join(result.skipped)

        def looked_at(path: str) -> bool:  # a file reviewbot skipped (too large, binary) shows nothing
            return path in diff.hunks or path not in skipped

        review = Review(EventSource.PR, utc_now(), ctx.head_sha, ctx.number, looked_at)
        trusted = [(v.fingerprint, v.rule_id, Verdict(v.verdict.value), _given(v.when)) for v in verdicts if v.trusted]
        events = review_events(
            fold(self.events).timelines,
            result.findings,
            review,
            audit=is_audit_sample,
            commented=commented,
            verdicts=trusted,
        )
        try:
            append_events(self.out, events)
        except ReviewbotError as exc:
            self.notes.append(f"the event history was not appended: {exc}")
            return 0
        return len(events)


def _given(when: str) -> datetime:
    """When a thread verdict was given (the comment's time); now, when GitHub's time is unreadable."""
    try:
        given = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return utc_now()
    return given if given.utcoffset() is not None else given.replace(tzinfo=UTC)


def _base_copy(checkout: Path, base_sha: str, head_sha: str) -> list[HistoryEvent]:
    """The events of the merge-base's history file (none when the file or the commits are absent)."""
    try:
        repo = GitRepo.discover(checkout)
        data = GitFiles(repo, repo.merge_base(base_sha, head_sha))(DEFAULT_HISTORY)
    except ReviewbotError:
        return []
    return parse_history(data or b"").events


def fix_rate_lines(events: Sequence[HistoryEvent], reported: Iterable[Finding], pr: int) -> list[str]:
    """At most one line: how often this PR's rules' findings were fixed in this repo before.

    Only rules with at least MIN_LINE_SAMPLE earlier findings are named (fewer says nothing
    honest), each with its count; the PR's own findings are left out of the counts."""
    if not events:
        return []
    rates = rule_fix_rates(events, until=utc_now(), exclude_pr=pr)
    rules = list(dict.fromkeys(f.rule_id for f in reported))
    enough: list[tuple[str, Proportion]] = [
        (r, rates[r]) for r in rules if r in rates and rates[r].whole >= MIN_LINE_SAMPLE
    ]
    if not enough:
        return []
    parts = [f"{code_span(rule)} were fixed {p.part} of {p.whole} times" for rule, p in enough[:MAX_RULE_LINES]]
    more = f" ({len(enough) - MAX_RULE_LINES} more rules: `reviewbot kpi`)" if len(enough) > MAX_RULE_LINES else ""
    return [f"In this repo, findings of {'; of '.join(parts)}{more}."]
