"""The Python-only quadratic shape of `ts_checks.redos_polynomial` (a start a search retries at
every position) on cases the annotated rule test file cannot show one by one, and the verbose
reading of raw triple-quoted strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewbot.scanners.treesitter import TreeSitterScanner
from reviewbot.scanners.ts_checks.redos_polynomial import RUN, retried

RULES_DIR = Path(__file__).resolve().parent.parent / "rulesets" / "treesitter"
RULE = "python.dos.regex-polynomial-backtracking"


@pytest.mark.parametrize(
    "pattern",
    [
        r"\((?!.*\()(.*)\)$",  # a wildcard in a lookahead after the start character
        r"\S*[.?!](?=\s)",  # a leading wildcard that also matches its terminator
        r"\[(.+)\]",
        r".*?:",
        r"{(.*?)}",
        rb"\((.*)\)",  # bytes
    ],
)
def test_retried_starts_are_reported(pattern: str | bytes) -> None:
    assert retried(pattern) is not None


@pytest.mark.parametrize(
    "pattern",
    [
        r"\(([^(]*)\)$",  # the fix: the wildcard excludes the start character
        r"<[^>]*>",  # stops at its terminator (the idiom)
        r"&([^;]+);",
        r"^\S*[.?!]",  # anchored
        r"\A.*x",
        r'"(.*)"',  # a run of the start character matches at once
        r"\s+$",  # the run itself matches
        r"\d+\.\d+",  # not a wildcard
        r"\w+@\w+",
        r"(.*)",  # nothing required after it
        r"((a)",  # does not parse
    ],
)
def test_other_starts_are_not(pattern: str) -> None:
    assert retried(pattern) is None


def test_the_reported_shape_scans_to_the_end_of_the_run_from_every_start() -> None:
    # counted, not timed: every start of a run of n `[` reads the rest of the run and then fails,
    # n + (n-1) + ... + 1 characters in all, which is what makes it quadratic
    run = "[" * RUN
    start, whole = re.compile(r"\[(.+)"), re.compile(r"\[(.+)\]")
    for i in range(RUN - 1):
        reached = start.match(run, i)
        assert reached is not None and reached.end() == RUN
        assert whole.match(run, i) is None
    assert RUN <= 32  # the trial run stays short: a few hundred character steps at most


def test_a_verbose_template_is_read_as_verbose_and_a_plain_raw_string_is_not(tmp_path: Path) -> None:
    (tmp_path / "lexer.py").write_text(
        "class Lexer:\n"
        '    fmt = r"""\n'
        "        \\S*          # the word\n"
        "        [.?!]        # an end\n"
        '    """\n'
        '    plain = r"""\n'
        "        \\S*\n"
        "        [.?!]\n"
        '    """\n',
        encoding="utf-8",
    )
    out = TreeSitterScanner(RULES_DIR).scan(tmp_path, ["lexer.py"])
    # without re.VERBOSE the second pattern starts with a newline and spaces, which `\S` cannot
    # match: its start is no wildcard
    assert [m.start_line for m in out.matches if m.rule_id == RULE] == [2]


def test_a_call_to_re_match_is_not_retried(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        'import re\n\n\ndef f(s):\n    return re.match(r"\\[(.+)\\]", s), re.search(r"\\[(.+)\\]", s)\n',
        encoding="utf-8",
    )
    out = TreeSitterScanner(RULES_DIR).scan(tmp_path, ["m.py"])
    hits = [m for m in out.matches if m.rule_id == RULE]
    assert len(hits) == 1 and hits[0].start_col > 30


def test_an_exponential_shape_is_not_tried() -> None:
    # split turns (`[a-z](?:[a-z-]*[a-z])?`) would cost 2^16 on the trial run: skipped before it
    assert retried(r".*(?:[a-z](?:[a-z-]*[a-z])?\.?)+x") is None
