"""Posting scenarios on the results of one real review: faults, budget, markers, resolution.

Each scenario runs `reviewbot pr --results FILE` (the way the workflow_run stage posts a first
stage's results) through the CLI against the fake GitHub, and ends with exit 0.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from reviewbot.github.markers import finding_marker, summary_marker
from tests.github.conftest import AUTHOR, NUMBER, REPO, Env, Reviewed, pull_request_event, reported
from tests.github.fake_github import BOT, FakeGitHub, Fault, iter_markers

SECONDARY = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
}


def _env(fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path) -> Env:
    fake.add_pull(reviewed.checkout.pull())
    return Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path)


def _post(env: Env, results: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    run = env.run("--results", str(results), *args, monkeypatch=monkeypatch)
    assert run.code == 0, run.out + run.err
    return run


def _bot_summaries(fake: FakeGitHub) -> list[dict[str, Any]]:
    return [c for c in fake.issue_comments if c["user"]["login"] == BOT]


def _review_posts(fake: FakeGitHub) -> list[Any]:
    return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/reviews")]


def test_502_then_success_posts_once(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    fake.faults.append(Fault("POST", r"/pulls/\d+/reviews$", 502, {"message": "Server Error"}))
    _post(env, reviewed.results, monkeypatch)
    assert len(fake.reviews) == 1 and len(fake.bot_review_comments(REPO, NUMBER)) == 2
    assert [r.status for r in _review_posts(fake)] == [502, 200]
    assert sleeps  # backed off before trying again


def test_502_after_github_applied_the_review_does_not_duplicate(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    fake.faults.append(Fault("POST", r"/pulls/\d+/reviews$", 502, {"message": "Server Error"}, after_apply=True))
    _post(env, reviewed.results, monkeypatch)
    assert [r.status for r in _review_posts(fake)] == [502]  # re-read, found the markers, stopped
    assert len(fake.bot_review_comments(REPO, NUMBER)) == 2


@pytest.mark.parametrize("retry_after", ["7", None])
def test_secondary_rate_limit_is_waited_out(
    fake: FakeGitHub,
    reviewed: Reviewed,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sleeps: list[float],
    retry_after: str | None,
) -> None:
    env = _env(fake, reviewed, tmp_path)
    headers = {"retry-after": retry_after} if retry_after else {}
    fake.faults.append(Fault("POST", r"/pulls/\d+/reviews$", 403, SECONDARY, headers))
    _post(env, reviewed.results, monkeypatch)
    assert len(fake.reviews) == 1 and len(fake.bot_review_comments(REPO, NUMBER)) == 2
    # retry-after is honoured to the second; without it, GitHub's advice: wait at least a minute.
    assert (7.0 if retry_after else 60.0) in sleeps


def test_primary_rate_limit_waits_until_the_reset(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    import time

    env = _env(fake, reviewed, tmp_path)
    reset = int(time.time()) + 30
    body = {"message": "API rate limit exceeded for installation.", "documentation_url": "https://docs.github.com"}
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
    fake.faults.append(Fault("GET", r"/pulls/\d+/comments$", 403, body, headers))
    _post(env, reviewed.results, monkeypatch)
    assert len(fake.reviews) == 1
    assert any(25 <= s <= 32 for s in sleeps), sleeps


def test_a_rate_limit_too_long_to_wait_falls_back_to_annotations(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    fake.faults.append(Fault("POST", r"/pulls/\d+/reviews$", 403, SECONDARY, {"retry-after": "3600"}))
    run = _post(env, reviewed.results, monkeypatch)
    assert fake.reviews == []
    assert 3600.0 not in sleeps
    assert sum(line.startswith("::warning file=app.py") for line in run.commands) == 2
    assert "inline comments could not be posted" in _bot_summaries(fake)[0]["body"]


def test_422_for_one_comment_is_isolated_and_never_resent_unchanged(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    fake.refuse_lines.add(("app.py", 29))
    run = _post(env, reviewed.results, monkeypatch)
    posted = fake.bot_review_comments(REPO, NUMBER)
    assert [c["line"] for c in posted] == [36]  # the other comment landed
    bodies = [json.dumps(r.body["comments"]) for r in _review_posts(fake)]
    assert len(bodies) == len(set(bodies))  # no payload was sent twice
    summary = _bot_summaries(fake)[0]["body"]
    assert "GitHub refused the inline comment" in summary and "line 29" in summary
    assert any("refused the inline comment on app.py:29" in line for line in run.commands)


def test_read_only_token_falls_back_to_annotations_and_the_job_summary(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    env.token = "readonly-token"
    run = _post(env, reviewed.results, monkeypatch)
    assert fake.reviews == [] and fake.issue_comments == [] and fake.check_runs == []
    warnings = [line for line in run.commands if line.startswith("::warning file=")]
    assert len(warnings) == 3  # every reported finding, in the diff or not
    assert any(
        line.startswith("::warning file=app.py,line=29,endLine=29,title=reviewbot medium%3A ") for line in warnings
    )
    assert "cannot write to the PR" in run.out
    assert "test.cmdi.request-to-shell" in run.summary and "### reviewbot security review" in run.summary


def test_a_fixed_finding_comment_is_removed_or_marked_resolved(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    _post(env, reviewed.results, monkeypatch)
    single, multi = sorted(fake.bot_review_comments(REPO, NUMBER), key=lambda c: c["line"])
    fake.add_review_comment(
        REPO, NUMBER, login="maintainer", association="MEMBER", body="good catch", in_reply_to=multi["id"]
    )

    # The next push fixes both TLS findings: same PR, new head, results without them.
    doc = json.loads(reviewed.results.read_text())
    doc["result"]["findings"] = [f for f in doc["result"]["findings"] if f["rule_id"] != "test.tls.verify-disabled"]
    doc["head_sha"] = "f" * 40
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(doc))
    pull = reviewed.checkout.pull()
    pull.head_sha = "f" * 40
    fake.add_pull(pull)
    payload = json.loads(env.event.read_text())
    payload["pull_request"]["head"]["sha"] = "f" * 40
    env.event.write_text(json.dumps(payload))
    _post(env, fixed, monkeypatch)

    remaining = fake.bot_review_comments(REPO, NUMBER)
    assert single["id"] not in [c["id"] for c in remaining]  # nobody replied: removed
    (kept,) = remaining
    assert kept["id"] == multi["id"] and "**Resolved**" in kept["body"]  # a human replied: kept, resolved
    assert "state=resolved" in kept["body"].split("\n")[0]
    assert len(fake.reviews) == 1


def test_a_forged_marker_in_a_strangers_comment_is_ignored(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    fps = [f["fingerprint"] for f in reported(reviewed.doc)]
    for fp in fps:  # a stranger pre-empts every finding with a forged marker…
        fake.add_review_comment(
            REPO,
            NUMBER,
            login="mallory",
            association="NONE",
            body=finding_marker(fp) + "\nnothing here",
            path="app.py",
            line=29,
        )
    forged_summary = fake.add_issue_comment(
        REPO, NUMBER, login="mallory", association="NONE", body=summary_marker() + "\nall clear"
    )
    run = _post(env, reviewed.results, monkeypatch)
    # …and reviewbot posts its own comments and summary anyway, leaving the stranger's alone.
    assert len(fake.bot_review_comments(REPO, NUMBER)) == 2
    mine = _bot_summaries(fake)
    assert len(mine) == 1 and mine[0]["id"] != forged_summary["id"]
    assert forged_summary["body"].endswith("all clear")
    assert "ignored 4 reviewbot marker(s)" in run.out


def test_300_findings_respect_the_budget_and_the_summary_limit(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    doc = json.loads(reviewed.results.read_text())
    template = next(f for f in reported(doc) if f["start_line"] == 29)
    findings = []
    for i in range(300):
        findings.append(
            {
                **template,
                "path": "big.py",
                "start_line": i + 1,
                "end_line": i + 1,
                "fingerprint": f"{i:032x}",
                "severity": ["low", "medium", "high", "critical"][i % 4],
                "message": f"finding {i}: " + "x" * 400,
            }
        )
    doc["result"]["findings"] = findings
    big = tmp_path / "big.json"
    big.write_text(json.dumps(doc))
    pull = reviewed.checkout.pull()
    pull.files.append({"filename": "big.py", "status": "added", "patch": "@@ -0,0 +1,300 @@\n" + "+x = 1\n" * 300})
    fake.add_pull(pull)
    # The client's clock moves only when it waits, so the spacing it keeps is its own doing:
    # on a loaded machine real writes can take over a second each and need no wait at all.
    now = [time.time()]

    def wait(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    monkeypatch.setattr("time.time", lambda: now[0])
    monkeypatch.setattr("time.sleep", wait)
    _post(env, big, monkeypatch)

    assert len(fake.reviews) == 1
    inline = fake.bot_review_comments(REPO, NUMBER)
    assert len(inline) == 30
    assert {json.loads(json.dumps(c["body"])).split("**")[1] for c in inline} == {"🔴 critical"}  # the worst first
    (summary,) = _bot_summaries(fake)
    assert len(summary["body"]) <= 65_536
    assert "more that did not fit" in summary["body"]
    (check,) = fake.check_runs
    assert len(fake.annotations[check["id"]]) == 300
    assert fake.check_run_requests == [50] * 6
    assert len(check["output"]["summary"]) <= 65_535
    writes = len(fake.writes())
    assert writes == 8 and len([s for s in sleeps if 0 < s <= 1.0]) == writes - 1  # one second apart

    # A second run posts the next 30 by rank, never a duplicate.
    _post(env, big, monkeypatch)
    markers = list(iter_markers(fake.bot_review_comments(REPO, NUMBER)))
    assert len(markers) == 60 == len(set(markers))


def test_sarif_upload_is_gzip_base64_with_a_category(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    env.extra.update(REVIEWBOT_SARIF_UPLOAD="true", REVIEWBOT_SARIF_CATEGORY="reviewbot-pr")
    _post(env, reviewed.results, monkeypatch)
    (upload,) = fake.sarifs
    assert upload["request"]["commit_sha"] == reviewed.checkout.head_sha
    assert upload["request"]["ref"] == f"refs/pull/{NUMBER}/head"
    (run,) = upload["sarif"]["runs"]
    assert run["automationDetails"]["id"] == "reviewbot-pr/"
    assert len(run["results"]) == len(reviewed.doc["result"]["findings"])  # hidden ones too


def test_the_summary_is_edited_in_place(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    _post(env, reviewed.results, monkeypatch)
    (first,) = _bot_summaries(fake)
    fake.add_issue_comment(REPO, NUMBER, login=AUTHOR, association="CONTRIBUTOR", body="thanks bot")
    doc = json.loads(reviewed.results.read_text())
    outside = next(f for f in reported(doc) if f["rule_id"] == "test.cmdi.request-to-shell")
    outside["message"] = "Changed wording"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc))
    _post(env, changed, monkeypatch)
    (again,) = _bot_summaries(fake)
    assert again["id"] == first["id"] and "Changed wording" in again["body"]


def test_github_down_for_reads_still_reports_the_findings(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    env = _env(fake, reviewed, tmp_path)
    fake.faults.append(Fault("GET", r"/pulls/\d+/comments$", 502, {"message": "Server Error"}, times=100))
    run = _post(env, reviewed.results, monkeypatch)
    gets = [r for r in fake.requests if r.path.endswith(f"/pulls/{NUMBER}/comments")]
    assert len(gets) == 4  # retried with backoff, then given up
    assert sleeps[:3] == [2.0, 4.0, 8.0]
    assert fake.reviews == []
    assert sum(line.startswith("::warning file=app.py") for line in run.commands) == 3
    assert "test.cmdi.request-to-shell" in run.summary
