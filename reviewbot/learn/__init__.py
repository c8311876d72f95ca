"""Learning from triage: the pieces behind `reviewbot train`, `eval` and `drift`.

    history      earlier decisions per rule and per file, strictly before a time (features)
    words        features in words, for the reasons shown beside a score
    dataset      ledger records -> one leak-free row per fingerprint (latest verdict, history
                 features recomputed from strictly earlier decisions)
    split        time-ordered train / validation / test, no fingerprint on two sides
    calibration  Platt scaling of raw scores, and expected calibration error
    metrics      PR-AUC, precision at a recall, thresholds, baselines
    gbdt         a LightGBM text model evaluated in plain Python (scores and pred_contrib)
    card         the model card (card.json): what a model is, how it was made, how well it does
    drift        population stability of features and scores against the training data
    plots        the PR curve and calibration plot (matplotlib, optional)
    evidence     when a figure rests on enough data to be shown as a finding ("N of M needed")
    features     a finding -> the model's feature vector (docs/features.md)
    scoring      load a model, score findings, explain each score (no lightgbm at review time)
    training     `reviewbot train` / `eval`: the order of the pieces above

`reviewbot.learn.training` orders them; `reviewbot.learn.scoring` uses `gbdt` and `card` at review time and
never imports lightgbm, numpy or matplotlib.
"""
