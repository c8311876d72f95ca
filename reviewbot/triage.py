"""The triage ledger: human verdicts on findings, one JSON object a line, append-only.

The ledger (`.reviewbot/triage.jsonl` by default) is reviewed in pull requests like code and
merges cleanly because records are only ever appended. Each record keeps the finding's feature
vector at decision time with its schema version, so training never needs an old checkout.
This module owns the record format (`TriageRecord`, schema 1) and reading/appending the file.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

LEDGER_SCHEMA_VERSION = 1
DEFAULT_LEDGER = ".reviewbot/triage.jsonl"


class Verdict(StrEnum):
    TRUE_POSITIVE = "true_positive"
    FALSE_POSITIVE = "false_positive"
    ACCEPTED_RISK = "accepted_risk"  # real, and consciously accepted: not noise
    WONT_FIX = "wont_fix"  # real, not worth fixing: not noise either

    @property
    def is_real(self) -> bool:
        """The training label: everything but a false positive is a finding a human acted on."""
        return self is not Verdict.FALSE_POSITIVE


class Source(StrEnum):
    CLI = "cli"
    PR_THREAD = "pr-thread"
    IMPORT = "import"


class TriageRecord(BaseModel):
    """One human decision about one finding (by fingerprint)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = 1
    fingerprint: str = Field(pattern=r"^[0-9a-f]{32}$")
    rule_id: str = Field(min_length=1)
    verdict: Verdict
    reason: str = ""
    who: str = Field(min_length=1)
    when: datetime  # timezone-aware, UTC when written by reviewbot
    source: Source
    commit: str | None = None
    path: str | None = None
    # The finding's features when it was decided, and the feature schema they follow.
    features: dict[str, float] | None = None
    feature_schema: str | None = None
