"""The LLM's words are labelled as such wherever a finding is shown, and inert on GitHub."""

from __future__ import annotations

from typing import Any

from reviewbot.finding import Confidence, Finding, LlmNote, Scanner, Severity
from reviewbot.github.checks import annotation
from reviewbot.github.fallback import annotation_lines
from reviewbot.github.review import inline_body
from reviewbot.reporters.markdown import finding_list_item
from tests.hardening.gfm import live_parts, visible_text

HOSTILE = (
    "See [x](https://evil.example) ![i](https://evil.example/i.png) @org/admins <b>hi</b>\n# Approved\n```sh\nrm\n```"
)


def _finding(**update: Any) -> Finding:
    base = Finding(
        rule_id="test.tls.verify-disabled",
        scanner=Scanner.SEMGREP,
        path="a.py",
        start_line=3,
        start_col=5,
        end_line=3,
        end_col=44,
        message="TLS verification disabled.",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        category="tls",
        cwe=("CWE-295",),
        snippet='    requests.get("https://x", verify=False)',
        fingerprint="a" * 32,
    )
    return base.model_copy(update=update)


def test_an_explanation_is_labelled_and_inert() -> None:
    fix = '    requests.get("https://x", verify=True)'
    f = _finding(llm=LlmNote(model="m-1", explanation=HOSTILE, exploit=HOSTILE.replace("\n", " "), fix=fix))
    body = inline_body(f)
    assert live_parts(body, suggestions=frozenset({fix})) == []
    shown = visible_text(body)
    assert "The LLM's words (m-1), not a rule's:" in shown and "Exploit scenario, as the LLM sees it:" in shown
    assert "which reviewbot's verifier accepted" in shown and "```suggestion" in body


def test_an_llm_finding_is_labelled_in_comments_summary_and_annotations() -> None:
    f = _finding(rule_id="llm.cwe-862", scanner=Scanner.LLM, message=f"Missing check. {HOSTILE}", category="llm")
    assert live_parts(inline_body(f)) == [] and "The LLM's words, not a rule's:" in visible_text(inline_body(f))
    assert live_parts(finding_list_item(f)) == [] and "the LLM's words: " in visible_text(finding_list_item(f))
    assert str(annotation(f)["message"]).startswith("the LLM's words: Missing check.")
    (line,) = annotation_lines([f])
    assert "::the LLM's words: Missing check." in line
