"""The suppressions file as the report shows it: a thin adapter over `reviewbot.policy.suppression_file`.

The file is read and validated by the same code the scan uses (`read_suppressions`, schema 1),
so the page can never list an entry the scan would refuse, or miss one it applies. A file the scan
would refuse is not fatal here: the section shows the scan's own error message instead. Usage
counts (entries that matched nothing in the last `unused_after` reviews that could have used
them) come from the checkout's usage state, as `reviewbot suppress list` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reviewbot.policy.suppression_file import (
    SuppressionError,
    UsageState,
    read_suppressions,
    read_usage,
    statuses,
)


@dataclass(frozen=True)
class Suppression:
    """One entry: what it covers (`scope`, in words), who owns it, until when, and its use."""

    id: str
    scope: str
    reason: str
    owner: str
    expires: date | None
    permanent: bool
    unused: bool = False  # matched nothing in the last `unused_after` reviews that could use it
    last_matched: date | None = None


@dataclass(frozen=True)
class SuppressionsRead:
    entries: list[Suppression] = field(default_factory=list)
    error: str = ""  # why the file cannot be used (the scan refuses it too)
    problems: list[str] = field(default_factory=list)  # entries that hide nothing: their rule does not exist


def read_entries(path: Path, usage: Path | None, *, today: date, unused_after: int) -> SuppressionsRead:
    from reviewbot.policy.rule_ids import builtin_rule_ids, unknown_rule

    try:
        file = read_suppressions(path)
    except SuppressionError as exc:
        return SuppressionsRead(error=str(exc))
    state = read_usage(usage) if usage is not None else UsageState()
    known = builtin_rule_ids()
    problems = [
        f"{path}: entry {e.id}: {problem} (it hides nothing)"
        for e in file.entries
        if e.rule is not None and (problem := unknown_rule(e.rule, known)) is not None
    ]
    return SuppressionsRead(
        [
            Suppression(
                id=s.entry.id,
                scope=s.entry.scope,
                reason=s.entry.reason,
                owner=s.entry.owner,
                expires=s.entry.expires,
                permanent=s.entry.permanent,
                unused=s.status == "unused",
                last_matched=s.usage.last_matched if s.usage is not None else None,
            )
            for s in statuses(file, state, today=today, unused_after=unused_after)
        ],
        problems=problems,
    )
