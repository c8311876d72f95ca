"""The three uses end to end through `reviewbot scan --llm`, against the loopback fake."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.llm.fake_openai import FakeOpenAI
from tests.llm.support import honest, make_repo, scan


def test_explains_and_fixes_reported_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_repo(tmp_path / "repo")
    with FakeOpenAI(honest).running() as fake:
        result = scan(tmp_path / "repo", fake, monkeypatch, capsys)
    assert result.code == 0, result.err
    assert fake.violations == []
    findings = result.doc["findings"]
    print(result.err)
    assert {f["rule_id"] for f in findings} >= {"test.tls.verify-disabled"}
    for f in findings:
        assert f["llm"]["explanation"] == "The value reaches the call unchecked."
