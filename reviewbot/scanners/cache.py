"""A per-file cache of scan results, so unchanged files are not scanned twice.

Semgrep's OSS rules are intraprocedural and per-file: what a file yields depends only on its
bytes, its path and the rules. So results are stored per file under the user's cache
directory, keyed by sha256 of (namespace, path, content), where the namespace names the scanner,
the rules' content hash and the engine version. A developer re-running a review, or CI
reviewing several pull requests on one base, pays only for files it has not seen.

Only clean results are kept: a file with any warning (a parse error, a rule timeout — timeouts
depend on load) is scanned again next time. Entries are written atomically, so concurrent runs
never read half an entry; an unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from reviewbot._io import write_atomic
from reviewbot.scanners.interface import RawMatch, ScanOutput

FORMAT_VERSION = "1"


class ResultCache:
    def __init__(self, directory: Path, namespace: str) -> None:
        self.directory = directory
        self.namespace = f"{FORMAT_VERSION}\0{namespace}"

    def variant(self, label: str) -> ResultCache:
        """The cache of a narrower scan of the same files (`label`: what narrows it, e.g. the
        rules run), kept apart so its results never stand in for a full scan's."""
        return ResultCache(self.directory, f"{self.namespace}\0{label}")

    def _key(self, target: str, data: bytes) -> str:
        h = hashlib.sha256(self.namespace.encode())
        h.update(b"\0" + target.encode("utf-8", "surrogateescape") + b"\0")
        h.update(data)
        return h.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def split(self, root: Path, targets: list[str]) -> tuple[ScanOutput, list[str], dict[str, str]]:
        """Cached results for the targets seen before, the targets still to scan, and their keys."""
        hits = ScanOutput()
        misses: list[str] = []
        keys: dict[str, str] = {}
        for target in targets:
            key = self._key(target, (root / target).read_bytes())
            cached = self._read(key, target)
            if cached is None:
                misses.append(target)
                keys[target] = key
            else:
                hits.matches.extend(cached)
        return hits, misses, keys

    def store(self, output: ScanOutput, keys: dict[str, str]) -> None:
        warned = {w.path for w in output.warnings}
        if None in warned:  # a whole-run problem: trust nothing from this run
            return
        by_target: dict[str, list[RawMatch]] = {t: [] for t in keys}
        for m in output.matches:
            if m.path in by_target:
                by_target[m.path].append(m)
        for target, matches in by_target.items():
            if target in warned:
                continue
            doc = [{k: v for k, v in asdict(m).items() if k != "path"} for m in matches]
            try:
                write_atomic(self._entry(keys[target]), json.dumps(doc).encode(), make_parents=True)
            except OSError:
                return  # a read-only or full cache directory costs speed, never the review

    def _read(self, key: str, target: str) -> list[RawMatch] | None:
        try:
            doc = json.loads(self._entry(key).read_bytes())
            return [RawMatch(path=target, **item) for item in doc]
        except (OSError, ValueError, TypeError, RecursionError):
            return None
