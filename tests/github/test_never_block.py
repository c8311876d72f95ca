"""Whatever goes wrong, `reviewbot pr` exits 0 with a readable notice (and a neutral check when it can)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.github.conftest import Checkout, Env, Reviewed, pull_request_event
from tests.github.fake_github import FakeGitHub


def test_a_merge_ref_checkout_is_refused_with_a_neutral_check(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    # The event says the PR head is a commit the checkout is not at (e.g. the merge ref was checked out).
    elsewhere = Checkout(reviewed.checkout.repo, reviewed.checkout.base_sha, "c" * 40)
    pull = reviewed.checkout.pull()
    pull.head_sha = "c" * 40
    fake.add_pull(pull)
    env = Env(fake, pull_request_event(tmp_path, elsewhere), tmp_path, workspace=reviewed.checkout.root)
    run = env.run(monkeypatch=monkeypatch)
    assert run.code == 0
    (check,) = fake.check_runs
    assert check["conclusion"] == "neutral" and check["head_sha"] == "c" * 40
    assert "check out the PR head" in check["output"]["summary"]
    assert fake.reviews == [] and "::warning title=reviewbot::no review for this change" in run.out


def test_rules_from_the_pr_checkout_are_never_used(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    fake.add_pull(reviewed.checkout.pull())
    env = Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path, workspace=reviewed.checkout.root)
    env.extra["REVIEWBOT_RULES"] = str(reviewed.checkout.root)
    run = env.run(monkeypatch=monkeypatch)
    assert run.code == 0
    assert "inside the PR checkout" in run.out and fake.reviews == []
    assert fake.check_runs[0]["conclusion"] == "neutral"


@pytest.mark.parametrize("problem", ["missing", "not-json", "no-repository"])
def test_a_broken_environment_is_a_notice_and_exit_0(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    event = tmp_path / "event.json"
    if problem == "not-json":
        event.write_text("{")
    env = Env(fake, event, tmp_path)
    if problem == "no-repository":
        event.write_text(json.dumps({}))
        env.extra["GITHUB_REPOSITORY"] = ""
    run = env.run(monkeypatch=monkeypatch)
    assert run.code == 0
    assert "::warning title=reviewbot::reviewbot did not finish" in run.out
    assert fake.requests == []


def test_no_token_reports_annotations_only(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path)
    env.token = ""
    run = env.run("--results", str(reviewed.results), monkeypatch=monkeypatch)
    assert run.code == 0 and fake.requests == []
    assert sum(line.startswith("::warning file=") for line in run.commands) == 3
    assert "GITHUB_TOKEN is not set" in run.out


def test_bad_input_values_fall_back_to_defaults_with_a_notice(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    fake.add_pull(reviewed.checkout.pull())
    env = Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path)
    env.extra.update(REVIEWBOT_MAX_COMMENTS="lots", REVIEWBOT_SARIF_UPLOAD="maybe")
    run = env.run("--results", str(reviewed.results), monkeypatch=monkeypatch)
    assert run.code == 0
    assert "max-comments='lots'" in run.out and "sarif-upload='maybe'" in run.out
    assert len(fake.bot_review_comments("octo-org/hello", 7)) == 2


def test_a_model_that_cannot_be_loaded_is_a_notice_not_a_failure(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.add_pull(reviewed.checkout.pull())
    env = Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path)
    env.extra.update(REVIEWBOT_MODEL=str(tmp_path / "no-such-model"))
    run = env.run("--repo", str(reviewed.checkout.root), monkeypatch=monkeypatch)
    assert run.code == 0
    # The model costs the review its scores, not the review: posted unscored, the notice says why.
    notice = next(line for line in run.out.splitlines() if "the model could not be loaded" in line)
    assert "no-such-model" in notice and "every finding is shown unscored" in notice
    assert fake.bot_review_comments("octo-org/hello", 7)


def test_a_results_path_that_is_a_folder_is_a_notice(
    fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path)
    run = env.run("--results", str(tmp_path), monkeypatch=monkeypatch)
    assert run.code == 0 and "cannot read the results file" in run.out and fake.requests == []
