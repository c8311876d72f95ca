"""Mapping a valid SARIF 2.1.0 document to imported results and the rules behind them.

    runs = map_sarif(doc, source, roots)      # one ImportedRun per SARIF run

Each run's tool is `runs[].tool.driver.name`, made an id (`Semgrep OSS` → `semgrep-oss`); each
rule becomes a `RuleInfo` with the id `<tool>/<ruleId>`, so rule ids of two tools never meet.
What a rule or result says is read as docs/sarif-import.md tabulates it:

* severity: the rule's (or result's) `security-severity` in GitHub's bands, else the result's
  `level` (else the rule's `defaultConfiguration.level`, else SARIF's default `warning`);
* confidence: a `<level> confidence` tag (Semgrep), else `precision`, else medium;
* CWE: tags such as `external/cwe/cwe-89` (CodeQL, Bandit) or `CWE-89: …` (Semgrep), and a
  `cwe` property; the category is the one reviewbot's own rules give that CWE, else `other`
  (which the model has never seen: such findings are left unscored, and shown);
* a result whose rule the run does not describe keeps its id, with category `other`.

Results the tool itself marks as not a failure (`kind` other than `fail`), as suppressed, or as
absent from its baseline are not imported; neither are results without a file and line, or on
a path outside the repository (`sarif_paths`). Each is counted, by reason, in `ImportedRun.refused`.
Messages are kept as plain text, untrusted: the reporters escape them like any rule message.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from reviewbot.finding import Confidence, Severity
from reviewbot.scanners.rulesets import RuleInfo
from reviewbot.scanners.sarif_paths import NO_LOCATION, resolve_location

# The category reviewbot's own rules give each CWE (rulesets/; a test checks the two agree), so
# an imported SQL injection is `sqli` like ours: the same model evidence, the same duplicates.
CWE_CATEGORY = {
    "22": "pathtraver", "78": "cmdi", "79": "xss", "88": "cmdi", "89": "sqli", "90": "ldapi",
    "94": "codeinj", "95": "codeinj", "1336": "codeinj", "209": "debug", "215": "debug", "489": "debug",
    "295": "tls", "321": "secrets", "532": "secrets", "798": "secrets", "327": "hash", "328": "hash",
    "916": "hash", "330": "weakrand", "338": "weakrand", "501": "trustbound", "502": "deserialization",
    "601": "redirect", "611": "xxe", "776": "xxe", "614": "securecookie", "1004": "securecookie",
    "1275": "securecookie", "643": "xpathi", "918": "ssrf",
}  # fmt: skip
UNKNOWN_CATEGORY = "other"
_LEVEL = {"error": Severity.HIGH, "warning": Severity.MEDIUM, "note": Severity.LOW, "none": Severity.LOW}
_PRECISION = {"very-high": Confidence.HIGH, "high": Confidence.HIGH, "medium": Confidence.MEDIUM, "low": Confidence.LOW}
_CWE_TAG = re.compile(r"(?i)^(?:external/cwe/)?cwe[-_/ ]?0*(\d{1,5})\b")
_CONFIDENCE_TAG = re.compile(r"(?i)^(low|medium|high) confidence$")
_RULE_CHARS = re.compile(r"[^\w.\-/:]")  # what an inline `reviewbot: ignore[...]` can name
_MAX_MESSAGE = 4000


@dataclass(frozen=True)
class ImportedResult:
    rule_id: str  # `<tool>/<ruleId>`
    path: str  # repository-relative POSIX
    start_line: int
    start_column: int | None
    end_line: int | None
    end_column: int | None
    message: str
    severity: Severity
    metadata: dict[str, Any] = field(hash=False, compare=False)


@dataclass
class ImportedRun:
    tool: str  # the id: `sarif:<tool>` is the findings' scanner
    source: str  # the file, for notes
    column_kind: str
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    results: list[ImportedResult] = field(default_factory=list)
    refused: Counter[str] = field(default_factory=Counter)


def tool_id(name: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower()).strip("-._")
    return slug[:60] or "unknown-tool"


def map_sarif(doc: dict[str, Any], source: str, roots: tuple[str, ...]) -> list[ImportedRun]:
    return [_map_run(run, source, roots) for run in doc.get("runs") or []]


def _map_run(run: dict[str, Any], source: str, roots: tuple[str, ...]) -> ImportedRun:
    driver = run["tool"]["driver"]
    tool = tool_id(driver.get("name", ""))
    out = ImportedRun(tool, source, run.get("columnKind", "utf16CodeUnits"))
    components = [driver, *(run["tool"].get("extensions") or [])]
    by_id = {d["id"]: d for c in components for d in (c.get("rules") or [])}
    for descriptor in by_id.values():
        info = _rule_info(tool, descriptor["id"], descriptor, source)
        out.rules.setdefault(info.id, info)
    for result in run.get("results") or []:
        descriptor = _descriptor(result, components, by_id)
        why = _not_a_finding(result)
        raw_id = result.get("ruleId") or (result.get("rule") or {}).get("id") or (descriptor or {}).get("id")
        if not why and not raw_id:
            why = "no rule id"
        path, region = None, None
        if not why:
            path, why = _where(result, run, roots)
        if not why:
            region = ((result["locations"][0].get("physicalLocation") or {}).get("region")) or {}
            if not isinstance(region.get("startLine"), int):
                why = "no line in its region"
        if why or path is None or region is None or not isinstance(raw_id, str):
            out.refused[why or NO_LOCATION] += 1
            continue
        known = out.rules.get(_rule_id(tool, raw_id))
        if known is None:  # a rule the run does not describe: its id, and nothing else, is known
            known = out.rules[_rule_id(tool, raw_id)] = _rule_info(tool, raw_id, {}, source)
        out.results.append(_result(result, known, descriptor or {}, raw_id, driver, path, region, source))
    return out


def _descriptor(result: dict[str, Any], components: list[Any], by_id: dict[str, Any]) -> dict[str, Any] | None:
    ref = result.get("rule") or {}
    index = ref.get("index", result.get("ruleIndex", -1))
    component = components[0]
    comp_index = (ref.get("toolComponent") or {}).get("index")
    if isinstance(comp_index, int) and 0 <= comp_index < len(components) - 1:
        component = components[comp_index + 1]
    rules = component.get("rules") or []
    if isinstance(index, int) and 0 <= index < len(rules):
        found: dict[str, Any] = rules[index]
        return found
    rule_id = result.get("ruleId") or ref.get("id")
    return by_id.get(rule_id) if isinstance(rule_id, str) else None


def _not_a_finding(result: dict[str, Any]) -> str:
    kind = result.get("kind", "fail")
    if kind != "fail":
        return f"kind {kind!s:.20}, not a failure"
    if any(s.get("status", "accepted") == "accepted" for s in result.get("suppressions") or []):
        return "suppressed in the tool's own output"
    if result.get("baselineState") == "absent":
        return "absent from the code (the tool's baseline)"
    return ""


def _where(result: dict[str, Any], run: dict[str, Any], roots: tuple[str, ...]) -> tuple[str | None, str]:
    locations = result.get("locations") or []
    physical = (locations[0].get("physicalLocation") or {}) if locations else {}
    artifact = physical.get("artifactLocation")
    if not isinstance(artifact, dict):
        return None, NO_LOCATION
    return resolve_location(artifact, run, roots)


def _rule_id(tool: str, raw: str) -> str:
    return f"{tool}/{_RULE_CHARS.sub('-', raw)[:200]}"


def imported_rule_id(tool_name: str, rule: str) -> str:
    """The rule id a finding of tool `tool_name` carries: `<tool slug>/<rule id>`
    (`codeql/py/sql-injection`). Code-scanning dismissals (github/alert_code.py) use the same id,
    or an imported dismissal would never meet the finding it decides: the id is in the fingerprint."""
    return _rule_id(tool_id(tool_name), rule)


def _rule_info(tool: str, raw_id: str, d: dict[str, Any], source: str) -> RuleInfo:
    props = d.get("properties") or {}
    tags = _tags(props)
    cwe = _cwes(tags, props)
    level = (d.get("defaultConfiguration") or {}).get("level", "warning")
    text = (d.get("shortDescription") or {}).get("text") or d.get("name") or raw_id
    rationale = (d.get("fullDescription") or {}).get("text") or (d.get("help") or {}).get("text") or ""
    return RuleInfo(
        id=_rule_id(tool, raw_id),
        message=str(text)[:_MAX_MESSAGE],
        category=next((CWE_CATEGORY[c[4:]] for c in cwe if c[4:] in CWE_CATEGORY), UNKNOWN_CATEGORY),
        cwe=cwe,
        owasp=tuple(t[:80] for t in tags if t.lower().startswith("owasp")),
        severity=_severity(props, level),
        confidence=_confidence(tags, props),
        rationale=str(rationale)[:_MAX_MESSAGE],
        languages=(),
        source=source,
        dataflow=props.get("kind") == "path-problem",
    )


def _result(
    r: dict[str, Any],
    info: RuleInfo,
    d: dict[str, Any],
    raw_id: str,
    driver: dict[str, Any],
    path: str,
    region: dict[str, Any],
    source: str,
) -> ImportedResult:
    props = {**(d.get("properties") or {}), **(r.get("properties") or {})}
    level = r.get("level") or (d.get("defaultConfiguration") or {}).get("level", "warning")
    facts = {
        "tool": str(driver.get("name", ""))[:100],
        "file": source,
        "rule": str(raw_id)[:200],
        "level": level,
        "security-severity": props.get("security-severity"),
        "precision": props.get("precision"),
        "tags": list(_tags(props))[:20] or None,
    }
    return ImportedResult(
        rule_id=info.id,
        path=path,
        start_line=region["startLine"],
        start_column=_int(region.get("startColumn")),
        end_line=_int(region.get("endLine")),
        end_column=_int(region.get("endColumn")),
        message=_message(r, d)[:_MAX_MESSAGE],
        severity=_severity(props, level),
        metadata={"sarif": {k: v for k, v in facts.items() if v is not None}},
    )


def _message(r: dict[str, Any], d: dict[str, Any]) -> str:
    message = r.get("message") or {}
    text = message.get("text")
    if not isinstance(text, str):
        strings = d.get("messageStrings") or {}
        text = (strings.get(message.get("id")) or {}).get("text", "") if "id" in message else ""
    for i, arg in enumerate(message.get("arguments") or []):
        text = text.replace(f"{{{i}}}", str(arg))
    return str(text).strip()


def _tags(props: dict[str, Any]) -> tuple[str, ...]:
    tags = props.get("tags") or []
    return tuple(t.strip() for t in tags if isinstance(t, str))


def _cwes(tags: tuple[str, ...], props: dict[str, Any]) -> tuple[str, ...]:
    named = props.get("cwe") or []
    named = [named] if isinstance(named, str) else [c for c in named if isinstance(c, str)]
    found = []
    for tag in (*tags, *named):
        m = _CWE_TAG.match(tag.strip())
        if m and f"CWE-{m.group(1)}" not in found:
            found.append(f"CWE-{m.group(1)}")
    return tuple(found)


def _severity(props: dict[str, Any], level: object) -> Severity:
    try:
        score = float(props.get("security-severity", "nan"))
    except (TypeError, ValueError):
        score = float("nan")
    if score == score:  # not NaN: GitHub's bands
        return (
            Severity.CRITICAL
            if score >= 9.0
            else Severity.HIGH
            if score >= 7.0
            else Severity.MEDIUM
            if score >= 4.0
            else Severity.LOW
        )
    return _LEVEL.get(level, Severity.MEDIUM) if isinstance(level, str) else Severity.MEDIUM


def _confidence(tags: tuple[str, ...], props: dict[str, Any]) -> Confidence:
    for tag in tags:
        if m := _CONFIDENCE_TAG.match(tag):
            return Confidence(m.group(1).lower())
    precision = props.get("precision")
    return _PRECISION.get(precision, Confidence.MEDIUM) if isinstance(precision, str) else Confidence.MEDIUM


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and value >= 1 else None
