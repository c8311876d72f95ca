"""Shared harness of tests/llm: a real git repository with a change, the real CLI in-process
(`reviewbot scan --base main --llm`), the real `openai` SDK as the client of a loopback fake.

`honest` answers like a careful model: a short explanation, a fix that really fixes the test
rules' two weaknesses (shell=True dropped, verify=False made True), and no review issues.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from tests.conftest import Repo
from tests.llm.fake_openai import KEY, FakeOpenAI, Reply, user_document

RULES = Path(__file__).parent.parent / "data" / "rules"
CONFIG = "version: 1\nllm:\n  model: test-model\n  review: true\n"
BASE_APP = "import requests\n\n\ndef ping():\n    return 1\n"
# A change with a finding of each test rule (verify=False; request to a shell) inside functions.
HEAD_APP = (
    "import subprocess\n"
    "import flask\n"
    "import requests\n"
    "\n"
    "\n"
    "def ping():\n"
    "    return 1\n"
    "\n"
    "\n"
    "def fetch():\n"
    '    return requests.get("https://x", verify=False)\n'
    "\n"
    "\n"
    "def run():\n"
    '    cmd = flask.request.args.get("c")\n'
    "    subprocess.call(cmd, shell=True)\n"
)


EXPLANATION = "The value reaches the call unchecked."


def lines_of(doc: dict[str, Any]) -> tuple[int, int]:
    return int(doc["finding"]["first_line"]), int(doc["finding"]["last_line"])


def original_lines(doc: dict[str, Any]) -> list[str]:
    """The finding's own lines, read back from the numbered code the request carries."""
    first, last = lines_of(doc)
    out = []
    for row in doc["code"]["text"].split("\n"):
        number, _, text = row.partition("| ")
        if number.strip().isdigit() and first <= int(number) <= last:
            out.append(text)
    return out


def honest(body: dict[str, Any]) -> Reply:
    doc = user_document(body)
    task = doc["task"]
    if task.startswith("Explain"):
        said = {"explanation": EXPLANATION, "exploit": "An attacker sends a crafted value."}
        return Reply(json.dumps(said))
    if task.startswith("Propose"):
        fixed = [x.replace("verify=False", "verify=True").replace(", shell=True", "") for x in original_lines(doc)]
        return Reply(json.dumps({"replacement": "\n".join(fixed)}))
    return Reply(json.dumps({"issues": []}))


@dataclass
class Scan:
    code: int
    out: str
    err: str

    @property
    def doc(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out)
        return data


def make_repo(root: Path, files: dict[str, str] | None = None, config: str = CONFIG) -> Repo:
    """main: the config and the base app; branch `change` (checked out): the head app and `files`."""
    root.mkdir(parents=True, exist_ok=True)
    repo = Repo(root)
    repo.write(".reviewbot/config.yml", config)
    repo.write("app.py", BASE_APP)
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "change")
    repo.write("app.py", HEAD_APP)
    for rel, text in (files or {}).items():
        repo.write(rel, text)
    repo.commit("head")
    return repo


def scan(
    root: Path, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, *args: str, llm: bool = True, fmt: str = "json"
) -> Scan:
    """`reviewbot scan --base main --llm` (or `--no-llm`) in-process, with the key and the fake's
    URL in the environment, the test rules and the default model."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.chdir(root)
    out, err = io.StringIO(), io.StringIO()
    argv = ["scan", "--base", "main", "--llm" if llm else "--no-llm", "--rules", str(RULES), "--format", fmt, *args]
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return Scan(code, out.getvalue(), err.getvalue())
