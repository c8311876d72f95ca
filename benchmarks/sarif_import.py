#!/usr/bin/env python3
"""How long does importing a 10,000-result SARIF take? `reviewbot scan` with and without it, same run.

    .venv/bin/python benchmarks/sarif_import.py [--results 10000] [--files 100] [--runs 3] [--work DIR]

Builds a git repository in DIR (default: a temporary folder) whose feature branch changes every
one of `--files` Python modules, and a generated SARIF 2.1.0 file of `--results` results spread
over them (20 rules with CWE tags and security-severity, half the results on lines the change
leaves alone, so new-only has work to do; a markdown link in every tenth message). Then, with the
real CLI in a subprocess (bytecode as users have it: PYTHONDONTWRITEBYTECODE unset):

* baseline: `reviewbot scan --base main --format json` of the change;
* with the import: the same command plus `--import-sarif FILE`;

and, in this process, the import's own parts: reading + JSON + schema validation (`read_sarif`)
and mapping (`map_sarif`). Prints medians over the runs and the findings each review reported.
Figures, not pass/fail: this machine is shared, compare numbers measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
ENV = {
    **os.environ,
    "PYTHONPATH": str(REPO_ROOT),
    "SEMGREP_ENABLE_VERSION_CHECK": "0",
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
CWES = ["89", "78", "79", "22", "502", "327", "918", "611", "601", "94"]
LINES_PER_FILE = 200


def module(i: int, *, head: bool) -> str:
    lines = [f'"""Module {i}."""', "import subprocess", "", ""]
    while len(lines) < LINES_PER_FILE:
        n = len(lines)
        lines += [
            f"def handler_{n}(value):",
            f"    query = 'SELECT * FROM t{i} WHERE id = %s' % value",
            "    return query",
            "",
        ]
    if head:  # the change edits every other function: half the lines differ from the base
        lines = [
            line.replace("return query", "return subprocess.run(query, shell=True)") if k % 8 < 4 else line
            for k, line in enumerate(lines)
        ]
    return "\n".join(lines[:LINES_PER_FILE]) + "\n"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True)


def build_repo(root: Path, files: int) -> list[str]:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    paths = [f"pkg/mod_{i:04d}.py" for i in range(files)]
    for i, p in enumerate(paths):
        (root / p).parent.mkdir(parents=True, exist_ok=True)
        (root / p).write_text(module(i, head=False))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    for i, p in enumerate(paths):
        (root / p).write_text(module(i, head=True))
    git(root, "commit", "-q", "-am", "feature")
    return paths


def build_sarif(path: Path, paths: list[str], results: int) -> None:
    rules = [
        {
            "id": f"GEN{k:03d}",
            "name": f"generated-{k}",
            "shortDescription": {"text": f"Generated rule {k}"},
            "properties": {
                "tags": ["security", f"external/cwe/cwe-{CWES[k % len(CWES)]}"],
                "precision": ["high", "medium", "low"][k % 3],
                "security-severity": str(3.0 + (k % 7)),
            },
        }
        for k in range(20)
    ]
    out = []
    for n in range(results):
        line = 2 + (n * 7) % (LINES_PER_FILE - 4)
        message = f"Finding {n} in a generated handler." + (
            " See [docs](https://example.invalid/x)." if n % 10 == 0 else ""
        )
        out.append(
            {
                "ruleId": f"GEN{n % 20:03d}",
                "ruleIndex": n % 20,
                "level": ["error", "warning", "note"][n % 3],
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": paths[n % len(paths)], "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": line, "startColumn": 5, "endColumn": 30},
                        }
                    }
                ],
            }
        )
    doc = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "GenTool", "rules": rules}}, "results": out}]}
    path.write_text(json.dumps(doc))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli(root: Path, *extra: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the process and its children, findings reported)."""
    argv = [sys.executable, "-m", "reviewbot", "scan", "--base", "main", "--format", "json", *extra]
    start, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.run(argv, cwd=root, env=ENV, capture_output=True, text=True, check=False)
    took, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"reviewbot failed ({proc.returncode}): {proc.stderr[-2000:]}")
    doc = json.loads(proc.stdout)
    return took, cpu, sum(1 for f in doc["findings"] if f["disposition"] == "reported")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", type=int, default=10_000)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, help="where to build the repository and the SARIF (default: a temp dir)")
    args = ap.parse_args()
    from reviewbot.scanners.sarif_load import read_sarif
    from reviewbot.scanners.sarif_map import map_sarif
    from reviewbot.scanners.sarif_paths import repo_roots

    with tempfile.TemporaryDirectory(prefix="reviewbot-sarif-bench-") as tmp:
        work = args.work or Path(tmp)
        root = work / "repo"
        paths = build_repo(root, args.files)
        sarif = work / "gen.sarif"
        build_sarif(sarif, paths, args.results)
        print(f"{args.results:,} results over {args.files} changed files; SARIF {sarif.stat().st_size / 1e6:.1f} MB")
        timings: dict[str, list[tuple[float, float]]] = {"read": [], "map": [], "base": [], "with": []}
        reported = (0, 0)
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            doc = read_sarif(sarif)
            t1, c1 = time.perf_counter(), time.process_time()
            (run,) = map_sarif(doc, sarif.name, repo_roots(root))
            timings["read"].append((t1 - t0, c1 - c0))
            timings["map"].append((time.perf_counter() - t1, time.process_time() - c1))
            base_wall, base_cpu, base_n = cli(root)
            with_wall, with_cpu, with_n = cli(root, "--import-sarif", str(sarif))
            timings["base"].append((base_wall, base_cpu))
            timings["with"].append((with_wall, with_cpu))
            reported = (base_n, with_n)

        def med(key: str) -> tuple[float, float]:
            return statistics.median(w for w, _ in timings[key]), statistics.median(c for _, c in timings[key])

        def line(label: str, key: str, tail: str = "") -> None:
            wall, cpu = med(key)
            print(f"{label:<58} wall {wall:6.2f} s  cpu {cpu:6.2f} s{tail}")

        print(f"medians of {args.runs} run(s); wall time on a shared machine, CPU time of the process(es)")
        line("read + JSON + schema validation (in process)", "read")
        line("mapping to results (in process)", "map", f"  ({len(run.results):,} mapped)")
        line("baseline: reviewbot scan --base main", "base", f"  ({reported[0]} reported)")
        line("with:     reviewbot scan --base main --import-sarif F", "with", f"  ({reported[1]} reported)")
        (bw, bc), (ww, wc) = med("base"), med("with")
        print(f"the import adds wall {ww - bw:.2f} s ({ww / bw:.1f}x), cpu {wc - bc:.2f} s ({wc / bc:.1f}x)")


if __name__ == "__main__":
    main()
