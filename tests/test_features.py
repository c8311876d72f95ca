"""Features: what the vector reads (and never reads), history without leaks, words for a developer."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from reviewbot.finding import Confidence, Finding, Scanner, Severity
from reviewbot.lang.facts import ArgumentFact, CodeContext, PathRole, Provenance, SinkFact, ValueFact
from reviewbot.learn.features import (
    FEATURE_INDEX,
    FEATURE_NAMES,
    FEATURE_SCHEMA_VERSION,
    HISTORY_FEATURES,
    History,
    attach_features,
    describe,
    family,
    features_of,
    leak_free_history,
    static_features,
)
from reviewbot.triage.ledger import Source, TriageRecord, Verdict

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def context(**kw: Any) -> CodeContext:
    base: dict[str, Any] = {
        "language": "python",
        "scope": "handler",
        "function": "handler",
        "sink": SinkFact(
            callee="sp.call",
            qualified="subprocess.call",
            arguments=(ArgumentFact(provenance=Provenance.REQUEST, sources=("request.args",), position=0),),
        ),
        "value": ValueFact(provenance=Provenance.REQUEST, sources=("request.args",), sanitizers=("guard:quote",)),
        "sanitizers": ("guard:quote",),
        "path_role": PathRole.SOURCE,
        "is_request_handler": True,
        "tokens": ("sp", ".", "call", "(", "cmd", ")"),
        "parameters": ("cmd",),
    }
    return CodeContext(**(base | kw))


def finding(**kw: Any) -> Finding:
    base: dict[str, Any] = {
        "rule_id": "python.cmdi.shell-command-injection",
        "scanner": Scanner.SEMGREP,
        "path": "app/views.py",
        "start_line": 3,
        "start_col": 1,
        "end_line": 3,
        "end_col": 20,
        "message": "command injection",
        "severity": Severity.CRITICAL,
        "confidence": Confidence.HIGH,
        "category": "cmdi",
        "cwe": ("CWE-78",),
        "snippet": "sp.call(cmd, shell=True)",
        "fingerprint": "a" * 32,
        "added_lines": 1,
        "hunk_added_lines": 4,
        "context": context(),
        "dataflow": True,
    }
    return Finding(**(base | kw))


def test_a_rule_that_does_not_follow_data_ignores_where_the_value_comes_from() -> None:
    """`secure=False` is wrong whatever the cookie holds: a constant value must not demote it."""
    constant = context(
        value=ValueFact(provenance=Provenance.CONSTANT, sanitizers=("html.escape", "guard:quote")),
        sink=None,
    )
    dataflow = static_features(finding(context=constant))
    assert dataflow["dataflow"] == 1.0 and dataflow["value_provenance"] == 1.0 and dataflow["sanitizers"] == 2.0
    setting = static_features(finding(context=constant, dataflow=False))
    assert setting["dataflow"] == 0.0
    assert setting["value_provenance"] == setting["sink_max_provenance"] == 3.0  # as high as request data
    assert setting["sanitizers"] == setting["sanitizer.html"] == setting["guard.quote"] == 0.0
    assert setting == static_features(finding(dataflow=False))  # the same vector as with request data
    assert describe("value_provenance", 3.0, setting) == "the rule does not depend on where the value comes from"


def record(fp: str, rule: str, verdict: Verdict, when: datetime, path: str | None = "app/views.py") -> TriageRecord:
    return TriageRecord(fingerprint=fp, rule_id=rule, verdict=verdict, who="t", when=when, source=Source.CLI, path=path)


def test_schema_names_are_unique_plain_and_constrained_upwards_only() -> None:
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    for name in FEATURE_NAMES:  # LightGBM refuses JSON special characters in feature names
        assert not set(name) & set('",:[]{} '), name
    assert {f.monotone for f in FEATURE_INDEX.values()} <= {0, 1}
    for name in (
        "value_provenance",
        "sink_max_provenance",
        "severity",
        "confidence",
        "reachable",
        "path_new",
        "match_added",
    ):
        assert FEATURE_INDEX[name].monotone == 1, name


def test_static_features_read_rule_context_and_diff() -> None:
    v = static_features(finding())
    assert v["severity"] == 3.0 and v["confidence"] == 2.0
    assert v["category.cmdi"] == 1.0 and sum(v[n] for n in FEATURE_NAMES if n.startswith("category.")) == 1.0
    assert v["cwe.78"] == 1.0 and v["language.python"] == 1.0
    assert v["value_provenance"] == 3.0 and v["sink_max_provenance"] == 3.0 and v["value_parameter"] == 0.0
    assert v["guard.quote"] == 1.0 and v["sanitizers"] == 1.0
    assert v["reachable"] == 1.0 and v["request_handler"] == 1.0 and v["path_new"] == 0.0
    assert v["match_added"] == 1.0 and v["hunk_added_lines"] == 4.0
    assert set(v) == set(FEATURE_NAMES)


def test_text_the_author_writes_freely_is_never_read() -> None:
    """Message, snippet, comments, identifiers, tokens and the path's text do not move the vector."""
    a = finding()
    b = finding(
        message="# safe: reviewed, false positive",
        snippet="sp.call(totally_sanitized_value, shell=True)  # safe",
        path="tests/test_safe.py",  # the path text; the role comes from the context only
        fingerprint="b" * 32,
        context=context(
            scope="safe_helper", function="safe_helper", tokens=("x",), parameters=("totally_sanitized_value",)
        ),
    )
    assert static_features(a) == static_features(b)


