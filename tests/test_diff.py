"""parse_patch: which files a unified diff changes, the new-side lines it covers, and what is skipped."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from reviewbot.change.diff import ChangeKind, FileChange, Hunk, Removal, parse_patch
from reviewbot.errors import InputError
from tests.conftest import git

# ---------------------------------------------------------------------------------------------
# helpers: a throwaway repository driven by the real git binary


pytestmark = pytest.mark.usefixtures("isolated_git")


def new_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    return root


def commit_all(root: Path, message: str = "change") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def last_commit_patch(root: Path, *extra: str) -> str:
    """HEAD~1..HEAD as reviewbot asks git for it (full index, renames found, a/ b/ prefixes)."""
    return git(root, *extra, "diff", "--full-index", "--find-renames", "--no-color", "HEAD~1", "HEAD", "--")


def by_path(changes: list[FileChange]) -> dict[str, FileChange]:
    out = {c.path: c for c in changes}
    assert len(out) == len(changes), "a path appears twice"
    return out


def numbered(n: int, prefix: str = "line") -> str:
    return "".join(f"{prefix} {i}\n" for i in range(1, n + 1))


# ---------------------------------------------------------------------------------------------
# hunks, added lines, anchoring

TWO_HUNKS = """\
diff --git a/m.py b/m.py
index 1111111..2222222 100644
--- a/m.py
+++ b/m.py
@@ -3,4 +3,6 @@ def f():
 c
+x1
+x2
 d
 e
 f
@@ -20,3 +22,4 @@ def g():
 t
+y
 u
 v
"""


def test_hunk_ranges_and_added_lines_are_exact() -> None:
    [change] = parse_patch(TWO_HUNKS, source="two.diff")
    assert change.path == "m.py"
    assert change.old_path == "m.py"
    assert change.kind is ChangeKind.MODIFIED
    assert change.skip_reason is None
    assert change.whole_file is False
    assert change.hunks == (
        Hunk(new_start=3, new_end=8, added=frozenset({4, 5})),
        Hunk(new_start=22, new_end=25, added=frozenset({23})),
    )
    assert change.added_lines == frozenset({4, 5, 23})


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (3, 8, True),  # the whole first hunk
        (4, 5, True),  # just its added lines
        (8, 8, True),  # its last context line
        (2, 4, False),  # starts before it
        (7, 9, False),  # ends after it
        (10, 20, False),  # between the hunks
        (8, 22, False),  # spans both hunks
        (3, 25, False),  # spans both hunks, edges included
        (22, 25, True),  # the whole second hunk
        (23, 23, True),
        (26, 26, False),  # after the last hunk
    ],
)
def test_anchorable_only_inside_one_hunk(first: int, last: int, expected: bool) -> None:
    [change] = parse_patch(TWO_HUNKS, source="two.diff")
    assert change.anchorable(first, last) is expected


def test_a_hunk_that_only_removes_lines_anchors_nothing() -> None:
    patch = """\
--- a/r.py
+++ b/r.py
@@ -9,3 +9,1 @@
 keep
