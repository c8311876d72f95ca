"""The tree-sitter scanner: reviewbot's own rules, run in-process on bytes, every step bounded.

Rules live one per file in `rulesets/treesitter/<language>/<name>.yaml`, with the metadata every
reviewbot rule carries (see docs/treesitter-rules.md; loaded by `ts_rules`) and either

* `query:` — a tree-sitter query; the capture `@match` is the reported span, and `#eq?`,
  `#match?`, `#any-of?` (and their `not-`/`any-` forms) filter on capture text; or
* `check:` — the name of a built-in check (`ts_checks`), for what a query cannot express:
  characters the grammar does not see (Trojan Source), scripts of identifier letters, the
  randomness of a string, the expressions inside a workflow script.

Hostile input costs a note, never a hang or a crash. Per file, in this order:

1. too big (`max_file_bytes`), not UTF-8, or nested deeper than `MAX_NESTING` brackets: only the
   byte-level checks run (they are linear scans of the bytes), with a warning;
2. the parse is bounded by `syntax.PARSE_BUDGET_SECONDS`; a cut-off parse is a warning and
   byte-level checks only; a tree with syntax errors is a warning and the rules run on
   tree-sitter's error-recovered tree;
3. the rules on one file share `RULES_BUDGET_SECONDS`: queries run in `QUERY_CHUNK_BYTES` byte
   ranges with a `match_limit`, the clock read between ranges (not through tree-sitter's query
   progress callback, which crashes py-tree-sitter 0.26.1: see `ts_file.FileContext.matches`),
   checks read the clock as they go, and each rule stops after `MAX_MATCHES_PER_RULE` matches;
4. any exception while scanning a file becomes a warning on that file; the other files are
   scanned as usual. The whole scan stops starting new files after `scan_budget_seconds`.

Only an unloadable rule set raises (`ScannerError`; a malformed rule is a `ConfigError` naming
the file and rule).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewbot.finding import Scanner as ScannerKind
from reviewbot.lang import syntax
from reviewbot.lang.languages import language_of
from reviewbot.scanners.interface import RawMatch, Scanner, ScanOutput, ScanWarning
from reviewbot.scanners.rulesets import RuleInfo
from reviewbot.scanners.ts_checks.credentials import is_secret_name, secret_value_reason, shannon_entropy
from reviewbot.scanners.ts_file import Deadline, FileContext, Hit
from reviewbot.scanners.ts_parse import PARSED_BY_SYNTAX, max_nesting, parse_bounded
from reviewbot.scanners.ts_rules import TreeSitterRule, builtin_rules_dir, load_rules

if TYPE_CHECKING:
    from tree_sitter import Tree

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_MATCHES_PER_RULE",
    "MAX_NESTING",
    "QUERY_CHUNK_BYTES",
    "QUERY_MATCH_LIMIT",
    "RULES_BUDGET_SECONDS",
    "SCAN_BUDGET_SECONDS",
    "TreeSitterRule",
    "TreeSitterScanner",
    "builtin_rules_dir",
    "is_secret_name",
    "load_rules",
    "secret_value_reason",
    "shannon_entropy",
]

# ---------------------------------------------------------------------------------------------
# Bounds (documented in docs/treesitter-rules.md)

MAX_FILE_BYTES = 1_000_000  # larger files: byte-level checks only
MAX_NESTING = 200  # bracket depth (CPython itself refuses more than 200 nested parentheses)
RULES_BUDGET_SECONDS = 2.0  # all tree rules on one file
SCAN_BUDGET_SECONDS = 300.0  # the whole scan: later files are skipped with a note
QUERY_MATCH_LIMIT = 1024  # tree-sitter's cap on in-progress matches of one query
QUERY_CHUNK_BYTES = 64 * 1024  # a query runs on byte ranges this big, checking the clock between
MAX_MATCHES_PER_RULE = 100  # per file; more is noise, and work


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
            for language in rule.info.languages:  # a javascript/ rule may run on typescript too
                self._by_language.setdefault(language, []).append(rule)

    def accepts(self, language: str) -> bool:
        return language in self._by_language

    def rule(self, reported_id: str) -> RuleInfo | None:
        rule = self.rules.get(reported_id)
        return rule.info if rule is not None else None

    def rule_count(self) -> int:
        return len(self.rules)

    def rule_ids(self) -> frozenset[str]:
        return frozenset(self.rules)

    def scan(self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]] | None = None) -> ScanOutput:
        # `only` is not used: the rules run in-process and share one parse per file, so running
        # fewer of them would save little.
        out = ScanOutput()
        scan_deadline = Deadline(self.scan_budget_seconds)
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
        deadline = Deadline(RULES_BUDGET_SECONDS)
        ctx = FileContext(target, language, source, tree, deadline, QUERY_CHUNK_BYTES, QUERY_MATCH_LIMIT)
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
        depth = max_nesting(source, MAX_NESTING)
        if depth > MAX_NESTING:
            return f"brackets nested more than {MAX_NESTING} deep"
        return None

    def _parse(self, source: bytes, language: str, parsers: dict[str, Any]) -> tuple[Tree | None, str | None]:
        budget = syntax.PARSE_BUDGET_SECONDS
        if language in PARSED_BY_SYNTAX:
            parsed = syntax.parse(source, language)
            tree = parsed.tree if parsed is not None else None
        else:
            tree = parse_bounded(source, language, parsers, budget)
        if tree is None:
            return None, f"parsing took longer than {budget:g} s"
        if tree.root_node.end_byte > len(source):  # a parser that resumed someone else's input
            return None, "the parser returned a tree for other input"
        return tree, None

    @staticmethod
    def _run_rule(rule: TreeSitterRule, ctx: FileContext) -> tuple[list[Hit], bool]:
        if rule.check is not None:
            produced: Iterator[Hit] = rule.check.run(ctx)
        else:
            assert rule.query is not None
            produced = (
                Hit(node.start_byte, node.end_byte)
                for captures in ctx.matches(rule.query)
                for node in captures.get("match", [])[:1]
            )
        hits: list[Hit] = []
        seen: set[tuple[int, int]] = set()
        for hit in produced:
            if (hit.start_byte, hit.end_byte) in seen:
                continue
            if len(hits) == MAX_MATCHES_PER_RULE:
                return hits, True
            seen.add((hit.start_byte, hit.end_byte))
            hits.append(hit)
        return hits, False


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


def _raw_match(rule: TreeSitterRule, target: str, hit: Hit, lines: _Lines) -> RawMatch:
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
