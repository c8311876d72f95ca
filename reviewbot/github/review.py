"""The review: which findings get an inline comment, what each says, and posting it as one review.

Planning is pure (findings + diff + what is already on the PR → a `Plan`); posting is the only
part that talks to GitHub.

* Only reported findings whose lines all sit in one hunk of GitHub's diff are candidates, ranked
  by severity (times the score when a finding has one); the first `budget` not already on the PR go
  inline, the rest to the summary. A finding already commented (a trusted marker with its
  fingerprint) is never commented again, whatever its line is now.
* A comment whose finding is gone is deleted, or — when a human replied under it — edited to
  say it is resolved, so the conversation stays.
* A finding's fix is posted as a ```suggestion only when the fix verifier passed it
  (`fix_verdict` "ok", reviewbot/llm/verify.py); one it refused says so, the comment stays.
* The review is one `COMMENT` review (never REQUEST_CHANGES). A 422 splits the batch in halves
  until the refused comment is alone; that one goes to the summary and is never resent as is.
  A 5xx on the POST may have been applied, so before trying again what is on the PR is re-read
  and comments that landed are dropped from the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial

from github.PullRequest import ReviewComment
from github.PullRequestComment import PullRequestComment

from reviewbot import __version__
from reviewbot.finding import Disposition, Finding, Scanner
from reviewbot.github.anchors import DiffMap
from reviewbot.github.client import Api, NotFound, Transient, Unprocessable
from reviewbot.github.markers import CommentState, finding_marker, review_marker
from reviewbot.github.state import Comment, PrState
from reviewbot.llm.verify import Rejection, describe
from reviewbot.llm.verify_rules import fix_offerable
from reviewbot.redact import redact_text
from reviewbot.reporters.markdown import escape, fence, finding_headline, llm_words, score_reasons

DEFAULT_BUDGET = 30
MAX_COMMENT_CHARS = 65_000  # GitHub refuses bodies over 65,536 characters


class SummaryReason(StrEnum):
    OUTSIDE_DIFF = "outside the diff"
    OVER_BUDGET = "over the inline comment budget"
    REFUSED = "GitHub refused the inline comment"
    NOT_POSTED = "inline comments could not be posted"


@dataclass(frozen=True)
class PlannedComment:
    finding: Finding
    payload: ReviewComment


@dataclass
class Plan:
    inline: list[PlannedComment] = field(default_factory=list)
    already: list[Finding] = field(default_factory=list)  # commented on an earlier run
    summary: list[tuple[Finding, SummaryReason]] = field(default_factory=list)
    reopen: list[tuple[int, Finding]] = field(default_factory=list)  # resolved comments to reopen
    resolve: list[Comment] = field(default_factory=list)  # finding gone, a human replied: mark resolved
    delete: list[Comment] = field(default_factory=list)  # finding gone, nobody replied: remove


def rank_key(f: Finding) -> tuple[float, int, str, int]:
    weight = (f.severity.rank + 1) * (f.score if f.score is not None else 1.0)
    return (-weight, -f.confidence.rank, f.path, f.start_line)


def plan_review(findings: Sequence[Finding], diff: DiffMap, state: PrState, budget: int) -> Plan:
    plan = Plan()
    visible = sorted((f for f in findings if f.visible), key=rank_key)
    candidates: list[Finding] = []
    for f in visible:
        posted = state.posted(f.fingerprint)
        if posted is not None:
            plan.already.append(f)
            if posted[1].state is CommentState.RESOLVED:
                plan.reopen.append((posted[0].id, f))
        elif diff.anchorable(f.path, f.start_line, f.end_line):
            candidates.append(f)
        else:
            plan.summary.append((f, SummaryReason.OUTSIDE_DIFF))
    for i, f in enumerate(candidates):
        if i < budget:
            plan.inline.append(PlannedComment(f, comment_payload(f)))
        else:
            plan.summary.append((f, SummaryReason.OVER_BUDGET))
    keep = {f.fingerprint for f in findings if f.visible or f.disposition is Disposition.TRIAGED}
    for fp, comments in state.finding_comments.items():
        if fp in keep:
            continue
        for comment, marker in comments:
            if marker.state is CommentState.RESOLVED:
                continue
            (plan.resolve if state.has_human_reply(comment.id) else plan.delete).append(comment)
    return plan


def comment_payload(f: Finding) -> ReviewComment:
    """The review-comment object: anchored on the right side, a range only for several lines."""
    payload: ReviewComment = {"path": f.path, "body": inline_body(f), "line": f.end_line, "side": "RIGHT"}
    if f.start_line != f.end_line:
        payload["start_line"] = f.start_line
        payload["start_side"] = "RIGHT"
    return payload


def inline_body(f: Finding, state: CommentState = CommentState.OPEN) -> str:
    said = "_The LLM's words, not a rule's:_ " if f.scanner is Scanner.LLM else ""
    parts = [finding_marker(f.fingerprint, state), finding_headline(f), "", said + escape(f.message, limit=2000)]
    if f.rationale:
        parts += ["", f"_Why it matters:_ {escape(f.rationale, limit=600)}"]
    reasons = score_reasons(f)
    if reasons:
        parts += ["", reasons]
    for line in llm_words(f):
        parts += ["", line]
    if _suggestable(f):
        assert f.fix is not None
        # The comment spans start_line..end_line and `fix` replaces exactly those lines.
        parts += ["", fence(f.fix, "suggestion")]
    elif f.fix is not None and f.fix_redacted:
        parts += ["", _WITHHELD]
    elif f.llm is not None and f.llm.fix is not None and f.category != "secrets" and f.llm.fix != f.snippet:
        # Only a fix the verifier accepted is kept (reviewbot/llm/fix.py): it replaces these lines.
        parts += ["", "_A fix the LLM proposed, which reviewbot's verifier accepted:_", fence(f.llm.fix, "suggestion")]
    elif fix_offerable(f) and f.fix_verdict is not None:
        parts += ["", f"_No suggestion: reviewbot's fix check refused the rule's fix ({describe(f.fix_verdict)})._"]
    parts += [
        "",
        f"<sub>reviewbot {__version__} · id `{f.fingerprint[:12]}` · triage by replying "
        "`/reviewbot fp <reason>`, `/reviewbot accept <reason>` or `/reviewbot tp`</sub>",
    ]
    body = redact_text("\n".join(parts))  # defence in depth: the finding was redacted when built
    return body if len(body) <= MAX_COMMENT_CHARS else redact_text("\n".join(parts[:4]))


def resolved_body(original: str, head_sha: str) -> str:
    """The comment, marked resolved: the marker's state changes and a line says why."""
    lines = original.split("\n")
    fp = lines[0].split("fp=", 1)[1].split(" ", 1)[0] if "fp=" in lines[0] else ""
    head = finding_marker(fp, CommentState.RESOLVED) if fp else lines[0]
    note = f"✅ **Resolved**: reviewbot no longer finds this at `{head_sha[:12]}`."
    rest = "\n".join(lines[1:])
    body = f"{head}\n{note}\n\n<details><summary>Original comment</summary>\n\n{rest}\n\n</details>"
    return redact_text(body[:MAX_COMMENT_CHARS])