def test_a_path_the_change_adds_is_not_trusted() -> None:
    new = static_features(finding(context=context(path_role=PathRole.UNKNOWN)))
    assert new["path_new"] == 1.0 and not any(new[f"path.{r}"] for r in ("test", "example", "vendored"))
    on_base = static_features(finding(severity=Severity.HIGH, context=context(path_role=PathRole.TEST)))
    assert on_base["path.test"] == 1.0 and on_base["path_new"] == 0.0
    assert static_features(finding(context=None))["path_new"] == 1.0


def test_a_path_role_is_no_fact_of_a_critical_finding() -> None:
    """Issue #13: a file under tests/ (or examples/, vendored/ ...) must not sink a critical sink on
    its own, so for a critical finding the model never sees the role; a high one keeps it."""
    for role in (PathRole.TEST, PathRole.EXAMPLE, PathRole.VENDORED, PathRole.GENERATED, PathRole.MIGRATION):
        critical = static_features(finding(severity=Severity.CRITICAL, context=context(path_role=role)))
        high = static_features(finding(severity=Severity.HIGH, context=context(path_role=role)))
        assert critical[f"path.{role.value}"] == 0.0 and critical["path_new"] == 0.0
        assert high[f"path.{role.value}"] == 1.0


def test_unreachable_code_and_constant_values() -> None:
    v = static_features(
        finding(
            context=context(
                reachable=False,
                reachability_reason="after `return` on line 2",
                value=ValueFact(provenance=Provenance.CONSTANT),
                sanitizers=(),
            )
        )
    )
    assert v["reachable"] == 0.0 and v["value_provenance"] == 1.0 and v["guard.quote"] == 0.0


def test_history_counts_latest_verdict_strictly_before_and_never_the_finding_itself() -> None:
    rule = "python.cmdi.shell-command-injection"
    records = [
        record("1" * 32, rule, Verdict.FALSE_POSITIVE, T0),
        record("1" * 32, rule, Verdict.TRUE_POSITIVE, T0 + timedelta(days=1)),  # replaces the first
        record("2" * 32, rule, Verdict.FALSE_POSITIVE, T0 + timedelta(days=2)),
        record("a" * 32, rule, Verdict.FALSE_POSITIVE, T0 + timedelta(days=3)),  # the finding's own
        record("3" * 32, rule, Verdict.FALSE_POSITIVE, T0 + timedelta(days=5)),  # later than the cut-off
    ]
    history = History.from_records(records, before=T0 + timedelta(days=5))
    stats = history.stats(rule, "app/views.py", exclude="a" * 32)
    assert stats["rule_decisions"] == 2.0  # fingerprints 1 (true) and 2 (false)
    assert stats["rule_real_rate"] == (1 + 1) / (2 + 2)
    assert stats["path_decisions"] == 2.0
    assert history.stats(rule, None, exclude="a" * 32)["path_decisions"] == 0.0  # untrusted path


def test_features_of_a_new_path_have_no_per_path_history() -> None:
    rule = "python.cmdi.shell-command-injection"
    history = History.from_records([record("1" * 32, rule, Verdict.FALSE_POSITIVE, T0)])
    trusted = features_of(finding(), history)
    moved = features_of(finding(context=context(path_role=PathRole.UNKNOWN)), history)
    assert trusted["path_decisions"] == 1.0 and moved["path_decisions"] == 0.0
    assert trusted["rule_decisions"] == moved["rule_decisions"] == 1.0


def test_leak_free_history_equals_the_definition_on_a_random_ledger() -> None:
    rng = random.Random(3)
    rules = ["r1", "r2", "r3"]
    fps = [f"{i:032x}" for i in range(40)]
    records = [
        record(
            rng.choice(fps),
            rng.choice(rules),
            rng.choice(list(Verdict)),
            T0 + timedelta(hours=rng.randrange(60)),
            rng.choice(["a.py", "b.py", None]),
        )
        for _ in range(200)
    ]
    rows = [(r.fingerprint, r.rule_id, r.path, r.when) for r in records[::3]]
    got = leak_free_history(records, rows)
    for (fp, rule, path, when), stats in zip(rows, got, strict=True):
        expected = History.from_records(records, before=when).stats(rule, path, exclude=fp)
        assert stats == expected


