"""Suppressions: inline comments and the suppressions file, honoured by marking, never by dropping.

    effective = suppressions_for(change, config)               # what may suppress in this review
    outcome = apply_suppressions(findings, effective, today=…) # SUPPRESSED_INLINE / SUPPRESSED_FILE
    notes += record_usage(state_file, outcome, today=…, …)     # entries that match nothing, over time

Two sources, one contract (docs/suppressions.md):

* inline: `reviewbot: ignore[rule-id,…|*] reason` in a comment (`#`, `//` or `/* */`, by the
  file's language) on the finding's first line or alone on the line above it. The reason is
  required: without one the comment suppresses nothing and is reported as a note. `nosemgrep`
  (semgrep's own syntax, no reason needed) is honoured too unless the config turns it off.
* `.reviewbot/suppressions.yml` (schema 1): entries scoped by rule id, path glob and/or
  fingerprint, each with a reason, an owner and an expiry date (or `permanent: true`). An
  expired entry stops suppressing and the finding says so.

The change under review is untrusted. Unless the caller trusts its head (a whole-tree audit, a
developer's own staged change), the suppressions file is read from the BASE version, and an
inline comment counts only where both the comment line and the line it governs are unchanged by
the change. Whatever the change adds (an ignore comment on an added line, a new or edited file
entry, new code put under an old ignore) is not applied and is listed, with what it would hide.

The file's schema, parsing and the usage state live in `reviewbot.policy.suppression_file`, and
finding the inline comments in a file in `reviewbot.policy.inline`; this module decides which of
them apply to a review and marks the findings. The stage owns SUPPRESSED_INLINE and
SUPPRESSED_FILE: it recomputes them from scratch, so a finding marked before the stage cannot
let a head-only `nosemgrep` through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from reviewbot.change.changes import Change
from reviewbot.finding import Disposition, Finding
from reviewbot.policy.added import AddedSuppression, HiddenFinding
from reviewbot.policy.config import Config, local_file_note, versions_of
from reviewbot.policy.inline import InlineDirective, InlineKind, scan_inline
from reviewbot.policy.suppression_file import (
    SUPPRESSIONS_FILE,
    Entry,
    SuppressionError,
    SuppressionsFile,
    exercised_entries,
    parse_suppressions,
    update_usage,
)

# -- what applies to a review --------------------------------------------------------------------


@dataclass(frozen=True)
class EntryChange:
    """A suppressions-file entry the change adds or edits."""

    entry: Entry
    change: Literal["added", "edited"]
    line: int


@dataclass(frozen=True)
class Effective:
    """What may suppress findings in one review, and what the change tries to add."""

    entries: tuple[Entry, ...]  # applied: the base version's entries (the head's, when trusted)
    changed_entries: tuple[EntryChange, ...]  # entries the change adds or edits
    inline: Mapping[str, Mapping[int, tuple[InlineDirective, ...]]]  # head path → line → comments
    added_lines: Mapping[str, frozenset[int] | None]  # lines the change adds per file (None: all)
    notes: tuple[str, ...]
    exercised: frozenset[str]  # ids of entries whose whole scope this review scanned (for usage)
    whole_tree: bool = False
    trust_head: bool = False
    nosemgrep: bool = True

    def from_change(self, path: str, line: int) -> bool:
        if self.whole_tree:
            return False
        added = self.added_lines.get(path, frozenset())
        return added is None or line in added

    def directives(self, finding: Finding) -> list[InlineDirective]:
        """The enabled, well-formed comments on the finding's first line or alone on the line above."""
        by_line = self.inline.get(finding.path, {})
        found = [*by_line.get(finding.start_line, ())]
        found += [d for d in by_line.get(finding.start_line - 1, ()) if d.comment_only]
        return [
            d
            for d in found
            if d.problem is None and (self.nosemgrep or d.kind is InlineKind.IGNORE) and d.covers(finding.rule_id)
        ]

    def trusted(self, directive: InlineDirective, finding: Finding) -> bool:
        """A comment counts when the change wrote neither it nor the line it governs."""
        if self.trust_head or self.whole_tree:
            return True
        return not directive.from_change and not self.from_change(finding.path, finding.start_line)


