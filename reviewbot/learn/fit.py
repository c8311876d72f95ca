"""Fitting one LightGBM model on time-ordered rows: the only module that imports lightgbm.

Trees are fitted on the `fit` rows with early stopping on the later `validation` rows; the
monotone constraints of `reviewbot.learn.features` are passed on (a larger value of a constrained
feature can never lower the score). Training is deterministic for a given seed and thread count.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reviewbot.learn.dataset import Row, TrainingError
from reviewbot.learn.features import FEATURE_INDEX, HISTORY_FEATURES

# A cost budget, not a tuned value: scoring evaluates every tree in plain Python (no lightgbm
# import in the pre-commit loop), and 200 depth-3 trees keep it well under 1 ms a finding.
MAX_ROUNDS = 200
EARLY_STOPPING = 60


def feature_list(use_history: bool) -> list[str]:
    return [n for n in FEATURE_INDEX if use_history or n not in HISTORY_FEATURES]


def params_for(n_fit: int, names: Sequence[str], seed: int, threads: int) -> dict[str, Any]:
    return {
        "objective": "binary",
        "learning_rate": 0.05,
        "num_leaves": 7,
        "max_depth": 3,
        "min_data_in_leaf": max(3, min(20, n_fit // 30)),
        "min_sum_hessian_in_leaf": 1e-3,
        "lambda_l2": 1.0,
        "max_bin": 63,
        "min_data_in_bin": 1,
        "feature_pre_filter": False,
        "monotone_constraints": [FEATURE_INDEX[n].monotone for n in names],
        "monotone_constraints_method": "intermediate",
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": threads,
        "seed": seed,
        "verbose": -1,
    }


@dataclass(frozen=True)
class Fitted:
    text: str  # model.txt: LightGBM's text format, trees up to the best iteration only
    best_iteration: int
    num_trees: int
    params: dict[str, Any]


def matrix(rows: Sequence[Row], names: Sequence[str]) -> Any:
    import numpy as np

    return np.array([[r.features[n] for n in names] for r in rows], dtype=np.float64)


def fit(
    fit_rows: Sequence[Row], validation: Sequence[Row], names: Sequence[str], *, seed: int = 7, threads: int = 2
) -> Fitted:
    import lightgbm as lgb

    for side, rows in (("fit", fit_rows), ("validation", validation)):
        if len({r.label for r in rows}) < 2:
            raise TrainingError(f"the {side} rows hold only one kind of verdict: a model needs both real and false")
    params = params_for(len(fit_rows), names, seed, threads)
    train_set = lgb.Dataset(matrix(fit_rows, names), [r.label for r in fit_rows], feature_name=list(names))
    valid_set = train_set.create_valid(matrix(validation, names), [r.label for r in validation])
    booster = lgb.train(
        params,
        train_set,
        num_boost_round=MAX_ROUNDS,
        valid_sets=[valid_set],
        callbacks=[lgb.early_stopping(EARLY_STOPPING, verbose=False)],
    )
    best = booster.best_iteration or booster.current_iteration()
    text = booster.model_to_string(num_iteration=best)
    return Fitted(text, best, best, params)


OUT_OF_FOLD = 5


def out_of_fold_scores(
    rows: Sequence[Row], names: Sequence[str], rounds: int, *, seed: int = 7, threads: int = 2
) -> list[float]:
    """Each row's raw score from a model (same parameters, `rounds` trees) fitted on the other
    folds: scores of rows no model saw, for calibration and the threshold. Folds are fixed by
    fingerprint, so the result is deterministic; a fold whose rest holds one kind of verdict
    gets no model and its rows are left out (NaN)."""
    import lightgbm as lgb

    folds = [int(hashlib.sha256(r.fingerprint.encode()).hexdigest()[:8], 16) % OUT_OF_FOLD for r in rows]
    out = [math.nan] * len(rows)
    for k in range(OUT_OF_FOLD):
        train = [r for r, f in zip(rows, folds, strict=True) if f != k]
        held = [i for i, f in enumerate(folds) if f == k]
        if not held or len({r.label for r in train}) < 2:
            continue
        params = params_for(len(train), names, seed, threads)
        data = lgb.Dataset(matrix(train, names), [r.label for r in train], feature_name=list(names))
        booster = lgb.train(params, data, num_boost_round=max(1, rounds))
        scores = booster.predict(matrix([rows[i] for i in held], names), raw_score=True, num_threads=1)
        for i, s in zip(held, scores, strict=True):
            out[i] = float(s)
    return out


def raw_scores(model_text: str, rows: Sequence[Row], names: Sequence[str]) -> list[float]:
    """LightGBM's own raw scores (fast for many rows); the scorer's plain-Python trees give the
    same numbers (tests/test_scoring.py)."""
    import lightgbm as lgb

    if not rows:
        return []
    booster = lgb.Booster(model_str=model_text)
    out = booster.predict(matrix(rows, names), raw_score=True, num_threads=1)
    return [float(x) for x in out]


def finite(values: Sequence[float]) -> bool:
    return all(math.isfinite(v) for v in values)
