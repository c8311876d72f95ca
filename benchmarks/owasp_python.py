#!/usr/bin/env python3
"""Score reviewbot's Python rules (and Bandit, as a baseline) on OWASP BenchmarkPython.

Usage:
    .venv/bin/python benchmarks/owasp_python.py /path/to/BenchmarkPython
    .venv/bin/python benchmarks/owasp_python.py BENCH --engine semgrep

The benchmark is not part of this repository (it is GPL-3.0): clone it anywhere and
pass its path. It must contain ``expectedresults-0.1.csv`` and ``testcode/*.py``.

Scoring follows OWASP's rule: a test case counts as *flagged* when the tool reports at
least one finding in that case's file whose CWE is the case's CWE (or one of the closely
related CWEs listed in ACCEPTED_CWES below). Per category:

    TPR = flagged true cases / true cases
    FPR = flagged false cases / false cases

Both tools are scored with the same CWE mapping. Only the standard library is used;
the tools themselves (semgrep, bandit, reviewbot) are run as subprocesses.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RULES = REPO_ROOT / "rulesets" / "semgrep" / "python"

# Expected CWE (from the CSV) -> CWEs accepted as a hit for it.
# Kept deliberately narrow: only a parent/child or a more specific variant of the
# expected weakness counts.
ACCEPTED_CWES: dict[int, frozenset[int]] = {
    22: frozenset({22, 23, 36}),  # path traversal; relative / absolute variants
    78: frozenset({78, 77}),  # OS command injection; generic command injection
    79: frozenset({79, 80}),  # XSS; basic XSS
    89: frozenset({89}),  # SQL injection
    90: frozenset({90}),  # LDAP injection
    94: frozenset({94, 95}),  # code injection; eval injection
    328: frozenset({328, 327, 916}),  # weak hash; broken crypto algorithm; weak password hash
    330: frozenset({330, 338}),  # insufficient randomness; weak PRNG
    501: frozenset({501}),  # trust boundary violation
    502: frozenset({502}),  # deserialization of untrusted data
    601: frozenset({601}),  # open redirect
    # Only the Secure flag. CWE-1004 (HttpOnly) is a different weakness: every
    # benchmark file also sets a cookie without HttpOnly in its GET handler, so
    # accepting it would flag every case, true or false.
    614: frozenset({614}),
    643: frozenset({643}),  # XPath injection
    611: frozenset({611}),  # XXE
}

SEMGREP_FLAGS = ["--metrics=off", "--disable-version-check"]


def tool_env() -> dict[str, str]:
    env = dict(os.environ)
    env["SEMGREP_ENABLE_VERSION_CHECK"] = "0"
    env.setdefault("SEMGREP_SEND_METRICS", "off")
    return env


def find_tool(name: str, python: str) -> str:
    """Find an executable next to the given interpreter (a venv), else on PATH."""
    candidate = Path(python).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        sys.exit(f"error: cannot find {name!r} next to {python} or on PATH")
    return found


def parse_cwe(value: object) -> int | None:
    """'CWE-89', 'CWE-89: SQL ...', 89 or '89' -> 89."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip().upper()
    if text.startswith("CWE-"):
        text = text[4:]
    digits = ""
    for ch in text:
        if not ch.isdigit():
            break
        digits += ch
    return int(digits) if digits else None


Case = tuple[str, str, bool, int]


def load_cases(bench: Path) -> list[Case]:
    cases: list[Case] = []
    with open(bench / "expectedresults-0.1.csv", newline="") as fh:
        for row in csv.reader(fh):
            if not row or row[0].startswith("#"):
                continue
            name, category, real, cwe = (x.strip() for x in row[:4])
            cases.append((name, category, real.lower() == "true", int(cwe)))
    return cases


def add_finding(found: dict[str, set[int]], path: str, bench: Path, cwes: Iterable[object]) -> None:
    p = Path(path)
    if p.is_absolute():
        with suppress(ValueError):
            p = p.resolve().relative_to(bench.resolve())
    key = p.as_posix()
    if key.startswith("./"):
        key = key[2:]
    bucket = found.setdefault(key, set())
    for cwe in cwes:
        n = parse_cwe(cwe)
        if n is not None:
            bucket.add(n)


# ---------------------------------------------------------------------------
# Engines. Each returns {repo-relative POSIX path: set of CWE numbers}.
# ---------------------------------------------------------------------------


