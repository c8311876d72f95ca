"""The one place the `openai` SDK is called: one budget per run, every failure a counted skip.

    client = LlmClient.open(settings, environ)           # None: no key in `api_key_env`
    answer = client.ask(Explanation, system, user)       # the validated model, or None

Chat completions with a JSON-schema structured output; a server that refuses `json_schema`
(older vLLM, llama.cpp, Ollama builds) is asked again, and for the rest of the run, in JSON mode
with the schema in the prompt. Either way the answer is validated by pydantic: a malformed answer
is a failed call. A timeout, a 429 or 5xx (the SDK retries, honouring `retry-after`), a refusal,
a truncated answer and an exhausted budget are failures too: `ask` returns None and counts why,
and the review goes on (`skips` feeds the note `stage.py` writes). After two transport failures
in a row (timeouts, connection errors) the endpoint is not called again in this run, so a dead
endpoint costs a review seconds, not minutes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from reviewbot.policy.config import LlmSettings

T = TypeVar("T", bound=BaseModel)

# Completion tokens asked for per call: the answers are short JSON documents.
MAX_COMPLETION_TOKENS = 700
_TRANSPORT_FAILURES_TO_STOP = 2


@dataclass
class Budget:
    """Calls and tokens spent in this run against `max_calls` and `max_tokens`."""

    max_calls: int
    max_tokens: int
    calls: int = 0
    tokens: int = 0

    def room(self, prompt_chars: int) -> int:
        """Completion tokens a call with a prompt this long may use; 0: the budget is spent."""
        if self.calls >= self.max_calls:
            return 0
        left = self.max_tokens - self.tokens - estimate_tokens(prompt_chars)
        return max(0, min(MAX_COMPLETION_TOKENS, left))


def estimate_tokens(chars: int) -> int:
    # About four characters a token for English and code; only used before the server counts.
    return chars // 4 + 1


@dataclass
class LlmClient:
    """An OpenAI-compatible endpoint, a model and the run's budget."""

    settings: LlmSettings
    key: str = field(repr=False)
    sdk: object  # openai.OpenAI (typed loosely: the SDK is imported only when the LLM is on)
    budget: Budget
    skips: Counter[str] = field(default_factory=Counter)  # why calls were not made or failed
    json_schema: bool = True  # False once the server refused structured output
    _transport_failures: int = 0

    @classmethod
    def open(cls, settings: LlmSettings, environ: Mapping[str, str], base_url: str | None = None) -> LlmClient | None:
        """A client for `settings`, or None when `api_key_env` (or REVIEWBOT_LLM_API_KEY) holds no
        key. `base_url` beats the config's, which beats OPENAI_BASE_URL, which beats OpenAI's."""
        # REVIEWBOT_LLM_API_KEY: the action's `llm-api-key` input (a repository secret).
        key = environ.get(settings.api_key_env) or environ.get("REVIEWBOT_LLM_API_KEY", "")
        if not key:
            return None
        import openai

        url = base_url or settings.base_url or environ.get("OPENAI_BASE_URL") or None
        sdk = openai.OpenAI(api_key=key, base_url=url, timeout=settings.timeout_s, max_retries=2)
        return cls(settings, key, sdk, Budget(settings.max_calls, settings.max_tokens))

    @property
    def stopped(self) -> bool:
        return self._transport_failures >= _TRANSPORT_FAILURES_TO_STOP

    def ask(self, schema: type[T], system: str, user: str) -> T | None:
        """One call answered with a valid `schema`, or None (the reason counted in `skips`)."""
        if self.stopped:
            self.skips["endpoint unavailable"] += 1
            return None
        room = self.budget.room(len(system) + len(user))
        if room == 0:
            self.skips["budget exhausted"] += 1
            return None
        content = self._call(schema, system, user, room)
        if content is None:
            return None
        if self.key in content:  # a hostile endpoint echoing the key back: never shown anywhere
            self.skips["answer quoted the API key"] += 1
            return None
        try:
            return schema.model_validate_json(content)
        except ValidationError:
            self.skips["malformed answer"] += 1
            return None

    def _call(self, schema: type[BaseModel], system: str, user: str, room: int) -> str | None:
        import openai

        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        self.budget.calls += 1  # a call sent is a call spent, answered or not
        try:
            try:
                response = self._create(schema, messages, room)
            except openai.BadRequestError as exc:
                if not self.json_schema or ("response_format" not in str(exc) and "json_schema" not in str(exc)):
                    raise
                self.json_schema = False  # this server has JSON mode at best: ask it that way from now on
                response = self._create(schema, messages, room)
        except openai.APITimeoutError:
            return self._transport("timeout")
        except openai.APIConnectionError:
            return self._transport("connection failed")
        except openai.RateLimitError:
            return self._failed("rate-limited (429)")
        except openai.APIStatusError as exc:
            if exc.status_code in (401, 403, 404):  # a wrong key, model or URL: no call will do better
                self._transport_failures = _TRANSPORT_FAILURES_TO_STOP
            return self._failed(f"HTTP {exc.status_code}")
        except openai.APIError:
            return self._failed("malformed answer")
        except Exception as exc:  # noqa: BLE001 - whatever the SDK raises costs the review only the LLM's text
            return self._failed(f"client error ({type(exc).__name__})")
        self._transport_failures = 0
        usage = getattr(response, "usage", None)
        choices = getattr(response, "choices", None) or []
        message = choices[0].message if choices else None
        text = (message.content or "") if message is not None else ""
        spent = getattr(usage, "total_tokens", None)
        self.budget.tokens += spent if isinstance(spent, int) else estimate_tokens(len(system) + len(user) + len(text))
        if message is None:
            return self._failed("malformed answer")
        if getattr(message, "refusal", None):
            return self._failed("refused")
        if choices[0].finish_reason != "stop":
            return self._failed("refused" if choices[0].finish_reason == "content_filter" else "answer cut off")
        return text

    def _create(self, schema: type[BaseModel], messages: list[dict[str, str]], room: int) -> object:
        if self.json_schema:
            response_format: dict[str, object] = {
                "type": "json_schema",
                "json_schema": {"name": schema.__name__, "schema": strict_schema(schema), "strict": True},
            }
        else:
            response_format = {"type": "json_object"}
            shape = json.dumps(strict_schema(schema), separators=(",", ":"))
            messages = [
                *messages[:-1],
                {
                    **messages[-1],
                    "content": f"{messages[-1]['content']}\n\nAnswer with one JSON object of this JSON schema: {shape}",
                },
            ]
        create = self.sdk.chat.completions.create  # type: ignore[attr-defined]
        return create(
            model=self.settings.model,
            messages=messages,
            response_format=response_format,
            max_completion_tokens=room,
            temperature=0,
        )

    def _transport(self, reason: str) -> str | None:
        self._transport_failures += 1
        self.skips[reason] += 1
        return None

    def _failed(self, reason: str) -> str | None:
        if not self.stopped:
            self._transport_failures = 0
        self.skips[reason] += 1
        return None


def strict_schema(schema: type[BaseModel]) -> dict[str, object]:
    """The model's JSON schema in the form strict structured output accepts: every property
    required, no additional properties, and no keywords it rejects (lengths are checked by
    pydantic on the answer instead)."""

    def clean(node: object) -> object:
        if isinstance(node, dict):
            out: dict[str, object] = {
                k: {name: clean(p) for name, p in v.items()} if k == "properties" else clean(v)
                for k, v in node.items()
                if k not in _UNSUPPORTED
            }
            if out.get("type") == "object":
                out["additionalProperties"] = False
                properties = out.get("properties", {})
                out["required"] = sorted(properties) if isinstance(properties, dict) else []
            return out
        if isinstance(node, list):
            return [clean(v) for v in node]
        return node

    result = clean(schema.model_json_schema())
    assert isinstance(result, dict)
    return result


_UNSUPPORTED = frozenset(
    {"title", "default", "maxLength", "minLength", "maxItems", "minItems", "pattern", "maximum", "minimum"}
)
