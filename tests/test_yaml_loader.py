"""`reviewbot._yaml`: what the safe reader still accepts, and the error class it raises."""

from __future__ import annotations

import pytest

from reviewbot._yaml import load_json, load_yaml
from reviewbot.errors import ConfigError, InputError


def test_dates_stay_the_text_written() -> None:
    doc = load_yaml(b"a: 2026-02-28\nb: 2026-02-30\nc: !!timestamp 2026-01-01\n", "f.yml")
    assert doc.value == {"a": "2026-02-28", "b": "2026-02-30", "c": "2026-01-01"}


def test_ordinary_anchors_and_merge_keys_still_work() -> None:
    text = b"base: &b {x: 1, y: [1, 2]}\nuse:\n  <<: *b\n  z: 3\nagain: *b\n"
    doc = load_yaml(text, "f.yml")
    assert doc.value["use"] == {"x": 1, "y": [1, 2], "z": 3} and doc.value["again"] == {"x": 1, "y": [1, 2]}
    assert doc.line_of(["use", "z"]) == 4


def test_nesting_up_to_the_limit_is_fine_and_beyond_it_is_named() -> None:
    assert load_yaml(b"x: " + b"[" * 60 + b"]" * 60 + b"\n", "f.yml").value is not None
    with pytest.raises(ConfigError, match=r"^f\.yml: line 1: nested more than 64 levels deep$"):
        load_yaml(b"x: " + b"[" * 70 + b"]" * 70 + b"\n", "f.yml")


def test_the_callers_error_class_is_raised() -> None:
    with pytest.raises(InputError, match=r"^mine\.yml: line 2: key 'a' appears twice"):
        load_yaml(b"a: 1\na: 2\n", "mine.yml", error=InputError)
    with pytest.raises(InputError, match=r"^r\.json: not JSON reviewbot reads: nested too deeply$"):
        load_json(b"[" * 100_000, "r.json", error=InputError)
    with pytest.raises(ConfigError, match=r"^r\.json: not valid JSON \(line 1, column 2\)"):
        load_json(b"{", "r.json")
