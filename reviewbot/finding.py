"""The finding: an immutable record of one rule match, and the enums that describe it.

A scanner produces the facts (rule, place, message, metadata, fingerprint); each later stage
returns a copy with the one field it owns changed (`model_copy(update=...)`), so no stage can
quietly rewrite another's work. The JSON form of this model is a versioned contract
(docs/json-output.md).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from reviewbot.lang.facts import CodeContext


class Severity(StrEnum):
    """How bad the weakness is if it is real. Ordered: `rank` grows with badness."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @property
    def security_severity(self) -> str:
        """The CVSS-like number GitHub code scanning reads from SARIF rule properties."""
        return _SECURITY_SEVERITY[self]


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}
# GitHub maps security-severity > 9.0 to critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
_SECURITY_SEVERITY = {
    Severity.LOW: "3.0",
    Severity.MEDIUM: "5.5",
    Severity.HIGH: "8.0",
    Severity.CRITICAL: "9.5",
}


class Confidence(StrEnum):
    """How sure the rule author is that a match is a real instance of the weakness. Ordered by `rank`."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _CONFIDENCE_RANK[self]


_CONFIDENCE_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


class Disposition(StrEnum):
    """What the pipeline decided about a finding. Only reporters decide what is visible.

    Every finding keeps its disposition through to SARIF and JSON, so what was hidden, and why,
    is never lost ("mark, don't drop").
    """

    REPORTED = "reported"
    PREEXISTING = "preexisting"  # the same fingerprint exists on the base: not introduced here
    SUPPRESSED_INLINE = "suppressed_inline"  # a nosemgrep / reviewbot: ignore comment
    SUPPRESSED_FILE = "suppressed_file"  # an entry in the suppressions file
    TRIAGED = "triaged"  # a human verdict in the triage ledger
    BELOW_THRESHOLD = "below_threshold"  # the model scored it under the threshold
    DUPLICATE = "duplicate"  # another rule reports the same weakness on the same lines


class Scanner(StrEnum):
    SEMGREP = "semgrep"
    TREESITTER = "treesitter"
    LLM = "llm"  # the optional second reader's own findings (`llm.review`, reviewbot/llm/)


class LlmNote(BaseModel):
    """What the optional LLM said about a finding: its words, never a decision.

    Shown labelled as the LLM's words and escaped like any untrusted text. `fix` is a replacement
    of the finding's lines `start_line..end_line` that the fix verifier accepted (else None).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str
    explanation: str = ""
    exploit: str = ""
    fix: str | None = None


# Findings imported from another tool's SARIF (scanners/sarif_import.py): `sarif:` and the tool's
# id (`runs[].tool.driver.name` lower-cased, e.g. `sarif:bandit`, `sarif:semgrep-oss`).
IMPORTED_PREFIX = "sarif:"
ImportedScanner = Annotated[str, StringConstraints(pattern=r"^sarif:[a-z0-9][a-z0-9._-]*$")]


class Finding(BaseModel):
    """One rule match in one file of the change's head version.

    Lines and columns are 1-based; columns count bytes of the UTF-8 line, as semgrep does.
    `fix`, when present, is the full replacement text of lines `start_line..end_line` (ready for
    a ```suggestion block), not just of the matched span.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str = Field(min_length=1)
    scanner: Scanner | ImportedScanner
    path: str = Field(min_length=1)  # repo-relative POSIX path in the head version
    start_line: int = Field(ge=1)
    start_col: int = Field(ge=1)
    end_line: int = Field(ge=1)
    end_col: int = Field(ge=1)
    message: str
    severity: Severity
    confidence: Confidence
    category: str
    cwe: tuple[str, ...] = ()
    owasp: tuple[str, ...] = ()
    rationale: str = ""
    # The rule follows data from a source to a sink (taint): where the value comes from speaks to
    # it. Otherwise the rule is about the call or setting itself (`secure=False`, `md5(...)`).
    dataflow: bool = False
    snippet: str = ""  # the head version's lines start_line..end_line
    fix: str | None = None
    # A secret in `fix` was masked (reviewbot.redact): the text is for reading, not a replacement
    # to apply, so it is never offered as a suggestion.
    fix_redacted: bool = False
    # The fix verifier's word on `fix` (reviewbot.llm.verify): "ok", the reason it was refused, or
    # None when it was not checked. Only an "ok" fix is posted as a suggestion.
    fix_verdict: str | None = Field(default=None, pattern=r"^[a-z][a-z-]{0,39}$")
    fingerprint: str = Field(pattern=r"^[0-9a-f]{32}$")
    disposition: Disposition = Disposition.REPORTED
    disposition_reason: str = ""
    in_diff: bool = False  # every line of the match lies in one diff hunk: anchorable inline
    added_lines: int = Field(default=0, ge=0)  # lines of the match the change adds
    hunk_added_lines: int = Field(default=0, ge=0)  # lines added by the hunks around the match
    score: float | None = None  # calibrated probability that a human acts on it (the model's)
    contributions: tuple[tuple[str, float], ...] = ()  # top reasons for the score, in words
    # Why `score` is None, in words ("not scored: …"), set where scoring decides; empty when scored.
    unscored_reason: str = ""
    features: dict[str, float] | None = None  # the vector the model saw (docs/features.md)
    feature_schema: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    context: CodeContext | None = None  # facts about the code around the match (docs/context.md)
    llm: LlmNote | None = None  # the optional LLM's explanation and verified fix (docs/llm.md)

    @model_validator(mode="after")
    def _check_range(self) -> Finding:
        if (self.end_line, self.end_col) < (self.start_line, self.start_col):
            raise ValueError(
                f"finding {self.rule_id} at {self.path}: range ends before it starts "
                f"({self.start_line}:{self.start_col} > {self.end_line}:{self.end_col})"
            )
        if self.path.startswith("/") or ".." in self.path.split("/"):
            raise ValueError(f"finding path must be repo-relative: {self.path!r}")
        return self

    @property
    def imported(self) -> bool:
        """Found by another tool, imported from its SARIF (`--import-sarif`)."""
        return str(self.scanner).startswith(IMPORTED_PREFIX)

    @property
    def visible(self) -> bool:
        return self.disposition is Disposition.REPORTED

    def with_disposition(self, disposition: Disposition, reason: str = "") -> Finding:
        return self.model_copy(update={"disposition": disposition, "disposition_reason": reason})