def run_reviewbot(bench: Path, python: str, _rules: Path) -> dict[str, set[int]]:
    cmd = [
        python,
        "-m",
        "reviewbot",
        "scan",
        "--all",
        str(bench / "testcode"),
        "--repo",
        str(bench),
        "--no-new-only",
        "--format",
        "json",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=tool_env(), cwd=REPO_ROOT)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        sys.exit(f"error: reviewbot did not print JSON (exit {proc.returncode}).\nstderr:\n{proc.stderr[-4000:]}")
    found: dict[str, set[int]] = {}
    for f in data.get("findings", []):
        add_finding(found, f.get("path", ""), bench, f.get("cwe") or [])
    return found


def merge_rules(rules_dir: Path, out: Path) -> bool:
    """Merge every rule file into one JSON config (semgrep loads one file much faster
    than a directory). Needs PyYAML (the rule files use YAML anchors); returns False
    when it is not importable."""
    try:
        import yaml
    except ImportError:
        return False
    merged = []
    for path in sorted(rules_dir.rglob("*.y*ml")):
        doc = yaml.safe_load(path.read_text()) or {}
        merged.extend(doc.get("rules", []))
    out.write_text(json.dumps({"rules": merged}))
    return True


CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}
MIN_CONFIDENCE = "low"  # set from --min-confidence


def run_semgrep(bench: Path, python: str, rules: Path) -> dict[str, set[int]]:
    semgrep = find_tool("semgrep", python)
    with tempfile.TemporaryDirectory() as tmp:
        merged = Path(tmp) / "rules.json"
        if rules.is_dir() and merge_rules(rules, merged):
            config = ["--config", str(merged)]
        elif rules.is_dir():
            config = []
            for path in sorted(rules.rglob("*.y*ml")):
                config += ["--config", str(path)]
        else:
            config = ["--config", str(rules)]
        cmd = [
            semgrep,
            "scan",
            *config,
            *SEMGREP_FLAGS,
            "--json",
            "--quiet",
            "--no-git-ignore",
            "--timeout",
            "30",
            "testcode",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=tool_env(), cwd=bench)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        sys.exit(f"error: semgrep did not print JSON (exit {proc.returncode}).\n{proc.stderr[-4000:]}")
    if data.get("errors"):
        print(f"warning: semgrep reported {len(data['errors'])} error(s)", file=sys.stderr)
    found: dict[str, set[int]] = {}
    floor = CONFIDENCE_RANK[MIN_CONFIDENCE]
    for r in data.get("results", []):
        meta = r.get("extra", {}).get("metadata", {})
        if CONFIDENCE_RANK.get(str(meta.get("confidence", "low")).lower(), 0) < floor:
            continue
        add_finding(found, r["path"], bench, meta.get("cwe") or [])
    return found


BANDIT: str | None = None  # set from --bandit


def run_bandit(bench: Path, python: str, _rules: Path) -> dict[str, set[int]]:
    bandit = BANDIT or find_tool("bandit", python)
    cmd = [bandit, "-f", "json", "-q", "-r", "testcode"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=bench)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        sys.exit(f"error: bandit did not print JSON (exit {proc.returncode}).\n{proc.stderr[-4000:]}")
    errors = data.get("errors", [])
    if errors:
        print(
            f"note: bandit could not parse {len(errors)} file(s) (it uses the running "
            "Python's own parser; e.g. PEP 701 f-strings need Python 3.12+)",
            file=sys.stderr,
        )
    found: dict[str, set[int]] = {}
    for r in data.get("results", []):
        cwe = (r.get("issue_cwe") or {}).get("id")
        add_finding(found, r["filename"], bench, [cwe] if cwe else [])
    return found


Engine = Callable[[Path, str, Path], dict[str, set[int]]]
ENGINES: dict[str, Engine] = {"reviewbot": run_reviewbot, "semgrep": run_semgrep}


# ---------------------------------------------------------------------------
# Scoring and report
# ---------------------------------------------------------------------------


Table = dict[str, list[int]]


def score(cases: list[Case], found: dict[str, set[int]]) -> tuple[Table, list[str]]:
    """-> {category: [n_true, n_false, tp, fp]} and the list of missed true cases."""
    table: dict[str, list[int]] = {}
    missed: list[str] = []
    for name, category, real, cwe in cases:
        row = table.setdefault(category, [0, 0, 0, 0])
        accepted = ACCEPTED_CWES.get(cwe, frozenset({cwe}))
        flagged = bool(found.get(f"testcode/{name}.py", set()) & accepted)
        if real:
            row[0] += 1
            row[2] += flagged
            if not flagged:
                missed.append(f"{name} ({category})")
        else:
            row[1] += 1
            row[3] += flagged
    return table, missed


def rates(row: list[int]) -> tuple[float, float, float]:
    n_true, n_false, tp, fp = row
    tpr = tp / n_true if n_true else 0.0
    fpr = fp / n_false if n_false else 0.0
    return tpr, fpr, tpr - fpr


