"""The tree-sitter scanner: reviewbot's own rules, run in-process on bytes, every step bounded.

Rules live one per file in `rulesets/treesitter/<language>/<name>.yaml`, with the metadata every
reviewbot rule carries (see docs/treesitter-rules.md) and either

* `query:` — a tree-sitter query; the capture `@match` is the reported span, and `#eq?`,
  `#match?`, `#any-of?` (and their `not-`/`any-` forms) filter on capture text; or
* `check:` — the name of a built-in check below, for what a query cannot express: characters
  the grammar does not see (Trojan Source), scripts of identifier letters, the randomness of a
  string, the expressions inside a workflow script.

Hostile input costs a note, never a hang or a crash. Per file, in this order:

1. too big (`max_file_bytes`), not UTF-8, or nested deeper than `MAX_NESTING` brackets: only the
   byte-level checks run (they are linear scans of the bytes), with a warning;
2. the parse is bounded by `syntax.PARSE_BUDGET_SECONDS`; a cut-off parse is a warning and
   byte-level checks only; a tree with syntax errors is a warning and the rules run on
   tree-sitter's error-recovered tree;
3. the rules on one file share `RULES_BUDGET_SECONDS`: queries run in `QUERY_CHUNK_BYTES` byte
   ranges with a `match_limit`, the clock read between ranges (not through tree-sitter's query
   progress callback, which crashes py-tree-sitter 0.26.1: see `_FileContext.matches`), checks
   read the clock as they go, and each rule stops after `MAX_MATCHES_PER_RULE` matches;
4. any exception while scanning a file becomes a warning on that file; the other files are
   scanned as usual. The whole scan stops starting new files after `scan_budget_seconds`.

Only an unloadable rule set raises (`ScannerError`; a malformed rule is a `ConfigError` naming
the file and rule).
"""

from __future__ import annotations

import importlib
import itertools
import math
import re
import time
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reviewbot import syntax
from reviewbot.errors import ConfigError
from reviewbot.finding import Scanner as ScannerKind
from reviewbot.finding import Severity
from reviewbot.languages import language_of
from reviewbot.rulesets import RuleInfo, RuleMeta
from reviewbot.scanners.interface import RawMatch, Scanner, ScannerError, ScanOutput, ScanWarning

if TYPE_CHECKING:
    from tree_sitter import Language, Node, Query, Tree

# ---------------------------------------------------------------------------------------------
# Bounds (documented in docs/treesitter-rules.md)

MAX_FILE_BYTES = 1_000_000  # larger files: byte-level checks only
MAX_NESTING = 200  # bracket depth (CPython itself refuses more than 200 nested parentheses)
RULES_BUDGET_SECONDS = 2.0  # all tree rules on one file
SCAN_BUDGET_SECONDS = 300.0  # the whole scan: later files are skipped with a note
QUERY_MATCH_LIMIT = 1024  # tree-sitter's cap on in-progress matches of one query
QUERY_CHUNK_BYTES = 64 * 1024  # a query runs on byte ranges this big, checking the clock between
MAX_MATCHES_PER_RULE = 100  # per file; more is noise, and work

# Grammars by reviewbot language name (languages.py). Those reviewbot.syntax knows are parsed
# through it; the others here, with the same time budget.
_GRAMMAR_MODULES = {"python": "tree_sitter_python", "github-workflow": "tree_sitter_yaml"}
_PARSED_BY_SYNTAX = frozenset({"python"})

_LEVEL = {Severity.CRITICAL: "ERROR", Severity.HIGH: "ERROR", Severity.MEDIUM: "WARNING", Severity.LOW: "INFO"}
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
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "rulesets" / "treesitter", package.parent / "rulesets" / "treesitter"):
        if candidate.is_dir():
            return candidate
    raise ScannerError(f"reviewbot's tree-sitter rules are missing (looked in {package} and {package.parent})")


@cache
def _grammar(language: str) -> Language:
    from tree_sitter import Language

    module = importlib.import_module(_GRAMMAR_MODULES[language])
    return Language(module.language())


# ---------------------------------------------------------------------------------------------
# Rules


class _RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    message: str = Field(min_length=1)
    severity: Literal["ERROR", "WARNING", "INFO"]
    languages: list[str] = Field(min_length=1)
    metadata: RuleMeta
    query: str | None = None
    check: str | None = None


