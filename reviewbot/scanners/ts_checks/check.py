"""What a built-in check is: a name, the languages it supports, whether it needs the syntax tree,
the function that turns a file into hits, and the tree-sitter queries it runs (compiled once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from reviewbot.scanners.ts_file import FileContext, Hit
from reviewbot.scanners.ts_parse import grammar

if TYPE_CHECKING:
    from tree_sitter import Node, Query


@dataclass(frozen=True)
class Check:
    name: str
    needs_tree: bool
    languages: frozenset[str] | None  # None: any language (a byte-level check)
    run: Callable[[FileContext], Iterator[Hit]]
    queries: Mapping[str, str] = field(default_factory=dict)  # per language, compiled on first use

    def query(self, language: str) -> Query:
        return _check_query(self.name, language, self.queries[language])

    def matches(self, ctx: FileContext) -> Iterator[dict[str, list[Node]]]:
        """The matches of this check's query on the file's tree; none without a tree."""
        if ctx.tree is None:
            return iter(())
        return ctx.matches(self.query(ctx.language))


@cache
def _check_query(_check: str, language: str, text: str) -> Query:
    from tree_sitter import Query

    return Query(grammar(language), text)
