"""Reporters: each renders a ReviewResult in one output format. Only reporters decide visibility.

What they render is redacted first (`ReviewResult.redacted`): no output repeats a secret.
"""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from reviewbot.review.result import ReviewResult


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"


def render(result: ReviewResult, fmt: OutputFormat, *, color: bool = False, verbose: bool = False) -> str:
    # Every output is made from the redacted result; the text one also passes through one final
    # redaction (JSON and SARIF are not rewritten as text: a mask must not cut through an escape).
    result = result.redacted()
    if fmt is OutputFormat.TEXT:
        from reviewbot.redact import redact_text
        from reviewbot.reporters.text import render_text

        return redact_text(render_text(result, color=color, verbose=verbose))
    if fmt is OutputFormat.JSON:
        from reviewbot.reporters.json import render_json

        return render_json(result)
    if fmt is OutputFormat.SARIF:
        from reviewbot.reporters.sarif import render_sarif

        return render_sarif(result)
    assert_never(fmt)