@dataclass(frozen=True)
class TreeSitterRule:
    info: RuleInfo
    language: str
    query: Query | None  # exactly one of query / check
    check: _Check | None

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
    import yaml

    rel = path.relative_to(rules_dir)
    if len(rel.parts) != 2:
        raise ConfigError(f"{path}: a tree-sitter rule file belongs in <rules>/<language>/<name>.yaml")
    language = rel.parts[0]
    if language not in _GRAMMAR_MODULES:
        known = ", ".join(sorted(_GRAMMAR_MODULES))
        raise ConfigError(f"{path}: no tree-sitter grammar for language folder {language!r} (known: {known})")
    try:
        doc = yaml.safe_load(path.read_bytes())
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: not readable YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: a tree-sitter rule file must be one mapping (one rule per file)")
    rule_id = doc.get("id", "?")
    try:
        raw = _RuleFile.model_validate(doc)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: rule {rule_id}: {problems}") from exc

    def bad(problem: str) -> ConfigError:
        return ConfigError(f"{path}: rule {raw.id}: {problem}")

    meta = raw.metadata
    if raw.severity != _LEVEL[meta.severity]:
        expected = _LEVEL[meta.severity]
        raise bad(
            f"severity {raw.severity} does not match metadata.severity {meta.severity.value} (expected {expected})"
        )
    prefix = f"{language}.{meta.category}."
    name = raw.id.removeprefix(prefix)
    if not raw.id.startswith(prefix) or not _KEBAB.match(name):
        raise bad(f"rule ids in {language}/ look like {prefix}<kebab-name> (category {meta.category!r})")
    if path.stem != name:
        raise bad(f"the file of rule {raw.id} must be named {name}.yaml")
    if raw.languages != [language]:
        raise bad(f"languages must be [{language}], the folder the rule is in")
    if (raw.query is None) == (raw.check is None):
        raise bad("give exactly one of `query:` (a tree-sitter query) or `check:` (a built-in check)")
    query = check = None
    if raw.query is not None:
        query = _compile_rule_query(raw.query, language, bad)
    else:
        check = CHECKS.get(raw.check or "")
        if check is None:
            raise bad(f"unknown check {raw.check!r} (built-in checks: {', '.join(sorted(CHECKS))})")
        if check.languages is not None and language not in check.languages:
            raise bad(f"check {check.name} does not support {language} (only {', '.join(sorted(check.languages))})")
        if language in check.queries:
            check.query(language)  # compiled now: a broken built-in query fails at load, not mid-scan
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


def _compile_rule_query(text: str, language: str, bad: Callable[[str], ConfigError]) -> Query:
    from tree_sitter import Query, QueryError

    try:
        query = Query(_grammar(language), text)
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


# ---------------------------------------------------------------------------------------------
# The scanner


@dataclass(frozen=True)
class _Hit:
    start_byte: int
    end_byte: int
    detail: str | None = None  # said before the rule's message


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.hit = False

    def passed(self) -> bool:
        if not self.hit and time.monotonic() > self.at:
            self.hit = True
        return self.hit


@dataclass
class _FileContext:
    """What a rule sees of one file. `tree` is None for the byte-level pass."""

    path: str
    language: str
    source: bytes
    tree: Tree | None
    deadline: _Deadline
    match_limit_exceeded: bool = False

    def matches(self, query: Query) -> Iterator[dict[str, list[Node]]]:
        """The query's matches over the whole tree, bounded: byte-range chunks, clock, match_limit.

        No progress callback: in py-tree-sitter 0.26.1 `QueryCursor.matches(progress_callback=)`
        keeps a pointer to a struct that has gone out of scope and crashes the process (seen on
        Python and YAML trees). The clock is read between chunks instead.
        """
        from tree_sitter import QueryCursor

        if self.tree is None or not self.source:
            return
        cursor = QueryCursor(query, match_limit=QUERY_MATCH_LIMIT)

        def unknown_predicate(
            predicate: str,
            args: list[tuple[str, Literal["capture", "string"]]],
            pattern_index: int,
            captures: dict[str, list[Node]],
        ) -> bool:
            return False  # never reached: rules are checked for supported predicates when loaded

        root = self.tree.root_node
        seen: set[tuple[Any, ...]] = set()
        size = len(self.source)
        for start in range(0, size, QUERY_CHUNK_BYTES):
            if self.deadline.passed():
                return
            cursor.set_byte_range(start, min(size, start + QUERY_CHUNK_BYTES))
            found = cursor.matches(root, unknown_predicate)
            if cursor.did_exceed_match_limit:
                self.match_limit_exceeded = True
            for pattern, captures in found:
                # A match that spans two chunks is found in both.
                key = (pattern, *sorted((n, c.start_byte, c.end_byte) for n, cs in captures.items() for c in cs))
                if key not in seen:
                    seen.add(key)
                    yield captures

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")


