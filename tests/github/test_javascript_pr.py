"""The PR review of a JavaScript change against the loopback GitHub, with the shipped JavaScript
rules and the real semgrep: findings are posted inline, and a rule with a `fix:` (TLS
verification turned off) becomes a suggestion the author can commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.github.fake_github import BOT, FakeGitHub
from tests.hardening.pr_support import pr_checkout, reported, review_pr
from tests.test_javascript_entry_points import CLIENT_JS, CMDI, TLS

JS_RULES = Path(__file__).resolve().parent.parent.parent / "rulesets" / "semgrep" / "javascript"


def test_the_pr_review_comments_on_a_javascript_change_with_a_suggestion(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = pr_checkout(tmp_path / "repo", {"web/client.js": CLIENT_JS})

    _, saved = review_pr(fake, checkout, tmp_path, monkeypatch, "--rules", str(JS_RULES))

    found = {(f["rule_id"], f["path"], f["start_line"]) for f in saved["result"]["findings"]}
    assert {(TLS, "web/client.js", 3), (CMDI, "web/client.js", 4)} <= found
    # the default model has no `tls` rows, so that finding is reported unscored (docs/model-card.md)
    assert (TLS, "web/client.js", 3) in {(f["rule_id"], f["path"], f["start_line"]) for f in reported(saved)}
    mine = [c for c in fake.review_comments if c["user"]["login"] == BOT and c["path"] == "web/client.js"]
    [tls] = [c for c in mine if c["line"] == 3]
    assert "```suggestion\n" in tls["body"]
    assert "rejectUnauthorized: true" in tls["body"].split("```suggestion\n", 1)[1]
    assert all("```suggestion" not in c["body"] for c in mine if c["line"] != 3)  # no fix, no suggestion
