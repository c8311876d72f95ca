"""One evaluation of a flow question: the budget it spends, its memos and cycle guards, and the
scope of a node. The analyses are layered on it, each using the ones below:
`reaching` (which bindings reach a use) < `folding` (constant values) < `reachability` (code
that never runs) < `provenance` (where a value comes from); `guards` stands beside them. Only
`dead` is used before it is defined: a binding in dead code reaches nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Protocol

from reviewbot.lang.base import Budget, Flow
from reviewbot.lang.python.scopes import Scope, ScopeIndex

if TYPE_CHECKING:
    from tree_sitter import Node

    from reviewbot.lang.python.containers import Plans


class ModuleSummaries(Protocol):
    """What the repository's other modules say about their functions (`project.Project` answers)."""

    def is_class(self, qualified: str) -> bool:
        """Whether `qualified` (`pkg.mod.Cls`) names a class defined in the repository."""
        ...

    def returns_constant(self, qualified: str) -> bool:
        """Whether calling the function (or `Class.method`) named `qualified` always gives a constant."""
        ...


class RunState(ABC):
    """What every analysis of one evaluation shares; subclassed by each analysis in turn."""

    def __init__(
        self, scopes: ScopeIndex, exits: dict[int, tuple[int, str, int] | None], plans: Plans, budget: Budget
    ) -> None:
        self.scopes = scopes
        self.exits = exits  # per file: block id -> its first exit (see Reachability.first_exit)
        self.plans = plans  # per file: the followable containers (see containers.py)
        self.src = scopes.source
        self.budget = budget
        self.memo: dict[tuple[int, str], Flow | None] = {}
        self.active: set[tuple[int, str]] = set()
        self.active_fold: set[int] = set()
        self.dead_memo: dict[int, tuple[bool, str]] = {}
        self.project: ModuleSummaries | None = None  # the repository's other modules, when readable

    def scope_of(self, node: Node) -> Scope:
        return self.scopes.scope_of(node, self.budget)

    @abstractmethod
    def dead(self, node: Node, depth: int) -> tuple[bool, str]:
        """(True, why) when `node` sits where no execution reaches (see reachability.py)."""
