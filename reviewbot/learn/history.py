"""Triage history for features: earlier decisions counted per rule and per file, without leaks.

    History.from_records(records, before=t).stats(rule_id, path, exclude=fingerprint)
    leak_free_history(records, rows)     the same, for every training row at its own time

Only the latest verdict per fingerprint strictly before the cut-off counts, and a finding's own
fingerprint never does, so no feature can carry a finding's label (docs/features.md).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from reviewbot.triage.ledger import TriageRecord

COUNT_CAP = 100_000


@dataclass(frozen=True)
class _Decision:
    when: datetime
    rule_id: str
    path: str | None
    real: bool


class History:
    """Earlier triage decisions: the latest verdict per fingerprint, counted per rule and per path.

    Build it with `History.from_records(records, before=t)`: only decisions strictly before `t`
    count. `stats` leaves out the finding's own fingerprint, so a finding never sees its own label.
    """

    def __init__(self) -> None:
        self._latest: dict[str, _Decision] = {}
        self._rule: Counter[tuple[str, bool]] = Counter()
        self._path: Counter[tuple[str, bool]] = Counter()

    @classmethod
    def from_records(cls, records: Iterable[TriageRecord], before: datetime | None = None) -> History:
        history = cls()
        for r in records:
            if before is None or r.when < before:
                history.add(r)
        return history

    def __len__(self) -> int:
        return len(self._latest)

    def add(self, record: TriageRecord) -> None:
        old = self._latest.get(record.fingerprint)
        if old is not None:
            if record.when < old.when:
                return
            self._count(old, -1)
        new = _Decision(record.when, record.rule_id, record.path, record.verdict.is_real)
        self._latest[record.fingerprint] = new
        self._count(new, +1)

    def _count(self, d: _Decision, step: int) -> None:
        self._rule[(d.rule_id, d.real)] += step
        if d.path is not None:
            self._path[(d.path, d.real)] += step

    def stats(self, rule_id: str, path: str | None, *, exclude: str | None = None) -> dict[str, float]:
        """The history features for a finding; `path=None` when the path is not trusted."""
        rule_real, rule_fake = self._rule[(rule_id, True)], self._rule[(rule_id, False)]
        path_real = self._path[(path, True)] if path is not None else 0
        path_fake = self._path[(path, False)] if path is not None else 0
        own = self._latest.get(exclude) if exclude is not None else None
        if own is not None:
            if own.rule_id == rule_id:
                rule_real, rule_fake = rule_real - own.real, rule_fake - (not own.real)
            if path is not None and own.path == path:
                path_real, path_fake = path_real - own.real, path_fake - (not own.real)
        return {
            "rule_decisions": float(min(rule_real + rule_fake, COUNT_CAP)),
            "rule_real_rate": (rule_real + 1) / (rule_real + rule_fake + 2),
            "path_decisions": float(min(path_real + path_fake, COUNT_CAP)),
            "path_real_rate": (path_real + 1) / (path_real + path_fake + 2),
        }


def leak_free_history(
    records: Sequence[TriageRecord], rows: Sequence[tuple[str, str, str | None, datetime]]
) -> list[dict[str, float]]:
    """History features for each row (fingerprint, rule id, trusted path or None, time), each from
    the decisions strictly before its time and never from its own fingerprint. One sweep in time
    order: O((records + rows) log)."""
    ordered = sorted(records, key=lambda r: r.when)
    times = [r.when for r in ordered]
    order = sorted(range(len(rows)), key=lambda i: rows[i][3])
    history, taken = History(), 0
    out: list[dict[str, float]] = [{} for _ in rows]
    for i in order:
        fingerprint, rule_id, path, when = rows[i]
        upto = bisect.bisect_left(times, when)  # strictly before `when`
        for r in ordered[taken:upto]:
            history.add(r)
        taken = max(taken, upto)
        out[i] = history.stats(rule_id, path, exclude=fingerprint)
    return out
