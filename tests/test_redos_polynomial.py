"""The Python-only quadratic shape of `ts_checks.redos_polynomial` (a start a search retries at
every position) on cases the annotated rule test file cannot show one by one, and the verbose
reading of raw triple-quoted strings."""

from __future__ import annotations

import re
import time
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


def test_the_reported_shape_is_quadratic_and_the_trial_run_is_cheap() -> None:
    # what the trial run stands for: 4x the input costs far more than 4x the time
    pattern = re.compile(r"\[(.+)\]")

    def cost(n: int) -> float:  # the best of three, against a loaded machine
        times = []
        for _ in range(3):
            started = time.perf_counter()
            pattern.search("[" * n)
            times.append(time.perf_counter() - started)
        return min(times)

    assert cost(6000) > 6 * cost(1500)  # 16x in theory
    assert RUN <= 32


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
