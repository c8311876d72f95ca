"""`trusted_side`: which copy of the repository's own files a review reads, file by file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewbot.change.changes import from_base, from_patch, from_staged
from reviewbot.change.files import GitFiles
from reviewbot.change.git import GitRepo
from reviewbot.review.trusted_side import trusted_side
from tests.conftest import Repo

LEDGER = ".reviewbot/triage.jsonl"


def test_each_mode_reads_its_trusted_side(repo: Repo, tmp_path: Path, isolated_git: None) -> None:
    repo.write(LEDGER, "base\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(LEDGER, "branch\n")
    repo.write("app.py", "x = 1\n")
    repo.commit("feature")
    repo.write(LEDGER, "working copy\n")
    git = GitRepo(repo.root)
    assert trusted_side(from_base(git, "main"), trust_head=False).read(LEDGER) == b"base\n"
    repo.git("add", "app.py")
    staged = from_staged(git)
    assert trusted_side(staged, trust_head=False).read(LEDGER) == b"branch\n"  # HEAD: where it starts
    assert trusted_side(staged, trust_head=True).read(LEDGER) == b"working copy\n"
    patch = tmp_path / "p.patch"
    patch.write_text("--- a/app.py\n+++ b/app.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n")
    assert trusted_side(from_patch(repo.root, patch), trust_head=False).read(LEDGER) == b"working copy\n"


def test_a_symlink_on_the_trusted_side_is_never_followed(repo: Repo, tmp_path: Path, isolated_git: None) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("do not read\n")
    (repo.root / ".reviewbot").mkdir()
    os.symlink(outside, repo.root / LEDGER)
    repo.write("app.py", "x = 1\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", "x = 2\n")
    repo.commit("feature")
    change = from_base(GitRepo(repo.root), "main")
    assert trusted_side(change, trust_head=False).read(LEDGER) is None  # the blob is a link, not read
    assert trusted_side(change, trust_head=True).read(LEDGER) is None  # nor followed on disk
    assert trusted_side(change, trust_head=False).ledger() == []


def _tree_with_every_kind(repo: Repo, tmp_path: Path) -> str:
    repo.write("a/b/c.txt", "nested\n")
    repo.write("a/[x]*.txt", "glob characters in the name\n")
    repo.write("a/x1.txt", "what a glob would match\n")
    repo.write("run.sh", "#!/bin/sh\n")
    os.chmod(repo.root / "run.sh", 0o755)
    os.symlink(tmp_path / "outside.txt", repo.root / "link.txt")
    os.symlink("a", repo.root / "dirlink")
    repo.commit("every kind")
    return repo.git("rev-parse", "HEAD").strip()


PATHS = ["a/b/c.txt", "a/[x]*.txt", "a/x1.txt", "run.sh", "link.txt", "dirlink", "dirlink/x1.txt", "a", "a/b", "", "."]
PATHS += ["missing.txt", "a/b/missing.txt", "-p", "../run.sh", "a/../run.sh"]


def test_looking_up_each_path_answers_as_listing_the_whole_commit(
    repo: Repo, tmp_path: Path, isolated_git: None
) -> None:
    """`GitFiles(..., listed=False)` (a few files of a large repository) asks git about each path
    alone: the same bytes and symlinks as the listing, with glob characters taken literally."""
    commit = _tree_with_every_kind(repo, tmp_path)
    listed = GitFiles(GitRepo(repo.root), commit)
    each = GitFiles(GitRepo(repo.root), commit, listed=False)
    for path in PATHS:
        assert (each(path), each.is_symlink(path)) == (listed(path), listed.is_symlink(path)), path
    assert each("a/[x]*.txt") == b"glob characters in the name\n"
    assert each("run.sh") == b"#!/bin/sh\n"
    assert each("link.txt") is None and each.is_symlink("link.txt")
    assert each("dirlink/x1.txt") is None and each("a") is None


def test_the_trusted_side_of_a_large_repository_lists_no_whole_tree(
    repo: Repo, isolated_git: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write(LEDGER, "base\n")
    for i in range(50):
        repo.write(f"pkg/m{i}.py", f"x = {i}\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("pkg/m0.py", "x = -1\n")
    repo.commit("feature")
    change = from_base(GitRepo(repo.root), "main")
    calls: list[tuple[str, ...]] = []
    real = GitRepo.git

    def recording(self: GitRepo, *args: str, stdin: bytes | None = None) -> bytes:
        calls.append(args)
        return real(self, *args, stdin=stdin)

    monkeypatch.setattr(GitRepo, "git", recording)
    assert trusted_side(change, trust_head=False).read(LEDGER) == b"base\n"
    assert not [c for c in calls if "-r" in c], calls
