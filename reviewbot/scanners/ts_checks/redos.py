"""`regex-catastrophic-backtracking`: regular expression literals in Python code whose matching
time can grow exponentially with the input (ReDoS, CWE-1333). JavaScript's literals are
js_redos.py's, with this module's analysis (`catastrophic`); the check of both is registered there.

The pattern is parsed with Python's own regex parser (`re._parser`) and two shapes are reported,
the ones that make a backtracking engine try exponentially many ways to split the same text:

* a repeat inside an unbounded repeat with nothing between them that the inner one cannot
  match: `(a+)+`, `(\\w+\\s?)*`, `(\\s*\\w+)*`; `(\\d+_)*` is not reported, since every turn
  of the outer repeat must end with `_`, which `\\d` cannot match;
* alternatives under an unbounded repeat where one alternative can be spelled by repeating the
  one-character alternatives: `(\\r\\n|\\r|\\n)+`, `'(\\\\\\\\|[^'])*'`, `(a|a)*`; `(?:[^'\\\\]|\\\\.)*`
  is not (the escape alternative starts with the one character the other excludes).

A repeat inside an optional or fixed-count part of the outer repeat's body counts as one in the
body itself: `(v([ v]+v)?)*` splits `vvvv` as freely as `(v+)*` (waitress's header-field
pattern); `(a(b+a)?)*` does not, `a` fences the inner repeat.

Which literals: the first argument of a `re`/`regex` call (`re.compile(r"...")`, `re.match(P, s)`
where `P` is a module constant, also one built from literals and other module constants with
`+`, through a one-argument conversion such as `tobytes(...)` or `.encode()`: reported at the
call, where input meets it), and raw-string
literals elsewhere (`(r"...", Token)` tables fed to a compiler), which in Python are almost
always regular expressions. Docstrings, f-strings and patterns that do not parse are skipped.
Polynomial backtracking (`\\s*x\\s*$`) is not claimed.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_checks.pattern_constants import folded
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

# `re._parser` (3.11+) or `sre_parse` (3.10); private but stable, and the only exact parser of
# Python's regex syntax. Loaded by name: the module's API is untyped to mypy.
_PARSER: Any = importlib.import_module("re._parser" if hasattr(re, "_parser") else "sre_parse")
_C: Any = _PARSER  # the opcode constants are re-exported by the parser module
MAX_PATTERN_CHARS = 5000  # longer literals are data, not patterns worth the parse
_RE_MODULES = frozenset({"re", "regex"})
_RE_FUNCTIONS = frozenset({"compile", "match", "search", "fullmatch", "findall", "finditer", "sub", "subn", "split"})

_QUERIES = {
    "python": """
(call function: (attribute object: (identifier) @mod attribute: (identifier) @fn)
      arguments: (argument_list . (_) @pattern)) @call
(module (expression_statement (assignment left: (identifier) @const
  right: [(string) (concatenated_string) (binary_operator) (call)] @value)))
