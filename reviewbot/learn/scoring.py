"""Scoring: a trained model's calibrated probability and its reasons, for every finding.

    scorer = Scorer.load(model_dir)      # once: checks, then parses model.txt
    findings = scorer.score(findings)    # score, top contributions; BELOW_THRESHOLD under threshold

`load` reads exactly two files of the folder, `card.json` and `model.txt`, and nothing else in
it (the folder may be `/tmp`, or hold a FIFO or a symlink loop: it is never listed). It refuses
anything but the card and a LightGBM text model: a model.txt that is a pickle or any other
non-LightGBM text, a model.txt whose sha256 differs from the card's, a card whose description of
the model (feature names, number of trees, monotone constraints) disagrees with model.txt, a card
of another schema, or a model built for another feature schema. The card's threshold is a team's
decision and may be edited; which copy of a model is read at all is `trusted_side`'s business: a
model the change under review brings is never loaded. The trees are evaluated in plain Python
(`reviewbot.learn.gbdt`), so scoring never imports lightgbm, numpy or scipy (~0.25 s) and costs
microseconds per finding.

A score is marked, never dropped: a REPORTED finding under the threshold becomes
BELOW_THRESHOLD with a reason naming its score and the threshold; other dispositions are kept.
A finding whose category the model saw fewer than MIN_COVERAGE times in training (the card's
`coverage`) is left unscored and reported: the model has no evidence to demote it on. It says so
in `Finding.unscored_reason` (`review.run.NO_MODEL` when no model was used at all), shown by every reporter.
Contributions are LightGBM `pred_contrib` values times the calibration slope, i.e. each feature's
share of the calibrated log-odds, described in words by `words.describe`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from reviewbot.bundled import bundled_dir
from reviewbot.errors import ConfigError
from reviewbot.finding import Disposition, Finding
from reviewbot.learn.calibration import Platt
from reviewbot.learn.card import CARD_FILE, MODEL_FILE, ModelCard
from reviewbot.learn.features import (
    FEATURE_INDEX,
    FEATURE_SCHEMA_VERSION,
    attach_features,
    describe,
    family,
    features_of,
    language_feature,
)
from reviewbot.learn.gbdt import ModelFormatError, TextModel

TOP_CONTRIBUTIONS = 3
MIN_COVERAGE = 5  # training rows of a category before its findings are scored


class ModelError(ConfigError):
    """A model folder reviewbot will not load; the message says which file and why."""


@dataclass(frozen=True)
class Scorer:
    directory: Path
    card: ModelCard
    model: TextModel
    calibration: Platt
    threshold: float
    # The threshold given by the person running reviewbot (--threshold): it beats the config's
    # per-rule and per-category tuning too. None: the card's threshold, tuned by the config.
    explicit_threshold: float | None = None

    @classmethod
    def load(cls, model_dir: Path, *, threshold: float | None = None) -> Scorer:
        model_path, card_path = model_dir / MODEL_FILE, model_dir / CARD_FILE
        if not model_dir.is_dir():
            raise ModelError(f"{model_dir}: no such model folder")
        for needed in (card_path, model_path):
            _check_model_file(needed)
        try:
            card = ModelCard.model_validate_json(_read(card_path))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "card"
            raise ModelError(f"{card_path}: not a model card reviewbot reads ({where}: {first['msg']})") from None
        data = _read(model_path)
        if _is_pickle(data):
            raise ModelError(f"{model_path}: looks like a pickle; reviewbot never loads pickles")
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
        # The card describes this model.txt (its sha256 above); what model.txt itself states must
        # agree with the card, or one of them was edited by hand.
        constrained = {n: m for n, m in zip(model.feature_names, model.monotone, strict=False) if m}
        if card.num_trees != len(model.trees) or constrained != {n: m for n, m in card.monotone.items() if m}:
            raise ModelError(
                f"{card_path}: its num_trees or monotone constraints differ from {model_path}'s; "
                "the card was edited after training (retrain, or restore the card)"
            )
        chosen = card.threshold if threshold is None else threshold
        if not 0.0 <= chosen <= 1.0 or not math.isfinite(chosen):
            raise ModelError(f"threshold {chosen}: must be a probability in 0..1")
        return cls(model_dir, card, model, platt, chosen, threshold)

    @property
    def name(self) -> str:
        return self.card.name or self.directory.name

    def explain(self, vector: dict[str, float]) -> tuple[float, list[tuple[str, float]]]:
        """(calibrated probability, each feature's contribution to its log-odds, largest first).

        One-hot families (every `category.*`, ...) are summed into one contribution named by the
        family (`words.family`)."""
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
        return not self.uncovered(finding)

    def uncovered(self, finding: Finding) -> str:
        """Why the model will not score `finding` (no training rows of its language, too few of
        its category), or ''."""
        language = language_feature(finding)
        if language is not None and not self._trained_on(language):
            name = language.removeprefix("language.")
            return f"not scored: model {self.name} has no training rows for {name} findings"
        key = finding.category if f"category.{finding.category}" in FEATURE_INDEX else "other"
        rows = self.card.coverage.get(key, 0)
        if rows >= MIN_COVERAGE:
            return ""
        if rows == 0:
            return f"not scored: model {self.name} has no training rows for findings of category {key!r}"
        return (
            f"not scored: model {self.name} has only {rows} training row(s) for findings of category {key!r} "
            f"({MIN_COVERAGE} needed)"
        )

    def _trained_on(self, feature: str) -> bool:
        """Whether some training row had the 0/1 feature set: a model that never saw a language
        cannot rank its findings (what it learnt of Python's context says nothing of them)."""
        if feature not in self.card.features:
            return False
        seen = self.card.training_distribution.get(feature)
        if seen is None or seen.values is None:
            return True  # an older card without the distribution: as before, scored
        return any(v > 0 and share > 0 for v, share in zip(seen.values, seen.shares, strict=False))

    def score(self, findings: Sequence[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            if why := self.uncovered(f):
                f = f if f.features is not None else attach_features([f])[0]
                out.append(f.model_copy(update={"unscored_reason": why}))
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
            update: dict[str, object] = {"score": round(p, 4), "contributions": words, "unscored_reason": ""}
            if f.disposition is Disposition.REPORTED and p < self.threshold:
                update["disposition"] = Disposition.BELOW_THRESHOLD
                update["disposition_reason"] = (
                    f"score {p:.2f} is below the threshold {self.threshold:.2f} of model {self.name}"
                )
            out.append(f.model_copy(update=update))
        return out


def _check_model_file(path: Path) -> None:
    """`path` (card.json or model.txt) is there and is a regular file; a FIFO or device is never opened."""
    if path.is_symlink():  # never followed: it could point anywhere
        raise ModelError(f"{path}: a symlink, which reviewbot never follows; copy the file instead")
    if not path.exists():
        raise ModelError(f"{path}: missing (a model folder holds {MODEL_FILE} and {CARD_FILE})")
    if not path.is_file():
        raise ModelError(f"{path}: not a regular file (a model folder holds {MODEL_FILE} and {CARD_FILE})")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read it: {exc.strerror or exc}") from None


def _is_pickle(data: bytes) -> bool:
    """Pickle protocols 2-5 open with 0x80 and the protocol number."""
    return len(data) >= 2 and data[0] == 0x80 and 2 <= data[1] <= 5


def default_model_dir() -> Path | None:
    """The built-in model: inside the wheel (reviewbot/models/default), or beside the source tree."""
    candidate = bundled_dir("models", "default")
    return candidate if candidate is not None and (candidate / CARD_FILE).is_file() else None


REPO_MODEL = ".reviewbot/model"  # a repository's own model, retrained on its ledger


def bundled_model(name: str) -> Path | None:
    """The model shipped with reviewbot under this name (`models/NAME`), if there is one."""
    default = default_model_dir()
    if default is None or not name or name in (".", "..") or "/" in name or "\\" in name:
        return None
    candidate = default.parent / name
    return candidate if (candidate / CARD_FILE).is_file() else None


def resolve_model(explicit: Path | None, repo_root: Path | None) -> Path | None:
    """--model NAME (a bundled model) or DIR, else the repository's `.reviewbot/model`, else the
    built-in default. A bare name that is a bundled model's wins over a folder of that name."""
    if explicit is not None:
        return bundled_model(str(explicit)) or explicit
    if repo_root is not None and (repo_root / REPO_MODEL / CARD_FILE).is_file():
        return repo_root / REPO_MODEL
    return default_model_dir()
