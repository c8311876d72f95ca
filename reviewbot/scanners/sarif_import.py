"""Other tools' SARIF as scanners: `--import-sarif FILE` (and `--import-sarif-base FILE`).

    scanners, notes = imported_scanners(heads, bases, repo_root, tolerate=False)

One `SarifScanner` per tool (`runs[].tool.driver.name`; several files or runs of one tool are
one scanner). It "scans" by handing back the tool's results on the files it is given, as raw
matches with byte offsets computed from the SARIF region (lines and columns in the run's
`columnKind`; SARIF's default is UTF-16 code units) on the very bytes the review reads, so a
result becomes a `Finding` through the same stages as ours (`review/build.py`: fingerprint v1
from the code at the location, context, redaction; then new-only, suppressions, features,
scoring, triage, duplicates). Its findings' scanner is `sarif:<tool>`.

New-only: with `--import-sarif-base` files for the tool, their results on a file's base version
decide what is pre-existing. Without them, the tool's result is taken to hold wherever the base
version has the same code: the base "matches" are the occurrences of the matched bytes in the base
version, so a finding is pre-existing exactly when the base has the same fingerprint (same rule,
code, scope and occurrence).

Refused and counted, in one note per tool: results outside the repository or not on a file
(`sarif_paths`), on a symlink, on files the change does not scan, with a region past the end of
the file, and those the tool itself marks as not failures (`sarif_map`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from reviewbot.change.files import through_symlink
from reviewbot.scanners.interface import RawMatch, Scanner, ScanOutput, ScanWarning
from reviewbot.scanners.rulesets import RuleInfo
from reviewbot.scanners.sarif_load import SarifError, read_sarif
from reviewbot.scanners.sarif_map import ImportedResult, ImportedRun, map_sarif
from reviewbot.scanners.sarif_paths import repo_roots

_HEAD, _BASE = "head/", "base/"  # review/scan.py's two sides (a scanner does not import review/)
_MAX_BASE_OCCURRENCES = 64  # per head match: the same line pasted a thousand times is not worth more


class SarifScanner(Scanner):
    """The results of one tool's SARIF run(s), handed back for the files of the change."""

    def __init__(
        self,
        tool: str,
        runs: Sequence[ImportedRun],
        base_runs: Sequence[ImportedRun] | None,
        repo: Path,
        notes: Sequence[str] = (),
    ) -> None:
        self.kind = f"sarif:{tool}"
        self.tool = tool
        self._repo = repo
        self._notes = list(notes)
        self._rules: dict[str, RuleInfo] = {}
        self._head: dict[str, list[tuple[ImportedResult, str]]] = {}
        self._refused: Counter[str] = Counter()
        self._sources = sorted({r.source for r in runs})
        for run in [*runs, *(base_runs or [])]:
            for rule_id, info in run.rules.items():
                self._rules.setdefault(rule_id, info)
        for run in runs:
            self._refused.update(run.refused)
            for result in run.results:
                self._head.setdefault(result.path, []).append((result, run.column_kind))
        self._base: dict[str, list[tuple[ImportedResult, str]]] | None = None
        if base_runs is not None:
            self._base = {}
            for run in base_runs:
                for result in run.results:
                    self._base.setdefault(result.path, []).append((result, run.column_kind))

    def accepts(self, language: str) -> bool:
        return True  # a tool's results are on whatever files it read

    def rule(self, reported_id: str) -> RuleInfo | None:
        return self._rules.get(reported_id)

    def rule_ids(self) -> frozenset[str]:
        return frozenset(self._rules)

    def rule_count(self) -> int:
        return len(self._rules)

    def scan(self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]] | None = None) -> ScanOutput:
        out = ScanOutput(warnings=[ScanWarning(None, note) for note in self._notes])
        refused = Counter(self._refused)
        given = {t[len(_HEAD) :]: t for t in targets if t.startswith(_HEAD)}
        for path, results in self._head.items():
            target = given.get(path)
            if target is None:
                refused[
                    "on a symlink" if through_symlink(self._repo, path) else "on files the change does not scan"
                ] += len(results)
                continue
            text = Lines((root / target).read_bytes())
            for result, column_kind in results:
                match = to_match(result, target, text, column_kind)
                if match is None:
                    refused["with a region past the end of the file"] += 1
                else:
                    out.matches.append(match)
        if refused:
            reasons = ", ".join(f"{n} {why}" for why, n in sorted(refused.items(), key=lambda kv: (-kv[1], kv[0])))
            total = sum(refused.values())
            where = f"imported SARIF of {self.tool} ({', '.join(self._sources)})"
            out.warnings.append(ScanWarning(None, f"{where}: {total} result(s) not imported: {reasons}"))
        return out

    def scan_pairs(self, root: Path, targets: list[str], followups: Mapping[str, str]) -> tuple[ScanOutput, ScanOutput]:
        first = self.scan(root, targets)
        base = ScanOutput()
        if self._base is not None:  # the tool's own results on the base decide
            for head_target, base_target in followups.items():
                results = self._base.get(head_target[len(_HEAD) :], [])
                if results:
                    text = Lines((root / base_target).read_bytes())
                    matches = (to_match(r, base_target, text, kind) for r, kind in results)
                    base.matches.extend(m for m in matches if m is not None)
            return first, base
        cache: dict[str, bytes] = {}
        searched: set[tuple[str, str, bytes]] = set()
        for m in first.matches:
            followup = followups.get(m.path)
            if followup is None:
                continue
            for target in (followup, m.path):  # each of the two files is read once
                if target not in cache:
                    cache[target] = (root / target).read_bytes()
            code = cache[m.path][m.start_byte : m.end_byte]
            # Once per rule and code: two head matches of the same code must not count the base's twice.
            if (followup, m.rule_id, code) not in searched:
                searched.add((followup, m.rule_id, code))
                base.matches.extend(same_code(m, code, followup, cache[followup]))
        return first, base


