"""Missing authorization on JavaScript/TypeScript routes whose siblings have it, the counterpart
of `access`'s Python `missing-auth-sibling`:

* `missing-auth-sibling` (its JavaScript half, CWE-862): a state-changing route (POST/PUT/PATCH/
  DELETE or `all`) registered on an Express/Koa-router/Fastify/Restify-style app or router with
  no auth middleware, where other routes on the same app or router have one (`app.put(path,
  auth.isAuthorized(), h)`, `router.delete(path, requireLogin, h)`, `fastify.post(path,
  {preHandler: [auth]}, h)`), and a NestJS controller's `@Post`/`@Put`/`@Patch`/`@Delete` method
  with no guard where sibling methods have `@UseGuards` (and the class has none);
* `client-route-without-guard` (CWE-862, rated lower): an Angular route object with a `path:`
  (or `matcher:`) and no `canActivate`/`canMatch`/`canLoad`/`canActivateChild` in a routes array
  where sibling route objects have one. The server must check anyway, so this is a hint.

Covered, so no finding: an auth `use(...)` (or Fastify `addHook`) before the route on the same
receiver, for every route (no path) or the routes under its path prefix; an earlier registration
of the same verb and path with auth (Express runs both); routes registered before a pathless
auth `use`, which are placed there to be public; routes whose path says they are for callers
not signed in yet (`/login`, `/register`, `/reset-password`, as for Python).

What counts as auth is one vocabulary, `is_auth_name`, over names: a middleware's callee or
identifier (resolved through the module's imports, so `import { check as mw } from
"./middleware/auth"` counts), or a decorator. It is a heuristic, so the rules carry low
confidence and the model weighs them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewbot.lang.base import Budget
from reviewbot.lang.javascript.nodes import CLASSES, COMMENTS, FUNCTIONS, STRINGS, dotted_text, named, node_text, unwrap
from reviewbot.lang.javascript.scopes import ScopeIndex, resolve_alias
from reviewbot.lang.javascript.syntax import FAMILY
from reviewbot.scanners.ts_checks import access
from reviewbot.scanners.ts_checks.access import public_by_name
from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

# --- The auth vocabulary (the one place it is kept) -----------------------------------------
# Drawn from what projects and their frameworks' guides write: passport.authenticate,
# connect-ensure-login's ensureLoggedIn, express-openid-connect's requiresAuth, express-jwt /
# Auth0's checkJwt, verifyToken / authenticateToken, `protect` + `restrictTo(...)`, isAdmin,
# hasRole / checkRole / authorize(roles), checkPermissions, keycloak.protect, fastify.authenticate
# / fastify.auth, Clerk's requireAuth, SuperTokens' verifySession, NestJS @UseGuards / @Auth /
# @Roles. A name is split into words (camelCase, `_`, `-`); it is auth when
# * a guard verb is followed by a guard noun (`isAuthorized`, `requireLogin`, `verifyToken`), or
# * its first word is a guard word and any second word a noun or a middleware suffix (`auth`,
#   `protect`, `authMiddleware`, `jwtCheck`, `adminOnly`, `denyAll`, `restrictTo`), or
# * a guard noun is followed by `required`/`only` (`loginRequired`).
# `updateAuthenticatedUsers`, `jwtChallenges`, `authRoutes`, `authController.login` are not.
_GUARD_VERBS = frozenset({
    "is", "require", "requires", "required", "ensure", "check", "verify", "must", "only", "has", "need", "needs",
    "authenticate", "authorize", "authorise", "validate", "restrict", "deny", "protect", "guard",
})  # fmt: skip
_GUARD_NOUNS = frozenset({
    "auth", "authn", "authz", "authenticated", "authentication", "authorized", "authorised", "authorization",
    "login", "logged", "loggedin", "signin", "signed", "user", "admin", "admins", "token", "jwt", "bearer",
    "role", "roles", "permission", "permissions", "scope", "scopes", "session", "owner", "access", "superuser",
    "staff", "api", "apikey",
})  # fmt: skip
_FIRST_WORDS = frozenset({
    "auth", "authn", "authz", "authenticate", "authenticated", "authorize", "authorise", "authorized",
    "protect", "protected", "guard", "guarded", "jwt", "expressjwt", "checkjwt", "jwtcheck", "restrict",
    "permit", "acl", "rbac", "deny", "denyall", "bearer", "admin", "roles", "role", "permissions", "loggedin",
})  # fmt: skip
_SUFFIXES = frozenset({
    "middleware", "mw", "guard", "guards", "check", "checker", "required", "only", "handler", "filter",
    "verify", "verifier", "strategy", "to", "any", "by", "with", "all",
})  # fmt: skip
# `validate` is input validation unless it validates a credential.
_VALIDATE_NOUNS = frozenset({"token", "jwt", "session", "bearer", "apikey", "auth"})
# Names that look like auth words but are not a check on the caller, or not middleware at all.
_NOT_AUTH = re.compile(r"csrf|xsrf|limit|throttl|cors|routes?(?![a-z])|router|controller", re.IGNORECASE)
# Packages whose export is an auth middleware (`const jwt = require("express-jwt")`).
_AUTH_PACKAGES = re.compile(
    r"^(?:express-jwt|express-openid-connect|express-oauth2-jwt-bearer|connect-ensure-login|express-basic-auth"
    r"|keycloak-connect|express-jwt-permissions|koa-jwt|koa-basic-auth|@clerk/[\w-]+|@fastify/(?:jwt|auth"
    r"|basic-auth|bearer-auth)|fastify-(?:jwt|auth|basic-auth|bearer-auth)|@auth0/[\w-]+|supertokens-node[\w/-]*)"
    r"(?:\.|$)"
)
# A local module named for auth (`./middleware/auth`, `../guards/jwt`), not a routes folder.
_AUTH_MODULE_FILE = re.compile(
    r"(?:^|[/_.-])(?:auth|authn|authz|authenticate|authentication|authorize|authorization|jwt|guards?|acl|rbac"
    r"|permissions?|is-?auth(?:enticated)?)(?:[._-]?(?:middleware|mw|guard|check))?$",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def is_auth_name(name: str) -> bool:
    """Whether a middleware's or decorator's dotted name (aliases resolved) reads as an auth check."""
    if _AUTH_PACKAGES.match(name):
        return True
    last = name.rsplit(".", 1)[-1]
    # An import resolved to its module: `./middleware/auth.check`, `../guards/jwt` (a default import)
    imported = re.match(r"^(?P<path>.*/[\w@-]+)(?:\.[cm]?[jt]sx?)?(?:\.(?P<rest>[\w$.]+))?$", name)
    if imported is not None:
        path, last = imported.group("path"), (imported.group("rest") or "").rsplit(".", 1)[-1]
        if not _NOT_AUTH.search(path) and _AUTH_MODULE_FILE.search(path) and not _NOT_AUTH.search(last):
            return True
    if _NOT_AUTH.search(last):
        return False
    words = [w.lower() for w in _WORDS.findall(last)]
    if not words:
        return False
    if words[0] in _FIRST_WORDS and (len(words) == 1 or words[1] in _GUARD_NOUNS or words[1] in _SUFFIXES):
        return True
    for verb, noun in itertools.pairwise(words):
        if verb in _GUARD_NOUNS and noun in ("required", "only"):  # `loginRequired`, `userOnly`
            return True
        if verb == "validate":
            if noun in _VALIDATE_NOUNS:
                return True
        elif verb in _GUARD_VERBS and noun in _GUARD_NOUNS:
            return True
    return False


# An inline middleware that checks the caller itself.
_INLINE_AUTH = re.compile(
    r"\b(?:req|request|ctx)\.(?:user|isAuthenticated|session\.user|state\.user)\b|\bstatus\(\s*40[13]\b"
    r"|sendStatus\(\s*40[13]\b|\bthrow\(\s*40[13]\b|[Uu]nauthori[sz]ed|[Ff]orbidden"
)
_PASSWORD_READ = re.compile(r"""\.password\b|\[\s*['"]password['"]\s*\]""")

# --- Which files are looked at ------------------------------------------------------------
_SERVER_FRAMEWORK = re.compile(
    rb"""(?:require\(\s*|from\s+|import\s+)['"](?:express|koa|@koa/router|koa-router|koa-route|fastify|restify"""
    rb"""|polka|hono|express-promise-router|next-connect|@tinyhttp/app|hyper-express|ultimate-express"""
    rb"""|@nestjs/common)['"/]"""
)
_ANGULAR_ROUTER = re.compile(rb"""['"]@angular/router['"]""")

_WRITE_VERBS = {"post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "del": "DELETE", "all": "ALL"}
_READ_VERBS = {"get": "GET", "head": "HEAD", "options": "OPTIONS"}
_VERBS = {**_WRITE_VERBS, **_READ_VERBS}
_FASTIFY_HOOKS = frozenset({"onRequest", "preParsing", "preValidation", "preHandler", "beforeHandler"})
_MAX_CALLS = 50_000
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
            return [node_text(node, source)[1:].split("${", 1)[0]]
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


def _auth_of(node: Node, source: bytes, aliases: dict[str, str]) -> str | None:
    """The text that says this middleware checks the caller, else None."""
    target = node
    if node.type == "call_expression":
        target = node.child_by_field_name("function") or node
        # `expressjwt({...}).unless({...})`, `utils.wrap(auth)`: look one call further in
        if target.type == "member_expression":
            inner = target.child_by_field_name("object")
            if inner is not None and inner.type == "call_expression":
                found = _auth_of(inner, source, aliases)
                if found is not None:
                    return found
    if target.type in FUNCTIONS:
        body = target.child_by_field_name("body")
        text = node_text(body, source, 4096) if body is not None else ""
        return "an inline check" if _INLINE_AUTH.search(text) else None
    name = dotted_text(target, source)
    if name is None:
        return None
    if is_auth_name(name) or is_auth_name(resolve_alias(name, aliases)):
        return f"`{' '.join(node_text(node, source, 80).split())}`"
    return None


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
        route.auth = _first_auth(list(_middleware_nodes(rest, source)), source, aliases)
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
    # The last argument is the handler when there is more than one; a lone argument is either a
    # handler or an auth-only registration (`app.post(path, security.isAuthorized())`), which
    # only a middleware factory call can be.
    middleware = rest[:-1] if len(rest) > 1 else [a for a in rest if unwrap(a).type == "call_expression"]
    route.auth = _first_auth(list(_middleware_nodes(middleware, source)), source, aliases)
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
    route.auth = _first_auth(list(_middleware_nodes([options], source)), source, aliases)
    return route


def _first_auth(nodes: list[Node], source: bytes, aliases: dict[str, str]) -> str | None:
    for node in nodes:
        found = _auth_of(node, source, aliases)
        if found is not None:
            return found
    return None


def _covers(prefix: str, path: str) -> bool:
    """Express `use(prefix)` matching: the path itself or anything under it (`/api` covers
    `/api/x`, not `/apix`); a trailing `*` (`/api/*`, as `all` routes write it) likewise."""
    prefix = prefix.rstrip("*").rstrip("/")
    if prefix in ("", "(.*)"):
        return True
    return path == prefix or path.startswith(prefix + "/")


def _module_aliases(ctx: FileContext) -> dict[str, str]:
    assert ctx.tree is not None
    scope = ScopeIndex(ctx.source, ctx.tree.root_node).scope(ctx.tree.root_node, Budget(200_000, 2.0))
    return scope.aliases


def _calls(root: Node, ctx: FileContext) -> Iterator[Node]:
    stack = [root]
    seen = 0
    while stack and seen < _MAX_CALLS * 8:
        seen += 1
        node = stack.pop()
        if node.type == "call_expression":
            yield node
        stack.extend(reversed(node.named_children))


def _check_server_routes(ctx: FileContext) -> Iterator[Hit]:
    assert ctx.tree is not None
    aliases = _module_aliases(ctx)
    by_receiver: dict[str, list[Route]] = {}
    for call in _calls(ctx.tree.root_node, ctx):
        if ctx.deadline.passed():
            return
        route = _registration(call, ctx.source, aliases)
        if route is not None and route.receiver.rsplit(".", 1)[-1].lower() not in _CLIENTS:
            by_receiver.setdefault(route.receiver, []).append(route)
    for routes in by_receiver.values():
        routes.sort(key=lambda r: r.node.start_byte)
        yield from _unguarded(routes)


def _public(route: Route) -> bool:
    return route.inline_public or any(public_by_name(p) for p in route.paths)


def _unguarded(routes: list[Route]) -> Iterator[Hit]:
    # Evidence: routes with their own auth middleware and path-scoped auth `use`s, not a public
    # route's (`router.post("/login", passport.authenticate("local"), ...)` signs callers in).
    evidence = [r for r in routes if r.auth is not None and (r.verb != "USE" or r.paths) and not _public(r)]
    if not evidence:
        return
    global_auth = [r for r in routes if r.verb == "USE" and not r.paths and r.auth is not None]
    seen: set[tuple[str, str]] = set()
    for index, route in enumerate(routes):
        if route.verb not in _WRITE_VERBS.values():
            continue
        keys = {(route.verb, p) for p in route.paths}
        first_time = not keys <= seen
        seen |= keys
        if route.auth is not None or not first_time or _public(route):
            continue
        if global_auth:
            continue  # before a pathless auth `use`: public by placement; after it: covered
        earlier = routes[:index]
        if any(_covered_by(e, route) for e in earlier):
            continue
        nearest = sorted(evidence, key=lambda e: abs(e.node.start_byte - route.node.start_byte))[:2]
        shown = "; ".join(f"`{e.label}`: {e.auth}" for e in nearest)
        yield Hit(
            route.start.start_byte,
            max(route.anchor.end_byte, route.start.end_byte),
            f"`{route.label}` on `{route.receiver}` has no authentication/authorization middleware, while "
            f"{len(evidence)} other route(s) on it have one ({shown}).",
        )


def _covered_by(earlier: Route, route: Route) -> bool:
    if earlier.auth is None:
        return False
    if earlier.verb == "USE":
        return all(any(_covers(p, q) for p in earlier.paths) for q in route.paths)
    if earlier.verb in (route.verb, "ALL"):
        return all(any(p == q or (p.endswith("*") and _covers(p, q)) for p in earlier.paths) for q in route.paths)
    return False


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
    if ctx.tree is None or ctx.language not in FAMILY or _SERVER_FRAMEWORK.search(ctx.source) is None:
        return
    yield from _check_server_routes(ctx)
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
    while stack and seen < _MAX_CALLS * 8:
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
    entries = [(o, _pairs(o, source)) for o in named(array) if unwrap(o).type == "object"]
    for _, pairs in entries:
        children = pairs.get("children")
        value = children.child_by_field_name("value") if children is not None and children.type == "pair" else None
        if value is not None and unwrap(value).type == "array":
            pending.append((unwrap(value), inherited or bool(_GUARD_KEYS & pairs.keys())))
    if inherited:
        return  # a guarded parent's guard runs for its children too
    guarded = [(o, p) for o, p in entries if _GUARD_KEYS & p.keys()]
    if not guarded:
        return
    for _, pairs in entries:
        where = pairs.get("path") or pairs.get("matcher")
        if where is None or _GUARD_KEYS & pairs.keys() or "redirectTo" in pairs:
            continue
        value = where.child_by_field_name("value")
        shown_path = node_text(value, source) if value is not None else ""
        path = shown_path.strip("'\"`")
        if "path" in pairs and (path in ("", "**") or re.fullmatch(r"\d{3}", path) or public_by_name(path)):
            continue  # the landing page, the catch-all, error pages, sign-in and sign-up pages
        examples = "; ".join(
            f"{_route_name(p, source)}: {', '.join(sorted(_GUARD_KEYS & p.keys()))}" for _, p in guarded[:2]
        )
        yield Hit(
            where.start_byte,
            where.end_byte,
            f"The route {_route_name(pairs, source)} has no canActivate/canMatch guard, while "
            f"{len(guarded)} sibling route(s) in this array have one ({examples}).",
        )


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