class TreeSitterScanner(Scanner):
    kind = ScannerKind.TREESITTER

    def __init__(
        self,
        rules_dir: Path | None = None,
        *,
        max_file_bytes: int = MAX_FILE_BYTES,
        scan_budget_seconds: float = SCAN_BUDGET_SECONDS,
    ) -> None:
        self.rules_dir = rules_dir if rules_dir is not None else builtin_rules_dir()
        self.rules = load_rules(self.rules_dir)
        self.max_file_bytes = max_file_bytes
        self.scan_budget_seconds = scan_budget_seconds
        self._by_language: dict[str, list[TreeSitterRule]] = {}
        for rule in self.rules.values():
            self._by_language.setdefault(rule.language, []).append(rule)

    def accepts(self, language: str) -> bool:
        return language in self._by_language

    def rule(self, reported_id: str) -> RuleInfo | None:
        rule = self.rules.get(reported_id)
        return rule.info if rule is not None else None

    def rule_count(self) -> int:
        return len(self.rules)

    def scan(self, root: Path, targets: list[str]) -> ScanOutput:
        out = ScanOutput()
        scan_deadline = _Deadline(self.scan_budget_seconds)
        parsers: dict[str, Any] = {}  # per scan, so concurrent scans never share a parser
        for i, target in enumerate(targets):
            if scan_deadline.passed():
                left = len(targets) - i
                out.warnings.append(
                    ScanWarning(
                        None,
                        f"tree-sitter scan stopped after {self.scan_budget_seconds:g} s: "
                        f"{left} file(s) not scanned by its rules",
                    )
                )
                for rest in targets[i:]:
                    out.warnings.append(ScanWarning(rest, "not scanned by the tree-sitter rules (scan time budget)"))
                break
            try:
                self._scan_file(root, target, out, parsers)
            except Exception as exc:  # noqa: BLE001 - one broken file must not stop the others
                out.warnings.append(
                    ScanWarning(target, f"tree-sitter scanner failed on this file ({type(exc).__name__}: {exc})")
                )
        return out

    def _scan_file(self, root: Path, target: str, out: ScanOutput, parsers: dict[str, Any]) -> None:
        language = language_of(target)
        rules = self._by_language.get(language or "")
        if language is None or not rules:
            return
        try:
            source = (root / target).read_bytes()
        except OSError as exc:
            out.warnings.append(ScanWarning(target, f"could not read the file: {exc.strerror or exc}"))
            return

        def note(message: str) -> None:
            out.warnings.append(ScanWarning(target, message))

        needs_tree = any(r.needs_tree for r in rules)
        tree: Tree | None = None
        why_not = self._no_tree_reason(source)
        if why_not is None and needs_tree:
            tree, why_not = self._parse(source, language, parsers)
        if why_not is not None and needs_tree:
            note(f"{why_not}: only the byte-level rules ran on it")
        if tree is not None and tree.root_node.has_error:
            note("has syntax errors: the rules ran on tree-sitter's error-recovered tree, results may be incomplete")
        deadline = _Deadline(RULES_BUDGET_SECONDS)
        ctx = _FileContext(target, language, source, tree, deadline)
        lines = _Lines(source)
        for rule in rules:
            if rule.needs_tree and tree is None:
                continue
            hits, capped = self._run_rule(rule, ctx)
            if capped:
                note(f"rule {rule.info.id}: more than {MAX_MATCHES_PER_RULE} matches; only the first are reported")
            for hit in hits:
                out.matches.append(_raw_match(rule, target, hit, lines))
        if deadline.hit:
            note(f"the tree-sitter rules stopped after {RULES_BUDGET_SECONDS:g} s on this file: results are partial")
        if ctx.match_limit_exceeded:
            note("a tree-sitter query exceeded its match limit on this file: some matches may be missing")

    def _no_tree_reason(self, source: bytes) -> str | None:
        if len(source) > self.max_file_bytes:
            return f"larger than {self.max_file_bytes} bytes"
        try:
            source.decode("utf-8")
        except UnicodeDecodeError as exc:
            return f"not valid UTF-8 (byte {exc.start})"
        depth = _max_nesting(source, MAX_NESTING)
        if depth > MAX_NESTING:
            return f"brackets nested more than {MAX_NESTING} deep"
        return None

    def _parse(self, source: bytes, language: str, parsers: dict[str, Any]) -> tuple[Tree | None, str | None]:
        budget = syntax.PARSE_BUDGET_SECONDS
        if language in _PARSED_BY_SYNTAX:
            parsed = syntax.parse(source, language)
            tree = parsed.tree if parsed is not None else None
        else:
            tree = _parse_bounded(source, language, parsers, budget)
        if tree is None:
            return None, f"parsing took longer than {budget:g} s"
        if tree.root_node.end_byte > len(source):  # a parser that resumed someone else's input
            return None, "the parser returned a tree for other input"
        return tree, None

    @staticmethod
    def _run_rule(rule: TreeSitterRule, ctx: _FileContext) -> tuple[list[_Hit], bool]:
        if rule.check is not None:
            produced: Iterator[_Hit] = rule.check.run(ctx)
        else:
            assert rule.query is not None
            produced = (
                _Hit(node.start_byte, node.end_byte)
                for captures in ctx.matches(rule.query)
                for node in captures.get("match", [])[:1]
            )
        hits: list[_Hit] = []
        seen: set[tuple[int, int]] = set()
        for hit in produced:
            if (hit.start_byte, hit.end_byte) in seen:
                continue
            if len(hits) == MAX_MATCHES_PER_RULE:
                return hits, True
            seen.add((hit.start_byte, hit.end_byte))
            hits.append(hit)
        return hits, False


