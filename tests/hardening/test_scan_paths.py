"""Hardening: `reviewbot scan` on hostile paths — symlinks leading out of the repository, and file
names that carry newlines, terminal escapes, bidi overrides, option-like or non-UTF-8 bytes.

Symlinks: nothing outside the repository is read. The outside file holds a unique canary (on a
line a rule flags, so a read would be reported) that must appear in no output, no cache file and
no saved report. Names: each output format carries the real name — text escaped, JSON
round-tripping it, SARIF valid with a percent-encoded URI that decodes to the name's bytes.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from reviewbot._text import escape_control as safe
from tests.conftest import Repo
from tests.hardening.scan_support import (
    APP,
    FORMATS,
    MODES,
    Run,
    assert_canary_absent,
    assert_clean,
    found,
    parse,
    prepare,
    run_scan,
    sarif_paths,
)


@pytest.fixture
def canary(tmp_path: Path) -> str:
    """A file outside the repository, flagged by a rule if it were ever read; its canary."""
    token = f"CANARY{uuid.uuid4().hex}"
    outside = tmp_path / "outside"
    (outside / "pkg").mkdir(parents=True)
    code = f'import requests\n\n\ndef leak():\n    requests.get("https://{token}", verify=False)\n'
    (outside / "secret.py").write_text(code)
    (outside / "pkg" / "mod.py").write_text(code)
    return token


def _outside(repo: Repo) -> Path:
    return repo.root.parent / "outside"


def _plain(repo: Repo) -> None:
    repo.write("app.py", "import requests\n")


def _link_to_outside_file(repo: Repo) -> None:
    os.symlink(_outside(repo) / "secret.py", repo.root / "leak.py")
    repo.write("app.py", APP)


def _link_to_etc_passwd(repo: Repo) -> None:
    os.symlink("/etc/passwd", repo.root / "passwd.py")
    repo.write("app.py", APP)


def _relative_link_out(repo: Repo) -> None:
    os.symlink("../outside/secret.py", repo.root / "rel.py")
    repo.write("app.py", APP)


def _dir_becomes_link(repo: Repo) -> None:
    # lib/ was a real folder on the base; the change makes it a symlink to a folder outside.
    (repo.root / "lib" / "mod.py").unlink()
    (repo.root / "lib").rmdir()
    os.symlink(_outside(repo) / "pkg", repo.root / "lib")
    repo.write("app.py", "from lib.mod import leak\n" + APP)


def _base_with_lib(repo: Repo) -> None:
    _plain(repo)
    repo.write("lib/mod.py", "def leak():\n    return 1\n")


def _link_loop(repo: Repo) -> None:
    os.symlink("loop_b.py", repo.root / "loop_a.py")
    os.symlink("loop_a.py", repo.root / "loop_b.py")
    os.symlink("self.py", repo.root / "self.py")
    repo.write("app.py", APP)


def _file_becomes_link(repo: Repo) -> None:
    (repo.root / "app.py").unlink()
    os.symlink(_outside(repo) / "secret.py", repo.root / "app.py")
    repo.write("other.py", APP)


def _base_with_link(repo: Repo) -> None:
    os.symlink(_outside(repo) / "secret.py", repo.root / "app.py")


def _link_becomes_file(repo: Repo) -> None:
    (repo.root / "app.py").unlink()
    repo.write("app.py", APP)


# (id, base, change, a path that must be reported as found, or None)
SYMLINKS = [
    ("link-to-outside-file", _plain, _link_to_outside_file, "app.py"),
    ("link-to-etc-passwd", _plain, _link_to_etc_passwd, "app.py"),
    ("relative-link-out", _plain, _relative_link_out, "app.py"),
    ("dir-becomes-link", _base_with_lib, _dir_becomes_link, "app.py"),
    ("link-loop", _plain, _link_loop, "app.py"),
    ("file-becomes-link", _plain, _file_becomes_link, "other.py"),
    ("link-becomes-file", _base_with_link, _link_becomes_file, "app.py"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("base", "change", "expect"), [pytest.param(*s[1:], id=s[0]) for s in SYMLINKS])
def test_symlinks_are_never_followed(
    repo: Repo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    canary: str,
    mode: str,
    base: object,
    change: object,
    expect: str,
) -> None:
    args = prepare(repo, mode, base, change, tmp_path)  # type: ignore[arg-type]
    report = tmp_path / "report.json"
    run = run_scan(repo.root, *args, "--no-model", "--output", str(report), capsys=capsys)
    assert_clean(run)
    doc = parse(Run(run.code, report.read_text(), run.err), "json")
    assert expect in [f["path"] for f in found(doc)]
    assert all(canary not in note for note in doc["notes"] + doc["skipped"])
    assert_canary_absent(run, canary, report)
    assert "root:x:0:0" not in report.read_text() + run.both
    for fmt in ("text", "sarif"):
        other = run_scan(repo.root, *args, "--no-model", fmt=fmt, capsys=capsys)
        assert_clean(other)
        parse(other, fmt)
        assert_canary_absent(other, canary)


@pytest.mark.parametrize("mode", ["worktree", "diff", "all"])
def test_a_scanned_file_importing_through_a_symlinked_dir_reads_nothing_outside(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], canary: str, mode: str
) -> None:
    """The context reader (facts about called code) must not follow an untracked symlinked dir."""

    def change(r: Repo) -> None:
        r.write("app.py", "from vendored.mod import leak\n" + APP)

    args = prepare(repo, mode, _plain, change, tmp_path)
    # Not part of the change (untracked, created after the patch was taken): only a reader finds it.
    os.symlink(_outside(repo) / "pkg", repo.root / "vendored")
    (repo.root / ".git" / "info" / "exclude").write_text("vendored\n")
    run = run_scan(repo.root, *args, capsys=capsys)  # with the model: context facts are features
    assert_clean(run)
    doc = parse(run, "json")
    assert [f["path"] for f in found(doc)] == ["app.py"]
    assert_canary_absent(run, canary)


NAMES = {
    "newline": "new\nline.py",
    "tab": "tab\there.py",
    "carriage-return": "cr\rhidden.py",
    "line-separator": "ls\u2028ps\u2029nel\u0085.py",
    "zero-width": "zero\u200bwidth\u2066iso.py",
    "ansi": "\x1b[31mred\x1b[0m.py",
    "bidi": "evil\u202egnp.py",
    "leading-dash": "-rf.py",
    "option-like": "--all.py",
    "spaces": "with  spaces .py",
    "quotes": 'it\'s "quoted".py',
    "percent": "100%25 %s.py",
    "backslash": "back\\slash.py",
    "long": "l" * 240 + ".py",
    "dot-dirs": ".../..a/a...py",
    "unicode": "d\u00e9j\u00e0-\u4e2d\u6587.py",
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(NAMES.values()), ids=list(NAMES))
def test_hostile_file_names_in_every_format(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, name: str
) -> None:
    def change(r: Repo) -> None:
        path = r.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(APP)

    args = prepare(repo, mode, _plain, change, tmp_path)
    for fmt in FORMATS:
        run = run_scan(repo.root, *args, "--no-model", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            assert [f["path"] for f in found(doc)] == [name]
        elif fmt == "sarif":
            assert sarif_paths(doc) == [os.fsencode(name)]
        else:
            assert safe(name) in run.out
            for raw in ("\x1b", "\u202e", "\r", "\u2028", "\u2029", "\u0085", "\u200b", "\u2066"):
                assert raw not in run.out
            assert "\nline.py" not in run.out


@pytest.mark.parametrize("mode", MODES)
def test_a_file_name_that_is_not_utf8_is_skipped_with_a_readable_note(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    """A report's paths are Unicode text: such a file is listed as skipped (bytes as \\xNN), not a crash."""
    name = os.fsdecode(b"caf\xe9-\xff.py")

    def change(r: Repo) -> None:
        (r.root / name).write_text(APP)
        r.write("app.py", APP)

    args = prepare(repo, mode, _plain, change, tmp_path)
    note = "caf\\xe9-\\xff.py: skipped (file name is not UTF-8)"
    for fmt in FORMATS:
        run = run_scan(repo.root, *args, "--no-model", "--verbose", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            assert [f["path"] for f in found(doc)] == ["app.py"]
            assert note in doc["skipped"]
        elif fmt == "sarif":
            assert sarif_paths(doc) == [b"app.py"]
            assert note in run.out.replace("\\\\", "\\")
        else:
            assert note in run.out


@pytest.mark.parametrize(
    ("arg", "code"),
    [
        pytest.param("../outside/secret.py", 2, id="dotdot"),
        pytest.param("{outside}/secret.py", 2, id="absolute-outside"),
        pytest.param("/etc/passwd", 2, id="etc-passwd"),
        pytest.param("lib/../../outside/secret.py", 2, id="dotdot-in-the-middle"),
        pytest.param("vendored", 0, id="symlinked-dir"),
        pytest.param("vendored/secret.py", 0, id="file-in-symlinked-dir"),
        pytest.param("leak.py", 0, id="symlinked-file"),
    ],
)
def test_all_with_paths_leading_out_reads_nothing_outside(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], canary: str, arg: str, code: int
) -> None:
    _plain(repo)
    (repo.root / "lib").mkdir()
    os.symlink(_outside(repo), repo.root / "vendored")
    os.symlink(_outside(repo) / "secret.py", repo.root / "leak.py")
    repo.commit("base")
    for fmt in FORMATS:
        run = run_scan(repo.root, "--all", arg.format(outside=_outside(repo)), "--verbose", fmt=fmt, capsys=capsys)
        assert_clean(run, code)
        if code == 2:
            assert "outside the repository" in run.err
        else:
            doc = parse(run, fmt)
            if fmt == "json":
                assert doc["findings"] == []
                assert any("skipped (symlink: not followed)" in s for s in doc["skipped"])
        assert_canary_absent(run, canary)
        assert "root:x:0" not in run.both


def test_all_lists_a_fifo_as_skipped_and_never_opens_it(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Opening a FIFO would block the scan forever; it is listed as skipped, like every skip."""
    repo.write("app.py", APP)
    os.mkfifo(repo.root / "pipe.py")
    for fmt in FORMATS:
        run = run_scan(repo.root, "--all", "--verbose", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            assert [f["path"] for f in found(doc)] == ["app.py"]
            assert "pipe.py: skipped (not a regular file in the working tree)" in doc["skipped"]
