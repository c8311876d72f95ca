"""Python values for constant folding: the "cannot fold" marker, string literals read with
`ast.literal_eval`, truthiness, arithmetic and comparisons. Bounded (no huge numbers or strings)
and never raising: anything doubtful is `NO_VALUE`.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from tree_sitter import Node

_MAX_FOLD_LEN = 10_000


class NoValue:
    """What constant folding returns for anything it cannot fold."""


NO_VALUE = NoValue()


def string_value(node: Node, source: bytes) -> str | bytes | NoValue:
    if node.type != "string" or any(c.type == "interpolation" for c in node.children):
        return NO_VALUE
    if node.end_byte - node.start_byte > _MAX_FOLD_LEN:
        return NO_VALUE
    try:
        value = ast.literal_eval(source[node.start_byte : node.end_byte].decode("utf-8", "replace"))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return NO_VALUE
    return value if isinstance(value, str | bytes) else NO_VALUE


def is_truthy(v: object) -> bool:
    try:
        return bool(v)
    except Exception:  # noqa: BLE001 - folding never raises
        return False


def arith(op: str, a: object, b: object) -> object:
    numbers = (int, float)
    try:
        if isinstance(a, bool) or isinstance(b, bool):
            a, b = (int(a) if isinstance(a, bool) else a), (int(b) if isinstance(b, bool) else b)
        if isinstance(a, numbers) and isinstance(b, numbers):
            if op == "+":
                r: object = a + b
            elif op == "-":
                r = a - b
            elif op == "*":
                r = a * b
            elif op == "/":
                r = a / b
            elif op == "//":
                r = a // b
            elif op == "%":
                r = a % b
            elif op == "**":
                if abs(b) > 64 or abs(a) > 2**64:
                    return NO_VALUE
                r = a**b
            else:
                return NO_VALUE
            if isinstance(r, int) and abs(r) > 2**256:
                return NO_VALUE
            return r
        if isinstance(a, str) and isinstance(b, str) and op == "+":
            return a + b if len(a) + len(b) <= _MAX_FOLD_LEN else NO_VALUE
        if op == "*" and isinstance(a, str) and isinstance(b, int) and len(a) * max(b, 0) <= _MAX_FOLD_LEN:
            return a * b
    except (ArithmeticError, ValueError, TypeError):
        return NO_VALUE
    return NO_VALUE


def compare(op: str, a: object, b: object) -> object:
    try:
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        if op == "<":
            return a < b  # type: ignore[operator]
        if op == "<=":
            return a <= b  # type: ignore[operator]
        if op == ">":
            return a > b  # type: ignore[operator]
        if op == ">=":
            return a >= b  # type: ignore[operator]
        if op == "in" and isinstance(b, str | tuple):
            return a in b
        if op == "not in" and isinstance(b, str | tuple):
            return a not in b
        if op in ("is", "is not") and (a is None or isinstance(a, bool)) and (b is None or isinstance(b, bool)):
            return (a is b) == (op == "is")
    except TypeError:
        return NO_VALUE
    return NO_VALUE


_LITERAL_PATTERNS = frozenset({"string", "concatenated_string", "integer", "float", "true", "false", "none"})


def case_matches(clause: Node, subject: object, fold: Callable[[Node, int], object], depth: int) -> bool | None:
    """Whether a `case` clause's pattern matches the folded subject: True, False, or None when
    it cannot be told (class, sequence, mapping, `as` and value patterns; a guard, for True)."""
    patterns = [c for c in clause.named_children if c.type == "case_pattern"]
    if len(patterns) != 1:
        return None
    (pattern,) = patterns
    kids = pattern.named_children
    alternatives = kids[0].named_children if len(kids) == 1 and kids[0].type == "union_pattern" else [pattern]
    answers = [_alternative_matches(a, subject, fold, depth) for a in alternatives[:64]]
    if any(a is True for a in answers):
        return True if clause.child_by_field_name("guard") is None else None
    return False if answers and all(a is False for a in answers) else None


def _alternative_matches(node: Node, subject: object, fold: Callable[[Node, int], object], depth: int) -> bool | None:
    kids = node.named_children
    if node.type == "case_pattern":
        if not kids and node.child_count == 1 and node.children[0].type == "_":
            return True  # `case _:`
        if len(kids) == 1 and node.child_count == 1:
            return _alternative_matches(kids[0], subject, fold, depth)
        if (
            len(kids) == 1
            and node.child_count == 2
            and node.children[0].type == "-"
            and kids[0].type in ("integer", "float")
        ):
            v = fold(kids[0], depth + 1)
            return _literal_matches(-v if isinstance(v, int | float) and not isinstance(v, bool) else NO_VALUE, subject)
        return None
    if node.type == "dotted_name":
        return True if len(kids) == 1 else None  # a capture matches anything; `Color.RED` is unknown
    if node.type in _LITERAL_PATTERNS:
        return _literal_matches(fold(node, depth + 1), subject)
    return None


def _literal_matches(pattern: object, subject: object) -> bool | None:
    if pattern is NO_VALUE:
        return None
    if pattern is None or isinstance(pattern, bool):
        return subject is pattern
    try:
        return bool(subject == pattern)
    except Exception:  # noqa: BLE001 - folding never raises
        return None