(string) @string
""",
}


@dataclass(frozen=True)
class _Chars:
    """A set of characters: `chars`, or everything but `chars` when `negated`."""

    negated: bool
    chars: frozenset[int]

    def union(self, other: _Chars) -> _Chars:
        if not self.negated and not other.negated:
            return _Chars(False, self.chars | other.chars)
        if self.negated and other.negated:
            return _Chars(True, self.chars & other.chars)
        pos, neg = (self, other) if other.negated else (other, self)
        return _Chars(True, neg.chars - pos.chars)

    def meets(self, other: _Chars) -> bool:
        if self.negated and other.negated:
            return True
        if not self.negated and not other.negated:
            return bool(self.chars & other.chars)
        pos, neg = (self, other) if other.negated else (other, self)
        return bool(pos.chars - neg.chars)


_NOTHING = _Chars(False, frozenset())
_ANYTHING = _Chars(True, frozenset())
_SAMPLE = range(0x300)  # Latin and its diacritics: enough to tell the classes apart


def _category(escape: str) -> _Chars:
    return _Chars(False, frozenset(c for c in _SAMPLE if re.match(escape, chr(c))))


_CATEGORIES = {
    _C.CATEGORY_DIGIT: _category(r"\d"),
    _C.CATEGORY_SPACE: _category(r"\s"),
    _C.CATEGORY_WORD: _category(r"\w"),
}
_NOT_CATEGORIES = {_C.CATEGORY_NOT_DIGIT: _C.CATEGORY_DIGIT, _C.CATEGORY_NOT_SPACE: _C.CATEGORY_SPACE,
                   _C.CATEGORY_NOT_WORD: _C.CATEGORY_WORD}  # fmt: skip
_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT)  # possessive repeats and atomic groups do not backtrack


def _literal(code: int, flags: int) -> frozenset[int]:
    if not flags & re.IGNORECASE:
        return frozenset({code})
    ch = chr(code)
    return frozenset({code, ord(ch.lower()[0]), ord(ch.upper()[0])})


def _class(items: list[Any], flags: int) -> _Chars:
    found, negate = _NOTHING, False
    for op, av in items:
        if op is _C.NEGATE:
            negate = True
        elif op is _C.LITERAL:
            found = found.union(_Chars(False, _literal(av, flags)))
        elif op is _C.RANGE:
            found = found.union(_Chars(False, frozenset(range(av[0], min(av[1], 0x10FFFF) + 1))))
        elif op is _C.CATEGORY and av in _CATEGORIES:
            found = found.union(_CATEGORIES[av])
        elif op is _C.CATEGORY and av in _NOT_CATEGORIES:
            found = found.union(_Chars(True, _CATEGORIES[_NOT_CATEGORIES[av]].chars))
        else:
            return _ANYTHING  # unknown class item: assume it can match anything
    return _Chars(not found.negated, found.chars) if negate else found


def _single(op: Any, av: Any, flags: int) -> _Chars | None:
    """The characters a one-character item matches, or None if it is not one."""
    if op is _C.LITERAL:
        return _Chars(False, _literal(av, flags))
    if op is _C.NOT_LITERAL:
        return _Chars(True, _literal(av, flags))
    if op is _C.ANY:
        return _ANYTHING if flags & re.DOTALL else _Chars(True, frozenset({10}))
    if op is _C.IN:
        return _class(av, flags)
    return None


def _flat(seq: Any) -> list[tuple[Any, Any]]:
    """A sequence with its groups opened: a group matches exactly once, like its content."""
    out: list[tuple[Any, Any]] = []
    for op, av in seq:
        if op is _C.SUBPATTERN:
            out += _flat(av[-1])
        else:
            out.append((op, av))
    return out


def _chars_of(seq: Any, flags: int) -> _Chars:
    """Every character some part of `seq` can match (anything, where it cannot tell)."""
    found = _NOTHING
    for op, av in _flat(seq):
        one = _single(op, av, flags)
        if one is not None:
            found = found.union(one)
        elif op in _REPEATS:
            found = found.union(_chars_of(av[2], flags))
        elif op is _C.BRANCH:
            for branch in av[1]:
                found = found.union(_chars_of(branch, flags))
        elif op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue  # zero-width
        else:
            return _ANYTHING
    return found


def _guards(op: Any, av: Any, inner: _Chars, flags: int) -> bool:
    """Whether the item must consume a character `inner` cannot match (so the split is fixed)."""
    one = _single(op, av, flags)
    if one is not None:
        return not one.meets(inner)
    if op in _REPEATS and av[0] >= 1:
        return any(_guards(o, a, inner, flags) for o, a in _flat(av[2]))
    if op is _C.BRANCH:
        return all(any(_guards(o, a, inner, flags) for o, a in _flat(alt)) for alt in av[1])
    return False


def _unbounded(op: Any, av: Any) -> bool:
    return op in _REPEATS and av[1] == _C.MAXREPEAT


def _ambiguous_body(seq: Any, outer: list[tuple[Any, Any]], flags: int) -> str | None:
    """Why one turn of an unbounded repeat over `seq` can split the same text many ways."""
    items = _flat(seq)
    for n, (op, av) in enumerate(items):
        if op in _REPEATS and av[0] < av[1] and av[1] > 1:  # a repeat of variable count
            inner = _chars_of(av[2], flags)
            others = items[:n] + items[n + 1 :] + outer
            if not any(_guards(o, a, inner, flags) for o, a in others):
                return "a repeat nested in an unbounded repeat, with nothing between them the inner one cannot match"
        elif op in _REPEATS:
            # an optional or fixed-count part (`(x[ x]+)?`, `{,1}`): a variable repeat inside it
            # splits the outer repeat's text as freely as one directly in the body
            why = _ambiguous_body(av[2], items[:n] + items[n + 1 :] + outer, flags)
            if why is not None:
                return why
        elif op is _C.BRANCH:
            for branch in av[1]:
                why = _ambiguous_body(branch, items + outer, flags)
                if why is not None:
                    return why
    if len(items) == 1 and items[0][0] is _C.BRANCH:
        return _overlapping_alternatives(items[0][1][1], flags)
    return None


def _overlapping_alternatives(branches: list[Any], flags: int) -> str | None:
    """Alternatives (under an unbounded repeat) that can match the same text in two ways."""
    shapes = [[_single(op, av, flags) for op, av in _flat(b)] for b in branches]
    singles = [s[0] for s in shapes if len(s) == 1 and s[0] is not None]
    if not singles:
        return None
    for n, one in enumerate(singles):
        if any(one.meets(other) for other in singles[n + 1 :]):
            return "alternatives under an unbounded repeat that match the same character"
    spell = singles[0]
    for one in singles[1:]:
        spell = spell.union(one)
    for parts in shapes:
        if len(parts) > 1 and all(p is not None and p.meets(spell) for p in parts):
            return "alternatives under an unbounded repeat, one of which the others can spell character by character"
    return None


def catastrophic(pattern: str | bytes, flags: int = 0) -> str | None:
    """Why `pattern` can backtrack exponentially, or None (also for a pattern that does not parse)."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return None
    text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
    try:
        parsed = _PARSER.parse(text, flags)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError):
        return None
    return _search(list(parsed), parsed.state.flags)