def _suggestable(f: Finding) -> bool:
    # A fix with a secret in it is redacted: suggesting it would write the mask into the code. And
    # only a fix the fix verifier passed is offered (it reran the rules on the fixed file).
    return fix_offerable(f) and f.fix_verdict == Rejection.OK


_WITHHELD = (
    "_No suggestion: the fix would quote a secret, which reviewbot masks in everything it posts; "
    "applying the masked text would break the code. Make the change by hand._"
)


def review_body(head_sha: str, inline: int, summary: int) -> str:
    tail = f"; {summary} more in the summary comment" if summary else ""
    return (
        f"{review_marker(head_sha)}\n**reviewbot** (advisory, never blocks): {inline} new "
        f"finding{'' if inline == 1 else 's'} inline{tail}."
    )


@dataclass
class PostOutcome:
    posted: list[PlannedComment] = field(default_factory=list)
    refused: list[tuple[PlannedComment, str]] = field(default_factory=list)
    reviews: int = 0


def post_review(
    api: Api,
    repository: str,
    number: int,
    head_sha: str,
    batch: list[PlannedComment],
    body: str,
    reread: Callable[[], PrState],
) -> PostOutcome:
    """Post `batch` as one COMMENT review (more only when a 422 forces a split)."""
    outcome = PostOutcome()
    if not batch:
        return outcome
    pull = api.gh.get_repo(repository).get_pull(number)
    commit = api.gh.get_repo(repository).get_commit(head_sha)

    def send(part: list[PlannedComment]) -> None:
        for attempt in range(api.settings.max_attempts):
            call = partial(
                pull.create_review, commit=commit, body=body, event="COMMENT", comments=[c.payload for c in part]
            )
            try:
                api.write(f"create review ({len(part)} comments)", call, repeat_safe=False)
                outcome.posted.extend(part)
                outcome.reviews += 1
                return
            except Unprocessable as exc:
                if len(part) == 1:
                    outcome.refused.append((part[0], exc.detail))
                    return
                mid = len(part) // 2
                send(part[:mid])
                send(part[mid:])
                return
            except Transient:
                if attempt + 1 == api.settings.max_attempts:
                    raise
                # The POST may have been applied: keep only what is not on the PR yet.
                landed = reread()
                done = [c for c in part if landed.posted(c.finding.fingerprint) is not None]
                outcome.posted.extend(done)
                part = [c for c in part if landed.posted(c.finding.fingerprint) is None]
                if not part:
                    outcome.reviews += 1
                    return
                api.wait("create review: retry after a server error", api.settings.backoff * 2**attempt)

    send(batch)
    return outcome


def tidy_comments(api: Api, repository: str, plan: Plan, head_sha: str) -> list[str]:
    """Reopen, resolve and delete earlier comments as planned; comments gone meanwhile are notes."""
    notes: list[str] = []

    def comment(cid: int) -> PullRequestComment:
        return PullRequestComment(api.requester, url=f"/repos/{repository}/pulls/comments/{cid}")

    work: list[tuple[str, Callable[[], None]]] = []
    for cid, f in plan.reopen:
        work.append(("reopen a comment", partial(comment(cid).edit, inline_body(f))))
    for c in plan.resolve:
        work.append(("mark a comment resolved", partial(comment(c.id).edit, resolved_body(c.text, head_sha))))
    for c in plan.delete:
        work.append(("delete a comment", comment(c.id).delete))
    for what, call in work:
        try:
            api.write(what, call, repeat_safe=True)
        except NotFound:
            notes.append(f"{what}: the comment was already gone")
    return notes
