"""The results file passed from the unprivileged first stage to the privileged second one.

In the fork pattern the first stage runs on the PR's code with a read-only token and saves its
`ReviewResult` with the PR number and commits; the `workflow_run` stage posts it. That file is
written by a job the PR author controls, so it is untrusted: it is size-limited and validated
strictly here (an unknown field anywhere in it is refused; a `Finding` refuses bad fingerprints
and paths outside the repository), its PR number is checked against GitHub (sources.py), its head
commit, repository and PR number must be those of the PR GitHub confirmed (runner.py), and its
`in_diff` claims are ignored (anchors come from GitHub's diff).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reviewbot._io import write_output
from reviewbot.github.event import EventError
from reviewbot.review.result import ReviewResult

SCHEMA: Final = "reviewbot-pr-results/1"
MAX_BYTES = 50 * 1024 * 1024
MAX_FINDINGS = 20_000
_SHA = r"^[0-9a-f]{40}([0-9a-f]{24})?$"


class PrResults(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_id: Literal["reviewbot-pr-results/1"] = Field(default=SCHEMA, alias="schema")
    repository: str
    pr_number: int = Field(ge=1)
    head_sha: str = Field(pattern=_SHA)
    base_sha: str = Field(pattern=_SHA)
    result: ReviewResult


def save_results(path: Path, results: PrResults) -> None:
    # The artifact is uploaded for the second stage to read: no secret goes into it.
    results = results.model_copy(update={"result": results.result.redacted()})
    data = results.model_dump_json(by_alias=True, indent=1).encode("utf-8")
    write_output(path, data, "--save-results", make_parents=True)  # the Action's folder in runner.temp


def load_results(path: Path) -> PrResults:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise EventError(f"{path}: cannot read the results file: {exc.strerror}") from exc
    if size > MAX_BYTES:
        raise EventError(f"{path}: the results file is {size} bytes, more than the {MAX_BYTES} accepted")
    try:
        # Unknown fields are refused at every level, also inside models that ignore them elsewhere
        # (ReviewResult, AddedSuppression): the artifact is untrusted, nothing in it goes unchecked.
        results = PrResults.model_validate_json(path.read_bytes(), extra="forbid")
    except OSError as exc:
        raise EventError(f"{path}: cannot read the results file: {exc.strerror}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])
        raise EventError(f"{path}: not a reviewbot results file: {problems}") from exc
    if len(results.result.findings) > MAX_FINDINGS:
        raise EventError(f"{path}: {len(results.result.findings)} findings, more than the {MAX_FINDINGS} accepted")
    # Whoever wrote the file may not have redacted it (and sets `fix_redacted` as they please), and
    # may claim a fix passed the verifier (llm/verify.py), a rule's or an LLM's: this stage has no
    # code to check one against, so no fix from a results file is ever offered as a suggestion.
    redacted = results.result.redacted()
    unverified = [
        f.model_copy(
            update={"fix_verdict": None, "llm": f.llm.model_copy(update={"fix": None}) if f.llm is not None else None}
        )
        for f in redacted.findings
    ]
    return results.model_copy(update={"result": redacted.model_copy(update={"findings": unverified})})
