"""Talking to GitHub politely: PyGithub construction, retries, backoff and spacing of writes.

PyGithub's own retry (urllib3) and throttling are switched off and done here instead, because
the policy depends on the call, and because every wait goes through an injectable `sleep`:

* 5xx and connection errors: reads and idempotent writes (PATCH, DELETE, and POSTs that are
  safe to repeat) are retried with exponential backoff; a POST that may have been applied is
  not — it raises `Transient` so the caller can re-read what exists first (review.py does);
* rate limits (403/429 carrying `retry-after`, `x-ratelimit-remaining: 0` + `x-ratelimit-reset`,
  or GitHub's "secondary rate limit" message): every call is retried, since the request was
  refused, after `retry-after` seconds, until the reset time, or after an exponential secondary
  backoff (one minute by default, as GitHub asks) — unless the wait exceeds `max_wait`;
* 403 otherwise raises `Forbidden` (a read-only token), 422 `Unprocessable` (never retried
  unchanged), 404 `NotFound`;
* writes are spaced at least `write_spacing` seconds apart (GitHub asks for one second).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import github
import requests
from github.GithubObject import NonCompletableGithubObject
from github.PaginatedList import PaginatedList
from github.Requester import Requester

from reviewbot import __version__
from reviewbot.errors import EXIT_TOOL, ReviewbotError

T = TypeVar("T")


class GitHubError(ReviewbotError):
    """A GitHub API call failed for good; the message names the call and GitHub's answer."""

    exit_code = EXIT_TOOL  # a service we depend on failed: not a bug in reviewbot (exit 4)

    def __init__(self, what: str, status: int | None, message: str) -> None:
        self.what, self.status, self.detail = what, status, message
        code = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"{what}: {code}: {message}")


class Forbidden(GitHubError):
    """403 that is not a rate limit: the token may not write here (a fork PR's read-only token)."""


class Unprocessable(GitHubError):
    """422: GitHub refused this exact payload; sending it again would fail again."""


class NotFound(GitHubError):
    """404."""


class RateLimited(GitHubError):
    """A rate limit whose reset is further away than reviewbot is willing to wait."""


class Transient(GitHubError):
    """5xx or a broken connection, after the retries this call allows."""


@dataclass
class ClientSettings:
    api_url: str
    token: str
    timeout: int = 30
    max_attempts: int = 4
    backoff: float = 2.0  # first wait after a 5xx; doubles each attempt
    secondary_wait: float = 60.0  # first wait after a secondary rate limit without retry-after
    max_wait: float = 300.0  # give up (and fall back) rather than wait longer than this at once
    write_spacing: float = 1.0
    sleep: Callable[[float], None] = field(default=lambda seconds: time.sleep(seconds), repr=False)
    clock: Callable[[], float] = field(default=lambda: time.time(), repr=False)

    @classmethod
    def from_environ(cls, api_url: str, token: str, environ: Mapping[str, str]) -> ClientSettings:
        """Defaults, with the timing knobs overridable by REVIEWBOT_GITHUB_* variables (docs/github.md)."""
        settings = cls(api_url=api_url, token=token)
        for name in ("backoff", "secondary_wait", "max_wait", "write_spacing"):
            raw = environ.get(f"REVIEWBOT_GITHUB_{name.upper()}")
            # a bad knob keeps its default; the knobs are for tests and odd setups
            with contextlib.suppress(ValueError):
                setattr(settings, name, max(0.0, float(raw or "x")))
        return settings


def make_github(settings: ClientSettings) -> github.Github:
    """A lazy PyGithub client: objects are built from URLs without fetching them first."""
    return github.Github(
        auth=github.Auth.Token(settings.token) if settings.token else None,
        base_url=settings.api_url,
        timeout=settings.timeout,
        user_agent=f"reviewbot/{__version__}",
        per_page=100,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
        lazy=True,
    )


class RawItem(NonCompletableGithubObject):
    """A list element kept as its JSON, parsed by the caller into its own typed model.

    PyGithub's typed objects fetch an element again when a field absent from the list
    response is read (a comment without `in_reply_to_id`); reading the JSON avoids that.
    """

    def _initAttributes(self) -> None:
        pass

    def _useAttributes(self, attributes: dict[str, Any]) -> None:
        pass


