"""The hidden-findings audit: deterministic sampling at the configured rate, the sample log, and the
estimate of real findings among demoted ones with its Wilson interval."""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reviewbot.finding import Confidence, Disposition, Finding, Scanner, Severity
from reviewbot.policy.audit import (
    AUDIT_PREFIX,
    estimate_hidden_real,
    is_audit_sample,
    is_sampled,
    read_samples,
    record_samples,
    sample_for_audit,
    samples_from_report,
    wilson_interval,
)
from reviewbot.policy.config import AuditSettings
from reviewbot.triage.ledger import Source, TriageRecord, Verdict, append_records, read_ledger

T0 = datetime(2026, 1, 2, tzinfo=UTC)


def fingerprints(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.getrandbits(128):032x}" for _ in range(n)]


def demoted(fp: str, score: float = 0.1) -> Finding:
    return Finding(
        rule_id="py.sqli",
        scanner=Scanner.SEMGREP,
        path="app.py",
        start_line=1,
        start_col=1,
        end_line=1,
        end_col=2,
        message="m",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        category="sqli",
        fingerprint=fp,
        score=score,
        disposition=Disposition.BELOW_THRESHOLD,
        disposition_reason=f"score {score:.2f} is below the threshold 0.30 of model m",
    )


# -- sampling ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0.02, 0.1, 0.5])
def test_sampling_hits_the_rate_on_many_fingerprints(rate: float) -> None:
    n = 20_000
    hits = sum(is_sampled(fp, rate, "reviewbot-audit-1") for fp in fingerprints(n))
    sd = math.sqrt(n * rate * (1 - rate))
    assert abs(hits - n * rate) < 4 * sd, (hits, n * rate)


def test_sampling_is_deterministic_and_the_salt_draws_a_new_sample() -> None:
    fps = fingerprints(5_000)
    first = [is_sampled(fp, 0.05, "s1") for fp in fps]
    assert first == [is_sampled(fp, 0.05, "s1") for fp in fps]
    other = [is_sampled(fp, 0.05, "s2") for fp in fps]
    overlap = sum(a and b for a, b in zip(first, other, strict=True))
    assert overlap < sum(first) * 0.2  # independent draws overlap ~5 %


def test_a_larger_rate_keeps_every_sample_of_a_smaller_one() -> None:
    fps = fingerprints(5_000)
    assert all(is_sampled(fp, 0.1, "s") for fp in fps if is_sampled(fp, 0.02, "s"))


def test_sample_for_audit_shows_only_sampled_demoted_findings() -> None:
    settings = AuditSettings(sample_rate=0.1)
    fps = fingerprints(2_000)
    findings = [demoted(fp) for fp in fps]
    reported = demoted("f" * 32).with_disposition(Disposition.REPORTED)
    out = sample_for_audit([*findings, reported], settings)
    shown = [f for f in out[:-1] if f.disposition is Disposition.REPORTED]
    assert {f.fingerprint for f in shown} == {fp for fp in fps if is_sampled(fp, 0.1, settings.salt)}
    assert 140 < len(shown) < 260
    assert all(is_audit_sample(f) for f in shown)
    assert shown[0].disposition_reason.startswith(
        f"{AUDIT_PREFIX}: shown although score 0.10 is below the threshold 0.30 of model m. About 1 in 10"
    )
    assert out[-1] == reported and not is_audit_sample(reported)
    assert sample_for_audit(findings, settings) == out[:-1]  # re-runs agree


def test_the_sample_does_not_depend_on_the_score() -> None:
    fps = fingerprints(4_000)
    low = sample_for_audit([demoted(fp, 0.01) for fp in fps], AuditSettings(sample_rate=0.2))
    high = sample_for_audit([demoted(fp, 0.29) for fp in fps], AuditSettings(sample_rate=0.2))
    assert [f.disposition for f in low] == [f.disposition for f in high]


