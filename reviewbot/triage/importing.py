"""`reviewbot triage import`: append the valid, new records of a ledger-format file to the ledger,
saying which lines were skipped and how many records it held already."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reviewbot.triage.ledger import (
    Source,
    TriageError,
    TriageRecord,
    append_records,
    as_utc,
    check_reason,
    parse_lines,
    read_ledger,
    unseen,
)


@dataclass(frozen=True)
class ImportResult:
    imported: list[TriageRecord]
    duplicates: int  # valid records already in the ledger (or twice in the file)
    problems: list[tuple[int, str]]  # lines of the imported file that were skipped

    @property
    def valid(self) -> int:
        return len(self.imported) + self.duplicates


def import_records(source: Path, ledger: Path) -> ImportResult:
    """Append the valid, new records of a JSONL file to the ledger (`source` defaults to import)."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise TriageError(f"{source}: cannot read the file to import: {exc.strerror or exc}") from exc
    read = parse_lines(data, default_source=Source.IMPORT)
    problems = list(read.problems)
    valid: list[TriageRecord] = []
    for number, record in zip(read.lines, read.records, strict=True):
        try:
            check_reason(record.verdict, record.reason)
        except TriageError:
            problems.append((number, f"a {record.verdict.value} record needs a non-empty reason"))
            continue
        valid.append(record.model_copy(update={"when": as_utc(record.when)}))
    problems.sort()
    fresh = unseen(valid, read_ledger(ledger).records) if valid else []
    append_records(ledger, fresh)
    return ImportResult(fresh, len(valid) - len(fresh), problems)
