"""`SUPPORT`, Python's `LanguageSupport`: the grammar, the node types the generic code needs,
readers for calls and functions, what reviewbot knows, and the per-file analyzer.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from reviewbot.lang.base import CallArgument, FunctionFacts
from reviewbot.lang.python.analyzer import PythonAnalyzer
from reviewbot.lang.python.functions import function_facts
from reviewbot.lang.python.known import KNOWN
from reviewbot.lang.python.nodes import CLASS, COMPREHENSIONS, FUNCTION, dotted_text, named, node_text
from reviewbot.lang.python.project import project_for

if TYPE_CHECKING:
    from tree_sitter import Node


class PythonSupport:
    name = "python"
    function_types = frozenset({FUNCTION})
    class_types = frozenset({CLASS})
    call_types = frozenset({"call"})
    string_types = frozenset({"string", "concatenated_string"})
    comment_types = frozenset({"comment"})
    loop_types = frozenset({"for_statement", "while_statement", *COMPREHENSIONS})
    scope_name_fields = MappingProxyType({FUNCTION: "name", CLASS: "name"})
    known = KNOWN

    def grammar(self) -> object:
        import tree_sitter_python

        return tree_sitter_python.language()

    def callee(self, call: Node, source: bytes) -> str | None:
        return dotted_text(call.child_by_field_name("function"), source)

    def arguments(self, call: Node, source: bytes) -> list[CallArgument]:
        node = call.child_by_field_name("arguments")
        if node is None:
            return []
        if node.type != "argument_list":  # f(x for x in y)
            return [CallArgument(0, None, node)]
        out = []
        position = 0
        for a in named(node):
            if a.type == "keyword_argument":
                name = a.child_by_field_name("name")
                out.append(CallArgument(None, node_text(name, source) if name is not None else None, a))
            elif a.type == "list_splat":
                out.append(CallArgument(None, "*", a))
            elif a.type == "dictionary_splat":
                out.append(CallArgument(None, "**", a))
            else:
                out.append(CallArgument(position, None, a))
                position += 1
        return out

    def function_facts(self, function: Node, source: bytes) -> FunctionFacts:
        return function_facts(function, source)

    def analyzer(self, source: bytes, root: Node) -> PythonAnalyzer:
        return PythonAnalyzer(source, root, project_for)


SUPPORT = PythonSupport()
