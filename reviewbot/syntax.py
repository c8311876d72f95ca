"""Parsing with tree-sitter, bounded, and the two facts the fingerprint needs from a tree.

Grammars come from the per-language wheels (never downloaded at run time). A parse is cut off
after `PARSE_BUDGET_SECONDS`; a cut-off or unknown language yields None and callers fall back to
text, so hostile input costs a note, never a hang.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Tree

PARSE_BUDGET_SECONDS = 2.0

# Node types that open a named scope, and the child field holding the name, per language.
_SCOPE_TYPES: dict[str, dict[str, str]] = {
    "python": {"function_definition": "name", "class_definition": "name"},
}
_COMMENT_TYPES = frozenset({"comment"})


@cache
def _parser(language: str) -> Parser | None:
    # Imported lazily: a run that needs no parse should not pay for loading grammars.
    from tree_sitter import Language, Parser

    if language == "python":
        import tree_sitter_python

        return Parser(Language(tree_sitter_python.language()))
    return None


@dataclass(frozen=True)
class ParsedFile:
    language: str
    source: bytes
    tree: Tree


def parse(source: bytes, language: str | None) -> ParsedFile | None:
    """Parse `source`, or None when there is no grammar or the parse ran out of time."""
    if language is None:
        return None
    parser = _parser(language)
    if parser is None:
        return None
    deadline = time.monotonic() + PARSE_BUDGET_SECONDS

    def over_budget(_offset: int, _has_error: bool) -> bool:
        return time.monotonic() > deadline

    def read(byte_offset: int, _point: tuple[int, int]) -> bytes:
        return source[byte_offset : byte_offset + 65536]

    try:
        tree = parser.parse(read, progress_callback=over_budget)
    except ValueError:  # tree-sitter's way of saying the progress callback cancelled the parse
        return None
    return ParsedFile(language, source, tree)


def tokens_in_range(parsed: ParsedFile, start_byte: int, end_byte: int) -> list[str]:
    """The text of every leaf token overlapping [start_byte, end_byte), comments left out.

    Whitespace and indentation are not tokens in a tree-sitter tree, so re-indenting or
    re-wrapping code leaves this sequence unchanged.
    """
    out: list[str] = []
    stack: list[Node] = [parsed.tree.root_node]
    while stack:
        node = stack.pop()
        if node.end_byte <= start_byte or node.start_byte >= end_byte:
            continue
        if node.type in _COMMENT_TYPES:
            continue
        if node.child_count == 0:
            if node.end_byte > node.start_byte:
                out.append(parsed.source[node.start_byte : node.end_byte].decode("utf-8", "replace"))
            continue
        stack.extend(reversed(node.children))
    return out


def enclosing_scope(parsed: ParsedFile, start_byte: int, end_byte: int) -> str:
    """Dotted names of the functions and classes around a byte range, outermost first.

    "<module>" when the range is at top level.
    """
    scope_types = _SCOPE_TYPES.get(parsed.language, {})
    node: Node | None = parsed.tree.root_node.descendant_for_byte_range(start_byte, end_byte)
    names: list[str] = []
    while node is not None:
        field = scope_types.get(node.type)
        if field is not None:
            name_node = node.child_by_field_name(field)
            if name_node is not None:
                names.append(parsed.source[name_node.start_byte : name_node.end_byte].decode("utf-8", "replace"))
        node = node.parent
    return ".".join(reversed(names)) or "<module>"
