"""`--import-sarif` end to end: `reviewbot scan` on a real git repository with the real semgrep and
the real Bandit and Semgrep SARIF outputs (the PR path: tests/github/test_sarif_import_pr.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from tests.conftest import Repo
from tests.hardening.scan_support import sarif_errors
from tests.test_sarif_import import BANDIT, SEMGREP, doc_of, make_change, write_doc


def scan(repo: Repo, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any], str]:
    os.chdir(repo.root)
    code = main(["scan", "--base", "main", "--format", "json", "--no-model", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else {}), err


@pytest.fixture
def app_repo(repo: Repo) -> Repo:
    make_change(repo)
    return repo


def test_scan_imports_bandit_and_semgrep_beside_our_own_findings(
    app_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc, err = scan(
        app_repo, "--scanner", "semgrep", "--import-sarif", str(BANDIT), "--import-sarif", str(SEMGREP), capsys=capsys
    )
    assert code == 0, err
    findings = doc["findings"]
    assert {f["scanner"] for f in findings} == {"semgrep", "sarif:bandit", "sarif:semgrep-oss"}
    # Line 21, the shell call the change adds: ours, Bandit's and Semgrep's are one weakness
    # (same lines, CWE-78): one is shown, the others are its duplicates, naming it.
    on_21 = [f for f in findings if f["start_line"] == 21 and "CWE-78" in f["cwe"]]
    assert {f["scanner"] for f in on_21} == {"semgrep", "sarif:bandit", "sarif:semgrep-oss"}
    shown = [f for f in on_21 if f["disposition"] == "reported"]
    assert len(shown) == 1
    for f in on_21:
        if f is not shown[0]:
            assert f["disposition"] == "duplicate"
            assert f["disposition_reason"] == f"same weakness reported by {shown[0]['rule_id']} at line 21"
    # The lines the change leaves alone are pre-existing, the imported results as ours.
    assert {f["disposition"] for f in findings if f["start_line"] in (2, 14, 27)} == {"preexisting"}
    bandit = next(f for f in findings if f["rule_id"] == "bandit/B602")
    assert bandit["metadata"]["sarif"]["rule"] == "B602" and bandit["in_diff"] is True


def test_scan_with_a_base_sarif_and_sarif_output(
    app_repo: Repo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base = doc_of(BANDIT)
    base["runs"][0]["results"] = []  # Bandit found nothing on the base: every result is new
    base_file = write_doc(tmp_path / "base.sarif", base)
    out = tmp_path / "out.sarif"
    os.chdir(app_repo.root)
    imports = ["--import-sarif", str(BANDIT), "--import-sarif-base", str(base_file)]
    code = main(
        [
            "scan",
            "--base",
            "main",
            "--no-model",
            "--scanner",
            "treesitter",
            "--format",
            "sarif",
            "-o",
            str(out),
            *imports,
        ]
    )
    assert code == 0, capsys.readouterr().err
    written = json.loads(out.read_text())
    assert sarif_errors(written) == []  # imported findings in our SARIF output: still valid SARIF
    results = written["runs"][0]["results"]
    bandit = [r for r in results if r["ruleId"].startswith("bandit/")]
    assert len(bandit) == 4 and all("suppressions" not in r for r in bandit)  # all four reported


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", r"bad\.sarif: not JSON"),
        ('{"version": "2.1.0", "runs": [{"tool": {}}]}', r"bad\.sarif: not valid SARIF 2\.1\.0: \$\.runs\[0\]\.tool"),
        ('{"version": "2.0.0", "runs": []}', r"bad\.sarif: \$\.version: '2\.0\.0' is not 2\.1\.0"),
    ],
)
def test_scan_with_a_bad_sarif_exits_2_naming_the_file(
    app_repo: Repo, capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, expected: str
) -> None:
    bad = tmp_path / "bad.sarif"
    bad.write_text(content)
    code, doc, err = scan(app_repo, "--scanner", "treesitter", "--import-sarif", str(bad), capsys=capsys)
    assert code == 2 and doc == {}
    assert __import__("re").search(expected, err), err
    assert "Traceback" not in err


def test_scan_refuses_a_base_sarif_alone_and_a_missing_file(app_repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = scan(app_repo, "--import-sarif-base", str(BANDIT), capsys=capsys)
    assert code == 2 and "--import-sarif-base needs --import-sarif" in err
    code, _, err = scan(app_repo, "--import-sarif", "absent.sarif", capsys=capsys)
    assert code == 2 and "--import-sarif absent.sarif: no such file" in err


def test_pr_takes_the_action_inputs_one_path_a_line_from_the_workspace(tmp_path: Path) -> None:
    import argparse

    from reviewbot.cli.pr import _pr_options, add_pr_parser

    parser = argparse.ArgumentParser()
    add_pr_parser(parser.add_subparsers())
    args = parser.parse_args(["pr"])
    environ = {
        "GITHUB_WORKSPACE": str(tmp_path),
        "REVIEWBOT_IMPORT_SARIF": "out/bandit.sarif\n\n  /abs/codeql.sarif  \n",
        "REVIEWBOT_IMPORT_SARIF_BASE": "out/bandit-base.sarif",
    }
    options, notes = _pr_options(args, environ)
    assert options.scanners.import_sarif == (tmp_path / "out/bandit.sarif", Path("/abs/codeql.sarif"))
    assert options.scanners.import_sarif_base == (tmp_path / "out/bandit-base.sarif",)
    assert options.scanners.tolerate_bad_sarif and notes == []
    only_base = {"GITHUB_WORKSPACE": str(tmp_path), "REVIEWBOT_IMPORT_SARIF_BASE": "b.sarif"}
    assert _pr_options(args, only_base)[1] == ["import-sarif-base is set without import-sarif; nothing is imported"]
