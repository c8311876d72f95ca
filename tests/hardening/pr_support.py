"""Helpers for the PR-path hardening cases: a PR checkout with extra files, a reviewed run, checks.

The cases drive `reviewbot pr` through the real CLI against the loopback GitHub of tests/github/
(the fixtures `fake`, `reviewed` and `sleeps` come from tests/github/conftest.py). What every case
must see is checked here once: exit 0, no traceback anywhere, no secret or outside-the-repo text in
any output, and no line that starts a workflow command reviewbot did not mean to emit.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo
from tests.github.conftest import BASE_APP, HEAD_APP, RULES, Checkout, Env, Run, pull_request_event
from tests.github.fake_github import BOT, FakeGitHub

# A secret-looking value and outside-the-repo text the cases plant; none may reach an output.
SECRET = "ghp_" + "S3cr3tT0k3nV4lu3" * 2 + "abcd"
OUTSIDE = "OUTSIDE-THE-REPO-7f3a"

# The workflow commands reviewbot itself prints: a finding annotation (file=…), a notice with its
# title, or the count of annotations left out. Anything else at the start of a line would be a
# command smuggled in by PR text.
OWN_COMMAND = re.compile(
    r"^::(warning|notice) (file=[^:\r\n]*|title=reviewbot)::|^::notice::reviewbot: \d+ more findings are in the job"
)


def pr_checkout(
    root: Path, files: dict[str, str], app: str = HEAD_APP, links: dict[str, str] | None = None
) -> Checkout:
    """The standard base commit; a PR head with `app.py` as given, `files` and symlinks `links` added."""
    root.mkdir(parents=True)
    repo = Repo(root)
    repo.write("app.py", BASE_APP)
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", app)
    for name, text in files.items():
        repo.write(name, text)
    for name, target in (links or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(target)
    head = repo.commit("feature")
    return Checkout(repo, base, head)


def review_pr(
    fake: FakeGitHub, checkout: Checkout, tmp: Path, monkeypatch: pytest.MonkeyPatch, *args: str, token: str = ""
) -> tuple[Run, dict[str, Any]]:
    """Review the checkout with the real scanners and post to the fake; the run and its saved results."""
    fake.add_pull(checkout.pull())
    env = Env(fake, pull_request_event(tmp, checkout), tmp, workspace=checkout.root)
    if token:
        env.token = token
    saved = tmp / "saved-results.json"
    run = env.run("--rules", str(RULES), "--save-results", str(saved), *args, monkeypatch=monkeypatch)
    assert_clean(run)
    assert_nothing_leaked(fake)
    return run, json.loads(saved.read_text())


def assert_clean(run: Run) -> None:
    """Exit 0, no trace, nothing secret or from outside the repo, no smuggled workflow command."""
    everything = run.out + run.err + run.summary
    assert run.code == 0, everything
    assert "Traceback" not in everything
    assert SECRET not in everything and OUTSIDE not in everything
    assert "root:x:0:0" not in everything  # /etc/passwd was not read into any output
    assert "bot-token" not in everything and "readonly-token" not in everything  # the GITHUB_TOKEN values
    everything.encode("utf-8")  # the runner's streams are UTF-8: a lone surrogate would crash the print
    for stream in (run.out, run.err):
        for line in command_lines(stream):
            assert OWN_COMMAND.match(line), f"a workflow command reviewbot did not mean to print: {line!r}"


def assert_nothing_leaked(fake: FakeGitHub) -> None:
    """No secret or outside-the-repo text in anything reviewbot posted (comments, checks, SARIF)."""
    posted = json.dumps([fake.reviews, fake.review_comments, fake.issue_comments, fake.check_runs, fake.annotations])
    posted += json.dumps([s["sarif"] for s in fake.sarifs])
    assert SECRET not in posted and OUTSIDE not in posted and "root:x:0:0" not in posted


def command_lines(text: str) -> list[str]:
    """Every line the runner would try as a workflow command (`::name …` or the legacy `##[name]`)."""
    # The runner splits output on newlines; a stray \r is treated as a line break too, to be strict.
    lines = re.split(r"\r\n|\r|\n", text)
    return [line for line in lines if line.lstrip().startswith("::") or "##[" in line]


def bot_summary(fake: FakeGitHub) -> str:
    bodies = [c["body"] for c in fake.issue_comments if c["user"]["login"] == BOT]
    assert len(bodies) == 1, bodies
    return str(bodies[0])


def reported(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in doc["result"]["findings"] if f["disposition"] == "reported"]


def visible_on_pr(fake: FakeGitHub, fingerprint: str) -> bool:
    """The finding reached the PR: an inline comment of the bot's, or an annotation of the check run."""
    mine = [c for c in fake.review_comments if c["user"]["login"] == BOT]
    inline = any(fingerprint in (c["body"] or "").split("\n", 1)[0] for c in mine)
    annotated = any(fingerprint[:12] in json.dumps(notes) for notes in fake.annotations.values())
    return inline or annotated
