"""Scoring: the plain-Python trees equal LightGBM, loading refuses what it must, findings are marked."""

from __future__ import annotations

import json
import math
import os
import pickle
import random
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewbot.cli.main import main
from reviewbot.finding import Disposition, Finding
from reviewbot.lang.facts import Provenance, ValueFact
from reviewbot.learn.features import FEATURE_NAMES, FEATURE_SCHEMA_VERSION, attach_features
from reviewbot.learn.gbdt import ModelFormatError, TextModel
from reviewbot.learn.scoring import ModelError, Scorer, default_model_dir, resolve_model
from reviewbot.learn.training import TrainOptions, train
from tests.conftest import Repo
from tests.test_features import context, finding
from tests.test_training import synthetic_records, write_ledger


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("scoring")
    ledger = write_ledger(root / "triage.jsonl", synthetic_records(500, seed=2))
    train(ledger, root / "model", TrainOptions(curve=()), with_plot=False)
    yield root / "model"


def copy(model_dir: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "m"
    shutil.copytree(model_dir, dest)
    return dest


# --- the trees, evaluated without lightgbm -------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"num_leaves": 7},
        {"num_leaves": 15, "max_depth": 4, "monotone_constraints": [1, 0, 0, -1, 0, 0]},
        {"num_leaves": 31, "zero_as_missing": True},
    ],
)
def test_plain_python_trees_equal_lightgbm_predict_and_pred_contrib(params: dict[str, object]) -> None:
    import lightgbm as lgb
    import numpy as np

    rng = np.random.default_rng(1)
    n = 600
    x = rng.integers(0, 4, size=(n, 6)).astype(float)
    x[:, 3] = rng.normal(size=n)
    x[:, 5] = np.where(rng.random(n) < 0.2, np.nan, x[:, 5])
    y = (x[:, 0] + x[:, 3] - 0.5 * x[:, 1] + rng.normal(size=n) > 1.5).astype(int)
    booster = lgb.train(
        {"objective": "binary", "verbose": -1, "min_data_in_leaf": 5, "num_threads": 1, "seed": 3, **params},
        lgb.Dataset(x, y),
        num_boost_round=40,
    )
    model = TextModel.parse(booster.model_to_string())
    test = rng.integers(0, 4, size=(200, 6)).astype(float)
    test[:, 3] = rng.normal(size=200)
    test[:10, 5] = np.nan
    test[10:20, 3] = 0.0
    raw = booster.predict(test, raw_score=True)
    contrib = booster.predict(test, pred_contrib=True)
    for row, r, c in zip(test, raw, contrib, strict=True):
        got_raw, got_phi = model.predict(list(row))
        assert got_raw == pytest.approx(r, abs=1e-12)
        assert got_phi == pytest.approx(list(c), abs=1e-12)
        assert model.raw(list(row)) == pytest.approx(r, abs=1e-12)


def test_trained_model_text_equals_lightgbm_on_ledger_rows(model_dir: Path) -> None:
    import lightgbm as lgb
    import numpy as np

    text = (model_dir / "model.txt").read_text()
    booster = lgb.Booster(model_str=text)
    model = TextModel.parse(text)
    rows = [r.features or {} for r in synthetic_records(100, seed=8)]
    x = np.array([[v[n] for n in model.feature_names] for v in rows])
    for v, r, c in zip(x, booster.predict(x, raw_score=True), booster.predict(x, pred_contrib=True), strict=True):
        got_raw, got_phi = model.predict(list(v))
        assert got_raw == pytest.approx(r, abs=1e-12) and got_phi == pytest.approx(list(c), abs=1e-12)


def test_unsupported_models_are_refused() -> None:
    with pytest.raises(ModelFormatError, match="LightGBM text"):
        TextModel.parse("not a model")
    with pytest.raises(ModelFormatError, match="objective"):
        TextModel.parse("tree\nversion=v4\nobjective=regression\nfeature_names=a\n\nTree=0\nend of trees\n")


# --- loading -------------------------------------------------------------------------------------


def test_load_checks_the_sha256_of_model_txt(model_dir: Path, tmp_path: Path) -> None:
    m = copy(model_dir, tmp_path)
    text = (m / "model.txt").read_text()
    (m / "model.txt").write_text(text.replace("shrinkage=0.05", "shrinkage=0.5", 1))
    with pytest.raises(ModelError, match="sha256"):
        Scorer.load(m)


def test_only_model_txt_and_card_json_are_read(model_dir: Path, tmp_path: Path) -> None:
    # Anything else in the folder is never opened, so it can neither harm nor block the load: a
    # pickle would only be dangerous if loaded, and a FIFO would hang a reader.
    m = copy(model_dir, tmp_path)
    (m / "model.pkl").write_bytes(pickle.dumps({"x": 1}))
    os.mkfifo(m / "pipe")
    scorer = Scorer.load(m)
    assert scorer.card.model_sha256


