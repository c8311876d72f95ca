"""New-only scans a file's base version only with the scanners and rules that matched its head."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from reviewbot.changes import from_base
from reviewbot.finding import Disposition
from reviewbot.git import GitRepo
from reviewbot.review import ReviewOptions, run_review
from reviewbot.rulesets import load_rules
from reviewbot.scanners.interface import ScanOutput
from reviewbot.scanners.semgrep import Engine, SemgrepScanner
from reviewbot.scanners.treesitter import TreeSitterScanner
from tests.conftest import Repo

RULES = Path(__file__).parent / "data" / "rules"
CALL = 'requests.get("u", verify=False)\n'


class Recording(SemgrepScanner):
    def __init__(self) -> None:
        super().__init__(load_rules(RULES), engine=Engine.FAST)
        self.calls: list[tuple[list[str], dict[str, frozenset[str]] | None]] = []

    def scan(self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]] | None = None) -> ScanOutput:
        self.calls.append((list(targets), None if only is None else dict(only)))
        return super().scan(root, targets, only)


class RecordingTrees(TreeSitterScanner):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []

    def scan(self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]] | None = None) -> ScanOutput:
        self.calls.append(list(targets))
        return super().scan(root, targets, only)


def test_only_the_rules_that_matched_the_head_run_on_the_base(repo: Repo) -> None:
    repo.write("old.py", "import requests\n" + CALL)
    repo.write("clean.py", "x = 1\n")
    repo.commit("base")
    repo.write("old.py", "import requests\n\n" + CALL + CALL)  # one preexisting, one new
    repo.write("clean.py", "x = 2\n")
    repo.write("new.py", "import requests\n" + CALL)  # no base version
    repo.commit("change")
    change = from_base(GitRepo(repo.root), "HEAD~1")
    semgrep, trees = Recording(), RecordingTrees()
    result = run_review(change, [semgrep, trees], ReviewOptions())
    head, base = semgrep.calls
    assert head == (["head/clean.py", "head/new.py", "head/old.py"], None)
    assert base[0] == ["base/old.py"] and base[1] is not None
    ((target, rules),) = base[1].items()
    assert target == "base/old.py" and {getattr(semgrep.rule(r), "id", r) for r in rules} == {
        "test.tls.verify-disabled"
    }
    assert trees.calls[1] == []  # the tree-sitter rules found nothing on the head: no base scan
    dispositions = sorted((f.path, f.start_line, f.disposition) for f in result.findings)
    assert dispositions == [
        ("new.py", 2, Disposition.REPORTED),
        ("old.py", 3, Disposition.PREEXISTING),
        ("old.py", 4, Disposition.REPORTED),
    ]
