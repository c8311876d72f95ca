"""Hardening: a change cannot judge itself through the files reviewbot reads from the repository.

The head of the change adds one of the files a review reads besides the code (a model, a config,
a suppressions file, a ledger verdict) or a rules-looking folder, each made to hide a new SQL
injection. Reviewed the way a pull request is (`scan --base`, `scan --diff`, `reviewbot pr`),
none of them is read: the injection is still reported (exit 1 with --fail-on high; posted on the
PR). Reviewed as the developer's own change (`--staged`, `--all`), the same files do take
effect, which proves the mechanism is tested rather than switched off.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from reviewbot.policy.audit import is_sampled
from tests.conftest import Repo
from tests.github.conftest import NUMBER, REPO, Checkout, Env, pull_request_event
from tests.github.fake_github import FakeGitHub

MODELS = Path(__file__).resolve().parents[2] / "models"
RULE = "python.sqli.tainted-sql-query"
APP = """\
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/users")
def search_users():
    term = request.args.get("term", "")
    sqlite3.connect("db.sqlite").execute("SELECT * FROM users WHERE name = '" + term + "'")
    return "ok"
"""
LEDGER_LINE = (
    '{"schema_version": 1, "fingerprint": "%s", "rule_id": "%s", "verdict": "false_positive", '
    '"reason": "test host", "who": "mallory", "when": "2026-01-01T00:00:00Z", "source": "cli"}\n'
)


def _copy_model(root: Path) -> Path:
    dest = root / ".reviewbot" / "model"
    dest.mkdir(parents=True)
    for name in ("model.txt", "card.json"):
        shutil.copyfile(MODELS / "default" / name, dest / name)
    return dest


def _edit_card(folder: Path, **changes: Any) -> None:
    card = json.loads((folder / "card.json").read_text())
    card.update(changes)
    (folder / "card.json").write_text(json.dumps(card))


def model_with_edited_card(root: Path, fp: str) -> None:
    _edit_card(_copy_model(root), threshold=0.99999)  # model.txt unchanged: its sha256 still matches


def model_replaced_with_matching_sha(root: Path, fp: str) -> None:
    folder = _copy_model(root)
    text = (folder / "model.txt").read_text()
    # Every leaf strongly negative: every score near 0, i.e. "nobody would act on this".
    text = re.sub(r"^leaf_value=.*$", lambda m: "leaf_value=" + " ".join("-5" for _ in m[0].split()), text, flags=re.M)
    (folder / "model.txt").write_text(text)
    _edit_card(folder, model_sha256=hashlib.sha256(text.encode()).hexdigest())


def pickled_model(root: Path, fp: str) -> None:
    folder = _copy_model(root)
    # Protocol 0 is ASCII, so the file also travels in a text patch (--diff). The loader opens
    # only model.txt and card.json, so the pickle goes where it would be opened, its sha in the card.
    data = pickle.dumps({"threshold": 1.0}, protocol=0)
    (folder / "model.txt").write_bytes(data)
    _edit_card(folder, model_sha256=hashlib.sha256(data).hexdigest())


def config_raising_thresholds(root: Path, fp: str) -> None:
    (root / ".reviewbot").mkdir(exist_ok=True)
    (root / ".reviewbot" / "config.yml").write_text(
        f"version: 1\nthreshold: 0.99999\nthresholds:\n  rules:\n    {RULE}: 1.0\naudit:\n  sample_rate: 0\n"
    )


def suppressions_file(root: Path, fp: str) -> None:
    (root / ".reviewbot").mkdir(exist_ok=True)
    (root / ".reviewbot" / "suppressions.yml").write_text(
        f"version: 1\nsuppressions:\n  - id: sup-hide\n    rule: {RULE}\n    reason: not reachable\n"
        "    owner: mallory\n    permanent: true\n"
    )


def ledger_verdict(root: Path, fp: str) -> None:
    (root / ".reviewbot").mkdir(exist_ok=True)
    (root / ".reviewbot" / "triage.jsonl").write_text(LEDGER_LINE % (fp, RULE))


def rules_folder(root: Path, fp: str) -> None:
    # A rule of the same id that can never match, where a rules folder might be looked for.
    quiet = (
        f"rules:\n  - id: {RULE}\n    languages: [python]\n    severity: INFO\n    message: x\n"
        "    pattern: never_called_zz()\n"
    )
    for folder in (root / ".reviewbot" / "rules", root / "rules"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "sqli.yaml").write_text(quiet)


Attack = Callable[[Path, str], None]
# What each attack does when the head IS trusted: the disposition it gives the injection, or the
# exit code and the text of the error when reviewbot refuses the file outright.
ATTACKS: dict[str, tuple[Attack, str]] = {
    "model-edited-card": (model_with_edited_card, "below_threshold"),
    "model-replaced-matching-sha": (model_replaced_with_matching_sha, "below_threshold"),
    "pickled-model-file": (pickled_model, "refused:model.txt"),
    "config-raising-thresholds": (config_raising_thresholds, "below_threshold"),
    "suppressions-file": (suppressions_file, "suppressed_file"),
    "ledger-false-positive": (ledger_verdict, "triaged"),
    "rules-looking-folder": (rules_folder, "reported"),  # rules only ever come from --rules
}


@pytest.fixture(scope="module")
def fingerprint(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The injection's fingerprint, as a first scan shows it (it keys the ledger verdict)."""
    root = tmp_path_factory.mktemp("fp") / "repo"
    root.mkdir()
    Repo(root)
    (root / "app.py").write_text(APP)
    doc = _scan_json(root, "--all", "--no-model")
    (fp,) = [f["fingerprint"] for f in doc["findings"] if f["rule_id"] == RULE]
    # A demoted finding drawn for the audit sample is shown anyway: the trusted cases need one
    # that is not, or "the model demoted it" would look like "the model was not read".
    assert not is_sampled(fp, 0.02, "reviewbot-audit-1")
    return str(fp)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server
        assert server.violations == [], "requests that do not match GitHub's API description"


