"""Who reviewbot is on GitHub: the logins whose hidden markers are reviewbot's own.

Precedence (docs/github.md, "Bot identity"):

1. `--bot-login` / `REVIEWBOT_BOT_LOGIN` (the action's `bot-login` input): exactly those logins,
   and GitHub is not asked;
2. else `GET /user`, when the token may call it (a personal or OAuth token: reviewbot posts as
   that user), together with the default `github-actions[bot]`, whose comments earlier runs with
   the workflow token wrote;
3. else (an installation token, such as the workflow's GITHUB_TOKEN, gets 403; or GitHub fails)
   the default alone.

Asking GitHub is what lets a team that runs reviewbot with its own app or machine user skip
the override; the override stays because `GET /user` names the token's owner, who is not the
poster when a person runs `triage pull` with their own token on a bot's comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewbot.github.client import Api, GitHubError
from reviewbot.github.markers import DEFAULT_BOT_LOGINS


@dataclass(frozen=True)
class BotIdentity:
    logins: tuple[str, ...]
    how: str  # where the logins came from, for the log


def parse_logins(text: str | None) -> tuple[str, ...]:
    """A comma-separated `bot-login` value as logins (empty: not given)."""
    return tuple(x.strip() for x in (text or "").split(",") if x.strip())


def bot_identity(api: Api, override: Sequence[str] = ()) -> BotIdentity:
    """The logins whose markers count as reviewbot's (see the module docstring for the order)."""
    if override:
        return BotIdentity(tuple(override), "bot-login")
    try:
        data = api.request_json("get the authenticated user", "GET", "/user", None, repeat_safe=True)
    except GitHubError as exc:  # 403 for an installation token; anything else: the same fallback
        return BotIdentity(DEFAULT_BOT_LOGINS, f"default (GET /user: HTTP {exc.status})")
    login = data.get("login") if isinstance(data, dict) else None
    if not isinstance(login, str) or not login.strip():
        return BotIdentity(DEFAULT_BOT_LOGINS, "default (GET /user named no login)")
    extra = tuple(d for d in DEFAULT_BOT_LOGINS if d.casefold() != login.strip().casefold())
    return BotIdentity((login.strip(), *extra), "GET /user")
