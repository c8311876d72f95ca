"""`JAVASCRIPT`, `TYPESCRIPT`, `TSX`: the family's `LanguageSupport`s, one per grammar: the node
types the generic code needs, readers for calls and functions, what reviewbot knows, and the
per-file analyzer. Scopes, comments and grammars are the syntax's (`syntax`), unchanged, so the
fingerprint reads the same scopes as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reviewbot.lang.base import CallArgument, FunctionFacts, KnownNames
from reviewbot.lang.javascript.analyzer import JavaScriptAnalyzer
from reviewbot.lang.javascript.functions import function_facts
from reviewbot.lang.javascript.known import KNOWN
from reviewbot.lang.javascript.nodes import CALLS, CLASSES, FUNCTIONS, LOOPS, STRINGS, dotted_text, named
from reviewbot.lang.javascript.syntax import _SCOPES, _javascript, _tsx, _typescript

if TYPE_CHECKING:
    from tree_sitter import Node


@dataclass(frozen=True)
class JavaScriptSupport:
    """One dialect of the family; satisfies `reviewbot.lang.base.LanguageSupport`."""

    name: str
    _grammar: Callable[[], object]
    comment_types: frozenset[str] = frozenset({"comment", "html_comment"})
    scope_name_fields: Mapping[str, str] = field(default_factory=lambda: _SCOPES)
    function_types: frozenset[str] = FUNCTIONS
    class_types: frozenset[str] = CLASSES
    call_types: frozenset[str] = CALLS
    string_types: frozenset[str] = STRINGS
    loop_types: frozenset[str] = LOOPS
    known: KnownNames = KNOWN

    def grammar(self) -> object:
        return self._grammar()

    def callee(self, call: Node, source: bytes) -> str | None:
        fn = call.child_by_field_name("function") or call.child_by_field_name("constructor")
        return dotted_text(fn, source)

    def arguments(self, call: Node, source: bytes) -> list[CallArgument]:
        node = call.child_by_field_name("arguments")
        if node is None:
            return []
        if node.type == "template_string":  # sql`...`: the template is the one argument
            return [CallArgument(0, None, node)]
        out = []
        for position, a in enumerate(named(node)):
            if a.type == "spread_element":
                out.append(CallArgument(None, "*", a))
            else:
                out.append(CallArgument(position, None, a))
        return out

    def function_facts(self, function: Node, source: bytes) -> FunctionFacts:
        return function_facts(function, source)

    def analyzer(self, source: bytes, root: Node) -> JavaScriptAnalyzer:
        return JavaScriptAnalyzer(source, root)


JAVASCRIPT = JavaScriptSupport("javascript", _javascript)
TYPESCRIPT = JavaScriptSupport("typescript", _typescript)
TSX = JavaScriptSupport("tsx", _tsx)
