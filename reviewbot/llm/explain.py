"""Use 1, Explain: a plain explanation (at most 80 words) and a one-sentence exploit scenario.

The answer is checked, not trusted: a longer explanation, a scenario of several sentences or
lines, or an empty field makes the answer malformed (a failed call). The text is stored as the
LLM wrote it and escaped wherever it is shown (reporters, PR comments), labelled as its words.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reviewbot.finding import Finding
from reviewbot.llm.prompt import CodeWindow, finding_document

MAX_WORDS = 80
TASK = (
    "Explain to the developer, in at most 80 words of plain text, why this finding of the rule is or "
    "is not a real weakness in this code, and give a one-sentence exploit scenario. Fields: "
    "explanation (string), exploit (string, one sentence)."
)


class Explanation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    explanation: str = Field(min_length=1, max_length=800)
    exploit: str = Field(min_length=1, max_length=400)

    @field_validator("explanation")
    @classmethod
    def _short(cls, value: str) -> str:
        if len(value.split()) > MAX_WORDS:
            raise ValueError(f"more than {MAX_WORDS} words")
        return value.strip()

    @field_validator("exploit")
    @classmethod
    def _one_sentence(cls, value: str) -> str:
        value = value.strip()
        if "\n" in value or len(re.findall(r"[.!?](?:\s|$)", value)) > 1:
            raise ValueError("more than one sentence")
        return value


def explain_request(finding: Finding, window: CodeWindow) -> str:
    return finding_document(finding, window, TASK)
