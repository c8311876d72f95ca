"""The tuning config, `.reviewbot/config.yml` (schema 1): its schema, and loading the version that governs a review.

    loaded = config_for(change)                          # the BASE version; head edits are a note

The file is a pydantic schema with the default beside each key. An unknown key is a warning that
names the file, the key and its line, never an error (a newer reviewbot may know it); a bad value
is a ConfigError naming the file, the key and the line. Like the suppressions file, the config
that governs a review comes from the base version of the change: the PR head is untrusted input,
and a PR that loosened its own review must not be obeyed (docs/config.md). What the thresholds
and floors decide is `reviewbot.policy.tuning`.

This module also owns the helper both `.reviewbot/` files share: reading a repository file's
base and head versions from a `Change` (`versions_of`), through the trusted readers of
`reviewbot.change.files`. Reading YAML safely, with line numbers, is `_yaml.load_yaml`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from reviewbot._yaml import YamlDoc, load_yaml
from reviewbot.change.changes import Change
from reviewbot.change.files import GitFiles, read_if_regular, symlink_on_path
from reviewbot.change.git import GitRepo, blob_id
from reviewbot.errors import ConfigError, ToolError
from reviewbot.finding import Severity

CONFIG_FILE = ".reviewbot/config.yml"
CONFIG_SCHEMA_VERSION = 1


class Preset(StrEnum):
    """A named operating point: the threshold that keeps this share of real findings (recall)."""

    QUIET = "quiet"
    BALANCED = "balanced"
    PARANOID = "paranoid"

    @property
    def recall(self) -> float:
        return _PRESET_RECALL[self]


_PRESET_RECALL = {Preset.QUIET: 0.90, Preset.BALANCED: 0.95, Preset.PARANOID: 0.99}


def _no_bool(value: Any) -> Any:
    # YAML reads `yes` as True and pydantic would take it as 1.0: a probability is a number.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


Probability = Annotated[float, BeforeValidator(_no_bool), Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class _Section(BaseModel):
    # extra="allow" so unknown keys survive validation and `_unknown_keys` can warn about them.
    model_config = ConfigDict(frozen=True, extra="allow")


class Thresholds(_Section):
    rules: dict[str, Probability] = Field(default_factory=dict)  # rule id → threshold
    categories: dict[str, Probability] = Field(default_factory=dict)  # category → threshold


class AlwaysReport(_Section):
    """Floors: a finding matching any of these is never demoted by the model."""

    severity: Severity | None = None  # this severity and above (e.g. critical)
    rules: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


class AuditSettings(_Section):
    sample_rate: Probability = 0.02  # share of demoted findings shown anyway, as audit samples
    salt: str = Field(default="reviewbot-audit-1", min_length=1)  # change it to draw a new sample


class SuppressionSettings(_Section):
    nosemgrep: bool = True  # honour `nosemgrep` comments as well as `reviewbot: ignore[...]`
    unused_after: int = Field(default=10, ge=1)  # reviews an entry may match nothing before it is "unused"


class LlmSettings(_Section):
    """The optional LLM second reader (docs/llm.md). Off unless `enabled` or `--llm`; the key is
    read from the environment variable `api_key_env` names, never from a file."""

    enabled: bool = False  # `scan --llm` / `--no-llm` (the action input `llm`) beat it per run
    base_url: str | None = Field(default=None, pattern=r"^https?://")  # none: OPENAI_BASE_URL, else OpenAI
    model: str = Field(default="gpt-4.1-mini", min_length=1)
    api_key_env: str = Field(default="OPENAI_API_KEY", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    explain: bool = True  # explain reported findings, best-ranked first
    fix: bool = True  # propose fixes; posted only when the verifier accepts them
    review: bool = False  # read each changed hunk for what rules cannot see
    max_calls: int = Field(default=20, ge=0, le=10_000)  # per run
    max_tokens: int = Field(default=40_000, ge=0)  # prompt + completion tokens per run
    timeout_s: float = Field(default=30.0, gt=0, le=600, allow_inf_nan=False)  # per call


class SemgrepSettings(_Section):
    """Files `scan --all` keeps from semgrep (scanners/semgrep_cap.py); 0 turns a test off."""

    whole_tree_max_bytes: int = Field(default=500_000, ge=0)  # larger files: not given to semgrep
    whole_tree_max_average_line: int = Field(default=500, ge=0)  # longer average line: minified
    whole_tree_skip_libraries: bool = True  # jquery.js, bootstrap.bundle.js, ...: not given to semgrep


class Config(_Section):
    version: Literal[1] = 1
    preset: Preset | None = None  # none: the model card's own threshold
    threshold: Probability | None = None  # one threshold for every finding; beats `preset`
    thresholds: Thresholds = Field(default_factory=Thresholds)  # per rule / category; beat both
    always_report: AlwaysReport = Field(default_factory=AlwaysReport)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    suppressions: SuppressionSettings = Field(default_factory=SuppressionSettings)
    llm: LlmSettings = Field(default_factory=LlmSettings)
    semgrep: SemgrepSettings = Field(default_factory=SemgrepSettings)

    @field_validator("always_report", mode="before")
    @classmethod
    def _list_shorthand(cls, value: Any) -> Any:
        # `always_report: [python.sqli.tainted-sql-query, secrets]`: each name is a rule id or a category.
        if isinstance(value, list):
            return {"rules": value, "categories": value}
        return value


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    warnings: list[str] = field(default_factory=list)  # unknown keys: worth a look, never fatal
    source: str = "defaults"  # which file (and version) the config came from

    @property
    def notes(self) -> list[str]:
        return self.warnings


def describe_error(error: Mapping[str, Any], doc: YamlDoc, prefix: Sequence[str | int] = ()) -> str:
    """One pydantic error as `key.path (line N): message`."""
    loc = [*prefix, *(p for p in error["loc"] if isinstance(p, str | int))]
    where = ".".join(str(p) for p in loc) or "the document"
    line = doc.line_of(loc)
    at = f" (line {line})" if line is not None else ""
    message = error["msg"]
    if error["type"] == "literal_error" and loc and loc[-1] == "version":
        message = f"unknown version {error.get('input')!r}: this reviewbot reads version {CONFIG_SCHEMA_VERSION}"
    if error["type"] == "extra_forbidden":
        message = "not a known key"
    return f"{where}{at}: {message}"


# -- loading ---------------------------------------------------------------------------------------


def parse_config(data: bytes, label: str) -> LoadedConfig:
    """A config file's bytes as a Config; ConfigError (naming `label`) for bad values."""
    doc = load_yaml(data, label)
    if doc.value is None:
        return LoadedConfig(Config(), [], label)
    if not isinstance(doc.value, dict):
        raise ConfigError(f"{label}: must be a mapping of settings (start with `version: 1`)")
    if "version" not in doc.value:
        raise ConfigError(f"{label}: no `version` key; write `version: {CONFIG_SCHEMA_VERSION}` at the top")
    try:
        config = Config.model_validate(doc.value)
    except ValidationError as exc:
        problems = "; ".join(describe_error(e, doc) for e in exc.errors()[:5])
        raise ConfigError(f"{label}: {problems}") from None
    warnings = [_unknown_warning(label, doc, loc, known) for loc, known in _unknown_keys(config, ())]
    return LoadedConfig(config, warnings, label)


