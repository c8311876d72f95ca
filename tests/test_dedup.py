"""The duplicates contract (reviewbot/review/dedup.py): one shown finding per weakness.

A finding is never the duplicate of a hidden one.
"""

from __future__ import annotations

from typing import Any

import pytest

from reviewbot.finding import Confidence, Disposition, Finding, Scanner, Severity
from reviewbot.review.dedup import mark_duplicates

_HIDDEN_REASON = "score 0.05 is below the threshold 0.46 of model default (from the model card)"


def make(rule: str, n: int, *, score: float | None = None, hidden: bool = False, **kw: Any) -> Finding:
    fields: dict[str, Any] = {
        "rule_id": rule,
        "scanner": Scanner.SEMGREP,
        "path": "app.py",
        "start_line": 9,
        "start_col": 5,
        "end_line": 9,
        "end_col": 40,
        "message": "m",
        "severity": Severity.HIGH,
        "confidence": Confidence.MEDIUM,
        "category": "deserialization",
        "fingerprint": f"{n:032x}",
        "score": score,
    }
    fields.update(kw)
    f = Finding(**fields)
    return f.with_disposition(Disposition.BELOW_THRESHOLD, _HIDDEN_REASON) if hidden else f


def by_rule(findings: list[Finding]) -> dict[str, Finding]:
    return {f.rule_id: f for f in findings}


def test_shown_member_is_the_representative_even_when_a_hidden_one_is_more_severe() -> None:
    # The yaml.load shape: the taint rule (critical) is demoted, the call rule (high) is reported.
    taint = make("taint", 1, score=0.05, hidden=True, severity=Severity.CRITICAL, confidence=Confidence.HIGH)
    call = make("call", 2, score=0.86)
    out = by_rule(mark_duplicates([taint, call]))
    assert out["call"].disposition is Disposition.REPORTED
    assert out["taint"].disposition is Disposition.DUPLICATE
    assert out["taint"].disposition_reason.startswith("same weakness reported by call at line 9")
    assert _HIDDEN_REASON in out["taint"].disposition_reason  # its own score is still explained


def test_group_whose_best_member_is_below_threshold_marks_no_duplicate() -> None:
    a = make("a", 1, score=0.30, hidden=True)
    b = make("b", 2, score=0.10, hidden=True, severity=Severity.CRITICAL)
    out = by_rule(mark_duplicates([a, b]))
    assert {f.disposition for f in out.values()} == {Disposition.BELOW_THRESHOLD}
    assert out["a"].disposition_reason == out["b"].disposition_reason == _HIDDEN_REASON


def test_higher_score_wins_among_shown_members() -> None:
    low = make("low", 1, score=0.60, severity=Severity.CRITICAL)
    high = make("high", 2, score=0.90, severity=Severity.LOW)
    out = by_rule(mark_duplicates([low, high]))
    assert out["high"].visible and out["low"].disposition is Disposition.DUPLICATE
    assert "reported by high" in out["low"].disposition_reason


@pytest.mark.parametrize(
    ("first", "second", "winner"),
    [
        ({"severity": Severity.HIGH}, {"severity": Severity.MEDIUM}, "first"),
        ({"confidence": Confidence.LOW}, {"confidence": Confidence.HIGH}, "second"),
        ({"fix": "x"}, {}, "first"),
        ({"start_line": 9, "end_line": 10}, {"start_line": 10, "end_line": 10}, "first"),
    ],
    ids=["severity", "confidence", "fix", "earlier-line"],
)
def test_unscored_ties_break_as_before(first: dict[str, Any], second: dict[str, Any], winner: str) -> None:
    out = by_rule(mark_duplicates([make("second", 2, **second), make("first", 1, **first)]))
    loser = "second" if winner == "first" else "first"
    assert out[winner].visible and out[loser].disposition is Disposition.DUPLICATE


@pytest.mark.parametrize(
    "other",
    [{"path": "other.py"}, {"category": "cmdi"}, {"start_line": 10, "end_line": 11}],
    ids=["other-file", "other-category", "other-lines"],
)
def test_different_weaknesses_are_not_grouped(other: dict[str, Any]) -> None:
    out = mark_duplicates([make("a", 1, score=0.9), make("b", 2, score=0.8, **other)])
    assert all(f.visible for f in out)


def test_a_member_is_a_duplicate_only_of_a_representative_it_overlaps() -> None:
    # a (lines 9-10) and c (11) do not overlap; b (10-11) overlaps both, and ranks under both.
    a = make("a", 1, score=0.9, start_line=9, end_line=10)
    b = make("b", 2, score=0.5, start_line=10, end_line=11)
    c = make("c", 3, score=0.8, start_line=11, end_line=11)
    out = by_rule(mark_duplicates([a, b, c]))
    assert out["a"].visible and out["c"].visible
    assert out["b"].disposition is Disposition.DUPLICATE and "reported by a" in out["b"].disposition_reason


def test_other_dispositions_take_no_part_and_nothing_is_dropped() -> None:
    suppressed = make("sup", 1, score=0.99).with_disposition(Disposition.SUPPRESSED_INLINE, "nosemgrep")
    preexisting = make("pre", 2, score=0.98).with_disposition(Disposition.PREEXISTING, "base")
    shown = make("shown", 3, score=0.40)
    given = [suppressed, preexisting, shown]
    out = mark_duplicates(given)
    assert out == given  # same order, same findings: the shown one is no one's duplicate
    assert mark_duplicates(mark_duplicates([shown, make("dup", 4, score=0.2)])) == mark_duplicates(
        [shown, make("dup", 4, score=0.2)]
    )
