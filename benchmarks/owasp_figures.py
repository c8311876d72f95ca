"""Held-out figures of a model on OWASP BenchmarkPython (run through owasp_ledger.py --figures).

On the later half of the cases (the half no model trained on), a case is *flagged* when a
finding with a CWE accepted for the case is visible (REPORTED): by the rules alone, or after
the model marked the findings under its threshold BELOW_THRESHOLD. Reported:

* mean Youden index (TPR - FPR, averaged over categories), rules alone and rules + model;
* of the cases the rules flag: the share of false ones the model removes and of true ones it
  keeps, at the card's threshold, and the most it could remove while keeping >= 95 % (the
  case's score is its best finding's);
* scoring cost: model load, cold scoring of every finding, per finding, against scan time;
* robustness: for each held-out true case the model keeps, semantics-preserving variants
  (benchmarks/owasp_variants.py, plus the file added under tests/ by the change) and the share
  still flagged, among those the rules still flag at all.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import owasp_python
from owasp_ledger import case_number, first_held_out, scan, scanners, speaks_to_case
from owasp_python import ACCEPTED_CWES, load_cases
from owasp_variants import KINDS, variant

from reviewbot.change.changes import Change
from reviewbot.change.diff import ChangeKind, FileChange
from reviewbot.finding import Disposition, Finding
from reviewbot.learn.scoring import Scorer
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.triage.ledger import TriageRecord

Truth = dict[int, tuple[str, bool, int]]  # case number -> (category, real, cwe)


def _flagged(findings: Iterable[Finding], truth: Truth) -> dict[int, list[Finding]]:
    out: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        n = case_number(f.path)
        if n is not None and n in truth and speaks_to_case(f, truth[n][2]):
            out[n].append(f)
    return out


def ledger_figures(bench: Path, records: Sequence[TriageRecord], scorer: Scorer) -> dict[str, float]:
    """The case-level held-out figures from the ledger alone: its records are exactly the rule
    findings that speak to their case, so a case is flagged by the rules when it has a record and
    by rules + model when one of its records scores at or over the threshold."""
    first = first_held_out(bench)
    held = {n: v for n, v in _truth(bench).items() if n >= first}
    rules: set[int] = set()
    model: set[int] = set()
    for r in records:
        n = case_number(r.path or "")
        if n is None or n < first or r.features is None:
            continue
        rules.add(n)
        if scorer.explain(r.features)[0] >= scorer.threshold:
            model.add(n)
    tps = [n for n in rules if held[n][1]]
    fps = [n for n in rules if not held[n][1]]
    return {
        "youden_rules": youden(held, rules)[0],
        "youden_model": youden(held, model)[0],
        "tp_kept": sum(n in model for n in tps) / max(1, len(tps)),
        "fp_removed": sum(n not in model for n in fps) / max(1, len(fps)),
    }


def _truth(bench: Path) -> Truth:
    return {int(name.removeprefix("BenchmarkTest")): (c, r, w) for name, c, r, w in load_cases(bench)}


def youden(cases: Truth, flagged: set[int]) -> tuple[float, dict[str, float]]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for n, (category, real, _) in cases.items():
        row = per[category]
        row[0 if real else 1] += 1
        row[2 if real else 3] += n in flagged
    scores = {c: (tp / t if t else 0.0) - (fp / f if f else 0.0) for c, (t, f, tp, fp) in per.items()}
    return sum(scores.values()) / len(scores), scores


def _visible(findings: list[Finding]) -> bool:
    return any(f.disposition is Disposition.REPORTED for f in findings)


def _bandit_flagged(bench: Path, held: Truth, bandit: str) -> set[int]:
    """Held-out cases Bandit flags, scored exactly as benchmarks/owasp_python.py scores it."""
    owasp_python.BANDIT = str(Path(bandit).resolve())
    found = owasp_python.run_bandit(bench, sys.executable, Path())
    return {
        n
        for n, (_, _, cwe) in held.items()
        if found.get(f"testcode/BenchmarkTest{n:05d}.py", set()) & ACCEPTED_CWES.get(cwe, frozenset({cwe}))
    }


def figures(bench: Path, model_dir: Path, *, variants: bool = True, bandit: str | None = None) -> dict[str, float]:
    first = first_held_out(bench)
    held = {n: v for n, v in _truth(bench).items() if n >= first}
    paths = [bench / "testcode" / f"BenchmarkTest{n:05d}.py" for n in sorted(held)]
    result = scan(bench, paths)
    t0 = time.perf_counter()
    scorer = Scorer.load(model_dir)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    scored = scorer.score(result.findings)
    score_s = time.perf_counter() - t0
    rules = _flagged((f for f in result.findings if f.disposition is Disposition.REPORTED), held)
    model = _flagged(scored, held)
    rules_set = set(rules)
    model_set = {n for n, fs in model.items() if _visible(fs)}
    y_rules, per_rules = youden(held, rules_set)
    y_model, per_model = youden(held, model_set)
    tps = [n for n in rules_set if held[n][1]]
    fps = [n for n in rules_set if not held[n][1]]
    kept_tp = sum(n in model_set for n in tps) / len(tps)
    removed_fp = sum(n not in model_set for n in fps) / len(fps)
    best = {n: max((f.score or 0.0) for f in model[n] if f.disposition in _SCORED) for n in rules_set}
    best_removed = _best_removal(best, tps, fps, 0.95)
    n_findings = len(result.findings)
    print(
        f"held-out cases {len(held)} (BenchmarkTest{first:05d}..), findings {n_findings}, scan {result.seconds:.1f} s"
    )
    per_bandit: dict[str, float] = {}
    y_bandit = float("nan")
    if bandit is not None:  # the baseline, run on the same held-out cases in the same run
        y_bandit, per_bandit = youden(held, _bandit_flagged(bench, held, bandit))
    print(f"{'category':<16}{'rules':>8}{'+model':>8}{'bandit':>8}")
    for c in sorted(per_rules):
        print(f"{c:<16}{per_rules[c]:>+8.3f}{per_model[c]:>+8.3f}{per_bandit.get(c, float('nan')):>+8.3f}")
    print(f"{'mean Youden':<16}{y_rules:>+8.3f}{y_model:>+8.3f}{y_bandit:>+8.3f}")
    print(
        f"rule-flagged cases: {len(tps)} true, {len(fps)} false; at the card threshold {scorer.threshold:.3f} "
        f"the model keeps {kept_tp:.1%} of true, removes {removed_fp:.1%} of false; "
        f"best removal keeping >= 95%: {best_removed:.1%}"
    )
    print(
        f"scoring: load {load_s * 1000:.1f} ms, {n_findings} findings in {score_s * 1000:.1f} ms "
        f"({score_s / max(1, n_findings) * 1000:.3f} ms each, {score_s / max(result.seconds, 1e-9):.2%} of the scan)"
    )
    out = {
        "youden_rules": y_rules,
        "youden_model": y_model,
        "tp_kept": kept_tp,
        "fp_removed": removed_fp,
        "fp_removed_best_at_95": best_removed,
        "score_ms_per_finding": score_s / max(1, n_findings) * 1000,
        "score_share_of_scan": score_s / max(result.seconds, 1e-9),
    }
    if variants:
        kept_cases = sorted(n for n in tps if n in model_set)
        out |= robustness(bench, scorer, held, {n: model[n] for n in kept_cases})
    return out


_SCORED = frozenset({Disposition.REPORTED, Disposition.BELOW_THRESHOLD})


def _best_removal(score: dict[int, float], tps: list[int], fps: list[int], keep: float) -> float:
    best = 0.0
    for t in sorted(set(score.values())):
        if sum(score[n] >= t for n in tps) / len(tps) >= keep:
            best = max(best, sum(score[n] < t for n in fps) / len(fps))
    return best


def robustness(bench: Path, scorer: Scorer, held: Truth, kept: dict[int, list[Finding]]) -> dict[str, float]:
    """Variants of each kept true case; a variant counts when the rules still flag it at all."""
    stats: dict[str, list[int]] = {k: [0, 0, 0] for k in (*KINDS, "moved")}  # generated, rules fire, kept
    with tempfile.TemporaryDirectory(prefix="owasp-variants-") as tmp:
        root = Path(tmp)
        files: list[FileChange] = []
        head: dict[str, bytes] = {}
        for n, findings in kept.items():
            source = (bench / "testcode" / f"BenchmarkTest{n:05d}.py").read_bytes()
            line = min(f.start_line for f in findings if f.disposition is Disposition.REPORTED)
            for kind in KINDS:
                data = variant(source, line, kind)
                if data is None:
                    continue
                path = f"{kind}/testcode/BenchmarkTest{n:05d}.py"
                files.append(FileChange(path, path, ChangeKind.MODIFIED, whole_file=True))
                head[path] = data
                stats[kind][0] += 1
            moved = f"tests/test_BenchmarkTest{n:05d}.py"
            files.append(FileChange(moved, None, ChangeKind.ADDED, whole_file=True))
            head[moved] = source
            stats["moved"][0] += 1
        change = Change(root, "owasp variants", files, head=head)
        result = run_review(change, scanners(), ReviewOptions(new_only=False), scorer=scorer)
    by_kind: dict[str, dict[int, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in result.findings:
        if f.path.startswith("tests/test_"):
            kind, rel = "moved", "testcode/" + f.path.removeprefix("tests/test_")
        else:
            kind, rel = f.path.split("/", 1)
        f2 = f.model_copy(update={"path": rel})
        for n, fs in _flagged([f2], held).items():
            by_kind[kind][n].extend(fs)
    out: dict[str, float] = {}
    total_fire = total_kept = 0
    for kind, row in stats.items():
        cases = by_kind.get(kind, {})
        row[1] = len(cases)
        row[2] = sum(_visible(fs) for fs in cases.values())
        total_fire, total_kept = total_fire + row[1], total_kept + row[2]
        print(
            f"variant {kind:<8} generated {row[0]:>4}, rules still fire {row[1]:>4}, kept above threshold {row[2]:>4}"
        )
        out[f"robust_{kind}"] = row[2] / row[1] if row[1] else 1.0
    out["robustness"] = total_kept / total_fire if total_fire else 1.0
    print(
        f"robustness: {total_kept}/{total_fire} = {out['robustness']:.1%} of variants the rules still flag stay above"
    )
    return out
