"""Python support for the context service: tree-sitter-python node types, sources, sanitizers,
guards, and an intraprocedural flow analysis that is small, bounded and errs on the side of
"not constant".

The flow analysis, per function (or the module, for top-level code):

* a one-pass index of every place a local name is bound (assignments, augmented assignments,
  `for`/comprehension targets, `with ... as`, walrus, imports, nested defs, `except ... as`,
  `match` captures, container mutations like `x.append(v)` / `x[k] = v`) and of its loops;
* a use of a name is reached by the bindings before it, cut at the nearest plain assignment
  `name = ...` that dominates it (a preceding statement in an enclosing block), plus bindings
  later in a loop that contains both, plus the parameter when no such assignment exists;
  bindings in code that can never run (`if False:`) are ignored;
* an expression's provenance is the strongest of its parts; calls of unknown functions add
  "unknown" (their result may be anything) but keep the request/parameter taint of their
  arguments, as semgrep's taint mode does.

Everything is capped by the caller's `Budget` and a recursion depth; running out gives
"unknown", never an exception.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, cast

from reviewbot.lang import (
    Budget,
    CallArgument,
    Flow,
    FunctionFacts,
    KnownNames,
    Provenance,
    text_of,
)

if TYPE_CHECKING:
    from tree_sitter import Node

# --- what Python code looks like to tree-sitter-python 0.25 -------------------------------------

_FUNCTION = "function_definition"
_CLASS = "class_definition"
_BLOCKS = frozenset({"block", "module"})
_LITERALS = frozenset({"integer", "float", "true", "false", "none", "ellipsis"})
_CONTAINERS = frozenset({"list", "tuple", "set", "dictionary", "expression_list", "pair"})
_COMPREHENSIONS = frozenset(
    {"list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"}
)
_PASSTHROUGH = frozenset(
    {
        "parenthesized_expression",
        "binary_operator",
        "boolean_operator",
        "comparison_operator",
        "not_operator",
        "unary_operator",
        "conditional_expression",
        "await",
        "slice",
        "list_splat",
        "dictionary_splat",
        "format_expression",
    }
)
_TERMINATORS = {
    "return_statement": "return",
    "raise_statement": "raise",
    "continue_statement": "continue",
    "break_statement": "break",
}
_EXIT_CALLS = frozenset({"abort", "flask.abort", "sys.exit", "exit", "quit", "os._exit", "os.abort"})
_LOOPS = frozenset({"for_statement", "while_statement"})
_MAX_DEPTH = 40
_MAX_TEXT = 256
_MAX_TOP_LEVEL = 20_000  # top-level statements searched for imports
# Where top-level imports hide: `try: import x except ImportError: ...`, `if TYPE_CHECKING: ...`.
_IMPORT_HOLDERS = frozenset(
    {"if_statement", "try_statement", "else_clause", "elif_clause", "except_clause", "finally_clause", "block"}
)
_MAX_FOLD_LEN = 10_000

# --- what reviewbot knows (mirrors rulesets/semgrep/python/*.yaml) -------------------------------

# Flask request attributes chosen by the client.
_FLASK_ATTRS = frozenset(
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
_DJANGO_ATTRS = frozenset(
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
_REQUEST_OBJECTS = frozenset({"request", "req", "self.request", "self.req", "flask.request"})
_INPUT_ATTRIBUTES = frozenset({"sys.argv", "sys.stdin", "os.environ", "os.environb"})
_INPUT_CALLS = frozenset({"input", "raw_input", "os.getenv", "os.getenvb", "fileinput.input"})
_ROUTE_VERBS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "api_route", "websocket", "head", "options"}
)
# Annotations under which FastAPI has already converted a route parameter (not client text).
_CONVERTED_TYPES = frozenset(
    {"int", "float", "bool", "UUID", "uuid.UUID", "date", "datetime", "datetime.date", "datetime.datetime"}
)
_INJECTED_TYPES = frozenset({"Session", "BackgroundTasks", "Request", "Response", "WebSocket"})

_SANITIZERS = frozenset(
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
_SANITIZER_NAME = re.compile(r"(?i)^[a-z_]*(escape|sanitize|sanitise)[a-z_]*$")
# Methods that are sanitizers whatever the receiver (`conn.escape_string(x)`).
_SANITIZER_METHODS = frozenset({"escape_string"})

# Calls whose result is derived only from their arguments (no "unknown" added).
_PURE_CALLS = frozenset(
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
_STR_METHODS = frozenset(
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
_MUTATORS = frozenset({"append", "extend", "insert", "update", "setdefault", "add", "put", "write", "set"})

_CHARSET_METHODS = frozenset({"isdigit", "isnumeric", "isdecimal", "isalnum", "isalpha", "isidentifier", "isascii"})
_PREFIX_METHODS = frozenset({"startswith", "is_relative_to"})
_REGEX_FUNCS = frozenset({"re.match", "re.fullmatch", "re.search"})
_REGEX_METHODS = frozenset({"match", "fullmatch", "search"})
_SAFE_URL_CALLS = frozenset({"url_has_allowed_host_and_scheme", "is_safe_url"})
_NUMERIC_TYPES = frozenset({"int", "float", "bool", "complex", "UUID", "uuid.UUID", "decimal.Decimal", "Decimal"})
_VALIDATOR_NAME = re.compile(r"(?i)^(is_?valid|valid|validate|is_?safe|is_?allowed|allowed|check|verify)")

KNOWN = KnownNames(
    sources=(
        *(f"flask.request.{a}" for a in sorted(_FLASK_ATTRS)),
        *(f"request.{a}" for a in sorted(_DJANGO_ATTRS)),
        "request (the whole request object passed to a call)",
        "route parameters of @x.route/get/post/put/patch/delete/api_route/websocket handlers",
        *sorted(_INPUT_ATTRIBUTES),
        *(f"{c}()" for c in sorted(_INPUT_CALLS)),
    ),
    sanitizers=(*sorted(_SANITIZERS), "*escape*/*sanitize*(...)", "<x>.escape_string(...)"),
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

_UNKNOWN = Flow(Provenance.UNKNOWN)
_LITERAL = Flow(Provenance.LITERAL)


class _NoValue:
    """What constant folding returns for anything it cannot fold."""


_NO_VALUE = _NoValue()


# --- reading nodes --------------------------------------------------------------------------------


def _text(node: Node, source: bytes) -> str:
    """A node's text, cut at `_MAX_TEXT` bytes (names and labels; not for folding strings)."""
    end = min(node.end_byte, node.start_byte + _MAX_TEXT)
    return source[node.start_byte : end].decode("utf-8", "replace")


def _dotted(node: Node | None, source: bytes) -> str | None:
    """`a.b.c` for an identifier/attribute chain, else None."""
    parts: list[str] = []
    depth = 0
    while node is not None and depth < 32:
        depth += 1
        if node.type == "identifier":
            parts.append(_text(node, source))
            return ".".join(reversed(parts))
        if node.type != "attribute":
            return None
        attr = node.child_by_field_name("attribute")
        if attr is None:
            return None
        parts.append(_text(attr, source))
        node = node.child_by_field_name("object")
    return None


