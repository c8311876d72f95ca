"""The four ways in (base, staged, patch, all files): which files, their base and head contents, and notes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewbot.change.changes import Change, from_all, from_base, from_patch, from_staged
from reviewbot.change.diff import ChangeKind
from reviewbot.change.git import GitRepo
from reviewbot.errors import InputError
from tests.conftest import git

# ---------------------------------------------------------------------------------------------
# helpers: throwaway repositories driven by the real git binary


pytestmark = pytest.mark.usefixtures("isolated_git")


def new_repo(root: Path) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q")
    return root


def write(root: Path, rel: str, data: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data)
    else:
        path.write_bytes(data)
    return path


def commit_all(root: Path, message: str = "change") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def snapshot(root: Path) -> dict[str, tuple[str, bytes]]:
    """Every entry under root, symlinks as their target (not followed): to prove nothing was written."""
    out: dict[str, tuple[str, bytes]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path).encode())
            elif path.is_file():
                out[rel] = ("file", path.read_bytes())
            else:
                out[rel] = ("dir", b"")
    return out


def skipped(change: Change) -> dict[str, str | None]:
    return {f.path: f.skip_reason for f in change.files if f.skip_reason}


def assert_notes_match_skips(change: Change) -> None:
    """Every skipped file has exactly one note, with its reason; nothing else is noted as skipped."""
    expected = sorted(f"{f.path}: skipped ({f.skip_reason})" for f in change.files if f.skip_reason)
    assert sorted(n for n in change.notes if ": skipped (" in n) == expected
    for path in skipped(change):
        assert path not in change.head
        assert path not in change.base


APP_V1 = "".join(f"line {i}\n" for i in range(1, 21))


# ---------------------------------------------------------------------------------------------
# from_base


@pytest.fixture
def feature_repo(tmp_path: Path) -> Path:
    """main: app.py, shared.py; feature branches off, then main moves on with commits of its own."""
    root = new_repo(tmp_path / "repo")
    write(root, "app.py", APP_V1)
    write(root, "shared.py", "shared = 1\n")
    write(root, "untouched.py", "u = 1\n")
    commit_all(root, "base")
    git(root, "checkout", "-q", "-b", "feature")
    write(root, "app.py", APP_V1.replace("line 3\n", "feature edit\n"))
    write(root, "feature_new.py", "import os\n")
    commit_all(root, "feature work")
    git(root, "checkout", "-q", "main")
    write(root, "main_only.py", "main = 1\n")  # after the branch point: not in the PR
    write(root, "shared.py", "shared = 2  # main moved on\n")
    write(root, "app.py", APP_V1.replace("line 18\n", "main edit\n"))
    commit_all(root, "main moves on")
    git(root, "checkout", "-q", "feature")
    return root


def test_from_base_is_merge_base_to_head(feature_repo: Path) -> None:
    repo = GitRepo(feature_repo)
    merge_base = git(feature_repo, "merge-base", "main", "HEAD").strip()
    change = from_base(repo, "main")
    assert {f.path for f in change.files} == {"app.py", "feature_new.py"}
    # main's later commits are not part of the change, in files or in contents
    assert change.file("main_only.py") is None
    assert change.file("shared.py") is None
    assert change.head["app.py"] == APP_V1.replace("line 3\n", "feature edit\n").encode()
    assert b"main edit" not in change.head["app.py"]
    # the base is the merge-base version, not main's tip
    assert change.base["app.py"] == APP_V1.encode()
    assert change.base["app.py"] == git(feature_repo, "show", f"{merge_base}:app.py").encode()
    assert change.head["feature_new.py"] == b"import os\n"
    assert "feature_new.py" not in change.base
    assert change.file("feature_new.py") is not None
    assert change.file("app.py") is not None
    assert change.file("app.py").added_lines == frozenset({3})  # type: ignore[union-attr]
    assert merge_base[:12] in change.description
    assert change.notes == []


def test_from_base_reads_head_from_git_objects_not_the_work_tree(feature_repo: Path) -> None:
    write(feature_repo, "app.py", "DIRTY = 1\n")
    write(feature_repo, "untouched.py", "u = 'dirty too'\n")
    change = from_base(GitRepo(feature_repo), "main")
    assert b"DIRTY" not in change.head["app.py"]
    assert change.head["app.py"] == APP_V1.replace("line 3\n", "feature edit\n").encode()
    assert change.file("untouched.py") is None


def test_from_base_worktree_sees_uncommitted_edits(feature_repo: Path) -> None:
    write(feature_repo, "app.py", APP_V1.replace("line 3\n", "feature edit\n") + "DIRTY = 1\n")
    write(feature_repo, "untouched.py", "u = 'dirty too'\n")
    change = from_base(GitRepo(feature_repo), "main", worktree=True)
    assert change.head["app.py"].endswith(b"DIRTY = 1\n")
    assert change.head["untouched.py"] == b"u = 'dirty too'\n"
    assert change.base["untouched.py"] == b"u = 1\n"
    assert change.base["app.py"] == APP_V1.encode()  # still the merge-base version
    assert change.file("main_only.py") is None
    assert "working tree" in change.description


def test_from_base_worktree_does_not_follow_a_symlink_replacing_a_file(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret.py", "SECRET = 'do not read'\n")
    root = new_repo(tmp_path / "repo")
    write(root, "a.py", "a = 1\n")
    commit_all(root)
    (root / "a.py").unlink()
    os.symlink(outside, root / "a.py")
    change = from_base(GitRepo(root), "HEAD", worktree=True)
    assert all(b"SECRET" not in data for data in change.head.values())
    # git reports a type change as a deletion and an addition: both skipped, both noted
    assert sorted((f.kind, f.skip_reason) for f in change.files) == [
        (ChangeKind.ADDED, "symlink: not followed"),
        (ChangeKind.DELETED, "deleted"),
    ]
    assert sorted(change.notes) == ["a.py: skipped (deleted)", "a.py: skipped (symlink: not followed)"]
    assert_notes_match_skips(change)


def test_from_base_rename_with_edits_has_old_content_as_base(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "repo")
    write(root, "old.py", APP_V1)
    commit_all(root)
    git(root, "checkout", "-q", "-b", "feature")
    git(root, "mv", "old.py", "new.py")
    write(root, "new.py", APP_V1 + "added = True\n")
    commit_all(root)
    change = from_base(GitRepo(root), "main")
    [f] = change.files
    assert (f.kind, f.path, f.old_path) == (ChangeKind.RENAMED, "new.py", "old.py")
    assert change.base == {"new.py": APP_V1.encode()}
    assert change.head == {"new.py": (APP_V1 + "added = True\n").encode()}


@pytest.mark.parametrize("rev", ["no-such-branch", "main~5", "--output=/tmp/x", "deadbeef"])
def test_from_base_unknown_rev_is_an_input_error_naming_it(feature_repo: Path, rev: str) -> None:
    with pytest.raises(InputError) as info:
        from_base(GitRepo(feature_repo), rev)
    assert repr(rev) in str(info.value)


def test_from_base_in_a_repo_without_commits(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "empty")
    write(root, "a.py", "a = 1\n")
    git(root, "add", "a.py")
    with pytest.raises(InputError):
        from_base(GitRepo(root), "main")
    with pytest.raises(InputError):
        from_base(GitRepo(root), "HEAD")


def test_from_base_without_a_common_ancestor(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "repo")
    write(root, "a.py", "a\n")
    commit_all(root)
    git(root, "checkout", "-q", "--orphan", "other")
    write(root, "b.py", "b\n")
    commit_all(root)
    with pytest.raises(InputError, match="no common ancestor"):
        from_base(GitRepo(root), "main")


def test_from_base_notes_every_skipped_file(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "repo")
    write(root, "gone.py", "g = 1\n")
    write(root, "moved.py", APP_V1)
    write(root, "tool.py", "t = 1\n")
    commit_all(root)
    git(root, "checkout", "-q", "-b", "feature")
    (root / "gone.py").unlink()
    git(root, "mv", "moved.py", "renamed.py")
    os.chmod(root / "tool.py", 0o755)
    os.symlink("/etc/passwd", root / "link.py")
    write(root, "README.md", "# docs\n")
    write(root, "image.py", b"\x00\x01\x02")
    write(root, "big.py", "x = 1\n" * 100)
    write(root, "ok.py", "ok = 1\n")
    git(root, "add", "-A")
    git(root, "update-index", "--add", "--cacheinfo", "160000,1234567890abcdef1234567890abcdef12345678,sub")
    git(root, "commit", "-q", "-m", "everything")
    change = from_base(GitRepo(root), "main", max_bytes=200)
    assert skipped(change) == {
        "gone.py": "deleted",
        "renamed.py": "renamed without content changes",
        "tool.py": "mode change only",
        "link.py": "symlink: not followed",
        "README.md": "no rules for this file type",
        "image.py": "binary file",
        "big.py": "larger than 200 bytes",
        "sub": "submodule: not scanned",
    }
    assert_notes_match_skips(change)
    assert change.head == {"ok.py": b"ok = 1\n"}
    assert change.base == {}


# ---------------------------------------------------------------------------------------------
# from_staged


def test_from_staged_sees_only_staged_edits(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "repo")
    write(root, "a.py", "a = 1\n")
    write(root, "b.py", "b = 1\n")
    commit_all(root)
    write(root, "a.py", "a = 2  # staged\n")
    git(root, "add", "a.py")
    write(root, "a.py", "a = 3  # not staged\n")
    write(root, "b.py", "b = 2  # not staged\n")
    write(root, "untracked.py", "u = 1\n")
    change = from_staged(GitRepo(root))
    assert [f.path for f in change.files] == ["a.py"]
    assert change.head == {"a.py": b"a = 2  # staged\n"}
    assert change.base == {"a.py": b"a = 1\n"}
    assert "index" in change.description


def test_from_staged_with_nothing_staged_is_empty(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "repo")
    write(root, "a.py", "a = 1\n")
    commit_all(root)
    write(root, "a.py", "a = 2\n")
    change = from_staged(GitRepo(root))
    assert change.files == []
    assert change.head == {}


def test_from_staged_first_commit_of_an_empty_repo(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "repo")
    write(root, "first.py", "print('hello')\n")
    write(root, "pkg/second.py", "x = 1\n")
    write(root, "notes.txt", "n\n")
    git(root, "add", "-A")
    repo = GitRepo(root)
    assert not repo.has_head()
    change = from_staged(repo)
    assert {f.path: f.kind for f in change.files} == {
        "first.py": ChangeKind.ADDED,
        "pkg/second.py": ChangeKind.ADDED,
        "notes.txt": ChangeKind.ADDED,
    }
    assert all(f.whole_file for f in change.files)
    assert change.head == {"first.py": b"print('hello')\n", "pkg/second.py": b"x = 1\n"}
    assert change.base == {}
    assert change.notes == ["notes.txt: skipped (no rules for this file type)"]
    assert "empty repository" in change.description


def test_from_staged_file_name_with_undecodable_bytes(tmp_path: Path) -> None:
    # git quotes a name holding '"' even with core.quotePath=false, leaving the 0xff byte raw
    root = new_repo(tmp_path / "repo")
    name = os.fsdecode(b'we"ird\xff.py')
    write(root, name, "w = 1\n")
    git(root, "add", "-A")
    change = from_staged(GitRepo(root))
    assert [f.path for f in change.files] == [name]
    # Read back byte for byte, then skipped: a report's paths are Unicode text (docs/cli.md).
    assert change.head == {}
    assert change.notes == ['we"ird\\xff.py: skipped (file name is not UTF-8)']


# ---------------------------------------------------------------------------------------------
# from_patch


@pytest.fixture
def checkout_and_patch(tmp_path: Path) -> tuple[Path, Path]:
    """A checkout with app.py, lib/util.py, docs.md, old.py, and a git-made patch (outside it) changing them."""
    root = new_repo(tmp_path / "checkout")
    write(root, "app.py", APP_V1)
    write(root, "lib/util.py", "def util():\n    return 1\n")
    write(root, "docs.md", "# docs\n")
    write(root, "old.py", "old = 1\n")
    commit_all(root)
    write(root, "app.py", APP_V1.replace("line 10\n", "import pickle\n"))
    write(root, "lib/util.py", "def util():\n    return 2\n")
    write(root, "docs.md", "# docs v2\n")
    write(root, "lib/new.py", "NEW = True\n")
    (root / "old.py").unlink()
    git(root, "add", "-A")
    patch_text = git(root, "diff", "--cached", "HEAD")
    git(root, "reset", "-q", "--hard")
    git(root, "clean", "-qfd")
    patch_file = tmp_path / "change.diff"
    patch_file.write_text(patch_text)
    return root, patch_file


def test_from_patch_base_is_checkout_head_is_patched(checkout_and_patch: tuple[Path, Path]) -> None:
    root, patch_file = checkout_and_patch
    before = snapshot(root)
    change = from_patch(root, patch_file)
    assert snapshot(root) == before  # the checkout is never written to
    assert not (root / "lib/new.py").exists()
    assert change.head == {
        "app.py": APP_V1.replace("line 10\n", "import pickle\n").encode(),
        "lib/util.py": b"def util():\n    return 2\n",
        "lib/new.py": b"NEW = True\n",
    }
    assert change.base == {"app.py": APP_V1.encode(), "lib/util.py": b"def util():\n    return 1\n"}
    assert skipped(change) == {"docs.md": "no rules for this file type", "old.py": "deleted"}
    assert_notes_match_skips(change)
    assert change.file("app.py") is not None
    assert change.file("app.py").added_lines == frozenset({10})  # type: ignore[union-attr]
    assert patch_file.name in change.description


def test_from_patch_base_is_the_checkout_even_when_dirty(checkout_and_patch: tuple[Path, Path]) -> None:
    # a checkout is a directory, not a commit: an uncommitted edit the patch still applies to is the base
    root, patch_file = checkout_and_patch
    write(root, "app.py", APP_V1 + "# local note\n")
    change = from_patch(root, patch_file)
    assert change.base["app.py"] == (APP_V1 + "# local note\n").encode()
    assert change.head["app.py"] == (APP_V1.replace("line 10\n", "import pickle\n") + "# local note\n").encode()


def test_from_patch_that_does_not_apply(checkout_and_patch: tuple[Path, Path]) -> None:
    root, patch_file = checkout_and_patch
    write(root, "lib/util.py", "something else entirely\n")
    before = snapshot(root)
    with pytest.raises(InputError) as info:
        from_patch(root, patch_file)
    assert str(patch_file) in str(info.value)
    assert "does not apply" in str(info.value)
    assert snapshot(root) == before


def test_from_patch_missing_patch_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.diff"
    with pytest.raises(InputError) as info:
        from_patch(tmp_path, missing)
    assert str(missing) in str(info.value)


def test_from_patch_empty_or_garbage_patch_file(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.diff", "")
    with pytest.raises(InputError, match="changes no file") as info:
        from_patch(tmp_path, empty)
    assert str(empty) in str(info.value)
    junk = write(tmp_path, "junk.diff", b"\xff\xfe not a patch \x00\n")
    with pytest.raises(InputError) as info:
        from_patch(tmp_path, junk)
    assert str(junk) in str(info.value)


def test_from_patch_refuses_paths_leaving_the_checkout(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    write(root, "a.py", "a\n")
    write(tmp_path, "escape.py", "e\n")
    patch = write(tmp_path, "evil.diff", "--- a/../escape.py\n+++ b/../escape.py\n@@ -1 +1 @@\n-e\n+pwned\n")
    with pytest.raises(InputError) as info:
        from_patch(root, patch)
    assert str(patch) in str(info.value)
    assert (tmp_path / "escape.py").read_text() == "e\n"


def test_from_patch_does_not_follow_a_symlink_in_the_checkout(tmp_path: Path) -> None:
    secret = write(tmp_path, "outside/secret.py", "SECRET = 1\n")
    root = tmp_path / "checkout"
    write(root, "a.py", "a\n")
    os.symlink(secret, root / "link.py")
    patch = write(tmp_path, "p.diff", "--- a/link.py\n+++ b/link.py\n@@ -1 +1 @@\n-SECRET = 1\n+SECRET = 2\n")
    before = snapshot(tmp_path / "outside")
    try:
        change = from_patch(root, patch)
    except InputError as exc:  # refused
        assert str(patch) in str(exc)
        assert "link.py" in str(exc)
    else:  # or skipped, with a note
        assert "link.py" in skipped(change)
        assert_notes_match_skips(change)
        assert all(b"SECRET" not in data for data in [*change.head.values(), *change.base.values()])
    assert snapshot(tmp_path / "outside") == before
    assert os.readlink(root / "link.py") == str(secret)


def test_from_patch_through_a_symlinked_directory_is_not_followed(tmp_path: Path) -> None:
    write(tmp_path, "outside/mod.py", "m = 1\n")
    root = tmp_path / "checkout"
    write(root, "a.py", "a\n")
    os.symlink(tmp_path / "outside", root / "linkdir")
    patch = write(tmp_path, "p.diff", "--- a/linkdir/mod.py\n+++ b/linkdir/mod.py\n@@ -1 +1 @@\n-m = 1\n+m = 2\n")
    add = write(tmp_path, "add.diff", "--- /dev/null\n+++ b/linkdir/planted.py\n@@ -0,0 +1 @@\n+planted = 1\n")
    before = snapshot(tmp_path / "outside")
    with pytest.raises(InputError, match="not a regular file"):
        from_patch(root, patch)
    change = from_patch(root, add)  # applied in the temporary copy only
    assert change.head == {"linkdir/planted.py": b"planted = 1\n"}
    assert snapshot(tmp_path / "outside") == before
    assert not (tmp_path / "outside" / "planted.py").exists()


def test_from_patch_adding_a_symlink_is_skipped(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    write(root, "a.py", "a\n")
    text = (
        "diff --git a/ln.py b/ln.py\nnew file mode 120000\nindex 0000000..1111111\n"
        "--- /dev/null\n+++ b/ln.py\n@@ -0,0 +1 @@\n+/etc/passwd\n\\ No newline at end of file\n"
    )
    patch = write(tmp_path, "ln.diff", text)
    change = from_patch(root, patch)
    assert skipped(change) == {"ln.py": "symlink: not followed"}
    assert change.head == {}
    assert_notes_match_skips(change)
    assert not (root / "ln.py").exists()


def test_from_patch_large_file_is_skipped(checkout_and_patch: tuple[Path, Path]) -> None:
    root, patch_file = checkout_and_patch
    change = from_patch(root, patch_file, max_bytes=50)
    assert skipped(change)["app.py"] == "larger than 50 bytes"
    assert "app.py" not in change.head
    assert "app.py" not in change.base
    assert "lib/util.py" in change.head
    assert_notes_match_skips(change)


# ---------------------------------------------------------------------------------------------
# from_all


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A directory (a git repo, to prove .git is not walked) with code, other files, and symlinks out."""
    write(tmp_path, "outside/secret.py", "SECRET = 'outside'\n")
    write(tmp_path, "outside/dir/inner.py", "INNER = 'outside'\n")
    root = new_repo(tmp_path / "root")
    write(root, "a.py", "a = 1\n")
    write(root, "pkg/b.py", "b = 1\n")
    write(root, "pkg/types.pyi", "x: int\n")
    write(root, "README.md", "# readme\n")
    write(root, "conf/settings.json", "{}\n")
    write(root, "big.py", "x = 1\n" * 50)
    write(root, "node_modules/dep/index.py", "dep = 1\n")
    os.symlink(tmp_path / "outside" / "secret.py", root / "link.py")
    os.symlink(tmp_path / "outside" / "dir", root / "pkg" / "linkdir")
    commit_all(root)
    return root


