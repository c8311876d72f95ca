"""Nothing the PR controls renders as a link, mention, image, heading, HTML or code block.

`reviewbot pr` runs through the real CLI against the loopback GitHub, and every text it sends —
review comments and review body, the summary comment, the check run's title, summary and
annotations, the job summary, the workflow-command annotations of the fallback — is rendered
with cmark-gfm and GitHub's extensions (tests/hardening/gfm.py) and checked on the HTML.

Two ways in: a real checkout whose file names and code carry the payloads (reviewed by the real
semgrep), and a results artifact whose every text field carries one (the workflow_run stage
posting what an untrusted first stage wrote), posted with a write token and with a read-only
token (the fallback: annotations and the job summary only).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import (
    HEAD_APP,
    NUMBER,
    REPO,
    RULES,
    Checkout,
    Env,
    Run,
    make_checkout,
    pull_request_event,
    workflow_run_event,
)
from tests.github.fake_github import FakeGitHub
from tests.hardening.gfm import live_parts, visible_text

TOKEN = "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
# id → payload. Each would be live in GitHub markdown if it were pasted as it is.
PAYLOADS = {
    "url": "https://evil.example/approve.py",
    "www": "www.evil.example",
    "email": "security@evil.example",
    "mention": "@octocat",
    "team": "@octo-org/admins",
    "issue": "#123",
    "cross-repo": "octo-org/hello#1",
    "gh-ref": "GH-42",
    "md-image": "![img](https://evil.example/x.png)",
    "md-link": "[approve](https://evil.example)",
    "img-tag": '<img src="https://evil.example/x.png">',
    "script": "<script>alert(1)</script>",
    "details": "<details open><summary>LGTM</summary>",
    "heading": "\n# Approved by security\n",
    "fence": "\n```\nfenced\n```\n",
    "backticks": "`` ` `` ```",
    "table": "\n| a | b |\n|---|---|\n| c | d |\n",
    "tasklist": "\n- [x] approved\n",
    "token": f"headers={{'Authorization': 'token {TOKEN}'}}",
}
# File names the checkout carries (each a new file with one TLS finding): what a path may hold.
FILE_NAMES = {
    "www": "www.evil.example/approve.py",
    "email": "security@evil.example.py",
    "mention": "@octocat.py",
    "team": "@octo-org/admins.py",
    "issue": "#123.py",
    "cross-repo": "octo-org/hello#1.py",
    "md-image": "![img](x).py",
    "img-tag": "<img src=x>.py",
    "details": "<details>.py",
    "backticks": "`tick`.py",
    "heading": "# Approved.py",
}
# The code of those files: a comment after the call lands in the fix, so in the suggestion.
CODE = (
    "import requests\n\n\ndef fetch():\n"
    '    return requests.get("https://x", verify=False)  # ``` </details> @octocat #1 www.evil.example <img src=x>\n'
)
_FIELDS = {"body", "title", "summary", "text", "message", "raw_details"}


def _strings(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, str) and key in _FIELDS:
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def _unescape_command(message: str) -> str:
    return message.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def posted(fake: FakeGitHub, run: Run) -> list[str]:
    """Every text sent to GitHub that it shows, the job summary, and the fallback's annotations."""
    texts = [s for r in fake.requests if r.method != "GET" for s in _strings(r.body)]
    if run.summary.strip():
        texts.append(run.summary)
    texts += [_unescape_command(line.split("::", 2)[2]) for line in run.commands]
    return texts


def _check(texts: list[str], suggestions: frozenset[str]) -> None:
    assert texts
    for text in texts:
        assert live_parts(text, suggestions=suggestions) == [], text
        assert TOKEN[4:] not in text


