"""Verdicts typed in the PR thread: honoured from people with write access, shown otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbot.github.thread_triage import Verdict, parse_command
from tests.github.conftest import AUTHOR, NUMBER, REPO, Env, Reviewed, pull_request_event, reported
from tests.github.fake_github import BOT, FakeGitHub


def _setup(fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Env:
    fake.add_pull(reviewed.checkout.pull())
    env = Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path)
    assert env.run("--results", str(reviewed.results), monkeypatch=monkeypatch).code == 0
    return env


def test_a_maintainers_fp_reply_triages_the_finding(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _setup(fake, reviewed, tmp_path, monkeypatch)
    single, multi = sorted(fake.bot_review_comments(REPO, NUMBER), key=lambda c: c["line"])
    fake.add_review_comment(
        REPO,
        NUMBER,
        login="lead",
        association="MEMBER",
        body="/reviewbot fp test host, never in prod",
        in_reply_to=single["id"],
    )
    fake.add_review_comment(
        REPO,
        NUMBER,
        login=AUTHOR,
        association="CONTRIBUTOR",
        body="/reviewbot accept it is fine",
        in_reply_to=multi["id"],
    )
    run = env.run("--results", str(reviewed.results), monkeypatch=monkeypatch)
    assert run.code == 0
    (summary,) = [c for c in fake.issue_comments if c["user"]["login"] == BOT]
    body = summary["body"]
    assert "**false positive** by &#64;\u200dlead: test host, never in prod (honoured)" in body
    assert (
        "**accepted risk** by &#64;\u200dpr-author: it is fine (recorded, not trusted: contributor has no write access)"
        in body
    )
    assert "not trusted" in body
    # Triaged, so not reported: the check run annotates only the two findings still open.
    check = fake.check_runs[-1]
    assert check["output"]["title"] == "2 findings (advisory)"
    assert "triaged: 1" in body
    # The thread stays: the triaged comment is neither deleted nor re-posted.
    assert sorted(c["id"] for c in fake.bot_review_comments(REPO, NUMBER)) == sorted([single["id"], multi["id"]])
    assert len(fake.reviews) == 1


def test_the_pr_author_cannot_dismiss_their_own_finding_even_as_owner(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _setup(fake, reviewed, tmp_path, monkeypatch)
    single = min(fake.bot_review_comments(REPO, NUMBER), key=lambda c: c["line"])
    fake.add_review_comment(
        REPO, NUMBER, login=AUTHOR, association="OWNER", body="/reviewbot fp meh", in_reply_to=single["id"]
    )
    env.run("--results", str(reviewed.results), monkeypatch=monkeypatch)
    assert fake.check_runs[-1]["output"]["title"] == "3 findings (advisory)"
    body = next(c for c in fake.issue_comments if c["user"]["login"] == BOT)["body"]
    assert "the PR author cannot dismiss a finding in their own PR" in body


def test_a_conversation_comment_can_name_a_finding_listed_in_the_summary(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _setup(fake, reviewed, tmp_path, monkeypatch)
    outside = next(f for f in reported(reviewed.doc) if f["rule_id"] == "test.cmdi.request-to-shell")
    fake.add_issue_comment(
        REPO,
        NUMBER,
        login="lead",
        association="OWNER",
        body=f"/reviewbot accept {outside['fingerprint'][:10]} sandboxed worker",
    )
    env.run("--results", str(reviewed.results), monkeypatch=monkeypatch)
    assert fake.check_runs[-1]["output"]["title"] == "2 findings (advisory)"


def test_commands_are_parsed_from_the_first_line_only() -> None:
    assert parse_command("/reviewbot fp a reason\nmore") == (Verdict.FALSE_POSITIVE, "a reason")
    assert parse_command("  /reviewbot TP") == (Verdict.TRUE_POSITIVE, "")
    assert parse_command("/reviewbot accept  ok for now") == (Verdict.ACCEPTED_RISK, "ok for now")
    assert parse_command("I think\n/reviewbot fp x") is None
    assert parse_command("/reviewbot frobnicate") is None
