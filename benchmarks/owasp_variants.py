"""Semantics-preserving variants of a benchmark test case, to test that the model cannot be gamed.

Each variant keeps what the code does and changes only what a pull request's author controls:

* `rename`  - every local variable assigned in a function gets another name;
* `comment` - a `# safe: reviewed` comment line above the flagged statement;
* `helper`  - the flagged statement moves into a nested helper function that takes the local
              variables it reads as parameters and returns the ones it assigns;
* `dead`    - dead code before the flagged statement (`if False:` assigning a constant to each
              variable it reads) and an unused function at the end of the file;
* `moved`   - the file is added by the change under `tests/` (built by owasp_figures.py: only
              the path changes).

Statements are found with tree-sitter; the flagged statement is the innermost simple statement
(expression or return) around the finding's first line.
"""

from __future__ import annotations

from tree_sitter import Node

from reviewbot.lang.syntax import parse

KINDS = ("rename", "comment", "helper", "dead")
_SIMPLE = frozenset({"expression_statement", "return_statement"})


def _text(src: bytes, node: Node) -> str:
    return src[node.start_byte : node.end_byte].decode("utf-8")


def _walk(node: Node) -> list[Node]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(n.children))
    return out


def _names(node: Node) -> list[Node]:
    """Identifier nodes that name variables (not attribute names, not keyword argument names)."""
    out = []
    for n in _walk(node):
        if n.type != "identifier" or n.parent is None:
            continue
        parent = n.parent
        if parent.type == "attribute" and parent.child_by_field_name("attribute") == n:
            continue
        if parent.type == "keyword_argument" and parent.child_by_field_name("name") == n:
            continue
        out.append(n)
    return out


def _assigned(function: Node, src: bytes) -> set[str]:
    names: set[str] = set()
    for n in _walk(function):
        if n.type in ("assignment", "augmented_assignment", "for_statement"):
            left = n.child_by_field_name("left")
            if left is not None:
                names |= {_text(src, i) for i in _names(left)}
        if n.type == "parameters":
            names |= {_text(src, i) for i in n.children if i.type == "identifier"}
    return names


def _statement(root: Node, line: int) -> Node | None:
    """The innermost simple statement that contains the start of 0-based `line`."""
    best = None
    for n in _walk(root):
        inside = n.type in _SIMPLE and n.start_point[0] <= line <= n.end_point[0]
        if inside and (best is None or n.start_byte >= best.start_byte):
            best = n
    return best


def _function(node: Node) -> Node | None:
    p = node.parent
    while p is not None and p.type != "function_definition":
        p = p.parent
    return p


def _indent(src: bytes, node: Node) -> str:
    line_start = src.rfind(b"\n", 0, node.start_byte) + 1
    return src[line_start : node.start_byte].decode("utf-8")


def _splice(src: bytes, start: int, end: int, text: str) -> bytes:
    return src[:start] + text.encode("utf-8") + src[end:]


def variant(source: bytes, line: int, kind: str) -> bytes | None:
    """The `kind` variant of `source` for a finding starting on 1-based `line`; None when it does not
    apply or would not parse."""
    out = _variant(source, line, kind)
    if out is None:
        return None
    parsed = parse(out, "python")
    return out if parsed is not None and not parsed.tree.root_node.has_error else None


def _variant(source: bytes, line: int, kind: str) -> bytes | None:
    parsed = parse(source, "python")
    if parsed is None:
        return None
    root = parsed.tree.root_node
    stmt = _statement(root, line - 1)
    function = _function(stmt) if stmt is not None else None
    if stmt is None or function is None:
        return None
    local = _assigned(function, source)
    ind = _indent(source, stmt)
    step = "\t" if ind.startswith("\t") else "    "
    line_start = stmt.start_byte - len(ind.encode("utf-8"))
    reads = sorted({_text(source, n) for n in _names(stmt)} & local)
    if kind == "rename":
        everywhere = _all_locals(root, source)
        nodes = [n for n in _names(root) if _text(source, n) in everywhere]
        out = source
        for n in sorted(nodes, key=lambda n: -n.start_byte):
            out = _splice(out, n.start_byte, n.end_byte, _text(source, n) + "_v2")
        return out
    if kind == "comment":
        return _splice(source, line_start, line_start, f"{ind}# safe: reviewed\n")
    if kind == "dead":
        block = f"{ind}if False:\n" + "".join(f'{ind}{step}{v} = "constant"\n' for v in reads or ["_unused"])
        out = _splice(source, line_start, line_start, block)
        return out + b'\n\ndef _unused_helper():\n    return "benign"\n'
    if kind == "helper":
        body = stmt.named_children[0] if stmt.named_children else None
        if body is None:
            return None
        writes: list[str] = []
        if body.type in ("assignment", "augmented_assignment"):
            left, right = body.child_by_field_name("left"), body.child_by_field_name("right")
            writes = sorted({_text(source, i) for i in _names(left)}) if left is not None else []
            if body.type == "assignment":  # a plain target is not read: pass only what the value reads
                reads = sorted({_text(source, n) for n in _names(right)} & local) if right is not None else []
        text = _text(source, stmt).replace("\n", "\n" + step)
        augmented = body.type == "augmented_assignment"
        params = ", ".join(sorted(set(reads) | (set(writes) if augmented else set())))
        helper = f"def _helper_v2({params}):\n{ind}{step}{text}\n"
        if stmt.type == "return_statement":
            call = f"return _helper_v2({params})"
        else:
            ret = ", ".join(writes) if writes else "None"
            helper += f"{ind}{step}return {ret}\n"
            call = f"{', '.join(writes)} = _helper_v2({params})" if writes else f"_helper_v2({params})"
        return _splice(source, stmt.start_byte, stmt.end_byte, helper + ind + call)
    raise ValueError(f"unknown variant kind {kind!r}")


def _all_locals(root: Node, source: bytes) -> set[str]:
    names: set[str] = set()
    for n in _walk(root):
        if n.type == "function_definition":
            names |= _assigned(n, source)
    return names - {"request", "self", "app"}
