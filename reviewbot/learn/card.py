"""The model card (`card.json`): what a model is, how it was made, and how well it does.

Plain JSON validated by a pydantic model, never pickle. `reviewbot.learn.scoring` reads the parts it
needs to score (features, schema, calibration, threshold, model sha256); the rest is for people:
the data and its hash, the split, held-out metrics against baselines, the learning curve, the
training distribution that `reviewbot drift` compares against, library versions, and the command
that reproduces the model. docs/model-card.md explains how to read one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reviewbot._io import write_atomic

CARD_SCHEMA_VERSION = 1
CARD_FILE, MODEL_FILE, PLOT_FILE = "card.json", "model.txt", "eval.png"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SideSummary(_Model):
    rows: int
    real: int
    first: str | None = None  # ISO time of the earliest / latest decision on this side
    last: str | None = None


class SplitInfo(_Model):
    method: str
    split_at: str
    validation_from: str
    fit: SideSummary
    validation: SideSummary
    test: SideSummary
    fingerprints_on_two_sides: int = 0


class TrainingData(_Model):
    ledger: str
    sha256: str
    records: int
    rows: int
    skipped: dict[str, int] = Field(default_factory=dict)
    unreadable_lines: int = 0
    last_decision: str | None = None


class Distribution(_Model):
    """A feature's (or the score's) training distribution: bins and the share of rows in each.

    `values`: the bins are these exact values (few distinct values); otherwise `edges`: bin i is
    edges[i-1] < x <= edges[i], with open ends."""

    values: list[float] | None = None
    edges: list[float] | None = None
    shares: list[float]


class ModelCard(_Model):
    card_schema: Literal[1] = 1
    name: str
    created: str
    reviewbot_version: str
    feature_schema: str
    features: list[str]
    monotone: dict[str, int]
    objective: str = "binary: probability that a human acts on the finding (verdict is_real)"
    training_data: TrainingData
    split: SplitInfo
    params: dict[str, Any]
    best_iteration: int
    num_trees: int
    calibration: dict[str, Any]
    target_recall: float
    threshold: float
    metrics: dict[str, dict[str, float]]
    baselines: dict[str, dict[str, float]]
    learning_curve: list[dict[str, Any]] = Field(default_factory=list)
    training_distribution: dict[str, Distribution] = Field(default_factory=dict)
    # Training rows per rule category: the scorer leaves findings of a category with fewer than
    # MIN_COVERAGE rows unscored (the model has no evidence about them).
    coverage: dict[str, int]
    libraries: dict[str, str]
    model_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    reproduce: str = ""
    notes: list[str] = Field(default_factory=list)


def read_card(path: Path) -> ModelCard:
    return ModelCard.model_validate_json(path.read_bytes())


def write_card(path: Path, card: ModelCard) -> None:
    text = json.dumps(card.model_dump(mode="json"), indent=1, sort_keys=False, allow_nan=False) + "\n"
    write_atomic(path, text.encode("utf-8"))