class Lines:
    """A file's lines split as semgrep counts them (on "\n" only), with the byte offset of each."""

    def __init__(self, data: bytes) -> None:
        self.lines = data.split(b"\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)


def to_match(result: ImportedResult, target: str, text: Lines, column_kind: str) -> RawMatch | None:
    """The result as a raw match on the file `target`, or None when its region is not in it."""
    lines, starts = text.lines, text.starts
    if result.start_line > len(lines):
        return None
    end_line = min(max(result.end_line or result.start_line, result.start_line), len(lines))
    first, last = lines[result.start_line - 1], lines[end_line - 1]
    start = starts[result.start_line - 1] + _column_byte(first, result.start_column or 1, column_kind)
    if result.end_column is None:
        end = starts[end_line - 1] + len(last.rstrip(b"\r"))
    else:
        end = starts[end_line - 1] + _column_byte(last, result.end_column, column_kind)
    if end <= start:  # a point, or an empty region: the line it is on
        end_line = result.start_line
        start = starts[end_line - 1] + len(first) - len(first.lstrip())
        end = starts[end_line - 1] + len(first.rstrip())
        if end <= start:
            end = start + len(first)
    return RawMatch(
        rule_id=result.rule_id,
        path=target,
        start_line=result.start_line,
        start_col=start - starts[result.start_line - 1] + 1,
        start_byte=start,
        end_line=end_line,
        end_col=max(end - starts[end_line - 1] + 1, 1),
        end_byte=end,
        message=result.message,
        severity=result.severity,
        metadata=result.metadata,
    )


def _column_byte(line: bytes, column: int, column_kind: str) -> int:
    """Bytes of `line` before 1-based `column` (UTF-16 code units, or code points); clamped to the line."""
    text = line.rstrip(b"\r").decode("utf-8", "surrogateescape")
    units, offset = 0, 0
    for ch in text:
        if units >= column - 1:
            break
        units += 2 if column_kind != "unicodeCodePoints" and ord(ch) > 0xFFFF else 1
        offset += len(ch.encode("utf-8", "surrogateescape"))
    return offset


def same_code(m: RawMatch, code: bytes, target: str, data: bytes) -> list[RawMatch]:
    """Where the base version `data` has the bytes `code` of head match `m`: its base "matches"."""
    out: list[RawMatch] = []
    at = data.find(code) if code else -1
    while at >= 0 and len(out) < _MAX_BASE_OCCURRENCES:
        end = at + len(code)
        line = data.count(b"\n", 0, at) + 1
        end_line = line + code.count(b"\n")
        line_start = data.rfind(b"\n", 0, at) + 1
        end_start = data.rfind(b"\n", 0, end) + 1 if end_line > line else line_start
        out.append(
            RawMatch(m.rule_id, target, line, at - line_start + 1, at, end_line, end - end_start + 1, end, m.message)
        )
        at = data.find(code, at + 1)
    return out


def imported_scanners(
    heads: Sequence[Path], bases: Sequence[Path], repo: Path, *, tolerate: bool = False
) -> list[SarifScanner]:
    """One scanner per tool of the `heads` files, with the `bases` files' results of the same tool.

    A file that cannot be imported is a `SarifError` naming it; with `tolerate` (the PR path,
    which never stops on bad input) it is a note on the review instead and the other files count."""
    roots = repo_roots(repo)
    notes: list[str] = []

    def load(paths: Sequence[Path]) -> list[ImportedRun]:
        runs = []
        for path in paths:
            try:
                runs += map_sarif(read_sarif(path), path.name, roots)
            except SarifError as exc:
                if not tolerate:
                    raise
                notes.append(f"{exc}; its results were not imported")
        return runs

    head, base = load(heads), load(bases)
    tools = sorted({r.tool for r in head})
    base_tools = {r.tool for r in base}
    scanners = [
        SarifScanner(
            tool,
            [r for r in head if r.tool == tool],
            [r for r in base if r.tool == tool] if tool in base_tools else None,
            repo,
        )
        for tool in tools
    ]
    if notes:  # said by the first scanner, or by one that imports nothing when no file could be read
        carrier = scanners[0] if scanners else SarifScanner("import", [], None, repo)
        carrier._notes.extend(notes)
        scanners = scanners or [carrier]
    return scanners