def _parse_bounded(source: bytes, language: str, parsers: dict[str, Any], budget: float) -> Tree | None:
    """syntax.parse for a grammar reviewbot.syntax does not know yet; same budget and contract."""
    from tree_sitter import Parser

    parser = parsers.get(language)
    if parser is None:
        parser = parsers[language] = Parser(_grammar(language))
    deadline = time.monotonic() + budget

    def over_budget(_offset: int, _has_error: bool) -> bool:
        return time.monotonic() > deadline

    def read(byte_offset: int, _point: tuple[int, int]) -> bytes:
        return source[byte_offset : byte_offset + 65536]

    try:
        tree: Tree = parser.parse(read, progress_callback=over_budget)
    except ValueError:  # the progress callback cancelled the parse
        parser.reset()  # or the next parse would resume this one
        return None
    return tree


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"()[]{}")
_OPENERS = frozenset(b"([{")


def _max_nesting(source: bytes, limit: int) -> int:
    """The deepest bracket nesting in `source` (strings and comments included), up to limit + 1."""
    depth = deepest = 0
    for b in source.translate(None, _NOT_BRACKETS):
        if b in _OPENERS:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif depth:
            depth -= 1
    return deepest


class _Lines:
    """Byte offset -> (1-based line, 1-based byte column), lines split on "\\n" as semgrep does."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self._starts: list[int] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in re.finditer(b"\n", self.source))]
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def _raw_match(rule: TreeSitterRule, target: str, hit: _Hit, lines: _Lines) -> RawMatch:
    start_line, start_col = lines.position(hit.start_byte)
    end_line, end_col = lines.position(hit.end_byte)
    message = f"{hit.detail} {rule.info.message}" if hit.detail else rule.info.message
    return RawMatch(
        rule_id=rule.info.id,
        path=target,
        start_line=start_line,
        start_col=start_col,
        start_byte=hit.start_byte,
        end_line=end_line,
        end_col=end_col,
        end_byte=hit.end_byte,
        message=message,
    )


# ---------------------------------------------------------------------------------------------
# Built-in checks


@dataclass(frozen=True)
class _Check:
    name: str
    needs_tree: bool
    languages: frozenset[str] | None  # None: any language (a byte-level check)
    run: Callable[[_FileContext], Iterator[_Hit]]
    queries: Mapping[str, str] = field(default_factory=dict)  # per language, compiled on first use

    def query(self, language: str) -> Query:
        return _check_query(self.name, language, self.queries[language])


@cache
def _check_query(_check: str, language: str, text: str) -> Query:
    from tree_sitter import Query

    return Query(_grammar(language), text)


def _code_points(chars: str) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in dict.fromkeys(chars))


def _encoded(*ranges: tuple[int, int]) -> bytes:
    """A bytes regex alternation matching the UTF-8 encoding of each code point in the ranges."""
    return b"|".join(re.escape(chr(c).encode()) for lo, hi in ranges for c in range(lo, hi + 1))


_MAX_CHARS_NAMED = 8  # a message names at most this many distinct characters


def _line_groups(
    source: bytes, spans: Iterator[tuple[int, int]], deadline: _Deadline
) -> Iterator[tuple[int, int, str]]:
    """Merge character spans (in order) on the same line into one (start, end, characters) per line."""
    current: list[int] | None = None  # [start, end]
    chars: dict[str, None] = {}
    for start, end in spans:
        if deadline.passed():
            break
        if current is not None and source.find(b"\n", current[1], start) == -1:
            current[1] = end
        else:
            if current is not None:
                yield current[0], current[1], "".join(chars)
            current, chars = [start, end], {}
        if len(chars) < _MAX_CHARS_NAMED:
            for ch in source[start:end].decode("utf-8", "replace"):
                chars.setdefault(ch)
    if current is not None:
        yield current[0], current[1], "".join(chars)


# --- bidi-control: Trojan Source (CVE-2021-42574)

_BIDI = re.compile(_encoded((0x202A, 0x202E), (0x2066, 0x2069), (0x200E, 0x200F), (0x061C, 0x061C)))


def _check_bidi(ctx: _FileContext) -> Iterator[_Hit]:
    if ctx.source.isascii():
        return
    spans = ((m.start(), m.end()) for m in _BIDI.finditer(ctx.source))
    for start, end, chars in _line_groups(ctx.source, spans, ctx.deadline):
        yield _Hit(start, end, f"Bidirectional control character(s) {_code_points(chars)} in this line.")


# --- invisible-character

# Always suspicious: zero-width space, word joiner and invisible operators, Mongolian vowel
# separator, Hangul fillers (letters to Python, blank on screen), a byte-order mark past the
# start of the file, and tag characters (invisible ASCII, used to smuggle text).
_ALWAYS_INVISIBLE = _encoded(
    (0x200B, 0x200B), (0x2060, 0x2064), (0x180E, 0x180E), (0x115F, 0x1160),
    (0x3164, 0x3164), (0xFFA0, 0xFFA0), (0xFEFF, 0xFEFF),
)  # fmt: skip
_TAGS = rb"\xf3\xa0[\x80\x81][\x80-\xbf]"  # U+E0000..U+E007F
# Joiners are legitimate inside emoji sequences and Arabic/Indic words, so they count only next
# to ASCII. Variation selectors are legitimate one at a time; a run of them encodes hidden data.
_JOINERS = _encoded((0x200C, 0x200D))
_VARIATION_SELECTOR = rb"\xef\xb8[\x80-\x8f]|\xf3\xa0[\x84-\x87][\x80-\xbf]"  # U+FE00..FE0F, U+E0100..E01EF
_INVISIBLE = re.compile(
    rb"(?P<always>(?:" + _ALWAYS_INVISIBLE + rb"|" + _TAGS + rb")+)"
    rb"|(?P<joiner>" + _JOINERS + rb")"
    rb"|(?P<selectors>(?:" + _VARIATION_SELECTOR + rb"){2,})"
)


def _neighbour_is_ascii(source: bytes, start: int, end: int) -> bool:
    before = source[start - 1] if start > 0 else 0x0A
    after = source[end] if end < len(source) else 0x0A
    return before < 0x80 or after < 0x80


def _invisible_spans(source: bytes) -> Iterator[tuple[int, int]]:
    for m in _INVISIBLE.finditer(source):
        if m.group("joiner") is not None and not _neighbour_is_ascii(source, m.start(), m.end()):
            continue
        start = m.start()
        if start == 0 and source.startswith(b"\xef\xbb\xbf"):  # a byte-order mark where one belongs
            start = 3
            if m.end() == 3:
                continue
        yield start, m.end()


def _check_invisible(ctx: _FileContext) -> Iterator[_Hit]:
    if ctx.source.isascii():
        return
    for start, end, chars in _line_groups(ctx.source, _invisible_spans(ctx.source), ctx.deadline):
        yield _Hit(start, end, f"Invisible character(s) {_code_points(chars)} in this line.")


# --- mixed-script-identifier: Trojan Source homoglyphs (CVE-2021-42694)

# Letters of other scripts that look like Latin letters (a subset of Unicode's confusables.txt:
# the ones that are indistinguishable in common fonts), as code points, with the Latin letter
# they imitate. Escapes, not the characters: this table must not be a Trojan Source itself.
_LOOKALIKES: dict[str, str] = {
    # Cyrillic
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y", "\u0445": "x",
    "\u0455": "s", "\u0456": "i", "\u0458": "j", "\u0501": "d", "\u04bb": "h", "\u04cf": "l", "\u051b": "q",
    "\u051d": "w", "\u04af": "y", "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M",
    "\u041d": "H", "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u0423": "Y",
    "\u0405": "S", "\u0406": "I", "\u0408": "J", "\u04ae": "Y", "\u04c0": "I", "\u051a": "Q", "\u051c": "W",
    # Greek
    "\u03bf": "o", "\u03b1": "a", "\u03bd": "v", "\u03c1": "p", "\u03b9": "i", "\u03ba": "k", "\u03c5": "u",
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I", "\u039a": "K",
    "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T", "\u03a5": "Y", "\u03a7": "X",
    # Armenian
    "\u0585": "o", "\u057d": "u", "\u0570": "h", "\u0578": "n", "\u0566": "q",
}  # fmt: skip
# Scripts, as the first word of their letters' Unicode names ("CYRILLIC SMALL LETTER A").
_SCRIPTS = frozenset({
    "LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "HEBREW", "ARABIC", "SYRIAC", "THAANA", "DEVANAGARI",
    "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA",
    "THAI", "LAO", "TIBETAN", "MYANMAR", "GEORGIAN", "HANGUL", "ETHIOPIC", "CHEROKEE", "CANADIAN",
    "OGHAM", "RUNIC", "KHMER", "MONGOLIAN", "HIRAGANA", "KATAKANA", "BOPOMOFO", "HAN", "COPTIC",
    "GLAGOLITIC", "TIFINAGH", "YI", "LISU", "VAI",
})  # fmt: skip
_IDENTIFIER_TYPES = {"python": frozenset({"identifier"})}
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


@cache
def _script(ch: str) -> str | None:
    """The script of a letter, from its Unicode name; None when unknown or shared (Common)."""
    words = unicodedata.name(ch, "").split()
    if not words:
        return None
    first = words[0]
    if first in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1:
        first = words[1]
    if first in ("CJK", "IDEOGRAPHIC"):
        return "HAN"
    return first if first in _SCRIPTS else None


def _words(identifier: str) -> Iterator[str]:
    """Letter runs, split at `_`, digits and lowerUpper case changes (`getData` -> get, Data)."""
    for run in _LETTER_RUN.findall(identifier):
        start = 0
        for i in range(1, len(run)):
            if run[i - 1].islower() and run[i].isupper():
                yield run[start:i]
                start = i
        yield run[start:]


def _confusable(identifier: str) -> str | None:
    """Why `identifier` is a mixed-script homoglyph, or None.

    Per word, the script with most letters is the word's own (Latin on a tie). A letter of
    another script is suspect when it imitates a letter of the word's script: a Cyrillic a in a
    Latin word, or a Latin e in a Cyrillic one. Greek capital delta + t (no look-alike), a Latin
    and a Cyrillic word joined by `_` (two words) and words in one script are not reported.
    """
    for word in _words(identifier):
        scripts = [_script(ch) for ch in word]
        counts: dict[str, int] = {}
        for script in scripts:
            if script is not None:
                counts[script] = counts.get(script, 0) + 1
        if len(counts) < 2:
            continue
        latin = counts.get("LATIN", 0)
        own = "LATIN" if latin >= max(counts.values()) else max(counts, key=lambda s: counts[s])
        mixed = " and ".join(sorted(counts))
        for ch, script in zip(word, scripts, strict=True):
            if script is None or script == own:
                continue
            if script != "LATIN" and ch in _LOOKALIKES:
                name = unicodedata.name(ch)
                return f"`{identifier}` mixes {mixed} letters: U+{ord(ch):04X} {name} looks like `{_LOOKALIKES[ch]}`."
            if script == "LATIN" and ch in _imitated(own):
                return f"`{identifier}` mixes {mixed} letters: the Latin `{ch}` looks like a {own.title()} letter."
    return None


@cache
def _imitated(script: str) -> frozenset[str]:
    """The Latin letters that a letter of `script` imitates (so they imitate it back)."""
    return frozenset(latin for other, latin in _LOOKALIKES.items() if _script(other) == script)


def _check_mixed_script(ctx: _FileContext) -> Iterator[_Hit]:
    if ctx.tree is None or ctx.source.isascii():
        return
    types = _IDENTIFIER_TYPES[ctx.language]
    root = ctx.tree.root_node
    verdicts: dict[str, str | None] = {}
    covered = 0  # the end of the last leaf looked at: a long comment or string is looked up once
    for m in _NON_ASCII_RUN.finditer(ctx.source):
        if m.start() < covered:
            continue
        if ctx.deadline.passed():
            return
        node = root.descendant_for_byte_range(m.start(), m.start() + 1)
        if node is None:
            continue
        covered = max(node.end_byte, m.end())
        if node.type not in types:
            continue
        text = ctx.text(node)
        if text not in verdicts:
            verdicts[text] = _confusable(text)
        why = verdicts[text]
        if why is not None:
            yield _Hit(node.start_byte, node.end_byte, why)


# --- high-entropy-credential: hard-coded secrets (CWE-798)

MIN_SECRET_LENGTH = 16
ENTROPY_THRESHOLD = 3.5  # bits per character
HEX_ENTROPY_THRESHOLD = 3.0  # a hex string has at most 4 bits per character

_CREDENTIAL_QUERIES = {
    "python": """