def test_a_model_txt_that_is_not_lightgbm_text_is_refused_even_with_a_matching_card(
    model_dir: Path, tmp_path: Path
) -> None:
    import hashlib

    m = copy(model_dir, tmp_path)
    payload = pickle.dumps(["tree"])
    (m / "model.txt").write_bytes(payload)
    card = json.loads((m / "card.json").read_text())
    card["model_sha256"] = hashlib.sha256(payload).hexdigest()
    (m / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="looks like a pickle; reviewbot never loads pickles"):
        Scorer.load(m)


def test_feature_schema_and_card_schema_are_checked(model_dir: Path, tmp_path: Path) -> None:
    m = copy(model_dir, tmp_path)
    card = json.loads((m / "card.json").read_text())
    (m / "card.json").write_text(json.dumps({**card, "feature_schema": "0"}))
    with pytest.raises(ModelError, match="feature schema"):
        Scorer.load(m)
    (m / "card.json").write_text(json.dumps({**card, "card_schema": 2}))
    with pytest.raises(ModelError, match="not a model card"):
        Scorer.load(m)
    (m / "card.json").write_text(json.dumps({**card, "features": ["severity", "made_up"]}))
    with pytest.raises(ModelError, match="unknown feature"):
        Scorer.load(m)
    with pytest.raises(ModelError, match="no such model folder"):
        Scorer.load(tmp_path / "nowhere")


# --- scoring findings ----------------------------------------------------------------------------


def test_score_sets_probability_words_and_marks_below_threshold(model_dir: Path) -> None:
    scorer = Scorer.load(model_dir, threshold=0.5)
    request = ValueFact(provenance=Provenance.REQUEST, sources=("request.args",))
    risky = finding(fingerprint="1" * 32, context=context(value=request, sanitizers=()))
    constant = finding(
        fingerprint="2" * 32,
        context=context(value=ValueFact(provenance=Provenance.CONSTANT), sanitizers=()),
    )
    duplicate = constant.model_copy(update={"fingerprint": "3" * 32}).with_disposition(Disposition.DUPLICATE, "x")
    scored = scorer.score(attach_features([risky, constant, duplicate]))
    a, b, c = scored
    assert a.score is not None and b.score is not None and a.score > b.score
    assert a.disposition is Disposition.REPORTED
    assert b.disposition is Disposition.BELOW_THRESHOLD
    assert f"score {b.score:.2f}" in b.disposition_reason and "threshold 0.50" in b.disposition_reason
    assert c.disposition is Disposition.DUPLICATE and c.score == b.score  # scored, never re-marked
    assert 1 <= len(a.contributions) <= 3
    words = [w for w, _ in a.contributions + b.contributions]
    assert any("argument" in w or "category" in w for w in words), words
    assert all(not w.startswith(("value_", "category.")) for w in words)  # words, not feature names


def test_contributions_add_up_to_the_calibrated_log_odds(model_dir: Path) -> None:
    scorer = Scorer.load(model_dir)
    rng = random.Random(4)
    for r in rng.sample(synthetic_records(200, seed=3), 20):
        assert r.features is not None
        p, parts = scorer.explain(r.features)
        x = [r.features.get(n, 0.0) for n in scorer.model.feature_names]
        _, phi = scorer.model.predict(x)
        base = -scorer.calibration.a * phi[-1] - scorer.calibration.b
        assert base + sum(v for _, v in parts) == pytest.approx(math.log(p / (1 - p)), abs=1e-9)


def test_findings_without_features_get_them(model_dir: Path) -> None:
    [f] = Scorer.load(model_dir).score([finding()])
    assert f.features is not None and set(f.features) == set(FEATURE_NAMES) and f.score is not None


def test_scoring_is_fast_without_lightgbm(model_dir: Path) -> None:
    scorer = Scorer.load(model_dir)
    findings = attach_features([finding(fingerprint=f"{i:032x}", hunk_added_lines=i) for i in range(300)])
    started = time.perf_counter()
    scorer.score(findings)
    per_finding = (time.perf_counter() - started) / 300
    assert per_finding < 0.005  # measured ~0.1 ms; generous for shared CI machines


# --- which model -------------------------------------------------------------------------------


def test_the_default_model_ships_and_loads() -> None:
    default = default_model_dir()
    assert default is not None and (default / "card.json").is_file()
    scorer = Scorer.load(default)
    assert scorer.card.training_data.rows > 0 and scorer.card.metrics["test"]["rows"] > 0
    assert not any(n.startswith(("rule_", "path_decisions", "path_real")) for n in scorer.card.features)
    [f] = scorer.score([finding()])
    assert f.score is not None


def test_resolve_model_prefers_flag_then_repository_then_default(model_dir: Path, tmp_path: Path) -> None:
    assert resolve_model(model_dir, tmp_path) == model_dir
    assert resolve_model(None, tmp_path) == default_model_dir()
    local = tmp_path / ".reviewbot" / "model"
    shutil.copytree(model_dir, local)
    assert resolve_model(None, tmp_path) == local


