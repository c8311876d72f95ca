"""Use 2, Fix: the LLM proposes a replacement of the finding's exact lines; the verifier decides.

The proposals are passed to `reviewbot.llm.verify.verify_fixes` (`verify_fix` for many, with one
rerun of the ruleset for all) with the review's `FixVerifier`; only an accepted one is kept (as
`LlmNote.fix`, posted as a ```suggestion), every other one is counted as rejected. Before the
verifier, reviewbot rejects a replacement that redaction would alter (it quotes a secret: a
masked text is never a suggestion), one that adds a comment that silences a scanner, one that
only deletes the lines (`pass`, a comment), and one that adds a capability the finding's lines
did not have (a URL, the environment, a shell, dynamic code): the verifier reruns the rules, and
neither a deletion nor a backdoor need be something a rule sees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from reviewbot.finding import Finding
from reviewbot.llm.prompt import CodeWindow, file_lines, finding_document
from reviewbot.redact import redact_text

if TYPE_CHECKING:
    from reviewbot.llm.verify import FixProposal, FixVerifier

TASK = (
    "Propose a minimal fix for this finding: the full replacement text of lines first_line..last_line "
    "of the finding (exactly those lines, same indentation, no other lines), keeping the code's "
    "behaviour otherwise. Field: replacement (string)."
)
MAX_REPLACEMENT_CHARS = 4000
# What a minimal fix never needs to add: a network address, the environment, a shell or process,
# dynamic code, a socket, an encoding used to hide a payload.
_CAPABILITY = re.compile(
    r"(?i)\b[a-z][a-z0-9+.-]*://[^\s'\"/]*|\b\d{1,3}(?:\.\d{1,3}){3}\b|\benviron\b|\bgetenv\b|\bsubprocess\b|\bos\.system\b"
    r"|\bpopen\b|\bexec\b|\beval\b|__import__|\bcompile\(|\bsocket\b|\bbase64\b|\bpickle\b|\bmarshal\b"
)
# Comments that make a scanner skip a line: semgrep's, reviewbot's own, and common linters'.
_SILENCER = re.compile(r"(?i)nosemgrep|reviewbot\s*:\s*ignore|\bnosec\b|\bnoqa\b|\bpragma\b|\blgtm\b")


class FixAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    replacement: str = Field(max_length=MAX_REPLACEMENT_CHARS)


def fix_request(finding: Finding, window: CodeWindow) -> str:
    return finding_document(finding, window, TASK)


def proposal_for(finding: Finding, source: bytes, answer: FixAnswer) -> FixProposal | str:
    """The proposal to put to the verifier, or why reviewbot rejects it before that."""
    from reviewbot.llm.verify import FixProposal

    replacement = answer.replacement.rstrip("\n")
    if redact_text(replacement) != replacement:
        return "the replacement quotes a secret"
    original = "\n".join(file_lines(source)[finding.start_line - 1 : finding.end_line])
    if replacement == original:
        return "the replacement changes nothing"
    if _only_deletes(replacement) and not _only_deletes(original):
        # Deleting the lines removes the finding and trips no rule: the verifier would pass it.
        return "the replacement only deletes the code"
    if _SILENCER.search(replacement) and not _SILENCER.search(original):
        # A comment that silences a scanner would make any finding "gone" on the rerun.
        return "the replacement adds a suppression comment"
    added = {m.group().lower() for m in _CAPABILITY.finditer(replacement)} - {
        m.group().lower() for m in _CAPABILITY.finditer(original)
    }
    if added:
        # A minimal fix needs none of these; a "fix" that adds one (a URL to send data to, the
        # environment, a shell, dynamic code) is what a prompt-injected model would propose, and
        # the rules the verifier reruns need not see it.
        return "the replacement adds " + ", ".join(sorted(added))
    return FixProposal(finding.path, finding.start_line, finding.end_line, replacement)


def _only_deletes(text: str) -> bool:
    """Nothing left but `pass`, `...`, comments and blank lines (line by line: no regex to backtrack)."""
    return all(line.split("#", 1)[0].split("//", 1)[0].strip() in ("", "pass", "...") for line in text.split("\n"))


def verify_all(items: Sequence[tuple[Finding, bytes, FixProposal]], verifier: FixVerifier) -> list[tuple[bool, str]]:
    """The verifier's (accepted, reason) for each proposal, with one rerun of the rules for all."""
    from reviewbot.llm.verify import describe, verify_fixes

    verdicts = verify_fixes([(f, source.decode("utf-8", "replace"), p) for f, source, p in items], verifier)
    return [(v.accepted, describe(v.reason)) for v in verdicts]