def report(results: dict[str, tuple[Table, float]], order: list[str]) -> None:
    first = results[order[0]][0]
    cats = sorted(first)
    head = f"{'category':<16}{'n_true':>7}{'n_false':>8}"
    sub = " " * 31
    for tool in order:
        head += f" | {tool:^22}"
        sub += f" | {'TPR':>6} {'FPR':>6} {'T-F':>7}"
    print(head)
    print(sub)
    print("-" * len(sub))
    totals = {tool: [0, 0, 0, 0] for tool in order}
    for cat in cats:
        n_true, n_false = first[cat][0], first[cat][1]
        line = f"{cat:<16}{n_true:>7}{n_false:>8}"
        for tool in order:
            row = results[tool][0][cat]
            tpr, fpr, diff = rates(row)
            line += f" | {tpr:>6.3f} {fpr:>6.3f} {diff:>+7.3f}"
            totals[tool] = [a + b for a, b in zip(totals[tool], row, strict=True)]
        print(line)
    print("-" * len(sub))
    n_true, n_false = totals[order[0]][0], totals[order[0]][1]
    line = f"{'overall (pooled)':<16}{n_true:>7}{n_false:>8}"
    for tool in order:
        tpr, fpr, diff = rates(totals[tool])
        line += f" | {tpr:>6.3f} {fpr:>6.3f} {diff:>+7.3f}"
    print(line)
    line = f"{'mean of cats':<31}"
    for tool in order:
        rs = [rates(results[tool][0][c]) for c in cats]
        m = [sum(r[i] for r in rs) / len(rs) for i in range(3)]
        line += f" | {m[0]:>6.3f} {m[1]:>6.3f} {m[2]:>+7.3f}"
    print(line)
    print()
    for tool in order:
        print(f"{tool:<10} time: {results[tool][1]:7.1f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Score reviewbot's Python rules and Bandit on OWASP BenchmarkPython.",
    )
    ap.add_argument("bench", type=Path, help="path to a BenchmarkPython checkout")
    ap.add_argument(
        "--engine",
        choices=sorted(ENGINES),
        default="reviewbot",
        help="how to run our rules: through the reviewbot CLI (default) or plain semgrep",
    )
    ap.add_argument(
        "--rules",
        type=Path,
        default=DEFAULT_RULES,
        help="rule file or directory for --engine semgrep (default: %(default)s)",
    )
    ap.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter of the venv that has reviewbot/semgrep/bandit (default: this one)",
    )
    ap.add_argument("--no-bandit", action="store_true", help="skip the Bandit baseline")
    ap.add_argument(
        "--bandit",
        help="the bandit executable to use; give one installed under Python >= 3.12, because Bandit parses "
        "with its own interpreter and the benchmark uses 3.12 f-string syntax (default: beside --python)",
    )
    ap.add_argument(
        "--min-confidence",
        choices=sorted(CONFIDENCE_RANK, key=CONFIDENCE_RANK.__getitem__),
        default="low",
        help="--engine semgrep only: ignore findings of rules below this metadata.confidence",
    )
    ap.add_argument(
        "--show-misses",
        action="store_true",
        help="list the true cases our rules did not flag",
    )
    args = ap.parse_args(argv)

    global MIN_CONFIDENCE, BANDIT
    MIN_CONFIDENCE = args.min_confidence
    BANDIT = str(Path(args.bandit).resolve()) if args.bandit else None
    bench = args.bench.resolve()
    if not (bench / "expectedresults-0.1.csv").exists() or not (bench / "testcode").is_dir():
        ap.error(f"{bench} does not look like BenchmarkPython (no expectedresults-0.1.csv / testcode)")
    cases = load_cases(bench)

    runs = [(args.engine, ENGINES[args.engine])]
    if not args.no_bandit:
        runs.append(("bandit", run_bandit))
    results: dict[str, tuple[Table, float]] = {}
    missed_ours: list[str] = []
    for label, fn in runs:
        t0 = time.monotonic()
        found = fn(bench, args.python, args.rules)
        elapsed = time.monotonic() - t0
        table, missed = score(cases, found)
        results[label] = (table, elapsed)
        if label == args.engine:
            missed_ours = missed

    print(f"OWASP BenchmarkPython: {len(cases)} cases in {bench}")
    print(
        "CWE accepted per expected CWE: "
        + ", ".join(f"{k}->{'/'.join(map(str, sorted(v)))}" for k, v in sorted(ACCEPTED_CWES.items()) if v != {k})
    )
    print()
    report(results, [label for label, _ in runs])
    if args.show_misses:
        print()
        print(f"true cases missed by {args.engine} ({len(missed_ours)}):")
        for m in missed_ours:
            print("  " + m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
