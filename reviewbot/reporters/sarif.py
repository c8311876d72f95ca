"""SARIF 2.1.0 output, as GitHub code scanning reads it.

* `partialFingerprints["reviewbot/v1"]` carries our fingerprint, so code scanning tracks a
  finding across commits the way triage does;
* each rule has `security-severity` and CWE tags;
* findings reviewbot does not report stay in the log with a `suppressions` entry saying why
  (preexisting, suppressed inline, …), as semgrep does for nosemgrep;
* columns are Unicode code points (`columnKind`), converted from semgrep's byte columns.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from reviewbot import __version__
from reviewbot.finding import Disposition, Finding, Scanner, Severity
from reviewbot.review.result import ReviewResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "reviewbot/v1"
_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}


def render_sarif(result: ReviewResult) -> str:
    rule_ids = sorted({f.rule_id for f in result.findings})
    first = {rid: next(f for f in result.findings if f.rule_id == rid) for rid in rule_ids}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "reviewbot",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(first[rid]) for rid in rule_ids],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, rule_ids.index(f.rule_id)) for f in result.findings],
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    *({"level": "warning", "message": {"text": note}} for note in result.notes),
                    *({"level": "note", "message": {"text": note}} for note in result.skipped),
                ],
            }
        ],
        "properties": {"change": result.change, "newOnly": result.new_only},
    }
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _rule(f: Finding) -> dict[str, Any]:
    return {
        "id": f.rule_id,
        "name": f.rule_id,
        "shortDescription": {"text": f.message.split("\n")[0][:1024]},
        "fullDescription": {"text": f.rationale or f.message},
        "help": {"text": f"{f.message}\n\n{f.rationale}".strip()},
        "defaultConfiguration": {"level": _LEVEL[f.severity]},
        "properties": {
            "tags": ["security", *f.cwe, *(f"OWASP-{o}" for o in f.owasp)],
            "security-severity": f.severity.security_severity,
            "precision": {"high": "high", "medium": "medium", "low": "low"}[f.confidence.value],
            "category": f.category,
        },
    }


def _llm(f: Finding) -> dict[str, Any]:
    """What the LLM said, labelled as its words (docs/llm.md); its fix passed the verifier."""
    assert f.llm is not None
    said: dict[str, Any] = {"label": f"the words of the LLM {f.llm.model}, not reviewbot's rules"}
    if f.llm.explanation:
        said["explanation"] = f.llm.explanation
    if f.llm.exploit:
        said["exploitScenario"] = f.llm.exploit
    if f.llm.fix is not None:
        said["verifiedFix"] = f.llm.fix
    return said


def _code_point_col(snippet_line: str, byte_col: int) -> int:
    return len(snippet_line.encode("utf-8")[: byte_col - 1].decode("utf-8", "replace")) + 1


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    lines = f.snippet.split("\n")
    region: dict[str, Any] = {
        "startLine": f.start_line,
        "startColumn": _code_point_col(lines[0], f.start_col) if f.snippet else f.start_col,
        "endLine": f.end_line,
        "endColumn": _code_point_col(lines[-1], f.end_col) if f.snippet else f.end_col,
    }
    if f.snippet:
        region["snippet"] = {"text": f.snippet}
    artifact = {"uri": quote(f.path, safe="/"), "uriBaseId": "%SRCROOT%"}  # a URI reference: %-encoded
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "disposition": f.disposition.value,
            "inDiff": f.in_diff,
            "confidence": f.confidence.value,
            "category": f.category,
            **({"score": f.score} if f.score is not None else {}),
            **({"unscoredReason": f.unscored_reason} if f.score is None and f.unscored_reason else {}),
            **(
                {"scoreReasons": [{"reason": n, "contribution": v} for n, v in f.contributions]}
                if f.contributions
                else {}
            ),
            **({"reportedBy": "llm (the LLM's words, not a rule's)"} if f.scanner is Scanner.LLM else {}),
            **({"llm": _llm(f)} if f.llm is not None else {}),
        },
    }
    if f.disposition is not Disposition.REPORTED:
        out["suppressions"] = [
            {
                "kind": "inSource" if f.disposition is Disposition.SUPPRESSED_INLINE else "external",
                "status": "accepted",
                "justification": f"{f.disposition.value}: {f.disposition_reason}".rstrip(": "),
            }
        ]
    return out
