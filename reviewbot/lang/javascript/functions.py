"""Facts about one JavaScript/TypeScript function (declaration, expression, arrow function or
method): its name, decorators, parameters, async-ness, and whether it handles a web request,
plus which of its parameters hold the request (or a field of it).

A function handles a request when it is passed to a route registration (`app.get("/x", fn)`,
`router.route("/x").post(fn)`, `app.use(fn)`, `http.createServer(fn)`), when its first
parameter is named `req`/`request`, or when a NestJS-style verb decorator (`@Get()`) marks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewbot.lang.base import FunctionFacts
from reviewbot.lang.javascript.known import REQUEST_NAMES, ROUTE_METHODS
from reviewbot.lang.javascript.nodes import dotted_text, named, node_text, pattern_names

if TYPE_CHECKING:
    from tree_sitter import Node

_NEST_VERBS = frozenset({"Get", "Post", "Put", "Patch", "Delete", "All", "Head", "Options"})
# NestJS parameter decorators whose parameter is client data.
_NEST_SOURCES = frozenset({"Param", "Query", "Body", "Headers", "Req", "Request", "Cookies"})
_PATHLESS = frozenset({"use", "createServer"})


def parameter_nodes(function: Node) -> list[Node]:
    params = function.child_by_field_name("parameters")
    if params is None:  # `x => x`: the single parameter is a field of its own
        one = function.child_by_field_name("parameter")
        return [one] if one is not None else []
    return named(params)


def parameter_names(function: Node, source: bytes) -> list[str]:
    out: list[str] = []
    for p in parameter_nodes(function):
        out.extend(node_text(ident, source) for ident, _, _ in pattern_names(p))
    return out


def function_name(function: Node, source: bytes) -> str:
    """Its own name, else the name it is bound to (`const f = () => {}`, `{ f: () => {} }`,
    `exports.handler = ...`), else `<anonymous>`."""
    name = function.child_by_field_name("name")
    if name is not None:
        return node_text(name, source)
    parent = function.parent
    if parent is not None:
        if parent.type == "variable_declarator":
            n = parent.child_by_field_name("name")
            if n is not None and n.type == "identifier":
                return node_text(n, source)
        elif parent.type == "pair":
            k = parent.child_by_field_name("key")
            if k is not None:
                return node_text(k, source)
        elif parent.type == "assignment_expression":
            left = dotted_text(parent.child_by_field_name("left"), source)
            if left is not None:
                return left
    return "<anonymous>"


def decorators(function: Node, source: bytes) -> list[str]:
    """Decorators right before a method in a class body (TypeScript), as dotted names."""
    out: list[str] = []
    sib = function.prev_named_sibling
    while sib is not None and sib.type == "decorator" and len(out) < 16:
        out.append(_decorator_name(sib, source))
        sib = sib.prev_named_sibling
    return list(reversed(out))


def _decorator_name(decorator: Node, source: bytes) -> str:
    kids = named(decorator)
    expr = kids[0] if kids else decorator
    if expr.type == "call_expression":
        expr = expr.child_by_field_name("function") or expr
    return dotted_text(expr, source) or " ".join(node_text(expr, source, 80).split())


def registered_as_handler(function: Node, source: bytes) -> bool:
    """Whether `function` is passed to a route registration call."""
    args = function.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is None or call.type != "call_expression":
        return False
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "member_expression":
        return fn is not None and node_text(fn, source) == "createServer"
    prop = fn.child_by_field_name("property")
    method = node_text(prop, source) if prop is not None else ""
    if method not in ROUTE_METHODS:
        return False
    if method in _PATHLESS:
        return True
    obj = fn.child_by_field_name("object")
    if obj is not None and obj.type == "call_expression":  # router.route("/x").get(fn)
        inner = obj.child_by_field_name("function")
        inner_prop = inner.child_by_field_name("property") if inner is not None else None
        if inner_prop is not None and node_text(inner_prop, source) == "route":
            return True
    first = named(args)[0] if args is not None and named(args) else None
    if first is None or first == function:
        return False
    if first.type == "regex" or first.type == "array":
        return True
    if first.type in ("string", "template_string"):
        text = node_text(first, source)[1:]
        return text.startswith(("/", "*"))
    return False


def request_parameters(function: Node, source: bytes, handler: bool) -> dict[str, str]:
    """Parameter name -> `request` (the request object), `request:<label>` (a field of it,
    destructured: `({ query }, res)` or a NestJS `@Query() q`) or `parameter`."""
    out: dict[str, str] = {}
    for i, p in enumerate(parameter_nodes(function)):
        decorated = {_decorator_name(d, source) for d in named(p) if d.type == "decorator"}
        for ident, key, _ in pattern_names(p):
            name = node_text(ident, source)
            whole = ident == p or (p.child_by_field_name("pattern") == ident)
            if decorated & _NEST_SOURCES:
                out[name] = f"request:@{sorted(decorated & _NEST_SOURCES)[0]}() {name}"
            elif i == 0 and handler and not whole:
                out[name] = f"request:req.{key}" if key is not None else "request:req (a field)"
            elif whole and (name in REQUEST_NAMES or (i == 0 and handler)):
                out[name] = "request"
            else:
                out[name] = "parameter"
    return out


def function_facts(function: Node, source: bytes) -> FunctionFacts:
    names = parameter_names(function, source)
    decos = decorators(function, source) if function.type == "method_definition" else []
    is_async = any(c.type == "async" for c in function.children)
    handler = (
        registered_as_handler(function, source)
        or bool(names and names[0] in REQUEST_NAMES)
        or any(d.rpartition(".")[2] in _NEST_VERBS for d in decos)
    )
    return FunctionFacts(function_name(function, source), tuple(decos), tuple(names), is_async, handler)
