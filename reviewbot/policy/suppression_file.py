"""The suppressions file (`.reviewbot/suppressions.yml`, schema 1) and per-entry usage over reviews.

Owns the entry schema (scope by rule id, path glob and/or fingerprint; reason, owner, expiry or
`permanent: true`), reading and validating the file (a SuppressionError names the file, the
entry's number, id and line), path globs, and the usage state that tells which entries have
matched nothing for a while. `reviewbot.policy.suppressions` applies entries to findings;
`reviewbot.policy.suppression_edit` edits the file. docs/suppressions.md is the contract.

Usage is kept per checkout in the user cache, never in the repository: it changes on every
review (a repository file would churn and conflict), and the PR path must not write to the
checkout of an untrusted change.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from reviewbot._yaml import YamlDoc, load_yaml
from reviewbot.change.changes import Change
from reviewbot.errors import ConfigError
from reviewbot.finding import Finding
from reviewbot.lang.languages import language_of

SUPPRESSIONS_FILE = ".reviewbot/suppressions.yml"
SCHEMA_VERSION = 1


class SuppressionError(ConfigError):
    """A suppressions file reviewbot cannot use; the message names the file and the entry."""


# -- the suppressions file -------------------------------------------------------------------------

_ENTRY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@functools.lru_cache(maxsize=512)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A path glob over repo-relative POSIX paths: `*` and `?` stay in one folder, `**` spans folders.

    The pattern matches the whole path (`*.py` is top-level files only; `**/*.py` is any depth);
    a trailing `/` means everything below (`tests/` is `tests/**`).
    """
    if not pattern or pattern.startswith("/") or ".." in pattern.split("/") or "\\" in pattern:
        raise ValueError("a path glob is repo-relative, with `/` separators and no `..`")
    if pattern.endswith("/"):
        pattern += "**"
    parts = pattern.split("/")
    out = []
    for i, seg in enumerate(parts):
        last = i == len(parts) - 1
        if seg == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
            continue
        out.append(_glob_segment(seg) + ("" if last else "/"))
    return re.compile("".join(out))


