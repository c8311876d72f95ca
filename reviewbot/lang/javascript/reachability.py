"""Code that never runs: after a statement that always leaves its block (`return`, `throw`,
`continue`, `break`, or an `if` doing so in every branch), under an `if`/`while` whose condition
is a constant false (`if (false)`, `if (0)`, `if (!true)`), in the `else` of a constant true
condition, or in the branch of a `?:` never taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewbot.lang.javascript.nodes import BLOCKS, MAX_TOP_LEVEL, TERMINATORS, last_statement, named, unwrap
from reviewbot.lang.javascript.reaching import Reaching

if TYPE_CHECKING:
    from tree_sitter import Node

_FALSY = frozenset({"false", "null", "undefined"})


class Reachability(Reaching):
    """Whether a node can run, and why not."""

    def dead(self, node: Node, depth: int) -> tuple[bool, str]:
        key = node.id
        if key not in self.dead_memo:
            self.dead_memo[key] = self._dead(node)
        return self.dead_memo[key]

    def _dead(self, node: Node) -> tuple[bool, str]:
        cur = node
        steps = 0
        while steps < 10_000:
            steps += 1
            parent = cur.parent
            if parent is None or not self.budget.spend():
                return False, ""
            pt = parent.type
            line = parent.start_point.row + 1
            if pt in BLOCKS:
                exit_ = self.first_exit(parent)
                if exit_ is not None and exit_[0] < cur.start_byte:
                    return True, f"after `{exit_[1]}` on line {exit_[2]}"
            elif pt == "if_statement":
                value = self.truth(parent.child_by_field_name("condition"))
                if cur == parent.child_by_field_name("consequence") and value is False:
                    return True, f"under an `if` whose condition is always false (line {line})"
                if cur == parent.child_by_field_name("alternative") and value is True:
                    return True, f"in the `else` of an `if` whose condition is always true (line {line})"
            elif pt == "while_statement" and cur == parent.child_by_field_name("body"):
                if self.truth(parent.child_by_field_name("condition")) is False:
                    return True, f"in a `while` loop whose condition is always false (line {line})"
            elif pt == "ternary_expression":
                value = self.truth(parent.child_by_field_name("condition"))
                if (cur == parent.child_by_field_name("consequence") and value is False) or (
                    cur == parent.child_by_field_name("alternative") and value is True
                ):
                    return True, f"in a branch of a conditional expression never taken (line {line})"
            cur = parent
        return False, ""

    def truth(self, cond: Node | None, depth: int = 0) -> bool | None:
        """The condition's truth when it is a constant, else None."""
        if cond is None or depth > 16:
            return None
        cond = unwrap(cond)
        t = cond.type
        if t == "true":
            return True
        if t in _FALSY:
            return False
        if t == "number":
            text = self.src[cond.start_byte : cond.end_byte].decode("latin-1").strip()
            return text not in ("0", "0.0", "0x0", "0n")
        if t == "string":
            return cond.end_byte - cond.start_byte > 2
        if t == "unary_expression":
            op = cond.child_by_field_name("operator")
            arg = cond.child_by_field_name("argument")
            if op is not None and op.type == "!":
                inner = self.truth(arg, depth + 1)
                return None if inner is None else not inner
            return None
        if t == "binary_expression":
            op = cond.child_by_field_name("operator")
            left = self.truth(cond.child_by_field_name("left"), depth + 1)
            right = self.truth(cond.child_by_field_name("right"), depth + 1)
            if op is not None and op.type == "&&" and (left is False or (left is True and right is not None)):
                return False if left is False else right
            if op is not None and op.type == "||" and (left is True or (left is False and right is not None)):
                return True if left is True else right
        return None

    def first_exit(self, block: Node) -> tuple[int, str, int] | None:
        """(start byte, keyword, line) of the first statement of `block` that always leaves it."""
        if block.id not in self.exits:
            found = None
            for i, stmt in enumerate(block.named_children):
                if i >= MAX_TOP_LEVEL:
                    break
                why = self.terminates(stmt)
                if why:
                    found = (stmt.start_byte, why, stmt.start_point.row + 1)
                    break
            self.exits[block.id] = found
        return self.exits[block.id]

    def terminates(self, stmt: Node, depth: int = 0) -> str:
        """The keyword when `stmt` always leaves its block (return/throw/continue/break)."""
        word = TERMINATORS.get(stmt.type)
        if word is not None:
            return word
        if stmt.type == "statement_block" and depth < 16:
            for c in named(stmt)[:MAX_TOP_LEVEL]:
                w = self.terminates(c, depth + 1)
                if w:
                    return w
            return ""
        if stmt.type == "if_statement" and depth < 16:
            alternative = stmt.child_by_field_name("alternative")
            if alternative is None:
                return ""
            words = []
            for branch in (stmt.child_by_field_name("consequence"), *named(alternative)[:1]):
                w = self.terminates(branch, depth + 1) if branch is not None else ""
                if not w:
                    return ""
                words.append(w.split(" in every branch")[0])
            return "/".join(dict.fromkeys(words)) + " in every branch of the `if`"
        return ""

    def reachability(self, node: Node) -> tuple[bool, str]:
        dead, why = self.dead(node, 0)
        return (not dead, why)

    @staticmethod
    def last(block: Node | None) -> Node | None:
        return last_statement(block)
