"""Python values for constant folding: the "cannot fold" marker, string literals read with
`ast.literal_eval`, truthiness, arithmetic and comparisons. Bounded (no huge numbers or strings)
and never raising: anything doubtful is `NO_VALUE`.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
