"""`regex-catastrophic-backtracking` for JavaScript and TypeScript: the regular expressions a file
writes as literals, judged by the same analysis as Python's (`redos.catastrophic`) and one more
exponential shape (`redos_shapes.split_turns`); and `regex-polynomial-backtracking`, their
quadratic shapes (`redos_shapes.polynomial`); Python's are redos_polynomial.py's, registered
here as the same check.

Which patterns: regex literals (`/^(a+)+$/i`) and the string literal a `RegExp(...)` /
`new RegExp(...)` call is given first (a constant pattern; one built at run time is the semgrep
rule `javascript.dos.non-literal-regexp`'s). JavaScript's syntax is read by Python's regex parser:
the two agree on what the analysis looks at (classes, groups, repeats, alternatives, `\\d \\w \\s`);
`(?<name>...)` is read as `(?P<name>...)`, and a pattern Python cannot parse (`[^]`, `\\p{...}`
under `u`) is skipped, never guessed at. Flags: `i` is IGNORECASE, `s` is DOTALL; `v`, `u`, `g`,
`m`, `y`, `d` change nothing the analysis reads. JavaScript's engines backtrack as Python's does
(V8's experimental linear engine is off by default).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reviewbot.lang.javascript.syntax import FAMILY
from reviewbot.scanners.ts_checks import redos, redos_polynomial, redos_shapes
from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

_QUERY = """
(regex pattern: (regex_pattern) @pattern) @regex
(call_expression function: (identifier) @ctor arguments: (arguments . (string) @string)) @call
(new_expression constructor: (identifier) @ctor arguments: (arguments . (string) @string)) @call
"""


def _flags(text: str) -> int:
    flags = 0
    if "i" in text:
        flags |= re.IGNORECASE
    if "s" in text:
        flags |= re.DOTALL
    return flags


def _string_value(text: str) -> str | None:
    """A plain JS string literal's value (no template, no escapes JSON would read otherwise)."""
    if len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0]:
        return None
    body = text[1:-1]
    if text[0] == "'":
        body = body.replace('\\"', '"').replace('"', '\\"').replace("\\'", "'")
    try:
        value = json.loads('"' + body + '"')
    except ValueError:
        return None  # an escape JSON does not have (\x41, \v, \0, a line continuation): skipped
    return value if isinstance(value, str) else None


def patterns(ctx: FileContext) -> Iterator[tuple[Node, str, int]]:
    """Each constant pattern the file writes: its node, its text and its `re` flags."""
    for captures in CHECK.matches(ctx):
        if ctx.deadline.passed():
            return
        if "regex" in captures:
            node, pattern = captures["regex"][0], captures["pattern"][0]
            flag_node = node.child_by_field_name("flags")
            flags = _flags(ctx.source[flag_node.start_byte : flag_node.end_byte].decode()) if flag_node else 0
            value: str | None = ctx.source[pattern.start_byte : pattern.end_byte].decode("utf-8", "replace")
        else:
            ctor = ctx.source[captures["ctor"][0].start_byte : captures["ctor"][0].end_byte]
            if ctor != b"RegExp":
                continue
            node = captures["string"][0]
            value = _string_value(ctx.source[node.start_byte : node.end_byte].decode("utf-8", "replace"))
            flags = 0
            call = captures["call"][0]
            args = call.child_by_field_name("arguments")
            second = args.named_children[1] if args is not None and len(args.named_children) > 1 else None
            if second is not None and second.type == "string":
                flags = _flags(ctx.source[second.start_byte : second.end_byte].decode("utf-8", "replace"))
        if value is not None:
            yield node, redos_shapes.from_javascript(value), flags


def _check_js(ctx: FileContext) -> Iterator[Hit]:
    for node, value, flags in patterns(ctx):
        why = redos.catastrophic(value, flags) or redos_shapes.split_turns(value, flags)
        if why is not None:
            yield Hit(node.start_byte, node.end_byte, f"The pattern has {why}.")


def _check_polynomial(ctx: FileContext) -> Iterator[Hit]:
    if ctx.language not in FAMILY:
        yield from redos_polynomial.check_polynomial(ctx)
        return
    for node, value, flags in patterns(ctx):
        # An exponential pattern is the other rule's, reported once.
        if redos.catastrophic(value, flags) or redos_shapes.split_turns(value, flags):
            continue
        why = redos_shapes.polynomial(value, flags)
        if why is not None:
            yield Hit(node.start_byte, node.end_byte, f"The pattern has {why}.")


def _check(ctx: FileContext) -> Iterator[Hit]:
    yield from (_check_js(ctx) if ctx.language in FAMILY else redos.check_redos(ctx))


# One check for both languages, so one name (`check: regex-catastrophic-backtracking`) in either rule.
CHECK = Check(
    redos.CHECK.name,
    needs_tree=True,
    languages=frozenset({*(redos.CHECK.languages or ()), *FAMILY}),
    run=_check,
    queries={**redos.CHECK.queries, **dict.fromkeys(FAMILY, _QUERY)},
)

# Polynomial shapes (redos_shapes.polynomial; in Python also redos_polynomial.retried): a rule
# of their own, since they cost seconds on long input rather than minutes on short, and their fix
# differs (bound a repeat, or the input).
POLYNOMIAL = Check(
    "regex-polynomial-backtracking",
    needs_tree=True,
    languages=frozenset({*(redos.CHECK.languages or ()), *FAMILY}),
    run=_check_polynomial,
    queries={**redos.CHECK.queries, **dict.fromkeys(FAMILY, _QUERY)},
)
