"""The scanning stage of a review: a change's files on disk, every scanner run on them side by side.

Head and base versions are written to one temporary tree (`head/…`, `base/…`). The head is
scanned first; the base version of a file is scanned only when its head version has a finding
(nothing else can be "preexisting"), so a clean change costs one scan, and only by the scanners
and for the rules that found something there (a fingerprint names its rule). Scanners run side
by side: semgrep is a subprocess, so in-process scanners use the time it spends.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reviewbot.change.changes import Change
from reviewbot.lang.languages import language_of
from reviewbot.scanners.interface import Scanner, ScanOutput

# The two sides' folders in the scanned tree: a match's path starts with one of them.
HEAD, BASE = "head", "base"


def scan_change(change: Change, scanners: Sequence[Scanner], *, with_base: bool) -> list[ScanOutput]:
    """Each scanner's output (in the order of `scanners`) on the head files and, `with_base`, on
    the base versions of the files whose head version it matched."""
    with tempfile.TemporaryDirectory(prefix="reviewbot-scan-") as tmp:
        root = Path(tmp)
        head_targets = _materialize(root, HEAD, change.head)
        followups = {}
        if with_base:
            # New-only compares fingerprints, and a fingerprint names its rule: a file's base
            # version is scanned only by the scanners, and for the rules, that matched its head
            # version, as soon as they did. A change whose files are clean costs one scan.
            base = {path: data for path, data in change.base.items() if path in change.head}
            followups = {f"{HEAD}/{path}": f"{BASE}/{path}" for path in base}
            _materialize(root, BASE, base)
        return _scan_all(root, head_targets, scanners, followups)


def _merge(a: ScanOutput, b: ScanOutput) -> ScanOutput:
    return ScanOutput(matches=[*a.matches, *b.matches], warnings=[*a.warnings, *b.warnings])


def _scan_all(
    root: Path, targets: list[str], scanners: Sequence[Scanner], followups: dict[str, str]
) -> list[ScanOutput]:
    """Run every scanner on the targets it has rules for, side by side (with `followups`, each
    scanner also scans the followups of the targets it matched, for the rules that matched)."""

    def run(scanner: Scanner) -> ScanOutput:
        mine = [t for t in targets if (lang := language_of(t)) is not None and scanner.accepts(lang)]
        if not followups:
            return scanner.scan(root, mine)
        return _merge(*scanner.scan_pairs(root, mine, followups))

    if len(scanners) == 1:
        return [run(scanners[0])]
    with ThreadPoolExecutor(max_workers=len(scanners)) as pool:
        futures = [pool.submit(run, s) for s in scanners]
        return [f.result() for f in futures]


def _materialize(root: Path, side: str, contents: dict[str, bytes]) -> list[str]:
    targets = []
    for path, data in contents.items():
        dest = root / side / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        targets.append(f"{side}/{path}")
    return targets
