"""The GitHub Actions environment and event payload, parsed at the border into typed values.

Only the fields reviewbot uses are declared (everything else in the payload is ignored). Two
events are understood:

* `pull_request` / `pull_request_target`: the PR is in the payload (number, head, base);
* `workflow_run` (the privileged second stage of the fork pattern): the payload names the head
  commit that ran; the PR is `workflow_run.pull_requests` when GitHub fills it (same-repo PRs) and
  otherwise a number from the first stage's artifact, which is untrusted and must be verified
  against `GET /pulls/{n}` (see runner.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reviewbot._yaml import load_json
from reviewbot.errors import InputError

_SHA = r"^[0-9a-f]{40}([0-9a-f]{24})?$"


class EventError(InputError):
    """The environment or event payload is missing something reviewbot needs; the message says what."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Repo(_Model):
    full_name: str


class _User(_Model):
    login: str


class _Ref(_Model):
    sha: str = Field(pattern=_SHA)
    ref: str = ""
    repo: _Repo | None = None  # None when the head repository (a fork) was deleted


class _PullRequest(_Model):
    number: int = Field(ge=1)
    head: _Ref
    base: _Ref
    user: _User
    state: str = "open"


class PullRequestEvent(_Model):
    number: int = Field(ge=1)
    pull_request: _PullRequest


class _RunPullRef(_Model):
    sha: str


class _RunPull(_Model):
    number: int = Field(ge=1)
    head: _RunPullRef


class _WorkflowRun(_Model):
    id: int
    head_sha: str = Field(pattern=_SHA)
    event: str
    conclusion: str | None = None
    head_repository: _Repo | None = None
    pull_requests: list[_RunPull] = Field(default_factory=list)


class WorkflowRunEvent(_Model):
    workflow_run: _WorkflowRun


class PrContext(_Model):
    """The pull request under review, as far as a trusted source (event or API) says."""

    repository: str  # owner/name of the base repository (where comments go)
    number: int
    head_sha: str
    base_sha: str
    author: str  # the PR author's login
    head_repository: str | None  # owner/name of the head repository; differs for a fork
    state: str = "open"

    @property
    def is_fork(self) -> bool:
        return self.head_repository != self.repository


class ActionEnv(_Model):
    """The variables GitHub Actions sets for a step, and the ones reviewbot's action adds."""

    event_name: str
    event_path: Path
    repository: str = Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    token: str = ""
    api_url: str = "https://api.github.com"
    step_summary: Path | None = None
    workspace: Path | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ActionEnv:
        missing = [k for k in ("GITHUB_EVENT_PATH", "GITHUB_REPOSITORY") if not environ.get(k)]
        if missing:
            raise EventError(f"{', '.join(missing)} not set: `reviewbot pr` runs inside a GitHub Actions job")
        try:
            return cls(
                event_name=environ.get("GITHUB_EVENT_NAME", ""),
                event_path=Path(environ["GITHUB_EVENT_PATH"]),
                repository=environ["GITHUB_REPOSITORY"],
                token=environ.get("GITHUB_TOKEN", ""),
                api_url=(environ.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"),
                step_summary=Path(environ["GITHUB_STEP_SUMMARY"]) if environ.get("GITHUB_STEP_SUMMARY") else None,
                workspace=Path(environ["GITHUB_WORKSPACE"]) if environ.get("GITHUB_WORKSPACE") else None,
            )
        except ValidationError as exc:
            raise EventError(f"GITHUB_REPOSITORY={environ['GITHUB_REPOSITORY']!r}: not owner/name") from exc


Event = PullRequestEvent | WorkflowRunEvent


def load_event(path: Path, event_name: str) -> Event:
    """Parse the payload at `path` as `event_name` (or by its shape when the name is unknown)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EventError(f"{path}: cannot read the event payload: {exc.strerror}") from exc
    raw = load_json(data, f"{path}: the event payload", error=EventError)
    if not isinstance(raw, dict):
        raise EventError(f"{path}: the event payload is not a JSON object")
    if not event_name:
        event_name = "workflow_run" if "workflow_run" in raw else "pull_request"
    try:
        if event_name in ("pull_request", "pull_request_target"):
            return PullRequestEvent.model_validate(raw)
        if event_name == "workflow_run":
            return WorkflowRunEvent.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise EventError(f"{path}: not a {event_name} payload reviewbot can use: {problems}") from exc
    raise EventError(f"event {event_name!r} is not supported: run reviewbot on pull_request or workflow_run")


def context_from_pull_request(event: PullRequestEvent, repository: str) -> PrContext:
    return _context(event.pull_request, repository)


def _context(pr: _PullRequest, repository: str) -> PrContext:
    return PrContext(
        repository=repository,
        number=pr.number,
        head_sha=pr.head.sha,
        base_sha=pr.base.sha,
        author=pr.user.login,
        head_repository=pr.head.repo.full_name if pr.head.repo else None,
        state=pr.state,
    )


def context_from_api(data: Mapping[str, object], repository: str) -> PrContext:
    """A PrContext from a `GET /pulls/{n}` response (trusted: it comes from GitHub)."""
    try:
        pr = _PullRequest.model_validate(data)
    except ValidationError as exc:
        raise EventError(f"GitHub returned a pull request reviewbot cannot read: {exc.errors()[:2]}") from exc
    return _context(pr, repository)
