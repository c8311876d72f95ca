"""A credential on a line another rule matches is never repeated, in any output.

Each function of the PR's `app.py` is one TLS finding (`verify=False`, a rule with a fix) whose
line also carries a credential, in one of the shapes reviewbot knows. The change is reviewed by
the real semgrep through the real CLI: `scan` as text, JSON and SARIF (plus the last-report cache
`triage mark` reads), and `pr` against the loopback GitHub (every request body, the SARIF upload
decoded, the saved results, the log, the job summary), then an unredacted results file, as an
older reviewbot or an attacker would write one, posted by the workflow_run stage.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from reviewbot.triage.scan_facts import last_report_path
from tests.conftest import Repo
from tests.github.conftest import BASE_APP, NUMBER, REPO, RULES, Checkout, Env, pull_request_event
from tests.github.fake_github import FakeGitHub

# id → (the call's arguments, the secret in them). The first is the issue's own line.
SHAPES: dict[str, tuple[str, str]] = {
    "github-token": (
        '"https://x", headers={"Authorization": "token ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"}',
        "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    ),
    "github-oauth": (
        '"https://x", params={"t": "gho_16C7e42F292c6912E7710c838347Ae178B4a"}',
        "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    ),
    "github-app": (
        '"https://x", params={"t": "ghs_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8"}',
        "ghs_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8",
    ),
    "github-pat": (
        '"https://x", params={"t": "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyzABCDEFGHIJ0123456789"}',
        "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyzABCDEFGHIJ0123456789",
    ),
    "aws-key": ('"https://x", params={"id": "AKIAIOSFODNN7EXAMPLE"}', "AKIAIOSFODNN7EXAMPLE"),
    "aws-secret": (
        '"https://x", params={"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}',
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    "slack": (
        '"https://x", data={"t": "xoxb-123456789012-123456789012-AbCdEfGhIjKlMnOp"}',
        "xoxb-123456789012-123456789012-AbCdEfGhIjKlMnOp",
    ),
    "private-key": (
        '"https://x", cert="-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA7bq98xQk3Lw9PqZ'
        '\\n-----END RSA PRIVATE KEY-----"',
        "MIIEowIBAAKCAQEA7bq98xQk3Lw9PqZ",
    ),
    "jwt": (
        '"https://x", cookies={"s": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.'
        'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}',
        "eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ),
    "password": ('"https://x", data={"password": "Sup3r-S3cret-Passw0rd"}', "Sup3r-S3cret-Passw0rd"),
    "secret": ('"https://x", data={"client_secret": "cs-9f8e7d6c5b4a39281706"}', "cs-9f8e7d6c5b4a39281706"),
    "url-userinfo": ('"https://admin:Hunter2Hunter2@internal.example/api"', "Hunter2Hunter2"),
    "bearer": (
        '"https://x", headers={"Authorization": "Bearer sk-abcDEF1234567890ghiJKL"}',
        "sk-abcDEF1234567890ghiJKL",
    ),
    "basic": (
        '"https://x", headers={"Authorization": "Basic YWRtaW46c3VwZXJzZWNyZXQxMjM="}',
        "YWRtaW46c3VwZXJzZWNyZXQxMjM=",
    ),
}


def _head_app() -> str:
    funcs = [
        f"\n\ndef call_{i}():\n    return requests.get({args}, verify=False)\n"
        for i, (args, _) in enumerate(SHAPES.values())
    ]
    return BASE_APP + "".join(funcs)


def _leaks(text: str, secret: str) -> list[str]:
    """Pieces of `secret` found in `text`: the whole, or any 8 characters of it past the two a mask keeps."""
    tail = secret[2:]
    return [tail[i : i + 8] for i in range(max(1, len(tail) - 7)) if tail[i : i + 8] in text]


@dataclass
class Outputs:
    """Every text the runs below produced, by where it went."""

    texts: dict[str, str]
    inline_bodies: list[str]


def _scan(root: Path, fmt: str) -> str:
    os.chdir(root)
    out = root.parent / f"scan.{fmt}"
    code = main(["scan", "--base", "main", "--rules", str(RULES), "--format", fmt, "--output", str(out)])
    assert code == 0
    return out.read_text()


def _sarif_payloads(fake: FakeGitHub) -> list[str]:
    bodies = [r.body for r in fake.requests if r.path.endswith("/code-scanning/sarifs")]
    assert bodies, "the SARIF upload was sent"
    return [gzip.decompress(base64.b64decode(b["sarif"])).decode("utf-8") for b in bodies]


def _tls_bodies(fake: FakeGitHub) -> list[str]:
    """The inline comments on the TLS findings (the tree-sitter secret rules comment on some lines too)."""
    bodies = [c["body"] for c in fake.bot_review_comments(REPO, NUMBER)]
    return [b for b in bodies if "test.tls.verify-disabled" in b]


def _bodies(fake: FakeGitHub) -> str:
    return "\n".join(json.dumps(r.body, ensure_ascii=False) for r in fake.requests if r.body is not None)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    tmp = tmp_path_factory.mktemp("secrets")
    (tmp / "repo").mkdir()
    repo = Repo(tmp / "repo")
    repo.write("app.py", BASE_APP)
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", _head_app())
    head = repo.commit("feature")
    checkout = Checkout(repo, base, head)
    cwd = Path.cwd()
    texts: dict[str, str] = {}
    with pytest.MonkeyPatch.context() as mp:
        try:
            for fmt in ("text", "json", "sarif"):
                texts[f"scan-{fmt}"] = _scan(repo.root, fmt)
            texts["last-report"] = last_report_path(repo.root).read_text()
        finally:
            os.chdir(cwd)
        # The PR path on the checkout: review, post, upload SARIF, save the results artifact.
        with FakeGitHub() as fake:
            fake.add_pull(checkout.pull())
            env = Env(fake, pull_request_event(tmp, checkout), tmp, workspace=repo.root)
            env.extra.update(REVIEWBOT_RULES=str(RULES), REVIEWBOT_GITHUB_WRITE_SPACING="0")
            results = tmp / "results.json"
            run = env.run("--sarif-upload", "--save-results", str(results), monkeypatch=mp)
            assert run.code == 0, run.out + run.err
            assert fake.violations == []
            assert len(_tls_bodies(fake)) == len(SHAPES)  # the review was posted
            texts["pr-requests"] = _bodies(fake)
            texts["pr-sarif-upload"] = "\n".join(_sarif_payloads(fake))
            texts["pr-log"] = run.out + run.err
            texts["pr-job-summary"] = run.summary
            texts["saved-results"] = results.read_text()
            inline = _tls_bodies(fake)
        # The workflow_run stage posting a results file nobody redacted: the secrets put back.
        doc = json.loads(results.read_text())
        lines = _head_app().split("\n")
        for f in doc["result"]["findings"]:
            raw = "\n".join(lines[f["start_line"] - 1 : f["end_line"]])
            f.update(snippet=raw, message=f"{f['message']} {raw}", fix=raw.replace("verify=False", "verify=True"))
            if "fix_redacted" in f:  # an older reviewbot wrote no such field
                f["fix_redacted"] = False
        doc["result"]["notes"] = [f"a scanner warning quoting requests.get({args})" for args, _ in SHAPES.values()]
        raw_results = tmp / "raw-results.json"
        raw_results.write_text(json.dumps(doc))
        assert any(secret in raw_results.read_text() for _, secret in SHAPES.values())
        with FakeGitHub() as fake:
            fake.add_pull(checkout.pull())
            env = Env(fake, pull_request_event(tmp, checkout, name="event2.json"), tmp)
            env.extra.update(REVIEWBOT_GITHUB_WRITE_SPACING="0")
            run = env.run("--results", str(raw_results), "--sarif-upload", monkeypatch=mp)
            assert run.code == 0, run.out + run.err
            assert fake.violations == []
            assert len(_tls_bodies(fake)) == len(SHAPES)  # the review was posted
            texts["results-file-requests"] = _bodies(fake)
            texts["results-file-sarif-upload"] = "\n".join(_sarif_payloads(fake))
            texts["results-file-log"] = run.out + run.err
            texts["results-file-job-summary"] = run.summary
            inline += _tls_bodies(fake)
        texts.update(_html_reports(tmp, doc))
    return Outputs(texts, inline)


def _html_reports(tmp: Path, doc: dict[str, Any]) -> dict[str, str]:
    """The lead's HTML page, per shape, from a report an older reviewbot wrote unredacted: its one
    hidden finding's reason quotes the line (the page lists hidden findings with their reason)."""
    ledger = tmp / "triage.jsonl"
    ledger.write_text("")
    pages = {}
    for shape, (args, _) in SHAPES.items():
        report = json.loads(json.dumps(doc["result"]))
        hidden = report["findings"][0]
        hidden.update(disposition="suppressed_file", disposition_reason=f"accepted: requests.get({args})")
        report["findings"] = [hidden]
        path, page = tmp / f"report-{shape}.json", tmp / f"report-{shape}.html"
        path.write_text(json.dumps(report))
        assert main(["report", "--ledger", str(ledger), "--reports", str(path), "--out", str(page)]) == 0
        pages[f"html-report:{shape}"] = text = page.read_text()
        assert "accepted: requests.get(" in text  # the page shows the reason
    return pages


