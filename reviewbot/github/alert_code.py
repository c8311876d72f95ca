"""Our fingerprint for a finding another tool reported: the code at its location, at its commit.

A code-scanning alert names a commit, a path and a region (1-based lines; 1-based columns, the
end column exclusive, as in SARIF). The file is read from the local checkout's object store with
git (`GitRepo.read_at`, one batch for every alert; the working tree is never read, and a commit
that is not fetched is simply unreadable). The region becomes a byte range (columns counted in
characters of the decoded line; no columns: the whole lines; a point: the code on its line), and
fingerprint v1 (`review/fingerprint.py`) is taken from it with the rule id an imported finding
of that tool carries (`scanners.sarif_map.imported_rule_id`: `codeql/py/sql-injection`). The
occurrence index counts the distinct matches (rule, byte range) of the same file at the same
commit in source order, as the scanners' findings are counted; alerts of one rule on the very
same bytes share a fingerprint.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from reviewbot.change.git import GitRepo
from reviewbot.lang.languages import language_of
from reviewbot.lang.syntax import parse
from reviewbot.review import fingerprint


@dataclass(frozen=True)
class AlertSite:
    """Where an alert points: its number (for the caller), the rule, the commit and the region."""

    number: int
    rule_id: str
    commit: str
    path: str
    start_line: int
    end_line: int
    start_column: int | None = None
    end_column: int | None = None


def byte_range(source: bytes, site: AlertSite) -> tuple[int, int] | None:
    """The region as [start, end) bytes of `source`, or None when it lies outside the file."""
    lines = source.split(b"\n")
    if not 1 <= site.start_line <= site.end_line <= len(lines):
        return None
    offsets = [0]
    for raw in lines:
        offsets.append(offsets[-1] + len(raw) + 1)

    def at(line: int, column: int | None, end: bool) -> int:
        text = lines[line - 1].decode("utf-8", "replace")
        chars = len(text) if column is None and end else max(0, min(len(text), (column or 1) - 1))
        return offsets[line - 1] + len(text[:chars].encode("utf-8"))

    start = at(site.start_line, site.start_column, end=False)
    stop = at(site.end_line, site.end_column, end=True)
    if stop <= start:  # a point or an empty region: the code on its line, as the SARIF import reads it
        first = lines[site.start_line - 1]
        start = offsets[site.start_line - 1] + len(first) - len(first.lstrip())
        stop = offsets[site.start_line - 1] + len(first.rstrip())
    return (start, stop) if stop > start else None


def fingerprint_sites(repo: GitRepo, sites: list[AlertSite]) -> dict[int, str | None]:
    """Each site's fingerprint by alert number; None when its code cannot be read."""
    blobs = repo.read_at([(s.commit, s.path) for s in sites])
    out: dict[int, str | None] = {s.number: None for s in sites}
    by_file: dict[tuple[str, str], list[AlertSite]] = defaultdict(list)
    for s in sites:
        by_file[(s.commit, s.path)].append(s)
    for key, group in by_file.items():
        source = blobs.get(key)
        if source is None:
            continue
        # Two alerts of one rule on the same bytes are one match (one occurrence), not two.
        matches: dict[tuple[int, int, str], list[AlertSite]] = defaultdict(list)
        for s in group:
            r = byte_range(source, s)
            if r is not None:
                matches[(*r, s.rule_id)].append(s)
        ordered = sorted(matches)
        parsed = parse(source, language_of(key[1])) if ordered else None
        idents = [fingerprint.match_identity(rule, key[1], source, parsed, a, b) for a, b, rule in ordered]
        for match, fp in zip(ordered, fingerprint.fingerprints(idents), strict=True):
            for s in matches[match]:
                out[s.number] = fp
    return out
