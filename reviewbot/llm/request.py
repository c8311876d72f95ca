"""What a run asked of the optional LLM, and whether that turns it on.

Kept apart from llm/stage.py so that a run with the LLM off (the pre-commit hook, `--no-llm`, a
config without `llm.enabled`) imports none of the LLM stages, their prompts and their client.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class LlmRequest:
    """How a run asked for the LLM: `switch` is --llm (True), --no-llm (False) or neither (None:
    the config's `enabled`)."""

    switch: bool | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cache_dir: Path | None = None  # the answer cache; None: no cache
    base_url: str | None = None  # beats the config's (benchmarks' --base-url)


def llm_wanted(enabled: bool, request: LlmRequest | None) -> bool:
    """Whether the LLM is on: --llm/--no-llm beat the config's `enabled`; no request means off."""
    if request is None:
        return False
    return enabled if request.switch is None else request.switch
