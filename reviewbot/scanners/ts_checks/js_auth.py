"""What counts as an authentication/authorization middleware or decorator in JavaScript and
TypeScript, for `js_routes` and `js_access`: one vocabulary over names (`is_auth_name`), the
names resolved through the module's imports, and inline middleware that checks the caller.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from reviewbot.lang.javascript.nodes import FUNCTIONS, dotted_text, node_text
from reviewbot.lang.javascript.scopes import resolve_alias

if TYPE_CHECKING:
    from tree_sitter import Node

# The one place the auth vocabulary is kept.
# Drawn from what projects and their frameworks' guides write: passport.authenticate,
# connect-ensure-login's ensureLoggedIn, express-openid-connect's requiresAuth, express-jwt /
# Auth0's checkJwt, verifyToken / authenticateToken, `protect` + `restrictTo(...)`, isAdmin,
# hasRole / checkRole / authorize(roles), checkPermissions, keycloak.protect, fastify.authenticate
# / fastify.auth, Clerk's requireAuth, SuperTokens' verifySession, NestJS @UseGuards / @Auth /
# @Roles. A name is split into words (camelCase, `_`, `-`); it is auth when
# * a guard verb is followed by a guard noun (`isAuthorized`, `requireLogin`, `verifyToken`), or
# * its first word is a guard word and any second word a noun or a middleware suffix (`auth`,
#   `protect`, `authMiddleware`, `jwtCheck`, `adminOnly`, `denyAll`, `restrictTo`), or
# * a guard noun is followed by `required`/`only` (`loginRequired`), or
# * it is `with` and an auth noun (`withAuth(handler)`), or a generic member of an auth object
#   (`auth.required`, `jwt.check`), or
# * it is the export of an auth package (`express-jwt`, `@clerk/express`), or anything imported
#   from a local module named for auth (`./middleware/auth`).
# A leading `and`/`then` is skipped (`andRestrictTo`). `updateAuthenticatedUsers`,
# `jwtChallenges`, `authRoutes`, `authController.login`, `auth.optional` are not auth.
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
# A wrapper named for what it adds: `withAuth(handler)`, `withAdmin`, not `withSession`/`withUser`
# (which only load the caller).
_WITH_NOUNS = frozenset({
    "auth", "authn", "authz", "authentication", "authorization", "authorized", "authenticated", "login",
    "admin", "role", "roles", "permission", "permissions", "jwt", "guard", "protection", "protected",
})  # fmt: skip
# Members of an auth object that are its guard (`auth.required`; `auth.optional` is not one).
_MEMBERS = frozenset({
    "required", "require", "check", "verify", "ensure", "guard", "middleware", "mw", "protect", "authenticate",
    "authorize", "authorise", "handler", "strict", "enforce",
})  # fmt: skip
# `validate` is input validation unless it validates a credential.
_VALIDATE_NOUNS = frozenset({"token", "jwt", "session", "bearer", "apikey", "auth"})
# Names that look like auth words but are not a check on the caller, or not middleware at all.
_NOT_AUTH = re.compile(
    r"csrf|xsrf|limit|throttl|cors|routes?(?![a-z])|router|controller|optional|anonymous", re.IGNORECASE
)
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
    if words[:1] in (["and"], ["then"]):  # `andRestrictTo("admin")`, as Express's examples chain them
        words = words[1:]
    if not words:
        return False
    # `auth.required`, `jwt.check`: an auth object's generic member
    owner = name.rsplit(".", 2)[-2] if name.count(".") >= 1 and imported is None else ""
    owner_words = [w.lower() for w in _WORDS.findall(owner)]
    if owner_words[:1] and owner_words[0] in _FIRST_WORDS and len(words) == 1 and words[0] in _MEMBERS:
        return True
    if words[0] == "with" and len(words) > 1 and words[1] in _WITH_NOUNS:  # `withAuth(handler)`
        return True
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


def middleware_auth(node: Node, source: bytes, aliases: dict[str, str]) -> str | None:
    """The text that says this middleware checks the caller, else None."""
    target = node
    if node.type == "call_expression":
        target = node.child_by_field_name("function") or node
        # `expressjwt({...}).unless({...})`: the middleware is the inner call
        if target.type == "member_expression":
            inner = target.child_by_field_name("object")
            if inner is not None and inner.type == "call_expression":
                found = middleware_auth(inner, source, aliases)
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


def first_auth(nodes: list[Node], source: bytes, aliases: dict[str, str]) -> str | None:
    """The first of these middleware that checks the caller, as `middleware_auth` says it."""
    for node in nodes:
        found = middleware_auth(node, source, aliases)
        if found is not None:
            return found
    return None
