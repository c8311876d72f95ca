"""Which files `scan --all` keeps from semgrep: very large ones, ones that look minified, and
copies of well-known browser libraries.

A vendored library can cost semgrep minutes (docs/semgrep.md: Juice Shop's 850 kB `three.js`),
and its findings are rarely the repository's own code. In a whole-tree scan, a file larger than
`max_bytes`, or of at least MINIFIED_MIN_BYTES whose average line is longer than
`max_average_line` bytes (a minified bundle), is not given to semgrep. Nor, with `libraries` on,
is a `.js` file named as a release of a widely copied browser library (`jquery.js`,
`jquery-3.2.1.min.js`, `bootstrap.bundle.js`: LIBRARY_FILE) that opens with a licence banner
(`/*!`, `@license`, `Copyright`, … in its first LIBRARY_BANNER_BYTES: a repository's own
`chart.js` has none, the released files do): an app's `static/` folder holds such
copies unminified too, semgrep's per-rule timeouts on them made a whole-tree scan's findings
depend on the machine's load (RealVuln's DVGA: 55 to 79 findings over three runs of one commit),
and what it finds there is the library's code, not the repository's. The other scanners still
read every file, and each file held back is a note saying why (mark, don't drop). 0 or false
turns a test off. A review of a change is never capped: a change that edits a library copy is
reviewed like any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath

# A short file costs semgrep nothing whatever its lines: the minified test starts here.
MINIFIED_MIN_BYTES = 4096
# A release file of a library that web apps commonly copy into their tree: the library's name,
# then only version numbers and build words (`-3.2.1`, `.slim`, `.bundle`, `.min`, `.esm`).
LIBRARY_FILE = re.compile(
    r"""(?ix)
    (?:jquery(?:[-.]ui)?|bootstrap|popper|angular|react|react-dom|vue|lodash|underscore|backbone|
       moment|d3|three|chart|handlebars|mustache|modernizr|require|knockout|ember|socket\.io|
       highlight|prism|codemirror|tinymce|ckeditor|swagger-ui(?:-bundle)?|select2|leaflet|plotly|
       materialize|tether|htmx|alpine|axios)
    (?:[-.](?:v?\d+(?:\.\d+)*|slim|bundle|esm|umd|min|full|core|all|module|dev|development|prod|production))*
    \.js
    """
)
LIBRARY_BANNER_BYTES = 2048
_BANNER = re.compile(rb"/\*!|@license|@preserve|copyright|\(c\)|licensed under|\bMIT\b", re.IGNORECASE)


def _library_copy(name: str, data: bytes) -> bool:
    return bool(LIBRARY_FILE.fullmatch(name)) and _BANNER.search(data[:LIBRARY_BANNER_BYTES]) is not None


def held_back(
    contents: Mapping[str, bytes], max_bytes: int, max_average_line: int, *, libraries: bool = True
) -> dict[str, str]:
    """Path -> why semgrep is not given it, for the files of `contents` over a limit."""
    out = {}
    for path, data in contents.items():
        name = PurePosixPath(path).name
        if libraries and _library_copy(name, data):
            out[path] = f"a copy of a browser library, by its name {name} (semgrep.whole_tree_skip_libraries)"
        elif max_bytes and len(data) > max_bytes:
            out[path] = f"larger than semgrep.whole_tree_max_bytes ({len(data)} > {max_bytes} bytes)"
        elif max_average_line and len(data) >= MINIFIED_MIN_BYTES:
            average = len(data) // (data.count(b"\n") + 1)
            if average > max_average_line:
                out[path] = (
                    f"looks minified: average line {average} bytes, over semgrep.whole_tree_max_average_line "
                    f"({max_average_line})"
                )
    return out
