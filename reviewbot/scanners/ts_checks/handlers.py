"""The web request handlers of one Python module, as the access-control checks (`access`) see
them: which functions and methods serve requests (Flask/Quart/FastAPI/Starlette/Bottle/Sanic
route decorators, Pyramid `view_config`, Django/aiohttp/Pyramid function views taking `request`,
Tornado/aiohttp/Flask/Django/DRF handler classes), which HTTP verbs they take, and what in the
code says each one checks who is calling (an auth decorator, a check in the body, an auth mixin
or decorators list on its class). A module that imports no web framework has no handlers, so
libraries (click, httpx, attrs, jinja) are never looked at.

Everything here is text and syntax evidence, not semantics: a decorator named `login_required`
is taken to check a login. The checks that use it carry low confidence for that reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reviewbot.scanners.ts_file import FileContext

if TYPE_CHECKING:
    from tree_sitter import Node

WEB_FRAMEWORK = re.compile(
    rb"^[ \t]*(?:from|import)[ \t]+(?:flask|quart|django|rest_framework|fastapi|starlette|aiohttp|tornado"
    rb"|pyramid|bottle|falcon|sanic|cherrypy|litestar|werkzeug)\b",
    re.MULTILINE,
)
# `@app.route(...)`, `@router.post(...)`, `@bp.get(...)`, `@route(...)`, `@view_config(...)`
_ROUTE_DECORATOR = re.compile(
    r"^@\s*(?:[\w.]+\.)?(route|get|post|put|patch|delete|api_route|websocket|view_config|view_defaults)\s*\("
)
_VERB_ATTRIBUTE = {"post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "get": "GET"}
_WRITE_VERBS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_VERBS_IN_TEXT = re.compile(r"""['"](POST|PUT|PATCH|DELETE)['"]""", re.IGNORECASE)
_HANDLER_BASE = re.compile(r"(RequestHandler|Handler|View|ViewSet|Resource|APIView|Endpoint|HTTPEndpoint|Controller)\b")
# Methods of a handler class that serve requests: the verbs, DRF/FlaskView actions.
_HANDLER_METHODS = frozenset({
    "get", "post", "put", "patch", "delete", "head", "options", "index", "list", "retrieve",
    "create", "update", "partial_update", "destroy",
})  # fmt: skip
_METHOD_VERBS = {
    "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "create": "POST",
    "update": "PUT", "partial_update": "PATCH", "destroy": "DELETE",
}  # fmt: skip
# A decorator (its dotted name) or a class base/attribute that restricts who may call.
AUTH_NAME = re.compile(
    r"login|auth|permission|perm_required|role|jwt|token_required|admin|staff|superuser|user_passes_test"
    r"|protected|secured|signed_in|logged_in|requires_user|current_user",
    re.IGNORECASE,
)
DEPENDS = re.compile(r"(?:Depends|Security)\(\s*([\w.]+)")
# A check on the caller in a handler's body. `session['user'] = …` (a login) is not a check.
BODY_AUTH = re.compile(
    r"\.is_authenticated|\.is_anonymous|\bcurrent_user\b|get_current_user|get_auth_user|authorized_userid"
    r"|check_authorized|check_permission|has_perm|get_jwt_identity|verify_jwt_in_request|require_login"
    r"|abort\(\s*40[13]|HTTP(?:Forbidden|Unauthorized)|PermissionDenied|NotAuthenticated|redirect_to_login"
    r"""|session\.get\(\s*['"]\w*(?:user|login|logged|auth|uid)\w*['"]"""
    r"""|session\[\s*['"]\w*(?:user|login|logged|auth|uid)\w*['"]\s*\](?!\s*=[^=])"""
)
_REQUEST_FIRST = re.compile(r"^\(\s*(?:self\s*,\s*)?(request|req)\b\s*(?::\s*[\w.]+)?\s*[,)]")
_REQUEST_METHOD = re.compile(r"""\.method\s*(?:==|!=|in|not\s+in)\s*[\[(]?[^\n]*?['"](POST|PUT|PATCH|DELETE)['"]""")


@dataclass
class Handler:
    node: Node  # the function_definition
    name: str
    cls: str | None
    decorators: list[str]
    params: str
    body: str
    verbs: set[str] = field(default_factory=set)
    auth: str | None = None  # what says it checks the caller, for the message

    @property
    def writes(self) -> bool:
        """Declared to take a state-changing verb, or tests for one in its body."""
        return bool(self.verbs & _WRITE_VERBS)

    @property
    def label(self) -> str:
        return f"{self.cls}.{self.name}" if self.cls else self.name


# The last file's handlers: the checks of `access` run one after another on the same tree, so
# each file is read once. One tuple, replaced whole, so a reader never pairs a tree with another
# file's handlers; holding the tree keeps its identity from being reused.
_last: tuple[object, list[Handler]] = (None, [])


def module_handlers(ctx: FileContext) -> list[Handler]:
    """Every request handler at module level or in a handler class; none outside web modules."""
    global _last
    if ctx.tree is None or WEB_FRAMEWORK.search(ctx.source) is None:
        return []
    tree, handlers = _last
    if tree is ctx.tree:
        return handlers
    found = _find_handlers(ctx)
    _last = (ctx.tree, found)
    return found


