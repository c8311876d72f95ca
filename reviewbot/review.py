"""The review: orders the stages from a `Change` to a `ReviewResult`. No argv, env or printing.

    materialize head + base files → scanners → findings (fingerprinted)
      → new-only (PREEXISTING when the base has the same fingerprint) → inline suppressions
      → in_diff (anchorable in one hunk)

Head and base versions are written to one temporary tree (`head/…`, `base/…`) and scanned in a
single semgrep run, so rule loading, the dominant cost of a small scan, is paid once.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from reviewbot import __version__, fingerprint
from reviewbot.changes import Change
from reviewbot.errors import ToolError
from reviewbot.finding import Disposition, Finding, Scanner
from reviewbot.languages import language_of
from reviewbot.rulesets import RuleSet
from reviewbot.scanners.interface import RawMatch, ScanOutput
from reviewbot.scanners.interface import Scanner as ScannerInterface
from reviewbot.suppressions import apply_inline
from reviewbot.syntax import parse

RESULT_SCHEMA_VERSION = "1"
_HEAD, _BASE = "head", "base"


class ReviewResult(BaseModel):
    """Everything a reporter needs: every finding with its disposition, and every note."""

    schema_version: str = RESULT_SCHEMA_VERSION
    tool_version: str = __version__
    change: str
    new_only: bool
    findings: list[Finding]
    notes: list[str] = Field(default_factory=list)
    files_changed: int
    files_scanned: int
    rules: int
    seconds: float

    @property
    def reported(self) -> list[Finding]:
        return [f for f in self.findings if f.visible]


@dataclass(frozen=True)
class ReviewOptions:
    new_only: bool = True


def run_review(change: Change, rules: RuleSet, scanner: ScannerInterface, options: ReviewOptions) -> ReviewResult:
    started = time.monotonic()
    notes = list(change.notes)
    with_base = options.new_only and bool(change.base)
    with tempfile.TemporaryDirectory(prefix="reviewbot-scan-") as tmp:
        root = Path(tmp)
        targets = _materialize(root, _HEAD, change.head)
        if with_base:
            targets += _materialize(root, _BASE, change.base)
        output = scanner.scan(root, targets)
    notes.extend(_warnings(output))
    head_findings = _findings(_HEAD, change.head, output, rules, notes)
    if with_base:
        base_fps = {f.fingerprint for f in _findings(_BASE, change.base, output, rules, notes)}
        head_findings = [
            f.with_disposition(Disposition.PREEXISTING, "the same finding exists on the base version")
            if f.fingerprint in base_fps
            else f
            for f in head_findings
        ]
    head_findings = [_locate(f, change) for f in head_findings]
    return ReviewResult(
        change=change.description,
        new_only=options.new_only,
        findings=sorted(head_findings, key=lambda f: (f.path, f.start_line, f.start_col, f.rule_id)),
        notes=notes,
        files_changed=len(change.files),
        files_scanned=len(change.head),
        rules=len(rules.rules),
        seconds=round(time.monotonic() - started, 3),
    )


def _locate(finding: Finding, change: Change) -> Finding:
    fc = change.file(finding.path)
    in_diff = fc is not None and fc.anchorable(finding.start_line, finding.end_line)
    return finding.model_copy(update={"in_diff": in_diff})


def _materialize(root: Path, side: str, contents: dict[str, bytes]) -> list[str]:
    targets = []
    for path, data in contents.items():
        dest = root / side / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        targets.append(f"{side}/{path}")
    return targets


def _warnings(output: ScanOutput) -> list[str]:
    notes = []
    for w in output.warnings:
        if w.path is None:
            notes.append(w.message)
            continue
        side, _, path = w.path.partition("/")
        where = path if side == _HEAD else f"{path} (base version)"
        notes.append(f"{where}: {w.message}")
    return notes


def _findings(
    side: str, contents: dict[str, bytes], output: ScanOutput, rules: RuleSet, notes: list[str]
) -> list[Finding]:
    by_path: dict[str, list[RawMatch]] = defaultdict(list)
    prefix = side + "/"
    for m in output.matches:
        if m.path.startswith(prefix):
            by_path[m.path[len(prefix) :]].append(m)
    findings: list[Finding] = []
    for path, matches in by_path.items():
        if path not in contents:
            raise ToolError(f"semgrep reported a file it was not given: {path}")
        findings.extend(_file_findings(path, contents[path], matches, rules, notes if side == _HEAD else []))
    return findings


def _file_findings(
    path: str, source: bytes, matches: list[RawMatch], rules: RuleSet, notes: list[str]
) -> list[Finding]:
    parsed = parse(source, language_of(path))
    # Split on "\n" only, as semgrep counts lines; str.splitlines would also split on \x0c, \u2028…
    byte_lines = source.split(b"\n")
    lines = [b.decode("utf-8", "replace").rstrip("\r") for b in byte_lines]
    byte_lines = [b + b"\n" for b in byte_lines[:-1]] + byte_lines[-1:]
    matches = sorted(matches, key=lambda m: (m.start_byte, m.end_byte, m.rule_id))
    built: list[tuple[RawMatch, fingerprint.MatchIdentity]] = []
    for m in matches:
        info = rules.lookup(m.rule_id)
        if info is None:
            notes.append(f"{path}: semgrep reported rule {m.rule_id}, which is not in the loaded rules; ignored")
            continue
        ident = fingerprint.match_identity(info.id, path, source, parsed, m.start_byte, m.end_byte)
        built.append((m, ident))
    fps = fingerprint.fingerprints(ident for _, ident in built)
    out = []
    for (m, ident), fp in zip(built, fps, strict=True):
        info = rules.rules[ident.rule_id]
        finding = Finding(
            rule_id=info.id,
            scanner=Scanner.SEMGREP,
            path=path,
            start_line=m.start_line,
            start_col=m.start_col,
            end_line=m.end_line,
            end_col=m.end_col,
            message=(m.message or info.message).strip(),
            severity=info.severity,
            confidence=info.confidence,
            category=info.category,
            cwe=info.cwe,
            owasp=info.owasp,
            rationale=info.rationale,
            snippet="\n".join(lines[m.start_line - 1 : m.end_line]),
            fix=_line_fix(byte_lines, m) if m.fix is not None else None,
            fingerprint=fp,
        )
        out.append(apply_inline(finding, lines))
    return out


def _line_fix(byte_lines: list[bytes], m: RawMatch) -> str | None:
    """The match's whole lines with the matched bytes replaced by the rule's fix text."""
    if m.fix is None or not byte_lines:
        return None
    first = sum(len(b) for b in byte_lines[: m.start_line - 1])
    block = b"".join(byte_lines[m.start_line - 1 : m.end_line])
    start, end = m.start_byte - first, m.end_byte - first
    if not (0 <= start <= end <= len(block)):
        return None
    fixed = block[:start] + m.fix.encode("utf-8") + block[end:]
    return fixed.decode("utf-8", "replace").rstrip("\r\n")
