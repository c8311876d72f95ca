"""The fix verifier: a proposed replacement of a finding's lines is accepted only when it is safe
to post as a ```suggestion, and every other proposal is rejected with its reason.

The findings come from a real review (real semgrep and the tree-sitter scanner, the shipped
rules) of one file; each test proposes a replacement for one of them, as the LLM or a rule's
`fix:` would, and the verifier reruns the same scanners on the fixed file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewbot.change.changes import from_all
from reviewbot.finding import Finding
from reviewbot.llm.verify import (
    MAX_EXTRA_BYTES,
    MAX_EXTRA_LINES,
    FixProposal,
    FixVerdict,
    FixVerifier,
    Rejection,
    describe,
    verify_fix,
    verify_fixes,
)
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.scanners.interface import Scanner
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules
from reviewbot.scanners.semgrep import SemgrepScanner
from reviewbot.scanners.treesitter import TreeSitterScanner

APP = """\
import hashlib
import os
import pickle
import subprocess

import requests
from flask import request

DEBUG_HASH = hashlib.md5(b"x").hexdigest()


def fetch(url):
    r = requests.get(url, verify=False, timeout=5)
    return r.text


def digest(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def run():
    subprocess.call(request.args["cmd"], shell=True)
"""


@dataclass(frozen=True)
class Reviewed:
    scanners: list[Scanner]
    text: str
    findings: list[Finding]

    def finding(self, rule_id: str, line: int) -> Finding:
        (f,) = [f for f in self.findings if f.rule_id == rule_id and f.start_line == line]
        return f

    def line(self, number: int) -> str:
        return self.text.split("\n")[number - 1]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Reviewed:
    root = tmp_path_factory.mktemp("verify")
    (root / "app.py").write_text(APP)
    scanners: list[Scanner] = [SemgrepScanner(load_rules(builtin_rules_dir())), TreeSitterScanner()]
    result = run_review(from_all(root, []), scanners, ReviewOptions(new_only=False))
    return Reviewed(scanners, APP, list(result.findings))


@pytest.fixture
def verifier(reviewed: Reviewed) -> FixVerifier:
    return FixVerifier(reviewed.scanners)


TLS, MD5 = "python.tls.requests-verify-disabled", "python.hash.weak-hash-hashlib"


def propose(f: Finding, replacement: str, *, start: int | None = None, end: int | None = None) -> FixProposal:
    return FixProposal(f.path, start or f.start_line, end or f.end_line, replacement)


def check(reviewed: Reviewed, verifier: FixVerifier, f: Finding, replacement: str, **where: int) -> FixVerdict:
    return verify_fix(f, reviewed.text, propose(f, replacement, **where), verifier)


def test_the_review_found_what_the_tests_propose_fixes_for(reviewed: Reviewed) -> None:
    assert reviewed.finding(TLS, 13).fix == "    r = requests.get(url, verify=True, timeout=5)"
    assert reviewed.finding(MD5, 18).fix == "    return hashlib.sha256(data).hexdigest()"


def test_a_good_fix_is_accepted(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(TLS, 13)
    assert check(reviewed, verifier, f, "    r = requests.get(url, timeout=5)") == FixVerdict(True, "ok")


def test_the_rules_own_fix_is_accepted(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(MD5, 18)
    assert f.fix is not None
    assert check(reviewed, verifier, f, f.fix) == FixVerdict(True, Rejection.OK)


def test_a_fix_at_module_level_is_accepted(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(MD5, 9)
    assert check(reviewed, verifier, f, 'DEBUG_HASH = hashlib.sha256(b"x").hexdigest()').accepted


@pytest.mark.parametrize(("start", "end"), [(12, 13), (13, 14), (14, 14)])
def test_a_fix_for_other_lines_is_rejected(reviewed: Reviewed, verifier: FixVerifier, start: int, end: int) -> None:
    f = reviewed.finding(TLS, 13)
    verdict = check(reviewed, verifier, f, "    r = requests.get(url, timeout=5)", start=start, end=end)
    assert verdict == FixVerdict(False, Rejection.WRONG_RANGE)


def test_a_fix_for_another_file_is_rejected(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(TLS, 13)
    proposal = FixProposal("other.py", 13, 13, "    r = requests.get(url, timeout=5)")
    assert verify_fix(f, reviewed.text, proposal, verifier).reason == Rejection.WRONG_RANGE


def test_a_fix_that_changes_nothing_is_rejected(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(TLS, 13)
    assert check(reviewed, verifier, f, reviewed.line(13)) == FixVerdict(False, Rejection.NO_OP)
    assert check(reviewed, verifier, f, reviewed.line(13) + "  ").reason == Rejection.NO_OP  # trailing space only


def test_a_fix_that_breaks_the_syntax_is_rejected(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(TLS, 13)
    verdict = check(reviewed, verifier, f, "    r = requests.get(url, verify=True, timeout=5")
    assert verdict == FixVerdict(False, Rejection.PARSE_ERROR)


def test_a_fix_that_leaves_the_finding_is_rejected(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(MD5, 18)
    verdict = check(reviewed, verifier, f, "    return hashlib.md5(data).digest().hex()")
    assert verdict == FixVerdict(False, Rejection.FINDING_REMAINS)


def test_a_fix_that_swaps_one_sink_for_another_is_rejected(reviewed: Reviewed, verifier: FixVerifier) -> None:
    # MD5 is gone from the line, but the digest is now of an unpickled blob: a finding the
    # original file did not have.
    f = reviewed.finding(MD5, 18)
    verdict = check(reviewed, verifier, f, "    return hashlib.sha256(pickle.loads(data)).hexdigest()")
    assert verdict == FixVerdict(False, Rejection.NEW_FINDING)


def test_a_fix_that_adds_a_finding_further_down_is_rejected(reviewed: Reviewed, verifier: FixVerifier) -> None:
    # Two lines: the fix itself, then a new sink on a line after the finding's.
    f = reviewed.finding(TLS, 13)
    replacement = "    r = requests.get(url, timeout=5)\n    os.system(request.args['x'])"
    assert check(reviewed, verifier, f, replacement) == FixVerdict(False, Rejection.NEW_FINDING)


def test_a_fix_that_closes_the_function_and_adds_code_is_rejected(reviewed: Reviewed, verifier: FixVerifier) -> None:
    # Dedented, the next lines are module code (run at import), not part of `fetch`: it parses,
    # adds no finding, and still must not pass as a fix of one line in one function.
    f = reviewed.finding(TLS, 13)
    replacement = (
        "    r = requests.get(url, timeout=5)\n    return r.text\n\n\nTOKEN_SEEN = os.environ.get('HOME')\nif True:"
    )
    assert check(reviewed, verifier, f, replacement) == FixVerdict(False, Rejection.ESCAPES_FUNCTION)


def test_a_fix_on_the_last_line_that_appends_module_code_is_rejected(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(MD5, 18)
    replacement = "    return hashlib.sha256(data).hexdigest()\n\n\nADMINS = ['mallory']"
    assert check(reviewed, verifier, f, replacement) == FixVerdict(False, Rejection.ESCAPES_FUNCTION)


def test_a_module_level_fix_that_adds_a_definition_is_rejected(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(MD5, 9)
    replacement = 'DEBUG_HASH = hashlib.sha256(b"x").hexdigest()\n\n\ndef backdoor():\n    return 1'
    assert check(reviewed, verifier, f, replacement) == FixVerdict(False, Rejection.ESCAPES_FUNCTION)


def test_an_oversized_fix_is_rejected(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(TLS, 13)
    many = "\n".join(["    r = requests.get(url, timeout=5)"] + ["    pass"] * (MAX_EXTRA_LINES + 1))
    assert check(reviewed, verifier, f, many) == FixVerdict(False, Rejection.TOO_LARGE)
    long = "    r = requests.get(url, timeout=5)  # " + "x" * 2 * MAX_EXTRA_BYTES
    assert check(reviewed, verifier, f, long) == FixVerdict(False, Rejection.TOO_LARGE)
    # Just under both caps it is judged on its merits (and accepted).
    near = "\n".join(["    r = requests.get(url, timeout=5)"] + ["    pass"] * (MAX_EXTRA_LINES - 1))
    assert check(reviewed, verifier, f, near).accepted


@pytest.mark.parametrize("fence", ["```", "````", "~~~"])
def test_a_fix_with_a_code_fence_is_rejected(reviewed: Reviewed, verifier: FixVerifier, fence: str) -> None:
    f = reviewed.finding(TLS, 13)
    verdict = check(reviewed, verifier, f, f"    r = requests.get(url, timeout=5)  # {fence}\n{fence}")
    assert verdict == FixVerdict(False, Rejection.CODE_FENCE)


def test_a_single_backtick_in_code_is_not_a_fence(reviewed: Reviewed, verifier: FixVerifier) -> None:
    f = reviewed.finding(TLS, 13)
    assert check(reviewed, verifier, f, "    r = requests.get(url, timeout=5)  # see `verify`").accepted


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\x00", "\x1b", "\r", "\u200b"])
def test_a_fix_with_hidden_characters_is_rejected(reviewed: Reviewed, verifier: FixVerifier, char: str) -> None:
    # Bidi overrides and zero-width characters make the code read differently from what runs.
    f = reviewed.finding(TLS, 13)
    verdict = check(reviewed, verifier, f, f"    r = requests.get(url, timeout=5)  # {char}ok")
    assert verdict == FixVerdict(False, Rejection.HIDDEN_CHARACTER)


@pytest.mark.parametrize(
    "comment", ["# nosemgrep", "# nosem: python.tls.requests-verify-disabled", "# reviewbot: ignore[*] safe"]
)
def test_a_fix_that_adds_a_suppression_comment_is_rejected(
    reviewed: Reviewed, verifier: FixVerifier, comment: str
) -> None:
    # Merged, the comment would silence the rule on this line for good (and, alone on its line,
    # on the line below): a fix must change the code, never the reviewer.
    f = reviewed.finding(TLS, 13)
    verdict = check(reviewed, verifier, f, f"    r = requests.get(url, timeout=5)  {comment}")
    assert verdict == FixVerdict(False, Rejection.ADDS_SUPPRESSION)
    verdict = check(reviewed, verifier, f, f"    {comment}\n    r = requests.get(url, timeout=5)")
    assert verdict == FixVerdict(False, Rejection.ADDS_SUPPRESSION)


def test_a_reason_is_described_in_words_and_an_unknown_one_is_never_echoed() -> None:
    assert describe(Rejection.NEW_FINDING) == "the rules find something in the fixed file the original did not have"
    assert all(describe(r) != r.value for r in Rejection)
    assert describe("<img src=x> @admins") == "it did not pass the fix check"


def test_a_finding_refuses_a_verdict_that_is_not_a_reason_word(reviewed: Reviewed) -> None:
    from pydantic import ValidationError

    f = reviewed.finding(TLS, 13)
    doc = f.model_dump(mode="json")
    assert Finding.model_validate({**doc, "fix_verdict": "new-finding"}).fix_verdict == "new-finding"
    with pytest.raises(ValidationError):
        Finding.model_validate({**doc, "fix_verdict": "ok](https://evil.example)"})


def test_a_batch_is_judged_item_by_item_in_one_rescan(
    reviewed: Reviewed, verifier: FixVerifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls, md5 = reviewed.finding(TLS, 13), reviewed.finding(MD5, 18)
    calls: list[list[str]] = []
    for scanner in reviewed.scanners:
        real = scanner.scan

        def recording(root: Path, targets: list[str], only: object = None, real: object = real) -> object:
            calls.append(list(targets))
            return real(root, targets)  # type: ignore[operator]

        monkeypatch.setattr(scanner, "scan", recording)
    items = [
        (tls, reviewed.text, propose(tls, "    r = requests.get(url, timeout=5)")),
        (md5, reviewed.text, propose(md5, "    return hashlib.md5(data).digest().hex()")),
        (md5, reviewed.text, propose(md5, "    return hashlib.sha256(data).hexdigest()")),
        (tls, reviewed.text, propose(tls, reviewed.line(13))),
    ]
    verdicts = verify_fixes(items, verifier)
    assert [v.reason for v in verdicts] == [Rejection.OK, Rejection.FINDING_REMAINS, Rejection.OK, Rejection.NO_OP]
    assert len(calls) == len(reviewed.scanners)  # one run per scanner: the original and 3 fixed copies
    assert all(len(targets) == 4 for targets in calls)
    assert verifier.counts == {Rejection.OK: 2, Rejection.FINDING_REMAINS: 1, Rejection.NO_OP: 1}


def test_a_scanner_that_fails_rejects_rather_than_accepts(
    reviewed: Reviewed, verifier: FixVerifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewbot.scanners.interface import ScannerError

    def broken(root: Path, targets: list[str], only: object = None) -> object:
        raise ScannerError("semgrep exited 2")

    monkeypatch.setattr(reviewed.scanners[0], "scan", broken)
    f = reviewed.finding(TLS, 13)
    assert check(reviewed, verifier, f, "    r = requests.get(url, timeout=5)") == FixVerdict(
        False, Rejection.SCAN_FAILED
    )
