"""Missing authorization on JavaScript/TypeScript routes whose siblings have it, the counterpart
of `access`'s Python `missing-auth-sibling`:

* `missing-auth-sibling` (its JavaScript half, CWE-862): a state-changing route (POST/PUT/PATCH/
  DELETE or `all`) registered on an Express/Koa-router/Fastify/Restify-style app or router with
  no auth middleware, where other routes of the same resource on the same app or router (the
  same path, or one above or below it: `/api/items` and `/api/items/:id`) have one (`app.put(path,
  auth.isAuthorized(), h)`, `router.delete(path, requireLogin, h)`, `fastify.post(path,
  {preHandler: [auth]}, h)`), and a NestJS controller's `@Post`/`@Put`/`@Patch`/`@Delete` method
  with no guard where sibling methods have `@UseGuards` (and the class has none);
* `client-route-without-guard` (CWE-862, rated lower): an Angular route object with a `path:`
  (or `matcher:`) and no `canActivate`/`canMatch`/`canLoad`/`canActivateChild` in a routes array
  where sibling route objects have one. The server must check anyway, so this is a hint.

The server routes and what covers them are `js_routes`; what counts as auth is one vocabulary
over names, `js_auth.is_auth_name`. It is a heuristic, so the rules carry low confidence and the
model weighs them. `MISSING_AUTH` here is the one `missing-auth-sibling` check of both languages
(Python's half is `access.check_missing_auth`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reviewbot.lang.javascript.nodes import CLASSES, COMMENTS, FUNCTIONS, dotted_text, named, node_text, unwrap
from reviewbot.lang.javascript.syntax import FAMILY
from reviewbot.scanners.ts_checks import access
from reviewbot.scanners.ts_checks.access import public_by_name
from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_checks.js_auth import is_auth_name
from reviewbot.scanners.ts_checks.js_routes import SERVER_FRAMEWORK, check_server_routes
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

_ANGULAR_ROUTER = re.compile(rb"""['"]@angular/router['"]""")
# Pages a site serves to every visitor, by the first word of the route's path.
_PUBLIC_PAGES = frozenset({
    "about", "contact", "help", "faq", "faqs", "terms", "tos", "privacy", "legal", "imprint", "home",
    "welcome", "landing", "pricing", "features", "docs", "documentation", "news", "blog", "search",
    "cookies", "accessibility", "sitemap", "notfound", "not", "unauthorized", "forbidden", "offline",
})  # fmt: skip
_MAX_NODES = 400_000

# --- NestJS ---------------------------------------------------------------------------------
_NEST_WRITE = {"Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE", "All": "ALL"}
_NEST_PUBLIC = re.compile(r"^(?:Public|IsPublic|AllowAnonymous|Anonymous|SkipAuth|NoAuth|Unprotected|PublicRoute)$")


def _decorator_names(node: Node, source: bytes) -> list[str]:
    """A class's or method's decorators (TypeScript keeps a method's as siblings before it,
    JavaScript as its children; an exported class's sit on the `export`)."""
    out = [d for d in named(node) if d.type == "decorator"]
    parent = node.parent
    if node.type in CLASSES and parent is not None and parent.type == "export_statement":
        out += [d for d in named(parent) if d.type == "decorator"]
    if node.type == "method_definition":
        sib = node.prev_named_sibling
        while sib is not None and sib.type in ("decorator", *COMMENTS) and len(out) < 32:
            if sib.type == "decorator":
                out.append(sib)
            sib = sib.prev_named_sibling
    return [_one_decorator(d, source) for d in out]


def _one_decorator(decorator: Node, source: bytes) -> str:
    kids = named(decorator)
    expr = kids[0] if kids else decorator
    if expr.type == "call_expression":
        expr = expr.child_by_field_name("function") or expr
    return dotted_text(expr, source) or node_text(expr, source, 80)


def _nest_auth(names: list[str]) -> str | None:
    for name in names:
        last = name.rsplit(".", 1)[-1]
        if last == "UseGuards" or is_auth_name(last):
            return f"`@{last}`"
    return None


def _check_nest(ctx: FileContext) -> Iterator[Hit]:
    assert ctx.tree is not None
    stack = [ctx.tree.root_node]
    while stack:
        if ctx.deadline.passed():
            return
        node = stack.pop()
        if node.type in CLASSES:
            yield from _nest_controller(ctx, node)
        elif node.type not in FUNCTIONS:
            stack.extend(reversed(node.named_children))


