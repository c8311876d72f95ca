"""Key-sensitive reads of local containers: `m["a"]` after `m = {}; m["a"] = "safe"; m["b"] = p`
is the constant `"safe"`, `lst[1]` after `lst = ["a", p, "b"]; lst.pop(0)` is `"b"`, and
`conf.get("s", "k1")` after `conf.set("s", "k1", "safe"); conf.set("s", "k2", p)` is `"safe"`.

The container's writes (its `containers.Plan`) are replayed in order up to the statement of the
read, with every key, index and section/option folded to a constant. Anything the replay cannot
decide (a key that does not fold, an index out of range, a read of a key never written, a
`ConfigParser` value that may interpolate another option, an element that is itself a mutable
container read as a constant) gives `NO_VALUE`: the caller keeps its key-insensitive answer.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING

from reviewbot.lang.base import Flow
from reviewbot.lang.facts import Provenance
from reviewbot.lang.python.containers import ESCAPED, Plan, plan_for
from reviewbot.lang.python.nodes import MAX_DEPTH, named, node_text
from reviewbot.lang.python.reachability import Reachability
from reviewbot.lang.python.values import NO_VALUE, NoValue

if TYPE_CHECKING:
    from tree_sitter import Node

_KEYS = (str, bytes, int, float, bool, type(None))
_IMMUTABLE_NODES = frozenset(
    {"string", "concatenated_string", "integer", "float", "true", "false", "none", "binary_operator"}
)
_MAX_ELEMENTS = 256
_SPLATS = frozenset({"keyword_argument", "list_splat", "dictionary_splat"})
State = dict[object, "Node | None"] | list["Node | None"]
# str methods that return a str
_TEXT_METHODS = frozenset(
    {"lower", "upper", "strip", "lstrip", "rstrip", "replace", "format", "join", "casefold", "title", "capitalize"}
    | {"removeprefix", "removesuffix", "zfill", "center", "ljust", "rjust", "swapcase", "expandtabs", "decode"}
)


class Elements(Reachability):
    """The flow of one element of a followable local container."""

    @abstractmethod
    def eval(self, node: Node, depth: int) -> Flow | None:
        """The flow of `node`'s value (see provenance.py)."""

    @abstractmethod
    def compose(self, parts: list[Node], depth: int, *, container: bool, floor: Flow | None = None) -> Flow | None:
        """The join of the parts' flows (see provenance.py)."""

    def element(self, node: Node, depth: int) -> Flow | NoValue | None:
        """For `x[k]`, `x.get(k[, d])` or `conf.get(s, o)`: the flow of what is read, or
        `NO_VALUE` when the container cannot be followed here."""
        read = self.read_parts(node)
        if read is None:
            return NO_VALUE
        ident, keys, method = read
        plan = self.plan(ident)
        if plan == ESCAPED:  # an alias may have written anything into it
            return self.unsure(node, method, depth)
        if not isinstance(plan, Plan):
            return NO_VALUE
        default: Node | None = None
        if plan.kind == "dict" and method == "get":
            keys, default = keys[:1], (keys[1] if len(keys) == 2 else None)
        elif (plan.kind == "config") != (method == "get" and len(keys) == 2) or len(keys) > 2:
            return NO_VALUE
        stmt = self.statement_in(node, plan)
        state = self.replay(plan, stmt, depth) if stmt is not None else None
        key = self.key(plan.kind, keys, depth) if state is not None else NO_VALUE
        if state is None or key is NO_VALUE:
            return NO_VALUE
        found: Node | NoValue | None = NO_VALUE
        if isinstance(state, list):
            if isinstance(key, int) and not isinstance(key, bool) and -len(state) <= key < len(state):
                found = state[key]
        elif key in state:
            found = state[key]
        elif method == "get" and plan.kind == "dict":
            found = default  # `m.get(k)` of a key never written: None
        if isinstance(found, NoValue):
            return NO_VALUE
        if found is None:
            return Flow(Provenance.CONSTANT)
        flow = self.eval(found, depth + 1)
        if flow is None or flow.provenance not in (Provenance.LITERAL, Provenance.CONSTANT):
            return flow
        if not self.immutable(found, plan.kind == "config", depth):
            return self.unsure(node, method, depth)  # `x = m["a"]; x.append(p)` changes it unseen
        return Flow(Provenance.CONSTANT, flow.sources, flow.sanitizers, flow.names)

    def unsure(self, node: Node, method: str | None, depth: int) -> Flow | NoValue | None:
        """The key-insensitive flow of a read, joined with `unknown` (a `.get` call has it already)."""
        if method is not None:
            return NO_VALUE
        return self.compose(named(node), depth, container=False, floor=Flow(Provenance.UNKNOWN))

    def read_parts(self, node: Node) -> tuple[Node, list[Node], str | None] | None:
        """(container identifier, keys or `.get` arguments, method) of a read, or None."""
        if node.type == "subscript":
            value, index = node.child_by_field_name("value"), node.child_by_field_name("subscript")
            if value is None or index is None or value.type != "identifier" or len(named(node)) != 2:
                return None
            return value, [index], None
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if fn is None or fn.type != "attribute" or args is None:
            return None
        obj, attr = fn.child_by_field_name("object"), fn.child_by_field_name("attribute")
        if obj is None or attr is None or obj.type != "identifier" or node_text(attr, self.src) != "get":
            return None
        parts = named(args)
        if not 1 <= len(parts) <= 2 or any(
            p.type in ("keyword_argument", "list_splat", "dictionary_splat") for p in parts
        ):
            return None
        return obj, parts, "get"

    def plan(self, ident: Node) -> Plan | str | None:
        scope = self.scope_of(ident)
        name = node_text(ident, self.src)
        cache = self.plans
        key = (scope.node.id, name)
        if key in cache:
            return cache[key]
        plan, complete = plan_for(scope, name, self.src, self.budget)
        if complete and scope.complete:
            cache[key] = plan
        return plan

    def statement_in(self, node: Node, plan: Plan) -> Node | None:
        """The statement of the plan's block that holds `node`, when it follows the creation."""
        if not (plan.block.start_byte <= node.start_byte and node.end_byte <= plan.block.end_byte):
            return None
        cur: Node = node
        for _ in range(10_000):
            parent = cur.parent
            if parent is None:
                return None
            if parent == plan.block:
                return cur if cur.start_byte >= plan.creation.end_byte else None
            cur = parent
        return None

    def key(self, kind: str, keys: list[Node], depth: int) -> object:
        values = [self.fold(k, depth + 1) for k in keys]
        if any(v is NO_VALUE or not isinstance(v, _KEYS) for v in values):
            return NO_VALUE
        if kind == "config":
            section, option = values
            if not isinstance(section, str) or not isinstance(option, str):
                return NO_VALUE
            return (section, option.lower())  # ConfigParser's default optionxform
        return values[0]

    def replay(self, plan: Plan, stmt: Node, depth: int) -> State | None:
        """The container's content when `stmt` runs: key (or index) -> value node."""
        state: State
        if plan.kind == "list":
            if plan.value.type != "list":
                state = []
            else:
                state = list(named(plan.value))
                if any(e.type == "list_splat" for e in state if e is not None):
                    return None
        else:
            state = {}
            if plan.value.type == "dictionary":
                for pair in named(plan.value):
                    k, v = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                    if pair.type != "pair" or k is None:
                        return None  # `**other`
                    key = self.key("dict", [k], depth)
                    if key is NO_VALUE:
                        return None
                    state[key] = v
        for write in plan.writes:
            if write.start_byte >= stmt.start_byte:
                break
            if not self.budget.spend() or len(state) > _MAX_ELEMENTS or not self.apply(plan.kind, state, write, depth):
                return None
        return state

    def apply(self, kind: str, state: State, write: Node, depth: int) -> bool:
        """Replay one write; False when it cannot be decided."""
        (expr,) = named(write)
        if expr.type == "assignment":  # `x[k] = v`
            left, value = expr.child_by_field_name("left"), expr.child_by_field_name("right")
            index = left.child_by_field_name("subscript") if left is not None else None
            if index is None or value is None:
                return False
            key = self.key(kind, [index], depth)
            if isinstance(state, list):
                if not isinstance(key, int) or isinstance(key, bool) or not -len(state) <= key < len(state):
                    return False
                state[key] = value
                return True
            if key is NO_VALUE:
                return False
            state[key] = value
            return True
        fn, args_node = expr.child_by_field_name("function"), expr.child_by_field_name("arguments")
        attr = fn.child_by_field_name("attribute") if fn is not None else None
        if attr is None or args_node is None:
            return False
        method, args = node_text(attr, self.src), named(args_node)
        if any(a.type in _SPLATS for a in args):
            return False
        folded = [self.fold(a, depth + 1) for a in args]
        if isinstance(state, list):
            return _apply_list(state, method, args, folded)
        if kind == "config":
            if method == "add_section":
                return len(args) == 1
            if len(args) < 2 or not all(isinstance(f, str) for f in folded[:2]):
                return False
            key = (folded[0], str(folded[1]).lower())
            if method == "set" and len(args) == 3:
                state[key] = args[2]
                return True
            if method == "remove_option" and len(args) == 2:
                state.pop(key, None)
                return True
            return False
        if method == "clear" and not args:
            state.clear()
            return True
        if not args or folded[0] is NO_VALUE or not isinstance(folded[0], _KEYS):
            return False
        if method == "pop" and len(args) <= 2:
            state.pop(folded[0], None)
            return True
        if method == "setdefault" and len(args) <= 2:
            state.setdefault(folded[0], args[1] if len(args) == 2 else None)
            return True
        return False

    def immutable(self, found: Node, config: bool, depth: int) -> bool:
        """A constant element read as a constant must not be a container that an alias can
        change; a `ConfigParser` value must be a string that cannot interpolate another option."""
        v = self.fold(found, depth + 1)
        if config:
            return isinstance(v, str) and "%" not in v and "$" not in v
        if isinstance(v, tuple):
            return found.type == "tuple"  # a name bound to a list folds to a tuple too
        if v is not NO_VALUE:
            return isinstance(v, _KEYS)
        return found.type in _IMMUTABLE_NODES or self.is_text(found, depth + 1)

    def is_text(self, node: Node, depth: int) -> bool:
        """Whether `node` is certainly a str (immutable): a string, a str method's result, an
        element of a `split()`, or a local name every reaching binding of which is one."""
        if depth > MAX_DEPTH or not self.budget.spend():
            return False
        t = node.type
        if t in ("string", "concatenated_string"):
            return True
        if t == "call":
            fn = node.child_by_field_name("function")
            attr = fn.child_by_field_name("attribute") if fn is not None and fn.type == "attribute" else None
            obj = fn.child_by_field_name("object") if fn is not None else None
            method = node_text(attr, self.src) if attr is not None else ""
            return method in _TEXT_METHODS and obj is not None and self.is_text(obj, depth + 1)
        if t == "subscript":  # `s.split("/")[1]`, `parts[1]` of `parts = s.split("/")`, `s[1:]`
            value = node.child_by_field_name("value")
            return value is not None and (self.is_text(value, depth + 1) or self.is_split(value, depth + 1))
        if t == "identifier":
            return self.every_assignment(node, depth, self.is_text)
        return t == "attribute" and self.source_label(node) is not None and node_text(node, self.src).endswith(".path")

    def is_split(self, node: Node, depth: int) -> bool:
        """Whether `node` is a list of str made by `split`/`rsplit`/`splitlines` of a str."""
        if node.type == "identifier":
            return self.every_assignment(node, depth, self.is_split)
        fn = node.child_by_field_name("function") if node.type == "call" else None
        attr = fn.child_by_field_name("attribute") if fn is not None and fn.type == "attribute" else None
        obj = fn.child_by_field_name("object") if fn is not None else None
        return (
            attr is not None
            and node_text(attr, self.src) in ("split", "rsplit", "splitlines")
            and obj is not None
            and self.is_text(obj, depth + 1)
        )

    def every_assignment(self, name: Node, depth: int, test: Callable[[Node, int], bool]) -> bool:
        """Whether the local `name` is bound here only by plain assignments (never a parameter)
        whose every value passes `test`."""
        reaching, param = self.reaching(self.scope_of(name), node_text(name, self.src), name, depth)
        return (
            param is None
            and bool(reaching)
            and all(b.kind == "assign" and b.value is not None and test(b.value, depth + 1) for b in reaching)
        )

    @abstractmethod
    def source_label(self, node: Node) -> str | None:
        """A label when `node` itself is a request/input source (see provenance.py)."""


def _apply_list(state: list[Node | None], method: str, args: list[Node], folded: list[object]) -> bool:
    index = folded[0] if folded else None
    if method == "append" and len(args) == 1:
        state.append(args[0])
    elif method == "insert" and len(args) == 2 and isinstance(index, int) and not isinstance(index, bool):
        state.insert(index, args[1])
    elif method == "pop" and not args and state:
        state.pop()
    elif method == "pop" and len(args) == 1 and isinstance(index, int) and not isinstance(index, bool):
        if not -len(state) <= index < len(state):
            return False
        state.pop(index)
    elif method == "extend" and len(args) == 1 and args[0].type in ("list", "tuple"):
        items = named(args[0])
        if any(i.type in ("list_splat", "parenthesized_list_splat") for i in items):
            return False
        state.extend(items)
    elif method == "clear" and not args:
        state.clear()
    elif method == "reverse" and not args:
        state.reverse()
    else:
        return False
    return True
