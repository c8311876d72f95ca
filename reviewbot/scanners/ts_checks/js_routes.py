"""The routes an Express/Koa-router/Fastify/Restify-style module registers, and the JavaScript
half of `missing-auth-sibling` over them (see `js_access`): each route's receiver, verb, paths
and the auth middleware it runs (`js_auth`), the `use`s that cover later routes, and which
state-changing routes have none beside guarded routes of the same resource.

Covered, so no finding: an auth `use(...)` (or Fastify `addHook`) before the route on the same
receiver, for every route (no path) or the routes under its path prefix; an earlier registration
of the same verb and path with auth (Express runs both); routes registered before a pathless
auth `use`, which are placed there to be public; routes whose path says they are for callers
not signed in yet (`/login`, `/register`, `/reset-password`, as for Python).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reviewbot.lang.base import Budget
from reviewbot.lang.javascript.nodes import FUNCTIONS, STRINGS, dotted_text, named, node_text, unwrap
from reviewbot.lang.javascript.scopes import ScopeIndex
from reviewbot.scanners.ts_checks.access import public_by_name
from reviewbot.scanners.ts_checks.js_auth import first_auth
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

_PASSWORD_READ = re.compile(r"""\.password\b|\[\s*['"]password['"]\s*\]""")
# Which files are looked at.
SERVER_FRAMEWORK = re.compile(
    rb"""(?:require\(\s*|from\s+|import\s+)['"](?:express|koa|@koa/router|koa-router|koa-route|fastify|restify"""
    rb"""|polka|hono|express-promise-router|next-connect|@tinyhttp/app|hyper-express|ultimate-express"""
    rb"""|@nestjs/common)['"/]"""
)

_WRITE_VERBS = {"post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "del": "DELETE", "all": "ALL"}
_READ_VERBS = {"get": "GET", "head": "HEAD", "options": "OPTIONS"}
_VERBS = {**_WRITE_VERBS, **_READ_VERBS}
_FASTIFY_HOOKS = frozenset({"onRequest", "preParsing", "preValidation", "preHandler", "beforeHandler"})
_MAX_NODES = 400_000  # nodes one walk visits
_MAX_ROUTES = 2_000  # routes of one receiver compared pairwise (real apps have hundreds)
# HTTP clients have `.post(url, body)` too: a call on one registers no route.
_CLIENTS = frozenset(
    {"axios", "http", "https", "httpclient", "$http", "superagent", "got", "ky", "needle", "supertest"}
)


@dataclass
class Route:
    node: Node  # the registration call
    receiver: str  # `app`, `router`, `this.router`
    verb: str  # POST, ..., ALL, GET, or USE for `use`/`addHook`
    paths: list[str]  # empty: every path
    start: Node  # where a finding starts: the call, or the verb of a `route(path).put(...)` chain
    anchor: Node  # where it ends: the path argument, else that verb
    auth: str | None = None  # the middleware that says it checks the caller
    inline_public: bool = False  # an inline handler reads a password: a login/sign-up
    mounts: list[str] = field(default_factory=list)  # a `use`'s arguments that may be routers

    @property
    def label(self) -> str:
        shown = self.paths[0] if self.paths else "*"
        return f"{self.verb} {shown}"


def _strings(node: Node, source: bytes) -> list[str] | None:
    """The path(s) a path argument names: a string, a substitution-free template, an array of
    them; a regex as its text; None for anything else (not a path)."""
    node = unwrap(node)
    if node.type in STRINGS:
        if node.type == "template_string" and any(c.type == "template_substitution" for c in node.named_children):
            # `/api/${version}/items` as its literal start; `${base}/items` is no path known here
            start = node_text(node, source)[1:].split("${", 1)[0]
            return [start] if start else None
        return [node_text(node, source, 2048)[1:-1]]
    if node.type == "regex":
        return [node_text(node, source)]
    if node.type == "array":
        out: list[str] = []
        for item in named(node):
            found = _strings(item, source)
            if found is None:
                return None
            out.extend(found)
        return out
    return None


def _looks_like_path(paths: list[str]) -> bool:
    return bool(paths) and all(p.startswith(("/", "*", "(")) or p == "" for p in paths)


def _route_chain(call: Node, source: bytes) -> tuple[str, list[str]] | None:
    """(receiver, paths) of `X.route(path).get(...).put(...)` for any call in the chain."""
    obj: Node | None = call
    for _ in range(16):
        if obj is None or obj.type != "call_expression":
            return None
        fn = obj.child_by_field_name("function")
        if fn is None or fn.type != "member_expression":
            return None
        prop = fn.child_by_field_name("property")
        method = node_text(prop, source) if prop is not None else ""
        if method == "route" and obj is not call:
            args = obj.child_by_field_name("arguments")
            kids = named(args) if args is not None else []
            paths = _strings(kids[0], source) if kids else None
            receiver = dotted_text(fn.child_by_field_name("object"), source)
            if paths is None or receiver is None:
                return None
            return receiver, paths
        if method not in _VERBS:
            return None
        obj = fn.child_by_field_name("object")
    return None


def _middleware_nodes(args: list[Node], source: bytes) -> Iterator[Node]:
    """Every middleware among route arguments: arrays flattened, Fastify hook options' values."""
    stack = list(reversed(args))
    seen = 0
    while stack and seen < 256:
        seen += 1
        node = unwrap(stack.pop())
        if node.type == "array":
            stack.extend(reversed(named(node)))
        elif node.type == "object":
            for pair in named(node):
                key = pair.child_by_field_name("key") if pair.type == "pair" else None
                value = pair.child_by_field_name("value") if pair.type == "pair" else None
                if key is not None and value is not None and node_text(key, source).strip("'\"") in _FASTIFY_HOOKS:
                    stack.append(value)
        else:
            yield node


def _registration(call: Node, source: bytes, aliases: dict[str, str]) -> Route | None:
    fn = call.child_by_field_name("function")
    args_node = call.child_by_field_name("arguments")
    if fn is None or fn.type != "member_expression" or args_node is None:
        return None
    prop = fn.child_by_field_name("property")
    method = node_text(prop, source) if prop is not None else ""
    args = named(args_node)
    if method in ("use", "addHook"):
        receiver = dotted_text(fn.child_by_field_name("object"), source)
        if receiver is None or not args:
            return None
        paths: list[str] = []
        rest = args
        if method == "addHook":
            hook = _strings(args[0], source)
            if hook is None or hook[0] not in _FASTIFY_HOOKS:
                return None
            rest = args[1:]
        elif (found := _strings(args[0], source)) is not None:
            if not _looks_like_path(found):
                return None
            paths, rest = found, args[1:]
        route = Route(call, receiver, "USE", paths, call, args[0])
        route.auth = first_auth(list(_middleware_nodes(rest, source)), source, aliases)
        # `app.use("/admin", requireAdmin, adminRouter)`: the routers mounted behind the auth
        route.mounts = [
            dotted_text(a, source) or "" for a in rest if unwrap(a).type in ("identifier", "member_expression")
        ]
        return route
    if method == "route" and len(args) == 1 and unwrap(args[0]).type == "object":
        return _fastify_route(call, fn, unwrap(args[0]), source, aliases)
    if method not in _VERBS:
        return None
    chained = _route_chain(call, source)
    if chained is not None:
        receiver, paths = chained
        rest = args
        start = anchor = prop if prop is not None else fn
    else:
        receiver_or_none = dotted_text(fn.child_by_field_name("object"), source)
        if receiver_or_none is None or not args:
            return None
        receiver = receiver_or_none
        first = _strings(args[0], source)
        # Koa-router's named routes: `router.post("name", "/path", ...)`
        if first is not None and not _looks_like_path(first) and len(args) > 1:
            second = _strings(args[1], source)
            if second is not None and _looks_like_path(second):
                first, args = second, args[1:]
        if first is None or not _looks_like_path(first) or len(args) < 2:
            return None
        paths, rest, start, anchor = first, args[1:], call, args[0]
    route = Route(call, receiver, _VERBS[method], paths, start, anchor)
    # The last argument is the handler, unless it is the only one given to `all` (`app.all("/api/*",
    # requireAuthentication)`); a call in last place may be a middleware factory (an auth-only
    # registration, `app.post(path, isAuthorized())`) or a wrapper (`withAuth(handler)`).
    middleware = [
        a for i, a in enumerate(rest) if i < len(rest) - 1 or route.verb == "ALL" or unwrap(a).type == "call_expression"
    ]
    route.auth = first_auth(list(_middleware_nodes(middleware, source)), source, aliases)
    route.inline_public = any(
        unwrap(a).type in FUNCTIONS and _PASSWORD_READ.search(node_text(a, source, 8192)) for a in rest
    )
    return route


def _fastify_route(call: Node, fn: Node, options: Node, source: bytes, aliases: dict[str, str]) -> Route | None:
    """`fastify.route({ method: "POST", url: "/x", preHandler: [auth], handler })`."""
    receiver = dotted_text(fn.child_by_field_name("object"), source)
    values: dict[str, Node] = {}
    for pair in named(options):
        key = pair.child_by_field_name("key") if pair.type == "pair" else None
        value = pair.child_by_field_name("value") if pair.type == "pair" else None
        if key is not None and value is not None:
            values[node_text(key, source).strip("'\"")] = value
    method = _strings(values["method"], source) if "method" in values else None
    url = _strings(values["url"], source) if "url" in values else None
    if receiver is None or method is None or url is None or not _looks_like_path(url):
        return None
    verbs = [_VERBS.get(m.lower(), m.upper()) for m in method]
    verb = next((v for v in verbs if v in _WRITE_VERBS.values()), verbs[0] if verbs else "GET")
    route = Route(call, receiver, verb, url, call, values["url"])
    route.auth = first_auth(list(_middleware_nodes([options], source)), source, aliases)
    return route


def _covers(prefix: str, path: str) -> bool:
    """Express `use(prefix)` matching: the path itself or anything under it (`/api` covers
    `/api/x`, not `/apix`); a trailing `*` (`/api/*`, as `all` routes write it) likewise."""
    prefix, path = prefix.rstrip("*").rstrip("/").lower(), path.lower()
    if prefix in ("", "(.*)"):
        return True
    return path == prefix or path.startswith(prefix + "/")


def _module_aliases(ctx: FileContext) -> dict[str, str]:
    assert ctx.tree is not None
    scope = ScopeIndex(ctx.source, ctx.tree.root_node).scope(ctx.tree.root_node, Budget(200_000, 2.0))
    return scope.aliases


def _calls(root: Node) -> Iterator[Node]:
    stack = [root]
    seen = 0
    while stack and seen < _MAX_NODES:
        seen += 1
        node = stack.pop()
        if node.type == "call_expression":
            yield node
        stack.extend(reversed(node.named_children))


def check_server_routes(ctx: FileContext) -> Iterator[Hit]:
    assert ctx.tree is not None
    aliases = _module_aliases(ctx)
    by_receiver: dict[str, list[Route]] = {}
    for call in _calls(ctx.tree.root_node):
        if ctx.deadline.passed():
            return
        route = _registration(call, ctx.source, aliases)
        if route is not None and route.receiver.rsplit(".", 1)[-1].lower() not in _CLIENTS:
            by_receiver.setdefault(route.receiver, []).append(route)
    # A router mounted behind an auth middleware in this file is covered as a whole.
    behind_auth = {m for rs in by_receiver.values() for r in rs if r.auth is not None for m in r.mounts}
    for receiver, routes in by_receiver.items():
        if receiver in behind_auth:
            continue
        routes.sort(key=lambda r: r.start.start_byte)  # a chain's calls share a start; their verbs do not
        yield from _unguarded(routes[:_MAX_ROUTES], ctx)


def _public(route: Route) -> bool:
    return route.inline_public or any(public_by_name(p) for p in route.paths)


def _resource(path: str) -> tuple[str, ...]:
    """The static segments of a path before its first parameter or pattern, lowercased (Express
    matches paths case-insensitively): `/api/items/:id` and `/api/items` are both `api/items`."""
    out: list[str] = []
    for segment in path.split("/"):
        if not segment:
            continue
        if not re.fullmatch(r"[\w.@~-]+", segment):
            break
        out.append(segment.lower())
    return tuple(out)


def _related(a: Route, b: Route) -> bool:
    """Routes of one resource: a path the same as, above or below the other's, segment-wise."""
    for p in a.paths:
        for q in b.paths:
            x, y = _resource(p), _resource(q)
            if x[: len(y)] == y or y[: len(x)] == x:
                return True
    return False


def _unguarded(routes: list[Route], ctx: FileContext) -> Iterator[Hit]:
    # Evidence: routes with their own auth middleware and path-scoped auth `use`s, not a public
    # route's (`router.post("/login", passport.authenticate("local"), ...)` signs callers in).
    # Only evidence on the same resource counts (the same path, one above or below it): an app
    # file mixes public areas with guarded ones, and a route beside guarded routes of another
    # area is mostly public by design (measured on
    # Juice Shop's server.ts: see docs/treesitter-rules.md).
    evidence = [r for r in routes if r.auth is not None and (r.verb != "USE" or r.paths) and not _public(r)]
    if not evidence:
        return
    global_auth = [r for r in routes if r.verb == "USE" and not r.paths and r.auth is not None]
    guarded = [r for r in routes if r.auth is not None]  # in source order, as `routes`
    starts = [r.start.start_byte for r in guarded]
    seen: set[tuple[str, str]] = set()
    for route in routes:
        if ctx.deadline.passed():
            return
        if route.verb not in _WRITE_VERBS.values():
            continue
        keys = {(route.verb, p.lower()) for p in route.paths}
        first_time = not keys <= seen
        seen |= keys
        if route.auth is not None or not first_time or _public(route):
            continue
        if global_auth:
            continue  # before a pathless auth `use`: public by placement; after it: covered
        if any(_covered_by(e, route) for e in guarded[: bisect.bisect_left(starts, route.start.start_byte)]):
            continue
        related = [e for e in evidence if _related(e, route)]
        if not related:
            continue
        nearest = sorted(related, key=lambda e: abs(e.start.start_byte - route.start.start_byte))[:2]
        shown = "; ".join(f"`{e.label}`: {e.auth}" for e in nearest)
        yield Hit(
            route.start.start_byte,
            max(route.anchor.end_byte, route.start.end_byte),
            f"`{route.label}` on `{route.receiver}` has no authentication/authorization middleware, while "
            f"{len(related)} route(s) on the same path, or one above or below it, have one ({shown}).",
        )


def _covered_by(earlier: Route, route: Route) -> bool:
    if earlier.auth is None:
        return False
    if earlier.verb == "USE":
        return all(any(_covers(p, q) for p in earlier.paths) for q in route.paths)
    if earlier.verb in (route.verb, "ALL"):
        return all(
            any(p.lower() == q.lower() or (p.endswith("*") and _covers(p, q)) for p in earlier.paths)
            for q in route.paths
        )
    return False
