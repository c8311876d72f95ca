"""The LLM's answers in the user cache, so a re-run never pays twice.

Keyed by (use, fingerprint or hunk identity, code hash, model, prompt version): a change to the
code, a new model or a new prompt asks again; anything else reads the file. One JSON file per
answer under `<user cache>/reviewbot/llm/`; a file that cannot be read or parsed is a miss, and a
cache that cannot be written costs the next run a call, never this one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from reviewbot._io import write_atomic

T = TypeVar("T", bound=BaseModel)


def code_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class AnswerCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder  # None: no cache (tests, --no-cache)
        self.hits = 0

    def _file(self, *key: str) -> Path | None:
        if self.folder is None:
            return None
        h = hashlib.sha256("\x00".join(key).encode("utf-8", "surrogatepass")).hexdigest()
        return self.folder / h[:2] / f"{h}.json"

    def get(self, schema: type[T], *key: str) -> T | None:
        path = self._file(*key)
        if path is None:
            return None
        try:
            answer = schema.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError):
            return None
        self.hits += 1
        return answer

    def put(self, answer: BaseModel, *key: str) -> None:
        path = self._file(*key)
        if path is None:
            return
        with contextlib.suppress(OSError):  # not written: the next run asks again
            write_atomic(path, json.dumps(answer.model_dump(mode="json")).encode("utf-8"), make_parents=True)
