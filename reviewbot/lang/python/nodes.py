"""What Python code looks like to tree-sitter-python 0.25: the node types the analysis treats
alike, the bounds on its walks, and small readers of nodes (text, dotted names, the names an
assignment target binds).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

FUNCTION = "function_definition"
CLASS = "class_definition"
BLOCKS = frozenset({"block", "module"})
LITERALS = frozenset({"integer", "float", "true", "false", "none", "ellipsis"})
CONTAINERS = frozenset({"list", "tuple", "set", "dictionary", "expression_list", "pair"})
COMPREHENSIONS = frozenset(
    {"list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"}
)
PASSTHROUGH = frozenset(
    {
        "parenthesized_expression",
        "binary_operator",
        "boolean_operator",
        "comparison_operator",
        "not_operator",
        "unary_operator",
        "conditional_expression",
        "await",
        "slice",
        "list_splat",
        "dictionary_splat",
        "format_expression",
    }
)
TERMINATORS = {
    "return_statement": "return",
    "raise_statement": "raise",
    "continue_statement": "continue",
    "break_statement": "break",
}
LOOPS = frozenset({"for_statement", "while_statement"})
# Where top-level imports hide: `try: import x except ImportError: ...`, `if TYPE_CHECKING: ...`.
IMPORT_HOLDERS = frozenset(
    {"if_statement", "try_statement", "else_clause", "elif_clause", "except_clause", "finally_clause", "block"}
)

# Bounds on the walks.
MAX_DEPTH = 40  # recursion depth of one evaluation
_MAX_TEXT = 256
MAX_TOP_LEVEL = 20_000  # top-level statements searched for imports


def node_text(node: Node, source: bytes, limit: int = _MAX_TEXT) -> str:
    """A node's text, decoded leniently and cut at `limit` bytes (names and labels; not for folding
    strings)."""
    end = min(node.end_byte, node.start_byte + limit)
    return source[node.start_byte : end].decode("utf-8", "replace")


def dotted_text(node: Node | None, source: bytes) -> str | None:
    """`a.b.c` for an identifier/attribute chain, else None."""
    parts: list[str] = []
    depth = 0
    while node is not None and depth < 32:
        depth += 1
        if node.type == "identifier":
            parts.append(node_text(node, source))
            return ".".join(reversed(parts))
        if node.type != "attribute":
            return None
        attr = node.child_by_field_name("attribute")
        if attr is None:
            return None
        parts.append(node_text(attr, source))
        node = node.child_by_field_name("object")
    return None


def named(node: Node) -> list[Node]:
    return [c for c in node.named_children if c.type != "comment"]


def base_name(node: Node) -> Node | None:
    """The identifier at the root of `x`, `x.a`, `x[k]`, `x.a[k].b`."""
    depth = 0
    while depth < 32:
        depth += 1
        if node.type == "identifier":
            return node
        if node.type == "attribute":
            nxt = node.child_by_field_name("object")
        elif node.type == "subscript":
            nxt = node.child_by_field_name("value")
        else:
            return None
        if nxt is None:
            return None
        node = nxt
    return None


def target_names(node: Node) -> Iterator[Node]:
    """Identifiers bound by an assignment target (`x`, `a, b`, `[a, *b]`, `(a, b)`)."""
    stack = [node]
    seen = 0
    while stack and seen < 256:
        seen += 1
        n = stack.pop()
        if n.type == "identifier":
            yield n
        elif n.type in {"pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "list_splat_pattern"}:
            stack.extend(reversed(named(n)))
        elif n.type == "parenthesized_expression" or n.type == "as_pattern_target":
            stack.extend(named(n))


def encloses(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def last_statement(block: Node | None) -> Node | None:
    if block is None:
        return None
    kids = named(block)
    return kids[-1] if kids else None


def operands(node: Node) -> tuple[Node, Node, Node] | None:
    """(left, operator, right) of a binary or boolean operator; None when one is missing."""
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    op = node.child_by_field_name("operator")
    if left is None or right is None or op is None:
        return None
    return left, op, right


def earlier_conditions(clause: Node) -> Iterator[tuple[str, Node, Node]]:
    """For an elif/else clause: ("if" or "elif", that statement or clause, its condition) for
    each branch before it, in order."""
    owner = clause.parent
    if owner is None:
        return
    cond = owner.child_by_field_name("condition")
    if cond is not None:
        yield "if", owner, cond
    for sib in named(owner):
        if sib == clause:
            break
        if sib.type == "elif_clause":
            c = sib.child_by_field_name("condition")
            if c is not None:
                yield "elif", sib, c


_TARGET_HOLDERS = frozenset(
    {"pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "parenthesized_expression"}
    | {"list_splat_pattern", "as_pattern_target", "dotted_name", "aliased_import", "expression_list"}
)
_BINDERS = {
    "assignment": "left",
    "augmented_assignment": "left",
    "for_statement": "left",
    "for_in_clause": "left",
    "named_expression": "name",
}


def binds(ident: Node) -> bool:
    """Whether `ident` is where its name is bound (a target, an import, `global`, `del`)."""
    child, cur = ident, ident.parent
    steps = 0
    while cur is not None and cur.type in _TARGET_HOLDERS and steps < 16:
        child, cur, steps = cur, cur.parent, steps + 1
    if cur is None:
        return False
    if cur.type in ("import_statement", "import_from_statement", "global_statement", "nonlocal_statement"):
        return True
    if cur.type in ("delete_statement", "as_pattern"):
        return True
    field = _BINDERS.get(cur.type)
    return field is not None and cur.child_by_field_name(field) == child


def times_defined(block: Node, name: str, source: bytes) -> int:
    """How many times `name` is defined or assigned directly in a class body (1: only the def)."""
    count = 0
    for stmt in named(block):
        inner = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
        if inner is not None and inner.type in (FUNCTION, CLASS):
            n = inner.child_by_field_name("name")
            count += n is not None and node_text(n, source) == name
        elif stmt.type == "expression_statement":
            for expr in named(stmt):
                left = expr.child_by_field_name("left") if expr.type == "assignment" else None
                if left is not None and left.type == "identifier" and node_text(left, source) == name:
                    count += 1
    return count
