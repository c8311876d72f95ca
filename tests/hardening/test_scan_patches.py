"""Hardening: `reviewbot scan --diff` on hostile or broken patches.

A patch is untrusted input. Paths leaving the checkout, patches that do not apply, lie about
their hunks or stop half way are an input error (exit 2) that names the patch; renames, copies,
mode changes and binary patches are skipped with a note (exit 0). The checkout is never written,
and nothing outside it is read (a canary outside holds a flagged line).
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import Repo
from tests.hardening.scan_support import (
    APP,
    FLAGGED,
    FORMATS,
    assert_canary_absent,
    assert_clean,
    found,
    git_bytes,
    parse,
    run_scan,
)

BASE = "import requests\n"


@pytest.fixture
def checkout(repo: Repo, tmp_path: Path) -> tuple[Repo, str]:
    """A committed checkout (app.py, lib/util.py, a symlink `link` to a folder outside), a canary."""
    token = f"CANARY{uuid.uuid4().hex}"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(f'import requests\nrequests.get("https://{token}", verify=False)\n')
    repo.write("app.py", BASE)
    repo.write("lib/util.py", "x = 1\n")
    os.symlink(outside, repo.root / "link")
    repo.commit("base")
    return repo, token


def _state(root: Path) -> str:
    """What the checkout holds (status and every tracked file's bytes): must not change."""
    status = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=root, capture_output=True, check=True)
    return status.stdout.decode() + "".join(
        f"{p}:{p.read_bytes()!r}" for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts
    )


def _adds(path: str, body: str = FLAGGED) -> str:
    lines = body.splitlines(keepends=True)
    return f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n" + "".join("+" + x for x in lines)


NEW_APP = "diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -1 +1,2 @@\n import requests\n+" + FLAGGED

# (id, patch text, a phrase the error message must contain)
REFUSED = [
    ("dotdot-target", _adds("../outside/evil.py"), "not inside the repository"),
    ("dotdot-source", "--- a/../outside/secret.py\n+++ b/app.py\n@@ -1 +1 @@\n-x\n+y\n", "not inside the repository"),
    ("dotdot-middle", _adds("lib/../../outside/evil.py"), "not inside the repository"),
    ("absolute-target", "--- /dev/null\n+++ /tmp/evil.py\n@@ -0,0 +1 @@\n+" + FLAGGED, "not inside the repository"),
    ("absolute-source", "--- /etc/passwd\n+++ b/app.py\n@@ -1 +1 @@\n-root\n+x\n", "not inside the repository"),
    ("devnull-both", "--- /dev/null\n+++ /dev/null\n@@ -0,0 +1 @@\n+" + FLAGGED, "neither an old nor a new file"),
    (
        "git-header-dotdot",
        "diff --git a/../x.py b/../x.py\nnew file mode 100644\n--- /dev/null\n+++ b/../x.py\n@@ -0,0 +1 @@\n+x\n",
        "not inside the repository",
    ),
    (
        "modify-through-symlinked-dir",
        "--- a/link/secret.py\n+++ b/link/secret.py\n@@ -1 +1 @@\n-x\n+y\n",
        "link/secret.py",
    ),
    (
        "copy-from-outside",
        "diff --git a/app.py b/x.py\nsimilarity index 100%\ncopy from ../../../../../../../../../etc/passwd\n"
        "copy to x.py\n",
        "not inside the repository",
    ),
    (
        "copy-from-absolute",
        "diff --git a/app.py b/x.py\nsimilarity index 100%\ncopy from /etc/passwd\ncopy to x.py\n",
        "not inside the repository",
    ),
    (
        "rename-to-outside",
        "diff --git a/app.py b/x.py\nsimilarity index 100%\nrename from app.py\nrename to ../x.py\n",
        "not inside the repository",
    ),
    ("does-not-apply", "--- a/app.py\n+++ b/app.py\n@@ -1 +1 @@\n-import os\n+" + FLAGGED, "does not apply"),
    ("missing-file", "--- a/nope.py\n+++ b/nope.py\n@@ -1 +1 @@\n-x\n+y\n", "nope.py"),
    ("hunk-counts-lie", "--- a/app.py\n+++ b/app.py\n@@ -1,5 +1,9 @@\n import requests\n+" + FLAGGED, "change.patch"),
    ("crlf-patch-lf-file", NEW_APP.replace("\n", "\r\n"), "does not apply"),
    ("truncated", NEW_APP[: NEW_APP.index("@@ -1")] + "@@ -1 +1,2", "change.patch"),
    ("not-a-diff", "hello, this is not a patch\n", "change.patch"),
]


