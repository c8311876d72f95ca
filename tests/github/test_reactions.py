"""👍/👎 on reviewbot's own comments as triage, `triage pull` over the PRs closed since a date,
and reviewbot's identity from `GET /user` — against the loopback GitHub."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reviewbot.finding import Confidence, Finding, Scanner, Severity
from reviewbot.github.review import inline_body
from reviewbot.triage.ledger import Source, Verdict, read_ledger
from tests.github.conftest import NUMBER, REPO, Env, Reviewed, pull_request_event
from tests.github.fake_decisions import add_reaction
from tests.github.fake_github import BOT, FakeGitHub, Fault, Pull
from tests.test_triage import run

FP_A, FP_B, FP_C = "a" * 32, "b" * 32, "c" * 32
T = "2026-03-01T10:00:0{}Z".format


@pytest.fixture
def gh_env(fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for k in list(os.environ):
        if k.startswith(("GITHUB_", "REVIEWBOT_")):
            monkeypatch.delenv(k)
    monkeypatch.setenv("GITHUB_TOKEN", "bot-token")
    monkeypatch.setenv("GITHUB_API_URL", fake.api_url)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # no last-scan report from elsewhere
    monkeypatch.chdir(tmp_path)


def _finding(fp: str, rule: str, line: int) -> Finding:
    return Finding(
        rule_id=rule,
        scanner=Scanner.SEMGREP,
        path="app.py",
        start_line=line,
        start_col=1,
        end_line=line,
        end_col=10,
        message="dangerous call",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        category="cmdi",
        fingerprint=fp,
    )


def _bot_comment(fake: FakeGitHub, number: int, fp: str, rule: str, line: int, login: str = BOT) -> int:
    body = inline_body(_finding(fp, rule, line))
    comment = fake.add_review_comment(
        REPO, number, login=login, association="NONE", body=body, path="app.py", line=line
    )
    return int(comment["id"])


def _pull(fake: FakeGitHub, number: int, author: str, *, closed_days_ago: float | None = None) -> None:
    now = datetime.now(UTC)
    when = (now - timedelta(days=closed_days_ago or 0)).strftime("%Y-%m-%dT%H:%M:%SZ")
    closed = closed_days_ago is not None
    fake.add_pull(
        Pull(
            number,
            "1" * 40,
            "2" * 40,
            author,
            REPO,
            REPO,
            state="closed" if closed else "open",
            updated_at=when,
            closed_at=when if closed else None,
        )
    )


def test_reactions_count_only_from_write_access_on_reviewbots_own_comments(
    fake: FakeGitHub, gh_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pull(fake, 7, "writer-author")
    _pull(fake, 8, "reader-author")
    a = _bot_comment(fake, 7, FP_A, "py.cmdi.shell", 3)
    b = _bot_comment(fake, 7, FP_B, "py.tls.verify-disabled", 9)
    c = _bot_comment(fake, 8, FP_C, "py.cmdi.shell", 4)
    forged = _bot_comment(fake, 7, "d" * 32, "py.cmdi.shell", 5, login="mallory")  # a marker, not by reviewbot
    fake.permissions.update(
        {"lead": "admin", "maint": "maintain", "reader": "read", "writer-author": "write", "reader-author": "read"}
    )
    add_reaction(fake, a, "lead", "-1", T(1))  # admin: false positive
    add_reaction(fake, a, "reader", "+1", T(2))  # read only: shown, not recorded
    add_reaction(fake, a, "outsider", "-1", T(3))  # not a collaborator (404): not recorded
    add_reaction(fake, a, "lead", "heart", T(4))  # not a verdict
    add_reaction(fake, a, BOT, "+1", T(5))  # reviewbot's own: never a verdict
    add_reaction(fake, b, "maint", "+1", T(1))  # maintain: true positive
    add_reaction(fake, b, "writer-author", "-1", T(2))  # the PR author, with write access: counts
    add_reaction(fake, c, "reader-author", "-1", T(1))  # the PR author without write: does not
    add_reaction(fake, c, "lead", "+1", T(2))  # the same admin on another PR: asked once
    add_reaction(fake, forged, "lead", "+1", T(3))  # on a forged comment: ignored
    ledger = tmp_path / "ledger.jsonl"
    argv = ["triage", "pull", "--repo", REPO, "--pr", "7", "--pr", "8", "--ledger", str(ledger)]
    code, out, err = run(*argv, capsys=capsys)
    assert code == 0, err
    records = read_ledger(ledger).records
    assert sorted((r.fingerprint[:1], r.verdict, r.who) for r in records) == [
        ("a", Verdict.FALSE_POSITIVE, "lead"),
        ("b", Verdict.FALSE_POSITIVE, "writer-author"),
        ("b", Verdict.TRUE_POSITIVE, "maint"),
        ("c", Verdict.TRUE_POSITIVE, "lead"),
    ]
    assert all(r.source is Source.PR_THREAD for r in records)
    assert {r.rule_id for r in records if r.fingerprint == FP_B} == {"py.tls.verify-disabled"}
    assert next(r for r in records if r.who == "lead" and r.fingerprint == FP_A).reason.startswith("👎")
    assert "by @reader not recorded (untrusted: permission read, not write)" in out
    assert "by @outsider not recorded (untrusted: permission none, not write)" in out
    assert "by @reader-author not recorded (untrusted: permission read, not write)" in out
    assert f"{REPO}#7: 3 new: thread command 0, reaction 3" in out
    assert f"{REPO}#8: 1 new: thread command 0, reaction 1" in out
    assert "ignored 1 marker(s)" in out
    asked = [r.path.rsplit("/", 2)[1] for r in fake.requests if r.path.endswith("/permission")]
    assert sorted(asked) == sorted(set(asked)), "each user's permission is asked once per run"
    reacted_on = {int(r.path.split("/")[-2]) for r in fake.requests if r.path.endswith("/reactions")}
    assert forged not in reacted_on and {a, b, c} <= reacted_on
    assert fake.writes() == []
    before = ledger.read_bytes()
    code, out, _ = run(*argv, capsys=capsys)
    assert code == 0 and ledger.read_bytes() == before
    assert "0 new verdict(s)" in out and "4 already in the ledger" in out


def test_pull_without_pr_walks_the_prs_closed_since_a_date_and_stops_at_older_ones(
    fake: FakeGitHub, gh_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pull(fake, 1, "someone", closed_days_ago=2)
    _pull(fake, 2, "someone", closed_days_ago=10)
    _pull(fake, 3, "someone")  # open: not walked
    for n in range(100, 200):  # closed long ago, filling page 1 and spilling onto page 2: never fetched
        _pull(fake, n, "someone", closed_days_ago=60 + n / 1000)
    fake.permissions["lead"] = "write"
    add_reaction(fake, _bot_comment(fake, 1, FP_A, "py.cmdi.shell", 3), "lead", "-1", T(1))
    root = _bot_comment(fake, 2, FP_B, "py.cmdi.shell", 3)
    fake.add_review_comment(
        REPO, 2, login="lead", association="MEMBER", body="/reviewbot fp only in a fixture", in_reply_to=root
    )
    ledger = tmp_path / "ledger.jsonl"
    code, out, err = run("triage", "pull", "--repo", REPO, "--ledger", str(ledger), capsys=capsys)
    assert code == 0, err
    assert "2 pull request(s) closed since" in out
    assert f"{REPO}#1: 1 new: thread command 0, reaction 1" in out
    assert f"{REPO}#2: 1 new: thread command 1, reaction 0" in out
    assert "2 new verdict(s) appended" in out and "(2 new: thread command 1, reaction 1)" in out
    listed = [r for r in fake.requests if r.path == f"/repos/{REPO}/pulls"]
    assert len(listed) == 1 and listed[0].query["state"] == ["closed"] and listed[0].query["sort"] == ["updated"]
    pulled = {r.path for r in fake.requests if r.path.startswith(f"/repos/{REPO}/pulls/") and r.path.count("/") == 5}
    assert pulled == {f"/repos/{REPO}/pulls/1", f"/repos/{REPO}/pulls/2"}
    # an older --since reaches further back (and walks the next pages); nothing is written twice
    code, out, _ = run(
        "triage", "pull", "--repo", REPO, "--since", "2000-01-01", "--ledger", str(ledger), capsys=capsys
    )
    assert code == 0 and "102 pull request(s) closed since 2000-01-01T00:00:00Z" in out
    assert "0 new verdict(s)" in out and "2 already in the ledger" in out
    code, _, err = run("triage", "pull", "--repo", REPO, "--pr", "1", "--since", "2000-01-01", capsys=capsys)
    assert code == 2 and "not both" in err
    code, _, err = run("triage", "pull", "--repo", REPO, "--since", "last week", capsys=capsys)
    assert code == 2 and "--since 'last week'" in err


def test_bot_identity_comes_from_get_user_and_falls_back_on_403_and_bot_login_overrides(
    fake: FakeGitHub, gh_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _pull(fake, 7, "someone")
    root = _bot_comment(fake, 7, FP_A, "py.cmdi.shell", 3, login="reviewbot-machine")  # posted with a user token
    fake.add_review_comment(
        REPO, 7, login="lead", association="OWNER", body="/reviewbot fp a fixture", in_reply_to=root
    )
    argv = ["triage", "pull", "--repo", REPO, "--pr", "7"]
    # the workflow's installation token: GET /user is 403, so the default login, and that comment is forged
    code, out, err = run(*argv, "--ledger", str(tmp_path / "one.jsonl"), capsys=capsys)
    assert code == 0, err
    assert "github-actions[bot] (default (GET /user: HTTP 403))" in out
    assert "ignored 1 marker(s)" in out and "0 new verdict(s)" in out
    # the machine user's own token: GET /user names it, so its comment is reviewbot's
    monkeypatch.setenv("GITHUB_TOKEN", "user-token")
    code, out, err = run(*argv, "--ledger", str(tmp_path / "two.jsonl"), capsys=capsys)
    assert code == 0, err
    assert "reviewbot-machine, github-actions[bot] (GET /user)" in out
    assert [(r.fingerprint, r.who) for r in read_ledger(tmp_path / "two.jsonl").records] == [(FP_A, "lead")]
    # the override wins, and GitHub is not asked
    asked = sum(1 for r in fake.requests if r.path == "/user")
    code, out, _ = run(*argv, "--bot-login", "someone-else", "--ledger", str(tmp_path / "three.jsonl"), capsys=capsys)
    assert code == 0 and "someone-else (bot-login)" in out and "ignored 1 marker(s)" in out
    assert sum(1 for r in fake.requests if r.path == "/user") == asked


def test_a_maintainers_thumbs_down_triages_the_finding_in_the_pr_run(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    fake.add_pull(reviewed.checkout.pull())
    env = Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path)
    assert env.run("--results", str(reviewed.results), monkeypatch=monkeypatch).code == 0
    assert fake.check_runs[-1]["output"]["title"] == "3 findings (advisory)"
    single, multi = sorted(fake.bot_review_comments(REPO, NUMBER), key=lambda c: c["line"])
    fake.permissions.update({"lead": "maintain", "reader": "read"})
    add_reaction(fake, single["id"], "lead", "-1", T(1))
    add_reaction(fake, multi["id"], "reader", "-1", T(1))
    run_ = env.run("--results", str(reviewed.results), monkeypatch=monkeypatch)
    assert run_.code == 0
    assert fake.check_runs[-1]["output"]["title"] == "2 findings (advisory)"
    body = next(c for c in fake.issue_comments if c["user"]["login"] == BOT)["body"]
    assert "**false positive** by &#64;\u200dlead" in body and "(honoured)" in body
    assert "&#64;\u200dreader" in body and "not trusted: permission read, not write" in body
    # GET /user was asked (403 for the workflow token) and the run went on with the default login
    assert any(r.path == "/user" and r.status == 403 for r in fake.requests)


def test_posting_with_a_personal_token_recognises_its_own_comments_through_get_user(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    fake.add_pull(reviewed.checkout.pull())
    env = Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path, token="user-token")
    assert env.run("--results", str(reviewed.results), monkeypatch=monkeypatch).code == 0
    mine = [c for c in fake.review_comments if c["user"]["login"] == "reviewbot-machine"]
    assert len(mine) == 2
    run_ = env.run("--results", str(reviewed.results), monkeypatch=monkeypatch)
    assert run_.code == 0
    # GET /user named the token's login: the second run finds its comments, posts no duplicates
    # and calls none of them forged
    assert [c["id"] for c in fake.review_comments if c["user"]["login"] == "reviewbot-machine"] == [
        c["id"] for c in mine
    ]
    assert len(fake.reviews) == 1
    assert "forged" not in run_.out and "did not write" not in run_.out


def test_a_permission_github_will_not_tell_is_no_trust_and_a_warning(
    fake: FakeGitHub, gh_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pull(fake, 7, "someone")
    add_reaction(fake, _bot_comment(fake, 7, FP_A, "py.cmdi.shell", 3), "lead", "-1", T(1))
    fake.permissions["lead"] = "admin"
    fake.faults.append(Fault("GET", r"/collaborators/lead/permission$", 403, body={"message": "Must have push access"}))
    ledger = tmp_path / "ledger.jsonl"
    code, out, err = run("triage", "pull", "--repo", REPO, "--pr", "7", "--ledger", str(ledger), capsys=capsys)
    assert code == 0, err
    assert "by @lead not recorded (untrusted: permission unknown, not write)" in out
    assert "could not read @lead's permission" in err and "HTTP 403" in err
    assert not ledger.exists() or read_ledger(ledger).records == []
