"""The result of a review: every finding with its disposition, every note, and the counts.

What reporters, the PR job and a saved results file read; data only, so reading a result
never loads the conductor (`review.run`) or any stage.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from reviewbot import __version__
from reviewbot.finding import Finding
from reviewbot.policy.added import AddedSuppression
from reviewbot.redact import redact_data, redact_finding

RESULT_SCHEMA_VERSION = "1"


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
