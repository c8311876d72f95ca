"""Where the PR and its findings come from: the event or the API, the checkout or a results file.

* `resolve_pr`: a `pull_request` event names the PR. A `workflow_run` event names the commit
  that ran; the PR is the one GitHub lists, or (for forks, where GitHub lists none) the number
  the untrusted results file claims, accepted only if `GET /pulls/{n}` shows that PR open with
  that head commit from that head repository.
* `review_checkout`: the review of merge-base(base, head)..head in the checkout, which must be
  at the PR head, with rules from outside the checkout.
* `diff_from_github`: the hunks GitHub shows, for anchoring findings from a results file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reviewbot.change import changes
from reviewbot.change.git import GitRepo
from reviewbot.errors import ReviewbotError
from reviewbot.github.anchors import DiffMap
from reviewbot.github.artifact import PrResults
from reviewbot.github.client import Api, GitHubError
from reviewbot.github.event import (
    Event,
    EventError,
    PrContext,
    PullRequestEvent,
    context_from_api,
    context_from_pull_request,
)
from reviewbot.learn.scoring import ModelError, bundled_model
from reviewbot.llm.request import LlmRequest
from reviewbot.review.result import ReviewResult
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.review.trusted_side import scoring_for, trusted_side
from reviewbot.scanners.rulesets import load_rules
from reviewbot.scanners.select import ScannerChoice


def resolve_pr(event: Event, repository: str, api: Api | None, results: PrResults | None) -> PrContext:
    if isinstance(event, PullRequestEvent):
        return context_from_pull_request(event, repository)
    run = event.workflow_run
    if results is None:
        raise EventError("a workflow_run event needs the first stage's results file (--results): nothing to post")
    listed = [p.number for p in run.pull_requests if p.head.sha == run.head_sha]
    # For a fork, GitHub leaves pull_requests empty: the number comes from the untrusted artifact.
    number = listed[0] if listed else results.pr_number
    if api is None:
        raise EventError("GITHUB_TOKEN is not set: cannot verify the pull request, nothing posted")
    data = api.request_json("get pull request", "GET", f"/repos/{repository}/pulls/{number}", None, repeat_safe=True)
    ctx = context_from_api(data if isinstance(data, dict) else {}, repository)
    expected_head_repo = run.head_repository.full_name if run.head_repository else None
    problems = []
    if ctx.head_sha != run.head_sha:
        problems.append(f"its head is {ctx.head_sha[:12]}, the workflow ran on {run.head_sha[:12]}")
    if expected_head_repo is not None and ctx.head_repository != expected_head_repo:
        problems.append(f"its head repository is {ctx.head_repository}, the workflow ran on {expected_head_repo}")
    if ctx.state != "open":
        problems.append(f"it is {ctx.state}")
    if problems:
        raise EventError(
            f"pull request #{number} does not match this workflow run ({'; '.join(problems)}): nothing posted"
        )
    return ctx


def _tool_output_only(repo: GitRepo, choice: ScannerChoice) -> tuple[ScannerChoice, list[str]]:
    """The choice without imported SARIF files whose content is what the PR head commits at that
    path: a tool's output is written by the job, and a file the PR brings could say anything (a
    tool that did write its output there, over a committed file, changed it, and it is read)."""
    kept: dict[str, list[Path]] = {"import_sarif": [], "import_sarif_base": []}
    notes = []
    root = repo.root.resolve()
    for name, keep in kept.items():
        for path in getattr(choice, name):
            absolute = path.resolve() if path.exists() else path.absolute()
            rel = absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else None
            if rel is not None and _committed_as_is(repo, rel):
                notes.append(f"{path}: committed in the pull request, not written by the job: not imported")
            else:
                keep.append(path)
    heads, bases = tuple(kept["import_sarif"]), tuple(kept["import_sarif_base"])
    return replace(choice, import_sarif=heads, import_sarif_base=bases), notes


def _committed_as_is(repo: GitRepo, rel: str) -> bool:
    try:
        committed = repo.git("rev-parse", "--verify", "--quiet", f"HEAD:{rel}").decode().strip()
        return committed == repo.git("hash-object", "--no-filters", "--", rel).decode().strip()
    except ReviewbotError:  # not in the head commit (or not readable: the import says why)
        return False


def diff_from_github(api: Api | None, ctx: PrContext) -> tuple[DiffMap, str]:
    """GitHub's hunks for the PR, and a problem to note ('' when none)."""
    if api is None:
        return DiffMap({}), ""
    try:
        entries = api.paginate("list pull request files", f"/repos/{ctx.repository}/pulls/{ctx.number}/files")
    except GitHubError as exc:
        return DiffMap({}), f"could not read the PR's diff, so no inline comments: {exc}"
    return DiffMap.from_pr_files(entries), ""