def _named(node: Node) -> list[Node]:
    return [c for c in node.named_children if c.type != "comment"]


def _base_name(node: Node) -> Node | None:
    """The identifier at the root of `x`, `x.a`, `x[k]`, `x.a[k].b`."""
    depth = 0
    while depth < 32:
        depth += 1
        if node.type == "identifier":
            return node
        if node.type == "attribute":
            nxt = node.child_by_field_name("object")
        elif node.type == "subscript":
            nxt = node.child_by_field_name("value")
        else:
            return None
        if nxt is None:
            return None
        node = nxt
    return None


def _target_names(node: Node) -> Iterator[Node]:
    """Identifiers bound by an assignment target (`x`, `a, b`, `[a, *b]`, `(a, b)`)."""
    stack = [node]
    seen = 0
    while stack and seen < 256:
        seen += 1
        n = stack.pop()
        if n.type == "identifier":
            yield n
        elif n.type in {"pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "list_splat_pattern"}:
            stack.extend(reversed(_named(n)))
        elif n.type == "parenthesized_expression" or n.type == "as_pattern_target":
            stack.extend(_named(n))


def _contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def _is_exit(stmt: Node, source: bytes) -> bool:
    if stmt.type in _TERMINATORS:
        return True
    if stmt.type == "expression_statement":
        kids = _named(stmt)
        if len(kids) == 1 and kids[0].type == "call":
            return _dotted(kids[0].child_by_field_name("function"), source) in _EXIT_CALLS
    return False


def _last_statement(block: Node | None) -> Node | None:
    if block is None:
        return None
    kids = _named(block)
    return kids[-1] if kids else None


def _string_value(node: Node, source: bytes) -> str | bytes | _NoValue:
    if node.type != "string" or any(c.type == "interpolation" for c in node.children):
        return _NO_VALUE
    if node.end_byte - node.start_byte > _MAX_FOLD_LEN:
        return _NO_VALUE
    try:
        value = ast.literal_eval(source[node.start_byte : node.end_byte].decode("utf-8", "replace"))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return _NO_VALUE
    return value if isinstance(value, str | bytes) else _NO_VALUE


# --- the per-function index -----------------------------------------------------------------------


@dataclass
class _Binding:
    kind: str  # assign | augment | iter | with | walrus | mutate | unknown
    name: str
    stmt: Node  # the node whose end is where the binding takes effect
    value: Node | None
    region: Node | None = None  # a comprehension: its target reaches every use inside it

    @property
    def start(self) -> int:
        return self.stmt.start_byte

    @property
    def end(self) -> int:
        return self.stmt.end_byte


@dataclass
class _Scope:
    node: Node
    bindings: dict[str, list[_Binding]] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)  # name -> parameter | route | self
    nonlocal_names: set[str] = field(default_factory=set)
    loops: list[Node] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    complete: bool = True

    def bind(self, binding: _Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)


