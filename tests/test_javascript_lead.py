"""The security lead's toolkit on JavaScript findings, with the shipped rules and the real semgrep:
`triage mark`, `suppress add` (and the scan honouring it), the HTML report, and `replay` over a
JavaScript history. The developer's and the PR's entry points are test_javascript_entry_points.py
and tests/github/test_javascript_pr.py.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from tests.conftest import Repo

BASE_JS = "export function add(a, b) {\n  return a + b;\n}\n"
# Two findings: a shell command built at run time, and TLS verification off.
CLIENT_JS = """const https = require("https");
const cp = require("child_process");
const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
function list(dir) { cp.exec("ls " + dir); }
module.exports = { agent, list };
"""
CMDI = "javascript.cmdi.shell-non-constant-command"
TLS = "javascript.tls.reject-unauthorized-disabled"


def run(repo: Repo, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    os.chdir(repo.root)
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def scan_json(repo: Repo, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out = run(repo, capsys, "scan", "--no-model", "--all", "--format", "json", *args)
    assert code == 0, out
    doc: dict[str, Any] = json.loads(out)
    return doc


def by_rule(doc: dict[str, Any], rule: str) -> dict[str, Any]:
    findings: list[dict[str, Any]] = [f for f in doc["findings"] if f["rule_id"] == rule]
    [finding] = findings
    return finding


@pytest.fixture
def js_repo(repo: Repo) -> Repo:
    repo.write("web/math.js", BASE_JS)
    repo.write("web/client.js", CLIENT_JS)
    repo.commit("base")
    return repo


def test_triage_mark_records_the_javascript_finding_with_its_features(
    js_repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "scan.json"
    report.write_text(json.dumps(scan_json(js_repo, capsys)))
    cmdi = by_rule(json.loads(report.read_text()), CMDI)
    ledger = tmp_path / "triage.jsonl"

    code, out = run(
        js_repo, capsys, "triage", "mark", cmdi["fingerprint"][:12], "--verdict", "fp",
        "--reason", "dir is a fixed folder name", "--report", str(report), "--ledger", str(ledger), "--who", "lead",
    )  # fmt: skip

    assert code == 0, out
    [record] = [json.loads(line) for line in ledger.read_text().splitlines()]
    assert record["fingerprint"] == cmdi["fingerprint"]
    assert record["rule_id"] == CMDI and record["path"] == "web/client.js"
    assert record["verdict"] == "false_positive" and record["reason"] == "dir is a fixed folder name"
    # the row a retrain reads: the JavaScript language feature set, from the report
    assert record["features"]["language.javascript"] == 1.0
    assert record["features"]["language.python"] == 0.0


def test_a_suppression_hides_the_javascript_finding_and_the_report_says_why(
    js_repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(
        js_repo, capsys, "suppress", "add", "--rule", CMDI, "--path", "web/**",
        "--reason", "internal admin tool, never exposed", "--expires", "30d", "--owner", "lead",
    )  # fmt: skip
    assert code == 0, out

    doc = scan_json(js_repo, capsys)

    assert by_rule(doc, CMDI)["disposition"] == "suppressed_file"
    assert by_rule(doc, TLS)["disposition"] == "reported"  # scoped to one rule: the other stays
    saved = tmp_path / "reports"
    saved.mkdir()
    (saved / "scan.json").write_text(json.dumps(doc))
    page = tmp_path / "report.html"
    code, out = run(js_repo, capsys, "report", "--reports", str(saved), "--out", str(page))
    assert code == 0, out
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))  # what a reader sees
    # the page lists the hidden JavaScript finding, where it is, and the entry that hides it
    assert f"suppressed_file{CMDI}web/client.js:4" in text
    assert "internal admin tool, never exposed" in text


def test_replay_shows_what_each_javascript_commit_would_have_been_told(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("web/math.js", BASE_JS)
    repo.commit("base")
    repo.write("web/client.js", CLIENT_JS)
    vulnerable = repo.commit("add a client")
    repo.write("web/math.js", BASE_JS + "export const two = add(1, 1);\n")
    harmless = repo.commit("a harmless edit")

    code, out = run(repo, capsys, "replay", "--last", "2", "--no-model", "--format", "json")

    assert code == 0, out
    doc = json.loads(out)
    changes = {c["head_commit"]: c for c in doc["changes"]}
    assert set(changes) == {vulnerable, harmless}
    reported = {
        (f["rule_id"], f["start_line"])
        for f in changes[vulnerable]["review"]["findings"]
        if f["disposition"] == "reported"
    }
    assert reported == {(CMDI, 4), (TLS, 3)}
    assert changes[harmless]["review"]["summary"]["reported"] == 0
    assert doc["summary"]["reported"] == 2 and doc["summary"]["changes_with_finding"] == 1
