"""New-only scans a file's base version only with the scanners and rules that matched its head,
and semgrep starts on it as soon as the head's group is done; a small change's base versions go
in their heads' semgrep process instead, with the same findings."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from reviewbot.change.changes import Change, from_base
from reviewbot.change.git import GitRepo
from reviewbot.finding import Disposition
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.scanners import semgrep_plan
from reviewbot.scanners.interface import ScanOutput
from reviewbot.scanners.rulesets import load_rules
from reviewbot.scanners.semgrep import Engine, SemgrepScanner
from reviewbot.scanners.treesitter import TreeSitterScanner
from tests.conftest import Repo

RULES = Path(__file__).parent / "data" / "rules"
CALL = 'requests.get("u", verify=False)\n'


class RecordingTrees(TreeSitterScanner):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []

    def scan(self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]] | None = None) -> ScanOutput:
        self.calls.append(list(targets))
        return super().scan(root, targets, only)


def _recording_runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], set[str]]]:
    """Every semgrep run: its targets and the rule ids of its config."""
    runs: list[tuple[list[str], set[str]]] = []
    real = SemgrepScanner._scan_part

    def recording(
        self: SemgrepScanner, root: Path, files: list[str], config: Path, jobs: int, packed: bool = False
    ) -> Any:
        runs.append((list(files), {r["id"] for r in json.loads(config.read_bytes())["rules"]}))
        return real(self, root, files, config, jobs, packed)

    monkeypatch.setattr(SemgrepScanner, "_scan_part", recording)
    return runs


def _change(repo: Repo) -> Change:
    repo.write("old.py", "import requests\n" + CALL)
    repo.write("clean.py", "x = 1\n")
    repo.commit("base")
    repo.write("old.py", "import requests\n\n" + CALL + CALL)  # one preexisting, one new
    repo.write("clean.py", "x = 2\n")
    repo.write("new.py", "import requests\n" + CALL)  # no base version
    repo.commit("change")
    return from_base(GitRepo(repo.root), "HEAD~1")


EXPECTED = [
    ("new.py", 2, Disposition.REPORTED),
    ("old.py", 3, Disposition.PREEXISTING),
    ("old.py", 4, Disposition.REPORTED),
]


def test_only_the_rules_that_matched_the_head_run_on_the_base(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    change = _change(repo)
    monkeypatch.setattr(semgrep_plan, "INLINE_BASE_BYTES", 0)  # as for a change too big to inline
    runs = _recording_runs(monkeypatch)
    trees = RecordingTrees()
    semgrep = SemgrepScanner(load_rules(RULES), engine=Engine.FAST, jobs=1)  # one process per group
    result = run_review(change, [semgrep, trees], ReviewOptions())
    assert runs == [
        (["head/clean.py", "head/new.py", "head/old.py"], {"test.cmdi.request-to-shell", "test.tls.verify-disabled"}),
        (["base/old.py"], {"test.tls.verify-disabled"}),
    ]
    assert trees.calls == [["head/clean.py", "head/new.py", "head/old.py"]]  # no tree-sitter match: no base scan
    assert sorted((f.path, f.start_line, f.disposition) for f in result.findings) == EXPECTED


def test_a_small_changes_base_versions_are_scanned_beside_their_heads(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    change = _change(repo)
    runs = _recording_runs(monkeypatch)
    semgrep = SemgrepScanner(load_rules(RULES), engine=Engine.FAST, jobs=1)
    result = run_review(change, [semgrep, TreeSitterScanner()], ReviewOptions())
    heads = ["head/clean.py", "head/new.py", "head/old.py"]
    assert runs == [
        ([*heads, "base/clean.py", "base/old.py"], {"test.cmdi.request-to-shell", "test.tls.verify-disabled"})
    ]
    assert sorted((f.path, f.start_line, f.disposition) for f in result.findings) == EXPECTED
    assert result.notes == []


def test_an_inline_base_with_a_warning_gets_its_own_followup_scan(tmp_path: Path) -> None:
    for side in ("head", "base"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "a.py").write_text("import requests\n" + CALL)
    (tmp_path / "base" / "a.py").write_text("import requests\n" + CALL + "def f(:\n    x = (\n")
    scanner = SemgrepScanner(load_rules(RULES), engine=Engine.FAST, jobs=1)
    inline = scanner.scan_pairs(tmp_path, ["head/a.py"], {"head/a.py": "base/a.py"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(semgrep_plan, "INLINE_BASE_BYTES", 0)
        apart = scanner.scan_pairs(tmp_path, ["head/a.py"], {"head/a.py": "base/a.py"})
    assert inline == apart
    assert [(m.path, m.start_line) for m in inline[0].matches] == [("head/a.py", 2)]
    assert [w.path for w in inline[1].warnings] == ["base/a.py"], "the base's own followup scan reports its error"


def test_inline_followups_are_cached_as_narrowed_scans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for side in ("head", "base"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "a.py").write_text("import requests\n" + CALL)
    scanner = SemgrepScanner(load_rules(RULES), engine=Engine.FAST, jobs=1, cache_dir=tmp_path / "cache")
    first = scanner.scan_pairs(tmp_path, ["head/a.py"], {"head/a.py": "base/a.py"})
    runs = _recording_runs(monkeypatch)
    assert scanner.scan_pairs(tmp_path, ["head/a.py"], {"head/a.py": "base/a.py"}) == first
    assert runs == []  # the head and its followup both came from the cache


def test_a_base_version_is_scanned_while_other_head_groups_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text(
        (RULES / "test-rules.yaml").read_text().replace("      rationale: An attacker can run commands.\n",
                                                        "      rationale: An attacker can run commands.\n"
                                                        "      requires-text: flask\n")
    )  # fmt: skip
    work = tmp_path / "work"
    for side in ("head", "base"):
        (work / side).mkdir(parents=True)
        (work / side / "a.py").write_text("import requests\n" + CALL)  # the always-on rule only
        (work / side / "b.py").write_text("import flask\n")  # also gets the prefiltered rule
    base_started = threading.Event()
    real = SemgrepScanner._scan_part

    def gated(self: SemgrepScanner, root: Path, files: list[str], config: Path, jobs: int, packed: bool = False) -> Any:
        if files == ["base/a.py"]:
            base_started.set()
        elif files == ["head/b.py"]:  # a slow head group: it waits for a.py's base scan to start
            assert base_started.wait(30), "the base scan waited for every head group"
        return real(self, root, files, config, jobs, packed)

    monkeypatch.setattr(SemgrepScanner, "_scan_part", gated)
    scanner = SemgrepScanner(load_rules(rules), engine=Engine.FAST, jobs=2)
    head, base = scanner.scan_pairs(
        work, ["head/a.py", "head/b.py"], {"head/a.py": "base/a.py", "head/b.py": "base/b.py"}
    )
    assert [(m.path, m.start_line) for m in head.matches] == [("head/a.py", 2)]
    assert [(m.path, m.start_line) for m in base.matches] == [("base/a.py", 2)]
    assert head.warnings == base.warnings == []
