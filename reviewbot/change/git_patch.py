"""The file changes of a git diff, with files too large to print left out of the patch.

Diffs run with `--text` (git.py), so git would print a large binary whole, and a PR could make
the review slow or run out of memory with one big file. A file whose blob is over the size limit
on either side is therefore left out of the patch (pathspec exclusion) and listed as skipped,
"larger than N bytes", as the scan would skip it anyway.
"""

from __future__ import annotations

from reviewbot.change.diff import ChangeKind, FileChange, parse_patch
from reviewbot.change.git import GitRepo, RawChange

_KINDS = {"A": ChangeKind.ADDED, "C": ChangeKind.ADDED, "R": ChangeKind.RENAMED}


def git_patch(
    repo: GitRepo, revs: tuple[str, ...], max_bytes: int, *, source: str, cached: bool = False
) -> list[FileChange]:
    big = repo.oversized(*revs, cached=cached, limit=max_bytes)
    left_out = sorted({p for c in big for p in (c.old_path, c.new_path) if p is not None})
    files = parse_patch(repo.diff(*revs, cached=cached, exclude=left_out), source=source)
    return files + [_too_large(c, max_bytes) for c in big]


def _too_large(c: RawChange, max_bytes: int) -> FileChange:
    if c.new_path is None:
        assert c.old_path is not None  # git lists a deletion by its old path
        return FileChange(c.old_path, c.old_path, ChangeKind.DELETED, c.old_blob, None, (), "deleted")
    kind = _KINDS.get(c.status, ChangeKind.MODIFIED)
    old_path = None if kind is ChangeKind.ADDED else c.old_path
    skip = f"larger than {max_bytes} bytes"
    return FileChange(c.new_path, old_path, kind, c.old_blob, c.new_blob, (), skip, whole_file=kind is ChangeKind.ADDED)
