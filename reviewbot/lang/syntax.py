"""Parsing with tree-sitter, bounded, and the facts the fingerprint needs from a tree.

Grammars come from the per-language wheels (never downloaded at run time), through each
language's module under `reviewbot/lang/`. A parse is cut off after `PARSE_BUDGET_SECONDS`; a
cut-off or unknown language yields None and callers fall back to text, so hostile input costs a
note, never a hang.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewbot.lang.base import syntax_support_for

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Tree

PARSE_BUDGET_SECONDS = 2.0

_CLOSERS = frozenset({")", "]", "}"})


# A tree-sitter parser is not thread-safe (scanners run side by side): one per thread and language.
_local = threading.local()


def _parser(language: str) -> Parser | None:
    parsers: dict[str, Parser | None] | None = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    if language not in parsers:
        support = syntax_support_for(language)
        if support is None:
            parsers[language] = None
        else:
            # Imported lazily: a run that needs no parse should not pay for loading grammars.
            from tree_sitter import Language, Parser

            parsers[language] = Parser(Language(support.grammar()))
    return parsers[language]


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
    tree = parse_within(parser, source, PARSE_BUDGET_SECONDS)
    return ParsedFile(language, source, tree) if tree is not None else None


def parse_within(parser: Parser, source: bytes, budget: float) -> Tree | None:
    """`source` parsed by `parser`, or None when the parse took more than `budget` seconds."""
    deadline = time.monotonic() + budget

    def over_budget(_offset: int, _has_error: bool) -> bool:
        return time.monotonic() > deadline

    def read(byte_offset: int, _point: tuple[int, int]) -> bytes:
        return source[byte_offset : byte_offset + 65536]

    try:
        tree: Tree = parser.parse(read, progress_callback=over_budget)
    except ValueError:  # tree-sitter's way of saying the progress callback cancelled the parse
        # A cancelled parser keeps its state and would *resume* on the next call, whatever the
        # next source is: start the next parse afresh.
        parser.reset()
        return None
    return tree


def _comment_types(language: str) -> frozenset[str]:
    support = syntax_support_for(language)
    return support.comment_types if support is not None else frozenset()


def tokens_in_range(parsed: ParsedFile, start_byte: int, end_byte: int, limit: int | None = None) -> list[str]:
    """The text of every leaf token overlapping [start_byte, end_byte), comments left out.

    Whitespace and indentation are not tokens in a tree-sitter tree, so re-indenting or
    re-wrapping code leaves this sequence unchanged. With `limit`, at most that many tokens
    (the first ones) are returned and the walk stops there.
    """
    comments = _comment_types(parsed.language)
    out: list[str] = []
    stack: list[Node] = [parsed.tree.root_node]
    while stack:
        if limit is not None and len(out) >= limit:
            break
        node = stack.pop()
        if node.end_byte <= start_byte or node.start_byte >= end_byte:
            continue
        if node.type in comments:
            continue
        if node.child_count == 0:
            if node.end_byte > node.start_byte:
                out.append(parsed.source[node.start_byte : node.end_byte].decode("utf-8", "replace"))
            continue
        stack.extend(reversed(node.children))
    return out


def normalized_tokens(
    parsed: ParsedFile, start_byte: int, end_byte: int, limit: int | None = None
) -> tuple[list[str], bool]:
    """The fingerprint's token normalization: `tokens_in_range` less a comma right before a closer.

    Formatters add or drop that comma when they re-wrap a call. Returns (tokens, truncated):
    with `limit`, at most `limit` tokens, and truncated=True when the range had more.
    """
    probe = None if limit is None else limit + 2  # one more token decides a trailing comma
    raw = tokens_in_range(parsed, start_byte, end_byte, probe)
    tokens = [t for i, t in enumerate(raw) if not (t == "," and i + 1 < len(raw) and raw[i + 1] in _CLOSERS)]
    if limit is not None and (len(tokens) > limit or len(raw) == probe):
        return tokens[:limit], True
    return tokens, False


def ancestry(root: Node, node: Node) -> list[Node]:
    """The nodes from `root` down to `node`, both included.

    Walks down from the root: tree-sitter nodes keep no parent pointer, so each `node.parent`
    costs a walk from the root, and climbing a 10,000-deep tree with it takes seconds.
    """
    path = [root]
    cur = root
    while cur != node:
        nxt = cur.child_with_descendant(node)
        if nxt is None:  # not below root: keep what we have
            break
        path.append(nxt)
        cur = nxt
    return path


def enclosing_scope(parsed: ParsedFile, start_byte: int, end_byte: int) -> str:
    """Dotted names of the functions and classes around a byte range, outermost first.

    "<module>" when the range is at top level.
    """
    support = syntax_support_for(parsed.language)
    scope_types = support.scope_name_fields if support is not None else {}
    root = parsed.tree.root_node
    node = root.descendant_for_byte_range(start_byte, end_byte)
    names: list[str] = []
    for n in ancestry(root, node) if node is not None else []:
        field = scope_types.get(n.type)
        if field is not None:
            name_node = n.child_by_field_name(field)
            if name_node is not None:
                names.append(parsed.source[name_node.start_byte : name_node.end_byte].decode("utf-8", "replace"))
    return ".".join(names) or "<module>"
