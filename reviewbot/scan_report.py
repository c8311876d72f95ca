"""A saved review read back: the findings of a `reviewbot scan --format json` report.

The same reader takes a `reviewbot pr --save-results` artifact, which wraps the result. `triage
mark`, `reviewbot drift` and the lead's HTML report each check the findings they use; this module
only finds the list, with one wording for a file that is not a report (docs/json-output.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewbot._yaml import ErrorFactory, load_json


def result_of(doc: Any) -> Any:
    """The review result inside a parsed report: the artifact of `pr --save-results` wraps it."""
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict):
        return doc["result"]
    return doc


def read_findings(path: Path, *, error: ErrorFactory) -> list[Any]:
    """The findings list of the report at `path`; `error(message)` naming the file otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read the report: {exc.strerror or exc}") from exc
    doc = result_of(load_json(data, f"{path}: the report", error=error))
    findings = doc.get("findings") if isinstance(doc, dict) else None
    if not isinstance(findings, list):
        raise error(f"{path}: not a `reviewbot scan --format json` report (it has no findings list)")
    return findings
