"""`reviewbot triage import-github`: decisions already taken in GitHub code scanning, as ledger records.

Reads the repository's code-scanning alerts (`GET /code-scanning/alerts`, page by page, rate
limits waited out by `client.Api` up to its bounded wait) and maps each one (docs/triage.md,
"Decisions from code scanning"):

    dismissed, "false positive"  → false_positive
    dismissed, "won't fix"       → wont_fix
    dismissed, "used in tests"   → accepted_risk   (real code, a risk accepted where it runs)
    dismissed, "mitigated"       → accepted_risk
    fixed, open                  → no record: context, counted ("the warning went away" is no label)

`who` is `dismissed_by.login`, `when` is `dismissed_at`, `commit` the alert's
`most_recent_instance.commit_sha`. The key is OUR fingerprint (v1), computed from the code at
the alert's location at that commit, read from the local checkout with git (`alert_code.py`);
an alert whose code cannot be read (commit not fetched, file gone, lines past the end) is
counted and skipped. Re-running writes nothing twice: a record is new only if neither its
ledger key (fingerprint, who, verdict, when) nor its alert (number, who, verdict, when, kept in
the reason) is in the ledger already.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict, ValidationError

from reviewbot.change.git import GitRepo
from reviewbot.github.alert_code import AlertSite, fingerprint_sites
from reviewbot.github.client import Api
from reviewbot.scanners.sarif_map import imported_rule_id
from reviewbot.triage.ledger import (
    FindingFacts,
    Source,
    TriageError,
    TriageRecord,
    Verdict,
    as_utc,
    new_record,
    unseen,
)

DISMISSAL_VERDICTS = {
    "false positive": Verdict.FALSE_POSITIVE,
    "won't fix": Verdict.WONT_FIX,
    "used in tests": Verdict.ACCEPTED_RISK,
    "mitigated": Verdict.ACCEPTED_RISK,
}
_ALERT_IN_REASON = re.compile(r"^GitHub code scanning alert #(?P<n>\d+) ")


class _Read(BaseModel):
    """What GitHub sends, read leniently: fields not declared are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class _Login(_Read):
    login: str = ""


class _Named(_Read):
    id: str | None = None
    name: str | None = None


class _Location(_Read):
    path: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    start_column: int | None = None
    end_column: int | None = None


class _Instance(_Read):
    commit_sha: str | None = None
    location: _Location | None = None


class Alert(_Read):
    """A code-scanning alert, declaring only the fields read."""

    number: int
    state: str | None = None
    dismissed_by: _Login | None = None
    dismissed_at: str | None = None
    dismissed_reason: str | None = None
    dismissed_comment: str | None = None
    rule: _Named | None = None
    tool: _Named | None = None
    most_recent_instance: _Instance | None = None

    def site(self) -> AlertSite | None:
        inst = self.most_recent_instance
        loc = inst.location if inst is not None else None
        rule = self.rule.id if self.rule is not None else None
        if inst is None or loc is None or not inst.commit_sha or not loc.path or not loc.start_line or not rule:
            return None
        end_line = loc.end_line or loc.start_line
        rule_id = imported_rule_id(self.tool.name if self.tool is not None and self.tool.name else "", rule)
        return AlertSite(
            self.number, rule_id, inst.commit_sha, loc.path, loc.start_line, end_line, loc.start_column, loc.end_column
        )


@dataclass
class AlertImport:
    """What one import found: the new records, and a count for every alert left out, by why."""

    records: list[TriageRecord] = field(default_factory=list)
    alerts: int = 0
    states: Counter[str] = field(default_factory=Counter)  # every alert listed, by state
    already: int = 0  # dismissals already in the ledger
    skipped: Counter[str] = field(default_factory=Counter)  # dismissals not imported, by why
    examples: list[str] = field(default_factory=list)  # a few skipped alerts, named
    with_features: int = 0  # new records that carry a feature vector (from the report)


def list_alerts(api: Api, repository: str, tool_name: str | None = None) -> Iterator[dict[str, object]]:
    """Every code-scanning alert of the repository (all states), oldest first, page by page."""
    params: dict[str, object] = {"sort": "created", "direction": "asc"}
    if tool_name:
        params["tool_name"] = tool_name
    yield from api.iter_items("list code scanning alerts", f"/repos/{repository}/code-scanning/alerts", params)


