"""The `llm:` section of `.reviewbot/config.yml`: defaults, bad values, unknown keys."""

from __future__ import annotations

import pytest

from reviewbot.errors import ConfigError
from reviewbot.policy.config import parse_config


def test_defaults_are_off_and_bounded() -> None:
    llm = parse_config(b"version: 1\n", "c.yml").config.llm
    assert not llm.enabled and llm.explain and llm.fix and not llm.review
    assert llm.api_key_env == "OPENAI_API_KEY" and llm.base_url is None
    assert llm.max_calls == 20 and llm.max_tokens == 40_000 and llm.timeout_s == 30.0


def test_a_full_section() -> None:
    text = (
        b"version: 1\nllm:\n  enabled: true\n  base_url: http://localhost:11434/v1\n  model: qwen2.5-coder\n"
        b"  api_key_env: OLLAMA_KEY\n  explain: false\n  fix: false\n  review: true\n  max_calls: 5\n"
        b"  max_tokens: 1000\n  timeout_s: 120\n"
    )
    llm = parse_config(text, "c.yml").config.llm
    assert llm.base_url == "http://localhost:11434/v1" and llm.model == "qwen2.5-coder" and llm.review
    assert (llm.max_calls, llm.max_tokens, llm.timeout_s, llm.api_key_env) == (5, 1000, 120.0, "OLLAMA_KEY")


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("base_url: file:///etc/passwd", "llm.base_url"),
        ("api_key_env: sk-not-a-variable-name", "llm.api_key_env"),
        ("max_calls: -1", "llm.max_calls"),
        ("timeout_s: 0", "llm.timeout_s"),
        ("model: ''", "llm.model"),
    ],
)
def test_bad_values_name_the_key_and_line(line: str, key: str) -> None:
    with pytest.raises(ConfigError, match=rf"c\.yml: {key} \(line 3\)"):
        parse_config(f"version: 1\nllm:\n  {line}\n".encode(), "c.yml")


def test_an_unknown_key_is_a_warning_with_a_hint() -> None:
    loaded = parse_config(b"version: 1\nllm:\n  api_key: sk-x\n", "c.yml")
    assert any("unknown key `llm.api_key`" in w for w in loaded.warnings)
