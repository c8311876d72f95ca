"""A fake OpenAI-compatible server on loopback that holds every request to the published description.

Each POST `/v1/chat/completions` body is validated (jsonschema, draft 2020-12, refs resolved
inside the vendored `tests/data/openai/` document) against `CreateChatCompletionRequest`, and
must carry a bearer key; a problem is recorded in `violations` (tests assert it stays empty) and
answered 400 as OpenAI would. Every request is captured (`requests`: headers and raw body) so a
test can look for secrets in what left the process. Answers come from `answer(body) -> Reply`,
and every successful answer is itself validated against `CreateChatCompletionResponse`, so the
SDK is fed only what a real server could send. Faults (status, `retry-after`, delays) are queued.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).parent.parent / "data" / "openai" / "openai-chat-completions-subset.openapi.json"
KEY = "sk-test-0123456789abcdefFAKEKEY"  # the key tests give the client; it must never reach a body


@cache
def _validator(schema_name: str) -> Draft202012Validator:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    registry = Registry().with_resource("urn:openai", DRAFT202012.create_resource(spec))
    return Draft202012Validator({"$ref": f"urn:openai#/components/schemas/{schema_name}"}, registry=registry)


def schema_errors(schema_name: str, doc: Any) -> list[str]:
    return sorted(f"{list(e.absolute_path)}: {e.message}" for e in _validator(schema_name).iter_errors(doc))


@dataclass
class Reply:
    """One answer: `content` (the assistant's text), or a `refusal`, with its finish reason."""

    content: str | None = None
    refusal: str | None = None
    finish_reason: str = "stop"


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a timeout, when longer than the client's)
    times: int = 1


@dataclass
class Captured:
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def body(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self.raw)
        return doc

    @property
    def user(self) -> str:
        """The last user message's text."""
        return str(self.body["messages"][-1]["content"])


def user_document(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON document reviewbot sends as the user message (the JSON-mode schema suffix cut off)."""
    text = str(body["messages"][-1]["content"]).split("\n\nAnswer with one JSON object", 1)[0]
    doc: dict[str, Any] = json.loads(text)
    return doc


class FakeOpenAI:
    def __init__(self, answer: Callable[[dict[str, Any]], Reply], *, json_schema: bool = True) -> None:
        self.answer = answer
        self.json_schema = json_schema  # False: refuse `json_schema` response formats, as older servers do
        self.requests: list[Captured] = []
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self.current: Captured | None = None
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @contextmanager
    def running(self) -> Iterator[FakeOpenAI]:
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()

    def _respond(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, str], bytes, float]:
        with self._lock:
            self.requests.append(Captured(path, headers, raw))
            fault = self.faults[0] if self.faults else None
            if fault is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.pop(0)
        if path != "/v1/chat/completions":
            self.violations.append(f"unknown operation {path}")
            return 404, {}, _error("not found", "invalid_request_error"), 0.0
        if not headers.get("authorization", "").startswith("Bearer "):
            self.violations.append("no bearer key")
            return 401, {}, _error("no key", "invalid_request_error"), 0.0
        try:
            body = json.loads(raw)
        except ValueError:
            self.violations.append("body is not JSON")
            return 400, {}, _error("bad json", "invalid_request_error"), 0.0
        problems = schema_errors("CreateChatCompletionRequest", body)
        if problems:
            self.violations.extend(problems)
            return 400, {}, _error("; ".join(problems), "invalid_request_error"), 0.0
        if fault is not None:
            return fault.status, fault.headers, json.dumps(fault.body or {"error": _err("fault")}).encode(), fault.delay
        fmt = body.get("response_format", {}).get("type")
        if fmt == "json_schema" and not self.json_schema:
            return 400, {}, _error("response_format json_schema is not supported", "invalid_request_error"), 0.0
        self.current = self.requests[-1]  # what a hostile answerer may echo (its headers included)
        reply = self.answer(body)
        doc = {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.content, "refusal": reply.refusal},
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": len(raw) // 4, "completion_tokens": 50, "total_tokens": len(raw) // 4 + 50},
        }
        problems = schema_errors("CreateChatCompletionResponse", doc)
        assert not problems, problems  # the fake itself must answer as the description says
        return 200, {}, json.dumps(doc).encode(), 0.0

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, extra, body, delay = fake._respond(self.path, headers, raw)
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(body)))
                    for k, v in extra.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        return Handler


def _err(message: str, kind: str = "server_error") -> dict[str, Any]:
    return {"message": message, "type": kind, "param": None, "code": None}


def _error(message: str, kind: str) -> bytes:
    return json.dumps({"error": _err(message, kind)}).encode()
