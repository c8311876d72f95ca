"""The triage ledger: reading it line by line, appending without rewriting, and the `triage` commands.

Real files in temp dirs, real git repositories where `who` and `commit` matter, two real
processes for concurrent appends, and the loopback fake GitHub for `triage pull`.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from reviewbot.finding import Confidence, Finding, Scanner, Severity
from reviewbot.github.review import inline_body
from reviewbot.triage.ledger import (
    Source,
    TriageRecord,
    Verdict,
    append_records,
    latest_verdicts,
    read_ledger,
)
from reviewbot.triage.scan_facts import last_report_path, save_last_report
from tests.conftest import Repo
from tests.github.fake_github import BOT, FakeGitHub, Pull

FP_A = "a" * 32
FP_B = "b" * 32
FP_C = "c" * 32
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def record(
    fp: str = FP_A,
    verdict: Verdict = Verdict.FALSE_POSITIVE,
    *,
    when: datetime = T0,
    who: str = "ada",
    rule: str = "py.tls.verify-disabled",
    reason: str = "test host",
    source: Source = Source.CLI,
) -> TriageRecord:
    return TriageRecord(fingerprint=fp, rule_id=rule, verdict=verdict, reason=reason, who=who, when=when, source=source)


def line(**overrides: Any) -> str:
    base: dict[str, Any] = record().model_dump(mode="json")
    base.update(overrides)
    return json.dumps({k: v for k, v in base.items() if v is not _DROP})


_DROP = object()


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# -- reading: malformed lines are reported with their numbers, never fatal ---------------------


def test_malformed_lines_are_reported_with_line_numbers_and_the_rest_is_read(tmp_path: Path) -> None:
    ledger = tmp_path / "triage.jsonl"
    lines = [
        line(),  # 1 ok
        "{not json",  # 2
        "",  # 3 blank: no record, no problem
        "[1, 2]",  # 4 not an object
        line(schema_version=2),  # 5 a newer reviewbot
        line(schema_version=_DROP),  # 6 unversioned
        line(fingerprint="xyz"),  # 7 schema violation
        line(verdict="maybe"),  # 8 unknown verdict
        line(colour="blue"),  # 9 unknown field
        line(when="2026-01-02T03:04:05"),  # 10 no timezone
        "<<<<<<< HEAD",  # 11 a merge conflict left in
        line(fingerprint=FP_B, verdict="true_positive"),  # 12 ok
        '{"schema_version": 1, "features": {"x": NaN}}',  # 13 not JSON (NaN)
        line(features={"x": 12.5}, feature_schema="f1").replace("12.5", "1e999"),  # 14 infinite
        line(reason="\ud800"),  # 15 a lone surrogate: could never be written back as UTF-8
        "[" * 100_000,  # 16 too deep for any JSON reader
    ]
    ledger.write_text("\n".join(lines) + "\n")
    read = read_ledger(ledger)
    assert [r.fingerprint for r in read.records] == [FP_A, FP_B]
    numbers = [n for n, _ in read.problems]
    assert numbers == [2, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16]
    messages = dict(read.problems)
    assert "not JSON" in messages[2]
    assert "not a JSON object" in messages[4]
    assert "schema_version 2" in messages[5] and "reads 1" in messages[5]
    assert "no schema_version" in messages[6]
    assert "fingerprint" in messages[7]
    assert "verdict" in messages[8]
    assert "colour" in messages[9]
    assert "timezone" in messages[10]
    assert "merge conflict" in messages[11]
    assert "NaN" in messages[13]
    assert "finite" in messages[14]
    assert "Unicode" in messages[15]
    assert "deep" in messages[16]


def test_bad_utf8_and_a_missing_final_newline(tmp_path: Path) -> None:
    ledger = tmp_path / "triage.jsonl"
    ledger.write_bytes(line().encode() + b"\n\xff\xfe\n" + line(fingerprint=FP_B).encode())
    read = read_ledger(ledger)
    assert [r.fingerprint for r in read.records] == [FP_A, FP_B]
    assert [n for n, _ in read.problems] == [2]
    assert "UTF-8" in read.problems[0][1]


def test_a_missing_ledger_is_empty_and_an_unreadable_one_is_an_input_error(tmp_path: Path) -> None:
    assert read_ledger(tmp_path / "nope.jsonl").records == []
    from reviewbot.errors import InputError

    with pytest.raises(InputError, match="cannot read"):
        read_ledger(tmp_path)  # a directory


# -- appending: existing bytes are never touched ---------------------------------------------


def test_append_creates_the_folder_and_writes_compact_sorted_json_lines(tmp_path: Path) -> None:
    ledger = tmp_path / "deep" / "er" / "triage.jsonl"
    append_records(ledger, [record(), record(FP_B, Verdict.TRUE_POSITIVE, reason="")])
    text = ledger.read_text()
    assert text.endswith("\n") and text.count("\n") == 2
    first = text.split("\n")[0]
    assert ", " not in first and ": " not in first.replace("test host", "")
    keys = list(json.loads(first))
    assert keys == sorted(keys)
    assert json.loads(first)["when"] == "2026-01-02T03:04:05Z"
    assert [r.fingerprint for r in read_ledger(ledger).records] == [FP_A, FP_B]


def test_append_never_rewrites_existing_bytes(tmp_path: Path) -> None:
    ledger = tmp_path / "triage.jsonl"
    # Hand-edited content, a malformed line and odd spacing included: all must survive byte for byte.
    before = (line() + "\n" + "garbage that is not json\n" + line(fingerprint=FP_B).replace(",", ", ") + "\n").encode()
    ledger.write_bytes(before)
    inode = ledger.stat().st_ino
    append_records(ledger, [record(FP_C)])
    after = ledger.read_bytes()
    assert after.startswith(before)
    assert ledger.stat().st_ino == inode  # appended in place, not replaced by a new file
    assert json.loads(after[len(before) :])["fingerprint"] == FP_C


def test_append_after_a_line_without_newline_starts_a_new_line(tmp_path: Path) -> None:
    ledger = tmp_path / "triage.jsonl"
    before = line().encode()  # no trailing newline (an editor that strips it)
    ledger.write_bytes(before)
    append_records(ledger, [record(FP_B)])
    after = ledger.read_bytes()
    assert after.startswith(before)
    read = read_ledger(ledger)
    assert [r.fingerprint for r in read.records] == [FP_A, FP_B] and read.problems == []


def test_append_refuses_a_record_without_timezone(tmp_path: Path) -> None:
    from reviewbot.errors import InputError

    with pytest.raises(InputError, match="timezone"):
        append_records(tmp_path / "l.jsonl", [record(when=datetime(2026, 1, 1))])
    assert not (tmp_path / "l.jsonl").exists()


_WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from reviewbot.triage.ledger import Source, TriageRecord, Verdict, append_records

path, who, folder = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
start = datetime(2026, 1, 1, tzinfo=UTC)
batches = [
    [
        TriageRecord(
            fingerprint=f"{batch:016x}{i:016x}", rule_id="r", verdict=Verdict.FALSE_POSITIVE,
            reason=who * 3000, who=who, when=start + timedelta(seconds=batch), source=Source.CLI,
        )
        for i in range(4)
    ]
    for batch in range(BATCHES)
]
(folder / f"ready-{who}").touch()
while not (folder / "go").exists():
    pass
for records in batches:
    append_records(path, records)
"""
BATCHES = 500


