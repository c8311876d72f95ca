"""Super-linear regex shapes that `redos.catastrophic` does not look for, over the same parse
(Python's `re._parser`) and character sets:

* `polynomial`: two unbounded repeats over overlapping characters with only optional items
  between them, followed by a character the rest requires (`\\d*\\.?\\d+,`, `[^@:]+(?:[^@]+)?@`,
  `.*[/]*.*}$`). A run of k characters both can match splits k ways between them, and each split
  is tried again when the rest fails: quadratic time for two repeats, cubic for three, and a
  regex that a long request field reaches blocks Node's thread for seconds. A pattern that
  ends with the second repeat (`\\s*(.*)`) always succeeds at once, so it is not reported.
* `split_turns`: an unbounded repeat one turn of which can match one character or two
  characters of that same set (`(?:[a-z](?:[a-z-]*[a-z])?\\.?)+`): "ab" is then one turn or
  two, and n characters split 2^n ways when what follows fails (exponential).

Bounded repeats (`\\d{0,3}`) are not unbounded: a bound is the usual fix. `from_javascript`
reads JavaScript's named groups `(?<name>...)` as Python's `(?P<name>...)`.
"""

from __future__ import annotations

import re
from typing import Any

from reviewbot.scanners.ts_checks import redos

# The shared parse and character sets (redos.py's; private there, so named once here).
_PARSER: Any = redos._PARSER
_C: Any = redos._C
_Chars = redos._Chars
_REPEATS = redos._REPEATS
_chars_of = redos._chars_of
_single = redos._single
_flat = redos._flat
_NAMED_GROUP = re.compile(r"(?<!\\)\(\?<(?=[A-Za-z_$])")
_ZERO_WIDTH = (_C.AT, _C.ASSERT, _C.ASSERT_NOT)


def from_javascript(pattern: str) -> str:
    """The pattern in Python's syntax where the two differ in what the analyses read."""
    return _NAMED_GROUP.sub("(?P<", pattern)


def parse(pattern: str, flags: int) -> tuple[list[Any], int] | None:
    """The parsed pattern and its flags, or None when it does not parse (or is too long)."""
    if len(pattern) > redos.MAX_PATTERN_CHARS:
        return None
    try:
        parsed = _PARSER.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError):
        return None
    return list(parsed), int(parsed.state.flags)


def _unbounded(op: Any, av: Any) -> bool:
    return op in _REPEATS and av[1] == _C.MAXREPEAT


def _nullable(op: Any, av: Any) -> bool:
    """Whether the item can match the empty string."""
    if op in _ZERO_WIDTH:
        return True
    if op in _REPEATS:
        return av[0] == 0 or all(_nullable(o, a) for o, a in av[2])
    if op is _C.SUBPATTERN:
        return all(_nullable(o, a) for o, a in av[-1])
    if op is _C.BRANCH:
        return any(all(_nullable(o, a) for o, a in b) for b in av[1])
    return False


def _can_fail(items: list[tuple[Any, Any]]) -> bool:
    """Whether matching `items` can fail on a character: one they require.

    An end anchor alone (`^\\d+\\.?\\d*$`, `:\\s*(.*)$`) is not counted: such whole-field
    validators are everywhere and their fields are mostly short, so they would be most of the
    findings and little of the risk (a gap kept on purpose, for noise)."""
    return any(op not in _ZERO_WIDTH and not _nullable(op, av) for op, av in items)


def _edge(op: Any, av: Any, flags: int, last: bool) -> list[Any]:
    """The character sets of the unbounded repeats that can start (`last`: end) the item."""
    if _unbounded(op, av):
        body = _flat(av[2])
        one = _single(*body[0], flags) if len(body) == 1 else None
        # A run of one character set only a repeat of one such item can take in any split;
        # a repeat of `''[^']*` takes no run of `[^']` (each turn starts with a quote).
        return [one] if one is not None else _edge_of(body, flags, last)
    if op in _REPEATS or op is _C.SUBPATTERN:
        body = _flat(av[2] if op in _REPEATS else av[-1])
        return _edge_of(body, flags, last)
    if op is _C.BRANCH:
        return [c for b in av[1] for c in _edge_of(_flat(b), flags, last)]
    return []


