"""Scoring: a trained model's calibrated probability and its reasons, for every finding.

    scorer = Scorer.load(model_dir)      # once: checks, then parses model.txt
    findings = scorer.score(findings)    # score, top contributions; BELOW_THRESHOLD under threshold

`load` refuses anything but the card and a LightGBM text model: a pickled file or a
.pkl/.pickle/.joblib file anywhere in the folder, a model.txt that is not LightGBM text, a
model.txt whose sha256 differs from the card's, a card of another schema, or a model built for
another feature schema. The trees are evaluated in plain Python (`reviewbot.learn.gbdt`), so
scoring never imports lightgbm, numpy or scipy (~0.25 s) and costs microseconds per finding.

A score is marked, never dropped: a REPORTED finding under the threshold becomes
BELOW_THRESHOLD with a reason naming its score and the threshold; other dispositions are kept.
A finding whose category the model saw fewer than MIN_COVERAGE times in training (the card's
`coverage`) is left unscored and reported: the model has no evidence to demote it on.
Contributions are LightGBM `pred_contrib` values times the calibration slope, i.e. each feature's
share of the calibrated log-odds, described in words by `features.describe`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from reviewbot.errors import ConfigError
from reviewbot.features import (
    FEATURE_INDEX,
    FEATURE_SCHEMA_VERSION,
    attach_features,
    describe,
    family,
    features_of,
)
from reviewbot.finding import Disposition, Finding
from reviewbot.learn.calibration import Platt
from reviewbot.learn.card import CARD_FILE, MODEL_FILE, ModelCard
from reviewbot.learn.gbdt import ModelFormatError, TextModel

TOP_CONTRIBUTIONS = 3
MIN_COVERAGE = 5  # training rows of a category before its findings are scored
PICKLE_SUFFIXES = frozenset({".pkl", ".pickle", ".joblib", ".pck", ".pt", ".pth", ".sav"})
_MAX_FILES = 200


class ModelError(ConfigError):
    """A model folder reviewbot will not load; the message says which file and why."""


@dataclass(frozen=True)
class Scorer:
    directory: Path
    card: ModelCard
    model: TextModel
    calibration: Platt
    threshold: float

    @classmethod
    def load(cls, model_dir: Path, *, threshold: float | None = None) -> Scorer:
        model_path, card_path = model_dir / MODEL_FILE, model_dir / CARD_FILE
        if not model_dir.is_dir():
            raise ModelError(f"{model_dir}: no such model folder")
        _refuse_pickles(model_dir)
        for needed in (model_path, card_path):
            if needed.is_symlink():  # never followed: it could point anywhere
                raise ModelError(f"{needed}: a symlink, which reviewbot never follows; copy the file instead")
            if not needed.is_file():
                raise ModelError(f"{needed}: missing (a model folder holds {MODEL_FILE} and {CARD_FILE})")
        try:
            card = ModelCard.model_validate_json(card_path.read_bytes())
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "card"
            raise ModelError(f"{card_path}: not a model card reviewbot reads ({where}: {first['msg']})") from None
        data = model_path.read_bytes()
        if not data.startswith(b"tree\n"):
            raise ModelError(f"{model_path}: not a LightGBM text model (refusing to load anything else)")
        digest = hashlib.sha256(data).hexdigest()
        if digest != card.model_sha256:
            raise ModelError(
                f"{model_path}: sha256 {digest[:16]}… does not match the card's {card.model_sha256[:16]}…; "
                "the model was changed after training (retrain, or restore the file)"
            )
        if card.feature_schema != FEATURE_SCHEMA_VERSION:
            raise ModelError(
                f"{card_path}: the model uses feature schema {card.feature_schema!r}, this reviewbot computes "
                f"{FEATURE_SCHEMA_VERSION!r}: retrain it (`reviewbot train`)"
            )
        unknown = [n for n in card.features if n not in FEATURE_INDEX]
        if unknown:
            raise ModelError(f"{card_path}: unknown feature(s) {', '.join(unknown[:5])}")
        try:
            model = TextModel.parse(data.decode("utf-8"))
            platt = Platt.from_json(card.calibration)
        except (ModelFormatError, UnicodeDecodeError, ValueError, KeyError) as exc:
            raise ModelError(f"{model_dir}: {exc}") from None
        if model.feature_names != card.features:
            raise ModelError(f"{model_path}: its feature names differ from the card's")
        chosen = card.threshold if threshold is None else threshold
        if not 0.0 <= chosen <= 1.0 or not math.isfinite(chosen):
            raise ModelError(f"threshold {chosen}: must be a probability in 0..1")
        return cls(model_dir, card, model, platt, chosen)

    @property
    def name(self) -> str:
        return self.card.name or self.directory.name

    def explain(self, vector: dict[str, float]) -> tuple[float, list[tuple[str, float]]]:
        """(calibrated probability, each feature's contribution to its log-odds, largest first).

        One-hot families (every `category.*`, ...) are summed into one contribution named by the
        family (`features.family`)."""
        x = [vector.get(n, 0.0) for n in self.model.feature_names]
        raw, phi = self.model.predict(x)
        slope = -self.calibration.a  # calibrated log-odds = slope * raw - b
        sums: dict[str, float] = {}
        for i, n in enumerate(self.model.feature_names):
            if phi[i] != 0.0:
                key = family(n)
                sums[key] = sums.get(key, 0.0) + slope * phi[i]
        parts = sorted(sums.items(), key=lambda kv: -abs(kv[1]))
        return self.calibration(raw), parts

    def covers(self, finding: Finding) -> bool:
        key = finding.category if f"category.{finding.category}" in FEATURE_INDEX else "other"
        return self.card.coverage.get(key, 0) >= MIN_COVERAGE

    def score(self, findings: Sequence[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            if not self.covers(f):
                out.append(f if f.features is not None else attach_features([f])[0])
                continue
            vector = f.features
            if vector is None or f.feature_schema != FEATURE_SCHEMA_VERSION:
                vector = features_of(f)
                f = f.model_copy(update={"features": vector, "feature_schema": FEATURE_SCHEMA_VERSION})
            p, parts = self.explain(vector)
            words = tuple(
                (describe(n, vector.get(n, 0.0), vector, f.context), round(v, 4))
                for n, v in parts[:TOP_CONTRIBUTIONS]
                if abs(v) >= 0.005
            )
            update: dict[str, object] = {"score": round(p, 4), "contributions": words}
            if f.disposition is Disposition.REPORTED and p < self.threshold:
                update["disposition"] = Disposition.BELOW_THRESHOLD
                update["disposition_reason"] = (
                    f"score {p:.2f} is below the threshold {self.threshold:.2f} of model {self.name}"
                )
            out.append(f.model_copy(update=update))
        return out


def _refuse_pickles(model_dir: Path) -> None:
    for seen, path in enumerate(sorted(model_dir.rglob("*")), start=1):
        if seen > _MAX_FILES:
            raise ModelError(f"{model_dir}: more than {_MAX_FILES} files; a model folder holds a model and its card")
        if path.suffix.lower() in PICKLE_SUFFIXES:
            raise ModelError(f"{path}: a pickle-format file in the model folder; reviewbot never loads pickles")
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                head = fh.read(2)
            if len(head) == 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
                raise ModelError(f"{path}: looks like a pickle; reviewbot never loads pickles")


def default_model_dir() -> Path | None:
    """The built-in model: inside the wheel (reviewbot/models/default), or beside the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "models" / "default", here.parent / "models" / "default"):
        if (candidate / CARD_FILE).is_file():
            return candidate
    return None


REPO_MODEL = ".reviewbot/model"  # a repository's own model, retrained on its ledger


def resolve_model(explicit: Path | None, repo_root: Path | None) -> Path | None:
    """--model DIR, else the repository's `.reviewbot/model`, else the built-in default."""
    if explicit is not None:
        return explicit
    if repo_root is not None and (repo_root / REPO_MODEL / CARD_FILE).is_file():
        return repo_root / REPO_MODEL
    return default_model_dir()
