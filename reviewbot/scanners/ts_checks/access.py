"""Access-control checks that need a module-level view of its request handlers (`handlers`):

* `missing-auth-sibling` (CWE-306/862): a handler that takes a state-changing request and reads
  input, writes data or runs something, with no authentication check, in a module where another
  handler has one — the module's own code says callers are expected to be checked;
* `unscoped-object-lookup` (CWE-639): an authenticated handler that loads an object by an id from
  the request or the URL (`Model.objects.get(pk=...)`, `Model.query.get(...)`, `filter_by(id=...)`,
  `get_object_or_404`) with no owner in the lookup and no comparison with the caller after it;
* `login-without-rate-limit` (CWE-307): a handler that reads a password from the request and
  verifies it, in a module with no sign of a rate limit, lockout or captcha (reported on the
  handler's `def`);
* `credential-enumeration-messages` (CWE-204): a function that verifies a password and answers
  an unknown account and a wrong password with different messages (any function, not only
  handlers: the check is often in a helper the login view calls);
* `admin-handler-without-role-check` (CWE-285/862): a handler whose name, class or route says it
  serves the admin area, which checks that the caller is signed in and nothing about who the
  caller is (no role, staff, superuser or permission check in its decorators, body or class,
  and no such check in a before-request hook of the module): any signed-in user is an admin.

Each is a heuristic over names and text (a decorator called `login_required` is taken at its
word), so its rules carry low confidence and the model weighs them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_checks.handlers import DEPENDS, Handler, module_handlers, route_decorators, unwrap
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

# Handlers whose job is to serve callers who are not signed in yet, by a word of their name
# (`LoginHandler`, `reset_password`, `sign_up`: camelCase, `_` and `.` split words).
_PUBLIC_WORDS = frozenset({
    "login", "logout", "signin", "signout", "signup", "logon", "register", "registration", "reset",
    "forgot", "recover", "recovery", "activate", "activation", "verify", "verification", "confirm",
    "callback", "oauth", "oauth2", "sso", "saml", "health", "healthz", "ping", "webhook", "webhooks",
    "public", "static", "error", "csrf", "captcha", "auth", "authenticate", "authorize",
})  # fmt: skip


def name_words(label: str) -> list[str]:
    """The words of a name or path, lower-cased: camelCase, `_`, `.`, `/` and `-` split them."""
    return [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", label)]


def public_by_name(label: str) -> bool:
    """Whether a handler's name or a route's path says it serves callers not signed in yet."""
    words = name_words(label)
    pairs = [a + b for a, b in itertools.pairwise(words)]
    return any(w in _PUBLIC_WORDS for w in [*words, *pairs])


# What a state-changing handler does that is worth guarding: reads input, writes, runs.
_DOES_SOMETHING = re.compile(
    r"request\.(?:form|args|json|get_json|data|files|values|POST|body|post\(|match_info|query_params|params)"
    r"|self\.get_(?:body_)?argument|self\.request\.(?:body|files|arguments)|get_json\(|\.commit\(|\.save\("
    r"|\.delete\(|\.create\(|\.update\(|\.add\(|\.insert|execute\(|os\.(?:system|popen)|subprocess\.|eval\(|exec\("
)


def check_missing_auth(ctx: FileContext) -> Iterator[Hit]:
    """The Python half of `missing-auth-sibling` (`js_access` holds the check and its other half)."""
    handlers = module_handlers(ctx)
    guarded = [h for h in handlers if h.auth is not None]
    if not guarded:
        return
    for handler in handlers:
        if ctx.deadline.passed():
            return
        if handler.auth is not None or not handler.writes or not _DOES_SOMETHING.search(handler.body):
            continue
        if public_by_name(handler.label) or _PASSWORD_READ.search(handler.body):
            continue  # signs in, signs up or resets: public by nature
        example = guarded[0]
        verbs = "/".join(sorted(handler.verbs - {"GET"})) or "state-changing"
        yield _at_name(
            handler,
            f"`{handler.label}` takes {verbs} requests with no authentication check, while "
            f"{len(guarded)} other handler(s) in this module check the caller (`{example.label}`: {example.auth}).",
        )


_LOOKUP = re.compile(
    r"(?:\.objects\.(?:get|filter|select_for_update)|\bget_object_or_404|\.query\.(?:get|get_or_404|filter_by)"
    r"|\.get_or_404|\bsession\.get|\.find_one|\.find_by_id|\.get_by_id)$"
)
_ID_KEY = re.compile(r"^(?:id|pk|uuid|\w+_(?:id|pk|uuid))$")
_OWNER_KEY = re.compile(r"user|owner|author|creator|account|tenant|org|team|member|customer|profile", re.IGNORECASE)
_FROM_CALLER = re.compile(r"current_user|request\.user|g\.user|self\.current_user|session\b|\bme\b")
_FROM_REQUEST = re.compile(
    r"request|\bdata\b|\bform\b|\bargs\b|\bparams\b|get_argument|match_info|json|\bkwargs\b|\bPOST\b|\bGET\b"
)
_OWNERSHIP_AFTER = re.compile(
    r"(?:==|!=|\bis\b|\bin\b)[^\n]*(?:current_user|request\.user|g\.user|self\.current_user|owner)"
    r"|(?:current_user|request\.user|g\.user|self\.current_user|owner\w*)[^\n]*(?:==|!=)"
    r"|has_perm|has_object_permission|check_object_permissions|permission|authoriz|owning|is_owner"
    r"|can_(?:view|edit|delete|access|read|write)",
)
_ADMIN_ONLY = re.compile(r"admin|staff|superuser|permission_required|roles?_(?:required|accepted)", re.IGNORECASE)


def _check_unscoped_lookup(ctx: FileContext) -> Iterator[Hit]:
    for handler in module_handlers(ctx):
        if ctx.deadline.passed():
            return
        if handler.auth is None or any(_ADMIN_ONLY.search(d.split("(", 1)[0]) for d in handler.decorators):
            continue
        body = handler.node.child_by_field_name("body")
        if body is None:
            continue
        params = set(re.findall(r"\b(\w+)\b", handler.params))
        origins = _assignments(ctx, body)
        for call, value in _id_lookups(ctx, body):
            origin = origins.get(value, value)
            if value in params and value not in ("self", "request"):
                pass  # an id from the URL
            elif _FROM_CALLER.search(origin) or not _FROM_REQUEST.search(origin):
                continue
            statement = _statement(call)
            text = ctx.text(call)
            if _FROM_CALLER.search(text) or any(_OWNER_KEY.search(k) for k in re.findall(r"(\w+)\s*=[^=]", text)):
                continue  # scoped to the caller: `get(pk=pk, owner=request.user)`
            after = ctx.source[statement.end_byte : handler.node.end_byte].decode("utf-8", "replace")
            if _OWNERSHIP_AFTER.search(after) or _OWNERSHIP_AFTER.search(ctx.text(statement)):
                continue
            yield Hit(
                call.start_byte,
                call.end_byte,
                f"`{handler.label}` loads an object by `{value}` from the request with no owner in the lookup "
                "and no check against the caller after it.",
            )


def _id_lookups(ctx: FileContext, body: Node) -> Iterator[tuple[Node, str]]:
    """(call, the id's text) of each lookup by an id-like keyword or a positional id."""
    for call in _descendants(body, "call"):
        function, arguments = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if function is None or arguments is None or not _LOOKUP.search(ctx.text(function)):
            continue
        positional = [a for a in arguments.named_children if a.type not in ("keyword_argument", "comment")]
        for argument in arguments.named_children:
            if argument.type == "keyword_argument":
                key, value = argument.child_by_field_name("name"), argument.child_by_field_name("value")
                if (
                    key is not None
                    and value is not None
                    and _ID_KEY.match(ctx.text(key))
                    and (name := _id_name(ctx, value)) is not None
                ):
                    yield call, name
        fn = ctx.text(function)
        index = 1 if fn.endswith("session.get") or fn.endswith("get_object_or_404") else 0
        if fn.endswith("session.get") and not (positional and ctx.text(positional[0])[:1].isupper()):
            continue  # `db.session.get(Model, id)`; not Flask's session or a requests.Session
        if (
            len(positional) > index
            and re.search(r"\.(?:get|get_or_404|find_by_id|get_by_id)$", fn)
            and (name := _id_name(ctx, positional[index])) is not None
        ):
            yield call, name


def _id_name(ctx: FileContext, value: Node) -> str | None:
    """The text of an id argument that is not a constant: a name, `int(name)`, a subscript/get."""
    if value.type == "call" and ctx.text(value.child_by_field_name("function") or value) in ("int", "str", "UUID"):
        args = (value.child_by_field_name("arguments") or value).named_children
        value = args[0] if args else value
    if value.type in ("identifier", "subscript", "call", "attribute"):
        return ctx.text(value)
    return None


def _assignments(ctx: FileContext, body: Node) -> dict[str, str]:
    """name -> the text assigned to it (last one wins) in the handler's body."""
    found: dict[str, str] = {}
    for assignment in _descendants(body, "assignment"):
        left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
        if left is not None and right is not None and left.type == "identifier":
            found[ctx.text(left)] = ctx.text(right)
    return found


def _statement(node: Node) -> Node:
    while node.parent is not None and node.parent.type not in ("block", "module"):
        node = node.parent
    return node


def _descendants(node: Node, kind: str, *, into_scopes: bool = False) -> Iterator[Node]:
    """Nodes of `kind` under `node`; not inside nested functions, classes, lambdas unless asked."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == kind:
            yield current
        if into_scopes or current is node or current.type not in ("function_definition", "class_definition", "lambda"):
            stack.extend(reversed(current.named_children))


_PASSWORD_READ = re.compile(r"""['"](?:password|passwd|pwd|pass|passw)['"]""", re.IGNORECASE)
_VERIFIES = re.compile(
    r"check_password|verify_password|check_password_hash|checkpw|\.verify\(|\bauthenticate\(|login_user\("
    r"""|(?:password|passwd|pwd|passw)\w*\s*[!=]=\s*(?!['"\s]|None\b)|[!=]=\s*[\w.]*(?:password|passwd|pwd|passw)\w*\b"""
    r"|filter_by\([^)]*(?:password|passwd|pwd)|\bWHERE\b[\s\S]{0,200}?\bpassword\b",
    re.IGNORECASE,
)
_LIMITER = re.compile(
    rb"limiter|ratelimit|rate_limit|throttl|lockout|locked_out|failed_(?:login|attempt)|login_attempt|attempts"
    rb"|captcha|backoff|brute",
    re.IGNORECASE,
)


def _check_login_rate_limit(ctx: FileContext) -> Iterator[Hit]:
    if _LIMITER.search(ctx.source) is not None:
        return
    for handler in module_handlers(ctx):
        if ctx.deadline.passed():
            return
        found = _VERIFIES.search(handler.body) if _PASSWORD_READ.search(handler.body) else None
        if found is None:
            continue
        # Reported on the handler (`def name`), not the comparison: the weakness is the route's,
        # and a clear-text comparison rule may report that line as a weakness of its own.
        yield _at_name(
            handler,
            f"`{handler.label}` checks a password from the request (`{found.group(0).strip()}`); nothing in "
            "this module limits how often it can be tried.",
        )


# Login failure messages that say which half was wrong: unknown account vs wrong password.
_UNKNOWN_ACCOUNT = re.compile(
    r"\b(?:user(?:name)?|e-?mail|account|login)\b.{0,30}\b(?:not found|invalid|incorrect|does ?n[o']t exist"
    r"|unknown|not registered|wrong)\b|\b(?:no such|unknown) (?:user|account|e-?mail)\b",
    re.IGNORECASE,
)
_WRONG_PASSWORD = re.compile(
    r"\bpassword\b.{0,30}\b(?:incorrect|invalid|wrong|does ?n[o']t match|mismatch)\b"
    r"|\b(?:wrong|incorrect|invalid) password\b",
    re.IGNORECASE,
)


def _check_enumeration(ctx: FileContext) -> Iterator[Hit]:
    """A function that verifies a password and answers an unknown account and a wrong password
    with different messages (each a string literal of its own)."""
    if ctx.tree is None or not re.search(rb"(?i)password", ctx.source):
        return
    # Every function, nested ones too, in source order: found by a query, not a walk in Python
    # over every node of the file (~4x slower on saleor's modules, the same functions).
    for captures in ENUMERATION.matches(ctx):
        if ctx.deadline.passed():
            return
        function = captures["function"][0]
        body = function.child_by_field_name("body")
        if body is None or not _VERIFIES.search(ctx.text(body)):
            continue
        # not docstrings: a bare string statement says nothing to the caller
        strings = [n for n in _descendants(body, "string") if n.parent and n.parent.type != "expression_statement"]
        unknown = next((n for n in strings if _UNKNOWN_ACCOUNT.search(ctx.text(n))), None)
        wrong = next((n for n in strings if _WRONG_PASSWORD.search(ctx.text(n))), None)
        if unknown is None or wrong is None or unknown is wrong:
            continue
        yield Hit(
            unknown.start_byte,
            unknown.end_byte,
            f"{ctx.text(unknown)} and {ctx.text(wrong)} tell an unknown account from a wrong password.",
        )


# Words of a handler's name, class or route that say it serves the admin area.
_ADMIN_WORDS = frozenset({"admin", "admins", "administration", "administrator", "superuser", "staff", "backoffice"})
# What restricts *which* signed-in user may call: a decorator or class base by its name, ...
_ROLE_NAME = re.compile(
    r"admin|staff|superuser|perm|role|group|privilege|user_passes_test|moderator|owner|rbac|acl|polic|scope"
    r"|authoriz|allowed_(?:users|roles|groups)|access_required",
    re.IGNORECASE,
)
# ... or a check in the body (`if not user.is_admin: abort(403)`, `has_perm`, a 403 response).
_ROLE_CHECK = re.compile(
    r"\.is_(?:admin|staff|superuser|moderator|manager|owner)\b|\bis_admin\(|has_perm|has_role|\brole|\bgroups?\b"
    r"|permission|authoriz|admin_required|require_admin|check_admin|ensure_admin|privilege|\bcan_\w+\("
    r"|abort\(\s*403|HTTPForbidden|HttpResponseForbidden|PermissionDenied|Forbidden|status(?:_code)?\s*=\s*403",
    re.IGNORECASE,
)
# A hook that runs before every handler of a blueprint or app: a role check there covers the
# module's handlers (`@bp.before_request`, `@app.before_app_request`).
_BEFORE_HOOK = re.compile(r"^@\s*[\w.]*before_(?:app_)?request\b")


def _admin_by_name(handler: Handler) -> bool:
    """Whether the handler's name, class or route path has an admin word."""
    paths = [m.group(1) for d in route_decorators(handler.decorators) if (m := re.search(r"""['"]([^'"]*)['"]""", d))]
    return any(w in _ADMIN_WORDS for text in [handler.label, *paths] for w in name_words(text))


def _check_admin_role(ctx: FileContext) -> Iterator[Hit]:
    admins = [
        h for h in module_handlers(ctx) if h.auth is not None and _admin_by_name(h) and not public_by_name(h.label)
    ]
    guards = _role_guards(ctx) if admins else None
    if guards is None:
        return
    for handler in admins:
        if ctx.deadline.passed():
            return
        named = [m.group(1) for d in handler.decorators if (m := re.match(r"@\s*([\w.]+)", d))]
        if any(_ROLE_NAME.search(n) or n.rsplit(".", 1)[-1] in guards for n in named):
            continue
        if any(re.search(rf"\b{re.escape(g)}\(", handler.body) for g in guards):
            continue  # calls a function of the module that checks the role
        dependencies = DEPENDS.findall(" ".join([*handler.decorators, handler.params]))
        if any(_ROLE_NAME.search(d) for d in dependencies) or _ROLE_CHECK.search(handler.body):
            continue
        if handler.cls is not None and _class_restricts(ctx, handler.node):
            continue
        yield _at_name(
            handler,
            f"`{handler.label}` serves the admin area and checks only that the caller is signed in "
            f"({handler.auth}); nothing checks that the caller is an admin.",
        )


def _role_guards(ctx: FileContext) -> frozenset[str] | None:
    """The module's functions with a role check in their body (`def edit_required(f)` with
    `if current_user.role_edit(): ...`): used as a decorator or called, they restrict the
    caller. None when a before-request hook of the module checks the role: that covers all."""
    assert ctx.tree is not None
    names = set()
    for child in ctx.tree.root_node.named_children:
        decorators, definition = unwrap(ctx, child)
        if definition is None or definition.type != "function_definition":
            continue
        body, name = definition.child_by_field_name("body"), definition.child_by_field_name("name")
        if body is None or name is None or not _ROLE_CHECK.search(ctx.text(body)):
            continue
        if any(_BEFORE_HOOK.match(d) for d in decorators):
            return None
        names.add(ctx.text(name))
    return frozenset(names)


def _class_restricts(ctx: FileContext, method: Node) -> bool:
    """A role mixin or permission attribute on the handler's class, or a role check in another
    method of it (a `dispatch`/`prepare` override, a helper the handlers call)."""
    node: Node | None = method
    while node is not None and node.type != "class_definition":
        node = node.parent
    if node is None:
        return False
    bases = node.child_by_field_name("superclasses")
    if bases is not None and _ROLE_NAME.search(ctx.text(bases)):
        return True
    body = node.child_by_field_name("body")
    for child in body.named_children if body is not None else []:
        if child.type == "expression_statement" and _ROLE_NAME.search(ctx.text(child).split("=", 1)[0]):
            return True  # `permission_classes = [...]`, `permission_required = "..."`
        _, definition = unwrap(ctx, child)
        if definition is None or definition == method or definition.type != "function_definition":
            continue
        inner = definition.child_by_field_name("body")
        if inner is not None and _ROLE_CHECK.search(ctx.text(inner)):
            return True
    return False


def _at_name(handler: Handler, detail: str) -> Hit:
    name = handler.node.child_by_field_name("name")
    node = name if name is not None else handler.node
    return Hit(handler.node.start_byte, node.end_byte, detail)


UNSCOPED_LOOKUP = Check(
    "unscoped-object-lookup", needs_tree=True, languages=frozenset({"python"}), run=_check_unscoped_lookup
)
LOGIN_RATE_LIMIT = Check(
    "login-without-rate-limit", needs_tree=True, languages=frozenset({"python"}), run=_check_login_rate_limit
)
ENUMERATION = Check(
    "credential-enumeration-messages",
    needs_tree=True,
    languages=frozenset({"python"}),
    run=_check_enumeration,
    queries={"python": "(function_definition) @function"},
)
ADMIN_ROLE = Check(
    "admin-handler-without-role-check", needs_tree=True, languages=frozenset({"python"}), run=_check_admin_role
)
