"""The three uses end to end through `reviewbot scan --llm`, against the loopback fake.

What is asserted: off unless asked for (and never without a key); the explanation and a verified
fix land on the reported findings only, labelled, with every disposition and score as without the
LLM; the LLM's own findings (use 3) are Findings of scanner `llm` on added lines only, deduplicated
against the rules' and suppressible like them; answers are cached by model and prompt; a server
without structured output is asked in JSON mode; and no secret reaches a request body.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.llm.fake_openai import KEY, FakeOpenAI, Reply, user_document
from tests.llm.support import CONFIG, EXPLANATION, honest, make_repo, scan
from tests.test_redact import SHAPES


def _decisions(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    keys = ("fingerprint", "rule_id", "disposition", "disposition_reason", "score", "severity", "fix")
    return sorted(tuple(f[k] for k in keys) for f in doc["findings"] if f["scanner"] != "llm")


def test_explains_and_fixes_reported_findings_and_changes_no_decision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_repo(tmp_path / "repo")
    with FakeOpenAI(honest).running() as fake:
        without = scan(tmp_path / "repo", fake, monkeypatch, llm=False)
        assert fake.requests == []
        result = scan(tmp_path / "repo", fake, monkeypatch, "--no-cache")
    assert result.code == 0, result.err
    assert fake.violations == []
    assert _decisions(result.doc) == _decisions(without.doc)
    reported = [f for f in result.doc["findings"] if f["disposition"] == "reported"]
    assert {f["rule_id"] for f in reported} == {"test.tls.verify-disabled", "test.cmdi.request-to-shell"}
    for f in reported:
        assert f["llm"]["explanation"] == EXPLANATION and f["llm"]["model"] == "test-model"
    fixes = {f["rule_id"]: f["llm"]["fix"] for f in reported}
    assert fixes["test.tls.verify-disabled"] == '    return requests.get("https://x", verify=True)'
    assert fixes["test.cmdi.request-to-shell"] == "    subprocess.call(cmd)"
    assert "fixes: 2 accepted, 0 rejected" in result.err


def test_text_output_labels_the_llm_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_repo(tmp_path / "repo")
    with FakeOpenAI(honest).running() as fake:
        result = scan(tmp_path / "repo", fake, monkeypatch, "--no-cache", fmt="text")
    assert f"llm (test-model, its words, not a rule's): {EXPLANATION}" in result.out
    assert "llm fix, verified │ subprocess.call(cmd)" in result.out


def test_off_unless_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_repo(tmp_path / "repo")
    with FakeOpenAI(honest).running() as fake:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
        monkeypatch.chdir(tmp_path / "repo")
        import io
        from contextlib import redirect_stderr, redirect_stdout

        from reviewbot.cli.main import main
        from tests.llm.support import RULES

        out = io.StringIO()
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            assert main(["scan", "--base", "main", "--rules", str(RULES), "--format", "json"]) == 0
        assert fake.requests == []  # the config has no `enabled: true` and no --llm was given
        assert all(f["llm"] is None for f in json.loads(out.getvalue())["findings"])


def test_no_llm_beats_enabled_in_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_repo(tmp_path / "repo", config=CONFIG + "  enabled: true\n")
    with FakeOpenAI(honest).running() as fake:
        result = scan(tmp_path / "repo", fake, monkeypatch, llm=False)
        assert fake.requests == []
        assert result.code == 0


def test_no_key_sends_nothing_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_repo(tmp_path / "repo", config=CONFIG + "  api_key_env: TEAM_LLM_KEY\n")
    monkeypatch.delenv("TEAM_LLM_KEY", raising=False)
    with FakeOpenAI(honest).running() as fake:
        result = scan(tmp_path / "repo", fake, monkeypatch)
        assert fake.requests == []
    assert "llm: on, but $TEAM_LLM_KEY holds no key: nothing was sent" in result.err


def test_the_head_cannot_turn_it_on_or_point_it_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The PR's own config edit (enabled, another endpoint) is not obeyed: the base version governs.
    repo = make_repo(tmp_path / "repo", config="version: 1\n")
    repo.write(".reviewbot/config.yml", "version: 1\nllm:\n  enabled: true\n  base_url: http://127.0.0.1:9/v1\n")
    repo.commit("head turns the llm on")
    with FakeOpenAI(honest).running() as fake:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
        import io
        from contextlib import redirect_stderr, redirect_stdout

        from reviewbot.cli.main import main
        from tests.llm.support import RULES

        monkeypatch.chdir(tmp_path / "repo")
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            assert main(["scan", "--base", "main", "--rules", str(RULES), "--format", "json"]) == 0
        assert fake.requests == []


def _review_answer(issues: list[dict[str, Any]]) -> Any:
    def answer(body: dict[str, Any]) -> Reply:
        if user_document(body)["task"].startswith("Review"):
            return Reply(json.dumps({"issues": issues}))
        return honest(body)

    return answer


def test_review_findings_are_findings_of_scanner_llm_on_added_lines_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_repo(tmp_path / "repo")
    issues = [
        {"cwe": "CWE-639", "line": 15, "title": "Object id from the request", "rationale": "No ownership check."},
        {"cwe": "CWE-862", "line": 7, "title": "Unchanged line", "rationale": "Line 7 is the base's."},
        {"cwe": "CWE-295", "line": 11, "title": "TLS off", "rationale": "Same as the rule."},
    ]
    with FakeOpenAI(_review_answer(issues)).running() as fake:
        result = scan(tmp_path / "repo", fake, monkeypatch, "--no-cache")
    mine = {f["rule_id"]: f for f in result.doc["findings"] if f["scanner"] == "llm"}
    assert set(mine) == {"llm.cwe-639", "llm.cwe-295"}  # line 7 (`return 1`) is not added: dropped
    idor = mine["llm.cwe-639"]
    assert idor["start_line"] == idor["end_line"] == 15 and idor["disposition"] == "reported"
    assert idor["message"] == "Object id from the request. No ownership check." and idor["fix"] is None
    # A CWE one of the review's rules lists takes that rule's category (CWE-639: the authz rules').
    assert len(idor["fingerprint"]) == 32 and idor["category"] == "authz" and idor["features"] is not None
    # Same weakness and line as the rule's finding: the LLM's is the duplicate, never the rule's.
    tls = mine["llm.cwe-295"]
    assert tls["category"] == "tls" and tls["disposition"] == "duplicate"
    rule = next(f for f in result.doc["findings"] if f["rule_id"] == "test.tls.verify-disabled")
    assert rule["disposition"] == "reported"
    assert "1 dropped (1 not on an added line)" in result.err


def test_review_findings_are_suppressible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo")
    issues = [{"cwe": "CWE-639", "line": 15, "title": "IDOR", "rationale": "No ownership check."}]
    with FakeOpenAI(_review_answer(issues)).running() as fake:
        first = scan(tmp_path / "repo", fake, monkeypatch, "--no-cache")
        (mine,) = [f for f in first.doc["findings"] if f["scanner"] == "llm"]
        repo.git("checkout", "-q", "main")  # the suppressions file governs from the base, as for any finding
        entry = f"  - id: sup-llm\n    fingerprint: {mine['fingerprint']}\n    reason: the route checks ownership\n"
        repo.write(
            ".reviewbot/suppressions.yml", f"version: 1\nsuppressions:\n{entry}    owner: ada\n    permanent: true\n"
        )
        repo.commit("suppress")
        repo.git("checkout", "-q", "change")
        repo.git("rebase", "-q", "main")
        second = scan(tmp_path / "repo", fake, monkeypatch, "--no-cache")
    assert second.code == 0, second.err
    (again,) = [f for f in second.doc["findings"] if f["scanner"] == "llm"]
    assert again["fingerprint"] == mine["fingerprint"] and again["disposition"] == "suppressed_file"


def test_answers_are_cached_by_model_and_prompt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    make_repo(tmp_path / "repo")
    with FakeOpenAI(honest).running() as fake:
        first = scan(tmp_path / "repo", fake, monkeypatch)
        sent = len(fake.requests)
        again = scan(tmp_path / "repo", fake, monkeypatch)
        assert len(fake.requests) == sent  # a re-run pays nothing
        assert _decisions(again.doc) == _decisions(first.doc)
        assert [f["llm"] for f in again.doc["findings"]] == [f["llm"] for f in first.doc["findings"]]
        assert f"{sent} answer(s) from the cache" in again.err
        monkeypatch.chdir(tmp_path)
    assert sent == 5  # 2 explanations, 2 fixes, 1 hunk


def test_json_mode_when_the_server_has_no_structured_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_repo(tmp_path / "repo")
    with FakeOpenAI(honest, json_schema=False).running() as fake:
        result = scan(tmp_path / "repo", fake, monkeypatch, "--no-cache")
    formats = [r.body["response_format"]["type"] for r in fake.requests]
    assert formats[0] == "json_schema" and set(formats[1:]) == {"json_object"}  # asked once, then JSON mode
    assert all(f["llm"]["explanation"] == EXPLANATION for f in result.doc["findings"] if f["disposition"] == "reported")
    assert fake.violations == []


def test_what_is_sent_is_bounded_redacted_and_marked_untrusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = "".join(f"    # {line}\n" for _, text, _ in SHAPES for line in text.split("\n"))
    filler = "".join(f"    step_{i} = {i}\n" for i in range(200))
    app = (
        "import requests\n\nTOP_LEVEL = 'not sent'\n\n\ndef big():\n"
        + secrets
        + filler
        + '    return requests.get("https://x", verify=False)\n'
    )
    make_repo(tmp_path / "repo", files={"big.py": app, ".env": "OPENAI_API_KEY=sk-live-in-a-file-123456\n"})
    with FakeOpenAI(honest).running() as fake:
        result = scan(tmp_path / "repo", fake, monkeypatch, "--no-cache")
    assert result.code == 0
    bodies = [r.raw.decode() for r in fake.requests]
    for body in bodies:
        assert KEY not in body and "sk-live-in-a-file" not in body
        for _, _, secret in SHAPES:
            assert secret not in body and secret not in json.dumps(json.loads(body), ensure_ascii=False)
        assert "UNTRUSTED DATA" in json.loads(body)["messages"][0]["content"]
    explain = [r for r in fake.requests if user_document(r.body)["task"].startswith("Explain")]
    big = next(r for r in explain if user_document(r.body)["finding"]["path"] == "big.py")
    code = user_document(big.body)["code"]["text"]
    assert len(code.split("\n")) <= 60 and len(code.encode()) <= 6000 + 60 * 8
    assert "TOP_LEVEL" not in code  # only the enclosing function, around the finding
    assert not any(user_document(r.body).get("path") == ".env" for r in fake.requests)


def test_replay_passes_the_switch_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from reviewbot.cli.main import main
    from tests.llm.support import RULES

    make_repo(tmp_path / "repo")
    with FakeOpenAI(honest).running() as fake:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        out = io.StringIO()
        argv = ["replay", "--repo", str(tmp_path / "repo"), "--last", "1", "--rules", str(RULES), "--format", "json"]
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            assert main([*argv, "--llm"]) == 0
        assert len(fake.requests) == 5 and fake.violations == []
        assert f'"explanation": "{EXPLANATION}"' in out.getvalue()
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            assert main([*argv, "--no-llm"]) == 0
        assert len(fake.requests) == 5