def test_from_all_whole_files_and_skips(tree: Path) -> None:
    change = from_all(tree, [], max_bytes=100)
    assert change.head == {"a.py": b"a = 1\n", "pkg/b.py": b"b = 1\n", "pkg/types.pyi": b"x: int\n"}
    assert change.base == {}
    assert skipped(change) == {
        "README.md": "no rules for this file type",
        "conf/settings.json": "no rules for this file type",
        "big.py": "larger than 100 bytes",
        "link.py": "symlink: not followed",
        "pkg/linkdir": "symlink: not followed",
    }
    assert_notes_match_skips(change)
    assert all(f.whole_file and f.kind is ChangeKind.ADDED and f.old_path is None for f in change.files)
    assert change.file("a.py") is not None
    assert change.file("a.py").anchorable(1, 10_000)  # type: ignore[union-attr]
    assert not any(f.path.startswith((".git/", "node_modules/")) for f in change.files)
    assert all(b"outside" not in data for data in change.head.values())


def test_from_all_limited_to_paths(tree: Path) -> None:
    change = from_all(tree, [tree / "pkg"])
    assert sorted(change.head) == ["pkg/b.py", "pkg/types.pyi"]
    assert skipped(change) == {"pkg/linkdir": "symlink: not followed"}
    one = from_all(tree, [tree / "a.py", tree / "README.md"])
    assert [f.path for f in one.files] == ["README.md", "a.py"]
    assert one.head == {"a.py": b"a = 1\n"}


