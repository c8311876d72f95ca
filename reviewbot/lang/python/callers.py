"""One call up: a parameter of the function a value is in takes the provenance of what the
function's callers in the same file pass in its place.

`def ping_host(host): subprocess.call("ping " + host, shell=True)` called by a Flask route as
`ping_host(request.args["h"])`: within `ping_host`, `host` is only a parameter; one call up it is
request data, and the source says where: ``request.args via `host` from the caller ping (line 12)``.

Which calls count (`_sites`, per function, cached per file):

* a module-level function called by its bare name anywhere in the file, where no function
  between the call and the module binds that name itself;
* a function nested in another, called by its bare name inside the enclosing function;
* a method called as `self.name(...)` inside a method of the same class (the receiver being that
  method's first parameter); `staticmethod`s take no receiver.

The function must be defined once where it is and not rebound there, with no decorator but
`staticmethod`/`classmethod` and the `functools` caches (another decorator may call it with
anything), and the parameter must not be `*args`/`**kwargs`. Each call's argument is the one in
that position (after the receiver, for a method) or of that keyword, else the parameter's default
(when it holds no name); a call with `*`/`**` splats, or whose arguments do not fit, is not used.
Callers in code that never runs are skipped. The argument is evaluated in the caller, one level
only (a parameter of the caller stays a parameter), and the guards that dominate the call are
added as sanitizers.

What the callers give is trusted to *lower* the provenance only when they are all the calls
there can be: a nested function, a module-level function named `_private`, or a class-private
`__method`, whose name appears nowhere else in the file (not passed as a value, not in a string,
not as another object's attribute). Otherwise — a public function another module may import, a
`_protected` method a subclass may call — the parameter's own flow is joined in: the callers
seen can make it request data, never a constant, so a change cannot hide a helper's sink
behind a caller that passes a constant.

Bounded: at most `MAX_OCCURRENCES` mentions of the name are looked at (more: not followed), and
the evaluation of the callers' arguments has its own share of the context's budget
(`CALLER_STEPS`); running out gives the plain parameter, never a worse answer for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewbot.lang.base import Budget, Flow
from reviewbot.lang.facts import Provenance
from reviewbot.lang.python.functions import Param, decorator_names, parameter_kinds
from reviewbot.lang.python.guards import Guards
from reviewbot.lang.python.nodes import CLASS, FUNCTION, binds, named, node_text, times_defined
from reviewbot.lang.python.provenance import ValueFlow

if TYPE_CHECKING:
    from tree_sitter import Node

# Decorators that keep the function as it is (or cache it): calls of the name still reach it.
PLAIN_DECORATORS = frozenset(
    {"staticmethod", "classmethod", "property", "functools.cache", "functools.lru_cache", "cache", "lru_cache"}
)
MAX_OCCURRENCES = 256  # mentions of a function's name looked at; more and it is not followed
MAX_SITES = 64  # calls whose arguments are evaluated
CALLER_STEPS = 20_000  # node visits for one parameter's callers, out of the context's budget
CALLER_SECONDS = 0.05
_DEFAULT_NODES = 64


@dataclass(frozen=True)
class Sites:
    """The calls of one function found in its file, and whether they are all there can be."""

    calls: tuple[Node, ...]
    complete: bool
    params: tuple[Param, ...]  # the parameters a call's arguments fill (the receiver left out)


class CallerFlow(ValueFlow, Guards):
    """`ValueFlow` with a parameter's flow taken one call up."""

    sites_cache: dict[int, Sites | None]  # per file: function node id -> its sites (None: not followed)
    flow_cache: dict[tuple[int, str], Flow]  # per file: (function node id, parameter) -> its flow
    caller_level = 1  # 0: callers are followed (set by the analyzer); 1: inside a caller already

    def parameter_flow(self, function: Node, name: str, depth: int) -> Flow:
        plain = super().parameter_flow(function, name, depth)
        if self.caller_level != 0 or self.budget.exhausted:
            return plain
        key = (function.id, name)
        if key in self.flow_cache:
            return self.flow_cache[key]
        # Its own share of the budget: running out here gives the plain parameter and leaves the
        # rest of the context its budget.
        outer = self.budget
        share = min(CALLER_STEPS, max(outer.steps, 0))
        budget = Budget(share, CALLER_SECONDS)
        budget.deadline = min(budget.deadline, outer.deadline)
        self.budget = budget
        try:
            flow = self._one_call_up(function, name, plain, depth)
        finally:
            self.budget = outer
            outer.spend(max(1, share - max(budget.steps, 0)))
        if budget.exhausted:
            return plain  # not kept: a later context with more budget left may get further
        self.flow_cache[key] = flow  # what the file says, whichever context asks
        return flow

    # -- one call up

    def _one_call_up(self, function: Node, name: str, plain: Flow, depth: int) -> Flow:
        sites = self._sites(function)
        param = next((p for p in sites.params if p.name == name), None) if sites is not None else None
        if sites is None or param is None or param.kind in ("star", "starstar"):
            return plain
        outer_memo, outer_active = self.memo, self.active
        self.memo, self.active = {}, set()  # what is memoised one level up must not leak down here
        self.caller_level = 1
        complete = sites.complete
        found: list[Flow] = []
        try:
            for call in sites.calls:
                if self.dead(call, depth + 1)[0]:
                    continue
                flow = self._argument(call, sites, param, depth)
                if flow is None:
                    complete = False  # a call whose arguments do not fit: what it passes is not known
                    continue
                found.append(flow)
        finally:
            self.memo, self.active = outer_memo, outer_active
            self.caller_level = 0
        if not found:
            return plain
        if not complete:
            found.append(plain)
        found.sort(key=lambda f: -f.provenance.rank)  # the strongest source is named first
        out = found[0]
        for f in found[1:]:
            out = out.join(f)
        return Flow(out.provenance, out.sources, out.sanitizers)

    def _argument(self, call: Node, sites: Sites, param: Param, depth: int) -> Flow | None:
        """What `call` passes for `param`, labelled with the caller; None when it cannot be told."""
        args_node = call.child_by_field_name("arguments")
        if args_node is None:
            return None
        args = [args_node] if args_node.type != "argument_list" else named(args_node)
        positional: list[Node] = []
        keywords: dict[str, Node] = {}
        for a in args:
            if a.type in ("list_splat", "dictionary_splat", "parenthesized_list_splat"):
                return None
            if a.type == "keyword_argument":
                key = a.child_by_field_name("name")
                value = a.child_by_field_name("value")
                if key is None or value is None:
                    return None
                keywords[node_text(key, self.src)] = value
            else:
                positional.append(a)
        slots = [p for p in sites.params if p.kind in ("positional", "either")]
        if len(positional) > len(slots) and not any(p.kind == "star" for p in sites.params):
            return None  # not a call this function accepts
        index = next((i for i, p in enumerate(slots) if p.name == param.name), None)
        caller = self._caller_name(call)
        line = call.start_point[0] + 1
        if index is not None and index < len(positional):
            arg: Node | None = positional[index]
        elif param.kind != "positional" and param.name in keywords:
            arg = keywords[param.name]
        else:
            arg = None
        if arg is None:
            if param.default is None:
                return None
            flow = self._default(param.default, depth)
            where = f"`{param.name}` (its default) at the caller {caller} (line {line})"
        else:
            flow = self.eval(arg, depth + 1) or Flow(Provenance.CONSTANT)
            where = f"`{param.name}` from the caller {caller} (line {line})"
        return _labelled(flow, where, self._guard_labels(call, flow))

    def _default(self, default: Node, depth: int) -> Flow:
        """A default that holds no name is evaluated (a literal, a constant); any other is unknown:
        it was computed where the function was defined, not in its body."""
        stack, seen = [default], 0
        while stack:
            n = stack.pop()
            seen += 1
            if seen > _DEFAULT_NODES or n.type in ("identifier", "call", "attribute", "lambda"):
                return Flow(Provenance.UNKNOWN)
            stack.extend(n.named_children)
        return self.eval(default, depth + 1) or Flow(Provenance.CONSTANT)

    def _guard_labels(self, call: Node, flow: Flow) -> tuple[str, ...]:
        if not flow.names:
            return ()
        labels = []
        for kind, names in self.guards(call):
            label = f"guard:{kind}"
            if names & flow.names and label not in labels:
                labels.append(label)
        return tuple(labels)

    def _caller_name(self, call: Node) -> str:
        scope = self.scopes.scope_node(call)
        name = scope.child_by_field_name("name") if scope.type == FUNCTION else None
        return node_text(name, self.src) if name is not None else "<module>"

    # -- finding the calls

    def _sites(self, function: Node) -> Sites | None:
        key = function.id
        if key in self.sites_cache:
            return self.sites_cache[key]
        before = self.budget.exhausted
        sites = self._find_sites(function)
        if self.budget.exhausted and not before:
            return None  # the budget ran out while looking: do not cache an incomplete answer
        self.sites_cache[key] = sites
        return sites

    def _find_sites(self, function: Node) -> Sites | None:
        name_node = function.child_by_field_name("name")
        if name_node is None:
            return None
        name = node_text(name_node, self.src)
        holder = function.parent
        decorators: list[str] = []
        if holder is not None and holder.type == "decorated_definition":
            decorators = decorator_names(holder, self.src)
            if any(d not in PLAIN_DECORATORS for d in decorators):
                return None
            holder = holder.parent
        if holder is None:
            return None
        params = parameter_kinds(function, self.src)
        if params is None:
            return None
        if holder.type == "module":
            kind, region = "module", holder  # defined twice or rebound: see `_scan`
        elif holder.type == "block" and holder.parent is not None and holder.parent.type == CLASS:
            kind, region = "method", holder.parent
            if times_defined(holder, name, self.src) != 1:
                return None
            if "staticmethod" not in decorators:
                if not params or params[0].kind not in ("positional", "either"):
                    return None
                params = params[1:]  # the receiver
        elif holder.type == "block" and holder.parent is not None and holder.parent.type == FUNCTION:
            kind, region = "nested", holder.parent
            outer = self.scopes.scope(holder.parent, self.budget)
            if len(outer.bindings.get(name, [])) != 1 or name in outer.params or name in outer.nonlocal_names:
                return None
        else:
            return None  # defined under an `if`, in a `try`, ...: which definition runs is not known
        # All the calls there can be are in this file only for a name nothing else should use.
        prefix = "__" if kind == "method" else "_"
        private = kind == "nested" or (name.startswith(prefix) and not name.endswith("__"))
        return self._scan(function, name, kind, region, tuple(params), private)

    def _scan(
        self, function: Node, name: str, kind: str, region: Node, params: tuple[Param, ...], private: bool
    ) -> Sites | None:
        """Every mention of `name` in the file (in `region` for a nested function) sorted into
        calls of the function, mentions of something else, and mentions that may reach it unseen."""
        pattern = re.compile(rb"(?<![A-Za-z0-9_])" + re.escape(name.encode()) + rb"(?![A-Za-z0-9_])")
        root = self.scopes.root
        start, end = (region.start_byte, region.end_byte) if kind == "nested" else (0, len(self.src))
        calls: list[Node] = []
        complete = private
        for count, m in enumerate(pattern.finditer(self.src, start, end)):
            if count >= MAX_OCCURRENCES or not self.budget.spend(8):
                return None
            node = root.named_descendant_for_byte_range(m.start(), m.end())
            if node is None:
                return None
            if node.type != "identifier":
                if node.type != "comment":
                    complete = False  # in a string (`getattr(self, "name")`) or something unforeseen
                continue
            if node == function.child_by_field_name("name"):
                continue
            verdict = self._mention(node, name, kind, function, region)
            if verdict == "rebound":
                return None  # which function a call reaches is not known
            if verdict == "call":
                parent = node.parent
                if parent is not None and parent.type == "attribute":
                    parent = parent.parent
                if parent is not None:
                    calls.append(parent)
            elif verdict == "unseen":
                complete = False
        if len(calls) > MAX_SITES:
            return None
        return Sites(tuple(calls), complete, params)

    def _mention(self, ident: Node, name: str, kind: str, function: Node, region: Node) -> str:
        """`call` (a call of the function), `other` (some other thing of that name), or `unseen`
        (a use of the function that is not a call: it may be called from where we cannot see)."""
        parent = ident.parent
        if parent is None:
            return "unseen"
        pt = parent.type
        if pt in (FUNCTION, CLASS) and parent.child_by_field_name("name") == ident:
            if kind != "method" and not self._shadowed(ident, name, function):
                return "rebound"  # defined twice where it is
            return "other"  # another definition of that name, elsewhere
        if pt == "keyword_argument" and parent.child_by_field_name("name") == ident:
            return "other"
        if pt in ("parameters", "default_parameter", "typed_parameter", "typed_default_parameter", "lambda_parameters"):
            return "other"
        if kind == "method":
            if pt != "attribute" or parent.child_by_field_name("attribute") != ident:
                return "other"  # a bare name is not the method
            return "call" if self._self_call(parent, region) else "unseen"
        if pt == "attribute" and parent.child_by_field_name("attribute") == ident:
            return "other"  # `x.name`: an attribute of something else
        if self._shadowed(ident, name, function):
            return "other"
        if binds(ident):
            return "rebound"  # `name = wrap(name)`, a second `def`, `import ... as name`, `global name`
        called = pt == "call" and parent.child_by_field_name("function") == ident
        return "call" if called else "unseen"

    def _self_call(self, attribute: Node, klass: Node) -> bool:
        """`self.name(...)` in a method of `klass`, `self` being that method's receiver."""
        call = attribute.parent
        receiver = attribute.child_by_field_name("object")
        if call is None or call.type != "call" or call.child_by_field_name("function") != attribute:
            return False
        if receiver is None or receiver.type != "identifier":
            return False
        method = self.scopes.scope_node(attribute)
        if method.type != FUNCTION:
            return False
        owner = method.parent
        if owner is not None and owner.type == "decorated_definition":
            owner = owner.parent
        if owner is None or owner.type != "block" or owner.parent != klass:
            return False
        scope = self.scopes.scope(method, self.budget)
        return scope.params.get(node_text(receiver, self.src)) == "self"

    def _shadowed(self, ident: Node, name: str, function: Node) -> bool:
        """Whether a function between `ident` and where `function` is defined binds `name` itself."""
        home = self.scopes.scope_node(function)
        cur = self.scopes.scope_node(ident)
        steps = 0
        while cur != home and cur.type == FUNCTION and steps < 64:
            steps += 1
            scope = self.scopes.scope(cur, self.budget)
            if name not in scope.nonlocal_names and (name in scope.params or scope.bindings.get(name)):
                return True  # a local of its own (`global`/`nonlocal` names refer outwards)
            cur = self.scopes.scope_node(cur)
        return cur != home  # `ident` is not under where the function is defined


def _labelled(flow: Flow, where: str, guards: tuple[str, ...]) -> Flow:
    """The caller's flow as the callee sees it: each source says which caller it came through;
    the caller's variable names are dropped (guards in the callee are about its own names)."""
    prov = Provenance.CONSTANT if flow.provenance is Provenance.LITERAL else flow.provenance
    labels = flow.sources or (prov.value,)  # a constant has no source: the caller is named all the same
    sources = tuple(f"{s} via {where}" for s in labels)
    sanitizers = flow.sanitizers + tuple(g for g in guards if g not in flow.sanitizers)
    return Flow(prov, sources, sanitizers)
