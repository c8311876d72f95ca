"""The triage ledger: human verdicts on findings, one JSON object a line, append-only.

This module owns the ledger's format and I/O: the record (`TriageRecord`, schema 1), reading
the file (a bad line is reported with its number and skipped, never fatal for the rest),
appending to it, the latest verdict per fingerprint, and making a new record.

The ledger (`.reviewbot/triage.jsonl` by default) is reviewed in pull requests like code and
merges cleanly because records are only ever appended: one `write` on an O_APPEND descriptor per
batch, so existing bytes are never rewritten and concurrent appenders never interleave. Each
record keeps the finding's feature vector at decision time with its schema version, so training
never needs an old checkout. docs/triage.md is the contract; the counts are in `triage.stats`,
the facts of a scan's findings in `triage.scan_facts`, importing a file in `triage.importing`.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reviewbot.change.git import repo_root, user_name
from reviewbot.errors import InputError

LEDGER_SCHEMA_VERSION = 1
DEFAULT_LEDGER = ".reviewbot/triage.jsonl"
# The event history (triage/events.py) lives beside the ledger; named here so that a command
# naming it in its --help need not import the event models.
DEFAULT_HISTORY = ".reviewbot/history.jsonl"


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


class TriageError(InputError):
    """A ledger, report or import file reviewbot cannot use, or a verdict it cannot record."""


class RecordError(ValueError):
    """One line that is not a valid ledger record; the message says why (without the line number)."""


FINGERPRINT = re.compile(r"[0-9a-f]{32}")
CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")
_DISMISSALS = frozenset({Verdict.FALSE_POSITIVE, Verdict.ACCEPTED_RISK, Verdict.WONT_FIX})

RecordKey = tuple[str, str, Verdict, datetime]


def check_fingerprint(text: str) -> str:
    """The fingerprint, lower-cased, or a TriageError naming what was given."""
    fp = text.strip().lower()
    if not FINGERPRINT.fullmatch(fp):
        raise TriageError(
            f"{text!r} is not a fingerprint: expected 32 hex digits "
            "(the `fingerprint` of a finding in `reviewbot scan --format json`)"
        )
    return fp


def check_reason(verdict: Verdict, reason: str) -> None:
    """Dismissing a finding (false_positive, accepted_risk, wont_fix) needs a reason."""
    if verdict in _DISMISSALS and not reason.strip():
        raise TriageError(f"a {verdict.value} verdict needs a reason (--reason TEXT): say why, for the next reviewer")


# -- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRead:
    """The valid records in file order, and one (line number, message) per line that is not one."""

    records: list[TriageRecord] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line number of each record


def _no_constants(name: str) -> Any:
    raise RecordError(f"not JSON: {name} is not a JSON number")


def parse_record(text: str, *, default_source: Source | None = None) -> TriageRecord:
    """One ledger line as a record, or a RecordError saying what is wrong with it.

    `default_source` fills in `source` when the line has none (`triage import`).
    """
    try:
        obj = json.loads(text, parse_constant=_no_constants)
    except RecordError:
        raise
    except RecursionError:
        raise RecordError("not JSON reviewbot reads: nested too deeply") from None
    except ValueError as exc:
        if text.lstrip().startswith(CONFLICT_MARKERS):
            raise RecordError("a merge conflict marker: keep the lines of both sides and delete the markers") from None
        detail = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise RecordError(f"not JSON: {detail}") from None
    if not isinstance(obj, dict):
        raise RecordError(f"not a JSON object (a {type(obj).__name__})")
    if "schema_version" not in obj:
        raise RecordError(f"no schema_version (this reviewbot reads schema {LEDGER_SCHEMA_VERSION})")
    version = obj["schema_version"]
    if type(version) is not int or version != LEDGER_SCHEMA_VERSION:
        raise RecordError(
            f"unknown schema_version {version!r}: this reviewbot reads {LEDGER_SCHEMA_VERSION} "
            "(a newer reviewbot wrote this line?)"
        )
    if default_source is not None and obj.get("source") is None:
        obj = {**obj, "source": default_source.value}
    try:
        record = TriageRecord.model_validate(obj)
    except ValidationError as exc:
        raise RecordError("; ".join(_describe(e) for e in exc.errors()[:3])) from None
    if record.when.utcoffset() is None:
        raise RecordError(f"when {obj.get('when')!r} has no timezone (write it in UTC, e.g. 2026-01-02T03:04:05Z)")
    if record.features is not None and not all(math.isfinite(v) for v in record.features.values()):
        raise RecordError("features: every value must be a finite number")
    texts = [record.rule_id, record.reason, record.who, record.commit, record.path, record.feature_schema]
    try:
        for t in [*texts, *(record.features or {})]:
            if t:
                t.encode("utf-8")
    except UnicodeEncodeError:
        raise RecordError("a text field is not valid Unicode (a lone surrogate escape)") from None
    return record


def _describe(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "record"
    if error["type"] == "extra_forbidden":
        return f"{where}: not a field of a schema-1 record"
    return f"{where}: {error['msg']}"


def parse_lines(data: bytes, *, default_source: Source | None = None) -> LedgerRead:
    """Every line of a ledger-format file: blank lines skipped, bad ones reported by number."""
    read = LedgerRead()
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            read.problems.append((number, f"not UTF-8 (byte {exc.start + 1} of the line)"))
            continue
        if number == 1:
            text = text.removeprefix("\ufeff")
        try:
            record = parse_record(text, default_source=default_source)
        except RecordError as exc:
            read.problems.append((number, str(exc)))
            continue
        read.records.append(record)
        read.lines.append(number)
    return read


def read_ledger(path: Path) -> LedgerRead:
    """The ledger's records and problems; a ledger that does not exist yet is empty. A symlink
    is refused: it could point anywhere, and appending would write through it."""
    return parse_lines(read_lines_file(path, "the triage ledger", "the ledger file"))


def read_lines_file(path: Path, what: str, file: str) -> bytes:
    """The bytes of a one-JSON-a-line file reviewbot appends to (the ledger, the event history);
    empty when it does not exist yet. A symlink is refused (`refuse_symlink`); `what` and `file`
    name it in the errors."""
    refuse_symlink(path, file)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise TriageError(f"{path}: cannot read {what}: {exc.strerror or exc}") from exc


def refuse_symlink(path: Path, file: str) -> None:
    if path.is_symlink():
        raise TriageError(f"{path}: a symlink, which reviewbot never follows; replace it with {file}")


# -- appending -----------------------------------------------------------------------------------


def format_record(record: TriageRecord) -> str:
    """One line of compact JSON, sorted keys, `when` in UTC: the same record is always the same bytes."""
    if record.when.utcoffset() is None:
        raise TriageError(f"record for {record.fingerprint}: `when` has no timezone")
    if record.features is not None and not all(math.isfinite(v) for v in record.features.values()):
        raise TriageError(f"record for {record.fingerprint}: a feature value is not a finite number")
    doc = record.model_copy(update={"when": as_utc(record.when)}).model_dump(mode="json")
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def append_records(path: Path, records: Sequence[TriageRecord]) -> None:
    """Append `records` to the ledger at `path`, one line each, creating the file and its folder.

    Existing bytes are never rewritten. The batch goes out in one `write` on a descriptor opened
    with O_APPEND, so processes appending at once cannot interleave or overwrite each other's
    lines, and it is fsynced before returning (`append_lines`).
    """
    append_lines(path, [format_record(r) for r in records], "the triage ledger")


def append_lines(path: Path, lines: Sequence[str], what: str) -> None:
    """Append `lines` to the one-JSON-a-line file `path` (the ledger, the event history).

    One `write` on an O_APPEND descriptor per batch, fsynced; when the file does not end with a
    newline (a hand edit), the batch starts with one, so the last line is never glued to the
    first new one. `what` names the file in the error.
    """
    if not lines:
        return
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        created = not path.exists()
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                payload = b"\n" + payload
            written = os.write(fd, payload)
            while written < len(payload):  # only on a full disk or a signal: finish, or raise
                written += os.write(fd, payload[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise TriageError(f"{path}: cannot append to {what}: {exc.strerror or exc}") from exc
    if created:
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make a new file's directory entry durable (best effort: not every filesystem allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- resolving -----------------------------------------------------------------------------------


def as_utc(when: datetime) -> datetime:
    """`when` in UTC; a time without a timezone is taken to be UTC already."""
    return when.replace(tzinfo=UTC) if when.utcoffset() is None else when.astimezone(UTC)


def latest_verdicts(records: Iterable[TriageRecord]) -> dict[str, TriageRecord]:
    """The deciding record per fingerprint: the latest `when`; on a tie, the later in file order.

    `when` decides rather than file order alone because a merge of two branches' ledgers may put
    one side's older lines after the other side's newer ones.
    """
    ordered = sorted(enumerate(records), key=lambda pair: (as_utc(pair[1].when), pair[0]))
    return {record.fingerprint: record for _, record in ordered}


def record_key(record: TriageRecord) -> RecordKey:
    """What makes two records the same decision (for idempotent import and pull)."""
    return (record.fingerprint, record.who, record.verdict, as_utc(record.when))


def unseen(records: Iterable[TriageRecord], existing: Iterable[TriageRecord]) -> list[TriageRecord]:
    """`records` minus those already in `existing` (or earlier in `records`), by `record_key`."""
    seen = {record_key(r) for r in existing}
    out = []
    for r in records:
        key = record_key(r)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def select(
    records: Iterable[TriageRecord], *, rule: str | None = None, verdict: Verdict | None = None
) -> list[TriageRecord]:
    return [r for r in records if (rule is None or r.rule_id == rule) and (verdict is None or r.verdict is verdict)]


# -- who, when, where ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingFacts:
    """What a ledger record keeps about the finding it decides."""

    fingerprint: str
    rule_id: str
    path: str | None = None
    features: dict[str, float] | None = None
    feature_schema: str | None = None
    note: str = ""  # why the features were left out, when they were present but unusable


def default_ledger(start: Path) -> Path:
    return repo_root(start) / DEFAULT_LEDGER


def default_who(start: Path, environ: Mapping[str, str]) -> str:
    """`git config user.name`, else $USER (or $USERNAME); a TriageError when none is set."""
    name = user_name(start, environ)
    if not name:
        raise TriageError("cannot tell who decides: set `git config user.name` or $USER, or pass --who NAME")
    return name


def new_record(
    facts: FindingFacts,
    verdict: Verdict,
    *,
    reason: str,
    who: str,
    when: datetime,
    source: Source,
    commit: str | None,
) -> TriageRecord:
    check_reason(verdict, reason)
    if not who.strip():
        raise TriageError("who decided cannot be empty (--who NAME)")
    return TriageRecord(
        fingerprint=facts.fingerprint,
        rule_id=facts.rule_id,
        verdict=verdict,
        reason=reason.strip(),
        who=who.strip(),
        when=as_utc(when),
        source=source,
        commit=commit,
        path=facts.path,
        features=facts.features,
        feature_schema=facts.feature_schema,
    )
