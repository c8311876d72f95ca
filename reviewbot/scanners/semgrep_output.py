"""semgrep's JSON output, parsed at the border: the fields we read, and the matches and warnings
they make (a parse error, a rule timeout, a target semgrep skipped without a word: each a warning).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from reviewbot.scanners.interface import RawMatch, ScanOutput, ScanWarning

# semgrep errors about a rule running out of time or memory: they say nothing about how the file
# was read, so they do not send a prefiltered file back for a scan with every rule.
_RESOURCE_ERRORS = frozenset({"Timeout", "OutOfMemory"})


class _Position(BaseModel):
    line: int
    col: int
    offset: int


class _Extra(BaseModel):
    model_config = ConfigDict(extra="ignore")
    message: str = ""
    fix: str | None = None


class _Result(BaseModel):
    model_config = ConfigDict(extra="ignore")
    check_id: str
    path: str
    start: _Position
    end: _Position
    extra: _Extra


class _Error(BaseModel):
    model_config = ConfigDict(extra="ignore")
    code: int | None = None
    level: str = "error"
    type: Any = None
    message: str | None = None
    path: str | None = None
    rule_id: str | None = None


class _Paths(BaseModel):
    model_config = ConfigDict(extra="ignore")
    scanned: list[str] = []


class Output(BaseModel):
    model_config = ConfigDict(extra="ignore")
    version: str | None = None
    results: list[_Result]
    errors: list[_Error] = []
    paths: _Paths = _Paths()


@dataclass
class Part:
    """One semgrep run: its output, and the targets it had a problem with other than a resource limit."""

    output: ScanOutput
    troubled: set[str] = field(default_factory=set)


def to_output(parsed: Output, targets: list[str]) -> Part:
    out = ScanOutput()
    troubled = set()
    for r in parsed.results:
        out.matches.append(
            RawMatch(
                rule_id=r.check_id,
                path=r.path,
                start_line=r.start.line,
                start_col=r.start.col,
                start_byte=r.start.offset,
                end_line=r.end.line,
                end_col=r.end.col,
                end_byte=r.end.offset,
                message=r.extra.message,
                fix=r.extra.fix,
            )
        )
    errored = set()
    for e in parsed.errors:
        kind = e.type[0] if isinstance(e.type, list) and e.type else e.type
        what = f"{kind}" + (f" in rule {e.rule_id}" if e.rule_id else "")
        message = (e.message or "").strip().splitlines()
        text = f"semgrep {e.level}: {what}" + (f": {message[0]}" if message else "")
        out.warnings.append(ScanWarning(e.path, text))
        if e.path:
            errored.add(e.path)
            if str(kind) not in _RESOURCE_ERRORS:
                troubled.add(e.path)
    scanned = set(parsed.paths.scanned)
    for target in targets:
        if target not in scanned and target not in errored:
            out.warnings.append(ScanWarning(target, "semgrep did not scan this file (no reason given)"))
            troubled.add(target)
    return Part(out, troubled)
