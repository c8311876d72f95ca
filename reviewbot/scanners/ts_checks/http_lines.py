"""Two checks of how code that frames HTTP messages itself cuts its head into fields.

`http-bare-lf-split` (CWE-444): an HTTP head (request line and header fields) cut into lines
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

`http-header-line-skipped` (CWE-444, CWE-20): in a loop over header lines, the colon is looked
for (`i = line.find(b":")`, also `":"` and `index`), and an `if i > 0:` (`>= 0`, `!= -1`, `> -1`)
with no `else` handles the field: a line without a colon (`Transfer-Encoding chunked`, a line
folded or cut by a bare CR) is dropped without a word where RFC 9112 asks for a 400, and a
proxy in front that reads that line otherwise frames the request differently (waitress
GHSA-968f-66r5-5v74). Same module gate. The span is the `find` call.

`http-header-name-stripped` (CWE-444): a field line split at its first colon (`name, value =
line.split(b":", 1)`, `name, _, value = line.partition(b":")`) and the name then stripped
(`name.strip()`, `rstrip`, `strip(b" \\t")`): RFC 9112 (section 5.1) forbids whitespace between
the field name and the colon and requires a 400, because `Transfer-Encoding : chunked` is a
different field (or none) to a proxy in front (aiohttp GHSA-gfw2-4jvh-wgfg). A strip inside a
comparison (`if name != name.strip(): raise ...`) is the check, not reported; so is a strip more
than five lines below the split (the name reused for another value). Same module gate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reviewbot.scanners.ts_checks import http_framing
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


_IF_QUERY = """
(for_statement body: (block
  (expression_statement (assignment left: (identifier) @idx
     right: (call function: (attribute attribute: (identifier) @method)
                  arguments: (argument_list . (string) @colon)) @find))
  .
  (if_statement condition: (comparison_operator) @cond) @if))
"""
_COLON = re.compile(r"""^[bB]?(["']):\1$""")
_FOUND = re.compile(r"^(\w+)\s*(?:>\s*0|>=\s*0|!=\s*-\s*1|>\s*-\s*1)$")


def _check_skipped(ctx: FileContext) -> Iterator[Hit]:
    lowered = ctx.source.lower()
    if b"chunked" not in lowered or b"head" not in lowered:
        return
    for captures in SKIPPED.matches(ctx):
        idx, method, colon, find, cond, statement = (
            captures[k][0] for k in ("idx", "method", "colon", "find", "cond", "if")
        )
        if ctx.text(method) not in {"find", "index"} or not _COLON.match(ctx.text(colon)):
            continue
        found = _FOUND.match(ctx.text(cond))
        if found is None or found.group(1) != ctx.text(idx):
            continue
        if statement.child_by_field_name("alternative") is not None or any(
            c.type in {"else_clause", "elif_clause"} for c in statement.children
        ):
            continue
        yield Hit(find.start_byte, find.end_byte, detail="A header line without a colon is skipped here.")


_SPLIT_QUERY = """
(assignment left: (pattern_list . (identifier) @name)
  right: (call function: (attribute attribute: (identifier) @method)
               arguments: (argument_list . (string) @colon))) @split
"""
_STRIPS = frozenset({"strip", "rstrip", "lstrip"})
_NEAR_LINES = 5  # lines after the split where a strip of the name is the name's


def _scope(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type != "function_definition":
        parent = parent.parent
    return parent


def _check_stripped(ctx: FileContext) -> Iterator[Hit]:
    lowered = ctx.source.lower()
    if b"chunked" not in lowered or b"head" not in lowered:
        return
    for captures in STRIPPED.matches(ctx):
        name, method, colon, split = (captures[k][0] for k in ("name", "method", "colon", "split"))
        if ctx.text(method) not in {"split", "partition"} or not _COLON.match(ctx.text(colon)):
            continue
        scope = _scope(split)
        if scope is None:
            continue
        wanted = ctx.text(name)
        for sub in http_framing._walk(scope):
            if sub.start_byte < split.end_byte or sub.type != "call":
                continue
            if sub.start_point[0] - split.end_point[0] > _NEAR_LINES:
                break  # a name reused further down is another value
            function = sub.child_by_field_name("function")
            if function is None or function.type != "attribute":
                continue
            obj, attr = function.child_by_field_name("object"), function.child_by_field_name("attribute")
            if obj is None or attr is None or ctx.text(obj) != wanted or ctx.text(attr) not in _STRIPS:
                continue
            if sub.parent is not None and sub.parent.type == "comparison_operator":
                continue  # `if name != name.strip(): raise`: the check
            yield Hit(sub.start_byte, sub.end_byte, detail="The field name is stripped here.")
            break


STRIPPED = Check(
    "http-header-name-stripped",
    needs_tree=True,
    languages=frozenset({"python"}),
    run=_check_stripped,
    queries={"python": _SPLIT_QUERY},
)

SKIPPED = Check(
    "http-header-line-skipped",
    needs_tree=True,
    languages=frozenset({"python"}),
    run=_check_skipped,
    queries={"python": _IF_QUERY},
)

CHECK = Check(
    "http-bare-lf-split",
    needs_tree=True,
    languages=frozenset({"python"}),
    run=_check,
    queries={"python": _QUERY},
)