def test_rate_zero_shows_nothing() -> None:
    findings = [demoted(fp) for fp in fingerprints(500)]
    assert sample_for_audit(findings, AuditSettings(sample_rate=0.0)) == findings


# -- Wilson interval -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (score, no correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # and two small cases, as scipy.stats.binomtest(k, n).proportion_ci(method="wilson") gives them
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_interval_matches_published_values(k: int, n: int, low: float, high: float) -> None:
    got_low, got_high = wilson_interval(k, n)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


def test_wilson_interval_edges() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


# -- the log and the estimate ----------------------------------------------------------------------------


def test_record_samples_appends_new_audit_samples_once(tmp_path: Path) -> None:
    log = tmp_path / "audit" / "log.jsonl"
    fps = fingerprints(1_000)
    out = sample_for_audit([demoted(fp) for fp in fps], AuditSettings(sample_rate=0.05))
    first = record_samples(log, out, T0)
    assert first and {s.fingerprint for s in first} == {f.fingerprint for f in out if is_audit_sample(f)}
    assert record_samples(log, out, T0 + timedelta(days=1)) == []
    with log.open("a") as fh:
        fh.write("{not json\n")
    assert set(read_samples(log)) == {s.fingerprint for s in first}
    assert read_samples(tmp_path / "missing.jsonl") == {}


def test_samples_from_a_saved_report(tmp_path: Path) -> None:
    out = sample_for_audit([demoted(fp) for fp in fingerprints(500)], AuditSettings(sample_rate=0.1))
    report = tmp_path / "results.json"
    report.write_text(json.dumps({"result": {"findings": [f.model_dump(mode="json") for f in out]}}))
    assert samples_from_report(report) == {f.fingerprint for f in out if is_audit_sample(f)}
    assert samples_from_report(tmp_path / "none.json") == set()


def record(fp: str, verdict: Verdict, when: datetime = T0, rule: str = "py.sqli") -> TriageRecord:
    reason = "" if verdict is Verdict.TRUE_POSITIVE else "checked"
    return TriageRecord(
        fingerprint=fp, rule_id=rule, verdict=verdict, reason=reason, who="ada", when=when, source=Source.CLI
    )


def test_estimate_from_a_real_ledger_uses_the_latest_verdict_of_sampled_findings(tmp_path: Path) -> None:
    fps = fingerprints(12)
    samples, others = fps[:10], fps[10:]
    records = [record(fp, Verdict.FALSE_POSITIVE) for fp in samples[:7]]
    records += [record(samples[7], Verdict.TRUE_POSITIVE, rule="py.cmdi"), record(samples[8], Verdict.ACCEPTED_RISK)]
    records += [record(samples[0], Verdict.TRUE_POSITIVE, T0 + timedelta(days=1))]  # re-triaged: now real
    records += [record(fp, Verdict.TRUE_POSITIVE) for fp in others]  # triaged, but never an audit sample
    ledger = tmp_path / "triage.jsonl"
    append_records(ledger, records)
    estimate = estimate_hidden_real(read_ledger(ledger).records, samples)
    assert (estimate.samples, estimate.triaged, estimate.real) == (10, 9, 3)
    assert estimate.share == pytest.approx(3 / 9)
    assert (estimate.low, estimate.high) == wilson_interval(3, 9)
    assert estimate.by_rule == {"py.cmdi": (1, 1), "py.sqli": (2, 8)}
    assert estimate.coverage == pytest.approx(0.9)
    hidden = estimate.hidden_real(900)
    assert hidden is not None and hidden[0] == pytest.approx(300)
    assert estimate.describe().startswith("3 of 9 triaged audit samples were real: 33.3% of demoted findings")


def test_no_triaged_sample_is_no_estimate() -> None:
    estimate = estimate_hidden_real([], fingerprints(3))
    assert estimate.share is None and estimate.hidden_real(100) is None
    assert "none triaged yet" in estimate.describe()