(assignment left: (_) @name right: (string) @value)
(pair key: (_) @name value: (string) @value)
(keyword_argument name: (identifier) @name value: (string) @value)
(default_parameter name: (identifier) @name value: (string) @value)
(typed_default_parameter name: (identifier) @name value: (string) @value)
(comparison_operator (_) @name (string) @value)
(comparison_operator (string) @value (_) @name)
""",
}
# A name holds a credential when one of its words (or two adjacent words joined) ends with one
# of these, or is one of the short forms ...
_SECRET_ENDINGS = (
    "password", "passwd", "passwort", "passphrase", "secret", "token", "apikey", "accesskey",
    "privatekey", "secretkey", "signingkey", "encryptionkey", "masterkey", "authkey", "sessionkey",
    "credential", "credentials",
)  # fmt: skip
_SECRET_WORDS = frozenset({"pwd", "pass", "auth", "creds", "bearer"})
# ... unless its last word says it holds something about the credential, not the credential.
_NOT_THE_SECRET = frozenset({
    "url", "uri", "urls", "endpoint", "host", "hostname", "path", "file", "filename", "dir", "name",
    "names", "type", "method", "mode", "header", "field", "param", "env", "var", "variable", "prefix",
    "suffix", "hint", "label", "id", "hdr", "headers", "length", "len", "size", "format", "pattern", "regex", "policy",
    "provider", "scheme", "kind", "backend", "version", "cls", "class", "expiry", "expires", "ttl",
    "timeout", "count", "enabled", "required", "hash", "hasher", "hashers", "help", "description",
    "title", "text", "message", "msg", "color", "colour",
})  # fmt: skip
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_URL_PASSWORD = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/\s:@]*):([^/\s@]+)@")
_PLACEHOLDER = re.compile(
    r"example|changeme|change_me|placeholder|dummy|redacted|your[_-]|xxx|\*\*\*|\.\.\.|<|>|\$\{|\{\{|%\(|%s|\{\}",
    re.IGNORECASE,
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_PATH = re.compile(r"^(?:/|\./|\.\./|~/|[A-Za-z]:[\\/]|\\\\)|^[\w.-]+(?:/[\w.-]+)+\.[A-Za-z0-9]{1,5}$")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_DOTTED_NAME = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
_PLAIN_WORDS = re.compile(r"^[A-Za-z][a-z]*(?:[-_.][A-Za-z][a-z]*)+$")  # Proxy-Authorization, bert-base
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_NAME_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def shannon_entropy(text: str) -> float:
    """Bits per character of `text`'s own character distribution."""
    if not text:
        return 0.0
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def is_secret_name(name: str) -> bool:
    """Whether a variable, attribute, key or parameter name says it holds a credential."""
    words = [w.lower() for w in _NAME_WORD.findall(name)]
    if not words or words[-1] in _NOT_THE_SECRET:
        return False
    candidates = words + [a + b for a, b in itertools.pairwise(words)]
    candidates += [c[:-1] for c in candidates if c.endswith("s")]  # plurals: tokens, passwords
    return any(c in _SECRET_WORDS or c.endswith(_SECRET_ENDINGS) for c in candidates)