class Api:
    """Runs PyGithub calls under reviewbot's retry, backoff and spacing policy."""

    def __init__(self, settings: ClientSettings, gh: github.Github | None = None) -> None:
        self.settings = settings
        self.gh = gh if gh is not None else make_github(settings)
        self._last_write: float | None = None
        self.waits: list[tuple[str, float]] = []  # every wait taken, and why (for the log)

    @property
    def requester(self) -> Requester:
        return self.gh.requester

    def read(self, what: str, call: Callable[[], T]) -> T:
        return self._run(what, call, write=False, repeat_safe=True)

    def write(self, what: str, call: Callable[[], T], *, repeat_safe: bool) -> T:
        """A write; `repeat_safe` says whether sending it twice is harmless (PATCH, DELETE)."""
        return self._run(what, call, write=True, repeat_safe=repeat_safe)

    def paginate(self, what: str, url: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every element of a paginated list endpoint, as JSON objects (Link headers followed)."""

        def fetch() -> list[dict[str, Any]]:
            pages: PaginatedList[RawItem] = PaginatedList(
                RawItem, self.requester, url, {"per_page": 100, **(params or {})}
            )
            return [item.raw_data for item in pages]

        return self.read(what, fetch)

    def iter_items(self, what: str, url: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """The elements of a paginated list endpoint, one page fetched at a time.

        Unlike `paginate`, each page is its own retried call (a rate limit on page 40 of 50
        waits and fetches page 40 again, not the whole list), and the caller may stop early
        (the pull requests closed since a date, newest first). Pages follow the Link header.
        """
        next_url: str | None = url
        query: dict[str, Any] | None = {"per_page": 100, **(params or {})}
        while next_url is not None:
            fetch = partial(self.requester.requestJsonAndCheck, "GET", next_url, parameters=query)
            headers, data = self.read(what, fetch)
            yield from (item for item in (data if isinstance(data, list) else []) if isinstance(item, dict))
            next_url, query = _next_link(_lower(headers).get("link", "")), None  # the link carries the query

    def request_json(self, what: str, verb: str, url: str, body: dict[str, Any] | None, *, repeat_safe: bool) -> Any:
        """A call PyGithub has no method for, through PyGithub's requester (auth, base URL, errors)."""

        def call() -> Any:
            _, data = self.requester.requestJsonAndCheck(verb, url, input=body)
            return data

        if verb == "GET":
            return self.read(what, call)
        return self.write(what, call, repeat_safe=repeat_safe)

    def _space_write(self) -> None:
        if self._last_write is not None and self.settings.write_spacing > 0:
            due = self._last_write + self.settings.write_spacing - self.settings.clock()
            if due > 0:
                self.wait("spacing between writes", due)

    def wait(self, why: str, seconds: float) -> None:
        self.waits.append((why, seconds))
        self.settings.sleep(seconds)

    def _run(self, what: str, call: Callable[[], T], *, write: bool, repeat_safe: bool) -> T:
        attempt = 0
        while True:
            attempt += 1
            if write:
                self._space_write()
            try:
                return call()
            except github.GithubException as exc:
                status, headers, message = exc.status, _lower(exc.headers), _message(exc)
                limit_wait = self._rate_limit_wait(status, headers, message, attempt)
                if limit_wait is not None:
                    if limit_wait > self.settings.max_wait:
                        raise RateLimited(what, status, f"rate limited for {limit_wait:.0f}s more: {message}") from exc
                    if attempt >= self.settings.max_attempts:
                        raise RateLimited(what, status, f"still rate limited after {attempt} attempts") from exc
                    self.wait(f"{what}: rate limit (HTTP {status})", limit_wait)
                    continue
                if status == 403:
                    raise Forbidden(what, status, message) from exc
                if status == 404:
                    raise NotFound(what, status, message) from exc
                if status == 422:
                    raise Unprocessable(what, status, message) from exc
                if status >= 500 and repeat_safe and attempt < self.settings.max_attempts:
                    self.wait(f"{what}: HTTP {status}", self.settings.backoff * 2 ** (attempt - 1))
                    continue
                if status >= 500:
                    raise Transient(what, status, message) from exc
                raise GitHubError(what, status, message) from exc
            except requests.RequestException as exc:
                if repeat_safe and attempt < self.settings.max_attempts:
                    self.wait(f"{what}: {type(exc).__name__}", self.settings.backoff * 2 ** (attempt - 1))
                    continue
                raise Transient(what, None, f"{type(exc).__name__}: {exc}") from exc
            finally:
                if write:
                    self._last_write = self.settings.clock()

    def _rate_limit_wait(self, status: int, headers: dict[str, str], message: str, attempt: int) -> float | None:
        """Seconds to wait before retrying, when this response is a rate limit; else None."""
        if status not in (403, 429):
            return None
        lowered = message.lower()
        secondary = "secondary rate limit" in lowered or "abuse" in lowered
        primary = lowered.startswith("api rate limit exceeded") or headers.get("x-ratelimit-remaining") == "0"
        retry_after = headers.get("retry-after", "")
        if retry_after.strip().isdigit():
            return float(retry_after.strip())
        if primary and headers.get("x-ratelimit-reset", "").isdigit():
            return max(0.0, float(headers["x-ratelimit-reset"]) - self.settings.clock()) + 1.0
        if secondary or status == 429 or primary:
            return float(self.settings.secondary_wait * 2 ** (attempt - 1))
        return None


def _lower(headers: dict[str, Any] | None) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in (headers or {}).items()}


_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


def _next_link(link: str) -> str | None:
    m = _NEXT.search(link)
    return m.group(1) if m else None


def _message(exc: github.GithubException) -> str:
    data = exc.data
    if isinstance(data, dict):
        msg = str(data.get("message") or "")
        errors = data.get("errors")
        if isinstance(errors, list) and errors:
            msg += (
                " (" + "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors[:3]) + ")"
            )
        return msg or str(exc)
    return str(data) if data else str(exc)


def chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
