"""Facts about one Python function definition: its parameters (name, annotation, default), its
decorators, whether it is a method, whether it handles a web request, and which of its
parameters are route parameters (client text, unless FastAPI converted or injected them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewbot.lang.base import FunctionFacts
from reviewbot.lang.python.known import CONVERTED_TYPES, INJECTED_TYPES, ROUTE_VERBS
from reviewbot.lang.python.nodes import CLASS, FUNCTION, dotted_text, named, node_text

if TYPE_CHECKING:
    from tree_sitter import Node


def function_facts(function: Node, source: bytes) -> FunctionFacts:
    """Name, decorators, parameters, async-ness, and whether it handles a web request."""
    name_node = function.child_by_field_name("name")
    name = node_text(name_node, source) if name_node is not None else ""
    parent = function.parent
    decorators = (
        tuple(decorator_names(parent, source)) if parent is not None and parent.type == "decorated_definition" else ()
    )
    params = function.child_by_field_name("parameters")
    names = []
    for p in named(params) if params is not None else []:
        n, _, _ = parameter_parts(p)
        if n is not None:
            names.append(node_text(n, source))
    is_async = any(c.type == "async" for c in function.children)
    routed = any("." in d and d.rpartition(".")[2] in ROUTE_VERBS for d in decorators)
    method = is_method(function, source)
    view_args = names[1:2] if method else names[:1]
    handler = routed or any(n in ("request", "req") for n in view_args)
    return FunctionFacts(name, decorators, tuple(names), is_async, handler)


def fixed_route(function: Node, source: bytes) -> str | None:
    """The literal path when every route decorator of `function` is one and the same literal path
    without variables (`@app.route("/a/b")`, not `"/a/<x>"` or `"/items/{id}"`): Werkzeug
    matches the decoded path exactly, so there the request's path is that path."""
    holder = function.parent
    if function.type != FUNCTION or holder is None or holder.type != "decorated_definition":
        return None
    routes = []
    for decorator in named(holder):
        call = named(decorator)[0] if decorator.type == "decorator" and named(decorator) else None
        if call is None or call.type != "call":
            continue
        name = dotted_text(call.child_by_field_name("function"), source) or ""
        if "." not in name or name.rpartition(".")[2] not in ROUTE_VERBS:
            continue
        args = call.child_by_field_name("arguments")
        first = named(args)[0] if args is not None and named(args) else None
        if first is None or first.type != "string" or any(c.type == "interpolation" for c in first.children):
            return None
        path = node_text(first, source)
        if "<" in path or "{" in path or "\\" in path or not path.lstrip("rbuRBU")[1:].startswith("/"):
            return None
        routes.append(path)
    return routes[0] if len(set(routes)) == 1 else None


def parameter_parts(p: Node) -> tuple[Node | None, Node | None, Node | None]:
    """(name, annotation, default) of one parameter node."""
    t = p.type
    if t == "identifier":
        return p, None, None
    if t in ("default_parameter", "typed_default_parameter"):
        return p.child_by_field_name("name"), p.child_by_field_name("type"), p.child_by_field_name("value")
    if t == "typed_parameter":
        kids = [c for c in named(p) if c.type != "type"]
        name: Node | None = kids[0] if kids else None
        while name is not None and name.type in ("list_splat_pattern", "dictionary_splat_pattern"):
            inner = named(name)
            name = inner[0] if inner else None
        return name, p.child_by_field_name("type"), None
    if t in ("list_splat_pattern", "dictionary_splat_pattern"):
        inner = named(p)
        return (inner[0] if inner and inner[0].type == "identifier" else None), None, None
    return None, None, None


def is_route_parameter(annotation: Node | None, default: Node | None, source: bytes) -> bool:
    if default is not None and default.type == "call":
        fn = dotted_text(default.child_by_field_name("function"), source)
        if fn is not None and fn.split(".")[-1] in ("Depends", "Security"):
            return False
    if annotation is not None:
        text = "".join(node_text(annotation, source).split())
        if text in CONVERTED_TYPES or text in INJECTED_TYPES:
            return False
    return True


def is_method(function: Node, source: bytes) -> bool:
    parent = function.parent
    decorators: list[str] = []
    if parent is not None and parent.type == "decorated_definition":
        decorators = decorator_names(parent, source)
        parent = parent.parent
    if parent is None or parent.type != "block":
        return False
    owner = parent.parent
    return owner is not None and owner.type == CLASS and "staticmethod" not in decorators


def decorator_names(decorated: Node, source: bytes) -> list[str]:
    out = []
    for d in named(decorated):
        if d.type != "decorator":
            continue
        kids = named(d)
        if not kids:
            continue
        expr = kids[0]
        if expr.type == "call":
            expr = expr.child_by_field_name("function") or expr
        name = dotted_text(expr, source)
        out.append(name if name is not None else " ".join(node_text(expr, source, 80).split()))
    return out


@dataclass(frozen=True)
class Param:
    """One parameter as a call fills it."""

    name: str
    kind: str  # positional (positional-only) | either | keyword (keyword-only) | star | starstar
    default: Node | None


def parameter_kinds(function: Node, source: bytes) -> list[Param] | None:
    """The function's parameters in order with their kinds; None for a shape not understood."""
    params = function.child_by_field_name("parameters")
    if params is None:
        return None
    out: list[Param] = []
    kind = "either"
    for p in named(params):
        if p.type == "positional_separator":
            out = [Param(q.name, "positional", q.default) if q.kind == "either" else q for q in out]
            continue
        if p.type == "keyword_separator":
            kind = "keyword"
            continue
        name, _, default = parameter_parts(p)
        if name is None or name.type != "identifier":
            return None
        splat = _splat_kind(p)
        if splat == "star":
            kind = "keyword"  # what follows `*args` is keyword-only
        out.append(Param(node_text(name, source), splat or kind, default))
    return out


def _splat_kind(p: Node) -> str | None:
    """The splat a parameter is: "star" for `*args`, "starstar" for `**kwargs` (typed or not), else None."""
    inner = p
    if p.type == "typed_parameter":
        kids = [c for c in named(p) if c.type != "type"]
        inner = kids[0] if kids else p
    return {"list_splat_pattern": "star", "dictionary_splat_pattern": "starstar"}.get(inner.type)