class PythonAnalyzer:
    """Flow questions about one parsed Python file; scope indexes are cached between calls."""

    def __init__(self, source: bytes, root: Node) -> None:
        self.source = source
        self.root = root
        self._scopes: dict[int, _Scope] = {}
        self._aliases: dict[str, str] | None = None
        self._exits: dict[int, tuple[int, str, int] | None] = {}

    def _module_aliases(self) -> dict[str, str]:
        """Import aliases of the module's top level (and of top-level `if`/`try` blocks)."""
        if self._aliases is None:
            scope = _Scope(self.root)
            todo = [self.root]
            seen = 0
            while todo and seen < _MAX_TOP_LEVEL:
                for stmt in todo.pop().named_children:
                    seen += 1
                    if seen >= _MAX_TOP_LEVEL:
                        break
                    if stmt.type in ("import_statement", "import_from_statement"):
                        self._index_import(scope, stmt)
                    elif stmt.type in _IMPORT_HOLDERS:
                        todo.append(stmt)
            self._aliases = scope.aliases
        return self._aliases

    # -- scopes

    def _scope_node(self, node: Node) -> Node:
        cur: Node | None = node.parent
        depth = 0
        while cur is not None and depth < 10_000:
            depth += 1
            if cur.type == _FUNCTION:
                return cur
            cur = cur.parent
        return self.root

    def _scope(self, scope_node: Node, budget: Budget) -> _Scope:
        key = scope_node.id
        cached = self._scopes.get(key)
        if cached is not None and cached.complete:
            return cached
        scope = _Scope(scope_node)
        if scope_node is not self.root and scope_node.type == _FUNCTION:
            self._index_parameters(scope, scope_node)
        if scope_node.type == _FUNCTION:
            body = scope_node.child_by_field_name("body")
            start = [] if body is None else _named(body)
        else:
            start = _named(scope_node)
        self._index(scope, start, budget)
        if scope_node.type == _FUNCTION:  # module-level imports apply inside functions too
            scope.aliases = {**self._module_aliases(), **scope.aliases}
        if scope.complete:
            self._scopes[key] = scope
        return scope

    def _index_parameters(self, scope: _Scope, function: Node) -> None:
        facts = SUPPORT.function_facts(function, self.source)
        params = function.child_by_field_name("parameters")
        method = _is_method(function, self.source)
        first = True
        for p in _named(params) if params is not None else []:
            name_node, annotation, default = _parameter_parts(p)
            if name_node is None:
                continue
            name = _text(name_node, self.source)
            if first and method:
                scope.params[name] = "self"
            elif facts.is_request_handler and _is_route_parameter(annotation, default, self.source):
                scope.params[name] = "route"
            else:
                scope.params[name] = "parameter"
            first = False

    def _index(self, scope: _Scope, start: list[Node], budget: Budget) -> None:
        src = self.source
        # (node, its parent's type): asking a node for its parent costs a walk from the root
        stack: list[tuple[Node, Node | None]] = [(n, None) for n in reversed(start)]
        while stack:
            if not budget.spend():
                scope.complete = False
                return
            n, parent = stack.pop()
            t = n.type
            if t in (_FUNCTION, _CLASS):
                name = n.child_by_field_name("name")
                if name is not None:
                    scope.bind(_Binding("unknown", _text(name, src), n, None))
                continue  # a nested scope; its body is not ours
            if t == "lambda":
                params = n.child_by_field_name("parameters")
                for p in _named(params) if params is not None else []:
                    name_node, _, _ = _parameter_parts(p)
                    if name_node is not None:
                        scope.bind(_Binding("unknown", _text(name_node, src), n, None))
                continue
            if t == "assignment":
                self._index_assignment(scope, n)
            elif t == "augmented_assignment":
                left = n.child_by_field_name("left")
                if left is not None:
                    base = _base_name(left)
                    if base is not None:
                        kind = "augment" if left.type == "identifier" else "mutate"
                        value = n if kind == "augment" else n.child_by_field_name("right")
                        scope.bind(_Binding(kind, _text(base, src), n, value))
            elif t == "named_expression":
                name = n.child_by_field_name("name")
                if name is not None:
                    scope.bind(_Binding("walrus", _text(name, src), n, n.child_by_field_name("value")))
            elif t in ("for_statement", "for_in_clause"):
                left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
                region = parent if t == "for_in_clause" else None
                if left is not None:
                    for ident in _target_names(left):
                        scope.bind(_Binding("iter", _text(ident, src), left, right, region=region))
                if t == "for_statement":
                    scope.loops.append(n)
            elif t == "while_statement":
                scope.loops.append(n)
            elif t == "with_item":
                value = n.child_by_field_name("value")
                if value is not None and value.type == "as_pattern":
                    kids = _named(value)
                    alias = value.child_by_field_name("alias")
                    if kids and alias is not None:
                        for ident in _target_names(alias):
                            scope.bind(_Binding("with", _text(ident, src), n, kids[0]))
            elif t == "except_clause":
                for c in _named(n):
                    if c.type == "as_pattern":
                        alias = c.child_by_field_name("alias")
                        for ident in _target_names(alias) if alias is not None else []:
                            scope.bind(_Binding("unknown", _text(ident, src), n, None))
            elif t in ("import_statement", "import_from_statement"):
                self._index_import(scope, n)
                continue
            elif t in ("global_statement", "nonlocal_statement"):
                scope.nonlocal_names.update(_text(c, src) for c in _named(n) if c.type == "identifier")
                continue
            elif t == "case_pattern":
                stack_ids = [n]
                while stack_ids and budget.spend():
                    c = stack_ids.pop()
                    if c.type == "identifier":
                        scope.bind(_Binding("unknown", _text(c, src), n, None))
                    stack_ids.extend(c.named_children)
                continue
            elif t == "call":
                self._index_mutation(scope, n)
            stack.extend((c, n) for c in reversed(n.named_children))

    def _index_assignment(self, scope: _Scope, n: Node) -> None:
        # `a = b = v` is assignment(a, assignment(b, v)): every target binds the innermost value.
        targets: list[Node] = []
        cur: Node | None = n
        while cur is not None and cur.type == "assignment" and len(targets) < 64:
            left = cur.child_by_field_name("left")
            if left is not None:
                targets.append(left)
            cur = cur.child_by_field_name("right")
        value = cur
        if value is None:  # `x: int` binds nothing
            return
        for left in targets:
            if left.type in ("subscript", "attribute"):
                base = _base_name(left)
                if base is not None:
                    scope.bind(_Binding("mutate", _text(base, self.source), n, value))
                continue
            for ident in _target_names(left):
                scope.bind(_Binding("assign", _text(ident, self.source), n, value))

    def _index_import(self, scope: _Scope, n: Node) -> None:
        src = self.source
        module = n.child_by_field_name("module_name")
        prefix = _text(module, src) if module is not None and n.type == "import_from_statement" else None
        for c in _named(n):
            if c == module:
                continue
            if c.type == "dotted_name":
                full = _text(c, src)
                bound = full.split(".")[0]
                scope.aliases.setdefault(bound, bound)
                if prefix is not None:
                    scope.aliases[full] = f"{prefix}.{full}"
                    bound = full
                scope.bind(_Binding("unknown", bound, n, None))
            elif c.type == "aliased_import":
                name, alias = c.child_by_field_name("name"), c.child_by_field_name("alias")
                if name is None or alias is None:
                    continue
                full = _text(name, src)
                scope.aliases[_text(alias, src)] = f"{prefix}.{full}" if prefix else full
                scope.bind(_Binding("unknown", _text(alias, src), n, None))

    def _index_mutation(self, scope: _Scope, call: Node) -> None:
        fn = call.child_by_field_name("function")
        if fn is None or fn.type != "attribute":
            return
        attr = fn.child_by_field_name("attribute")
        obj = fn.child_by_field_name("object")
        if attr is None or obj is None or _text(attr, self.source) not in _MUTATORS:
            return
        base = _base_name(obj)
        if base is not None:
            scope.bind(_Binding("mutate", _text(base, self.source), call, call.child_by_field_name("arguments")))

    # -- imports

    def qualified(self, callee: str, at: Node, budget: Budget) -> str:
        return _resolve_alias(callee, self._scope(self._scope_node(at), budget).aliases)

    # -- values

    def value(self, expr: Node, budget: Budget) -> Flow:
        run = _Run(self, budget)
        flow = run.eval(expr, 0)
        return flow if flow is not None else _UNKNOWN

    def guards(self, node: Node, budget: Budget) -> list[tuple[str, frozenset[str]]]:
        return _Run(self, budget).guards(node)

    def reachability(self, node: Node, budget: Budget) -> tuple[bool, str]:
        return _Run(self, budget).reachability(node)

    def placement(self, node: Node, function: Node | None) -> tuple[bool, bool, bool]:
        in_loop = in_try = in_except = False
        cur: Node | None = node
        depth = 0
        while cur is not None and cur != function and depth < 10_000:
            depth += 1
            parent = cur.parent
            if parent is None:
                break
            if (parent.type in _LOOPS and cur == parent.child_by_field_name("body")) or (
                parent.type in _COMPREHENSIONS and cur.type != "for_in_clause"
            ):
                in_loop = True
            elif parent.type == "try_statement" and cur == parent.child_by_field_name("body"):
                in_try = True
            elif parent.type in ("except_clause", "except_group_clause") and cur.type == "block":
                in_except = True
            cur = parent
        return in_loop, in_try, in_except


def _resolve_alias(callee: str, aliases: dict[str, str]) -> str:
    if callee in aliases:
        return aliases[callee]
    head, dot, rest = callee.partition(".")
    if dot and head in aliases:
        return f"{aliases[head]}.{rest}"
    # `import os.path` binds `os` and makes `os.path.x` resolvable as written
    return callee


def _parameter_parts(p: Node) -> tuple[Node | None, Node | None, Node | None]:
    """(name, annotation, default) of one parameter node."""
    t = p.type
    if t == "identifier":
        return p, None, None
    if t in ("default_parameter", "typed_default_parameter"):
        return p.child_by_field_name("name"), p.child_by_field_name("type"), p.child_by_field_name("value")
    if t == "typed_parameter":
        kids = [c for c in _named(p) if c.type != "type"]
        name: Node | None = kids[0] if kids else None
        while name is not None and name.type in ("list_splat_pattern", "dictionary_splat_pattern"):
            inner = _named(name)
            name = inner[0] if inner else None
        return name, p.child_by_field_name("type"), None
    if t in ("list_splat_pattern", "dictionary_splat_pattern"):
        inner = _named(p)
        return (inner[0] if inner and inner[0].type == "identifier" else None), None, None
    return None, None, None


def _is_route_parameter(annotation: Node | None, default: Node | None, source: bytes) -> bool:
    if default is not None and default.type == "call":
        fn = _dotted(default.child_by_field_name("function"), source)
        if fn is not None and fn.split(".")[-1] in ("Depends", "Security"):
            return False
    if annotation is not None:
        text = "".join(_text(annotation, source).split())
        if text in _CONVERTED_TYPES or text in _INJECTED_TYPES:
            return False
    return True


