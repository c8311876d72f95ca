"""Hardening, PR path: workflow-command injection through what `reviewbot pr` prints.

The runner reads every line a step prints (stdout and stderr) as a possible workflow command
(`::name props::message`). PR text reaches those lines: file names, rule messages and ids from a
first-stage artifact, notes that quote a path. A payload must neither start a command of its own
on a new line nor break out of the property or message it sits in. Values must be encoded as
GitHub's toolkit encodes them (`%`→`%25`, `\\r`→`%0D`, `\\n`→`%0A`; also `:`→`%3A`, `,`→`%2C` in
properties), so that decoding a line gives back exactly the PR's text as reviewbot shows it
(`github.fallback.shown`: terminal controls visible, links and mentions defused, nothing else).

Cases: the annotations fallback (a read-only token: 403 on posting), a run that can post (notes
that name a path), and real checkouts whose file names carry the payloads, reviewed by the real
semgrep. Each asserts exit 0, no traceback, no smuggled command on stdout or stderr (including
what subprocesses print), the job summary and GITHUB_OUTPUT free of them, the finding not hidden.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from reviewbot.github.fallback import shown
from tests.github import conftest as github_fixtures
from tests.github.conftest import Env, Reviewed, Run, pull_request_event
from tests.github.fake_github import FakeGitHub
from tests.hardening.pr_support import assert_clean, command_lines, pr_checkout, review_pr, visible_on_pr

# The loopback GitHub, the session's reviewed PR and the recorded sleeps (tests/github/conftest.py).
fake, reviewed, sleeps = github_fixtures.fake, github_fixtures.reviewed, github_fixtures.sleeps

PAYLOADS = {
    "error": "::error::pwned",
    "set-env": "::set-env name=LD_PRELOAD::/tmp/x.so",
    "add-mask": "::add-mask::hunter2",
    "stop-commands": "::stop-commands::resume123",
    "encoded-newline": "%0A::warning::fake",
    "carriage-return": "a\r::error file=app.py::cr",
    "newline-group": "a\n::group::hidden",
    "percent-25": "100%25 sure %3A %2C",
    "legacy-syntax": "##[set-output name=x;]y",
}


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command line as the runner splits it: name, properties, message."""
    m = re.fullmatch(r"::(?P<name>[a-z-]+)(?: (?P<props>[^:]*))?::(?P<message>.*)", line, re.DOTALL)
    assert m, line
    props = dict(p.split("=", 1) for p in (m.group("props") or "").split(",") if p)
    return m.group("name"), {k: _unescape_property(v) for k, v in props.items()}, _unescape_data(m.group("message"))


def _annotations(run: Run) -> list[tuple[str, dict[str, str], str]]:
    return [_parse(line) for line in run.out.split("\n") if line.startswith(("::warning file=", "::notice file="))]


def _assert_files_free_of_commands(run: Run, output: Path) -> None:
    assert not [line for line in run.summary.splitlines() if line.lstrip().startswith("::")]
    assert output.read_text() == ""  # reviewbot sets no step output: nothing to inject into


def _tampered_results(reviewed: Reviewed, tmp_path: Path, payload: str) -> tuple[Path, dict[str, Any]]:
    """The session's results with the payload in a finding's path, message and rule id."""
    doc = json.loads(reviewed.results.read_text())
    target = next(f for f in doc["result"]["findings"] if f["disposition"] == "reported" and f["start_line"] == 29)
    target["path"] = f"src/{payload}.py"
    target["message"] = f"Bad TLS {payload} end"
    target["rule_id"] = f"test.tls.{payload}"
    results = tmp_path / "tampered.json"
    results.write_text(json.dumps(doc))
    return results, target


