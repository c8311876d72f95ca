"""The per-function index the flow analysis reads: every place a local name is bound
(assignments, augmented assignments, `for`/comprehension targets, `with ... as`, walrus, imports,
nested defs, `except ... as`, `match` captures, container mutations like `x.append(v)` /
`x[k] = v`), the function's parameters and loops, and the import aliases in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from reviewbot.lang.base import Budget
from reviewbot.lang.python.functions import function_facts, is_method, is_route_parameter, parameter_parts
from reviewbot.lang.python.known import MUTATORS
from reviewbot.lang.python.nodes import (
    CLASS,
    FUNCTION,
    IMPORT_HOLDERS,
    MAX_TOP_LEVEL,
    base_name,
    named,
    node_text,
    target_names,
)

if TYPE_CHECKING:
    from tree_sitter import Node


@dataclass
class Binding:
    """One place a name is bound, and the value it gets there (None: unknown)."""

    kind: str  # assign | augment | iter | with | walrus | mutate | unknown
    name: str
    stmt: Node  # the node whose end is where the binding takes effect
    value: Node | None
    region: Node | None = None  # a comprehension: its target reaches every use inside it

    @property
    def start(self) -> int:
        return self.stmt.start_byte

    @property
    def end(self) -> int:
        return self.stmt.end_byte


@dataclass
class Scope:
    """What one function (or the module) binds, its parameters, loops and import aliases."""

    node: Node
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)  # name -> parameter | route | self
    nonlocal_names: set[str] = field(default_factory=set)
    loops: list[Node] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    complete: bool = True

    def bind(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)


class ScopeIndex:
    """The scopes of one parsed file, indexed on first use and cached while complete."""

    def __init__(self, source: bytes, root: Node) -> None:
        self.source = source
        self.root = root
        self._scopes: dict[int, Scope] = {}
        self._aliases: dict[str, str] | None = None

    @cached_property
    def mounts_routes(self) -> bool:
        """Whether the module adds URL rules or mounts blueprints with a prefix itself: then a
        handler may answer more paths than its decorators name."""
        return b"add_url_rule" in self.source or b"url_prefix" in self.source

    def _module_aliases(self) -> dict[str, str]:
        """Import aliases of the module's top level (and of top-level `if`/`try` blocks)."""
        if self._aliases is None:
            scope = Scope(self.root)
            todo = [self.root]
            seen = 0
            while todo and seen < MAX_TOP_LEVEL:
                for stmt in todo.pop().named_children:
                    seen += 1
                    if seen >= MAX_TOP_LEVEL:
                        break
                    if stmt.type in ("import_statement", "import_from_statement"):
                        self._index_import(scope, stmt)
                    elif stmt.type in IMPORT_HOLDERS:
                        todo.append(stmt)
            self._aliases = scope.aliases
        return self._aliases

    def scope_node(self, node: Node) -> Node:
        cur: Node | None = node.parent
        depth = 0
        while cur is not None and depth < 10_000:
            depth += 1
            if cur.type == FUNCTION:
                return cur
            cur = cur.parent
        return self.root

    def scope_of(self, node: Node, budget: Budget) -> Scope:
        """The scope `node` is in: its function's, or the module's."""
        return self.scope(self.scope_node(node), budget)

    def scope(self, scope_node: Node, budget: Budget) -> Scope:
        key = scope_node.id
        cached = self._scopes.get(key)
        if cached is not None and cached.complete:
            return cached
        scope = Scope(scope_node)
        if scope_node is not self.root and scope_node.type == FUNCTION:
            self._index_parameters(scope, scope_node)
        if scope_node.type == FUNCTION:
            body = scope_node.child_by_field_name("body")
            start = [] if body is None else named(body)
        else:
            start = named(scope_node)
        self._index(scope, start, budget)
        if scope_node.type == FUNCTION:  # module-level imports apply inside functions too
            scope.aliases = {**self._module_aliases(), **scope.aliases}
        if scope.complete:
            self._scopes[key] = scope
        return scope

    def _index_parameters(self, scope: Scope, function: Node) -> None:
        facts = function_facts(function, self.source)
        params = function.child_by_field_name("parameters")
        method = is_method(function, self.source)
        first = True
        for p in named(params) if params is not None else []:
            name_node, annotation, default = parameter_parts(p)
            if name_node is None:
                continue
            name = node_text(name_node, self.source)
            if first and method:
                scope.params[name] = "self"
            elif facts.is_request_handler and is_route_parameter(annotation, default, self.source):
                scope.params[name] = "route"
            else:
                scope.params[name] = "parameter"
            first = False

    def _index(self, scope: Scope, start: list[Node], budget: Budget) -> None:
        src = self.source
        # (node, its parent's type): asking a node for its parent costs a walk from the root
        stack: list[tuple[Node, Node | None]] = [(n, None) for n in reversed(start)]
        while stack:
            if not budget.spend():
                scope.complete = False
                return
            n, parent = stack.pop()
            t = n.type
            if t in (FUNCTION, CLASS):
                name = n.child_by_field_name("name")
                if name is not None:
                    scope.bind(Binding("unknown", node_text(name, src), n, None))
                continue  # a nested scope; its body is not ours
            if t == "lambda":
                params = n.child_by_field_name("parameters")
                for p in named(params) if params is not None else []:
                    name_node, _, _ = parameter_parts(p)
                    if name_node is not None:
                        scope.bind(Binding("unknown", node_text(name_node, src), n, None))
                continue
            if t == "assignment":
                self._index_assignment(scope, n)
            elif t == "augmented_assignment":
                left = n.child_by_field_name("left")
                if left is not None:
                    base = base_name(left)
                    if base is not None:
                        kind = "augment" if left.type == "identifier" else "mutate"
                        value = n if kind == "augment" else n.child_by_field_name("right")
                        scope.bind(Binding(kind, node_text(base, src), n, value))
            elif t == "named_expression":
                name = n.child_by_field_name("name")
                if name is not None:
                    scope.bind(Binding("walrus", node_text(name, src), n, n.child_by_field_name("value")))
            elif t in ("for_statement", "for_in_clause"):
                left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
                region = parent if t == "for_in_clause" else None
                if left is not None:
                    for ident in target_names(left):
                        scope.bind(Binding("iter", node_text(ident, src), left, right, region=region))
                if t == "for_statement":
                    scope.loops.append(n)
            elif t == "while_statement":
                scope.loops.append(n)
            elif t == "with_item":
                value = n.child_by_field_name("value")
                if value is not None and value.type == "as_pattern":
                    kids = named(value)
                    alias = value.child_by_field_name("alias")
                    if kids and alias is not None:
                        for ident in target_names(alias):
                            scope.bind(Binding("with", node_text(ident, src), n, kids[0]))
            elif t == "except_clause":
                for c in named(n):
                    if c.type == "as_pattern":
                        alias = c.child_by_field_name("alias")
                        for ident in target_names(alias) if alias is not None else []:
                            scope.bind(Binding("unknown", node_text(ident, src), n, None))
            elif t in ("import_statement", "import_from_statement"):
                self._index_import(scope, n)
                continue
            elif t in ("global_statement", "nonlocal_statement"):
                scope.nonlocal_names.update(node_text(c, src) for c in named(n) if c.type == "identifier")
                continue
            elif t == "case_pattern":
                stack_ids = [n]
                while stack_ids and budget.spend():
                    c = stack_ids.pop()
                    if c.type == "identifier":
                        scope.bind(Binding("unknown", node_text(c, src), n, None))
                    stack_ids.extend(c.named_children)
                continue
            elif t == "call":
                self._index_mutation(scope, n)
            stack.extend((c, n) for c in reversed(n.named_children))

    def _index_assignment(self, scope: Scope, n: Node) -> None:
        # `a = b = v` is assignment(a, assignment(b, v)): every target binds the innermost value.
        targets: list[Node] = []
        cur: Node | None = n
        while cur is not None and cur.type == "assignment" and len(targets) < 64:
            left = cur.child_by_field_name("left")
            if left is not None:
                targets.append(left)
            cur = cur.child_by_field_name("right")
        value = cur
        if value is None:  # `x: int` binds nothing
            return
        for left in targets:
            if left.type in ("subscript", "attribute"):
                base = base_name(left)
                if base is not None:
                    scope.bind(Binding("mutate", node_text(base, self.source), n, value))
                continue
            for ident in target_names(left):
                scope.bind(Binding("assign", node_text(ident, self.source), n, value))

    def _index_import(self, scope: Scope, n: Node) -> None:
        src = self.source
        module = n.child_by_field_name("module_name")
        prefix = node_text(module, src) if module is not None and n.type == "import_from_statement" else None
        for c in named(n):
            if c == module:
                continue
            if c.type == "dotted_name":
                full = node_text(c, src)
                bound = full.split(".")[0]
                scope.aliases.setdefault(bound, bound)
                if prefix is not None:
                    scope.aliases[full] = f"{prefix}.{full}"
                    bound = full
                scope.bind(Binding("unknown", bound, n, None))
            elif c.type == "aliased_import":
                name, alias = c.child_by_field_name("name"), c.child_by_field_name("alias")
                if name is None or alias is None:
                    continue
                full = node_text(name, src)
                scope.aliases[node_text(alias, src)] = f"{prefix}.{full}" if prefix else full
                scope.bind(Binding("unknown", node_text(alias, src), n, None))

    def _index_mutation(self, scope: Scope, call: Node) -> None:
        fn = call.child_by_field_name("function")
        if fn is None or fn.type != "attribute":
            return
        attr = fn.child_by_field_name("attribute")
        obj = fn.child_by_field_name("object")
        if attr is None or obj is None or node_text(attr, self.source) not in MUTATORS:
            return
        base = base_name(obj)
        if base is not None:
            scope.bind(Binding("mutate", node_text(base, self.source), call, call.child_by_field_name("arguments")))


def resolve_alias(callee: str, aliases: dict[str, str]) -> str:
    if callee in aliases:
        return aliases[callee]
    head, dot, rest = callee.partition(".")
    if dot and head in aliases:
        return f"{aliases[head]}.{rest}"
    # `import os.path` binds `os` and makes `os.path.x` resolvable as written
    return callee