def _search(seq: list[Any], flags: int) -> str | None:
    for op, av in seq:
        if _unbounded(op, av):
            why = _ambiguous_body(av[2], [], flags)
            if why is not None:
                return why
        for child in _children(op, av):
            why = _search(child, flags)
            if why is not None:
                return why
    return None


def _children(op: Any, av: Any) -> list[list[Any]]:
    if op in _REPEATS:
        return [list(av[2])]
    if op is _C.SUBPATTERN:
        return [list(av[-1])]
    if op is _C.BRANCH:
        return [list(b) for b in av[1]]
    if op in (_C.ASSERT, _C.ASSERT_NOT):
        return [list(av[1])]
    return []


def _literal_value(node: Node, source: bytes) -> str | bytes | None:
    """The value of a string literal (or adjacent ones), or None for f-strings and odd shapes."""
    text = source[node.start_byte : node.end_byte]
    if len(text) > MAX_PATTERN_CHARS * 2 or any(c.type == "interpolation" for c in _strings(node) for c in c.children):
        return None
    try:
        value = ast.literal_eval("(" + text.decode("utf-8") + "\n)")
    except (ValueError, SyntaxError, UnicodeDecodeError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, (str, bytes)) else None


def _strings(node: Node) -> list[Node]:
    return [node] if node.type == "string" else [c for c in node.children if c.type == "string"]


def _is_raw(node: Node, source: bytes) -> bool:
    start = node.children[0] if node.children else None
    if start is None or start.type != "string_start":
        return False
    return b"r" in source[start.start_byte : start.end_byte].lower()


def _flags(call: Node, source: bytes) -> int:
    """re.X / re.I / re.S when the call's other arguments name them (a cheap, textual reading)."""
    text = source[call.start_byte : call.end_byte].decode("utf-8", "replace")
    flags = 0
    if re.search(r"\bVERBOSE\b|\.X\b|\(\?[a-zA-Z]*x", text):
        flags |= re.VERBOSE
    if re.search(r"\bIGNORECASE\b|\.I\b", text):
        flags |= re.IGNORECASE
    if re.search(r"\bDOTALL\b|\.S\b", text):
        flags |= re.DOTALL
    return flags


def _text(node: Node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def patterns(ctx: FileContext) -> Iterator[tuple[Node, str | bytes, int, str | None]]:
    """Each constant pattern the file gives `re`/`regex` or writes as a raw string: the node to
    report, its value, its flags and the `re` function it is given to (None for a raw string)."""
    constants: dict[str, Node] = {}
    calls: list[tuple[Node, Node, str]] = []
    strings: list[Node] = []
    for captures in CHECK.matches(ctx):
        if "const" in captures:
            constants.setdefault(_text(captures["const"][0], ctx.source), captures["value"][0])
        elif "call" in captures:
            mod, fn = _text(captures["mod"][0], ctx.source), _text(captures["fn"][0], ctx.source)
            if mod in _RE_MODULES and fn in _RE_FUNCTIONS:
                calls.append((captures["call"][0], captures["pattern"][0], fn))
        elif "string" in captures:
            strings.append(captures["string"][0])
    done: set[int] = set()  # literals already judged as a call's pattern
    for call, arg, fn in calls:
        if ctx.deadline.passed():
            return
        while arg.type == "comment" and arg.next_named_sibling is not None:
            arg = arg.next_named_sibling
        literal = constants.get(_text(arg, ctx.source)) if arg.type == "identifier" else arg
        if literal is None:
            continue
        if literal.type in ("string", "concatenated_string"):
            done.update(s.start_byte for s in _strings(literal))
        value = folded(literal, ctx.source, constants, _literal_value)
        if value is not None:
            yield arg, value, _flags(call, ctx.source), fn
    for node in strings:
        if ctx.deadline.passed():
            return
        if node.start_byte in done or not _is_raw(node, ctx.source) or _is_docstring(node):
            continue
        value = _literal_value(node, ctx.source)
        if value is not None:
            yield node, value, _written_verbose(node, value, ctx.source), None


def check_redos(ctx: FileContext) -> Iterator[Hit]:
    for node, value, flags, _fn in patterns(ctx):
        why = catastrophic(value, flags)
        if why is not None:
            yield Hit(node.start_byte, node.end_byte, f"The pattern has {why}.")


_VERBOSE_COMMENT = re.compile(r"[ \t]#[^\n]*\n")


def _written_verbose(node: Node, value: str | bytes, source: bytes) -> int:
    """re.VERBOSE for a triple-quoted raw string laid out as a verbose pattern (a `# comment` at
    the end of a line): the flag is given where the pattern is compiled, which is not here."""
    start = source[node.start_byte : node.start_byte + 5].lstrip(b"rbuRBU")
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    triple = start.startswith((b'"""', b"'''"))
    return re.VERBOSE if triple and "\n" in text and _VERBOSE_COMMENT.search(text) else 0


def _is_docstring(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type == "expression_statement" and parent.named_child_count == 1


CHECK = Check(
    "regex-catastrophic-backtracking",
    needs_tree=True,
    languages=frozenset(_QUERIES),
    run=check_redos,
    queries=_QUERIES,
)
