"""`regex-polynomial-backtracking` for Python: the constant patterns `redos.patterns` finds (a
`re`/`regex` call's pattern, folded through module constants, and raw-string literals), judged
for two quadratic shapes. A pattern the exponential check reports is not reported again here.

* `redos_shapes.polynomial`, the shape JavaScript's rule reports: two unbounded repeats over
  overlapping characters with only optional items between them and a required character after
  them (`rgba\\(\\s*(.+?)\\s*\\)`, `\\s*(?:,\\s*)?([^ \\t=]+)\\s*=`). A run of those characters
  that then fails is split every way between the repeats.
* `retried`: a search retries an unanchored pattern at every position, so a pattern whose start
  is a wildcard repeat (`\\S*[.?!]`, `.*?:`), or a character and then a wildcard repeat that runs
  over that same character (`\\((.*)\\)$`, `\\((?!.*\\()`), scans to the end of the input from
  every position of a run that never matches: n²/2 steps for n characters. Only wildcards (`.`,
  `\\S`, `[^…]`, `\\W`, `\\D`) that also match the character required after them are claimed
  (`.*` before `\\)`): `<[^>]*>` and `&([^;]+);` are quadratic on a run of `<` or `&` too, but they
  are the idiom everyone writes, and were most of what the wider shape found in real projects. Whether the run
  fails is not guessed: the pattern is tried on a short run (16 characters) of one such character,
  and only a pattern that does not match it is reported. Not claimed: patterns anchored at the
  start (`^`, `\\A`) or given to `re.match`/`fullmatch`, a run the pattern matches at once
  (`'(.*)'` on `''''`), and the run-then-terminator shape `\\s+$` (the run itself matches).
* `redos_dot.unescaped_dot`: a `.` left unescaped between two repeats of the same characters
  (`[0-9]+(.[0-9]+)?$`), anchored or not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from reviewbot.scanners.ts_checks import redos, redos_dot, redos_shapes
from reviewbot.scanners.ts_file import FileContext, Hit

_C: Any = redos._C
_Chars = redos._Chars
_ZERO_WIDTH = (_C.AT, _C.ASSERT, _C.ASSERT_NOT)
_ANCHORED_CALLS = frozenset({"match", "fullmatch"})
_START_ANCHORS = frozenset({_C.AT_BEGINNING, _C.AT_BEGINNING_STRING})
RUN = 16  # characters of the trial run: enough to fail where a long run fails, too few to cost
_CANDIDATES = "a0 .-_/(<\"'=:,;@#"  # characters tried as the run of a negated set or a wildcard


def _wildcard(op: Any, av: Any, flags: int) -> Any:
    """The characters of an unbounded repeat of one wildcard item (`.*`, `\\S+`, `[^>]*?`), or None."""
    if op not in redos._REPEATS or av[1] != _C.MAXREPEAT:
        return None
    body = redos._flat(av[2])
    if len(body) != 1:
        return None
    chars = redos._single(*body[0], flags)
    return chars if chars is not None and chars.negated else None


def _members(chars: Any) -> list[str]:
    return [c for c in _CANDIDATES if chars.meets(_Chars(False, frozenset({ord(c)})))]


def _overruns(wildcard: Any, after: list[tuple[Any, Any]], flags: int) -> bool:
    """Whether the wildcard also matches the first character required after it (`.*` before
    `\\)`, `\\S*` before `[.?!]`), so it scans past where the match could end. `[^>]*>` stops at
    the terminator: quadratic too on a run of `<`, but the idiom people write, and not claimed."""
    for op, av in after:
        if op in _ZERO_WIDTH or redos_shapes._nullable(op, av):
            continue
        return bool(wildcard.meets(redos._chars_of([(op, av)], flags)))
    return False


def _runs(items: list[tuple[Any, Any]], flags: int) -> list[str]:
    """Characters a run of which every position of the search starts a long scan on."""
    n = 0
    while n < len(items) and items[n][0] in (_C.ASSERT, _C.ASSERT_NOT):
        n += 1  # a lookaround in front is judged by the trial run
    if n == len(items) or (items[n][0] is _C.AT and items[n][1] in _START_ANCHORS):
        return []
    op, av = items[n]
    lead = _wildcard(op, av, flags)
    if lead is not None:
        return _members(lead) if _overruns(lead, items[n + 1 :], flags) else []
    first = redos._single(op, av, flags)
    if first is None or first.negated or len(first.chars) != 1:
        return []
    char = chr(next(iter(first.chars)))
    for m in range(n + 1, len(items)):
        later, lav = items[m]
        scans = [(_wildcard(later, lav, flags), items[m + 1 :])]
        if later in (_C.ASSERT, _C.ASSERT_NOT):
            inner = redos._flat(lav[1])
            if inner:
                scans.append((_wildcard(*inner[0], flags), inner[1:]))
        if any(w is not None and w.meets(first) and _overruns(w, rest, flags) for w, rest in scans):
            return [char]
        if later not in _ZERO_WIDTH and not redos_shapes._nullable(later, lav):
            break
    return []


def retried(pattern: str | bytes, flags: int = 0) -> str | None:
    """Why searching for `pattern` takes quadratic time on a run of one character, or None."""
    text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
    parsed = redos_shapes.parse(text, flags)
    if parsed is None:
        return None
    runs = _runs(redos._flat(parsed[0]), parsed[1])
    if not runs or redos_shapes.split_turns(text, flags) is not None:
        return None  # an exponential shape is not run, not even on a short run
    try:
        compiled = re.compile(text, flags)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError):
        return None
    for char in runs:
        if compiled.search(char * RUN) is None:
            return (
                "a start that a search retries at every position, each try scanning to the end of "
                f"a run of {char!r} that never matches"
            )
    return None


def check_polynomial(ctx: FileContext) -> Iterator[Hit]:
    for node, value, flags, fn in redos.patterns(ctx):
        if redos.catastrophic(value, flags) is not None:
            continue  # the exponential rule's
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        why = redos_shapes.polynomial(text, flags)
        if why is None and fn not in _ANCHORED_CALLS:
            why = retried(text, flags)
        if why is None:
            why = redos_dot.unescaped_dot(text, flags)
        if why is not None:
            yield Hit(node.start_byte, node.end_byte, f"The pattern has {why}.")
