"""`reviewbot triage import-github`: dismissed code-scanning alerts become ledger records.

Against the loopback GitHub (requests and responses checked against the vendored description),
with a real git repository whose commits the alerts point at.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reviewbot.change.git import GitRepo
from reviewbot.github.alert_code import AlertSite, fingerprint_sites
from reviewbot.lang.syntax import parse
from reviewbot.review import fingerprint
from reviewbot.triage.ledger import Source, Verdict, read_ledger
from tests.conftest import Repo
from tests.github.fake_decisions import alert_json
from tests.github.fake_github import FakeGitHub, Fault
from tests.test_triage import run

REPO = "octo-org/hello"
APP = """\
import subprocess


def handler(name):
    subprocess.call("ls " + name, shell=True)


def other(cmd):
    subprocess.call(cmd, shell=True)
"""


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeGitHub) -> tuple[Repo, str]:
    root = tmp_path / "repo"
    root.mkdir()
    repo = Repo(root)
    repo.write("app.py", APP)
    sha = repo.commit("app")
    monkeypatch.chdir(root)
    for k in list(os.environ):
        if k.startswith(("GITHUB_", "REVIEWBOT_")):
            monkeypatch.delenv(k)
    monkeypatch.setenv("GITHUB_TOKEN", "bot-token")
    monkeypatch.setenv("GITHUB_API_URL", fake.api_url)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    return repo, sha


def _dismissed(fake: FakeGitHub, number: int, sha: str, reason: str, line: int = 5, **kw: object) -> None:
    fake.alerts.append(
        alert_json(
            fake,
            number,
            state="dismissed",
            rule="py/command-line-injection",
            path="app.py",
            commit=sha,
            start_line=line,
            start_column=5,
            end_column=46 if line == 5 else 37,
            dismissed_by="lead",
            dismissed_at=f"2026-03-0{number % 9 + 1}T10:00:00Z",
            reason=reason,
            **kw,  # type: ignore[arg-type]
        )
    )


def test_dismissals_map_to_verdicts_fixed_and_open_are_context_and_a_rerun_writes_nothing(
    fake: FakeGitHub, checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo, sha = checkout
    _dismissed(fake, 1, sha, "false positive", comment="name is validated upstream")
    _dismissed(fake, 2, sha, "won't fix", line=9)
    _dismissed(fake, 3, sha, "used in tests")
    fake.alerts.append(
        alert_json(fake, 4, state="fixed", rule="py/command-line-injection", path="app.py", commit=sha, start_line=5)
    )
    fake.alerts.append(
        alert_json(fake, 5, state="open", rule="py/command-line-injection", path="app.py", commit=sha, start_line=9)
    )
    _dismissed(fake, 6, "f" * 40, "false positive")  # a commit this checkout never fetched
    _dismissed(fake, 7, sha, "false positive", line=99)  # past the end of the file
    ledger = tmp_path / "ledger.jsonl"
    code, out, err = run("triage", "import-github", "--ledger", str(ledger), capsys=capsys)
    assert code == 0, err
    records = read_ledger(ledger).records
    assert [(r.verdict, r.who, r.source, r.commit, r.path) for r in records] == [
        (Verdict.FALSE_POSITIVE, "lead", Source.IMPORT, sha, "app.py"),
        (Verdict.WONT_FIX, "lead", Source.IMPORT, sha, "app.py"),
        (Verdict.ACCEPTED_RISK, "lead", Source.IMPORT, sha, "app.py"),
    ]
    assert records[0].reason == (
        "GitHub code scanning alert #1 (CodeQL), dismissed as false positive: name is validated upstream"
    )
    assert records[0].when.isoformat() == "2026-03-02T10:00:00+00:00"
    # the id `scan --import-sarif` gives CodeQL's results: the same finding, the same fingerprint
    assert records[0].rule_id == "codeql/py/command-line-injection"
    # Alerts 1 and 3 sit on the same code: the same fingerprint; alert 2 is other code.
    assert records[0].fingerprint == records[2].fingerprint != records[1].fingerprint
    assert "7 code-scanning alert(s) read (dismissed 5, fixed 1, open 1)" in out
    assert "3 new record(s)" in out and "2 dismissal(s) skipped" in out
    assert "alert #6: its code cannot be read" in out and "alert #7: its code cannot be read" in out
    assert fake.writes() == []  # reading only: alerts are never changed
    before = ledger.read_bytes()
    code, out, _ = run("triage", "import-github", "--ledger", str(ledger), capsys=capsys)
    assert code == 0
    assert ledger.read_bytes() == before
    assert "0 new record(s)" in out and "3 already in the ledger" in out


def test_our_fingerprint_is_taken_from_the_code_and_survives_the_code_moving(
    fake: FakeGitHub, checkout: tuple[Repo, str]
) -> None:
    repo, sha = checkout
    repo.write("app.py", "# a header\n\n\n" + APP)
    moved = repo.commit("lines added above")
    git = GitRepo(repo.root)
    site = AlertSite(1, "py/x", sha, "app.py", 5, 5, 5, 46)
    got = fingerprint_sites(git, [site, AlertSite(2, "py/x", moved, "app.py", 8, 8, 5, 46)])
    assert got[1] is not None and got[1] == got[2]
    # and it is fingerprint v1 of exactly that call, in its scope
    source = APP.encode()
    start = source.index(b'subprocess.call("ls "')
    end = source.index(b"shell=True)", start) + len("shell=True)")
    parsed = parse(source, "python")
    ident = fingerprint.match_identity("py/x", "app.py", source, parsed, start, end)
    assert ident.scope == "handler"
    assert got[1] == fingerprint.fingerprints([ident])[0]
    # a whole-line alert (no columns) reads the line, which is the same tokens here
    whole = fingerprint_sites(git, [AlertSite(3, "py/x", sha, "app.py", 5, 5, None, None)])
    assert whole[3] == got[1]


def test_alerts_are_read_across_pages_and_a_rate_limit_is_waited_out(
    fake: FakeGitHub,
    checkout: tuple[Repo, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _repo, sha = checkout
    waits: list[float] = []
    monkeypatch.setattr("time.sleep", waits.append)
    for n in range(1, 251):
        _dismissed(fake, n, sha, "false positive", line=5 if n % 2 else 9)
        fake.alerts[-1]["dismissed_at"] = f"2026-03-01T10:{n // 60:02d}:{n % 60:02d}Z"
    # page 2 is refused once with a secondary rate limit that says how long to wait
    fake.faults.append(
        Fault(
            "GET",
            r"/code-scanning/alerts$",
            403,
            body={"message": "You have exceeded a secondary rate limit."},
            headers={"Retry-After": "7"},
            query=r"(^|&)page=2(&|$)",
        )
    )
    ledger = tmp_path / "ledger.jsonl"
    code, _out, err = run("triage", "import-github", "--ledger", str(ledger), capsys=capsys)
    assert code == 0, err
    assert len(read_ledger(ledger).records) == 250
    assert waits == [7.0]
    pages = [r for r in fake.requests if r.path.endswith("/code-scanning/alerts")]
    assert [r.query.get("page", ["1"])[0] for r in pages[1:]] == ["2", "2", "3"]  # page 1 not fetched again


def test_a_token_without_security_events_read_gets_a_note_and_exit_3(
    fake: FakeGitHub, checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.code_scanning_forbidden = True
    ledger = tmp_path / "ledger.jsonl"
    code, _out, err = run("triage", "import-github", "--ledger", str(ledger), capsys=capsys)
    assert code == 3
    assert "security-events: read" in err and "Nothing was imported" in err
    assert "Traceback" not in err
    assert not ledger.exists()


def test_a_rate_limit_resetting_past_the_bounded_wait_is_exit_3_without_sleeping(
    fake: FakeGitHub,
    checkout: tuple[Repo, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    _, sha = checkout
    _dismissed(fake, 1, sha, "false positive")
    waits: list[float] = []
    monkeypatch.setattr("time.sleep", waits.append)
    reset = str(int(time.time()) + 3600)  # an hour away: more than the 300 s reviewbot waits
    fake.faults.append(
        Fault(
            "GET",
            r"/code-scanning/alerts$",
            403,
            body={"message": "API rate limit exceeded for installation."},
            headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset},
        )
    )
    ledger = tmp_path / "ledger.jsonl"
    code, _, err = run("triage", "import-github", "--ledger", str(ledger), capsys=capsys)
    assert code == 3 and "rate limited" in err and "Traceback" not in err
    assert waits == [] and not ledger.exists()


def test_import_github_refuses_bad_input_before_calling_github(
    fake: FakeGitHub,
    checkout: tuple[Repo, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _, err = run("triage", "import-github", "--repo", "not a repo", capsys=capsys)
    assert code == 2 and "OWNER/NAME" in err
    code, _, err = run("triage", "import-github", "--checkout", str(tmp_path / "nowhere"), capsys=capsys)
    assert code == 2 and "not a directory" in err
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _, err = run("triage", "import-github", capsys=capsys)
    assert code == 2 and "GITHUB_TOKEN" in err
    assert fake.requests == []


def test_a_scan_report_holding_the_finding_gives_the_record_its_feature_vector(
    fake: FakeGitHub, checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, sha = checkout
    _dismissed(fake, 1, sha, "false positive")
    _dismissed(fake, 2, sha, "won't fix", line=9)
    site = AlertSite(1, "codeql/py/command-line-injection", sha, "app.py", 5, 5, 5, 46)
    fp = fingerprint_sites(GitRepo(repo.root), [site])[1]
    finding = {
        "rule_id": "codeql/py/command-line-injection",
        "path": "app.py",
        "fingerprint": fp,
        "disposition": "reported",
        "features": {"added_lines": 1.0},
        "feature_schema": "f1",
    }
    report = tmp_path / "scan.json"
    report.write_text(json.dumps({"schema_version": "1", "findings": [finding]}))
    ledger = tmp_path / "ledger.jsonl"
    code, out, err = run("triage", "import-github", "--ledger", str(ledger), "--report", str(report), capsys=capsys)
    assert code == 0, err
    first, second = read_ledger(ledger).records
    assert first.fingerprint == fp and first.features == {"added_lines": 1.0} and first.feature_schema == "f1"
    assert second.features is None  # not in the report
    assert "(1 with a feature vector from the scan report)" in out
