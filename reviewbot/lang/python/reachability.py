"""Code that never runs: after a statement that always leaves its block (`return`, `raise`,
`continue`, `break`, or an `if` doing so in every branch), under an `if`/`elif`/`while` whose
condition folds to false, after a branch whose condition folds to true, or in the branch of a
conditional expression never taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewbot.lang.python.folding import Folding
from reviewbot.lang.python.nodes import BLOCKS, MAX_TOP_LEVEL, TERMINATORS, earlier_conditions, last_statement, named
from reviewbot.lang.python.values import NO_VALUE, case_matches, is_truthy

if TYPE_CHECKING:
    from tree_sitter import Node


class Reachability(Folding):
    """Whether a node can run, and why not."""

    def dead(self, node: Node, depth: int) -> tuple[bool, str]:
        """(True, why) when `node` sits where no execution reaches; checked up to the module."""
        key = node.id
        if key in self.dead_memo:
            return self.dead_memo[key]
        self.dead_memo[key] = (False, "")  # a cycle through folding assumes live
        result = self._dead(node, depth)
        self.dead_memo[key] = result
        return result

    def _dead(self, node: Node, depth: int) -> tuple[bool, str]:
        cur = node
        steps = 0
        while steps < 10_000:
            steps += 1
            parent = cur.parent
            if parent is None:
                return False, ""
            if not self.budget.spend():
                return False, ""
            pt = parent.type
            if pt in BLOCKS:
                exit_ = self.first_exit(parent)
                if exit_ is not None and exit_[0] < cur.start_byte:
                    return True, f"after `{exit_[1]}` on line {exit_[2]}"
            elif pt == "if_statement" and cur == parent.child_by_field_name("consequence"):
                cond = parent.child_by_field_name("condition")
                if cond is not None and self.falsy(cond, depth):
                    return True, f"under an `if` whose condition is always false (line {parent.start_point.row + 1})"
            elif pt == "elif_clause" and cur == parent.child_by_field_name("consequence"):
                cond = parent.child_by_field_name("condition")
                if cond is not None and self.falsy(cond, depth):
                    return True, f"under an `elif` whose condition is always false (line {parent.start_point.row + 1})"
                why = self.earlier_branch_taken(parent, depth)
                if why:
                    return True, why
            elif pt == "else_clause" and parent.parent is not None and parent.parent.type == "if_statement":
                why = self.earlier_branch_taken(parent, depth)
                if why:
                    return True, why
            elif pt == "while_statement" and cur == parent.child_by_field_name("body"):
                cond = parent.child_by_field_name("condition")
                if cond is not None and self.falsy(cond, depth):
                    return (
                        True,
                        f"in a `while` loop whose condition is always false (line {parent.start_point.row + 1})",
                    )
            elif pt == "case_clause" and cur.type == "block":
                why = self.case_never_taken(parent, depth)
                if why:
                    return True, why
            elif pt == "conditional_expression":
                kids = named(parent)
                if len(kids) == 3 and cur in (kids[0], kids[2]):
                    v = self.fold(kids[1], depth + 1)
                    if v is not NO_VALUE and bool(v) != (cur == kids[0]):
                        return (
                            True,
                            f"in a branch of a conditional expression never taken (line {parent.start_point.row + 1})",
                        )
            cur = parent
        return False, ""

    def falsy(self, cond: Node, depth: int) -> bool:
        v = self.fold(cond, depth + 1)
        return v is not NO_VALUE and not is_truthy(v)

    def truthy(self, cond: Node, depth: int) -> bool:
        v = self.fold(cond, depth + 1)
        return v is not NO_VALUE and is_truthy(v)

    def earlier_branch_taken(self, clause: Node, depth: int) -> str:
        """For an elif/else clause: why it never runs when an earlier condition is always true."""
        for keyword, branch, cond in earlier_conditions(clause):
            if self.truthy(cond, depth):
                line = branch.start_point.row + 1
                return f"in a branch after an `{keyword}` whose condition is always true (line {line})"
        return ""

    def case_never_taken(self, clause: Node, depth: int) -> str:
        """Why a `case` of a `match` on a subject that folds never runs: its literal patterns all
        differ from the subject, or an earlier unguarded case always matches it."""
        body = clause.parent
        match = body.parent if body is not None else None
        subject = match.child_by_field_name("subject") if match is not None else None
        if body is None or match is None or match.type != "match_statement" or subject is None:
            return ""
        value = self.fold(subject, depth + 1)
        if value is NO_VALUE:
            return ""
        line = match.start_point.row + 1
        if case_matches(clause, value, self.fold, depth) is False:
            return f"in a `case` that never matches the constant subject of the `match` (line {line})"
        for earlier in named(body):
            if earlier == clause:
                break
            unguarded = earlier.type == "case_clause" and earlier.child_by_field_name("guard") is None
            if unguarded and case_matches(earlier, value, self.fold, depth) is True:
                return f"in a `case` after one that always matches the constant subject (line {line})"
        return ""

    def first_exit(self, block: Node) -> tuple[int, str, int] | None:
        """(start byte, keyword, line) of the first statement of `block` that always leaves it."""
        cache = self.exits
        if block.id not in cache:
            found = None
            for i, stmt in enumerate(block.named_children):
                if i >= MAX_TOP_LEVEL:
                    break
                why = self.terminates(stmt)
                if why:
                    found = (stmt.start_byte, why, stmt.start_point.row + 1)
                    break
            cache[block.id] = found
        return cache[block.id]

    def terminates(self, stmt: Node, depth: int = 0) -> str:
        """The keyword when `stmt` always leaves its block (return/raise/continue/break)."""
        word = TERMINATORS.get(stmt.type)
        if word is not None:
            return word
        if stmt.type == "if_statement" and depth < 16:
            branches: list[Node | None] = [stmt.child_by_field_name("consequence")]
            has_else = False
            for c in named(stmt):
                if c.type == "elif_clause":
                    branches.append(c.child_by_field_name("consequence"))
                elif c.type == "else_clause":
                    branches.append(c.child_by_field_name("body"))
                    has_else = True
            if not has_else:
                return ""
            words = []
            for b in branches[:64]:
                last = last_statement(b)
                w = self.terminates(last, depth + 1) if last is not None else ""
                if not w:
                    return ""
                words.append(w)
            return "/".join(dict.fromkeys(words)) + " in every branch of the `if`"
        return ""

    def reachability(self, node: Node) -> tuple[bool, str]:
        dead, why = self.dead(node, 0)
        return (not dead, why)
