"""`reviewbot pr` with the LLM: the action's inputs switch it on, a fork's pull request never.

Through the real CLI, the real semgrep, the loopback GitHub and the loopback OpenAI fake. The
key comes as the action passes its `llm-api-key` input (REVIEWBOT_LLM_API_KEY).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.github.conftest import RULES, Env, make_checkout, pull_request_event
from tests.github.fake_github import BOT, FakeGitHub
from tests.hardening.gfm import live_parts
from tests.llm.fake_openai import KEY, FakeOpenAI
from tests.llm.support import honest


def _run(tmp: Path, monkeypatch: pytest.MonkeyPatch, *, head_repo: str) -> tuple[FakeGitHub, FakeOpenAI, str]:
    checkout = make_checkout(tmp / "repo")
    llm = FakeOpenAI(honest)
    with FakeGitHub() as github, llm.running():
        github.add_pull(checkout.pull(head_repo=head_repo))
        extra = {"REVIEWBOT_LLM": "true", "REVIEWBOT_LLM_API_KEY": KEY, "OPENAI_BASE_URL": llm.url}
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        event = pull_request_event(tmp, checkout, head_repo=head_repo)
        run = Env(github, event, tmp, workspace=checkout.root, extra=extra).run(
            "--rules", str(RULES), monkeypatch=monkeypatch
        )
    assert run.code == 0 and "Traceback" not in run.out + run.err
    assert github.violations == [] and llm.violations == []
    return github, llm, run.out


def test_the_action_input_turns_it_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    github, llm, out = _run(tmp_path, monkeypatch, head_repo="octo-org/hello")
    assert llm.requests
    bodies = [c["body"] for c in github.review_comments if c["user"]["login"] == BOT]
    labelled = [b for b in bodies if "The LLM's words" in b]
    assert labelled
    fixes = frozenset(
        block.split("\n", 1)[1].rsplit("\n```", 1)[0] for b in bodies for block in b.split("```suggestion")[1:]
    )
    assert all(live_parts(b, suggestions=fixes) == [] for b in bodies)
    assert KEY not in out and all(KEY not in b for b in bodies)


def test_never_on_a_fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    github, llm, out = _run(tmp_path, monkeypatch, head_repo="forker/hello")
    assert llm.requests == []
    assert "llm: not used on a pull request from a fork" in out
    assert not any("The LLM's words" in c["body"] for c in github.review_comments)
