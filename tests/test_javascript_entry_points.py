"""A JavaScript/TypeScript change through every entry point, with the shipped rules and the real
semgrep: `scan --staged` (what the pre-commit hook runs), `scan --base` and SARIF. The PR review is
tests/github/test_javascript_pr.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from reviewbot.cli.main import main
from tests.conftest import Repo

CHECKOUT = Path(__file__).resolve().parent.parent

CLEAN_JS = "export function add(a, b) {\n  return a + b;\n}\n"
# A five-line change with two findings: TLS off (a rule with a fix) and a shell command built at run time.
CLIENT_JS = """const https = require("https");
const cp = require("child_process");
const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
function list(dir) { cp.exec("ls " + dir); }
module.exports = { agent, list };
"""
SERVER_TS = """import express from "express";
const app = express();
app.get("/calc", (req: express.Request, res: express.Response) => {
  res.json({ value: eval(req.query.expr as string) });
});
"""
VIEW_TSX = """export function Comment({ body }: { body: string }) {
  return <div dangerouslySetInnerHTML={{ __html: body }} />;
}
"""
TLS = "javascript.tls.reject-unauthorized-disabled"
CMDI = "javascript.cmdi.shell-non-constant-command"
EVAL = "javascript.codeinj.eval-non-literal"
REACT = "javascript.xss.react-dangerously-set-inner-html"


def scan(repo: Repo, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    os.chdir(repo.root)
    # Unscored: these tests are about the entry points and the rules; what the default model makes
    # of JS findings is docs/model-card.md's subject.
    code = main(["scan", "--no-model", *args])
    return code, capsys.readouterr().out


def new_findings(doc: dict[str, Any]) -> set[tuple[str, str, int]]:
    return {(f["rule_id"], f["path"], f["start_line"]) for f in doc["findings"] if f["disposition"] == "reported"}


def test_the_pre_commit_hook_runs_on_javascript_and_typescript_commits() -> None:
    from identify.identify import tags_from_filename

    (hook,) = yaml.safe_load((CHECKOUT / ".pre-commit-hooks.yaml").read_text())
    for name in ("a.js", "a.mjs", "a.cjs", "a.jsx", "a.ts", "a.tsx"):
        assert set(hook["types_or"]) & tags_from_filename(name), name


def test_staged_reports_the_javascript_typescript_and_tsx_findings_it_adds(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("web/math.js", CLEAN_JS)
    repo.commit("base")
    repo.write("web/client.js", CLIENT_JS)
    repo.write("api/server.ts", SERVER_TS)
    repo.write("web/Comment.tsx", VIEW_TSX)
    repo.write("web/unstaged.js", CLIENT_JS)  # not staged: not reviewed
    repo.git("add", "web/client.js", "api/server.ts", "web/Comment.tsx")

    code, out = scan(repo, capsys, "--staged", "--format", "json")

    assert code == 0  # advisory
    doc = json.loads(out)
    assert new_findings(doc) == {
        (TLS, "web/client.js", 3),
        (CMDI, "web/client.js", 4),
        (EVAL, "api/server.ts", 4),
        (REACT, "web/Comment.tsx", 2),
    }
    [tls] = [f for f in doc["findings"] if f["rule_id"] == TLS]
    assert "rejectUnauthorized: true" in tls["fix"]
    assert len(tls["fingerprint"]) == 32


def test_base_reports_only_what_the_branch_adds(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("web/client.js", CLIENT_JS)  # its two findings are on the base already
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    moved = "// a header comment moves every line down\n\n" + CLIENT_JS  # same findings, new lines
    repo.write("web/client.js", moved.replace('cp.exec("ls " + dir);', 'cp.exec("ls " + dir);\n  cp.execSync(dir);'))
    repo.write("api/server.ts", SERVER_TS)
    repo.commit("feature")

    code, out = scan(repo, capsys, "--base", base, "--format", "json")

    assert code == 0
    doc = json.loads(out)
    # the moved findings keep their fingerprints (no line numbers in them), so only the new ones show
    assert new_findings(doc) == {(CMDI, "web/client.js", 7), (EVAL, "api/server.ts", 4)}


def test_sarif_carries_the_javascript_rules_fingerprints_and_fixes(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("web/client.js", CLIENT_JS)
    repo.commit("base")
    out = tmp_path / "report.sarif"

    code, _ = scan(repo, capsys, "--all", "--format", "sarif", "-o", str(out))

    assert code == 0
    [run] = json.loads(out.read_text())["runs"]
    results = {r["ruleId"]: r for r in run["results"]}
    assert {TLS, CMDI} <= set(results)
    tls = results[TLS]
    assert tls["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "web/client.js"
    assert tls["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert len(tls["partialFingerprints"]["reviewbot/v1"]) == 32
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "CWE-295" in json.dumps(rules[TLS])
