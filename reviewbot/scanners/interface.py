"""The scanner interface: files in, raw matches and warnings out.

A scanner knows nothing of diffs, fingerprints or dispositions; it reports what its rules
matched, with byte offsets, and every problem it met as a warning (a file it could not parse is
a warning on the result, never silence and never a crash). A scanner that cannot run at all
raises `ScannerError`. Each scanner also owns the index of its rules, so the review can turn a
match into a finding without knowing where the rule came from.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewbot.errors import ToolError
from reviewbot.finding import Scanner as ScannerKind
from reviewbot.finding import Severity
from reviewbot.scanners.rulesets import RuleInfo


class ScannerError(ToolError):
    """The scanner could not run, or said something we cannot trust."""


@dataclass(frozen=True)
class RawMatch:
    rule_id: str
    path: str  # relative to the scan root, POSIX
    start_line: int
    start_col: int  # 1-based, in bytes
    start_byte: int
    end_line: int
    end_col: int  # 1-based, in bytes, exclusive
    end_byte: int
    message: str
    fix: str | None = None  # replacement text for the matched bytes, when the rule has one
    # This match's own severity, when it has one beside its rule's (an imported SARIF result's level).
    severity: Severity | None = None
    metadata: Mapping[str, Any] | None = field(default=None, hash=False, compare=False)  # for Finding.metadata


@dataclass(frozen=True)
class ScanWarning:
    path: str | None  # relative to the scan root; None when it concerns the whole run
    message: str


@dataclass
class ScanOutput:
    matches: list[RawMatch] = field(default_factory=list)
    warnings: list[ScanWarning] = field(default_factory=list)


class Scanner(ABC):
    kind: ScannerKind | str  # a str only for an imported tool's results: `sarif:<tool>` (finding.py)

    @abstractmethod
    def accepts(self, language: str) -> bool:
        """Whether this scanner has rules for files of `language` (see languages.py)."""

    @abstractmethod
    def rule(self, reported_id: str) -> RuleInfo | None:
        """The rule behind an id this scanner reported, or None if it is not one of ours."""

    def rule_ids(self) -> frozenset[str]:
        """The ids of the rules this scanner runs, for checking ids users type (empty: unknown)."""
        return frozenset()

    @abstractmethod
    def rule_count(self) -> int:
        """How many rules this scanner runs (for the summary)."""

    @abstractmethod
    def scan(self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]] | None = None) -> ScanOutput:
        """Scan `targets` (POSIX paths relative to `root`, regular files) and report matches.

        `only`: for a target it lists, just the matches of these rules (ids as this scanner
        reports them) are wanted; the scanner may skip its other rules there, or report them anyway.
        """

    def scan_pairs(self, root: Path, targets: list[str], followups: Mapping[str, str]) -> tuple[ScanOutput, ScanOutput]:
        """Scan `targets`, then each `followups[target]` of a target with matches, for just the
        rules that matched that target (new-only: a file's base version, for its head's rules).
        Returns the targets' output and the followups'. This default runs the two one after the
        other; a scanner may start a followup as soon as its target's result is known."""
        first = self.scan(root, targets)
        rules: dict[str, set[str]] = {}
        for m in first.matches:
            if m.path in followups:
                rules.setdefault(followups[m.path], set()).add(m.rule_id)
        then = {target: frozenset(ids) for target, ids in rules.items()}
        return first, self.scan(root, sorted(then), then) if then else ScanOutput()