@dataclass
class Reviewed:
    checkout: Checkout
    texts: list[str]  # every text the review posted
    results: dict[str, Any]
    paths: set[str]  # the files commented inline


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reviewed]:
    tmp = tmp_path_factory.mktemp("markdown")
    checkout = make_checkout(tmp / "repo", HEAD_APP)
    repo = checkout.repo
    for name in FILE_NAMES.values():
        repo.write(name, CODE)
    checkout.head_sha = repo.commit("files with names and code from the PR")
    results = tmp / "results.json"
    with FakeGitHub() as fake, pytest.MonkeyPatch.context() as mp:
        fake.add_pull(checkout.pull())
        env = Env(fake, pull_request_event(tmp, checkout), tmp, workspace=repo.root)
        env.extra.update(REVIEWBOT_RULES=str(RULES), REVIEWBOT_GITHUB_WRITE_SPACING="0")
        run = env.run("--save-results", str(results), monkeypatch=mp)
        assert run.code == 0, run.out + run.err
        assert "Traceback" not in run.out + run.err
        assert fake.violations == []
        doc = json.loads(results.read_text())
        fixes = frozenset(f["fix"] for f in doc["result"]["findings"] if f["fix"])
        texts = posted(fake, run)
        _check(texts, fixes)
        paths = {c["path"] for c in fake.bot_review_comments(REPO, NUMBER)}
        yield Reviewed(checkout, texts, doc, paths)


@pytest.mark.parametrize("name", list(FILE_NAMES.values()), ids=list(FILE_NAMES))
def test_a_file_name_and_its_code_render_inert(reviewed: Reviewed, name: str) -> None:
    # The file's finding was posted inline, anchored on the file: nothing was dropped.
    assert name in reviewed.paths
    fixes = frozenset(f["fix"] for f in reviewed.results["result"]["findings"] if f["fix"])
    _check(reviewed.texts, fixes)
    # The fix keeps the code with its ``` exactly, but a fence in a fix could end the suggestion
    # block it is posted in: the fix verifier refuses it, and the comment says why instead.
    assert any("# ``` </details> @octocat" in fix for fix in fixes)
    assert any("refused the rule's fix (it holds a code fence)" in text for text in reviewed.texts)
    assert not any("suggestion\n" in text and "# ``` </details>" in text for text in reviewed.texts)


def _poisoned(doc: dict[str, Any], payload: str) -> dict[str, Any]:
    doc = json.loads(json.dumps(doc))
    findings = doc["result"]["findings"]
    for i, f in enumerate(findings):
        f["message"] = f"{f['message']} {payload}"
        f["rationale"] = payload
        f["cwe"] = [payload]
        f["score"], f["contributions"] = 0.9, [[payload, 0.5]]
        if f["fix"] and f["start_line"] == f["end_line"]:
            f["fix"] = f"{f['fix']}  # {payload}"
        if i % 2:
            f["path"] = f"{payload.strip()}/x.py"  # outside the diff: listed in the summary
            f["rule_id"] = f"x.{payload.strip()}"
    doc["result"]["notes"] = [payload]
    doc["result"]["skipped"] = [payload]
    return doc


@pytest.mark.parametrize("channel", ["workflow_run", "read-only"])
@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_an_artifact_field_renders_inert(
    reviewed: Reviewed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: str, channel: str
) -> None:
    doc = _poisoned(reviewed.results, payload)
    bad = tmp_path / "results.json"
    bad.write_text(json.dumps(doc))
    with FakeGitHub() as fake:
        if channel == "workflow_run":
            fake.add_pull(reviewed.checkout.pull(head_repo="forker/hello"))
            event = workflow_run_event(tmp_path, reviewed.checkout.head_sha, fork=True)
            env = Env(fake, event, tmp_path, event_name="workflow_run")
        else:
            fake.add_pull(reviewed.checkout.pull())
            env = Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path, token="readonly-token")
        env.extra.update(REVIEWBOT_GITHUB_WRITE_SPACING="0")
        run = env.run("--results", str(bad), monkeypatch=monkeypatch)
        assert run.code == 0, run.out + run.err
        assert "Traceback" not in run.out + run.err
        assert fake.violations == []
        texts = posted(fake, run)
    fixes = frozenset(f["fix"] for f in doc["result"]["findings"] if f["fix"])
    _check(texts, fixes)
    shown = "\n".join(visible_text(t) for t in texts)
    if channel == "workflow_run":
        assert fake.reviews and fake.check_runs  # the review was still posted
    else:
        assert run.summary.strip() and any(c.startswith("::warning file=") for c in run.commands)
    # Escaped, not dropped: the payload's words are still there to read (a secret, masked).
    word = re.search(r"[A-Za-z]{3,}", payload)
    if word is not None and payload is not PAYLOADS["token"]:
        assert word.group() in shown
