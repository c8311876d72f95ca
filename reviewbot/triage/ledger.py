"""The triage ledger: human verdicts on findings, one JSON object a line, append-only.

The ledger (`.reviewbot/triage.jsonl` by default) is reviewed in pull requests like code and
merges cleanly because records are only ever appended. Each record keeps the finding's feature
vector at decision time with its schema version, so training never needs an old checkout.
This module owns the record format (`TriageRecord`, schema 1), reading the file (a bad line is
reported with its number and skipped, never fatal for the rest), appending to it (one `write`
on an O_APPEND descriptor per batch: existing bytes are never rewritten, concurrent appenders
never interleave), the latest verdict per fingerprint, and the operations behind
`reviewbot triage` (mark, import, list, stats, pull). docs/triage.md is the contract.
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
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reviewbot._io import write_atomic
from reviewbot.change.git import repo_root, user_name
from reviewbot.errors import InputError, ToolError
from reviewbot.finding import Confidence, Finding, Scanner, Severity

if TYPE_CHECKING:
    from reviewbot.github.client import Api

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


class TriageError(InputError):
    """A ledger, report or import file reviewbot cannot use, or a verdict it cannot record."""


class RecordError(ValueError):
    """One line that is not a valid ledger record; the message says why (without the line number)."""


_FINGERPRINT = re.compile(r"[0-9a-f]{32}")
_CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")
_DISMISSALS = frozenset({Verdict.FALSE_POSITIVE, Verdict.ACCEPTED_RISK, Verdict.WONT_FIX})

RecordKey = tuple[str, str, Verdict, datetime]


def check_fingerprint(text: str) -> str:
    """The fingerprint, lower-cased, or a TriageError naming what was given."""
    fp = text.strip().lower()
    if not _FINGERPRINT.fullmatch(fp):
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
        if text.lstrip().startswith(_CONFLICT_MARKERS):
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
    if path.is_symlink():
        raise TriageError(f"{path}: a symlink, which reviewbot never follows; replace it with the ledger file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return LedgerRead()
    except OSError as exc:
        raise TriageError(f"{path}: cannot read the triage ledger: {exc.strerror or exc}") from exc
    return parse_lines(data)


# -- appending -----------------------------------------------------------------------------------


def format_record(record: TriageRecord) -> str:
    """One line of compact JSON, sorted keys, `when` in UTC: the same record is always the same bytes."""
    if record.when.utcoffset() is None:
        raise TriageError(f"record for {record.fingerprint}: `when` has no timezone")
    if record.features is not None and not all(math.isfinite(v) for v in record.features.values()):
        raise TriageError(f"record for {record.fingerprint}: a feature value is not a finite number")
    doc = record.model_copy(update={"when": _utc(record.when)}).model_dump(mode="json")
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def append_records(path: Path, records: Sequence[TriageRecord]) -> None:
    """Append `records` to the ledger at `path`, one line each, creating the file and its folder.

    Existing bytes are never rewritten. The batch goes out in one `write` on a descriptor opened
    with O_APPEND, so processes appending at once cannot interleave or overwrite each other's
    lines, and it is fsynced before returning. When the file does not end with a newline (a hand
    edit), the batch starts with one, so the last line is never glued to the first new one.
    """
    if not records:
        return
    payload = ("\n".join(format_record(r) for r in records) + "\n").encode("utf-8")
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
        raise TriageError(f"{path}: cannot append to the triage ledger: {exc.strerror or exc}") from exc
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


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.utcoffset() is None else when.astimezone(UTC)


def latest_verdicts(records: Iterable[TriageRecord]) -> dict[str, TriageRecord]:
    """The deciding record per fingerprint: the latest `when`; on a tie, the later in file order.

    `when` decides rather than file order alone because a merge of two branches' ledgers may put
    one side's older lines after the other side's newer ones.
    """
    ordered = sorted(enumerate(records), key=lambda pair: (_utc(pair[1].when), pair[0]))
    return {record.fingerprint: record for _, record in ordered}


def record_key(record: TriageRecord) -> RecordKey:
    """What makes two records the same decision (for idempotent import and pull)."""
    return (record.fingerprint, record.who, record.verdict, _utc(record.when))


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


# -- statistics ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """Findings (fingerprints) per latest verdict, for one rule or for the whole ledger."""

    rule_id: str
    counts: dict[Verdict, int] = field(default_factory=lambda: dict.fromkeys(Verdict, 0))
    records: int = 0
    last_decision: datetime | None = None

    @property
    def findings(self) -> int:
        return sum(self.counts.values())

    @property
    def false_positive_rate(self) -> float | None:
        return self.counts[Verdict.FALSE_POSITIVE] / self.findings if self.findings else None


@dataclass(frozen=True)
class LedgerStats:
    rules: list[Tally]
    total: Tally
    malformed_lines: int


def ledger_stats(read: LedgerRead) -> LedgerStats:
    """Per rule: each finding counted once, by its latest verdict; records and last decision date."""
    by_rule: dict[str, Tally] = {}
    total = Tally("total")
    for r in read.records:
        for tally in (by_rule.setdefault(r.rule_id, Tally(r.rule_id)), total):
            tally.records += 1
            when = _utc(r.when)
            if tally.last_decision is None or when > tally.last_decision:
                tally.last_decision = when
    for r in latest_verdicts(read.records).values():
        by_rule[r.rule_id].counts[r.verdict] += 1
        total.counts[r.verdict] += 1
    return LedgerStats(sorted(by_rule.values(), key=lambda t: t.rule_id), total, len(read.problems))


# -- the last scan's report ------------------------------------------------------------------------


def last_report_path(repo_root: Path) -> Path:
    """Where `reviewbot scan` keeps its last JSON report for this checkout, in the user cache."""
    from reviewbot.scanners.rulesets import checkout_cache_file

    return checkout_cache_file("last-report", repo_root, ".json")


def save_last_report(repo_root: Path, json_text: str) -> Path:
    """Keep a scan's JSON report for `triage mark` (atomic: a reader never sees half of it)."""
    path = last_report_path(repo_root)
    try:
        write_atomic(path, json_text.encode("utf-8"), make_parents=True)
    except OSError as exc:
        raise TriageError(f"{path}: cannot save the scan report for `triage mark`: {exc.strerror or exc}") from exc
    return path