def load_config(path: Path) -> LoadedConfig:
    """The config at `path` (a file that does not exist is every default; so is a symlink, with a
    warning: it could point anywhere, and reviewbot never follows one)."""
    if path.is_symlink():
        return LoadedConfig(Config(), [f"{path}: a symlink, which reviewbot never follows; the defaults apply"])
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return LoadedConfig(Config(), [], "defaults")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config: {exc.strerror or exc}") from exc
    return parse_config(data, str(path))


def config_for(change: Change, *, trust_head: bool = False, tolerate_invalid: bool = False) -> LoadedConfig:
    """The config that governs a review of `change`: the base version (or the head's, when trusted).

    A change that edits the config gets a note saying its edits were not used; an invalid head
    version is only a note (the PR cannot break its own review), an invalid base is an error,
    unless `tolerate_invalid` (the PR path, which must never go without a review): then the
    defaults apply and a note names the file and what was refused.
    """
    versions = versions_of(change, CONFIG_FILE)
    chosen = versions.head if trust_head else versions.base
    side = "head" if trust_head else "base"
    label = f"{CONFIG_FILE} ({side} version)" if versions.changed else CONFIG_FILE
    try:
        loaded = parse_config(chosen, label) if chosen is not None else LoadedConfig(Config(), [], "defaults")
    except ConfigError as exc:
        if not tolerate_invalid:
            raise
        refused = f"{exc}; this review refused that file and uses the default settings"
        loaded = LoadedConfig(Config(), [refused], "defaults")
    notes = list(loaded.warnings)
    if versions.changed and not trust_head:
        why = ""
        if versions.head is not None:
            try:
                parse_config(versions.head, f"{CONFIG_FILE} (head version)")
            except ConfigError as exc:
                why = f"; the head version is also invalid: {exc}"
        notes.append(
            f"this change edits {CONFIG_FILE}: its edits take effect once merged; this review uses the base "
            f"version (the change under review cannot tune its own review){why}"
        )
    on_disk = local_file_note(change, CONFIG_FILE, chosen, trust_head=trust_head) or versions.note or None
    if on_disk is not None:
        uses = "the default settings" if chosen is None else "the committed or staged version"
        notes.append(f"{on_disk}; this review uses {uses}")
    return LoadedConfig(loaded.config, notes, loaded.source)


