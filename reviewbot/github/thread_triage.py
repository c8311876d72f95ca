"""Triage verdicts typed in the PR thread, read on the next run.

Two forms are understood, each on the first line of a comment:

* a reply under one of reviewbot's inline comments: `/reviewbot fp <reason>`,
  `/reviewbot accept <reason>` or `/reviewbot tp [note]` — the finding is the thread's;
* a comment on the PR conversation naming the finding by the id the summary shows (at least
  eight hex digits of its fingerprint): `/reviewbot fp 1a2b3c4d <reason>`.

A verdict counts (`trusted`) only from someone with write access (author_association OWNER,
MEMBER or COLLABORATOR). The PR author dismissing a finding in their own PR (fp or accept) is
recorded and shown, never trusted; so is a dismissal without a reason. The latest trusted
verdict per fingerprint wins. Reactions (👍/👎) on reviewbot's own inline comments are verdicts
too (`github/reactions.py`, trusted by the collaborator-permission endpoint rather than by
author_association, which a reaction does not carry); they are merged with these by `when`.

`ThreadVerdict` carries what the triage ledger needs (fingerprint, rule, verdict, reason, who,
when, source) so `reviewbot triage pull` (github/thread_pull.py) can append these to it later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from reviewbot.finding import Disposition, Finding
from reviewbot.github.state import Comment, PrState

WRITE_ACCESS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
_COMMAND = re.compile(r"^\s*/reviewbot\s+(?P<verb>[a-z-]+)\b\s*(?P<rest>.*)$", re.IGNORECASE)
# A conversation command names its finding by a fingerprint prefix first: `/reviewbot fp 1a2b3c4d <reason>`.
FINDING_PREFIX = re.compile(r"^(?P<fp>[0-9a-f]{8,32})\b\s*(?P<rest>.*)$")


class Verdict(StrEnum):
    TRUE_POSITIVE = "true_positive"
    FALSE_POSITIVE = "false_positive"
    ACCEPTED_RISK = "accepted_risk"

    @property
    def dismisses(self) -> bool:
        return self is not Verdict.TRUE_POSITIVE

    @property
    def label(self) -> str:
        return {"true_positive": "confirmed", "false_positive": "false positive", "accepted_risk": "accepted risk"}[
            self.value
        ]


_VERBS = {
    "fp": Verdict.FALSE_POSITIVE,
    "false-positive": Verdict.FALSE_POSITIVE,
    "accept": Verdict.ACCEPTED_RISK,
    "tp": Verdict.TRUE_POSITIVE,
    "true-positive": Verdict.TRUE_POSITIVE,
}


class ThreadVerdict(BaseModel):
    """One human verdict read from the PR thread (trusted or not, and why)."""

    model_config = ConfigDict(frozen=True)

    fingerprint: str
    rule_id: str
    verdict: Verdict
    reason: str
    who: str
    author_association: str
    when: str
    trusted: bool
    why_untrusted: str = ""
    source: Literal["pr-thread"] = "pr-thread"
    via: Literal["command", "reaction"] = "command"  # a `/reviewbot …` comment, or a 👍/👎 reaction
    comment_id: int
    comment_url: str = ""


def parse_command(body: str) -> tuple[Verdict, str] | None:
    """(verdict, the rest of the line) for a `/reviewbot <verb> …` first line, else None."""
    first = next((line for line in body.splitlines() if line.strip()), "")
    m = _COMMAND.match(first)
    if not m or m.group("verb").lower() not in _VERBS:
        return None
    return _VERBS[m.group("verb").lower()], m.group("rest").strip()


def collect_verdicts(state: PrState, rules: Mapping[str, str], pr_author: str) -> list[ThreadVerdict]:
    """Every verdict in the thread about a current finding, oldest first.

    `rules` is the rule id of each current finding by fingerprint: a verdict on anything else is
    not read.
    """
    root_fp = {c.id: fp for fp, posted in state.finding_comments.items() for c, _ in posted}
    out: list[ThreadVerdict] = []
    for root_id, replies in state.replies.items():
        fp = root_fp.get(root_id)
        if fp is None or fp not in rules:
            continue
        for reply in replies:
            parsed = parse_command(reply.text)
            if parsed is not None:
                out.append(_verdict(fp, rules[fp], parsed[0], parsed[1], reply, pr_author))
    for comment in state.issue_comments:
        parsed = parse_command(comment.text)
        if parsed is None:
            continue
        m = FINDING_PREFIX.match(parsed[1])
        if not m:
            continue
        matches = [fp for fp in rules if fp.startswith(m.group("fp"))]
        if len(matches) == 1:
            fp = matches[0]
            out.append(_verdict(fp, rules[fp], parsed[0], m.group("rest").strip(), comment, pr_author))
    return sorted(out, key=lambda v: (v.when, v.comment_id))


def _verdict(
    fingerprint: str, rule_id: str, verdict: Verdict, reason: str, comment: Comment, pr_author: str
) -> ThreadVerdict:
    why = ""
    if comment.author_association not in WRITE_ACCESS:
        why = f"{comment.author_association.lower()} has no write access"
    elif verdict.dismisses and comment.login.casefold() == pr_author.casefold():
        why = "the PR author cannot dismiss a finding in their own PR"
    elif verdict.dismisses and not reason:
        why = "no reason given"
    return ThreadVerdict(
        fingerprint=fingerprint,
        rule_id=rule_id,
        verdict=verdict,
        reason=reason[:500],
        who=comment.login,
        author_association=comment.author_association,
        when=comment.created_at,
        trusted=not why,
        why_untrusted=why,
        comment_id=comment.id,
        comment_url=comment.html_url,
    )


def decisive(verdicts: Iterable[ThreadVerdict]) -> dict[str, ThreadVerdict]:
    """The latest trusted verdict per fingerprint."""
    out: dict[str, ThreadVerdict] = {}
    for v in verdicts:
        if v.trusted:
            out[v.fingerprint] = v
    return out


def apply_verdicts(findings: list[Finding], verdicts: Iterable[ThreadVerdict]) -> list[Finding]:
    """Mark reported findings a trusted verdict dismissed as TRIAGED (mark, don't drop)."""
    final = decisive(verdicts)
    out = []
    for f in findings:
        v = final.get(f.fingerprint)
        if v is not None and v.verdict.dismisses and f.visible:
            f = f.with_disposition(Disposition.TRIAGED, f"{v.verdict.label} (@{v.who}, PR thread): {v.reason}")
        out.append(f)
    return out