def _nest_controller(ctx: FileContext, cls: Node) -> Iterator[Hit]:
    class_decorators = _decorator_names(cls, ctx.source)
    if not any(d.rsplit(".", 1)[-1] == "Controller" for d in class_decorators) or _nest_auth(class_decorators):
        return
    body = cls.child_by_field_name("body")
    methods = [m for m in named(body) if m.type == "method_definition"] if body is not None else []
    facts = [(m, _decorator_names(m, ctx.source)) for m in methods]
    guarded = [(m, _nest_auth(names)) for m, names in facts if _nest_auth(names)]
    if not guarded:
        return
    for method, names in facts:
        verbs = [_NEST_WRITE[n.rsplit(".", 1)[-1]] for n in names if n.rsplit(".", 1)[-1] in _NEST_WRITE]
        if not verbs or _nest_auth(names) or any(_NEST_PUBLIC.match(n.rsplit(".", 1)[-1]) for n in names):
            continue
        name = method.child_by_field_name("name")
        label = node_text(name, ctx.source) if name is not None else "<method>"
        if public_by_name(label):
            continue
        shown = "; ".join(
            f"`{node_text(n, ctx.source)}`: {a}" for m, a in guarded[:2] if (n := m.child_by_field_name("name"))
        )
        start = name if name is not None else method
        yield Hit(
            start.start_byte,
            start.end_byte,
            f"`{label}` takes {verbs[0]} requests with no `@UseGuards` or auth decorator, while "
            f"{len(guarded)} other method(s) of this controller have one ({shown}).",
        )


def check_missing_auth(ctx: FileContext) -> Iterator[Hit]:
    """The JavaScript/TypeScript half of `missing-auth-sibling`."""
    if ctx.tree is None or ctx.language not in FAMILY or SERVER_FRAMEWORK.search(ctx.source) is None:
        return
    yield from check_server_routes(ctx)
    if b"@nestjs/" in ctx.source:
        yield from _check_nest(ctx)


# --- Angular --------------------------------------------------------------------------------
_GUARD_KEYS = frozenset({"canActivate", "canActivateChild", "canMatch", "canLoad"})
_ROUTER_CALLS = re.compile(r"(?:^|\.)(?:forRoot|forChild|provideRouter|provideRoutes|resetConfig)$")
_ROUTES_TYPE = re.compile(r"\bRoutes\b|\bRoute\s*\[\s*\]|\bArray\s*<\s*Route\s*>")


def _pairs(obj: Node, source: bytes) -> dict[str, Node]:
    out: dict[str, Node] = {}
    for pair in named(obj):
        if pair.type == "pair":
            key = pair.child_by_field_name("key")
            if key is not None:
                out[node_text(key, source).strip("'\"")] = pair
        elif pair.type == "shorthand_property_identifier":
            out[node_text(pair, source)] = pair
    return out


def _route_arrays(ctx: FileContext) -> list[Node]:
    """Arrays of Angular routes: typed `Routes`/`Route[]`, or given to `RouterModule.forRoot`/
    `forChild`, `provideRouter` (directly or by a module-level name)."""
    assert ctx.tree is not None
    source = ctx.source
    declared: dict[str, Node] = {}
    arrays: list[Node] = []
    passed: list[str] = []
    stack = [ctx.tree.root_node]
    seen = 0
    while stack and seen < _MAX_NODES:
        seen += 1
        node = stack.pop()
        if node.type == "variable_declarator":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            value = unwrap(value) if value is not None else None
            if name is not None and value is not None and value.type == "array":
                declared[node_text(name, source)] = value
                annotation = node.child_by_field_name("type")
                if annotation is not None and _ROUTES_TYPE.search(node_text(annotation, source)):
                    arrays.append(value)
        elif node.type == "call_expression":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            callee = dotted_text(fn, source) if fn is not None else None
            if callee is not None and _ROUTER_CALLS.search(callee) and args is not None and named(args):
                first = unwrap(named(args)[0])
                if first.type == "array":
                    arrays.append(first)
                elif first.type == "identifier":
                    passed.append(node_text(first, source))
        stack.extend(reversed(node.named_children))
    arrays += [declared[n] for n in passed if n in declared]
    unique = {a.id: a for a in arrays}
    return sorted(unique.values(), key=lambda a: a.start_byte)


def _check_client_routes(ctx: FileContext) -> Iterator[Hit]:
    if ctx.tree is None or ctx.language not in FAMILY or _ANGULAR_ROUTER.search(ctx.source) is None:
        return
    pending = [(a, False) for a in _route_arrays(ctx)]
    done: set[int] = set()
    while pending:
        if ctx.deadline.passed():
            return
        array, inherited = pending.pop(0)
        if array.id in done:
            continue
        done.add(array.id)
        yield from _unguarded_client_routes(ctx, array, inherited, pending)


