"""Every rule's fix leaves code on which no rule fires at that line.

Each match of the rules' test corpus (its `# ruleid:` cases: tests/test_rulesets_semgrep.py holds
semgrep to exactly those) that carries a fix gets it applied, the match's bytes replaced by the
fix text the scanner reported (what a ```suggestion block commits), each fix in its own copy of
the file; every fixed copy is then rescanned with the whole ruleset (semgrep and tree-sitter,
through reviewbot's scanners; one run each for all copies). A finding of any rule on the fixed
lines means the suggestion trades one finding for another (an MD5 password hash "fixed" into a
SHA-256 password hash is still a fast password hash).

A fix that changes nothing (semgrep reports the matched text itself as the fix when a rule's
`fix-regex` does not match) is no suggestion: reviewbot shows none, which is checked too.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewbot.cli.main import main
from reviewbot.scanners.interface import RawMatch, Scanner
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules
from reviewbot.scanners.semgrep import SemgrepScanner
from reviewbot.scanners.treesitter import TreeSitterScanner
from tests.conftest import Repo

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted(
    p
    for language, suffix in (("python", ".py"), ("javascript", ".js"))
    for folder in (REPO_ROOT / "rulesets" / "semgrep" / language, REPO_ROOT / "rulesets" / "treesitter" / language)
    for p in folder.glob(f"*{suffix}")
    if not p.name.endswith(f".fixed{suffix}")
)


@dataclass(frozen=True)
class Fixed:
    rule_id: str
    source: str  # corpus file
    line: int  # the match's line in the corpus file
    target: str  # the fixed copy, relative to the scan root
    first: int  # the lines of the fixed copy the fix occupies
    last: int
    text: str


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


@pytest.fixture(scope="module")
def scanners() -> list[Scanner]:
    return [SemgrepScanner(load_rules(builtin_rules_dir())), TreeSitterScanner()]


def scan_all(scanners: list[Scanner], root: Path, targets: list[str]) -> list[tuple[Scanner, RawMatch]]:
    return [(s, m) for s in scanners for m in s.scan(root, targets).matches]


def test_every_fix_leaves_no_finding_on_its_lines(scanners: list[Scanner], tmp_path: Path) -> None:
    original = tmp_path / "original"
    original.mkdir()
    for p in CORPUS:
        shutil.copyfile(p, original / p.name)
    sources = {p.name: p.read_bytes() for p in CORPUS}
    found = scan_all(scanners, original, sorted(sources))

    fixed_root = tmp_path / "fixed"
    fixed_root.mkdir()
    fixes: list[Fixed] = []
    fixable_rules: set[str] = set()
    for scanner, m in found:
        info = scanner.rule(m.rule_id)
        assert info is not None, m.rule_id
        data = sources[m.path]
        if m.fix is None or m.fix.encode() == data[m.start_byte : m.end_byte]:
            continue
        fixable_rules.add(info.id)
        new = data[: m.start_byte] + m.fix.encode() + data[m.end_byte :]
        target = f"{Path(m.path).stem}__{len(fixes)}{Path(m.path).suffix}"
        (fixed_root / target).write_bytes(new)
        first = line_of(new, m.start_byte)
        last = line_of(new, m.start_byte + len(m.fix.encode()))
        fixes.append(Fixed(info.id, m.path, m.start_line, target, first, last, m.fix))
    assert fixes, "no rule in the corpus has a fix: the test would check nothing"
    assert {f.rule_id for f in fixes} >= {"python.hash.weak-hash-hashlib", "python.tls.requests-verify-disabled"}
    assert {f.rule_id for f in fixes} >= {
        "javascript.tls.reject-unauthorized-disabled",
        "javascript.xxe.libxmljs-noent",
    }

    after: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for scanner, m in scan_all(scanners, fixed_root, [f.target for f in fixes]):
        info = scanner.rule(m.rule_id)
        after[m.path].append((info.id if info else m.rule_id, m.start_line, m.end_line))
    failures = [
        f"{f.source}:{f.line} {f.rule_id} fix {f.text!r} -> {rule} fires at line {start}"
        for f in fixes
        for rule, start, end in after[f.target]
        if start <= f.last and f.first <= end
    ]
    assert not failures, "fixes that leave a finding on their lines:\n" + "\n".join(failures)


def test_a_fix_that_changes_nothing_is_not_suggested(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    # cookie-without-secure's fix-regex rewrites `secure=False`; this call has no such argument.
    repo.write(
        "app.py", 'from flask import make_response\nresp = make_response("ok")\nresp.set_cookie("theme", "dark")\n'
    )
    repo.commit("cookie")
    monkeypatch.chdir(repo.root)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["scan", "--all", "--no-model", "--format", "json"]) == 0
    cookies = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("python.securecookie.")]
    assert {f["rule_id"] for f in cookies} >= {"python.securecookie.cookie-without-secure"}
    assert [f["fix"] for f in cookies] == [None] * len(cookies)
