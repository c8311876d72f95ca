"""Which local containers can be followed element by element: a dict, list or `ConfigParser`
created by one plain assignment in a function (`m = {}`, `opts = {"mode": "r", "path": p}`,
`lst = ["a", p]`, `conf = configparser.ConfigParser()`) whose every other use is a statement of
the creation's own block that writes it (`m["k"] = v`, `lst.append(v)`, `conf.set(s, o, v)`…)
or a read (`m["k"]`, `m.get("k")`, `conf.get(s, o)`).

A write under an `if` or a loop, or more than 256 uses, give no plan: the flow analysis joins
everything written into the container, as it does for any name. Any other use of a container
created here is an escape (`ESCAPED`): the name passed to a call, assigned, stored or returned
(an alias that may change it unseen), read in a nested function, lambda or generator (at
another time), a method not listed here, `del`, `+=`, `m["k"].append(v)`; a read of an escaped
container may then be anything (`unknown` at least). The plan is syntax only and cached per
file; keys and indexes are folded per use (see `elements`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewbot.lang.base import Budget
from reviewbot.lang.python.nodes import FUNCTION, dotted_text, named, node_text
from reviewbot.lang.python.scopes import resolve_alias

if TYPE_CHECKING:
    from tree_sitter import Node

    from reviewbot.lang.python.scopes import Scope

CONFIG_CLASSES = frozenset({"configparser.ConfigParser", "configparser.RawConfigParser"})
WRITES = {
    "dict": frozenset({"pop", "clear", "setdefault"}),
    "list": frozenset({"append", "insert", "pop", "extend", "clear", "reverse"}),
    "config": frozenset({"add_section", "set", "remove_option"}),
}
_READS = {"dict": frozenset({"get"}), "list": frozenset(), "config": frozenset({"get"})}
_LATER = frozenset({FUNCTION, "lambda", "class_definition", "generator_expression"})
_MAX_USES = 256
ESCAPED = "escaped"
_IMPORTS = frozenset({"import_statement", "import_from_statement"})


@dataclass(frozen=True)
class Plan:
    """A followable container: its kind, creation, and the writes in its block, in order."""

    kind: str  # dict | list | config
    creation: Node  # the expression_statement `name = <container>`
    value: Node  # the created container's expression
    block: Node  # the block both the creation and every write are statements of
    writes: tuple[Node, ...]  # expression_statements: `name[k] = v` or `name.method(...)`


# One file's plans, by (function id, name): the answers of `plan_for` that were complete.
Plans = dict[tuple[int, str], Plan | str | None]


def container_kind(value: Node, qualified: str | None) -> str | None:
    """dict / list / config for a container expression the plan can follow from its start."""
    if value.type == "dictionary":
        return "dict"
    if value.type == "list":
        return "list"
    if value.type == "call" and qualified is not None:
        args = value.child_by_field_name("arguments")
        if args is None or named(args):
            return None
        if qualified == "dict":
            return "dict"
        if qualified == "list":
            return "list"
        if qualified in CONFIG_CLASSES:
            return "config"
    return None


def _statement_of(node: Node, levels: int) -> Node | None:
    """The expression_statement `levels` parents up, when `node` is that statement's whole
    expression (not `a = (x[k] = v)`-like nesting)."""
    cur = node
    for _ in range(levels):
        parent = cur.parent
        if parent is None:
            return None
        cur = parent
    if cur.type != "expression_statement" or len(named(cur)) != 1:
        return None
    return cur


def _use_kind(ident: Node, kind: str, source: bytes) -> tuple[str, Node | None]:
    """("write", statement), ("read", None), ("skip", None) for a non-reference, or ("other", None)."""
    parent = ident.parent
    if parent is None:
        return "other", None
    pt = parent.type
    if pt == "attribute":
        if parent.child_by_field_name("attribute") == ident:
            return "skip", None  # `obj.name`: not our variable
        call = parent.parent
        attr = parent.child_by_field_name("attribute")
        if call is None or call.type != "call" or call.child_by_field_name("function") != parent or attr is None:
            return "other", None
        method = node_text(attr, source)
        if method in WRITES[kind]:
            stmt = _statement_of(call, 1)
            return ("write", stmt) if stmt is not None else ("other", None)
        return ("read", None) if method in _READS[kind] else ("other", None)
    if pt == "keyword_argument" and parent.child_by_field_name("name") == ident:
        return "skip", None
    if pt == "subscript" and parent.child_by_field_name("value") == ident:
        if kind == "config":
            return "other", None  # `conf["s"]` is a live view of the section: an alias
        outer = parent.parent
        if outer is not None and outer.type == "assignment" and outer.child_by_field_name("left") == parent:
            right = outer.child_by_field_name("right")
            stmt = _statement_of(outer, 1)
            if stmt is None or right is None or right.type == "assignment":
                return "other", None
            return "write", stmt
        if outer is not None and outer.type in ("attribute", "subscript", "augmented_assignment", "delete_statement"):
            return "other", None  # `m["k"].append(v)`, `m["k"]["j"] = v`, `m["k"] += v`: the element changes
        if outer is not None and outer.type in ("pattern_list", "tuple_pattern", "list_pattern", "for_statement"):
            return "other", None
        return "read", None
    return "other", None


def plan_for(scope: Scope, name: str, source: bytes, budget: Budget) -> tuple[Plan | str | None, bool]:
    """The plan for the local `name` of `scope` (or `ESCAPED`, or None), and whether the answer
    is complete (cacheable)."""
    if scope.node.type != FUNCTION or name in scope.params or name in scope.nonlocal_names:
        return None, True
    bindings = scope.bindings.get(name, [])
    assigns = [b for b in bindings if b.kind == "assign"]
    if len(assigns) != 1 or any(b.kind not in ("assign", "mutate") for b in bindings):
        return None, True
    creation = assigns[0]
    assignment, value = creation.stmt, creation.value
    left = assignment.child_by_field_name("left")
    stmt = _statement_of(assignment, 1)
    if (
        value is None
        or left is None
        or left.type != "identifier"
        or node_text(left, source) != name
        or assignment.child_by_field_name("right") != value  # `a = m = {}`: an alias from the start
        or stmt is None
        or stmt.parent is None
    ):
        return None, True
    callee = dotted_text(value.child_by_field_name("function"), source) if value.type == "call" else None
    qualified = None
    head = callee.partition(".")[0] if callee is not None else ""
    if callee is not None and all(b.stmt.type in _IMPORTS for b in scope.bindings.get(head, [])):
        qualified = resolve_alias(callee, scope.aliases)  # `dict = {}` shadows the builtin
    kind = container_kind(value, qualified)
    if kind is None:
        return None, True
    block = stmt.parent
    writes: list[Node] = []
    target = name.encode()
    stack: list[tuple[Node, bool]] = [(scope.node, False)]
    uses = 0
    while stack:
        if not budget.spend():
            return None, False
        node, later = stack.pop()
        if node.type == "identifier":
            if source[node.start_byte : node.end_byte] != target or node == left:
                continue
            use, where = _use_kind(node, kind, source)
            if use == "skip":
                continue
            uses += 1
            if later or use == "other":
                return ESCAPED, True
            if uses > _MAX_USES:
                return None, True
            if use == "write":
                if where is None or where.parent != block or where.start_byte < stmt.end_byte:
                    return None, True
                writes.append(where)
            continue
        nested = later or (node.type in _LATER and node != scope.node)
        stack.extend((c, nested) for c in reversed(node.children) if c.is_named)
    writes.sort(key=lambda w: w.start_byte)
    return Plan(kind, stmt, value, block, tuple(dict.fromkeys(writes))), True
