#!/usr/bin/env python3
"""Do the rules' prefilters change what is found? Scans with and without them, compared.

    .venv/bin/python benchmarks/semgrep_prefilter.py [--bench BENCH] [--saleor SALEOR [--saleor-all]]

reviewbot gives a rule only the files its `metadata.requires-text` admits (docs/rules.md,
"Prefilters"). That is only honest if it never loses a finding. This script scans, with
reviewbot's rules and the fast engine (results cache off), each corpus twice, once with the
prefilters and once with every rule on every file: the rules' own test files; with --bench, the
`testcode` files of an OWASP BenchmarkPython checkout; with --saleor, the .py files commit
9062d3ee13 of saleor changes (as checked out), or with --saleor-all every .py file of the
checkout. It prints, per corpus, how the files were grouped, the match and warning counts, each
run's time, and the symmetric difference of matches (rule, path, byte range, message, fix) and
of warnings; it exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from semgrep_engines import bench_cases, match_keys, rules_corpus

from reviewbot.scanners import semgrep_plan
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules
from reviewbot.scanners.semgrep import Engine, SemgrepScanner

# Small groups normally join a group with more rules (same findings, fewer processes); here
# every file runs with exactly the rules its prefilters admit, which is what is being checked.
semgrep_plan.SMALL_GROUP_BYTES = 0

SALEOR_COMMIT = "9062d3ee13"


def compare(label: str, root: Path, targets: list[str]) -> bool:
    rules = load_rules(builtin_rules_dir())
    filtered = SemgrepScanner(rules, engine=Engine.FAST)
    unfiltered = SemgrepScanner(rules, engine=Engine.FAST, prefilter=False)
    prefiltered = set(filtered.rules_for(None) - filtered.rules_for(b""))
    groups = Counter(len(filtered.rules_for((root / t).read_bytes()) & prefiltered) for t in targets)
    print(f"{label}: {len(targets)} files, {len(prefiltered)} of {len(rules.rules)} rules prefiltered")
    print(
        "  files by how many prefiltered rules they get: " + ", ".join(f"{n}: {c}" for n, c in sorted(groups.items()))
    )
    runs = {}
    for name, scanner in (("with prefilters", filtered), ("every rule", unfiltered)):
        start = time.perf_counter()
        out = scanner.scan(root, targets)
        runs[name] = (
            match_keys(out, scanner),
            {(w.path, w.message) for w in out.warnings},
            time.perf_counter() - start,
        )
        print(f"  {name:<16} {len(runs[name][0]):6d} matches, {len(out.warnings)} warnings, {runs[name][2]:6.2f} s")
    (kept, kept_w, _), (full, full_w, _) = runs["with prefilters"], runs["every rule"]
    print(f"  difference: {len(kept ^ full)} matches ({len(full - kept)} lost, {len(kept - full)} added), "
          f"{len(kept_w ^ full_w)} warnings")  # fmt: skip
    for key in sorted(kept ^ full)[:20]:
        print(f"    {'added' if key in kept else 'lost '}: {key[0]} {key[1]} bytes {key[2]}-{key[3]}")
    for w in sorted(kept_w ^ full_w, key=str)[:20]:
        print(f"    warning {'added' if w in kept_w else 'lost '}: {w[0]}: {w[1]}")
    return kept == full and kept_w == full_w


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, help="an OWASP BenchmarkPython checkout")
    parser.add_argument("--saleor", type=Path, help="a clone of saleor/saleor checked out at 9062d3ee13")
    parser.add_argument("--saleor-all", action="store_true", help="every .py file of the saleor checkout")
    args = parser.parse_args(argv)
    same = compare("rules' test corpus", *rules_corpus())
    if args.bench is not None:
        same &= compare("BenchmarkPython", *bench_cases(args.bench))
    if args.saleor is not None:
        saleor = args.saleor.resolve()
        if args.saleor_all:
            files = subprocess.run(
                ["git", "ls-files", "-z", "--", "*.py"], cwd=saleor, capture_output=True, check=True
            ).stdout.decode()
            label = "saleor, every .py file"
        else:
            files = subprocess.run(
                [
                    "git",
                    "diff",
                    "-z",
                    "--name-only",
                    "--diff-filter=AM",
                    f"{SALEOR_COMMIT}^",
                    SALEOR_COMMIT,
                    "--",
                    "*.py",
                ],
                cwd=saleor,
                capture_output=True,
                check=True,
            ).stdout.decode()
            label = f"saleor {SALEOR_COMMIT}, changed files"
        targets = sorted(f for f in files.split("\0") if f and (saleor / f).is_file() and not (saleor / f).is_symlink())
        same &= compare(label, saleor, targets)
    print("identical" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