def _glob_segment(seg: str) -> str:
    out, i = [], 0
    while i < len(seg):
        ch = seg[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[" and (end := seg.find("]", i + 2)) != -1:
            body = seg[i + 1 : end]
            negate = body.startswith("!")
            body = re.sub(r"([\\\]^])", r"\\\1", body[1:] if negate else body)
            out.append(f"[{'^' if negate else ''}{body}]")
            i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def _as_date(value: Any) -> Any:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    # YAML dates arrive as text (_yaml builds no timestamps), so an impossible one is named here.
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{value.strip()!r} is not a real date ({exc})") from None
    raise ValueError(f"{value!r} is not a date; write YYYY-MM-DD")


class Entry(BaseModel):
    """One suppressions-file entry. At least one of rule, path, fingerprint; all given must match."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_ENTRY_ID.pattern)
    rule: str | None = Field(default=None, pattern=r"^\S+$")
    path: str | None = None  # glob (compile_glob)
    fingerprint: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$")
    reason: str
    owner: str
    expires: date | None = None  # the last day it suppresses
    permanent: bool = False
    created: date | None = None

    @field_validator("expires", "created", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        return _as_date(value)

    @field_validator("reason", "owner")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty: say why, and who answers for it")
        return value.strip()

    @field_validator("fingerprint", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("path")
    @classmethod
    def _glob(cls, value: str | None) -> str | None:
        if value is not None:
            compile_glob(value)
        return value

    @model_validator(mode="after")
    def _scope_and_expiry(self) -> Entry:
        if self.rule is None and self.path is None and self.fingerprint is None:
            raise ValueError("needs a scope: at least one of rule, path, fingerprint")
        if self.permanent and self.expires is not None:
            raise ValueError("give either `expires` or `permanent: true`, not both")
        if not self.permanent and self.expires is None:
            raise ValueError("`expires: YYYY-MM-DD` is required (or `permanent: true`, with the reason why)")
        return self

    def matches(self, finding: Finding) -> bool:
        return (
            (self.rule is None or self.rule == finding.rule_id)
            and (self.fingerprint is None or self.fingerprint == finding.fingerprint)
            and (self.path is None or compile_glob(self.path).fullmatch(finding.path) is not None)
        )

    def is_expired(self, today: date) -> bool:
        return self.expires is not None and today > self.expires

    @property
    def scope(self) -> str:
        parts = [f"rule {self.rule}"] if self.rule else []
        parts += [f"path {self.path}"] if self.path else []
        parts += [f"fingerprint {self.fingerprint[:12]}"] if self.fingerprint else []
        return ", ".join(parts)

    @property
    def until(self) -> str:
        return "permanent" if self.permanent else f"until {self.expires}"

    @property
    def digest(self) -> str:
        """What the entry hides: an edit to scope or expiry is a new entry for usage counting."""
        key = [self.rule, self.path, self.fingerprint, str(self.expires), self.permanent]
        return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SuppressionsFile:
    entries: list[Entry]
    lines: dict[str, int]  # entry id → line of the entry in the file
    doc: YamlDoc | None = None


def parse_suppressions(data: bytes, label: str) -> SuppressionsFile:
    """A suppressions file's bytes, validated; SuppressionError naming the file and the entry."""
    doc = load_yaml(data, label, error=SuppressionError)
    if doc.value is None:
        return SuppressionsFile([], {}, doc)
    if not isinstance(doc.value, dict):
        raise SuppressionError(f"{label}: must be a mapping with `version: 1` and a `suppressions:` list")
    version = doc.value.get("version")
    if "version" not in doc.value:
        raise SuppressionError(f"{label}: no `version`; write `version: {SCHEMA_VERSION}` at the top")
    if type(version) is not int or version != SCHEMA_VERSION:
        raise SuppressionError(
            f"{label}: unknown version {version!r}: this reviewbot reads version {SCHEMA_VERSION} (a newer reviewbot?)"
        )
    extra = sorted(set(doc.value) - {"version", "suppressions"})
    if extra:
        raise SuppressionError(f"{label}: line {doc.line_of([extra[0]])}: unknown key {extra[0]!r}")
    raw = doc.value.get("suppressions") or []
    if not isinstance(raw, list):
        raise SuppressionError(f"{label}: line {doc.line_of(['suppressions'])}: `suppressions` must be a list")
    entries: list[Entry] = []
    lines: dict[str, int] = {}
    for i, item in enumerate(raw):
        line = doc.line_of(["suppressions", i]) or 0
        ident = item.get("id") if isinstance(item, dict) else None
        name = f"entry #{i + 1}" + (f" (id {ident})" if isinstance(ident, str) and ident else "")
        if not isinstance(item, dict):
            raise SuppressionError(f"{label}: {name}, line {line}: must be a mapping of keys (id, rule, path, …)")
        try:
            entry = Entry.model_validate(item)
        except ValidationError as exc:
            raise SuppressionError(f"{label}: {name}, line {line}: {_problems(exc, doc, i)}") from None
        if entry.id in lines:
            raise SuppressionError(
                f"{label}: {name}, line {line}: id {entry.id} is also the id of the entry on line {lines[entry.id]}"
            )
        entries.append(entry)
        lines[entry.id] = line
    return SuppressionsFile(entries, lines, doc)


def _problems(exc: ValidationError, doc: YamlDoc, index: int) -> str:
    out = []
    for error in exc.errors()[:4]:
        loc = [p for p in error["loc"] if isinstance(p, str | int)]
        line = doc.line_of(["suppressions", index, *loc]) if loc else None
        where = ".".join(str(p) for p in loc)
        message = "not a key of a schema-1 entry" if error["type"] == "extra_forbidden" else error["msg"]
        message = message.removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required"
        out.append(f"{where} (line {line}): {message}" if where else message)
    return "; ".join(out)


def read_suppressions(path: Path) -> SuppressionsFile:
    """The suppressions file at `path`; a file that does not exist holds no entries; a symlink
    is refused (it could point anywhere, and `suppress add` would write through it)."""
    if path.is_symlink():
        raise SuppressionError(f"{path}: a symlink, which reviewbot never follows; replace it with the file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return SuppressionsFile([], {})
    except OSError as exc:
        raise SuppressionError(f"{path}: cannot read the suppressions file: {exc.strerror or exc}") from exc
    return parse_suppressions(data, str(path))


# -- usage over reviews --------------------------------------------------------------------------------


class Usage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    digest: str  # Entry.digest: an edited entry starts counting again
    unmatched: int = 0  # reviews in a row that could have used the entry and did not
    last_matched: date | None = None
    first_seen: date


class UsageState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    entries: dict[str, Usage] = Field(default_factory=dict)


def default_usage_path(repo_root: Path) -> Path:
    """Per-checkout usage counts, in the user cache (never in the repository: see docs/suppressions.md)."""
    from reviewbot.scanners.rulesets import checkout_cache_file

    return checkout_cache_file("suppression-usage", repo_root, ".json")


def read_usage(path: Path) -> UsageState:
    """The usage state; a missing or unreadable state starts afresh (it is a cache, not a record)."""
    try:
        return UsageState.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return UsageState()


def is_unused(entry: Entry, state: UsageState, unused_after: int) -> bool:
    usage = state.entries.get(entry.id)
    return usage is not None and usage.digest == entry.digest and usage.unmatched >= unused_after


def update_usage(
    path: Path,
    entries: Sequence[Entry],
    matched: Collection[str],
    in_scope: Collection[str],
    *,
    today: date,
    unused_after: int,
) -> list[str]:
    """Count one review in the usage state at `path`; notes naming the entries now unused.

    An entry counts a review only when the review could have used it (`in_scope`: matched, or
    one of `exercised_entries`); matching a finding resets its count.
    """
    from reviewbot._io import write_atomic

    state = read_usage(path)
    kept: dict[str, Usage] = {}
    for e in entries:
        usage = state.entries.get(e.id)
        if usage is None or usage.digest != e.digest:
            usage = Usage(digest=e.digest, first_seen=today)
        if e.id in matched:
            usage = usage.model_copy(update={"unmatched": 0, "last_matched": today})
        elif e.id in in_scope:
            usage = usage.model_copy(update={"unmatched": usage.unmatched + 1})
        kept[e.id] = usage
    state = UsageState(entries=kept)
    notes = []
    try:
        write_atomic(path, (state.model_dump_json(indent=1) + "\n").encode(), make_parents=True)
    except OSError as exc:
        notes.append(f"{path}: cannot keep suppression usage counts: {exc.strerror or exc}")
    for e in entries:
        if not e.is_expired(today) and is_unused(e, state, unused_after):
            n = kept[e.id].unmatched
            notes.append(
                f"suppression {e.id} ({e.scope}) matched nothing in the last {n} reviews that could have used it: "
                f"remove it (`reviewbot suppress remove {e.id}`) if what it covered is gone"
            )
    return notes


def exercised_entries(entries: Sequence[Entry], change: Change) -> frozenset[str]:
    """Entries this review could have used wherever they apply, so that matching nothing is evidence.

    A whole-tree review exercises every entry. Otherwise only an entry with a path glob can be
    judged, and only when the review scanned every file of the repository the glob covers (a
    pull request touching one test file says nothing about an entry for `tests/**`).
    """
    if change.whole_tree:
        return frozenset(e.id for e in entries)
    with_path = [e for e in entries if e.path is not None]
    tracked = _tracked_files(change.root) if with_path else None
    if tracked is None:
        return frozenset()
    scanned = set(change.head)
    out = set()
    for e in with_path:
        assert e.path is not None
        glob = compile_glob(e.path)
        covered = [p for p in tracked | scanned if glob.fullmatch(p) and language_of(p) is not None]
        if covered and all(p in scanned for p in covered):
            out.add(e.id)
    return frozenset(out)


def _tracked_files(root: Path) -> set[str] | None:
    from reviewbot.change.git import run_git
    from reviewbot.errors import ToolError

    try:
        out = run_git(root, "ls-files", "-z")  # relative to root, as the change's paths are
    except ToolError:
        return None
    return {p for p in out.decode("utf-8", "surrogateescape").split("\0") if p}


@dataclass(frozen=True)
class EntryStatus:
    entry: Entry
    status: Literal["active", "expired", "unused"]
    usage: Usage | None = None
    line: int = 0


def statuses(file: SuppressionsFile, state: UsageState, *, today: date, unused_after: int) -> list[EntryStatus]:
    out = []
    for e in file.entries:
        usage = state.entries.get(e.id)
        usage = usage if usage is not None and usage.digest == e.digest else None
        status: Literal["active", "expired", "unused"] = "active"
        if e.is_expired(today):
            status = "expired"
        elif is_unused(e, state, unused_after):
            status = "unused"
        out.append(EntryStatus(e, status, usage, file.lines.get(e.id, 0)))
    return out
