"""`reviewbot triage pull`: the verdicts in a pull request's thread, as triage ledger records.

`thread_triage` parses the commands and decides which verdicts are trusted, as on the PR run;
`reactions` reads the 👍/👎 on reviewbot's own inline comments. This module reads one PR's thread
through the API, maps each verdict to the finding's facts (reviewbot's own comments, else a scan
report) and makes records of the trusted ones; `closed_since` lists the pull requests closed
since a date (`triage pull` without `--pr`). Nothing is written to GitHub, nor to the ledger:
the caller appends.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from reviewbot.errors import ToolError
from reviewbot.github.client import Api, GitHubError, NotFound
from reviewbot.github.event import context_from_api
from reviewbot.github.reactions import Permissions, merged, reaction_verdicts
from reviewbot.github.state import read_state
from reviewbot.github.thread_triage import FINDING_PREFIX, collect_verdicts, parse_command
from reviewbot.reporters.markdown import headline_rule
from reviewbot.triage.ledger import FindingFacts, Source, TriageError, TriageRecord, Verdict, new_record


@dataclass
class PullResult:
    """What one PR's thread holds: trusted verdicts as records, and what was left out and why."""

    records: list[TriageRecord] = field(default_factory=list)
    not_recorded: list[str] = field(default_factory=list)  # one line per verdict left out, with the reason
    unmapped: int = 0  # conversation commands naming a finding reviewbot cannot map to a fingerprint
    forged_markers: int = 0
    sources: list[str] = field(default_factory=list)  # per record: "command" or "reaction"


def pull_pr(
    api: Api,
    repository: str,
    number: int,
    *,
    bot_logins: Sequence[str],
    known: Mapping[str, FindingFacts],
    ledger: Sequence[TriageRecord] = (),
    permissions: Permissions | None = None,
) -> PullResult:
    """Read the verdicts in PR `number`'s thread (thread_triage decides which are trusted).

    Findings are those reviewbot commented (its own markers), plus `known` (a report) for
    verdicts that name a finding listed only in the summary. Only trusted verdicts become
    records; the others are listed in `not_recorded`. Nothing is written to GitHub.
    """
    what = f"{repository}#{number}"
    try:
        data = api.request_json(
            "get pull request", "GET", f"/repos/{repository}/pulls/{number}", None, repeat_safe=True
        )
        ctx = context_from_api(data if isinstance(data, dict) else {}, repository)
        state = read_state(api, repository, number, bot_logins)
    except NotFound as exc:
        raise TriageError(f"pull request {what} was not found, or the token cannot read it") from exc
    except GitHubError as exc:
        raise ToolError(f"reading pull request {what} from GitHub failed: {exc}") from exc

    out = PullResult(forged_markers=state.forged_markers)
    previous = {r.fingerprint: r for r in ledger}
    facts: dict[str, FindingFacts] = dict(known)
    for fp, posted in state.finding_comments.items():
        if fp in facts:
            continue
        comment = posted[0][0]
        rule = headline_rule(comment.text) or (previous[fp].rule_id if fp in previous else "")
        if rule:
            facts[fp] = FindingFacts(fp, rule, path=comment.path or None)
        else:
            out.not_recorded.append(f"{what} {fp[:12]}: reviewbot's comment does not say which rule; not recorded")
    rules = {f.fingerprint: f.rule_id for f in facts.values()}
    commands = collect_verdicts(state, rules, ctx.author)
    try:
        reactions = reaction_verdicts(
            api, repository, state, rules, permissions or Permissions(api, repository), tuple(bot_logins)
        )
    except GitHubError as exc:
        raise ToolError(f"reading the reactions on {what} from GitHub failed: {exc}") from exc
    verdicts = merged(commands, reactions)

    for v in verdicts:
        head = f"{what} {v.fingerprint[:12]} {v.rule_id}: {v.verdict.value} by @{v.who}"
        if not v.trusted:
            out.not_recorded.append(f"{head} not recorded (untrusted: {v.why_untrusted})")
            continue
        try:
            when = datetime.fromisoformat(v.when)
            record = new_record(
                facts[v.fingerprint],
                Verdict(v.verdict.value),
                reason=v.reason,
                who=v.who,
                when=when,
                source=Source.PR_THREAD,
                commit=None,
            )
        except (ValueError, TriageError) as exc:  # no time, an unparseable time, a deleted user
            out.not_recorded.append(f"{head} not recorded ({exc})")
            continue
        out.records.append(record)
        out.sources.append(v.via)
    used = {v.comment_id for v in verdicts}
    for comment in state.issue_comments:
        parsed = parse_command(comment.text)
        if parsed is not None and comment.id not in used and FINDING_PREFIX.match(parsed[1]):
            out.unmapped += 1
    return out


def closed_since(api: Api, repository: str, since: datetime) -> Iterator[int]:
    """The numbers of the pull requests closed at or after `since`, most recently updated first.

    Listed `state=closed` sorted by `updated` descending; a PR's `updated_at` is never before its
    `closed_at`, so the walk stops at the first PR updated before `since`: every later page is
    older still.
    """
    params = {"state": "closed", "sort": "updated", "direction": "desc"}
    try:
        for pr in api.iter_items("list pull requests", f"/repos/{repository}/pulls", params):
            updated, closed = _time(pr.get("updated_at")), _time(pr.get("closed_at"))
            if updated is not None and updated < since:
                return
            if closed is not None and closed >= since and isinstance(pr.get("number"), int):
                yield pr["number"]
    except NotFound as exc:
        raise TriageError(f"repository {repository} was not found, or the token cannot read it") from exc
    except GitHubError as exc:
        raise ToolError(f"listing the pull requests of {repository} failed: {exc}") from exc


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.utcoffset() is not None else None
