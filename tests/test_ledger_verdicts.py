"""The ledger's verdicts are a stage of every review: `triage mark` then the same scan again.

A dismissal (false_positive, accepted_risk, wont_fix) marks the finding `triaged` with the
verdict's reason; a true_positive keeps it reported; the latest verdict per fingerprint wins.
The ledger is read from the trusted side of the change (see tests/hardening/test_trusted_side.py
for a change that brings its own verdicts).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from tests.conftest import Repo
from tests.github.conftest import NUMBER, REPO, Checkout, Env, pull_request_event
from tests.github.fake_github import FakeGitHub
from tests.hardening.test_trusted_side import APP, LEDGER_LINE, RULE, model_with_edited_card


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _finding(root: Path, *what: str) -> dict[str, Any]:
    code, out, err = _run("scan", "--repo", str(root), *what, "--format", "json")
    assert code == 0, err
    (finding,) = [f for f in json.loads(out)["findings"] if f["rule_id"] == RULE]
    return dict(finding)


def _mark(fp: str, verdict: str = "false_positive", reason: str = "test host") -> None:
    code, _, err = _run("triage", "mark", fp, "--verdict", verdict, "--reason", reason, "--who", "ada")
    assert code == 0, err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_git: None) -> Repo:
    root = tmp_path / "repo"
    root.mkdir()
    r = Repo(root)
    r.write("README.md", "service\n")
    r.commit("base")
    monkeypatch.chdir(root)  # `triage mark` writes the ledger of the repository it runs in
    return r


def _setup(mode: str, repo: Repo, tmp_path: Path) -> list[str]:
    if mode == "base":
        repo.git("checkout", "-q", "-b", "feature")
        repo.write("app.py", APP)
        repo.commit("feature")
        return ["--base", "main"]
    repo.write("app.py", APP)
    if mode == "staged":
        repo.git("add", "app.py")
        return ["--staged"]
    if mode == "all":
        return ["--all"]
    repo.git("add", "app.py")
    patch = tmp_path / "change.patch"
    patch.write_text(repo.git("diff", "--cached"))
    repo.git("rm", "-q", "--cached", "app.py")
    (repo.root / "app.py").unlink()
    return ["--diff", str(patch)]


@pytest.mark.parametrize("mode", ["all", "staged", "diff"])
def test_a_marked_false_positive_is_triaged_in_the_next_scan(mode: str, repo: Repo, tmp_path: Path) -> None:
    what = _setup(mode, repo, tmp_path)
    first = _finding(repo.root, *what)
    assert first["disposition"] == "reported"
    _mark(first["fingerprint"])
    again = _finding(repo.root, *what)
    assert again["disposition"] == "triaged"
    assert re.fullmatch(r"false positive \(ada, cli, \d{4}-\d\d-\d\d\): test host", again["disposition_reason"])
    code, _, err = _run("scan", "--repo", str(repo.root), *what, "--fail-on", "high")
    assert code == 0, err


def test_with_base_the_verdict_applies_once_it_is_on_the_merge_base(repo: Repo, tmp_path: Path) -> None:
    what = _setup("base", repo, tmp_path)
    fp = _finding(repo.root, *what)["fingerprint"]
    _mark(fp)  # the ledger is now edited in the branch's working copy: not the trusted side
    assert _finding(repo.root, *what)["disposition"] == "reported"
    ledger = (repo.root / ".reviewbot" / "triage.jsonl").read_text()
    (repo.root / ".reviewbot" / "triage.jsonl").unlink()
    repo.git("checkout", "-q", "main")
    repo.write(".reviewbot/triage.jsonl", ledger)
    repo.commit("triage on main")
    repo.git("checkout", "-q", "feature")
    repo.git("rebase", "-q", "main")
    again = _finding(repo.root, *what)
    assert again["disposition"] == "triaged" and again["disposition_reason"].endswith(": test host")


@pytest.mark.parametrize("verdict", ["accepted_risk", "wont_fix"])
def test_every_dismissal_triages(verdict: str, repo: Repo, tmp_path: Path) -> None:
    what = _setup("all", repo, tmp_path)
    _mark(_finding(repo.root, *what)["fingerprint"], verdict, "tracked in SEC-1")
    again = _finding(repo.root, *what)
    assert again["disposition"] == "triaged" and again["disposition_reason"].endswith(": tracked in SEC-1")


def test_the_latest_verdict_wins(repo: Repo, tmp_path: Path) -> None:
    what = _setup("all", repo, tmp_path)
    fp = _finding(repo.root, *what)["fingerprint"]
    _mark(fp)
    _mark(fp, "true_positive", "")
    assert _finding(repo.root, *what)["disposition"] == "reported"
    _mark(fp, "false_positive", "really a test host")
    assert _finding(repo.root, *what)["disposition_reason"].endswith(": really a test host")


def test_a_true_positive_is_shown_although_the_model_demotes_it(repo: Repo, tmp_path: Path) -> None:
    what = _setup("all", repo, tmp_path)
    model_with_edited_card(repo.root, "")  # the team's own model, threshold 0.99999: demotes everything
    first = _finding(repo.root, *what)
    assert first["disposition"] == "below_threshold"
    _mark(first["fingerprint"], "true_positive", "")
    again = _finding(repo.root, *what)
    assert again["disposition"] == "reported"
    assert (
        again["disposition_reason"].startswith("confirmed (ada, cli, ")
        and "below the threshold" in again["disposition_reason"]
    )


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server
        assert server.violations == [], "requests that do not match GitHub's API description"


def test_on_a_pull_request_the_base_branchs_verdict_applies(
    repo: Repo, tmp_path: Path, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    what = _setup("all", repo, tmp_path)
    fp = _finding(repo.root, *what)["fingerprint"]
    (repo.root / "app.py").unlink()
    repo.write(".reviewbot/triage.jsonl", LEDGER_LINE % (fp, RULE))
    base = repo.commit("a verdict on the base branch")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", APP)
    head = repo.commit("feature")
    checkout = Checkout(repo, base, head)
    fake.add_pull(checkout.pull())
    results = tmp_path / "results.json"
    run = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=repo.root).run(
        "--save-results", str(results), monkeypatch=monkeypatch
    )
    assert run.code == 0
    (finding,) = [f for f in json.loads(results.read_text())["result"]["findings"] if f["rule_id"] == RULE]
    assert finding["disposition"] == "triaged" and finding["disposition_reason"].endswith(": test host")
    assert not any(RULE in c["body"] for c in fake.bot_review_comments(REPO, NUMBER))
