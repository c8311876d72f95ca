"""An unescaped `.` between two repeats of the same characters (`[0-9]+(.[0-9]+)?`, `\\d+.\\d+`,
`\\w+.\\w+`), judged by `regex-polynomial-backtracking` whatever anchors the pattern.

The `.` was meant as a literal dot (a decimal point, a version or domain separator), but it also
matches the repeats' own characters: a run of k digits then splits k ways between the first
repeat, the dot and the second, and each split is tried again when the rest fails (`$` after a
long run of digits and one letter), quadratic time. The end-anchor exemption of the polynomial
shape (`redos_shapes._can_fail`: whole-field validators are everywhere) does not apply: this one
is a slip, the fix is `\\.`, and it also accepts input the author did not mean (`1x5` as a number).

Claimed only when the repeats' characters are a positive set without `.` itself (so the
wildcard cannot be what the author meant to match there) and the two sets share a character.
"""

from __future__ import annotations

from typing import Any

from reviewbot.scanners.ts_checks import redos, redos_shapes

_C: Any = redos._C
_DOT = ord(".")


def _repeat_set(op: Any, av: Any, flags: int) -> Any:
    """The characters of an unbounded repeat of one positive-set item without `.`, or None."""
    if not redos_shapes._unbounded(op, av):
        return None
    body = redos._flat(av[2])
    if len(body) != 1:
        return None
    chars = redos._single(*body[0], flags)
    if chars is None or chars.negated or _DOT in chars.chars:
        return None
    return chars


_END_ANCHORS = frozenset({_C.AT_END, _C.AT_END_STRING})


def _can_fail(items: list[tuple[Any, Any]]) -> bool:
    """Whether what follows can fail: an item it requires, or an end anchor (`$`, `\\Z`)."""
    return any(
        (op is _C.AT and av in _END_ANCHORS)
        or (op not in redos_shapes._ZERO_WIDTH and not redos_shapes._nullable(op, av))
        for op, av in items
    )


def _dot_then_repeat(items: list[tuple[Any, Any]], first: Any, flags: int, after: bool) -> bool:
    """Whether `items` start with `.` and then a repeat sharing characters with `first`, and
    something that can fail follows (in `items`, or `after` them)."""
    if len(items) < 2 or items[0][0] is not _C.ANY:
        return False
    second = _repeat_set(*items[1], flags)
    return second is not None and bool(first.chars & second.chars) and (after or _can_fail(items[2:]))


def _sequence(items: list[tuple[Any, Any]], flags: int, after: bool) -> bool:
    """`after`: whether something that can fail follows the sequence (a run that then fails is
    what is split every way; a pattern that ends with the second repeat matches at once)."""
    for n, (op, av) in enumerate(items):
        first = _repeat_set(op, av, flags)
        rest = items[n + 1 :]
        if first is not None:
            if _dot_then_repeat(rest, first, flags, after):
                return True
            # `[0-9]+(.[0-9]+)?$`: the dot opens an optional group
            if rest and rest[0][0] in redos._REPEATS and rest[0][1][0] == 0:
                inner = redos._flat(rest[0][1][2])
                if _dot_then_repeat(inner, first, flags, after or _can_fail(rest[1:])):
                    return True
        for child in redos_shapes._children(op, av):
            if _sequence(redos._flat(child), flags, after or _can_fail(rest)):
                return True
    return False


def unescaped_dot(pattern: str, flags: int = 0) -> str | None:
    """Why `pattern` backtracks on an unescaped `.` between two repeats, or None."""
    parsed = redos_shapes.parse(pattern, flags)
    if parsed is None or not _sequence(redos._flat(parsed[0]), parsed[1], False):
        return None
    return (
        "an unescaped `.` between two repeats of the same characters: it matches them too, so a "
        "long run of them splits every way between the repeats (`\\.` is a literal dot)"
    )
