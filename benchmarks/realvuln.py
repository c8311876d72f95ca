#!/usr/bin/env python3
"""Score reviewbot on the RealVuln development half with RealVuln's own scorer, beside its peers.

What this script owns (the apps themselves are listed in realvuln_apps.py): running the
product on each app as a user would (``reviewbot scan --all --repo APP --format json``), turning
that report into the Semgrep-format results RealVuln's parser reads, and printing RealVuln's
figures for reviewbot beside the peer tools whose results RealVuln ships. Nothing of RealVuln is
copied here: its ``dashboard.py`` (``score_all``, ``compute_aggregates``), ``scorer/`` and
``parsers/`` are imported from ``--benchmark`` at run time, so reviewbot and the peers go through
the same code.

Two reviewbot variants are scored from the same scan:

* ``reviewbot``: the findings with disposition ``reported``, what a user sees (rules + model);
* ``reviewbot-rules``: every finding but the suppressed ones, what the rules found before the
  model (below-threshold and duplicate findings count again).

Preparing the data (none of it is committed):

* ``--benchmark``: a checkout of kolega-ai/Real-Vuln-Benchmark (MIT): ground-truth/, scorer/,
  parsers/, scan-results/, config/cwe-families.json, dashboard.py.
* ``--apps``: a folder with one git repository per app, named as in ``DEV_APPS``, whose HEAD is
  the pinned commit or a commit with the same tree (a snapshot). Either clone the upstream and
  check the commit out (``git clone https://github.com/OWNER/NAME APPS/APP &&
  git -C APPS/APP checkout COMMIT``), or get a bare copy with the ``fetch`` tool
  (``github:OWNER/NAME`` gives ``/work/.mirror/OWNER+NAME/repo``) and let this script clone it:
  ``benchmarks/realvuln.py --prepare-from /work/.mirror --apps APPS``. The manifest's
  kolega-ai forks have no snapshot: their upstreams (listed below) hold the pinned commits;
  djangoat uses 72beb30 and dsvw 2e9706c, whose trees match the ground truth.

Only these 11 apps may be used. The other half of RealVuln is held out for evaluation: do not
fetch, scan or tune on it (the script refuses any other ``--app``).

Usage:
    .venv/bin/python benchmarks/realvuln.py --benchmark BENCH --apps APPS --out OUT [--misses]
    .venv/bin/python benchmarks/realvuln.py ... --app realvuln-dvpwa --rescore

Figures are RealVuln's: a finding is a TP when its file, one of its CWEs (in the entry's
``acceptable_cwes``) and its line (±10 of the entry's lines) match an unmatched vulnerable
entry; overall is the strict micro average of ``compute_aggregates`` (an app a tool has no
result for counts as all missed); F3 weights recall 9:1. A peer with several runs is averaged
per app, as RealVuln's dashboard does; its per-family counts are its first run's.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realvuln_apps import DEV_APPS, app_problem, git, prepare

REPO_ROOT = Path(__file__).resolve().parent.parent

REPORTED = "reviewbot"
RULES = "reviewbot-rules"
VARIANTS: dict[str, Callable[[str], bool]] = {
    REPORTED: lambda disposition: disposition == "reported",
    RULES: lambda disposition: not disposition.startswith("suppressed"),
}
# The stages that hide findings between the two variants, each scored as "reported + that stage's
# findings", so the difference from `reviewbot` says what that stage hides: TPs lost, FPs removed.
HIDING_STAGES = ("below_threshold", "duplicate", "triaged", "preexisting")


def reported_and(stage: str) -> Callable[[str], bool]:
    return lambda disposition: disposition in ("reported", stage)


ADDED_BACK = {f"{REPORTED}+{stage}": reported_and(stage) for stage in HIDING_STAGES}
BASELINE_PEERS = ("semgrep", "snyk", "sonarqube")
KOLEGA_PREFIX = "kolega"
TEMPLATE_SUFFIXES = frozenset({".html", ".htm", ".jinja", ".jinja2", ".j2", ".tpl", ".mako"})
SCAN_JSON = "reviewbot-scan.json"

Cell = dict[str, Any]
Grid = dict[str, dict[str, Cell | None]]


# ---------------------------------------------------------------------------
# reviewbot, as a user runs it, and the adapter to RealVuln's parser
# ---------------------------------------------------------------------------


def scan(python: str, app_dir: Path, report: Path, extra: Sequence[str]) -> tuple[float, str]:
    """Run ``reviewbot scan --all`` on the app; return (seconds, error text or "")."""
    report.parent.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)  # a failed scan leaves no stale report behind
    cmd = [python, "-m", "reviewbot", "scan", "--all", "--repo", str(app_dir), "--format", "json"]
    cmd += ["--output", str(report), *extra]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    return seconds, "" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[-400:]}"


def semgrep_results(findings: Iterable[dict[str, Any]], keep: Callable[[str], bool]) -> dict[str, Any]:
    """reviewbot's findings kept by ``keep`` in the Semgrep JSON form RealVuln's parser reads."""
    results = [
        {
            "check_id": f["rule_id"],
            "path": f["path"],
            "start": {"line": f["start_line"], "col": f["start_col"]},
            "end": {"line": f["end_line"], "col": f["end_col"]},
            "extra": {"message": f["message"], "severity": f["severity"], "metadata": {"cwe": list(f["cwe"])}},
        }
        for f in findings
        if keep(f["disposition"])
    ]
    return {"results": results}


def write_variants(out: Path, app: str) -> None:
    """Each variant's results for RealVuln; none when there is no report (the app then counts as missed)."""
    report = out / app / SCAN_JSON
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"] if report.exists() else None
    for slug, keep in (VARIANTS | ADDED_BACK).items():
        target = out / app / slug / "results.json"
        target.unlink(missing_ok=True)
        if findings is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(semgrep_results(findings, keep), indent=1), encoding="utf-8")


