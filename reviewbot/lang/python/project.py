"""The repository's other Python modules, read on demand, for one fact about their functions:
whether a function (or a method of a class) defined there always returns a constant, so a call
of it yields a constant whatever its arguments and receiver hold.

`w = helpers.wrap(request); v = w.get_safe_value("x")` hands the whole request to a helper, so
file-local analysis must take `v` as request data; if `helpers.py` says
`def get_safe_value(self, name): return "bar"`, it is the constant "bar".

What is read is the version of the module under review (the head: the code that will run), by
repository-relative path (`a/b.py`, `a/b/__init__.py`, or under `src/`). A summary is trusted only
when it is simple: a plain or static/class method or property defined directly in the module or
class body (not inherited, not reassigned), no other decorator (a decorator may replace the
function), not async and not a generator, a class without `__new__`/`__getattr__`/
`__getattribute__` (they may hand back something else), and every `return` returning a literal or a
constant the module's own flow analysis folds. Anything else is "not known to be constant".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewbot.lang.base import Budget, ModuleReader
from reviewbot.lang.facts import Provenance
from reviewbot.lang.python.analyzer import PythonAnalyzer
from reviewbot.lang.python.nodes import CLASS, FUNCTION, named, node_text
from reviewbot.lang.syntax import parse

if TYPE_CHECKING:
    from tree_sitter import Node

MAX_MODULE_BYTES = 1_000_000
MAX_MODULES = 64  # modules read per review: the walk is bounded whatever the imports say
_RETURN_BUDGET_STEPS = 20_000
_RETURN_BUDGET_SECONDS = 0.2
_PLAIN_DECORATORS = frozenset(
    {"staticmethod", "classmethod", "property", "functools.cache", "functools.lru_cache", "cache", "lru_cache"}
)
_DYNAMIC_CLASS_MEMBERS = frozenset({"__new__", "__getattr__", "__getattribute__"})
_NESTED_SCOPES = frozenset({FUNCTION, CLASS, "lambda"})
_MAX_BODY_NODES = 50_000


@dataclass
class _Module:
    path: str
    source: bytes
    root: Node
    analyzer: PythonAnalyzer


class Project:
    """Summaries of functions in the repository's modules, computed once per review."""

    def __init__(self, read: ModuleReader) -> None:
        self._read = read
        self._modules: dict[str, _Module | None] = {}
        self._constant: dict[str, bool] = {}

    def is_class(self, qualified: str) -> bool:
        found = self._definition(qualified)
        return found is not None and found[1].type == CLASS

    def returns_constant(self, qualified: str) -> bool:
        """Whether calling the function (or `Class.method`) named `qualified` always gives a constant."""
        if qualified not in self._constant:
            self._constant[qualified] = False  # a recursive helper is not known to be constant
            found = self._definition(qualified)
            self._constant[qualified] = found is not None and _returns_constant(*found)
        return self._constant[qualified]

    def _definition(self, qualified: str) -> tuple[_Module, Node] | None:
        parts = qualified.split(".")
        for i in range(len(parts) - 1, 0, -1):
            module = self._module(".".join(parts[:i]))
            if module is None:
                continue
            node = _find(module.root, parts[i:], module.source)
            return (module, node) if node is not None else None
        return None

    def _module(self, dotted: str) -> _Module | None:
        if dotted in self._modules:
            return self._modules[dotted]
        if len(self._modules) >= MAX_MODULES or not all(p.isidentifier() for p in dotted.split(".")):
            return None
        self._modules[dotted] = None
        rel = dotted.replace(".", "/")
        for path in (f"{rel}.py", f"{rel}/__init__.py", f"src/{rel}.py", f"src/{rel}/__init__.py"):
            data = self._read(path)
            if data is None or len(data) > MAX_MODULE_BYTES:
                continue
            parsed = parse(data, "python")
            if parsed is None:
                return None
            root = parsed.tree.root_node
            # No callers: a summary holds "whatever the arguments", not for the callers seen there.
            self._modules[dotted] = _Module(path, data, root, PythonAnalyzer(data, root, callers=False))
            break
        return self._modules[dotted]


