"""Which semgrep runs a scan makes: the rules each file gets, and the files each run gets.

Prefilters: a rule may carry `metadata.requires-text`, a regex every file it can match at all
matches (docs/rules.md). The targets are grouped by the exact set of rules that apply to them
(rules without a prefilter always apply; only the rules of the file's language), and each group is
one semgrep run on a config holding only those rules. A sound prefilter drops only rule/file pairs
that cannot match, so the findings are those of one run with every rule
(benchmarks/semgrep_prefilter.py). The regexes assume the file's tokens are as written; semgrep
recovers from syntax errors by skipping text, which could join tokens a regex saw apart, so a file
that semgrep reports a problem for in a prefiltered run is scanned again with every rule it wants
(`Prefilters.rescans`), and that run is the one reported.

The groups are then sized for the workers: a small group runs with a group whose rules include
its own (`merge_small`), a group past TARGETS_PER_RUN files is cut (`runs`), and for the fast
engine, whose processes each run one job, big groups are cut by bytes (`one_job_runs`) and the
parts packed into one process per worker (`pack`): its config gives each rule a `paths.include`
naming the files of its groups, so semgrep runs each rule on exactly the files it would have had
in a process of its own, and parses the rules once per worker instead of once per group.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from reviewbot.lang.languages import language_of, semgrep_language
from reviewbot.scanners.rulesets import RuleSet

# Semgrep languages whose rules read a file of any language.
_ANY_LANGUAGE = frozenset({"generic", "regex", "none"})
# TypeScript declaration files: types only, no code a rule could match, and semgrep skips them
# anyway (given one, it reports it as not scanned, with no reason).
_DECLARATION_SUFFIXES = (".d.ts", ".d.mts", ".d.cts")
# Larger files are given every rule without reading them: a prefilter only ever saves work, and
# the regexes, though linear, should not be the slow part of a scan.
PREFILTER_MAX_BYTES = 4 * 1024 * 1024
# Named targets go on the command line; past this many, split the run (ARG_MAX is finite).
TARGETS_PER_RUN = 4000
# A group smaller than this runs with the smallest group whose rules include all of its own,
# rather than in a process of its own (~0.1 s to start, ~1 s for the CLI). The extra rules were
# kept from its files because they cannot match there, so the findings are the same.
SMALL_GROUP_BYTES = 64 * 1024
# A group at least this big gets as many processes as its share of all the bytes scanned: its
# files' work then dwarfs the ~0.1 s an osemgrep start costs. A smaller one keeps one process,
# unless workers would otherwise sit idle (fewer groups than jobs).
SPLIT_BYTES = 1_000_000

# A scan whose files and their followups (base versions, for new-only) come to at most this many
# bytes scans the followups in their heads' processes, with their heads' rules: matching a small
# file costs less than the second osemgrep start (~0.1 s, and its rules parsed again) that a
# head's match would otherwise bring. A clean change then pays for matching the small base too.
INLINE_BASE_BYTES = SMALL_GROUP_BYTES

_T = TypeVar("_T")

Run = tuple[frozenset[str], list[str]]  # the rules of one semgrep run (our ids), and its targets

# Characters a `paths.include` glob gives a meaning to, and blanks (trailing ones are dropped from
# a glob): a target whose name holds one keeps a process of its own rather than being escaped.
_GLOB_SPECIAL = frozenset("*?[]{}\\!#")


class Prefilters:
    """The rules' `requires-text` regexes, and what they say about files (disabled: nothing)."""

    def __init__(self, rules: RuleSet, enabled: bool = True) -> None:
        self.everything = frozenset(rules.rules)
        # Each distinct requires-text regex (the web-taint rules share one) -> the rules it admits
        # to a file; searched once per file. Disabled: every rule runs on every file (benchmarks).
        by_regex: dict[re.Pattern[bytes], set[str]] = defaultdict(set)
        for rule, regex in rules.prefilters().items() if enabled else ():
            by_regex[regex].add(rule)
        self._regexes = {regex: frozenset(ids) for regex, ids in by_regex.items()}
        self._always = self.everything.difference(*self._regexes.values())
        self._languages = {i.id: frozenset(i.languages) for i in rules.rules.values()}
        self._by_language: dict[str, frozenset[str]] = {}

    def of_language(self, target: str) -> frozenset[str]:
        """The rules semgrep would run on `target` at all: those of its language (every rule when
        the name says no language; none for a TypeScript declaration file). Semgrep skips the
        others itself, but each process still parses every rule of its config: a JavaScript
        file's run need not read the Python rules."""
        if target.lower().endswith(_DECLARATION_SUFFIXES):
            return frozenset()
        language = language_of(target)
        if language is None:
            return self.everything
        name = semgrep_language(language)
        if name not in self._by_language:
            self._by_language[name] = frozenset(
                rule for rule, langs in self._languages.items() if name in langs or langs & _ANY_LANGUAGE
            )
        return self._by_language[name]

    def rules_for(self, data: bytes | None) -> frozenset[str]:
        """The rules to run on a file with these bytes (None: unread, so every rule)."""
        if data is None:
            return self._always.union(*self._regexes.values())
        return self._always.union(*(ids for regex, ids in self._regexes.items() if regex.search(data)))

    def group(
        self, root: Path, targets: list[str], wanted: Mapping[str, frozenset[str]] | None = None
    ) -> dict[frozenset[str], list[str]]:
        """Targets by the exact set of rules to run on them (`wanted`: the rules a target is
        narrowed to, if it is); a file no rule applies to is left out."""
        groups: dict[frozenset[str], list[str]] = defaultdict(list)
        for target in targets:
            data = None
            if self._regexes:
                try:
                    if (root / target).stat().st_size <= PREFILTER_MAX_BYTES:
                        data = (root / target).read_bytes()
                except OSError:
                    pass  # semgrep will say what is wrong with it
            rules = self.rules_for(data) & self.of_language(target)
            if wanted is not None and target in wanted:
                rules &= wanted[target]
            if rules:
                groups[rules].append(target)
        return groups

    def rescans(
        self, run: Run, troubled: set[str], wanted: Mapping[str, frozenset[str]]
    ) -> dict[frozenset[str], list[str]]:
        """The targets of `run` semgrep had trouble with that it ran without some of the rules they
        want, by those rules: they are scanned again, and that scan is the one reported."""
        rules, files = run
        again: dict[frozenset[str], list[str]] = defaultdict(list)
        for target in sorted(troubled & set(files)):
            full = wanted.get(target, self.everything) & self.of_language(target)
            if not rules >= full:  # a run that already had every rule it wants needs no second one
                again[full].append(target)
        return again


