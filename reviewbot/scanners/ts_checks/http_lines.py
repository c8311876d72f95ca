"""`http-bare-lf-split` (CWE-444): an HTTP head (request line and header fields) cut into lines
at a bare `\\n` in code that frames HTTP messages itself.

HTTP/1.1 ends the start line and each field line with CRLF. A parser that splits its header
block at `\\n` (`header.split(b"\\n")`, `head.find(b"\\n")`, `headers.splitlines()`) and strips a
trailing `\\r` takes `X: 1\\nContent-Length: 5` as two fields where a proxy in front that
requires CRLF sees one field (or the reverse with a bare `\\r`): the two frame the stream
differently, and one side's body is the other side's next request (waitress GHSA-pg36-wpm5-g57p).
Split at `b"\\r\\n"` and reject a field line that still holds `\\r` or `\\n`.

Which calls: in a module that handles chunked transfer coding (the gate of `http_framing`),
`split`/`find`/`index`/`partition` with the argument `"\\n"` (or `b"\\n"`), or `splitlines()`,
called on a name that says it holds the head: `header`, `headers`, `header_plus`, `head`,
`raw_headers`, `self.header` (any name with `head` in it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

_QUERY = """
(call function: (attribute object: (_) @recv attribute: (identifier) @method) arguments: (argument_list) @args) @call
"""
_METHODS = frozenset({"split", "find", "index", "partition", "rsplit"})
_LF = re.compile(r"""^[bB]?(["'])\\n\1$""")
_HEAD = re.compile(r"(?i)head")


def _name(ctx: FileContext, node: Node) -> str:
    """The last name of a receiver: `header` for `header`, `self.header`, `header[i:]`."""
    while node.type in {"subscript", "parenthesized_expression"} and node.named_children:
        node = node.child_by_field_name("value") or node.named_children[0]
    if node.type == "attribute":
        attr = node.child_by_field_name("attribute")
        return ctx.text(attr) if attr is not None else ""
    return ctx.text(node) if node.type == "identifier" else ""


def _check(ctx: FileContext) -> Iterator[Hit]:
    lowered = ctx.source.lower()
    if b"chunked" not in lowered or b"head" not in lowered:
        return
    for captures in CHECK.matches(ctx):
        call, recv, method, args = (captures[k][0] for k in ("call", "recv", "method", "args"))
        if not _HEAD.search(_name(ctx, recv)):
            continue
        values = [c for c in args.named_children if c.type != "comment"]
        name = ctx.text(method)
        if name == "splitlines":
            lax = not values
        else:
            lax = name in _METHODS and bool(values) and _LF.match(ctx.text(values[0])) is not None
        if lax:
            yield Hit(call.start_byte, call.end_byte, detail="The header block is cut at a bare line feed here.")


CHECK = Check(
    "http-bare-lf-split",
    needs_tree=True,
    languages=frozenset({"python"}),
    run=_check,
    queries={"python": _QUERY},
)