def review_checkout(
    start: Path,
    rules_dir: Path,
    ctx: PrContext,
    choice: ScannerChoice,
    max_file_bytes: int,
    model: Path | None = None,
    threshold: float | None = None,
    llm: bool | None = None,
) -> tuple[ReviewResult, DiffMap]:
    repo = GitRepo.discover(start)
    head = repo.resolve("HEAD")
    if head != ctx.head_sha:
        raise EventError(
            f"the checkout is at {head[:12]} but the PR head is {ctx.head_sha[:12]}: check out the PR head "
            "(actions/checkout with ref: the PR head sha and fetch-depth: 0), not the merge commit"
        )
    try:
        repo.resolve(ctx.base_sha)
    except ReviewbotError as exc:
        raise EventError(
            f"the PR base {ctx.base_sha[:12]} is not in the checkout: check out with fetch-depth: 0"
        ) from exc
    if rules_dir.resolve().is_relative_to(repo.root.resolve()):
        raise EventError(f"rules folder {rules_dir} is inside the PR checkout; rules from the PR are never used")
    change = changes.from_base(repo, ctx.base_sha, max_bytes=max_file_bytes)
    choice, refused_imports = _tool_output_only(repo, choice)
    scanners = choice.build(lambda: load_rules(rules_dir), repo=repo.root)
    # Rule fixes are checked before they can be suggestions (the verifier reruns these scanners).
    # The LLM's settings come from the merge-base's config like the rest; its answers are not
    # cached on a runner (each job starts clean).
    options = ReviewOptions(new_only=True, tolerate_invalid_config=True, verify_fixes=True, llm=LlmRequest(switch=llm))
    # The model is --model (a bundled model's name, or a folder outside the checkout), else a
    # `.reviewbot/model` on the merge-base, else the one bundled with reviewbot; never one from
    # the PR head. The ledger behind history features is the merge-base's too, so a PR cannot
    # add "dismissed" verdicts to talk its own findings down (`trusted_side`).
    inside = model is not None and model.resolve().is_relative_to(repo.root.resolve())
    if model is not None and inside and bundled_model(str(model)) is None:
        raise EventError(
            f"model folder {model} is inside the PR checkout (and not a bundled model's name); "
            "a model from the PR is never used"
        )
    refused: str | None = None
    try:
        history, scorer = scoring_for(trusted_side(change, trust_head=False), model=model, threshold=threshold)
    except ModelError as exc:
        # A model that cannot be loaded costs the review its scores, never the review: every
        # finding is shown unscored, and a note says why (as for a broken base config).
        history, scorer, refused = None, None, f"the model could not be loaded ({exc})"
        options = replace(options, unscored_reason=f"not scored: {refused}")
    result = run_review(change, scanners, options, history=history, scorer=scorer)
    if refused is not None:
        result = result.model_copy(update={"notes": [*result.notes, f"{refused}; every finding is shown unscored"]})
    if refused_imports:
        result = result.model_copy(update={"notes": [*result.notes, *refused_imports]})
    return result, DiffMap.from_change(change)
