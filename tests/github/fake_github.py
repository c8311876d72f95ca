"""A fake GitHub REST server on loopback that holds every request to the published API description.

Each request is checked against `tests/data/github/github-rest-subset.openapi.json`: the path and
method must exist, path parameters must match their schemas, query parameters must be declared,
a JSON body must validate (jsonschema, `#/components/...` refs resolved inside the document) and
the request must carry a token. Anything else is recorded in `violations` (tests assert it stays
empty) and answered with the error GitHub would give.

State lives across runs (reviews, review comments, issue comments, check runs with their
annotations, SARIF uploads), responses are the description's examples with the stored values
written over them, and GitHub's own refusals are imitated where reviewbot must cope with them:
an inline comment off the diff is a 422, a read-only token gets 403 on writes, only a
comment's author may edit or delete it. Faults (5xx, rate limits, a 422 for one line) are
queued by the tests.
"""

from __future__ import annotations

import base64
import copy
import gzip
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from reviewbot.github.anchors import parse_hunks
from tests.github import fake_decisions
from tests.github.openapi import Route, Spec

PREFIX = "/api/v3"  # GitHub Enterprise style base path: reviewbot must honour GITHUB_API_URL
BOT = "github-actions[bot]"


@dataclass(frozen=True)
class Identity:
    login: str
    read_only: bool = False
    kind: str = "Bot"


@dataclass
class Fault:
    """Answer the next `times` matching requests with `status` (optionally after applying them)."""

    method: str
    path: str  # a regex matched against the path after the API prefix
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1
    after_apply: bool = False  # do the work, then fail (a 502 from a proxy after GitHub applied it)
    query: str = ""  # a regex the query string must match too (one page of a list)


@dataclass
class Pull:
    number: int
    head_sha: str
    base_sha: str
    author: str
    head_repo: str
    base_repo: str
    files: list[dict[str, Any]] = field(default_factory=list)  # {"filename", "status", "patch"}
    state: str = "open"
    created_at: str = "2026-01-01T00:00:00Z"
    updated_at: str = "2026-01-01T00:00:00Z"
    closed_at: str | None = None


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int


