"""`reviewbot scan` end to end: real git repositories, the real semgrep, the real CLI entry point."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from tests.conftest import Repo

RULES = Path(__file__).parent / "data" / "rules"

BASE_APP = """\
import subprocess
import requests
from flask import request


def legacy():
    requests.get("https://example.com", verify=False)


def handler():
    name = "static"
    subprocess.call("ls " + name, shell=True)
"""


def scan(repo: Repo, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    os.chdir(repo.root)
    code = main(["scan", *args, "--rules", str(RULES), "--format", "json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


def reported(doc: dict[str, Any]) -> list[tuple[str, str, int]]:
    return sorted((f["rule_id"], f["path"], f["start_line"]) for f in doc["findings"] if f["disposition"] == "reported")


def test_base_reports_exactly_the_new_findings_at_the_right_lines(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("app.py", BASE_APP)
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", BASE_APP + '\n\ndef fetch():\n    return requests.get("https://x", verify=False)\n')
    repo.commit("feature")
    code, doc = scan(repo, "--base", "main", capsys=capsys)
    assert code == 0
    assert reported(doc) == [("test.tls.verify-disabled", "app.py", 16)]
    old = [f for f in doc["findings"] if f["disposition"] == "preexisting"]
    assert [(f["rule_id"], f["start_line"]) for f in old] == [("test.tls.verify-disabled", 7)]
    new = next(f for f in doc["findings"] if f["disposition"] == "reported")
    assert new["in_diff"] is True
    assert new["fix"] == '    return requests.get("https://x", verify=True)'


def test_a_new_flow_into_an_unchanged_sink_line_is_new(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    """Only the source line changes; the sink line is untouched. 'Intersects an added line' misses this."""
    repo.write("app.py", BASE_APP)
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", BASE_APP.replace('name = "static"', 'name = request.args.get("name")'))
    repo.commit("feature")
    code, doc = scan(repo, "--base", "main", capsys=capsys)
    assert code == 0
    assert reported(doc) == [("test.cmdi.request-to-shell", "app.py", 12)]
    (finding,) = [f for f in doc["findings"] if f["disposition"] == "reported"]
    context = finding["context"]
    assert context["function"] == "handler" and context["reachable"] is True
    assert context["sink"]["qualified"] == "subprocess.call"
    assert context["value"]["provenance"] == "request"
    assert context["path_role"] == "source"  # app.py existed on the base branch


def test_finding_outside_the_hunks_is_reported_but_not_anchorable(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    far_apart = BASE_APP.replace('    name = "static"\n', '    name = "static"\n' + "    pass\n" * 8)
    repo.write("app.py", far_apart)
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", far_apart.replace('name = "static"', 'name = request.args.get("name")'))
    repo.commit("feature")
    _, doc = scan(repo, "--base", "main", capsys=capsys)
    (finding,) = [f for f in doc["findings"] if f["disposition"] == "reported"]
    assert finding["start_line"] == 20
    assert finding["in_diff"] is False


def test_staged_sees_the_index_only(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("app.py", BASE_APP)
    repo.commit("base")
    repo.write("new.py", 'import requests\nrequests.get("u", verify=False)\n')
    repo.git("add", "new.py")
    repo.write("unstaged.py", 'import requests\nrequests.get("u", verify=False)\n')
    _, doc = scan(repo, "--staged", capsys=capsys)
    assert reported(doc) == [("test.tls.verify-disabled", "new.py", 2)]


def test_diff_file_is_applied_to_a_copy(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("app.py", BASE_APP)
    repo.commit("base")
    repo.write("app.py", BASE_APP + 'requests.get("u", verify=False)\n')
    patch = tmp_path / "change.patch"
    patch.write_text(repo.git("diff"))
    repo.git("checkout", "--", "app.py")
    before = (repo.root / "app.py").read_bytes()
    _, doc = scan(repo, "--diff", str(patch), capsys=capsys)
    assert reported(doc) == [("test.tls.verify-disabled", "app.py", 13)]
    assert (repo.root / "app.py").read_bytes() == before


def test_all_reports_everything_and_no_new_only_includes_preexisting(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("app.py", BASE_APP)
    repo.commit("base")
    _, doc = scan(repo, "--all", capsys=capsys)
    assert reported(doc) == [("test.tls.verify-disabled", "app.py", 7)]
    repo.write("app.py", BASE_APP + 'requests.get("u", verify=False)\n')
    repo.commit("more")
    _, doc = scan(repo, "--base", "HEAD~1", "--no-new-only", capsys=capsys)
    assert [line for _, _, line in reported(doc)] == [7, 13]


def test_fail_on_is_opt_in(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("app.py", 'import requests\nrequests.get("u", verify=False)\n')
    repo.commit("base")
    assert scan(repo, "--all", capsys=capsys)[0] == 0
    assert scan(repo, "--all", "--fail-on", "medium", capsys=capsys)[0] == 1
    assert scan(repo, "--all", "--fail-on", "high", capsys=capsys)[0] == 0


def test_skipped_changes_are_noted_not_fatal(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("app.py", BASE_APP)
    repo.write("gone.py", "x = 1\n")
    repo.commit("base")
    (repo.root / "gone.py").unlink()
    os.symlink("/etc/passwd", repo.root / "link.py")
    (repo.root / "data.bin").write_bytes(b"\x00\x01\x02")
    (repo.root / "app.py").chmod(0o755)
    repo.commit("odd changes")
    code, doc = scan(repo, "--base", "HEAD~1", capsys=capsys)
    assert code == 0
    notes = "\n".join(doc["skipped"])
    assert "gone.py: skipped (deleted)" in notes
    assert "link.py: skipped (symlink: not followed)" in notes
    assert "data.bin: skipped (binary file)" in notes
    assert "app.py: skipped (mode change only)" in notes
    assert doc["files_scanned"] == 0


def error_of(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err


def test_bad_input_gets_one_clear_line_and_exit_2(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("app.py", BASE_APP)
    repo.commit("base")
    os.chdir(repo.root)
    code, err = error_of(capsys, ["scan", "--base", "no-such-branch"])
    assert code == 2 and "no-such-branch" in err and "does not exist" in err
    code, err = error_of(capsys, ["scan", "--all", str(tmp_path)])
    assert code == 2 and "outside the repository" in err
    code, err = error_of(capsys, ["scan", "--diff", str(tmp_path / "missing.patch")])
    assert code == 2 and "missing.patch" in err
    garbage = tmp_path / "garbage.patch"
    garbage.write_text("this is not a patch\n")
    code, err = error_of(capsys, ["scan", "--diff", str(garbage)])
    assert code == 2 and "garbage.patch" in err
    plain = tmp_path / "plain"
    plain.mkdir()
    os.chdir(plain)
    code, err = error_of(capsys, ["scan", "--staged"])
    assert code == 2 and "not a git repository" in err
    code, err = error_of(capsys, ["scan", "--base", "main", "--format", "yaml"])
    assert code == 2 and "yaml" in err


def test_bad_rule_file_names_the_file_and_rule(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.yaml").write_text(
        "rules:\n  - id: no.meta\n    pattern: eval(...)\n    message: m\n"
        "    severity: ERROR\n    languages: [python]\n"
    )
    repo.write("app.py", BASE_APP)
    repo.commit("base")
    os.chdir(repo.root)
    code, err = error_of(capsys, ["scan", "--all", "--rules", str(rules)])
    assert code == 2 and "bad.yaml" in err and "no.meta" in err and "metadata" in err


def _fake_semgrep(tmp_path: Path, body: str) -> str:
    path = tmp_path / "fake-semgrep"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_semgrep_missing_or_crashing_is_a_tool_error_and_nothing_is_written(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("app.py", BASE_APP)
    repo.commit("base")
    os.chdir(repo.root)
    out = tmp_path / "report.json"
    crash = _fake_semgrep(tmp_path, 'echo "Fatal: boom" >&2\nexit 2\n')
    code, err = error_of(capsys, ["scan", "--all", "--rules", str(RULES), "--semgrep", crash, "-o", str(out)])
    assert code == 3 and "semgrep failed" in err and "Fatal: boom" in err
    assert not out.exists()
    liar = _fake_semgrep(tmp_path, 'echo "not json"\nexit 0\n')
    code, err = error_of(capsys, ["scan", "--all", "--rules", str(RULES), "--semgrep", liar, "-o", str(out)])
    assert code == 3 and "did not print the JSON" in err
    assert not out.exists()
    code, err = error_of(
        capsys, ["scan", "--all", "--rules", str(RULES), "--semgrep", str(tmp_path / "nope"), "-o", str(out)]
    )
    assert not out.exists()
    # an explicit --semgrep that does not exist must not silently fall back to another semgrep
    assert code == 3 and "nope" in err


def test_output_file_is_written_whole(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("app.py", 'import requests\nrequests.get("u", verify=False)\n')
    repo.commit("base")
    os.chdir(repo.root)
    out = tmp_path / "sub" / "report.sarif"
    out.parent.mkdir()  # reviewbot creates no folder for its output (tests/hardening/test_git_and_paths.py)
    assert main(["scan", "--all", "--rules", str(RULES), "--format", "sarif", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    doc = json.loads(out.read_text())
    assert doc["version"] == "2.1.0"
    assert [p.name for p in out.parent.iterdir()] == ["report.sarif"]  # no temp file left behind


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_hard_coded_secrets_are_never_echoed(repo: Repo, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    secret = "ghp_" + "Zq7" * 12
    repo.write("settings.py", f'GITHUB_TOKEN = "{secret}"\ndb_password = "correct-horse-battery"\n')
    repo.commit("secrets")
    os.chdir(repo.root)
    assert main(["scan", "--all", "--format", fmt]) == 0  # the shipped rules
    out = capsys.readouterr().out
    assert "python.secrets." in out
    assert secret[4:] not in out and "correct-horse-battery" not in out


def test_two_rules_on_one_weakness_report_once(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "a.yaml").write_text((RULES / "test-rules.yaml").read_text())
    (rules / "b.yaml").write_text(
        """rules:
  - id: test.cmdi.any-shell-call
    pattern: subprocess.call(..., shell=True)
    message: A shell runs this command.
    severity: WARNING
    languages: [python]
    metadata:
      category: cmdi
      cwe: ["CWE-78"]
      owasp: ["A03:2021"]
      severity: medium
      confidence: low
      rationale: Shell syntax in the command is interpreted.
