"""`change.guard-removed`: a change that deletes the check in front of a sink it leaves alone.

Real git repositories, the real scanners and `reviewbot scan --base` as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from reviewbot.change.diff import Removal, parse_patch
from tests.conftest import Repo

PY_BASE = """import re
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
HOST = re.compile(r"[A-Za-z0-9.-]+")


@app.route("/ping")
def ping():
    host = request.args.get("host", "")
    if not HOST.fullmatch(host):
        abort(400)
    app.logger.info("ping")
    return subprocess.run("ping -c 1 " + host, shell=True, capture_output=True).stdout
"""
GUARD = "    if not HOST.fullmatch(host):\n        abort(400)\n"

JS_BASE = """const { exec } = require('child_process');
const express = require('express');
const app = express();

app.get('/ls', (req, res) => {
  const dir = req.query.dir;
  if (!/^[a-z]+$/.test(dir)) {
    return res.status(400).end();
  }
  exec('ls ' + dir, (err, out) => res.send(out));
});
"""


def _scan(repo: Repo) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [sys.executable, "-m", "reviewbot", "scan", "--base", "HEAD~1", "--format", "json", "--no-model"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    findings: list[dict[str, Any]] = json.loads(proc.stdout)["findings"]
    return findings


def _change(repo: Repo, path: str, base: str, head: str) -> list[dict[str, Any]]:
    repo.write(path, base)
    repo.commit("base")
    repo.write(path, head)
    repo.commit("head")
    return _scan(repo)


def _derived(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["rule_id"] == "change.guard-removed"]


def test_removed_lines_know_the_new_line_they_sat_above() -> None:
    patch = (
        "diff --git a/a.py b/a.py\nindex 1111111..2222222 100644\n--- a/a.py\n+++ b/a.py\n"
        "@@ -1,5 +1,4 @@\n def f(x):\n-    if not ok(x):\n-        return\n+    y = 1\n     run(x)\n     a\n"
        "@@ -10,2 +9,1 @@\n c\n-d\n"
    )
    first, second = parse_patch(patch, source="t")[0].hunks
    assert first.removed == (Removal(2, 2, "    if not ok(x):"), Removal(2, 3, "        return"))
    assert second.removed == (Removal(10, 11, "d"),)  # the end of the hunk: below its last line


def test_a_removed_check_above_an_unchanged_shell_sink_is_a_finding_in_the_diff(repo: Repo) -> None:
    findings = _change(repo, "app.py", PY_BASE, PY_BASE.replace(GUARD, ""))
    derived = _derived(findings)
    assert len(derived) == 1, derived  # one per removed guard, standing for the worst sink
    (f,) = derived
    assert f["disposition"] == "reported" and f["in_diff"]
    assert f["start_line"] == 13  # where the check was: the line now in its place
    assert "CWE-78" in f["cwe"] and f["severity"] == "critical" and f["confidence"] == "low"
    assert "if not HOST.fullmatch(host):" in f["message"] and "base line 13" in f["message"]
    assert f["metadata"]["sink"]["line"] == 14
    sinks = [g for g in findings if g["rule_id"].startswith("python.cmdi")]
    assert sinks and all(g["disposition"] == "preexisting" for g in sinks)


def test_the_same_change_twice_gives_the_same_fingerprint(repo: Repo) -> None:
    first = _derived(_change(repo, "app.py", PY_BASE, PY_BASE.replace(GUARD, "")))
    again = _derived(_scan(repo))
    assert [f["fingerprint"] for f in first] == [f["fingerprint"] for f in again]


def test_an_unrelated_removal_is_no_finding(repo: Repo) -> None:
    findings = _change(repo, "app.py", PY_BASE, PY_BASE.replace('    app.logger.info("ping")\n', ""))
    assert _derived(findings) == []


def test_a_check_that_moved_is_no_finding(repo: Repo) -> None:
    moved = PY_BASE.replace(GUARD, "").replace('    app.logger.info("ping")\n', '    app.logger.info("ping")\n' + GUARD)
    assert _derived(_change(repo, "app.py", PY_BASE, moved)) == []


def test_a_check_removed_below_the_sink_is_no_finding(repo: Repo) -> None:
    base = PY_BASE + "\n\ndef after(host):\n    if not HOST.fullmatch(host):\n        abort(400)\n"
    assert _derived(_change(repo, "app.py", base, PY_BASE)) == []


def test_a_new_sink_is_reported_itself_not_as_a_removed_guard(repo: Repo) -> None:
    findings = _change(repo, "app.py", "x = 1\n", PY_BASE.replace(GUARD, ""))
    assert _derived(findings) == []
    assert any(f["rule_id"].startswith("python.cmdi") and f["disposition"] == "reported" for f in findings)


def test_javascript_a_removed_regex_test_before_exec(repo: Repo) -> None:
    head = JS_BASE.replace("  if (!/^[a-z]+$/.test(dir)) {\n    return res.status(400).end();\n  }\n", "")
    (f,) = _derived(_change(repo, "server.js", JS_BASE, head))
    assert f["start_line"] == 7 and f["in_diff"] and "CWE-78" in f["cwe"]
    assert "/^[a-z]+$/.test(dir)" in f["message"]


def test_it_can_be_suppressed_inline_by_its_rule_id(repo: Repo) -> None:
    # `scan --base` takes inline ignores from the base (the head is not trusted): the logger line,
    # which the anchor lands on once the check above it is gone, carries one there already.
    ignore = '    app.logger.info("ping")  # reviewbot: ignore[change.guard-removed] the proxy checks hosts\n'
    base = PY_BASE.replace('    app.logger.info("ping")\n', ignore)
    (f,) = _derived(_change(repo, "app.py", base, base.replace(GUARD, "")))
    assert f["start_line"] == 13 and f["disposition"] == "suppressed_inline"


def test_docs_name_the_rule() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text()
    assert "change.guard-removed" in docs


def test_only_checks_and_cleaning_calls_count_as_guards() -> None:
    from reviewbot.review.guard_removed import _is_guard

    names = frozenset({"rv", "value", "name"})
    guards = ["if not ok(name):", "name = shlex.quote(name)", "name = int(name)", "raise ValueError(name)"]
    rewrites = ["rv = Markup(rv)", "value = value.__html__()", 'rv = " ".join(rv)', "# if not ok(name):", "x = 1"]
    assert [_is_guard(t, names) for t in guards] == [True] * len(guards)
    assert [_is_guard(t, names) for t in rewrites] == [False] * len(rewrites)
