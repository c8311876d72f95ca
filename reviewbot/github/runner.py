"""`reviewbot pr`, start to end: event → PR → findings → what is on the PR → review, summary, check run.

It never raises and never blocks: every failure becomes a note in the outcome (printed by the
CLI as a workflow-command notice) and, when the review could not be posted, the findings go out
as workflow-command annotations and the job summary instead (fallback.py). The CLI exits 0.

Stages, each isolated so that one failing does not stop the others:
 1. the PR: from a `pull_request` event, or — for `workflow_run` — the number GitHub lists or
    the artifact claims, verified with `GET /pulls/{n}` (head commit and head repository);
 2. the findings: a review of the checkout (base…head, rules from the action bundle, never
    from the PR), or a results file from the first stage (untrusted: validated, anchors from
    GitHub's diff);
 3. what is on the PR: reviewbot's own comments (trusted markers), the thread's verdicts;
 4. posting: tidy old comments, one COMMENT review, the summary comment, the check run, SARIF.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from github.IssueComment import IssueComment

from reviewbot._io import check_output_file
from reviewbot.errors import ReviewbotError
from reviewbot.finding import Finding
from reviewbot.github import checks, fallback
from reviewbot.github.anchors import DiffMap
from reviewbot.github.artifact import PrResults, load_results, save_results
from reviewbot.github.client import Api, ClientSettings, Forbidden, GitHubError, Transient
from reviewbot.github.event import ActionEnv, EventError, PrContext, load_event
from reviewbot.github.history import PrHistory, fix_rate_lines
from reviewbot.github.identity import bot_identity
from reviewbot.github.reactions import Permissions, merged, reaction_verdicts
from reviewbot.github.review import (
    DEFAULT_BUDGET,
    Plan,
    SummaryReason,
    plan_review,
    post_review,
    review_body,
    tidy_comments,
)
from reviewbot.github.sarif_upload import upload_sarif
from reviewbot.github.sources import diff_from_github, resolve_pr, review_checkout
from reviewbot.github.state import PrState, read_state
from reviewbot.github.summary import CHECK_SUMMARY_LIMIT, COMMENT_LIMIT, SummaryData, render_summary
from reviewbot.github.thread_triage import ThreadVerdict, apply_verdicts, collect_verdicts
from reviewbot.reporters.markdown import escape
from reviewbot.review.result import ReviewResult
from reviewbot.scanners.rulesets import builtin_rules_dir
from reviewbot.scanners.select import ScannerChoice


@dataclass(frozen=True)
class PrOptions:
    repo_dir: Path | None = None  # the checkout (default: GITHUB_WORKSPACE, else the current directory)
    rules_dir: Path | None = None  # default: the rules installed with reviewbot (the action bundle)
    model: str | None = None
    threshold: float | None = None
    budget: int = DEFAULT_BUDGET
    sarif_upload: bool = False
    sarif_category: str = "reviewbot"
    results_in: Path | None = None  # post these results instead of reviewing the checkout
    results_out: Path | None = None  # save the results here (the first stage's artifact)
    history: Path | None = None  # the event history to append to (outside the checkout), docs/kpi.md
    post: bool = True  # False: review and save only, findings as annotations (the first stage)
    bot_logins: tuple[str, ...] = ()  # the bot-login override; empty: ask GitHub (github/identity.py)
    max_file_bytes: int = 1_000_000
    # The scanners run on the checkout, with the rules from `rules_dir` (the CLI: as for `scan`,
    # but without semgrep's per-file result cache).
    scanners: ScannerChoice = field(default_factory=ScannerChoice)
    # The optional LLM (--llm / REVIEWBOT_LLM): None, the config's `llm.enabled`; never for a fork.
    llm: bool | None = None


@dataclass
class PrOutcome:
    """What happened, for the log. `lines` are printed by the CLI as they are."""

    lines: list[str] = field(default_factory=list)
    posted_inline: int = 0
    summary_comment: bool = False
    check_run: bool = False
    sarif_id: str = ""
    fell_back: bool = False
    verdicts: list[ThreadVerdict] = field(default_factory=list)
    history_events: int = 0  # events appended to --history

    def note(self, message: str, level: str = "notice") -> None:
        self.lines.append(fallback.notice(message, level=level))


class _Stop(Exception):
    """Nothing more can be done this run; the reason is already noted."""


def run_pr(options: PrOptions, environ: Mapping[str, str], settings: ClientSettings | None = None) -> PrOutcome:
    """Run the whole PR flow. Never raises a ReviewbotError: failures become notes."""
    outcome = PrOutcome()
    try:
        _run(options, environ, settings, outcome)
    except _Stop:
        pass
    except ReviewbotError as exc:
        outcome.note(f"reviewbot did not finish: {exc}", level="warning")
    return outcome


def _run(options: PrOptions, environ: Mapping[str, str], settings: ClientSettings | None, out: PrOutcome) -> None:
    env = ActionEnv.from_environ(environ)
    event = load_event(env.event_path, env.event_name)
    if settings is None:
        settings = ClientSettings.from_environ(env.api_url, env.token, environ)
    api = Api(settings) if env.token else None

    if options.results_out is not None:
        check_output_file(options.results_out, "--save-results", make_parents=True)  # before the review
    results: PrResults | None = load_results(options.results_in) if options.results_in else None
    checkout: Path | None = None
    ctx = resolve_pr(event, env.repository, api, results)
    try:
        if results is not None:
            if results.head_sha != ctx.head_sha:
                raise EventError(f"the results are for {results.head_sha[:12]}, the PR head is {ctx.head_sha[:12]}")
            # The artifact's own claims must agree with the PR GitHub confirmed, not merely be ignored:
            # a mismatch means it was made for something else (or edited), so nothing of it is posted.
            if results.repository.casefold() != ctx.repository.casefold():
                raise EventError(f"the results are for {results.repository}, this run is for {ctx.repository}")
            if results.pr_number != ctx.number:
                raise EventError(
                    f"the results are for pull request #{results.pr_number}, this run is for #{ctx.number}"
                )
            result = results.result
            diff, problem = diff_from_github(api, ctx)
            if problem:
                out.note(problem, "warning")
        else:
            rules_dir = options.rules_dir or builtin_rules_dir()
            checkout = options.repo_dir or env.workspace or Path.cwd()
            model = Path(options.model) if options.model else None
            llm = options.llm
            if ctx.is_fork and llm is not False:
                if llm:
                    out.note("llm: not used on a pull request from a fork (its code is not sent anywhere)")
                llm = False
            result, diff = review_checkout(
                checkout, rules_dir, ctx, options.scanners, options.max_file_bytes, model, options.threshold, llm
            )
            for note in result.notes:
                out.note(note)
    except ReviewbotError as exc:
        # Never block, but say so where the PR shows it: a neutral check run with the reason.
        out.note(f"no review for this change: {exc}", "warning")
        if api is not None and options.post:
            try:
                summary = f"reviewbot could not review this change:\n\n{escape(str(exc), limit=3000)}"
                checks.post_check_run(
                    api, ctx.repository, ctx.head_sha, [], "reviewbot did not run", summary, "neutral"
                )
                out.check_run = True
            except GitHubError as err:
                out.note(f"the check run was not created either: {err}", "warning")
        raise _Stop from exc
    if options.results_out is not None:
        save_results(
            options.results_out,
            PrResults(
                repository=ctx.repository,
                pr_number=ctx.number,
                head_sha=ctx.head_sha,
                base_sha=ctx.base_sha,
                result=result,
            ),
        )
    result = result.redacted()  # whatever posts below is made from redacted text
    findings = [
        f.model_copy(update={"in_diff": diff.anchorable(f.path, f.start_line, f.end_line)}) for f in result.findings
    ]
    result = result.model_copy(update={"findings": findings})
    # The checkout holds the merge-base's history only when this run reviewed it (not with --results).
    history = PrHistory.load(options.history, None if results is not None else checkout, ctx)

    if api is None or not options.post:
        if options.post:
            out.note("GITHUB_TOKEN is not set: findings are reported as annotations and in the job summary only")
        _fallback(out, env, ctx, result, [f for f in findings if f.visible], [], reason="")
        return
    try:
        _post(api, options, env, ctx, result, diff, out, history)
    except GitHubError as exc:  # reading the PR failed: the findings still reach the job
        out.note(f"could not read or write the pull request ({exc}); findings follow as annotations", "warning")
        _fallback(out, env, ctx, result, [f for f in findings if f.visible], [], reason="GitHub API unavailable")


def _post(
    api: Api,
    options: PrOptions,
    env: ActionEnv,
    ctx: PrContext,
    result: ReviewResult,
    diff: DiffMap,
    out: PrOutcome,
    history: PrHistory,
) -> None:
    bots = bot_identity(api, options.bot_logins).logins
    state = read_state(api, ctx.repository, ctx.number, bots)
    if state.forged_markers:
        out.note(f"ignored {state.forged_markers} reviewbot marker(s) in comments reviewbot did not write")
    rules = {f.fingerprint: f.rule_id for f in result.findings}
    out.verdicts = merged(collect_verdicts(state, rules, ctx.author), _reactions(api, ctx, state, rules, bots, out))
    findings = apply_verdicts(result.findings, out.verdicts)
    result = result.model_copy(update={"findings": findings})
    plan = plan_review(findings, diff, state, options.budget)
    listed: list[tuple[Finding, str]] = [(f, why.value) for f, why in plan.summary]
    unposted: list[Finding] = []
    commented: list[str] = []  # fingerprints given an inline comment by this run
    forbidden = ""

    try:
        for note in tidy_comments(api, ctx.repository, plan, ctx.head_sha):
            out.note(note)
        outcome = post_review(
            api,
            ctx.repository,
            ctx.number,
            ctx.head_sha,
            plan.inline,
            review_body(ctx.head_sha, len(plan.inline), len(plan.summary)),
            reread=partial(read_state, api, ctx.repository, ctx.number, bots),
        )
        out.posted_inline = len(outcome.posted)
        commented = [p.finding.fingerprint for p in outcome.posted]
        for planned, why in outcome.refused:
            listed.append((planned.finding, f"{SummaryReason.REFUSED.value}: {why}"))
            out.note(
                f"GitHub refused the inline comment on {planned.finding.path}:{planned.finding.end_line}; "
                "it is in the summary"
            )
    except Forbidden as exc:
        forbidden = str(exc)
        unposted = [p.finding for p in plan.inline]
    except GitHubError as exc:
        out.note(f"the review was not posted: {exc}", "warning")
        unposted = [p.finding for p in plan.inline]
    listed += [(f, SummaryReason.NOT_POSTED.value) for f in unposted]

    summary = _summary_data(ctx, result, plan, listed, out)
    summary.record = fix_rate_lines(history.events, (f for f in findings if f.visible), ctx.number)
    if not forbidden:
        try:
            out.summary_comment = _upsert_summary(api, ctx, state, summary, bots)
        except Forbidden as exc:
            forbidden = str(exc)
        except GitHubError as exc:
            out.note(f"the summary comment was not posted: {exc}", "warning")
    try:
        reported = [f for f in findings if f.visible]
        title = f"{len(reported)} finding{'' if len(reported) == 1 else 's'} (advisory)"
        checks.post_check_run(
            api,
            ctx.repository,
            ctx.head_sha,
            reported,
            title,
            render_summary(summary, limit=CHECK_SUMMARY_LIMIT, with_marker=False),
        )
        out.check_run = True
    except Forbidden as exc:
        out.note(f"no check run (the token needs checks: write): {exc}")
    except GitHubError as exc:
        out.note(f"the check run was not created: {exc}", "warning")
    if options.sarif_upload:
        try:
            out.sarif_id = upload_sarif(
                api, ctx.repository, ctx.head_sha, f"refs/pull/{ctx.number}/head", result, options.sarif_category
            )
        except (GitHubError, ValueError) as exc:
            out.note(f"the SARIF upload failed (it needs security-events: write): {exc}", "warning")

    out.history_events = history.record(result, ctx, diff, commented, out.verdicts)
    for note in history.notes:
        out.note(note)
    if forbidden:
        out.note(
            f"this token cannot write to the PR ({forbidden}); findings follow as annotations and in the job summary"
        )
        visible = [f for f in findings if f.visible]
        _fallback(out, env, ctx, result, visible, out.verdicts, reason="read-only token")
    elif unposted:
        _fallback(out, env, ctx, result, unposted, out.verdicts, reason="review not posted")
    elif env.step_summary is not None:
        fallback.write_job_summary(
            env.step_summary, render_summary(summary, limit=fallback.JOB_SUMMARY_LIMIT, with_marker=False)
        )


def _summary_data(
    ctx: PrContext, result: ReviewResult, plan: Plan, listed: list[tuple[Finding, str]], out: PrOutcome
) -> SummaryData:
    reported = [f for f in result.findings if f.visible]
    hidden = Counter(f.disposition.value for f in result.findings if not f.visible)
    return SummaryData(
        head_sha=ctx.head_sha,
        reported=len(reported),
        inline=len(plan.already) + out.posted_inline,
        listed=listed,
        verdicts=out.verdicts,
        hidden=hidden,
        notes=[*result.notes, *result.skipped],
        files_scanned=result.files_scanned,
        rules=result.rules,
    )


def _upsert_summary(api: Api, ctx: PrContext, state: PrState, data: SummaryData, bots: tuple[str, ...]) -> bool:
    """Edit reviewbot's summary comment in place, or create it when there is something to say."""
    if state.summary is None and not data.listed and not data.verdicts:
        return False
    body = render_summary(data, limit=COMMENT_LIMIT, with_marker=True)
    issue = api.gh.get_repo(ctx.repository).get_issue(ctx.number)
    for attempt in range(api.settings.max_attempts):
        if state.summary is not None:
            comment = IssueComment(api.requester, url=f"/repos/{ctx.repository}/issues/comments/{state.summary.id}")
            if state.summary.text != body:
                api.write("edit the summary comment", partial(comment.edit, body), repeat_safe=True)
            return True
        try:
            api.write("create the summary comment", partial(issue.create_comment, body), repeat_safe=False)
            return True
        except Transient:
            if attempt + 1 == api.settings.max_attempts:
                raise
            state = read_state(api, ctx.repository, ctx.number, bots)  # it may have landed
    return False


