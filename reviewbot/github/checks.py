"""The check run: a `neutral` (findings) or `success` (none) conclusion, never `failure`.

Every reported finding becomes an annotation, in or out of the diff. GitHub takes at most 50
annotations per request, so the run is created with the first 50 and updated with the rest, 50
at a time (updates append). The summary is cut to GitHub's 65,535 characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from reviewbot.finding import Finding, Severity
from reviewbot.github.client import Api, chunks
from reviewbot.github.summary import CHECK_SUMMARY_LIMIT
from reviewbot.redact import redact_text
from reviewbot.reporters.markdown import plain, said_by

CHECK_NAME = "reviewbot"
ANNOTATIONS_PER_REQUEST = 50
MAX_ANNOTATIONS = 1000  # past this, the summary and SARIF carry the rest
_LEVEL = {Severity.CRITICAL: "warning", Severity.HIGH: "warning", Severity.MEDIUM: "warning", Severity.LOW: "notice"}


def annotation(f: Finding) -> dict[str, str | int]:
    out: dict[str, str | int] = {
        "path": f.path,
        "start_line": f.start_line,
        "end_line": f.end_line,
        "annotation_level": _LEVEL[f.severity],
        "title": _plain(f"{f.severity.value}: {f.rule_id}")[:255],
        "message": _plain(said_by(f) + f.message)[:4000] or f.rule_id,
        "raw_details": _plain(f"id {f.fingerprint[:12]} · {', '.join(f.cwe)}")[:4000],
    }
    if f.start_line == f.end_line:  # GitHub accepts columns only on single-line annotations
        out["start_column"] = f.start_col
        out["end_column"] = max(f.end_col, f.start_col)
    return out


def _plain(text: str) -> str:
    # Titles and annotations are shown as plain text: redacted, and inert if rendered after all.
    return plain(redact_text(text))


def conclusion(reported: Sequence[Finding]) -> str:
    return "neutral" if reported else "success"


def post_check_run(
    api: Api,
    repository: str,
    head_sha: str,
    reported: Sequence[Finding],
    title: str,
    summary: str,
    conclusion_override: str | None = None,
) -> int:
    """Create the completed check run; return how many annotations were sent."""
    repo = api.gh.get_repo(repository)
    notes = [annotation(f) for f in reported[:MAX_ANNOTATIONS]]
    batches = list(chunks(notes, ANNOTATIONS_PER_REQUEST)) or [[]]
    title = _plain(title)[:255]
    summary = redact_text(summary[:CHECK_SUMMARY_LIMIT])

    def output(batch: list[dict[str, str | int]]) -> dict[str, Any]:
        return {"title": title, "summary": summary, "annotations": batch}

    run = api.write(
        "create check run",
        lambda: repo.create_check_run(
            name=CHECK_NAME,
            head_sha=head_sha,
            status="completed",
            conclusion=conclusion_override or conclusion(reported),
            output=output(batches[0]),
        ),
        repeat_safe=True,
    )
    for batch in batches[1:]:
        api.write("add check run annotations", partial(run.edit, output=output(batch)), repeat_safe=True)
    return len(notes)
