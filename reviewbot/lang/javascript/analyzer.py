"""`JavaScriptAnalyzer`: the flow questions the context service asks about one parsed
JavaScript, TypeScript or TSX file (see `reviewbot.lang.base.Analyzer`), each answered by one
bounded evaluation (`Run`) over the file's cached scope index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewbot.lang.base import Budget, Flow, ModuleReader
from reviewbot.lang.javascript.guards import Guards
from reviewbot.lang.javascript.nodes import LOOPS, dotted_text
from reviewbot.lang.javascript.provenance import UNKNOWN
from reviewbot.lang.javascript.scopes import ScopeIndex, resolve_alias

if TYPE_CHECKING:
    from tree_sitter import Node


class Run(Guards):
    """One evaluation: every analysis, sharing one budget and one set of memos."""


class JavaScriptAnalyzer:
    """Flow questions about one parsed file of the JavaScript family."""

    def __init__(self, source: bytes, root: Node) -> None:
        self.scopes = ScopeIndex(source, root)
        self._exits: dict[int, tuple[int, str, int] | None] = {}

    def use_modules(self, read: ModuleReader | None) -> None:
        """Other modules are not looked into (yet): every answer is about this file."""

    def _run(self, budget: Budget) -> Run:
        return Run(self.scopes, self._exits, budget)

    def qualified(self, callee: str, at: Node, budget: Budget) -> str:
        return resolve_alias(callee, self.scopes.scope_of(at, budget).aliases)

    def value(self, expr: Node, budget: Budget) -> Flow:
        flow = self._run(budget).eval(expr, 0)
        return flow if flow is not None else UNKNOWN

    def guards(self, node: Node, budget: Budget) -> list[tuple[str, frozenset[str]]]:
        return self._run(budget).guards(node)

    def reachability(self, node: Node, budget: Budget) -> tuple[bool, str]:
        return self._run(budget).reachability(node)

    def placement(self, node: Node, function: Node | None) -> tuple[bool, bool, bool]:
        in_loop = in_try = in_except = False
        cur: Node | None = node
        depth = 0
        while cur is not None and cur != function and depth < 10_000:
            depth += 1
            parent = cur.parent
            if parent is None:
                break
            if parent.type in LOOPS and cur == parent.child_by_field_name("body"):
                in_loop = True
            elif parent.type == "try_statement" and cur == parent.child_by_field_name("body"):
                in_try = True
            elif parent.type == "catch_clause" and cur == parent.child_by_field_name("body"):
                in_except = True
            cur = parent
        return in_loop, in_try, in_except


__all__ = ["JavaScriptAnalyzer", "dotted_text"]
