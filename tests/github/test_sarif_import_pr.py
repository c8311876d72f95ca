"""`reviewbot pr --import-sarif` against the loopback GitHub: other tools' SARIF files written into the
workspace by earlier steps are reviewed with ours, posted as escaped as our own text, and a file that
cannot be read is a note in the summary, never the end of the review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Repo
from tests.github.conftest import NUMBER, REPO, RULES, Checkout, Env, Run, pull_request_event
from tests.github.fake_github import FakeGitHub
from tests.hardening.gfm import live_parts
from tests.test_sarif_import import BANDIT, BASE_VIEWS, SEMGREP, make_change


def _run_pr(fake: FakeGitHub, tmp: Path, checkout: Checkout, imports: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`reviewbot pr` on the checkout (the workspace) with the action's import-sarif input."""
    env = Env(fake, pull_request_event(tmp, checkout), tmp, workspace=checkout.root)
    env.extra.update(REVIEWBOT_RULES=str(RULES), REVIEWBOT_GITHUB_WRITE_SPACING="0", REVIEWBOT_IMPORT_SARIF=imports)
    run = env.run(monkeypatch=monkeypatch)
    assert run.code == 0, run.out + run.err
    return run


def _checkout(root: Path) -> Checkout:
    """The PR adds the shell call (line 21) and the MD5 call (line 27, whose Semgrep message
    carries markdown, a link, a mention, a reference and HTML)."""
    root.mkdir(parents=True)
    repo = Repo(root)
    base, head = make_change(repo, BASE_VIEWS.replace("hashlib.md5(data)", "hashlib.sha256(data)"))
    return Checkout(repo, base, head)


def test_pr_posts_imported_findings_inert_and_notes_a_bad_file(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = _checkout(tmp_path / "repo")
    fake.add_pull(checkout.pull())
    # The job's earlier steps wrote the tools' SARIF into the workspace; one of them is broken.
    workspace = checkout.root
    # Bandit's MD5 result left out, so Semgrep's (the message with the markdown) is the one shown.
    bandit = json.loads(BANDIT.read_text())
    bandit["runs"][0]["results"] = [r for r in bandit["runs"][0]["results"] if r["ruleId"] != "B324"]
    (workspace / "bandit.sarif").write_text(json.dumps(bandit))
    (workspace / "semgrep.sarif").write_bytes(SEMGREP.read_bytes())
    (workspace / "broken.sarif").write_text('{"version": "2.1.0"')
    run = _run_pr(fake, tmp_path, checkout, "bandit.sarif\nsemgrep.sarif\nbroken.sarif\n", monkeypatch)
    assert len(fake.reviews) == 1
    comments = fake.bot_review_comments(REPO, NUMBER)
    # Bandit's and Semgrep's shell injection on line 21 are one weakness: one inline comment.
    assert sorted((c["path"], c["line"]) for c in comments) == [("app/views.py", 21), ("app/views.py", 27)]
    # Everything fitted inline, so no summary comment; the check run says what was not imported.
    (check,) = fake.check_runs
    summary = check["output"]["summary"]
    assert "broken.sarif: not JSON" in summary and "its results were not imported" in summary
    texts = [c["body"] for c in comments] + [c["body"] for c in fake.issue_comments]
    for body in [*texts, summary, fake.reviews[0].get("body") or "", run.summary]:
        assert live_parts(body) == [], body
    md5 = next(c["body"] for c in comments if c["line"] == 27)
    assert "semgrep-oss/rules.md5-call" in md5 and "Weak hash" in md5 and "octocat" in md5  # shown, inert


def test_a_sarif_file_the_pr_commits_is_not_imported_unless_the_job_rewrote_it(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    repo = Repo(root)
    base, _ = make_change(repo)
    # The PR also brings two SARIF files: one the job will overwrite with the tool's real output, and
    # one it does not touch, forged to claim a finding with a message of the author's choosing.
    repo.write("reports/bandit.sarif", '{"version": "2.1.0", "runs": []}')
    forged = json.loads(SEMGREP.read_text())
    forged["runs"][0]["tool"]["driver"]["name"] = "Forged"
    repo.write("reports/forged.sarif", json.dumps(forged))
    head = repo.commit("reports")
    checkout = Checkout(repo, base, head)
    fake.add_pull(checkout.pull())
    (root / "reports" / "bandit.sarif").write_bytes(BANDIT.read_bytes())  # the job's Bandit step
    _run_pr(fake, tmp_path, checkout, "reports/bandit.sarif\nreports/forged.sarif", monkeypatch)
    bodies = " ".join(c["body"] for c in fake.bot_review_comments(REPO, NUMBER))
    assert "bandit/B602" in bodies and "forged/" not in bodies
    (check,) = fake.check_runs
    assert (
        "forged.sarif: committed in the pull request, not written by the job: not imported"
        in (check["output"]["summary"])
    )
