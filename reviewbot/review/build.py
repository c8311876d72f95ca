"""Building findings from a scan: each scanner's raw matches become `Finding`s, with code context.

    parses = Parses()                                   # one tree-sitter parse per file version
    notes += scanner_notes(output)                      # the scanner's warnings, naming the side
    head = build_findings(HEAD, change, output, scanner, parses, notes)
    base_fps |= base_fingerprints(change, output, scanner, parses)    # new-only: the base's, by fingerprint
    located = locate(finding, change)                   # in_diff and the diff's facts

A finding is fingerprinted from the real code, then redacted as it is built (a secret is never
echoed in full, in any output). Only head findings get code context: the base is matched by
fingerprint only.
"""

from __future__ import annotations

from collections import defaultdict

from reviewbot.change.changes import Change
from reviewbot.errors import ToolError
from reviewbot.finding import Finding
from reviewbot.lang.base import ModuleReader
from reviewbot.lang.context import context_for
from reviewbot.lang.languages import language_of
from reviewbot.lang.syntax import ParsedFile, parse
from reviewbot.redact import redact_finding, redact_secrets
from reviewbot.review import fingerprint
from reviewbot.review.scan import BASE, HEAD
from reviewbot.scanners import script_blocks
from reviewbot.scanners.interface import RawMatch, Scanner, ScanOutput
from reviewbot.scanners.rulesets import RuleInfo


class Parses:
    """One tree-sitter parse per file version, shared by every scanner's findings."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], ParsedFile | None] = {}

    def get(self, side: str, path: str, source: bytes) -> ParsedFile | None:
        key = (side, path)
        if key not in self._cache:
            self._cache[key] = parse(source, language_of(path))
        return self._cache[key]

    def script(self, side: str, path: str, source: bytes) -> ParsedFile | None:
        """The parse of a `.vue`/`.html` file's script view (scanners/script_blocks.py: same
        length, everything but its `<script>` blocks blanked) as JavaScript or TypeScript; None
        for other files and files without a script block. It is for code context only: a
        fingerprint reads the file's own parse, so suppressions and verdicts keep matching."""
        key = ("script:" + side, path)
        if key not in self._cache:
            view = script_blocks.script_view(path, source) if script_blocks.has_script_blocks(path) else None
            self._cache[key] = parse(view[1], language_of(path + view[0])) if view is not None else None
        return self._cache[key]


def locate(finding: Finding, change: Change) -> Finding:
    """The finding with where it sits in the diff: anchorable (in_diff), and the added lines."""
    fc = change.file(finding.path)
    first, last = finding.start_line, finding.end_line
    return finding.model_copy(
        update={
            "in_diff": fc is not None and fc.anchorable(first, last),
            "added_lines": fc.added_in(first, last) if fc is not None else 0,
            "hunk_added_lines": fc.hunk_added(first, last) if fc is not None else 0,
        }
    )


def scanner_notes(output: ScanOutput) -> list[str]:
    """The scanner's warnings as notes, a base version's named as such."""
    notes = []
    for w in output.warnings:
        if w.path is None:
            notes.append(w.message)
            continue
        side, _, path = w.path.partition("/")
        where = path if side == HEAD else f"{path} (base version)"
        notes.append(f"{where}: {w.message}")
    return notes


def build_findings(
    side: str,
    change: Change,
    output: ScanOutput,
    scanner: Scanner,
    parses: Parses,
    notes: list[str],
) -> list[Finding]:
    """The findings of `output` on one side (HEAD or BASE) of the change; problems go to `notes`."""
    contents = change.head if side == HEAD else change.base
    findings: list[Finding] = []
    for path, matches in _by_path(side, contents, output, scanner).items():
        parsed = parses.get(side, path, contents[path])
        # Only head findings are shown, so only they need context (the base is matched by fingerprint).
        on_base = change.path_on_base(path) if side == HEAD else None
        modules = change.modules if side == HEAD else None
        script = parses.script(side, path, contents[path]) if on_base is not None else None
        findings.extend(_file_findings(path, contents[path], parsed, matches, scanner, notes, on_base, modules, script))
    return findings


def base_fingerprints(change: Change, output: ScanOutput, scanner: Scanner, parses: Parses) -> set[str]:
    """The fingerprints of `output`'s matches on the base versions: all new-only needs of them.
    No `Finding` is built (nothing of the base is shown), which matters when a base has many."""
    fps: set[str] = set()
    for path, matches in _by_path(BASE, change.base, output, scanner).items():
        source = change.base[path]
        built = _identified(path, source, parses.get(BASE, path, source), matches, scanner, [])
        fps.update(fingerprint.fingerprints(ident for _, _, ident in built))
    return fps


def _by_path(side: str, contents: dict[str, bytes], output: ScanOutput, scanner: Scanner) -> dict[str, list[RawMatch]]:
    by_path: dict[str, list[RawMatch]] = defaultdict(list)
    prefix = side + "/"
    for m in output.matches:
        if m.path.startswith(prefix):
            by_path[m.path[len(prefix) :]].append(m)
    for path in by_path:
        if path not in contents:
            raise ToolError(f"{scanner.kind!s} reported a file it was not given: {path}")
    return by_path


def _identified(
    path: str, source: bytes, parsed: ParsedFile | None, matches: list[RawMatch], scanner: Scanner, notes: list[str]
) -> list[tuple[RawMatch, RuleInfo, fingerprint.MatchIdentity]]:
    """The matches in source order with their rule and identity (fingerprint v1 without the
    occurrence); a match of a rule the scanner has not loaded is a note and left out."""
    built = []
    for m in sorted(matches, key=lambda m: (m.start_byte, m.end_byte, m.rule_id)):
        info = scanner.rule(m.rule_id)
        if info is None:
            notes.append(f"{path}: {scanner.kind!s} reported rule {m.rule_id}, which is not loaded; ignored")
            continue
        built.append((m, info, fingerprint.match_identity(info.id, path, source, parsed, m.start_byte, m.end_byte)))
    return built


def _file_findings(
    path: str,
    source: bytes,
    parsed: ParsedFile | None,
    matches: list[RawMatch],
    scanner: Scanner,
    notes: list[str],
    path_on_base: bool | None,
    modules: ModuleReader | None = None,
    script: ParsedFile | None = None,
) -> list[Finding]:
    # Split on "\n" only, as semgrep counts lines; str.splitlines would also split on \x0c, \u2028…
    byte_lines = source.split(b"\n")
    lines = [b.decode("utf-8", "replace").rstrip("\r") for b in byte_lines]
    byte_lines = [b + b"\n" for b in byte_lines[:-1]] + byte_lines[-1:]
    built = _identified(path, source, parsed, matches, scanner, notes)
    fps = fingerprint.fingerprints(ident for _, _, ident in built)
    out = []
    for (m, info, _), fp in zip(built, fps, strict=True):
        snippet = "\n".join(lines[m.start_line - 1 : m.end_line])
        fix = _line_fix(byte_lines, m)
        message = (m.message or info.message).strip()
        context = None
        if path_on_base is not None:
            # A match inside a script block reads the block's JavaScript (the view's offsets are
            # the file's own); one in the template (`v-html`) reads the file's own parse.
            inside = script is not None and script.source[m.start_byte : m.end_byte].strip() != b""
            context = context_for(
                script if inside else parsed,
                m.start_byte,
                m.end_byte,
                path=path,
                path_on_base=path_on_base,
                modules=modules,
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
            severity=m.severity or info.severity,
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
            metadata=dict(m.metadata or {}),
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