def test_two_processes_appending_at_once_lose_nothing_and_never_interleave(tmp_path: Path) -> None:
    ledger = tmp_path / "triage.jsonl"
    writer = _WRITER.replace("BATCHES", str(BATCHES))
    procs = [
        subprocess.Popen([sys.executable, "-c", writer, str(ledger), who, str(tmp_path)], cwd=tmp_path)
        for who in ("x", "y")
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{who}").exists() for who in ("x", "y")):  # both imported and built
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.01)
    (tmp_path / "go").touch()
    for p in procs:
        assert p.wait(timeout=120) == 0
    read = read_ledger(ledger)
    assert read.problems == []
    assert len(read.records) == 2 * BATCHES * 4
    whos = [r.who for r in read.records]
    assert whos.count("x") == whos.count("y") == BATCHES * 4
    assert {r.reason for r in read.records} == {"x" * 3000, "y" * 3000}
    # The writers really overlapped (else this test proves nothing) ...
    assert sum(1 for a, b in itertools.pairwise(whos) if a != b) > 2
    # ... and each batch of four was one write: its records are adjacent in the file.
    for who in ("x", "y"):
        positions = [i for i, w in enumerate(whos) if w == who]
        for k in range(0, len(positions), 4):
            assert positions[k + 3] - positions[k] == 3


