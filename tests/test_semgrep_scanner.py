"""The semgrep border: real semgrep output parsed into matches and warnings, failures made loud."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from reviewbot.rulesets import load_rules
from reviewbot.scanners.interface import ScannerError
from reviewbot.scanners.semgrep import SemgrepScanner

DATA = Path(__file__).parent / "data" / "semgrep"
RULES = Path(__file__).parent / "data" / "rules"


def replaying(tmp_path: Path, recorded: Path, exit_code: int = 0) -> SemgrepScanner:
    """A stand-in semgrep executable that prints a recorded real output."""
    fake = tmp_path / "semgrep"
    fake.write_text(f"#!/bin/sh\ncat '{recorded}'\nexit {exit_code}\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return SemgrepScanner(load_rules(RULES), semgrep=str(fake))


def test_partial_parse_is_a_warning_and_findings_survive(tmp_path: Path) -> None:
    targets = ["src/bidi.py", "src/broken.py", "src/good.py", "src/latin1.py", "src/suppressed.py", "src/bin.py"]
    out = replaying(tmp_path, DATA / "scan-dir.json").scan(tmp_path, targets)
    assert sorted({m.path for m in out.matches}) == ["src/bidi.py", "src/broken.py", "src/good.py", "src/latin1.py"]
    assert len(out.matches) == 5
    (warning,) = out.warnings
    assert warning.path == "src/broken.py"
    assert "PartialParsing" in warning.message and "Syntax error" in warning.message


def test_rule_timeout_is_a_warning(tmp_path: Path) -> None:
    out = replaying(tmp_path, DATA / "scan-rule-timeout.json").scan(tmp_path, ["src2.py"])
    assert out.matches == []
    (warning,) = out.warnings
    assert warning.path == "src2.py" and "Timeout in rule slow" in warning.message


def test_a_target_missing_from_scanned_paths_is_reported(tmp_path: Path) -> None:
    out = replaying(tmp_path, DATA / "scan-rule-timeout.json").scan(tmp_path, ["src2.py", "never_seen.py"])
    assert any(w.path == "never_seen.py" and "did not scan" in w.message for w in out.warnings)


def test_fatal_exit_raises_with_the_command_and_output(tmp_path: Path) -> None:
    with pytest.raises(ScannerError) as info:
        replaying(tmp_path, DATA / "scan-dir.json", exit_code=7).scan(tmp_path, ["a.py"])
    assert "exited with 7" in str(info.value) and "scan" in str(info.value)


def test_real_semgrep_finds_byte_offsets(tmp_path: Path) -> None:
    """The pinned semgrep, for real: columns and offsets count UTF-8 bytes."""
    (tmp_path / "a.py").write_text('x = "é"; import requests; requests.get("u", verify=False)\n', encoding="utf-8")
    out = SemgrepScanner(load_rules(RULES)).scan(tmp_path, ["a.py"])
    (match,) = out.matches
    line = (tmp_path / "a.py").read_bytes()
    assert line[match.start_byte : match.end_byte] == b'requests.get("u", verify=False)'
    assert match.start_col == match.start_byte + 1  # one line: the byte column is the offset + 1
    assert match.fix is not None and "verify=True" in match.fix
    assert out.warnings == []
