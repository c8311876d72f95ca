"""Which bindings of a name reach a use: those before it, cut at the nearest plain assignment
`name = ...` that dominates it (a preceding statement in an enclosing block), plus bindings later
in a loop that contains both, plus the parameter when no such assignment exists; bindings in
code that can never run (`if False:`) are ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewbot.lang.python.nodes import BLOCKS, encloses, named, node_text
from reviewbot.lang.python.run import RunState
from reviewbot.lang.python.scopes import Binding, Scope

if TYPE_CHECKING:
    from tree_sitter import Node


class Reaching(RunState):
    """Reaching bindings of a name at a use."""

    def reaching(self, scope: Scope, name: str, use: Node, depth: int) -> tuple[list[Binding], str | None]:
        """The bindings of `name` that may reach `use`, and the parameter kind when it may."""
        bindings = scope.bindings.get(name, [])
        param = scope.params.get(name)
        if not bindings:
            return [], param
        killer = self.killer(scope, name, use)
        out = []
        for b in bindings:
            if b.region is not None and encloses(b.region, use):
                pass
            elif b.end <= use.start_byte:
                if killer is not None and b.start < killer.start_byte:
                    continue
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
        """The nearest plain `name = ...` statement that runs before `use` on every path."""
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
                    if sib.type == "expression_statement" and self.binds_plainly(sib, name):
                        return sib
                    sib = sib.prev_named_sibling
            cur = parent
        return None

    def binds_plainly(self, stmt: Node, name: str) -> bool:
        kids = named(stmt)
        if len(kids) != 1 or kids[0].type != "assignment":
            return False
        cur: Node | None = kids[0]
        while cur is not None and cur.type == "assignment":
            left = cur.child_by_field_name("left")
            if left is not None and left.type == "identifier" and node_text(left, self.src) == name:
                return cur.child_by_field_name("right") is not None
            cur = cur.child_by_field_name("right")
        return False
