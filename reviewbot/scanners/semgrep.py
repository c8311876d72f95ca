"""The Semgrep scanner: the pinned semgrep CLI, offline, on named files, parsed at the border.

Facts this module is built on (measured on semgrep 1.182, see docs/semgrep.md):
* without `--metrics=off --disable-version-check` and SEMGREP_ENABLE_VERSION_CHECK=0 the first
  scan waits ~90 s on the network; a config path starting `r/` is taken as a registry name, so
  configs are always passed as absolute paths;
* exit 0 is not success: parse errors and rule timeouts exit 0 and show only in `errors[]`, and a
  target can silently be missing from `paths.scanned`;
* `check_id` is prefixed with the config file's folder;
* nosemgrep findings are dropped from JSON unless `--disable-nosem`: we ask for them and mark
  them suppressed ourselves, so nothing is hidden without a trace.

Which files each run gets, with which rules (`metadata.requires-text` prefilters, groups
sized for the workers, the rescan of a file semgrep had trouble with), is planned in
semgrep_plan.py; the runs of one scan go side by side.

`only` narrows a scan to some rules per file, and `scan_pairs` scans a file's followup (its base
version, for new-only) for the rules that matched it, as soon as its group is done. Narrowed
results are cached apart from full ones.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from reviewbot.errors import describe_failed_command
from reviewbot.finding import Scanner as ScannerKind
from reviewbot.lang.languages import semgrep_language
from reviewbot.scanners.cache import ResultCache
from reviewbot.scanners.interface import RawMatch, Scanner, ScannerError, ScanOutput, ScanWarning
from reviewbot.scanners.rulesets import RuleInfo, RuleSet
from reviewbot.scanners.semgrep_output import Output, Part, to_output
from reviewbot.scanners.semgrep_plan import Prefilters, Run, inline_bases, merge_small, one_job_runs, pack, runs

PINNED_VERSION = "1.182.0"
RULE_TIMEOUT_SECONDS = 5
_T = TypeVar("_T")


class Engine(StrEnum):
    """How semgrep is run. Both are the same pinned semgrep package; only the front end differs."""

    AUTO = "auto"  # the fast engine when it is the pinned semgrep beside us, else the CLI
    FAST = "fast"  # semgrep's OCaml front end (`osemgrep scan --experimental`): no Python start-up
    CLI = "cli"  # the `semgrep` command as users run it


def find_semgrep(explicit: str | None = None) -> str:
    """The semgrep to run: --semgrep / REVIEWBOT_SEMGREP if given, else the one installed beside us."""
    chosen = explicit or os.environ.get("REVIEWBOT_SEMGREP")
    if chosen:  # asked for by name: never fall back to another semgrep behind the user's back
        if Path(chosen).is_file() and os.access(chosen, os.X_OK):
            return chosen
        raise ScannerError(f"semgrep executable {chosen} does not exist or is not executable")
    beside_us = Path(sys.executable).parent / "semgrep"
    if beside_us.is_file() and os.access(beside_us, os.X_OK):
        return str(beside_us)
    found = shutil.which("semgrep")
    if found:
        return found
    raise ScannerError("semgrep is not installed: install reviewbot with its dependencies (pip install reviewbot)")


def pinned_semgrep_core() -> str | None:
    """semgrep-core from the installed semgrep package, if that package is the pinned version."""
    from importlib.metadata import PackageNotFoundError, version
    from importlib.util import find_spec

    try:
        if version("semgrep") != PINNED_VERSION:
            return None
    except PackageNotFoundError:
        return None
    spec = find_spec("semgrep")
    if spec is None or spec.origin is None:
        return None
    core = Path(spec.origin).parent / "bin" / "semgrep-core"
    return str(core) if core.is_file() and os.access(core, os.X_OK) else None


class SemgrepScanner(Scanner):
    kind = ScannerKind.SEMGREP

    def __init__(
        self,
        rules: RuleSet,
        *,
        semgrep: str | None = None,
        engine: Engine = Engine.AUTO,
        jobs: int | None = None,
        cache_dir: Path | None = None,
        prefilter: bool = True,
    ) -> None:
        self.rules = rules
        self.config = rules.merged_file.resolve()
        self.jobs = jobs or max(1, min(4, os.cpu_count() or 1))
        self.prefilters = Prefilters(rules, enabled=prefilter)  # off: every rule on every file (benchmarks)
        self._languages = {lang for info in rules.rules.values() for lang in info.languages}
        explicit = semgrep or os.environ.get("REVIEWBOT_SEMGREP")
        # The fast engine is used only for the pinned semgrep we ship with: its equivalence to
        # the CLI was checked for that version (benchmarks/semgrep_engines.py), not for others.
        self.core = pinned_semgrep_core() if engine is not Engine.CLI and not explicit else None
        if engine is Engine.FAST and self.core is None:
            raise ScannerError(f"the fast engine needs the pinned semgrep {PINNED_VERSION} installed with reviewbot")
        if self.core is None:
            self.semgrep = find_semgrep(semgrep)
        else:  # the CLI is only the fallback here: its absence must not stop a working fast engine
            try:
                self.semgrep = find_semgrep(semgrep) if engine is Engine.AUTO else ""
            except ScannerError:
                self.semgrep = ""
        self.allow_fallback = bool(self.semgrep)
        # Results are cached only for the pinned semgrep: another version may find other things.
        self.cache = (
            ResultCache(cache_dir, f"semgrep {PINNED_VERSION}\0{rules.digest}")
            if cache_dir is not None and self.core is not None
            else None
        )

    def accepts(self, language: str) -> bool:
        return semgrep_language(language) in self._languages

    def rule(self, reported_id: str) -> RuleInfo | None:
        return self.rules.lookup(reported_id)

    def rule_count(self) -> int:
        return len(self.rules.rules)

    def rule_ids(self) -> frozenset[str]:
        return frozenset(self.rules.rules)

    def scan(self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]] | None = None) -> ScanOutput:
        return self._scan(root, targets, only or {}, {})[0]

    def scan_pairs(self, root: Path, targets: list[str], followups: Mapping[str, str]) -> tuple[ScanOutput, ScanOutput]:
        # A group's followups are scanned as soon as its own semgrep is done, beside the groups
        # still running, rather than after the slowest of them.
        return self._scan(root, targets, {}, followups)

    def _scan(
        self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]], followups: Mapping[str, str]
    ) -> tuple[ScanOutput, ScanOutput]:
        # target -> the rules wanted there (our ids); a target not in it wants every rule
        wanted = {t: frozenset(i.id for r in ids if (i := self.rule(r)) is not None) for t, ids in only.items()}
        out, todo, stores = ScanOutput(), list[str](), list[tuple[ResultCache, dict[str, str]]]()
        if self.cache is None:
            todo = targets
        else:
            by_rules: dict[frozenset[str] | None, list[str]] = defaultdict(list)
            for target in targets:
                by_rules[wanted.get(target)].append(target)
            for rules, files in by_rules.items():
                # A scan for fewer rules is cached apart, so it never stands in for a full one.
                cache = self.cache if rules is None else self.cache.variant("rules=" + ",".join(sorted(rules)))
                keys = {}
                for target in files:
                    try:
                        hits, misses, key = cache.split(root, [target])
                    except OSError:  # unreadable: semgrep will say what is wrong with it
                        hits, misses, key = ScanOutput(), [target], {}
                    out.matches.extend(hits.matches)
                    todo += misses
                    keys.update(key)
                stores.append((cache, keys))

        def then(
            matches: list[RawMatch], ready: ScanOutput | None = None, clean: frozenset[str] = frozenset()
        ) -> ScanOutput:
            """The followups of the targets with matches, for the rules that matched them; those in
            `clean` were scanned already, beside their heads (`ready`: that scan's matches)."""
            rules: dict[str, set[str]] = defaultdict(set)
            for m in matches:
                if m.path in followups:
                    rules[followups[m.path]].add(m.rule_id)
            done = {t: frozenset(ids) for t, ids in rules.items() if t in clean}
            found = ScanOutput([m for m in ready.matches if m.rule_id in done.get(m.path, ())] if ready else [])
            self._cache_narrowed(root, found, done)
            rest = {t: frozenset(ids) for t, ids in rules.items() if t not in done}
            if rest:
                _extend(found, self.scan(root, sorted(rest), rest))
            return found

        planned = runs(merge_small(root, self.prefilters.group(root, todo, wanted)))
        if self.core is not None:
            # The fast engine's jobs are one-job processes: a second osemgrep process gains more
            # than `--jobs 2`, which is several times slower when another program holds a core
            # (docs/semgrep.md). Its parts are packed into one process per worker.
            planned, jobs = one_job_runs(root, planned, self.jobs), 1
            bins = pack(root, planned, self.jobs)
        else:  # the CLI pays ~1 s of Python per process: one per group, the jobs shared out
            jobs = max(1, self.jobs // max(1, min(len(planned), self.jobs)))
            bins = [[run] for run in planned]
        width = max(1, min(len(bins), self.jobs))
        # A small scan's followups go in their heads' processes, not in processes of their own.
        inline = inline_bases(root, planned, followups) if followups else {}
        tasks: list[Callable[[], tuple[ScanOutput, ScanOutput]]] = [
            functools.partial(self._run_group, root, group, wanted, jobs, then if followups else None, inline)
            for group in bins
        ]
        if followups and out.matches:  # cached results: their followups can start at once
            tasks.append(functools.partial(lambda hits: (ScanOutput(), then(hits)), list(out.matches)))
        fresh, after = ScanOutput(), ScanOutput()
        for group_out, followup_out in _side_by_side(tasks, width):
            _extend(fresh, group_out)
            _extend(after, followup_out)
        for cache, keys in stores:
            cache.store(fresh, keys)
        _extend(out, fresh)
        return out, after

    def rules_for(self, data: bytes | None) -> frozenset[str]:
        """The rules to run on a file with these bytes (None: unread, so every rule)."""
        return self.prefilters.rules_for(data)

    def _run_group(
        self,
        root: Path,
        group: list[Run],
        wanted: Mapping[str, frozenset[str]],
        jobs: int,
        then: Callable[[list[RawMatch], ScanOutput, frozenset[str]], ScanOutput] | None,
        inline: Mapping[str, str],
    ) -> tuple[ScanOutput, ScanOutput]:
        """One semgrep process for the runs of `group` (packed into one config when there are
        several) and its retries; then what its matches call for (`then`).
        `inline`: followups (base -> head) to scan in the same process as their heads."""
        files = [target for _, targets in group for target in targets]
        bases = [base for base, head in inline.items() if head in files]
        part = self._scan_runs(root, group, bases, inline, max(1, min(jobs, len(files))))
        # A prefiltered file semgrep had trouble with is scanned again without the prefilter.
        again: dict[frozenset[str], list[str]] = defaultdict(list)
        for run in group:
            for full, targets in self.prefilters.rescans(run, part.troubled, wanted).items():
                again[full] += targets
        retry = {target for targets in again.values() for target in targets}
        aside = retry | set(bases)
        out = ScanOutput(
            [m for m in part.output.matches if m.path not in aside],
            [w for w in part.output.warnings if w.path not in aside],
        )
        for full, targets in again.items():
            _extend(out, self._scan_part(root, targets, self._config_for(full), jobs).output)
        if then is None:
            return out, ScanOutput()
        # A base semgrep read without a word, beside a head it did not scan again, stands for the
        # followup scan: it ran with the head's rules, which hold every rule that matched the head,
        # and `then` keeps only those rules' matches. Any warning: the followup scan runs as before.
        warned = {w.path for w in part.output.warnings}
        clean = frozenset(
            b for b in bases if None not in warned and b not in warned | part.troubled and inline[b] not in retry
        )
        return out, then(out.matches, ScanOutput([m for m in part.output.matches if m.path in clean]), clean)

    def _cache_narrowed(self, root: Path, found: ScanOutput, done: Mapping[str, frozenset[str]]) -> None:
        """Store followups scanned beside their heads as their own narrowed scans would be stored."""
        for target, ids in done.items() if self.cache is not None else ():
            assert self.cache is not None
            ours = sorted({i.id for r in ids if (i := self.rule(r)) is not None})
            cache = self.cache.variant("rules=" + ",".join(ours))
            try:
                _, _, key = cache.split(root, [target])
            except OSError:
                continue
            cache.store(ScanOutput([m for m in found.matches if m.path == target]), key)

    def _scan_runs(self, root: Path, group: list[Run], bases: list[str], inline: Mapping[str, str], jobs: int) -> Part:
        """The runs of `group` and the followups `bases` (with their heads' rules) in one semgrep
        process: one config per run would cost a process each."""
        if len(group) == 1:
            return self._scan_part(root, group[0][1] + bases, self._config_for(group[0][0]), jobs)
        rules_of = {target: rules for rules, targets in group for target in targets}
        rules_of.update({base: rules_of[inline[base]] for base in bases})
        with tempfile.TemporaryDirectory(prefix="reviewbot-semgrep-") as tmp:
            try:
                config = self.rules.packed_file(rules_of, Path(tmp))
                return self._scan_part(root, list(rules_of), config, jobs, packed=True)
            except (OSError, ValueError, ScannerError):
                pass  # each run in a process of its own, as without packing (and the CLI if need be)
        merged = Part(ScanOutput())
        for rules, targets in group:
            own = targets + [base for base in bases if inline[base] in targets]
            part = self._scan_part(root, own, self._config_for(rules), jobs)
            _extend(merged.output, part.output)
            merged.troubled |= part.troubled
        return merged

    def _config_for(self, rules: frozenset[str]) -> Path:
        try:
            return self.rules.subset_file(rules).resolve()
        except (OSError, ValueError, KeyError):
            return self.config  # every rule: slower, and the same findings

    def _scan_part(self, root: Path, targets: list[str], config: Path, jobs: int, packed: bool = False) -> Part:
        """One semgrep process. `packed`: the config names each rule's targets (`paths.include`,
        from the project root `--project-root` makes of `root`); only the fast engine is run on
        such a config, and its failure is raised for the caller to run the groups apart."""
        if self.core is None:
            return self._run(root, [self.semgrep, "scan"], targets, config, jobs)
        try:
            # argv[0] "osemgrep" selects semgrep-core's CLI front end, as semgrep's own launcher does.
            command = ["osemgrep", "scan", "--experimental", *(["--project-root", "."] if packed else [])]
            return self._run(root, command, targets, config, jobs, executable=self.core)
        except ScannerError as exc:
            if not self.allow_fallback or packed:
                raise
            part = self._run(root, [self.semgrep, "scan"], targets, config, jobs)
            reason = ": ".join(str(exc).splitlines()[:2])
            part.output.warnings.insert(
                0, ScanWarning(None, f"semgrep's fast engine failed ({reason}); used its CLI instead")
            )
            return part

    def _run(
        self,
        root: Path,
        command: list[str],
        targets: list[str],
        config: Path,
        jobs: int,
        executable: str | None = None,
    ) -> Part:
        argv = [
            *command,
            "--metrics=off", "--disable-version-check",
            "--config", str(config),
            "--json", "--quiet", "--disable-nosem", "--no-git-ignore",
            "--timeout", str(RULE_TIMEOUT_SECONDS),
            "--jobs", str(jobs),
            "--", *targets,
        ]  # fmt: skip
        shown = [executable or argv[0], *argv[1:14], "…"]
        env = dict(os.environ, SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off", NO_COLOR="1")
        try:
            proc = subprocess.run(argv, executable=executable, cwd=root, capture_output=True, env=env, check=False)
        except OSError as exc:
            raise ScannerError(f"could not start semgrep ({executable or argv[0]}): {exc}") from exc
        stdout, stderr = proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")
        if proc.returncode not in (0, 1):
            raise ScannerError("semgrep failed\n" + describe_failed_command(shown, proc.returncode, stdout, stderr))
        try:
            parsed = Output.model_validate(json.loads(stdout))
        except (ValueError, ValidationError) as exc:
            raise ScannerError(
                "semgrep did not print the JSON we expect\n"
                + describe_failed_command(shown, proc.returncode, stdout, stderr)
            ) from exc
        return to_output(parsed, targets)


def _side_by_side(tasks: list[Callable[[], _T]], width: int) -> list[_T]:
    """The tasks' results, in order, from up to `width` threads (each task mostly waits on semgrep)."""
    if width <= 1 or len(tasks) <= 1:
        return [task() for task in tasks]
    with ThreadPoolExecutor(max_workers=width) as pool:
        return list(pool.map(lambda task: task(), tasks))


def _extend(out: ScanOutput, more: ScanOutput) -> None:
    out.matches.extend(more.matches)
    out.warnings.extend(more.warnings)