-gone 1
-gone 2
@@ -20,2 +18,0 @@
-x
-y
"""
    [change] = parse_patch(patch, source="r.diff")
    assert change.kind is ChangeKind.MODIFIED
    assert change.added_lines == frozenset()
    removed = (Removal(10, 10, "gone 1"), Removal(10, 11, "gone 2"))  # below the hunk's last line
    assert change.hunks[0] == Hunk(new_start=9, new_end=9, added=frozenset(), removed=removed)
    assert change.hunks[1].new_end < change.hunks[1].new_start
    assert change.anchorable(9, 9)
    assert not change.anchorable(18, 18)
    assert not change.anchorable(10, 10)


def test_git_generated_hunks_match_the_edit(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "m.py").write_text(numbered(40))
    commit_all(root)
    lines = numbered(40).splitlines(keepends=True)
    lines[4:4] = ["new A\n", "new B\n"]  # new lines 5 and 6
    lines[31] = "changed\n"  # new line 32 (old line 30 replaced)
    (root / "m.py").write_text("".join(lines))
    commit_all(root)
    [change] = parse_patch(last_commit_patch(root), source="git diff")
    assert change.added_lines == frozenset({5, 6, 32})
    # three lines of context on each side
    assert [(h.new_start, h.new_end) for h in change.hunks] == [(2, 9), (29, 35)]
    assert change.anchorable(5, 6)
    assert change.anchorable(29, 35)
    assert not change.anchorable(5, 32)


def test_added_file_is_whole_file_with_every_line_added(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "keep.py").write_text("x = 1\n")
    commit_all(root)
    (root / "new.py").write_text(numbered(5))
    commit_all(root)
    [change] = parse_patch(last_commit_patch(root), source="git diff")
    assert change.path == "new.py"
    assert change.kind is ChangeKind.ADDED
    assert change.old_path is None
    assert change.old_blob is None
    assert change.whole_file is True
    assert change.skip_reason is None
    assert change.added_lines == frozenset(range(1, 6))
    assert change.anchorable(1, 5)


def test_a_modified_file_is_not_whole_file() -> None:
    [change] = parse_patch(TWO_HUNKS, source="two.diff")
    assert not change.whole_file
    assert not change.anchorable(100, 100)


# ---------------------------------------------------------------------------------------------
# kinds of change and what is skipped


def test_deleted_file_is_skipped_as_deleted(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "gone.py").write_text(numbered(3))
    (root / "keep.py").write_text("k\n")
    commit_all(root)
    old_blob = git(root, "rev-parse", "HEAD:gone.py").strip()
    (root / "gone.py").unlink()
    commit_all(root)
    [change] = parse_patch(last_commit_patch(root), source="git diff")
    assert change.kind is ChangeKind.DELETED
    assert change.path == "gone.py"
    assert change.old_path == "gone.py"
    assert change.skip_reason == "deleted"
    assert change.old_blob == old_blob
    assert change.new_blob is None
    assert change.hunks == ()


def test_pure_rename_is_skipped(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "old_name.py").write_text(numbered(10))
    commit_all(root)
    git(root, "mv", "old_name.py", "new_name.py")
    commit_all(root)
    patch = last_commit_patch(root)
    assert "rename from old_name.py" in patch  # git saw a rename, not a delete and an add
    [change] = parse_patch(patch, source="git diff")
    assert change.kind is ChangeKind.RENAMED
    assert change.path == "new_name.py"
    assert change.old_path == "old_name.py"
    assert change.hunks == ()
    assert change.skip_reason == "renamed without content changes"


def test_rename_with_edits_keeps_old_path_and_hunks(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "before.py").write_text(numbered(20))
    commit_all(root)
    old_blob = git(root, "rev-parse", "HEAD:before.py").strip()
    git(root, "mv", "before.py", "after.py")
    (root / "after.py").write_text(numbered(20).replace("line 10\n", "line ten\n"))
    commit_all(root)
    new_blob = git(root, "rev-parse", "HEAD:after.py").strip()
    [change] = parse_patch(last_commit_patch(root), source="git diff")
    assert change.kind is ChangeKind.RENAMED
    assert change.path == "after.py"
    assert change.old_path == "before.py"
    assert change.skip_reason is None
    assert change.added_lines == frozenset({10})
    assert change.old_blob == old_blob
    assert change.new_blob == new_blob
    assert not change.whole_file


def test_added_and_retargeted_symlinks_are_skipped(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "real.py").write_text("x = 1\n")
    os.symlink("real.py", root / "old_link.py")
    commit_all(root)
    os.symlink("/etc/passwd", root / "new_link.py")  # added
    (root / "old_link.py").unlink()
    os.symlink("/etc/shadow", root / "old_link.py")  # retargeted
    commit_all(root)
    changes = by_path(parse_patch(last_commit_patch(root), source="git diff"))
    assert set(changes) == {"new_link.py", "old_link.py"}
    assert changes["new_link.py"].kind is ChangeKind.ADDED
    assert changes["old_link.py"].kind is ChangeKind.MODIFIED
    for change in changes.values():
        assert change.skip_reason == "symlink: not followed"


def test_submodule_is_skipped(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "a.py").write_text("a\n")
    commit_all(root)
    gitlink = "1234567890abcdef1234567890abcdef12345678"
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{gitlink},vendor/lib")
    git(root, "commit", "-q", "-m", "add a submodule")
    patch = last_commit_patch(root)
    assert "new file mode 160000" in patch
    [change] = parse_patch(patch, source="git diff")
    assert change.path == "vendor/lib"
    assert change.skip_reason == "submodule: not scanned"
    assert change.new_blob == gitlink


def test_binary_files_are_skipped(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "blob.py").write_bytes(b"\x00\x01\x02binary")
    commit_all(root)
    (root / "blob.py").write_bytes(b"\x00\x01\x03binary!")
    (root / "added.bin").write_bytes(b"\x00\xff")
    commit_all(root)
    changes = by_path(parse_patch(last_commit_patch(root), source="git diff"))
    assert set(changes) == {"blob.py", "added.bin"}
    assert changes["blob.py"].skip_reason == "binary file"
    assert changes["blob.py"].kind is ChangeKind.MODIFIED
    assert changes["added.bin"].skip_reason == "binary file"
    assert changes["added.bin"].kind is ChangeKind.ADDED


def test_mode_only_change_is_skipped_but_mode_plus_content_is_not(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "tool.py").write_text("print(1)\n")
    (root / "edited.py").write_text("print(2)\n")
    commit_all(root)
    git(root, "update-index", "--chmod=+x", "tool.py")
    (root / "edited.py").write_text("print(3)\n")
    git(root, "add", "edited.py")
    git(root, "update-index", "--chmod=+x", "edited.py")
    git(root, "commit", "-q", "-m", "chmod")
    changes = by_path(parse_patch(last_commit_patch(root), source="git diff"))
    assert changes["tool.py"].kind is ChangeKind.MODIFIED
    assert changes["tool.py"].skip_reason == "mode change only"
    assert changes["edited.py"].skip_reason is None
    assert changes["edited.py"].added_lines == frozenset({1})


def test_every_kind_in_one_literal_patch() -> None:
    patch = """\
