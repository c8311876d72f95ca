"""Rules' own `fix:` text goes through the fix verifier before it can be a ```suggestion on a PR.

End to end through `reviewbot pr` (real git, real semgrep, PyGithub against the fake GitHub), a
rule fix that trades one finding for another loses its suggestion and keeps its comment; the
local `scan` path checks nothing and pays no rerun; the shipped rules' fixes on their own corpus
all pass (they were posted before the verifier existed, and are valid).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewbot.change.changes import from_all
from reviewbot.finding import Disposition
from reviewbot.llm.verify_rules import fix_offerable
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.scanners.interface import Scanner
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules
from reviewbot.scanners.semgrep import SemgrepScanner
from reviewbot.scanners.treesitter import TreeSitterScanner
from tests.conftest import Repo
from tests.github.conftest import BASE_APP, NUMBER, REPO, RULES, Env, make_checkout, pull_request_event
from tests.github.fake_github import FakeGitHub

REPO_ROOT = Path(__file__).resolve().parent.parent

# The end-to-end test rules plus a hash rule whose fix swaps MD5 for SHA-1, which another rule
# reports: the kind of fix the verifier exists to stop.
SWAP_RULES = """\
rules:
  - id: test.hash.md5
    pattern: hashlib.md5(...)
    fix-regex:
      regex: md5
      replacement: sha1
    message: MD5 is broken.
    severity: WARNING
    languages: [python]
    metadata:
      {category: hash, cwe: ["CWE-328"], owasp: ["A02:2021"], severity: medium, confidence: high, rationale: Weak.}
  - id: test.hash.sha1
    pattern: hashlib.sha1(...)
    message: SHA-1 is broken.
    severity: WARNING
    languages: [python]
    metadata:
      {category: hash, cwe: ["CWE-328"], owasp: ["A02:2021"], severity: medium, confidence: high, rationale: Weak.}
"""

HEAD_APP = (
    "import hashlib\n"
    + BASE_APP
    + """

def fetch():
    return requests.get("https://x", verify=False)


def digest(data):
    return hashlib.md5(data).hexdigest()
