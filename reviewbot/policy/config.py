"""Tuning: `.reviewbot/config.yml` (schema 1), and the threshold and floor decisions it drives.

    loaded = config_for(change)                          # the BASE version; head edits are a note
    effective_threshold(finding, loaded.config, card)    # rule > category > threshold > preset > card
    always_report(finding, loaded.config)                # floors: never demoted
    apply_tuning(findings, loaded.config, card, ...)     # re-decides REPORTED / BELOW_THRESHOLD

The file is a pydantic schema with the default beside each key. An unknown key is a warning that
names the file, the key and its line, never an error (a newer reviewbot may know it); a bad value
is a ConfigError naming the file, the key and the line. Like the suppressions file, the config
that governs a review comes from the base version of the change: the PR head is untrusted input,
and a PR that loosened its own review must not be obeyed (docs/config.md).

This module also owns the helper both `.reviewbot/` files share: reading a repository file's
base and head versions from a `Change` (`versions_of`). Reading YAML safely, with line numbers,
is `_yaml.load_yaml` (re-exported here for the modules that import it from config).
"""

from __future__ import annotations

import difflib
import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from reviewbot._yaml import YamlDoc as YamlDoc
from reviewbot._yaml import load_yaml as load_yaml
from reviewbot.change.changes import Change
from reviewbot.change.files import read_if_regular
from reviewbot.errors import ConfigError, ToolError
from reviewbot.finding import Disposition, Finding, Severity

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


class Config(_Section):
    version: Literal[1] = 1
    preset: Preset | None = None  # none: the model card's own threshold
    threshold: Probability | None = None  # one threshold for every finding; beats `preset`
    thresholds: Thresholds = Field(default_factory=Thresholds)  # per rule / category; beat both
    always_report: AlwaysReport = Field(default_factory=AlwaysReport)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    suppressions: SuppressionSettings = Field(default_factory=SuppressionSettings)

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
        committed = _git_show(change.root, "HEAD", rel)
        if committed == "symlink":
            return FileVersions(rel, None, None, changed=False, note=f"{rel}: a symlink, which reviewbot never follows")
        current = committed if committed is not False else disk
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
    path = change.root
    for part in rel.split("/"):
        path = path / part
        if path.is_symlink():
            link = path.relative_to(change.root).as_posix()
            what = "a symlink" if link == rel else f"inside {link}, a symlink"
            return f"{rel}: {what}, which reviewbot never follows"
    if path.exists() and not path.is_file():
        return f"{rel}: not a regular file (a directory?), so it is not read"
    if not change.whole_tree:
        disk = read_if_regular(change.root, rel)
        if disk is not None and disk != used:
            return f"{rel}: the file on disk has edits that are not in the change under review (not staged?)"
    return None


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _blob(root: Path, blob_id: str, candidates: list[bytes | None]) -> bytes | None:
    from reviewbot.change.git import GitRepo

    if len(blob_id) == 40:
        try:
            return GitRepo(root).read_blobs([blob_id])[blob_id]
        except (ToolError, KeyError, ValueError):
            pass
    for data in candidates:
        if data is not None and git_blob_id(data).startswith(blob_id):
            return data
    return None


def _git_show(root: Path, rev: str, rel: str) -> Literal[False, "symlink"] | bytes | None:
    """The regular file `rel` at `rev`; None when it has no such file; "symlink" for a symlink
    (its blob is only the path it points to, never read as the file); False outside a git repository."""
    from reviewbot.change.git import run_git

    try:
        run_git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except ToolError:
        return False
    try:
        entry = run_git(root, "ls-tree", "-z", rev, "--", rel)
        if entry.startswith(b"120000 "):
            return "symlink"
        if not entry.startswith((b"100644 blob ", b"100755 blob ")):
            return None
        return run_git(root, "cat-file", "blob", f"{rev}:{rel}")
    except ToolError:
        return None


# -- thresholds and floors -------------------------------------------------------------------------


def _card_dict(card: Mapping[str, Any] | BaseModel) -> Mapping[str, Any]:
    if isinstance(card, BaseModel):  # a ModelCard: read the two fields, not a dump per finding
        return {"threshold": getattr(card, "threshold", None), "thresholds": getattr(card, "thresholds", None)}
    return card


