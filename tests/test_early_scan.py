"""`scan` starts semgrep on the change before the review asks for it (review.scan.EarlyScanner):
the review then gets that scan's output, and anything it asks for otherwise is scanned afresh."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from reviewbot.change.changes import from_base
from reviewbot.change.git import GitRepo
from reviewbot.finding import Scanner as ScannerKind
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.review.scan import EarlyScanner, scan_change
from reviewbot.scanners.interface import RawMatch, Scanner, ScanOutput
from reviewbot.scanners.rulesets import RuleInfo, load_rules
from reviewbot.scanners.semgrep import Engine, SemgrepScanner
from tests.conftest import Repo

RULES = Path(__file__).parent / "data" / "rules"
CALL = 'requests.get("u", verify=False)\n'


class Recording(Scanner):
    """Reports line 1 of every target; records each call (kind of call, targets, followups)."""

    kind = ScannerKind.SEMGREP

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str], dict[str, str]]] = []
        self.called = threading.Event()

    def accepts(self, language: str) -> bool:
        return language == "python"

    def rule(self, reported_id: str) -> RuleInfo | None:
        return None

    def rule_count(self) -> int:
        return 1

    def scan(self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]] | None = None) -> ScanOutput:
        self.calls.append(("scan", list(targets), {}))
        self.called.set()
        return ScanOutput([RawMatch("r", t, 1, 1, 0, 1, 2, 1, (root / t).read_text()) for t in targets])

    def scan_pairs(self, root: Path, targets: list[str], followups: Mapping[str, str]) -> tuple[ScanOutput, ScanOutput]:
        self.calls.append(("pairs", list(targets), dict(followups)))
        self.called.set()
        head = self.scan(root, targets)
        return head, self.scan(root, [followups[t] for t in targets if t in followups])


def _change(repo: Repo) -> GitRepo:
    repo.write("a.py", "import requests\n" + CALL)
    repo.write("b.js", "x\n")
    repo.commit("base")
    repo.write("a.py", "import requests\n\n" + CALL + CALL)
    repo.write("c.py", CALL)
    repo.commit("change")
    return GitRepo(repo.root)


def test_the_scan_starts_before_the_review_asks_and_is_the_one_reported(repo: Repo) -> None:
    change = from_base(_change(repo), "HEAD~1")
    inner = Recording()
    early = EarlyScanner(inner, change, with_base=True)
    assert inner.called.wait(30), "the early scan did not start on its own"
    outputs = scan_change(change, [early], with_base=True)
    assert inner.calls[0] == ("pairs", ["head/a.py", "head/c.py"], {"head/a.py": "base/a.py"})
    assert [c[0] for c in inner.calls] == ["pairs", "scan", "scan"]  # nothing scanned a second time
    assert outputs == scan_change(change, [Recording()], with_base=True)  # what a plain scan gives


def test_another_layout_is_scanned_afresh(repo: Repo) -> None:
    change = from_base(_change(repo), "HEAD~1")
    inner = Recording()
    early = EarlyScanner(inner, change, with_base=True)
    assert inner.called.wait(30)
    outputs = scan_change(change, [early], with_base=False)  # not the scan it started
    assert inner.calls[-1] == ("scan", ["head/a.py", "head/c.py"], {})
    assert outputs == scan_change(change, [Recording()], with_base=False)
    held = scan_change(change, [early], with_base=True, held_back={"semgrep": frozenset({"c.py"})})
    assert inner.calls[-3] == ("pairs", ["head/a.py"], {"head/a.py": "base/a.py"})
    assert [m.path for m in held[0].matches] == ["head/a.py", "base/a.py"]  # c.py held back


def test_a_review_with_an_early_semgrep_finds_what_it_finds_without(repo: Repo) -> None:
    change = from_base(_change(repo), "HEAD~1")
    rules = load_rules(RULES)

    def findings(scanner: Scanner) -> list[tuple[str, int, str, str]]:
        result = run_review(change, [scanner], ReviewOptions())
        return sorted((f.path, f.start_line, f.rule_id, f.disposition.value) for f in result.findings)

    plain = findings(SemgrepScanner(rules, engine=Engine.FAST, jobs=1))
    early = findings(EarlyScanner(SemgrepScanner(rules, engine=Engine.FAST, jobs=1), change, with_base=True))
    assert early == plain
    assert [(p, line, d) for p, line, _, d in plain] == [
        ("a.py", 3, "preexisting"),
        ("a.py", 4, "reported"),
        ("c.py", 1, "reported"),
    ]