def _scan(root: Path, *args: str) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["scan", "--repo", str(root), *args])
    return code, out.getvalue(), err.getvalue()


def _scan_json(root: Path, *args: str) -> dict[str, Any]:
    code, out, err = _scan(root, *args, "--format", "json")
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    return doc


def _disposition(doc: dict[str, Any]) -> str:
    (finding,) = [f for f in doc["findings"] if f["rule_id"] == RULE]
    return str(finding["disposition"])


def _base_repo(tmp_path: Path) -> Repo:
    root = tmp_path / "repo"
    root.mkdir()
    repo = Repo(root)
    repo.write("README.md", "service\n")
    repo.commit("base")
    return repo


def _head(repo: Repo, attack: Attack, fp: str) -> None:
    repo.write("app.py", APP)
    attack(repo.root, fp)


def _untrusted_local(mode: str, repo: Repo, attack: Attack, fp: str, tmp_path: Path) -> list[str]:
    """Set up the change the way `mode` reviews it; the scan arguments."""
    if mode == "base":
        repo.git("checkout", "-q", "-b", "feature")
        _head(repo, attack, fp)
        repo.commit("feature")
        return ["--base", "main"]
    _head(repo, attack, fp)
    repo.git("add", "-A")
    patch = tmp_path / "change.patch"
    patch.write_text(repo.git("diff", "--cached", "--binary"))
    repo.git("reset", "-q", "--hard")  # the checkout is the base: the patch is never applied to it
    repo.git("clean", "-qfdx")
    return ["--diff", str(patch)]


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
@pytest.mark.parametrize("mode", ["base", "diff"])
def test_an_untrusted_head_cannot_hide_its_finding(
    mode: str, attack: str, fingerprint: str, tmp_path: Path, isolated_git: None
) -> None:
    repo = _base_repo(tmp_path)
    args = _untrusted_local(mode, repo, ATTACKS[attack][0], fingerprint, tmp_path)
    code, out, err = _scan(repo.root, *args, "--fail-on", "high", "--format", "json")
    assert "Traceback" not in out + err
    assert code == 1, err
    (finding,) = [f for f in json.loads(out)["findings"] if f["rule_id"] == RULE]
    assert finding["disposition"] == "reported"
    assert "below the threshold" not in finding["disposition_reason"]


TRUSTED = {k: v for k, v in ATTACKS.items() if k != "rules-looking-folder"}


