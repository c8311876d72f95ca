"""The pre-commit hook, through the real `pre-commit` tool, installed from this checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import GIT_ENV, Repo

CHECKOUT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).parent / "data" / "schemastore" / "pre-commit-hooks.json"

VULNERABLE = 'import os\nfrom flask import request\n\n\ndef run():\n    os.system("ping " + request.args["host"])\n'
CLEAN = "def add(a, b):\n    return a + b\n"


def test_hook_definition_is_valid_and_runs_once_per_commit() -> None:
    hooks = yaml.safe_load((CHECKOUT / ".pre-commit-hooks.yaml").read_text())
    jsonschema.validate(hooks, json.loads(SCHEMA.read_text()))
    (hook,) = hooks
    assert hook["entry"] == "reviewbot scan --staged --no-llm"  # local and fast, whatever the config says
    assert hook["pass_filenames"] is False and hook["require_serial"] is True
    assert "--fail-on" not in hook["entry"]  # advisory unless the user opts in


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    # One hook environment for the module: pre-commit builds it (pip install of this checkout,
    # semgrep included) on first use and reuses it for the same repo and revision.
    yield tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Repo, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(CHECKOUT), "reviewbot", "--verbose"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.skipif(not (CHECKOUT / ".git").exists(), reason="try-repo needs this checkout to be a git repository")
def test_real_pre_commit_reports_a_vulnerable_change_and_passes_a_clean_one(repo: Repo, pre_commit_home: Path) -> None:
    repo.write("app/base.py", CLEAN)
    repo.commit("base")

    repo.write("app/views.py", VULNERABLE)
    repo.write("app/more.py", VULNERABLE.replace("def run", "def other"))
    repo.git("add", "-A")
    proc = try_repo(repo, pre_commit_home)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out  # advisory: the commit may go ahead
    assert "Passed" in out and "reviewbot security review" in out
    assert "python.cmdi.shell-command-injection" in out
    assert "app/views.py" in out and "app/more.py" in out
    # one run for the whole commit: a single summary covering both files
    summaries = [line for line in out.splitlines() if line.startswith("reviewbot: ")]
    # the sink-centric shell rule matches the same lines: shown once, as the taint finding
    assert summaries == ["reviewbot: 2 new findings (2 critical) in 2 files scanned; not shown: 2 duplicate"], out

    repo.git("reset", "-q")
    repo.git("stash", "-u", "-q")
    repo.write("app/base.py", CLEAN + "\n\ndef sub(a, b):\n    return a - b\n")
    repo.git("add", "-A")
    proc = try_repo(repo, pre_commit_home)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Passed" in out
    assert "python." not in out and "reviewbot: " not in out  # nothing to say: says nothing


@pytest.mark.skipif(not (CHECKOUT / ".git").exists(), reason="try-repo needs this checkout to be a git repository")
def test_real_pre_commit_reviews_a_javascript_and_typescript_commit(repo: Repo, pre_commit_home: Path) -> None:
    repo.write("web/math.js", "export const add = (a, b) => a + b;\n")
    repo.commit("base")

    repo.write("web/client.js", 'const cp = require("child_process");\nexport const ls = (d) => cp.exec("ls " + d);\n')
    repo.write("api/calc.ts", "export function calc(expr: string): number {\n  return eval(expr);\n}\n")
    repo.git("add", "-A")
    proc = try_repo(repo, pre_commit_home)
    out = proc.stdout + proc.stderr

    assert proc.returncode == 0, out  # advisory
    assert "Passed" in out
    assert "javascript.cmdi.shell-non-constant-command" in out and "web/client.js" in out
    assert "javascript.codeinj.eval-non-literal" in out and "api/calc.ts" in out
    summaries = [line for line in out.splitlines() if line.startswith("reviewbot: ")]
    assert len(summaries) == 1 and "2 new findings" in summaries[0] and "in 2 files scanned" in summaries[0], out