def _find_handlers(ctx: FileContext) -> list[Handler]:
    assert ctx.tree is not None
    found: list[Handler] = []
    for child in ctx.tree.root_node.named_children:
        decorators, definition = unwrap(ctx, child)
        if definition is None:
            continue
        if definition.type == "function_definition":
            handler = _function_handler(ctx, definition, decorators, None, None)
            if handler is not None:
                found.append(handler)
        elif definition.type == "class_definition":
            found.extend(_class_handlers(ctx, definition, decorators))
    return found


def route_decorators(decorators: list[str]) -> list[str]:
    """The decorators of `decorators` that route requests (`@app.route(...)`, `@router.post(...)`)."""
    return [d for d in decorators if _ROUTE_DECORATOR.match(d)]


def unwrap(ctx: FileContext, node: Node) -> tuple[list[str], Node | None]:
    """A statement's decorators (their text) and the function or class it defines (None: neither)."""
    if node.type == "decorated_definition":
        decorators = [ctx.text(d) for d in node.named_children if d.type == "decorator"]
        return decorators, node.child_by_field_name("definition")
    if node.type in ("function_definition", "class_definition"):
        return [], node
    return [], None


def _function_handler(
    ctx: FileContext, node: Node, decorators: list[str], cls: str | None, class_auth: str | None
) -> Handler | None:
    name_node, params_node, body_node = (node.child_by_field_name(f) for f in ("name", "parameters", "body"))
    if name_node is None or params_node is None or body_node is None:
        return None
    name, params, body = ctx.text(name_node), ctx.text(params_node), ctx.text(body_node)
    routes = route_decorators(decorators)
    in_class = cls is not None
    serves = routes or (name in _HANDLER_METHODS if in_class else _REQUEST_FIRST.match(params))
    if not serves:
        return None
    handler = Handler(node, name, cls, decorators, params, body)
    for route in routes:
        verb = _ROUTE_DECORATOR.match(route)
        if verb is not None and verb.group(1) in _VERB_ATTRIBUTE:
            handler.verbs.add(_VERB_ATTRIBUTE[verb.group(1)])
        handler.verbs.update(v.upper() for v in _VERBS_IN_TEXT.findall(route))
    if in_class and name in _METHOD_VERBS:
        handler.verbs.add(_METHOD_VERBS[name])
    handler.verbs.update(v.upper() for v in _REQUEST_METHOD.findall(body))
    for other in decorators:
        if other in routes:
            handler.verbs.update(v.upper() for v in _VERBS_IN_TEXT.findall(other))
        elif "require_POST" in other:
            handler.verbs.add("POST")
        elif "require_http_methods" in other:
            handler.verbs.update(v.upper() for v in _VERBS_IN_TEXT.findall(other))
    handler.auth = class_auth or _auth_evidence(decorators, routes, params, body)
    return handler


def _auth_evidence(decorators: list[str], routes: list[str], params: str, body: str) -> str | None:
    for decorator in decorators:
        if decorator in routes:
            continue
        dotted = re.match(r"@\s*([\w.]+)", decorator)
        if dotted is not None and AUTH_NAME.search(dotted.group(1)):
            return f"`@{dotted.group(1)}`"
    for text in [*routes, params]:
        for dependency in DEPENDS.findall(text):
            if AUTH_NAME.search(dependency):
                return f"`Depends({dependency})`"
    check = BODY_AUTH.search(body)
    return f"`{check.group(0)}`" if check is not None else None


def _class_handlers(ctx: FileContext, node: Node, decorators: list[str]) -> list[Handler]:
    name_node, bases_node, body_node = (node.child_by_field_name(f) for f in ("name", "superclasses", "body"))
    if name_node is None or bases_node is None or body_node is None:
        return []
    bases = ctx.text(bases_node)
    if not _HANDLER_BASE.search(bases):
        return []
    class_auth = _class_auth(ctx, bases, decorators, body_node)
    found: list[Handler] = []
    for child in body_node.named_children:
        method_decorators, definition = unwrap(ctx, child)
        if definition is not None and definition.type == "function_definition":
            handler = _function_handler(ctx, definition, method_decorators, ctx.text(name_node), class_auth)
            if handler is not None:
                found.append(handler)
    return found


def _class_auth(ctx: FileContext, bases: str, decorators: list[str], body: Node) -> str | None:
    """An auth mixin base, an auth class decorator, or `decorators = [...]`-style class attributes."""
    for base in re.findall(r"[\w.]+", bases):
        if AUTH_NAME.search(base) and not _HANDLER_BASE.fullmatch(base.rsplit(".", 1)[-1]):
            return f"base `{base}`"
    for decorator in decorators:
        if AUTH_NAME.search(decorator.split("(", 1)[0]):
            return f"`{decorator.split('(', 1)[0]}`"
    for child in body.named_children:
        if child.type == "expression_statement" and child.named_children[0].type == "assignment":
            text = ctx.text(child)
            target = text.split("=", 1)[0].strip()
            if target in ("decorators", "method_decorators", "permission_classes", "authentication_classes"):
                value = text.split("=", 1)[1]
                if AUTH_NAME.search(value) and "AllowAny" not in value:
                    return f"`{target}`"
    return None
