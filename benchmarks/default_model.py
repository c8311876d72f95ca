#!/usr/bin/env python3
"""The recipe of models/default: ground truth from four corpora as one triage ledger, split by repository.

    .venv/bin/python benchmarks/default_model.py --owasp BENCH \\
        --realvuln RV_BENCH --realvuln-reports RV_OUT \\
        --noise .cache/train/noise.jsonl --cve .cache/train/cve.jsonl \\
        --cve-corpus benchmarks/corpus/cve_python.jsonl \\
        --ledger .cache/train/ledger.jsonl --out models/default

What this script owns: turning each corpus's truth into triage verdicts, the split by repository,
and the per-corpus figures the issue asks of the model (real vulnerabilities it hides, rule noise
it removes, on repositories it never saw). It reads findings that other benchmark scripts saved,
so every feature vector is the one computed at review time:

* OWASP BenchmarkPython (synthetic): scanned here with `run_review`, labelled as
  benchmarks/owasp_ledger.py does (a finding whose CWE belongs to its case takes the case's truth).
  Held out: the later half of the cases (BenchmarkTest00622 on), as before.
* RealVuln, development half only (intentionally vulnerable apps): the reports
  `benchmarks/realvuln.py --out RV_OUT` wrote (`RV_OUT/<app>/reviewbot-scan.json`). A finding is
  `true_positive` when a vulnerable ground-truth entry of its file accepts one of its CWEs and its
  lines come within 10 lines of the entry's (RealVuln's own matching window); `false_positive`
  when it matches only a false-positive trap of the ground truth, or nothing at all (RealVuln's
  strict scoring counts it as a false alarm; a ground truth can miss real bugs, so this label is
  the benchmark's word, not ours).
* Ordinary merged commits of mature projects (`noise_replay.py --save`): every finding shown on
  such a commit is `false_positive`: noise is what the corpus measures.
* Real CVE fixes replayed as PRs (`cve_replay.py --save`): a finding with a CWE of the entry within
  3 lines of a vulnerable line is `true_positive`; other findings of the replay are left out (the
  advisory says nothing about them).

Only findings a person would see without a model enter: dispositions `reported` and
`below_threshold` (duplicates, suppressed and pre-existing findings are never shown to anyone).

The split is by repository, so no evaluation repository is in training: within each corpus the
repositories are ordered by sha256("corpus:repo") and every third one, from the first, is held
out (at least one per corpus; BenchmarkPython's halves stand in for repositories). Training rows
get times before SPLIT_AT in an order set by a hash of their fingerprint (so the validation slice
mixes the corpora), held-out rows after it, and `reviewbot train --split-at` does the rest: the
model this script writes never saw a held-out repository, and its card's test figures are on
those alone. Not run in CI, not used by tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realvuln_apps import DEV_APPS

from reviewbot.finding import Disposition
from reviewbot.learn.features import FEATURE_INDEX, without_path_roles_if_critical
from reviewbot.learn.scoring import MIN_COVERAGE, Scorer
from reviewbot.triage.ledger import Source, TriageRecord, Verdict

SHOWN = {"reported", "below_threshold"}
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
SPLIT_AT = datetime(2025, 6, 1, tzinfo=UTC)
REALVULN_WINDOW = 10
CVE_SLACK = 3


@dataclass(frozen=True)
class Labelled:
    """One finding with the verdict its corpus's truth gives it."""

    corpus: str
    repo: str
    finding: dict[str, Any]
    real: bool
    reason: str


# ---------------------------------------------------------------- the corpora's truth


def cwes(finding: dict[str, Any]) -> set[str]:
    return {c.split(":")[0].strip() for c in finding.get("cwe", [])}


def near(finding: dict[str, Any], start: int, end: int, window: int) -> bool:
    return bool(finding["start_line"] - window <= end and start <= finding["end_line"] + window)


def realvuln_labels(bench: Path, reports: Path) -> list[Labelled]:
    out: list[Labelled] = []
    for app in (a.name for a in DEV_APPS):
        report = reports / app / "reviewbot-scan.json"
        if not report.is_file():
            raise SystemExit(f"{report}: missing; run benchmarks/realvuln.py --out {reports} first")
        truth = json.loads((bench / "ground-truth" / app / "ground-truth.json").read_text(encoding="utf-8"))
        by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entry in truth["findings"]:
            by_file[entry["file"]].append(entry)
        for f in json.loads(report.read_text(encoding="utf-8"))["findings"]:
            if f["disposition"] not in SHOWN:
                continue
            matches = [
                e
                for e in by_file.get(f["path"], [])
                if cwes(f) & set(e.get("acceptable_cwes") or [e["primary_cwe"]])
                and near(f, e["location"]["start_line"], e["location"]["end_line"], REALVULN_WINDOW)
            ]
            real = [e["id"] for e in matches if e["is_vulnerable"]]
            traps = [e["id"] for e in matches if not e["is_vulnerable"]]
            why = f"RealVuln {app}: " + (
                f"vulnerable {real[0]}" if real else f"false-positive trap {traps[0]}" if traps else "no entry"
            )
            out.append(Labelled("realvuln", app, f, bool(real), why))
    return out


