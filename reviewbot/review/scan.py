"""The scanning stage of a review: a change's files on disk, every scanner run on them side by side.

Head and base versions are written to one temporary tree (`head/…`, `base/…`). The head is
scanned first; the base version of a file is scanned only when its head version has a finding
(nothing else can be "preexisting"), so a clean change costs one scan, and only by the scanners
and for the rules that found something there (a fingerprint names its rule). Scanners run side
by side: semgrep is a subprocess, so in-process scanners use the time it spends.

The script blocks of `.vue` and `.html` files are also written as views
(`scanners/script_blocks.py`: same length, everything else blanked) under `scripts/head/…`,
`scripts/base/…`, given to the scanners that read JavaScript, and their matches and warnings
are reported on the original file: the views' offsets, lines and columns are the file's own.
`held_back` keeps some files from one kind of scanner (semgrep's cap in `scan --all`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from reviewbot.change.changes import Change
from reviewbot.lang.languages import language_of
from reviewbot.scanners import script_blocks
from reviewbot.scanners.interface import Scanner, ScanOutput
from reviewbot.scanners.rulesets import RuleInfo

# The two sides' folders in the scanned tree: a match's path starts with one of them.
HEAD, BASE = "head", "base"


def scan_change(
    change: Change,
    scanners: Sequence[Scanner],
    *,
    with_base: bool,
    held_back: Mapping[str, frozenset[str]] | None = None,
) -> list[ScanOutput]:
    """Each scanner's output (in the order of `scanners`) on the head files and, `with_base`, on
    the base versions of the files whose head version it matched. `held_back`: by scanner kind,
    head paths that kind is not given (their script views neither)."""
    with tempfile.TemporaryDirectory(prefix="reviewbot-scan-") as tmp:
        root = Path(tmp)
        head_targets, followups = _layout(root, change, with_base)
        held = {kind: frozenset(f"{HEAD}/{p}" for p in paths) for kind, paths in (held_back or {}).items()}
        outputs = _scan_all(root, head_targets, scanners, followups, held)
        return [_on_originals(out) for out in outputs]


def _layout(root: Path, change: Change, with_base: bool) -> tuple[list[str], dict[str, str]]:
    """The change's files written under `root`: the head targets, and each one's followup."""
    head_targets = _materialize(root, HEAD, change.head)
    followups = {}
    if with_base:
        # New-only compares fingerprints, and a fingerprint names its rule: a file's base
        # version is scanned only by the scanners, and for the rules, that matched its head
        # version, as soon as they did. A change whose files are clean costs one scan.
        base = {path: data for path, data in change.base.items() if path in change.head}
        followups = {f"{HEAD}/{path}": f"{BASE}/{path}" for path in base}
        base_views = _materialize(root, BASE, base)
        followups |= _view_followups(head_targets, base_views)
    return head_targets, followups


class EarlyScanner(Scanner):
    """`scanner`, with its scan of `change` started now, in a thread of its own: `reviewbot scan`
    starts semgrep as soon as the change is read, while the rest of the review loads (its code,
    the tree-sitter rules, the model, the config and suppressions). Asked by `scan_change` for
    exactly the targets and followups it started with, it answers with that scan; asked for
    anything else (another layout, files held back, a fix to verify), it scans as `scanner`."""

    def __init__(self, scanner: Scanner, change: Change, *, with_base: bool) -> None:
        self.inner = scanner
        self.kind = scanner.kind
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._started = self._pool.submit(self._scan_ahead, change, with_base)
        self._pool.shutdown(wait=False)  # the one task still runs; nothing else is ever queued

    def _scan_ahead(self, change: Change, with_base: bool) -> tuple[list[str], dict[str, str], ScanOutput]:
        with tempfile.TemporaryDirectory(prefix="reviewbot-scan-") as tmp:
            root = Path(tmp)
            targets, followups = _layout(root, change, with_base)
            mine = _accepted(self.inner, targets, frozenset())
            if not followups:
                return mine, followups, self.inner.scan(root, mine)
            return mine, followups, _merge(*self.inner.scan_pairs(root, mine, followups))

    def _ready(self, targets: list[str], followups: Mapping[str, str]) -> ScanOutput | None:
        mine, started_followups, output = self._started.result()
        return output if mine == targets and started_followups == dict(followups) else None

    def accepts(self, language: str) -> bool:
        return self.inner.accepts(language)

    def rule(self, reported_id: str) -> RuleInfo | None:
        return self.inner.rule(reported_id)

    def rule_ids(self) -> frozenset[str]:
        return self.inner.rule_ids()

    def rule_count(self) -> int:
        return self.inner.rule_count()

    def scan(self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]] | None = None) -> ScanOutput:
        ready = self._ready(targets, {}) if only is None else None
        return ready if ready is not None else self.inner.scan(root, targets, only)

    def scan_pairs(self, root: Path, targets: list[str], followups: Mapping[str, str]) -> tuple[ScanOutput, ScanOutput]:
        ready = self._ready(targets, followups)
        # scan_change merges the two outputs at once: the merged one stands for both
        return (ready, ScanOutput()) if ready is not None else self.inner.scan_pairs(root, targets, followups)


def _view_followups(head: list[str], base: list[str]) -> dict[str, str]:
    """Each head view's base view (the suffix may differ: a block that became TypeScript)."""
    by_original = {script_blocks.original_path(t): t for t in base}
    by_original.pop(None, None)
    out = {}
    for target in head:
        original = script_blocks.original_path(target)
        if original is not None and (other := by_original.get(f"{BASE}/{original.partition('/')[2]}")):
            out[target] = other
    return out