# --- scan --------------------------------------------------------------------------------------

APP = """\
import subprocess
from flask import request


def handler():
    subprocess.call("ls " + request.args.get("d"), shell=True)
"""


def test_scan_scores_with_a_model_and_not_with_no_model(
    model_dir: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("app.py", APP)
    rules = Path(__file__).parent / "data" / "rules"
    common = ["scan", "--all", "--repo", str(repo.root), "--rules", str(rules), "--format", "json"]
    assert main([*common, "--model", str(model_dir)]) == 0
    [scored] = json.loads(capsys.readouterr().out)["findings"]
    assert (
        scored["score"] is not None and scored["contributions"] and scored["feature_schema"] == FEATURE_SCHEMA_VERSION
    )
    assert main([*common, "--no-model"]) == 0
    [plain] = json.loads(capsys.readouterr().out)["findings"]
    assert plain["score"] is None and plain["disposition"] == "reported" and plain["features"] is not None
    broken = copy(model_dir, repo.root.parent)
    (broken / "model.txt").write_text((broken / "model.txt").read_text() + "\n")
    assert main([*common, "--model", str(broken)]) == 2
    assert "sha256" in capsys.readouterr().err


def test_an_unscored_finding_says_why_in_every_format(
    model_dir: Path, repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reviewbot.reporters.markdown import escape, finding_list_item, score_reasons
    from reviewbot.review.run import NO_MODEL

    repo.write("app.py", APP)
    rules = Path(__file__).parent / "data" / "rules"
    uncovered = copy(model_dir, tmp_path)
    card = json.loads((uncovered / "card.json").read_text())
    (uncovered / "card.json").write_text(json.dumps({**card, "coverage": {}, "name": "team"}))  # no category trained
    common = ["scan", "--all", "--repo", str(repo.root), "--rules", str(rules), "--model", str(uncovered)]
    assert main([*common, "--format", "json"]) == 0
    [doc] = json.loads(capsys.readouterr().out)["findings"]
    why = f"not scored: model team has no training rows for findings of category {doc['category']!r}"
    assert doc["score"] is None and doc["unscored_reason"] == why
    assert main([*common, "--format", "sarif"]) == 0
    [result] = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert result["properties"]["unscoredReason"] == why and "score" not in result["properties"]
    assert main([*common, "--format", "text"]) == 0
    assert f"    {why}\n" in capsys.readouterr().out
    f = Finding.model_validate(doc)
    assert score_reasons(f) == escape(why)  # the PR's inline comment
    assert f"({escape(why)})" in finding_list_item(f)  # the PR summary's list
    assert (
        main(["scan", "--all", "--repo", str(repo.root), "--rules", str(rules), "--no-model", "--format", "json"]) == 0
    )
    [plain] = json.loads(capsys.readouterr().out)["findings"]
    assert plain["score"] is None and plain["unscored_reason"] == NO_MODEL
    scored = ["scan", "--all", "--repo", str(repo.root), "--rules", str(rules), "--model", str(model_dir)]
    assert main([*scored, "--format", "json"]) == 0
    [ok] = json.loads(capsys.readouterr().out)["findings"]
    assert ok["score"] is not None and ok["unscored_reason"] == ""


def test_a_model_trained_before_javascript_ignores_the_new_language_features() -> None:
    from tests.test_features import _js_finding

    default = default_model_dir()
    assert default is not None
    scorer = Scorer.load(default)  # no training row of it has language.javascript set
    assert {"language.javascript", "language.typescript"} <= set(FEATURE_NAMES)
    [js] = attach_features([_js_finding("api/app.js")])
    assert js.features is not None and js.features["language.javascript"] == 1.0
    # a feature the model does not list cannot move its score
    flipped = {**js.features, "language.javascript": 0.0}
    assert scorer.explain(flipped)[0] == scorer.explain(js.features)[0]


def test_a_language_the_model_never_saw_is_not_scored_but_shown() -> None:
    """The default model has Python rows only: a JavaScript (or workflow) finding keeps its rule's
    say, reported with the reason, instead of a score learnt on Python's context facts (#15)."""
    scorer = Scorer.load(default_model_dir() or Path("models/default"))
    python = finding(path="app/views.py")
    js = finding(path="web/app.js", context=context(language="javascript"))
    tsx = finding(path="web/App.tsx", context=context(language="tsx"))
    scored_py, scored_js, scored_tsx = scorer.score([python, js, tsx])
    assert scored_py.score is not None and not scored_py.unscored_reason
    for f, name in ((scored_js, "javascript"), (scored_tsx, "typescript")):
        assert f.score is None and f.disposition is Disposition.REPORTED
        assert f.unscored_reason == f"not scored: model {scorer.name} has no training rows for {name} findings"
