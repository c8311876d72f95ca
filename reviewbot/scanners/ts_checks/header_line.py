"""`header-line-formatted` (CWE-93, CWE-113): a header line (`Name: value\\r\\n`) serialized by
formatting a value into it, in a function that never looks for line breaks.

Code that writes HTTP (or MIME, SMTP) headers itself, `"%s: %s\\r\\n" % (name, value)`,
`f"{name}: {value}\\r\\n"`, `"{}: {}\\r\\n".format(k, v)`, `k + ": " + v + "\\r\\n"`, sends the
value's bytes as they are: a `\\r\\n` in it ends the header, and the rest is a header (or a body,
or a second request) of whoever chose the value. Cleared by a look for line breaks anywhere in
the same function (`"\\n" in v`, `.replace("\\r", ...)`, `[\\r\\n]` in a pattern, `splitlines`,
a regular expression search of the value: `BAD.search(v)`), or a call named for the check
(`_is_illegal_header_value`, `validate_header`, `sanitize`): where the value is cleaned is often
a line above, and cleaning is what the rule asks for. A value through a helper named for
cleaning (`_safe_header(v)`, `quote(v)`), a constant (`"%s: %s\\r\\n" % (NAME, VALUE)`) or a
number (`%d`, `len(...)`, `int(...)`) is not claimed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

_QUERY = "(string) @string"
_PLACEHOLDER = r"(?:%s|%r|\{[^{}:!]*(?:![rs])?\})"
# `Name: ...<value>...\r\n`: a placeholder in the value, the name a token or a placeholder
_IN_LINE = r"(?:(?!\\r|\\n).)*?"  # characters of the same line, as written (escapes unread)
_LINE = re.compile(rf"(?:{_PLACEHOLDER}|\b[A-Za-z][A-Za-z0-9-]*): ?{_IN_LINE}{_PLACEHOLDER}{_IN_LINE}\\r\\n")
_CRLF_ONLY = re.compile(r"""^[bB]?["']\\r\\n["']$""")
_NAME_COLON = re.compile(r""":\s?["']$""")
_CHECKED = re.compile(
    r"""["']\\[rn]["']\s*(?:not\s+)?in\b|\.replace\(\s*[bB]?["']\\[rn]|\[\\[rn]|\\[rn]\]|splitlines"""
    r"""|(?i:illegal|valid|saniti[sz]|check_header|header_value_re)"""
)
_CONSTANT = re.compile(r"^(?:[A-Z_][A-Z0-9_]*|\d+|[bBrRuU]*[\"'].*)$", re.DOTALL)
_NUMERIC = re.compile(r"^(?:len|int|hex|str\(len)\(")
# a value passed through a cleaning helper (`_safe_header(v)`, `quote(v)`)
_CLEANED = re.compile(r"^[\w.]*(?i:safe|escape|quote|saniti[sz]|clean|valid)[\w.]*\(")
_SCOPES = frozenset({"function_definition"})


def _scope(node: Node) -> Node:
    parent = node.parent
    while parent is not None and parent.type not in _SCOPES:
        parent = parent.parent
    if parent is not None:
        return parent
    root = node
    while root.parent is not None:
        root = root.parent
    return root


def _values(ctx: FileContext, node: Node) -> list[Node]:
    """The values formatted into the literal `node`, or [] when it is not formatted."""
    parent = node.parent
    if parent is None:
        return []
    if any(c.type == "interpolation" for c in node.named_children):
        return [e for c in node.named_children if c.type == "interpolation" for e in c.named_children[:1]]
    if parent.type == "binary_operator" and parent.child_by_field_name("left") == node:
        op, right = parent.child_by_field_name("operator"), parent.child_by_field_name("right")
        if op is not None and op.type == "%" and right is not None:
            return list(right.named_children) if right.type == "tuple" else [right]
    if parent.type == "attribute" and ctx.text(parent).endswith(".format"):
        call = parent.parent
        args = call.child_by_field_name("arguments") if call is not None and call.type == "call" else None
        if args is not None:
            return [
                (a.child_by_field_name("value") or a) if a.type == "keyword_argument" else a
                for a in args.named_children
            ]
    return []


def _concatenated_value(ctx: FileContext, node: Node) -> Node | None:
    """`name + ": " + value + "\\r\\n"`: the value, when `node` is that `"\\r\\n"`."""
    parent = node.parent
    if not _CRLF_ONLY.match(ctx.text(node)) or parent is None or parent.type != "binary_operator":
        return None
    left = parent.child_by_field_name("left")
    if parent.child_by_field_name("right") != node or left is None or left.type != "binary_operator":
        return None
    value, head = left.child_by_field_name("right"), left.child_by_field_name("left")
    if value is None or head is None or value.type == "string":
        return None
    colon = head.child_by_field_name("right") if head.type == "binary_operator" else head
    if colon is None or colon.type != "string" or not _NAME_COLON.search(ctx.text(colon)):
        return None
    return value


def _variable(ctx: FileContext, value: Node) -> bool:
    text = ctx.text(value).strip()
    return not _CONSTANT.match(text) and not _NUMERIC.match(text) and not _CLEANED.match(text)


def _matched(value: str, scope: str) -> bool:
    """A regular expression search of the value in the function (`BAD.search(value)`)."""
    return re.search(rf"\.(?:search|match|fullmatch)\(\s*{re.escape(value)}\s*[,)]", scope) is not None


def _check(ctx: FileContext) -> Iterator[Hit]:
    if b"\\r\\n" not in ctx.source:
        return
    for captures in CHECK.matches(ctx):
        node = captures["string"][0]
        text = ctx.text(node)
        if "\\r\\n" not in text:
            continue
        if _LINE.search(text):
            values = [v for v in _values(ctx, node) if _variable(ctx, v)]
        else:
            value = _concatenated_value(ctx, node)
            values = [value] if value is not None and _variable(ctx, value) else []
        scope = ctx.text(_scope(node))
        if not values or _CHECKED.search(scope) or any(_matched(ctx.text(v), scope) for v in values):
            continue
        detail = f"`{ctx.text(values[-1])}` is written into a header line here."
        yield Hit(node.start_byte, node.end_byte, detail=detail)


CHECK = Check(
    "header-line-formatted",
    needs_tree=True,
    languages=frozenset({"python"}),
    run=_check,
    queries={"python": _QUERY},
)
