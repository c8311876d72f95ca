"""What a change adds to silence findings, as the review result carries it (plain data).

`policy.suppressions` finds these (a new `nosemgrep` comment, a new or edited entry of the
suppressions file, new code under an old one); the reporters and the PR summary list them. Kept
apart from the stage so that the result type, and every reporter reading it, loads no policy code.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from reviewbot.finding import Finding


class HiddenFinding(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule_id: str
    path: str
    line: int
    fingerprint: str

    @classmethod
    def of(cls, f: Finding) -> HiddenFinding:
        return cls(rule_id=f.rule_id, path=f.path, line=f.start_line, fingerprint=f.fingerprint)


class AddedSuppression(BaseModel):
    """A suppression the change under review adds: listed for the reviewer, applied only if trusted."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["inline", "file"]
    where: str  # `path:line`, or `.reviewbot/suppressions.yml entry <id> (line N)`
    what: str  # the comment, or the entry's scope
    silences: tuple[str, ...]  # rule ids; "*" for every rule
    reason: str
    change: Literal["added", "edited", "new code under it"]
    applied: bool
    hides: tuple[HiddenFinding, ...] = ()

    def describe(self) -> str:
        status = (
            "applied: the caller trusts this change"
            if self.applied
            else "not applied: suppressions come from the base version"
        )
        rules = "every rule" if "*" in self.silences or not self.silences else ", ".join(self.silences)
        verb = "hides" if self.applied else "would hide"
        hidden = "; ".join(f"{h.rule_id} at {h.path}:{h.line} [{h.fingerprint[:12]}]" for h in self.hides)
        effect = f"{verb} {hidden}" if self.hides else "hides no finding in this review"
        head = {
            "added": "suppression added by this change",
            "edited": "suppression edited by this change",
            "new code under it": "this change puts new code under an existing suppression",
        }[self.change]
        return f"{head} ({status}): {self.what} at {self.where} ({self.reason!r}) silences {rules} and {effect}"
