"""The learning commands: `reviewbot train`, `reviewbot eval`, `reviewbot drift`, and the model flags of `scan`.

    add_learn_parsers(sub)      the three subcommands (called by `cli.main.build_parser`)
    add_model_flags(scan)       --model NAME|DIR / --no-model / --threshold P on `scan`
    run_learn(args) -> int      dispatch (called by `cli.main.main`, inside its error boundary)

The model `scan` scores with is loaded by `review.trusted_side.scoring_for`, as for `pr`.

Heavy imports (lightgbm, numpy, matplotlib) happen inside the handlers, never at import time:
`reviewbot scan` imports this module for its flags.
"""

from __future__ import annotations

import argparse
import math
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewbot._io import check_output_folder
from reviewbot._text import escape_control
from reviewbot.errors import EXIT_OK, InputError

if TYPE_CHECKING:
    from reviewbot.learn.drift import DriftReport
    from reviewbot.learn.training import Evaluation

COMMANDS = frozenset({"train", "eval", "drift"})


def add_model_flags(scan: argparse.ArgumentParser) -> None:
    group = scan.add_mutually_exclusive_group()
    group.add_argument(
        "--model",
        metavar="NAME|DIR",
        type=Path,
        help="score findings with this model: a bundled model's name (e.g. default) or a model folder "
        "(default: .reviewbot/model as the trusted side of the change has it, else the built-in models/default); "
        "findings under its threshold are marked below_threshold, not dropped",
    )
    group.add_argument("--no-model", action="store_true", help="report every finding, unscored")
    scan.add_argument(
        "--threshold",
        metavar="P",
        type=_probability,
        help="score threshold 0..1 for every finding; beats the model card and the config's per-rule, "
        "per-category and preset thresholds (always_report floors still apply)",
    )


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a probability in 0..1")
    return value


def add_learn_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    train = sub.add_parser(
        "train",
        help="train the scoring model on the triage ledger (time-ordered split, calibrated, with a card)",
        description="Train a LightGBM model on the triage ledger: the latest verdict per fingerprint, earlier "
        "decisions train and later ones test, early stopping, calibration and the threshold on a later "
        "validation slice. Writes DIR/model.txt, DIR/card.json and (with matplotlib) DIR/eval.png.",
    )
    _ledger_flag(train)
    train.add_argument("--out", metavar="DIR", type=Path, required=True, help="model folder, e.g. models/NAME")
    train.add_argument(
        "--target-recall",
        metavar="R",
        type=float,
        default=0.95,
        help="choose the threshold that keeps this share of real findings on validation (default: 0.95)",
    )
    train.add_argument(
        "--test-fraction", metavar="F", type=float, default=0.25, help="latest share held out (default: 0.25)"
    )
    train.add_argument(
        "--split-at", metavar="TIME", help="hold out decisions at or after this ISO time instead of --test-fraction"
    )
    train.add_argument("--no-history", action="store_true", help="leave out the per-rule and per-file history features")
    train.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    train.add_argument("--threads", type=int, default=2, help="LightGBM threads (default: 2)")
    ev = sub.add_parser(
        "eval",
        help="measure a model on the ledger's held-out decisions, against baselines, with a learning curve",
        description="Precision at 90/95 % recall, PR-AUC, expected calibration error and a learning curve "
        "against keep-all, severity-only and per-rule-prior baselines, on the decisions at or after the "
        "model's split time. Writes DIR/eval.png (PR curve and calibration plot).",
    )
    _ledger_flag(ev)
    ev.add_argument("--model", metavar="DIR", type=Path, required=True, help="the model folder")
    ev.add_argument("--curve", metavar="N,N,..", default="50,100,200,500", help="label counts of the learning curve")
    ev.add_argument("--no-plot", action="store_true", help="do not write eval.png")
    drift = sub.add_parser(
        "drift",
        help="compare recent findings with a model's training data and say when to retrain",
        description="Population stability (PSI) of every feature and of the score, recent findings against "
        "the training distribution stored in the model card.",
    )
    src = drift.add_mutually_exclusive_group()
    src.add_argument("--ledger", metavar="FILE", type=Path, help="decisions after the training data (default ledger)")
    src.add_argument("--report", metavar="FILE", type=Path, help="a `reviewbot scan --format json` report")
    drift.add_argument("--model", metavar="DIR", type=Path, required=True, help="the model folder")
    drift.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON (saved as DIR/drift.json, `reviewbot report` shows it)",
    )


def _ledger_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--ledger", metavar="FILE", type=Path, help="the triage ledger (default: .reviewbot/triage.jsonl in the repo)"
    )


def _ledger(args: argparse.Namespace) -> Path:
    if args.ledger is not None:
        return Path(args.ledger)
    from reviewbot.triage.ledger import default_ledger

    return default_ledger(Path.cwd())


def run_learn(args: argparse.Namespace) -> int:
    if args.command == "train":
        return _train(args)
    if args.command == "eval":
        return _eval(args)
    return _drift(args)


def _time(text: str, flag: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"{flag} {text!r}: not an ISO time (e.g. 2026-01-31T00:00:00Z)") from exc
    if when.utcoffset() is None:
        raise InputError(f"{flag} {text!r}: give a timezone (e.g. Z for UTC)")
    return when


