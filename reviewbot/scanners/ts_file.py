"""One file as the tree-sitter rules see it: its bytes, its tree (None for the byte-level pass),
the clock its rules share, the bounded way to run a query over it, and the `Hit` a rule reports.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from tree_sitter import Node, Query, Tree


@dataclass(frozen=True)
class Hit:
    start_byte: int
    end_byte: int
    detail: str | None = None  # said before the rule's message


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.hit = False

    def passed(self) -> bool:
        if not self.hit and time.monotonic() > self.at:
            self.hit = True
        return self.hit


@dataclass
class FileContext:
    """What a rule sees of one file. `tree` is None for the byte-level pass.

    `chunk_bytes` and `match_limit` bound every query run through `matches` (the scanner passes
    its `QUERY_CHUNK_BYTES` and `QUERY_MATCH_LIMIT`).
    """

    path: str
    language: str
    source: bytes
    tree: Tree | None
    deadline: Deadline
    chunk_bytes: int
    match_limit: int
    match_limit_exceeded: bool = False

    def matches(self, query: Query) -> Iterator[dict[str, list[Node]]]:
        """The query's matches over the whole tree, bounded: byte-range chunks, clock, match_limit.

        No progress callback: in py-tree-sitter 0.26.1 `QueryCursor.matches(progress_callback=)`
        keeps a pointer to a struct that has gone out of scope and crashes the process (seen on
        Python and YAML trees). The clock is read between chunks instead.
        """
        from tree_sitter import QueryCursor

        if self.tree is None or not self.source:
            return
        cursor = QueryCursor(query, match_limit=self.match_limit)

        def unknown_predicate(
            predicate: str,
            args: list[tuple[str, Literal["capture", "string"]]],
            pattern_index: int,
            captures: dict[str, list[Node]],
        ) -> bool:
            return False  # never reached: rules are checked for supported predicates when loaded

        root = self.tree.root_node
        seen: set[tuple[Any, ...]] = set()
        size = len(self.source)
        for start in range(0, size, self.chunk_bytes):
            if self.deadline.passed():
                return
            cursor.set_byte_range(start, min(size, start + self.chunk_bytes))
            found = cursor.matches(root, unknown_predicate)
            if cursor.did_exceed_match_limit:
                self.match_limit_exceeded = True
            for pattern, captures in found:
                # A match that spans two chunks is found in both.
                key = (pattern, *sorted((n, c.start_byte, c.end_byte) for n, cs in captures.items() for c in cs))
                if key not in seen:
                    seen.add(key)
                    yield captures

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")