def _is_method(function: Node, source: bytes) -> bool:
    parent = function.parent
    decorators: list[str] = []
    if parent is not None and parent.type == "decorated_definition":
        decorators = _decorator_names(parent, source)
        parent = parent.parent
    if parent is None or parent.type != "block":
        return False
    owner = parent.parent
    return owner is not None and owner.type == _CLASS and "staticmethod" not in decorators


def _decorator_names(decorated: Node, source: bytes) -> list[str]:
    out = []
    for d in _named(decorated):
        if d.type != "decorator":
            continue
        kids = _named(d)
        if not kids:
            continue
        expr = kids[0]
        if expr.type == "call":
            expr = expr.child_by_field_name("function") or expr
        name = _dotted(expr, source)
        out.append(name if name is not None else " ".join(text_of(expr, source, 80).split()))
    return out


# --- one evaluation: memo, depth and budget -------------------------------------------------------


class _Run:
    def __init__(self, analyzer: PythonAnalyzer, budget: Budget) -> None:
        self.a = analyzer
        self.src = analyzer.source
        self.budget = budget
        self.memo: dict[tuple[int, str], Flow | None] = {}
        self.active: set[tuple[int, str]] = set()
        self.active_fold: set[int] = set()
        self.dead_memo: dict[int, tuple[bool, str]] = {}

    def scope_of(self, node: Node) -> _Scope:
        return self.a._scope(self.a._scope_node(node), self.budget)

    # -- provenance

    def eval(self, node: Node, depth: int) -> Flow | None:
        """The flow of `node`'s value; None is "no value" (a cycle), joined as nothing."""
        if depth > _MAX_DEPTH or not self.budget.spend():
            self.budget.exhausted = True
            return _UNKNOWN
        t = node.type
        if t in _LITERALS:
            return _LITERAL
        if t == "string":
            parts = [
                e for c in node.children if c.type == "interpolation" and (e := c.child_by_field_name("expression"))
            ]
            if not parts:
                return _LITERAL
            return self.compose(parts, depth, container=False, constant_floor=True)
        if t in ("concatenated_string", "unary_operator"):  # "a" "b", -1: still literals
            return self.compose(_named(node), depth, container=True)
        if t == "identifier":
            return self.resolve(node, depth)
        if t == "attribute":
            return self.eval_attribute(node, depth)
        if t == "subscript":
            return self.compose(_named(node), depth, container=False)
        if t == "call":
            return self.eval_call(node, depth)
        if t in _CONTAINERS:
            return self.compose(_named(node), depth, container=True)
        if t == "parenthesized_expression":
            kids = _named(node)
            return self.eval(kids[0], depth + 1) if len(kids) == 1 else self.compose(kids, depth, container=True)
        if t == "conditional_expression":  # `a if cond else b`: only the branch taken when cond folds
            kids = _named(node)
            if len(kids) == 3:
                v = self.fold(kids[1], depth + 1)
                if v is not _NO_VALUE:
                    return self.eval(kids[0] if _truthy(v) else kids[2], depth + 1)
                return self.compose([kids[0], kids[2]], depth, container=False)
        if t in _PASSTHROUGH:
            return self.compose(_named(node), depth, container=False)
        if t == "keyword_argument":
            value = node.child_by_field_name("value")
            return self.eval(value, depth + 1) if value is not None else _UNKNOWN
        if t in _COMPREHENSIONS:
            parts = []
            for c in _named(node):
                if c.type == "for_in_clause":
                    right = c.child_by_field_name("right")
                    if right is not None:
                        parts.append(right)
                elif c.type == "if_clause":
                    continue
                else:
                    parts.append(c)
            return self.compose(parts, depth, container=False)
        if t == "argument_list":
            return self.compose(_named(node), depth, container=False)
        return _UNKNOWN  # lambda, yield, ERROR, ...

    def compose(
        self,
        parts: list[Node],
        depth: int,
        *,
        container: bool,
        floor: Flow | None = None,
        constant_floor: bool = False,
    ) -> Flow | None:
        """The join of the parts' flows; a mix of literals is a constant, a container of literals
        a literal; `floor` is joined in (an unknown call's result may be anything)."""
        flows = [f for p in parts if (f := self.eval(p, depth + 1)) is not None]
        if not flows:
            if floor is not None:
                return floor
            if constant_floor:
                return Flow(Provenance.CONSTANT)
            return _LITERAL if container or not parts else None
        out = flows[0]
        for f in flows[1:]:
            out = out.join(f)
        if out.provenance is Provenance.LITERAL and not container:
            out = Flow(Provenance.CONSTANT, out.sources, out.sanitizers, out.names)
        if floor is not None:
            out = out.join(floor)
        return out

    def source_label(self, node: Node) -> str | None:
        """A label when `node` itself is a request/input source."""
        if node.type != "attribute":
            return None
        dotted = _dotted(node, self.src)
        if dotted is None:
            return None
        if dotted in _INPUT_ATTRIBUTES:
            return dotted
        obj, _, attr = dotted.rpartition(".")
        if obj in _REQUEST_OBJECTS and (attr in _FLASK_ATTRS or attr in _DJANGO_ATTRS):
            return f"{obj}.{attr}"
        return None

    def eval_attribute(self, node: Node, depth: int) -> Flow | None:
        label = self.source_label(node)
        if label is not None:
            return Flow(Provenance.REQUEST, (label,))
        obj = node.child_by_field_name("object")
        if obj is None:
            return _UNKNOWN
        if _dotted(obj, self.src) in _REQUEST_OBJECTS:  # request.user, request.method: not client data
            return _UNKNOWN
        return self.compose([obj], depth, container=False, floor=_UNKNOWN)

    def eval_call(self, node: Node, depth: int) -> Flow | None:
        fn = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        args = _named(args_node) if args_node is not None else []
        if fn is None:
            return _UNKNOWN
        callee = _dotted(fn, self.src)
        scope = self.scope_of(node)
        qualified = _resolve_alias(callee, scope.aliases) if callee is not None else None
        if qualified is not None and (qualified in _INPUT_CALLS or callee in _INPUT_CALLS):
            return Flow(Provenance.REQUEST, (f"{qualified}()",))
        for a in args:  # the whole request handed to a helper: what it returns may be client data
            if _dotted(a, self.src) in _REQUEST_OBJECTS and self.request_object_name(a):
                return Flow(Provenance.REQUEST, (f"{_dotted(a, self.src)} (whole request)",))
        sanitizer = self.sanitizer_name(fn, callee, qualified)
        if sanitizer is not None:
            flow = self.compose(args, depth, container=False) or Flow(Provenance.CONSTANT)
            return Flow(flow.provenance, flow.sources, (*flow.sanitizers, sanitizer), flow.names)
        if fn.type == "attribute":
            label = self.source_label(fn)  # request.get_json(), request.get_data()
            if label is not None:
                return Flow(Provenance.REQUEST, (label,))
            obj = fn.child_by_field_name("object")
            attr = fn.child_by_field_name("attribute")
            method = _text(attr, self.src) if attr is not None else ""
            parts = ([obj] if obj is not None else []) + args
            if obj is not None and method in _STR_METHODS:
                receiver = self.eval(obj, depth + 1)
                if receiver is not None and receiver.provenance in (Provenance.LITERAL, Provenance.CONSTANT):
                    return self.compose(parts, depth, container=False)
            if obj is not None and _dotted(obj, self.src) in _REQUEST_OBJECTS:
                return self.compose(args, depth, container=False, floor=_UNKNOWN)
            return self.compose(parts, depth, container=False, floor=_UNKNOWN)
        if qualified in _PURE_CALLS or callee in _PURE_CALLS:
            return self.compose(args, depth, container=False) or Flow(Provenance.CONSTANT)
        return self.compose(args, depth, container=False, floor=_UNKNOWN)

    def request_object_name(self, node: Node) -> bool:
        """True unless `request`/`req` here is a local variable bound to something else."""
        if node.type != "identifier":
            return True
        scope = self.scope_of(node)
        name = _text(node, self.src)
        return not scope.bindings.get(name)

    def sanitizer_name(self, fn: Node, callee: str | None, qualified: str | None) -> str | None:
        if qualified is not None and qualified in _SANITIZERS:
            return qualified
        if callee is not None and callee in _SANITIZERS:
            return callee
        last = (qualified or callee or "").rpartition(".")[2]
        if fn.type == "attribute" and last in _SANITIZER_METHODS:
            return f"<x>.{last}"
        if last and _SANITIZER_NAME.match(last):
            return qualified or callee
        return None

    # -- names

    def resolve(self, ident: Node, depth: int) -> Flow | None:
        name = _text(ident, self.src)
        scope = self.scope_of(ident)
        if name in scope.nonlocal_names:
            return Flow(Provenance.UNKNOWN, (), (), frozenset({name}))
        reaching, param = self.reaching(scope, name, ident, depth)
        flows: list[Flow] = []
        if param is not None:
            if param == "route":
                flows.append(Flow(Provenance.REQUEST, (f"route parameter:{name}",)))
            elif param == "parameter":
                flows.append(Flow(Provenance.PARAMETER, (f"parameter:{name}",)))
            else:
                flows.append(_UNKNOWN)
        for b in reaching:
            f = self.eval_binding(b, depth + 1)
            if f is not None:
                flows.append(f)
        if not flows:
            if not reaching:  # a global, builtin or closure, or read before any binding
                return Flow(Provenance.UNKNOWN, (), (), frozenset({name}))
            return None  # only cycles reach: they add nothing
        out = flows[0]
        for f in flows[1:]:
            out = out.join(f)
        prov = Provenance.CONSTANT if out.provenance is Provenance.LITERAL else out.provenance
        return Flow(prov, out.sources, out.sanitizers, out.names | {name})

    def reaching(self, scope: _Scope, name: str, use: Node, depth: int) -> tuple[list[_Binding], str | None]:
        """The bindings of `name` that may reach `use`, and the parameter kind when it may."""
        bindings = scope.bindings.get(name, [])
        param = scope.params.get(name)
        if not bindings:
            return [], param
        killer = self.killer(scope, name, use)
        out = []
        for b in bindings:
            if b.region is not None and _contains(b.region, use):
                pass
            elif b.end <= use.start_byte:
                if killer is not None and b.start < killer.start_byte:
                    continue
            elif not any(
                _contains(loop, b.stmt) and _contains(loop, use) and (killer is None or not _contains(loop, killer))
                for loop in scope.loops
            ):
                continue
            if self.dead(b.stmt, depth + 1)[0]:
                continue
            out.append(b)
        return out, (param if killer is None else None)

    def killer(self, scope: _Scope, name: str, use: Node) -> Node | None:
        """The nearest plain `name = ...` statement that runs before `use` on every path."""
        cur: Node = use
        steps = 0
        while cur != scope.node and steps < 10_000:
            steps += 1
            parent = cur.parent
            if parent is None:
                return None
            if parent.type in _BLOCKS:
                sib = cur.prev_named_sibling
                while sib is not None:
                    if not self.budget.spend():
                        return None
                    if sib.type == "expression_statement" and self.binds_plainly(sib, name):
                        return sib
                    sib = sib.prev_named_sibling
            cur = parent
        return None

    def binds_plainly(self, stmt: Node, name: str) -> bool:
        kids = _named(stmt)
        if len(kids) != 1 or kids[0].type != "assignment":
            return False
        cur: Node | None = kids[0]
        while cur is not None and cur.type == "assignment":
            left = cur.child_by_field_name("left")
            if left is not None and left.type == "identifier" and _text(left, self.src) == name:
                return cur.child_by_field_name("right") is not None
            cur = cur.child_by_field_name("right")
        return False

    def eval_binding(self, b: _Binding, depth: int) -> Flow | None:
        key = (b.stmt.id, b.name)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return None  # a cycle (x += ... in a loop): contributes nothing new
        self.active.add(key)
        try:
            flow: Flow | None
            if b.kind == "unknown" or b.value is None:
                flow = _UNKNOWN
            elif b.kind == "augment":
                left = b.value.child_by_field_name("left")
                right = b.value.child_by_field_name("right")
                flow = self.compose([n for n in (left, right) if n is not None], depth, container=False)
            else:
                flow = self.eval(b.value, depth + 1)
        finally:
            self.active.discard(key)
        self.memo[key] = flow
        return flow

    # -- constant folding

    def fold(self, node: Node, depth: int) -> object:
        if depth > _MAX_DEPTH or not self.budget.spend():
            return _NO_VALUE
        t = node.type
        src = self.src
        if t == "true":
            return True
        if t == "false":
            return False
        if t == "none":
            return None
        if t in ("integer", "float"):
            text = _text(node, src)
            if len(text) > 100:
                return _NO_VALUE
            try:
                return ast.literal_eval(text)
            except (ValueError, SyntaxError):
                return _NO_VALUE
        if t == "string":
            return _string_value(node, src)
        if t == "concatenated_string":
            parts = [self.fold(c, depth + 1) for c in _named(node)]
            if all(isinstance(p, str) for p in parts):
                return "".join(p for p in parts if isinstance(p, str))
            return _NO_VALUE
        if t == "parenthesized_expression":
            kids = _named(node)
            return self.fold(kids[0], depth + 1) if len(kids) == 1 else _NO_VALUE
        if t in ("tuple", "list"):
            items = [self.fold(c, depth + 1) for c in _named(node)]
            return _NO_VALUE if any(i is _NO_VALUE for i in items) else tuple(items)
        if t == "not_operator":
            arg = node.child_by_field_name("argument")
            v = self.fold(arg, depth + 1) if arg is not None else _NO_VALUE
            return _NO_VALUE if v is _NO_VALUE else not v
        if t == "boolean_operator":
            return self.fold_boolean(node, depth)
        if t == "unary_operator":
            return self.fold_unary(node, depth)
        if t == "binary_operator":
            return self.fold_binary(node, depth)
        if t == "comparison_operator":
            return self.fold_comparison(node, depth)
        if t == "subscript":
            return self.fold_subscript(node, depth)
        if t == "identifier":
            return self.fold_name(node, depth)
        return _NO_VALUE

    def fold_boolean(self, node: Node, depth: int) -> object:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        op = node.child_by_field_name("operator")
        if left is None or right is None or op is None:
            return _NO_VALUE
        lv = self.fold(left, depth + 1)
        if lv is _NO_VALUE:
            return _NO_VALUE
        if op.type == "and":
            return lv if not lv else self.fold(right, depth + 1)
        return lv if lv else self.fold(right, depth + 1)

    def fold_unary(self, node: Node, depth: int) -> object:
        arg = node.child_by_field_name("argument")
        op = node.child_by_field_name("operator")
        v = self.fold(arg, depth + 1) if arg is not None else _NO_VALUE
        if op is None or isinstance(v, bool) or not isinstance(v, int | float):
            return _NO_VALUE
        if op.type == "-":
            return -v
        if op.type == "+":
            return +v
        if op.type == "~" and isinstance(v, int):
            return ~v
        return _NO_VALUE

    def fold_binary(self, node: Node, depth: int) -> object:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        op = node.child_by_field_name("operator")
        if left is None or right is None or op is None:
            return _NO_VALUE
        lv, rv = self.fold(left, depth + 1), self.fold(right, depth + 1)
        if lv is _NO_VALUE or rv is _NO_VALUE:
            return _NO_VALUE
        return _arith(op.type, lv, rv)

    def fold_comparison(self, node: Node, depth: int) -> object:
        operands = _named(node)
        ops = [c for c in node.children if not c.is_named]
        if len(operands) != len(ops) + 1 or len(operands) > 8:
            return _NO_VALUE
        values = [self.fold(o, depth + 1) for o in operands]
        if any(v is _NO_VALUE for v in values):
            return _NO_VALUE
        for op, (a, b) in zip(ops, itertools.pairwise(values), strict=True):
            r = _compare(op.type, a, b)
            if r is _NO_VALUE:
                return _NO_VALUE
            if not r:
                return False
        return True

    def fold_subscript(self, node: Node, depth: int) -> object:
        value = node.child_by_field_name("value")
        index = node.child_by_field_name("subscript")
        if value is None or index is None:
            return _NO_VALUE
        v = self.fold(value, depth + 1)
        if not isinstance(v, str | tuple):
            return _NO_VALUE
        if index.type == "slice":
            bounds: list[object] = [None, None, None]
            slot = 0
            for c in index.children:
                if c.type == ":":
                    slot += 1
                elif slot < 3:
                    bounds[slot] = self.fold(c, depth + 1)
            if not all(b is None or (isinstance(b, int) and not isinstance(b, bool)) for b in bounds):
                return _NO_VALUE
            start, stop, step = (cast("int | None", b) for b in bounds)
            if step == 0:
                return _NO_VALUE
            return v[slice(start, stop, step)]
        i = self.fold(index, depth + 1)
        if isinstance(i, int) and not isinstance(i, bool) and -len(v) <= i < len(v):
            return v[i]
        return _NO_VALUE

    def fold_name(self, ident: Node, depth: int) -> object:
        name = _text(ident, self.src)
        scope = self.scope_of(ident)
        if name in scope.nonlocal_names:
            return _NO_VALUE
        reaching, param = self.reaching(scope, name, ident, depth + 1)
        if param is not None or len(reaching) != 1:
            return _NO_VALUE
        (b,) = reaching
        if b.kind != "assign" or b.value is None:
            return _NO_VALUE
        key = b.stmt.id
        if key in self.active_fold:
            return _NO_VALUE
        self.active_fold.add(key)
        try:
            return self.fold(b.value, depth + 1)
        finally:
            self.active_fold.discard(key)

    # -- reachability

    def dead(self, node: Node, depth: int) -> tuple[bool, str]:
        """(True, why) when `node` sits where no execution reaches; checked up to the module."""
        key = node.id
        if key in self.dead_memo:
            return self.dead_memo[key]
        self.dead_memo[key] = (False, "")  # a cycle through folding assumes live
        result = self._dead(node, depth)
        self.dead_memo[key] = result
        return result

    def _dead(self, node: Node, depth: int) -> tuple[bool, str]:
        cur = node
        steps = 0
        while steps < 10_000:
            steps += 1
            parent = cur.parent
            if parent is None:
                return False, ""
            if not self.budget.spend():
                return False, ""
            pt = parent.type
            if pt in _BLOCKS:
                exit_ = self.first_exit(parent)
                if exit_ is not None and exit_[0] < cur.start_byte:
                    return True, f"after `{exit_[1]}` on line {exit_[2]}"
            elif pt == "if_statement" and cur == parent.child_by_field_name("consequence"):
                cond = parent.child_by_field_name("condition")
                if cond is not None and self.falsy(cond, depth):
                    return True, f"under an `if` whose condition is always false (line {parent.start_point.row + 1})"
            elif pt == "elif_clause" and cur == parent.child_by_field_name("consequence"):
                cond = parent.child_by_field_name("condition")
                if cond is not None and self.falsy(cond, depth):
                    return True, f"under an `elif` whose condition is always false (line {parent.start_point.row + 1})"
                why = self.earlier_branch_taken(parent, depth)
                if why:
                    return True, why
            elif pt == "else_clause" and parent.parent is not None and parent.parent.type == "if_statement":
                why = self.earlier_branch_taken(parent, depth)
                if why:
                    return True, why
            elif pt == "while_statement" and cur == parent.child_by_field_name("body"):
                cond = parent.child_by_field_name("condition")
                if cond is not None and self.falsy(cond, depth):
                    return (
                        True,
                        f"in a `while` loop whose condition is always false (line {parent.start_point.row + 1})",
                    )
            elif pt == "conditional_expression":
                kids = _named(parent)
                if len(kids) == 3 and cur in (kids[0], kids[2]):
                    v = self.fold(kids[1], depth + 1)
                    if v is not _NO_VALUE and bool(v) != (cur == kids[0]):
                        return (
                            True,
                            f"in a branch of a conditional expression never taken (line {parent.start_point.row + 1})",
                        )
            cur = parent
        return False, ""

    def falsy(self, cond: Node, depth: int) -> bool:
        v = self.fold(cond, depth + 1)
        return v is not _NO_VALUE and not _truthy(v)

    def truthy(self, cond: Node, depth: int) -> bool:
        v = self.fold(cond, depth + 1)
        return v is not _NO_VALUE and _truthy(v)

    def earlier_branch_taken(self, clause: Node, depth: int) -> str:
        """For an elif/else clause: why it never runs when an earlier condition is always true."""
        owner = clause.parent
        if owner is None:
            return ""
        cond = owner.child_by_field_name("condition")
        if cond is not None and self.truthy(cond, depth):
            return f"in a branch after an `if` whose condition is always true (line {owner.start_point.row + 1})"
        for sib in _named(owner):
            if sib == clause:
                break
            if sib.type == "elif_clause":
                c = sib.child_by_field_name("condition")
                if c is not None and self.truthy(c, depth):
                    return (
                        f"in a branch after an `elif` whose condition is always true (line {sib.start_point.row + 1})"
                    )
        return ""

    def first_exit(self, block: Node) -> tuple[int, str, int] | None:
        """(start byte, keyword, line) of the first statement of `block` that always leaves it."""
        cache = self.a._exits
        if block.id not in cache:
            found = None
            for i, stmt in enumerate(block.named_children):
                if i >= _MAX_TOP_LEVEL:
                    break
                why = self.terminates(stmt)
                if why:
                    found = (stmt.start_byte, why, stmt.start_point.row + 1)
                    break
            cache[block.id] = found
        return cache[block.id]

    def terminates(self, stmt: Node, depth: int = 0) -> str:
        """The keyword when `stmt` always leaves its block (return/raise/continue/break)."""
        word = _TERMINATORS.get(stmt.type)
        if word is not None:
            return word
        if stmt.type == "if_statement" and depth < 16:
            branches: list[Node | None] = [stmt.child_by_field_name("consequence")]
            has_else = False
            for c in _named(stmt):
                if c.type == "elif_clause":
                    branches.append(c.child_by_field_name("consequence"))
                elif c.type == "else_clause":
                    branches.append(c.child_by_field_name("body"))
                    has_else = True
            if not has_else:
                return ""
            words = []
            for b in branches[:64]:
                last = _last_statement(b)
                w = self.terminates(last, depth + 1) if last is not None else ""
                if not w:
                    return ""
                words.append(w)
            return "/".join(dict.fromkeys(words)) + " in every branch of the `if`"
        return ""

    def reachability(self, node: Node) -> tuple[bool, str]:
        dead, why = self.dead(node, 0)
        return (not dead, why)

    # -- guards

    def guards(self, node: Node) -> list[tuple[str, frozenset[str]]]:
        """Checks that every path to `node` passed: (kind, names the check is about)."""
        found: list[tuple[str, frozenset[str]]] = []
        scope_node = self.a._scope_node(node)
        cur = node
        steps = 0
        while cur != scope_node and steps < 10_000:
            steps += 1
            parent = cur.parent
            if parent is None:
                break
            pt = parent.type
            if pt in _BLOCKS:
                sib = cur.prev_named_sibling
                while sib is not None and self.budget.spend():
                    if sib.type == "if_statement":
                        cond = sib.child_by_field_name("condition")
                        last = _last_statement(sib.child_by_field_name("consequence"))
                        if cond is not None and last is not None and _is_exit(last, self.src):
                            found += self.checks(cond, bad=True)
                    elif sib.type == "assert_statement":
                        for c in _named(sib)[:1]:
                            found += self.checks(c, bad=False)
                    sib = sib.prev_named_sibling
            elif pt in ("if_statement", "elif_clause") and cur == parent.child_by_field_name("consequence"):
                cond = parent.child_by_field_name("condition")
                if cond is not None:
                    found += self.checks(cond, bad=False)
                if pt == "elif_clause":
                    found += self.earlier_checks(parent)
            elif pt == "else_clause" and parent.parent is not None and parent.parent.type == "if_statement":
                found += self.earlier_checks(parent)
            cur = parent
        return [(kind, self.related(names, node)) for kind, names in found]

    def earlier_checks(self, clause: Node) -> list[tuple[str, frozenset[str]]]:
        owner = clause.parent
        if owner is None:
            return []
        out = []
        cond = owner.child_by_field_name("condition")
        if cond is not None:
            out += self.checks(cond, bad=True)
        for sib in _named(owner):
            if sib == clause:
                break
            if sib.type == "elif_clause":
                c = sib.child_by_field_name("condition")
                if c is not None:
                    out += self.checks(c, bad=True)
        return out

    def related(self, names: frozenset[str], at: Node) -> frozenset[str]:
        """The checked names plus the names their values were computed from (`u = urlparse(url)`)."""
        scope = self.scope_of(at)
        out = set(names)
        for name in names:
            for b in scope.bindings.get(name, [])[:16]:
                if b.value is not None and b.kind in ("assign", "walrus"):
                    out |= self.identifiers(b.value)
        return frozenset(out)

    def identifiers(self, node: Node) -> frozenset[str]:
        out: set[str] = set()
        stack = [node]
        while stack and self.budget.spend() and len(out) < 64:
            n = stack.pop()
            if n.type == "identifier":
                out.add(_text(n, self.src))
            elif n.type == "attribute":
                obj = n.child_by_field_name("object")
                if obj is not None:
                    stack.append(obj)
            elif n.type == "keyword_argument":
                value = n.child_by_field_name("value")
                if value is not None:
                    stack.append(value)
            else:
                stack.extend(n.named_children)
        return frozenset(out)

    def checks(self, cond: Node, *, bad: bool, depth: int = 0) -> list[tuple[str, frozenset[str]]]:
        """Checks in `cond` that, when `cond` is true (bad=True: the value is rejected; bad=False:
        the value is accepted), constrain a value."""
        if depth > _MAX_DEPTH or not self.budget.spend():
            return []
        t = cond.type
        if t == "parenthesized_expression":
            kids = _named(cond)
            return self.checks(kids[0], bad=bad, depth=depth + 1) if len(kids) == 1 else []
        if t == "not_operator":
            arg = cond.child_by_field_name("argument")
            return self.checks(arg, bad=not bad, depth=depth + 1) if arg is not None else []
        if t == "boolean_operator":
            op = cond.child_by_field_name("operator")
            left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
            if op is None or left is None or right is None:
                return []
            # `a or b` true => reject: each alone rejects; `a and b` true => accept: each alone holds.
            if (op.type == "or") == bad:
                return self.checks(left, bad=bad, depth=depth + 1) + self.checks(right, bad=bad, depth=depth + 1)
            return []
        host = self.host_check(cond)
        if host:
            return [("host", host)]
        if t == "comparison_operator":
            return self.comparison_check(cond, bad=bad)
        if t == "call":
            return self.call_check(cond, bad=bad)
        return []

    def host_check(self, cond: Node) -> frozenset[str]:
        """Names whose parsed URL's netloc/hostname the condition looks at."""
        out: set[str] = set()
        stack = [cond]
        seen = 0
        while stack and seen < 256:
            seen += 1
            n = stack.pop()
            if n.type == "attribute":
                attr = n.child_by_field_name("attribute")
                obj = n.child_by_field_name("object")
                if attr is not None and obj is not None and _text(attr, self.src) in ("netloc", "hostname"):
                    base = _base_name(obj)
                    if base is not None:
                        out.add(_text(base, self.src))
            stack.extend(n.named_children)
        return frozenset(out)

    def comparison_check(self, cond: Node, *, bad: bool) -> list[tuple[str, frozenset[str]]]:
        operands = _named(cond)
        ops = [c for c in cond.children if not c.is_named]
        if len(operands) != 2 or len(ops) != 1:
            return []
        left, right = operands
        op = ops[0].type
        if op in ("in", "not in"):
            rejects = op == "in"
            literal = _string_value(left, self.src)
            if isinstance(literal, str | bytes):
                text = literal.decode("latin-1") if isinstance(literal, bytes) else literal
                if text.startswith("..") or "../" in text or "..\\" in text:
                    kind = "dotdot"
                elif text.strip("\\") in ("'", '"'):
                    kind = "quote"
                else:
                    kind = "contains"
                names = self.identifiers(right)
            else:  # `x in ALLOWED`: membership accepts
                rejects = not rejects
                kind = "allowlist"
                names = self.identifiers(left)
            return [(kind, names)] if rejects == bad else []
        if op in ("==", "!="):
            for value, other in ((right, left), (left, right)):
                if value.type in ("string", "integer", "float", "true", "false", "none"):
                    accepts = op == "=="
                    return [("allowlist", self.identifiers(other))] if accepts != bad else []
        return []

    def call_check(self, call: Node, *, bad: bool) -> list[tuple[str, frozenset[str]]]:
        if bad:  # a call true => accepted; as a rejection it says nothing
            return []
        fn = call.child_by_field_name("function")
        args_node = call.child_by_field_name("arguments")
        args = _named(args_node) if args_node is not None else []
        if fn is None:
            return []
        scope = self.scope_of(call)
        callee = _dotted(fn, self.src)
        qualified = _resolve_alias(callee, scope.aliases) if callee is not None else ""
        last = qualified.rpartition(".")[2]
        if fn.type == "attribute":
            obj = fn.child_by_field_name("object")
            attr = fn.child_by_field_name("attribute")
            method = _text(attr, self.src) if attr is not None else ""
            if obj is not None:
                if method in _CHARSET_METHODS:
                    return [("charset", self.identifiers(obj))]
                if method in _PREFIX_METHODS:
                    return [("prefix", self.identifiers(obj))]
                if method in _REGEX_METHODS and qualified not in _REGEX_FUNCS and args:
                    return [("regex", self.identifiers(args[0]))]
        if qualified in _REGEX_FUNCS and len(args) >= 2:
            return [("regex", self.identifiers(args[1]))]
        if qualified == "isinstance" and len(args) == 2:
            types = {_dotted(t, self.src) for t in ([args[1]] if args[1].type != "tuple" else _named(args[1]))}
            if types and types <= _NUMERIC_TYPES:
                return [("type", self.identifiers(args[0]))]
            return []
        if last in _SAFE_URL_CALLS and args:
            return [("safe_url", self.identifiers(args[0]))]
        if last and _VALIDATOR_NAME.match(last) and args:
            names: set[str] = set()
            for a in args:
                names |= self.identifiers(a)
            return [("validator", frozenset(names))]
        return []