diff --git a/new.py b/new.py
new file mode 100644
index 0000000..aaaaaaa
--- /dev/null
+++ b/new.py
@@ -0,0 +1,2 @@
+a
+b
diff --git a/gone.py b/gone.py
deleted file mode 100644
index bbbbbbb..0000000
--- a/gone.py
+++ /dev/null
@@ -1 +0,0 @@
-x
diff --git a/x.py b/y.py
similarity index 100%
rename from x.py
rename to y.py
diff --git a/run.sh b/run.sh
old mode 100644
new mode 100755
diff --git a/ln b/ln
new file mode 120000
index 0000000..ccccccc
--- /dev/null
+++ b/ln
@@ -0,0 +1 @@
+../../etc/passwd
\\ No newline at end of file
"""
    changes = by_path(parse_patch(patch, source="all.diff"))
    assert {p: (c.kind, c.skip_reason) for p, c in changes.items()} == {
        "new.py": (ChangeKind.ADDED, None),
        "gone.py": (ChangeKind.DELETED, "deleted"),
        "y.py": (ChangeKind.RENAMED, "renamed without content changes"),
        "run.sh": (ChangeKind.MODIFIED, "mode change only"),
        "ln": (ChangeKind.ADDED, "symlink: not followed"),
    }
    assert changes["y.py"].old_path == "x.py"
    assert changes["new.py"].new_blob == "aaaaaaa"
    assert changes["gone.py"].old_blob == "bbbbbbb"


# ---------------------------------------------------------------------------------------------
# file names


def test_c_quoted_file_names_are_unquoted(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "seed.py").write_text("s\n")
    commit_all(root)
    names = ['q"uote.py', "café.py", "tab\tname.py", "back\\slash.py", "sp ace.py", "日本/語.py"]
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"# {name}\n")
    commit_all(root)
    patch = last_commit_patch(root)  # git's default core.quotePath=true: non-ASCII is quoted too
    assert '"b/caf\\303\\251.py"' in patch
    assert '"b/q\\"uote.py"' in patch
    changes = by_path(parse_patch(patch, source="git diff"))
    assert set(changes) == set(names)
    for change in changes.values():
        assert change.kind is ChangeKind.ADDED
        assert change.added_lines == frozenset({1})


def test_quoted_names_in_a_rename_with_edits(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / 'o"ld.py').write_text(numbered(10))
    commit_all(root)
    git(root, "mv", 'o"ld.py', "né.py")
    (root / "né.py").write_text(numbered(10) + "extra\n")
    commit_all(root)
    [change] = parse_patch(last_commit_patch(root), source="git diff")
    assert change.kind is ChangeKind.RENAMED
    assert change.old_path == 'o"ld.py'
    assert change.path == "né.py"
    assert change.added_lines == frozenset({11})


def test_quoted_name_with_undecodable_bytes_is_kept_not_a_crash() -> None:
    # A patch read with surrogateescape (as from_patch and GitRepo.diff do) whose quoted name holds
    # a byte that is not UTF-8: git leaves it raw when core.quotePath=false.
    raw = b'diff --git "a/q\\"\xff.py" "b/q\\"\xff.py"\nnew file mode 100644\n--- /dev/null\n+++ "b/q\\"\xff.py"\n'
    raw += b"@@ -0,0 +1 @@\n+x\n"
    [change] = parse_patch(raw.decode("utf-8", "surrogateescape"), source="raw.diff")
    assert change.path == 'q"\udcff.py'
    assert os.fsencode(change.path) == b'q"\xff.py'


def test_octal_escapes_of_invalid_utf8_round_trip_to_the_bytes() -> None:
    patch = '--- /dev/null\n+++ "b/x\\377y.py"\n@@ -0,0 +1 @@\n+1\n'
    [change] = parse_patch(patch, source="octal.diff")
    assert os.fsencode(change.path) == b"x\xffy.py"


@pytest.mark.xfail(
    strict=True,
    reason="unidiff splits `diff --git a/plan b/main.py b/plan b/main.py` at the last ' b/': "
    "a directory whose name ends in ' b' makes the whole patch unreadable",
)
def test_directory_name_ending_in_space_b(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "plan b").mkdir()
    (root / "plan b" / "main.py").write_text("x\n")
    commit_all(root)
    (root / "plan b" / "main.py").write_text("y\n")
    commit_all(root)
    [change] = parse_patch(last_commit_patch(root), source="git diff")
    assert change.path == "plan b/main.py"


# ---------------------------------------------------------------------------------------------
# blob ids


def test_blob_ids_come_from_the_full_index_line(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    (root / "m.py").write_text(numbered(5))
    commit_all(root)
    (root / "m.py").write_text(numbered(6))
    (root / "n.py").write_text("new\n")
    commit_all(root)
    changes = by_path(parse_patch(last_commit_patch(root), source="git diff"))
    old_m = git(root, "rev-parse", "HEAD~1:m.py").strip()
    new_m = git(root, "rev-parse", "HEAD:m.py").strip()
    assert len(old_m) == 40
    assert changes["m.py"].old_blob == old_m
    assert changes["m.py"].new_blob == new_m
    assert changes["n.py"].old_blob is None  # the all-zero id of a new file is no blob
    assert changes["n.py"].new_blob == git(root, "rev-parse", "HEAD:n.py").strip()


def test_blob_ids_from_an_index_line_without_mode() -> None:
    patch = """\
