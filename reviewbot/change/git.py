"""The one place reviewbot runs git: revisions, patches and blob contents, as typed errors.

git is asked for machine-readable output with user configuration that would change it pinned
off (external diff drivers, text conversion, path quoting, prefixes, diff algorithm), so a
developer's `~/.gitconfig` cannot change what is reviewed.

Attributes are the change's own words about itself (`.gitattributes` travels with the PR), so
none of them may change what git prints: `--text` overrides `-diff`/`binary`/`diff=x`, text
conversion and external drivers are off, and the working tree is never read through git (its
clean filters, `eol`, `ident` and `working-tree-encoding` would rewrite the bytes; see
`snapshot.py`). Whether a file is binary is reviewbot's decision, from the bytes (files.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewbot.errors import InputError, ToolError, describe_failed_command

_DIFF_FLAGS = [
    "--text",  # a change marking its files binary (`-diff`, `binary`) must not hide them
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--full-index",
    "--find-renames",
    "--unified=3",  # what GitHub shows, so "in the diff" means the same here and on a PR
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--submodule=short",
    "--no-relative",
    # git's defaults, pinned so that diff.algorithm / diff.interHunkContext cannot move hunks
    "--diff-algorithm=myers",
    "--indent-heuristic",
    "--inter-hunk-context=0",
]


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    return env


def blob_id(data: bytes, algorithm: str = "sha1") -> str:
    """The id git gives `data` as a blob, in a repository whose object format is `algorithm`."""
    return hashlib.new(algorithm, b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def run_git(cwd: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
    """git's stdout; `env` adds variables (a snapshot's object store and index)."""
    argv = [
        "git",
        "-c",
        "core.quotePath=false",
        "-c",
        "diff.noprefix=false",
        "-c",
        "diff.suppressBlankEmpty=false",
        "-c",
        f"core.attributesFile={os.devnull}",  # the user's global attributes: not the change's say either
        *args,
    ]
    try:
        proc = subprocess.run(
            argv, cwd=cwd, input=stdin, capture_output=True, env={**_git_env(), **(env or {})}, check=False
        )
    except FileNotFoundError as exc:
        raise ToolError("git is not installed or not on PATH") from exc
    if proc.returncode != 0:
        raise ToolError(
            describe_failed_command(
                argv, proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")
            )
        )
    return proc.stdout


@dataclass(frozen=True)
class RawChange:
    """One changed file as `git diff --raw` lists it: no content."""

    status: str  # git's letter: A, M, D, R, C, T
    old_path: str | None  # None when added
    new_path: str | None  # None when deleted
    old_blob: str | None
    new_blob: str | None


_NULL = re.compile(r"^0+$")


class GitRepo:
    """A git work tree, found from any directory inside it.

    `env` adds variables to every git call (a snapshot: objects written to a temporary store).
    """

    def __init__(self, root: Path, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.env = env or {}

    @classmethod
    def discover(cls, start: Path) -> GitRepo:
        if not start.is_dir():
            raise InputError(f"{start}: not a directory")
        try:
            out = run_git(start, "rev-parse", "--show-toplevel")
        except ToolError as exc:
            if "not a git repository" in str(exc):
                raise InputError(f"{start}: not a git repository (use --diff or --all outside git)") from exc
            raise
        return cls(Path(out.decode().strip()))

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        return run_git(self.root, *args, stdin=stdin, env=self.env)

    def resolve(self, rev: str) -> str:
        """The commit id `rev` names, or an InputError saying it does not exist."""
        if rev.startswith("-"):
            raise InputError(f"revision {rev!r} does not exist")
        try:
            out = self.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
            return out.decode().strip()
        except ToolError as exc:
            raise InputError(f"revision {rev!r} does not exist in {self.root}") from exc

    def has_head(self) -> bool:
        try:
            self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except ToolError:
            return False
        return True

    def merge_base(self, a: str, b: str) -> str:
        try:
            return self.git("merge-base", a, b).decode().strip()
        except ToolError as exc:
            if self.git("rev-parse", "--is-shallow-repository").strip() == b"true":
                # The usual cause in CI: actions/checkout fetches one commit unless told otherwise.
                raise InputError(
                    f"{a[:12]} and {b[:12]} have no common ancestor in this shallow clone: fetch more "
                    "history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)"
                ) from exc
            raise InputError(f"{a[:12]} and {b[:12]} have no common ancestor") from exc

    def diff(self, *revs: str, cached: bool = False, exclude: Sequence[str] = ()) -> str:
        args = ["diff", *_DIFF_FLAGS]
        if cached:
            args.append("--cached")
        args.extend(revs)
        args.append("--")
        args.extend(f":(top,exclude,literal){path}" for path in exclude)
        return self.git(*args).decode("utf-8", "surrogateescape")

    def oversized(self, *revs: str, cached: bool = False, limit: int) -> list[RawChange]:
        """The changed files with a blob over `limit` bytes on either side.

        `--text` would print such a file whole (a large binary included); the patch leaves them
        out, and the caller notes them as too large. Paired the way the patch pairs renames.
        """
        args = ["diff", "--raw", "-z", "--no-abbrev", "--find-renames", "--no-relative", "--no-ext-diff"]
        out = self.git(*args, *(["--cached"] if cached else []), *revs, "--").split(b"\0")
        changes: list[RawChange] = []
        i = 0
        while i + 1 < len(out) and out[i].startswith(b":"):
            _, _, old_blob, new_blob, status = out[i][1:].decode().split(" ")
            paths = [os.fsdecode(p) for p in out[i + 1 : i + (3 if status[0] in "RC" else 2)]]
            i += 1 + len(paths)
            old, new = (None if _NULL.match(b) else b for b in (old_blob, new_blob))
            old_path = None if status == "A" else paths[0]
            new_path = None if status == "D" else paths[-1]
            changes.append(RawChange(status[0], old_path, new_path, old, new))
        blobs = sorted({b for c in changes for b in (c.old_blob, c.new_blob) if b})
        if not blobs:
            return []
        sizes: dict[str, int] = {}
        for line in self.git("cat-file", "--batch-check", stdin="".join(f"{b}\n" for b in blobs).encode()).splitlines():
            fields = line.decode().split()
            if len(fields) == 3 and fields[1] == "blob":
                sizes[fields[0]] = int(fields[2])
        return [c for c in changes if any(sizes.get(b or "", 0) > limit for b in (c.old_blob, c.new_blob))]

    def read_blobs(self, blob_ids: list[str]) -> dict[str, bytes]:
        """Contents of many blobs in one `git cat-file --batch` call, keyed by blob id."""
        unique = sorted(set(blob_ids))
        if not unique:
            return {}
        out = self.git("cat-file", "--batch", stdin="".join(f"{b}\n" for b in unique).encode())
        blobs: dict[str, bytes] = {}
        pos = 0
        for blob_id in unique:
            header_end = out.index(b"\n", pos)
            header = out[pos:header_end].decode()
            fields = header.split()
            if len(fields) != 3 or fields[1] != "blob":
                raise ToolError(f"git cat-file could not read blob {blob_id}: {header}")
            size = int(fields[2])
            start = header_end + 1
            blobs[blob_id] = out[start : start + size]
            pos = start + size + 1  # each object is followed by a newline
        return blobs

    def read_at(self, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], bytes | None]:
        """The file at each (commit, path), in one `git cat-file --batch` call; None where git has
        no such blob (a commit not fetched, a path not in it, a folder, a submodule)."""
        unique = sorted({(c, p) for c, p in wanted})
        found: dict[tuple[str, str], bytes | None] = dict.fromkeys(unique)
        # The batch protocol is one name a line: a path with a newline cannot be asked for.
        asked = [(c, p) for c, p in unique if re.fullmatch(r"[0-9a-fA-F]{7,64}", c) and _plain_path(p)]
        if not asked:
            return found
        out = self.git("cat-file", "--batch", stdin="".join(f"{c}:{p}\n" for c, p in asked).encode())
        pos = 0
        for key in asked:
            header_end = out.index(b"\n", pos)
            fields = out[pos:header_end].decode("utf-8", "replace").split()
            pos = header_end + 1
            if len(fields) == 3 and fields[1] in ("blob", "tree", "commit", "tag") and fields[2].isdigit():
                size = int(fields[2])
                if fields[1] == "blob":
                    found[key] = out[pos : pos + size]
                pos += size + 1  # each object is followed by a newline
        return found


def _plain_path(path: str) -> bool:
    """A repo-relative path `<commit>:<path>` reads as itself: `./`, `../` are relative to git's
    working directory there, and a newline would end the batch line."""
    return bool(path) and "\n" not in path and not path.startswith(("/", "./", "../"))


# -- the repository around a folder, and who works in it ----------------------------------------


def repo_root(start: Path) -> Path:
    """The git work tree around `start`, else `start` itself (as `reviewbot scan` decides)."""
    try:
        return GitRepo.discover(start).root
    except (InputError, ToolError):
        return start.resolve()


def head_commit(start: Path) -> str | None:
    """HEAD of the git repository around `start`, or None (no repository, no commit, no git)."""
    try:
        repo = GitRepo.discover(start)
        return repo.resolve("HEAD") if repo.has_head() else None
    except (InputError, ToolError):
        return None


def user_name(start: Path, environ: Mapping[str, str]) -> str:
    """`git config user.name`, else $USER (or $USERNAME); "" when none is set.

    Who decides a verdict or owns a suppression; each caller says which flag to pass instead."""
    try:
        name = run_git(start, "config", "user.name").decode("utf-8", "replace").strip()
    except ToolError:
        name = ""
    return name or environ.get("USER", "").strip() or environ.get("USERNAME", "").strip()
