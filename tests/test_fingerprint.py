"""Fingerprint v1: stable under moves, new lines, re-indenting and comment edits; not otherwise."""

from __future__ import annotations

from reviewbot.lang.syntax import parse
from reviewbot.review.fingerprint import MatchIdentity, fingerprints, match_identity

RULE = "python.cmdi.example"
SINK = 'subprocess.call("ls " + name, shell=True)'


def fp_of(source: str, needle: str = SINK, path: str = "app.py", nth: int = 0) -> str:
    """The fingerprint of the `nth` occurrence of `needle`, computed as the review does."""
    data = source.encode()
    parsed = parse(data, "python")
    starts: list[int] = []
    pos = data.find(needle.encode())
    while pos != -1:
        starts.append(pos)
        pos = data.find(needle.encode(), pos + 1)
    idents = [match_identity(RULE, path, data, parsed, s, s + len(needle.encode())) for s in starts]
    return fingerprints(idents)[nth]


BASE = f"""import subprocess

def handler(name):
    # list the folder
    {SINK}
    return 1
"""


def test_unchanged_by_lines_added_above() -> None:
    moved = "import os\nimport sys\n\nX = 1\n" + BASE
    assert fp_of(moved) == fp_of(BASE)


def test_unchanged_by_moving_the_function() -> None:
    other = "def other():\n    return 2\n\n"
    assert fp_of(BASE + "\n" + other) == fp_of(other + BASE)


def test_unchanged_by_reindenting_and_rewrapping() -> None:
    reindented = BASE.replace("    ", "        ")
    assert fp_of(reindented) == fp_of(BASE)
    # a formatter re-wrapping the call, with its "magic trailing comma"
    wrapped_sink = 'subprocess.call(\n        "ls " + name,\n        shell=True,\n    )'
    assert fp_of(BASE.replace(SINK, wrapped_sink), wrapped_sink) == fp_of(BASE)


def test_unchanged_by_comment_edits_inside_and_around_the_match() -> None:
    edited = BASE.replace("# list the folder", "# TODO: a completely different comment")
    assert fp_of(edited) == fp_of(BASE)
    inner = 'subprocess.call("ls " + name,  # why\n        shell=True)'
    with_inner_comment = BASE.replace(SINK, inner)
    assert fp_of(with_inner_comment, inner) == fp_of(BASE)


def test_changes_when_the_matched_code_changes() -> None:
    changed = BASE.replace('"ls "', '"rm "')
    assert fp_of(changed, SINK.replace('"ls "', '"rm "')) != fp_of(BASE)


def test_changes_with_scope_path_and_rule() -> None:
    renamed_scope = BASE.replace("def handler", "def view")
    assert fp_of(renamed_scope) != fp_of(BASE)
    assert fp_of(BASE, path="other.py") != fp_of(BASE)
    data = BASE.encode()
    parsed = parse(data, "python")
    start = data.find(SINK.encode())
    a = match_identity("rule.a", "app.py", data, parsed, start, start + len(SINK))
    b = match_identity("rule.b", "app.py", data, parsed, start, start + len(SINK))
    assert fingerprints([a]) != fingerprints([b])


def test_scope_names_nest_classes_and_functions() -> None:
    src = f"class Handler:\n    def post(self, name):\n        {SINK}\n{SINK}\n".encode()
    parsed = parse(src, "python")
    first = src.find(SINK.encode())
    second = src.rfind(SINK.encode())
    assert match_identity(RULE, "a.py", src, parsed, first, first + len(SINK)).scope == "Handler.post"
    assert match_identity(RULE, "a.py", src, parsed, second, second + len(SINK)).scope == "<module>"


def test_identical_matches_in_one_scope_get_distinct_occurrences() -> None:
    twice = BASE.replace(SINK, SINK + "\n    " + SINK)
    first, second = fp_of(twice, nth=0), fp_of(twice, nth=1)
    assert first != second
    assert first == fp_of(BASE)  # the original keeps its identity when a copy is added below


def test_fingerprint_shape_and_determinism() -> None:
    ident = MatchIdentity(RULE, "a.py", "<module>", "eval ( x )")
    (a,) = fingerprints([ident])
    (b,) = fingerprints([ident])
    assert a == b
    assert len(a) == 32 and all(c in "0123456789abcdef" for c in a)


def test_without_a_grammar_whitespace_is_folded() -> None:
    a = match_identity(RULE, "x.unknown", b"call(  a,\n   b)", None, 0, 15)
    b = match_identity(RULE, "x.unknown", b"call( a, b)", None, 0, 11)
    assert a == b
    assert a.scope == "<file>"


def test_broken_code_still_fingerprints() -> None:
    broken = BASE + "\ndef oops(:\n"
    assert fp_of(broken) == fp_of(BASE)
