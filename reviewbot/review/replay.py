"""Shadow mode: what the bot would have said on past changes, one review per (base, head) pair.

    targets = last_commits(repo, 20)              # or merge_commits(repo, 20), or read_pairs(file)
    run = replay(repo, targets, scanners, ReplaySettings())
    run.changes[0].result                          # the ReviewResult, as a pull request would get it
    summary(run.changes)                           # noise rate, commits with a finding, seconds

Each replayed change is reviewed as a pull request of `head` into `base` is (`changes.from_base`
with `head=`, then `run.run_review`): new findings only, and config, suppressions, ledger and
model read from the trusted side, the merge-base (`trusted_side.scoring_for`). A change that
fails to review (a revision that does not exist, semgrep failing on one commit) is recorded with
its error and the run goes on. Git is only read: nothing is written into the repository (no ref,
no index, no work tree; semgrep's per-file results go to the user cache, if at all).
"""

from __future__ import annotations

import csv
import io
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reviewbot._yaml import load_json
from reviewbot.change.changes import from_base
from reviewbot.change.files import DEFAULT_MAX_FILE_BYTES
from reviewbot.change.git import GitRepo
from reviewbot.errors import InputError, ReviewbotError
from reviewbot.llm.request import LlmRequest
from reviewbot.review.result import ReviewResult
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.review.trusted_side import scoring_for, trusted_side
from reviewbot.scanners.interface import Scanner

REPLAY_SCHEMA_VERSION = "1"
MAX_PAIRS_FILE_BYTES = 16 * 1024 * 1024  # a corpus of identifiers: far below this


@dataclass(frozen=True)
class Target:
    """One change to replay: `head` reviewed as a pull request into `base` (revisions as given)."""

    base: str
    head: str
    id: str = ""  # the pairs file's name for it; "" for commits picked from the history
    subject: str = ""  # the head commit's subject line (filled in when the history is listed)


@dataclass(frozen=True)
class ReplaySettings:
    """How every change is reviewed: the flags of `reviewbot replay` that are not a selection."""

    use_model: bool = True
    model: Path | None = None  # --model: the user's own choice; None: the trusted side's, else the default
    llm: LlmRequest | None = None  # --llm / --no-llm: the optional LLM, as for `scan` (None: off)
    threshold: float | None = None
    max_bytes: int = DEFAULT_MAX_FILE_BYTES


@dataclass(frozen=True)
class Replayed:
    """One replayed change: its review, or the error that stopped it, and the seconds it took
    (building the change, loading the model and the review: what a pull request would wait)."""

    target: Target
    seconds: float
    base_commit: str | None = None
    head_commit: str | None = None
    subject: str = ""
    result: ReviewResult | None = None
    error: str | None = None

    @property
    def reported(self) -> int:
        return 0 if self.result is None else len(self.result.reported)

    @property
    def hidden(self) -> int:
        return 0 if self.result is None else len(self.result.findings) - self.reported


@dataclass(frozen=True)
class Summary:
    """The figures a lead decides on: the noise rate is `reported_per_change`."""

    changes: int
    reviewed: int
    failures: int
    reported: int
    hidden: dict[str, int] = field(default_factory=dict)  # by disposition
    with_finding: int = 0
    median_seconds: float | None = None
    p90_seconds: float | None = None

    @property
    def reported_per_change(self) -> float | None:
        return self.reported / self.reviewed if self.reviewed else None


# -- what to replay -------------------------------------------------------------------------------


def last_commits(repo: GitRepo, count: int, rev: str = "HEAD", *, merges_only: bool = False) -> list[Target]:
    """The last `count` commits on the first-parent line of `rev`, newest first, each against its
    first parent; `merges_only`: merge commits only (merged pull requests). A root commit has no
    parent to compare with and is not listed."""
    if count <= 0:
        raise InputError(f"--last {count}: must be a positive number of commits")
    tip = repo.resolve(rev)
    args = ["log", "--first-parent", "--no-color", "--format=%H%x00%P%x00%s%x00", f"--max-count={count}"]
    if merges_only:
        args.append("--merges")
    out = repo.git(*args, tip, "--").decode("utf-8", "replace")
    targets = []
    for record in out.split("\x00\n"):
        fields = record.strip("\n").split("\x00")
        if len(fields) < 3 or not fields[1]:
            continue  # the trailing empty record, or a root commit
        commit, parents, subject = fields[0], fields[1].split(), fields[2]
        targets.append(Target(base=parents[0], head=commit, subject=subject))
    return targets


