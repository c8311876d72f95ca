# Test cases for regex-polynomial-backtracking.yaml (annotations as in semgrep --test).
import re

# ruleid: python.dos.regex-polynomial-backtracking
CALL_ARGS = re.compile(r"fn\([ \t]*(.+?)[ \t]*\)")
# ruleid: python.dos.regex-polynomial-backtracking
PARAM = re.compile(r"^\s*(?:;\s*)?([^ =]+)\s*=\s*(\S+)")
# ruleid: python.dos.regex-polynomial-backtracking
LAST_GROUP = re.compile(r"\[(.*)\]$")
# ruleid: python.dos.regex-polynomial-backtracking
SENTENCE_END = re.compile(r"\S*[.?!](?=\s|$)")
# ruleid: python.dos.regex-polynomial-backtracking
NOT_NESTED = re.compile(r"\{(?!.*\{)(.*)\}$")
SPACE = r"[ \t]*"
# ruleid: python.dos.regex-polynomial-backtracking
BUILT = re.compile("key:" + SPACE + "(.+?)" + SPACE + ";")


def strip_tags(html):
    # ok: python.dos.regex-polynomial-backtracking
    return re.sub(r"<[^>]*>", "", html)


def bracketed(text):
    # ruleid: python.dos.regex-polynomial-backtracking
    return re.search(r"<(.+)>", text)


def values(text):
    # ruleid: python.dos.regex-polynomial-backtracking
    return re.findall(r".*?=", text)


# ok: python.dos.regex-polynomial-backtracking
CALL_ARGS_FIXED = re.compile(r"fn\((.+?)\)")
# ok: python.dos.regex-polynomial-backtracking
LAST_GROUP_FIXED = re.compile(r"\[([^\[]*)\]$")
# ok: python.dos.regex-polynomial-backtracking
ANCHORED = re.compile(r"^\S*[.?!]")
# ok: python.dos.regex-polynomial-backtracking
DISJOINT = re.compile(r"\s*(\w+)\s*=")
# ok: python.dos.regex-polynomial-backtracking
BOUNDED = re.compile(r"fn\([ \t]{0,4}(.+?)[ \t]{0,4}\)")
# ok: python.dos.regex-polynomial-backtracking
TRAILING_SPACE = re.compile(r"\s+$")
# ok: python.dos.regex-polynomial-backtracking
QUOTED = re.compile(r'"(.*)"')
# ok: python.dos.regex-polynomial-backtracking
NUMBER = re.compile(r"\d+\.\d+")
# ok: python.dos.regex-polynomial-backtracking
EXPONENTIAL = re.compile(r"^(a+)+$")


def header(line):
    # ok: python.dos.regex-polynomial-backtracking
    return re.match(r"(.*?):", line)


class Tokenizer:
    # A verbose pattern template, compiled elsewhere with re.VERBOSE.
    # ruleid: python.dos.regex-polynomial-backtracking
    context_fmt = r"""
        \S*                 # the word before
        %(end_chars)s       # a possible sentence end
        (?=\s|$)
    """
    # ok: python.dos.regex-polynomial-backtracking
    context_fmt_fixed = r"""
        %(end_chars)s       # a possible sentence end
        (?=\s|$)
    """


# An unescaped `.` between two repeats of digits: meant as a decimal point, it matches digits too.
NUMBER_TAGS = [
    # ruleid: python.dos.regex-polynomial-backtracking
    (r"^-?[0-9]+(.[0-9]+)?$", "NUM"),
    # ok: python.dos.regex-polynomial-backtracking
    (r"^-?[0-9]+(\.[0-9]+)?$", "NUM"),
]


def version(text):
    # ruleid: python.dos.regex-polynomial-backtracking
    found = re.match(r"v(\d+).(\d+)$", text)
    # ok: python.dos.regex-polynomial-backtracking
    fixed = re.match(r"v(\d+)\.(\d+)$", text)
    # a wildcard between two sets without a shared character, and nothing after the second repeat
    # ok: python.dos.regex-polynomial-backtracking
    pair = re.search(r"[a-z]+.[0-9]+$", text)
    # ok: python.dos.regex-polynomial-backtracking
    start = re.search(r"\d+.\d+", text)
    return found, fixed, pair, start