def _size(root: Path, target: str) -> int:
    try:
        return (root / target).stat().st_size
    except OSError:
        return 0


def merge_small(root: Path, groups: dict[frozenset[str], list[str]]) -> dict[frozenset[str], list[str]]:
    """Each group under SMALL_GROUP_BYTES joined to the smallest group whose rules include its own."""

    def size(files: list[str]) -> int:
        return sum(_size(root, target) for target in files)

    merged = dict(groups)
    for rules in sorted(groups, key=len):  # fewest rules first: they can join the most groups
        files = merged[rules]
        if len(merged) == 1 or size(files) >= SMALL_GROUP_BYTES:
            continue
        hosts = [other for other in merged if other != rules and other >= rules]
        if hosts:
            host = min(hosts, key=lambda other: size(merged[other]))
            merged[host] = sorted(merged[host] + merged.pop(rules))
    return merged


def runs(groups: dict[frozenset[str], list[str]]) -> list[Run]:
    """One semgrep run per group of files (split past TARGETS_PER_RUN), biggest group first."""
    return [
        (rules, files[i : i + TARGETS_PER_RUN])
        for rules, files in sorted(groups.items(), key=lambda g: -len(g[1]))
        for i in range(0, len(files), TARGETS_PER_RUN)
    ]


def one_job_runs(root: Path, runs: list[Run], jobs: int) -> list[Run]:
    """The runs split into parts for one-job processes, largest part first (for `jobs` workers)."""
    sizes = {target: _size(root, target) for _, files in runs for target in files}
    weight = [sum(sizes[t] for t in files) for _, files in runs]
    share = max(1.0, sum(weight) / jobs)
    parts = [
        max(1, min(len(files), round(w / share))) if w >= SPLIT_BYTES else 1
        for w, (_, files) in zip(weight, runs, strict=True)
    ]
    while sum(parts) < jobs:  # idle workers: one more part for the run with the most bytes per part
        splittable = [i for i, (_, files) in enumerate(runs) if parts[i] < len(files)]
        if not splittable:
            break
        most = max(splittable, key=lambda i: weight[i] / parts[i])
        parts[most] += 1
    out = [(rules, part) for i, (rules, files) in enumerate(runs) for part in _balanced(files, parts[i], sizes)]
    return sorted(out, key=lambda run: -sum(sizes[t] for t in run[1]))


