"""What reviewbot knows about Python libraries, as data (mirrors rulesets/semgrep/python/*.yaml):
request and input sources, route parameters that are not client text, sanitizers, calls and
methods that only pass their arguments' values on, and container mutations. `KNOWN` lists
them, with the guard kinds, as documented names.
"""

from __future__ import annotations

import re

from reviewbot.lang.base import KnownNames

# Flask request attributes chosen by the client.
FLASK_ATTRS = frozenset(
    [
        "args",
        "form",
        "values",
        "cookies",
        "headers",
        "files",
        "json",
        "data",
        "stream",
        "input_stream",
        "query_string",
        "path",
        "full_path",
        "url",
        "base_url",
        "url_root",
        "host",
        "host_url",
        "view_args",
        "environ",
        "authorization",
        "referrer",
        "user_agent",
        "access_route",
        "remote_user",
        "get_json",
        "get_data",
    ]
)
# Django / DRF / Starlette / FastAPI request attributes.
DJANGO_ATTRS = frozenset(
    [
        "GET",
        "POST",
        "COOKIES",
        "FILES",
        "META",
        "body",
        "data",
        "headers",
        "cookies",
        "query_params",
        "path_params",
        "path",
        "path_info",
        "json",
        "form",
        "stream",
        "get_full_path",
        "build_absolute_uri",
    ]
)
REQUEST_OBJECTS = frozenset({"request", "req", "self.request", "self.req", "flask.request"})
INPUT_ATTRIBUTES = frozenset({"sys.argv", "sys.stdin", "os.environ", "os.environb"})
INPUT_CALLS = frozenset({"input", "raw_input", "os.getenv", "os.getenvb", "fileinput.input"})
# Tornado RequestHandler methods returning what the client sent (`self.get_argument("q")`).
TORNADO_INPUT_METHODS = frozenset(
    {
        "get_argument",
        "get_arguments",
        "get_query_argument",
        "get_query_arguments",
        "get_body_argument",
        "get_body_arguments",
        "get_cookie",
    }
)
ROUTE_VERBS = frozenset({"route", "get", "post", "put", "patch", "delete", "api_route", "websocket", "head", "options"})
# Annotations under which FastAPI has already converted a route parameter (not client text).
CONVERTED_TYPES = frozenset(
    {"int", "float", "bool", "UUID", "uuid.UUID", "date", "datetime", "datetime.date", "datetime.datetime"}
)
INJECTED_TYPES = frozenset({"Session", "BackgroundTasks", "Request", "Response", "WebSocket"})

SANITIZERS = frozenset(
    {
        # command injection
        "shlex.quote",
        "pipes.quote",
        "shlex.join",
        # numbers and parsing
        "int",
        "float",
        "bool",
        "uuid.UUID",
        "ast.literal_eval",
        "json.loads",
        # paths
        "os.path.basename",
        "werkzeug.utils.secure_filename",
        "werkzeug.utils.safe_join",
        "werkzeug.security.safe_join",
        "flask.safe_join",
        "django.utils._os.safe_join",
        # HTML
        "html.escape",
        "markupsafe.escape",
        "flask.escape",
        "jinja2.escape",
        "cgi.escape",
        "django.utils.html.escape",
        "django.utils.html.format_html",
        "bleach.clean",
        "len",
        "json.dumps",
        "flask.jsonify",
        "flask.render_template",
        "django.shortcuts.render",
        # URLs
        "urllib.parse.quote",
        "urllib.parse.quote_plus",
        "urllib.parse.urlencode",
        "flask.url_for",
        "django.urls.reverse",
        # LDAP
        "ldap3.utils.conv.escape_filter_chars",
        "ldap.filter.escape_filter_chars",
        "ldap.filter.filter_format",
        "ldap3.utils.dn.escape_rdn",
        "ldap.dn.escape_dn_chars",
        # SQL
        "psycopg2.sql.Identifier",
        "psycopg2.sql.Literal",
        "psycopg.sql.Identifier",
        "psycopg.sql.Literal",
        "pymysql.converters.escape_string",
        "MySQLdb.escape_string",
        "sqlalchemy.bindparam",
    }
)
# Any callee whose last part says it escapes or sanitizes (the XSS rule's convention).
SANITIZER_NAME = re.compile(r"(?i)^[a-z_]*(escape|sanitize|sanitise)[a-z_]*$")
# Methods that are sanitizers whatever the receiver (`conn.escape_string(x)`).
SANITIZER_METHODS = frozenset({"escape_string"})

# Calls whose result is derived only from their arguments (no "unknown" added).
PURE_CALLS = frozenset(
    {
        "str",
        "repr",
        "bytes",
        "format",
        "abs",
        "round",
        "min",
        "max",
        "sorted",
        "list",
        "tuple",
        "set",
        "frozenset",
        "dict",
        "os.path.join",
        "posixpath.join",
        "ntpath.join",
        "os.path.normpath",
        "os.path.abspath",
        "os.path.realpath",
        "pathlib.Path",
        "pathlib.PurePath",
        "urllib.parse.unquote",
        "urllib.parse.unquote_plus",
        "base64.b64decode",
        "base64.b64encode",
    }
)
# String methods: on a constant receiver with constant arguments the result is constant.
STR_METHODS = frozenset(
    [
        "format",
        "join",
        "replace",
        "lower",
        "upper",
        "strip",
        "lstrip",
        "rstrip",
        "split",
        "rsplit",
        "splitlines",
        "title",
        "capitalize",
        "casefold",
        "encode",
        "decode",
        "removeprefix",
        "removesuffix",
        "zfill",
        "center",
        "ljust",
        "rjust",
        "partition",
        "rpartition",
        "expandtabs",
        "swapcase",
        "translate",
    ]
)
# Container mutations that store their argument in the receiver (the rules' propagators).
MUTATORS = frozenset({"append", "extend", "insert", "update", "setdefault", "add", "put", "write", "set"})

KNOWN = KnownNames(
    sources=(
        *(f"flask.request.{a}" for a in sorted(FLASK_ATTRS)),
        *(f"request.{a}" for a in sorted(DJANGO_ATTRS)),
        "request (the whole request object passed to a call)",
        *(f"self.{m}() (Tornado)" for m in sorted(TORNADO_INPUT_METHODS)),
        "self.path/headers/rfile/requestline in an http.server BaseHTTPRequestHandler (rules only)",
        "route parameters of @x.route/get/post/put/patch/delete/api_route/websocket handlers",
        *sorted(INPUT_ATTRIBUTES),
        *(f"{c}()" for c in sorted(INPUT_CALLS)),
    ),
    sanitizers=(*sorted(SANITIZERS), "*escape*/*sanitize*(...)", "<x>.escape_string(...)"),
    guards=(
        "guard:dotdot",
        "guard:quote",
        "guard:contains",
        "guard:allowlist",
        "guard:charset",
        "guard:regex",
        "guard:prefix",
        "guard:host",
        "guard:type",
        "guard:safe_url",
        "guard:validator",
    ),
)
