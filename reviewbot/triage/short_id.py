"""Short ids: a fingerprint prefix short enough to type, and its way back to the fingerprint.

The text output shows each finding's short id; `reviewbot triage mark` takes it. A short id is
the shortest prefix of the fingerprint, at least MIN_LENGTH hex digits, that no other
fingerprint of the same report starts with. It is unique only within that report (the last
scan's, or `--report FILE`), so it is resolved against that report and nowhere else: a prefix
two of its findings share is refused with both candidates listed, one it does not hold is
refused naming the report. A full 32-digit fingerprint needs no report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from reviewbot.errors import InputError

MIN_LENGTH = 8
FULL_LENGTH = 32
_HEX = re.compile(r"[0-9a-f]+")
_MAX_LISTED = 10
# Report contents (rule ids, paths) came from a repository: inert before they reach a terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


class ShortIdError(InputError):
    """A short id that names no finding, or more than one, of the report it is resolved against."""


def short_ids(fingerprints: Iterable[str]) -> dict[str, str]:
    """Each fingerprint's short id among `fingerprints` (a fingerprint given twice is one finding)."""
    ordered = sorted(set(fingerprints))
    out: dict[str, str] = {}
    for i, fp in enumerate(ordered):
        # In sorted order the longest prefix shared with any other fingerprint is shared with a neighbour.
        shared = max(
            (_common_prefix(fp, ordered[j]) for j in (i - 1, i + 1) if 0 <= j < len(ordered)),
            default=0,
        )
        out[fp] = fp[: max(MIN_LENGTH, shared + 1)]
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def normalize(text: str) -> str:
    """The id as typed, stripped and lower-cased, or a ShortIdError saying what an id looks like."""
    value = text.strip().lower()
    if not (MIN_LENGTH <= len(value) <= FULL_LENGTH and _HEX.fullmatch(value)):
        # repr() escapes control and bidi characters: what the user typed cannot repaint the terminal.
        raise ShortIdError(
            f"{text!r} is neither a fingerprint nor a short id: expected {MIN_LENGTH} to {FULL_LENGTH} hex "
            "digits (the `id` shown by `reviewbot scan`, or a finding's `fingerprint` in its JSON output)"
        )
    return value


def is_full(text: str) -> bool:
    value = text.strip().lower()
    return len(value) == FULL_LENGTH and _HEX.fullmatch(value) is not None


def resolve(text: str, known: Mapping[str, str], where: str) -> str:
    """The one fingerprint of `known` (fingerprint → a one-line description) that `text` starts.

    `where` names the report `known` came from, for the errors."""
    prefix = normalize(text)
    matches = sorted(fp for fp in known if fp.startswith(prefix))
    if not matches:
        raise ShortIdError(
            f"short id {prefix} names no finding of {where}; pass the full fingerprint, or --report FILE "
            "(a `reviewbot scan --format json` output) holding it"
        )
    if len(matches) > 1:
        listed = "; ".join(f"{fp} ({_inert(known[fp])})" for fp in matches[:_MAX_LISTED])
        more = f"; and {len(matches) - _MAX_LISTED} more" if len(matches) > _MAX_LISTED else ""
        raise ShortIdError(
            f"short id {prefix} is ambiguous in {where}: {len(matches)} findings start with it: "
            f"{listed}{more}. Give more digits"
        )
    return matches[0]


def _inert(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def fingerprint_for(text: str, *, report: Path | None, repo_root: Path) -> str:
    """What `triage mark` was given, as a full fingerprint: a full one as it is, a short id through
    `report`, else through the last scan's report of `repo_root`."""
    from reviewbot.triage.ledger import check_fingerprint
    from reviewbot.triage.scan_facts import last_report_path, load_scan_facts

    if is_full(text):
        return check_fingerprint(text)
    prefix = normalize(text)  # a malformed id is refused before any report is read
    if report is not None:
        path, where = report, str(report)
    else:
        path = last_report_path(repo_root)
        where = f"the last scan's report ({path})"
        if not path.is_file():
            raise ShortIdError(
                f"short id {prefix}: there is no saved scan report for {repo_root} to look it up in "
                "(`reviewbot scan` keeps one); pass the full fingerprint, or --report FILE"
            )
    findings = load_scan_facts(path)
    known = {fp: f"{f.rule_id} in {f.path}" if f.path else f.rule_id for fp, f in findings.items()}
    return resolve(prefix, known, where)