def noise_labels(saved: Path) -> list[Labelled]:
    out = []
    for row in map(json.loads, saved.read_text(encoding="utf-8").splitlines()):
        for f in row["findings"]:
            if f["disposition"] in SHOWN:
                why = f"ordinary merged commit {row['repo']}@{row['commit'][:12]}"
                out.append(Labelled("noise", row["repo"], f, False, why))
    return out


def cve_labels(saved: Path, corpus: Path) -> list[Labelled]:
    entries = {}
    for line in corpus.read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        if "fix" in e:
            entries[e["fix"]] = e
    out = []
    for row in map(json.loads, saved.read_text(encoding="utf-8").splitlines()):
        e = entries[row["fix"]]
        for f in row["findings"]:
            lines = e["files"].get(f["path"], [])
            at_a_line = any(near(f, n, n, CVE_SLACK) for n in lines)
            if f["disposition"] in SHOWN and cwes(f) & set(e["cwe"]) and at_a_line:
                out.append(Labelled("cve", row["repo"], f, True, f"{row['entry']}: a vulnerable line"))
    return out


def owasp_labels(bench: Path) -> list[Labelled]:
    from owasp_ledger import case_number, first_held_out, scan, to_records

    result = scan(bench)
    records, _ = to_records(bench, result.findings)
    first = first_held_out(bench)
    by_fp = {f.fingerprint: f for f in result.findings if f.disposition is Disposition.REPORTED}
    out = []
    for r in records:
        number = case_number(r.path or "") or 0
        half = "held-out half" if number >= first else "training half"
        f = by_fp[r.fingerprint].model_dump(mode="json")
        out.append(Labelled("owasp", half, f, r.verdict is Verdict.TRUE_POSITIVE, r.reason))
    return out


# ---------------------------------------------------------------- the split and the ledger


