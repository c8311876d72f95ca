"""Validation guards that dominate a node: checks every path to it passed, from an enclosing
`if`/`elif` (or the conditions of the branches before an `elif`/`else`), an earlier
`if bad: return/raise/abort()`, or an `assert`. Each is (kind, names checked), the kinds being
those in `known.KNOWN.guards`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from reviewbot.lang.python.nodes import (
    BLOCKS,
    MAX_DEPTH,
    TERMINATORS,
    base_name,
    dotted_text,
    earlier_conditions,
    last_statement,
    named,
    node_text,
    operands,
)
from reviewbot.lang.python.run import RunState
from reviewbot.lang.python.scopes import resolve_alias
from reviewbot.lang.python.values import string_value

if TYPE_CHECKING:
    from tree_sitter import Node

_EXIT_CALLS = frozenset({"abort", "flask.abort", "sys.exit", "exit", "quit", "os._exit", "os.abort"})
_CHARSET_METHODS = frozenset({"isdigit", "isnumeric", "isdecimal", "isalnum", "isalpha", "isidentifier", "isascii"})
_PREFIX_METHODS = frozenset({"startswith", "is_relative_to"})
_REGEX_FUNCS = frozenset({"re.match", "re.fullmatch", "re.search"})
_REGEX_METHODS = frozenset({"match", "fullmatch", "search"})
_SAFE_URL_CALLS = frozenset({"url_has_allowed_host_and_scheme", "is_safe_url"})
_NUMERIC_TYPES = frozenset({"int", "float", "bool", "complex", "UUID", "uuid.UUID", "decimal.Decimal", "Decimal"})
_VALIDATOR_NAME = re.compile(r"(?i)^(is_?valid|valid|validate|is_?safe|is_?allowed|allowed|check|verify)")


def _is_exit(stmt: Node, source: bytes) -> bool:
    if stmt.type in TERMINATORS:
        return True
    if stmt.type == "expression_statement":
        kids = named(stmt)
        if len(kids) == 1 and kids[0].type == "call":
            return dotted_text(kids[0].child_by_field_name("function"), source) in _EXIT_CALLS
    return False


class Guards(RunState):
    """The validation checks that dominate a node."""

    def guards(self, node: Node) -> list[tuple[str, frozenset[str]]]:
        """Checks that every path to `node` passed: (kind, names the check is about)."""
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
                    if sib.type == "if_statement":
                        cond = sib.child_by_field_name("condition")
                        last = last_statement(sib.child_by_field_name("consequence"))
                        if cond is not None and last is not None and _is_exit(last, self.src):
                            found += self.checks(cond, bad=True)
                    elif sib.type == "assert_statement":
                        for c in named(sib)[:1]:
                            found += self.checks(c, bad=False)
                    sib = sib.prev_named_sibling
            elif pt in ("if_statement", "elif_clause") and cur == parent.child_by_field_name("consequence"):
                cond = parent.child_by_field_name("condition")
                if cond is not None:
                    found += self.checks(cond, bad=False)
                if pt == "elif_clause":
                    found += self.earlier_checks(parent)
            elif pt == "else_clause" and parent.parent is not None and parent.parent.type == "if_statement":
                found += self.earlier_checks(parent)
            cur = parent
        return [(kind, self.related(names, node)) for kind, names in found]

    def earlier_checks(self, clause: Node) -> list[tuple[str, frozenset[str]]]:
        out = []
        for _, _, cond in earlier_conditions(clause):
            out += self.checks(cond, bad=True)
        return out

    def related(self, names: frozenset[str], at: Node) -> frozenset[str]:
        """The checked names plus the names their values were computed from (`u = urlparse(url)`)."""
        scope = self.scope_of(at)
        out = set(names)
        for name in names:
            for b in scope.bindings.get(name, [])[:16]:
                if b.value is not None and b.kind in ("assign", "walrus"):
                    out |= self.identifiers(b.value)
        return frozenset(out)

    def identifiers(self, node: Node) -> frozenset[str]:
        out: set[str] = set()
        stack = [node]
        while stack and self.budget.spend() and len(out) < 64:
            n = stack.pop()
            if n.type == "identifier":
                out.add(node_text(n, self.src))
            elif n.type == "attribute":
                obj = n.child_by_field_name("object")
                if obj is not None:
                    stack.append(obj)
            elif n.type == "keyword_argument":
                value = n.child_by_field_name("value")
                if value is not None:
                    stack.append(value)
            else:
                stack.extend(n.named_children)
        return frozenset(out)

    def checks(self, cond: Node, *, bad: bool, depth: int = 0) -> list[tuple[str, frozenset[str]]]:
        """Checks in `cond` that, when `cond` is true (bad=True: the value is rejected; bad=False:
        the value is accepted), constrain a value."""
        if depth > MAX_DEPTH or not self.budget.spend():
            return []
        t = cond.type
        if t == "parenthesized_expression":
            kids = named(cond)
            return self.checks(kids[0], bad=bad, depth=depth + 1) if len(kids) == 1 else []
        if t == "not_operator":
            arg = cond.child_by_field_name("argument")
            return self.checks(arg, bad=not bad, depth=depth + 1) if arg is not None else []
        if t == "boolean_operator":
            parts = operands(cond)
            if parts is None:
                return []
            left, op, right = parts
            # `a or b` true => reject: each alone rejects; `a and b` true => accept: each alone holds.
            if (op.type == "or") == bad:
                return self.checks(left, bad=bad, depth=depth + 1) + self.checks(right, bad=bad, depth=depth + 1)
            return []
        host = self.host_check(cond)
        if host:
            return [("host", host)]
        if t == "comparison_operator":
            return self.comparison_check(cond, bad=bad)
        if t == "call":
            return self.call_check(cond, bad=bad)
        return []

    def host_check(self, cond: Node) -> frozenset[str]:
        """Names whose parsed URL's netloc/hostname the condition looks at."""
        out: set[str] = set()
        stack = [cond]
        seen = 0
        while stack and seen < 256:
            seen += 1
            n = stack.pop()
            if n.type == "attribute":
                attr = n.child_by_field_name("attribute")
                obj = n.child_by_field_name("object")
                if attr is not None and obj is not None and node_text(attr, self.src) in ("netloc", "hostname"):
                    base = base_name(obj)
                    if base is not None:
                        out.add(node_text(base, self.src))
            stack.extend(n.named_children)
        return frozenset(out)

    def comparison_check(self, cond: Node, *, bad: bool) -> list[tuple[str, frozenset[str]]]:
        operands = named(cond)
        ops = [c for c in cond.children if not c.is_named]
        if len(operands) != 2 or len(ops) != 1:
            return []
        left, right = operands
        op = ops[0].type
        if op in ("in", "not in"):
            rejects = op == "in"
            literal = string_value(left, self.src)
            if isinstance(literal, str | bytes):
                text = literal.decode("latin-1") if isinstance(literal, bytes) else literal
                if text.startswith("..") or "../" in text or "..\\" in text:
                    kind = "dotdot"
                elif text.strip("\\") in ("'", '"'):
                    kind = "quote"
                else:
                    kind = "contains"
                names = self.identifiers(right)
            else:  # `x in ALLOWED`: membership accepts
                rejects = not rejects
                kind = "allowlist"
                names = self.identifiers(left)
            return [(kind, names)] if rejects == bad else []
        if op in ("==", "!="):
            for value, other in ((right, left), (left, right)):
                if value.type in ("string", "integer", "float", "true", "false", "none"):
                    accepts = op == "=="
                    return [("allowlist", self.identifiers(other))] if accepts != bad else []
        return []

    def call_check(self, call: Node, *, bad: bool) -> list[tuple[str, frozenset[str]]]:
        if bad:  # a call true => accepted; as a rejection it says nothing
            return []
        fn = call.child_by_field_name("function")
        args_node = call.child_by_field_name("arguments")
        args = named(args_node) if args_node is not None else []
        if fn is None:
            return []
        scope = self.scope_of(call)
        callee = dotted_text(fn, self.src)
        qualified = resolve_alias(callee, scope.aliases) if callee is not None else ""
        last = qualified.rpartition(".")[2]
        if fn.type == "attribute":
            obj = fn.child_by_field_name("object")
            attr = fn.child_by_field_name("attribute")
            method = node_text(attr, self.src) if attr is not None else ""
            if obj is not None:
                if method in _CHARSET_METHODS:
                    return [("charset", self.identifiers(obj))]
                if method in _PREFIX_METHODS:
                    return [("prefix", self.identifiers(obj))]
                if method in _REGEX_METHODS and qualified not in _REGEX_FUNCS and args:
                    return [("regex", self.identifiers(args[0]))]
        if qualified in _REGEX_FUNCS and len(args) >= 2:
            return [("regex", self.identifiers(args[1]))]
        if qualified == "isinstance" and len(args) == 2:
            types = {dotted_text(t, self.src) for t in ([args[1]] if args[1].type != "tuple" else named(args[1]))}
            if types and types <= _NUMERIC_TYPES:
                return [("type", self.identifiers(args[0]))]
            return []
        if last in _SAFE_URL_CALLS and args:
            return [("safe_url", self.identifiers(args[0]))]
        if last and _VALIDATOR_NAME.match(last) and args:
            names: set[str] = set()
            for a in args:
                names |= self.identifiers(a)
            return [("validator", frozenset(names))]
        return []