@dataclass(frozen=True)
class FindingFacts:
    """What a ledger record keeps about the finding it decides."""

    fingerprint: str
    rule_id: str
    path: str | None = None
    features: dict[str, float] | None = None
    feature_schema: str | None = None
    note: str = ""  # why the features were left out, when they were present but unusable


def load_report(path: Path) -> dict[str, FindingFacts]:
    """The findings of a `reviewbot scan --format json` report (or a `pr --save-results` file) by fingerprint."""
    from reviewbot._yaml import load_json

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TriageError(f"{path}: cannot read the report: {exc.strerror or exc}") from exc
    doc = load_json(data, f"{path}: the report", error=TriageError)
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict):
        doc = doc["result"]  # the `reviewbot pr --save-results` artifact wraps the result
    findings = doc.get("findings") if isinstance(doc, dict) else None
    if not isinstance(findings, list):
        raise TriageError(f"{path}: not a `reviewbot scan --format json` report (it has no findings list)")
    out: dict[str, FindingFacts] = {}
    for f in findings:
        facts = _facts(f)
        if facts is not None:
            out.setdefault(facts.fingerprint, facts)
    return out


def _facts(f: Any) -> FindingFacts | None:
    if not isinstance(f, dict):
        return None
    fp, rule, where = f.get("fingerprint"), f.get("rule_id"), f.get("path")
    if not isinstance(fp, str) or not _FINGERPRINT.fullmatch(fp) or not isinstance(rule, str) or not rule:
        return None
    raw, schema = f.get("features"), f.get("feature_schema")
    features: dict[str, float] | None = None
    note = ""
    if raw is not None:
        if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for k, v in raw.items()
        ):
            note = "its features are not an object of finite numbers"
        elif not isinstance(schema, str) or not schema:
            note = "its features have no feature_schema"
        else:
            features = {k: float(v) for k, v in raw.items()}
    return FindingFacts(
        fingerprint=fp,
        rule_id=rule,
        path=where if isinstance(where, str) and where else None,
        features=features,
        feature_schema=schema if features is not None else None,
        note=note,
    )


