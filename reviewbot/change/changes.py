"""What is under review: the changed files, with their base and head contents.

Four ways in, one shape out (`Change`):

* `from_base`   — merge-base(REV, HEAD) → HEAD: exactly what a pull request of HEAD into REV
                  shows. With `worktree=True`, → the working tree instead (uncommitted edits in);
                  with `head=REV2`, merge-base(REV, REV2) → REV2 (a past change, replayed).
* `from_staged` — HEAD → the index: what `git commit` would record (the pre-commit view).
* `from_patch`  — a checkout → the checkout with a unified patch applied (in a temporary copy;
                  the checkout is never written to).
* `from_all`    — whole files with no base: every finding is new (audits, benchmarks).

Contents are read from git objects where they exist, so a dirty work tree cannot change what a
commit-based review sees. Symlinks are never followed, wherever they appear.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from reviewbot.change.diff import ChangeKind, FileChange, parse_patch
from reviewbot.change.files import (
    DEFAULT_MAX_FILE_BYTES,
    GitFiles,
    is_binary,
    read_regular_file,
    read_small_file,
    through_symlink,
)
from reviewbot.change.git import GitRepo
from reviewbot.change.git_patch import git_patch
from reviewbot.change.snapshot import worktree_snapshot
from reviewbot.errors import InputError, ToolError, describe_failed_command
from reviewbot.lang.languages import language_of


@dataclass
class Change:
    """The change under review. `head`/`base` hold contents of the files to scan, by head path."""

    root: Path
    description: str
    files: list[FileChange]
    head: dict[str, bytes] = field(default_factory=dict)
    base: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    whole_tree: bool = False  # `--all`: every path is the repository's own, none added by a change
    # Reads any other regular file of the version under review (None: not readable), for facts
    # about the code a changed file calls (see `modules`).
    reader: Callable[[str], bytes | None] | None = None
    # The commit the change starts from, when it is one (`from_base`: the merge-base; `from_staged`:
    # "HEAD"): the trusted side of a review whose head is not trusted (`trusted_side`). None: no commit.
    base_commit: str | None = None

    @cached_property
    def modules(self) -> Callable[[str], bytes | None]:
        """Reads a repository-relative path as the change leaves it: a scanned file's contents,
        else through `reader`; None when absent, not a regular file, or too large. One object
        per change, so per-review caches keyed on it hold for the whole review."""

        def read(path: str) -> bytes | None:
            if path in self.head:
                return self.head[path]
            if self.reader is None or not _plain_relative(path):
                return None
            data = self.reader(path)
            return data if data is not None and len(data) <= DEFAULT_MAX_FILE_BYTES else None

        return read

    def file(self, path: str) -> FileChange | None:
        return next((f for f in self.files if f.path == path), None)

    def path_on_base(self, path: str) -> bool:
        """Whether `path` (or its rename source) existed before the change.

        A path the change itself adds is the author's choice, so facts derived from it (a file
        "in tests/") are not trusted.
        """
        if self.whole_tree:
            return True
        f = self.file(path)
        return f is not None and f.kind is not ChangeKind.ADDED


def _plain_relative(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _note_skips(change: Change) -> None:
    for f in change.files:
        if f.skip_reason:
            change.notes.append(f"{_shown_path(f.path)}: skipped ({f.skip_reason})")


def _utf8_name(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # surrogate-escaped bytes: the name is not UTF-8
        return False
    return True


def _shown_path(path: str) -> str:
    """`path` as text every output format can carry: bytes of a name that is not UTF-8 as \\xNN."""
    try:
        data = path.encode("utf-8", "surrogateescape")  # how git's and os.walk's names are decoded
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return data.decode("utf-8", "backslashreplace")


def _scannable(
    files: list[FileChange], max_bytes: int, sizes: dict[str, int], contents: dict[str, bytes] | None = None
) -> list[FileChange]:
    """Mark what is binary, has no rules, or is too large as skipped; return the rest."""
    out = []
    for i, f in enumerate(files):
        if f.skip_reason:
            continue
        if not _utf8_name(f.path):
            # A finding's path is Unicode text in every report (JSON, SARIF, the PR review).
            files[i] = _skip(f, "file name is not UTF-8")
        elif contents is not None and f.path in contents and is_binary(contents[f.path]):
            files[i] = _skip(f, "binary file")
        elif language_of(f.path) is None:
            files[i] = _skip(f, "no rules for this file type")
        elif sizes.get(f.path, 0) > max_bytes:
            files[i] = _skip(f, f"larger than {max_bytes} bytes")
        else:
            out.append(files[i])
    return out


def _skip(f: FileChange, reason: str) -> FileChange:
    return replace(f, skip_reason=reason)


def from_base(
    repo: GitRepo, rev: str, *, head: str = "HEAD", worktree: bool = False, max_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> Change:
    """merge-base(rev, head) → head; `head` is HEAD but for a replay of another commit (review/replay.py)."""
    if worktree and head != "HEAD":
        raise InputError("the working tree can only be compared from HEAD")
    base_commit = repo.resolve(rev)
    try:
        head_commit = repo.resolve(head)
    except InputError as exc:
        if head != "HEAD":
            raise
        raise InputError(f"{repo.root}: HEAD has no commit yet; use --staged or --all") from exc
    merge_base = repo.merge_base(base_commit, head_commit)
    if worktree:
        desc = f"merge-base {merge_base[:12]} of {rev} and HEAD → the working tree"
        # git would read the working tree through the change's own attributes: diff a snapshot
        with worktree_snapshot(repo) as (snap, tree):
            files = git_patch(snap, (merge_base, tree), max_bytes, source="git diff")
            change = _load_from_git(snap, desc, files, max_bytes)
        change.reader = functools.partial(read_small_file, repo.root)
        change.base_commit = merge_base
        return change
    desc = f"merge-base {merge_base[:12]} of {rev} and {head} → {head} {head_commit[:12]}"
    files = git_patch(repo, (merge_base, head_commit), max_bytes, source="git diff")
    change = _load_from_git(repo, desc, files, max_bytes)
    change.reader = GitFiles(repo, head_commit)
    change.base_commit = merge_base
    return change


def from_staged(repo: GitRepo, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Change:
    base_commit = None
    if repo.has_head():
        since = "HEAD"
        desc = "HEAD → the index (staged changes)"
        base_commit = "HEAD"  # git resolves it where it is read; no extra call on the pre-commit path
    else:  # the first commit: everything staged is new
        since = repo.git("hash-object", "-t", "tree", "/dev/null").decode().strip()
        desc = "empty repository → the index (staged changes)"
    files = git_patch(repo, (since,), max_bytes, source="git diff --cached", cached=True)
    change = _load_from_git(repo, desc, files, max_bytes)
    change.reader = GitFiles(repo, None)
    change.base_commit = base_commit
    return change


def _load_from_git(repo: GitRepo, desc: str, files: list[FileChange], max_bytes: int) -> Change:
    change = Change(repo.root, desc, files)
    # the blobs the diff names: the very bytes git compared (for --worktree, the snapshot's)
    blobs = repo.read_blobs([f.new_blob for f in files if f.new_blob and not f.skip_reason])
    head = {f.path: blobs[f.new_blob] for f in files if f.new_blob in blobs}
    targets = _scannable(files, max_bytes, {p: len(b) for p, b in head.items()}, head)
    change.head = {f.path: head[f.path] for f in targets if f.path in head}
    with_base = [f for f in targets if f.kind is not ChangeKind.ADDED and f.old_blob]
    old = repo.read_blobs([f.old_blob for f in with_base if f.old_blob])
    change.base = {f.path: old[f.old_blob] for f in with_base if f.old_blob in old}
    _note_skips(change)
    return change


def from_patch(root: Path, patch_file: Path, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Change:
    """Apply `patch_file` to a temporary copy of the files it touches under `root`."""
    try:
        text = patch_file.read_bytes().decode("utf-8", "surrogateescape")
    except OSError as exc:
        raise InputError(f"{patch_file}: cannot read the patch: {exc.strerror}") from exc
    files = parse_patch(text, source=str(patch_file))
    if not files:
        raise InputError(f"{patch_file}: the patch changes no file")
    # Files the patch does not touch are as they are under root.
    change = Change(
        root, f"{root} → with {patch_file.name} applied", files, reader=functools.partial(read_small_file, root)
    )
    with tempfile.TemporaryDirectory(prefix="reviewbot-patch-") as tmp:
        work = Path(tmp) / "tree"
        work.mkdir()
        for f in files:
            if f.old_path is None:
                continue
            if _copy_symlink(root, work, f.old_path):
                continue
            if f.skip_reason == "submodule: not scanned":
                # `git apply` wants the path to exist; an uninitialised submodule is an empty folder.
                (work / f.old_path).mkdir(parents=True, exist_ok=True)
                continue
            data = read_regular_file(root, f.old_path)
            if data is None:
                raise InputError(f"{patch_file}: {f.old_path} is not a regular file under {root}")
            dest = work / f.old_path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        _git_apply(work, patch_file, text)
        head: dict[str, bytes] = {}
        for f in files:
            if f.skip_reason or f.kind is ChangeKind.DELETED:
                continue
            data = read_regular_file(work, f.path)
            if data is None:
                files[files.index(f)] = _skip(f, "not a regular file after applying the patch")
            else:
                head[f.path] = data
        targets = _scannable(files, max_bytes, {p: len(b) for p, b in head.items()}, head)
        change.head = {f.path: head[f.path] for f in targets}
        for f in targets:
            if f.old_path is not None and f.kind is not ChangeKind.ADDED:
                change.base[f.path] = _pre(root, f.old_path)
    _note_skips(change)
    return change


def _copy_symlink(root: Path, work: Path, rel: str) -> bool:
    """Copy root/rel into work as the link itself when it is a symlink (its parents are not).

    A patch may delete a symlink or replace it with a file; `git apply` checks and removes the
    link by its target text and never follows it, and nothing reads a link's target here."""
    parent = rel.rpartition("/")[0]
    if (parent and through_symlink(root, parent)) or not (root / rel).is_symlink():
        return False
    dest = work / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(os.readlink(root / rel), dest)
    return True