def suppressions_for(
    change: Change, config: Config | None = None, *, trust_head: bool = False, tolerate_invalid: bool = False
) -> Effective:
    """The suppressions that apply to a review of `change`, and those the change adds.

    The base version of the suppressions file applies (for `--all`, the file on disk); an invalid
    base is a SuppressionError (with `tolerate_invalid`, the PR path, a note: no entry applies,
    so nothing is hidden by a file nobody can read), an invalid or unreadable head only a note.
    With `trust_head` (the caller's own change: `--staged`, `--all`) the head version applies
    instead, and what the change adds is still listed.
    """
    config = config or Config()
    versions = versions_of(change, SUPPRESSIONS_FILE)
    notes: list[str] = []
    try:
        base = _parse_side(versions.base, SUPPRESSIONS_FILE + (" (base version)" if versions.changed else ""))
    except SuppressionError as exc:
        if not tolerate_invalid:
            raise
        notes.append(f"{exc}; this review refused that file: none of its suppressions apply")
        base = _parse_side(None, SUPPRESSIONS_FILE)
    head = base
    if versions.changed:
        label = f"{SUPPRESSIONS_FILE} (head version)"
        if not versions.head_known:
            notes.append(
                f"this change edits {SUPPRESSIONS_FILE} but its new version cannot be read: none of its edits apply"
            )
        elif trust_head:
            head = _parse_side(versions.head, label)
        else:
            try:
                head = _parse_side(versions.head, label)
            except SuppressionError as exc:
                notes.append(
                    f"this change edits {SUPPRESSIONS_FILE} and its new version is invalid ({exc}); "
                    "the base version applies"
                )
    base_by_id = {e.id: e for e in base.entries}
    changed = tuple(
        EntryChange(e, "added" if e.id not in base_by_id else "edited", head.lines.get(e.id, 0))
        for e in head.entries
        if base_by_id.get(e.id) != e
    )
    applied = head if trust_head else base
    on_disk = versions.note or local_file_note(
        change, SUPPRESSIONS_FILE, versions.head if trust_head else versions.base, trust_head=trust_head
    )
    if on_disk is not None:
        notes.append(f"{on_disk}; its entries on disk do not apply to this review")
    inline: dict[str, dict[int, tuple[InlineDirective, ...]]] = {}
    added_lines: dict[str, frozenset[int] | None] = {}
    for path, data in change.head.items():
        fc = change.file(path)
        fresh: frozenset[int] | None = frozenset()
        if fc is not None and not change.whole_tree:
            fresh = None if fc.whole_file else fc.added_lines
        added_lines[path] = fresh
        by_line: dict[int, list[InlineDirective]] = {}
        for d in scan_inline(path, data, _added_predicate(fresh)):
            by_line.setdefault(d.line, []).append(d)
            if d.problem is not None and d.kind is InlineKind.IGNORE:
                notes.append(f"{d.where}: {d.text if d.rules else '`reviewbot: ignore`'} {d.problem}")
        if by_line:
            inline[path] = {line: tuple(ds) for line, ds in by_line.items()}
    return Effective(
        entries=tuple(applied.entries),
        changed_entries=changed,
        inline=inline,
        added_lines=added_lines,
        notes=tuple(notes),
        exercised=exercised_entries(applied.entries, change),
        whole_tree=change.whole_tree,
        trust_head=trust_head,
        nosemgrep=config.suppressions.nosemgrep,
    )


def _added_predicate(fresh: frozenset[int] | None) -> Callable[[int], bool]:
    if fresh is None:
        return lambda _line: True
    return lambda line: line in fresh


def _parse_side(data: bytes | None, label: str) -> SuppressionsFile:
    return parse_suppressions(data, label) if data is not None else SuppressionsFile([], {})


# -- applying ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuppressionOutcome:
    findings: list[Finding]
    notes: list[str]  # comments without a reason, unreadable head files, and every added suppression
    added: list[AddedSuppression]  # suppressions added by the change (for a structured list)
    expired: dict[str, str]  # fingerprint → "suppression <id> expired on …": shown whatever the model says
    matched: frozenset[str]  # ids of active entries that matched a finding
    in_scope: frozenset[str]  # ids of active entries this review could have exercised
    entries: tuple[Entry, ...] = ()  # the entries that applied (active and expired)


_OWNED = frozenset({Disposition.SUPPRESSED_INLINE, Disposition.SUPPRESSED_FILE})


