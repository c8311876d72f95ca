"""Jinja2 and Django template files (and Nunjucks / Swig, their JavaScript ports), read as bytes
(no grammar): output that escaping does not cover. `safe-filter`: a `{{ … }}` or `{% … %}` tag
whose value goes through `|safe` (or Django's `|safeseq`) and is not a string literal;
`autoescape-off`: `{% autoescape false %}` (Jinja2, Swig) or `{% autoescape off %}` (Django).
Text inside `{# … #}` comments is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

_MAX_TAG_BYTES = 4096  # a tag longer than this is not a tag (bounds the search for its end)
_OPEN = re.compile(rb"\{([{%#])")
_CLOSERS = {b"{": b"}}", b"%": b"%}", b"#": b"#}"}
_SAFE = re.compile(rb"\|\s*(safe|safeseq)\b")
_LITERAL = re.compile(rb"""\s*-?\s*(?:"[^"\\]*"|'[^'\\]*')\s*$""")  # `{{ "<b>x</b>"|safe }}`
_AUTOESCAPE_OFF = re.compile(rb"^-?\s*autoescape\s+(false|off)\s*-?$", re.IGNORECASE)


def _tags(source: bytes) -> Iterator[tuple[int, int, bytes, bytes]]:
    """(start, end, kind, inside) of each `{{ }}` / `{% %}` tag; comments are skipped whole."""
    pos = 0
    while (m := _OPEN.search(source, pos)) is not None:
        kind = m.group(1)
        close = source.find(_CLOSERS[kind], m.end(), m.end() + _MAX_TAG_BYTES)
        if close == -1:
            pos = m.end()
            continue
        end = close + 2
        start, inside = m.start(), source[m.end() : close]
        if kind != b"#" and (again := inside.rfind(b"{" + kind)) != -1:
            # an unclosed tag before this one: the tag is the last opener before the closer
            start, inside = m.end() + again, inside[again + 2 :]
        if kind != b"#":
            yield start, end, kind, inside
        pos = end


def _check_safe(ctx: FileContext) -> Iterator[Hit]:
    if b"safe" not in ctx.source:
        return
    for start, end, _kind, inside in _tags(ctx.source):
        if ctx.deadline.passed():
            return
        found = _SAFE.search(inside)
        if found is None or _LITERAL.match(inside[: found.start()]):
            continue
        yield Hit(start, end, f"`|{found.group(1).decode()}` marks this value as safe HTML.")


def _check_autoescape(ctx: FileContext) -> Iterator[Hit]:
    if b"autoescape" not in ctx.source:
        return
    for start, end, kind, inside in _tags(ctx.source):
        if ctx.deadline.passed():
            return
        if kind == b"%" and _AUTOESCAPE_OFF.match(inside.strip()):
            yield Hit(start, end)


SAFE_FILTER = Check("template-safe-filter", needs_tree=False, languages=frozenset({"template"}), run=_check_safe)
AUTOESCAPE_OFF = Check(
    "template-autoescape-off", needs_tree=False, languages=frozenset({"template"}), run=_check_autoescape
)
