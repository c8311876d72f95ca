"""Validation guards that dominate a node: checks every path to it passed, from an enclosing
`if` (or the `if` whose `else` it is in), the left side of `check && sink`, or an earlier
`if (bad) return/throw/continue/break`. Each is (kind, names checked), the kinds being those in
`known.KNOWN.guards`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from reviewbot.lang.javascript.nodes import BLOCKS, MAX_DEPTH, last_statement, named, node_text, unwrap
from reviewbot.lang.javascript.provenance import ValueFlow

if TYPE_CHECKING:
    from tree_sitter import Node

_NUMERIC = frozenset({"number", "bigint", "boolean"})
_TYPE_CALLS = frozenset({"Number.isInteger", "Number.isSafeInteger", "Number.isFinite", "isFinite"})
_VALIDATOR_NAME = re.compile(r"(?i)^(is_?valid|valid|validate|is_?safe|is_?allowed|allowed|check|verify)")
_VALIDATOR_JS = re.compile(r"^is(Int|Numeric|Alphanumeric|Alpha|UUID|Email|URL|Hexadecimal|Base64|Boolean|Port|IP)")
_EQUALITY = frozenset({"===", "==", "!==", "!="})


class Guards(ValueFlow):
    """The validation checks that dominate a node."""

    def guards(self, node: Node) -> list[tuple[str, frozenset[str]]]:
        found: list[tuple[str, frozenset[str]]] = []
        scope_node = self.scopes.scope_node(node)
        cur = node
        steps = 0
        while cur != scope_node and steps < 10_000:
            steps += 1
            parent = cur.parent
            if parent is None:
                break
            pt = parent.type
            if pt in BLOCKS:
                sib = cur.prev_named_sibling
                while sib is not None and self.budget.spend():
                    if sib.type == "if_statement" and sib.child_by_field_name("alternative") is None:
                        last = last_statement(sib.child_by_field_name("consequence"))
                        cond = sib.child_by_field_name("condition")
                        if cond is not None and last is not None and self.terminates(last):
                            found += self.checks(cond, bad=True)
                    sib = sib.prev_named_sibling
            elif pt == "if_statement":
                cond = parent.child_by_field_name("condition")
                if cond is not None:
                    if cur == parent.child_by_field_name("consequence"):
                        found += self.checks(cond, bad=False)
                    elif cur == parent.child_by_field_name("alternative"):
                        found += self.checks(cond, bad=True)
            elif pt == "binary_expression" and cur == parent.child_by_field_name("right"):
                op, left = parent.child_by_field_name("operator"), parent.child_by_field_name("left")
                if op is not None and left is not None and op.type in ("&&", "||"):
                    found += self.checks(left, bad=op.type == "||")
            elif pt == "ternary_expression":
                cond = parent.child_by_field_name("condition")
                if cond is not None and cur == parent.child_by_field_name("consequence"):
                    found += self.checks(cond, bad=False)
                elif cond is not None and cur == parent.child_by_field_name("alternative"):
                    found += self.checks(cond, bad=True)
            cur = parent
        return [(kind, self.related(names, node)) for kind, names in found]

    def related(self, names: frozenset[str], at: Node) -> frozenset[str]:
        """The checked names plus the names their values were computed from (`u = new URL(x)`)."""
        scope = self.scope_of(at)
        out = set(names)
        for name in names:
            for b in scope.bindings.get(name, [])[:16]:
                if b.value is not None and b.kind in ("assign", "destructure"):
                    out |= self.identifiers(b.value)
        return frozenset(out)

    def identifiers(self, node: Node) -> frozenset[str]:
        out: set[str] = set()
        stack = [node]
        while stack and self.budget.spend() and len(out) < 64:
            n = stack.pop()
            if n.type == "identifier":
                out.add(node_text(n, self.src))
            elif n.type == "member_expression":
                obj = n.child_by_field_name("object")
                if obj is not None:
                    stack.append(obj)
            else:
                stack.extend(n.named_children)
        return frozenset(out)

    def checks(self, cond: Node, *, bad: bool, depth: int = 0) -> list[tuple[str, frozenset[str]]]:
        """Checks in `cond` that, when `cond` is true (bad: the value is rejected; else accepted),
        constrain a value."""
        if depth > MAX_DEPTH or not self.budget.spend():
            return []
        cond = unwrap(cond)
        t = cond.type
        if t == "unary_expression":
            op, arg = cond.child_by_field_name("operator"), cond.child_by_field_name("argument")
            if op is not None and op.type == "!" and arg is not None:
                return self.checks(arg, bad=not bad, depth=depth + 1)
            return []
        if t == "binary_expression":
            op = cond.child_by_field_name("operator")
            left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
            if op is None or left is None or right is None:
                return []
            if op.type in ("&&", "||"):
                if (op.type == "||") == bad:
                    return self.checks(left, bad=bad, depth=depth + 1) + self.checks(right, bad=bad, depth=depth + 1)
                return []
            if op.type in _EQUALITY:
                return self.equality(left, right, accepts=op.type in ("===", "=="), bad=bad)
            if op.type == "in" and not bad:
                return [("allowlist", self.identifiers(left))]
            return self.host(cond)
        if t == "call_expression":
            return self.call_check(cond, bad=bad)
        return self.host(cond)

    def host(self, cond: Node) -> list[tuple[str, frozenset[str]]]:
        out: set[str] = set()
        stack, seen = [cond], 0
        while stack and seen < 256:
            seen += 1
            n = stack.pop()
            if n.type == "member_expression":
                prop, obj = n.child_by_field_name("property"), n.child_by_field_name("object")
                if prop is not None and obj is not None and node_text(prop, self.src) in ("hostname", "host", "origin"):
                    out |= self.identifiers(obj)
            stack.extend(n.named_children)
        return [("host", frozenset(out))] if out else []

    def equality(self, left: Node, right: Node, *, accepts: bool, bad: bool) -> list[tuple[str, frozenset[str]]]:
        for value, other in ((right, left), (left, right)):
            other = unwrap(other)
            if other.type == "unary_expression" and value.type == "string":
                op, arg = other.child_by_field_name("operator"), other.child_by_field_name("argument")
                if op is not None and op.type == "typeof" and arg is not None:
                    if node_text(value, self.src)[1:-1] in _NUMERIC and accepts != bad:
                        return [("type", self.identifiers(arg))]
                    return []
            if value.type in ("string", "number", "true", "false", "null"):
                return [("allowlist", self.identifiers(other))] if accepts != bad else []
        return self.host(left) + self.host(right)

    def call_check(self, call: Node, *, bad: bool) -> list[tuple[str, frozenset[str]]]:
        fn = call.child_by_field_name("function")
        args_node = call.child_by_field_name("arguments")
        args = named(args_node) if args_node is not None else []
        if fn is None:
            return []
        fn = unwrap(fn)
        callee = node_text(fn, self.src)
        last = callee.rpartition(".")[2]
        if last == "isNaN" and args:  # true: rejected
            return [("type", self.identifiers(args[0]))] if bad else []
        if fn.type == "member_expression":
            obj = fn.child_by_field_name("object")
            if obj is not None and last in ("includes", "indexOf") and args and args[0].type == "string":
                text = node_text(args[0], self.src)[1:-1]  # `x.includes("..")`: true rejects
                kind = "dotdot" if ".." in text else "quote" if text in ("'", '"', "\\'", '\\"') else "contains"
                return [(kind, self.identifiers(obj))] if bad and last == "includes" else []
        if bad:
            return []
        if fn.type == "member_expression":
            obj = fn.child_by_field_name("object")
            if obj is not None:
                if last == "test" and args:
                    return [("regex", self.identifiers(args[0]))]
                if last == "match" and args:
                    return [("regex", self.identifiers(obj))]
                if last == "startsWith":
                    return [("prefix", self.identifiers(obj))]
                if last in ("includes", "has") and args:
                    return [("allowlist", self.identifiers(args[0]))]
        if callee in _TYPE_CALLS and args:
            return [("type", self.identifiers(args[0]))]
        if args and (_VALIDATOR_NAME.match(last) or (_VALIDATOR_JS.match(last) and "." in callee)):
            names: set[str] = set()
            for a in args[:1]:
                names |= self.identifiers(a)
            return [("validator", frozenset(names))]
        return []
