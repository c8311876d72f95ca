"""`--model NAME|DIR` and `--threshold P` on `scan` and `pr` do what their help says.

`--threshold` is the user's override: the config's per-rule tuning does not undo it. `--model`
names a bundled model first (`default`), then a folder; on the PR path a folder inside the
checkout is the PR's own and is refused. A card edited inconsistently with its model.txt is
refused at load.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from reviewbot.learn.scoring import ModelError, Scorer
from tests.conftest import Repo
from tests.github.conftest import NUMBER, REPO, Checkout, Env, pull_request_event
from tests.github.fake_github import FakeGitHub
from tests.hardening.test_trusted_side import APP, MODELS, RULE

# The base branch's tuning: this rule is shown from a score of 0.01 on.
LOW_RULE_THRESHOLD = f"version: 1\nthresholds:\n  rules:\n    {RULE}: 0.01\naudit:\n  sample_rate: 0\n"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_git: None) -> Repo:
    root = tmp_path / "repo"
    root.mkdir()
    r = Repo(root)
    r.write(".reviewbot/config.yml", LOW_RULE_THRESHOLD)
    r.commit("base")
    monkeypatch.chdir(root)
    return r


def _finding(out: str) -> dict[str, Any]:
    (finding,) = [f for f in json.loads(out)["findings"] if f["rule_id"] == RULE]
    return dict(finding)


def test_scan_threshold_beats_the_configs_per_rule_threshold(repo: Repo) -> None:
    repo.write("app.py", APP)
    code, out, err = _run("scan", "--all", "--format", "json")
    assert code == 0, err
    assert _finding(out)["disposition"] == "reported"  # the tuning alone shows it
    code, out, err = _run("scan", "--all", "--threshold", "0.99999", "--format", "json", "--fail-on", "high")
    assert code == 0, err
    finding = _finding(out)
    assert finding["disposition"] == "below_threshold"
    assert "threshold 1.00 of model default (from --threshold)" in finding["disposition_reason"]


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan", "high"])
def test_scan_threshold_outside_0_1_is_bad_usage(repo: Repo, value: str) -> None:
    code, _, err = _run("scan", "--all", "--threshold", value)
    assert code == 2 and "not a probability in 0..1" in err and "Traceback" not in err


def test_scan_threshold_with_no_model_is_bad_usage(repo: Repo) -> None:
    # An override that cannot take effect is refused, not silently ignored.
    code, out, err = _run("scan", "--all", "--no-model", "--threshold", "0.5")
    assert code == 2 and "--threshold has no effect with --no-model" in err and out == ""


def test_scan_model_names_a_bundled_model_even_where_a_folder_has_that_name(repo: Repo) -> None:
    repo.write("app.py", APP)
    repo.write("default/README.md", "not a model\n")  # a folder named like the bundled model
    code, out, err = _run("scan", "--all", "--model", "default", "--format", "json")
    assert code == 0, err
    assert _finding(out)["score"] is not None


def test_a_card_edited_inconsistently_with_its_model_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    for name in ("model.txt", "card.json"):
        shutil.copyfile(MODELS / "default" / name, folder / name)
    Scorer.load(folder)  # the copy as shipped loads
    card = json.loads((folder / "card.json").read_text())
    card["num_trees"] = 3
    (folder / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="num_trees or monotone constraints differ"):
        Scorer.load(folder)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server
        assert server.violations == [], "requests that do not match GitHub's API description"


def _pr(repo: Repo, tmp_path: Path, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", APP)
    checkout = Checkout(repo, base, repo.commit("feature"))
    fake.add_pull(checkout.pull())
    results = tmp_path / "results.json"
    env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=repo.root)
    run = env.run("--save-results", str(results), *args, monkeypatch=monkeypatch)
    assert run.code == 0 and "Traceback" not in run.out
    return run, (json.loads(results.read_text())["result"] if results.exists() else None)


def test_pr_threshold_beats_the_base_branchs_tuning(
    repo: Repo, tmp_path: Path, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, result = _pr(repo, tmp_path, fake, monkeypatch, "--threshold", "0.99999")
    (finding,) = [f for f in result["findings"] if f["rule_id"] == RULE]
    assert finding["disposition"] == "below_threshold" and "(from --threshold)" in finding["disposition_reason"]
    assert not any(RULE in c["body"] for c in fake.bot_review_comments(REPO, NUMBER))


def test_pr_model_default_is_the_bundled_model_not_a_folder_in_the_checkout(
    repo: Repo, tmp_path: Path, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    run, result = _pr(repo, tmp_path, fake, monkeypatch, "--model", "default")
    assert "no review for this change" not in run.out
    (finding,) = [f for f in result["findings"] if f["rule_id"] == RULE]
    assert finding["score"] is not None and finding["disposition"] == "reported"
    assert any(RULE in c["body"] for c in fake.bot_review_comments(REPO, NUMBER))


def test_pr_model_folder_inside_the_checkout_is_refused_with_a_notice(
    repo: Repo, tmp_path: Path, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(MODELS / "default", repo.root / "mymodel")
    run, result = _pr(repo, tmp_path, fake, monkeypatch, "--model", str(repo.root / "mymodel"))
    assert result is None and fake.reviews == []
    assert "inside the PR checkout" in run.out and "a model from the PR is never used" in run.out
    assert fake.check_runs[0]["conclusion"] == "neutral"