# ---------------------------------------------------------------------------
# RealVuln's scorer
# ---------------------------------------------------------------------------


class RealVuln(NamedTuple):
    root: Path
    dashboard: Any  # RealVuln's dashboard.py: score_all, compute_aggregates
    families: dict[str, Any]

    def ground_truth(self, app: str) -> dict[str, Any]:
        gt: dict[str, Any] = json.loads((self.root / "ground-truth" / app / "ground-truth.json").read_text())
        return gt

    def score(self, apps: list[str], scanners: list[str], scan_dir: Path) -> Grid:
        grid: Grid = self.dashboard.score_all(apps, scanners, self.root / "ground-truth", scan_dir, self.families)
        return grid

    def overall(self, grid: Grid, scanners: list[str]) -> dict[str, Cell]:
        agg = self.dashboard.compute_aggregates(grid, scanners, self.root / "ground-truth")
        return {s: agg[s]["strict_micro"] for s in scanners}


def load_realvuln(root: Path) -> RealVuln:
    sys.path.insert(0, str(root))
    dashboard = importlib.import_module("dashboard")
    families = json.loads((root / "config" / "cwe-families.json").read_text())
    return RealVuln(root, dashboard, families)


def peers_of(root: Path, apps: list[str]) -> list[str]:
    found: set[str] = set()
    for app in apps:
        where = root / "scan-results" / app
        if where.is_dir():
            found.update(d.name for d in where.iterdir() if d.is_dir())
    return sorted(found)


# ---------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------


def print_versions(rv: RealVuln) -> None:
    """Which reviewbot and which RealVuln the figures are of."""
    commit = git(REPO_ROOT, "rev-parse", "--short=12", "HEAD") or "?"
    dirty = " + uncommitted changes" if git(REPO_ROOT, "status", "--porcelain", "--untracked-files=no") else ""
    manifest = json.loads((rv.root / "benchmark-manifest.json").read_text())
    print(
        f"\nreviewbot {commit}{dirty}; RealVuln {manifest.get('benchmark_version', '?')} "
        f"(ground truth {manifest.get('ground_truth_content_hash', '?')})"
    )


HEAD = f"{'TP':>4} {'FP':>4} {'FN':>4}  {'P':>5} {'R':>5} {'F3':>5}"


def row(cell: Cell | None) -> str:
    if cell is None:
        return f"{'-':>4} {'-':>4} {'-':>4}  {'-':>5} {'-':>5} {'-':>5}  (no result)"
    return (
        f"{cell['tp']:>4} {cell['fp']:>4} {cell['fn']:>4}  "
        f"{cell['precision']:>5.3f} {cell['recall']:>5.3f} {cell['f3_score']:>5.1f}"
    )


def featured(overall: dict[str, Cell], peers: list[str]) -> list[str]:
    """The baseline peers, kolega, and the best-scoring LLM agent by overall F3."""
    llms = [p for p in peers if p not in BASELINE_PEERS and not p.startswith(KOLEGA_PREFIX)]
    best = sorted(llms, key=lambda p: -overall[p]["f3_score"])[:1]
    return [p for p in peers if p in BASELINE_PEERS or p.startswith(KOLEGA_PREFIX)] + best


def print_overall(overall: dict[str, Cell], apps: int) -> None:
    print(f"\nOverall, {apps} apps (RealVuln strict micro average; F3 x100)")
    print(f"{'scanner':<34} {HEAD}")
    for slug in sorted(overall, key=lambda s: -overall[s]["f3_score"]):
        mark = " <" if slug in VARIANTS else ""
        print(f"{slug:<34} {row(overall[slug])}{mark}")