def _unknown_keys(model: BaseModel, loc: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], list[str]]]:
    for key in sorted(model.model_extra or {}):
        yield (*loc, key), list(type(model).model_fields)
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _unknown_keys(value, (*loc, name))


def _unknown_warning(label: str, doc: YamlDoc, loc: tuple[str, ...], known: list[str]) -> str:
    line = doc.line_of(loc)
    at = f" (line {line})" if line is not None else ""
    hint = difflib.get_close_matches(loc[-1], known, n=1) or [k for k in known if loc[-1] in k.split("_")][:1]
    did_you_mean = f"; did you mean `{'.'.join((*loc[:-1], hint[0]))}`?" if hint else ""
    return f"{label}: unknown key `{'.'.join(loc)}`{at} is ignored{did_you_mean}"


# -- base and head versions of a repository file -------------------------------------------------


@dataclass(frozen=True)
class FileVersions:
    """A repository file before and after the change (None: absent on that side)."""

    path: str
    base: bytes | None
    head: bytes | None
    changed: bool  # the change touches this file
    head_known: bool = True  # False: the change edits the file but its new version is not readable
    note: str = ""  # why the committed file was not read (a symlink), to be said in the review


def versions_of(change: Change, rel: str) -> FileVersions:
    """`rel` as the base and the head of `change` have it.

    `--all` (a whole tree, no base): the file on disk, on both sides. A file the change edits:
    its blobs from git (the diff names them), else the file on disk when its git hash is the
    blob's (a `--diff` patch: the checkout is the base; `--worktree`: it is the head). A file
    the change leaves alone: the committed version (HEAD) in a git repository, so a dirty work
    tree cannot change a commit-based review, else the file on disk.
    """
    disk = read_if_regular(change.root, rel)
    if change.whole_tree:
        return FileVersions(rel, disk, disk, changed=False)
    fc = next((f for f in change.files if rel in (f.path, f.old_path)), None)
    if fc is None:
        repo = GitRepo(change.root)
        if not repo.has_head():  # not a git repository, or no commit yet: the file on disk
            return FileVersions(rel, disk, disk, changed=False)
        committed = GitFiles(repo, "HEAD", listed=False)  # one file: no need to list the tree
        try:
            if committed.is_symlink(rel):  # its blob is only the path it points to
                note = f"{rel}: a symlink, which reviewbot never follows"
                return FileVersions(rel, None, None, changed=False, note=note)
            current = committed(rel)
        except ToolError:
            current = None
        return FileVersions(rel, current, current, changed=False)
    base = None
    if fc.old_path is not None and fc.old_blob is not None:
        base = _blob(change.root, fc.old_blob, [read_if_regular(change.root, fc.old_path)])
    head: bytes | None = None
    head_known = True
    if fc.skip_reason is not None and fc.skip_reason.startswith("symlink"):
        head_known = False  # a symlink's blob is a path, and reviewbot never follows one
    elif fc.path == rel and fc.new_blob is not None:
        head = change.head.get(rel) or _blob(change.root, fc.new_blob, [disk])
        head_known = head is not None
    return FileVersions(rel, base, head, changed=True, head_known=head_known)


def local_file_note(change: Change, rel: str, used: bytes | None, *, trust_head: bool) -> str | None:
    """Why the file on disk is not what a review of the caller's own work reads, if it is not.

    Only when the disk is the caller's version (`--all`, `--staged`): a symlink or a directory
    where the file belongs is ignored (never followed), and a file whose edits are not in the
    change (unstaged) is not the one used. Said out loud: a developer's settings silently not
    applying is how a misconfiguration goes unnoticed for months.
    """
    if not (trust_head or change.whole_tree):
        return None
    link = symlink_on_path(change.root, rel)
    if link is not None:
        what = "a symlink" if link == rel else f"inside {link}, a symlink"
        return f"{rel}: {what}, which reviewbot never follows"
    path = change.root / rel
    if path.exists() and not path.is_file():
        return f"{rel}: not a regular file (a directory?), so it is not read"
    if not change.whole_tree:
        disk = read_if_regular(change.root, rel)
        if disk is not None and disk != used:
            return f"{rel}: the file on disk has edits that are not in the change under review (not staged?)"
    return None


def _blob(root: Path, wanted: str, candidates: list[bytes | None]) -> bytes | None:
    if len(wanted) == 40:
        try:
            return GitRepo(root).read_blobs([wanted])[wanted]
        except (ToolError, KeyError, ValueError):
            pass
    for data in candidates:
        if data is not None and blob_id(data).startswith(wanted):
            return data
    return None
