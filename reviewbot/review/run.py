"""The review: orders the stages from a `Change` to a `ReviewResult`. No argv, env or printing.

    materialize head + base files → scanners (concurrently) → findings (fingerprinted, with
      code context) → new-only (PREEXISTING when the base has the same fingerprint)
      → suppressions (inline and file, from the base unless the head is trusted; expired ones
      resurface) → in_diff and diff facts → features → scoring (BELOW_THRESHOLD under the
      threshold) → tuning (per-rule thresholds, always-report floors) → triage (the ledger's
      verdicts, from the trusted side: TRIAGED) → audit sample → duplicates (dedup.py: DUPLICATE
      when a better-ranked shown finding covers the same weakness and lines; decided last, so a
      finding is never the duplicate of a hidden one)

Head and base versions are written to one temporary tree (`head/…`, `base/…`). The head is
scanned first; the base version of a file is scanned only when its head version has a finding
(nothing else can be "preexisting"), so a clean change costs one scan, and only by the scanners
and for the rules that found something there (a fingerprint names its rule). Scanners run side
by side: semgrep is a subprocess, so in-process scanners use the time it spends.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from reviewbot import __version__
from reviewbot.change.changes import Change
from reviewbot.errors import ToolError
from reviewbot.finding import Disposition, Finding
from reviewbot.lang.base import ModuleReader
from reviewbot.lang.context import context_for
from reviewbot.lang.languages import language_of
from reviewbot.lang.syntax import ParsedFile, parse
from reviewbot.learn.features import History, attach_features
from reviewbot.policy import audit, suppressions
from reviewbot.policy.config import Config, config_for
from reviewbot.policy.suppressions import AddedSuppression
from reviewbot.policy.tuning import apply_tuning
from reviewbot.redact import redact_data, redact_finding, redact_secrets
from reviewbot.review import fingerprint
from reviewbot.review.dedup import mark_duplicates
from reviewbot.review.triage_stage import apply_ledger_verdicts
from reviewbot.review.trusted_side import trusted_side
from reviewbot.scanners.interface import RawMatch, Scanner, ScanOutput

if TYPE_CHECKING:
    from reviewbot.learn.scoring import Scorer

RESULT_SCHEMA_VERSION = "1"
# Said on every finding of a review without a model (scoring says why for the ones a model skips).
NO_MODEL = "not scored: no model was used (--no-model, or no model folder was found)"
_HEAD, _BASE = "head", "base"


class ReviewResult(BaseModel):
    """Everything a reporter needs: every finding with its disposition, and every note."""

    schema_version: str = RESULT_SCHEMA_VERSION
    tool_version: str = __version__
    change: str
    new_only: bool
    findings: list[Finding]
    notes: list[str] = Field(default_factory=list)  # problems met while scanning: worth a look
    skipped: list[str] = Field(default_factory=list)  # changes not scanned on purpose, and why
    suppressions_added: list[AddedSuppression] = Field(default_factory=list)  # by this change: not applied
    files_changed: int
    files_scanned: int
    rules: int
    seconds: float

    @property
    def reported(self) -> list[Finding]:
        return [f for f in self.findings if f.visible]

    def redacted(self) -> ReviewResult:
        """This result with every text in it redacted (reviewbot.redact): what any output is made
        from, whether the result was just built or read back from a file someone else wrote."""
        notes, skipped = redact_data(self.notes), redact_data(self.skipped)
        findings = [redact_finding(f) for f in self.findings]
        added = [AddedSuppression.model_validate(redact_data(a.model_dump())) for a in self.suppressions_added]
        return self.model_copy(
            update={"findings": findings, "notes": notes, "skipped": skipped, "suppressions_added": added}
        )


@dataclass(frozen=True)
class ReviewOptions:
    new_only: bool = True
    # The caller's own change (--staged, --all): what it adds (suppressions, config) applies.
    # False for a pull request, whose head is untrusted: only the base version's apply.
    trust_head: bool = False
    today: date | None = None  # for suppression expiry; None: today
    usage_state: Path | None = None  # where suppression usage is counted; None: not counted
    # The PR path: an invalid config or suppressions file is a note and the defaults apply, so a
    # broken file on the base branch (or one a PR managed to get merged) cannot stop every review.
    tolerate_invalid_config: bool = False
    # Why findings are unscored when no scorer is given (the PR path names a model it could not load).
    unscored_reason: str = NO_MODEL


def run_review(
    change: Change,
    scanners: Sequence[Scanner],
    options: ReviewOptions,
    history: History | None = None,
    scorer: Scorer | None = None,
) -> ReviewResult:
    """`history`: earlier triage decisions for the history features (none: empty); `scorer`: the
    model that scores the findings (none: findings stay unscored). The ledger's verdicts are read
    here, from the trusted side of the change (`trusted_side`), like the config and suppressions."""
    started = time.monotonic()
    today = options.today or date.today()
    tolerate = options.tolerate_invalid_config
    loaded = config_for(change, trust_head=options.trust_head, tolerate_invalid=tolerate)
    notes: list[str] = list(loaded.warnings)
    effective = suppressions.suppressions_for(
        change, loaded.config, trust_head=options.trust_head, tolerate_invalid=tolerate
    )
    notes.extend(_rule_id_warnings(scanners, loaded.config, loaded.source, effective))
    side = trusted_side(change, trust_head=options.trust_head)
    with_base = options.new_only and bool(change.base)
    with tempfile.TemporaryDirectory(prefix="reviewbot-scan-") as tmp:
        root = Path(tmp)
        head_targets = _materialize(root, _HEAD, change.head)
        followups = {}
        if with_base:
            # New-only compares fingerprints, and a fingerprint names its rule: a file's base
            # version is scanned only by the scanners, and for the rules, that matched its head
            # version, as soon as they did. A change whose files are clean costs one scan.
            base = {path: data for path, data in change.base.items() if path in change.head}
            followups = {f"{_HEAD}/{path}": f"{_BASE}/{path}" for path in base}
            _materialize(root, _BASE, base)
        outputs = _scan_all(root, head_targets, scanners, followups)
    parses = _Parses()
    head: list[Finding] = []
    base_fps: set[str] = set()
    for scanner, output in zip(scanners, outputs, strict=True):
        notes.extend(_warnings(output))
        head += _findings(_HEAD, change, output, scanner, parses, notes)
        if with_base:
            base_fps |= {f.fingerprint for f in _findings(_BASE, change, output, scanner, parses, [])}
    head = [
        f.with_disposition(Disposition.PREEXISTING, "the same finding exists on the base version")
        if f.fingerprint in base_fps
        else f
        for f in head
    ]
    outcome = suppressions.apply_suppressions(head, effective, today=today)
    notes.extend(outcome.notes)
    head = attach_features((_locate(f, change) for f in outcome.findings), history)
    if scorer is not None:
        head = scorer.score(head)
        head = apply_tuning(
            head,
            loaded.config,
            scorer.card,
            model=scorer.name,
            resurfaced=outcome.expired,
            override=scorer.explicit_threshold,
        )
    head = apply_ledger_verdicts(head, side.ledger())
    if scorer is not None:
        head = audit.sample_for_audit(head, loaded.config.audit)
    else:
        head = [f.model_copy(update={"unscored_reason": options.unscored_reason}) for f in head]
    head = mark_duplicates(head)
    if options.usage_state is not None:
        unused_after = loaded.config.suppressions.unused_after
        notes.extend(suppressions.record_usage(options.usage_state, outcome, today=today, unused_after=unused_after))
    return ReviewResult(
        change=change.description,
        new_only=options.new_only,
        findings=sorted(head, key=lambda f: (f.path, f.start_line, f.start_col, f.rule_id)),
        notes=redact_data(notes),  # a scanner's warning may quote the code
        skipped=redact_data(list(change.notes)),
        suppressions_added=outcome.added,
        files_changed=len(change.files),
        files_scanned=len(change.head),
        rules=sum(s.rule_count() for s in scanners),
        seconds=round(time.monotonic() - started, 3),
    )


def _merge(a: ScanOutput, b: ScanOutput) -> ScanOutput:
    return ScanOutput(matches=[*a.matches, *b.matches], warnings=[*a.warnings, *b.warnings])


def _scan_all(
    root: Path, targets: list[str], scanners: Sequence[Scanner], followups: dict[str, str]
) -> list[ScanOutput]:
    """Run every scanner on the targets it has rules for, side by side (with `followups`, each
    scanner also scans the followups of the targets it matched, for the rules that matched)."""

    def run(scanner: Scanner) -> ScanOutput:
        mine = [t for t in targets if (lang := language_of(t)) is not None and scanner.accepts(lang)]
        if not followups:
            return scanner.scan(root, mine)
        return _merge(*scanner.scan_pairs(root, mine, followups))

    if len(scanners) == 1:
        return [run(scanners[0])]
    with ThreadPoolExecutor(max_workers=len(scanners)) as pool:
        futures = [pool.submit(run, s) for s in scanners]
        return [f.result() for f in futures]


class _Parses:
    """One tree-sitter parse per file version, shared by every scanner's findings."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], ParsedFile | None] = {}

    def get(self, side: str, path: str, source: bytes) -> ParsedFile | None:
        key = (side, path)
        if key not in self._cache:
            self._cache[key] = parse(source, language_of(path))
        return self._cache[key]


