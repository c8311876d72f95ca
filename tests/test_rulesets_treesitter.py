"""The shipped tree-sitter rules: each validates, has a test file, and matches exactly as annotated.

Same convention as `semgrep --test`: in `rulesets/treesitter/<language>/<name>.py` (`.yml` for
workflows), `# ruleid: <id>` says the next line must match the rule and `# ok: <id>` that it
must not (`{# ruleid: <id> #}` in a template's `.html` test file, and in the comments of
`.ejs`, `.pug`, `.hbs` and `.vue` test files: `<%# %>`, `//-`, `{{! }}`, `<!-- -->`). A workflow test file is
scanned from `.github/workflows/`, where workflows live.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reviewbot.scanners.treesitter import TreeSitterScanner, builtin_rules_dir, load_rules
from reviewbot.scanners.ts_checks import CHECKS

REPO_ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = REPO_ROOT / "rulesets" / "treesitter"
TEST_SUFFIXES = {
    "python": ".py",
    "github-workflow": ".yml",
    "template": ".html",
    "javascript": ".js",
    "ejs": ".ejs",
    "pug": ".pug",
    "handlebars": ".hbs",
    "vue": ".vue",
}
# `# `, `// `, Pug `//- `, Jinja `{# #}`, EJS `<%# %>`, Handlebars `{{! }}`, HTML `<!-- -->`
ANNOTATION = re.compile(r"^\s*(?:#|//-?|\{#|<%#|\{\{!|<!--)\s*(ruleid|ok):\s*(.+?)\s*(?:#\}|%>|\}\}|-->)?\s*$")

RULE_FILES = sorted(RULES_DIR.rglob("*.yaml"))


def test_the_builtin_folder_is_the_source_tree_one() -> None:
    assert builtin_rules_dir() == RULES_DIR


def test_every_rule_validates_and_has_a_test_file() -> None:
    rules = load_rules(RULES_DIR)
    assert len(rules) == len(RULE_FILES) >= 6
    for rule in rules.values():
        test_file = (RULES_DIR / rule.info.source).with_suffix(TEST_SUFFIXES[rule.language])
        assert test_file.is_file(), f"{rule.info.source} has no test file beside it ({test_file.name})"
        assert rule.info.id.startswith(f"{rule.language}.{rule.info.category}."), rule.info.id
        assert rule.info.cwe and rule.info.owasp and rule.info.rationale


def test_every_built_in_check_query_compiles() -> None:
    # Loading the rules no longer compiles them (a scan compiles those of its files' languages).
    compiled = [
        (check.name, language, check.query(language)) for check in CHECKS.values() for language in check.queries
    ]
    assert len(compiled) >= 11
    assert all(query.pattern_count > 0 for _, _, query in compiled)


def test_the_promised_rules_exist() -> None:
    ids = set(load_rules(RULES_DIR))
    assert {
        "python.trojansource.bidi-control-character",
        "python.trojansource.invisible-character",
        "python.trojansource.mixed-script-identifier",
        "python.secrets.high-entropy-credential",
        "github-workflow.cmdi.script-injection",
        "javascript.trojansource.bidi-control-character",
        "javascript.trojansource.invisible-character",
        "javascript.trojansource.mixed-script-identifier",
        "javascript.secrets.high-entropy-credential",
        "javascript.authz.missing-auth-sibling",
        "javascript.authz.client-route-without-guard",
    } <= ids


def annotated_lines(text: str) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(must match, must not match) as (rule id, 1-based line) pairs."""
    expected: set[tuple[str, int]] = set()
    forbidden: set[tuple[str, int]] = set()
    pending: list[tuple[str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        found = ANNOTATION.match(line)
        if found:
            pending += [(found.group(1), rule_id.strip()) for rule_id in found.group(2).split(",")]
            continue
        for kind, rule_id in pending:
            (expected if kind == "ruleid" else forbidden).add((rule_id, number))
        pending = []
    assert not pending, "an annotation at the end of the file annotates nothing"
    return expected, forbidden


@pytest.fixture(scope="module")
def scanner() -> TreeSitterScanner:
    return TreeSitterScanner(RULES_DIR)


@pytest.mark.parametrize("rule_file", RULE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_rule_matches_exactly_its_annotations(rule_file: Path, scanner: TreeSitterScanner, tmp_path: Path) -> None:
    language = rule_file.parent.name
    test_file = rule_file.with_suffix(TEST_SUFFIXES[language])
    target = f".github/workflows/{test_file.name}" if language == "github-workflow" else test_file.name
    _matches_exactly_its_annotations(rule_file, test_file, target, scanner, tmp_path)


@pytest.mark.parametrize("suffix", [".ts", ".tsx", ".mjs"])
@pytest.mark.parametrize("rule_file", sorted((RULES_DIR / "javascript").glob("*.yaml")), ids=lambda p: p.stem)
def test_a_javascript_rule_matches_the_same_lines_in_typescript_and_tsx(
    rule_file: Path, suffix: str, scanner: TreeSitterScanner, tmp_path: Path
) -> None:
    # The JavaScript test files are valid TypeScript and TSX: the TypeScript grammars' own queries
    # (class fields, typed parameters) must find what the JavaScript one finds.
    test_file = rule_file.with_suffix(".js")
    _matches_exactly_its_annotations(rule_file, test_file, test_file.stem + suffix, scanner, tmp_path)


def _matches_exactly_its_annotations(
    rule_file: Path, test_file: Path, target: str, scanner: TreeSitterScanner, tmp_path: Path
) -> None:
    rule_id = next(r.info.id for r in scanner.rules.values() if RULES_DIR / r.info.source == rule_file)
    (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(test_file, tmp_path / target)

    out = scanner.scan(tmp_path, [target])

    assert not out.warnings, out.warnings
    expected, forbidden = annotated_lines(test_file.read_text(encoding="utf-8"))
    assert {rid for rid, _ in expected | forbidden} == {rule_id}, "annotations must name this file's rule"
    assert expected, f"{test_file.name} has no `ruleid:` annotation"
    assert forbidden, f"{test_file.name} has no `ok:` annotation"
    matched = {(m.rule_id, m.start_line) for m in out.matches if m.rule_id == rule_id}
    missing = sorted(line for _, line in expected - matched)
    unexpected = sorted(line for _, line in matched - expected)
    on_ok_lines = sorted(line for _, line in matched & forbidden)
    assert not on_ok_lines, f"{rule_id} matched lines marked ok: {on_ok_lines}"
    assert not missing, f"{rule_id} did not match annotated lines {missing}"
    assert not unexpected, f"{rule_id} matched lines without a ruleid annotation: {unexpected}"
    for m in out.matches:
        assert m.path == target
        assert m.start_col >= 1 and m.end_col >= 1 and m.start_byte < m.end_byte
        assert (m.start_line, m.start_col) <= (m.end_line, m.end_col)


def test_a_secret_is_never_in_a_message(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    test_file = RULES_DIR / "python" / "high-entropy-credential.py"
    shutil.copyfile(test_file, tmp_path / "creds.py")
    source = (tmp_path / "creds.py").read_bytes()
    out = scanner.scan(tmp_path, ["creds.py"])
    secrets = [m for m in out.matches if m.rule_id == "python.secrets.high-entropy-credential"]
    assert secrets
    for m in secrets:
        literal = source[m.start_byte : m.end_byte].decode()
        assert literal[0] in "\"'" and literal[-1] in "\"'", "the reported span is the string literal"
        assert literal.strip("\"'") not in m.message
        assert literal.strip("\"'")[:8] not in m.message