def secret_value_reason(value: str) -> str | None:
    """Why a string literal's text looks like a real credential, or None. Never echoes the value."""
    url = _URL_PASSWORD.match(value)
    if url is not None:
        user, password = url.groups()
        if (
            len(password) >= 8
            and password != user
            and not password.isalpha()
            and not _PLACEHOLDER.search(password)
            and not password.startswith("$")
        ):
            return "a URL with an embedded password"
        return None
    if len(value) < MIN_SECRET_LENGTH or _URL.match(value) or any(ch.isspace() for ch in value):
        return None
    for not_secret in (_PLACEHOLDER, _UUID, _HEX_COLOUR, _PATH, _ENV_NAME, _DOTTED_NAME, _PLAIN_WORDS):
        if not_secret.search(value):
            return None
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value)))
    if classes < 2:
        return None
    entropy = shannon_entropy(value)
    threshold = HEX_ENTROPY_THRESHOLD if _HEX.match(value) else ENTROPY_THRESHOLD
    if entropy < threshold:
        return None
    return f"a {len(value)}-character string with {entropy:.1f} bits of entropy per character"


def _string_content(node: Node, source: bytes) -> str | None:
    """The text between a string literal's quotes, or None for f-strings and odd shapes."""
    if node.type != "string":
        return None
    children = node.children
    if len(children) < 2 or children[0].type != "string_start" or children[-1].type != "string_end":
        return None
    if any(c.type == "interpolation" for c in children):
        return None
    return source[children[0].end_byte : children[-1].start_byte].decode("utf-8", "replace")