"""
)


def test_a_rule_fix_that_swaps_findings_is_not_suggested_but_its_finding_is_posted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "swap.yaml").write_text(SWAP_RULES)
    checkout = make_checkout(tmp_path / "repo", HEAD_APP)
    results = tmp_path / "results.json"
    with FakeGitHub() as fake:
        fake.add_pull(checkout.pull())
        env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=checkout.root)
        env.extra.update(REVIEWBOT_RULES=str(rules), REVIEWBOT_GITHUB_WRITE_SPACING="0")
        run = env.run("--save-results", str(results), monkeypatch=monkeypatch)
        assert run.code == 0, run.out + run.err
        assert fake.violations == []
        comments = {c["line"]: c["body"] for c in fake.bot_review_comments(REPO, NUMBER)}

    fetch_line = HEAD_APP.split("\n").index('    return requests.get("https://x", verify=False)') + 1
    digest_line = HEAD_APP.split("\n").index("    return hashlib.md5(data).hexdigest()") + 1
    assert set(comments) == {fetch_line, digest_line}  # both findings are posted inline
    suggestion = re.search(r"```suggestion\n(.*?)\n```", comments[fetch_line], re.S)
    assert suggestion is not None and suggestion.group(1) == '    return requests.get("https://x", verify=True)'
    assert "suggestion" not in comments[digest_line].split("No suggestion")[0]
    assert "```" not in comments[digest_line]
    assert "No suggestion: reviewbot's fix check refused the rule's fix" in comments[digest_line]
    assert "the rules find something in the fixed file the original did not have" in comments[digest_line]

    findings = {f["rule_id"]: f for f in json.loads(results.read_text())["result"]["findings"]}
    assert findings["test.hash.md5"]["fix"] == "    return hashlib.sha1(data).hexdigest()"  # kept: mark, don't drop
    assert findings["test.hash.md5"]["fix_verdict"] == "new-finding"
    assert findings["test.hash.md5"]["disposition"] == "reported"
    assert findings["test.tls.verify-disabled"]["fix_verdict"] == "ok"
    assert "fix check: 1 of 2 rule fixes not offered as suggestions (new-finding 1)" in run.out


@pytest.fixture(scope="module")
def shipped() -> list[Scanner]:
    return [SemgrepScanner(load_rules(builtin_rules_dir())), TreeSitterScanner()]


class Counting:
    """Counts how often each scanner scans (wrapping the real scanner's method)."""

    def __init__(self, scanners: list[Scanner], monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs = 0
        for s in scanners:
            real = s.scan

            def scan(root: Path, targets: list[str], only: object = None, real: object = real) -> object:
                self.runs += 1
                return real(root, targets, only)  # type: ignore[operator]

            monkeypatch.setattr(s, "scan", scan)


def test_the_local_scan_checks_no_fix_and_pays_no_rerun(
    shipped: list[Scanner], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app.py").write_text("import requests\n\n\ndef f(u):\n    return requests.get(u, verify=False)\n")
    counting = Counting(shipped, monkeypatch)
    result = run_review(from_all(tmp_path, []), shipped, ReviewOptions(new_only=False))
    assert counting.runs == len(shipped)  # one scan per scanner, nothing more
    (f,) = [f for f in result.findings if f.fix is not None]
    assert f.fix_verdict is None
    result = run_review(from_all(tmp_path, []), shipped, ReviewOptions(new_only=False, verify_fixes=True))
    assert counting.runs == 3 * len(shipped)  # and now the review's scan, then one rerun of each scanner
    (f,) = [f for f in result.findings if f.fix is not None]
    assert f.fix_verdict == "ok"


def test_past_the_cap_the_most_severe_fixes_are_checked_and_the_rest_not_suggested(
    shipped: list[Scanner], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewbot.llm import verify_rules

    (tmp_path / "app.py").write_text(
        "import hashlib\nimport requests\n\n\ndef f(u, data):\n"
        "    requests.get(u, verify=False)\n    return hashlib.md5(data).hexdigest()\n"
    )
    monkeypatch.setattr(verify_rules, "MAX_CHECKED", 1)
    result = run_review(from_all(tmp_path, []), shipped, ReviewOptions(new_only=False, verify_fixes=True))
    fixed = sorted((f for f in result.findings if fix_offerable(f)), key=lambda f: -f.severity.rank)
    assert len(fixed) == 2 and fixed[0].severity.rank > fixed[1].severity.rank
    assert [f.fix_verdict for f in fixed] == ["ok", None]
    assert "fix check: 1 more rule fixes not checked (over 1); not suggested" in result.notes


def test_reviewbot_scan_does_not_even_load_the_verifier(repo: Repo) -> None:
    # The pre-commit loop shows no suggestions: the fix verifier must cost it nothing, not even
    # its import, and with the LLM off neither may the SDK. A fresh interpreter, as the hook runs it.
    repo.write("app.py", "import requests\nrequests.get('https://x', verify=False)\n")
    code = (
        "import contextlib, io, sys\n"
        "from reviewbot.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['scan', '--all', '--no-model', '--format', 'json'])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith(('reviewbot.llm.verify', 'openai'))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=repo.root, env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "0 []", out.stdout + out.stderr


def test_every_shipped_rule_fix_on_the_corpus_passes_and_hidden_ones_are_not_checked(
    shipped: list[Scanner], tmp_path: Path
) -> None:
    corpus = [
        p
        for folder in (REPO_ROOT / "rulesets" / "semgrep" / "python", REPO_ROOT / "rulesets" / "treesitter" / "python")
        for p in sorted(folder.glob("*.py"))
        if not p.name.endswith(".fixed.py")
    ]
    for p in corpus:
        shutil.copyfile(p, tmp_path / p.name)
    result = run_review(from_all(tmp_path, []), shipped, ReviewOptions(new_only=False, verify_fixes=True))
    offered = [f for f in result.findings if fix_offerable(f)]
    shown = [f for f in offered if f.visible]
    assert len({f.rule_id for f in shown}) >= 5, "the corpus should exercise several rules' fixes"
    refused = [(f.path, f.start_line, f.rule_id, f.fix_verdict) for f in shown if f.fix_verdict != "ok"]
    assert refused == []
    hidden = [f for f in offered if not f.visible]
    assert hidden and all(f.disposition is Disposition.DUPLICATE for f in hidden)
    assert all(f.fix_verdict is None for f in hidden)  # never shown, so never paid for
    assert not any(n.startswith("fix check:") for n in result.notes)
