"""The whole path on a real checkout: the real semgrep, the real CLI, PyGithub against the fake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.github.conftest import HEAD_APP, NUMBER, REPO, RULES, Checkout, Env, make_checkout, pull_request_event
from tests.github.fake_github import BOT, FakeGitHub, iter_markers


def test_first_run_posts_one_comment_review_then_reruns_and_a_force_push_add_nothing(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = make_checkout(tmp_path / "repo")
    fake.add_pull(checkout.pull())
    env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=checkout.root)
    env.extra.update(REVIEWBOT_RULES=str(RULES), REVIEWBOT_GITHUB_WRITE_SPACING="0")
    results = tmp_path / "results.json"

    run = env.run("--save-results", str(results), monkeypatch=monkeypatch)
    assert run.code == 0, run.out + run.err

    # One review, event COMMENT, with the two in-diff findings anchored to diff lines.
    assert len(fake.reviews) == 1
    review = fake.reviews[0]
    assert review["event"] == "COMMENT" and review["user"]["login"] == BOT
    comments = fake.bot_review_comments(REPO, NUMBER)
    anchors = sorted((c["path"], c.get("start_line") or 0, c["line"], c["side"]) for c in comments)
    assert anchors == [("app.py", 0, 29, "RIGHT"), ("app.py", 33, 36, "RIGHT")]
    single = next(c for c in comments if c.get("start_line") is None)
    assert "```suggestion\n" + '    return requests.get("https://x", verify=True)' + "\n```" in single["body"]
    multi = next(c for c in comments if c.get("start_line") == 33)
    suggestion = re.search(r"```suggestion\n(.*?)\n```", multi["body"], re.S)
    assert suggestion is not None and suggestion.group(1).count("\n") + 1 == 36 - 33 + 1  # never wider
    for c in comments:
        assert c["body"].startswith("<!-- reviewbot:finding v1 fp=")
        assert "CWE-295" in c["body"] and "test.tls.verify-disabled" in c["body"]

    # The tainted flow into the untouched sink line is outside the diff: in the one summary comment.
    (summary,) = [c for c in fake.issue_comments if c["user"]["login"] == BOT]
    assert summary["body"].startswith("<!-- reviewbot:summary v1 -->")
    assert "test.cmdi.request-to-shell" in summary["body"] and "outside the diff" in summary["body"]
    assert "<details>" in summary["body"]

    # A neutral check run with every reported finding annotated.
    (check,) = fake.check_runs
    assert check["conclusion"] == "neutral" and check["head_sha"] == checkout.head_sha
    assert len(fake.annotations[check["id"]]) == 3

    # Five re-runs (the saved results, as the workflow_run stage would post them): nothing new.
    writes_before = len(fake.writes())
    for _ in range(5):
        again = env.run("--results", str(results), monkeypatch=monkeypatch)
        assert again.code == 0
    assert len(fake.reviews) == 1
    assert len(fake.bot_review_comments(REPO, NUMBER)) == 2
    assert len([c for c in fake.issue_comments if c["user"]["login"] == BOT]) == 1
    new_writes = [w for w in fake.writes()[writes_before:] if "check-runs" not in w.path]
    assert new_writes == []  # the summary was unchanged, so not even an edit

    # A force-push: the branch is rewritten with the code moved down; same findings, no reposts.
    checkout.repo.git("reset", "-q", "--hard", checkout.base_sha)
    checkout.repo.write("app.py", HEAD_APP.replace("\n\ndef fetch():", "\n\nCONSTANT = 1\nOTHER = 2\n\n\ndef fetch():"))
    pushed_head = checkout.repo.commit("rewritten")
    assert pushed_head != checkout.head_sha
    rewritten = Checkout(checkout.repo, checkout.base_sha, pushed_head)
    fake.add_pull(rewritten.pull())
    env.event = pull_request_event(tmp_path, rewritten, name="event2.json")
    pushed = env.run(monkeypatch=monkeypatch)
    assert pushed.code == 0, pushed.out + pushed.err
    assert len(fake.reviews) == 1
    assert sorted(iter_markers(fake.bot_review_comments(REPO, NUMBER))) == sorted(iter_markers(comments))
