"""Run semgrep's own rule tests (`semgrep --test`) over the Python and JavaScript rulesets.

Each rules file `rulesets/semgrep/<language>/<category>.yaml` has a test file beside it
(`<category>.py`, `<category>.js`) whose `# ruleid:` / `# ok:` (`// ruleid:` / `// ok:`)
annotations say where each rule must and must not match, and optionally a
`<category>.fixed.py` (`.fixed.js`) with the expected autofix result.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = REPO_ROOT / "rulesets" / "semgrep" / "python"
JS_RULES_DIR = REPO_ROOT / "rulesets" / "semgrep" / "javascript"
TEST_SUFFIX = {RULES_DIR: ".py", JS_RULES_DIR: ".js"}


def _semgrep() -> str | None:
    candidate = Path(sys.executable).parent / "semgrep"
    if candidate.exists():
        return str(candidate)
    return shutil.which("semgrep")


def _run_semgrep_test(semgrep: str, rules_dir: Path = RULES_DIR) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # without these semgrep tries to reach the network and can stall for ~90 s
    env["SEMGREP_ENABLE_VERSION_CHECK"] = "0"
    env["SEMGREP_SEND_METRICS"] = "off"
    return subprocess.run(
        [semgrep, "--test", "--json", "--metrics=off", "--disable-version-check", str(rules_dir)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=900,
    )


@pytest.mark.parametrize("rules_dir", [RULES_DIR, JS_RULES_DIR], ids=lambda p: p.name)
def test_ruleset_files_have_tests(rules_dir: Path) -> None:
    rule_files = sorted(rules_dir.glob("*.yaml"))
    assert rule_files, f"no rule files in {rules_dir}"
    for rules in rule_files:
        assert rules.with_suffix(TEST_SUFFIX[rules_dir]).exists(), f"{rules.name} has no test file beside it"


@pytest.mark.parametrize("rules_dir", [RULES_DIR, JS_RULES_DIR], ids=lambda p: p.name)
def test_semgrep_rule_tests_pass(rules_dir: Path) -> None:
    semgrep = _semgrep()
    # semgrep is a pinned dependency: its absence is a broken install, not a reason to skip
    assert semgrep is not None, "semgrep is not installed next to this Python or on PATH"
    proc = _run_semgrep_test(semgrep, rules_dir)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"semgrep --test failed (exit {proc.returncode}):\n{output[-6000:]}"

    report = json.loads(proc.stdout)
    assert not report.get("config_with_errors"), report["config_with_errors"]
    assert not report.get("config_missing_tests"), report["config_missing_tests"]
    assert not report.get("config_missing_fixtests"), report["config_missing_fixtests"]
    checks = report.get("results", {})
    assert checks, "semgrep --test found no rule tests"
    passed = 0
    failed = []
    for config, result in checks.items():
        for rule_id, check in result.get("checks", {}).items():
            if check.get("passed"):
                passed += 1
            else:
                failed.append(f"{rule_id} ({config}): {check.get('matches')}")
    assert not failed, "failing rule tests:\n" + "\n".join(failed)
    assert passed > 0, "no rule test passed"

    fixtest = report.get("fixtest_results", {})
    failed_fixes = [path for path, res in fixtest.items() if not res.get("passed")]
    assert not failed_fixes, f"autofix tests failed: {failed_fixes}"