"""
    )
    repo.write("app.py", BASE_APP.replace('name = "static"', 'name = request.args.get("name")'))
    repo.commit("base")
    os.chdir(repo.root)
    assert main(["scan", "--all", "--rules", str(rules), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    on_line_12 = {f["rule_id"]: f for f in doc["findings"] if f["start_line"] == 12}
    assert on_line_12["test.cmdi.request-to-shell"]["disposition"] == "reported"
    dup = on_line_12["test.cmdi.any-shell-call"]
    assert dup["disposition"] == "duplicate" and "test.cmdi.request-to-shell" in dup["disposition_reason"]


def test_scanner_selection(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("app.py", 'import requests\nrequests.get("u", verify=False)\nx = "a\u202eb"\n')
    repo.commit("base")
    _, both = scan(repo, "--all", capsys=capsys)
    _, only_ts = scan(repo, "--all", "--scanner", "treesitter", capsys=capsys)
    _, only_sg = scan(repo, "--all", "--scanner", "semgrep", capsys=capsys)
    assert {f["scanner"] for f in both["findings"]} == {"semgrep", "treesitter"}
    assert {f["scanner"] for f in only_ts["findings"]} == {"treesitter"}
    assert {f["scanner"] for f in only_sg["findings"]} == {"semgrep"}


def test_output_file_gets_ordinary_permissions(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("app.py", "x = 1\n")
    repo.commit("base")
    os.chdir(repo.root)
    out = tmp_path / "report.json"
    old = os.umask(0o022)
    try:
        assert main(["scan", "--all", "--rules", str(RULES), "--format", "json", "-o", str(out)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # readable by a web server or a colleague
