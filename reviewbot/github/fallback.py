"""When reviewbot cannot write to the PR: workflow-command annotations and the job summary.

A read-only token (a fork's `pull_request` run) or a rate limit that will not reset in time
must not lose the review. Findings are printed as `::warning file=…,line=…::message` lines,
which the runner turns into annotations, and the full summary goes to `GITHUB_STEP_SUMMARY`.

Everything printed is escaped the way GitHub's toolkit does (`%`, `\\r`, `\\n` in the message;
also `:` and `,` in properties), so a file name or message from the PR can neither break out of
its property nor start a workflow command of its own on a new line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reviewbot._text import escape_control
from reviewbot.finding import Finding, Severity
from reviewbot.redact import redact_text
from reviewbot.reporters.markdown import plain, said_by

JOB_SUMMARY_LIMIT = 1024 * 1024  # GitHub's limit per step
MAX_MESSAGE = 4000  # characters of a finding's message in one annotation, as in the check run's
MAX_ANNOTATIONS = 50  # GitHub shows at most 10 warnings + 10 notices per step, 50 per job
_LEVEL = {Severity.CRITICAL: "warning", Severity.HIGH: "warning", Severity.MEDIUM: "warning", Severity.LOW: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def shown(text: str) -> str:
    """How an untrusted message or title appears in a workflow command, before the toolkit's
    encoding: redacted, terminal controls visible as `\\uXXXX` (the log renders ANSI), and inert
    plain text should GitHub render it (`plain`)."""
    return plain(escape_control(redact_text(text), keep_newlines=True))


def command(name: str, message: str, properties: dict[str, str | int] | None = None) -> str:
    # Every line reviewbot prints for the runner goes through here. `file` stays as exact as a
    # log line allows (controls visible) for the runner to find the file.
    def value(key: str, v: str | int) -> str:
        return shown(str(v)) if key == "title" else escape_control(redact_text(str(v)), keep_newlines=True)

    values = {k: value(k, v) for k, v in (properties or {}).items()}
    props = ",".join(f"{k}={escape_property(v)}" for k, v in values.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(shown(message))}"


def finding_annotation(f: Finding) -> str:
    props: dict[str, str | int] = {
        "file": f.path,
        "line": f.start_line,
        "endLine": f.end_line,
        "title": f"reviewbot {f.severity.value}: {f.rule_id}",
    }
    if f.start_line == f.end_line:
        props["col"] = f.start_col
        props["endColumn"] = max(f.end_col, f.start_col)
    cwe = f" ({', '.join(f.cwe)})" if f.cwe else ""
    # A saved-results artifact is written by PR-controlled code: a 40 MB message would be one
    # 40 MB log line per annotation.
    message = said_by(f) + f.message
    message = message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"
    return command(_LEVEL[f.severity], f"{message}{cwe} [id {f.fingerprint[:12]}]", props)


def annotation_lines(findings: Sequence[Finding], limit: int = MAX_ANNOTATIONS) -> list[str]:
    lines = [finding_annotation(f) for f in findings[:limit]]
    if len(findings) > limit:
        lines.append(command("notice", f"reviewbot: {len(findings) - limit} more findings are in the job summary"))
    return lines


def notice(message: str, *, level: str = "notice") -> str:
    return command(level, message, {"title": "reviewbot"})


def write_job_summary(path: Path, markdown: str) -> None:
    """Append `markdown` to the step summary file, within GitHub's size limit."""
    data = redact_text(markdown).encode("utf-8")[: JOB_SUMMARY_LIMIT - 1].decode("utf-8", "ignore")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(data + "\n")
