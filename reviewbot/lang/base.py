"""The vocabulary every language shares, and the protocol each language module implements.

A language module (the `reviewbot/lang/python/` package today; Java and Go later) exposes `SUPPORT`,
an object satisfying `LanguageSupport`:

* its grammar (`grammar()`, imported lazily from the language's wheel) and the node type names
  the generic code needs: functions, classes, calls, strings, comments, loops;
* what it knows: request/input sources, sanitizers and validation guards (`known`);
* readers for a call's callee and arguments and for a function's decorators and parameters;
* `analyzer(source, root)`: the per-file object that answers the flow questions (where a value
  comes from, which sanitizers it went through, whether a node is reachable). Those need the
  language's statements and expressions, so each language implements them; the vocabulary of
  the answers (`Flow`, written in `facts.Provenance`) is shared, so the context a scorer sees is
  the same shape for every language.

A language whose context service is not built yet has only a `SyntaxSupport` (grammar, comment
and scope node types), registered in `_SYNTAX_ONLY`: its files are parsed, fingerprinted and read
by the tree-sitter rules; `context_for` says it has no context. None is, today: JavaScript,
TypeScript and TSX (`reviewbot/lang/javascript/`) have a context service like Python's.

Nothing here imports tree-sitter at module import time.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol

from reviewbot.lang.facts import Provenance

if TYPE_CHECKING:
    from tree_sitter import Node

# language name -> (module under reviewbot.lang, its LanguageSupport object: the context service)
_MODULES = {
    "python": ("reviewbot.lang.python", "SUPPORT"),
    "javascript": ("reviewbot.lang.javascript", "JAVASCRIPT"),
    "typescript": ("reviewbot.lang.javascript", "TYPESCRIPT"),
    "tsx": ("reviewbot.lang.javascript", "TSX"),
}
# language name -> (module, object) of its syntax only (grammar, comments, scopes): languages the
# fingerprint and the tree-sitter rules read, whose context service is not built yet.
_SYNTAX_ONLY: dict[str, tuple[str, str]] = {}


@dataclass(frozen=True)
class Flow:
    """What an expression's value is derived from, within one function.

    `sources` labels each request source or parameter the value came from (`request.args`,
    `parameter:name`); `sanitizers` names each sanitizer call on the way (`shlex.quote`);
    `names` are the local variables the value flowed through (guards on them are sanitizers).
    """

    provenance: Provenance
    sources: tuple[str, ...] = ()
    sanitizers: tuple[str, ...] = ()
    names: frozenset[str] = frozenset()

    def join(self, other: Flow) -> Flow:
        stronger = self.provenance if self.provenance.rank >= other.provenance.rank else other.provenance
        return Flow(
            stronger,
            _union(self.sources, other.sources),
            _union(self.sanitizers, other.sanitizers),
            self.names | other.names,
        )


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    if not b:
        return a
    if not a:
        return b
    return a + tuple(x for x in b if x not in a)


class Budget:
    """A cap on the work one context computation may do: node visits and wall-clock time.

    Every walk calls `spend()`; once it returns False the walk stops and the result is partial.
    """

    def __init__(self, steps: int, seconds: float) -> None:
        self.steps = steps
        self.deadline = time.monotonic() + seconds
        self.exhausted = False
        self._until_clock = 256

    def spend(self, n: int = 1) -> bool:
        if self.exhausted:
            return False
        self.steps -= n
        self._until_clock -= n
        if self._until_clock <= 0:
            self._until_clock = 256
            if time.monotonic() > self.deadline:
                self.exhausted = True
                return False
        if self.steps < 0:
            self.exhausted = True
            return False
        return True


@dataclass(frozen=True)
class CallArgument:
    """One argument of a call: its 0-based position, or its keyword (`*`/`**` for splats)."""

    position: int | None
    keyword: str | None
    node: Node


@dataclass(frozen=True)
class FunctionFacts:
    name: str
    decorators: tuple[str, ...]
    parameters: tuple[str, ...]
    is_async: bool
    is_request_handler: bool


@dataclass(frozen=True)
class KnownNames:
    """What a language module recognises, as documented names (for docs, tests and review)."""

    sources: tuple[str, ...]
    sanitizers: tuple[str, ...]
    guards: tuple[str, ...]


ModuleReader = Callable[[str], "bytes | None"]
"""Reads a repository-relative path (`pkg/mod.py`) of the version under review; None if absent."""


class Analyzer(Protocol):
    """Per-file flow questions; may cache per-file indexes between calls."""

    def use_modules(self, read: ModuleReader | None) -> None:
        """Let the answers look into the repository's other files through `read` (None: not)."""
        ...

    def qualified(self, callee: str, at: Node, budget: Budget) -> str:
        """The callee with import aliases resolved (`sp.call` -> `subprocess.call`)."""
        ...

    def value(self, expr: Node, budget: Budget) -> Flow:
        """Where the value of `expr` comes from, following local assignments in its function."""
        ...

    def guards(self, node: Node, budget: Budget) -> list[tuple[str, frozenset[str]]]:
        """Validation guards that dominate `node`: (kind, names of the variables checked)."""
        ...

    def reachability(self, node: Node, budget: Budget) -> tuple[bool, str]:
        """(False, why) when `node` can never run; (True, "") otherwise."""
        ...

    def placement(self, node: Node, function: Node | None) -> tuple[bool, bool, bool]:
        """(in_loop, in_try, in_except) between `node` and its enclosing function."""
        ...


class SyntaxSupport(Protocol):
    """What parsing and the fingerprint need of a language: its grammar, comments and scopes."""

    name: str
    comment_types: frozenset[str]
    # Node types that open a named scope (functions and classes) -> the field holding the name.
    scope_name_fields: Mapping[str, str]

    def grammar(self) -> object:
        """The tree-sitter language object (imported lazily)."""
        ...


class LanguageSupport(SyntaxSupport, Protocol):
    function_types: frozenset[str]
    class_types: frozenset[str]
    call_types: frozenset[str]
    string_types: frozenset[str]
    loop_types: frozenset[str]
    known: KnownNames

    def callee(self, call: Node, source: bytes) -> str | None:
        """Dotted text of what is called (`subprocess.call`), None when it is not a dotted name."""
        ...

    def arguments(self, call: Node, source: bytes) -> list[CallArgument]: ...

    def function_facts(self, function: Node, source: bytes) -> FunctionFacts: ...

    def analyzer(self, source: bytes, root: Node) -> Analyzer: ...


@cache
def support_for(language: str) -> LanguageSupport | None:
    """The support module of `language`, or None when reviewbot has none."""
    found = _MODULES.get(language)
    if found is None:
        return None
    support: LanguageSupport = getattr(importlib.import_module(found[0]), found[1])
    return support


@cache
def syntax_support_for(language: str) -> SyntaxSupport | None:
    """The syntax of `language` (every language with a context service has one), or None."""
    found = _SYNTAX_ONLY.get(language)
    if found is None:
        return support_for(language)
    syntax: SyntaxSupport = getattr(importlib.import_module(found[0]), found[1])
    return syntax