def _binding_name(node: Node, source: bytes) -> str | None:
    if node.type == "identifier":
        return source[node.start_byte : node.end_byte].decode("utf-8", "replace")
    if node.type == "attribute":
        attr = node.child_by_field_name("attribute")
        return _binding_name(attr, source) if attr is not None else None
    if node.type == "subscript":
        key = node.child_by_field_name("subscript")
        return _string_content(key, source) if key is not None else None
    if node.type == "string":
        return _string_content(node, source)
    return None


def _check_credentials(ctx: _FileContext) -> Iterator[_Hit]:
    if ctx.tree is None:
        return
    for captures in ctx.matches(CHECKS["high-entropy-credential"].query(ctx.language)):
        name_node, value_node = captures["name"][0], captures["value"][0]
        parent = name_node.parent.type if name_node.parent is not None else ""
        if parent == "comparison_operator" and name_node.type == "string":
            continue  # two literals compared
        if parent == "pair" and name_node.type != "string":
            continue  # a dict keyed by a variable's value, not by a name
        name = _binding_name(name_node, ctx.source)
        value = _string_content(value_node, ctx.source)
        if name is None or value is None or len(name) > 100:
            continue
        reason = secret_value_reason(value)
        if reason is None:
            continue
        if not reason.startswith("a URL") and not is_secret_name(name):
            continue
        shown = name.replace("`", "'")
        yield _Hit(value_node.start_byte, value_node.end_byte, f"`{shown}` is bound to {reason}.")


