"""Training on the triage ledger: leak-free rows and split, real LightGBM, calibration, card, CLI.

Every model here is a real LightGBM model trained on a small synthetic ledger (seeded, 2 threads)
whose truth depends on the code facts the way a team's would: request data without a guard is
real, constants and guarded values mostly are not.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reviewbot.cli.main import main
from reviewbot.learn import metrics
from reviewbot.learn.calibration import Platt, expected_calibration_error, fit_platt
from reviewbot.learn.card import read_card
from reviewbot.learn.dataset import Row, TrainingError, build_dataset
from reviewbot.learn.drift import drift_report, psi, summarize
from reviewbot.learn.features import FEATURE_NAMES, FEATURE_SCHEMA_VERSION
from reviewbot.learn.scoring import Scorer
from reviewbot.learn.split import Split, check_disjoint, time_split
from reviewbot.learn.training import TrainOptions, train
from reviewbot.triage.ledger import Source, TriageRecord, Verdict, format_record

T0 = datetime(2026, 1, 1, tzinfo=UTC)
RULES = {
    "cmdi": ("python.cmdi.shell-command-injection", 3.0),
    "xss": ("python.xss.tainted-html-response", 2.0),
    "weakrand": ("python.weakrand.insecure-random-module", 1.0),
}


def vector(category: str, provenance: float, guard: bool, rng: random.Random) -> dict[str, float]:
    v = dict.fromkeys(FEATURE_NAMES, 0.0)
    v.update(
        {
            "severity": RULES[category][1],
            "confidence": 2.0,
            f"category.{category}": 1.0,
            "language.python": 1.0,
            "has_context": 1.0,
            "value_provenance": provenance,
            "sink_max_provenance": provenance,
            "guard.quote": float(guard),
            "sanitizers": float(guard),
            "reachable": 1.0,
            "request_handler": 1.0,
            "match_added": 1.0,
            "hunk_added_lines": float(rng.randint(1, 30)),
            "rule_real_rate": 0.5,
            "path_real_rate": 0.5,
        }
    )
    return v


def synthetic_records(n: int = 600, seed: int = 1) -> list[TriageRecord]:
    rng = random.Random(seed)
    records = []
    for i in range(n):
        category = rng.choice(list(RULES))
        provenance = rng.choice([1.0, 2.0, 3.0, 3.0])
        guard = rng.random() < 0.3
        if category == "weakrand":
            p_real = 0.95
        elif provenance < 2.0:
            p_real = 0.1
        else:
            p_real = 0.25 if guard else (0.9 if provenance == 3.0 else 0.6)
        real = rng.random() < p_real
        fp = f"{seed:04x}{i:028x}"
        when = T0 + timedelta(hours=i)
        records.append(
            TriageRecord(
                fingerprint=fp,
                rule_id=RULES[category][0],
                verdict=Verdict.TRUE_POSITIVE if real else Verdict.FALSE_POSITIVE,
                reason="synthetic",
                who="test",
                when=when,
                source=Source.CLI,
                path=f"app/m{i % 17}.py",
                features=vector(category, provenance, guard, rng),
                feature_schema=FEATURE_SCHEMA_VERSION,
            )
        )
    return records


def write_ledger(path: Path, records: list[TriageRecord]) -> Path:
    path.write_text("".join(format_record(r) + "\n" for r in records))
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("trained")
    ledger = write_ledger(root / "triage.jsonl", synthetic_records())
    out = root / "model"
    train(ledger, out, TrainOptions(curve=(50, 100, 200)), with_plot=False)
    yield ledger, out


# --- rows and split ------------------------------------------------------------------------------


def test_one_row_per_fingerprint_with_its_latest_verdict() -> None:
    records = synthetic_records(40)
    first = records[0]
    flipped = first.model_copy(
        update={
            "verdict": Verdict.TRUE_POSITIVE if first.verdict is Verdict.FALSE_POSITIVE else Verdict.FALSE_POSITIVE,
            "when": T0 + timedelta(days=30),
            "features": None,  # the vector of the earlier record is used
        }
    )
    rows = build_dataset([*records, flipped]).rows
    assert len(rows) == 40
    [row] = [r for r in rows if r.fingerprint == first.fingerprint]
    assert row.label == int(flipped.verdict.is_real) and row.when == flipped.when
    assert rows[-1].fingerprint == first.fingerprint  # ordered by the deciding time


def test_rows_without_usable_features_are_skipped_and_counted() -> None:
    records = synthetic_records(20)
    records[0] = records[0].model_copy(update={"features": None, "feature_schema": None})
    records[1] = records[1].model_copy(update={"feature_schema": "0"})
    data = build_dataset(records)
    assert len(data.rows) == 18
    assert sum(data.skipped.values()) == 2


def test_a_stored_vector_trains_without_the_path_role_of_a_critical_finding() -> None:
    """A ledger row written before the rule (or by hand) may say `path.test` for a critical
    finding; training reads it as review time would now compute it (issue #13)."""
    records = synthetic_records(20)
    marked = []
    for r in records[:2]:
        assert r.features is not None
        severity = 3.0 if r is records[0] else 2.0  # critical, then high
        marked.append(r.model_copy(update={"features": {**r.features, "severity": severity, "path.test": 1.0}}))
    rows = {row.fingerprint: row for row in build_dataset([*marked, *records[2:]]).rows}
    assert rows[records[0].fingerprint].features["path.test"] == 0.0
    assert rows[records[1].fingerprint].features["path.test"] == 1.0


def test_a_vector_stored_before_the_javascript_features_trains_with_them_at_zero() -> None:
    records = synthetic_records(20)
    added = ("language.javascript", "language.typescript")
    older = []
    for r in records[:3]:
        assert r.features is not None
        older.append(r.model_copy(update={"features": {k: v for k, v in r.features.items() if k not in added}}))
    data = build_dataset([*older, *records[3:]])
    assert len(data.rows) == 20 and not data.skipped
    for r in older:
        [row] = [x for x in data.rows if x.fingerprint == r.fingerprint]
        assert row.features["language.javascript"] == 0.0 and row.features["language.typescript"] == 0.0
    # lacking any other feature is still an incomplete vector
    assert records[3].features is not None
    broken = records[3].model_copy(
        update={"features": {k: v for k, v in records[3].features.items() if k != "severity"}}
    )
    data = build_dataset([*records[:3], broken, *records[4:]])
    assert len(data.rows) == 19 and data.skipped == {"incomplete feature vector": 1}


def test_a_verdict_with_an_old_schema_vector_trains_on_a_current_vector_of_its_fingerprint() -> None:
    records = synthetic_records(20)
    old = records[0].model_copy(update={"feature_schema": "0", "when": T0 + timedelta(days=30)})
    data = build_dataset([*records, old])  # the verdict is the old-schema record; records[0] has a vector
    assert len(data.rows) == 20 and not data.skipped
    [row] = [r for r in data.rows if r.fingerprint == old.fingerprint]
    assert row.when == old.when


def test_history_features_exclude_the_rows_own_and_later_decisions() -> None:
    records = synthetic_records(120)
    rows = build_dataset(records).rows
    for row in rows[::7]:
        earlier = [r for r in records if r.when < row.when and r.rule_id == row.rule_id]
        assert row.features["rule_decisions"] == len(earlier)
        real = sum(r.verdict.is_real for r in earlier)
        assert math.isclose(row.features["rule_real_rate"], (real + 1) / (len(earlier) + 2))
    # the stored vectors said 0.5 everywhere: history is recomputed from the ledger, never trusted
    assert any(r.features["rule_real_rate"] != 0.5 for r in rows)


def test_time_split_is_ordered_and_fingerprint_disjoint() -> None:
    rows = build_dataset(synthetic_records(200)).rows
    split = time_split(rows, test_fraction=0.25, validation_fraction=0.2)
    assert max(r.when for r in split.fit) < min(r.when for r in split.validation)
    assert max(r.when for r in split.validation) < min(r.when for r in split.test) == split.split_at
    fps = [{r.fingerprint for r in side} for side in (split.fit, split.validation, split.test)]
    assert not (fps[0] & fps[1] or fps[0] & fps[2] or fps[1] & fps[2])
    assert len(split.test) == 50


def test_equal_times_never_straddle_the_split() -> None:
    rows = build_dataset(synthetic_records(100)).rows
    same = [
        Row(r.fingerprint, r.rule_id, T0 + timedelta(hours=i // 10), r.label, r.features) for i, r in enumerate(rows)
    ]
    split = time_split(same, test_fraction=0.25)
    assert {r.when for r in split.train}.isdisjoint({r.when for r in split.test})


def test_a_fingerprint_on_two_sides_is_refused() -> None:
    rows = build_dataset(synthetic_records(60)).rows
    bad = Split(rows[:30], rows[30:45], [*rows[45:], rows[0]], rows[45].when, rows[30].when)
    with pytest.raises(TrainingError, match="both the fit and test side"):
        check_disjoint(bad)


def test_too_few_rows_is_an_error() -> None:
    with pytest.raises(TrainingError, match="too few rows"):
        time_split(build_dataset(synthetic_records(15)).rows)


# --- calibration and metrics ---------------------------------------------------------------------


def test_platt_recovers_a_known_sigmoid_and_lowers_ece() -> None:
    rng = random.Random(5)
    raw = [rng.uniform(-4, 4) for _ in range(4000)]
    truth = Platt(-1.5, 0.4)
    labels = [int(rng.random() < truth(s)) for s in raw]
    fitted = fit_platt(raw, labels)
    assert abs(fitted.a - truth.a) < 0.15 and abs(fitted.b - truth.b) < 0.15
    naive = [1 / (1 + math.exp(-s)) for s in raw]
    assert expected_calibration_error([fitted(s) for s in raw], labels) < expected_calibration_error(naive, labels)


def test_ranking_metrics_on_a_small_example() -> None:
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    labels = [1, 0, 1, 1, 0, 0]
    assert math.isclose(metrics.average_precision(scores, labels), (1 / 3) * 1 + (1 / 3) * (2 / 3) + (1 / 3) * 0.75)
    assert metrics.precision_at_recall(scores, labels, 0.9) == 0.75
    t = metrics.threshold_for_recall(scores, labels, 0.6)
    assert 0.6 < t < 0.7  # keeps 0.9, 0.8, 0.7: recall 2/3
    at = metrics.at_threshold(scores, labels, t)
    assert math.isclose(at["recall"], 2 / 3) and math.isclose(at["fp_removed"], 2 / 3)
    assert metrics.average_precision([1.0] * 6, labels) == 0.5  # keep-all: the prevalence


def test_the_threshold_never_hides_most_of_one_rule_to_meet_a_pooled_recall() -> None:
    # 40 real findings of a big rule score high; the 5 real ones of a small rule all score 0.3
    scores = [0.9] * 40 + [0.3] * 5 + [0.1] * 20
    labels = [1] * 45 + [0] * 20
    rules = ["big"] * 40 + ["small"] * 5 + ["big"] * 20
    pooled = metrics.threshold_for_recall(scores, labels, 0.85)
    assert pooled > 0.3  # 40/45 = 89 % kept: the whole small rule goes under
    guarded = metrics.threshold_for_recall_in_every_group(scores, labels, rules, 0.85)
    assert 0.1 < guarded <= 0.3  # the small rule keeps its findings, the false ones still go
    # a rule with fewer real rows than GROUP_MIN_REAL does not move the threshold
    few = ["big"] * 40 + ["small"] * 4 + ["big"] * 21
    assert metrics.threshold_for_recall_in_every_group(scores, labels, few, 0.85) == pooled


def test_out_of_fold_scores_come_from_models_that_never_saw_the_row() -> None:
    from reviewbot.learn import fit

    rows = build_dataset(synthetic_records(120)).rows
    names = fit.feature_list(use_history=False)
    first = fit.out_of_fold_scores(rows, names, 30, threads=1)
    assert first == fit.out_of_fold_scores(rows, names, 30, threads=1)  # deterministic
    assert all(math.isfinite(s) for s in first)
    # a row's score does not change when the row's own label flips: its model never saw it
    flipped = [*rows]
    flipped[0] = Row(rows[0].fingerprint, rows[0].rule_id, rows[0].when, 1 - rows[0].label, rows[0].features)
    assert fit.out_of_fold_scores(flipped, names, 30, threads=1)[0] == first[0]


# --- a trained model -----------------------------------------------------------------------------


def test_train_writes_text_model_and_a_complete_card(trained: tuple[Path, Path]) -> None:
    _, out = trained
    assert sorted(p.name for p in out.iterdir()) == ["card.json", "model.txt"]
    assert (out / "model.txt").read_text().startswith("tree\nversion=v4\n")
    card = read_card(out / "card.json")
    assert card.feature_schema == FEATURE_SCHEMA_VERSION and card.features[0] == "severity"
    assert card.training_data.rows == 600 and len(card.training_data.sha256) == 64
    assert card.split.fit.rows + card.split.validation.rows + card.split.test.rows == 600
    assert card.split.test.rows == 150 and card.split.split_at == card.split.test.first
    for name in ("pr_auc", "precision_at_90_recall", "precision_at_95_recall", "ece"):
        assert 0.0 <= card.metrics["test"][name] <= 1.0
    assert set(card.baselines) == {"keep-all", "severity-only", "per-rule prior"}
    assert [p["labels"] for p in card.learning_curve] == [50, 100, 200, 450]
    assert card.libraries["lightgbm"] == "4.7.0"
    assert card.monotone["value_provenance"] == 1
    assert "value_provenance" in card.training_distribution and "__score__" in card.training_distribution


def test_model_beats_the_baselines_on_held_out_rows(trained: tuple[Path, Path]) -> None:
    card = read_card(trained[1] / "card.json")
    model = card.metrics["test"]["pr_auc"]
    for name, baseline in card.baselines.items():
        assert model > baseline["pr_auc"], name


def test_calibration_numbers_round_trip_through_json(trained: tuple[Path, Path]) -> None:
    text = (trained[1] / "card.json").read_text()
    card = json.loads(text)
    platt = Platt.from_json(card["calibration"])
    again = Platt.from_json(json.loads(json.dumps(platt.to_json())))
    assert again == platt and platt.a == card["calibration"]["a"]
    assert platt.a < 0  # a higher raw score is a higher probability
    scorer = Scorer.load(trained[1])
    assert scorer.calibration == platt and scorer.threshold == card["threshold"]


def test_threshold_reaches_the_target_recall_out_of_fold_in_every_rule(trained: tuple[Path, Path]) -> None:
    from reviewbot.learn import fit

    _, out = trained
    card = read_card(out / "card.json")
    rows = build_dataset([r for r in synthetic_records()]).rows
    train = time_split(rows, test_fraction=0.25, validation_fraction=0.2).train
    platt = Platt.from_json(card.calibration)
    scores = [platt(s) for s in fit.out_of_fold_scores(train, card.features, card.best_iteration)]
    assert "out-of-fold" in card.calibration["fitted_on"]
    for rule in {None, *(r.rule_id for r in train)}:
        real = [s for s, r in zip(scores, train, strict=True) if r.label and rule in (None, r.rule_id)]
        if rule is None or len(real) >= metrics.GROUP_MIN_REAL:
            assert sum(s >= card.threshold for s in real) / len(real) >= card.target_recall, rule


def test_monotone_features_never_lower_the_score_of_a_trained_model(trained: tuple[Path, Path]) -> None:
    scorer = Scorer.load(trained[1])
    rng = random.Random(9)
    checked = 0
    for _ in range(150):
        v = vector(rng.choice(list(RULES)), rng.choice([0.0, 1.0, 2.0, 3.0]), rng.random() < 0.5, rng)
        for name, low, high in (
            ("value_provenance", v["value_provenance"], 3.0),
            ("sink_max_provenance", v["sink_max_provenance"], 3.0),
            ("path_new", 0.0, 1.0),
            ("severity", 0.0, 3.0),
            ("confidence", 0.0, 2.0),
            ("reachable", 0.0, 1.0),
            ("match_added", 0.0, 1.0),
            ("hunk_added_lines", 1.0, 500.0),
        ):
            before = scorer.explain({**v, name: low})[0]
            after = scorer.explain({**v, name: high})[0]
            assert after >= before - 1e-12, (name, low, high)
            checked += 1
    assert checked == 150 * 8


def test_training_is_deterministic(trained: tuple[Path, Path], tmp_path: Path) -> None:
    ledger, out = trained
    again = tmp_path / "again"
    train(ledger, again, TrainOptions(curve=()), with_plot=False)
    assert (again / "model.txt").read_bytes() == (out / "model.txt").read_bytes()


def test_one_kind_of_verdict_cannot_train(tmp_path: Path) -> None:
    records = [r.model_copy(update={"verdict": Verdict.TRUE_POSITIVE}) for r in synthetic_records(100)]
    with pytest.raises(TrainingError, match="only one kind of verdict"):
        train(write_ledger(tmp_path / "l.jsonl", records), tmp_path / "m", TrainOptions(curve=()), with_plot=False)


# --- drift ---------------------------------------------------------------------------------------


def test_psi_is_small_for_the_same_distribution_and_large_for_a_shift() -> None:
    rng = random.Random(2)
    train_values = [float(rng.randint(0, 4)) for _ in range(2000)]
    dist = summarize(train_values)
    assert psi(dist, [float(rng.randint(0, 4)) for _ in range(2000)]) < 0.02
    assert psi(dist, [4.0] * 500) > 1.0
    assert psi(dist, [7.0] * 100) > 1.0  # a value never seen in training
    cont = summarize([rng.gauss(0, 1) for _ in range(2000)])
    assert cont.edges is not None and psi(cont, [rng.gauss(2, 1) for _ in range(500)]) > 0.25


def test_drift_report_from_the_ledger(trained: tuple[Path, Path], tmp_path: Path) -> None:
    ledger, out = trained
    report = drift_report(out, ledger=ledger, report=None)
    assert report.rows == 150 and report.new_labels == 150  # the held-out rows came after training
    assert report.score_psi is not None and math.isfinite(report.score_psi)
    assert report.feature_psi["value_provenance"] < 0.1  # same generator before and after
    assert "rule_decisions" not in report.feature_psi  # counts grow by construction: not drift
    assert any("decisions since the training data ended" in r for r in report.reasons())
    records = synthetic_records()
    shifted = [
        r.model_copy(update={"features": {**(r.features or {}), "value_provenance": 0.0}}) if i >= 450 else r
        for i, r in enumerate(records)
    ]
    moved = drift_report(out, ledger=write_ledger(tmp_path / "shifted.jsonl", shifted), report=None)
    assert moved.feature_psi["value_provenance"] > 0.25
    assert any("moved a lot" in r for r in moved.reasons())


# --- command line --------------------------------------------------------------------------------


def test_cli_train_eval_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = write_ledger(tmp_path / "triage.jsonl", synthetic_records(300, seed=4))
    out = tmp_path / "models" / "team"
    assert main(["train", "--ledger", str(ledger), "--out", str(out), "--target-recall", "0.9"]) == 0
    text = capsys.readouterr().out
    assert "per-rule prior" in text and "threshold" in text and (out / "eval.png").is_file()
    (out / "eval.png").unlink()
    assert main(["eval", "--ledger", str(ledger), "--model", str(out), "--curve", "50,100"]) == 0
    text = capsys.readouterr().out
    assert "P@95%R" in text and "learning curve" in text and (out / "eval.png").is_file()
    assert main(["drift", "--ledger", str(ledger), "--model", str(out)]) == 0
    assert capsys.readouterr().out == (  # 75 held-out decisions: too few for a PSI verdict, enough to retrain on
        "75 recent finding(s) against 225 training rows\n"
        "not enough recent findings to judge (75 of 100 needed)\n"
        "retraining is due: 75 decisions since the training data ended (>= 20% of 225)\n"
    )
    assert main(["train", "--ledger", str(tmp_path / "missing.jsonl"), "--out", str(out)]) == 2
    assert "no such ledger" in capsys.readouterr().err


def test_without_matplotlib_eval_says_how_to_get_the_plot(
    trained: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    ledger, out = trained
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    assert main(["eval", "--ledger", str(ledger), "--model", str(out), "--curve", "50"]) == 0
    captured = capsys.readouterr()
    assert "PR-AUC" in captured.out and "pip install 'reviewbot[plots]'" in captured.err
    assert not (out / "eval.png").exists()
