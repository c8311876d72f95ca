"""The per-function index the flow analysis reads: every place a local name is bound
(`const`/`let`/`var` declarations with destructuring, assignments, `+=`, `x++`, `for … of/in`
targets, `catch (e)`, nested function and class declarations, imports and `require`s, writes
into a container `x.a = v` / `x[k] = v` / `x.push(v)`), the function's parameters (request
objects of handlers told apart), its loops, and the module aliases in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reviewbot.lang.base import Budget
from reviewbot.lang.javascript.functions import function_facts, request_parameters
from reviewbot.lang.javascript.nodes import (
    CLASSES,
    FUNCTIONS,
    LOOPS,
    MAX_TOP_LEVEL,
    base_name,
    dotted_text,
    module_name,
    named,
    node_text,
    pattern_names,
    require_source,
)

if TYPE_CHECKING:
    from tree_sitter import Node

_MUTATORS = frozenset({"push", "unshift", "splice", "set", "append", "add", "assign", "concat"})


@dataclass
class Binding:
    """One place a name is bound, and the value it gets there (None: `undefined` or unknown)."""

    kind: str  # assign | destructure | augment | mutate | iter | update | function | unknown
    name: str
    stmt: Node  # the node whose end is where the binding takes effect
    value: Node | None
    key: str | None = None  # destructure: the property read (`const { id } = x` -> "id")
    default: Node | None = None  # destructure: `{ id = "x" }`
    const: bool = False  # declared `const`: never rebound

    @property
    def start(self) -> int:
        return self.stmt.start_byte

    @property
    def end(self) -> int:
        return self.stmt.end_byte


@dataclass
class Scope:
    """What one function (or the module) binds, its parameters, loops and module aliases."""

    node: Node
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)  # name -> parameter | request | request:<label>
    loops: list[Node] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    handler: bool = False
    complete: bool = True

    def bind(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)


class ScopeIndex:
    """The scopes of one parsed file, indexed on first use and cached while complete."""

    def __init__(self, source: bytes, root: Node) -> None:
        self.source = source
        self.root = root
        self._scopes: dict[int, Scope] = {}

    def scope_node(self, node: Node) -> Node:
        cur: Node | None = node.parent
        depth = 0
        while cur is not None and depth < 10_000:
            depth += 1
            if cur.type in FUNCTIONS:
                return cur
            cur = cur.parent
        return self.root

    def scope_of(self, node: Node, budget: Budget) -> Scope:
        return self.scope(self.scope_node(node), budget)

    def scope(self, scope_node: Node, budget: Budget) -> Scope:
        key = scope_node.id
        cached = self._scopes.get(key)
        if cached is not None and cached.complete:
            return cached
        scope = Scope(scope_node)
        if scope_node.type in FUNCTIONS:
            scope.handler = function_facts(scope_node, self.source).is_request_handler
            scope.params = request_parameters(scope_node, self.source, scope.handler)
            body = scope_node.child_by_field_name("body")
            start = [] if body is None else ([body] if body.type != "statement_block" else named(body))
            module = self.scope(self.root, budget)
            scope.aliases = dict(module.aliases)
        else:
            start = named(scope_node)[:MAX_TOP_LEVEL]
        self._index(scope, start, budget)
        if scope.complete:
            self._scopes[key] = scope
        return scope

    def _index(self, scope: Scope, start: list[Node], budget: Budget) -> None:
        src = self.source
        stack = list(reversed(start))
        while stack:
            if not budget.spend():
                scope.complete = False
                return
            n = stack.pop()
            t = n.type
            if t in FUNCTIONS or t in CLASSES:
                name = n.child_by_field_name("name")
                if name is not None and t.endswith("declaration"):
                    scope.bind(Binding("function", node_text(name, src), n, None))
                continue  # a nested scope: its body is not ours
            if t == "variable_declarator":
                self._declarator(scope, n)
            elif t == "assignment_expression":
                left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
                if left is not None and left.type in ("object_pattern", "array_pattern"):
                    for ident, key, default in pattern_names(left):
                        scope.bind(Binding("destructure", node_text(ident, src), n, right, key, default))
                elif left is not None:
                    self._assign(scope, left, n, right, "assign")
            elif t == "augmented_assignment_expression":
                left = n.child_by_field_name("left")
                if left is not None:
                    self._assign(scope, left, n, n, "augment")
            elif t == "update_expression":
                arg = n.child_by_field_name("argument")
                if arg is not None and arg.type == "identifier":
                    scope.bind(Binding("update", node_text(arg, src), n, None))
            elif t == "for_in_statement":
                left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
                if left is not None:
                    for ident, _, _ in pattern_names(left):
                        scope.bind(Binding("iter", node_text(ident, src), left, right))
                scope.loops.append(n)
            elif t in LOOPS:
                scope.loops.append(n)
            elif t == "catch_clause":
                param = n.child_by_field_name("parameter")
                for ident, _, _ in pattern_names(param) if param is not None else []:
                    scope.bind(Binding("unknown", node_text(ident, src), n, None))
            elif t == "import_statement":
                self._import(scope, n)
                continue
            elif t == "call_expression":
                self._mutation(scope, n)
            stack.extend(reversed(n.named_children))

    def _declarator(self, scope: Scope, n: Node) -> None:
        src = self.source
        name, value = n.child_by_field_name("name"), n.child_by_field_name("value")
        if name is None:
            return
        decl = n.parent
        const = decl is not None and any(c.type == "const" for c in decl.children)
        module = require_source(value, src) if value is not None else None
        required = dotted_text(value, src) if value is not None and value.type == "member_expression" else None
        if name.type == "identifier":
            text = node_text(name, src)
            if module is not None:
                scope.aliases[text] = module
            elif required is not None and required.startswith('require("'):
                scope.aliases[text] = resolve_alias(required, {})
            scope.bind(Binding("assign", text, n, value, const=const))
            return
        for ident, key, default in pattern_names(name):
            text = node_text(ident, src)
            if module is not None and key is not None:
                scope.aliases[text] = f"{module}.{key}"
            scope.bind(Binding("destructure", text, n, value, key, default, const=const))

    def _assign(self, scope: Scope, left: Node, n: Node, value: Node | None, kind: str) -> None:
        if left.type == "identifier":
            scope.bind(Binding(kind, node_text(left, self.source), n, value))
            return
        base = base_name(left)
        if base is not None:
            scope.bind(Binding("mutate", node_text(base, self.source), n, n.child_by_field_name("right")))

    def _import(self, scope: Scope, n: Node) -> None:
        src = self.source
        source = n.child_by_field_name("source")
        if source is None:
            return
        module = module_name(source, src)
        stack = list(named(n))
        while stack:
            c = stack.pop()
            if c.type == "import_clause" or c.type == "named_imports":
                stack.extend(named(c))
            elif c.type == "identifier":  # the default import
                scope.aliases[node_text(c, src)] = module
                scope.bind(Binding("unknown", node_text(c, src), n, None))
            elif c.type == "namespace_import":
                for ident in named(c):
                    scope.aliases[node_text(ident, src)] = module
                    scope.bind(Binding("unknown", node_text(ident, src), n, None))
            elif c.type == "import_specifier":
                name, alias = c.child_by_field_name("name"), c.child_by_field_name("alias")
                if name is None:
                    continue
                bound = node_text(alias if alias is not None else name, src)
                scope.aliases[bound] = f"{module}.{node_text(name, src)}"
                scope.bind(Binding("unknown", bound, n, None))

    def _mutation(self, scope: Scope, call: Node) -> None:
        fn = call.child_by_field_name("function")
        if fn is None or fn.type != "member_expression":
            return
        prop, obj = fn.child_by_field_name("property"), fn.child_by_field_name("object")
        if prop is None or obj is None or node_text(prop, self.source) not in _MUTATORS:
            return
        base = base_name(obj)
        if base is not None:
            scope.bind(Binding("mutate", node_text(base, self.source), call, call.child_by_field_name("arguments")))


def resolve_alias(callee: str, aliases: dict[str, str]) -> str:
    """`cp.exec` -> `child_process.exec` through the module's imports and requires;
    `require("fs").readFile` -> `fs.readFile`."""
    if callee.startswith('require("'):
        module, _, rest = callee[len('require("') :].partition('")')
        return module.removeprefix("node:") + rest
    if callee in aliases:
        return aliases[callee]
    head, dot, rest = callee.partition(".")
    if dot and head in aliases:
        return f"{aliases[head]}.{rest}"
    return callee
