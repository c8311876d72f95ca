# Test cases for regex-catastrophic-backtracking.yaml (annotations as in semgrep --test).
import re

import regex

# ruleid: python.dos.regex-catastrophic-backtracking
NESTED = re.compile(r"^(a+)+$")
# ruleid: python.dos.regex-catastrophic-backtracking
WORDS = re.compile(r"^(\w+\s?)*$")
# ruleid: python.dos.regex-catastrophic-backtracking
LEADING_SPACE = re.compile(r"(\s*\w+)*;")
# ruleid: python.dos.regex-catastrophic-backtracking
NEWLINES = re.compile(r"((\r\n|\r|\n)+) *$")
# ruleid: python.dos.regex-catastrophic-backtracking
QUOTED = regex.compile(r"'(''|\\\\|\\'|[^'])*'")
# ruleid: python.dos.regex-catastrophic-backtracking
ATTRS = re.compile(r"""<%(\w+)((?:\s+\w+|\s*=\s*|".*?")*)\s*>""", re.S)
VERBOSE = re.compile(
    # ruleid: python.dos.regex-catastrophic-backtracking
    r"""
    ^(
        [a-z]+ -?   # a word, maybe a hyphen
    )*$
    """,
    re.VERBOSE,
)
PATTERN = r"((a)+)+"
TOKENS = [
    # ruleid: python.dos.regex-catastrophic-backtracking
    (r'"(""|\\\\|\\"|[^"])*"', "string"),
    # ok: python.dos.regex-catastrophic-backtracking
    (r"'(?:[^'\\]|\\.)*'", "string"),
]

# ok: python.dos.regex-catastrophic-backtracking
SEPARATED = re.compile(r"^(\w+\s)*$")
# ok: python.dos.regex-catastrophic-backtracking
DIGITS = re.compile(r"(\d+_)*\d+")
# ok: python.dos.regex-catastrophic-backtracking
DOTTED = re.compile(r"[a-z]+(\.[a-z]+)*")
# ok: python.dos.regex-catastrophic-backtracking
PREFIXED = re.compile(r"(a|ab)*c")
# ok: python.dos.regex-catastrophic-backtracking
ESCAPED = re.compile(r'"(?:[^"\\]|\\.)*"')
# ok: python.dos.regex-catastrophic-backtracking
POSSESSIVE = re.compile(r"(a+)++$")
# ok: python.dos.regex-catastrophic-backtracking
ATOMIC = re.compile(r"(?>(a+))+$")
# ok: python.dos.regex-catastrophic-backtracking
LIST = re.compile(r"(\s*,\s*\w+)*")
# ok: python.dos.regex-catastrophic-backtracking
BROKEN = re.compile(r"((a+)+")
# ok: python.dos.regex-catastrophic-backtracking
NOT_RAW = "(a+)+ is how the docs spell it"


def match_input(text):
    # ruleid: python.dos.regex-catastrophic-backtracking
    found = re.match(PATTERN, text)
    # ruleid: python.dos.regex-catastrophic-backtracking
    compiled = re.compile(PATTERN)
    # ok: python.dos.regex-catastrophic-backtracking
    safe = re.fullmatch(SEPARATED, text)
    return found, compiled, safe


def explain():
    r"""Patterns like (a+)+ backtrack: this raw docstring is prose, not a pattern."""


# A pattern assembled at module level from pieces: folded through `+` and a conversion call.
VISIBLE = "[" + r"\x21-\x7e" + "]"
CONTENT = VISIBLE + "([ \t" + r"\x21-\x7e" + "]+" + VISIBLE + "){,1}"
STRICT_CONTENT = VISIBLE + "+(?:[ \t]+" + VISIBLE + "+)*"


def to_bytes(text):
    return text.encode("latin-1")


# ruleid: python.dos.regex-catastrophic-backtracking
FIELD = re.compile(to_bytes("^(" + CONTENT + "){0,}$"))
# ok: python.dos.regex-catastrophic-backtracking
STRICT_FIELD = re.compile(to_bytes("^(?:" + STRICT_CONTENT + ")?$"))
# ok: python.dos.regex-catastrophic-backtracking
WORDS = re.compile("^(a(b+a)?)*$")
