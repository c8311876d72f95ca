"""Hardening: `reviewbot scan` in awkward git states.

Renames, deletions, submodules, empty diffs, unrelated histories, option-like revisions, shallow
clones, repositories with no commit, a detached HEAD and an index with conflicts: each ends with
the exit code docs/cli.md promises and a message that says what is wrong, never a trace.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GIT_ENV, Repo
from tests.hardening.scan_support import (
    APP,
    FLAGGED,
    FORMATS,
    assert_clean,
    found,
    parse,
    prepare,
    run_scan,
)


def _flagged_base(repo: Repo) -> None:
    repo.write("app.py", APP)
    repo.write("keep.py", "x = 1\n")


def _rename_only(repo: Repo) -> None:
    (repo.root / "app.py").rename(repo.root / "moved.py")


def _rename_with_edit(repo: Repo) -> None:
    (repo.root / "app.py").unlink()
    repo.write("moved.py", APP + "\n\ndef g():\n    " + FLAGGED.replace("x", "y"))


def _delete(repo: Repo) -> None:
    (repo.root / "app.py").unlink()


# (id, change, findings the change introduces (path, line), a note expected in `skipped`)
STATES = [
    ("rename-only", _rename_only, [], "moved.py: skipped (renamed without content changes)"),
    ("rename-with-edit", _rename_with_edit, [("moved.py", 9)], None),
    ("delete", _delete, [], "app.py: skipped (deleted)"),
]


@pytest.mark.parametrize("mode", ["base", "worktree", "staged", "diff"])
@pytest.mark.parametrize(("change", "new", "note"), [pytest.param(*s[1:], id=s[0]) for s in STATES])
def test_renames_and_deletions(
    repo: Repo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    mode: str,
    change: object,
    new: list[tuple[str, int]],
    note: str | None,
) -> None:
    args = prepare(repo, mode, _flagged_base, change, tmp_path)  # type: ignore[arg-type]
    for fmt in FORMATS:
        run = run_scan(repo.root, *args, "--no-model", "--verbose", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            assert [(f["path"], f["start_line"]) for f in found(doc)] == new
            if note is not None:
                assert note in doc["skipped"]


def _gitlink(repo: Repo, sha: str) -> None:
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{sha},vendor/sub")


@pytest.mark.parametrize("mode", ["base", "staged", "diff"])
@pytest.mark.parametrize("step", ["added", "changed"])
def test_a_submodule_is_skipped_with_a_note(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, step: str
) -> None:
    repo.write("app.py", "import requests\n")
    one = repo.commit("base")
    if step == "changed":
        _gitlink(repo, one)
        repo.git("commit", "-q", "-m", "submodule")
    if mode == "base":
        repo.git("checkout", "-q", "-b", "feature")
    _gitlink(repo, repo.git("commit-tree", "-m", "x", f"{one}^{{tree}}").strip())
    repo.write("app.py", APP)
    repo.git("add", "app.py")
    if mode == "base":
        repo.git("commit", "-q", "-m", "change")
        args = ["--base", "main"]
    elif mode == "staged":
        args = ["--staged"]
    else:
        patch = tmp_path / "change.patch"
        patch.write_text(repo.git("diff", "--cached"))
        repo.git("reset", "-q", "--hard")
        args = ["--diff", str(patch)]
    for fmt in FORMATS:
        run = run_scan(repo.root, *args, "--no-model", "--verbose", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            assert "vendor/sub: skipped (submodule: not scanned)" in doc["skipped"]
            assert [f["path"] for f in found(doc)] == ["app.py"]


@pytest.mark.parametrize("mode", ["base", "worktree", "staged"])
def test_an_empty_diff_exits_0_and_says_there_is_nothing_to_review(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    args = prepare(repo, mode, _flagged_base, lambda r: None, tmp_path)
    run = run_scan(repo.root, *args, fmt="text", capsys=capsys)
    assert_clean(run)
    assert "nothing to review" in run.out
    for fmt in ("json", "sarif"):
        run = run_scan(repo.root, *args, fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            assert doc["findings"] == [] and doc["files_changed"] == 0


def test_base_of_an_unrelated_history_is_an_input_error(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("app.py", APP)
    repo.commit("main")
    repo.git("checkout", "-q", "--orphan", "other")
    repo.git("rm", "-q", "-rf", ".")
    repo.write("other.py", APP)
    repo.commit("unrelated")
    run = run_scan(repo.root, "--base", "main", capsys=capsys)
    assert_clean(run, 2)
    assert "no common ancestor" in run.err


@pytest.mark.parametrize("rev", ["--all", "-o{out}", "--output={out}", "-", "--exec=touch {out}"])
def test_a_revision_that_looks_like_an_option_is_refused(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], rev: str
) -> None:
    repo.write("app.py", APP)
    repo.commit("main")
    before = sorted(p.name for p in repo.root.iterdir())
    out = tmp_path / "planted"
    rev = rev.format(out=out)
    run = run_scan(repo.root, f"--base={rev}", capsys=capsys)
    assert_clean(run, 2)
    assert repr(rev) in run.err and "does not exist" in run.err
    assert sorted(p.name for p in repo.root.iterdir()) == before
    assert not out.exists()


def test_a_shallow_clone_missing_the_merge_base_says_so(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("app.py", "import requests\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", APP)
    repo.commit("feature 1")
    repo.write("more.py", APP)
    repo.commit("feature 2")
    repo.git("checkout", "-q", "main")
    repo.write("main.py", "y = 2\n")
    repo.commit("main moves on")
    clone = tmp_path / "clone"
    env = {**os.environ, **GIT_ENV}
    url = f"file://{repo.root}"
    subprocess.run(["git", "clone", "-q", "--depth=1", "--no-single-branch", url, str(clone)], check=True, env=env)
    subprocess.run(["git", "checkout", "-q", "feature"], cwd=clone, check=True, env=env)
    run = run_scan(clone, "--base", "origin/main", capsys=capsys)
    assert_clean(run, 2)
    assert "shallow" in run.err and "--unshallow" in run.err


def test_staged_in_a_repository_with_no_commit(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("app.py", APP)
    repo.git("add", "-A")
    run = run_scan(repo.root, "--staged", capsys=capsys)
    assert_clean(run)
    assert [(f["path"], f["start_line"]) for f in found(parse(run, "json"))] == [("app.py", 5)]
    run = run_scan(repo.root, "--base", "main", capsys=capsys)
    assert_clean(run, 2)
    assert "does not exist" in run.err or "no commit" in run.err


@pytest.mark.parametrize("mode", ["base", "staged"])
def test_a_detached_head(repo: Repo, capsys: pytest.CaptureFixture[str], mode: str) -> None:
    repo.write("app.py", "import requests\n")
    repo.commit("base")
    repo.write("app.py", APP)
    head = repo.commit("change")
    repo.git("checkout", "-q", "--detach", head)
    if mode == "staged":
        repo.write("new.py", APP)
        repo.git("add", "new.py")
        args, expect = ["--staged"], "new.py"
    else:
        args, expect = ["--base", "HEAD~1"], "app.py"
    run = run_scan(repo.root, *args, capsys=capsys)
    assert_clean(run)
    assert [f["path"] for f in found(parse(run, "json"))] == [expect]


@pytest.mark.parametrize("mode", ["staged", "worktree", "all"])
def test_an_index_with_conflicts(repo: Repo, capsys: pytest.CaptureFixture[str], mode: str) -> None:
    repo.write("app.py", "import requests\n")
    repo.write("clean.py", "x = 1\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "other")
    repo.write("app.py", "import requests\nx = 'other'\n")
    repo.commit("other")
    repo.git("checkout", "-q", "main")
    repo.write("app.py", "import requests\nx = 'main'\n")
    repo.commit("main")
    with pytest.raises(subprocess.CalledProcessError):
        repo.git("merge", "-q", "other")  # leaves app.py unmerged
    repo.write("new.py", APP)
    repo.git("add", "new.py")
    args = {"staged": ["--staged"], "worktree": ["--base", "HEAD", "--worktree"], "all": ["--all"]}[mode]
    for fmt in FORMATS:
        run = run_scan(repo.root, *args, "--no-model", "--verbose", fmt=fmt, capsys=capsys)
        assert_clean(run)
        doc = parse(run, fmt)
        if fmt == "json":
            assert "new.py" in [f["path"] for f in found(doc)]
