"""Tree-sitter rule files: their format, their validation, and loading a rules folder.

A rule is one YAML file, `<rules>/<language>/<name>.yaml` (a `javascript/` rule may name
typescript and tsx too: `ts_parse.FAMILIES`), carrying the metadata every reviewbot
rule carries and exactly one of `query:` (a tree-sitter query with an `@match` capture, filtered
only by the text predicates py-tree-sitter evaluates) or `check:` (a built-in check, see
`reviewbot.scanners.ts_checks`). A malformed rule is a `ConfigError` naming the file and rule;
a missing or empty rules folder is a `ScannerError`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict

from reviewbot import __version__
from reviewbot._io import write_atomic
from reviewbot._yaml import RULE_FILE_MAX_BYTES, load_yaml
from reviewbot.bundled import SEARCHED, bundled_dir
from reviewbot.errors import ConfigError
from reviewbot.scanners.interface import ScannerError
from reviewbot.scanners.rulesets import RuleHeader, RuleInfo, cache_dir
from reviewbot.scanners.ts_checks import CHECKS, Check
from reviewbot.scanners.ts_parse import BYTES_ONLY, FAMILIES, GRAMMAR_MODULES, grammar

if TYPE_CHECKING:
    from tree_sitter import Query

# The text predicates py-tree-sitter evaluates itself; any other would be silently ignored.
_PREDICATES = frozenset(
    {"eq?", "not-eq?", "any-eq?", "any-not-eq?", "match?", "not-match?", "any-match?", "any-not-match?"}
    | {"any-of?", "not-any-of?"}
)
_QUERY_STRINGS_AND_COMMENTS = re.compile(r'"(?:\\.|[^"\\])*"|;[^\n]*')
_QUERY_PREDICATE = re.compile(r"#([A-Za-z0-9_-]+[?!]?)")
_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def builtin_rules_dir() -> Path:
    """The tree-sitter rules shipped with reviewbot: inside the wheel, or beside the source tree."""
    found = bundled_dir("rulesets", "treesitter")
    if found is None:
        raise ScannerError(f"reviewbot's tree-sitter rules are missing (looked in {SEARCHED})")
    return found


class _RuleFile(RuleHeader):
    model_config = ConfigDict(extra="forbid")

    query: str | None = None
    check: str | None = None


@dataclass(frozen=True)
class TreeSitterRule:
    info: RuleInfo
    language: str
    query: Query | None  # exactly one of query / check
    check: Check | None

    @property
    def needs_tree(self) -> bool:
        return self.check is None or self.check.needs_tree


def load_rules(rules_dir: Path) -> dict[str, TreeSitterRule]:
    """Every rule under `rules_dir/<language>/*.yaml`, validated, by id."""
    if not rules_dir.is_dir():
        raise ScannerError(f"{rules_dir}: tree-sitter rules folder does not exist")
    files = sorted(p for p in rules_dir.rglob("*.yaml") if p.is_file())
    if not files:
        raise ScannerError(f"{rules_dir}: no tree-sitter rule files (<language>/<name>.yaml) found")
    rules: dict[str, TreeSitterRule] = {}
    for path in files:
        rule = _load_rule(path, rules_dir)
        if rule.info.id in rules:
            raise ConfigError(f"{path}: rule id {rule.info.id} is also defined in {rules[rule.info.id].info.source}")
        rules[rule.info.id] = rule
    return rules


def _load_rule(path: Path, rules_dir: Path) -> TreeSitterRule:
    rel = path.relative_to(rules_dir)
    if len(rel.parts) != 2:
        raise ConfigError(f"{path}: a tree-sitter rule file belongs in <rules>/<language>/<name>.yaml")
    language = rel.parts[0]
    if language not in GRAMMAR_MODULES and language not in BYTES_ONLY:
        known = ", ".join(sorted({*GRAMMAR_MODULES, *BYTES_ONLY}))
        raise ConfigError(f"{path}: no tree-sitter grammar for language folder {language!r} (known: {known})")
    if path.is_symlink():  # never followed: it could point anywhere
        raise ConfigError(f"{path}: a symlink, which reviewbot never follows; copy the rule file instead")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the rule file: {exc.strerror or exc}") from exc
    doc = _parsed(data, path)
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: a tree-sitter rule file must be one mapping (one rule per file)")
    raw = _RuleFile.from_raw(doc, path)

    def bad(problem: str) -> ConfigError:
        return ConfigError(f"{path}: rule {raw.id}: {problem}")

    if (problem := raw.severity_problem()) is not None:
        raise bad(problem)
    meta = raw.metadata
    prefix = f"{language}.{meta.category}."
    name = raw.id.removeprefix(prefix)
    if not raw.id.startswith(prefix) or not _KEBAB.match(name):
        raise bad(f"rule ids in {language}/ look like {prefix}<kebab-name> (category {meta.category!r})")
    if path.stem != name:
        raise bad(f"the file of rule {raw.id} must be named {name}.yaml")
    family = FAMILIES.get(language, frozenset({language}))
    if not raw.languages or raw.languages[0] != language or not set(raw.languages) <= family:
        also = f" (then any of {', '.join(sorted(family - {language}))})" if len(family) > 1 else ""
        raise bad(f"languages must be [{language}{', ...' if also else ''}], the folder the rule is in{also}")
    if len(raw.languages) != len(set(raw.languages)):
        raise bad("languages lists a language twice")
    if (raw.query is None) == (raw.check is None):
        raise bad("give exactly one of `query:` (a tree-sitter query) or `check:` (a built-in check)")
    query = check = None
    if raw.query is not None:
        if language in BYTES_ONLY:
            raise bad(f"{language} has no grammar: use a byte-level `check:`, not a query")
        if len(raw.languages) > 1:
            raise bad("a `query:` is compiled for one grammar: name only the folder's language")
        query = _compile_rule_query(raw.query, language, bad)
    else:
        check = CHECKS.get(raw.check or "")
        if check is None:
            raise bad(f"unknown check {raw.check!r} (built-in checks: {', '.join(sorted(CHECKS))})")
        for each in raw.languages:
            if check.languages is not None and each not in check.languages:
                raise bad(f"check {check.name} does not support {each} (only {', '.join(sorted(check.languages))})")
            if check.needs_tree and each in BYTES_ONLY:
                raise bad(f"check {check.name} needs a syntax tree, and {each} has no grammar")
    # A check's queries are compiled on first use, for the languages a scan has files of: compiling
    # all of them was ~0.08 s of CPU a run, 0.06 s of it TypeScript and TSX (large grammars) that a
    # Python or JavaScript change never reads. They are reviewbot's own code, not the user's:
    # tests/test_rulesets_treesitter.py compiles every one, so a broken one fails the tests.
    info = RuleInfo(
        id=raw.id,
        message=" ".join(raw.message.split()),
        category=meta.category,
        cwe=tuple(meta.cwe),
        owasp=tuple(meta.owasp),
        severity=meta.severity,
        confidence=meta.confidence,
        rationale=meta.rationale.strip(),
        languages=tuple(raw.languages),
        source=rel.as_posix(),
    )
    return TreeSitterRule(info=info, language=language, query=query, check=check)


# Bumped when the YAML loader or this cache's layout changes what a cached document means.
_PARSED_FORMAT = "1"


def _parsed(data: bytes, path: Path) -> Any:
    """The rule file's YAML document, from the user cache when these bytes were parsed before.

    Parsing the rules' YAML in pure Python was ~60% of building the scanner (~70 ms of CPU a
    run for the built-in rules, paid on every pre-commit run for the same bytes). Only the parse
    is cached, keyed by the bytes, reviewbot's version and _PARSED_FORMAT: the document is
    validated on every load as before, and a file that does not parse is never cached. A
    document JSON cannot hold exactly is not cached either; an unreadable entry is a miss."""
    key = hashlib.sha256(f"{_PARSED_FORMAT}\0{__version__}\0".encode() + data).hexdigest()[:32]
    entry = cache_dir() / "treesitter-rules" / f"{key}.json"
    try:
        return json.loads(entry.read_bytes())
    except (OSError, ValueError, RecursionError):
        pass
    doc = load_yaml(data, str(path), max_bytes=RULE_FILE_MAX_BYTES).value
    try:
        text = json.dumps(doc)
        if json.loads(text) == doc:
            write_atomic(entry, text.encode(), make_parents=True)
    except (TypeError, ValueError, RecursionError, OSError):
        pass  # not JSON (a YAML date), or a read-only cache: parsed again next time
    return doc


def _compile_rule_query(text: str, language: str, bad: Callable[[str], ConfigError]) -> Query:
    from tree_sitter import Query, QueryError

    try:
        query = Query(grammar(language), text)
    except QueryError as exc:
        raise bad(f"query does not compile: {exc}") from exc
    names = {query.capture_name(i) for i in range(query.capture_count)}
    if "match" not in names:
        raise bad("the query has no @match capture (it marks the span to report)")
    stripped = _QUERY_STRINGS_AND_COMMENTS.sub("", text)
    unknown = sorted({m.group(1) for m in _QUERY_PREDICATE.finditer(stripped)} - _PREDICATES)
    if unknown:
        raise bad(f"unsupported predicate(s) {', '.join('#' + u for u in unknown)} (supported: #eq?, #match?, …)")
    return query
