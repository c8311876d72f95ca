"""The facts a triage record keeps about a finding (rule, path, features), read from a scan's JSON
output, and the cache of the last scan's output that `triage mark` and `triage pull` fall back on.

A scan's JSON output is `reviewbot scan --format json` (or a `reviewbot pr --save-results` file):
`load_scan_facts` reads its findings by fingerprint, `find_facts` the one a verdict is about.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from reviewbot._io import write_atomic
from reviewbot.triage.ledger import FINGERPRINT, FindingFacts, TriageError


def last_report_path(repo_root: Path) -> Path:
    """Where `reviewbot scan` keeps its last JSON report for this checkout, in the user cache."""
    from reviewbot.scanners.rulesets import checkout_cache_file

    return checkout_cache_file("last-report", repo_root, ".json")


def save_last_report(repo_root: Path, json_text: str) -> Path:
    """Keep a scan's JSON report for `triage mark` (atomic: a reader never sees half of it)."""
    path = last_report_path(repo_root)
    try:
        write_atomic(path, json_text.encode("utf-8"), make_parents=True)
    except OSError as exc:
        raise TriageError(f"{path}: cannot save the scan report for `triage mark`: {exc.strerror or exc}") from exc
    return path


def load_scan_facts(path: Path) -> dict[str, FindingFacts]:
    """The findings of a `reviewbot scan --format json` report (or a `pr --save-results` file) by fingerprint."""
    from reviewbot.scan_report import read_findings

    out: dict[str, FindingFacts] = {}
    for f in read_findings(path, error=TriageError):
        facts = _facts(f)
        if facts is not None:
            out.setdefault(facts.fingerprint, facts)
    return out


def load_scan_facts_or_last(report: Path | None, repo_root: Path) -> tuple[dict[str, FindingFacts], list[str]]:
    """The findings of `report`, else of the last scan's report when it is usable; and warnings.

    A `report` that cannot be read is a TriageError; the last scan's report missing is no finding,
    and it being unusable is no finding and a warning.
    """
    if report is not None:
        return load_scan_facts(report), []
    cached = last_report_path(repo_root)
    if not cached.is_file():
        return {}, []
    try:
        return load_scan_facts(cached), []
    except TriageError as exc:
        return {}, [f"ignoring the last scan's report: {exc}"]


def _facts(f: Any) -> FindingFacts | None:
    if not isinstance(f, dict):
        return None
    fp, rule, where = f.get("fingerprint"), f.get("rule_id"), f.get("path")
    if not isinstance(fp, str) or not FINGERPRINT.fullmatch(fp) or not isinstance(rule, str) or not rule:
        return None
    raw, schema = f.get("features"), f.get("feature_schema")
    features: dict[str, float] | None = None
    note = ""
    if raw is not None:
        if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for k, v in raw.items()
        ):
            note = "its features are not an object of finite numbers"
        elif not isinstance(schema, str) or not schema:
            note = "its features have no feature_schema"
        else:
            features = {k: float(v) for k, v in raw.items()}
    return FindingFacts(
        fingerprint=fp,
        rule_id=rule,
        path=where if isinstance(where, str) and where else None,
        features=features,
        feature_schema=schema if features is not None else None,
        note=note,
    )


def find_facts(
    fingerprint: str, *, report: Path | None, repo_root: Path, rule_id: str | None
) -> tuple[FindingFacts, list[str]]:
    """The finding's rule, path and features (from `report`, else the last scan), and warnings.

    A fingerprint found in neither is a TriageError naming it, unless `rule_id` is given: then
    the record has the rule and no features, and a warning says so.
    """
    if report is not None:
        where = str(report)
    elif (cached := last_report_path(repo_root)).is_file():
        where = f"the last scan's report ({cached})"
    else:
        where = f"a saved scan report (there is none for {repo_root}: `reviewbot scan` keeps one)"
    known, warnings = load_scan_facts_or_last(report, repo_root)
    facts = known.get(fingerprint)
    if facts is None:
        if rule_id is None:
            raise TriageError(
                f"fingerprint {fingerprint} is not in {where}; pass --report FILE "
                "(a `reviewbot scan --format json` output) or --rule RULE_ID"
            )
        warnings.append(
            f"fingerprint {fingerprint} is not in {where}: recorded with rule {rule_id} and without "
            "features, so it trains no feature-based model"
        )
        return FindingFacts(fingerprint, rule_id), warnings
    if rule_id is not None and rule_id != facts.rule_id:
        raise TriageError(f"--rule {rule_id} contradicts {where}, which says {fingerprint} is rule {facts.rule_id}")
    if facts.features is None:
        why = f" ({facts.note})" if facts.note else ""
        warnings.append(f"{where} has no feature vector for {fingerprint[:12]}{why}: recorded without one")
    return facts, warnings