def _truthy(v: object) -> bool:
    try:
        return bool(v)
    except Exception:  # noqa: BLE001 - folding never raises
        return False


def _arith(op: str, a: object, b: object) -> object:
    numbers = (int, float)
    try:
        if isinstance(a, bool) or isinstance(b, bool):
            a, b = (int(a) if isinstance(a, bool) else a), (int(b) if isinstance(b, bool) else b)
        if isinstance(a, numbers) and isinstance(b, numbers):
            if op == "+":
                r: object = a + b
            elif op == "-":
                r = a - b
            elif op == "*":
                r = a * b
            elif op == "/":
                r = a / b
            elif op == "//":
                r = a // b
            elif op == "%":
                r = a % b
            elif op == "**":
                if abs(b) > 64 or abs(a) > 2**64:
                    return _NO_VALUE
                r = a**b
            else:
                return _NO_VALUE
            if isinstance(r, int) and abs(r) > 2**256:
                return _NO_VALUE
            return r
        if isinstance(a, str) and isinstance(b, str) and op == "+":
            return a + b if len(a) + len(b) <= _MAX_FOLD_LEN else _NO_VALUE
        if op == "*" and isinstance(a, str) and isinstance(b, int) and len(a) * max(b, 0) <= _MAX_FOLD_LEN:
            return a * b
    except (ArithmeticError, ValueError, TypeError):
        return _NO_VALUE
    return _NO_VALUE


