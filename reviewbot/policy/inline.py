"""Inline suppression comments: finding `reviewbot: ignore[rule-id,…|*] reason` and `nosemgrep` in a file.

    directives = scan_inline(path, data, from_change)   # every such comment, line by line

`reviewbot: ignore` is looked for after the comment markers of the file's language
(`lang.languages.comment_markers`); `nosemgrep` follows semgrep's own rule (any of its markers).
A comment without a reason, or without rule ids, is kept with its `problem` (it suppresses
nothing and is reported). Which comments count in a review, and marking findings, is
`reviewbot.policy.suppressions`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from reviewbot.lang.languages import comment_markers

# semgrep's own rule for `nosemgrep`, whatever the file's language: after any of its comment markers
_NOSEMGREP_MARKERS = ("#", "//", "/*", "--")
_NOSEMGREP = re.compile(
    r"(?:#|//|/\*|--)\s*nosem(?:grep)?(?:\s*:\s*(?P<ids>[\w.\-]+(?:\s*,\s*[\w.\-]+)*))?", re.IGNORECASE
)


class InlineKind(StrEnum):
    IGNORE = "reviewbot: ignore"
    NOSEMGREP = "nosemgrep"


_COMMENT_END = re.compile(r"\*/|#\}|-->|%>|--\}\}|\}\}")
_RULE_ID = re.compile(r"^(?:\*|[\w.\-/:]+)$")


@functools.cache  # one pattern per comment syntax (a handful), compiled once
def _ignore_pattern(markers: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(m) for m in markers)
    return re.compile(rf"(?:{alternatives})\s*reviewbot\s*:\s*ignore\b(?P<rest>.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class InlineDirective:
    """One suppression comment on one line of a head file."""

    path: str
    line: int
    kind: InlineKind
    rules: tuple[str, ...]  # empty: every rule (a bare nosemgrep); "*": every rule
    reason: str
    comment_only: bool  # nothing but the comment on its line: it may govern the line below
    from_change: bool  # the comment line is added by the change under review
    problem: str | None = None  # why it suppresses nothing (no reason, no rule ids)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def text(self) -> str:
        if self.kind is InlineKind.NOSEMGREP:
            return f"`nosemgrep: {','.join(self.rules)}`" if self.rules else "`nosemgrep`"
        return f"`reviewbot: ignore[{','.join(self.rules)}]`"

    def covers(self, rule_id: str) -> bool:
        if not self.rules or "*" in self.rules or rule_id in self.rules:
            return True
        # semgrep prefixes rule ids with the config's folder; nosemgrep may name either form
        return self.kind is InlineKind.NOSEMGREP and any(r.endswith("." + rule_id) for r in self.rules)


def scan_inline(path: str, data: bytes, from_change: Callable[[int], bool] | None = None) -> list[InlineDirective]:
    """Every suppression comment in `data`. `from_change(n)`: line n is added by the change."""
    lowered = data.lower()
    if b"reviewbot" not in lowered and b"nosem" not in lowered:
        return []
    markers = comment_markers(path)
    ignore = _ignore_pattern(markers)
    out: list[InlineDirective] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        low = raw.lower()
        if b"reviewbot" not in low and b"nosem" not in low:
            continue
        text = raw.decode("utf-8", "replace").rstrip("\r")
        stripped = text.strip()
        fresh = from_change is not None and from_change(number)
        if (m := ignore.search(text)) is not None:
            rules, reason, problem = _parse_ignore(m.group("rest"))
            only = stripped.startswith(markers)
            out.append(InlineDirective(path, number, InlineKind.IGNORE, rules, reason, only, fresh, problem))
        if (n := _NOSEMGREP.search(text)) is not None:  # semgrep's rule: any of its comment markers
            ids = tuple(i.strip() for i in (n.group("ids") or "").split(",") if i.strip())
            only = stripped.startswith(_NOSEMGREP_MARKERS)
            out.append(InlineDirective(path, number, InlineKind.NOSEMGREP, ids, "nosemgrep comment", only, fresh))
    return out


def _parse_ignore(rest: str) -> tuple[tuple[str, ...], str, str | None]:
    m = re.match(r"\s*\[(?P<ids>[^\]]*)\](?P<reason>.*)$", rest)
    if m is None:
        return (), "", "names no rule: write `reviewbot: ignore[rule-id] reason` (or ignore[*])"
    ids = tuple(i.strip() for i in m.group("ids").split(",") if i.strip())
    if not ids or not all(_RULE_ID.match(i) for i in ids):
        return ids, "", "needs rule ids in the brackets, separated by commas (or *)"
    # a block comment's closer ends the reason: `*/`, `#}`, `-->`, EJS `%>`, Handlebars `--}}` / `}}`
    reason = _COMMENT_END.split(m.group("reason"), maxsplit=1)[0].strip().lstrip("-\u2013\u2014:;,").strip()
    if not any(ch.isalnum() for ch in reason):
        return ids, "", "has no reason, so it suppresses nothing: write why after the `]`"
    return ids, reason, None
