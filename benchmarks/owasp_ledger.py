#!/usr/bin/env python3
"""OWASP BenchmarkPython's ground truth as a triage ledger: the data of reviewbot's default model.

    .venv/bin/python benchmarks/owasp_ledger.py BENCH --out .cache/owasp-ledger.jsonl --train-out models/default
    .venv/bin/python benchmarks/owasp_ledger.py BENCH --figures models/default

The first command is the whole recipe of models/default: it scans every test case with
reviewbot's own review pipeline (`run_review` on all of BENCH/testcode, exactly what
`reviewbot scan --all` does, so the features are the ones computed at review time), writes one
triage record per finding that speaks to its case, and trains on the first half of the cases.

Which findings become records (the benchmark's truth stands in for a human verdict):

* a REPORTED finding with a CWE accepted for its case's CWE (the mapping of
  benchmarks/owasp_python.py) takes the case's truth: true_positive or false_positive;
* a finding with any other CWE is left out: the benchmark says nothing about it (every case
  sets cookies and builds responses that other rules flag, true or not);
* a DUPLICATE finding is left out: no human sees it, so no human would decide it.

`when` is 2025-01-01T00:00Z plus the case number in minutes, so time order is case-number order
and "train on the earlier half, hold out the later half" is exactly BenchmarkTest00001-00621
against 00622-01243. The benchmark is GPL-3.0 and is never copied here: pass its path.

`--figures MODEL` measures, on the held-out half, what the judge of the model asks for: the mean
Youden index (TPR - FPR per category) of rules alone and of rules + model, the share of rule
false positives removed while keeping >= 95 % of rule true positives, scoring time, and
robustness of held-out true positives to semantics-preserving edits (benchmarks/owasp_variants.py).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from owasp_python import ACCEPTED_CWES, load_cases, parse_cwe

from reviewbot.change import changes
from reviewbot.finding import Disposition, Finding
from reviewbot.learn.card import ModelCard
from reviewbot.review.result import ReviewResult
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.scanners.interface import Scanner
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules
from reviewbot.scanners.select import ScannerChoice
from reviewbot.triage.ledger import Source, TriageRecord, Verdict, format_record

EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
WHO = "owasp-benchmark-python"
CASE = re.compile(r"^testcode/BenchmarkTest(\d+)\.py$")


def scanners() -> list[Scanner]:
    # Every scanner with its default settings, and no result cache.
    return ScannerChoice().build(lambda: load_rules(builtin_rules_dir()))


def scan(bench: Path, paths: Sequence[Path] | None = None) -> ReviewResult:
    change = changes.from_all(bench, list(paths or [bench / "testcode"]))
    return run_review(change, scanners(), ReviewOptions(new_only=False))


def case_number(path: str) -> int | None:
    m = CASE.match(path)
    return int(m.group(1)) if m else None


def case_time(number: int) -> datetime:
    return EPOCH + timedelta(minutes=number)


def first_held_out(bench: Path) -> int:
    """The first case number of the later half (by case number): the held-out cases start there."""
    numbers = sorted(int(name.removeprefix("BenchmarkTest")) for name, *_ in load_cases(bench))
    return numbers[len(numbers) // 2]


def split_time(bench: Path) -> datetime:
    """The first held-out case's time: every record at or after it is held out."""
    return case_time(first_held_out(bench))


def speaks_to_case(f: Finding, cwe: int) -> bool:
    accepted = ACCEPTED_CWES.get(cwe, frozenset({cwe}))
    return any(parse_cwe(c) in accepted for c in f.cwe)


def to_records(bench: Path, findings: Sequence[Finding]) -> tuple[list[TriageRecord], Counter[str]]:
    truth = {f"testcode/{name}.py": (category, real, cwe) for name, category, real, cwe in load_cases(bench)}
    records: list[TriageRecord] = []
    left_out: Counter[str] = Counter()
    for f in findings:
        case = truth.get(f.path)
        number = case_number(f.path)
        if case is None or number is None:
            left_out["not in a test case"] += 1
            continue
        category, real, cwe = case
        if not speaks_to_case(f, cwe):
            left_out["CWE outside the case's category"] += 1
            continue
        if f.disposition is not Disposition.REPORTED:
            left_out[f"disposition {f.disposition.value}"] += 1
            continue
        records.append(
            TriageRecord(
                fingerprint=f.fingerprint,
                rule_id=f.rule_id,
                verdict=Verdict.TRUE_POSITIVE if real else Verdict.FALSE_POSITIVE,
                reason=f"OWASP BenchmarkPython expectedresults-0.1.csv: BenchmarkTest{number:05d} {category} "
                f"real={'true' if real else 'false'}",
                who=WHO,
                when=case_time(number),
                source=Source.IMPORT,
                path=f.path,
                features=f.features,
                feature_schema=f.feature_schema,
            )
        )
    records.sort(key=lambda r: (r.when, r.fingerprint))
    return records, left_out