def print_per_app(grid: Grid, shown: list[str], seconds: dict[str, float]) -> None:
    print("\nPer app")
    print(f"{'app / scanner':<34} {HEAD}")
    for app, cells in grid.items():
        took = f"  (scan {seconds[app]:.1f} s)" if app in seconds else ""
        print(f"{app.removeprefix('realvuln-')}{took}")
        for slug in shown:
            print(f"  {slug:<32} {row(cells.get(slug))}")


def family_counts(grid: Grid, scanner: str) -> dict[str, tuple[int, int]]:
    """Family slug -> (TP, TP + FN) over every app, from RealVuln's per-family breakdown."""
    counts: dict[str, tuple[int, int]] = {}
    for cells in grid.values():
        cell = cells.get(scanner)
        for fam, fs in (cell or {}).get("per_family", {}).items():
            tp, total = counts.get(fam, (0, 0))
            counts[fam] = (tp + fs["tp"], total + fs["tp"] + fs["fn"])
    return counts


def print_families(rv: RealVuln, grid: Grid, peers: list[str], overall: dict[str, Cell]) -> None:
    labels = {slug: info["label"] for slug, info in rv.families["families"].items()} | {"other": "Other"}
    ours = {v: family_counts(grid, v) for v in VARIANTS}
    theirs = {p: family_counts(grid, p) for p in peers}
    print("\nPer CWE family (recall = TP / vulnerabilities; best peer: most TP in the family, then best F3)")
    print(f"{'family':<40} {'vulns':>5}  {'reviewbot':>9} {'rules':>9}  {'best peer':<30} {'recall':>6}")
    for fam in labels:
        total = ours[RULES].get(fam, (0, 0))[1]
        if not total:
            continue
        best = max(peers, key=lambda p: (theirs[p].get(fam, (0, 0))[0], overall[p]["f3_score"]))
        peer_tp = theirs[best].get(fam, (0, 0))[0]
        shown = [f"{ours[v].get(fam, (0, 0))[0]:>3} {ours[v].get(fam, (0, 0))[0] / total:>5.2f}" for v in VARIANTS]
        print(f"{labels[fam]:<40} {total:>5}  {shown[0]:>9} {shown[1]:>9}  {best:<30} {peer_tp / total:>6.2f}")


def gt_ids(cell: Cell | None, kind: str) -> set[str]:
    return {d["ground_truth_id"] for d in (cell or {}).get("details", []) if d["classification"] == kind}


def print_hiding_stages(grid: Grid, out: Path) -> None:
    """What each stage between the rules and the report hides, scored: TPs it costs, FPs it removes."""
    dispositions: Counter[str] = Counter()
    for app in grid:
        report = out / app / SCAN_JSON
        if report.exists():
            dispositions.update(f["disposition"] for f in json.loads(report.read_text(encoding="utf-8"))["findings"])
    print("\nreviewbot's findings by disposition: " + ", ".join(f"{d} {n}" for d, n in dispositions.most_common()))
    base = sum_cells(grid, REPORTED)
    for stage in HIDING_STAGES:
        if dispositions[stage]:
            back = sum_cells(grid, f"{REPORTED}+{stage}")
            print(
                f"  {stage}: {dispositions[stage]} findings hidden; put back they would add "
                f"{back[0] - base[0]} TP and {back[1] - base[1]} FP"
            )


def sum_cells(grid: Grid, scanner: str) -> tuple[int, int]:
    """(TP, FP) of a scanner over every app."""
    cells = [cells.get(scanner) or {} for cells in grid.values()]
    return sum(c.get("tp", 0) for c in cells), sum(c.get("fp", 0) for c in cells)


def skipped_files(report: Path) -> dict[str, str]:
    """Path -> reason for the files reviewbot skipped on purpose."""
    if not report.exists():
        return {}
    skipped: dict[str, str] = {}
    for line in json.loads(report.read_text(encoding="utf-8")).get("skipped", []):
        path, _, reason = line.partition(": skipped ")
        skipped[path] = reason.strip("()")
    return skipped


