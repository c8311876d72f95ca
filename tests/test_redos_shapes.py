"""The JavaScript ReDoS shapes of `ts_checks.redos_shapes` on cases the annotated rule test files
cannot show one by one: each polynomial shape and its near misses, the exponential split-turn
shape, JavaScript named groups, patterns that do not parse."""

from __future__ import annotations

import re

import pytest

from reviewbot.scanners.ts_checks.redos_shapes import from_javascript, polynomial, split_turns


@pytest.mark.parametrize(
    "pattern",
    [
        r"^hwb\(\s*([+-]?\d*[\.]?\d+)(?:deg)?\s*,",  # color-string (CVE-2021-29060)
        r"^([^:]+):(?:(?:[^@:]+(?:[^@]+)?@)?([^/]*))[/](.+?)(?:[.]git)?($|#)",  # hosted-git-info
        r"[\{\[].*[\/]*.*[\}\]]$",  # glob-parent
        r"\(\s*(?:-)?\s*\)",  # \s* around an optional part
        r"(\d+)[^,]*,",  # adjacent, both in a group's edge
        r"^(.+?)\s+(\S+)",  # lazy first repeat
        r"a(?:x|\s*)\s+b",  # an alternative's repeat as the edge
    ],
)
def test_polynomial_shapes_are_reported(pattern: str) -> None:
    assert polynomial(pattern) is not None


@pytest.mark.parametrize(
    "pattern",
    [
        r"^hwb\(([+-]?\d{0,3}(?:\.\d+)?)(?:deg)?,",  # the fix: a bounded repeat
        r"^([^:]+):(?:[^@]+@)?(?:([^/]*)\/)?([^#]+)",  # the fix: something required between
        r"^\s*(\w+)\s*=",  # disjoint sets
        r"'[^']*(?:''[^']*)*'",  # each turn of the group starts with the excluded quote
        r"^\d+\.?\d*$",  # only an end anchor after the pair
        r":\s*(.*)",  # nothing after the pair: matches at once
        r"\d+,\d+x",  # a required item between
        r"(?=\s*)\s*x",  # a lookahead's repeat is not backtracked into by what follows
    ],
)
def test_near_misses_are_not(pattern: str) -> None:
    assert polynomial(pattern) is None


def test_a_pair_inside_a_group_counts_what_follows_the_group() -> None:
    assert polynomial(r"(\s*\s*)") is None
    assert polynomial(r"(\s*\s*)x") is not None


def test_ignorecase_makes_letters_overlap() -> None:
    assert polynomial(r"[ab]*[AB]*1") is None
    assert polynomial(r"[ab]*[AB]*1", re.IGNORECASE) is not None


def test_split_turns() -> None:
    domain = r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?)+[a-z0-9]$"  # devcert (CVE-2022-1929)
    assert split_turns(domain) is not None
    assert split_turns(domain.replace(r"\.?)+", r"\.)+")) is None  # the dot required: one way
    assert split_turns(r"^(?:a(?:-a)?)+$") is None  # the optional part starts with "-"
    assert split_turns(r"^(?:[a-z]?[a-z])+$") is not None  # optional before the required one
    assert split_turns(r"^(?:ab?)+$") is None  # "b" is not the required item's character


def test_named_groups_and_unparsable_patterns() -> None:
    assert from_javascript(r"(?<year>\d+)-(?<=x)(?<!y)\(?<z") == r"(?P<year>\d+)-(?<=x)(?<!y)\(?<z"
    assert polynomial(from_javascript(r"(?<n>\d+)\d*x")) is not None
    assert polynomial(r"(?<n>\d+)\d*x") is None  # Python cannot parse it: skipped, not guessed
    assert polynomial(r"[^]*\s*x") is None
    assert polynomial("a*" * 3000 + "x") is None  # over the length limit