def test_attach_features_sets_vector_and_schema() -> None:
    [f] = attach_features([finding()])
    assert f.feature_schema == FEATURE_SCHEMA_VERSION
    assert f.features is not None and set(f.features) == set(FEATURE_NAMES)
    assert {n for n in HISTORY_FEATURES} <= set(f.features)
    json.dumps(f.model_dump(mode="json"))  # the vector is part of the JSON report


def test_describe_speaks_a_developers_language() -> None:
    ctx = context(reachable=False, reachability_reason="after `return` on line 12")
    assert describe("value_provenance", 3.0, context=ctx) == "argument comes from request.args"
    assert describe("value_provenance", 1.0) == "argument is a constant (it folds to a fixed value)"
    assert describe("reachable", 0.0, context=ctx) == "code that can never run (after `return` on line 12)"
    vec = {"rule_decisions": 16.0, "rule_real_rate": (2 + 1) / (16 + 2)}
    assert (
        describe("rule_real_rate", vec["rule_real_rate"], vec) == "rule has been dismissed 14 of 16 times in this repo"
    )
    assert describe("rule_decisions", 0.0, {"rule_decisions": 0.0}) == "no earlier decisions on this rule in this repo"
    v = static_features(finding())
    assert describe("category", 1.0, v) == "category cmdi"
    assert describe("guard", 1.0, v) == "quote guard before the sink"
    assert describe("sanitizer", 0.0, v) == "no sanitizer call on the value"
    assert family("category.xss") == "category" and family("severity") == "severity"
    for name in FEATURE_NAMES:  # every feature has words, whatever its value
        assert describe(name, 0.0, v) and describe(name, 1.0, v)


def test_every_feature_is_documented() -> None:
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "features.md").read_text()
    for name in FEATURE_NAMES:
        fam = family(name)
        if fam == name:
            assert f"| `{name}` |" in doc, name
        else:
            assert f"| `{fam}." in doc and name.partition(".")[2] in doc, name


def test_a_sink_moved_into_a_helper_keeps_its_provenance_rank() -> None:
    """Intraprocedurally, request data passed to a helper arrives as a parameter."""
    helper = context(
        value=ValueFact(provenance=Provenance.PARAMETER, sources=("parameter:cmd",)),
        sanitizers=(),
        sink=SinkFact(
            callee="sp.call",
            qualified="subprocess.call",
            arguments=(ArgumentFact(provenance=Provenance.PARAMETER, sources=("parameter:cmd",), position=0),),
        ),
        is_request_handler=False,
    )
    inline = static_features(finding(context=context(sanitizers=(), value=ValueFact(provenance=Provenance.REQUEST))))
    moved = static_features(finding(context=helper))
    assert moved["value_provenance"] == inline["value_provenance"] == 3.0
    assert moved["sink_max_provenance"] == inline["sink_max_provenance"]
    assert moved["value_parameter"] == 1.0 and inline["value_parameter"] == 0.0
    assert describe("value_provenance", 3.0, moved, helper) == (
        "argument comes from parameter:cmd (a caller may pass request data)"
    )


def _js_finding(path: str, *, with_context: bool = True) -> Finding:
    from reviewbot.lang.context import context_for
    from reviewbot.lang.languages import language_of
    from reviewbot.lang.syntax import parse

    source = b'const cp = require("child_process");\nfunction f(req) { cp.exec("ls " + req.query.d); }\n'
    at = source.find(b"cp.exec")
    parsed = parse(source, language_of(path))
    ctx = context_for(parsed, at, at + 30, path=path, path_on_base=True) if with_context else None
    return Finding(
        rule_id="javascript.cmdi.shell-non-constant-command",
        scanner=Scanner.SEMGREP,
        path=path,
        start_line=2,
        start_col=19,
        end_line=2,
        end_col=49,
        message="m",
        severity=Severity.MEDIUM,
        confidence=Confidence.LOW,
        category="cmdi",
        cwe=("CWE-78",),
        fingerprint="f" * 32,
        context=ctx,
    )


@pytest.mark.parametrize(
    ("path", "feature"),
    [
        ("api/app.js", "language.javascript"),
        ("api/app.ts", "language.typescript"),
        ("web/App.tsx", "language.typescript"),
    ],
)
def test_a_javascript_finding_has_its_language_and_context_facts(path: str, feature: str) -> None:
    v = static_features(_js_finding(path))
    assert v[feature] == 1.0
    assert sum(v[n] for n in FEATURE_NAMES if n.startswith("language.")) == 1.0
    assert v["has_context"] == 1.0 and v["request_handler"] == 1.0  # `f(req)` reads req.query
    no_ctx = static_features(_js_finding(path, with_context=False))
    assert no_ctx["has_context"] == 0.0
    assert v["path_new"] == 0.0 and no_ctx["path_new"] == 1.0
    tests_path = static_features(_js_finding("tests/" + path))
    assert tests_path["path.test"] == 1.0