class FakeGitHub:
    def __init__(self) -> None:
        self.api = Spec()
        self.spec = self.api.spec
        self.tokens: dict[str, Identity] = {
            "bot-token": Identity(BOT),
            "readonly-token": Identity(BOT, read_only=True),
            "user-token": Identity("reviewbot-machine", kind="User"),  # a personal token: GET /user answers
        }
        self.pulls: dict[tuple[str, int], Pull] = {}
        self.reviews: list[dict[str, Any]] = []
        self.review_comments: list[dict[str, Any]] = []
        self.issue_comments: list[dict[str, Any]] = []
        self.check_runs: list[dict[str, Any]] = []
        self.annotations: dict[int, list[dict[str, Any]]] = {}
        self.check_run_requests: list[int] = []  # annotations per create/update request
        self.sarifs: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.refuse_lines: set[tuple[str, int]] = set()  # (path, line): a 422 for any review commenting there
        self.violations: list[str] = []
        # decisions already on GitHub (fake_decisions.py serves them)
        self.alerts: list[dict[str, Any]] = []
        self.code_scanning_forbidden = False  # a token without security-events: read
        self.reactions: dict[int, list[dict[str, Any]]] = {}  # comment id → reactions
        self.permissions: dict[str, str] = {}  # lower-cased login → admin|maintain|write|triage|read|none
        self.requests: list[Recorded] = []
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def __enter__(self) -> FakeGitHub:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out as two writes: without TCP_NODELAY each response waits for
            # the client's delayed ACK (~40 ms), which made the multi-page scenarios slow
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, headers, body = fake.handle(self.command, self.path, dict(self.headers.items()), raw)
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if body is not None:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def root(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.root + PREFIX

    # -- test set-up helpers ------------------------------------------------------------------
    def add_pull(self, pull: Pull) -> None:
        self.pulls[(pull.base_repo, pull.number)] = pull

    def next_id(self) -> int:
        return next(self._ids)

    def add_review_comment(
        self,
        repo: str,
        number: int,
        *,
        login: str,
        association: str,
        body: str,
        path: str = "",
        line: int = 1,
        in_reply_to: int | None = None,
    ) -> dict[str, Any]:
        """A comment written by someone else (a human, or a stranger forging a marker)."""
        pull = self.pulls[(repo, number)]
        comment = self._review_comment(
            repo, pull, Identity(login, kind="User"), {"path": path, "body": body, "line": line, "side": "RIGHT"}, None
        )
        comment["author_association"] = association
        if in_reply_to is not None:
            root = next(c for c in self.review_comments if c["id"] == in_reply_to)
            comment["in_reply_to_id"] = in_reply_to
            comment["path"], comment["line"] = root["path"], root["line"]
        self.review_comments.append(comment)
        return comment

    def add_issue_comment(self, repo: str, number: int, *, login: str, association: str, body: str) -> dict[str, Any]:
        comment = self._issue_comment(repo, number, Identity(login, kind="User"), body)
        comment["author_association"] = association
        self.issue_comments.append(comment)
        return comment

    def bot_review_comments(self, repo: str, number: int) -> list[dict[str, Any]]:
        return [c for c in self.review_comments if c["user"]["login"] == BOT and c["_pull"] == (repo, number)]

    def writes(self) -> list[Recorded]:
        return [r for r in self.requests if r.method != "GET"]

    # -- request handling ---------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            status, out_headers, body, parsed = self._handle(method, target, headers, raw)
            url = urlsplit(target)
            self.requests.append(Recorded(method, url.path.removeprefix(PREFIX), parse_qs(url.query), parsed, status))
            return status, out_headers, body

    def _violation(self, message: str) -> None:
        self.violations.append(message)

    def _handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], Any, Any]:
        url = urlsplit(target)
        if not url.path.startswith(PREFIX + "/"):
            self._violation(f"{method} {url.path}: not under the API base path {PREFIX} (GITHUB_API_URL ignored?)")
            return 404, {}, {"message": "Not Found"}, None
        path = url.path.removeprefix(PREFIX)
        lowered = {k.lower(): v for k, v in headers.items()}
        auth = lowered.get("authorization", "")
        token = auth.split(" ", 1)[1] if auth.split(" ", 1)[0].lower() in ("token", "bearer") and " " in auth else ""
        identity = self.tokens.get(token)
        if identity is None:
            self._violation(f"{method} {path}: no valid Authorization header")
            return 401, {}, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}, None
        if not lowered.get("user-agent"):
            self._violation(f"{method} {path}: no User-Agent (GitHub refuses such requests)")
        route, params = self.api.route(method, path)
        if route is None:
            self._violation(f"{method} {path}: not an operation in the API description")
            return 404, {}, {"message": "Not Found"}, None
        query = parse_qs(url.query)
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                self._violation(f"{method} {path}: body is not JSON")
                return 400, {}, {"message": "Problems parsing JSON"}, None
        problems = self.api.check(route, params, query, body)
        if problems:
            for p in problems:
                self._violation(f"{method} {route.template}: {p}")
            return 422, {}, {"message": "Invalid request.", "errors": problems}, body
        for fault in self.faults:
            if (
                fault.method == method
                and re.search(fault.path, path)
                and re.search(fault.query, url.query)
                and fault.times > 0
            ):
                fault.times -= 1
                if fault.after_apply:
                    self._dispatch(route, params, query, body, identity)
                return fault.status, dict(fault.headers), fault.body, body
        if identity.read_only and method != "GET":
            return (
                403,
                {},
                {
                    "message": "Resource not accessible by integration",
                    "documentation_url": "https://docs.github.com/rest",
                },
                body,
            )
        status, out_headers, out = self._dispatch(route, params, query, body, identity)
        return status, out_headers, out, body

    # -- operations ---------------------------------------------------------------------------
    def _example(self, name: str) -> dict[str, Any]:
        value = self.spec["components"]["examples"][name]["value"]
        return copy.deepcopy(value[0] if isinstance(value, list) else value)

    def _user(self, who: Identity) -> dict[str, Any]:
        user: dict[str, Any] = self._example("issue-comment")["user"]
        user.update(login=who.login, type=who.kind, id=abs(hash(who.login)) % 10**6)
        return user

    def _page(self, items: list[Any], query: dict[str, list[str]], path: str) -> tuple[int, dict[str, str], Any]:
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            last = (len(items) + per_page - 1) // per_page
            # as GitHub does, the links keep the request's other parameters (state, sort, direction…)
            kept = "".join(f"{k}={quote(v[0])}&" for k, v in sorted(query.items()) if k not in ("page", "per_page"))
            link = f"{self.api_url}{path}?{kept}per_page={per_page}&page="
            headers["Link"] = f'<{link}{page + 1}>; rel="next", <{link}{last}>; rel="last"'
        return 200, headers, [_public(c) for c in chunk]

    def _pull(self, params: dict[str, str]) -> Pull | None:
        return self.pulls.get(
            (f"{params['owner']}/{params['repo']}", int(params.get("pull_number") or params.get("issue_number") or 0))
        )

    def _dispatch(
        self, route: Route, params: dict[str, str], query: dict[str, list[str]], body: Any, who: Identity
    ) -> tuple[int, dict[str, str], Any]:
        op = route.op["operationId"]
        repo = f"{params.get('owner')}/{params.get('repo')}"
        path = route.template.format(**params)
        not_found: tuple[int, dict[str, str], Any] = (
            404,
            {},
            {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
        )
        if op == "rate-limit/get":
            return 200, {}, self._example("rate-limit-overview")
        if op in (
            "pulls/get",
            "pulls/list-files",
            "pulls/list-review-comments",
            "pulls/create-review",
            "pulls/list-reviews",
            "issues/list-comments",
            "issues/create-comment",
        ):
            pull = self._pull(params)
            if pull is None:
                return not_found
            if op == "pulls/get":
                return 200, {}, self._pull_json(pull)
            if op == "pulls/list-files":
                files = []
                for f in pull.files:
                    entry = self._example("diff-entry-items")
                    entry.update(f)
                    files.append(entry)
                return self._page(files, query, path)
            if op == "pulls/list-review-comments":
                return self._page([c for c in self.review_comments if c["_pull"] == (repo, pull.number)], query, path)
            if op == "pulls/list-reviews":
                return self._page([r for r in self.reviews if r["_pull"] == (repo, pull.number)], query, path)
            if op == "issues/list-comments":
                return self._page([c for c in self.issue_comments if c["_pull"] == (repo, pull.number)], query, path)
            if op == "issues/create-comment":
                comment = self._issue_comment(repo, pull.number, who, body["body"])
                self.issue_comments.append(comment)
                return 201, {}, _public(comment)
            return self._create_review(repo, pull, body, who)
        if op in ("pulls/update-review-comment", "pulls/delete-review-comment", "pulls/get-review-comment"):
            return self._edit(
                self.review_comments, int(params["comment_id"]), op.split("/")[1].split("-")[0], body, who
            )
        if op in ("issues/update-comment", "issues/delete-comment", "issues/get-comment"):
            return self._edit(self.issue_comments, int(params["comment_id"]), op.split("/")[1].split("-")[0], body, who)
        if op == "checks/create":
            run = self._example("check-run")
            run_id = self.next_id()
            run.update(
                id=run_id,
                head_sha=body["head_sha"],
                name=body["name"],
                status=body.get("status", "queued"),
                conclusion=body.get("conclusion"),
                url=f"{self.api_url}/repos/{repo}/check-runs/{run_id}",
            )
            run["output"].update(
                title=body.get("output", {}).get("title"),
                summary=body.get("output", {}).get("summary"),
                annotations_count=0,
            )
            self.check_runs.append(run)
            self._annotate(run, body.get("output", {}))
            return 201, {}, run
        if op == "checks/update":
            found = self._check_run(params)
            if found is None:
                return not_found
            run = found
            for key in ("status", "conclusion", "name"):
                if key in body:
                    run[key] = body[key]
            if "output" in body:
                run["output"].update(
                    title=body["output"].get("title", run["output"]["title"]), summary=body["output"]["summary"]
                )
            self._annotate(run, body.get("output", {}))
            return 200, {}, run
        if op == "checks/get":
            found = self._check_run(params)
            return (200, {}, found) if found else not_found
        if op == "code-scanning/upload-sarif":
            try:
                sarif = json.loads(gzip.decompress(base64.b64decode(body["sarif"], validate=True)))
            except (ValueError, OSError) as exc:
                return 400, {}, {"message": f"sarif is not gzip+base64 JSON: {exc}"}
            receipt = self._example("code-scanning-sarif-upload")
            receipt["id"] = f"sarif-{self.next_id()}"
            self.sarifs.append({"request": body, "sarif": sarif, "id": receipt["id"]})
            return 202, {}, receipt
        if op in fake_decisions.OPERATIONS:
            return fake_decisions.dispatch(self, route, params, query, who)
        self._violation(f"{route.method.upper()} {route.template}: the fake does not implement {op}")
        return 501, {}, {"message": f"fake: {op} not implemented"}

    def _check_run(self, params: dict[str, str]) -> dict[str, Any] | None:
        return next((r for r in self.check_runs if r["id"] == int(params["check_run_id"])), None)

    def _pull_json(self, pull: Pull) -> dict[str, Any]:
        data = self._example("pull-request")
        data.update(
            number=pull.number, state=pull.state, url=f"{self.api_url}/repos/{pull.base_repo}/pulls/{pull.number}"
        )
        data["user"]["login"] = pull.author
        for side, sha, repo in (("head", pull.head_sha, pull.head_repo), ("base", pull.base_sha, pull.base_repo)):
            data[side]["sha"] = sha
            data[side]["repo"]["full_name"] = repo
            data[side]["repo"]["fork"] = side == "head" and repo != pull.base_repo
        return data

    def _create_review(
        self, repo: str, pull: Pull, body: dict[str, Any], who: Identity
    ) -> tuple[int, dict[str, str], Any]:
        refuse: tuple[int, dict[str, str], Any] = (
            422,
            {},
            {
                "message": "Unprocessable Entity",
                "errors": ["Line could not be resolved"],
                "documentation_url": "https://docs.github.com/rest",
            },
        )
        if body.get("commit_id") not in (None, pull.head_sha):
            return (
                422,
                {},
                {
                    "message": "Unprocessable Entity",
                    "errors": ["commit_id is not part of the pull request"],
                    "documentation_url": "https://docs.github.com/rest",
                },
            )
        if body.get("event") in ("REQUEST_CHANGES", "COMMENT") and not body.get("body"):
            return (
                422,
                {},
                {
                    "message": "Unprocessable Entity",
                    "errors": ["Body is required"],
                    "documentation_url": "https://docs.github.com/rest",
                },
            )
        comments = body.get("comments", [])
        for c in comments:
            if not self._anchorable(pull, c) or (c["path"], c.get("line")) in self.refuse_lines:
                return refuse
        review = self._example("pull-request-review")
        review_id = self.next_id()
        state = {"COMMENT": "COMMENTED", "APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}.get(
            body.get("event", ""), "PENDING"
        )
        review.update(
            id=review_id,
            body=body.get("body", ""),
            state=state,
            commit_id=pull.head_sha,
            user=self._user(who),
            _pull=(repo, pull.number),
            event=body.get("event"),
        )
        self.reviews.append(review)
        for c in comments:
            self.review_comments.append(self._review_comment(repo, pull, who, c, review_id))
        return 200, {}, _public(review)

    def _anchorable(self, pull: Pull, c: dict[str, Any]) -> bool:
        if "position" in c or "line" not in c or c.get("side", "RIGHT") != "RIGHT":
            return False
        entry = next((f for f in pull.files if f["filename"] == c["path"]), None)
        if entry is None or "patch" not in entry:
            return False
        first = c.get("start_line", c["line"])
        if first > c["line"] or ("start_line" in c and (first == c["line"] or c.get("start_side", "RIGHT") != "RIGHT")):
            return False
        return any(h.covers(first, c["line"]) for h in parse_hunks(entry["patch"]))

    def _review_comment(
        self, repo: str, pull: Pull, who: Identity, c: dict[str, Any], review_id: int | None
    ) -> dict[str, Any]:
        comment = self._example("pull-request-review-comment")
        cid = self.next_id()
        comment.pop("in_reply_to_id", None)
        comment.update(
            id=cid,
            body=c["body"],
            path=c["path"],
            line=c.get("line"),
            start_line=c.get("start_line"),
            side=c.get("side", "RIGHT"),
            start_side=c.get("start_side"),
            commit_id=pull.head_sha,
            original_commit_id=pull.head_sha,
            user=self._user(who),
            pull_request_review_id=review_id or self.next_id(),
            author_association="NONE" if who.kind == "Bot" else "CONTRIBUTOR",
            url=f"{self.api_url}/repos/{repo}/pulls/comments/{cid}",
            _pull=(repo, pull.number),
            html_url=f"https://github.example/{repo}/pull/{pull.number}#discussion_r{cid}",
        )
        return comment

    def _issue_comment(self, repo: str, number: int, who: Identity, body: str) -> dict[str, Any]:
        comment = self._example("issue-comment")
        cid = self.next_id()
        comment.update(
            id=cid,
            body=body,
            user=self._user(who),
            url=f"{self.api_url}/repos/{repo}/issues/comments/{cid}",
            author_association="NONE" if who.kind == "Bot" else "CONTRIBUTOR",
            _pull=(repo, number),
            html_url=f"https://github.example/{repo}/pull/{number}#issuecomment-{cid}",
        )
        return comment

    def _edit(
        self, store: list[dict[str, Any]], cid: int, verb: str, body: Any, who: Identity
    ) -> tuple[int, dict[str, str], Any]:
        comment: dict[str, Any] | None = next((c for c in store if c["id"] == cid), None)
        if comment is None:
            return 404, {}, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
        if verb == "get":
            return 200, {}, _public(comment)
        if comment["user"]["login"] != who.login:
            return (
                403,
                {},
                {
                    "message": "Must have admin rights to Repository.",
                    "documentation_url": "https://docs.github.com/rest",
                },
            )
        if verb == "delete":
            store.remove(comment)
            return 204, {}, None
        comment["body"] = body["body"]
        return 200, {}, _public(comment)

    def _annotate(self, run: dict[str, Any], output: dict[str, Any]) -> None:
        notes = output.get("annotations", [])
        if len(notes) > 50:
            self._violation(f"check run {run['id']}: {len(notes)} annotations in one request (GitHub takes 50)")
        self.annotations.setdefault(run["id"], []).extend(notes)
        self.check_run_requests.append(len(notes))
        run["output"]["annotations_count"] = len(self.annotations[run["id"]])


def _public(item: dict[str, Any]) -> dict[str, Any]:
    """The stored object without the fake's bookkeeping keys."""
    return {k: v for k, v in item.items() if not k.startswith("_") or k == "_links"}


def iter_markers(comments: list[dict[str, Any]]) -> Iterator[str]:
    for c in comments:
        first = (c.get("body") or "").split("\n", 1)[0]
        m = re.search(r"fp=([0-9a-f]{32})", first)
        if m:
            yield m.group(1)


Check = Callable[[FakeGitHub], None]
