"""A unified diff, as the files it changes and the new-side lines each hunk covers.

The patch text comes from git (or from the user, for `--diff`); `unidiff` parses it. This module
decides, once, which changes reviewbot looks at and which it skips on purpose — deletions,
symlinks, submodules, binary files, mode-only changes, pure renames — each with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from unidiff.errors import UnidiffParseError
from unidiff.patch import Hunk as UnidiffHunk
from unidiff.patch import PatchedFile, PatchSet

from reviewbot.errors import InputError

SYMLINK_MODE = "120000"
SUBMODULE_MODE = "160000"
_NULL_BLOB = re.compile(r"^0+$")
_RENAME_OR_COPY = re.compile(r"^(?:rename|copy) (?:from|to) (.*)$")
_INDEX_LINE = re.compile(r"^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d+))?$")


class ChangeKind(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"
    RENAMED = "renamed"


@dataclass(frozen=True)
class Removal:
    """A line the hunk removes: its text, its base line, and the new-side line it sat just above
    (the line now at its place: the first added line of a replacement, else the next kept line)."""

    before: int
    base_line: int
    text: str


@dataclass(frozen=True)
class Hunk:
    """The new-side lines one hunk shows (context included), which of them it adds, and the lines
    it removes."""

    new_start: int
    new_end: int  # inclusive; new_end < new_start for a hunk that only removes lines
    added: frozenset[int]
    removed: tuple[Removal, ...] = ()

    def covers(self, first: int, last: int) -> bool:
        return self.new_start <= first and last <= self.new_end


@dataclass(frozen=True)
class FileChange:
    path: str  # the new path; the old one for a deletion
    old_path: str | None  # None for an added file
    kind: ChangeKind
    old_blob: str | None = None
    new_blob: str | None = None
    hunks: tuple[Hunk, ...] = ()
    skip_reason: str | None = None  # set when reviewbot does not scan this change, and why
    whole_file: bool = False  # every line counts as changed (`--all`, new files)

    @property
    def added_lines(self) -> frozenset[int]:
        return frozenset().union(*(h.added for h in self.hunks))

    def anchorable(self, first: int, last: int) -> bool:
        """True when lines first..last all sit in one hunk: GitHub can anchor a comment there."""
        return self.whole_file or any(h.covers(first, last) for h in self.hunks)

    def added_in(self, first: int, last: int) -> int:
        """How many of lines first..last the change adds (all of them for a whole file)."""
        if self.whole_file:
            return last - first + 1
        return sum(1 for line in self.added_lines if first <= line <= last)

    def hunk_added(self, first: int, last: int) -> int:
        """Lines added by the hunks that overlap first..last: how big the edit around it is."""
        if self.whole_file:
            return last - first + 1
        return sum(len(h.added) for h in self.hunks if h.new_start <= last and first <= h.new_end)


def parse_patch(text: str, *, source: str) -> list[FileChange]:
    """Parse a unified diff (git's extended headers understood). `source` names it in errors."""
    try:
        patch = PatchSet(text)
    except UnidiffParseError as exc:
        raise InputError(f"{source}: not a unified diff this tool can read: {exc}") from exc
    if not patch and text.strip():
        raise InputError(f"{source}: no file changes found in the patch")
    return [_file_change(pf, source) for pf in patch]


def _file_change(pf: PatchedFile, source: str) -> FileChange:
    old_path = None if pf.is_added_file else _strip_first_component(_unquote(pf.source_file))
    new_path = None if pf.is_removed_file else _strip_first_component(_unquote(pf.target_file))
    for p in (old_path, new_path):
        if p is not None:
            _check_relative(p, source)
    for line in str(pf.patch_info or "").splitlines():
        # `git apply` takes a copy's or rename's source from these lines, not from ---/+++.
        header = _RENAME_OR_COPY.match(line)
        if header:
            _check_relative(_unquote(header.group(1)), source)
    old_blob, new_blob, index_mode = _blobs(pf)
    modes = {pf.source_mode, pf.target_mode, index_mode}
    hunks = tuple(
        Hunk(
            new_start=h.target_start,
            new_end=h.target_start + h.target_length - 1,
            added=frozenset(line.target_line_no for line in h if line.is_added and line.target_line_no),
            removed=_removals(h),
        )
        for h in pf
    )
    if pf.is_removed_file:
        if old_path is None:  # both sides /dev/null, or an empty hunk at 0,0: no file at all
            raise InputError(f"{source}: a file change with neither an old nor a new file: {pf.path}")
        return FileChange(old_path, old_path, ChangeKind.DELETED, old_blob, None, (), "deleted")
    assert new_path is not None  # None only for a removed file, handled above
    if pf.is_added_file:
        kind = ChangeKind.ADDED
    elif old_path is not None and old_path != new_path:
        kind = ChangeKind.RENAMED
    else:
        kind = ChangeKind.MODIFIED
    skip = None
    if SYMLINK_MODE in modes:
        skip = "symlink: not followed"
    elif SUBMODULE_MODE in modes:
        skip = "submodule: not scanned"
    elif pf.is_binary_file:
        skip = "binary file"
    elif not hunks and kind is ChangeKind.RENAMED:
        skip = "renamed without content changes"
    elif not hunks:
        skip = "mode change only" if pf.source_mode != pf.target_mode else "no content changes"
    return FileChange(
        new_path,
        old_path if kind is not ChangeKind.ADDED else None,
        kind,
        old_blob,
        new_blob,
        hunks,
        skip,
        whole_file=kind is ChangeKind.ADDED,
    )


def _removals(hunk: UnidiffHunk) -> tuple[Removal, ...]:
    """The hunk's removed lines, each with the new-side line that follows it in the hunk."""
    out = []
    after = hunk.target_start + hunk.target_length  # below the hunk's last new-side line
    for line in reversed(list(hunk)):  # backwards: the next new-side line is known at each step
        if line.target_line_no:  # an added line that replaces what is above it, or a kept one
            after = line.target_line_no
        elif line.is_removed and line.source_line_no:
            out.append(Removal(after, line.source_line_no, line.value.rstrip("\r\n")))
    return tuple(reversed(out))


def _blobs(pf: PatchedFile) -> tuple[str | None, str | None, str | None]:
    for line in str(pf.patch_info or "").splitlines():
        m = _INDEX_LINE.match(line.strip())
        if m:
            old, new, mode = m.groups()
            return (None if _NULL_BLOB.match(old) else old, None if _NULL_BLOB.match(new) else new, mode)
    return None, None, None


def _strip_first_component(path: str) -> str:
    """Drop the leading `a/`, `b/` (or `orig/`, `new/` from `diff -ru`), as `git apply -p1` does.

    An absolute path is kept whole so that the check after this refuses it.
    """
    return path.split("/", 1)[1] if "/" in path and not path.startswith("/") else path


def _check_relative(path: str, source: str) -> None:
    parts = path.split("/")
    if path.startswith("/") or ".." in parts or not path or "\x00" in path:
        raise InputError(f"{source}: path {path!r} is not inside the repository")


_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def _unquote(name: str) -> str:
    """Undo git's C-style quoting of a path ("a/sp\\303\\251cial\\ttab")."""
    if len(name) < 2 or not (name.startswith('"') and name.endswith('"')):
        return name
    body, out, i = name[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if re.match(r"[0-7]{3}", body[i + 1 : i + 4]):
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
        out.extend(ch.encode("utf-8", "surrogateescape"))  # undecodable bytes of the patch text
        i += 1
    return out.decode("utf-8", "surrogateescape")