def _train(args: argparse.Namespace) -> int:
    from reviewbot.learn.training import TrainOptions, train

    if not 0.0 < args.test_fraction < 1.0:
        raise InputError(f"--test-fraction {args.test_fraction}: must be between 0 and 1")
    check_output_folder(args.out, "--out")  # before the training, not after it
    opts = TrainOptions(
        target_recall=args.target_recall,
        test_fraction=args.test_fraction,
        split_at=_time(args.split_at, "--split-at") if args.split_at else None,
        use_history=not args.no_history,
        seed=args.seed,
        threads=max(1, args.threads),
        reproduce=" ".join(["reviewbot", *sys.argv[1:]]) if sys.argv[1:2] == ["train"] else "",
    )
    ledger = _ledger(args)
    card = train(ledger, args.out, opts)
    s = card.split
    print(f"trained {args.out} on {ledger}: {card.training_data.rows} rows ({card.training_data.records} records)")
    for why, n in card.training_data.skipped.items():
        print(f"  skipped {n}: {why}")
    print(f"  fit {s.fit.rows} / validation {s.validation.rows} / test {s.test.rows} rows; test from {s.split_at}")
    print(f"  {card.num_trees} trees; threshold {card.threshold:.3f} for recall {card.target_recall:.2f} on validation")
    _print_metrics(card.metrics["test"], card.baselines)
    _print_curve(card.learning_curve)
    for note in card.notes:
        print(f"  note: {note}")
    return EXIT_OK


def _plot(path: Path, ev: Evaluation, title: str) -> None:
    from reviewbot.learn.training import plot

    plot(path, ev, title)
    print(f"  wrote {path}")


def _print_metrics(test: dict[str, float], baselines: dict[str, dict[str, float]]) -> None:
    print(f"  held-out: {int(test['rows'])} rows, {int(test['real'])} real")
    print(f"  {'':<16}{'PR-AUC':>8}{'P@90%R':>8}{'P@95%R':>8}")
    rows = {"model": test, **baselines}
    for name, m in rows.items():
        print(f"  {name:<16}{m['pr_auc']:>8.3f}{m['precision_at_90_recall']:>8.3f}{m['precision_at_95_recall']:>8.3f}")
    print(
        f"  model: ECE {test['ece']:.3f}; at its threshold precision {test['precision_at_threshold']:.3f}, "
        f"recall {test['recall_at_threshold']:.3f}, false positives removed {test['fp_removed_at_threshold']:.1%}"
    )


def _print_curve(curve: list[dict[str, object]]) -> None:
    if not curve:
        return
    print(f"  learning curve (PR-AUC on the held-out rows): {'labels':>6} model keep-all severity rule-prior")
    for point in curve:
        if "skipped" in point:
            print(f"  {'':<46}{point['labels']:>6} skipped: {point['skipped']}")
            continue
        vals = [point[k] for k in ("model", "keep-all", "severity-only", "per-rule prior")]
        cells = " ".join(f"{v['pr_auc']:.3f}" if isinstance(v, dict) else "-" for v in vals)
        print(f"  {'':<46}{point['labels']:>6} {cells}")


def _eval(args: argparse.Namespace) -> int:
    from reviewbot.learn.card import PLOT_FILE
    from reviewbot.learn.plots import PlotsUnavailable
    from reviewbot.learn.training import evaluate

    try:
        curve = tuple(int(x) for x in args.curve.split(",") if x.strip())
    except ValueError as exc:
        raise InputError(f"--curve {args.curve!r}: give label counts like 50,100,200") from exc
    card, ev = evaluate(_ledger(args), args.model, curve=curve)
    print(f"model {args.model} (threshold {card.threshold:.3f}), test from {card.split.split_at}")
    _print_metrics(ev.metrics["test"], ev.baselines)
    _print_curve(card.learning_curve)
    if not args.no_plot:
        try:
            _plot(args.model / PLOT_FILE, ev, f"{args.model.name}: held-out test rows")
        except PlotsUnavailable as exc:
            print(f"reviewbot: no plot written: {escape_control(str(exc))}", file=sys.stderr)
        except OSError as exc:  # a read-only model folder: the evaluation above still stands
            where = escape_control(str(args.model / PLOT_FILE))
            print(f"reviewbot: no plot written: {where}: {exc.strerror or exc}", file=sys.stderr)
    return EXIT_OK


def _drift(args: argparse.Namespace) -> int:
    from reviewbot.learn.drift import drift_report

    report = drift_report(args.model, ledger=None if args.report else _ledger(args), report=args.report)
    if args.json:
        import json

        print(json.dumps(report.as_json(), indent=1))
    else:
        _print_drift(report)
    return EXIT_OK


def _print_drift(report: DriftReport) -> None:
    from reviewbot.learn.drift import LARGE
    from reviewbot.learn.evidence import drift_evidence

    print(f"{report.rows} recent finding(s) against {report.training_rows} training rows")
    if report.enough:  # under the minimum sample the PSI values are noise: not shown as if they meant something
        if report.score_psi is not None:
            print(f"  score PSI {report.score_psi:.3f}")
        for name, value in report.worst[:10]:
            print(f"  {name:<28} PSI {value:.3f}")
    if not report.enough:
        print(drift_evidence(report.rows).shortfall())  # the words the report's tile uses
    reasons = report.reasons()  # under the minimum sample only the count of new decisions can be one
    if reasons:
        print("retraining is due: " + "; ".join(reasons))
    elif report.enough:
        print(f"no retraining needed yet (every PSI under {LARGE})")