# --- workflow-script-injection: GitHub Actions expressions expanded into scripts

_WORKFLOW_PAIRS = """
(block_mapping_pair key: (flow_node) @key value: (_) @value)
(flow_pair key: (flow_node) @key value: (_) @value)
"""
_EXPRESSION = re.compile(rb"\$\{\{(.*?)\}\}")
_INDEX = re.compile(r"""\[\s*['"]([\w-]+)['"]\s*\]|\[\s*(?:\d+|\*)\s*\]""")
_CONTEXT = re.compile(r"\bgithub\.(head_ref|event(?:\.[\w*-]+)*)")
# GitHub's list of event fields a pull request's, issue's or comment's author controls: any
# context ending in one of these names ("Understanding the risk of script injections").
_TAINTED_LEAVES = frozenset(
    {"body", "default_branch", "email", "head_ref", "label", "message", "name", "page_name", "ref", "title"}
)


_SCALARS = frozenset({"plain_scalar", "double_quote_scalar", "single_quote_scalar", "block_scalar"})


def _scalar_text(ctx: _FileContext, node: Node) -> str:
    return ctx.text(node).strip().strip("'\"")


def _tainted_context(expression: str) -> str | None:
    normal = _INDEX.sub(lambda m: "." + (m.group(1) or "*"), expression)
    normal = re.sub(r"\s*\.\s*", ".", normal)
    for m in _CONTEXT.finditer(normal):
        path = m.group(1)
        parts = path.split(".")
        if path == "head_ref" or parts == ["event"] or parts[-1] in _TAINTED_LEAVES:
            return "github." + path
    return None


def _github_script_step(pair: Node, ctx: _FileContext) -> bool:
    """Whether a `script:` pair is an input of an actions/github-script step."""
    node: Node | None = pair
    for _ in range(3):  # script pair -> with: mapping -> block_node -> with: pair
        node = node.parent if node is not None else None
    if node is None or node.type != "block_mapping_pair":
        return False
    key = node.child_by_field_name("key")
    step = node.parent
    if key is None or _scalar_text(ctx, key) != "with" or step is None:
        return False
    for sibling in step.named_children:
        if sibling.type != "block_mapping_pair":
            continue
        skey, svalue = sibling.child_by_field_name("key"), sibling.child_by_field_name("value")
        if skey is not None and svalue is not None and _scalar_text(ctx, skey) == "uses":
            return _scalar_text(ctx, svalue).startswith("actions/github-script@")
    return False


def _check_workflow_injection(ctx: _FileContext) -> Iterator[_Hit]:
    if ctx.tree is None:
        return
    for captures in ctx.matches(CHECKS["workflow-script-injection"].query(ctx.language)):
        key, value = captures["key"][0], captures["value"][0]
        name = _scalar_text(ctx, key)
        if name == "run":
            where = "`run:` script"
        elif name == "script" and _github_script_step(key.parent or key, ctx):
            where = "actions/github-script `script:`"
        else:
            continue
        if not any(c.type in _SCALARS for c in value.named_children):
            continue  # a mapping or list, not a script
        for m in _EXPRESSION.finditer(ctx.source, value.start_byte, value.end_byte):
            context = _tainted_context(m.group(1).decode("utf-8", "replace"))
            if context is not None:
                detail = f"`{context}` is attacker-controlled and is expanded into this {where}."
                yield _Hit(m.start(), m.end(), detail)


CHECKS: dict[str, _Check] = {
    check.name: check
    for check in (
        _Check("bidi-control", needs_tree=False, languages=None, run=_check_bidi),
        _Check("invisible-character", needs_tree=False, languages=None, run=_check_invisible),
        _Check(
            "mixed-script-identifier",
            needs_tree=True,
            languages=frozenset(_IDENTIFIER_TYPES),
            run=_check_mixed_script,
        ),
        _Check(
            "high-entropy-credential",
            needs_tree=True,
            languages=frozenset(_CREDENTIAL_QUERIES),
            run=_check_credentials,
            queries=_CREDENTIAL_QUERIES,
        ),
        _Check(
            "workflow-script-injection",
            needs_tree=True,
            languages=frozenset({"github-workflow"}),
            run=_check_workflow_injection,
            queries={"github-workflow": _WORKFLOW_PAIRS},
        ),
    )
}