_projects: dict[int, tuple[ModuleReader, Project]] = {}
_projects_lock = threading.Lock()
_MAX_PROJECTS = 4


def project_for(read: ModuleReader) -> Project:
    """One `Project` per reader (a review passes the same reader for all its files), so each
    module is read and summarised once per review, whichever file asks."""
    with _projects_lock:
        hit = _projects.get(id(read))
        if hit is not None and hit[0] is read:
            return hit[1]
        if len(_projects) >= _MAX_PROJECTS:
            _projects.pop(next(iter(_projects)))
        project = Project(read)
        _projects[id(read)] = (read, project)
        return project


def _definitions(block: Node) -> Iterator[tuple[Node, Node]]:
    """(definition, the node holding its decorators or itself) directly in a module or class body."""
    for stmt in named(block):
        if stmt.type == "decorated_definition":
            inner = stmt.child_by_field_name("definition")
            if inner is not None:
                yield inner, stmt
        elif stmt.type in (FUNCTION, CLASS):
            yield stmt, stmt


def _assigned_names(block: Node, source: bytes) -> set[str]:
    names = set()
    for stmt in named(block):
        expr = named(stmt)[0] if stmt.type == "expression_statement" and named(stmt) else None
        if expr is not None and expr.type == "assignment":
            left = expr.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                names.add(node_text(left, source))
    return names


def _find(root: Node, names: list[str], source: bytes) -> Node | None:
    """The single definition `a.b` in `root` (a class's members are searched for `b`)."""
    block: Node | None = root
    found: Node | None = None
    for name in names:
        if block is None:
            return None
        matches = [d for d, _ in _definitions(block) if _name(d, source) == name]
        if len(matches) != 1 or name in _assigned_names(block, source):
            return None  # undefined, defined twice or rebound: which one runs is not known
        found = matches[0]
        block = found.child_by_field_name("body") if found.type == CLASS else None
    return found


def _name(definition: Node, source: bytes) -> str:
    name = definition.child_by_field_name("name")
    return node_text(name, source) if name is not None else ""


def _returns_constant(module: _Module, function: Node) -> bool:
    if function.type != FUNCTION or any(c.type == "async" for c in function.children):
        return False
    holder = function.parent
    if holder is not None and holder.type == "decorated_definition":
        for d in named(holder):
            if (
                d.type == "decorator"
                and " ".join(node_text(d, module.source).lstrip("@").split()) not in _PLAIN_DECORATORS
            ):
                return False
    owner = holder.parent if holder is not None and holder.type == "decorated_definition" else function.parent
    if owner is not None and owner.type == "block" and owner.parent is not None and owner.parent.type == CLASS:
        members = {_name(d, module.source) for d, _ in _definitions(owner)}
        if members & _DYNAMIC_CLASS_MEMBERS:
            return False
    body = function.child_by_field_name("body")
    if body is None:
        return False
    nodes = _own_nodes(body)
    if nodes is None:
        return False
    budget = Budget(_RETURN_BUDGET_STEPS, _RETURN_BUDGET_SECONDS)
    for node in nodes:
        if node.type == "yield":
            return False
        if node.type != "return_statement":
            continue
        values = named(node)
        if not values:
            continue  # a bare `return`: None
        flow = module.analyzer.value(values[0], budget)
        if budget.exhausted or flow.provenance not in (Provenance.LITERAL, Provenance.CONSTANT):
            return False
    return not budget.exhausted


def _own_nodes(body: Node) -> list[Node] | None:
    """Every node of a function body outside nested functions, classes and lambdas (None: too many
    to look at, so a `return` or `yield` might be missed)."""
    stack: list[Node] = [body]
    out: list[Node] = []
    while stack:
        if len(out) >= _MAX_BODY_NODES:
            return None
        node = stack.pop()
        out.append(node)
        stack.extend(c for c in node.children if c.type not in _NESTED_SCOPES)
    return out