@pytest.mark.parametrize(("text", "phrase"), [pytest.param(t, p, id=i) for i, t, p in REFUSED])
def test_a_hostile_or_broken_patch_is_an_input_error(
    checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, phrase: str
) -> None:
    repo, token = checkout
    patch = tmp_path / "change.patch"
    patch.write_text(text)
    before = _state(repo.root)
    report = tmp_path / "out.json"
    run = run_scan(repo.root, "--diff", str(patch), "-o", str(report), capsys=capsys)
    assert_clean(run, 2)
    assert run.out == ""
    assert phrase in run.err
    assert len(run.err.strip().splitlines()) == 1  # one line naming the patch, no trace
    assert not report.exists()  # a failed run leaves no report
    assert _state(repo.root) == before
    assert not (tmp_path / "evil.py").exists() and not (tmp_path / "outside" / "evil.py").exists()
    assert_canary_absent(run, token)


def test_a_patch_adding_a_file_through_a_symlinked_dir_writes_nothing_there(
    checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Applied in the temporary copy only (tests/test_changes.py pins this): reviewed, never written."""
    repo, token = checkout
    patch = tmp_path / "change.patch"
    patch.write_text("diff --git a/link/new.py b/link/new.py\nnew file mode 100644\n" + _adds("link/new.py", APP))
    before = _state(repo.root)
    run = run_scan(repo.root, "--diff", str(patch), capsys=capsys)
    assert_clean(run)
    assert [f["path"] for f in found(parse(run, "json"))] == ["link/new.py"]
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["secret.py"]
    assert _state(repo.root) == before
    assert_canary_absent(run, token)


def test_replacing_a_checkout_file_that_is_a_symlink_with_text_does_not_apply(
    checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The checkout's app.py is a symlink out; a text patch of it must not read or write through it."""
    repo, token = checkout
    (repo.root / "app.py").unlink()
    os.symlink(tmp_path / "outside" / "secret.py", repo.root / "app.py")
    patch = tmp_path / "change.patch"
    old = f'requests.get("https://{token}", verify=False)'
    patch.write_text(f"--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n import requests\n-{old}\n+x = 1\n")
    run = run_scan(repo.root, "--diff", str(patch), capsys=capsys)
    assert_clean(run, 2)
    assert_canary_absent(run, token)
    assert token in (tmp_path / "outside" / "secret.py").read_text()  # not written through the link


RENAME = "diff --git a/app.py b/moved.py\nsimilarity index 100%\nrename from app.py\nrename to moved.py\n"
COPY = "diff --git a/app.py b/copied.py\nsimilarity index 100%\ncopy from app.py\ncopy to copied.py\n"
MODE = "diff --git a/app.py b/app.py\nold mode 100644\nnew mode 100755\n"
# (id, patch text, the note it must leave, or "" when it must find FLAGGED in app.py)
SKIPPED = [
    ("rename-only", RENAME, "moved.py: skipped (renamed without content changes)"),
    ("mode-only", MODE, "app.py: skipped (mode change only)"),
    ("no-newline-at-end", NEW_APP.rstrip("\n") + "\n\\ No newline at end of file\n", ""),
]


@pytest.mark.parametrize(("text", "note"), [pytest.param(t, n, id=i) for i, t, n in SKIPPED])
def test_patches_reviewbot_skips_or_reads_with_care(
    checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, note: str
) -> None:
    repo, _ = checkout
    patch = tmp_path / "change.patch"
    patch.write_bytes(text.encode())
    before = _state(repo.root)
    for fmt in FORMATS:
        run = run_scan(repo.root, "--diff", str(patch), "--verbose", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            if note:
                assert note in doc["skipped"]
            else:
                assert [f["path"] for f in found(doc)] == ["app.py"]
    assert _state(repo.root) == before


def _patch_of(repo: Repo, make: dict[str, bytes]) -> bytes:
    """The `git diff --binary` of writing `make` into the checkout; the checkout restored after."""
    for rel, data in make.items():
        (repo.root / rel).write_bytes(data)
    repo.git("add", "-A")
    text = git_bytes(repo.root, "diff", "--cached", "--binary", "--full-index")
    repo.git("reset", "-q", "--hard")
    repo.git("clean", "-q", "-fdx")
    return text


def test_a_git_binary_patch_is_skipped_as_binary(
    checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = checkout
    text = _patch_of(repo, {"blob.py": bytes(range(256)) * 4, "app.py": APP.encode()})
    assert b"GIT binary patch" in text and b"literal " in text
    patch = tmp_path / "change.patch"
    patch.write_bytes(text)
    for fmt in FORMATS:
        run = run_scan(repo.root, "--diff", str(patch), "--verbose", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            assert "blob.py: skipped (binary file)" in doc["skipped"]
            assert [f["path"] for f in found(doc)] == ["app.py"]


def test_a_crlf_patch_of_a_crlf_file_applies_and_keeps_its_line_ends(
    checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = checkout
    (repo.root / "win.py").write_bytes(b"import requests\r\n")
    repo.commit("crlf file")
    text = _patch_of(repo, {"win.py": APP.replace("\n", "\r\n").encode()})
    assert b"\r\n" in text
    patch = tmp_path / "change.patch"
    patch.write_bytes(text)
    run = run_scan(repo.root, "--diff", str(patch), capsys=capsys)
    assert_clean(run)
    (finding,) = found(parse(run, "json"))
    assert (finding["path"], finding["start_line"]) == ("win.py", 5)
    assert "\r" not in finding["snippet"] and "\r" not in finding["fix"]


def test_a_copy_patch_scans_the_copy(
    checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = checkout
    repo.write("app.py", APP)
    repo.commit("flagged base")
    patch = tmp_path / "change.patch"
    patch.write_text(COPY)
    run = run_scan(repo.root, "--diff", str(patch), "--verbose", capsys=capsys)
    assert_clean(run)
    doc = parse(run, "json")
    assert any(s.startswith("copied.py: skipped") for s in doc["skipped"]), doc["skipped"]


def test_an_empty_patch_says_so(checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo, _ = checkout
    patch = tmp_path / "change.patch"
    patch.write_text("")
    run = run_scan(repo.root, "--diff", str(patch), capsys=capsys)
    assert_clean(run, 2)
    assert "changes no file" in run.err


def test_a_50mb_patch_in_bounded_time(
    checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = checkout
    lines = 50_000
    body = ("+x = '" + "a" * 1000 + "'\n") * (lines - 1) + "+" + FLAGGED
    patch = tmp_path / "change.patch"
    patch.write_text(f"--- /dev/null\n+++ b/big.py\n@@ -0,0 +1,{lines} @@\n" + body + NEW_APP)
    assert patch.stat().st_size > 50_000_000
    started = time.monotonic()
    run = run_scan(repo.root, "--diff", str(patch), "--no-model", "--verbose", capsys=capsys)
    assert time.monotonic() - started < 120
    assert_clean(run)
    doc = parse(run, "json")
    assert [f["path"] for f in found(doc)] == ["app.py"]
    assert any(s.startswith("big.py: skipped (larger than") for s in doc["skipped"])


@pytest.mark.parametrize("step", ["keep-link", "delete-link"])
def test_a_file_beyond_a_symlink_the_patch_touches_is_never_written_through_it(
    checkout: tuple[Repo, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], step: str
) -> None:
    """The copy holds the checkout's symlink itself (to delete or retarget it): `git apply` must
    refuse to write beyond it, and may replace it with a folder."""
    repo, token = checkout
    target = os.readlink(repo.root / "link")
    eof = "\\ No newline at end of file\n"
    if step == "keep-link":
        first = "diff --git a/link b/link\nindex 1111111..2222222 120000\n--- a/link\n+++ b/link\n"
        first += f"@@ -1 +1 @@\n-{target}\n{eof}+{target}\n{eof}"
    else:
        first = "diff --git a/link b/link\ndeleted file mode 120000\nindex 1111111..0000000\n"
        first += f"--- a/link\n+++ /dev/null\n@@ -1 +0,0 @@\n-{target}\n{eof}"
    patch = tmp_path / "change.patch"
    patch.write_text(first + _adds("link/new.py", APP))
    before = _state(repo.root)
    run = run_scan(repo.root, "--diff", str(patch), "--verbose", capsys=capsys)
    if step == "keep-link":
        assert_clean(run, 2)
        assert "beyond a symbolic link" in run.err
    else:
        assert_clean(run)
        doc = parse(run, "json")
        assert [f["path"] for f in found(doc)] == ["link/new.py"]
        assert "link: skipped (deleted)" in doc["skipped"]
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["secret.py"]
    assert _state(repo.root) == before
    assert_canary_absent(run, token)
