"""Hardening: `reviewbot scan` on file contents that are legal but awkward.

Encodings, line endings, empty and huge files, deep nesting, many files, Python 2 — each in every
mode, each asserting the exit code, no trace, and that the finding is still found (at the right
line, with the right snippet) wherever the code is still scannable.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import Repo
from tests.hardening.scan_support import (
    APP,
    FLAGGED,
    FORMATS,
    MODES,
    Change,
    assert_clean,
    found,
    parse,
    prepare,
    run_scan,
)

FIX = 'requests.get("https://x", verify=True)'


def _nothing(repo: Repo) -> None:
    (repo.root / "README.md").write_text("base\n")


def _writer(rel: str, data: bytes) -> Change:
    def change(repo: Repo) -> None:
        (repo.root / rel).write_bytes(data)

    return change


# (id, bytes of app.py, the line of the finding or None when it cannot be scannable)
CONTENTS = [
    ("invalid-utf8", b'x = "\xff\xfe\xc3("\n' + APP.encode(), 6),
    ("latin1-cookie", b'# -*- coding: latin-1 -*-\ns = "caf\xe9"\n' + APP.encode(), 7),
    ("utf8-bom", b"\xef\xbb\xbf" + APP.encode(), 5),
    ("crlf", APP.replace("\n", "\r\n").encode(), 5),
    ("mixed-tabs", b"import requests\n\n\ndef f():\n\tif True:\n\t    " + FLAGGED.encode(), 6),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("data", "line"), [pytest.param(d, n, id=i) for i, d, n in CONTENTS])
def test_awkward_source_is_scanned_at_the_right_line(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, data: bytes, line: int
) -> None:
    args = prepare(repo, mode, _nothing, _writer("app.py", data), tmp_path)
    run = run_scan(repo.root, *args, "--no-model", capsys=capsys)
    assert_clean(run)
    doc = parse(run, "json")
    (finding,) = found(doc)
    assert finding["start_line"] == line
    assert finding["snippet"].strip() == FLAGGED.strip()
    assert "\r" not in finding["snippet"]
    assert finding["fix"].strip() == FIX and "\r" not in finding["fix"]


@pytest.mark.parametrize(("data", "line"), [pytest.param(d, n, id=i) for i, d, n in CONTENTS])
def test_awkward_source_in_text_and_sarif(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, line: int
) -> None:
    args = prepare(repo, "base", _nothing, _writer("app.py", data), tmp_path)
    text = run_scan(repo.root, *args, "--no-model", fmt="text", capsys=capsys)
    assert_clean(text)
    assert f"\n  {line}:" in text.out and "\r" not in text.out and "\ufeff" not in text.out
    sarif = run_scan(repo.root, *args, "--no-model", fmt="sarif", capsys=capsys)
    assert_clean(sarif)
    (result,) = parse(sarif, "sarif")["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == line and region["snippet"]["text"].strip() == FLAGGED.strip()


@pytest.mark.parametrize(
    ("source", "noted"),
    [
        pytest.param(b'print "a"\nexec "x = 1"\n' + APP.encode(), False, id="python2"),
        pytest.param(b"def g(:\n    pass\n" + APP.encode(), True, id="syntax-error"),
    ],
)
def test_unparseable_python_is_a_note_not_a_crash(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], source: bytes, noted: bool
) -> None:
    """semgrep 1.182 reports nothing in errors[] for either file (it recovers, or silently finds
    nothing in Python 2); tree-sitter's error-recovered tree is noted where it has errors."""
    args = prepare(repo, "base", _nothing, _writer("app.py", source), tmp_path)
    for fmt in FORMATS:
        run = run_scan(repo.root, *args, "--no-model", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            assert any(n.startswith("app.py: has syntax errors") for n in doc["notes"]) is noted


@pytest.mark.parametrize("mode", MODES)
def test_lone_cr_line_endings(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str) -> None:
    """Old-Mac line ends: git and semgrep both see one physical line, so the finding is on line 1,
    its snippet is that line, and the fix keeps the file's CRs; the text output escapes them."""
    data = APP.replace("\n", "\r").encode()
    args = prepare(repo, mode, _nothing, _writer("app.py", data), tmp_path)
    for fmt in FORMATS:
        run = run_scan(repo.root, *args, "--no-model", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            (finding,) = found(doc)
            assert finding["start_line"] == finding["end_line"] == 1
            assert finding["snippet"] == APP.replace("\n", "\r").rstrip("\r")
            assert finding["fix"] == finding["snippet"].replace("verify=False", "verify=True")
        elif fmt == "text":
            assert "\r" not in run.out and "\\u000d" in run.out


@pytest.mark.parametrize("mode", MODES)
def test_utf16_and_empty_files_do_not_crash(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    def change(r: Repo) -> None:
        (r.root / "wide.py").write_bytes(APP.encode("utf-16"))
        (r.root / "empty.py").write_bytes(b"")
        (r.root / "app.py").write_text(APP)

    args = prepare(repo, mode, _nothing, change, tmp_path)
    for fmt in FORMATS:
        run = run_scan(repo.root, *args, "--no-model", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            assert [f["path"] for f in found(doc)] == ["app.py"]


HUGE = 10 * 1024 * 1024


@pytest.mark.parametrize("raised", [False, True], ids=["default-limit", "raised-limit"])
@pytest.mark.parametrize("mode", ["base", "diff", "all"])
def test_a_10mb_single_line(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, raised: bool
) -> None:
    line = b"x = '" + b"a" * HUGE + b"'\n"

    def change(r: Repo) -> None:
        (r.root / "huge.py").write_bytes(line)
        (r.root / "app.py").write_text(APP)

    args = prepare(repo, mode, _nothing, change, tmp_path)
    limit = ["--max-file-bytes", str(HUGE * 2)] if raised else []
    started = time.monotonic()
    run = run_scan(repo.root, *args, *limit, "--no-model", capsys=capsys)
    assert time.monotonic() - started < 60
    assert_clean(run)
    doc = parse(run, "json")
    assert [f["path"] for f in found(doc)] == ["app.py"]
    skipped = any("huge.py: skipped (larger than" in n for n in doc["skipped"])
    assert skipped is not raised


DEPTH = 5000
NESTED = {
    "parens": "x = " + "(" * DEPTH + "1" + ")" * DEPTH + "\n",
    "brackets": "x = " + "[" * DEPTH + "]" * DEPTH + "\n",
    "calls": "x = " + "f(" * DEPTH + "1" + ")" * DEPTH + "\n",
    "binary-op": "x = " + " + ".join(["request.args.get('a')"] * DEPTH) + "\n",
}


@pytest.mark.parametrize("mode", ["base", "all"])
@pytest.mark.parametrize("code", list(NESTED.values()), ids=list(NESTED))
def test_deep_nesting_raises_no_recursion_error(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, code: str
) -> None:
    """tree-sitter walks, context facts and fingerprints must not recurse once per nesting level."""
    data = ("from flask import request\nimport requests\n\n" + code + "\n\ndef f():\n    " + FLAGGED).encode()
    # One very long line looks minified: `scan --all` would keep the file from semgrep, and its
    # findings (their fingerprints and context) are what this test is about.
    repo.write(".reviewbot/config.yml", "version: 1\nsemgrep:\n  whole_tree_max_average_line: 0\n")
    args = prepare(repo, mode, _nothing, _writer("app.py", data), tmp_path)
    run = run_scan(repo.root, *args, capsys=capsys)  # with the model: features run on it too
    assert_clean(run)
    assert "RecursionError" not in run.both
    doc = parse(run, "json")
    # Found, or semgrep gave up on the file in its time budget and the report says so.
    timed_out = any(n.startswith("app.py: semgrep") and "Timeout" in n for n in doc["notes"])
    assert [f["start_line"] for f in found(doc)] == ([] if timed_out else [8])


@pytest.mark.parametrize(
    ("mode", "count", "suffix"),
    [
        pytest.param("all", 20_000, ".txt", id="all-20000-unscanned"),
        pytest.param("staged", 1_500, ".py", id="staged-1500-python"),
    ],
)
def test_many_tiny_changed_files_in_bounded_time(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, count: int, suffix: str
) -> None:
    """Many files: no per-file process, no quadratic step (the run itself, not the set-up, is timed)."""

    def change(r: Repo) -> None:
        for i in range(count):
            d = r.root / f"pkg{i // 1000}"
            d.mkdir(exist_ok=True)
            (d / f"m{i}{suffix}").write_text(f"x = {i}\n")
        (r.root / "app.py").write_text(APP)

    args = prepare(repo, mode, _nothing, change, tmp_path)
    started = time.monotonic()
    run = run_scan(repo.root, *args, "--no-model", capsys=capsys)
    elapsed = time.monotonic() - started
    assert_clean(run)
    doc = parse(run, "json")
    assert [f["path"] for f in found(doc)] == ["app.py"]
    assert elapsed < 20, elapsed
