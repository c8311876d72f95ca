"""The KPIs of a real PR's life, driven through `reviewbot pr` against the loopback GitHub.

One PR (tests/github/conftest.py's checkout: three new findings) goes through three runs, each
reviewed by the real semgrep and posted to the fake server, with `--history` appending to one
file outside the checkout, as the Action's cached file would be:

  run 1  2026-03-02 09:00  head 1: 3 findings reported, 2 inline comments, 1 in the summary
         2026-03-02 12:00  a maintainer replies `/reviewbot fp …` under the multi-line comment
  run 2  2026-03-03 09:00  head 2 (a push): `fetch` no longer disables TLS checks → fixed
  run 3  2026-03-04 09:00  head 3 (a force-push, rebuilt on the base): the shell command no
                           longer takes the request's value → fixed; nothing reported twice

The runs share one setup (module scope): the tests below only read its outcome. The clock the
events are stamped with (`github.history.utc_now`, the system time) is set per run; the verdict's
time is its comment's `created_at`, as GitHub gives it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from reviewbot.triage.events import EventKind, format_event, read_history
from reviewbot.triage.ledger import FindingFacts, Source, Verdict, format_record, new_record
from tests.github.conftest import (
    HEAD_APP,
    NUMBER,
    REPO,
    RULES,
    Checkout,
    Env,
    make_checkout,
    pull_request_event,
)
from tests.github.fake_github import BOT, FakeGitHub

TLS, CMDI = "test.tls.verify-disabled", "test.cmdi.request-to-shell"
T1, T2, T3 = (datetime(2026, 3, d, 9, 0, tzinfo=UTC) for d in (2, 3, 4))
VERDICT_AT = "2026-03-02T12:00:00Z"
HEAD_2 = HEAD_APP.replace('return requests.get("https://x", verify=False)', 'return requests.get("https://x")')
HEAD_3 = HEAD_2.replace('name = request.args.get("name")', 'name = "static"')


@dataclass
class Story:
    history: Path
    fake: FakeGitHub
    runs: list[Any]
    summaries: list[str]
    ledger: Path


def _run(fake: FakeGitHub, checkout: Checkout, tmp: Path, history: Path, when: datetime, mp: pytest.MonkeyPatch) -> Any:
    mp.setattr("reviewbot.github.history.utc_now", lambda: when)
    fake.add_pull(checkout.pull())
    env = Env(fake, pull_request_event(tmp, checkout), tmp, workspace=checkout.root)
    run = env.run("--rules", str(RULES), "--history", str(history), monkeypatch=mp)
    assert run.code == 0, run.out + run.err
    return run


def _summary(fake: FakeGitHub) -> str:
    (body,) = [c["body"] for c in fake.issue_comments if c["user"]["login"] == BOT]
    return str(body)


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    tmp = tmp_path_factory.mktemp("kpi-story")
    history = tmp / "kept" / "history.jsonl"  # outside the checkout, like the Action's cached file
    checkout = make_checkout(tmp / "repo")
    with FakeGitHub() as fake, pytest.MonkeyPatch.context() as mp:
        runs, summaries = [_run(fake, checkout, tmp, history, T1, mp)], [_summary(fake)]
        multi = max(fake.bot_review_comments(REPO, NUMBER), key=lambda c: c.get("start_line") or 0)
        reply = fake.add_review_comment(
            REPO, NUMBER, login="lead", association="MEMBER", body="/reviewbot fp test host", in_reply_to=multi["id"]
        )
        reply["created_at"] = VERDICT_AT
        checkout.repo.write("app.py", HEAD_2)
        checkout = Checkout(checkout.repo, checkout.base_sha, checkout.repo.commit("push: verify TLS in fetch"))
        runs.append(_run(fake, checkout, tmp, history, T2, mp))
        summaries.append(_summary(fake))
        checkout.repo.git("checkout", "-q", "-B", "feature", checkout.base_sha)  # the force-push
        checkout.repo.write("app.py", HEAD_3)
        checkout = Checkout(checkout.repo, checkout.base_sha, checkout.repo.commit("rebuilt"))
        runs.append(_run(fake, checkout, tmp, history, T3, mp))
        summaries.append(_summary(fake))
        assert fake.violations == []
    # The lead confirms the shell finding with `triage mark` an hour after run 1: in the ledger.
    (cmdi,) = [e for e in read_history(history).events if e.rule_id == CMDI and e.event is EventKind.REPORTED]
    ledger = tmp / "triage.jsonl"
    facts = FindingFacts(str(cmdi.fingerprint), CMDI, "app.py")
    mark = new_record(
        facts,
        Verdict.TRUE_POSITIVE,
        reason="",
        who="lead",
        when=T1 + timedelta(hours=1),
        source=Source.CLI,
        commit=None,
    )
    ledger.write_text(format_record(mark) + "\n")
    yield Story(history, fake, runs, summaries, ledger)


def kpi_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["kpi", *args, "--format", "json"]) == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def test_each_run_appends_only_the_new_facts(story: Story) -> None:
    read = read_history(story.history)
    assert read.problems == []
    kinds = [(e.event.value, e.when, e.rule_id) for e in read.events if e.event is not EventKind.REVIEWED]
    tls, cmdi = TLS, CMDI
    assert sorted(k for k in kinds if k[1] == T1) == sorted(
        [
            ("reported", T1, tls),
            ("reported", T1, tls),
            ("reported", T1, cmdi),
            ("commented", T1, tls),
            ("commented", T1, tls),
        ]
    )
    verdict_at = datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert sorted(k for k in kinds if k[1] != T1) == sorted(
        [("fixed", T2, tls), ("verdict", verdict_at, tls), ("fixed", T3, cmdi)]
    )
    assert [e.when for e in read.events if e.event is EventKind.REVIEWED] == [T1, T2, T3]
    assert all(e.pr == NUMBER and e.source.value == "pr" for e in read.events)


def test_the_kpis_of_the_story_exactly(story: Story, capsys: pytest.CaptureFixture[str]) -> None:
    doc = kpi_json(capsys, "--history", str(story.history), "--ledger", str(story.ledger), "--until", "2026-03-05")
    overall = doc["overall"]
    assert overall["reported"] == 3
    assert (overall["acceptance"]["part"], overall["acceptance"]["whole"]) == (2, 3)  # both fixes
    assert (overall["fixed"]["part"], overall["fixed"]["whole"]) == (2, 3)
    # One dismissal from the thread, one confirmation from the ledger.
    assert (overall["false_positive"]["part"], overall["false_positive"]["whole"]) == (1, 2)
    assert overall["time_to_fix"] == {"count": 2, "mean_seconds": 36 * 3600.0, "median_seconds": 36 * 3600.0}
    assert overall["time_to_triage"] == {"count": 2, "mean_seconds": 2 * 3600.0, "median_seconds": 2 * 3600.0}
    assert overall["demoted_real"]["whole"] == 0
    assert doc["comments"] == {"comments": 2, "prs": 1, "per_pr": 2.0}
    tls = doc["rules"]["test.tls.verify-disabled"]
    assert (tls["reported"], tls["fixed"]["part"], tls["false_positive"]["part"]) == (2, 1, 1)
    assert tls["time_to_fix"]["median_seconds"] == 24 * 3600.0
    assert doc["rules"]["test.cmdi.request-to-shell"]["time_to_fix"]["median_seconds"] == 48 * 3600.0
    assert [w["week"] for w in doc["weeks"]] == ["2026-03-02"]
    assert (doc["skewed"], doc["later"], doc["orphans"], doc["problems"]) == (0, 0, 0, [])


def test_a_window_before_the_fixes_counts_them_unfixed(story: Story, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = ("--ledger", str(story.ledger))
    doc = kpi_json(capsys, "--history", str(story.history), *ledger, "--until", "2026-03-03T08:00:00Z")
    assert doc["overall"]["fixed"]["part"] == 0 and doc["overall"]["false_positive"]["part"] == 1
    assert doc["later"] == 4  # the two fixes and the later two runs' `reviewed` events
    only = kpi_json(capsys, "--history", str(story.history), *ledger, "--rule", CMDI)
    assert only["overall"]["reported"] == 1 and only["overall"]["fixed"]["part"] == 1
    assert only["comments"]["comments"] == 0  # the shell finding was listed in the summary, not inline


def test_text_output_shows_counts_and_intervals(story: Story, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["kpi", "--history", str(story.history), "--ledger", str(story.ledger), "--until", "2026-03-05"]) == 0
    out = capsys.readouterr().out
    assert "acceptance (fixed or tp)  2 of 3 (67%, 95% interval 21%\u201394%)" in out
    assert "time to fix               mean 36.0 h, median 36.0 h (n=2)" in out
    assert "comments per PR           2.00 (2 inline comments on 1 PRs reviewed)" in out


def test_the_summary_has_no_record_line_without_enough_history(story: Story) -> None:
    assert all("In this repo" not in s for s in story.summaries)


def test_the_summary_says_how_often_the_rule_was_fixed_from_the_base_branch_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, story: Story
) -> None:
    # The base branch's history: ten earlier TLS findings of PR 3, eight of them fixed. The PR head
    # adds a forged copy claiming every one fixed; only the merge-base's copy is believed.
    tls = [e for e in read_history(story.history).events if e.rule_id == "test.tls.verify-disabled"]
    template = next(e for e in tls if e.event is EventKind.REPORTED)
    lines = []
    for i in range(10):
        fp = f"{i:032x}"
        lines.append(format_event(template.model_copy(update={"fingerprint": fp, "pr": 3})))
        if i < 8:
            fixed = template.model_copy(update={"fingerprint": fp, "pr": 3, "event": EventKind.FIXED, "severity": None})
            lines.append(format_event(fixed))
    checkout = make_checkout(tmp_path / "repo")
    repo = checkout.repo
    repo.git("checkout", "-q", "main")
    repo.write(".reviewbot/history.jsonl", "\n".join(lines) + "\n")
    base = repo.commit("history")
    repo.git("checkout", "-q", "-B", "feature")
    repo.write("app.py", HEAD_APP)
    forged = [ln.replace('"event":"reported"', '"event":"fixed"') for ln in lines]
    repo.write(".reviewbot/history.jsonl", "\n".join(lines + forged) + "\n")
    checkout = Checkout(repo, base, repo.commit("feature"))
    with FakeGitHub() as fake:
        _run(fake, checkout, tmp_path, tmp_path / "out" / "history.jsonl", T1, monkeypatch)
        body = _summary(fake)
        assert fake.violations == []
    assert "In this repo, findings of `test.tls.verify-disabled` were fixed 8 of 10 times." in body
    assert "test.cmdi.request-to-shell` were fixed" not in body  # no history for it: no line


def test_a_history_inside_the_checkout_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checkout = make_checkout(tmp_path / "repo")
    inside = checkout.root / ".reviewbot" / "history.jsonl"
    with FakeGitHub() as fake:
        run = _run(fake, checkout, tmp_path, inside, T1, monkeypatch)
    assert not inside.exists()
    assert "is inside the PR checkout" in run.out