def threshold_for_recall(card: Mapping[str, Any] | BaseModel, recall: float) -> float | None:
    """The card's threshold for the smallest listed recall at or above `recall` (None: not listed).

    `card["thresholds"]` maps recall (a string such as "0.95") to a threshold; choosing the next
    recall up when the exact one is missing keeps at least the recall the preset promises.
    """
    table = _card_dict(card).get("thresholds")
    if not isinstance(table, Mapping):
        return None
    rows: list[tuple[float, float]] = []
    for key, value in table.items():
        try:
            r, t = float(key), float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(r) and math.isfinite(t) and 0.0 <= t <= 1.0 and r >= recall - 1e-9:
            rows.append((r, t))
    return min(rows)[1] if rows else None


def _card_threshold(card: Mapping[str, Any] | BaseModel) -> float:
    value = _card_dict(card).get("threshold")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ConfigError(f"the model card has no usable `threshold` (found {value!r})")
    return float(value)


def threshold_source(
    finding: Finding, config: Config, card: Mapping[str, Any] | BaseModel, override: float | None = None
) -> tuple[float, str]:
    """The threshold for `finding` and where it came from, most specific first; `override` (the
    --threshold of the person running reviewbot) beats every config and card threshold."""
    if override is not None:
        return override, "--threshold"
    if finding.rule_id in config.thresholds.rules:
        return config.thresholds.rules[finding.rule_id], f"thresholds.rules.{finding.rule_id}"
    if finding.category in config.thresholds.categories:
        return config.thresholds.categories[finding.category], f"thresholds.categories.{finding.category}"
    if config.threshold is not None:
        return config.threshold, "threshold"
    if config.preset is not None:
        value = threshold_for_recall(card, config.preset.recall)
        if value is not None:
            return value, f"preset {config.preset.value} (recall {config.preset.recall:.2f} on the model card)"
        return _card_threshold(card), f"the model card (it lists no threshold for preset {config.preset.value})"
    return _card_threshold(card), "the model card"


def effective_threshold(finding: Finding, config: Config, card: Mapping[str, Any] | BaseModel) -> float:
    """Per rule, else per category, else `threshold`, else the preset's row of the card, else the card's."""
    return threshold_source(finding, config, card)[0]


def always_report_reason(finding: Finding, config: Config) -> str | None:
    floors = config.always_report
    if floors.severity is not None and finding.severity.rank >= floors.severity.rank:
        return f"severity {finding.severity.value} is at or above always_report.severity {floors.severity.value}"
    if finding.rule_id in floors.rules:
        return f"rule {finding.rule_id} is in always_report.rules"
    if finding.category in floors.categories:
        return f"category {finding.category} is in always_report.categories"
    return None


def always_report(finding: Finding, config: Config) -> bool:
    """True when a floor in `always_report` says the model may never demote this finding."""
    return always_report_reason(finding, config) is not None


def apply_tuning(
    findings: Sequence[Finding],
    config: Config,
    card: Mapping[str, Any] | BaseModel,
    *,
    model: str = "",
    resurfaced: Mapping[str, str] | None = None,
    override: float | None = None,
) -> list[Finding]:
    """Re-decide REPORTED / BELOW_THRESHOLD for every scored finding with the config's thresholds.

    Only findings the model decides are touched (scored, and REPORTED or BELOW_THRESHOLD); every
    other disposition is kept. `resurfaced` (fingerprint → note, from the suppressions stage)
    names findings whose suppression expired: they are shown whatever their score, with the note.
    """
    resurfaced = resurfaced or {}
    of_model = f" of model {model}" if model else ""
    out = []
    for f in findings:
        if f.score is None or f.disposition not in (Disposition.REPORTED, Disposition.BELOW_THRESHOLD):
            out.append(f)
            continue
        threshold, source = threshold_source(f, config, card, override)
        below = f.score < threshold
        floor = always_report_reason(f, config) if below else None
        if f.fingerprint in resurfaced:
            extra = f"; score {f.score:.2f} is below the threshold {threshold:.2f}" if below else ""
            out.append(f.with_disposition(Disposition.REPORTED, resurfaced[f.fingerprint] + extra))
        elif below and floor is None:
            reason = f"score {f.score:.2f} is below the threshold {threshold:.2f}{of_model} (from {source})"
            out.append(f.with_disposition(Disposition.BELOW_THRESHOLD, reason))
        elif floor is not None:
            reason = f"always reported: {floor} (score {f.score:.2f}, threshold {threshold:.2f})"
            out.append(f.with_disposition(Disposition.REPORTED, reason))
        elif f.disposition is Disposition.BELOW_THRESHOLD:
            out.append(f.with_disposition(Disposition.REPORTED, ""))
        else:
            out.append(f)
    return out