def write_ledger(path: Path, records: Sequence[TriageRecord]) -> None:
    from reviewbot._io import write_atomic

    write_atomic(path, "".join(format_record(r) + "\n" for r in records).encode("utf-8"))


def build(bench: Path, out: Path) -> tuple[ReviewResult, list[TriageRecord]]:
    started = time.monotonic()
    result = scan(bench)
    records, left_out = to_records(bench, result.findings)
    write_ledger(out, records)
    verdicts = Counter(r.verdict.value for r in records)
    print(
        f"scanned {result.files_scanned} files in {time.monotonic() - started:.1f} s: {len(result.findings)} findings; "
        f"{len(records)} records ({verdicts['true_positive']} true, {verdicts['false_positive']} false) -> {out}"
    )
    for reason, n in sorted(left_out.items()):
        print(f"  left out: {n} ({reason})")
    return result, records


def add_case_figures(bench: Path, ledger: Path, model_dir: Path) -> ModelCard:
    """Write the case-level held-out figures (OWASP's own scoring) into the card's notes."""
    from owasp_figures import ledger_figures

    from reviewbot.learn.card import CARD_FILE, write_card
    from reviewbot.learn.scoring import Scorer
    from reviewbot.triage.ledger import read_ledger

    scorer = Scorer.load(model_dir)
    f = ledger_figures(bench, read_ledger(ledger).records, scorer)
    note = (
        f"OWASP BenchmarkPython, held-out cases BenchmarkTest{first_held_out(bench):05d} and later, scored as "
        f"benchmarks/owasp_python.py does: mean Youden index rules {f['youden_rules']:.3f}, rules + model "
        f"{f['youden_model']:.3f}; of the cases the rules flag, the model keeps {f['tp_kept']:.1%} of true ones "
        f"and removes {f['fp_removed']:.1%} of false ones"
    )
    card = scorer.card.model_copy(update={"notes": [*scorer.card.notes, note]})
    write_card(model_dir / CARD_FILE, card)
    print(note)
    return card


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="OWASP BenchmarkPython's truth as a reviewbot triage ledger.")
    ap.add_argument("bench", type=Path, help="a BenchmarkPython checkout (expectedresults-0.1.csv, testcode/)")
    ap.add_argument("--out", type=Path, help="write the ledger here (JSON lines)")
    ap.add_argument("--train-out", type=Path, metavar="DIR", help="then train on the first half of the cases")
    ap.add_argument("--figures", type=Path, metavar="MODEL", help="measure MODEL on the held-out half")
    ap.add_argument("--no-variants", action="store_true", help="with --figures: skip the robustness variants")
    ap.add_argument(
        "--bandit",
        metavar="PATH",
        help="with --figures: also score this bandit executable on the held-out cases (install it under "
        "Python >= 3.12: the benchmark uses 3.12 f-string syntax)",
    )
    args = ap.parse_args(argv)
    bench = args.bench.resolve()
    if not (bench / "expectedresults-0.1.csv").is_file() or not (bench / "testcode").is_dir():
        ap.error(f"{bench} does not look like BenchmarkPython (no expectedresults-0.1.csv / testcode)")
    if args.out is None and args.figures is None:
        ap.error("nothing to do: give --out FILE and/or --figures MODEL")
    if args.train_out is not None and args.out is None:
        ap.error("--train-out needs --out (the ledger it trains on)")
    if args.out is not None:
        build(bench, args.out)
    if args.train_out is not None:
        from reviewbot.learn.training import TrainOptions, train

        at = split_time(bench)
        shown = [p.as_posix() if not p.is_absolute() else p.name for p in (args.out, args.train_out)]
        command = (
            f"python benchmarks/owasp_ledger.py BENCH --out {shown[0]} --train-out {shown[1]}"
            "  # BENCH: a BenchmarkPython checkout"
        )
        opts = TrainOptions(split_at=at, use_history=False, target_recall=0.95, reproduce=command)
        card = train(args.out, args.train_out, opts)
        card = add_case_figures(bench, args.out, args.train_out)
        test = card.metrics["test"]
        print(
            f"trained {args.train_out}: split at {at.isoformat()}, {card.split.fit.rows} fit / "
            f"{card.split.validation.rows} validation / {card.split.test.rows} test rows; test PR-AUC "
            f"{test['pr_auc']:.3f}, ECE {test['ece']:.3f}, threshold {card.threshold:.3f}"
        )
    if args.figures is not None:
        from owasp_figures import figures

        figures(bench, args.figures, variants=not args.no_variants, bandit=args.bandit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
