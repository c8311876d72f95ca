"""`trusted_side`: which copy of the repository's own files a review reads, file by file."""

from __future__ import annotations

import os
from pathlib import Path

from reviewbot.change.changes import from_base, from_patch, from_staged
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
