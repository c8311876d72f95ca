"""The hidden-findings audit: a small, fixed sample of demoted findings is shown anyway, so the
team can measure what the model hides.

    findings = sample_for_audit(findings, config.audit)   # some BELOW_THRESHOLD → REPORTED
    record_samples(default_log_path(root), findings)       # remember which were samples
    estimate = estimate_hidden_real(ledger.records, read_samples(log).keys())

Sampling is a pure function of the fingerprint and a salt (sha256(salt ":" fingerprint) read
as a number in [0, 1), sampled when under the rate), so re-runs, other machines and the PR
path all draw the same sample, and the draw is independent of the score: the sample stands
for every demoted finding, not for the ones near the threshold.

The estimate is the share of triaged audit samples whose latest verdict is real
(`Verdict.is_real`), with a Wilson score 95 % interval (sound at small counts and at 0 or n
successes, where the normal approximation collapses to a zero-width interval).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reviewbot.finding import Disposition, Finding
from reviewbot.policy.config import AuditSettings

# The interval lives in triage/ (below policy/), where the KPIs use it too; re-exported here.
from reviewbot.triage.interval import Z_95 as Z_95
from reviewbot.triage.interval import wilson_interval as wilson_interval
from reviewbot.triage.ledger import TriageRecord, latest_verdicts

AUDIT_PREFIX = "sampled for audit"


def sample_point(fingerprint: str, salt: str) -> float:
    """Where a fingerprint falls in [0, 1): uniform over fingerprints, fixed for one salt."""
    digest = hashlib.sha256(f"{salt}:{fingerprint}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_sampled(fingerprint: str, rate: float, salt: str) -> bool:
    return sample_point(fingerprint, salt) < rate


def is_audit_sample(finding: Finding) -> bool:
    """A demoted finding this stage chose to show (for reporters: label it as an audit sample)."""
    return finding.disposition is Disposition.REPORTED and finding.disposition_reason.startswith(AUDIT_PREFIX)


def sample_for_audit(findings: Sequence[Finding], settings: AuditSettings) -> list[Finding]:
    """Show the sampled share of BELOW_THRESHOLD findings as REPORTED audit samples.

    Run it after the last stage that demotes (scoring, tuning). Other findings are unchanged.
    """
    if settings.sample_rate <= 0.0:
        return list(findings)
    one_in = round(1 / settings.sample_rate) if settings.sample_rate > 0 else 0
    out = []
    for f in findings:
        if f.disposition is Disposition.BELOW_THRESHOLD and is_sampled(
            f.fingerprint, settings.sample_rate, settings.salt
        ):
            why = f.disposition_reason or "the model demoted it"
            reason = (
                f"{AUDIT_PREFIX}: shown although {why}. About 1 in {one_in} demoted findings is shown so the "
                "team can check what the model hides; please triage it"
            )
            f = f.with_disposition(Disposition.REPORTED, reason)
        out.append(f)
    return out


# -- the sample log ------------------------------------------------------------------------------


class AuditSample(BaseModel):
    """One finding shown as an audit sample (a line of the audit log)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    v: int = 1
    fingerprint: str = Field(pattern=r"^[0-9a-f]{32}$")
    rule_id: str
    path: str
    score: float | None = None
    when: datetime


def default_log_path(repo_root: Path) -> Path:
    """Per-checkout audit log in the user cache (like the suppression usage counts)."""
    from reviewbot.scanners.rulesets import checkout_cache_file

    return checkout_cache_file("audit", repo_root, ".jsonl")


def read_samples(path: Path) -> dict[str, AuditSample]:
    """Audit samples by fingerprint (first sighting kept); unreadable lines are skipped."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    out: dict[str, AuditSample] = {}
    for raw in data.splitlines():
        try:
            sample = AuditSample.model_validate_json(raw)
        except (ValidationError, ValueError):
            continue
        out.setdefault(sample.fingerprint, sample)
    return out


def record_samples(path: Path, findings: Iterable[Finding], when: datetime | None = None) -> list[AuditSample]:
    """Append this review's audit samples not yet in the log at `path`; returns what was appended."""
    when = when or datetime.now(UTC)
    known = read_samples(path)
    new = [
        AuditSample(fingerprint=f.fingerprint, rule_id=f.rule_id, path=f.path, score=f.score, when=when)
        for f in findings
        if is_audit_sample(f) and f.fingerprint not in known
    ]
    if new:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write("".join(s.model_dump_json() + "\n" for s in new))
    return new


def samples_from_report(path: Path) -> set[str]:
    """Fingerprints shown as audit samples in a saved JSON report (`scan --format json`, `pr --save-results`)."""
    try:
        doc = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return set()
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict):
        doc = doc["result"]
    found = doc.get("findings") if isinstance(doc, dict) else None
    out = set()
    for f in found if isinstance(found, list) else []:
        if (
            isinstance(f, dict)
            and f.get("disposition") == Disposition.REPORTED.value
            and str(f.get("disposition_reason", "")).startswith(AUDIT_PREFIX)
            and isinstance(f.get("fingerprint"), str)
        ):
            out.add(f["fingerprint"])
    return out


# -- the estimate --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEstimate:
    """How often the model hides a real finding, from the triaged audit samples."""

    samples: int  # audit samples known (shown at least once)
    triaged: int  # of those, with a verdict in the ledger
    real: int  # of those, whose latest verdict is real (not false_positive)
    share: float | None  # real / triaged; None before any sample is triaged
    low: float  # Wilson 95 % interval of the share
    high: float
    by_rule: dict[str, tuple[int, int]]  # rule id → (real, triaged)

    @property
    def coverage(self) -> float | None:
        """Share of samples triaged: a low coverage means the estimate may reflect which got triaged."""
        return self.triaged / self.samples if self.samples else None

    def hidden_real(self, demoted: int) -> tuple[float, float, float] | None:
        """Expected real findings among `demoted` hidden ones: (estimate, low, high)."""
        if self.share is None:
            return None
        return self.share * demoted, self.low * demoted, self.high * demoted

    def describe(self) -> str:
        if self.share is None:
            return f"{self.samples} audit sample(s) shown, none triaged yet: no estimate"
        return (
            f"{self.real} of {self.triaged} triaged audit samples were real: {self.share:.1%} of demoted findings "
            f"(95 % CI {self.low:.1%} to {self.high:.1%}); {self.triaged} of {self.samples} samples triaged"
        )


def estimate_hidden_real(records: Iterable[TriageRecord], samples: Iterable[str]) -> AuditEstimate:
    """Among the audit samples with a verdict (the latest per fingerprint), the share that are real."""
    sampled = set(samples)
    verdicts = latest_verdicts(records)
    decided = [r for fp, r in verdicts.items() if fp in sampled]
    real = sum(1 for r in decided if r.verdict.is_real)
    by_rule: dict[str, tuple[int, int]] = {}
    for r in decided:
        k, n = by_rule.get(r.rule_id, (0, 0))
        by_rule[r.rule_id] = (k + int(r.verdict.is_real), n + 1)
    low, high = wilson_interval(real, len(decided))
    return AuditEstimate(
        samples=len(sampled),
        triaged=len(decided),
        real=real,
        share=real / len(decided) if decided else None,
        low=low,
        high=high,
        by_rule=dict(sorted(by_rule.items())),
    )