def import_alerts(
    items: Iterable[dict[str, object]],
    repo: GitRepo,
    ledger: Sequence[TriageRecord],
    known: Mapping[str, FindingFacts] | None = None,
) -> AlertImport:
    """The ledger records for the dismissed alerts among `items` that the ledger does not hold yet.

    `known` (a scan report's findings by fingerprint, e.g. `scan --all --import-sarif` of the same
    tool) gives a record the finding's feature vector, so the decision can train the model.
    """
    out = AlertImport()
    alerts: list[Alert] = []
    for item in items:
        out.alerts += 1
        try:
            alert = Alert.model_validate(item)
        except ValidationError:
            out.states["unreadable"] += 1
            continue
        out.states[alert.state or "unknown"] += 1
        alerts.append(alert)
    sites = {a.number: s for a in alerts if (s := a.site()) is not None}
    fingerprints = fingerprint_sites(repo, list(sites.values()))
    candidates: list[TriageRecord] = []
    for alert in alerts:
        if alert.state != "dismissed":
            continue
        why, record = _record(alert, sites.get(alert.number), fingerprints, known or {})
        if record is None:
            out.skipped[why] += 1
            if len(out.examples) < 10:
                out.examples.append(f"alert #{alert.number}: {why}")
            continue
        candidates.append(record)
    seen_alerts = {_alert_key(r) for r in ledger} - {None}
    fresh = [r for r in unseen(candidates, ledger) if _alert_key(r) not in seen_alerts]
    out.already = len(candidates) - len(fresh)
    out.records = fresh
    out.with_features = sum(1 for r in fresh if r.features is not None)
    return out


def _record(
    alert: Alert, site: AlertSite | None, fingerprints: dict[int, str | None], known: Mapping[str, FindingFacts]
) -> tuple[str, TriageRecord | None]:
    verdict = DISMISSAL_VERDICTS.get(alert.dismissed_reason or "")
    who = alert.dismissed_by.login if alert.dismissed_by is not None else ""
    if verdict is None:
        return f"dismissed with no reason reviewbot maps ({alert.dismissed_reason!r})", None
    if not who or not alert.dismissed_at:
        return "no dismisser or no dismissal time (a deleted account?)", None
    if site is None:
        return "no rule id, commit or location", None
    fp = fingerprints.get(alert.number)
    if fp is None:
        return "its code cannot be read at its commit in this checkout", None
    tool = alert.tool.name if alert.tool is not None and alert.tool.name else "unknown tool"
    reason = f"GitHub code scanning alert #{alert.number} ({tool}), dismissed as {alert.dismissed_reason}"
    if alert.dismissed_comment and alert.dismissed_comment.strip():
        reason += f": {alert.dismissed_comment.strip()}"
    try:
        when = datetime.fromisoformat(alert.dismissed_at)
        return "", new_record(
            _facts(fp, site, known.get(fp)),
            verdict,
            reason=reason,
            who=who,
            when=when,
            source=Source.IMPORT,
            commit=site.commit,
        )
    except (ValueError, TriageError) as exc:
        return f"not a valid record ({exc})", None


def _facts(fp: str, site: AlertSite, reported: FindingFacts | None) -> FindingFacts:
    """The record's facts: the alert's rule and path, and the report's features when it has the finding."""
    if reported is None or reported.rule_id != site.rule_id:
        return FindingFacts(fp, site.rule_id, path=site.path)
    return FindingFacts(
        fp, site.rule_id, path=site.path, features=reported.features, feature_schema=reported.feature_schema
    )


def _alert_key(record: TriageRecord) -> tuple[str, str, Verdict, datetime] | None:
    """The alert a code-scanning record came from, so that the same alert is never written twice
    (even if its code, and so its fingerprint, reads differently on a later run)."""
    m = _ALERT_IN_REASON.match(record.reason) if record.source is Source.IMPORT else None
    return (m.group("n"), record.who, record.verdict, as_utc(record.when)) if m else None