def held_out_repos(repos: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Every third repository of each corpus (all its repositories, with findings or not) by
    sha256, from the first; OWASP: its later half."""
    held = set()
    for corpus, names in repos.items():
        if corpus == "owasp":
            held.add((corpus, "held-out half"))
            continue
        ordered = sorted(names, key=lambda n: hashlib.sha256(f"{corpus}:{n}".encode()).hexdigest())
        held.update((corpus, n) for n in ordered[::3])
    return held


def repos_of(saved: Path) -> set[str]:
    return {json.loads(line)["repo"] for line in saved.read_text(encoding="utf-8").splitlines()}


def to_ledger(labelled: Sequence[Labelled], held: set[tuple[str, str]]) -> list[TriageRecord]:
    seen: set[str] = set()
    train: list[Labelled] = []
    test: list[Labelled] = []
    for item in labelled:
        fp = item.finding["fingerprint"]
        if fp in seen or not item.finding.get("features"):
            continue
        seen.add(fp)
        (test if (item.corpus, item.repo) in held else train).append(item)
    records = []
    for start, items in ((EPOCH, train), (SPLIT_AT, test)):
        items.sort(key=lambda i: hashlib.sha256(i.finding["fingerprint"].encode()).hexdigest())
        for k, item in enumerate(items):
            f = item.finding
            records.append(
                TriageRecord(
                    fingerprint=f["fingerprint"],
                    rule_id=f["rule_id"],
                    verdict=Verdict.TRUE_POSITIVE if item.real else Verdict.FALSE_POSITIVE,
                    reason=item.reason,
                    who=f"{item.corpus}-truth",
                    when=start + timedelta(seconds=k),
                    source=Source.IMPORT,
                    path=f["path"],
                    features=f["features"],
                    feature_schema=f["feature_schema"],
                )
            )
    return records


# ---------------------------------------------------------------- what the model does per corpus


def covered(scorer: Scorer, category: str) -> bool:
    """What `Scorer.uncovered` decides, from the category alone (a saved finding is a dict)."""
    key = category if f"category.{category}" in FEATURE_INDEX else "other"
    return scorer.card.coverage.get(key, 0) >= MIN_COVERAGE


def figures(labelled: Sequence[Labelled], held: set[tuple[str, str]], scorer: Scorer) -> None:
    """Per corpus, on held-out and (in brackets, in-sample) training repositories: the real findings
    the rules make and how many the model hides; the false ones and how many it removes."""
    cells: dict[tuple[str, bool], Counter[str]] = defaultdict(Counter)
    for item in labelled:
        stored = item.finding.get("features")
        if not stored:
            continue
        features = without_path_roles_if_critical(dict(stored))  # as training reads it
        hidden = covered(scorer, item.finding["category"]) and scorer.explain(features)[0] < scorer.threshold
        kind = "real" if item.real else "false"
        cell = cells[(item.corpus, (item.corpus, item.repo) in held)]
        cell[kind] += 1
        cell[f"{kind} hidden"] += int(hidden)
    print(f"\nmodel {scorer.name} (threshold {scorer.threshold:.3f}); held out = repositories it never saw")
    print(
        f"{'corpus':<10} {'split':<9} {'real':>5} {'hidden':>7} {'share':>6} {'false':>6} {'removed':>8} {'share':>6}"
    )
    for (corpus, is_held), c in sorted(cells.items(), key=lambda kv: (kv[0][0], not kv[0][1])):
        real, false = c["real"], c["false"]
        print(
            f"{corpus:<10} {'held out' if is_held else 'training':<9} {real:>5} {c['real hidden']:>7} "
            f"{c['real hidden'] / max(1, real):>6.1%} {false:>6} {c['false hidden']:>8} "
            f"{c['false hidden'] / max(1, false):>6.1%}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--owasp", type=Path, required=True, help="a BenchmarkPython checkout")
    ap.add_argument("--realvuln", type=Path, required=True, help="a Real-Vuln-Benchmark checkout (ground truth)")
    ap.add_argument("--realvuln-reports", type=Path, required=True, help="benchmarks/realvuln.py --out DIR")
    ap.add_argument("--noise", type=Path, required=True, help="benchmarks/noise_replay.py --save FILE")
    ap.add_argument("--cve", type=Path, required=True, help="benchmarks/cve_replay.py --save FILE")
    ap.add_argument("--cve-corpus", type=Path, required=True, help="benchmarks/corpus/cve_python.jsonl")
    ap.add_argument("--ledger", type=Path, required=True, help="write the combined ledger here")
    ap.add_argument("--out", type=Path, help="train the model into this folder (else: figures of --model)")
    ap.add_argument("--model", type=Path, help="only print the per-corpus figures of this model folder")
    args = ap.parse_args(argv)
    labelled = [
        *owasp_labels(args.owasp.resolve()),
        *realvuln_labels(args.realvuln, args.realvuln_reports),
        *noise_labels(args.noise),
        *cve_labels(args.cve, args.cve_corpus),
    ]
    repos = {
        "owasp": {"held-out half"},
        "realvuln": {a.name for a in DEV_APPS},
        "noise": repos_of(args.noise),
        "cve": repos_of(args.cve),
    }
    held = held_out_repos(repos)
    print("held out:", ", ".join(f"{c}:{r}" for c, r in sorted(held)))
    records = to_ledger(labelled, held)
    from reviewbot._io import write_atomic
    from reviewbot.triage.ledger import format_record

    write_atomic(args.ledger, "".join(format_record(r) + "\n" for r in records).encode("utf-8"))
    verdicts = Counter((r.who, r.verdict.value, r.when >= SPLIT_AT) for r in records)
    for (who, verdict, is_held), n in sorted(verdicts.items()):
        print(f"  {who:<16} {verdict:<15} {'held out' if is_held else 'training':<9} {n}")
    model_dir = args.model
    if args.out is not None:
        from owasp_ledger import add_case_figures

        from reviewbot.learn.training import TrainOptions, train

        command = "python benchmarks/default_model.py ...  # see docs/model-card.md for the full command"
        opts = TrainOptions(split_at=SPLIT_AT, use_history=False, target_recall=0.95, reproduce=command)
        card = train(args.ledger, args.out, opts)
        add_case_figures(args.owasp.resolve(), args.ledger, args.out)
        print(f"trained {args.out}: threshold {card.threshold:.3f}, test PR-AUC {card.metrics['test']['pr_auc']:.3f}")
        model_dir = args.out
    if model_dir is not None:
        figures(labelled, held, Scorer.load(model_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
