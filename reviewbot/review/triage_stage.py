"""The triage stage of a review: the ledger's verdicts decide the findings humans already judged.

    findings = apply_ledger_verdicts(findings, side.ledger())

The latest verdict per fingerprint wins (`triage.ledger.latest_verdicts`). A dismissal
(false_positive, accepted_risk, wont_fix) marks the finding TRIAGED with the verdict, who and
the reason; a true_positive keeps it REPORTED, even when the model scored it under the
threshold (a human confirmed it: the model's guess does not outrank that). Only the dispositions
the model decides (REPORTED, BELOW_THRESHOLD) are touched: a finding that is preexisting,
suppressed or a duplicate stays so. The stage runs after scoring and tuning and before the
audit sample, so a triaged finding is never drawn as a sample of what the model hides.

The records must come from the trusted side of the change (`trusted_side`): a change cannot
dismiss its own findings by adding verdicts to the ledger it brings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reviewbot.finding import Disposition, Finding
from reviewbot.triage.ledger import TriageRecord, Verdict, latest_verdicts

_DECIDED_BY_MODEL = frozenset({Disposition.REPORTED, Disposition.BELOW_THRESHOLD})
_LABEL = {
    Verdict.TRUE_POSITIVE: "confirmed",
    Verdict.FALSE_POSITIVE: "false positive",
    Verdict.ACCEPTED_RISK: "accepted risk",
    Verdict.WONT_FIX: "won't fix",
}


def apply_ledger_verdicts(findings: Sequence[Finding], records: Iterable[TriageRecord]) -> list[Finding]:
    latest = latest_verdicts(records)
    out = []
    for f in findings:
        record = latest.get(f.fingerprint)
        if record is None or f.disposition not in _DECIDED_BY_MODEL:
            out.append(f)
            continue
        said = f"{_LABEL[record.verdict]} ({record.who}, {record.source.value}, {record.when.date().isoformat()})"
        if record.verdict is Verdict.TRUE_POSITIVE:
            if f.disposition is Disposition.BELOW_THRESHOLD:
                f = f.with_disposition(
                    Disposition.REPORTED, f"{said}: shown whatever its score; was: {f.disposition_reason}"
                )
            out.append(f)
            continue
        out.append(f.with_disposition(Disposition.TRIAGED, f"{said}: {record.reason}" if record.reason else said))
    return out
