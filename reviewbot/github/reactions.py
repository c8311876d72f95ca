"""👍 / 👎 on reviewbot's own inline comments, as triage verdicts.

A reaction counts only on a comment reviewbot wrote: its marker on the first line AND its author
one of reviewbot's logins (`state.build_state` keeps only those; a marker typed by anyone else
is forged and its reactions are never read). 👍 (`+1`) is `true_positive`, 👎 (`-1`) is
`false_positive`; other reactions mean nothing here.

Trust comes from the repository, not from the reaction: a reaction carries no
author_association, so each reacting user's permission is asked of the collaborator-permission
endpoint once per run (`Permissions`). Only `admin`, `maintain` and `write` count. The PR author
is treated like anyone else: with write access their reaction counts, without it it is shown
and not trusted. A reaction says no reason, so the verdict's reason says where it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, ValidationError

from reviewbot.github.client import Api, GitHubError, NotFound
from reviewbot.github.markers import is_trusted_author
from reviewbot.github.state import PrState
from reviewbot.github.thread_triage import ThreadVerdict, Verdict

WRITE_PERMISSIONS = frozenset({"admin", "maintain", "write"})
_CONTENT = {"+1": Verdict.TRUE_POSITIVE, "-1": Verdict.FALSE_POSITIVE}
REASONS = {
    Verdict.TRUE_POSITIVE: "👍 on reviewbot's comment",
    Verdict.FALSE_POSITIVE: "👎 on reviewbot's comment (a reaction gives no reason)",
}


class _Reactor(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    login: str = ""


class Reaction(BaseModel):
    """One reaction, declaring only the fields read."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: int
    content: str
    created_at: str = ""
    user: _Reactor | None = None


class Permissions:
    """Each user's permission on one repository, asked of GitHub once per run."""

    def __init__(self, api: Api, repository: str) -> None:
        self.api, self.repository = api, repository
        self._cache: dict[str, str] = {}
        self.problems: list[str] = []

    def level(self, login: str) -> str:
        key = login.casefold()
        if key not in self._cache:
            url = f"/repos/{self.repository}/collaborators/{quote(login, safe='')}/permission"
            try:
                data = self.api.request_json("get a collaborator's permission", "GET", url, None, repeat_safe=True)
                self._cache[key] = _level(data)
            except NotFound:
                self._cache[key] = "none"
            except GitHubError as exc:  # not known: not trusted, and said once
                self._cache[key] = "unknown"
                self.problems.append(f"could not read @{login}'s permission on {self.repository}: {exc}")
        return self._cache[key]

    def asked(self) -> int:
        return len(self._cache)


def _level(data: object) -> str:
    """`role_name` names maintain (and custom roles); `permission` folds maintain into write."""
    if not isinstance(data, dict):
        return "unknown"
    role, permission = str(data.get("role_name") or ""), str(data.get("permission") or "")
    return role if role in WRITE_PERMISSIONS else permission or "unknown"


def reaction_verdicts(
    api: Api,
    repository: str,
    state: PrState,
    rules: Mapping[str, str],
    permissions: Permissions,
    bot_logins: tuple[str, ...],
) -> list[ThreadVerdict]:
    """The 👍/👎 verdicts on reviewbot's inline comments about the findings in `rules`, oldest first."""
    out: list[ThreadVerdict] = []
    for fp, posted in state.finding_comments.items():
        if fp not in rules:
            continue
        for comment, _ in posted:
            for reaction in _reactions(api, repository, comment.id):
                verdict = _CONTENT.get(reaction.content)
                login = reaction.user.login if reaction.user else ""
                if verdict is None or not login or is_trusted_author(login, bot_logins):
                    continue
                level = permissions.level(login)
                why = "" if level in WRITE_PERMISSIONS else f"permission {level}, not write"
                out.append(
                    ThreadVerdict(
                        fingerprint=fp,
                        rule_id=rules[fp],
                        verdict=verdict,
                        reason=REASONS[verdict],
                        who=login,
                        author_association=level,
                        when=reaction.created_at,
                        trusted=not why,
                        why_untrusted=why,
                        via="reaction",
                        comment_id=comment.id,
                        comment_url=comment.html_url,
                    )
                )
    return merged(out)


def _reactions(api: Api, repository: str, comment_id: int) -> list[Reaction]:
    """The reactions on one review comment; none when the comment is gone (deleted since it was listed)."""
    url = f"/repos/{repository}/pulls/comments/{comment_id}/reactions"
    out = []
    try:
        for item in api.iter_items("list reactions on a review comment", url):
            try:
                out.append(Reaction.model_validate(item))
            except ValidationError:
                continue  # a reaction we cannot read is no verdict
    except NotFound:
        return []
    return out


def merged(*groups: list[ThreadVerdict]) -> list[ThreadVerdict]:
    """Commands and reactions in one list, oldest first (the latest trusted one decides)."""
    return sorted((v for g in groups for v in g), key=lambda v: (v.when, v.comment_id))
