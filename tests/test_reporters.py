"""The reporters' public output: SARIF (against the vendored 2.1.0 schema), JSON, text.

Findings and results are built directly: they are our own value types, and the reporters must
render whatever a valid `ReviewResult` holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from reviewbot.finding import Confidence, Disposition, Finding, Scanner, Severity
from reviewbot.reporters import OutputFormat, render
from reviewbot.reporters.json import render_json
from reviewbot.reporters.sarif import render_sarif
from reviewbot.reporters.text import render_text
from reviewbot.review.result import ReviewResult

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif" / "sarif-2.1.0.json"
JSON_DOC = Path(__file__).parent.parent / "docs" / "json-output.md"
DRAFT7 = "http://json-schema.org/draft-07/schema#"

# A line with a 2-, 3- and 4-byte UTF-8 character before the match. Semgrep's columns are
# 1-based UTF-8 byte columns; SARIF's unicodeCodePoints columns count code points (the 4-byte
# emoji is one code point, two UTF-16 units: 17 would be the UTF-16 answer, 22 the byte one).
UNICODE_LINE = '    s = "é✓😀"; eval(s)'
UNICODE_START_BYTE, UNICODE_END_BYTE = 22, 29
UNICODE_START_CP, UNICODE_END_CP = 16, 23

NOTES = ["app/broken.py: semgrep could only partially parse this file", "1 file skipped: too large"]


def _fp(n: int) -> str:
    return f"{n:032x}"


def _finding(**overrides: Any) -> Finding:
    fields: dict[str, Any] = {
        "rule_id": "python.sqli.string-format",
        "scanner": Scanner.SEMGREP,
        "path": "app/db.py",
        "start_line": 10,
        "start_col": 5,
        "end_line": 10,
        "end_col": 52,
        "message": "SQL built with string formatting; pass parameters to execute()",
        "severity": Severity.HIGH,
        "confidence": Confidence.HIGH,
        "category": "injection",
        "cwe": ("CWE-89",),
        "owasp": ("A03:2021",),
        "rationale": "String-built SQL lets the caller change the query.",
        "snippet": '    cur.execute("SELECT * FROM t WHERE id = %s" % uid)',
        "fingerprint": _fp(1),
        "in_diff": True,
    }
    fields.update(overrides)
    return Finding(**fields)


# The five findings, out of path order on purpose (the text reporter must still group by file).
REPORTED_FIX = _finding(
    fix='    cur.execute("SELECT * FROM t WHERE id = %s", (uid,))',
    score=0.91,
    contributions=(("rule_prior", 0.6), ("triage", 0.31)),
)
UNICODE = _finding(
    rule_id="python.codeinj.eval",
    path="app/i18n.py",
    start_line=3,
    start_col=UNICODE_START_BYTE,
    end_line=3,
    end_col=UNICODE_END_BYTE,
    message="eval() of a value the caller controls",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    category="code-injection",
    cwe=("CWE-95", "CWE-94"),
    snippet=UNICODE_LINE,
    fingerprint=_fp(2),
)
OUTSIDE_DIFF = _finding(
    rule_id="python.pathtraver.open",
    start_line=40,
    start_col=9,
    end_line=41,
    end_col=20,
    message="open() of a path built from request data",
    severity=Severity.LOW,
    confidence=Confidence.LOW,
    category="path-traversal",
    cwe=("CWE-22",),
    owasp=("A01:2021",),
    snippet="        with open(\n            base + name) as fh:",
    fingerprint=_fp(3),
    in_diff=False,
)
PREEXISTING = _finding(
    rule_id="python.codeinj.eval",
    start_line=3,
    start_col=1,
    end_line=3,
    end_col=11,
    message="eval() of a value the caller controls (old code)",
    severity=Severity.CRITICAL,
    category="code-injection",
    cwe=("CWE-95", "CWE-94"),
    snippet="eval(code)",
    fingerprint=_fp(4),
    disposition=Disposition.PREEXISTING,
    disposition_reason="the same finding exists on the base version",
)
# A path that is not a valid URI as it stands (space, '#', non-ASCII), hidden by a nosemgrep.
SUPPRESSED_PATH = "app/legacy views/#2 ü.py"
SUPPRESSED = _finding(
    path=SUPPRESSED_PATH,
    message="SQL built with string formatting (suppressed)",
    snippet='    cur.execute("DELETE FROM t WHERE id = %s" % uid)  # nosemgrep',
    fingerprint=_fp(5),
    disposition=Disposition.SUPPRESSED_INLINE,
    disposition_reason="nosemgrep comment",
)
ALL = [REPORTED_FIX, UNICODE, OUTSIDE_DIFF, PREEXISTING, SUPPRESSED]


def _result(findings: list[Finding], *, notes: list[str] | None = None, files_scanned: int = 4) -> ReviewResult:
    return ReviewResult(
        change="feature..main",
        new_only=True,
        findings=findings,
        notes=NOTES if notes is None else notes,
        skipped=["logo.png: skipped (binary file)"],
        files_changed=3,
        files_scanned=files_scanned,
        rules=42,
        seconds=1.25,
    )


RESULT = _result(ALL)
EMPTY = _result([], notes=[], files_scanned=2)


# --------------------------------------------------------------------------------------- SARIF


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def _no_network(uri: str) -> Resource[Any]:
    raise AssertionError(f"schema validation tried to fetch {uri}")


@cache
def _validator() -> Any:
    """Draft-07, as the schema declares; a registry that refuses any remote $ref (none is needed)."""
    schema = _schema()
    # mypy's attrs plugin misses referencing's `retrieve` alias for the private `_retrieve` field.
    return Draft7Validator(schema, registry=Registry(retrieve=_no_network))  # type: ignore[call-arg, unused-ignore]


def _sarif_errors(doc: Any) -> list[str]:
    return sorted(f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(doc))


def _sarif(result: ReviewResult) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(render(result, OutputFormat.SARIF))
    return doc


def _run(result: ReviewResult) -> dict[str, Any]:
    run: dict[str, Any] = _sarif(result)["runs"][0]
    return run


def _sarif_result(fp: str) -> dict[str, Any]:
    matches = [r for r in _run(RESULT)["results"] if r["partialFingerprints"]["reviewbot/v1"] == fp]
    assert len(matches) == 1, fp
    out: dict[str, Any] = matches[0]
    return out


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_vendored_schema_is_draft7_and_self_contained() -> None:
    schema = _schema()
    assert schema["$schema"] == DRAFT7
    assert "SARIF" in schema["title"] and "2.1.0" in schema["title"]
    Draft7Validator.check_schema(schema)
    refs = list(_refs(schema))
    assert refs, "the schema should use $ref"
    assert all(ref.startswith("#/definitions/") for ref in refs), [r for r in refs if not r.startswith("#/")]


def test_sarif_validates_against_the_schema() -> None:
    doc = _sarif(RESULT)
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    assert _sarif_errors(doc) == []
    assert _sarif_errors(_sarif(EMPTY)) == []


def test_schema_validation_can_fail() -> None:
    doc = _sarif(RESULT)
    doc["runs"][0]["results"][0]["suppressions"] = [{"kind": "ignoredByReviewbot"}]
    del doc["version"]
    errors = _sarif_errors(doc)
    assert any("'version' is a required property" in e for e in errors), errors
    assert any("ignoredByReviewbot" in e for e in errors), errors


def test_sarif_render_matches_the_direct_renderer() -> None:
    assert render(RESULT, OutputFormat.SARIF) == render_sarif(RESULT)


def test_sarif_every_finding_is_a_result_with_its_fingerprint() -> None:
    results = _run(RESULT)["results"]
    assert len(results) == len(ALL)
    assert sorted(r["partialFingerprints"]["reviewbot/v1"] for r in results) == sorted(f.fingerprint for f in ALL)
    for f in ALL:
        r = _sarif_result(f.fingerprint)
        assert r["ruleId"] == f.rule_id
        assert r["message"]["text"] == f.message
        assert r["properties"]["disposition"] == f.disposition.value
        assert r["properties"]["inDiff"] is f.in_diff


def test_sarif_rules_carry_security_severity_and_cwe_tags() -> None:
    driver = _run(RESULT)["tool"]["driver"]
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert len(rules) == len(driver["rules"]) == len({f.rule_id for f in ALL})
    # GitHub's bands: > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
    bands = {
        Severity.CRITICAL: (9.0, 10.0),
        Severity.HIGH: (7.0, 8.9),
        Severity.MEDIUM: (4.0, 6.9),
        Severity.LOW: (0.1, 3.9),
    }
    for f in [REPORTED_FIX, UNICODE, OUTSIDE_DIFF]:
        props = rules[f.rule_id]["properties"]
        sev = props["security-severity"]
        assert isinstance(sev, str)
        low, high = bands[f.severity]
        assert low <= float(sev) <= high, (f.rule_id, sev)
        assert set(f.cwe) <= set(props["tags"])
    assert rules["python.sqli.string-format"]["properties"]["security-severity"] == "8.0"
    assert {"CWE-95", "CWE-94"} <= set(rules["python.codeinj.eval"]["properties"]["tags"])
    for r in _run(RESULT)["results"]:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_sarif_hidden_findings_are_suppressed_not_dropped() -> None:
    for f in [REPORTED_FIX, UNICODE, OUTSIDE_DIFF]:
        assert "suppressions" not in _sarif_result(f.fingerprint), f.rule_id
    [pre] = _sarif_result(PREEXISTING.fingerprint)["suppressions"]
    assert pre["kind"] == "external"
    assert pre["status"] == "accepted"
    assert "preexisting" in pre["justification"] and "base version" in pre["justification"]
    [inline] = _sarif_result(SUPPRESSED.fingerprint)["suppressions"]
    assert inline["kind"] == "inSource"
    assert "nosemgrep" in inline["justification"]


@pytest.mark.parametrize(
    "disposition",
    [Disposition.SUPPRESSED_FILE, Disposition.TRIAGED, Disposition.BELOW_THRESHOLD],
)
def test_sarif_other_dispositions_are_external_suppressions(disposition: Disposition) -> None:
    doc = _sarif(_result([REPORTED_FIX.with_disposition(disposition, "why")]))
    [r] = doc["runs"][0]["results"]
    assert [s["kind"] for s in r["suppressions"]] == ["external"]
    assert disposition.value in r["suppressions"][0]["justification"]
    assert _sarif_errors(doc) == []


def _region(fp: str) -> dict[str, Any]:
    region: dict[str, Any] = _sarif_result(fp)["locations"][0]["physicalLocation"]["region"]
    return region


def test_sarif_columns_are_unicode_code_points() -> None:
    # The constants describe UNICODE_LINE; check them so the test cannot drift from its data.
    match_at = UNICODE_LINE.index("eval(s)")
    assert len(UNICODE_LINE[:match_at].encode("utf-8")) + 1 == UNICODE_START_BYTE
    assert match_at + 1 == UNICODE_START_CP
    assert len("eval(s)") == UNICODE_END_CP - UNICODE_START_CP

    assert _run(RESULT)["columnKind"] == "unicodeCodePoints"
    region = _region(UNICODE.fingerprint)
    assert (region["startLine"], region["startColumn"]) == (3, UNICODE_START_CP)
    assert (region["endLine"], region["endColumn"]) == (3, UNICODE_END_CP)
    assert region["snippet"]["text"] == UNICODE_LINE
    # ASCII lines: code points are bytes; multi-line: the end column is on the last line.
    ascii_region = _region(REPORTED_FIX.fingerprint)
    assert (ascii_region["startColumn"], ascii_region["endColumn"]) == (5, 52)
    multi = _region(OUTSIDE_DIFF.fingerprint)
    assert (multi["startLine"], multi["startColumn"], multi["endLine"], multi["endColumn"]) == (40, 9, 41, 20)


def test_sarif_columns_without_a_snippet_are_kept() -> None:
    bare = UNICODE.model_copy(update={"snippet": ""})
    [r] = _run(_result([bare]))["results"]
    region = r["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (UNICODE_START_BYTE, UNICODE_END_BYTE)
    assert "snippet" not in region


# RFC 3986 relative-path reference: unreserved / sub-delims / ":" / "@" / "/" / pct-encoded.
_URI_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*")


def test_sarif_artifact_uris_are_valid_uri_references() -> None:
    for f in ALL:
        loc = _sarif_result(f.fingerprint)["locations"][0]["physicalLocation"]["artifactLocation"]
        assert _URI_PATH.fullmatch(loc["uri"]), loc["uri"]
        assert unquote(loc["uri"]) == f.path
        assert loc["uriBaseId"] == "%SRCROOT%"
    plain = _sarif_result(REPORTED_FIX.fingerprint)["locations"][0]["physicalLocation"]["artifactLocation"]
    assert plain["uri"] == "app/db.py"


def test_sarif_notes_are_tool_execution_notifications() -> None:
    [invocation] = _run(RESULT)["invocations"]
    assert invocation["executionSuccessful"] is True
    notifications = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"]) for n in notifications] == [
        *(("warning", note) for note in NOTES),
        ("note", "logo.png: skipped (binary file)"),
    ]
    [empty_invocation] = _run(_result([], notes=[]).model_copy(update={"skipped": []}))["invocations"]
    assert empty_invocation.get("toolExecutionNotifications", []) == []


# ---------------------------------------------------------------------------------------- JSON

FINDING_FIELDS: dict[str, type | tuple[type, ...]] = {
    "rule_id": str,
    "path": str,
    "start_line": int,
    "start_col": int,
    "end_line": int,
    "end_col": int,
    "cwe": list,
    "owasp": list,
    "severity": str,
    "confidence": str,
    "message": str,
    "fingerprint": str,
    "in_diff": bool,
    "disposition": str,
    "disposition_reason": str,
    "score": (float, type(None)),
    "fix": (str, type(None)),
}


def _json(result: ReviewResult) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(render(result, OutputFormat.JSON))
    return doc


def test_json_render_matches_the_direct_renderer() -> None:
    assert render(RESULT, OutputFormat.JSON) == render_json(RESULT)


def test_json_top_level() -> None:
    doc = _json(RESULT)
    assert doc["schema_version"] == "1"
    assert doc["change"] == "feature..main"
    assert doc["new_only"] is True
    assert doc["notes"] == NOTES
    assert (doc["files_changed"], doc["files_scanned"], doc["rules"]) == (3, 4, 42)
    assert isinstance(doc["tool_version"], str) and doc["tool_version"]
    assert isinstance(doc["seconds"], float)


def test_json_has_every_finding_with_its_contract_fields() -> None:
    findings = _json(RESULT)["findings"]
    assert len(findings) == len(ALL)
    by_fp = {f["fingerprint"]: f for f in findings}
    for source in ALL:
        out = by_fp[source.fingerprint]
        for field, kind in FINDING_FIELDS.items():
            assert field in out, field
            assert isinstance(out[field], kind), (field, out[field])
        assert out["rule_id"] == source.rule_id
        assert out["path"] == source.path
        assert (out["start_line"], out["end_line"]) == (source.start_line, source.end_line)
        assert out["cwe"] == list(source.cwe)
        assert out["owasp"] == list(source.owasp)
        assert out["severity"] == source.severity.value
        assert out["confidence"] == source.confidence.value
        assert out["message"] == source.message
        assert out["in_diff"] is source.in_diff
        assert out["disposition"] == source.disposition.value
        assert out["score"] == source.score
        assert out["fix"] == source.fix
    fixed = by_fp[REPORTED_FIX.fingerprint]
    assert fixed["fix"] == '    cur.execute("SELECT * FROM t WHERE id = %s", (uid,))'
    assert fixed["score"] == pytest.approx(0.91)
    assert by_fp[PREEXISTING.fingerprint]["disposition_reason"] == "the same finding exists on the base version"
    # JSON keeps semgrep's byte columns and the exact text (no \u escapes needed to read it).
    uni = by_fp[UNICODE.fingerprint]
    assert (uni["start_col"], uni["end_col"]) == (UNICODE_START_BYTE, UNICODE_END_BYTE)
    assert uni["snippet"] == UNICODE_LINE
    assert SUPPRESSED_PATH in render_json(RESULT)


def test_json_summary_counts_by_disposition() -> None:
    summary = _json(RESULT)["summary"]
    assert summary["reported"] == 3
    assert summary["by_disposition"] == {"reported": 3, "preexisting": 1, "suppressed_inline": 1}
    empty = _json(EMPTY)
    assert empty["findings"] == []
    assert empty["summary"] == {"reported": 0, "by_disposition": {}}


def test_json_contract_doc_names_every_field_and_disposition() -> None:
    doc = JSON_DOC.read_text(encoding="utf-8")
    out = _json(RESULT)
    assert f"schema_version {out['schema_version']}" in doc
    names = set(out) | {f"summary.{k}" for k in out["summary"]} | set(out["findings"][0])
    names -= {"summary"}
    undocumented = sorted(n for n in names if f"`{n}`" not in doc)
    assert undocumented == []
    assert [d.value for d in Disposition if f"| `{d.value}` |" not in doc] == []


# ---------------------------------------------------------------------------------------- text

SUMMARY = (
    "reviewbot: 3 new findings (1 high, 1 medium, 1 low) in 4 files scanned; "
    "not shown: 1 preexisting, 1 suppressed_inline"
)


def test_text_render_matches_the_direct_renderer() -> None:
    assert render(RESULT, OutputFormat.TEXT) == render_text(RESULT)
    assert render(RESULT, OutputFormat.TEXT, color=True) == render_text(RESULT, color=True)


def test_text_groups_findings_by_file() -> None:
    lines = render_text(RESULT).splitlines()
    assert lines.count("app/db.py") == 1
    assert lines.count("app/i18n.py") == 1
    db, i18n = lines.index("app/db.py"), lines.index("app/i18n.py")
    sqli = next(i for i, line in enumerate(lines) if "python.sqli.string-format" in line)
    traversal = next(i for i, line in enumerate(lines) if "python.pathtraver.open" in line)
    evil = next(i for i, line in enumerate(lines) if "python.codeinj.eval" in line)
    # Both app/db.py findings sit under its one path line, although app/i18n.py came between them.
    assert db < sqli < traversal < i18n < evil


def test_text_shows_place_severity_rule_message_code_and_fix() -> None:
    lines = render_text(RESULT).splitlines()
    head = next(line for line in lines if "python.sqli.string-format" in line)
    assert re.search(r"\b10:5\b", head) and "HIGH" in head and "CWE-89" in head
    assert "outside the diff" not in head
    at = lines.index(head)
    body = lines[at + 1 : at + 5]
    assert REPORTED_FIX.message in body[0]
    assert body[1] == "    score 0.91 — rule_prior (+0.60); triage (+0.31)"  # the score and its reasons
    assert body[2].endswith('cur.execute("SELECT * FROM t WHERE id = %s" % uid)')
    assert "fix" in body[3] and body[3].endswith('cur.execute("SELECT * FROM t WHERE id = %s", (uid,))')

    outside = next(line for line in lines if "python.pathtraver.open" in line)
    assert re.search(r"\b40:9\b", outside) and "LOW" in outside and "outside the diff" in outside
    at = lines.index(outside)
    assert lines[at + 2].endswith("with open(") and lines[at + 3].endswith("base + name) as fh:")
    assert not any("fix" in line for line in lines[at + 1 : at + 5])

    uni = next(line for line in lines if "python.codeinj.eval" in line)
    assert "MEDIUM" in uni and re.search(r"\b3:\d+\b", uni)
    assert any(line.endswith('s = "é✓😀"; eval(s)') for line in lines)


def test_text_hides_non_reported_findings_but_counts_them() -> None:
    out = render_text(RESULT)
    for hidden in [PREEXISTING, SUPPRESSED]:
        assert hidden.message not in out
    assert SUPPRESSED_PATH not in out
    assert "eval(code)" not in out
    assert SUMMARY in out.splitlines()
    assert [line for line in out.splitlines() if line.startswith("reviewbot:")] == [SUMMARY]


def test_text_prints_notes() -> None:
    out = render_text(RESULT)
    for note in NOTES:
        assert note in out


def test_text_empty_result_prints_nothing_unless_verbose() -> None:
    assert render_text(EMPTY) == ""
    assert render_text(EMPTY, color=True) == ""
    verbose = render_text(EMPTY, verbose=True)
    assert verbose.splitlines() == [
        "reviewbot: 0 new findings in 2 files scanned",
        "note: logo.png: skipped (binary file)",
    ]


def test_text_skipped_files_only_when_verbose() -> None:
    assert "logo.png" not in render_text(RESULT)
    assert "note: logo.png: skipped (binary file)" in render_text(RESULT, verbose=True).splitlines()


def test_text_scanner_warnings_show_even_without_findings() -> None:
    out = render_text(_result([], notes=["app.py: semgrep warn: PartialParsing"]))
    assert out == "warning: app.py: semgrep warn: PartialParsing\n"


def test_text_color() -> None:
    plain, colored = render_text(RESULT), render_text(RESULT, color=True)
    assert "\x1b[" not in plain
    assert "\x1b[" in colored
    assert re.search(r"\x1b\[[0-9;]*mHIGH\x1b\[0m", colored)
    # The same text once the colour codes are taken out.
    assert re.sub(r"\x1b\[[0-9;]*m", "", colored) == plain


# Characters that can repaint a terminal or reorder what it shows: CSI / OSC escape sequences,
# C0 and C1 controls (0x9b is a one-character CSI), carriage return, bidi overrides, isolates and
# marks (Trojan Source, CVE-2021-42574).
HOSTILE = {
    "ESC": "\x1b[2J\x1b]0;owned\x07",
    "C1 CSI": "\x9b2J",
    "CR": "\rok",
    "BS": "\x08x",
    "RLO": "\u202e",
    "LRE": "\u202a",
    "RLI": "\u2067",
    "PDI": "\u2069",
    "RLM": "\u200f",
    "ALM": "\u061c",
    "ZWSP": "\u200b",
    "BOM": "\ufeff",
}
# What must never appear raw in the output (the sequences' introducers, and each character).
RAW = [
    *("\x1b", "\x07", "\x9b", "\r", "\x08"),
    *("\u202e", "\u202a", "\u2067", "\u2069", "\u200f", "\u061c", "\u200b", "\ufeff"),
]


def _hostile_result(payload: str) -> ReviewResult:
    f = _finding(
        path=f"src/{payload}evil.py",
        message=f"message {payload}end",
        snippet=f'    cur.execute("x{payload}" % uid)  # {payload}',
        fix=f'    cur.execute("x{payload}", (uid,))',
    )
    return _result([f], notes=[f"src/{payload}evil.py: note"])


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_text_escapes_control_and_bidi_characters(name: str, color: bool) -> None:
    payload = HOSTILE[name]
    out = render_text(_hostile_result(payload), color=color)
    if color:  # reviewbot's own colour codes are the only escape sequences left
        out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    for ch in RAW:
        assert ch not in out, (name, ch)
    # Escaped, not deleted: the reader can see something was there.
    first = payload[0]
    assert f"\\u{ord(first):04x}" in out


@pytest.mark.parametrize("color", [False, True])
def test_text_a_newline_in_a_path_cannot_forge_a_line(color: bool) -> None:
    forged = "reviewbot: 0 new findings in 1 file scanned"
    f = _finding(path=f"src/x.py\n{forged}\n")
    out = render_text(_result([f], notes=[]), color=color)
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.splitlines()]
    assert forged not in lines
    assert [line for line in lines if line.startswith("reviewbot:")] == [
        "reviewbot: 1 new finding (1 high) in 4 files scanned"
    ]
    assert any(line.startswith("src/x.py\\u000a") for line in lines)


def test_text_multiline_message_stays_under_its_finding() -> None:
    f = _finding(message="first line\nreviewbot: 0 new findings in 1 file scanned")
    lines = render_text(_result([f], notes=[])).splitlines()
    assert "    first line" in lines
    assert [line for line in lines if line.startswith("reviewbot:")] == [
        "reviewbot: 1 new finding (1 high) in 4 files scanned"
    ]


def test_the_code_scanning_upload_leaves_imported_findings_to_their_own_tool() -> None:
    """An `--import-sarif` finding is already in code scanning under its tool's upload: under
    reviewbot's name too it would be every alert twice (github/sarif_upload.py)."""
    import base64
    import gzip

    from reviewbot.github.sarif_upload import encode_sarif

    imported = _finding(rule_id="bandit/B602", scanner="sarif:bandit", fingerprint=_fp(7), start_line=30, end_line=30)
    doc = json.loads(gzip.decompress(base64.b64decode(encode_sarif(_result([REPORTED_FIX, imported]), "rb"))))
    rules = [r["ruleId"] for run in doc["runs"] for r in run["results"]]
    assert rules == [REPORTED_FIX.rule_id]