OUTPUTS = [
    "scan-text",
    "scan-json",
    "scan-sarif",
    "last-report",
    "pr-requests",
    "pr-sarif-upload",
    "pr-log",
    "pr-job-summary",
    "saved-results",
    "results-file-requests",
    "results-file-sarif-upload",
    "results-file-log",
    "results-file-job-summary",
    "html-report",
]


@pytest.mark.parametrize("where", OUTPUTS)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_secret_appears_nowhere(outputs: Outputs, where: str, shape: str) -> None:
    text = outputs.texts[f"{where}:{shape}" if where == "html-report" else where]
    assert text.strip()  # the output was produced
    assert _leaks(text, SHAPES[shape][1]) == []
    assert "Traceback" not in text


def test_the_findings_are_still_reported_with_their_place(outputs: Outputs) -> None:
    doc = json.loads(outputs.texts["scan-json"])
    reported = [
        f for f in doc["findings"] if f["disposition"] == "reported" and f["rule_id"] == "test.tls.verify-disabled"
    ]
    assert len(reported) == len(SHAPES)
    for f in reported:
        assert f["fix_redacted"] is True and "verify=True" in f["fix"]
        # The mask keeps the length, so the columns still point at the code.
        assert len(f["snippet"]) == len(_head_app().split("\n")[f["start_line"] - 1])


