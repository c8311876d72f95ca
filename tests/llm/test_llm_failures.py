"""Every failure of the LLM costs the review its LLM text and nothing else, and a note says so.

Timeout, 429 with retry-after, 500, refusal, malformed JSON, an answer of the wrong shape and an
exhausted budget, each through `reviewbot scan --llm` against the loopback fake with the real
SDK: exit 0, the same findings with the same dispositions as `--no-llm`, no LLM text, and the
note naming what was skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.llm.fake_openai import FakeOpenAI, Fault, Reply
from tests.llm.support import honest, make_repo, scan

CONFIG = "version: 1\nllm:\n  model: test-model\n  fix: false\n  timeout_s: 0.5\n"


@pytest.fixture(scope="module")
def repo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("failures") / "repo"
    make_repo(root, config=CONFIG)
    return root


@pytest.fixture(scope="module")
def baseline(repo_root: Path) -> list[dict[str, Any]]:
    with pytest.MonkeyPatch.context() as mp, FakeOpenAI(honest).running() as fake:
        result = scan(repo_root, fake, mp, "--no-cache", llm=False)
        assert fake.requests == []
    assert result.code == 0
    return _decisions(result.doc)


def _decisions(doc: dict[str, Any]) -> list[dict[str, Any]]:
    keys = ("fingerprint", "rule_id", "disposition", "disposition_reason", "score", "severity", "fix")
    return sorted(({k: f[k] for k in keys} for f in doc["findings"]), key=lambda d: d["fingerprint"])


@pytest.fixture
def run(repo_root: Path, baseline: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def go(fake: FakeOpenAI) -> tuple[dict[str, Any], str]:
        result = scan(repo_root, fake, monkeypatch, "--no-cache")
        assert result.code == 0, result.err
        assert "Traceback" not in result.err
        assert fake.violations == []
        assert _decisions(result.doc) == baseline  # nothing but the LLM's text was lost
        assert all(f.get("llm") is None for f in result.doc["findings"])
        return result.doc, result.err

    yield go


def _note(doc: dict[str, Any]) -> str:
    (note,) = [str(n) for n in doc["notes"] if n.startswith("llm (")]
    return note


def test_timeout(run: Any) -> None:
    fake = FakeOpenAI(honest)
    fake.faults.append(Fault(200, delay=2.0, times=100))
    with fake.running():
        doc, _ = run(fake)
    assert "2 timeout" in _note(doc)
    assert len(fake.requests) == 6  # each call tried three times by the SDK


def test_after_two_timeouts_the_endpoint_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_repo(tmp_path / "repo", config="version: 1\nllm:\n  review: true\n  timeout_s: 0.3\n")
    fake = FakeOpenAI(honest)
    fake.faults.append(Fault(200, delay=1.5, times=100))
    with fake.running():
        result = scan(tmp_path / "repo", fake, monkeypatch, "--no-cache")
    assert result.code == 0
    assert "2 timeout" in _note(result.doc) and "3 endpoint unavailable" in _note(result.doc)
    assert len(fake.requests) == 6  # the hunk and the first explanation; nothing after


def test_429_with_retry_after_is_retried_then_answered(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeOpenAI(honest)
    fake.faults.append(Fault(429, headers={"retry-after-ms": "20", "retry-after": "0"}, times=1))
    with fake.running():
        result = scan(repo_root, fake, monkeypatch, "--no-cache")
    assert result.code == 0
    assert all(f["llm"]["explanation"] for f in result.doc["findings"] if f["disposition"] == "reported")
    assert "skipped" not in _note(result.doc)
    assert len(fake.requests) == 3  # the 429, its retry, the second finding's call


def test_429_that_persists_is_a_skip(run: Any) -> None:
    fake = FakeOpenAI(honest)
    fake.faults.append(Fault(429, headers={"retry-after-ms": "10"}, times=100))
    with fake.running():
        doc, _ = run(fake)
    assert "2 rate-limited (429)" in _note(doc)
    assert len(fake.requests) == 6  # retried as the server asked, then given up


def test_500(run: Any) -> None:
    fake = FakeOpenAI(honest)
    fake.faults.append(Fault(500, headers={"retry-after-ms": "10"}, times=100))
    with fake.running():
        doc, _ = run(fake)
    assert "2 HTTP 500" in _note(doc)


def test_refusal(run: Any) -> None:
    with FakeOpenAI(lambda body: Reply(refusal="I can't help with that.")).running() as fake:
        doc, _ = run(fake)
    assert "2 refused" in _note(doc)


def test_malformed_json(run: Any) -> None:
    with FakeOpenAI(lambda body: Reply('{"explanation": "cut off')).running() as fake:
        doc, _ = run(fake)
    assert "2 malformed answer" in _note(doc)


def test_answer_of_the_wrong_shape(run: Any) -> None:
    wrong = json.dumps({"explanation": "fine", "exploit": "none.", "disposition": "triaged"})
    with FakeOpenAI(lambda body: Reply(wrong)).running() as fake:
        doc, _ = run(fake)
    assert "2 malformed answer" in _note(doc)


def test_answer_cut_off_by_the_token_limit(run: Any) -> None:
    with FakeOpenAI(
        lambda body: Reply('{"explanation": "x", "exploit": "y."}', finish_reason="length")
    ).running() as fake:
        doc, _ = run(fake)
    assert "2 answer cut off" in _note(doc)


def test_budget_exhausted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The budget is the base version's config (the trusted side): a repository with max_calls 0.
    make_repo(tmp_path / "repo", config=CONFIG + "  max_calls: 0\n")
    with FakeOpenAI(honest).running() as fake:
        result = scan(tmp_path / "repo", fake, monkeypatch, "--no-cache")
    assert result.code == 0 and fake.requests == []
    assert "2 budget exhausted" in _note(result.doc)


def test_budget_runs_out_midway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_repo(tmp_path / "repo", config=CONFIG + "  max_calls: 1\n")
    with FakeOpenAI(honest).running() as fake:
        result = scan(tmp_path / "repo", fake, monkeypatch, "--no-cache")
    assert len(fake.requests) == 1
    explained = [f for f in result.doc["findings"] if f["llm"]]
    assert len(explained) == 1 and "1 budget exhausted" in _note(result.doc)


def test_a_wrong_key_stops_the_calls(run: Any) -> None:
    fake = FakeOpenAI(honest)
    fake.faults.append(
        Fault(401, body={"error": {"message": "bad key", "type": "auth", "param": None, "code": None}}, times=100)
    )
    with fake.running():
        doc, _ = run(fake)
    note = _note(doc)
    assert "1 HTTP 401" in note and "1 endpoint unavailable" in note
    assert len(fake.requests) == 1  # not retried, and not asked again
