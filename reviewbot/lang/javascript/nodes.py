"""What JavaScript, TypeScript and TSX look like to their tree-sitter grammars: the node types the
analysis treats alike, the bounds on its walks, and small readers of nodes (text, dotted names,
the names a declaration pattern binds).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

FUNCTIONS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "function",  # older grammars' name for a function expression
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)
CLASSES = frozenset({"class_declaration", "abstract_class_declaration", "class"})
CALLS = frozenset({"call_expression", "new_expression"})
STRINGS = frozenset({"string", "template_string"})
LITERALS = frozenset({"number", "true", "false", "null", "undefined", "regex", "string"})
BLOCKS = frozenset({"statement_block", "program", "switch_case", "switch_default"})
LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})
TERMINATORS = {
    "return_statement": "return",
    "throw_statement": "throw",
    "continue_statement": "continue",
    "break_statement": "break",
}
# Expressions whose value is made of their operands' values.
PASSTHROUGH = frozenset(
    {
        "binary_expression",
        "unary_expression",
        "parenthesized_expression",
        "await_expression",
        "sequence_expression",
        "spread_element",
        "update_expression",
    }
)
# TypeScript wrappers that only change the static type: the value is their expression's.
TYPE_WRAPPERS = frozenset({"as_expression", "satisfies_expression", "non_null_expression", "type_assertion"})
CONTAINERS = frozenset({"object", "array"})
COMMENTS = frozenset({"comment", "html_comment"})

MAX_DEPTH = 40  # recursion depth of one evaluation
MAX_TOP_LEVEL = 20_000  # top-level statements searched for imports
_MAX_TEXT = 256


def node_text(node: Node, source: bytes, limit: int = _MAX_TEXT) -> str:
    """A node's text, decoded leniently and cut at `limit` bytes."""
    end = min(node.end_byte, node.start_byte + limit)
    return source[node.start_byte : end].decode("utf-8", "replace")


def named(node: Node) -> list[Node]:
    return [c for c in node.named_children if c.type not in COMMENTS]


def unwrap(node: Node) -> Node:
    """`x` for `(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`."""
    for _ in range(32):
        if node.type == "parenthesized_expression" or node.type in TYPE_WRAPPERS:
            kids = named(node)
            if not kids:
                return node
            node = kids[-1] if node.type == "type_assertion" else kids[0]
        else:
            return node
    return node


def require_source(node: Node | None, source: bytes) -> str | None:
    """The module of `require("m")` (`node:` prefix dropped), else None."""
    if node is None or node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if fn is None or args is None or fn.type != "identifier" or node_text(fn, source) != "require":
        return None
    kids = named(args)
    if len(kids) != 1 or kids[0].type != "string":
        return None
    return module_name(kids[0], source)


def module_name(string: Node, source: bytes) -> str:
    return node_text(string, source)[1:-1].removeprefix("node:")


def dotted_text(node: Node | None, source: bytes) -> str | None:
    """`a.b.c` for an identifier/`this`/member chain (`a?.b` too), `m.f` for `require("m").f`,
    else None."""
    parts: list[str] = []
    depth = 0
    while node is not None and depth < 32:
        depth += 1
        t = node.type
        if t in ("identifier", "this", "super", "shorthand_property_identifier"):
            parts.append(node_text(node, source))
            return ".".join(reversed(parts))
        if t in TYPE_WRAPPERS or t == "parenthesized_expression":
            node = unwrap(node)
            continue
        if t == "call_expression":
            module = require_source(node, source)
            if module is None:
                return None
            parts.append(f'require("{module}")')
            return ".".join(reversed(parts))
        if t != "member_expression":
            return None
        prop = node.child_by_field_name("property")
        if prop is None:
            return None
        parts.append(node_text(prop, source))
        node = node.child_by_field_name("object")
    return None


def base_name(node: Node) -> Node | None:
    """The identifier at the root of `x`, `x.a`, `x[k]`, `x.a[k].b`."""
    for _ in range(32):
        node = unwrap(node)
        if node.type == "identifier":
            return node
        if node.type in ("member_expression", "subscript_expression"):
            nxt = node.child_by_field_name("object")
        else:
            return None
        if nxt is None:
            return None
        node = nxt
    return None


def pattern_names(pattern: Node) -> Iterator[tuple[Node, str | None, Node | None]]:
    """(identifier, property key or None, default value or None) for each name a binding pattern
    binds: `x`, `{ a, b: c, d = 1, ...r }`, `[a, , b]`; keys only one level deep."""
    stack: list[tuple[Node, str | None, Node | None]] = [(pattern, None, None)]
    seen = 0
    while stack and seen < 256:
        seen += 1
        n, key, default = stack.pop()
        t = n.type
        if t in ("identifier", "shorthand_property_identifier_pattern"):
            yield n, key, default
        elif t == "object_pattern":
            for c in reversed(named(n)):
                if c.type == "shorthand_property_identifier_pattern":
                    stack.append((c, c.text.decode("utf-8", "replace") if c.text else None, None))
                elif c.type == "pair_pattern":
                    k, v = c.child_by_field_name("key"), c.child_by_field_name("value")
                    if v is not None:
                        name = k.text.decode("utf-8", "replace") if k is not None and k.text else None
                        stack.append((v, name if k is not None and k.type == "property_identifier" else None, None))
                elif c.type == "object_assignment_pattern":
                    left, right = c.child_by_field_name("left"), c.child_by_field_name("right")
                    if left is not None:
                        key_text = left.text.decode("utf-8", "replace") if left.text else None
                        shorthand = left.type == "shorthand_property_identifier_pattern"
                        stack.append((left, key_text if shorthand else None, right))
                elif c.type == "rest_pattern":
                    stack.extend((x, None, None) for x in named(c))
        elif t == "array_pattern":
            stack.extend((c, None, None) for c in reversed(named(n)))
        elif t in ("rest_pattern", "required_parameter", "optional_parameter"):
            inner = n.child_by_field_name("pattern")
            kids = [inner] if inner is not None else named(n)[:1]
            stack.extend((c, key, default) for c in kids)
        elif t == "assignment_pattern":
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            if left is not None:
                stack.append((left, key, right))


def encloses(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def last_statement(node: Node | None) -> Node | None:
    """The last statement of a block, or the statement itself (`if (x) return;`)."""
    if node is None:
        return None
    if node.type != "statement_block":
        return node
    kids = named(node)
    return kids[-1] if kids else None
