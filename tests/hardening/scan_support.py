"""Shared harness of the `reviewbot scan` bad-input cases (tests/hardening/test_scan_*.py).

One change is built the same way in each mode (`--base`, `--base --worktree`, `--staged`,
`--diff`, `--all`) in a real git repository; the real CLI entry point runs in-process with the
real semgrep and tree-sitter, and every run is checked the same way: the exit code docs/cli.md
promises, no trace, no internal error, each output format well formed (JSON parses, SARIF is
valid against the vendored schema with a percent-encoded artifact URI), and — where a canary is
given — the canary in no output, no cache file and no saved report.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from reviewbot.cli.main import main
from tests.conftest import Repo

DATA = Path(__file__).parent.parent / "data"
RULES = DATA / "rules"
SARIF_SCHEMA = DATA / "sarif" / "sarif-2.1.0.json"

MODES = ["base", "worktree", "staged", "diff", "all"]
FORMATS = ["text", "json", "sarif"]

# One line each test rule flags (test.tls.verify-disabled), so "still found" has something to find.
FLAGGED = 'requests.get("https://x", verify=False)\n'
FLAGGED_RULE = "test.tls.verify-disabled"
APP = "import requests\n\n\ndef f():\n    " + FLAGGED


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err


def _no_network(uri: str) -> Resource[Any]:
    raise AssertionError(f"schema validation tried to fetch {uri}")


@cache
def _validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=Registry(retrieve=_no_network))  # type: ignore[call-arg, unused-ignore]


def sarif_errors(doc: Any) -> list[str]:
    return sorted(f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(doc))


def run_scan(root: Path, *args: str, fmt: str = "json", capsys: pytest.CaptureFixture[str]) -> Run:
    """The real CLI in-process, from inside `root`; the test rules unless `args` name others."""
    os.chdir(root)
    rules = [] if "--rules" in args else ["--rules", str(RULES)]
    code = main(["scan", *args, *rules, "--format", fmt, "--color", "never"])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def assert_clean(run: Run, code: int = 0) -> None:
    """The exit code, and no trace or internal error on either stream."""
    assert "Traceback" not in run.both, run.both[-3000:]
    assert "internal error" not in run.err, run.err[-3000:]
    assert run.code == code, run.both[-3000:]


def parse(run: Run, fmt: str) -> dict[str, Any]:
    """The report as data (json/sarif), checked for shape; {} for text."""
    if fmt == "text":
        return {}
    doc: dict[str, Any] = json.loads(run.out)
    if fmt == "sarif":
        assert sarif_errors(doc) == []
        for result in doc["runs"][0]["results"]:
            uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            # RFC 3986: a URI reference carries only these characters; the rest is %-encoded.
            allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/%")
            assert set(uri) <= allowed, uri
    return doc


def sarif_paths(doc: dict[str, Any]) -> list[bytes]:
    """The real file names (bytes) the SARIF results point at."""
    return [
        unquote_to_bytes(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in doc["runs"][0]["results"]
    ]


def found(doc: dict[str, Any], rule: str = FLAGGED_RULE) -> list[dict[str, Any]]:
    """JSON findings of `rule` that the change introduces (reported or under the threshold)."""
    return [f for f in doc["findings"] if f["rule_id"] == rule and f["disposition"] in ("reported", "below_threshold")]


def all_cache_bytes() -> Iterator[tuple[Path, bytes]]:
    """Every file reviewbot's cache holds (results, saved report, audit log, usage counts)."""
    cache_root = Path(os.environ["XDG_CACHE_HOME"])
    for path in cache_root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            yield path, path.read_bytes()


def assert_canary_absent(run: Run, canary: str, *extra: Path) -> None:
    """The canary is in no output, no cache file, no saved report, nor any `extra` file."""
    assert canary not in run.both
    for path, data in all_cache_bytes():
        assert canary.encode() not in data, path
    for path in extra:
        if path.exists():
            assert canary.encode() not in path.read_bytes(), path


Change = Callable[[Repo], None]


def prepare(repo: Repo, mode: str, base: Change, change: Change, tmp: Path) -> list[str]:
    """Commit `base`, make `change` as `mode` reviews it; the scan arguments for that mode."""
    base(repo)
    repo.git("add", "-A")
    repo.git("commit", "-q", "--allow-empty", "-m", "base")
    if mode in ("base", "worktree"):
        repo.git("checkout", "-q", "-b", "feature")
    change(repo)
    if mode == "all":
        return ["--all"]
    repo.git("add", "-A")
    if mode == "base":
        repo.git("commit", "-q", "--allow-empty", "-m", "change")
        return ["--base", "main"]
    if mode == "worktree":
        return ["--base", "main", "--worktree"]
    if mode == "staged":
        return ["--staged"]
    # --diff: the change as a patch file outside the checkout; the checkout back at the base.
    patch = tmp / "change.patch"
    patch.write_bytes(git_bytes(repo.root, "diff", "--cached", "--binary", "--full-index"))
    repo.git("reset", "-q", "--hard")
    repo.git("clean", "-q", "-fdx")
    return ["--diff", str(patch)]


def git_bytes(root: Path, *args: str) -> bytes:
    from tests.conftest import GIT_ENV

    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=True).stdout
