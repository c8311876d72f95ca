"""`http-lax-length-parse` (CWE-444): a message length read with Python's `int()` in code that
frames HTTP messages itself.

Where a body ends is decided by `Content-Length` or by the chunk sizes of `Transfer-Encoding:
chunked`. RFC 9110/9112 allow only ASCII digits (hex digits for a chunk size), but `int()`
also takes a sign (`+5`, `-0`), surrounding whitespace, `_` between digits, non-ASCII digits
(`int("\\u0665") == 5`) and, in base 16, a `0x` prefix. A proxy in front that rejects or reads
such a value differently frames the stream differently from this parser, and the bytes one of
them takes as a body the other takes as the next request (request smuggling; aiohttp's and
waitress's parsers were fixed for exactly this). `str.isdigit`/`isdecimal` in front of the
call do not close it: on `str` they accept the non-ASCII digits too.

Which calls: in a module that handles chunked transfer coding (the word `chunked` is in it; an
application reading a length its server already framed has no such code), `int(V)` where `V`
is a header lookup keyed by Content-Length (`h.get("Content-Length")`, `h[CONTENT_LENGTH]`,
`environ["CONTENT_LENGTH"]`) or a name the function assigned from one, and `int(V, 16)` in a
function or class that speaks of chunks. Cleared by a regular expression match of the same
name before the call in the function (`DIGITS.fullmatch(v)`, `re.match(P, v)`), or an
`isascii()` test of it: the strict checks the fixes use.
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
(call function: (identifier) @fn (#eq? @fn "int") arguments: (argument_list) @args) @call
"""
_LENGTH_KEY = re.compile(r"content[-_ ]?length", re.IGNORECASE)
_CHUNK = re.compile(rb"chunk", re.IGNORECASE)
_SCOPES = frozenset({"function_definition", "class_definition"})
# a strict test of the same name: a regular expression match or an ASCII check
_STRICT_CALLS = frozenset({"fullmatch", "match", "isascii"})


def _arguments(node: Node) -> list[Node]:
    return [child for child in node.named_children if child.type != "comment"]


def _scope(node: Node) -> Node | None:
    """The innermost function around `node`, else its class, else None (module level)."""
    parent = node.parent
    while parent is not None and parent.type not in _SCOPES:
        parent = parent.parent
    return parent


def _is_length_lookup(ctx: FileContext, node: Node) -> bool:
    """`h.get(K, ...)`, `h.getone(K)`, `h[K]` with K naming Content-Length (a string or a
    constant such as `hdrs.CONTENT_LENGTH`)."""
    if node.type == "subscript":
        keys = node.children_by_field_name("subscript")
        return any(_LENGTH_KEY.search(ctx.text(key)) for key in keys)
    if node.type == "call":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or arguments is None or function.type != "attribute":
            return False
        method = function.child_by_field_name("attribute")
        if method is None or ctx.text(method) not in {"get", "getone", "getall", "get_all", "getheader"}:
            return False
        first = _arguments(arguments)[:1]
        return bool(first) and bool(_LENGTH_KEY.search(ctx.text(first[0])))
    return False


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _lookup_inside(ctx: FileContext, node: Node) -> bool:
    return any(_is_length_lookup(ctx, sub) for sub in _walk(node))


def _assigned_from_lookup(ctx: FileContext, scope: Node, name: str, before: int) -> bool:
    """`name = <expression with a Content-Length lookup>` in the scope, before the call."""
    for sub in _walk(scope):
        if sub.start_byte >= before:
            break
        if sub.type != "assignment":
            continue
        left, right = sub.child_by_field_name("left"), sub.child_by_field_name("right")
        if left is not None and right is not None and ctx.text(left) == name and _lookup_inside(ctx, right):
            return True
    return False


def _strictly_checked(ctx: FileContext, scope: Node, name: str, before: int) -> bool:
    """A regex match or `isascii()` of `name` in the scope before the call."""
    for sub in _walk(scope):
        if sub.start_byte >= before:
            break
        if sub.type != "call":
            continue
        function = sub.child_by_field_name("function")
        arguments = sub.child_by_field_name("arguments")
        if function is None or arguments is None or function.type != "attribute":
            continue
        method = function.child_by_field_name("attribute")
        if method is None or ctx.text(method) not in _STRICT_CALLS:
            continue
        receiver = function.child_by_field_name("object")
        names = [_base_name(ctx, arg) for arg in _arguments(arguments)]
        if ctx.text(method) == "isascii":
            if receiver is not None and ctx.text(receiver).startswith(name):
                return True
        elif name in names:
            return True
    return False


def _base_name(ctx: FileContext, node: Node) -> str | None:
    """The variable an argument reads: `v`, `v.strip()`, `v.strip(b" ")`, `bytes(v)` -> `v`."""
    while node.type == "call":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        inner: Node | None = None
        if function is not None and function.type == "attribute":
            inner = function.child_by_field_name("object")
        elif function is not None and function.type == "identifier" and arguments is not None:
            # a conversion of one value (`bytes(v)`, `str(v)`) reads that value
            values = _arguments(arguments)
            inner = values[0] if len(values) == 1 else None
        if inner is None:
            return None
        node = inner
    return ctx.text(node) if node.type in {"identifier", "attribute"} else None


def _speaks_of_chunks(ctx: FileContext, scope: Node) -> bool:
    """A name or string in the scope, or the name of a class or function around it, says
    `chunk` (comments do not count)."""
    outer = scope.parent
    while outer is not None:
        name = outer.child_by_field_name("name") if outer.type in _SCOPES else None
        if name is not None and _CHUNK.search(ctx.source[name.start_byte : name.end_byte]):
            return True
        outer = outer.parent
    return any(
        sub.type in {"identifier", "string"} and _CHUNK.search(ctx.source[sub.start_byte : sub.end_byte])
        for sub in _walk(scope)
    )


def _check(ctx: FileContext) -> Iterator[Hit]:
    if not _CHUNK.search(ctx.source) or b"chunked" not in ctx.source.lower():
        return
    for captures in CHECK.matches(ctx):
        call, args = captures["call"][0], captures["args"][0]
        values = _arguments(args)
        if not values or any(value.type == "keyword_argument" for value in values[:1]):
            continue
        value, scope = values[0], _scope(call)
        name = _base_name(ctx, value)
        if len(values) == 1:
            lax = _lookup_inside(ctx, value) or (
                name is not None and scope is not None and _assigned_from_lookup(ctx, scope, name, call.start_byte)
            )
            what = "a Content-Length value"
        elif len(values) == 2 and ctx.text(values[1]) == "16":
            lax = scope is not None and _speaks_of_chunks(ctx, scope)
            what = "a chunk size"
        else:
            continue
        if not lax:
            continue
        if name is not None and scope is not None and _strictly_checked(ctx, scope, name, call.start_byte):
            continue
        yield Hit(call.start_byte, call.end_byte, detail=f"`int()` parses {what} here.")


CHECK = Check(
    "http-lax-length-parse",
    needs_tree=True,
    languages=frozenset({"python"}),
    run=_check,
    queries={"python": _QUERY},
)
