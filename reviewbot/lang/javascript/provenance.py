"""Where a value comes from: an expression's provenance is the strongest of its parts; literals
(a template literal without substitutions too) are literals, their mixes constants; request
attributes of a request object, browser and local input sources are request data; a `const` of
the module (or of an enclosing function) is followed to its value; calls of unknown functions
add "unknown" but keep their arguments' taint, as semgrep's taint mode does; sanitizer calls
are recorded on the way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewbot.lang.base import Flow
from reviewbot.lang.facts import Provenance
from reviewbot.lang.javascript.known import (
    BROWSER_SOURCES,
    INPUT_CALLS,
    INPUT_PREFIXES,
    KOA_ATTRS,
    KOA_METHODS,
    KOA_NAME,
    LAMBDA_ATTRS,
    LAMBDA_NAME,
    PURE_CALLS,
    REQUEST_ATTRS,
    REQUEST_METHODS,
    REQUEST_NAMES,
    SANITIZER_METHODS,
    SANITIZER_NAME,
    SANITIZERS,
    STR_METHODS,
)
from reviewbot.lang.javascript.nodes import (
    CONTAINERS,
    FUNCTIONS,
    LITERALS,
    MAX_DEPTH,
    PASSTHROUGH,
    TYPE_WRAPPERS,
    dotted_text,
    named,
    node_text,
    unwrap,
)
from reviewbot.lang.javascript.reachability import Reachability
from reviewbot.lang.javascript.scopes import Binding, resolve_alias

if TYPE_CHECKING:
    from tree_sitter import Node

UNKNOWN = Flow(Provenance.UNKNOWN)
_LITERAL = Flow(Provenance.LITERAL)
_CONSTANT = Flow(Provenance.CONSTANT)


class ValueFlow(Reachability):
    """The `Flow` of an expression: provenance, sources, sanitizers, names."""

    def eval(self, node: Node, depth: int) -> Flow | None:
        if depth > MAX_DEPTH or not self.budget.spend():
            self.budget.exhausted = True
            return UNKNOWN
        t = node.type
        if t == "template_string":
            parts = [e for c in named(node) if c.type == "template_substitution" for e in named(c)]
            return self.compose(parts, depth, container=False, constant_floor=True) if parts else _LITERAL
        if t in LITERALS:
            return _LITERAL
        if t in FUNCTIONS or t == "class":
            return _CONSTANT  # code written here
        if t == "identifier":
            return self.resolve(node, depth)
        if t == "member_expression":
            return self.eval_member(node, depth)
        if t == "subscript_expression":
            return self.compose(named(node), depth, container=False)
        if t in ("call_expression", "new_expression"):
            return self.eval_call(node, depth)
        if t in CONTAINERS:
            return self.compose(named(node), depth, container=True)
        if t == "pair":
            value = node.child_by_field_name("value")
            return self.eval(value, depth + 1) if value is not None else UNKNOWN
        if t == "shorthand_property_identifier":
            return self.resolve(node, depth)
        if t == "ternary_expression":
            kids = [node.child_by_field_name(f) for f in ("consequence", "alternative")]
            taken = self.truth(node.child_by_field_name("condition"))
            if taken is not None and kids[0] is not None and kids[1] is not None:
                return self.eval(kids[0] if taken else kids[1], depth + 1)
            return self.compose([k for k in kids if k is not None], depth, container=False)
        if t in TYPE_WRAPPERS:
            return self.eval(unwrap(node), depth + 1)
        if t in PASSTHROUGH:
            return self.compose(named(node), depth, container=False)
        if t in ("assignment_expression", "augmented_assignment_expression"):
            right: Node | None = node.child_by_field_name("right")
            sides: list[Node | None] = (
                [right] if t == "assignment_expression" else [node.child_by_field_name("left"), right]
            )
            return self.compose([p for p in sides if p is not None], depth, container=False)
        if t == "arguments":
            return self.compose(named(node), depth, container=False)
        return UNKNOWN  # this, yield, JSX, ERROR, ...

    def compose(
        self, parts: list[Node], depth: int, *, container: bool, floor: Flow | None = None, constant_floor: bool = False
    ) -> Flow | None:
        flows = [f for p in parts if (f := self.eval(p, depth + 1)) is not None]
        if not flows:
            if floor is not None:
                return floor
            if constant_floor:
                return _CONSTANT
            return _LITERAL if container or not parts else None
        out = flows[0]
        for f in flows[1:]:
            out = out.join(f)
        if out.provenance is Provenance.LITERAL and not container:
            out = Flow(Provenance.CONSTANT, out.sources, out.sanitizers, out.names)
        return out.join(floor) if floor is not None else out

    # -- sources

    def request_object(self, node: Node, attrs: frozenset[str] | None = None) -> str | None:
        """The kind of request object `node` is (`request`, `koa`, `lambda`), or None."""
        node = unwrap(node)
        if node.type == "member_expression":  # ctx.request, this.req
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            is_request = prop is not None and node_text(prop, self.src) in ("request", "req")
            if obj is not None and is_request and (obj.type == "this" or self.request_object(obj) is not None):
                return "request"
            return None
        if node.type != "identifier":
            return None
        name = node_text(node, self.src)
        scope = self.scope_of(node)
        param = scope.params.get(name)
        if param == "request":
            return "koa" if name == KOA_NAME else "request"
        if param is None and scope.bindings.get(name):
            return None  # a local variable of that name
        if name in REQUEST_NAMES:
            return "request"
        if name == KOA_NAME:
            return "koa"
        return "lambda" if name == LAMBDA_NAME else None

    def source_label(self, node: Node) -> str | None:
        """A label when `node` (a member expression) is itself a request/input source."""
        dotted = dotted_text(node, self.src)
        if dotted is not None and (dotted in BROWSER_SOURCES or dotted.startswith(INPUT_PREFIXES)):
            return dotted
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        if obj is None or prop is None:
            return None
        attr = node_text(prop, self.src)
        kind = self.request_object(obj)
        if kind is None:
            return None
        allowed = {"request": REQUEST_ATTRS, "koa": KOA_ATTRS | REQUEST_ATTRS, "lambda": LAMBDA_ATTRS}[kind]
        return f"{node_text(obj, self.src, 64)}.{attr}" if attr in allowed else None

    def eval_member(self, node: Node, depth: int) -> Flow | None:
        label = self.source_label(node)
        if label is not None:
            return Flow(Provenance.REQUEST, (label,))
        obj = node.child_by_field_name("object")
        if obj is None:
            return UNKNOWN
        if self.request_object(obj) is not None:  # req.method, req.user: not client text
            return UNKNOWN
        return self.compose([obj], depth, container=False, floor=UNKNOWN)

    def eval_call(self, node: Node, depth: int) -> Flow | None:
        fn = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        args_node = node.child_by_field_name("arguments")
        args = named(args_node) if args_node is not None and args_node.type == "arguments" else []
        if fn is None:
            return UNKNOWN
        callee = dotted_text(fn, self.src)
        qualified = resolve_alias(callee, self.scope_of(node).aliases) if callee is not None else None
        if qualified in INPUT_CALLS:
            return Flow(Provenance.REQUEST, (f"{qualified}()",))
        fn = unwrap(fn)
        if fn.type == "member_expression":
            obj, prop = fn.child_by_field_name("object"), fn.child_by_field_name("property")
            method = node_text(prop, self.src) if prop is not None else ""
            kind = self.request_object(obj) if obj is not None else None
            if kind is not None and method in (KOA_METHODS if kind == "koa" else REQUEST_METHODS):
                return Flow(Provenance.REQUEST, (f"{node_text(obj, self.src, 64)}.{method}()",)) if obj else UNKNOWN
        for a in args:  # the whole request handed to a helper: what it returns may be client data
            if self.request_object(a) == "request":
                return Flow(Provenance.REQUEST, (f"{node_text(a, self.src, 64)} (whole request)",))
        sanitizer = self.sanitizer_name(fn, callee, qualified)
        if sanitizer is not None:
            flow = self.compose(args, depth, container=False) or _CONSTANT
            return Flow(flow.provenance, flow.sources, (*flow.sanitizers, sanitizer), flow.names)
        if qualified in PURE_CALLS or callee in PURE_CALLS:
            return self.compose(args, depth, container=False) or _CONSTANT
        if fn.type == "member_expression":
            obj, prop = fn.child_by_field_name("object"), fn.child_by_field_name("property")
            method = node_text(prop, self.src) if prop is not None else ""
            parts = ([obj] if obj is not None else []) + args
            if obj is not None and method in STR_METHODS:
                receiver = self.eval(obj, depth + 1)
                if receiver is not None and receiver.provenance in (Provenance.LITERAL, Provenance.CONSTANT):
                    return self.compose(parts, depth, container=False)
            return self.compose(parts, depth, container=False, floor=UNKNOWN)
        return self.compose(args, depth, container=False, floor=UNKNOWN)

    def sanitizer_name(self, fn: Node, callee: str | None, qualified: str | None) -> str | None:
        for name in (qualified, callee):
            if name is not None and name in SANITIZERS:
                return name
        last = (qualified or callee or "").rpartition(".")[2]
        if fn.type == "member_expression" and last in SANITIZER_METHODS:
            return f"<x>.{last}"
        if last and SANITIZER_NAME.match(last):
            return qualified or callee
        return None

    # -- names

    def resolve(self, ident: Node, depth: int) -> Flow | None:
        name = node_text(ident, self.src)
        scope = self.scope_of(ident)
        at: Node = ident
        for _ in range(32):  # this function, then the enclosing ones (closures), then the module
            reaching, param = self.reaching(scope, name, at, depth)
            if reaching or param is not None:
                return self.join_bindings(name, reaching, param, depth, outer=scope.node != self.scope_of(ident).node)
            if scope.node == self.scopes.root:
                break
            at = scope.node
            scope = self.scope_of(scope.node)
        return Flow(Provenance.UNKNOWN, (), (), frozenset({name}))  # a global, or read before any binding

    def join_bindings(
        self, name: str, reaching: list[Binding], param: str | None, depth: int, *, outer: bool
    ) -> Flow | None:
        flows: list[Flow] = []
        if param == "request":
            flows.append(Flow(Provenance.REQUEST, (f"{name} (whole request)",)))
        elif param is not None and param.startswith("request:"):
            label = param.removeprefix("request:")
            attr = label.rpartition(".")[2] if label.startswith("req.") else None
            flows.append(Flow(Provenance.REQUEST, (label,)) if attr is None or attr in REQUEST_ATTRS else UNKNOWN)
        elif param is not None:
            flows.append(Flow(Provenance.PARAMETER, (f"parameter:{name}",)))
        for b in reaching:
            if outer and not b.const and b.kind not in ("function",):
                flows.append(UNKNOWN)  # an enclosing `let`/`var` may change before the closure runs
            f = self.eval_binding(b, depth + 1)
            if f is not None:
                flows.append(f)
        if not flows:
            return None  # only cycles reach
        out = flows[0]
        for f in flows[1:]:
            out = out.join(f)
        prov = Provenance.CONSTANT if out.provenance is Provenance.LITERAL else out.provenance
        return Flow(prov, out.sources, out.sanitizers, out.names | {name})

    def eval_binding(self, b: Binding, depth: int) -> Flow | None:
        key = (b.stmt.id, b.name)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return None
        self.active.add(key)
        try:
            flow = self._binding_flow(b, depth)
        finally:
            self.active.discard(key)
        self.memo[key] = flow
        return flow

    def _binding_flow(self, b: Binding, depth: int) -> Flow | None:
        if b.kind == "function":
            return _CONSTANT
        if b.kind == "update":
            return _CONSTANT  # `i++` is a number
        if b.kind == "unknown":
            return UNKNOWN
        if b.value is None:
            return _LITERAL if b.kind == "assign" else UNKNOWN  # `let x;` is undefined
        if b.kind == "destructure" and b.key is not None and self.request_object(b.value) is not None:
            kind = self.request_object(b.value)
            allowed = {"request": REQUEST_ATTRS, "koa": KOA_ATTRS | REQUEST_ATTRS, "lambda": LAMBDA_ATTRS}
            if kind is not None and b.key in allowed[kind]:
                return Flow(Provenance.REQUEST, (f"{node_text(b.value, self.src, 64)}.{b.key}",))
            return UNKNOWN
        flow = self.eval(b.value, depth + 1)
        if b.kind == "destructure" and b.default is not None:
            default = self.eval(b.default, depth + 1)
            flow = default if flow is None else (flow if default is None else flow.join(default))
        if b.kind == "destructure" and flow is not None and flow.provenance is Provenance.LITERAL:
            return _CONSTANT
        return flow