def print_misses(rv: RealVuln, grid: Grid, out: Path) -> None:
    """Vulnerabilities no reviewbot finding matched (rules alone), for a rule author to work from."""
    labels = {slug: info["label"] for slug, info in rv.families["families"].items()}
    cwe_family = {cwe: slug for slug, info in reversed(rv.families["families"].items()) for cwe in info["cwes"]}
    by_family: dict[str, list[str]] = defaultdict(list)
    suffixes: Counter[str] = Counter()
    templates = in_templates = 0
    for app, cells in grid.items():
        missed = gt_ids(cells.get(RULES), "FN")
        skipped = skipped_files(out / app / SCAN_JSON)
        for entry in rv.ground_truth(app)["findings"]:
            suffix = Path(entry["file"]).suffix.lower() or "(none)"
            in_templates += entry["is_vulnerable"] and suffix in TEMPLATE_SUFFIXES
            if entry["id"] not in missed:
                continue
            suffixes[suffix] += 1
            templates += suffix in TEMPLATE_SUFFIXES
            loc = entry.get("location", {})
            lines = f"{loc.get('start_line', '?')}-{loc.get('end_line', '?')}"
            note = f"  [skipped: {skipped[entry['file']]}]" if entry["file"] in skipped else ""
            fam = cwe_family.get(entry["primary_cwe"], "other")
            by_family[fam].append(
                f"    {entry['id']:<14} {app.removeprefix('realvuln-')}/{entry['file']}:{lines} "
                f"{entry['primary_cwe']} {entry.get('vulnerability_class', '')}{note}"
            )
    total = sum(len(v) for v in by_family.values())
    print(f"\nMisses: {total} vulnerabilities no reviewbot finding matched (rules alone)")
    print(f"  in templates ({', '.join(sorted(TEMPLATE_SUFFIXES))}): {templates} of the {in_templates} there")
    print("  by file type: " + ", ".join(f"{s} {n}" for s, n in suffixes.most_common()))
    for fam, items in sorted(by_family.items(), key=lambda kv: -len(kv[1])):
        print(f"  {labels.get(fam, 'Other')} ({len(items)})")
        print("\n".join(sorted(items)))


# ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--benchmark", type=Path, required=True, help="a checkout of kolega-ai/Real-Vuln-Benchmark")
    parser.add_argument("--apps", type=Path, required=True, help="a folder with one git repository per app")
    parser.add_argument("--app", action="append", default=[], help="only this app (repeatable; default all 11)")
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / ".cache" / "realvuln" / "results", help="per-app reviewbot results"
    )
    parser.add_argument("--python", default=sys.executable, help="the interpreter running reviewbot")
    parser.add_argument("--scan-arg", action="append", default=[], help="an extra argument for reviewbot scan")
    parser.add_argument("--rescore", action="store_true", help="score the reports already in --out, scan nothing")
    parser.add_argument("--all-peers", action="store_true", help="per app, show every peer, not only the featured")
    parser.add_argument("--misses", action="store_true", help="list the vulnerabilities no finding matched")
    parser.add_argument("--prepare-from", type=Path, help="clone the apps from bare copies DIR/OWNER+NAME/repo")
    parser.add_argument(
        "--llm",
        action="store_true",
        help="scan with `reviewbot scan --llm`: the endpoint, key and uses of the config's `llm:` section "
        "(OPENAI_BASE_URL / OPENAI_API_KEY work too); sends the apps' redacted code there (docs/llm.md)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    known = {app.name: app for app in DEV_APPS}
    unknown = [name for name in args.app if name not in known]
    if unknown:
        print(f"error: not in the development half (the rest is held out): {', '.join(unknown)}", file=sys.stderr)
        return 2
    apps = [known[name] for name in args.app] if args.app else list(DEV_APPS)
    if args.prepare_from is not None:
        prepare(apps, args.prepare_from, args.apps)
    out: Path = args.out.resolve()
    seconds: dict[str, float] = {}
    for app in apps:
        if args.rescore:
            continue
        problem = app_problem(app, args.apps)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
        extra = [*args.scan_arg, *(["--llm"] if args.llm else [])]
        seconds[app.name], error = scan(
            args.python, (args.apps / app.name).resolve(), out / app.name / SCAN_JSON, extra
        )
        print(f"scanned {app.name} in {seconds[app.name]:.1f} s{'; FAILED ' + error if error else ''}", flush=True)
    for app in apps:
        write_variants(out, app.name)
    rv = load_realvuln(args.benchmark.resolve())
    print_versions(rv)
    names = [app.name for app in apps]
    peers = peers_of(rv.root, names)
    grid = rv.score(names, [*VARIANTS, *ADDED_BACK], out)
    for name, cells in rv.score(names, peers, rv.root / "scan-results").items():
        grid[name].update(cells)
    overall = rv.overall(grid, [*VARIANTS, *peers])
    print_overall(overall, len(names))
    print_per_app(grid, [*VARIANTS, *(peers if args.all_peers else featured(overall, peers))], seconds)
    print_families(rv, grid, peers, overall)
    print_hiding_stages(grid, out)
    if args.misses:
        print_misses(rv, grid, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
