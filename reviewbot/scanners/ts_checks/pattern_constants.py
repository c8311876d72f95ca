"""Module constants that spell a regular expression in pieces: `FIELD = "[" + VCHAR + "]"`,
`re.compile(tobytes("^" + FIELD + "$"))`. The ReDoS check (redos.py) reads a pattern through
these, so a pattern assembled at module level is judged like a literal one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

FOLD_DEPTH = 64  # nodes deep a folded pattern may be (cycles and huge expressions end here)
FOLD_STEPS = 2000  # nodes one fold may visit in all
MAX_FOLDED_CHARS = 5000  # as redos.MAX_PATTERN_CHARS: longer values are data, not patterns
Literal = Callable[["Node", bytes], "str | bytes | None"]


def _text(node: Node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def folded(node: Node, source: bytes, constants: dict[str, Node], literal: Literal) -> str | bytes | None:
    """The value of a pattern spelled as a literal, or built at module level from literals and
    other module constants with `+` (`FIELD = "[" + VCHAR + "]"`) or `%s` formatting
    (`"^(%s|%s)$" % (HOST, IPV4)`), through a one-argument conversion (`tobytes(...)`,
    `x.encode()`): None for anything else."""
    return _fold(node, source, constants, literal, FOLD_DEPTH, [FOLD_STEPS])


def _fold(
    node: Node, source: bytes, constants: dict[str, Node], literal: Literal, depth: int, steps: list[int]
) -> str | bytes | None:
    # `steps` is shared by the whole fold: `B = A + A; C = B + B; ...` doubles the work per line
    steps[0] -= 1
    if depth <= 0 or steps[0] < 0:
        return None
    if node.type in ("string", "concatenated_string"):
        return literal(node, source)
    if node.type == "identifier":
        target = constants.get(_text(node, source))
        return None if target is None else _fold(target, source, constants, literal, depth - 1, steps)
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return _fold(node.named_children[0], source, constants, literal, depth - 1, steps)
    if node.type == "binary_operator":
        left, right, op = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
            node.child_by_field_name("operator"),
        )
        if left is None or right is None or op is None or op.type not in ("+", "%"):
            return None
        if op.type == "%":
            return _fold_percent(left, right, source, constants, literal, depth, steps)
        a, b = (
            _fold(left, source, constants, literal, depth - 1, steps),
            _fold(right, source, constants, literal, depth - 1, steps),
        )
        if isinstance(a, str) and isinstance(b, str):
            value: str | bytes = a + b
        elif isinstance(a, bytes) and isinstance(b, bytes):
            value = a + b
        else:
            return None
        return value if len(value) <= MAX_FOLDED_CHARS else None
    if node.type == "call":
        function, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if function is None or arguments is None:
            return None
        values = [c for c in arguments.named_children if c.type != "comment"]
        if function.type == "identifier" and len(values) == 1 and values[0].type != "keyword_argument":
            return _fold(values[0], source, constants, literal, depth - 1, steps)
        obj = function.child_by_field_name("object") if function.type == "attribute" else None
        attr = function.child_by_field_name("attribute") if function.type == "attribute" else None
        if obj is not None and attr is not None and _text(attr, source) == "encode":
            return _fold(obj, source, constants, literal, depth - 1, steps)
    return None


_PERCENT_S = re.compile(r"%[^s%]")  # a conversion other than `%s` (or `%%`)


def _fold_percent(
    left: Node, right: Node, source: bytes, constants: dict[str, Node], literal: Literal, depth: int, steps: list[int]
) -> str | bytes | None:
    """`"^(%s|%s)$" % (A, B)`: a template of `%s` only, filled with folded constants."""
    template = _fold(left, source, constants, literal, depth - 1, steps)
    if template is None:
        return None
    parts = list(right.named_children) if right.type == "tuple" else [right]
    values = [_fold(part, source, constants, literal, depth - 1, steps) for part in parts]
    if not all(isinstance(v, type(template)) for v in values):
        return None
    text = template.decode("latin-1") if isinstance(template, bytes) else template
    if _PERCENT_S.search(text.replace("%%", "")):
        return None
    try:
        value = template % tuple(values)
    except (TypeError, ValueError):
        return None
    return value if len(value) <= MAX_FOLDED_CHARS else None
