"""The event history: what happened to each reported finding over time, one JSON object a line.

This module owns the history's format and I/O: the event (`HistoryEvent`, schema 1), reading a
file (a bad line, or one from a newer reviewbot, is reported with its number and skipped, never
fatal), appending (the ledger's one-write O_APPEND append, `ledger.append_lines`), and folding
the events into one `Timeline` per finding. What a review appends is decided in
`triage.tracking`; the figures computed from it are in `triage.kpi`; docs/kpi.md is the contract.

The history is kept as the ledger is: a text file (`.reviewbot/history.jsonl` by default) that is
only appended to, merges with git's `union` driver, and whose copy on the base branch is the one
a pull request's review trusts. Events are facts, so a line repeated by a merge or by two runs is
harmless: the fold keeps the first report, the first fix and every verdict once.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from reviewbot.finding import Severity
from reviewbot.triage.ledger import (
    CONFLICT_MARKERS,
    Verdict,
    append_lines,
    read_lines_file,
    refuse_symlink,
)

HISTORY_SCHEMA_VERSION = 1


class EventKind(StrEnum):
    REPORTED = "reported"  # first shown to a person (a PR comment or summary line, a scan's output)
    COMMENTED = "commented"  # an inline comment was posted for it on a PR
    FIXED = "fixed"  # gone from a later review that looked at its file
    VERDICT = "verdict"  # a trusted verdict read from a PR thread (the ledger holds the others)
    SUPPRESSED = "suppressed"  # seen again, suppressed inline or by the suppressions file
    REVIEWED = "reviewed"  # one review ran (a PR run, a scan): the denominator of comments per PR


class EventSource(StrEnum):
    PR = "pr"  # `reviewbot pr`
    SCAN = "scan"  # `reviewbot scan --history FILE`


_NEEDS_FINDING = frozenset(EventKind) - {EventKind.REVIEWED}


class HistoryEvent(BaseModel):
    """One thing that happened to one finding (or, for `reviewed`, one review that ran)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = 1
    event: EventKind
    when: datetime
    source: EventSource
    fingerprint: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$")
    rule_id: str | None = Field(default=None, min_length=1)
    severity: Severity | None = None
    score: float | None = Field(default=None, ge=0.0, le=1.0)  # NaN and infinities fail the bounds
    path: str | None = None
    pr: int | None = Field(default=None, ge=1)
    commit: str | None = None
    audit: bool = False  # `reported`: a demoted finding shown as an audit sample
    verdict: Verdict | None = None  # `verdict` only

    @field_validator("when")
    @classmethod
    def _in_utc(cls, when: datetime) -> datetime:
        """Held in UTC from here on, so the fold and the KPIs compare instants without converting."""
        if when.utcoffset() is None:
            raise ValueError("when has no timezone (write it in UTC, e.g. 2026-01-02T03:04:05Z)")
        return when.astimezone(UTC)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.event in _NEEDS_FINDING and (self.fingerprint is None or self.rule_id is None):
            raise ValueError(f"a {self.event.value} event needs fingerprint and rule_id")
        if (self.event is EventKind.VERDICT) != (self.verdict is not None):
            raise ValueError("verdict is set on, and only on, a verdict event")
        return self


@dataclass(frozen=True)
class HistoryRead:
    """The valid events in file order, and one (line number, message) per line that is not one."""

    events: list[HistoryEvent] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def _diagnose(text: str) -> str:
    """Why a line the fast path refused is not an event, in words (the slow path, bad lines only)."""
    try:
        obj = json.loads(text)
    except RecursionError:
        return "not JSON reviewbot reads: nested too deeply"
    except ValueError as exc:
        if text.lstrip().startswith(CONFLICT_MARKERS):
            return "a merge conflict marker: keep the lines of both sides and delete the markers"
        return f"not JSON: {exc.msg if isinstance(exc, json.JSONDecodeError) else exc}"
    if not isinstance(obj, dict):
        return f"not a JSON object (a {type(obj).__name__})"
    version = obj.get("schema_version")
    if type(version) is int and version > HISTORY_SCHEMA_VERSION:
        return f"schema_version {version} is newer than this reviewbot reads ({HISTORY_SCHEMA_VERSION}): upgrade it"
    if version != HISTORY_SCHEMA_VERSION or type(version) is not int:
        return f"unknown or missing schema_version {version!r} (this reviewbot reads {HISTORY_SCHEMA_VERSION})"
    try:
        HistoryEvent.model_validate(obj)
    except ValidationError as exc:
        return "; ".join(_describe(e) for e in exc.errors()[:3])
    return "not a valid event"


