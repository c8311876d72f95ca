"""Loading, validating and merging the Semgrep rule files reviewbot runs.

Every rule must carry the metadata the rest of the pipeline relies on (category, CWE, OWASP,
severity, confidence, rationale); a rule without it is a config error naming the file and rule,
not a finding with blanks. The rules are merged into one file because semgrep spends most of a
small scan loading rule files (one file loads ~4x faster than a folder of them); the merged file
is cached under the user's cache directory, keyed by the rules' content hash, and written
atomically so concurrent runs never see half a file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reviewbot._io import write_atomic
from reviewbot.bundled import SEARCHED, bundled_dir
from reviewbot.errors import ConfigError
from reviewbot.finding import Confidence, Severity

_SEMGREP_LEVEL = {
    Severity.CRITICAL: "ERROR",
    Severity.HIGH: "ERROR",
    Severity.MEDIUM: "WARNING",
    Severity.LOW: "INFO",
}


class RuleMeta(BaseModel):
    """The metadata block every reviewbot Semgrep rule must have."""

    model_config = ConfigDict(extra="allow")

    category: str = Field(min_length=1)
    cwe: list[str] = Field(min_length=1)
    owasp: list[str] = Field(min_length=1)
    severity: Severity
    confidence: Confidence
    rationale: str = Field(min_length=1)
    # A regex (Python `re`, matched against the file's raw bytes) that every file the rule can
    # match at all also matches: files it does not match are not given to the rule. It must be
    # *sound*, never merely likely (docs/rules.md, "Prefilters").
    requires_text: str | None = Field(default=None, alias="requires-text", min_length=1)

    @field_validator("requires_text")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value.encode("utf-8"))
            except re.error as exc:
                raise ValueError(f"not a valid Python regular expression (bytes): {exc}") from exc
        return value

    @field_validator("cwe")
    @classmethod
    def _cwe_ids(cls, value: list[str]) -> list[str]:
        for item in value:
            number = item.removeprefix("CWE-")
            if not item.startswith("CWE-") or not number.isdigit():
                raise ValueError(f"CWE ids look like 'CWE-89', not {item!r}")
        return value


class RuleHeader(BaseModel):
    """The fields every reviewbot rule declares, a Semgrep rule or a tree-sitter one."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    message: str = Field(min_length=1)
    severity: Literal["ERROR", "WARNING", "INFO"]  # Semgrep's level, which must agree with metadata.severity
    languages: list[str] = Field(min_length=1)
    metadata: RuleMeta

    @classmethod
    def from_raw(cls, raw: object, where: Path) -> Self:
        """`raw` (one rule as the YAML gives it) validated, or a ConfigError naming the file, rule and problems."""
        rule_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise ConfigError(f"{where}: rule {rule_id}: {problems}") from exc

    def severity_problem(self) -> str | None:
        """Why `severity` disagrees with metadata.severity, or None when they agree."""
        expected = _SEMGREP_LEVEL[self.metadata.severity]
        if self.severity == expected:
            return None
        return (
            f"severity {self.severity} does not match "
            f"metadata.severity {self.metadata.severity.value} (expected {expected})"
        )


class SemgrepRule(RuleHeader):
    model_config = ConfigDict(extra="allow")

    fix: str | None = None
    mode: str = "search"


@dataclass(frozen=True)
class RuleInfo:
    """What a finding takes from its rule."""

    id: str
    message: str
    category: str
    cwe: tuple[str, ...]
    owasp: tuple[str, ...]
    severity: Severity
    confidence: Confidence
    rationale: str
    languages: tuple[str, ...]
    source: str  # the rule file, relative to its ruleset folder
    requires_text: str | None = None  # metadata.requires-text: the rule's prefilter, if it has one
    dataflow: bool = False  # the rule follows data from a source to a sink (semgrep's taint mode)


@dataclass(frozen=True)
class RuleSet:
    rules: dict[str, RuleInfo]
    merged_file: Path  # one Semgrep config holding every rule
    digest: str

    @functools.cached_property
    def _merged_rules(self) -> list[dict[str, Any]]:
        """The merged file's rules, read once (each packed config of a scan is made from them)."""
        rules: list[dict[str, Any]] = json.loads(self.merged_file.read_bytes())["rules"]
        return rules

    def prefilters(self) -> dict[str, re.Pattern[bytes]]:
        """Each prefiltered rule's compiled `requires-text`, by rule id."""
        return {i.id: re.compile(i.requires_text.encode("utf-8")) for i in self.rules.values() if i.requires_text}

    def subset_file(self, rule_ids: frozenset[str]) -> Path:
        """A Semgrep config holding only `rule_ids` (the merged file when that is every rule).

        Cached beside the merged file, keyed by the rules' digest and the subset, and written
        atomically like it, so each distinct subset is written once per rules version.
        """
        if rule_ids >= self.rules.keys():
            return self.merged_file
        key = hashlib.sha256("\0".join(sorted(rule_ids)).encode()).hexdigest()[:16]
        path = self.merged_file.with_name(f"semgrep-rules-{self.digest}-{key}.json")
        if not path.is_file():
            subset = json.dumps({"rules": [r for r in self._merged_rules if r["id"] in rule_ids]}).encode()
            write_atomic(path, subset, make_parents=True)
        return path

    def packed_file(self, rules_of: Mapping[str, frozenset[str]], directory: Path) -> Path:
        """A Semgrep config, written in `directory`, that runs each rule on exactly the targets
        `rules_of` gives it (target -> our rule ids): every rule any target wants, with a
        `paths.include` naming those targets from the project root (`/head/app.py`). Targets
        must be `semgrep_plan.packable`, and semgrep run with `--project-root` at their root.
        A rule with a `paths` filter of its own cannot be packed (ValueError)."""
        targets_of: dict[str, list[str]] = {}
        for target, ids in sorted(rules_of.items()):
            for rule_id in ids:
                targets_of.setdefault(rule_id, []).append("/" + target)
        rules = [r for r in self._merged_rules if r["id"] in targets_of]
        if any("paths" in r for r in rules):
            raise ValueError("a rule has a paths filter of its own")
        packed = [{**r, "paths": {"include": targets_of[r["id"]]}} for r in rules]
        path = directory / "semgrep-rules-packed.json"
        path.write_bytes(json.dumps({"rules": packed}).encode())
        return path

    def lookup(self, check_id: str) -> RuleInfo | None:
        """Map semgrep's check_id (which it prefixes with the config's folder) to our rule."""
        if check_id in self.rules:
            return self.rules[check_id]
        for rule_id, info in self.rules.items():
            if check_id.endswith("." + rule_id):
                return info
        return None


