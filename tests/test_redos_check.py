"""The ReDoS check's pattern analysis (`ts_checks.redos.catastrophic`) on the cases its annotated
rule test file cannot show: flags, bytes patterns, patterns that do not parse."""

from __future__ import annotations

import re

import pytest

from reviewbot.scanners.ts_checks.redos import MAX_PATTERN_CHARS, catastrophic


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(a+)+$",
        r"(\w+\s?)*$",
        r"((\r\n|\r|\n)+) *$",
        r"(?:\\[\\*]|[^*])*",
        r"(?:(B\d+|[a-z\d_]+),?)+",
        r"(\(.+?\))*$",
    ],
)
def test_exponential_shapes_are_reported(pattern: str) -> None:
    assert catastrophic(pattern) is not None


@pytest.mark.parametrize(
    "pattern",
    [r"(\w+\s)*$", r"(\d+_)*\d+", r"(?:[^'\\]|\\.)*", r"(a|ab)*c", r"([0-9a-f]{2})+", r"(?:\s*,\s*\w+)*", r"(a+)++"],
)
def test_unambiguous_repeats_are_not(pattern: str) -> None:
    assert catastrophic(pattern) is None


def test_dot_overlaps_a_newline_only_under_dotall() -> None:
    assert catastrophic(r'"""(?:.|\n)*?"""') is None
    assert catastrophic(r'"""(?:.|\n)*?"""', re.DOTALL) is not None
    assert catastrophic(r'(?s)"""(?:.|\n)*?"""') is not None  # inline flag


def test_ignorecase_makes_letters_overlap() -> None:
    assert catastrophic(r"(?:[a-z]+A)*$") is None  # `A` ends each turn: \w+ cannot match it...
    assert catastrophic(r"(?i)(?:[a-z]+A)*$") is not None  # ...unless case is ignored


def test_bytes_and_broken_and_huge_patterns() -> None:
    assert catastrophic(rb"^(a+)+$") is not None
    assert catastrophic(r"((a+)+") is None  # does not parse
    assert catastrophic("(a+)+" + "x" * MAX_PATTERN_CHARS) is None  # data, not a pattern
