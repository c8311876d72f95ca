"""The context service: computes the code context of a finding, the facts about the matched code
that later stages need (the facts themselves are plain data, in `reviewbot.lang.facts`).

    context_for(parsed, start_byte, end_byte, path=..., path_on_base=...) -> CodeContext

A scorer reads it as features (where the sink's arguments come from, which sanitizers they went
through, whether the code can run, what kind of file it is); the PR comment reads it to explain a
finding. Every fact is computed from the syntax tree of one file, within the enclosing function
(intraprocedural), under a budget of node visits and time: hostile input (deep nesting, huge
minified files, invalid UTF-8, syntax errors) gives a context with `partial=True` and a note,
never an exception or a hang. docs/context.md lists every fact, how it is computed and its limits.

The language-specific parts live in one module per language under `reviewbot/lang/`; the file's
role from its path alone, in `path_role`.
"""

from __future__ import annotations

import functools
import threading
import weakref
from typing import TYPE_CHECKING

from reviewbot.lang.base import Analyzer, Budget, Flow, LanguageSupport, ModuleReader, support_for
from reviewbot.lang.facts import ArgumentFact, CodeContext, PathRole, Provenance, SinkFact, ValueFact
from reviewbot.lang.path_role import path_role
from reviewbot.lang.syntax import ParsedFile, ancestry, enclosing_scope, normalized_tokens

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["context_for"]

MAX_TOKENS = 256
MAX_TOKEN_CHARS = 256  # a longer token (a 10 MB string literal) is cut to this many characters
MAX_NAME_CHARS = 256
MAX_ARGUMENTS = 32
MAX_ANALYSIS_DEPTH = 256  # deeper matches get tokens and scope only (see `_Builder.build`)
STEP_BUDGET = 60_000  # node visits for one context (flow, guards, reachability together)
TIME_BUDGET_SECONDS = 0.25
_STATEMENT_STOPS = frozenset(
    {"block", "module", "decorated_definition", "ERROR", "statement_block", "program", "lexical_declaration"}
    | {"variable_declaration", "class_body"}
)


# --- per-file analyzers, shared by the findings of one parse --------------------------------------

_cache_lock = threading.Lock()
_analyzers: dict[int, tuple[weakref.ref[ParsedFile], Analyzer]] = {}
_MAX_CACHED = 32


def _analyzer(parsed: ParsedFile, support: LanguageSupport) -> Analyzer:
    key = id(parsed)
    with _cache_lock:
        hit = _analyzers.get(key)
        if hit is not None and hit[0]() is parsed:
            return hit[1]
        analyzer = support.analyzer(parsed.source, parsed.tree.root_node)
        if len(_analyzers) >= _MAX_CACHED:
            _analyzers.pop(next(iter(_analyzers)))
        _analyzers[key] = (weakref.ref(parsed, functools.partial(_forget, key)), analyzer)
        return analyzer


def _forget(key: int, _ref: object) -> None:
    with _cache_lock:
        _analyzers.pop(key, None)


# --- the service ----------------------------------------------------------------------------------


def context_for(
    parsed: ParsedFile | None,
    start_byte: int,
    end_byte: int,
    *,
    path: str,
    path_on_base: bool,
    modules: ModuleReader | None = None,
) -> CodeContext:
    """The code context of the match [start_byte, end_byte) in `parsed` (None: no syntax tree).

    `modules` reads the repository's other files as of the version under review, so a call into
    them can be summarised (a helper that always returns a constant); pass the same reader for
    every file of one review."""
    role = path_role(path, path_on_base)
    if parsed is None:
        return CodeContext(path_role=role, partial=True, notes=("no syntax tree (no grammar, or the parse timed out)",))
    support = support_for(parsed.language)
    if support is None:
        # A language parsed (fingerprints, tree-sitter rules) without a flow analysis: the scorer
        # reads such a context as none (learn/features.py, has_context).
        return CodeContext(
            language=parsed.language,
            path_role=role,
            partial=True,
            notes=(f"no context analysis for {parsed.language}",),
        )
    try:
        return _Builder(parsed, support, role, modules).build(start_byte, end_byte)
    except Exception as exc:  # noqa: BLE001 - a context is advisory: it must never break a review
        return CodeContext(
            language=parsed.language,
            path_role=role,
            partial=True,
            notes=(f"context computation failed: {type(exc).__name__}",),
        )