def apply_suppressions(findings: Iterable[Finding], effective: Effective, *, today: date) -> SuppressionOutcome:
    """Mark REPORTED findings SUPPRESSED_INLINE / SUPPRESSED_FILE; say which suppressions expired.

    Findings in other dispositions keep them (they still count as matches for usage). A finding
    matched only by expired entries stays REPORTED, its reason naming the entry and the date.
    """
    active = [e for e in effective.entries if not e.is_expired(today)]
    lapsed = [e for e in effective.entries if e.is_expired(today)]
    out: list[Finding] = []
    matched: set[str] = set()
    expired: dict[str, str] = {}
    inline_calls: dict[tuple[str, int, str, str], list[HiddenFinding]] = {}
    inline_seen: dict[tuple[str, int, str, str], tuple[InlineDirective, str]] = {}
    file_calls: dict[str, list[HiddenFinding]] = {c.entry.id: [] for c in effective.changed_entries}
    for f in findings:
        if f.disposition in _OWNED:
            f = f.with_disposition(Disposition.REPORTED)
        was_visible = f.disposition is Disposition.REPORTED
        hits = [e for e in active if e.matches(f)]
        matched.update(e.id for e in hits)
        applied: InlineDirective | None = None
        untrusted: list[tuple[str, int, str, str]] = []
        for d in effective.directives(f):
            if effective.trusted(d, f):
                applied = applied or d
            if d.from_change or not effective.trusted(d, f):
                why = "added" if d.from_change else "new code under it"
                untrusted.append(key := (d.path, d.line, d.kind.value, why))
                inline_seen[key] = (d, why)
        if was_visible:
            f = _mark(f, applied, hits, [e for e in lapsed if e.matches(f)], expired)
        # what the change adds "hides" a finding only where it makes a difference: the finding
        # is visible after the trusted suppressions (or, trusting the head, was visible before)
        if was_visible and (effective.trust_head or f.visible):
            for key in untrusted:
                inline_calls.setdefault(key, []).append(HiddenFinding.of(f))
            for c in effective.changed_entries:
                if not c.entry.is_expired(today) and c.entry.matches(f):
                    file_calls[c.entry.id].append(HiddenFinding.of(f))
        out.append(f)
    added = _callouts(effective, inline_calls, inline_seen, file_calls)
    in_scope = {e.id for e in active if e.id in matched or e.id in effective.exercised}
    notes = [*effective.notes, *(a.describe() for a in added)]
    return SuppressionOutcome(
        findings=out,
        notes=notes,
        added=added,
        expired=expired,
        matched=frozenset(matched),
        in_scope=frozenset(in_scope),
        entries=effective.entries,
    )


def _mark(
    f: Finding, inline: InlineDirective | None, hits: list[Entry], lapsed: list[Entry], expired: dict[str, str]
) -> Finding:
    """The disposition a REPORTED finding gets: inline first, then the file, then an expiry note."""
    if inline is not None:
        reason = f"{inline.text} at {inline.where}"
        reason = reason if inline.kind is InlineKind.NOSEMGREP else f"{reason}: {inline.reason}"
        return f.with_disposition(Disposition.SUPPRESSED_INLINE, reason)
    if hits:
        e = hits[0]
        return f.with_disposition(Disposition.SUPPRESSED_FILE, f"suppression {e.id} ({e.owner}, {e.until}): {e.reason}")
    if lapsed:
        e = lapsed[0]
        note = f"suppression {e.id} expired on {e.expires} ({e.owner}: {e.reason}); renew or remove it"
        expired[f.fingerprint] = note
        return f.with_disposition(Disposition.REPORTED, note)
    return f


def _callouts(
    effective: Effective,
    inline_calls: dict[tuple[str, int, str, str], list[HiddenFinding]],
    inline_seen: dict[tuple[str, int, str, str], tuple[InlineDirective, str]],
    file_calls: dict[str, list[HiddenFinding]],
) -> list[AddedSuppression]:
    if effective.whole_tree:
        return []
    out: list[AddedSuppression] = []
    # every comment the change adds, even one that hides nothing; old comments over new code only
    # where they meet a finding
    for by_line in effective.inline.values():
        for directives in by_line.values():
            for d in directives:
                if d.from_change and d.problem is None and (effective.nosemgrep or d.kind is InlineKind.IGNORE):
                    inline_seen.setdefault((d.path, d.line, d.kind.value, "added"), (d, "added"))
    for key, (d, why) in sorted(inline_seen.items()):
        if why == "new code under it" and not inline_calls.get(key):
            continue
        out.append(
            AddedSuppression(
                kind="inline",
                where=d.where,
                what=d.text,
                silences=d.rules or ("*",),
                reason=d.reason,
                change="added" if why == "added" else "new code under it",
                applied=effective.trust_head,
                hides=tuple(inline_calls.get(key, [])),
            )
        )
    for c in effective.changed_entries:
        out.append(
            AddedSuppression(
                kind="file",
                where=f"{SUPPRESSIONS_FILE} entry {c.entry.id} (line {c.line})",
                what=f"{c.entry.scope}, {c.entry.until}, owner {c.entry.owner}",
                silences=(c.entry.rule,) if c.entry.rule else ("*",),
                reason=c.entry.reason,
                change=c.change,
                applied=effective.trust_head,
                hides=tuple(file_calls.get(c.entry.id, [])),
            )
        )
    return out


def record_usage(path: Path, outcome: SuppressionOutcome, *, today: date, unused_after: int) -> list[str]:
    """Count this review in the usage state at `path`; notes naming the entries now unused."""
    return update_usage(
        path, outcome.entries, outcome.matched, outcome.in_scope, today=today, unused_after=unused_after
    )
