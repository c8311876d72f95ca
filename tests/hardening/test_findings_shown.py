"""Hardening: what is shown for a weakness, and the id a user types back into `triage mark`.

End to end through `reviewbot.cli.main.main`: real git repositories, the shipped rules and model, the
real semgrep. Every case asserts the exit code, that no traceback is printed, and what was shown.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from reviewbot.triage.ledger import read_ledger
from reviewbot.triage.scan_facts import last_report_path
from tests.conftest import Repo
from tests.github.conftest import NUMBER, REPO, Env, make_checkout, pull_request_event
from tests.github.fake_github import FakeGitHub

FLASK_YAML = """\
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/config", methods=["POST"])
def load_config():
    cfg = yaml.load(request.get_data())
    return str(cfg)
"""
YAML_LINE = 9
_ID = re.compile(r"  id ([0-9a-f]{8,32})(?:  |$)")


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def scan_json(repo: Repo, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run("scan", "--all", "--format", "json", capsys=capsys)
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    return doc


@pytest.fixture
def flask_app(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    repo.write("app.py", FLASK_YAML)
    repo.commit("flask app")
    monkeypatch.chdir(repo.root)
    return repo


def assert_never_duplicate_of_hidden(findings: list[dict[str, Any]]) -> None:
    """Every duplicate names a shown finding of its file that covers its lines."""
    for d in (f for f in findings if f["disposition"] == "duplicate"):
        named = re.match(r"same weakness reported by (\S+) at line (\d+)", d["disposition_reason"])
        assert named is not None, d["disposition_reason"]
        rep = [
            f
            for f in findings
            if f["rule_id"] == named[1] and f["start_line"] == int(named[2]) and f["path"] == d["path"]
        ]
        assert rep and all(f["disposition"] == "reported" for f in rep), (d, rep)


# -- one shown finding per weakness, never a duplicate of a hidden one ------------------------------


def test_yaml_load_in_a_flask_route_is_shown_once(flask_app: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    doc = scan_json(flask_app, capsys)
    on_line = [f for f in doc["findings"] if f["start_line"] == YAML_LINE and f["category"] == "deserialization"]
    rules = {f["rule_id"] for f in on_line}
    assert {"python.deserialization.yaml-unsafe-load", "python.deserialization.tainted-deserialization"} <= rules
    shown = [f for f in on_line if f["disposition"] == "reported"]
    assert len(shown) == 1, [(f["rule_id"], f["disposition"], f["score"]) for f in on_line]
    (best,) = shown
    # The shown one is the best-ranked: no other member of the group scored higher.
    assert all(f["score"] <= best["score"] for f in on_line)
    for other in on_line:
        if other is not best:
            assert other["disposition"] == "duplicate"
            assert other["disposition_reason"].startswith(f"same weakness reported by {best['rule_id']} at line 9")
    assert_never_duplicate_of_hidden(doc["findings"])
    code, text, _ = run("scan", "--all", capsys=capsys)
    assert code == 0 and f"  {best['rule_id']}  " in text and "yaml.load(request.get_data())" in text


def test_group_whose_best_member_is_below_threshold_marks_no_duplicate(
    flask_app: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every deserialization finding under its threshold, and no audit sample to show one anyway.
    flask_app.write(
        ".reviewbot/config.yml",
        "version: 1\nthresholds:\n  categories:\n    deserialization: 1.0\naudit:\n  sample_rate: 0\n",
    )
    doc = scan_json(flask_app, capsys)
    on_line = [f for f in doc["findings"] if f["start_line"] == YAML_LINE and f["category"] == "deserialization"]
    assert len(on_line) >= 2
    assert {f["disposition"] for f in on_line} == {"below_threshold"}
    assert all(f["disposition_reason"].startswith(f"score {f['score']:.2f} is below") for f in on_line)
    assert_never_duplicate_of_hidden(doc["findings"])


def test_the_pr_review_comments_the_shown_member_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checkout = make_checkout(tmp_path / "repo", head_app=FLASK_YAML)
    results = tmp_path / "results.json"
    with FakeGitHub() as fake:
        fake.add_pull(checkout.pull())
        env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=checkout.root)
        env.extra.update(REVIEWBOT_GITHUB_WRITE_SPACING="0")
        run = env.run("--save-results", str(results), monkeypatch=monkeypatch)
        assert run.code == 0 and "Traceback" not in run.out + run.err, run.out + run.err
        assert fake.violations == []
        comments = fake.bot_review_comments(REPO, NUMBER)
        (check,) = fake.check_runs
    findings = json.loads(results.read_text())["result"]["findings"]
    assert_never_duplicate_of_hidden(findings)
    on_line = [f for f in findings if f["start_line"] == YAML_LINE and f["category"] == "deserialization"]
    (shown,) = [f for f in on_line if f["disposition"] == "reported"]
    at_line = [c for c in comments if c["line"] == YAML_LINE]
    assert len(at_line) == 1 and shown["rule_id"] in at_line[0]["body"]
    assert all(f["rule_id"] not in at_line[0]["body"] for f in on_line if f is not shown)
    # The check run's summary counts what was hidden, duplicates included.
    assert check["conclusion"] == "neutral" and "duplicate: 1" in check["output"]["summary"]


# -- a suggested fix is never itself a finding -------------------------------------------------------


def test_an_md5_password_hash_gets_no_fast_hash_suggestion(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write(
        "auth.py", "import hashlib\n\n\ndef store(user, password):\n    user.pw = hashlib.md5(password.encode())\n"
    )
    repo.commit("auth")
    monkeypatch.chdir(repo.root)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["scan", "--all", "--no-model", "--format", "json"]) == 0
    at_5 = [f for f in json.loads(out.getvalue())["findings"] if f["start_line"] == 5]
    assert [f["rule_id"] for f in at_5 if f["disposition"] == "reported"] == ["python.hash.fast-hash-for-password"]
    assert all(f["fix"] is None or "sha256" not in f["fix"] for f in at_5)


# -- the short id: printed for every shown finding, accepted by `triage mark` -----------------------


def test_every_reported_finding_shows_a_short_id_that_triage_mark_accepts(
    flask_app: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, _ = run("scan", "--all", "--color", "never", capsys=capsys)
    assert code == 0
    headers = [line for line in text.splitlines() if re.match(r"  \d+:\d+  ", line)]
    ids = [m[1] for m in map(_ID.search, headers) if m is not None]
    report = json.loads(last_report_path(flask_app.root).read_text())
    reported = [f for f in report["findings"] if f["disposition"] == "reported"]
    assert reported and len(ids) == len(headers) == len(reported)
    by_id = {i: next(f for f in report["findings"] if f["fingerprint"].startswith(i)) for i in ids}
    assert sorted(f["fingerprint"] for f in by_id.values()) == sorted(f["fingerprint"] for f in reported)
    for short, f in by_id.items():
        assert len(short) < 32
        code, out, err = run("triage", "mark", short, "--verdict", "tp", "--who", "ada", capsys=capsys)
        assert code == 0, err
        assert f["fingerprint"] in out
    records = read_ledger(flask_app.root / ".reviewbot" / "triage.jsonl").records
    assert [(r.fingerprint, r.rule_id) for r in records] == [(f["fingerprint"], f["rule_id"]) for f in by_id.values()]


def _report(tmp_path: Path, fingerprints: list[str], path: str = "app.py") -> Path:
    findings = [{"fingerprint": fp, "rule_id": f"rule.{i}", "path": path} for i, fp in enumerate(fingerprints)]
    out = tmp_path / "report.json"
    out.write_text(json.dumps({"findings": findings}))
    return out


def test_an_ambiguous_prefix_is_refused_listing_the_candidates(
    flask_app: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, c = "0123456789" + "a" * 22, "0123456789" + "b" * 22, "f" * 32
    report = _report(tmp_path, [a, b, c], path="src/\x1b[2Jevil\u202e.py")
    code, _, err = run("triage", "mark", "01234567", "--verdict", "tp", "--report", str(report), capsys=capsys)
    assert code == 2
    assert "ambiguous" in err and a in err and b in err and c not in err
    assert "\x1b" not in err and "\u202e" not in err and "\\u001b[2Jevil\\u202e.py" in err
    assert len(err.splitlines()) == 1
    assert not (flask_app.root / ".reviewbot").exists()
    # One more digit than they share is enough.
    code, out, err = run("triage", "mark", a[:11], "--verdict", "tp", "--report", str(report), capsys=capsys)
    assert code == 0 and a in out, err


def test_an_unknown_prefix_names_the_report(flask_app: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    run("scan", "--all", capsys=capsys)
    code, _, err = run("triage", "mark", "00000000", "--verdict", "tp", capsys=capsys)
    assert code == 2
    assert "names no finding of the last scan's report" in err and str(last_report_path(flask_app.root)) in err
    assert not (flask_app.root / ".reviewbot").exists()


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("$(touch pwned)", "'$(touch pwned)'"),
        ("01234567; rm -rf ~", "'01234567; rm -rf ~'"),
        ("`id`01234567", "'`id`01234567'"),
        ("\x1b[31m01234567\x1b[0m", "'\\x1b[31m01234567\\x1b[0m'"),
        ("01234567\u202e", "'01234567\\u202e'"),
        ("0123\n4567", "'0123\\n4567'"),
    ],
    ids=["command-substitution", "semicolon", "backticks", "ansi-colour", "bidi-override", "newline"],
)
def test_a_hostile_id_is_escaped_in_the_error(
    flask_app: Repo, tmp_path: Path, given: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _report(tmp_path, ["0123456789" + "a" * 22])
    code, out, err = run("triage", "mark", given, "--verdict", "tp", "--report", str(report), capsys=capsys)
    assert code == 2 and out == ""
    assert shown in err and len(err.splitlines()) == 1
    assert "\x1b" not in err and "\u202e" not in err
    assert not (flask_app.root / ".reviewbot").exists() and not (flask_app.root / "pwned").exists()