def _pre(root: Path, rel: str) -> bytes:
    data = read_regular_file(root, rel)
    assert data is not None  # checked before the patch was applied
    return data


def _git_apply(work: Path, patch_file: Path, text: str) -> None:
    # Outside any repository (the ceiling stops discovery), `git apply` acts as a strict `patch`
    # that refuses paths leaving the directory.
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=str(work.parent), LC_ALL="C")
    # No attributes file either: the user's would pick clean filters that `git apply` runs.
    argv = ["git", "-c", f"core.attributesFile={os.devnull}", "apply", "--whitespace=nowarn", "-"]
    if shutil.which("git") is None:
        raise ToolError("git is not installed or not on PATH (needed to apply the patch)")
    proc = subprocess.run(argv, cwd=work, input=text.encode("utf-8", "surrogateescape"), capture_output=True, env=env)
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        detail = "; ".join(lines[:3]) or describe_failed_command(argv, proc.returncode, "", "")
        raise InputError(f"{patch_file}: the patch does not apply to the checkout: {detail}")


def from_all(root: Path, paths: list[Path], *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Change:
    """Every file under `paths` (default: the whole root), all lines treated as changed."""
    root = root.resolve()
    rels: list[str] = []
    for p in paths or [root]:
        # normpath: relative_to is lexical, so "root/../x" would otherwise pass as inside root
        absolute = Path(os.path.normpath((p if p.is_absolute() else Path.cwd() / p).absolute()))
        try:
            rel = absolute.relative_to(root)
        except ValueError as exc:
            raise InputError(f"{p}: path is outside the repository {root}") from exc
        if not absolute.exists() and not absolute.is_symlink():
            raise InputError(f"{p}: no such file or directory")
        rels.extend(_walk(root, rel.as_posix() if rel.parts else ""))
    files = [FileChange(r, None, ChangeKind.ADDED, whole_file=True) for r in sorted(set(rels))]
    change = Change(
        root,
        f"all files under {', '.join(str(p) for p in paths) or str(root)}",
        files,
        whole_tree=True,
        reader=functools.partial(read_small_file, root),
    )
    for i, f in enumerate(files):
        if through_symlink(root, f.path):
            files[i] = _skip(f, "symlink: not followed")
    sizes = {f.path: (root / f.path).stat().st_size for f in files if not f.skip_reason}
    for f in _scannable(files, max_bytes, sizes):
        data = read_regular_file(root, f.path)
        if data is None:  # a FIFO, socket or device: never opened, but listed like any skip
            files[files.index(f)] = _skip(f, "not a regular file in the working tree")
        elif is_binary(data):  # the one content check `_scannable` could not make before the read
            files[files.index(f)] = _skip(f, "binary file")
        else:
            change.head[f.path] = data
    _note_skips(change)
    return change


_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"})


def _walk(root: Path, rel: str) -> list[str]:
    start = root / rel if rel else root
    if start.is_symlink() or start.is_file():
        return [rel]
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(start, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        base = Path(dirpath).relative_to(root)
        # os.walk does not descend into a symlinked directory; list it so it is skipped with a note
        out.extend((base / d).as_posix() for d in dirnames if (Path(dirpath) / d).is_symlink())
        out.extend((base / name).as_posix() for name in filenames)
    return out