diff --git a/m.py b/m.py
old mode 100644
new mode 100755
index 0123456789abcdef0123456789abcdef01234567..fedcba9876543210fedcba9876543210fedcba98
--- a/m.py
+++ b/m.py
@@ -1 +1 @@
-a
+b
"""
    [change] = parse_patch(patch, source="m.diff")
    assert change.old_blob == "0123456789abcdef0123456789abcdef01234567"
    assert change.new_blob == "fedcba9876543210fedcba9876543210fedcba98"
    assert change.skip_reason is None  # a mode change with content is scanned


def test_no_index_line_means_no_blob_ids() -> None:
    patch = "--- a/p.py\n+++ b/p.py\n@@ -1 +1 @@\n-a\n+b\n"
    [change] = parse_patch(patch, source="p.diff")
    assert change.path == "p.py"
    assert change.old_blob is None
    assert change.new_blob is None
    assert change.added_lines == frozenset({1})


# ---------------------------------------------------------------------------------------------
# hostile and broken input


@pytest.mark.parametrize(
    "patch",
    [
        "--- a/../x.py\n+++ b/../x.py\n@@ -1 +1 @@\n-a\n+b\n",
        "--- a/ok.py\n+++ b/../../x.py\n@@ -1 +1 @@\n-a\n+b\n",
        "--- /dev/null\n+++ b/sub/../../x.py\n@@ -0,0 +1 @@\n+b\n",
        "--- /etc/passwd\n+++ /etc/passwd\n@@ -1 +1 @@\n-root\n+toor\n",
        "--- a//etc/passwd\n+++ b//etc/passwd\n@@ -1 +1 @@\n-root\n+toor\n",
        "diff --git a/../x b/../x\nnew file mode 100644\n--- /dev/null\n+++ b/../x\n@@ -0,0 +1 @@\n+b\n",
        # "../x" spelled with octal escapes
        'diff --git "a/\\056\\056/x" "b/\\056\\056/x"\n--- "a/\\056\\056/x"\n+++ "b/\\056\\056/x"\n'
        "@@ -1 +1 @@\n-a\n+b\n",
        "diff --git a/ok.py b/../evil.py\nsimilarity index 100%\nrename from ok.py\nrename to ../evil.py\n",
    ],
)
def test_paths_leaving_the_repository_are_refused(patch: str) -> None:
    with pytest.raises(InputError) as info:
        parse_patch(patch, source="evil.diff")
    message = str(info.value)
    assert message.startswith("evil.diff: ")
    assert "not inside the repository" in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("this is not a patch\njust words\n", "no file changes found"),
        ("\x00\x01\x02\xff", "no file changes found"),
        ("@@ -1 +1 @@\n-a\n+b\n", "not a unified diff"),  # a hunk with no file
        ("--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,3 @@\n-a\n+b\n", "not a unified diff"),  # hunk too short
        ("--- a/x.py\n+++ b/x.py\n\\ No newline at end of file\n", "not a unified diff"),  # marker, no hunk
        ("+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n", "not a unified diff"),  # target without source
        ("--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n a\n?b\n", "not a unified diff"),  # bad line marker
        ("--- /dev/null\n+++ /dev/null\n@@ -0,0 +0,0 @@\n", "neither an old nor a new file"),
        ("--- a/x.py\n+++ b/x.py\n@@ -0,0 +0,0 @@\n", "neither an old nor a new file"),
    ],
)
def test_garbage_raises_input_error_naming_the_source(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_patch(text, source="junk.diff")
    assert str(info.value).startswith("junk.diff: ")
    assert fragment in str(info.value)


def test_empty_text_is_no_changes() -> None:
    assert parse_patch("", source="empty.diff") == []
    assert parse_patch("\n", source="empty.diff") == []


def test_mangled_patches_raise_only_input_error(tmp_path: Path) -> None:
    """Truncations and random edits of a real patch: a result or an InputError, nothing else."""
    root = new_repo(tmp_path)
    (root / "m.py").write_text(numbered(30))
    (root / 'q"uote.py').write_text("q\n")
    (root / "gone.py").write_text("g\n")
    (root / "bin.dat").write_bytes(b"\x00\x01")
    commit_all(root)
    (root / "m.py").write_text(numbered(30).replace("line 3\n", "three\n").replace("line 25\n", ""))
    (root / 'q"uote.py').write_text("q2\n")
    (root / "gone.py").unlink()
    (root / "bin.dat").write_bytes(b"\x00\x02")
    (root / "new.py").write_text("n\n")
    commit_all(root)
    patch = last_commit_patch(root)
    assert len(parse_patch(patch, source="m.diff")) == 5

    lines = patch.splitlines(keepends=True)
    candidates = [patch[:i] for i in range(0, len(patch), 7)]
    rnd = random.Random(1234)
    alphabet = ['"', "\\", "/", " ", "\t", "\n", "-", "+", "@", "0", ",", "a", "\x00", "é", "\udcff"]
    for _ in range(400):
        mutated = list(lines)
        j = rnd.randrange(len(mutated))
        op = rnd.randrange(4)
        if op == 0:
            del mutated[j]
        elif op == 1:
            mutated.insert(j, rnd.choice(lines))
        elif op == 2:
            mutated[j] = mutated[j][: rnd.randrange(len(mutated[j]) + 1)]
        else:
            chars = list(mutated[j])
            chars[rnd.randrange(len(chars))] = rnd.choice(alphabet)
            mutated[j] = "".join(chars)
        candidates.append("".join(mutated))

    outcomes = {"parsed": 0, "refused": 0}
    for text in candidates:
        try:
            result = parse_patch(text, source="m.diff")
        except InputError as exc:
            assert str(exc).startswith("m.diff: ")
            outcomes["refused"] += 1
        else:
            assert all(isinstance(c, FileChange) and c.path for c in result)
            outcomes["parsed"] += 1
    assert outcomes["parsed"] > 0
    assert outcomes["refused"] > 0


def test_plain_diff_ru_patches_drop_their_first_component_like_git_apply() -> None:
    patch = "--- orig/pkg/m.py\t2026-01-01\n+++ new/pkg/m.py\t2026-01-02\n@@ -1 +1,2 @@\n import os\n+os.getcwd()\n"
    (change,) = parse_patch(patch, source="ru.diff")
    assert (change.path, change.old_path, change.kind) == ("pkg/m.py", "pkg/m.py", ChangeKind.MODIFIED)
    assert change.added_lines == frozenset({2})
