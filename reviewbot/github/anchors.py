"""Where GitHub accepts an inline comment: the new-side lines of each file's diff hunks.

An inline comment (`line`, `side: RIGHT`, optional `start_line`) must sit on lines one hunk shows
on the right side, or GitHub refuses the whole review with 422. Two trusted sources say which
lines those are:

* the local checkout's diff (`from_change`), in the first stage where reviewbot ran the review;
* GitHub's own list of the PR's files (`from_pr_files`, each with its `patch`), in the
  `workflow_run` stage, where the findings come from an untrusted artifact whose `in_diff`
  claims are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reviewbot.change.changes import Change
from reviewbot.change.diff import Hunk

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<len>\d+))? @@")


@dataclass(frozen=True)
class DiffMap:
    """Per path: the hunks GitHub shows (new side)."""

    hunks: Mapping[str, tuple[Hunk, ...]]

    def anchorable(self, path: str, first: int, last: int) -> bool:
        return any(h.covers(first, last) for h in self.hunks.get(path, ()))

    @classmethod
    def from_change(cls, change: Change) -> DiffMap:
        out: dict[str, tuple[Hunk, ...]] = {}
        for f in change.files:
            if not f.skip_reason:
                out[f.path] = f.hunks
        return cls(out)

    @classmethod
    def from_pr_files(cls, entries: Iterable[Mapping[str, object]]) -> DiffMap:
        """From `GET /pulls/{n}/files` elements; files without a `patch` (too large, binary) get none."""
        out: dict[str, tuple[Hunk, ...]] = {}
        for entry in entries:
            path, patch, status = entry.get("filename"), entry.get("patch"), entry.get("status")
            if not isinstance(path, str) or not isinstance(patch, str) or status == "removed":
                continue
            out[path] = parse_hunks(patch)
        return cls(out)


def parse_hunks(patch: str) -> tuple[Hunk, ...]:
    """The new-side extent and added lines of each hunk in a hunks-only patch (GitHub's `patch`)."""
    hunks: list[Hunk] = []
    start = length = line = 0
    added: set[int] = set()
    in_hunk = False

    def close() -> None:
        if in_hunk:
            hunks.append(Hunk(new_start=start, new_end=start + length - 1, added=frozenset(added)))

    for raw in patch.split("\n"):
        m = _HUNK.match(raw)
        if m:
            close()
            start = int(m.group("start"))
            length = int(m.group("len")) if m.group("len") is not None else 1
            line, added, in_hunk = start, set(), True
            continue
        if not in_hunk or raw.startswith("\\"):
            continue
        if raw.startswith("+"):
            added.add(line)
            line += 1
        elif raw.startswith("-"):
            pass
        elif line < start + length:  # a context line (" " or an empty line at the end of a patch)
            line += 1
    close()
    return tuple(hunks)
