"""Where a value comes from: an expression's provenance is the strongest of its parts; literals
and their mixes are constants; request attributes, input calls and route parameters are request
data; calls of unknown functions add "unknown" (their result may be anything) but keep the
request/parameter taint of their arguments, as semgrep's taint mode does; sanitizer calls are
recorded on the way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewbot.lang.base import Flow
from reviewbot.lang.facts import Provenance
from reviewbot.lang.python.elements import Elements
from reviewbot.lang.python.functions import fixed_route
from reviewbot.lang.python.known import (
    DJANGO_ATTRS,
    FLASK_ATTRS,
    INPUT_ATTRIBUTES,
    INPUT_CALLS,
    PURE_CALLS,
    REQUEST_OBJECTS,
    SANITIZER_METHODS,
    SANITIZER_NAME,
    SANITIZERS,
    STR_METHODS,
    TORNADO_INPUT_METHODS,
)
from reviewbot.lang.python.nodes import (
    COMPREHENSIONS,
    CONTAINERS,
    LITERALS,
    MAX_DEPTH,
    PASSTHROUGH,
    dotted_text,
    named,
    node_text,
)
from reviewbot.lang.python.scopes import Binding, resolve_alias
from reviewbot.lang.python.values import NO_VALUE, NoValue, is_truthy

if TYPE_CHECKING:
    from tree_sitter import Node

UNKNOWN = Flow(Provenance.UNKNOWN)
_LITERAL = Flow(Provenance.LITERAL)


class ValueFlow(Elements):
    """The `Flow` of an expression: provenance, sources, sanitizers, names."""

    def eval(self, node: Node, depth: int) -> Flow | None:
        """The flow of `node`'s value; None is "no value" (a cycle), joined as nothing."""
        if depth > MAX_DEPTH or not self.budget.spend():
            self.budget.exhausted = True
            return UNKNOWN
        t = node.type
        if t in LITERALS:
            return _LITERAL
        if t == "string":
            parts = [
                e for c in node.children if c.type == "interpolation" and (e := c.child_by_field_name("expression"))
            ]
            if not parts:
                return _LITERAL
            return self.compose(parts, depth, container=False, constant_floor=True)
        if t in ("concatenated_string", "unary_operator"):  # "a" "b", -1: still literals
            return self.compose(named(node), depth, container=True)
        if t == "identifier":
            return self.resolve(node, depth)
        if t == "attribute":
            return self.eval_attribute(node, depth)
        if t == "subscript":
            element = self.element(node, depth)  # `m["a"]` of a followable local container
            if not isinstance(element, NoValue):
                return element
            return self.compose(named(node), depth, container=False)
        if t == "call":
            return self.eval_call(node, depth)
        if t in CONTAINERS:
            return self.compose(named(node), depth, container=True)
        if t == "parenthesized_expression":
            kids = named(node)
            return self.eval(kids[0], depth + 1) if len(kids) == 1 else self.compose(kids, depth, container=True)
        if t == "conditional_expression":  # `a if cond else b`: only the branch taken when cond folds
            kids = named(node)
            if len(kids) == 3:
                v = self.fold(kids[1], depth + 1)
                if v is not NO_VALUE:
                    return self.eval(kids[0] if is_truthy(v) else kids[2], depth + 1)
                return self.compose([kids[0], kids[2]], depth, container=False)
        if t in PASSTHROUGH:
            return self.compose(named(node), depth, container=False)
        if t == "keyword_argument":
            value = node.child_by_field_name("value")
            return self.eval(value, depth + 1) if value is not None else UNKNOWN
        if t in COMPREHENSIONS:
            parts = []
            for c in named(node):
                if c.type == "for_in_clause":
                    right = c.child_by_field_name("right")
                    if right is not None:
                        parts.append(right)
                elif c.type == "if_clause":
                    continue
                else:
                    parts.append(c)
            return self.compose(parts, depth, container=False)
        if t == "argument_list":
            return self.compose(named(node), depth, container=False)
        return UNKNOWN  # lambda, yield, ERROR, ...

    def compose(
        self,
        parts: list[Node],
        depth: int,
        *,
        container: bool,
        floor: Flow | None = None,
        constant_floor: bool = False,
    ) -> Flow | None:
        """The join of the parts' flows; a mix of literals is a constant, a container of literals
        a literal; `floor` is joined in (an unknown call's result may be anything)."""
        flows = [f for p in parts if (f := self.eval(p, depth + 1)) is not None]
        if not flows:
            if floor is not None:
                return floor
            if constant_floor:
                return Flow(Provenance.CONSTANT)
            return _LITERAL if container or not parts else None
        out = flows[0]
        for f in flows[1:]:
            out = out.join(f)
        if out.provenance is Provenance.LITERAL and not container:
            out = Flow(Provenance.CONSTANT, out.sources, out.sanitizers, out.names)
        if floor is not None:
            out = out.join(floor)
        return out

    def source_label(self, node: Node) -> str | None:
        """A label when `node` itself is a request/input source."""
        if node.type != "attribute":
            return None
        dotted = dotted_text(node, self.src)
        if dotted is None:
            return None
        if dotted in INPUT_ATTRIBUTES:
            return dotted
        obj, _, attr = dotted.rpartition(".")
        if obj in REQUEST_OBJECTS and (attr in FLASK_ATTRS or attr in DJANGO_ATTRS):
            return f"{obj}.{attr}"
        return None

    def eval_attribute(self, node: Node, depth: int) -> Flow | None:
        label = self.source_label(node)
        if label is not None:
            if label.rpartition(".")[2] == "path":
                route = self.fixed_route(node)
                if route is not None:  # the handler answers this one path only
                    return Flow(Provenance.CONSTANT, (f"{label} (always {route}: a route without variables)",))
            return Flow(Provenance.REQUEST, (label,))
        obj = node.child_by_field_name("object")
        if obj is None:
            return UNKNOWN
        if dotted_text(obj, self.src) in REQUEST_OBJECTS:  # request.user, request.method: not client data
            return UNKNOWN
        return self.compose([obj], depth, container=False, floor=UNKNOWN)

    def eval_call(self, node: Node, depth: int) -> Flow | None:
        fn = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        args = named(args_node) if args_node is not None else []
        if fn is None:
            return UNKNOWN
        callee = dotted_text(fn, self.src)
        scope = self.scope_of(node)
        qualified = resolve_alias(callee, scope.aliases) if callee is not None else None
        if qualified is not None and (qualified in INPUT_CALLS or callee in INPUT_CALLS):
            return Flow(Provenance.REQUEST, (f"{qualified}()",))
        if callee is not None and callee.startswith("self.") and callee[5:] in TORNADO_INPUT_METHODS:
            return Flow(Provenance.REQUEST, (f"{callee}() (Tornado)",))
        for a in args:  # the whole request handed to a helper: what it returns may be client data
            if dotted_text(a, self.src) in REQUEST_OBJECTS and self.request_object_name(a):
                return Flow(Provenance.REQUEST, (f"{dotted_text(a, self.src)} (whole request)",))
        sanitizer = self.sanitizer_name(fn, callee, qualified)
        if sanitizer is not None:
            flow = self.compose(args, depth, container=False) or Flow(Provenance.CONSTANT)
            return Flow(flow.provenance, flow.sources, (*flow.sanitizers, sanitizer), flow.names)
        constant = self.constant_helper(fn, qualified, depth)
        if constant is not None:
            return Flow(Provenance.CONSTANT, (f"{constant}() (always returns a constant)",))
        if fn.type == "attribute":
            element = self.element(node, depth)  # `m.get("a")`, `conf.get("s", "k")`
            if not isinstance(element, NoValue):
                return element
            label = self.source_label(fn)  # request.get_json(), request.get_data()
            if label is not None:
                return Flow(Provenance.REQUEST, (label,))
            obj = fn.child_by_field_name("object")
            attr = fn.child_by_field_name("attribute")
            method = node_text(attr, self.src) if attr is not None else ""
            parts = ([obj] if obj is not None else []) + args
            if obj is not None and method in STR_METHODS:
                receiver = self.eval(obj, depth + 1)
                if receiver is not None and receiver.provenance in (Provenance.LITERAL, Provenance.CONSTANT):
                    return self.compose(parts, depth, container=False)
            if obj is not None and dotted_text(obj, self.src) in REQUEST_OBJECTS:
                return self.compose(args, depth, container=False, floor=UNKNOWN)
            return self.compose(parts, depth, container=False, floor=UNKNOWN)
        if qualified in PURE_CALLS or callee in PURE_CALLS:
            return self.compose(args, depth, container=False) or Flow(Provenance.CONSTANT)
        return self.compose(args, depth, container=False, floor=UNKNOWN)

    def fixed_route(self, node: Node) -> str | None:
        """The route's literal path when `node` is in a handler that answers one path only
        (`functions.fixed_route`), unless the module adds URL rules or mounts blueprints itself
        (`add_url_rule`, `url_prefix`), which may give the handler more paths."""
        return None if self.scopes.mounts_routes else fixed_route(self.scope_of(node).node, self.src)

    def constant_helper(self, fn: Node, qualified: str | None, depth: int) -> str | None:
        """The qualified name of the repository function or method called here when it always
        returns a constant (see project.py), else None."""
        project = self.project
        if project is None:
            return None
        target = None
        if fn.type == "attribute":  # `w.method(...)` on an instance of a repository class
            obj, attr = fn.child_by_field_name("object"), fn.child_by_field_name("attribute")
            cls = self.instance_class(obj, depth) if obj is not None else None
            if cls is not None and attr is not None:
                target = f"{cls}.{node_text(attr, self.src)}"
        if target is None and qualified is not None and "." in qualified:
            target = qualified  # `helpers.safe_value(...)`
        return target if target is not None and project.returns_constant(target) else None

    def instance_class(self, obj: Node, depth: int) -> str | None:
        """The repository class `obj` was certainly constructed from: `Cls(...)` itself, or a local
        name every reaching binding of which is `name = Cls(...)` (never a parameter)."""
        if obj.type == "call":
            return self.constructed_class(obj)
        if obj.type != "identifier":
            return None
        scope = self.scope_of(obj)
        name = node_text(obj, self.src)
        if name in scope.nonlocal_names:
            return None
        reaching, param = self.reaching(scope, name, obj, depth)
        if param is not None or not reaching:
            return None
        classes = {
            self.constructed_class(b.value) if b.kind == "assign" and b.value is not None else None for b in reaching
        }
        return classes.pop() if len(classes) == 1 else None

    def constructed_class(self, node: Node) -> str | None:
        if node.type != "call" or self.project is None:
            return None
        callee = dotted_text(node.child_by_field_name("function"), self.src)
        if callee is None:
            return None
        qualified = resolve_alias(callee, self.scope_of(node).aliases)
        return qualified if "." in qualified and self.project.is_class(qualified) else None

    def request_object_name(self, node: Node) -> bool:
        """True unless `request`/`req` here is a local variable bound to something else."""
        if node.type != "identifier":
            return True
        scope = self.scope_of(node)
        name = node_text(node, self.src)
        return not scope.bindings.get(name)

    def sanitizer_name(self, fn: Node, callee: str | None, qualified: str | None) -> str | None:
        if qualified is not None and qualified in SANITIZERS:
            return qualified
        if callee is not None and callee in SANITIZERS:
            return callee
        last = (qualified or callee or "").rpartition(".")[2]
        if fn.type == "attribute" and last in SANITIZER_METHODS:
            return f"<x>.{last}"
        if last and SANITIZER_NAME.match(last):
            return qualified or callee
        return None

    def resolve(self, ident: Node, depth: int) -> Flow | None:
        name = node_text(ident, self.src)
        scope = self.scope_of(ident)
        if name in scope.nonlocal_names:
            return Flow(Provenance.UNKNOWN, (), (), frozenset({name}))
        reaching, param = self.reaching(scope, name, ident, depth)
        flows: list[Flow] = []
        if param is not None:
            if param == "route":
                flows.append(Flow(Provenance.REQUEST, (f"route parameter:{name}",)))
            elif param == "parameter":
                flows.append(self.parameter_flow(scope.node, name, depth))
            else:
                flows.append(UNKNOWN)
        for b in reaching:
            f = self.eval_binding(b, depth + 1)
            if f is not None:
                flows.append(f)
        if not flows:
            if not reaching:  # a global, builtin or closure, or read before any binding
                return Flow(Provenance.UNKNOWN, (), (), frozenset({name}))
            return None  # only cycles reach: they add nothing
        out = flows[0]
        for f in flows[1:]:
            out = out.join(f)
        prov = Provenance.CONSTANT if out.provenance is Provenance.LITERAL else out.provenance
        return Flow(prov, out.sources, out.sanitizers, out.names | {name})

    def parameter_flow(self, function: Node, name: str, depth: int) -> Flow:
        """The flow of parameter `name` of `function`: a parameter, unless the callers say more
        (`callers.CallerFlow` overrides this)."""
        return Flow(Provenance.PARAMETER, (f"parameter:{name}",))

    def eval_binding(self, b: Binding, depth: int) -> Flow | None:
        key = (b.stmt.id, b.name)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return None  # a cycle (x += ... in a loop): contributes nothing new
        self.active.add(key)
        try:
            flow: Flow | None
            if b.kind == "unknown" or b.value is None:
                flow = UNKNOWN
            elif b.kind == "augment":
                left = b.value.child_by_field_name("left")
                right = b.value.child_by_field_name("right")
                flow = self.compose([n for n in (left, right) if n is not None], depth, container=False)
            else:
                flow = self.eval(b.value, depth + 1)
        finally:
            self.active.discard(key)
        self.memo[key] = flow
        return flow
