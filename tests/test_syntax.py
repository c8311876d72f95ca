"""The syntax layer: what the fingerprint relies on stays identical; what the context adds is bounded."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import pytest

from reviewbot.lang import syntax
from reviewbot.lang.syntax import ParsedFile, ancestry, enclosing_scope, normalized_tokens, parse, tokens_in_range
from reviewbot.review.fingerprint import match_identity

SAMPLES = sorted((Path(__file__).parent.parent / "rulesets" / "semgrep" / "python").glob("*.py"))
BROKEN = b"class A:\n    def f(self, x:\n        return g(x,)\n\ndef h():\n    pass\n"


def _sample_files() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in SAMPLES] + [("broken.py", BROKEN)]


def _all_nodes(parsed: ParsedFile) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    stack = [parsed.tree.root_node]
    while stack:
        node = stack.pop()
        out.append((node.start_byte, node.end_byte))
        stack.extend(node.children)
    return out


def _enclosing_scope_by_parents(parsed: ParsedFile, start: int, end: int) -> str:
    """The original implementation (climbing `node.parent`): the reference for identical results."""
    node = parsed.tree.root_node.descendant_for_byte_range(start, end)
    names: list[str] = []
    while node is not None:
        if node.type in ("function_definition", "class_definition"):
            name = node.child_by_field_name("name")
            if name is not None:
                names.append(parsed.source[name.start_byte : name.end_byte].decode("utf-8", "replace"))
        node = node.parent
    return ".".join(reversed(names)) or "<module>"


def test_samples_exist() -> None:
    assert len(SAMPLES) >= 10


@pytest.mark.parametrize(("name", "source"), _sample_files(), ids=[n for n, _ in _sample_files()])
def test_enclosing_scope_is_unchanged(name: str, source: bytes) -> None:
    parsed = parse(source, "python")
    assert parsed is not None
    ranges = _all_nodes(parsed)
    ranges += [(s, s) for s in range(0, len(source), 7)]  # empty ranges, between tokens too
    for start, end in ranges:
        assert enclosing_scope(parsed, start, end) == _enclosing_scope_by_parents(parsed, start, end), (start, end)


@pytest.mark.parametrize(("name", "source"), _sample_files(), ids=[n for n, _ in _sample_files()])
def test_normalized_tokens_match_the_fingerprint(name: str, source: bytes) -> None:
    parsed = parse(source, "python")
    assert parsed is not None
    for start, end in _all_nodes(parsed)[:400]:
        tokens, truncated = normalized_tokens(parsed, start, end)
        assert not truncated
        ident = match_identity("r", "a.py", source, parsed, start, end)
        if tokens:
            assert " ".join(tokens) == ident.normalized


def test_normalized_tokens_drop_comments_and_trailing_commas() -> None:
    src = b"f(\n    a,  # note\n    b,\n)\n"
    parsed = parse(src, "python")
    assert parsed is not None
    assert normalized_tokens(parsed, 0, len(src)) == (["f", "(", "a", ",", "b", ")"], False)


def test_token_limits() -> None:
    src = b"x = [" + b", ".join(b"%d" % i for i in range(100)) + b"]\n"
    parsed = parse(src, "python")
    assert parsed is not None
    everything = tokens_in_range(parsed, 0, len(src))
    assert tokens_in_range(parsed, 0, len(src), limit=5) == everything[:5]
    tokens, truncated = normalized_tokens(parsed, 0, len(src), limit=10)
    assert tokens == everything[:10] and truncated
    exact, truncated = normalized_tokens(parsed, 0, len(src), limit=len(everything))
    assert exact == everything and not truncated
    # a trailing comma right at the cut is still judged by the token after it
    src = b"f(a,)\n"
    parsed = parse(src, "python")
    assert parsed is not None
    assert normalized_tokens(parsed, 0, len(src), limit=4) == (["f", "(", "a", ")"], False)
    assert normalized_tokens(parsed, 0, len(src), limit=3) == (["f", "(", "a"], True)


def test_ancestry_walks_down_from_the_root() -> None:
    src = b"class A:\n    def f(self):\n        return g(1)\n"
    parsed = parse(src, "python")
    assert parsed is not None
    root = parsed.tree.root_node
    start = src.find(b"1")
    node = root.descendant_for_byte_range(start, start + 1)
    assert node is not None
    path = ancestry(root, node)
    assert path[0] == root and path[-1] == node
    assert all(child.parent == parent for parent, child in itertools.pairwise(path))
    assert [n.type for n in path if n.type.endswith("definition")] == ["class_definition", "function_definition"]


def test_ancestry_and_scope_are_linear_in_depth() -> None:
    src = b"def f():\n    x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n"
    parsed = parse(src, "python")
    assert parsed is not None
    start = src.find(b"1")
    began = time.process_time()
    assert enclosing_scope(parsed, start, start + 1) == "f"
    assert time.process_time() - began < 0.5  # climbing node.parent took seconds here


def test_a_timed_out_parse_does_not_leak_into_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    big = b"a = 1\n" * 200_000
    monkeypatch.setattr(syntax, "PARSE_BUDGET_SECONDS", 0.0)
    assert parse(big, "python") is None
    monkeypatch.setattr(syntax, "PARSE_BUDGET_SECONDS", 2.0)
    small = b"def f(a):\n    return a\n"
    parsed = parse(small, "python")
    assert parsed is not None
    # before the fix the cancelled parser resumed the big parse: a tree 1.2 MB long
    assert parsed.tree.root_node.end_byte == len(small)
    assert enclosing_scope(parsed, small.find(b"return"), small.find(b"return") + 6) == "f"


def test_parsers_are_per_thread() -> None:
    sources = [b"def f%d(x):\n    return x\n" % i * 200 for i in range(4)]
    results: dict[int, str] = {}

    def work(i: int) -> None:
        parsed = parse(sources[i], "python")
        assert parsed is not None
        results[i] = enclosing_scope(parsed, 15, 16)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: f"f{i}" for i in range(4)}


def test_no_grammar_no_tree() -> None:
    assert parse(b"x = 1", None) is None
    assert parse(b"x = 1", "cobol") is None
    assert parse(b"on: push\n", "github-workflow") is None