def _env(fake: FakeGitHub, reviewed: Reviewed, tmp_path: Path, files: list[dict[str, Any]]) -> tuple[Env, Path]:
    pull = reviewed.checkout.pull()
    pull.files.extend(files)
    fake.add_pull(pull)
    env = Env(fake, pull_request_event(tmp_path, reviewed.checkout), tmp_path)
    output = tmp_path / "github-output"
    output.write_text("")
    env.extra.update(GITHUB_OUTPUT=str(output), GITHUB_ENV=str(output))
    return env, output


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_annotations_fallback_encodes_pr_text_like_the_toolkit(
    fake: FakeGitHub,
    reviewed: Reviewed,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sleeps: list[float],
    payload: str,
) -> None:
    results, target = _tampered_results(reviewed, tmp_path, payload)
    env, output = _env(fake, reviewed, tmp_path, [])
    env.token = "readonly-token"  # every write is a 403: the findings go out as annotations
    run = env.run("--results", str(results), monkeypatch=monkeypatch)
    assert_clean(run)
    assert fake.reviews == [] and "cannot write to the PR" in run.out
    mine = [a for a in _annotations(run) if a[1]["file"] == target["path"]]
    assert len(mine) == 1, run.out  # the finding is not hidden
    name, props, message = mine[0]
    # The PR's text as shown: controls visible, defused as plain text (fallback.shown), nothing else.
    assert (
        name == "warning"
        and props["line"] == "29"
        and props["title"] == shown(f"reviewbot medium: {target['rule_id']}")
    )
    assert message.startswith(shown(target["message"]) + " (CWE-295) [id ")
    _assert_files_free_of_commands(run, output)
    assert "test.tls." in run.summary  # the job summary lists it too


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_notes_that_name_a_pr_path_are_encoded_when_the_review_posts(
    fake: FakeGitHub,
    reviewed: Reviewed,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sleeps: list[float],
    payload: str,
) -> None:
    results, target = _tampered_results(reviewed, tmp_path, payload)
    # GitHub shows the file in the diff but refuses the comment on it: the note names the path.
    env, output = _env(
        fake,
        reviewed,
        tmp_path,
        [{"filename": target["path"], "status": "added", "patch": "@@ -0,0 +1,40 @@\n" + "+x\n" * 40}],
    )
    fake.refuse_lines.add((target["path"], 29))
    run = env.run("--results", str(results), monkeypatch=monkeypatch)
    assert_clean(run)
    assert len(fake.reviews) == 1
    notes = [_parse(line) for line in run.out.split("\n") if line.startswith("::notice title=reviewbot::")]
    assert any(shown(f"refused the inline comment on {target['path']}:29") in message for _, _, message in notes), (
        run.out
    )
    assert visible_on_pr(fake, target["fingerprint"])  # still annotated on the check run
    _assert_files_free_of_commands(run, output)


# File names git and semgrep accept on Linux; each adds a real TLS finding to the PR.
NAMES = {
    "error": "x::error::pwned.py",
    "percent-newline": "a%0A::warning::b.py",
    "newline-group": "n\n::group::hidden.py",
    "carriage-return": "cr\r::add-mask::hunter2.py",
    "comma-colon": "we,ird:name%25.py",
}


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_file_names_in_a_real_checkout_cannot_start_a_command(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], name: str
) -> None:
    code = 'import requests\n\n\ndef fetch():\n    return requests.get("https://x", verify=False)\n'
    checkout = pr_checkout(tmp_path / "repo", {name: code})
    run, doc = review_pr(fake, checkout, tmp_path, monkeypatch, "--no-post")
    captured = capfd.readouterr()  # what subprocesses (git, semgrep) printed to the step's streams
    for stream in (captured.out, captured.err):
        assert command_lines(stream) == []
    (finding,) = [f for f in doc["result"]["findings"] if f["path"] == name]
    assert finding["disposition"] == "reported", finding["disposition_reason"]
    (mine,) = [a for a in _annotations(run) if a[1]["file"] == name]
    assert mine[1]["line"] == "5"
    assert fake.writes() == []  # --no-post: the first stage writes nothing


def test_an_annotation_quotes_at_most_4000_characters_of_a_message() -> None:
    from reviewbot.github.fallback import MAX_MESSAGE, finding_annotation
    from tests.test_features import finding

    line = finding_annotation(finding(message="A" * 5_000_000))
    _, _, message = _parse(line)
    assert len(message) < MAX_MESSAGE + 100 and message.startswith("A" * (MAX_MESSAGE - 1) + "…")
