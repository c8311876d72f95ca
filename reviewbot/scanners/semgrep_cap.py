"""Which files `scan --all` keeps from semgrep: very large ones, and ones that look minified.

A vendored library can cost semgrep minutes (docs/semgrep.md: Juice Shop's 850 kB `three.js`),
and its findings are rarely the repository's own code. In a whole-tree scan, a file larger than
`max_bytes`, or of at least MINIFIED_MIN_BYTES whose average line is longer than
`max_average_line` bytes (a minified bundle), is not given to semgrep. The other scanners still
read it, and each file held back is a note saying why (mark, don't drop). 0 turns a test off.
"""

from __future__ import annotations

from collections.abc import Mapping

# A short file costs semgrep nothing whatever its lines: the minified test starts here.
MINIFIED_MIN_BYTES = 4096


def held_back(contents: Mapping[str, bytes], max_bytes: int, max_average_line: int) -> dict[str, str]:
    """Path -> why semgrep is not given it, for the files of `contents` over a limit."""
    out = {}
    for path, data in contents.items():
        if max_bytes and len(data) > max_bytes:
            out[path] = f"larger than semgrep.whole_tree_max_bytes ({len(data)} > {max_bytes} bytes)"
        elif max_average_line and len(data) >= MINIFIED_MIN_BYTES:
            average = len(data) // (data.count(b"\n") + 1)
            if average > max_average_line:
                out[path] = (
                    f"looks minified: average line {average} bytes, over semgrep.whole_tree_max_average_line "
                    f"({max_average_line})"
                )
    return out