def find_facts(
    fingerprint: str, *, report: Path | None, repo_root: Path, rule_id: str | None
) -> tuple[FindingFacts, list[str]]:
    """The finding's rule, path and features (from `report`, else the last scan), and warnings.

    A fingerprint found in neither is a TriageError naming it, unless `rule_id` is given: then
    the record has the rule and no features, and a warning says so.
    """
    warnings: list[str] = []
    facts: FindingFacts | None = None
    if report is not None:
        facts = load_report(report).get(fingerprint)
        where = str(report)
    else:
        cached = last_report_path(repo_root)
        where = f"the last scan's report ({cached})"
        if cached.is_file():
            try:
                facts = load_report(cached).get(fingerprint)
            except TriageError as exc:
                warnings.append(f"ignoring the last scan's report: {exc}")
        else:
            where = f"a saved scan report (there is none for {repo_root}: `reviewbot scan` keeps one)"
    if facts is None:
        if rule_id is None:
            raise TriageError(
                f"fingerprint {fingerprint} is not in {where}; pass --report FILE "
                "(a `reviewbot scan --format json` output) or --rule RULE_ID"
            )
        warnings.append(
            f"fingerprint {fingerprint} is not in {where}: recorded with rule {rule_id} and without "
            "features, so it trains no feature-based model"
        )
        return FindingFacts(fingerprint, rule_id), warnings
    if rule_id is not None and rule_id != facts.rule_id:
        raise TriageError(f"--rule {rule_id} contradicts {where}, which says {fingerprint} is rule {facts.rule_id}")
    if facts.features is None:
        why = f" ({facts.note})" if facts.note else ""
        warnings.append(f"{where} has no feature vector for {fingerprint[:12]}{why}: recorded without one")
    return facts, warnings


# -- who, when, where ----------------------------------------------------------------------------


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
        when=_utc(when),
        source=source,
        commit=commit,
        path=facts.path,
        features=facts.features,
        feature_schema=facts.feature_schema,
    )


# -- import --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    imported: list[TriageRecord]
    duplicates: int  # valid records already in the ledger (or twice in the file)
    problems: list[tuple[int, str]]  # lines of the imported file that were skipped

    @property
    def valid(self) -> int:
        return len(self.imported) + self.duplicates


def import_records(source: Path, ledger: Path) -> ImportResult:
    """Append the valid, new records of a JSONL file to the ledger (`source` defaults to import)."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise TriageError(f"{source}: cannot read the file to import: {exc.strerror or exc}") from exc
    read = parse_lines(data, default_source=Source.IMPORT)
    problems = list(read.problems)
    valid: list[TriageRecord] = []
    for number, record in zip(read.lines, read.records, strict=True):
        try:
            check_reason(record.verdict, record.reason)
        except TriageError:
            problems.append((number, f"a {record.verdict.value} record needs a non-empty reason"))
            continue
        valid.append(record.model_copy(update={"when": _utc(record.when)}))
    problems.sort()
    fresh = unseen(valid, read_ledger(ledger).records) if valid else []
    append_records(ledger, fresh)
    return ImportResult(fresh, len(valid) - len(fresh), problems)


# -- pull: verdicts typed in a PR thread ---------------------------------------------------------

# The headline of reviewbot's inline comment (github/review.py): "**🟠 high** · `rule-id` · …".
_HEADLINE = re.compile(r"^\*\*[^*\n]+\*\* · (?P<ticks>`+) ?(?P<rule>[^`\n]+?) ?(?P=ticks)(?: · |$)", re.MULTILINE)
_NAMES_FINDING = re.compile(r"^[0-9a-f]{8,32}\b")


@dataclass
class PullResult:
    """What one PR's thread holds: trusted verdicts as records, and what was left out and why."""

    records: list[TriageRecord] = field(default_factory=list)
    not_recorded: list[str] = field(default_factory=list)  # one line per verdict left out, with the reason
    unmapped: int = 0  # conversation commands naming a finding reviewbot cannot map to a fingerprint
    forged_markers: int = 0