def _describe(error: object) -> str:
    e = error if isinstance(error, dict) else {}
    where = ".".join(str(part) for part in e.get("loc", ())) or "event"
    if e.get("type") == "extra_forbidden":
        return f"{where}: not a field of a schema-1 event"
    return f"{where}: {e.get('msg', 'invalid')}"


@contextmanager
def bulk() -> Iterator[None]:
    """The cyclic garbage collector paused while millions of acyclic objects are made (events,
    timelines): its repeated passes over them cost about 40 % of reading a 1,000,000-row history
    (benchmarks/kpi_history.py). Restored afterwards, and never left off by an exception."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse_history(data: bytes) -> HistoryRead:
    """Every line of a history file: blank lines skipped, bad ones reported by number.

    Each line goes to pydantic's JSON parser directly (no `json.loads` first): a million-line
    history is read in seconds. Only a refused line is parsed again, to say why."""
    read = HistoryRead()
    with bulk():
        for number, raw in enumerate(data.split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                read.events.append(HistoryEvent.model_validate_json(raw.removeprefix(b"\xef\xbb\xbf")))
            except ValidationError:
                read.problems.append((number, _why_not(raw)))
    return read


def _why_not(raw: bytes) -> str:
    try:
        return _diagnose(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return f"not UTF-8 (byte {exc.start + 1} of the line)"


def read_history(path: Path) -> HistoryRead:
    """The history's events and problems; a history that does not exist yet is empty."""
    return parse_history(read_lines_file(path, "the event history", "the history file"))


def format_event(event: HistoryEvent) -> str:
    """One line of compact JSON, sorted keys, `when` in UTC, unset fields left out."""
    doc = event.model_dump(mode="json", exclude_none=True)  # `when` is in UTC already
    if not doc.get("audit"):
        doc.pop("audit", None)
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def append_events(path: Path, events: Sequence[HistoryEvent]) -> None:
    """Append `events` to the history at `path` (one write, O_APPEND, fsynced), creating it."""
    refuse_symlink(path, "the history file")
    append_lines(path, [format_event(e) for e in events], "the event history")


# -- the fold ------------------------------------------------------------------------------------


@dataclass
class Timeline:
    """One finding's history: its first report, first fix, suppression, comments and verdicts."""

    fingerprint: str
    rule_id: str
    severity: Severity | None
    path: str | None
    pr: int | None
    reported: datetime
    audit: bool = False
    fixed: datetime | None = None
    suppressed: datetime | None = None
    commented: set[int] = field(default_factory=set)  # PRs with an inline comment for it
    verdicts: list[tuple[datetime, Verdict]] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.fixed is None and self.suppressed is None


@dataclass
class Folded:
    """Every finding's timeline, the reviews that ran, and what could not be tied to a report."""

    timelines: dict[str, Timeline] = field(default_factory=dict)
    reviews: list[HistoryEvent] = field(default_factory=list)
    comments: list[HistoryEvent] = field(default_factory=list)
    orphans: int = 0  # fixed / suppressed / commented events of a finding never reported


def fold(events: Iterable[HistoryEvent]) -> Folded:
    """The events per finding. Reports first (the earliest `when` wins, whatever the file order, as
    a merge may reorder lines), then what followed; duplicates collapse."""
    out = Folded()
    later: list[HistoryEvent] = []
    for e in events:
        if e.event is EventKind.REPORTED:
            fp = str(e.fingerprint)
            known = out.timelines.get(fp)
            if known is None or e.when < known.reported:
                out.timelines[fp] = Timeline(fp, str(e.rule_id), e.severity, e.path, e.pr, e.when, audit=e.audit)
        elif e.event is EventKind.REVIEWED:
            out.reviews.append(e)
        else:
            later.append(e)
    verdicts_seen: set[tuple[str, datetime, Verdict]] = set()
    for e in later:
        t = out.timelines.get(str(e.fingerprint))
        when = e.when
        if t is None:
            out.orphans += 1
            continue
        if e.event is EventKind.FIXED:
            t.fixed = when if t.fixed is None else min(t.fixed, when)
        elif e.event is EventKind.SUPPRESSED:
            t.suppressed = when if t.suppressed is None else min(t.suppressed, when)
        elif e.event is EventKind.COMMENTED:
            if e.pr is not None and e.pr not in t.commented:  # one comment per finding and PR
                t.commented.add(e.pr)
                out.comments.append(e)
        elif e.event is EventKind.VERDICT and e.verdict is not None:
            key = (t.fingerprint, when, e.verdict)
            if key not in verdicts_seen:
                verdicts_seen.add(key)
                t.verdicts.append((when, e.verdict))
    return out