def _compare(op: str, a: object, b: object) -> object:
    try:
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        if op == "<":
            return a < b  # type: ignore[operator]
        if op == "<=":
            return a <= b  # type: ignore[operator]
        if op == ">":
            return a > b  # type: ignore[operator]
        if op == ">=":
            return a >= b  # type: ignore[operator]
        if op == "in" and isinstance(b, str | tuple):
            return a in b
        if op == "not in" and isinstance(b, str | tuple):
            return a not in b
        if op in ("is", "is not") and (a is None or isinstance(a, bool)) and (b is None or isinstance(b, bool)):
            return (a is b) == (op == "is")
    except TypeError:
        return _NO_VALUE
    return _NO_VALUE


# --- the language support object ------------------------------------------------------------------


class PythonSupport:
    name = "python"
    function_types = frozenset({_FUNCTION})
    class_types = frozenset({_CLASS})
    call_types = frozenset({"call"})
    string_types = frozenset({"string", "concatenated_string"})
    comment_types = frozenset({"comment"})
    loop_types = frozenset({"for_statement", "while_statement", *_COMPREHENSIONS})
    scope_name_fields = MappingProxyType({_FUNCTION: "name", _CLASS: "name"})
    known = KNOWN

    def grammar(self) -> object:
        import tree_sitter_python

        return tree_sitter_python.language()

    def callee(self, call: Node, source: bytes) -> str | None:
        return _dotted(call.child_by_field_name("function"), source)

    def arguments(self, call: Node, source: bytes) -> list[CallArgument]:
        node = call.child_by_field_name("arguments")
        if node is None:
            return []
        if node.type != "argument_list":  # f(x for x in y)
            return [CallArgument(0, None, node)]
        out = []
        position = 0
        for a in _named(node):
            if a.type == "keyword_argument":
                name = a.child_by_field_name("name")
                out.append(CallArgument(None, _text(name, source) if name is not None else None, a))
            elif a.type == "list_splat":
                out.append(CallArgument(None, "*", a))
            elif a.type == "dictionary_splat":
                out.append(CallArgument(None, "**", a))
            else:
                out.append(CallArgument(position, None, a))
                position += 1
        return out

    def function_facts(self, function: Node, source: bytes) -> FunctionFacts:
        name_node = function.child_by_field_name("name")
        name = _text(name_node, source) if name_node is not None else ""
        parent = function.parent
        decorators = (
            tuple(_decorator_names(parent, source))
            if parent is not None and parent.type == "decorated_definition"
            else ()
        )
        params = function.child_by_field_name("parameters")
        names = []
        for p in _named(params) if params is not None else []:
            n, _, _ = _parameter_parts(p)
            if n is not None:
                names.append(_text(n, source))
        is_async = any(c.type == "async" for c in function.children)
        routed = any("." in d and d.rpartition(".")[2] in _ROUTE_VERBS for d in decorators)
        method = _is_method(function, source)
        view_args = names[1:2] if method else names[:1]
        handler = routed or any(n in ("request", "req") for n in view_args)
        return FunctionFacts(name, decorators, tuple(names), is_async, handler)

    def analyzer(self, source: bytes, root: Node) -> PythonAnalyzer:
        return PythonAnalyzer(source, root)


SUPPORT = PythonSupport()
