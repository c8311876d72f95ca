#!/usr/bin/env python3
"""A quick per-class self-check on RealVuln apps: which labelled vulnerabilities a scan finds.

    .venv/bin/python benchmarks/realvuln_classes.py --apps DIR --truth DIR --tree BASE --tree NEW
        [--classes command_injection,sql_injection,...] [--save DIR]

For every app folder `DIR/<name>` (a git repository) with a ground truth in
`--truth/<name>/ground-truth.json` (RealVuln's format), each `--tree` (a reviewbot source tree,
put on PYTHONPATH) runs `reviewbot scan --all --repo APP --format json --no-cache`. A labelled
entry of one of `--classes` is matched by a finding in the same file whose lines lie within 3
of the entry's and whose CWEs intersect the entry's acceptable CWEs. Two figures per tree:
"rules alone" (every finding not suppressed) and "reported" (disposition `reported`, after the
model), for the true entries (`is_vulnerable`) and for the false ones (traps), and the entries
the last tree finds by rules alone but does not report, with the rule and score. Give only the
development half of RealVuln: the rest is held out. Never run in CI; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

DEFAULT_CLASSES = (
    "command_injection,code_injection,sql_injection,ssrf,open_redirect,path_traversal,remote_file_inclusion"
)
_NEAR = 3


def _scan(tree: Path, app: Path) -> list[dict[str, Any]]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, "-m", "reviewbot", "scan", "--all", "--repo", str(app), "--format", "json", "--no-cache"]
    # cwd too: `-m` puts the working directory first on sys.path, before PYTHONPATH
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tree, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{tree} on {app.name}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    findings: list[dict[str, Any]] = json.loads(proc.stdout)["findings"]
    return findings


def _matches(entry: dict[str, Any], finding: dict[str, Any]) -> bool:
    if finding["path"] != entry["file"]:
        return False
    loc = entry["location"]
    start, end = int(loc["start_line"]), int(loc.get("end_line") or loc["start_line"])
    if finding["start_line"] > end + _NEAR or finding["end_line"] < start - _NEAR:
        return False
    cwes = set(entry.get("acceptable_cwes") or []) | {entry["primary_cwe"]}
    return bool(cwes & set(finding["cwe"]))


def _alone(f: dict[str, Any]) -> bool:
    return not str(f["disposition"]).startswith("suppressed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=Path, required=True)
    parser.add_argument("--truth", type=Path, required=True)
    parser.add_argument("--tree", type=Path, action="append", required=True)
    parser.add_argument("--classes", default=DEFAULT_CLASSES)
    parser.add_argument("--save", type=Path, help="write each scan's findings here as JSON")
    args = parser.parse_args()
    classes = set(args.classes.split(","))

    apps = sorted(p for p in args.apps.iterdir() if (args.truth / p.name / "ground-truth.json").exists())
    entries = []
    for app in apps:
        truth = json.loads((args.truth / app.name / "ground-truth.json").read_text())
        entries += [(app.name, e) for e in truth["findings"] if e["vulnerability_class"] in classes]
    n_true = sum(1 for _, e in entries if e["is_vulnerable"])
    print(f"{len(apps)} apps; {n_true} true entries and {len(entries) - n_true} traps of {sorted(classes)}")

    last_demoted: list[str] = []
    for tree in args.tree:
        counts = {"alone": [0, 0], "reported": [0, 0]}
        per_class: dict[str, list[int]] = {}
        demoted: list[str] = []
        total = 0
        for app in apps:
            findings = _scan(tree, app)
            total += sum(1 for f in findings if f["disposition"] == "reported")
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{tree.name}-{app.name}.json").write_text(json.dumps(findings))
            for name, entry in entries:
                if name != app.name:
                    continue
                near = [f for f in findings if _matches(entry, f)]
                alone = [f for f in near if _alone(f)]
                shown = [f for f in near if f["disposition"] == "reported"]
                slot = 0 if entry["is_vulnerable"] else 1
                counts["alone"][slot] += bool(alone)
                counts["reported"][slot] += bool(shown)
                if entry["is_vulnerable"]:
                    row = per_class.setdefault(entry["vulnerability_class"], [0, 0, 0])
                    row[0] += 1
                    row[1] += bool(alone)
                    row[2] += bool(shown)
                    if alone and not shown:
                        best = max(alone, key=lambda f: f.get("score") or 0.0)
                        demoted.append(
                            f"  {entry['id']} {entry['file']}:{entry['location']['start_line']} "
                            f"{best['rule_id']} {best['disposition']} score={best.get('score')}"
                        )
        print(f"\n{tree}: reported findings of every class in these apps: {total}")
        print(f"  rules alone: {counts['alone'][0]}/{n_true} true, {counts['alone'][1]} traps matched")
        print(f"  reported:    {counts['reported'][0]}/{n_true} true, {counts['reported'][1]} traps matched")
        for cls, (n, a, r) in sorted(per_class.items()):
            print(f"    {cls:24} {n:3}  alone {a:3}  reported {r:3}")
        last_demoted = demoted
    print(f"\nfound by rules alone but not reported ({args.tree[-1]}): {len(last_demoted)}")
    print("\n".join(last_demoted))


if __name__ == "__main__":
    main()
