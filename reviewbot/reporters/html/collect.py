"""Gathering the report's inputs into one `ReportData`: the only part of the report that reads files.

Each input is optional; a missing one leaves its sections in their empty state. Sources, in the
order tried:

* suppressions: the file, validated by `reviewbot.policy.suppression_file` (as the scan does), and the
  checkout's usage counts for "unused" entries;
* drift: a `drift` object in the card, then `drift.json` beside it, then a live computation by
  `reviewbot.learn.drift` when the model folder has its model and a ledger is given;
* KPIs: `reviewbot.triage.kpi` over the event history files, with the ledger's verdicts;
* audit estimate: `reviewbot.policy.audit.estimate_hidden_real` over the audit samples found in the scan
  reports and the checkout's audit log, with the ledger's verdicts on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from reviewbot.finding import Disposition
from reviewbot.policy.audit import estimate_hidden_real, read_samples, samples_from_report
from reviewbot.reporters.html.inputs import (
    DRIFT_FILE,
    ModelDir,
    ScanReport,
    read_json_object,
    read_model_dir,
    read_scan_report,
    report_files,
)
from reviewbot.reporters.html.model_view import AuditView, DriftStatus, compute_drift, drift_from_mapping
from reviewbot.reporters.html.suppression_view import SuppressionsRead, read_entries
from reviewbot.triage.events import read_history
from reviewbot.triage.kpi import Kpis, compute_kpis
from reviewbot.triage.ledger import LedgerRead, read_ledger

MODEL_FILE = "model.txt"
UNUSED_AFTER = 10  # reviews without a match before an entry is "unused": the config's default


@dataclass(frozen=True)
class Sources:
    """What to read; None means "not given" (the CLI resolves defaults before this)."""

    ledger: Path | None = None
    reports: list[Path] = field(default_factory=list)
    model: Path | None = None
    suppressions: Path | None = None
    suppression_usage: Path | None = None  # the checkout's usage counts (user cache)
    unused_after: int = UNUSED_AFTER
    audit_log: Path | None = None  # the checkout's audit sample log (user cache)
    audit_sample_rate: float | None = None  # the config's audit.sample_rate; None: not known
    history: list[Path] = field(default_factory=list)  # event history files (reviewbot pr/scan --history)


@dataclass(frozen=True)
class ReportData:
    generated: datetime
    sources: Sources
    ledger: LedgerRead | None
    reports: list[ScanReport]
    model: ModelDir | None
    suppressions: SuppressionsRead | None
    drift: DriftStatus
    audit: AuditView | None
    audit_why_not: str
    audit_samples: int
    problems: list[str]
    kpis: Kpis | None = None  # None: no event history was given
    history_events: dict[str, int] = field(default_factory=dict)  # file → events read from it


def collect(sources: Sources, generated: datetime) -> ReportData:
    problems: list[str] = []
    ledger = read_ledger(sources.ledger) if sources.ledger is not None else None
    if ledger is not None and sources.ledger is not None:
        problems += [f"{sources.ledger}:{line}: {message}; skipped" for line, message in ledger.problems]
    files = report_files(sources.reports)
    reports = [r for p in files if (r := read_scan_report(p, problems)) is not None]
    model = read_model_dir(sources.model) if sources.model is not None else None
    if model is not None:
        problems += model.problems
    suppressions = None
    if sources.suppressions is not None:
        today = generated.astimezone(UTC).date()
        suppressions = read_entries(
            sources.suppressions, sources.suppression_usage, today=today, unused_after=sources.unused_after
        )
        problems += [suppressions.error] if suppressions.error else []
        problems += suppressions.problems
    samples = set().union(*(samples_from_report(p) for p in files))
    if sources.audit_log is not None:
        samples |= set(read_samples(sources.audit_log))
    audit, why_not = _audit(samples, ledger, reports)
    kpis, counts = None, {}
    if sources.history:
        events = []
        for path in sources.history:
            read = read_history(path)
            events += read.events
            counts[str(path)] = len(read.events)
            problems += [f"{path}:{line}: {message}; skipped" for line, message in read.problems]
        kpis = compute_kpis(events, ledger.records if ledger is not None else [], until=generated)
    return ReportData(
        generated=generated,
        sources=sources,
        ledger=ledger,
        reports=reports,
        model=model,
        suppressions=suppressions,
        drift=_drift(model, sources.ledger, problems),
        audit=audit,
        audit_why_not=why_not,
        audit_samples=len(samples),
        problems=problems,
        kpis=kpis,
        history_events=counts,
    )


def _drift(model: ModelDir | None, ledger: Path | None, problems: list[str]) -> DriftStatus:
    if model is None:
        return DriftStatus(False, why_not="no model folder was given (--model DIR)")
    card_drift = (model.card or {}).get("drift")
    if isinstance(card_drift, dict):
        return drift_from_mapping(card_drift, f"{model.path / 'card.json'} (drift)")
    saved = read_json_object(model.path / DRIFT_FILE, problems, "drift result")
    if saved is not None:
        return drift_from_mapping(saved, str(model.path / DRIFT_FILE))
    if not (model.path / MODEL_FILE).is_file():
        return DriftStatus(False, why_not=f"{model.path} has no {MODEL_FILE} and no {DRIFT_FILE}")
    if ledger is None:
        return DriftStatus(False, why_not="no ledger to compare with the training data (--ledger FILE)")
    return compute_drift(model.path, ledger)


def _audit(samples: set[str], ledger: LedgerRead | None, reports: list[ScanReport]) -> tuple[AuditView | None, str]:
    if not samples:
        return None, "no audit samples in the scan reports or the checkout's audit log"
    if ledger is None:
        return None, f"{len(samples)} audit sample(s) were shown, and no ledger was given to read their verdicts"
    estimate = estimate_hidden_real(ledger.records, samples)
    if estimate.share is None:
        return None, f"{len(samples)} audit sample(s) were shown and none is triaged yet"
    demoted = sum(f.disposition == Disposition.BELOW_THRESHOLD.value for r in reports for f in r.findings)
    return AuditView(estimate, demoted), ""
