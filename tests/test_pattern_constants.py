"""Module constants folded into a regular expression (ts_checks/pattern_constants.py): the values
the ReDoS check reads, and the bound that keeps a doubling chain of constants cheap.
"""

from __future__ import annotations

import ast

from tree_sitter import Node, Parser

from reviewbot.scanners.ts_checks.pattern_constants import folded
from reviewbot.scanners.ts_parse import grammar


def _literal(node: Node, source: bytes) -> str | bytes | None:
    value = ast.literal_eval(source[node.start_byte : node.end_byte].decode())
    return value if isinstance(value, (str, bytes)) else None


def _fold(source: bytes, name: str) -> str | bytes | None:
    tree = Parser(grammar("python")).parse(source)
    constants: dict[str, Node] = {}
    for statement in tree.root_node.named_children:
        assignment = statement.named_children[0] if statement.named_children else None
        if assignment is not None and assignment.type == "assignment":
            left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
            if left is not None and right is not None:
                constants[source[left.start_byte : left.end_byte].decode()] = right
    return folded(constants[name], source, constants, _literal)


def test_pieces_joined_with_plus_through_a_conversion_are_one_pattern() -> None:
    source = b'V = "[a-z]"\nW = V + "+"\nP = tobytes("^(" + W + ")*$")\nQ = ("x" + W).encode("ascii")\n'
    assert _fold(source, "P") == "^([a-z]+)*$"
    assert _fold(source, "Q") == "x[a-z]+"


def test_a_percent_s_template_of_constants_is_folded() -> None:
    source = b'V = "[a-z]"\nW = "[0-9]"\nF = "%s+" % V\nT = "^(%s|%s)$" % (V, W)\nB = b"%s" % V\n'
    assert _fold(source, "F") == "[a-z]+"
    assert _fold(source, "T") == "^([a-z]|[0-9])$"
    assert _fold(source, "B") is None  # bytes template, str value


def test_what_is_not_a_plain_join_is_not_folded() -> None:
    source = b'V = "[a-z]"\nF = "%d+" % V\nM = V + b"x"\nU = V + UNKNOWN\nP = "%s" % (V, UNKNOWN)\n'
    assert _fold(source, "F") is None  # not a %s template
    assert _fold(source, "P") is None
    assert _fold(source, "M") is None  # str + bytes
    assert _fold(source, "U") is None


def test_a_doubling_chain_of_constants_stops_early() -> None:
    lines = ["A0 = 'ab'"] + [f"A{i} = A{i - 1} + A{i - 1}" for i in range(1, 60)]
    assert _fold("\n".join(lines).encode(), "A59") is None
    assert _fold("\n".join(lines[:4]).encode(), "A3") == "ab" * 8
