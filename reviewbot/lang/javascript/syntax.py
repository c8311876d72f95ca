"""JavaScript, TypeScript and TSX syntax: the grammars (the pinned `tree-sitter-javascript` and
`tree-sitter-typescript` wheels) and the node types the fingerprint and the tree-sitter rules read.

Three languages, one family: `.js .mjs .cjs .jsx` are javascript (its grammar reads JSX),
`.ts .mts .cts` typescript, `.tsx` tsx (TypeScript's TSX grammar: `<T>x` casts are JSX there, so
a `.ts` file is never read with it). `support` builds the family's `LanguageSupport`s on these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# Named scopes, as Python's `def`/`class`: the node type -> the field holding its name. An arrow
# function or an anonymous function expression has no name of its own, so code in it belongs to
# the named scope around it (`<module>` for an Express handler passed to `app.get`).
_SCOPES = MappingProxyType(
    {
        "function_declaration": "name",
        "generator_function_declaration": "name",
        "function_expression": "name",
        "class_declaration": "name",
        "abstract_class_declaration": "name",  # TypeScript
        "class": "name",
        "method_definition": "name",
        "internal_module": "name",  # TypeScript `namespace X {}`
    }
)


def _javascript() -> object:
    import tree_sitter_javascript

    return tree_sitter_javascript.language()


def _typescript() -> object:
    import tree_sitter_typescript

    return tree_sitter_typescript.language_typescript()


def _tsx() -> object:
    import tree_sitter_typescript

    return tree_sitter_typescript.language_tsx()


@dataclass(frozen=True)
class JavaScriptSyntax:
    """One dialect of the family; satisfies `reviewbot.lang.base.SyntaxSupport`."""

    name: str
    _grammar: Callable[[], object]
    # `html_comment` is the `<!--` line comment the JavaScript grammar still knows (Annex B).
    comment_types: frozenset[str] = frozenset({"comment", "html_comment"})
    scope_name_fields: Mapping[str, str] = field(default_factory=lambda: _SCOPES)

    def grammar(self) -> object:
        return self._grammar()


JAVASCRIPT = JavaScriptSyntax("javascript", _javascript)
TYPESCRIPT = JavaScriptSyntax("typescript", _typescript)
TSX = JavaScriptSyntax("tsx", _tsx)
FAMILY = (JAVASCRIPT.name, TYPESCRIPT.name, TSX.name)

__all__ = ["FAMILY", "JAVASCRIPT", "TSX", "TYPESCRIPT", "JavaScriptSyntax"]
