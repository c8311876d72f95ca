"""What reviewbot knows about JavaScript/TypeScript libraries and runtimes, as data (mirrors the
request data and sanitizers `rulesets/semgrep/javascript/*.yaml` name): request sources of
Express, Koa, Fastify, Next.js, Node's http and AWS Lambda, browser sources, local input,
sanitizers, pure calls and the route-registration methods. `KNOWN` lists them, with the guard
kinds, as documented names.
"""

from __future__ import annotations

import re

from reviewbot.lang.base import KnownNames

# Attributes of an Express/Fastify/Next/Node request object chosen by the client.
REQUEST_ATTRS = frozenset(
    {
        "body",
        "query",
        "params",
        "headers",
        "cookies",
        "signedCookies",
        "url",
        "originalUrl",
        "baseUrl",
        "path",
        "hostname",
        "host",
        "ip",
        "ips",
        "files",
        "file",
        "rawBody",
        "querystring",
        "search",
        "href",
        "nextUrl",  # Next.js middleware / route handlers
    }
)
# Methods of a request object whose result is client data: req.get("X-Id"), await request.json().
REQUEST_METHODS = frozenset({"get", "header", "param", "json", "text", "formData", "arrayBuffer", "blob"})
# Names a request object goes by when nothing else says so (and `ctx.request`, `this.req`).
REQUEST_NAMES = frozenset({"req", "request"})
# Koa's context: `ctx.params`, `ctx.query`, ... (`ctx.request.body` is a request attribute).
KOA_NAME = "ctx"
KOA_ATTRS = frozenset(
    {"params", "query", "querystring", "headers", "header", "cookies", "url", "originalUrl", "path", "href", "search"}
)
KOA_METHODS = frozenset({"get"})
# AWS Lambda (API Gateway) event fields chosen by the client.
LAMBDA_NAME = "event"
LAMBDA_ATTRS = frozenset(
    {
        "body",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "headers",
        "multiValueHeaders",
        "rawPath",
        "rawQueryString",
        "cookies",
    }
)
# Browser values an attacker can set (a crafted link, another window).
BROWSER_SOURCES = frozenset(
    {
        *(f"{o}.{a}" for o in ("location", "window.location", "document.location") for a in ("search", "hash", "href")),
        "location.pathname",
        "window.location.pathname",
        "document.cookie",
        "document.URL",
        "document.documentURI",
        "document.referrer",
        "window.name",
    }
)
# Local input, as Python's sys.argv / os.environ: the command line, the environment, stdin.
INPUT_PREFIXES = ("process.argv", "process.env", "process.stdin", "Deno.args")
# Calls that return what a person types at the terminal (the readline-sync package; Node's own
# readline hands its lines to callbacks and events, which this analysis does not follow).
INPUT_CALLS = frozenset(
    f"readline-sync.{f}"
    for f in ("question", "prompt", "questionInt", "questionFloat", "questionEMail", "questionPath", "keyIn")
)
# Calls that register a request handler: the function passed to them handles requests.
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "del", "all", "use", "head", "options", "route", "createServer"}
)

SANITIZERS = frozenset(
    {
        # numbers
        "parseInt",
        "parseFloat",
        "Number",
        "Number.parseInt",
        "Number.parseFloat",
        "Math.floor",
        "Math.round",
        "Math.trunc",
        "BigInt",
        # URLs
        "encodeURIComponent",
        "encodeURI",
        "escape",
        "querystring.escape",
        "querystring.stringify",
        # HTML
        "escape-html",
        "he.encode",
        "he.escape",
        "validator.escape",
        "dompurify.sanitize",
        "DOMPurify.sanitize",
        "isomorphic-dompurify.sanitize",
        "sanitize-html",
        "xss",
        "xss.filterXSS",
        "lodash.escape",
        "_.escape",
        # paths
        "path.basename",
        "path.posix.basename",
        "path.win32.basename",
        "sanitize-filename",
        # SQL
        "mysql.escape",
        "mysql.escapeId",
        "mysql.format",
        "mysql2.escape",
        "mysql2.format",
        "sqlstring.escape",
        "sqlstring.escapeId",
        "sqlstring.format",
        "pg-format",
        "pg-format.literal",
        "pg-format.ident",
        "pg.escapeLiteral",
        "pg.escapeIdentifier",
        # shell
        "shell-quote.quote",
        "shell-escape",
        # regular expressions
        "escape-string-regexp",
        "lodash.escapeRegExp",
        "_.escapeRegExp",
    }
)
# Any callee whose last part says it escapes or sanitizes (`escapeHtml`, `sanitizeUrl`).
SANITIZER_NAME = re.compile(r"(?i)^[a-z_$]*(escape|sanitize|sanitise)[a-z_$0-9]*$")
# Methods that are sanitizers whatever the receiver: `connection.escape(x)`, `client.escapeLiteral(x)`.
SANITIZER_METHODS = frozenset({"escape", "escapeId", "escapeLiteral", "escapeIdentifier"})

# Calls whose result is derived only from their arguments (no "unknown" added).
PURE_CALLS = frozenset(
    {
        "String",
        "Boolean",
        "Array",
        "Array.of",
        "Array.from",
        "Object.freeze",
        "JSON.stringify",
        "decodeURIComponent",
        "decodeURI",
        "unescape",
        "path.join",
        "path.resolve",
        "path.normalize",
        "path.posix.join",
        "path.relative",
        "Buffer.from",
        "url.format",
    }
)
# String/array methods: on a constant receiver with constant arguments the result is constant.
STR_METHODS = frozenset(
    {
        "concat",
        "replace",
        "replaceAll",
        "toLowerCase",
        "toUpperCase",
        "trim",
        "trimStart",
        "trimEnd",
        "split",
        "join",
        "slice",
        "substring",
        "substr",
        "padStart",
        "padEnd",
        "repeat",
        "toString",
        "at",
        "charAt",
        "normalize",
    }
)

GUARD_KINDS = (
    "dotdot",
    "quote",
    "contains",
    "allowlist",
    "charset",
    "regex",
    "prefix",
    "host",
    "type",
    "validator",
)

KNOWN = KnownNames(
    sources=(
        *(f"req.{a}" for a in sorted(REQUEST_ATTRS)),
        *(f"req.{m}()" for m in sorted(REQUEST_METHODS)),
        "request.<attr> / ctx.request.<attr> / this.req.<attr> (same attributes)",
        *(f"ctx.{a}" for a in sorted(KOA_ATTRS)),
        "ctx.get()",
        *(f"event.{a}" for a in sorted(LAMBDA_ATTRS)),
        *sorted(BROWSER_SOURCES),
        *(f"{p}" for p in INPUT_PREFIXES),
        "the request parameter of a handler (passed whole, or read by the attributes above)",
    ),
    sanitizers=(*sorted(SANITIZERS), "*escape*/*sanitize*(...)", "<x>.escape/escapeId/escapeLiteral(...)"),
    guards=tuple(f"guard:{k}" for k in GUARD_KINDS),
)