def _onto_lightest(items: list[_T], weight: Callable[[_T], int], count: int) -> list[list[_T]]:
    """`items` in up to `count` lists of about equal weight: heaviest first, onto the lightest."""
    totals = [0] * min(count, len(items))
    bins: list[list[_T]] = [[] for _ in totals]
    for item in sorted(items, key=lambda i: -weight(i)):
        lightest = totals.index(min(totals))
        bins[lightest].append(item)
        totals[lightest] += weight(item)
    return [b for b in bins if b]


def _balanced(files: list[str], parts: int, sizes: Mapping[str, int]) -> list[list[str]]:
    """`files` in up to `parts` lists of about equal bytes (largest file first, onto the lightest)."""
    return [sorted(b) for b in _onto_lightest(files, lambda t: sizes.get(t, 0), parts)]


def inline_bases(root: Path, runs: list[Run], followups: Mapping[str, str]) -> dict[str, str]:
    """Followup -> its head target, for the followups to scan beside their heads: every followup of
    a head in `runs` when they all come to at most INLINE_BASE_BYTES, else none. Only a followup
    of its head's language (a script block may have become TypeScript): it then gets the same rules."""
    heads = [target for _, files in runs for target in files]
    pairs = {
        followups[head]: head
        for head in heads
        if head in followups and language_of(followups[head]) == language_of(head)
    }
    if not pairs or sum(_size(root, target) for target in [*heads, *pairs]) > INLINE_BASE_BYTES:
        return {}
    return pairs


def packable(root: Path, target: str) -> bool:
    """Can `target` be named in a packed config's `paths.include`? Its name must be a plain
    relative path under `root` with no glob characters, and no part of it a symlink: semgrep, given
    a project root, silently skips a target whose physical path is outside it."""
    parts = target.split("/")
    if any(c in _GLOB_SPECIAL or c.isspace() for c in target) or any(p in ("", ".", "..") for p in parts):
        return False
    try:
        return (root / target).resolve(strict=True) == root.resolve().joinpath(*parts)
    except (OSError, RuntimeError):
        return False


def pack(root: Path, runs: list[Run], jobs: int) -> list[list[Run]]:
    """The runs in at most `jobs` bins of about equal bytes (largest run first, onto the lightest
    bin), one semgrep process each; a run with a target `packable` refuses keeps a bin of its own."""
    sizes = {target: _size(root, target) for _, files in runs for target in files}
    ok = [all(packable(root, target) for target in files) for _, files in runs]
    alone = [[run] for run, fits in zip(runs, ok, strict=True) if not fits]
    rest = [run for run, fits in zip(runs, ok, strict=True) if fits]
    bins = _onto_lightest(rest, lambda run: sum(sizes[t] for t in run[1]), max(1, jobs))
    return sorted(bins, key=lambda b: -sum(sizes[t] for _, files in b for t in files)) + alone
