"""The fake GitHub's operations for decisions already on GitHub: code-scanning alerts, reactions,
collaborator permissions, the authenticated user, and the list of pull requests.

Kept apart from fake_github.py (which calls `dispatch` for these operations) so that its
additions stay small. Every response built here is also checked against the response schema of
the vendored description (`openapi.response_problems`, nullable fields understood); a mismatch is
a violation, as a bad request is. GitHub's behaviour imitated: an installation token gets 403 on
`GET /user`; a token without `security-events: read` gets 403 on code scanning; a user who is not
a collaborator gets 404 on the permission endpoint; `maintain` is reported as permission `write`
with role_name `maintain`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from tests.github.openapi import Route, response_problems

if TYPE_CHECKING:
    from tests.github.fake_github import FakeGitHub, Identity

OPERATIONS = frozenset(
    {
        "pulls/list",
        "reactions/list-for-pull-request-review-comment",
        "reactions/list-for-issue-comment",
        "repos/get-collaborator-permission-level",
        "users/get-authenticated",
        "code-scanning/list-alerts-for-repo",
        "code-scanning/get-alert",
    }
)
_NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
_INTEGRATION = {
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest",
}


def example(fake: FakeGitHub, name: str) -> dict[str, Any]:
    value = fake.spec["components"]["examples"][name]["value"]
    return copy.deepcopy(value[0] if isinstance(value, list) else value)


def user_json(fake: FakeGitHub, login: str, kind: str = "User") -> dict[str, Any]:
    user: dict[str, Any] = example(fake, "reaction-items")["user"]
    user.update(login=login, type=kind, id=abs(hash(login)) % 10**6)
    return user


def alert_json(
    fake: FakeGitHub,
    number: int,
    *,
    state: str,
    rule: str,
    path: str,
    commit: str,
    start_line: int,
    end_line: int | None = None,
    start_column: int | None = 1,
    end_column: int | None = None,
    tool: str = "CodeQL",
    dismissed_by: str | None = None,
    dismissed_at: str | None = None,
    reason: str | None = None,
    comment: str | None = None,
    created_at: str = "2026-01-01T00:00:00Z",
) -> dict[str, Any]:
    """A code-scanning alert from the description's example, with these values written over it."""
    alert = example(fake, "code-scanning-alert-items")
    repo = "octo-org/hello"
    alert.update(
        number=number,
        created_at=created_at,
        state=state,
        url=f"{fake.api_url}/repos/{repo}/code-scanning/alerts/{number}",
        html_url=f"https://github.example/{repo}/security/code-scanning/{number}",
        instances_url=f"{fake.api_url}/repos/{repo}/code-scanning/alerts/{number}/instances",
        dismissed_by=user_json(fake, dismissed_by) if dismissed_by else None,
        dismissed_at=dismissed_at,
        dismissed_reason=reason,
        dismissed_comment=comment,
        fixed_at="2026-02-01T00:00:00Z" if state == "fixed" else None,
    )
    alert["rule"].update(id=rule, name=rule)
    alert["tool"]["name"] = tool
    inst = alert["most_recent_instance"]
    inst.update(commit_sha=commit, state=state if state != "dismissed" else "dismissed")
    location: dict[str, Any] = {"path": path, "start_line": start_line, "end_line": end_line or start_line}
    if start_column is not None:
        location["start_column"] = start_column
    if end_column is not None:
        location["end_column"] = end_column
    inst["location"] = location
    return alert


def add_reaction(fake: FakeGitHub, comment_id: int, login: str, content: str, created_at: str) -> dict[str, Any]:
    reaction = example(fake, "reaction-items")
    reaction.update(id=fake.next_id(), user=user_json(fake, login), content=content, created_at=created_at)
    fake.reactions.setdefault(comment_id, []).append(reaction)
    return reaction


def dispatch(
    fake: FakeGitHub, route: Route, params: dict[str, str], query: dict[str, list[str]], who: Identity
) -> tuple[int, dict[str, str], Any]:
    status, headers, body = _dispatch(fake, route, params, query, who)
    for problem in response_problems(fake.spec, route, status, body):
        fake.violations.append(f"{route.method.upper()} {route.template}: {problem}")
    return status, headers, body


def _dispatch(
    fake: FakeGitHub, route: Route, params: dict[str, str], query: dict[str, list[str]], who: Identity
) -> tuple[int, dict[str, str], Any]:
    op = route.op["operationId"]
    repo = f"{params.get('owner')}/{params.get('repo')}"
    path = route.template.format(**params)
    if op == "users/get-authenticated":
        if who.kind == "Bot":  # an installation token (the workflow's GITHUB_TOKEN, an app)
            return 403, {}, _INTEGRATION
        user = example(fake, "private-user-response-with-public-and-private-profile-information")
        user.update(login=who.login, id=abs(hash(who.login)) % 10**6)
        return 200, {}, user
    if op == "repos/get-collaborator-permission-level":
        level = fake.permissions.get(params["username"].lower())
        if level is None:
            return 404, {}, _NOT_FOUND
        answer = example(fake, "repository-collaborator-permission-response-if-user-has-admin-permissions")
        answer.update(permission={"maintain": "write", "triage": "read"}.get(level, level), role_name=level)
        # The description's example user lacks `role_name`, which the schema requires: GitHub sends it.
        answer["user"].update(login=params["username"], role_name=level)
        return 200, {}, answer
    if op.startswith("reactions/"):
        cid = int(params["comment_id"])
        store = fake.review_comments if "pull-request" in op else fake.issue_comments
        if not any(c["id"] == cid for c in store):
            return 404, {}, _NOT_FOUND
        items = [r for r in fake.reactions.get(cid, []) if r["content"] == query.get("content", [r["content"]])[0]]
        return fake._page(items, query, path)
    if op == "pulls/list":
        state = query.get("state", ["open"])[0]
        pulls = [p for (base, _), p in fake.pulls.items() if base == repo and state in (p.state, "all")]
        key = "updated_at" if query.get("sort", ["created"])[0] == "updated" else "created_at"
        pulls.sort(key=lambda p: getattr(p, key), reverse=query.get("direction", ["desc"])[0] == "desc")
        return fake._page([_pull_simple(fake, p) for p in pulls], query, path)
    if fake.code_scanning_forbidden:
        return 403, {}, _INTEGRATION
    if op == "code-scanning/list-alerts-for-repo":
        alerts = [a for a in fake.alerts if query.get("state", [a["state"]])[0] == a["state"]]
        alerts = [a for a in alerts if query.get("tool_name", [a["tool"]["name"]])[0] == a["tool"]["name"]]
        alerts.sort(key=lambda a: (a["created_at"], a["number"]), reverse=query.get("direction", ["desc"])[0] == "desc")
        return fake._page(alerts, query, path)
    alert = next((a for a in fake.alerts if a["number"] == int(params["alert_number"])), None)
    return (200, {}, alert) if alert is not None else (404, {}, _NOT_FOUND)


def _pull_simple(fake: FakeGitHub, pull: Any) -> dict[str, Any]:
    data = example(fake, "pull-request-simple-items")
    data.update(
        number=pull.number,
        state=pull.state,
        created_at=pull.created_at,
        updated_at=pull.updated_at,
        closed_at=pull.closed_at,
        merged_at=None,
        requested_teams=[],  # the example's team lacks the `type` its schema requires
        url=f"{fake.api_url}/repos/{pull.base_repo}/pulls/{pull.number}",
    )
    data["user"]["login"] = pull.author
    return data
