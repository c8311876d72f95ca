"""The semgrep border: real semgrep output parsed into matches and warnings, failures made loud."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from reviewbot.scanners.interface import ScannerError, ScanOutput
from reviewbot.scanners.rulesets import load_rules
from reviewbot.scanners.semgrep import Engine, SemgrepScanner

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


def test_fast_engine_and_cli_agree_on_the_rules_test_corpus(tmp_path: Path) -> None:
    """The rules' own test files, scanned by both front ends of the pinned semgrep."""
    corpus = Path(__file__).parent.parent / "rulesets" / "semgrep" / "python"
    targets = sorted(p.name for p in corpus.glob("*.py") if not p.name.endswith(".fixed.py"))
    rules = load_rules(corpus)
    fast = SemgrepScanner(rules, engine=Engine.FAST).scan(corpus, targets)
    cli = SemgrepScanner(rules, engine=Engine.CLI).scan(corpus, targets)

    def key(out: ScanOutput) -> set[tuple[str | None, ...]]:
        ids = {m.rule_id: getattr(rules.lookup(m.rule_id), "id", m.rule_id) for m in out.matches}
        return {(ids[m.rule_id], m.path, str(m.start_byte), str(m.end_byte), m.message, m.fix) for m in out.matches}

    assert len(fast.matches) > 100
    assert key(fast) == key(cli)
    assert fast.warnings == cli.warnings == []


def test_a_failing_fast_engine_falls_back_to_the_cli_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('import requests\nrequests.get("u", verify=False)\n')
    scanner = SemgrepScanner(load_rules(RULES), engine=Engine.AUTO)
    assert scanner.core is not None  # the pinned semgrep is installed: the fast engine is chosen
    broken = tmp_path / "broken-core"
    broken.write_text("#!/bin/sh\necho 'segfault, pretend' >&2\nexit 139\n")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    scanner.core = str(broken)  # stand-in for a crashing semgrep-core at the process boundary
    out = scanner.scan(tmp_path, ["a.py"])
    assert [m.start_line for m in out.matches] == [2]
    assert any("fast engine failed" in w.message and "139" in w.message for w in out.warnings)


def test_an_explicit_semgrep_is_run_through_its_cli(tmp_path: Path) -> None:
    fake = replaying(tmp_path, DATA / "scan-rule-timeout.json")
    assert fake.core is None


def test_the_fast_engines_jobs_become_one_job_processes_of_about_equal_bytes(tmp_path: Path) -> None:
    from reviewbot.scanners.semgrep_plan import SPLIT_BYTES, one_job_runs

    sizes = {"a.py": 900, "b.py": 500, "c.py": 400, "d.py": 100, "e.py": 0}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"#" * size)
    x, y = frozenset({"x"}), frozenset({"x", "y"})
    # one group, two workers: two parts of about equal bytes (largest file onto the lightest part)
    assert one_job_runs(tmp_path, [(x, [*sizes, "gone.py"])], 2) == [
        (x, ["a.py", "d.py"]),
        (x, ["b.py", "c.py", "e.py", "gone.py"]),
    ]
    # as many small groups as workers: one process each, the largest first
    assert one_job_runs(tmp_path, [(x, ["d.py"]), (y, ["a.py", "b.py"])], 2) == [(y, ["a.py", "b.py"]), (x, ["d.py"])]
    # a big group gets processes for its share of the bytes, even beside another group
    big = [f"big{i}.py" for i in range(8)]
    for name in big:
        (tmp_path / name).write_bytes(b"#" * (SPLIT_BYTES // 4))
    runs = one_job_runs(tmp_path, [(x, big), (y, ["a.py"])], 2)
    assert [(rules, len(files)) for rules, files in runs] == [(x, 4), (x, 4), (y, 1)]
    assert one_job_runs(tmp_path, [(x, ["a.py"])], 4) == [(x, ["a.py"])]


def test_with_two_jobs_one_group_runs_as_two_one_job_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text('import requests\nrequests.get("u", verify=False)\n')
    calls: list[tuple[list[str], int]] = []
    real = SemgrepScanner._scan_part

    def recording(
        self: SemgrepScanner, root: Path, files: list[str], config: Path, jobs: int, packed: bool = False
    ) -> Any:
        calls.append((files, jobs))
        return real(self, root, files, config, jobs, packed)

    monkeypatch.setattr(SemgrepScanner, "_scan_part", recording)
    out = SemgrepScanner(load_rules(RULES), engine=Engine.FAST, jobs=2).scan(tmp_path, ["a.py", "b.py"])
    assert sorted(calls) == [(["a.py"], 1), (["b.py"], 1)]
    assert sorted(m.path for m in out.matches) == ["a.py", "b.py"] and out.warnings == []


def test_an_unreadable_target_is_semgreps_to_report_with_or_without_the_cache(tmp_path: Path) -> None:
    """The result cache reads each target to key it; a target it cannot read is passed to semgrep,
    which says what is wrong with it, rather than escaping as a bare OSError."""
    (tmp_path / "a.py").write_text('import requests\nrequests.get("u", verify=False)\n')
    for cache in (None, tmp_path / "cache"):
        scanner = SemgrepScanner(load_rules(RULES), engine=Engine.FAST, cache_dir=cache)
        with pytest.raises(ScannerError, match="semgrep failed"):
            scanner.scan(tmp_path, ["a.py", "missing.py"])
