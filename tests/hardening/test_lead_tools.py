"""Hardening of the security lead's tools: `reviewbot drift`, `--model DIR`, and `reviewbot report`.

Each case runs the real command line (`reviewbot.cli.main.main`) and asserts the exit code, that no
traceback escaped, and the exact message. Models are copies of the shipped `models/default`.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reviewbot.cli.main import main
from reviewbot.errors import EXIT_OK, EXIT_USAGE
from reviewbot.learn.card import read_card
from reviewbot.learn.drift import MIN_RECENT
from reviewbot.learn.features import FEATURE_NAMES, FEATURE_SCHEMA_VERSION
from reviewbot.learn.scoring import default_model_dir
from reviewbot.triage.ledger import Source, TriageRecord, Verdict, format_record
from tests.conftest import Repo

RULES = Path(__file__).parent.parent / "data" / "rules"
APP = """\
import subprocess
from flask import request


def handler():
    subprocess.call("ls " + request.args.get("d"), shell=True)
"""
MISSING = "missing (a model folder holds model.txt and card.json)"


@pytest.fixture
def model(tmp_path: Path) -> Path:
    default = default_model_dir()
    assert default is not None
    dest = tmp_path / "model"
    shutil.copytree(default, dest)
    return dest


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def report_of(path: Path, vectors: list[dict[str, float]]) -> Path:
    """A `scan --format json` report holding just the stored features drift reads."""
    findings = [{"features": v, "feature_schema": FEATURE_SCHEMA_VERSION} for v in vectors]
    path.write_text(json.dumps({"schema_version": "1", "findings": findings}))
    return path


def odd_vector() -> dict[str, float]:
    # One kind of finding the training data hardly has: PSI is far over 0.25 on any sample size.
    v = dict.fromkeys(FEATURE_NAMES, 0.0)
    v.update({"severity": 4.0, "confidence": 0.0, "hunk_added_lines": 5000.0, "value_provenance": 0.0})
    return v


# -- drift: a verdict only from the minimum sample on -------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, MIN_RECENT - 1], ids=["0-findings", "1-finding", "2-findings", "M-1-findings"])
def test_drift_under_the_minimum_sample_gives_no_verdict(
    n: int, model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = read_card(model / "card.json").split
    training = rows.fit.rows + rows.validation.rows
    report = report_of(tmp_path / "scan.json", [odd_vector()] * n)
    code, out, _ = run(capsys, "drift", "--model", str(model), "--report", str(report))
    assert code == EXIT_OK
    assert out == (
        f"{n} recent finding(s) against {training} training rows\n"
        f"not enough recent findings to judge ({n} of {MIN_RECENT} needed)\n"
    )


def test_drift_at_the_minimum_sample_judges(model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = report_of(tmp_path / "scan.json", [odd_vector()] * MIN_RECENT)
    code, out, _ = run(capsys, "drift", "--model", str(model), "--report", str(report))
    assert code == EXIT_OK
    assert out.startswith(f"{MIN_RECENT} recent finding(s) against ") and "  score PSI " in out
    assert "retraining is due: " in out and "moved a lot (PSI >= 0.25)" in out and "not enough" not in out


# -- --model DIR: only the model's own files ------------------------------------------------------


def crowded(model: Path) -> Path:
    """The model's files in a folder of things a reader must never touch: 300 unrelated files in a
    deep tree, a pickle, an unreadable file, a FIFO (opening it would hang) and a symlink loop."""
    for i in range(300):
        sub = model / "junk" / f"d{i % 7}" / f"e{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"f{i}.txt").write_text("x")
    (model / "weights.pkl").write_bytes(pickle.dumps({"x": 1}))
    (model / "old.png").write_bytes((model / "eval.png").read_bytes())
    (model / "eval.png").unlink()
    secret = model / "secret.bin"
    secret.write_bytes(b"\x80\x04never read")
    secret.chmod(0)
    os.mkfifo(model / "pipe")
    (model / "loop").symlink_to(model / "loop")
    (model / "junk" / "up").symlink_to(model)
    return model


def test_scan_and_drift_read_only_model_txt_and_card_json(
    model: Path, repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = crowded(model)
    repo.write("app.py", APP)
    scan = ["scan", "--all", "--repo", str(repo.root), "--rules", str(RULES), "--format", "json"]
    code, out, err = run(capsys, *scan, "--model", str(folder))
    assert code == EXIT_OK and err == ""
    [finding] = json.loads(out)["findings"]
    assert finding["score"] is not None
    code, out, _ = run(capsys, "drift", "--model", str(folder), "--report", str(report_of(tmp_path / "r.json", [])))
    assert code == EXIT_OK and f"not enough recent findings to judge (0 of {MIN_RECENT} needed)" in out


def test_report_reads_only_the_cards_folder_files(
    model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = crowded(model)
    monkeypatch.chdir(tmp_path)
    out_file = tmp_path / "report.html"
    code, out, err = run(capsys, "report", "--model", str(folder), "--out", str(out_file))
    page = out_file.read_text()
    assert code == EXIT_OK and err == "" and out.startswith(f"reviewbot: wrote {out_file} (")
    assert "data:image/png" not in page  # old.png is not the folder's eval.png: never opened


@pytest.mark.parametrize("command", ["scan", "drift", "eval", "report"])
def test_model_at_tmp_is_a_missing_card_not_a_walk(
    command: str, repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    if Path("/tmp/card.json").exists():
        pytest.skip("/tmp holds a card.json")
    argv = {
        "scan": ["scan", "--all", "--repo", str(repo.root), "--rules", str(RULES)],
        "drift": ["drift", "--report", str(report_of(tmp_path / "r.json", []))],
        "eval": ["eval", "--ledger", str(tmp_path / "none.jsonl")],
        "report": ["report", "--out", str(tmp_path / "r.html")],
    }[command]
    repo.write("app.py", APP)
    code, out, err = run(capsys, *argv, "--model", "/tmp")
    prefix = "--model " if command == "report" else ""
    assert code == EXIT_USAGE and out == ""
    assert err == f"reviewbot: error: {prefix}/tmp/card.json: {MISSING}\n"


@pytest.mark.parametrize("command", ["scan", "drift", "report"])
def test_model_dir_without_card_json_is_named(
    command: str, model: Path, repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    (model / "card.json").unlink()
    monkeypatch.chdir(tmp_path)
    argv = {
        "scan": ["scan", "--all", "--repo", str(repo.root), "--rules", str(RULES)],
        "drift": ["drift", "--report", str(report_of(tmp_path / "r.json", []))],
        "report": ["report", "--out", str(tmp_path / "r.html")],
    }[command]
    code, out, err = run(capsys, *argv, "--model", str(model))
    prefix = "--model " if command == "report" else ""
    assert code == EXIT_USAGE and out == ""
    assert err == f"reviewbot: error: {prefix}{model / 'card.json'}: {MISSING}\n"
    assert not (tmp_path / "r.html").exists()


def test_model_txt_that_is_a_pickle_is_refused(model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload = pickle.dumps(["tree"])
    (model / "model.txt").write_bytes(payload)
    card = json.loads((model / "card.json").read_text())
    card["model_sha256"] = hashlib.sha256(payload).hexdigest()  # a card that vouches for it changes nothing
    (model / "card.json").write_text(json.dumps(card))
    code, out, err = run(capsys, "drift", "--model", str(model), "--report", str(report_of(tmp_path / "r.json", [])))
    assert code == EXIT_USAGE and out == ""
    assert err == f"reviewbot: error: {model / 'model.txt'}: looks like a pickle; reviewbot never loads pickles\n"


# -- report: small and broken ledgers -------------------------------------------------------------


@pytest.fixture
def quiet_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working directory outside any repository, so the report reads only what a case gives it."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield work


RECORD = format_record(
    TriageRecord(
        fingerprint="0" * 31 + "1",
        rule_id="python.sqli.formatted-sql-query",
        verdict=Verdict.FALSE_POSITIVE,
        reason="parameterised upstream",
        who="Ada",
        when=datetime(2026, 2, 2, 10, tzinfo=UTC),
        source=Source.CLI,
    )
)


@pytest.mark.parametrize(
    ("lines", "expect_page", "expect_err"),
    [
        pytest.param([], ["the triage ledger has no decisions yet."], "", id="ledger-0-rows"),
        pytest.param(
            [RECORD],
            ['<span class="big">100%</span><span class="sub">1 of 1 triaged</span>'],
            "",
            id="ledger-1-row",
        ),
        pytest.param(
            [RECORD, "{not json", "[1, 2]", '{"verdict": "maybe"}', ""],
            ["1 of 1 triaged", "Problems reading the inputs"],
            "warning: LEDGER:2: ",
            id="ledger-garbage-lines",
        ),
    ],
)
def test_report_with_a_small_or_broken_ledger(
    lines: list[str],
    expect_page: list[str],
    expect_err: str,
    quiet_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = quiet_dir / "triage.jsonl"
    ledger.write_text("".join(line + "\n" for line in lines))
    out_file = quiet_dir / "report.html"
    code, out, err = run(capsys, "report", "--ledger", str(ledger), "--out", str(out_file))
    assert code == EXIT_OK and out.startswith(f"reviewbot: wrote {out_file} (")
    page = out_file.read_text()
    for text in expect_page:
        assert text in page
    if expect_err:
        problems = [line for line in err.splitlines() if line.startswith("reviewbot: warning: ")]
        assert len(problems) == 3 and all(p.endswith("; skipped") for p in problems)
        assert f"reviewbot: {expect_err.replace('LEDGER', str(ledger))}" in err
    else:
        assert err == ""


# -- report: tiles coloured only on evidence, counts as integers, an audit hint from the config --


def drift_model(model: Path, rows: int, score_psi: float) -> Path:
    (model / "drift.json").write_text(json.dumps({"rows": rows, "score_psi": score_psi, "feature_psi": {"a": 0.9}}))
    return model


@pytest.mark.parametrize("rows", [1, 2, MIN_RECENT - 1], ids=["1-finding", "2-findings", "M-1-findings"])
def test_report_drift_tile_is_neutral_under_the_minimum_sample(
    rows: int, model: Path, quiet_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = quiet_dir / "r.html"
    code, _, err = run(capsys, "report", "--model", str(drift_model(model, rows, 0.9)), "--out", str(out_file))
    page = out_file.read_text()
    assert code == EXIT_OK and err == ""
    needed = f"not enough recent findings to judge ({rows} of {MIN_RECENT} needed)"
    assert '<div class="tile "><span class="what">Model drift</span><span class="big">too few findings</span>' in page
    assert f"{needed} · model " in page and f"<strong>{needed}</strong>" in page
    assert "tile bad" not in page and "large shift" not in page and "Retrain on recent decisions" not in page


def test_report_drift_tile_is_red_at_the_minimum_sample(
    model: Path, quiet_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = quiet_dir / "r.html"
    code, _, _ = run(capsys, "report", "--model", str(drift_model(model, MIN_RECENT, 0.9)), "--out", str(out_file))
    page = out_file.read_text()
    assert code == EXIT_OK
    assert '<div class="tile bad"><span class="what">Model drift</span><span class="big">large</span>' in page
    assert "Retrain on recent decisions" in page and "not enough" not in page


def test_report_prints_card_counts_as_integers(
    model: Path, quiet_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = json.loads((model / "card.json").read_text())
    rows, real = int(card["metrics"]["test"]["rows"]), int(card["metrics"]["test"]["real"])
    out_file = quiet_dir / "r.html"
    assert run(capsys, "report", "--model", str(model), "--out", str(out_file))[0] == EXIT_OK
    page = out_file.read_text()
    assert f'<th scope="row"><code>rows</code></th><td class="num">{rows}</td>' in page
    assert f'<th scope="row"><code>real</code></th><td class="num">{real}</td>' in page
    assert f"{rows}.000" not in page and f"{real}.000" not in page


@pytest.mark.parametrize(
    ("config", "hint", "never"),
    [
        pytest.param(
            "", "<code>audit.<wbr>sample_rate</code> is already 0.02", "set <code>audit.<wbr>sample_rate", id="default"
        ),
        pytest.param(
            "version: 1\naudit:\n  sample_rate: 0.1\n",
            "<code>audit.<wbr>sample_rate</code> is already 0.1",
            "set <code>",
            id="set",
        ),
        pytest.param(
            "version: 1\naudit:\n  sample_rate: 0\n",
            "set <code>audit.<wbr>sample_rate</code> above 0 in "
            "<code>.<wbr>reviewbot/<wbr>config.<wbr>yml</code> (it is 0",
            "is already",
            id="off",
        ),
    ],
)
def test_report_audit_hint_follows_the_config(
    config: str, hint: str, never: str, repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if config:
        repo.write(".reviewbot/config.yml", config)
    monkeypatch.chdir(repo.root)
    out_file = repo.root.parent / "r.html"
    code, _, err = run(capsys, "report", "--out", str(out_file))
    page = out_file.read_text()
    assert code == EXIT_OK and err == ""
    assert hint in page and never not in page
    assert "keep <code>audit.<wbr>sample_rate</code> above 0" not in page


@pytest.mark.parametrize(("triaged", "enough"), [(1, False), (29, False), (30, True)], ids=["1", "M-1", "M"])
def test_report_audit_tile_shows_a_share_only_from_enough_triaged_samples(
    triaged: int, enough: bool, quiet_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fps = [f"{i:032x}" for i in range(1, triaged + 1)]
    sample = {"disposition": "reported", "disposition_reason": "sampled for audit: shown although score 0.1 is below"}
    findings = [{"rule_id": "r.x", "path": "a.py", "fingerprint": fp, "score": 0.1, **sample} for fp in fps]
    report = quiet_dir / "scan.json"
    report.write_text(json.dumps({"schema_version": "1", "findings": findings}))
    ledger = quiet_dir / "triage.jsonl"
    when = datetime(2026, 2, 2, 10, tzinfo=UTC)
    records = [
        TriageRecord(
            fingerprint=fp, rule_id="r.x", verdict=Verdict.TRUE_POSITIVE, reason="real", who="Ada", when=when,
            source=Source.CLI,
        )
        for fp in fps
    ]  # fmt: skip
    ledger.write_text("".join(format_record(r) + "\n" for r in records))
    out_file = quiet_dir / "r.html"
    argv = ["report", "--ledger", str(ledger), "--reports", str(report), "--out", str(out_file)]
    code, _, err = run(capsys, *argv)
    page = out_file.read_text()
    assert code == EXIT_OK and err == ""
    tile = page.split('<span class="what">Demoted but real (audit)</span>')[1].split("</div>")[0]
    if enough:
        assert tile.startswith('<span class="big">100%</span><span class="sub">95% interval ')
    else:
        needed = f"not enough triaged audit samples to judge ({triaged} of 30 needed)"
        assert tile == f'<span class="big">too few samples</span><span class="sub">{needed}</span>'


@pytest.mark.parametrize(("n", "enough"), [(2, False), (MIN_RECENT, True)], ids=["2-findings", "M-findings"])
def test_drift_json_saved_as_drift_json_feeds_the_report(
    n: int, enough: bool, model: Path, tmp_path: Path, quiet_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = report_of(tmp_path / "scan.json", [odd_vector()] * n)
    code, out, err = run(capsys, "drift", "--model", str(model), "--report", str(report), "--json")
    doc = json.loads(out)
    assert code == EXIT_OK and err == ""
    assert (doc["rows"], doc["min_recent"], doc["enough"]) == (n, MIN_RECENT, enough)
    assert bool(doc["reasons"]) is enough  # the odd findings moved a lot, judged only from M on
    (model / "drift.json").write_text(out)
    out_file = quiet_dir / "r.html"
    assert run(capsys, "report", "--model", str(model), "--out", str(out_file))[0] == EXIT_OK
    page = out_file.read_text()
    assert ("tile bad" in page) is enough
    assert (f"not enough recent findings to judge ({n} of {MIN_RECENT} needed)" in page) is not enough
