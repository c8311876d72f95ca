"""One evaluation of a flow question (its budget, memos and cycle guards), and which bindings of
a name reach a use: those before it, cut at the nearest plain `x = …` / `let x = …` that
dominates it (a preceding statement in an enclosing block), plus bindings later in a loop that
contains both, plus the parameter when no such assignment exists. Bindings in code that can
never run are ignored (`dead`, defined by `reachability`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from reviewbot.lang.base import Budget, Flow
from reviewbot.lang.javascript.nodes import BLOCKS, encloses, named, node_text, unwrap
from reviewbot.lang.javascript.scopes import Binding, Scope, ScopeIndex

if TYPE_CHECKING:
    from tree_sitter import Node


class Reaching(ABC):
    """What every analysis of one evaluation shares, and reaching bindings."""

    def __init__(self, scopes: ScopeIndex, exits: dict[int, tuple[int, str, int] | None], budget: Budget) -> None:
        self.scopes = scopes
        self.exits = exits  # per file: block id -> its first exit (see Reachability.first_exit)
        self.src = scopes.source
        self.budget = budget
        self.memo: dict[tuple[int, str], Flow | None] = {}
        self.active: set[tuple[int, str]] = set()
        self.dead_memo: dict[int, tuple[bool, str]] = {}

    def scope_of(self, node: Node) -> Scope:
        return self.scopes.scope_of(node, self.budget)

    @abstractmethod
    def dead(self, node: Node, depth: int) -> tuple[bool, str]:
        """(True, why) when `node` sits where no execution reaches (see reachability.py)."""

    def reaching(self, scope: Scope, name: str, use: Node, depth: int) -> tuple[list[Binding], str | None]:
        """The bindings of `name` in `scope` that may reach `use`, and the parameter kind when it may."""
        bindings = scope.bindings.get(name, [])
        param = scope.params.get(name)
        if not bindings:
            return [], param
        killer = self.killer(scope, name, use)
        out = []
        for b in bindings[:256]:
            if b.end <= use.start_byte or (b.kind == "function" and b.start <= use.start_byte):
                if killer is not None and b.start < killer.start_byte:
                    continue
            elif b.kind == "function":
                pass  # hoisted: a declaration is bound before any code of its scope runs
            elif not any(
                encloses(loop, b.stmt) and encloses(loop, use) and (killer is None or not encloses(loop, killer))
                for loop in scope.loops
            ):
                continue
            if self.dead(b.stmt, depth + 1)[0]:
                continue
            out.append(b)
        return out, (param if killer is None else None)

    def killer(self, scope: Scope, name: str, use: Node) -> Node | None:
        """The nearest plain assignment of `name` that runs before `use` on every path."""
        cur: Node = use
        steps = 0
        while cur != scope.node and steps < 10_000:
            steps += 1
            parent = cur.parent
            if parent is None:
                return None
            if parent.type in BLOCKS:
                sib = cur.prev_named_sibling
                while sib is not None:
                    if not self.budget.spend():
                        return None
                    if self.binds_plainly(sib, name):
                        return sib
                    sib = sib.prev_named_sibling
            cur = parent
        return None

    def binds_plainly(self, stmt: Node, name: str) -> bool:
        if stmt.type in ("lexical_declaration", "variable_declaration"):
            for d in named(stmt):
                n = d.child_by_field_name("name") if d.type == "variable_declarator" else None
                if n is not None and n.type == "identifier" and node_text(n, self.src) == name:
                    return d.child_by_field_name("value") is not None or stmt.type == "lexical_declaration"
            return False
        if stmt.type != "expression_statement":
            return False
        kids = named(stmt)
        cur: Node | None = unwrap(kids[0]) if len(kids) == 1 else None
        while cur is not None and cur.type == "assignment_expression":
            left = cur.child_by_field_name("left")
            if left is not None and left.type == "identifier" and node_text(left, self.src) == name:
                return True
            right = cur.child_by_field_name("right")
            cur = unwrap(right) if right is not None else None
        return False