class _Builder:
    def __init__(
        self, parsed: ParsedFile, support: LanguageSupport, role: PathRole, modules: ModuleReader | None
    ) -> None:
        self.parsed = parsed
        self.modules = modules
        self.source = parsed.source
        self.support = support
        self.role = role
        self.notes: list[str] = []
        self.partial = False
        self.budget = Budget(STEP_BUDGET, TIME_BUDGET_SECONDS)
        self._guards: dict[tuple[int, int, str], list[tuple[str, frozenset[str]]]] = {}

    def note(self, text: str) -> None:
        self.partial = True
        if text not in self.notes:
            self.notes.append(text)

    def build(self, start_byte: int, end_byte: int) -> CodeContext:
        size = len(self.source)
        start = max(0, min(start_byte, size))
        end = max(start, min(end_byte, size))
        if (start, end) != (start_byte, end_byte):
            self.note(f"match range {start_byte}..{end_byte} clamped to the file ({size} bytes)")
        root = self.parsed.tree.root_node
        node = root.named_descendant_for_byte_range(start, end) or root

        ancestors = ancestry(root, node)[-2::-1]  # innermost first, `node` left out
        support = self.support
        around = [node, *ancestors]  # a match may be a whole function: then it is "its" function, as in `scope`
        function = next((a for a in around if a.type in support.function_types), None)
        klass = next((a for a in around if a.type in support.class_types), None)
        tokens, truncated = normalized_tokens(self.parsed, start, end, MAX_TOKENS)
        if any(len(t) > MAX_TOKEN_CHARS for t in tokens):
            tokens, truncated = [t[:MAX_TOKEN_CHARS] for t in tokens], True
        if (function or root).has_error:
            self.note("syntax errors in the " + ("enclosing function" if function is not None else "file"))
        base: dict[str, object] = {
            "language": self.parsed.language,
            "scope": enclosing_scope(self.parsed, start, end),
            "function": self.function_name(function),
            "class_name": self.name_of(klass),
            "node_type": node.type,
            "tokens": tuple(tokens),
            "tokens_truncated": truncated,
            "path_role": self.role,
        }
        if len(ancestors) > MAX_ANALYSIS_DEPTH:
            # Every flow question climbs the tree, and climbing costs time in proportion to depth.
            self.note(f"nesting deeper than {MAX_ANALYSIS_DEPTH} levels: only tokens and scope computed")
            return CodeContext.model_validate(
                base | {"reachability_reason": "not analysed", "partial": True, "notes": tuple(self.notes)}
            )

        facts = support.function_facts(function, self.source) if function is not None else None
        analyzer = _analyzer(self.parsed, support)
        analyzer.use_modules(self.modules)
        sink = self.sink(node, ancestors, start, end, analyzer)
        value = self.value(node, sink, analyzer)
        reachable, why = analyzer.reachability(node, self.budget)
        in_loop, in_try, in_except = analyzer.placement(node, function)
        if self.budget.exhausted:
            self.note("analysis budget exhausted: flow facts may be incomplete")

        return CodeContext.model_validate(
            base
            | dict(
                sink=sink[0] if sink is not None else None,
                value=value,
                sanitizers=value.sanitizers if value is not None else (),
                reachable=reachable,
                reachability_reason=why,
                in_loop=in_loop,
                in_try=in_try,
                in_except=in_except,
                is_async=facts.is_async if facts is not None else False,
                decorators=facts.decorators if facts is not None else (),
                parameters=facts.parameters if facts is not None else (),
                is_request_handler=facts.is_request_handler if facts is not None else False,
                partial=self.partial,
                notes=tuple(self.notes),
            )
        )

    def function_name(self, function: Node | None) -> str | None:
        """Its name; an unnamed function (a JavaScript arrow function) by what it is bound to."""
        if function is None:
            return None
        return self.name_of(function) or self.support.function_facts(function, self.source).name[:MAX_NAME_CHARS]

    def name_of(self, node: Node | None) -> str | None:
        if node is None:
            return None
        field = self.support.scope_name_fields.get(node.type)
        name = node.child_by_field_name(field) if field is not None else None
        if name is None:
            return None
        end = min(name.end_byte, name.start_byte + MAX_NAME_CHARS)
        return self.source[name.start_byte : end].decode("utf-8", "replace")

    # -- the sink

    def find_call(self, node: Node, ancestors: list[Node]) -> Node | None:
        """The call at the match: the match itself, the innermost call around it within its
        statement, or else the first (outermost) call inside it. Only calls of a dotted name
        count (`os.popen(x).read()` is skipped for the `os.popen(x)` inside it)."""
        calls = self.support.call_types

        def named_call(n: Node) -> bool:
            return n.type in calls and self.support.callee(n, self.source) is not None

        if named_call(node):
            return node
        for a in ancestors[:64]:
            if named_call(a):
                return a
            if a.type in _STATEMENT_STOPS or a.type.endswith("_statement") or a.type in self.support.function_types:
                break
        stack = [node]
        seen = 0
        while stack and seen < 2_000:
            seen += 1
            n = stack.pop()
            if named_call(n):
                return n
            if n.type in self.support.function_types or n.type in self.support.class_types:
                continue
            stack.extend(reversed(n.named_children))
        return None

    def sink(
        self, node: Node, ancestors: list[Node], start: int, end: int, analyzer: Analyzer
    ) -> tuple[SinkFact, Node, list[tuple[ArgumentFact, Flow]]] | None:
        call = self.find_call(node, ancestors)
        if call is None:
            return None
        callee = self.support.callee(call, self.source) or ""
        guards = self.guards(call, analyzer)
        raw = self.support.arguments(call, self.source)
        args: list[tuple[ArgumentFact, Flow]] = []
        for a in raw[:MAX_ARGUMENTS]:
            flow = analyzer.value(a.node, self.budget)
            provenance, sources, sanitizers = _value_fields(flow, guards)
            fact = ArgumentFact(
                provenance=provenance,
                sources=sources,
                sanitizers=sanitizers,
                position=a.position,
                keyword=a.keyword,
                matched=a.node.start_byte <= start and end <= a.node.end_byte and node != call,
            )
            args.append((fact, flow))
        sink = SinkFact(
            callee=callee,
            qualified=analyzer.qualified(callee, call, self.budget),
            arguments=tuple(f for f, _ in args),
            arguments_truncated=len(raw) > MAX_ARGUMENTS,
        )
        return sink, call, args

    def value(
        self,
        node: Node,
        sink: tuple[SinkFact, Node, list[tuple[ArgumentFact, Flow]]] | None,
        analyzer: Analyzer,
    ) -> ValueFact | None:
        """The matched expression's flow; for a match that is the sink call (or a statement
        around it) the join of the sink's arguments."""
        if sink is not None:
            _, call, args = sink
            matched = [flow for fact, flow in args if fact.matched]
            if not matched and (node == call or not _is_expression(node, self.support)):
                if not args:
                    return None
                joined = args[0][1]
                for _, flow in args[1:]:
                    joined = joined.join(flow)
                return _value_fact(joined, self.guards(call, analyzer))
        if not _is_expression(node, self.support):
            return None
        return _value_fact(analyzer.value(node, self.budget), self.guards(node, analyzer))

    def guards(self, node: Node, analyzer: Analyzer) -> list[tuple[str, frozenset[str]]]:
        key = (node.start_byte, node.end_byte, node.type)
        if key not in self._guards:
            self._guards[key] = analyzer.guards(node, self.budget)
        return self._guards[key]


