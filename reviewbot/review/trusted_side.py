"""The trusted side of a change: where a review reads the repository's own model and ledger.

Besides the code, a review reads the repository's config, suppressions file, triage ledger and
model. None of them may come from the change under review when its author is not the one
running the review (a pull request, `scan --base`, `scan --diff`): a branch that adds a model
with a raised threshold, or a "false_positive" verdict for its own finding, would otherwise
judge itself. `trusted_side(change, trust_head=...)` says where they are read from:

    --base, a pull request    the merge-base commit's blobs (`Change.base_commit`)
    --diff                    the checkout as it is, before the patch (the patch is never applied to it)
    --staged, --all           the working copy: the developer's own change is trusted

    side = trusted_side(change, trust_head=False)
    side.ledger()                                  # the ledger's records on that side
    history, scorer = scoring_for(side, model=None, threshold=None)  # how `scan` and `pr` load a model

The config and the suppressions file follow the same rule through `config.versions_of` (the
base version of the file unless the head is trusted). An explicit `--model` given by the person
running reviewbot is theirs to choose and is loaded as given (`scoring.resolve_model`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reviewbot.change.changes import Change
from reviewbot.change.files import GitFiles, read_if_regular
from reviewbot.change.git import GitRepo
from reviewbot.errors import ReviewbotError

if TYPE_CHECKING:
    from reviewbot.learn.features import History
    from reviewbot.learn.scoring import Scorer
    from reviewbot.triage.ledger import TriageRecord


@dataclass
class TrustedSide:
    """Files as the trusted side has them: at `commit` (its blobs), else on disk under `root`."""

    root: Path
    commit: str | None
    description: str
    _ledger: list[TriageRecord] | None = field(default=None, repr=False)
    _blobs: GitFiles | None = field(default=None, repr=False)

    def read(self, rel: str) -> bytes | None:
        """A regular file's bytes (None: absent, a symlink, or not a regular file)."""
        if self.commit is None:
            return read_if_regular(self.root, rel)  # a symlinked file could point anywhere
        if self._blobs is None:
            # a few files of a repository of any size: each looked up alone (symlinks are not read)
            self._blobs = GitFiles(GitRepo(self.root), self.commit, listed=False)
        try:
            return self._blobs(rel)
        except ReviewbotError:
            return None

    def ledger(self) -> list[TriageRecord]:
        """The triage ledger's valid records on this side (bad lines are `triage list`'s business)."""
        if self._ledger is None:
            from reviewbot.triage.ledger import DEFAULT_LEDGER, parse_lines

            self._ledger = parse_lines(self.read(DEFAULT_LEDGER) or b"").records
        return self._ledger


def trusted_side(change: Change, *, trust_head: bool) -> TrustedSide:
    """Where a review of `change` reads the repository's model and ledger (see the module doc)."""
    if trust_head:
        return TrustedSide(change.root, None, "the working copy")
    if change.base_commit is not None:
        return TrustedSide(change.root, change.base_commit, f"{change.base_commit[:12]}, where the change starts")
    return TrustedSide(change.root, None, "the checkout before the change")


def scoring_for(
    side: TrustedSide, *, model: Path | None, threshold: float | None
) -> tuple[History | None, Scorer | None]:
    """The scorer (and the history features' records) for a review: `model` when given (the
    user's own choice: a bundled model's name or a folder), else the trusted side's
    `.reviewbot/model`, else the bundled default. Only a model that uses history reads the ledger."""
    from reviewbot.learn.features import HISTORY_FEATURES, History
    from reviewbot.learn.scoring import REPO_MODEL, Scorer, resolve_model

    if model is not None:
        scorer: Scorer | None = Scorer.load(resolve_model(model, None) or model, threshold=threshold)
    else:
        scorer = _side_model(side, REPO_MODEL, lambda folder: Scorer.load(folder, threshold=threshold))
    if scorer is None:
        default = resolve_model(None, None)
        if default is None:
            return None, None
        scorer = Scorer.load(default, threshold=threshold)
    if not HISTORY_FEATURES & set(scorer.card.features):
        return None, scorer
    return History.from_records(side.ledger(), before=datetime.now(UTC)), scorer


def _side_model(side: TrustedSide, folder: str, load: Callable[[Path], Scorer]) -> Scorer | None:
    """The side's model folder, loaded (None: the side has no model card there).

    On disk it is loaded in place; from a commit, its card and model file (the only files the
    loader reads) are written to a temporary folder first."""
    from reviewbot.learn.card import CARD_FILE, MODEL_FILE

    if side.commit is None:
        where = side.root / folder
        return load(where) if side.read(f"{folder}/{CARD_FILE}") is not None else None
    if side.read(f"{folder}/{CARD_FILE}") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="reviewbot-model-") as tmp:
        where = Path(tmp) / Path(folder).name
        where.mkdir()
        for name in (CARD_FILE, MODEL_FILE):
            data = side.read(f"{folder}/{name}")
            if data is not None:  # a missing model.txt is the loader's error to name
                (where / name).write_bytes(data)
        try:
            return load(where)  # the scorer holds the parsed model, not the folder
        except ReviewbotError as exc:
            raise type(exc)(f"{folder} on {side.description}: {exc}") from None