def _edge_of(items: list[tuple[Any, Any]], flags: int, last: bool) -> list[Any]:
    found: list[Any] = []
    for op, av in reversed(items) if last else items:
        if op in _ZERO_WIDTH:
            continue
        found += _edge(op, av, flags, last)
        if not _nullable(op, av):
            break
    return found


def polynomial(pattern: str, flags: int = 0) -> str | None:
    """Why `pattern` backtracks polynomially (see the module docstring), or None."""
    parsed = parse(pattern, flags)
    return _sequence(_flat(parsed[0]), parsed[1], False) if parsed else None


def _sequence(items: list[tuple[Any, Any]], flags: int, follow_fails: bool) -> str | None:
    for n, (op, av) in enumerate(items):
        ends = _edge(op, av, flags, last=True)
        for m in range(n + 1, len(items)) if ends else ():
            later, lav = items[m]
            starts = _edge(later, lav, flags, last=False)
            if any(e.meets(s) for e in ends for s in starts) and (follow_fails or _can_fail(items[m + 1 :])):
                return "two unbounded repeats over the same characters with only optional parts between them"
            if not _nullable(later, lav):
                break
        after = follow_fails or _can_fail(items[n + 1 :])
        for child in _children(op, av):
            why = _sequence(_flat(child), flags, after)
            if why is not None:
                return why
    return None


def _children(op: Any, av: Any) -> list[list[Any]]:
    if op in _REPEATS:
        return [list(av[2])]
    if op is _C.BRANCH:
        return [list(b) for b in av[1]]
    return []  # lookarounds: what they match is not backtracked into by what follows


def split_turns(pattern: str, flags: int = 0) -> str | None:
    """Why one turn of an unbounded repeat can also be two (see the module docstring), or None."""
    parsed = parse(pattern, flags)
    return _search_turns(parsed[0], parsed[1]) if parsed else None


def _search_turns(seq: list[Any], flags: int) -> str | None:
    for op, av in _flat(seq):
        if _unbounded(op, av) and _two_in_one(_flat(av[2]), flags):
            return "an unbounded repeat one turn of which can also match as two turns"
        for child in _children(op, av):
            why = _search_turns(child, flags)
            if why is not None:
                return why
    return None


def _two_in_one(body: list[tuple[Any, Any]], flags: int) -> bool:
    """Whether the body matches some single character c, and also c·d with d in the same set."""
    if any(op in _ZERO_WIDTH for op, _ in body):
        return False
    required = [n for n, (op, av) in enumerate(body) if not _nullable(op, av)]
    if len(required) != 1:
        return False  # two required items: a turn is never one character
    one = _single(*body[required[0]], flags)
    if one is None:
        return False
    # Another item, optional, that can spell characters of the same set
    # (`[a-z](?:[a-z-]*[a-z])?`): the turn "ab" is also the turns "a", "b".
    return any(_spells(op, av, one, flags) for n, (op, av) in enumerate(body) if n != required[0])


def _spells(op: Any, av: Any, one: Any, flags: int) -> bool:
    """Whether the item can match a non-empty string of characters all in `one`."""
    single = _single(op, av, flags)
    if single is not None:
        return bool(single.meets(one))
    if op in _REPEATS:
        return _spells_all(_flat(av[2]), one, flags)
    if op is _C.BRANCH:
        return any(_spells_all(_flat(b), one, flags) for b in av[1])
    return False


def _spells_all(items: list[tuple[Any, Any]], one: Any, flags: int) -> bool:
    if any(op in _ZERO_WIDTH for op, _ in items):
        return False  # an anchor or lookaround inside: not judged
    required = [(op, av) for op, av in items if not _nullable(op, av)]
    if required:
        return all(_spells(op, av, one, flags) for op, av in required)
    return any(_spells(op, av, one, flags) for op, av in items)
