"""Fixtures for the GitHub scenarios: the fake server, a real PR checkout, events, and the CLI.

The PR is a real git repository (a base commit and a PR head with vulnerable changes); the
real semgrep reviews it once per session (`reviewed`), and scenarios that only exercise posting
reuse that result through `reviewbot pr --results`. Every scenario goes through the real CLI
entry point and checks the exit code.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from tests.conftest import Repo
from tests.github.fake_github import FakeGitHub, Pull

DATA = Path(__file__).parent.parent / "data"
RULES = DATA / "rules"
REPO = "octo-org/hello"
NUMBER = 7
AUTHOR = "pr-author"

BASE_APP = """\
import subprocess

import requests
from flask import request


def legacy():
    requests.get("https://example.com", verify=False)


def handler():
    name = "static"
    step = 1
    step = 2
    step = 3
    step = 4
    step = 5
    step = 6
    step = 7
    step = 8
    subprocess.call("ls " + name, shell=True)


def tail():
    return 1
"""

# The PR: a new one-line TLS finding (fixable), a new multi-line one (fixable, a range), and a
# tainted source whose sink line is far from the change (reported, but outside the diff).
HEAD_APP = (
    BASE_APP.replace('name = "static"', 'name = request.args.get("name")')
    + """

def fetch():
    return requests.get("https://x", verify=False)


def fetch_many():
    return requests.get(
        "https://y",
        verify=False,
    )
"""
)


@dataclass
class Checkout:
    repo: Repo
    base_sha: str
    head_sha: str

    @property
    def root(self) -> Path:
        return self.repo.root

    def pr_files(self) -> list[dict[str, Any]]:
        """What GitHub's `GET /pulls/{n}/files` shows: each file's hunks (merge-base...head)."""
        merge_base = self.repo.git("merge-base", self.base_sha, self.head_sha).strip()
        names = self.repo.git("diff", "--name-status", merge_base, self.head_sha).split("\n")
        files = []
        for line in filter(None, names):
            status, name = line.split("\t")[0], line.split("\t")[-1]
            patch = self.repo.git("diff", "--unified=3", merge_base, self.head_sha, "--", name)
            hunks = patch[patch.index("@@") :] if "@@" in patch else ""
            entry: dict[str, Any] = {"filename": name, "status": {"A": "added", "D": "removed"}.get(status, "modified")}
            if hunks:
                entry["patch"] = hunks.rstrip("\n")
            files.append(entry)
        return files

    def pull(self, *, head_repo: str = REPO) -> Pull:
        return Pull(NUMBER, self.head_sha, self.base_sha, AUTHOR, head_repo, REPO, self.pr_files())


def make_checkout(root: Path, head_app: str = HEAD_APP) -> Checkout:
    root.mkdir(parents=True)
    repo = Repo(root)
    repo.write("app.py", BASE_APP)
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", head_app)
    head = repo.commit("feature")
    return Checkout(repo, base, head)


def pull_request_event(tmp: Path, checkout: Checkout, *, head_repo: str = REPO, name: str = "event.json") -> Path:
    """The vendored `synchronize` example, pointed at our repository, PR and commits."""
    payload = json.loads((DATA / "github" / "pull_request_synchronize.payload.json").read_text())
    payload["number"] = NUMBER
    pr = payload["pull_request"]
    pr["number"] = NUMBER
    pr["user"]["login"] = AUTHOR
    pr["head"]["sha"], pr["base"]["sha"] = checkout.head_sha, checkout.base_sha
    pr["base"]["repo"]["full_name"] = REPO
    pr["head"]["repo"]["full_name"] = head_repo
    pr["head"]["repo"]["fork"] = head_repo != REPO
    payload["repository"]["full_name"] = REPO
    path = tmp / name
    path.write_text(json.dumps(payload))
    return path


def workflow_run_event(tmp: Path, head_sha: str, *, fork: bool, name: str = "run-event.json") -> Path:
    """The vendored `workflow_run.completed` example; a fork's has no `pull_requests` (as GitHub sends)."""
    payload = json.loads((DATA / "github" / "workflow_run_completed.with-pull-requests.payload.json").read_text())
    run = payload["workflow_run"]
    run["event"] = "pull_request"
    run["head_sha"] = head_sha
    run["head_repository"]["full_name"] = "forker/hello" if fork else REPO
    run["repository"]["full_name"] = REPO
    if fork:
        run["pull_requests"] = []
    else:
        run["pull_requests"][0]["number"] = NUMBER
        run["pull_requests"][0]["head"]["sha"] = head_sha
    path = tmp / name
    path.write_text(json.dumps(payload))
    return path


@dataclass
class Run:
    code: int
    out: str
    err: str
    summary: str = ""

    @property
    def commands(self) -> list[str]:
        return [line for line in self.out.splitlines() if line.startswith("::")]


@dataclass
class Env:
    """The variables GitHub Actions would set, pointed at the fake server."""

    fake: FakeGitHub
    event: Path
    tmp: Path
    event_name: str = "pull_request"
    token: str = "bot-token"
    workspace: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str, monkeypatch: pytest.MonkeyPatch) -> Run:
        summary = self.tmp / "step-summary.md"
        summary.write_text("")
        env = {
            "GITHUB_EVENT_PATH": str(self.event),
            "GITHUB_EVENT_NAME": self.event_name,
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_TOKEN": self.token,
            "GITHUB_API_URL": self.fake.api_url,
            "GITHUB_STEP_SUMMARY": str(summary),
            **({"GITHUB_WORKSPACE": str(self.workspace)} if self.workspace else {}),
            **self.extra,
        }
        for k in list(os.environ):
            if k.startswith(("GITHUB_", "REVIEWBOT_")):
                monkeypatch.delenv(k)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["pr", *args])
        return Run(code, out.getvalue(), err.getvalue(), summary.read_text())


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server
        assert server.violations == [], "requests that do not match GitHub's API description"


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record waits instead of sleeping (only in scenarios that do not run semgrep)."""
    waits: list[float] = []
    monkeypatch.setattr("time.sleep", waits.append)
    return waits


@dataclass(frozen=True)
class Reviewed:
    checkout: Checkout
    results: Path
    doc: dict[str, Any]


@pytest.fixture(scope="session")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Reviewed:
    """The PR reviewed once by the real semgrep (the first stage: no posting), results saved."""
    tmp = tmp_path_factory.mktemp("reviewed")
    checkout = make_checkout(tmp / "repo")
    event = pull_request_event(tmp, checkout)
    results = tmp / "results.json"
    env = {
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_WORKSPACE": str(checkout.root),
    }
    with pytest.MonkeyPatch.context() as mp:
        for k in list(os.environ):
            if k.startswith(("GITHUB_", "REVIEWBOT_")):
                mp.delenv(k)
        for k, v in env.items():
            mp.setenv(k, v)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["pr", "--no-post", "--rules", str(RULES), "--save-results", str(results)])
    assert code == 0, out.getvalue()
    return Reviewed(checkout, results, json.loads(results.read_text()))


def reported(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in doc["result"]["findings"] if f["disposition"] == "reported"]
