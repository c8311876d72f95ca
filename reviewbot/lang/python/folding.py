"""Constant folding over the tree: literals, tuples, `not`/`and`/`or`, arithmetic, comparisons,
subscripts and slices, and names with exactly one reaching plain assignment. Anything else, or
running out of budget or depth, is `NO_VALUE`.
"""

from __future__ import annotations

import ast
import itertools
from typing import TYPE_CHECKING, cast

from reviewbot.lang.python.nodes import MAX_DEPTH, named, node_text, operands
from reviewbot.lang.python.reaching import Reaching
from reviewbot.lang.python.values import NO_VALUE, arith, compare, string_value

if TYPE_CHECKING:
    from tree_sitter import Node


class Folding(Reaching):
    """The constant value of an expression, or `NO_VALUE`."""

    def fold(self, node: Node, depth: int) -> object:
        if depth > MAX_DEPTH or not self.budget.spend():
            return NO_VALUE
        t = node.type
        src = self.src
        if t == "true":
            return True
        if t == "false":
            return False
        if t == "none":
            return None
        if t in ("integer", "float"):
            text = node_text(node, src)
            if len(text) > 100:
                return NO_VALUE
            try:
                return ast.literal_eval(text)
            except (ValueError, SyntaxError):
                return NO_VALUE
        if t == "string":
            return string_value(node, src)
        if t == "concatenated_string":
            parts = [self.fold(c, depth + 1) for c in named(node)]
            if all(isinstance(p, str) for p in parts):
                return "".join(p for p in parts if isinstance(p, str))
            return NO_VALUE
        if t == "parenthesized_expression":
            kids = named(node)
            return self.fold(kids[0], depth + 1) if len(kids) == 1 else NO_VALUE
        if t in ("tuple", "list"):
            items = [self.fold(c, depth + 1) for c in named(node)]
            return NO_VALUE if any(i is NO_VALUE for i in items) else tuple(items)
        if t == "not_operator":
            arg = node.child_by_field_name("argument")
            v = self.fold(arg, depth + 1) if arg is not None else NO_VALUE
            return NO_VALUE if v is NO_VALUE else not v
        if t == "boolean_operator":
            return self.fold_boolean(node, depth)
        if t == "unary_operator":
            return self.fold_unary(node, depth)
        if t == "binary_operator":
            return self.fold_binary(node, depth)
        if t == "comparison_operator":
            return self.fold_comparison(node, depth)
        if t == "subscript":
            return self.fold_subscript(node, depth)
        if t == "identifier":
            return self.fold_name(node, depth)
        return NO_VALUE

    def fold_boolean(self, node: Node, depth: int) -> object:
        parts = operands(node)
        if parts is None:
            return NO_VALUE
        left, op, right = parts
        lv = self.fold(left, depth + 1)
        if lv is NO_VALUE:
            return NO_VALUE
        if op.type == "and":
            return lv if not lv else self.fold(right, depth + 1)
        return lv if lv else self.fold(right, depth + 1)

    def fold_unary(self, node: Node, depth: int) -> object:
        arg = node.child_by_field_name("argument")
        op = node.child_by_field_name("operator")
        v = self.fold(arg, depth + 1) if arg is not None else NO_VALUE
        if op is None or isinstance(v, bool) or not isinstance(v, int | float):
            return NO_VALUE
        if op.type == "-":
            return -v
        if op.type == "+":
            return +v
        if op.type == "~" and isinstance(v, int):
            return ~v
        return NO_VALUE

    def fold_binary(self, node: Node, depth: int) -> object:
        parts = operands(node)
        if parts is None:
            return NO_VALUE
        left, op, right = parts
        lv, rv = self.fold(left, depth + 1), self.fold(right, depth + 1)
        if lv is NO_VALUE or rv is NO_VALUE:
            return NO_VALUE
        return arith(op.type, lv, rv)

    def fold_comparison(self, node: Node, depth: int) -> object:
        operands = named(node)
        ops = [c for c in node.children if not c.is_named]
        if len(operands) != len(ops) + 1 or len(operands) > 8:
            return NO_VALUE
        values = [self.fold(o, depth + 1) for o in operands]
        if any(v is NO_VALUE for v in values):
            return NO_VALUE
        for op, (a, b) in zip(ops, itertools.pairwise(values), strict=True):
            r = compare(op.type, a, b)
            if r is NO_VALUE:
                return NO_VALUE
            if not r:
                return False
        return True

    def fold_subscript(self, node: Node, depth: int) -> object:
        value = node.child_by_field_name("value")
        index = node.child_by_field_name("subscript")
        if value is None or index is None:
            return NO_VALUE
        v = self.fold(value, depth + 1)
        if not isinstance(v, str | tuple):
            return NO_VALUE
        if index.type == "slice":
            bounds: list[object] = [None, None, None]
            slot = 0
            for c in index.children:
                if c.type == ":":
                    slot += 1
                elif slot < 3:
                    bounds[slot] = self.fold(c, depth + 1)
            if not all(b is None or (isinstance(b, int) and not isinstance(b, bool)) for b in bounds):
                return NO_VALUE
            start, stop, step = (cast("int | None", b) for b in bounds)
            if step == 0:
                return NO_VALUE
            return v[slice(start, stop, step)]
        i = self.fold(index, depth + 1)
        if isinstance(i, int) and not isinstance(i, bool) and -len(v) <= i < len(v):
            return v[i]
        return NO_VALUE

    def fold_name(self, ident: Node, depth: int) -> object:
        name = node_text(ident, self.src)
        scope = self.scope_of(ident)
        if name in scope.nonlocal_names:
            return NO_VALUE
        reaching, param = self.reaching(scope, name, ident, depth + 1)
        if param is not None or len(reaching) != 1:
            return NO_VALUE
        (b,) = reaching
        if b.kind != "assign" or b.value is None:
            return NO_VALUE
        key = b.stmt.id
        if key in self.active_fold:
            return NO_VALUE
        self.active_fold.add(key)
        try:
            return self.fold(b.value, depth + 1)
        finally:
            self.active_fold.discard(key)