def _reactions(
    api: Api, ctx: PrContext, state: PrState, rules: dict[str, str], bots: tuple[str, ...], out: PrOutcome
) -> list[ThreadVerdict]:
    """The 👍/👎 verdicts on reviewbot's comments; reading them failing is a note, never a stop."""
    permissions = Permissions(api, ctx.repository)
    try:
        verdicts = reaction_verdicts(api, ctx.repository, state, rules, permissions, bots)
    except GitHubError as exc:
        out.note(f"could not read the reactions on reviewbot's comments ({exc}); thread commands still count")
        return []
    for problem in permissions.problems:
        out.note(problem)
    return verdicts


def _fallback(
    out: PrOutcome,
    env: ActionEnv,
    ctx: PrContext,
    result: ReviewResult,
    findings: list[Finding],
    verdicts: list[ThreadVerdict],
    reason: str,
) -> None:
    from reviewbot.github.review import rank_key

    out.fell_back = bool(reason)
    ranked = sorted(findings, key=rank_key)
    out.lines.extend(fallback.annotation_lines(ranked))
    if env.step_summary is not None:
        data = SummaryData(
            head_sha=ctx.head_sha,
            reported=len([f for f in result.findings if f.visible]),
            inline=0,
            listed=[(f, reason or "annotation") for f in ranked],
            verdicts=verdicts,
            hidden=Counter(f.disposition.value for f in result.findings if not f.visible),
            notes=[*result.notes, *result.skipped],
            files_scanned=result.files_scanned,
            rules=result.rules,
        )
        fallback.write_job_summary(
            env.step_summary, render_summary(data, limit=fallback.JOB_SUMMARY_LIMIT, with_marker=False)
        )