def _locate(finding: Finding, change: Change) -> Finding:
    fc = change.file(finding.path)
    first, last = finding.start_line, finding.end_line
    return finding.model_copy(
        update={
            "in_diff": fc is not None and fc.anchorable(first, last),
            "added_lines": fc.added_in(first, last) if fc is not None else 0,
            "hunk_added_lines": fc.hunk_added(first, last) if fc is not None else 0,
        }
    )


def _materialize(root: Path, side: str, contents: dict[str, bytes]) -> list[str]:
    targets = []
    for path, data in contents.items():
        dest = root / side / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        targets.append(f"{side}/{path}")
    return targets


def _rule_id_warnings(
    scanners: Sequence[Scanner], config: Config, label: str, effective: suppressions.Effective
) -> list[str]:
    """Per-rule config keys and inline ignores that name no rule of this review: they do nothing."""
    from reviewbot.policy.rule_ids import config_rule_warnings, inline_rule_warnings

    listed = [s.rule_ids() for s in scanners]
    if not listed or not all(listed):  # a scanner that cannot list its rules: nothing to check against
        return []
    known = frozenset().union(*listed)
    infos = (s.rule(rule_id) for s in scanners for rule_id in s.rule_ids())
    categories = {info.category for info in infos if info is not None}
    return config_rule_warnings(config, label, known, categories) + inline_rule_warnings(effective, known)


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
    side: str,
    change: Change,
    output: ScanOutput,
    scanner: Scanner,
    parses: _Parses,
    notes: list[str],
) -> list[Finding]:
    contents = change.head if side == _HEAD else change.base
    by_path: dict[str, list[RawMatch]] = defaultdict(list)
    prefix = side + "/"
    for m in output.matches:
        if m.path.startswith(prefix):
            by_path[m.path[len(prefix) :]].append(m)
    findings: list[Finding] = []
    for path, matches in by_path.items():
        if path not in contents:
            raise ToolError(f"{scanner.kind.value} reported a file it was not given: {path}")
        parsed = parses.get(side, path, contents[path])
        # Only head findings are shown, so only they need context (the base is matched by fingerprint).
        on_base = change.path_on_base(path) if side == _HEAD else None
        modules = change.modules if side == _HEAD else None
        findings.extend(_file_findings(path, contents[path], parsed, matches, scanner, notes, on_base, modules))
    return findings