def _on_originals(out: ScanOutput) -> ScanOutput:
    """`out` with the views' matches and warnings on their original files (one match once: a
    rule reading both a file and its view finds the same bytes twice)."""
    matches, seen = [], set()
    for m in out.matches:
        original = script_blocks.original_path(m.path)
        m = replace(m, path=original) if original is not None else m
        if m not in seen:
            seen.add(m)
            matches.append(m)
    warnings = []
    for w in out.warnings:
        original = script_blocks.original_path(w.path) if w.path is not None else None
        warnings.append(replace(w, path=original) if original is not None else w)
    return ScanOutput(matches=matches, warnings=warnings)


def _merge(a: ScanOutput, b: ScanOutput) -> ScanOutput:
    return ScanOutput(matches=[*a.matches, *b.matches], warnings=[*a.warnings, *b.warnings])


def _scan_all(
    root: Path,
    targets: list[str],
    scanners: Sequence[Scanner],
    followups: dict[str, str],
    held: Mapping[str, frozenset[str]],
) -> list[ScanOutput]:
    """Run every scanner on the targets it has rules for, side by side (with `followups`, each
    scanner also scans the followups of the targets it matched, for the rules that matched)."""

    def run(scanner: Scanner) -> ScanOutput:
        mine = _accepted(scanner, targets, held.get(str(scanner.kind), frozenset()))
        if not followups:
            return scanner.scan(root, mine)
        return _merge(*scanner.scan_pairs(root, mine, followups))

    if len(scanners) == 1:
        return [run(scanners[0])]
    with ThreadPoolExecutor(max_workers=len(scanners)) as pool:
        futures = [pool.submit(run, s) for s in scanners]
        return [f.result() for f in futures]


def _accepted(scanner: Scanner, targets: list[str], kept: frozenset[str]) -> list[str]:
    """The targets `scanner` has rules for, less those held back from it (`kept`, head paths)."""
    return [
        t
        for t in targets
        if (lang := language_of(t)) is not None
        and scanner.accepts(lang)
        and (script_blocks.original_path(t) or t) not in kept
    ]


def _materialize(root: Path, side: str, contents: dict[str, bytes]) -> list[str]:
    """Write `contents` under `side/`, and the script views of those with script blocks; the
    targets written, views last."""
    targets, views = [], []
    for path, data in contents.items():
        _write(root / side / path, data)
        targets.append(f"{side}/{path}")
        view = script_blocks.script_view(path, data) if script_blocks.has_script_blocks(path) else None
        if view is not None:
            target = script_blocks.view_path(side, path, view[0])
            _write(root / target, view[1])
            views.append(target)
    return targets + views


def _write(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