def test_from_all_relative_paths_are_from_the_cwd(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree / "pkg")
    change = from_all(tree, [Path("b.py")])
    assert change.head == {"pkg/b.py": b"b = 1\n"}


def test_from_all_named_symlink_is_skipped_and_not_read(tree: Path) -> None:
    change = from_all(tree, [tree / "link.py"])
    assert skipped(change) == {"link.py": "symlink: not followed"}
    assert change.head == {}
    assert change.notes == ["link.py: skipped (symlink: not followed)"]


def test_from_all_file_reached_through_a_symlinked_directory_is_skipped(tree: Path) -> None:
    change = from_all(tree, [tree / "pkg" / "linkdir" / "inner.py"])
    assert skipped(change) == {"pkg/linkdir/inner.py": "symlink: not followed"}
    assert change.head == {}
    assert_notes_match_skips(change)


@pytest.mark.parametrize("where", ["absolute", "dotdot", "dotdot-inside"])
def test_from_all_path_outside_root(tree: Path, where: str) -> None:
    outside = tree.parent / "outside" / "secret.py"
    path = {
        "absolute": outside,
        "dotdot": tree / ".." / "outside" / "secret.py",
        "dotdot-inside": tree / "pkg" / ".." / ".." / "outside" / "secret.py",
    }[where]
    with pytest.raises(InputError) as info:
        from_all(tree, [path])
    assert str(path) in str(info.value)
    assert "outside the repository" in str(info.value)


def test_from_all_dotdot_that_stays_inside_is_fine(tree: Path) -> None:
    change = from_all(tree, [tree / "pkg" / ".." / "a.py"])
    assert change.head == {"a.py": b"a = 1\n"}


def test_from_all_missing_path(tree: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        from_all(tree, [tree / "missing.py"])