def _file_findings(
    path: str,
    source: bytes,
    parsed: ParsedFile | None,
    matches: list[RawMatch],
    scanner: Scanner,
    notes: list[str],
    path_on_base: bool | None,
    modules: ModuleReader | None = None,
) -> list[Finding]:
    # Split on "\n" only, as semgrep counts lines; str.splitlines would also split on \x0c, \u2028…
    byte_lines = source.split(b"\n")
    lines = [b.decode("utf-8", "replace").rstrip("\r") for b in byte_lines]
    byte_lines = [b + b"\n" for b in byte_lines[:-1]] + byte_lines[-1:]
    matches = sorted(matches, key=lambda m: (m.start_byte, m.end_byte, m.rule_id))
    built = []
    for m in matches:
        info = scanner.rule(m.rule_id)
        if info is None:
            notes.append(f"{path}: {scanner.kind.value} reported rule {m.rule_id}, which is not loaded; ignored")
            continue
        ident = fingerprint.match_identity(info.id, path, source, parsed, m.start_byte, m.end_byte)
        built.append((m, info, ident))
    fps = fingerprint.fingerprints(ident for _, _, ident in built)
    out = []
    for (m, info, _), fp in zip(built, fps, strict=True):
        snippet = "\n".join(lines[m.start_line - 1 : m.end_line])
        fix = _line_fix(byte_lines, m)
        message = (m.message or info.message).strip()
        context = None
        if path_on_base is not None:
            context = context_for(
                parsed, m.start_byte, m.end_byte, path=path, path_on_base=path_on_base, modules=modules
            )
        fix_redacted = False
        if info.category == "secrets":  # a secret is never echoed in full, in any output
            snippet, message = redact_secrets(snippet), redact_secrets(message)
            masked = redact_secrets(fix) if fix is not None else None
            fix, fix_redacted = masked, masked != fix
            if context is not None:  # the literal is one of the tokens, and may look like a name
                context = context.model_copy(update={"tokens": (), "tokens_truncated": True})
        finding = Finding(
            rule_id=info.id,
            scanner=scanner.kind,
            path=path,
            start_line=m.start_line,
            start_col=m.start_col,
            end_line=m.end_line,
            end_col=m.end_col,
            message=message,
            severity=info.severity,
            confidence=info.confidence,
            category=info.category,
            cwe=info.cwe,
            owasp=info.owasp,
            rationale=info.rationale,
            dataflow=info.dataflow,
            snippet=snippet,
            fix=fix,
            fix_redacted=fix_redacted,
            fingerprint=fp,
            context=context,
        )
        # Any rule's match may sit on a line with a credential on it (a TLS call with a token in
        # its headers): every finding is redacted as it is built, after its fingerprint was taken.
        finding = redact_finding(finding)
        out.append(finding)
    return out


def _line_fix(byte_lines: list[bytes], m: RawMatch) -> str | None:
    """The match's whole lines with the matched bytes replaced by the rule's fix text; None when
    that changes nothing (semgrep reports the matched text as the fix when a `fix-regex` does
    not match it: a suggestion to commit the same code is no fix)."""
    if m.fix is None or not byte_lines:
        return None
    first = sum(len(b) for b in byte_lines[: m.start_line - 1])
    block = b"".join(byte_lines[m.start_line - 1 : m.end_line])
    start, end = m.start_byte - first, m.end_byte - first
    if not (0 <= start <= end <= len(block)) or block[start:end] == m.fix.encode("utf-8"):
        return None
    fixed = block[:start] + m.fix.encode("utf-8") + block[end:]
    return fixed.decode("utf-8", "replace").rstrip("\r\n")
