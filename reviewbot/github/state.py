"""What is already on the PR: reviewbot's earlier comments, their threads, and the summary.

Comments are read as JSON and parsed here into typed models declaring only the fields used.
A marker counts only on a comment authored by reviewbot itself (markers.py); a marker found on
anyone else's comment is counted as `forged` and otherwise ignored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from reviewbot.github.client import Api
from reviewbot.github.markers import Marker, MarkerKind, is_trusted_author, parse_marker


class _User(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    login: str = ""


class Comment(BaseModel):
    """A review comment (inline, in a thread) or an issue comment (on the PR's conversation)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: int
    body: str | None = ""
    user: _User | None = None
    author_association: str = "NONE"
    created_at: str = ""
    html_url: str = ""
    in_reply_to_id: int | None = None  # review comments only: the thread's first comment
    path: str | None = None

    @property
    def login(self) -> str:
        return self.user.login if self.user else ""

    @property
    def text(self) -> str:
        return self.body or ""


@dataclass
class PrState:
    """reviewbot's own comments by fingerprint, the human replies under them, and the summary."""

    finding_comments: dict[str, list[tuple[Comment, Marker]]] = field(default_factory=dict)
    replies: dict[int, list[Comment]] = field(default_factory=dict)  # thread root id → human replies
    summary: Comment | None = None
    extra_summaries: list[Comment] = field(default_factory=list)
    issue_comments: list[Comment] = field(default_factory=list)  # humans' comments on the conversation
    forged_markers: int = 0  # markers on comments reviewbot did not write: ignored

    def posted(self, fingerprint: str) -> tuple[Comment, Marker] | None:
        found = self.finding_comments.get(fingerprint)
        return found[0] if found else None

    def has_human_reply(self, comment_id: int) -> bool:
        return bool(self.replies.get(comment_id))


def _parse(items: Iterable[dict[str, Any]]) -> list[Comment]:
    out = []
    for item in items:
        try:
            out.append(Comment.model_validate(item))
        except ValidationError:
            continue  # a comment we cannot read is not one of ours
    return out


def build_state(review_comments: list[Comment], issue_comments: list[Comment], bot_logins: Iterable[str]) -> PrState:
    bots = tuple(bot_logins)
    state = PrState()
    by_fp: dict[str, list[tuple[Comment, Marker]]] = defaultdict(list)
    replies: dict[int, list[Comment]] = defaultdict(list)
    for c in sorted(review_comments, key=lambda c: c.id):
        mine = is_trusted_author(c.login, bots)
        marker = parse_marker(c.text) if c.in_reply_to_id is None else None
        if marker is not None and not mine:
            state.forged_markers += 1
            marker = None
        if mine and marker is not None and marker.kind is MarkerKind.FINDING:
            by_fp[marker.fingerprint].append((c, marker))
        elif c.in_reply_to_id is not None and not mine:
            replies[c.in_reply_to_id].append(c)
    for c in sorted(issue_comments, key=lambda c: c.id):
        mine = is_trusted_author(c.login, bots)
        marker = parse_marker(c.text)
        if marker is not None and not mine:
            state.forged_markers += 1
        if mine and marker is not None and marker.kind is MarkerKind.SUMMARY:
            if state.summary is None:
                state.summary = c
            else:
                state.extra_summaries.append(c)
        elif not mine:
            state.issue_comments.append(c)
    state.finding_comments = dict(by_fp)
    state.replies = dict(replies)
    return state


def read_state(api: Api, repository: str, number: int, bot_logins: Iterable[str]) -> PrState:
    review = _parse(api.paginate("list review comments", f"/repos/{repository}/pulls/{number}/comments"))
    issue = _parse(api.paginate("list issue comments", f"/repos/{repository}/issues/{number}/comments"))
    return build_state(review, issue, bot_logins)