def _unguarded_client_routes(
    ctx: FileContext, array: Node, inherited: bool, pending: list[tuple[Node, bool]]
) -> Iterator[Hit]:
    source = ctx.source
    entries = [_pairs(o, source) for o in named(array) if unwrap(o).type == "object"]
    for pairs in entries:
        kids = _children(pairs)
        if kids is not None:
            pending.append((kids, inherited or bool(_GUARD_KEYS & pairs.keys())))
    if inherited:
        return  # a guarded parent's guard runs for its children too
    # Evidence: guarded routes, not sign-in/up pages (their guard sends signed-in users away).
    guarded = [p for p in entries if _GUARD_KEYS & p.keys() and not _public_path(_path(p, source))]
    if not guarded:
        return
    open_pages = [p for p in entries if _unguarded_page(p, source)]
    # Only the exception is evidence: where most pages are open and a few are guarded (a shop with
    # an account area), an open page is the design, not a forgotten guard. Reporting every open
    # sibling gave 24 findings on Juice Shop's router, about 3 of them real.
    if len(open_pages) > len(guarded):
        return
    for pairs in open_pages:
        where = pairs.get("path") or pairs.get("matcher")
        assert where is not None  # _unguarded_page
        examples = "; ".join(
            f"{_route_name(p, source)}: {', '.join(sorted(_GUARD_KEYS & p.keys()))}" for p in guarded[:2]
        )
        yield Hit(
            where.start_byte,
            where.end_byte,
            f"The route {_route_name(pairs, source)} has no canActivate/canMatch guard, while "
            f"{len(guarded)} sibling route(s) in this array have one ({examples}).",
        )


def _unguarded_page(pairs: dict[str, Node], source: bytes) -> bool:
    """A route object of a page with no guard of its own or on its children, and not public."""
    if pairs.get("path") is None and pairs.get("matcher") is None:
        return False
    if _GUARD_KEYS & pairs.keys() or "redirectTo" in pairs or _children_guarded(pairs, source):
        return False
    return not ("path" in pairs and _public_path(_path(pairs, source)))


def _children(pairs: dict[str, Node]) -> Node | None:
    children = pairs.get("children")
    value = children.child_by_field_name("value") if children is not None and children.type == "pair" else None
    return unwrap(value) if value is not None and unwrap(value).type == "array" else None


def _children_guarded(pairs: dict[str, Node], source: bytes) -> bool:
    """A parent whose every child route has a guard (or only redirects) is guarded by them."""
    kids = _children(pairs)
    if kids is None:
        return False
    objects = [_pairs(o, source) for o in named(kids) if unwrap(o).type == "object"]
    return bool(objects) and all(_GUARD_KEYS & k.keys() or "redirectTo" in k for k in objects)


def _path(pairs: dict[str, Node], source: bytes) -> str | None:
    where = pairs.get("path")
    value = where.child_by_field_name("value") if where is not None else None
    return node_text(value, source).strip("'\"`") if value is not None else None


def _public_path(path: str | None) -> bool:
    """The landing page, the catch-all, error pages, sign-in/up pages, pages for every visitor."""
    if path is None:
        return False
    return path in ("", "**") or bool(re.fullmatch(r"\d{3}", path)) or public_by_name(path) or _public_page(path)


def _public_page(path: str) -> bool:
    words = re.findall(r"[a-z]+", path.lower())
    return bool(words) and words[0] in _PUBLIC_PAGES


def _route_name(pairs: dict[str, Node], source: bytes) -> str:
    where = pairs.get("path") or pairs.get("matcher")
    value = where.child_by_field_name("value") if where is not None else None
    return f"`{node_text(value, source).strip(chr(39) + chr(34) + '`')}`" if value is not None else "`?`"


def check_client_routes(ctx: FileContext) -> Iterator[Hit]:
    """`client-route-without-guard`."""
    yield from _check_client_routes(ctx)


def _missing_auth(ctx: FileContext) -> Iterator[Hit]:
    if ctx.language == "python":
        yield from access.check_missing_auth(ctx)
    else:
        yield from check_missing_auth(ctx)


# One check for both languages, so one name (`check: missing-auth-sibling`) in either rule.
MISSING_AUTH = Check(
    "missing-auth-sibling", needs_tree=True, languages=frozenset({"python", *FAMILY}), run=_missing_auth
)
CLIENT_ROUTES = Check(
    "client-route-without-guard", needs_tree=True, languages=frozenset(FAMILY), run=check_client_routes
)
