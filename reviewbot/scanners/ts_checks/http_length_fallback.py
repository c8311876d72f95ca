"""`http-length-parse-fallback` (CWE-444): an unparsable message length taken as a default.

Code that frames HTTP messages itself parses Content-Length (or a chunk size) with `int()` in a
`try`, and the handler of its `ValueError` sets a fallback (`cl = 0`, `size = None`) or passes,
instead of refusing the message. RFC 9112 (section 6.3) requires an invalid Content-Length to
be answered with 400 and the connection closed: a proxy in front that reads `Content-Length:
1,5` or `+5` (or a folded, doubled header) another way frames the stream differently, and
what this parser takes as the next request was body to the proxy (request smuggling; waitress
was fixed for exactly this). A handler that raises, returns or calls anything (an error
response, a close) is not claimed: only one made of `pass` and assignments of constants.

Which `int()` calls are those of `http_framing` (`python.smuggling.lax-length-parse`): in a
module that handles chunked transfer coding, `int(V)` of a Content-Length lookup (or a name
assigned from one) and `int(V, 16)` in a function or class that speaks of chunks. The strict
digit check that clears that rule does not clear this one: a value that fails `int()` after
it could not get there, so such code has no fallback to report.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from reviewbot.scanners.ts_checks import http_framing
from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

_QUERY = """
(try_statement body: (block) @body) @try
"""
# what a handler of a failed int() catches: ValueError, or everything
_CATCHES = frozenset({"ValueError", "Exception", "BaseException"})
_CONSTANTS = frozenset({"integer", "float", "none", "true", "false", "string", "unary_operator"})


def _caught(ctx: FileContext, clause: Node) -> bool:
    """Whether `except ...:` catches the ValueError of `int()`: bare, ValueError, Exception,
    or a tuple holding one of them."""
    types = [c for c in clause.named_children if c.type not in {"block", "comment"}]
    if not types:
        return True
    names: list[str] = []
    for node in types:
        if node.type == "as_pattern" and node.named_children:
            node = node.named_children[0]
        parts = node.named_children if node.type in {"tuple", "parenthesized_expression"} else [node]
        names += [ctx.text(part).rsplit(".", 1)[-1] for part in parts]
    return any(name in _CATCHES for name in names)


def _fallback(clause: Node) -> Node | None:
    """The first statement of a handler made only of `pass` and assignments of constants
    (`cl = 0`, `self.size = None`), else None."""
    body = clause.child_by_field_name("body") or next((c for c in clause.children if c.type == "block"), None)
    if body is None:
        return None
    statements = [c for c in body.named_children if c.type != "comment"]
    if not statements:
        return None
    for statement in statements:
        if statement.type == "pass_statement":
            continue
        if statement.type != "expression_statement" or statement.named_child_count != 1:
            return None
        assignment = statement.named_children[0]
        if assignment.type != "assignment":
            return None
        right = assignment.child_by_field_name("right")
        if right is None or right.type not in _CONSTANTS:
            return None
    return statements[0]


def _length_parse(ctx: FileContext, call: Node) -> str | None:
    """What `call` parses, when it is an `int()` of a message length: else None."""
    function, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
    if function is None or args is None or function.type != "identifier" or ctx.text(function) != "int":
        return None
    values = http_framing._arguments(args)
    if not values or values[0].type == "keyword_argument":
        return None
    scope = http_framing._scope(call)
    if len(values) == 1:
        name = http_framing._base_name(ctx, values[0])
        if http_framing._lookup_inside(ctx, values[0]) or (
            name is not None
            and scope is not None
            and http_framing._assigned_from_lookup(ctx, scope, name, call.start_byte)
        ):
            return "a Content-Length value"
    elif len(values) == 2 and ctx.text(values[1]) == "16" and scope is not None:
        return "a chunk size" if http_framing._speaks_of_chunks(ctx, scope) else None
    return None


def _check(ctx: FileContext) -> Iterator[Hit]:
    if b"chunked" not in ctx.source.lower():
        return
    for captures in CHECK.matches(ctx):
        statement, body = captures["try"][0], captures["body"][0]
        what = next(
            (w for sub in http_framing._walk(body) if sub.type == "call" and (w := _length_parse(ctx, sub))),
            None,
        )
        if what is None:
            continue
        for clause in statement.named_children:
            if clause.type != "except_clause" or not _caught(ctx, clause):
                continue
            first = _fallback(clause)
            if first is not None:
                yield Hit(
                    first.start_byte,
                    first.end_byte,
                    detail=f"An `int()` of {what} that fails is taken as a default here.",
                )


CHECK = Check(
    "http-length-parse-fallback",
    needs_tree=True,
    languages=frozenset({"python"}),
    run=_check,
    queries={"python": _QUERY},
)
