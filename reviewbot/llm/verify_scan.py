"""The fix verifier's rerun: the review's own scanners, whole ruleset, on fixed copies of a file.

    verifier = FixVerifier(scanners)          # once per review, from the scanners the review ran
    scans = verifier.rescan([(path, original), (path, fixed), ...])   # one run per scanner

Every copy is written under its own folder of one temporary tree at its repository path (rules
that look at paths see the path the review saw), and each scanner scans all of them in one run:
semgrep's start-up, not the file, is what a rerun costs. A file already scanned (the original of
a second proposal, by path and content) is not scanned again.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from reviewbot.finding import IMPORTED_PREFIX
from reviewbot.lang.languages import language_of
from reviewbot.scanners.interface import Scanner, ScanOutput


@dataclass(frozen=True)
class Match:
    """One rule match in a rescanned file: the rule's own id, its lines and the matched bytes."""

    rule_id: str
    start_line: int
    end_line: int
    text: bytes


@dataclass(frozen=True)
class Rescan:
    matches: tuple[Match, ...]
    warnings: int  # a warning means some rule did not run on the file: its silence proves nothing


class FixVerifier:
    """The whole ruleset the review ran, ready to rerun on fixed files; built once per review.

    `counts` adds up every verdict given through it (reason -> number), for the review's notes
    and the benchmark.
    """

    def __init__(self, scanners: Sequence[Scanner]) -> None:
        # An imported tool's results (`--import-sarif`) are a file of the code as it was, not a
        # rule that can run again on a fixed copy: the rerun is our own ruleset.
        self.scanners = tuple(s for s in scanners if not str(s.kind).startswith(IMPORTED_PREFIX))
        self.counts: Counter[str] = Counter()
        self._seen: dict[tuple[str, bytes], Rescan] = {}

    @property
    def files_scanned(self) -> int:
        """How many distinct files (path and content) the reruns scanned so far."""
        return len(self._seen)

    def rescan(self, files: Sequence[tuple[str, bytes]]) -> list[Rescan]:
        """Each (repo path, content) scanned by every scanner with rules for its language.

        Raises the scanners' errors (`ScannerError`): a rerun that did not happen proves nothing.
        """
        keys = [(path, hashlib.sha256(data).digest()) for path, data in files]
        todo = {key: data for key, (_, data) in zip(keys, files, strict=True) if key not in self._seen}
        if todo:
            self._seen.update(self._scan(todo))
        return [self._seen[key] for key in keys]

    def _scan(self, files: dict[tuple[str, bytes], bytes]) -> dict[tuple[str, bytes], Rescan]:
        with tempfile.TemporaryDirectory(prefix="reviewbot-verify-") as tmp:
            root = Path(tmp)
            targets: dict[str, tuple[tuple[str, bytes], bytes]] = {}
            for i, (key, data) in enumerate(files.items()):
                target = f"v{i}/{key[0]}"
                dest = root / target
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
                targets[target] = (key, data)

            def run(scanner: Scanner) -> tuple[Scanner, ScanOutput]:
                mine = [t for t in targets if (lang := language_of(t)) is not None and scanner.accepts(lang)]
                return scanner, scanner.scan(root, mine) if mine else ScanOutput()

            with ThreadPoolExecutor(max_workers=max(1, len(self.scanners))) as pool:
                outputs = list(pool.map(run, self.scanners))
        matches: dict[str, list[Match]] = {t: [] for t in targets}
        warnings: Counter[str] = Counter()
        for scanner, output in outputs:
            for m in output.matches:
                if m.path not in targets:
                    continue
                info = scanner.rule(m.rule_id)
                data = targets[m.path][1]
                rule_id = info.id if info is not None else m.rule_id
                matches[m.path].append(Match(rule_id, m.start_line, m.end_line, data[m.start_byte : m.end_byte]))
            for w in output.warnings:
                # A warning for the whole run (a rule that failed) concerns every file in it.
                for t in [w.path] if w.path is not None else list(targets):
                    warnings[t] += 1
        return {key: Rescan(tuple(matches[t]), warnings[t]) for t, (key, _) in targets.items()}