def test_a_fix_quoting_a_secret_is_not_suggested_and_the_comment_says_why(outputs: Outputs) -> None:
    assert len(outputs.inline_bodies) == 2 * len(SHAPES)
    for body in outputs.inline_bodies:
        assert "```suggestion" not in body
        assert "No suggestion: the fix would quote a secret" in body


def test_fingerprints_come_from_the_real_code_not_the_mask(tmp_path: Path) -> None:
    # Two tokens that mask alike (same length, same first characters) are two different findings.
    fps = []
    cwd = Path.cwd()
    try:
        for i, token in enumerate(("ghp_" + "A" * 36, "ghp_" + "B" * 36)):
            (tmp_path / f"r{i}").mkdir()
            repo = Repo(tmp_path / f"r{i}")
            repo.write("app.py", BASE_APP)
            repo.commit("base")
            repo.git("checkout", "-q", "-b", "feature")
            repo.write(
                "app.py",
                BASE_APP
                + f'\n\ndef f():\n    return requests.get("https://x", headers={{"a": "{token}"}}, verify=False)\n',
            )
            repo.commit("feature")
            doc: dict[str, Any] = json.loads(_scan(repo.root, "json"))
            (new,) = [f for f in doc["findings"] if f["disposition"] == "reported"]
            assert token not in json.dumps(doc)
            fps.append(new["fingerprint"])
    finally:
        os.chdir(cwd)
    assert fps[0] != fps[1]


def test_an_internal_error_quoting_a_secret_is_redacted_in_the_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bug in a dependency (here PyGithub's review call) whose message quotes the line: the
    # trace and the notice are printed for the log, redacted, and the run still exits 0.
    from github.PullRequest import PullRequest

    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    repo.write("app.py", BASE_APP)
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", _head_app())
    checkout = Checkout(repo, base, repo.commit("feature"))
    line = f"requests.get({SHAPES['github-token'][0]}, verify=False)"

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"unexpected payload near {line}")

    monkeypatch.setattr(PullRequest, "create_review", broken)
    with FakeGitHub() as fake:
        fake.add_pull(checkout.pull())
        env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=repo.root)
        env.extra.update(REVIEWBOT_RULES=str(RULES), REVIEWBOT_GITHUB_WRITE_SPACING="0")
        run = env.run(monkeypatch=monkeypatch)
    assert run.code == 0
    assert "Traceback" in run.out and "unexpected payload near" in run.out
    assert _leaks(run.out + run.err, SHAPES["github-token"][1]) == []
