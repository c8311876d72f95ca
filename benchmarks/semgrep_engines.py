#!/usr/bin/env python3
"""Do semgrep's two front ends find the same things? The fast engine against the CLI.

    .venv/bin/python benchmarks/semgrep_engines.py [BENCH]

reviewbot runs the pinned semgrep through its OCaml front end (`osemgrep scan --experimental`)
to skip ~1 s of Python start-up, and falls back to the `semgrep` CLI on any error. That is only
honest if both find exactly the same matches. This script scans, with reviewbot's rules and both
engines (results cache off): the rules' own test files, and, when BENCH (an OWASP BenchmarkPython
checkout) is given, its 1,243 test cases. It prints match counts, the symmetric difference
(rule, path, byte range, message, fix) and each engine's time, and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from reviewbot.scanners.interface import ScanOutput
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules
from reviewbot.scanners.semgrep import Engine, SemgrepScanner

Key = tuple[str, str, int, int, str, str | None]


def match_keys(out: ScanOutput, scanner: SemgrepScanner) -> set[Key]:
    keys = set()
    for m in out.matches:
        info = scanner.rule(m.rule_id)
        keys.add((info.id if info else m.rule_id, m.path, m.start_byte, m.end_byte, m.message, m.fix))
    return keys


def rules_corpus() -> tuple[Path, list[str]]:
    """The rules' own test files (not the `.fixed.py` expectations), as (root, targets)."""
    corpus = builtin_rules_dir() / "python"
    return corpus, sorted(p.name for p in corpus.glob("*.py") if not p.name.endswith(".fixed.py"))


def bench_cases(bench: Path) -> tuple[Path, list[str]]:
    """A BenchmarkPython checkout's test cases, as (root, targets)."""
    bench = bench.resolve()
    return bench, sorted(f"testcode/{p.name}" for p in (bench / "testcode").glob("*.py"))


def compare(label: str, root: Path, targets: list[str]) -> bool:
    rules = load_rules(builtin_rules_dir())
    runs = {}
    for engine in (Engine.FAST, Engine.CLI):
        scanner = SemgrepScanner(rules, engine=engine)
        start = time.perf_counter()
        out = scanner.scan(root, targets)
        runs[engine] = (match_keys(out, scanner), time.perf_counter() - start, len(out.warnings))
    (fast, t_fast, w_fast), (cli, t_cli, w_cli) = runs[Engine.FAST], runs[Engine.CLI]
    print(f"{label}: {len(targets)} files")
    print(f"  fast engine {len(fast):6d} matches, {w_fast} warnings, {t_fast:6.1f} s")
    print(f"  semgrep CLI {len(cli):6d} matches, {w_cli} warnings, {t_cli:6.1f} s")
    print(f"  only fast: {len(fast - cli)}, only CLI: {len(cli - fast)}")
    for key in sorted(fast ^ cli)[:20]:
        print(f"    {'fast' if key in fast else 'cli '} only: {key[0]} {key[1]} bytes {key[2]}-{key[3]}")
    return fast == cli and w_fast == w_cli


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", nargs="?", type=Path, help="an OWASP BenchmarkPython checkout (optional)")
    args = parser.parse_args(argv)
    same = compare("rules' test corpus", *rules_corpus())
    if args.bench is not None:
        same &= compare("BenchmarkPython", *bench_cases(args.bench))
    print("identical" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
