"""Short ids (reviewbot/triage/short_id.py): the shortest unique prefix, and its way back to one fingerprint."""

from __future__ import annotations

import pytest

from reviewbot.triage.short_id import MIN_LENGTH, ShortIdError, resolve, short_ids


def test_short_ids_are_the_shortest_unique_prefix_of_at_least_eight_digits() -> None:
    a, b, c, d = "0123456789" + "a" * 22, "0123456789" + "b" * 22, "0123" + "f" * 28, "9" * 32
    ids = short_ids([a, b, c, d, a])
    assert ids == {a: a[:11], b: b[:11], c: c[:MIN_LENGTH], d: d[:MIN_LENGTH]}
    for fp, short in ids.items():
        assert [other for other in ids if other.startswith(short)] == [fp]


def test_identical_fingerprints_but_one_character_get_the_whole_fingerprint() -> None:
    a, b = "e" * 31 + "0", "e" * 31 + "1"
    assert short_ids([a, b]) == {a: a, b: b}


def test_resolve_takes_a_unique_prefix_in_any_case() -> None:
    known = {"0123456789" + "a" * 22: "r1 in a.py", "0123456789" + "b" * 22: "r2 in a.py"}
    assert resolve(" 0123456789A ", known, "r.json") == "0123456789" + "a" * 22
    with pytest.raises(ShortIdError, match=r"ambiguous in r\.json: 2 findings"):
        resolve("01234567", known, "r.json")
    with pytest.raises(ShortIdError, match=r"names no finding of r\.json"):
        resolve("fedcba98", known, "r.json")


@pytest.mark.parametrize(
    "given", ["0123456", "0123456789" * 4, "0123456g", ""], ids=["short", "long", "non-hex", "empty"]
)
def test_resolve_refuses_what_is_no_id(given: str) -> None:
    with pytest.raises(ShortIdError, match="8 to 32 hex digits"):
        resolve(given, {"0" * 32: "r"}, "r.json")