def read_pairs(path: Path) -> list[Target]:
    """The (base, head[, id]) pairs of a JSONL file (one object a line) or a CSV file with a header
    naming `base` and `head` (and `id`): the corpus case. Blank lines are skipped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"--pairs {path}: cannot read it: {exc.strerror}") from exc
    if len(data) > MAX_PAIRS_FILE_BYTES:
        raise InputError(f"--pairs {path}: larger than {MAX_PAIRS_FILE_BYTES} bytes; is this the right file?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"--pairs {path}: not UTF-8 (byte {exc.start + 1})") from None
    rows = _jsonl_rows(path, text) if text.lstrip().startswith("{") else _csv_rows(path, text)
    targets = [_target(path, where, row) for where, row in rows]
    if not targets:
        raise InputError(f"--pairs {path}: lists no pair (want JSONL objects or a CSV with base,head columns)")
    return targets


def _jsonl_rows(path: Path, text: str) -> Iterable[tuple[str, object]]:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            where = f"--pairs {path} line {number}"
            yield where, load_json(line, where, error=InputError)


def _csv_rows(path: Path, text: str) -> Iterable[tuple[str, object]]:
    reader = csv.DictReader(io.StringIO(text))
    if not {"base", "head"} <= set(reader.fieldnames or ()):
        raise InputError(f"--pairs {path}: the CSV header must name base and head (and optionally id)")
    for row in reader:
        if any((value or "").strip() for value in row.values() if isinstance(value, str)):
            yield f"--pairs {path} line {reader.line_num}", row


def _target(path: Path, where: str, row: object) -> Target:
    if not isinstance(row, dict):
        raise InputError(f"{where}: not an object with base and head")
    values = {key: row.get(key) for key in ("base", "head", "id")}
    for key in ("base", "head"):
        value = values[key]
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{where}: {key} must be a revision (a non-empty string)")
    ident = values["id"]
    if ident is not None and not isinstance(ident, str | int):
        raise InputError(f"{where}: id must be a string")
    return Target(base=str(values["base"]).strip(), head=str(values["head"]).strip(), id=str(ident or "").strip())


# -- the replay ------------------------------------------------------------------------------------


def replay(
    repo: GitRepo,
    targets: Sequence[Target],
    scanners: Sequence[Scanner],
    settings: ReplaySettings,
    *,
    progress: Callable[[Replayed], None] | None = None,
) -> list[Replayed]:
    """Review every target in order; `progress` is told of each as it is done."""
    done = []
    for target in targets:
        replayed = replay_one(repo, target, scanners, settings)
        done.append(replayed)
        if progress is not None:
            progress(replayed)
    return done


def replay_one(repo: GitRepo, target: Target, scanners: Sequence[Scanner], settings: ReplaySettings) -> Replayed:
    """One change reviewed as a pull request of `target.head` into `target.base` would be."""
    started = time.monotonic()
    base_commit = head_commit = None
    subject = target.subject
    try:
        head_commit = repo.resolve(target.head)
        subject = subject or _subject(repo, head_commit)
        base_commit = repo.resolve(target.base)
        change = from_base(repo, target.base, head=target.head, max_bytes=settings.max_bytes)
        side = trusted_side(change, trust_head=False)
        history, scorer = (
            scoring_for(side, model=settings.model, threshold=settings.threshold)
            if settings.use_model
            else (None, None)
        )
        # as `reviewbot pr` reviews: a broken config on the base is a note and the defaults apply
        options = ReviewOptions(new_only=True, trust_head=False, tolerate_invalid_config=True, llm=settings.llm)
        result = run_review(change, scanners, options, history=history, scorer=scorer)
    except ReviewbotError as exc:
        return Replayed(target, _since(started), base_commit, head_commit, subject, error=str(exc))
    return Replayed(target, _since(started), base_commit, head_commit, subject, result=result)


def _subject(repo: GitRepo, commit: str) -> str:
    out = repo.git("log", "-1", "--no-color", "--format=%s", commit, "--")
    return out.decode("utf-8", "replace").strip()


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


def summary(replayed: Sequence[Replayed]) -> Summary:
    reviewed = [r for r in replayed if r.result is not None]
    hidden: Counter[str] = Counter(
        f.disposition.value for r in reviewed if r.result is not None for f in r.result.findings if not f.visible
    )
    seconds = sorted(r.seconds for r in reviewed)
    return Summary(
        changes=len(replayed),
        reviewed=len(reviewed),
        failures=len(replayed) - len(reviewed),
        reported=sum(r.reported for r in reviewed),
        hidden=dict(sorted(hidden.items())),
        with_finding=sum(1 for r in reviewed if r.reported),
        median_seconds=round(statistics.median(seconds), 3) if seconds else None,
        p90_seconds=seconds[math.ceil(0.9 * len(seconds)) - 1] if seconds else None,
    )