# -- the latest verdict per fingerprint ------------------------------------------------------


def test_latest_verdict_by_when_then_file_order(tmp_path: Path) -> None:
    plus2 = timezone(timedelta(hours=2))
    records = [
        record(FP_A, Verdict.FALSE_POSITIVE, when=T0 + timedelta(days=1)),  # newest for A, though first
        record(FP_A, Verdict.TRUE_POSITIVE, when=T0),
        record(FP_B, Verdict.TRUE_POSITIVE, when=T0),
        record(FP_B, Verdict.ACCEPTED_RISK, when=T0),  # a tie on `when`: the later line wins
        record(FP_C, Verdict.WONT_FIX, when=T0),
        # Later on the wall clock, earlier in fact (02:00 UTC): it does not win.
        record(FP_C, Verdict.FALSE_POSITIVE, when=datetime(2026, 1, 2, 4, 0, tzinfo=plus2)),
        # The same instant as T0 written in another timezone: a tie, so file order decides.
        record(FP_C, Verdict.TRUE_POSITIVE, when=T0.astimezone(plus2)),
    ]
    expected = {FP_A: Verdict.FALSE_POSITIVE, FP_B: Verdict.ACCEPTED_RISK, FP_C: Verdict.TRUE_POSITIVE}
    assert {fp: r.verdict for fp, r in latest_verdicts(records).items()} == expected
    # The same through the file: appended, read back, resolved alike.
    ledger = tmp_path / "triage.jsonl"
    append_records(ledger, records)
    assert {fp: r.verdict for fp, r in latest_verdicts(read_ledger(ledger).records).items()} == expected
    # The training label: everything but a false positive is a real finding.
    assert [v for v in Verdict if not v.is_real] == [Verdict.FALSE_POSITIVE]


def test_two_branches_that_triage_merge_cleanly_with_the_union_driver(repo: Repo) -> None:
    """docs/triage.md: with `merge=union`, both sides' lines are kept and `when` decides."""
    ledger = repo.root / ".reviewbot" / "triage.jsonl"
    repo.write(".gitattributes", ".reviewbot/triage.jsonl merge=union\n")
    append_records(ledger, [record(FP_A, Verdict.TRUE_POSITIVE, when=T0, reason="")])
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "side")
    append_records(ledger, [record(FP_A, Verdict.FALSE_POSITIVE, when=T0 + timedelta(hours=1), who="bo")])
    repo.commit("side decides A at 1h")
    repo.git("checkout", "-q", "main")
    append_records(
        ledger,
        [
            record(FP_A, Verdict.WONT_FIX, when=T0 + timedelta(hours=2), reason="legacy"),
            record(FP_B, Verdict.ACCEPTED_RISK, when=T0, reason="internal"),
        ],
    )
    repo.commit("main decides A at 2h, and B")
    repo.git("merge", "-q", "--no-edit", "side")  # raises on a conflict
    read = read_ledger(ledger)
    assert read.problems == [] and len(read.records) == 4
    assert read.records[-1].who == "bo"  # union puts the merged side's line last ...
    latest = latest_verdicts(read.records)
    assert latest[FP_A].verdict is Verdict.WONT_FIX  # ... but the later decision wins
    assert latest[FP_B].verdict is Verdict.ACCEPTED_RISK


# -- triage mark -------------------------------------------------------------------------------


def _report(fp: str = FP_A, **extra: Any) -> dict[str, Any]:
    finding = {"rule_id": "py.tls.verify-disabled", "path": "app.py", "fingerprint": fp, "disposition": "reported"}
    finding.update(extra)
    return {"schema_version": "1", "findings": [finding]}


