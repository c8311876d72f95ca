"""Grammars and parsing for the tree-sitter scanner: which grammar reads which language, a
time-bounded parse for the grammars `reviewbot.lang.syntax` does not know yet, and the bracket-depth
pre-check that keeps a hostile file away from the parser.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Any

from reviewbot.lang.base import syntax_support_for
from reviewbot.lang.syntax import parse_within

if TYPE_CHECKING:
    from tree_sitter import Language, Tree

# Grammars by reviewbot language name (languages.py). Those reviewbot.lang.syntax knows are parsed
# through it; the others here, with the same time budget.
GRAMMAR_MODULES = {
    "python": "tree_sitter_python",
    "github-workflow": "tree_sitter_yaml",
    "javascript": "tree_sitter_javascript",
    "typescript": "tree_sitter_typescript",  # language_typescript()
    "tsx": "tree_sitter_typescript",  # language_tsx()
}
PARSED_BY_SYNTAX = frozenset({"python", "javascript", "typescript", "tsx"})
# A rules folder whose rules may also name these languages (`languages: [javascript, typescript,
# tsx]`): one rule for the family, as semgrep's JavaScript rules run on TypeScript too.
FAMILIES = {"javascript": frozenset({"javascript", "typescript", "tsx"})}
# Languages read without a grammar (languages.py): only byte-level checks (`needs_tree=False`) run on them.
BYTES_ONLY = frozenset({"template", "ejs", "pug", "handlebars", "vue"})


@cache
def grammar(language: str) -> Language:
    from tree_sitter import Language

    syntax = syntax_support_for(language) if language in PARSED_BY_SYNTAX else None
    if syntax is not None:  # one place says which function of a wheel is the grammar
        return Language(syntax.grammar())
    module = importlib.import_module(GRAMMAR_MODULES[language])
    return Language(module.language())


def parse_bounded(source: bytes, language: str, parsers: dict[str, Any], budget: float) -> Tree | None:
    """syntax.parse for a grammar reviewbot.lang.syntax does not know yet; same budget and contract."""
    from tree_sitter import Parser

    parser = parsers.get(language)
    if parser is None:
        parser = parsers[language] = Parser(grammar(language))
    return parse_within(parser, source, budget)


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"()[]{}")
_OPENERS = frozenset(b"([{")


def max_nesting(source: bytes, limit: int) -> int:
    """The deepest bracket nesting in `source` (strings and comments included), up to limit + 1."""
    depth = deepest = 0
    for b in source.translate(None, _NOT_BRACKETS):
        if b in _OPENERS:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif depth:
            depth -= 1
    return deepest