def _value_fields(
    flow: Flow, guards: list[tuple[str, frozenset[str]]]
) -> tuple[Provenance, tuple[str, ...], tuple[str, ...]]:
    """The flow's provenance, sources, and sanitizers plus the guards on any variable it went through."""
    sanitizers = list(flow.sanitizers)
    for kind, names in guards:
        label = f"guard:{kind}"
        if names & flow.names and label not in sanitizers:
            sanitizers.append(label)
    return flow.provenance, flow.sources, tuple(sanitizers)


def _value_fact(flow: Flow, guards: list[tuple[str, frozenset[str]]]) -> ValueFact:
    provenance, sources, sanitizers = _value_fields(flow, guards)
    return ValueFact(provenance=provenance, sources=sources, sanitizers=sanitizers)


_NOT_EXPRESSIONS = frozenset(
    {"module", "block", "decorated_definition", "decorator", "argument_list", "parameters", "ERROR", "comment"}
    | {"program", "statement_block", "arguments", "formal_parameters", "lexical_declaration", "class_body"}
    | {"variable_declaration", "variable_declarator", "assignment_expression", "augmented_assignment_expression"}
)


def _is_expression(node: Node, support: LanguageSupport) -> bool:
    t = node.type
    if t in _NOT_EXPRESSIONS or t.endswith("_statement") or t.endswith("_clause"):
        return False
    if t in support.function_types or t in support.class_types or t in support.comment_types:
        return False
    return t not in ("assignment", "augmented_assignment")
