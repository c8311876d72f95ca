"""The code context of a finding as plain data: the facts `context.context_for` computes about the
matched code (`CodeContext` and its parts) and the vocabulary they are written in (`Provenance`,
`PathRole`).

These models are part of the finding's JSON (docs/json-output.md, docs/context.md lists every
fact), so this module imports only pydantic: a reader of findings never loads the analysis.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "SCHEMA_VERSION",
    "ArgumentFact",
    "CodeContext",
    "PathRole",
    "Provenance",
    "SinkFact",
    "ValueFact",
]

SCHEMA_VERSION = "1"


class Provenance(StrEnum):
    """Where a value comes from, from most to least trustworthy.

    When a value mixes several origins the strongest wins: request > parameter > unknown >
    constant > literal (a mix of literals is a constant).
    """

    LITERAL = "literal"
    CONSTANT = "constant"
    UNKNOWN = "unknown"
    PARAMETER = "parameter"
    REQUEST = "request"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {
    Provenance.LITERAL: 0,
    Provenance.CONSTANT: 1,
    Provenance.UNKNOWN: 2,
    Provenance.PARAMETER: 3,
    Provenance.REQUEST: 4,
}


class PathRole(StrEnum):
    """What kind of file the finding is in, judged from its path alone."""

    TEST = "test"
    EXAMPLE = "example"
    MIGRATION = "migration"
    VENDORED = "vendored"
    GENERATED = "generated"
    SOURCE = "source"
    UNKNOWN = "unknown"  # the path is new in this change: its name is the author's claim


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ValueFact(_Model):
    """Where a value comes from within its function, and what cleaned it on the way."""

    provenance: Provenance
    sources: tuple[str, ...] = ()  # "request.args", "input()", "parameter:name", "route parameter:name"
    sanitizers: tuple[str, ...] = ()  # "shlex.quote", "int", "guard:dotdot"


class ArgumentFact(ValueFact):
    position: int | None = None  # 0-based among positional arguments
    keyword: str | None = None  # the keyword, or "*" / "**" for a splat
    matched: bool = False  # the finding's range lies inside this argument (the rule's focus)


class SinkFact(_Model):
    callee: str  # as written: "cursor.execute", "sp.call"
    qualified: str  # import aliases resolved: "subprocess.call"
    arguments: tuple[ArgumentFact, ...] = ()
    arguments_truncated: bool = False


class CodeContext(_Model):
    schema_version: Literal["1"] = "1"
    language: str | None = None
    scope: str = "<file>"  # as the fingerprint's enclosing scope: "Handler.post", "<module>"
    function: str | None = None
    class_name: str | None = None
    node_type: str | None = None  # the smallest named node covering the match
    tokens: tuple[str, ...] = ()
    tokens_truncated: bool = False
    sink: SinkFact | None = None
    value: ValueFact | None = None  # the matched value: the matched expression, or the sink's arguments
    sanitizers: tuple[str, ...] = ()  # = value.sanitizers
    reachable: bool = True
    reachability_reason: str = ""
    path_role: PathRole = PathRole.UNKNOWN
    in_loop: bool = False
    in_try: bool = False
    in_except: bool = False
    is_async: bool = False
    decorators: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    is_request_handler: bool = False
    partial: bool = False
    notes: tuple[str, ...] = ()
