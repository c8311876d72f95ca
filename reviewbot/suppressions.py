"""Inline suppressions: `nosemgrep` comments, honoured by marking, never by dropping.

Semgrep's own rule: a `nosemgrep` comment on the first line of a match, or alone on the line
above it, suppresses it; `nosemgrep: id1, id2` only those rules (ids may carry semgrep's config
prefix, so a suffix match counts). We run semgrep with `--disable-nosem` and apply the rule here,
so the finding survives as SUPPRESSED_INLINE in JSON and SARIF.
"""

from __future__ import annotations

import re

from reviewbot.finding import Disposition, Finding

_NOSEMGREP = re.compile(
    r"(?:#|//|/\*|--)\s*nosem(?:grep)?(?:\s*:\s*(?P<ids>[\w.\-]+(?:\s*,\s*[\w.\-]+)*))?", re.IGNORECASE
)


def apply_inline(finding: Finding, lines: list[str]) -> Finding:
    """Mark `finding` SUPPRESSED_INLINE when a nosemgrep comment covers it; else return it."""
    first = finding.start_line - 1
    candidates = [lines[first]] if 0 <= first < len(lines) else []
    if 0 < first <= len(lines) and lines[first - 1].strip().startswith(("#", "//", "/*", "--")):
        candidates.append(lines[first - 1])
    for line in candidates:
        m = _NOSEMGREP.search(line)
        if not m:
            continue
        ids = [i.strip() for i in (m.group("ids") or "").split(",") if i.strip()]
        if not ids or any(i == finding.rule_id or i.endswith("." + finding.rule_id) for i in ids):
            return finding.with_disposition(Disposition.SUPPRESSED_INLINE, "nosemgrep comment")
    return finding