@pytest.mark.parametrize("attack", list(TRUSTED), ids=list(TRUSTED))
@pytest.mark.parametrize("mode", ["staged", "all"])
def test_the_developers_own_change_does_apply_the_same_files(
    mode: str, attack: str, fingerprint: str, tmp_path: Path, isolated_git: None
) -> None:
    repo = _base_repo(tmp_path)
    make, expected = TRUSTED[attack]
    _head(repo, make, fingerprint)
    if mode == "staged":
        repo.git("add", "-A")
    code, out, err = _scan(
        repo.root, "--staged" if mode == "staged" else "--all", "--fail-on", "high", "--format", "json"
    )
    assert "Traceback" not in out + err
    if expected.startswith("refused:"):
        # A protocol-0 pickle is plain text: refused as not a LightGBM text model, never unpickled.
        assert code == 2 and expected.removeprefix("refused:") in err and "not a LightGBM text model" in err
        return
    assert code == 0, err
    assert _disposition(json.loads(out)) == expected


def test_without_any_of_them_the_finding_is_reported_in_every_mode(tmp_path: Path, isolated_git: None) -> None:
    """The control: the same injection alone fails --fail-on high in the developer's modes too."""
    repo = _base_repo(tmp_path)
    repo.write("app.py", APP)
    repo.git("add", "-A")
    for mode in ("--staged", "--all"):
        code, _, err = _scan(repo.root, mode, "--fail-on", "high")
        assert code == 1, (mode, err)


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_a_pull_request_cannot_hide_its_finding(
    attack: str,
    fingerprint: str,
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    isolated_git: None,
) -> None:
    repo = _base_repo(tmp_path)
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "feature")
    _head(repo, ATTACKS[attack][0], fingerprint)
    head = repo.commit("feature")
    checkout = Checkout(repo, base, head)
    fake.add_pull(checkout.pull())
    results = tmp_path / "results.json"
    env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=repo.root)
    monkeypatch.chdir(repo.root)  # as in Actions: the working directory is the PR checkout
    run = env.run("--save-results", str(results), monkeypatch=monkeypatch)
    assert run.code == 0
    assert "Traceback" not in run.out + run.err
    doc = json.loads(results.read_text())["result"]
    assert _disposition(doc) == "reported"
    posted = fake.bot_review_comments(REPO, NUMBER)
    assert any(RULE in c["body"] for c in posted), [c["body"][:80] for c in posted]
    assert all("test host" not in c["body"] for c in posted)  # the head's verdict is not shown as a reason


@pytest.mark.parametrize(
    "break_model",
    [
        pytest.param(lambda folder: _edit_card(folder, feature_schema="0"), id="card-of-another-feature-schema"),
        pytest.param(lambda folder: (folder / "model.txt").write_text("tree\nnot really\n"), id="model-txt-tampered"),
    ],
)
def test_a_broken_model_on_the_base_costs_the_scores_not_the_review(
    break_model: Callable[[Path], Any],
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    isolated_git: None,
) -> None:
    """The team's own model on the base branch no longer loads: the PR is still reviewed, every
    finding unscored (and so shown), with a note saying why."""
    repo = _base_repo(tmp_path)
    break_model(_copy_model(repo.root))
    base = repo.commit("a model that no longer loads")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", APP)
    head = repo.commit("feature")
    checkout = Checkout(repo, base, head)
    fake.add_pull(checkout.pull())
    results = tmp_path / "results.json"
    env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=repo.root)
    monkeypatch.chdir(repo.root)
    run = env.run("--save-results", str(results), monkeypatch=monkeypatch)
    assert run.code == 0 and "Traceback" not in run.out + run.err
    doc = json.loads(results.read_text())["result"]
    (finding,) = [f for f in doc["findings"] if f["rule_id"] == RULE]
    assert finding["disposition"] == "reported" and finding["score"] is None
    assert finding["unscored_reason"].startswith("not scored: the model could not be loaded (.reviewbot/model")
    assert any("every finding is shown unscored" in note for note in doc["notes"]), doc["notes"]
    assert any(RULE in c["body"] for c in fake.bot_review_comments(REPO, NUMBER))
