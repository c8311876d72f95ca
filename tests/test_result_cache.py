"""Per-file result cache: reused only for identical bytes, path and rules; never trusted blindly."""

from __future__ import annotations

import stat
from pathlib import Path

from reviewbot.scanners.interface import RawMatch, ScanOutput, ScanWarning
from reviewbot.scanners.rulesets import load_rules
from reviewbot.scanners.semgrep import Engine, SemgrepScanner

RULES = Path(__file__).parent / "data" / "rules"
VULNERABLE = 'import requests\nrequests.get("u", verify=False)\n'


def _broken_core(tmp_path: Path) -> str:
    core = tmp_path / "broken-core"
    core.write_text("#!/bin/sh\nexit 139\n")
    core.chmod(core.stat().st_mode | stat.S_IEXEC)
    return str(core)


def _scanner(cache: Path) -> SemgrepScanner:
    return SemgrepScanner(load_rules(RULES), engine=Engine.FAST, cache_dir=cache)


def test_a_second_scan_of_the_same_bytes_runs_no_semgrep(tmp_path: Path) -> None:
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    (work / "a.py").write_text(VULNERABLE)
    first = _scanner(cache).scan(work, ["a.py"])
    assert [m.start_line for m in first.matches] == [2]
    again = _scanner(cache)
    again.core = _broken_core(tmp_path)  # any semgrep run would now fail loudly (Engine.FAST: no fallback)
    second = again.scan(work, ["a.py"])
    assert second.matches == first.matches and second.warnings == []


def test_changed_bytes_or_rules_are_scanned_again(tmp_path: Path) -> None:
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    (work / "a.py").write_text(VULNERABLE)
    _scanner(cache).scan(work, ["a.py"])
    (work / "a.py").write_text("\n" + VULNERABLE)
    moved = _scanner(cache).scan(work, ["a.py"])
    assert [m.start_line for m in moved.matches] == [3]
    other_rules = tmp_path / "rules"
    other_rules.mkdir()
    (other_rules / "r.yaml").write_text((RULES / "test-rules.yaml").read_text().replace("verify=False", "verify=None"))
    out = SemgrepScanner(load_rules(other_rules), engine=Engine.FAST, cache_dir=cache).scan(work, ["a.py"])
    assert out.matches == []  # not the cached match of the other rule set


def test_a_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    (work / "a.py").write_text(VULNERABLE)
    _scanner(cache).scan(work, ["a.py"])
    (entry,) = cache.rglob("*.json")
    entry.write_text("{ truncated")
    out = _scanner(cache).scan(work, ["a.py"])
    assert [m.start_line for m in out.matches] == [2]


def test_results_with_warnings_are_not_kept(tmp_path: Path) -> None:
    scanner = _scanner(tmp_path / "cache")
    assert scanner.cache is not None
    match = RawMatch("r", "a.py", 1, 1, 0, 1, 2, 1, "m")
    scanner.cache.store(ScanOutput([match], [ScanWarning("a.py", "semgrep warn: Timeout")]), {"a.py": "ab" * 32})
    scanner.cache.store(ScanOutput([match], [ScanWarning(None, "whole run")]), {"b.py": "cd" * 32})
    assert list((tmp_path / "cache").rglob("*.json")) == []


def test_no_cache_for_an_explicit_semgrep(tmp_path: Path) -> None:
    fake = tmp_path / "semgrep"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    scanner = SemgrepScanner(load_rules(RULES), semgrep=str(fake), cache_dir=tmp_path / "cache")
    assert scanner.cache is None  # another semgrep may find other things


def test_a_scan_for_fewer_rules_is_cached_apart_from_a_full_scan(tmp_path: Path) -> None:
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    (work / "a.py").write_text(VULNERABLE)
    scanner = _scanner(cache)
    taint = "test.cmdi.request-to-shell"
    narrow = scanner.scan(work, ["a.py"], {"a.py": frozenset({taint})})
    assert narrow.matches == []  # only the taint rule ran, and it matches nothing here
    full = _scanner(cache).scan(work, ["a.py"])
    assert [m.start_line for m in full.matches] == [2]  # not the narrow scan's cached result
    again = _scanner(cache)
    again.core = _broken_core(tmp_path)  # both results are cached now: no semgrep runs
    assert again.scan(work, ["a.py"], {"a.py": frozenset({taint})}).matches == []
    assert again.scan(work, ["a.py"]).matches == full.matches