def pull_pr(
    api: Api,
    repository: str,
    number: int,
    *,
    bot_logins: Sequence[str],
    known: Mapping[str, FindingFacts],
    ledger: Sequence[TriageRecord] = (),
) -> PullResult:
    """Read the verdicts in PR `number`'s thread (thread_triage decides which are trusted).

    Findings are those reviewbot commented (its own markers), plus `known` (a report) for
    verdicts that name a finding listed only in the summary. Only trusted verdicts become
    records; the others are listed in `not_recorded`. Nothing is written to GitHub.
    """
    from reviewbot.github.client import GitHubError, NotFound
    from reviewbot.github.event import context_from_api
    from reviewbot.github.state import read_state
    from reviewbot.github.thread_triage import collect_verdicts, parse_command

    what = f"{repository}#{number}"
    try:
        data = api.request_json(
            "get pull request", "GET", f"/repos/{repository}/pulls/{number}", None, repeat_safe=True
        )
        ctx = context_from_api(data if isinstance(data, dict) else {}, repository)
        state = read_state(api, repository, number, bot_logins)
    except NotFound as exc:
        raise TriageError(f"pull request {what} was not found, or the token cannot read it") from exc
    except GitHubError as exc:
        raise ToolError(f"reading pull request {what} from GitHub failed: {exc}") from exc

    out = PullResult(forged_markers=state.forged_markers)
    previous = {r.fingerprint: r for r in ledger}
    facts: dict[str, FindingFacts] = dict(known)
    for fp, posted in state.finding_comments.items():
        if fp in facts:
            continue
        comment = posted[0][0]
        match = _HEADLINE.search(comment.text)
        rule = match.group("rule") if match else (previous[fp].rule_id if fp in previous else "")
        if rule:
            facts[fp] = FindingFacts(fp, rule, path=comment.path or None)
        else:
            out.not_recorded.append(f"{what} {fp[:12]}: reviewbot's comment does not say which rule; not recorded")
    verdicts = collect_verdicts(state, [_stand_in(f) for f in facts.values()], ctx.author)

    for v in verdicts:
        head = f"{what} {v.fingerprint[:12]} {v.rule_id}: {v.verdict.value} by @{v.who}"
        if not v.trusted:
            out.not_recorded.append(f"{head} not recorded (untrusted: {v.why_untrusted})")
            continue
        try:
            when = datetime.fromisoformat(v.when)
            record = new_record(
                facts[v.fingerprint],
                Verdict(v.verdict.value),
                reason=v.reason,
                who=v.who,
                when=when,
                source=Source.PR_THREAD,
                commit=None,
            )
        except (ValueError, TriageError) as exc:  # no time, an unparseable time, a deleted user
            out.not_recorded.append(f"{head} not recorded ({exc})")
            continue
        out.records.append(record)
    used = {v.comment_id for v in verdicts}
    for comment in state.issue_comments:
        parsed = parse_command(comment.text)
        if parsed is not None and comment.id not in used and _NAMES_FINDING.match(parsed[1]):
            out.unmapped += 1
    return out


def _stand_in(facts: FindingFacts) -> Finding:
    """A Finding carrying only what `collect_verdicts` reads (fingerprint, rule id).

    `thread_triage` works on the findings of a review; `pull` has no review, only reviewbot's
    markers (and maybe a report), so the place and text here are placeholders nobody reads.
    """
    path = facts.path if facts.path and not facts.path.startswith("/") and ".." not in facts.path.split("/") else "?"
    return Finding(
        rule_id=facts.rule_id,
        scanner=Scanner.SEMGREP,
        path=path,
        start_line=1,
        start_col=1,
        end_line=1,
        end_col=1,
        message="",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        category="",
        fingerprint=facts.fingerprint,
    )