def builtin_rules_dir() -> Path:
    """The rulesets shipped with reviewbot: inside the wheel, or beside the source tree."""
    found = bundled_dir("rulesets", "semgrep")
    if found is None:
        raise ConfigError(f"reviewbot's built-in rules are missing (looked in {SEARCHED})")
    return found


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reviewbot"


def checkout_cache_file(folder: str, repo_root: Path, suffix: str) -> Path:
    """A file in the user cache that belongs to one checkout (keyed by its resolved path)."""
    key = hashlib.sha256(str(repo_root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cache_dir() / folder / f"{key}{suffix}"


def rule_files(rules_dir: Path) -> list[Path]:
    if not rules_dir.is_dir():
        raise ConfigError(f"{rules_dir}: rules folder does not exist")
    files = sorted(p for p in rules_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    for p in files:
        if p.is_symlink():  # never followed: it could point anywhere
            raise ConfigError(f"{p}: a symlink, which reviewbot never follows; copy the rule file instead")
    if not files:
        raise ConfigError(f"{rules_dir}: no .yaml rule files found")
    return files


def load_rules(rules_dir: Path) -> RuleSet:
    files = rule_files(rules_dir)
    digest = hashlib.sha256()
    contents = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the rule file: {exc.strerror or exc}") from exc
        rel = path.relative_to(rules_dir).as_posix()
        digest.update(rel.encode() + b"\0" + data + b"\0")
        contents.append((rel, data))
    key = digest.hexdigest()[:24]
    merged = cache_dir() / f"semgrep-rules-{key}.json"
    index = cache_dir() / f"semgrep-rules-{key}.index-{_INDEX_FORMAT}.json"
    cached = _read_cached_index(index) if merged.is_file() else None
    if cached is None:
        raw_rules, infos = _validate(contents, rules_dir)
        write_atomic(merged, json.dumps({"rules": raw_rules}).encode(), make_parents=True)
        write_atomic(index, json.dumps([_info_to_json(i) for i in infos.values()]).encode(), make_parents=True)
    else:
        infos = cached
    return RuleSet(infos, merged, key)


def _validate(contents: list[tuple[str, bytes]], rules_dir: Path) -> tuple[list[dict[str, Any]], dict[str, RuleInfo]]:
    # lazily: only needed when the rules changed since the last run
    from reviewbot._yaml import RULE_FILE_MAX_BYTES, load_yaml

    raw_rules: list[dict[str, Any]] = []
    infos: dict[str, RuleInfo] = {}
    for rel, data in contents:
        where = rules_dir / rel
        doc = load_yaml(data, str(where), max_bytes=RULE_FILE_MAX_BYTES).value
        if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
            raise ConfigError(f"{where}: a rule file must be a mapping with a 'rules' list")
        for raw in doc["rules"]:
            rule = SemgrepRule.from_raw(raw, where)
            if (problem := rule.severity_problem()) is not None:
                raise ConfigError(f"{where}: rule {rule.id}: {problem}")
            if rule.id in infos:
                raise ConfigError(f"{where}: rule id {rule.id} is also defined in {infos[rule.id].source}")
            infos[rule.id] = RuleInfo(
                id=rule.id,
                message=rule.message.strip(),
                category=rule.metadata.category,
                cwe=tuple(rule.metadata.cwe),
                owasp=tuple(rule.metadata.owasp),
                severity=rule.metadata.severity,
                confidence=rule.metadata.confidence,
                rationale=rule.metadata.rationale.strip(),
                languages=tuple(rule.languages),
                source=rel,
                requires_text=rule.metadata.requires_text,
                dataflow=rule.mode == "taint",
            )
            raw_rules.append(raw)
    return raw_rules, infos


# Bumped when RuleInfo gains a field, so an index written by an older reviewbot is rebuilt
# rather than read with the new field missing.
_INDEX_FORMAT = "v3"


def _info_to_json(info: RuleInfo) -> dict[str, Any]:
    return {**info.__dict__, "severity": info.severity.value, "confidence": info.confidence.value}


def _read_cached_index(index: Path) -> dict[str, RuleInfo] | None:
    """The cached rule index, or None when it is missing or corrupt (then it is rebuilt)."""
    try:
        items = json.loads(index.read_bytes())
        infos = {}
        for item in items:
            item.update(
                severity=Severity(item["severity"]),
                confidence=Confidence(item["confidence"]),
                cwe=tuple(item["cwe"]),
                owasp=tuple(item["owasp"]),
                languages=tuple(item["languages"]),
            )
            infos[item["id"]] = RuleInfo(**item)
        return infos
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
