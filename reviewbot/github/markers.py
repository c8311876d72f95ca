"""Hidden markers: how reviewbot recognises its own comments on later runs.

Every comment reviewbot writes starts with one HTML comment on its first line:

    <!-- reviewbot:finding v1 fp=<32 hex> state=open -->     an inline finding comment
    <!-- reviewbot:summary v1 -->                           the one summary (issue) comment
    <!-- reviewbot:review v1 head=<sha> -->                 a review body

Only the first line is read, so code or messages quoted further down a comment (which the PR
controls) can never pass for a marker. A marker is trusted only on a comment whose author is
reviewbot itself (see `is_trusted_author`): anyone can type a marker into their own comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_BOT_LOGINS = ("github-actions[bot]",)

_FINDING = re.compile(r"^<!-- reviewbot:finding v1 fp=(?P<fp>[0-9a-f]{32}) state=(?P<state>open|resolved) -->$")
_SUMMARY = "<!-- reviewbot:summary v1 -->"
_REVIEW = re.compile(r"^<!-- reviewbot:review v1 head=[0-9a-f]{7,64} -->$")


class MarkerKind(StrEnum):
    FINDING = "finding"
    SUMMARY = "summary"
    REVIEW = "review"


class CommentState(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Marker:
    kind: MarkerKind
    fingerprint: str = ""
    state: CommentState = CommentState.OPEN


def finding_marker(fingerprint: str, state: CommentState = CommentState.OPEN) -> str:
    if not re.fullmatch(r"[0-9a-f]{32}", fingerprint):
        raise ValueError(f"not a fingerprint: {fingerprint!r}")
    return f"<!-- reviewbot:finding v1 fp={fingerprint} state={state.value} -->"


def summary_marker() -> str:
    return _SUMMARY


def review_marker(head_sha: str) -> str:
    return f"<!-- reviewbot:review v1 head={head_sha} -->"


def parse_marker(body: str | None) -> Marker | None:
    """The marker on the first line of `body`, or None. Nothing past the first line is read."""
    if not body:
        return None
    first = body.split("\n", 1)[0].rstrip("\r")
    m = _FINDING.match(first)
    if m:
        return Marker(MarkerKind.FINDING, m.group("fp"), CommentState(m.group("state")))
    if first == _SUMMARY:
        return Marker(MarkerKind.SUMMARY)
    if _REVIEW.match(first):
        return Marker(MarkerKind.REVIEW)
    return None


def is_trusted_author(login: str | None, bot_logins: Iterable[str]) -> bool:
    """True when `login` is reviewbot's own identity (compared case-insensitively, as GitHub does)."""
    if not login:
        return False
    return login.casefold() in {b.casefold() for b in bot_logins}
