"""The one place reviewbot runs git: revisions, patches and blob contents, as typed errors.

git is asked for machine-readable output with user configuration that would change it pinned
off (external diff drivers, text conversion, path quoting, prefixes), so a developer's
`~/.gitconfig` cannot change what is reviewed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from reviewbot.errors import InputError, ToolError, describe_failed_command

_DIFF_FLAGS = [
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
]


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    return env


def run_git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    argv = ["git", "-c", "core.quotePath=false", "-c", "diff.noprefix=false", *args]
    try:
        proc = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, env=_git_env(), check=False)
    except FileNotFoundError as exc:
        raise ToolError("git is not installed or not on PATH") from exc
    if proc.returncode != 0:
        raise ToolError(
            describe_failed_command(
                argv, proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")
            )
        )
    return proc.stdout


class GitRepo:
    """A git work tree, found from any directory inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root

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
        return run_git(self.root, *args, stdin=stdin)

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

    def diff(self, *revs: str, cached: bool = False) -> str:
        args = ["diff", *_DIFF_FLAGS]
        if cached:
            args.append("--cached")
        args.extend(revs)
        args.append("--")
        return self.git(*args).decode("utf-8", "surrogateescape")

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
