"""What one review adds to the event history: the new facts, given what the history already holds.

    events = review_events(fold(prior).timelines, findings, Review(...), commented=..., verdicts=...)

Pure: the PR path (`github/runner.py`) and `scan` (`cli/scan.py`) gather the inputs and append
the result (`events.append_events`). For each finding of the review:

* `reported` the first time it is shown to a person (disposition `reported`, audit samples
  marked), never again for the same fingerprint;
* `commented` when an inline comment was posted for it on this PR (once per PR);
* `suppressed` when a finding reported earlier is now suppressed (inline or by file);
* `fixed` when a finding reported earlier, not fixed or suppressed since, is absent from this
  review (no disposition at all, hidden ones included) although the review looked at its file:
  on a PR, any finding first reported on that PR whose file was not skipped (a later push or a
  force-push that removed the code); for `scan`, any open finding whose file is in the change;
* `verdict` for each trusted verdict read from the PR's thread;
* one `reviewed` event per run (the denominator of comments per PR).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from reviewbot.change.changes import Change
from reviewbot.finding import Disposition, Finding
from reviewbot.triage.events import EventKind, EventSource, HistoryEvent, Timeline
from reviewbot.triage.ledger import Verdict, as_utc

_SUPPRESSED = frozenset({Disposition.SUPPRESSED_INLINE, Disposition.SUPPRESSED_FILE})


@dataclass(frozen=True)
class Review:
    """The review that ran: who ran it, when, on what, and which files it looked at."""

    source: EventSource
    when: datetime
    commit: str | None
    pr: int | None
    # Could this review have found a finding at this path (its file was scanned, or removed)?
    looked_at: Callable[[str], bool]


def review_events(
    timelines: Mapping[str, Timeline],
    findings: Iterable[Finding],
    review: Review,
    *,
    audit: Callable[[Finding], bool] = lambda f: False,
    commented: Iterable[str] = (),
    verdicts: Iterable[tuple[str, str, Verdict, datetime]] = (),
) -> list[HistoryEvent]:
    """The events this review adds (see the module doc); `verdicts` are (fingerprint, rule, verdict,
    when the person gave it)."""
    common: dict[str, object] = {
        "when": as_utc(review.when),
        "source": review.source,
        "commit": review.commit,
        "pr": review.pr,
    }
    out: list[HistoryEvent] = []
    present: dict[str, Finding] = {}
    for f in findings:
        present.setdefault(f.fingerprint, f)
    for fp, f in present.items():
        known = timelines.get(fp)
        if f.disposition is Disposition.REPORTED and known is None:
            facts = {"severity": f.severity, "score": f.score, "path": f.path, "audit": audit(f)}
            out.append(_event(EventKind.REPORTED, common, fp, f.rule_id, **facts))
        elif f.disposition in _SUPPRESSED and known is not None and known.open:
            out.append(_event(EventKind.SUPPRESSED, common, fp, known.rule_id, path=known.path))
    reported_now = {e.fingerprint for e in out if e.event is EventKind.REPORTED}
    if review.pr is not None:
        for fp in dict.fromkeys(commented):
            t = timelines.get(fp)
            if (t is None or review.pr not in t.commented) and (t is not None or fp in reported_now):
                rule = t.rule_id if t is not None else present[fp].rule_id
                out.append(_event(EventKind.COMMENTED, common, fp, rule))
    for t in timelines.values():
        if not t.open or t.fingerprint in present or t.path is None:
            continue
        in_scope = t.pr == review.pr if review.pr is not None else True
        if in_scope and review.looked_at(t.path):
            out.append(_event(EventKind.FIXED, common, t.fingerprint, t.rule_id, path=t.path))
    for fp, rule, verdict, given in verdicts:
        t = timelines.get(fp)
        if t is None and fp not in reported_now:
            continue  # a finding the history never saw reported: every run would append it again
        if t is not None and (as_utc(given), verdict) in t.verdicts:
            continue  # the thread still shows the verdict an earlier run recorded
        out.append(_event(EventKind.VERDICT, {**common, "when": as_utc(given)}, fp, rule, verdict=verdict))
    out.append(HistoryEvent.model_validate({"event": EventKind.REVIEWED, **common}))
    return out


def looked_at_in(change: Change) -> Callable[[str], bool]:
    """The files a scan of `change` looked at: those it scanned (a deleted file included), and, for
    the whole tree (`--all`), a file that no longer exists."""
    scanned = {f.path for f in change.files if not f.skip_reason}
    skipped = {f.path for f in change.files if f.skip_reason}

    def looked_at(path: str) -> bool:
        if path in scanned:
            return True
        return change.whole_tree and path not in skipped and not (change.root / path).exists()

    return looked_at


def _event(kind: EventKind, common: Mapping[str, object], fp: str, rule: str, **facts: object) -> HistoryEvent:
    return HistoryEvent.model_validate({"event": kind, "fingerprint": fp, "rule_id": rule, **common, **facts})
