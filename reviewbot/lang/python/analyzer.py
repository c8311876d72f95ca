"""`PythonAnalyzer`: the flow questions the context service asks about one parsed Python file
(see `reviewbot.lang.base.Analyzer`), each answered by one bounded evaluation (`Run`) over the
file's cached scope index.

What the repository's other modules say comes through the `summaries` callable it is given:
`support` passes `project.project_for`; the analyzers a `Project` makes of those modules are given
none, so no summary looks further than one module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reviewbot.lang.base import Budget, Flow, ModuleReader
from reviewbot.lang.python.callers import CallerFlow, Sites
from reviewbot.lang.python.nodes import COMPREHENSIONS, LOOPS
from reviewbot.lang.python.provenance import UNKNOWN
from reviewbot.lang.python.scopes import ScopeIndex, resolve_alias

if TYPE_CHECKING:
    from tree_sitter import Node

    from reviewbot.lang.python.containers import Plans
    from reviewbot.lang.python.run import ModuleSummaries


class Run(CallerFlow):
    """One evaluation: every analysis, sharing one budget and one set of memos."""


class PythonAnalyzer:
    """Flow questions about one parsed Python file; scope indexes are cached between calls."""

    def __init__(
        self,
        source: bytes,
        root: Node,
        summaries: Callable[[ModuleReader], ModuleSummaries] | None = None,
        *,
        callers: bool = True,
    ) -> None:
        self.source = source
        self.root = root
        self.scopes = ScopeIndex(source, root)
        self._exits: dict[int, tuple[int, str, int] | None] = {}
        self._plans: Plans = {}
        self._summaries = summaries  # None: the other modules are never looked into
        self.project: ModuleSummaries | None = None  # set per review by `use_modules`
        self._callers = callers  # follow a parameter one call up (callers.py)
        self._sites: dict[int, Sites | None] = {}
        self._caller_flows: dict[tuple[int, str], Flow] = {}

    def use_modules(self, read: ModuleReader | None) -> None:
        """Let calls into the repository's other modules be summarised (see project.py)."""
        project = self._summaries(read) if read is not None and self._summaries is not None else None
        if project is not self.project:
            self._caller_flows = {}  # a caller's argument may call a repository helper (project.py)
        self.project = project

    def _run(self, budget: Budget) -> Run:
        run = Run(self.scopes, self._exits, self._plans, budget)
        run.project = self.project
        run.sites_cache = self._sites
        run.flow_cache = self._caller_flows
        run.caller_level = 0 if self._callers else 1
        return run

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
            if (parent.type in LOOPS and cur == parent.child_by_field_name("body")) or (
                parent.type in COMPREHENSIONS and cur.type != "for_in_clause"
            ):
                in_loop = True
            elif parent.type == "try_statement" and cur == parent.child_by_field_name("body"):
                in_try = True
            elif parent.type in ("except_clause", "except_group_clause") and cur.type == "block":
                in_except = True
            cur = parent
        return in_loop, in_try, in_except