@pytest.fixture
def checkout(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A git repository with one commit and a user name, as the current directory."""
    repo.git("config", "user.name", "Ada Lovelace")
    repo.write("app.py", "print(1)\n")
    repo.commit("one")
    monkeypatch.chdir(repo.root)
    return repo


def test_mark_takes_rule_path_and_features_from_the_report(
    checkout: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    report.write_text(json.dumps(_report(features={"added_lines": 3, "in_test": 0.0}, feature_schema="f1")))
    before = datetime.now(UTC)
    code, out, err = run(
        "triage",
        "mark",
        FP_A,
        "--verdict",
        "false_positive",
        "--reason",
        "test host",
        "--report",
        str(report),
        capsys=capsys,
    )
    assert code == 0, err
    ledger = checkout.root / ".reviewbot" / "triage.jsonl"
    (rec,) = read_ledger(ledger).records
    assert (rec.rule_id, rec.path, rec.reason, rec.source) == (
        "py.tls.verify-disabled",
        "app.py",
        "test host",
        Source.CLI,
    )
    assert rec.features == {"added_lines": 3.0, "in_test": 0.0} and rec.feature_schema == "f1"
    assert rec.who == "Ada Lovelace"
    assert rec.commit == checkout.git("rev-parse", "HEAD").strip()
    assert before <= rec.when <= datetime.now(UTC) and rec.when.utcoffset() == timedelta(0)
    assert "false_positive" in out and str(ledger) in out
    assert err == ""
    # A second opinion supersedes the first, and says so.
    code, out, err = run("triage", "mark", FP_A, "--verdict", "tp", "--report", str(report), capsys=capsys)
    assert code == 0 and "supersedes false_positive" in out
    assert latest_verdicts(read_ledger(ledger).records)[FP_A].verdict is Verdict.TRUE_POSITIVE


def test_mark_without_report_uses_the_last_scan_and_warns_when_it_has_no_features(
    checkout: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = save_last_report(checkout.root, json.dumps(_report()))
    assert saved == last_report_path(checkout.root) and saved.is_file()
    assert saved.parent.name == "last-report" and len(saved.stem) == 16
    code, _, err = run("triage", "mark", FP_A, "--verdict", "tp", "--who", "grace", capsys=capsys)
    assert code == 0, err
    assert "no feature vector" in err
    (rec,) = read_ledger(checkout.root / ".reviewbot" / "triage.jsonl").records
    assert (rec.verdict, rec.who, rec.rule_id, rec.features) == (
        Verdict.TRUE_POSITIVE,
        "grace",
        "py.tls.verify-disabled",
        None,
    )


def test_mark_an_unknown_fingerprint_is_an_error_unless_a_rule_is_given(
    checkout: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run("triage", "mark", FP_B, "--verdict", "true_positive", capsys=capsys)
    assert code == 2
    assert FP_B in err and len(err.strip().splitlines()) == 1
    assert not (checkout.root / ".reviewbot").exists()
    code, _, err = run("triage", "mark", FP_B, "--verdict", "true_positive", "--rule", "my.rule", capsys=capsys)
    assert code == 0
    assert "warning" in err and "features" in err
    (rec,) = read_ledger(checkout.root / ".reviewbot" / "triage.jsonl").records
    assert (rec.rule_id, rec.path, rec.features) == ("my.rule", None, None)


def test_mark_who_falls_back_to_user_and_commit_is_absent_outside_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)
    monkeypatch.setenv("USER", "someone")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = run(
        "triage", "mark", FP_A, "--verdict", "wont_fix", "--reason", "legacy", "--rule", "r", capsys=capsys
    )
    assert code == 0, err
    (rec,) = read_ledger(plain / ".reviewbot" / "triage.jsonl").records
    assert (rec.who, rec.commit) == ("someone", None)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["NOT-A-FP", "--verdict", "tp", "--rule", "r"], "32 hex"),
        ([FP_A[:7], "--verdict", "tp", "--rule", "r"], "8 to 32 hex"),
        ([FP_A[:31], "--verdict", "tp", "--rule", "r"], "no saved scan report"),  # a short id needs a report
        ([FP_A, "--verdict", "maybe", "--rule", "r"], "--verdict"),
        ([FP_A, "--verdict", "false_positive", "--rule", "r"], "reason"),
        ([FP_A, "--verdict", "accepted_risk", "--reason", "  ", "--rule", "r"], "reason"),
        ([FP_A, "--verdict", "tp", "--rule", "r", "--ledger", "."], "cannot read"),
        ([FP_A, "--verdict", "tp", "--report", "missing.json"], "missing.json"),
    ],
)
def test_mark_errors_are_one_line_and_exit_2(
    checkout: Repo, argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run("triage", "mark", *argv, capsys=capsys)
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("reviewbot: error: ") and expected in err, err
    assert not (checkout.root / ".reviewbot").exists()


# -- triage import -----------------------------------------------------------------------------


def test_import_skips_bad_lines_with_their_numbers_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "old-tool.jsonl"
    ledger = tmp_path / "triage.jsonl"
    source.write_text(
        "\n".join(
            [
                line(source=_DROP),  # 1: source becomes import
                line(fingerprint=FP_B, source="pr-thread"),  # 2: kept as it is
                "{oops",  # 3
                line(fingerprint=FP_C, reason=""),  # 4: a false positive needs a reason
                line(
                    fingerprint=FP_C, when="2026-01-02T05:04:05+02:00", verdict="true_positive", reason="", source=_DROP
                ),
            ]
        )
        + "\n"
    )
    code, out, err = run("triage", "import", str(source), "--ledger", str(ledger), capsys=capsys)
    assert code == 0, err
    assert "imported 3" in out and "skipped 2" in out
    assert f"{source}:3:" in err and f"{source}:4:" in err and "reason" in err
    records = read_ledger(ledger).records
    assert [(r.fingerprint, r.source) for r in records] == [
        (FP_A, Source.IMPORT),
        (FP_B, Source.PR_THREAD),
        (FP_C, Source.IMPORT),
    ]
    assert records[2].when == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert records[2].when.utcoffset() == timedelta(0)
    # Again: nothing new, but the file had valid records, so exit 0.
    size = ledger.stat().st_size
    code, out, _ = run("triage", "import", str(source), "--ledger", str(ledger), capsys=capsys)
    assert code == 0 and "imported 0" in out and "3 already in the ledger" in out
    assert ledger.stat().st_size == size


def test_import_of_a_file_without_a_valid_record_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text("nope\n" + line(schema_version=9) + "\n")
    code, out, err = run("triage", "import", str(source), "--ledger", str(tmp_path / "l.jsonl"), capsys=capsys)
    assert code == 2
    assert "imported 0" in out and "skipped 2" in out
    assert f"{source}:1:" in err and f"{source}:2:" in err and "no valid record" in err
    assert not (tmp_path / "l.jsonl").exists()
    code, _, err = run("triage", "import", str(tmp_path / "absent.jsonl"), capsys=capsys)
    assert code == 2 and "absent.jsonl" in err


# -- triage list and stats ---------------------------------------------------------------------


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    ledger = tmp_path / "triage.jsonl"
    day = timedelta(days=1)
    append_records(
        ledger,
        [
            record(FP_A, Verdict.TRUE_POSITIVE, when=T0, reason=""),
            record(FP_A, Verdict.FALSE_POSITIVE, when=T0 + day),  # A re-decided: false positive
            record(FP_B, Verdict.ACCEPTED_RISK, when=T0, reason="internal only"),
            record(FP_C, Verdict.FALSE_POSITIVE, when=T0 + 3 * day, rule="py.sqli", reason="constant \x1b[31m"),
        ],
    )
    with ledger.open("a") as fh:
        fh.write("broken line\n")
    return ledger


def test_list_filters_and_formats(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("triage", "list", "--ledger", str(filled), capsys=capsys)
    assert code == 0
    assert len(out.splitlines()) == 4
    assert "\x1b" not in out and "\\u001b" in out  # a reason cannot repaint the terminal
    assert f"{filled}:5:" in err
    code, out, _ = run("triage", "list", "--ledger", str(filled), "--rule", "py.sqli", capsys=capsys)
    assert len(out.splitlines()) == 1 and FP_C in out
    code, out, _ = run(
        "triage", "list", "--ledger", str(filled), "--latest", "--verdict", "true_positive", capsys=capsys
    )
    assert out == ""
    code, _, err = run("triage", "list", "--ledger", str(filled), "--verdict", "meh", capsys=capsys)
    assert code == 2 and len(err.splitlines()) == 1 and "meh" in err
    code, out, _ = run(
        "triage", "list", "--ledger", str(filled), "--verdict", "false_positive", "--format", "json", capsys=capsys
    )
    doc = json.loads(out)
    assert [r["fingerprint"] for r in doc["records"]] == [FP_A, FP_C]
    assert doc["problems"] == [{"line": 5, "message": doc["problems"][0]["message"]}]


def test_stats_count_each_finding_once_by_its_latest_verdict(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("triage", "stats", "--ledger", str(filled), "--format", "json", capsys=capsys)
    assert code == 0
    doc = json.loads(out)
    tls = next(r for r in doc["rules"] if r["rule_id"] == "py.tls.verify-disabled")
    assert tls["findings"] == 2 and tls["records"] == 3
    assert tls["counts"] == {"true_positive": 0, "false_positive": 1, "accepted_risk": 1, "wont_fix": 0}
    assert tls["false_positive_rate"] == 0.5
    assert tls["last_decision"] == "2026-01-03T03:04:05Z"
    assert doc["total"]["findings"] == 3 and doc["total"]["false_positive_rate"] == pytest.approx(2 / 3)
    assert doc["malformed_lines"] == 1
    code, out, _ = run("triage", "stats", "--ledger", str(filled), capsys=capsys)
    assert "py.sqli" in out and "100%" in out and "50%" in out and "malformed lines: 1" in out
    assert "2026-01-05" in out


# -- triage pull (loopback fake GitHub) --------------------------------------------------------

REPO_NAME = "octo-org/hello"
PR = 7
AUTHOR = "pr-author"


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server
        assert server.violations == [], "requests that do not match GitHub's API description"


def _finding(fp: str, rule: str, line_no: int) -> Finding:
    return Finding(
        rule_id=rule,
        scanner=Scanner.SEMGREP,
        path="app.py",
        start_line=line_no,
        start_col=1,
        end_line=line_no,
        end_col=10,
        message="TLS verification is disabled",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        category="tls",
        fingerprint=fp,
    )


@pytest.fixture
def pr_thread(fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """A PR where reviewbot commented two findings (with its real comment body) and people replied."""
    fake.add_pull(Pull(PR, "1" * 40, "2" * 40, AUTHOR, REPO_NAME, REPO_NAME))
    roots = {}
    for fp, rule, ln in ((FP_A, "py.tls.verify-disabled", 3), (FP_B, "py.cmdi.shell", 9)):
        roots[fp] = fake.add_review_comment(
            REPO_NAME,
            PR,
            login=BOT,
            association="NONE",
            body=inline_body(_finding(fp, rule, ln)),
            path="app.py",
            line=ln,
        )["id"]
    # A stranger forging a marker: not reviewbot's comment, so its thread is not read.
    forged = fake.add_review_comment(
        REPO_NAME, PR, login="mallory", association="NONE", body=f"<!-- reviewbot:finding v1 fp={FP_C} state=open -->"
    )
    fake.add_review_comment(
        REPO_NAME, PR, login="lead", association="MEMBER", body="/reviewbot fp test host only", in_reply_to=roots[FP_A]
    )
    fake.add_review_comment(
        REPO_NAME, PR, login=AUTHOR, association="OWNER", body="/reviewbot accept fine", in_reply_to=roots[FP_B]
    )
    fake.add_review_comment(
        REPO_NAME, PR, login="lead", association="MEMBER", body="/reviewbot fp mine", in_reply_to=forged["id"]
    )
    fake.add_issue_comment(
        REPO_NAME, PR, login="lead", association="OWNER", body=f"/reviewbot tp {FP_B[:10]} real, fix it"
    )
    fake.add_issue_comment(REPO_NAME, PR, login="lead", association="OWNER", body="/reviewbot fp 0123456789 nope")
    for k in list(os.environ):
        if k.startswith(("GITHUB_", "REVIEWBOT_")):
            monkeypatch.delenv(k)
    monkeypatch.setenv("GITHUB_TOKEN", "bot-token")
    monkeypatch.setenv("GITHUB_API_URL", fake.api_url)
    return roots


def test_pull_appends_trusted_verdicts_once_and_skips_the_authors_dismissal(
    fake: FakeGitHub, pr_thread: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "triage.jsonl"
    report = tmp_path / "report.json"
    report.write_text(json.dumps(_report(FP_A, features={"x": 1.5}, feature_schema="f1")))
    argv = ["triage", "pull", "--repo", REPO_NAME, "--pr", str(PR), "--ledger", str(ledger), "--report", str(report)]
    code, out, err = run(*argv, capsys=capsys)
    assert code == 0, err
    records = read_ledger(ledger).records
    assert [(r.fingerprint, r.verdict, r.who, r.source) for r in records] == [
        (FP_A, Verdict.FALSE_POSITIVE, "lead", Source.PR_THREAD),
        (FP_B, Verdict.TRUE_POSITIVE, "lead", Source.PR_THREAD),
    ]
    fp_rec, tp_rec = records
    assert (fp_rec.rule_id, fp_rec.path, fp_rec.reason) == ("py.tls.verify-disabled", "app.py", "test host only")
    assert fp_rec.features == {"x": 1.5} and fp_rec.feature_schema == "f1"
    assert (tp_rec.rule_id, tp_rec.features, tp_rec.reason) == ("py.cmdi.shell", None, "real, fix it")
    assert all(r.when.utcoffset() == timedelta(0) for r in records)
    assert "2 new" in out
    assert "not recorded" in out and "the PR author cannot dismiss" in out and AUTHOR in out
    assert "1 command" in out and "cannot map" in out  # `/reviewbot fp 0123456789`
    assert fake.writes() == []  # pull only reads
    # Idempotent: the same thread pulled again appends nothing and leaves the file as it was.
    before = ledger.read_bytes()
    code, out, _ = run(*argv, capsys=capsys)
    assert code == 0
    assert ledger.read_bytes() == before
    assert "0 new" in out and "2 already in the ledger" in out


def test_pull_needs_a_known_pr_and_a_token(
    fake: FakeGitHub,
    pr_thread: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = str(tmp_path / "l.jsonl")
    # without --pr, the PRs closed in the last 30 days are walked: this repository's one PR is open
    code, out, err = run("triage", "pull", "--repo", REPO_NAME, "--ledger", ledger, capsys=capsys)
    assert code == 0 and "0 pull request(s) closed since" in out, err
    code, _, err = run("triage", "pull", "--repo", REPO_NAME, "--pr", "99", "--ledger", ledger, capsys=capsys)
    assert code == 2 and "#99" in err
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _, err = run("triage", "pull", "--repo", REPO_NAME, "--pr", str(PR), "--ledger", ledger, capsys=capsys)
    assert code == 2 and "GITHUB_TOKEN" in err
    code, _, err = run("triage", "pull", "--repo", "not a repo", "--pr", "1", "--ledger", ledger, capsys=capsys)
    assert code == 2 and "OWNER/NAME" in err


# -- help ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sub", "words"),
    [
        ("mark", ["--verdict", "--reason", "--report", "--rule", "false_positive"]),
        ("import", ["source", "line"]),
        ("list", ["--latest", "--format"]),
        ("stats", ["false-positive rate"]),
        ("pull", ["GITHUB_TOKEN", "--pr", "write access", "--since", "reaction"]),
        ("import-github", ["security-events: read", "false_positive", "accepted_risk", "--checkout", "exit codes"]),
    ],
)
def test_each_subcommand_has_useful_help(sub: str, words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("triage", sub, "--help", capsys=capsys)
    assert code == 0
    for word in words:
        assert word in out, word


def test_triage_without_a_subcommand_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run("triage", capsys=capsys)
    assert code == 2 and "mark" in err and "pull" in err
