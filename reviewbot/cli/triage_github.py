"""The `reviewbot triage` subcommands that read GitHub: `pull` (thread commands and reactions on
pull requests) and `import-github` (dismissed code-scanning alerts).

`cli/triage.py` parses argv; the reading is in `github/thread_pull`, `github/reactions` and
`github/code_scanning`; records go through the ledger's one append. Text from GitHub (logins,
reasons, paths) is made inert before it reaches the terminal.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reviewbot._text import escape_control as _safe
from reviewbot.change.git import GitRepo, repo_root
from reviewbot.cli.triage_commands import _ledger_path, _read, _warn
from reviewbot.errors import EXIT_OK, EXIT_TOOL
from reviewbot.github.client import Api, ClientSettings
from reviewbot.triage.ledger import TriageError, TriageRecord, append_records, record_key

_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
DEFAULT_SINCE_DAYS = 30


def _repository(args: argparse.Namespace) -> str:
    repository = args.repo or os.environ.get("GITHUB_REPOSITORY", "")
    if not _REPOSITORY.match(repository):
        raise TriageError(
            f"--repo {repository!r}: expected OWNER/NAME" if repository else "--repo OWNER/NAME is required"
        )
    return repository


def _api(command: str) -> Api:
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        raise TriageError(f"GITHUB_TOKEN is not set: `triage {command}` reads the repository through the GitHub API")
    api_url = (os.environ.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/")
    return Api(ClientSettings.from_environ(api_url, token, os.environ))


def parse_since(text: str | None, now: datetime) -> datetime:
    """--since as an aware UTC time: a date is its midnight UTC; a time without zone is UTC."""
    if text is None:
        return now - timedelta(days=DEFAULT_SINCE_DAYS)
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise TriageError(f"--since {text!r}: not a date (YYYY-MM-DD) or an ISO 8601 time") from None
    return when.replace(tzinfo=UTC) if when.utcoffset() is None else when.astimezone(UTC)


def run_pull(args: argparse.Namespace) -> int:
    from reviewbot.github.identity import bot_identity, parse_logins
    from reviewbot.github.reactions import Permissions
    from reviewbot.github.thread_pull import closed_since, pull_pr
    from reviewbot.triage.scan_facts import load_scan_facts_or_last

    repository = _repository(args)
    if args.pr and args.since is not None:
        raise TriageError("--pr and --since: give pull request numbers, or a date to walk the closed ones, not both")
    if any(n < 1 for n in args.pr or []):
        raise TriageError(f"--pr {min(args.pr)}: not a pull request number")
    since = parse_since(args.since, datetime.now(UTC)) if not args.pr else None
    api = _api("pull")
    ledger = _ledger_path(args)
    read = _read(ledger)
    known, warnings = load_scan_facts_or_last(args.report, repo_root(Path.cwd()))
    for w in warnings:
        _warn(w)
    identity = bot_identity(api, parse_logins(args.bot_login or os.environ.get("REVIEWBOT_BOT_LOGIN")))
    print(f"reviewbot's comments: those by {', '.join(identity.logins)} ({identity.how})")
    numbers = list(args.pr) if args.pr else list(closed_since(api, repository, since or datetime.now(UTC)))
    if since is not None:
        print(f"{len(numbers)} pull request(s) closed since {since:%Y-%m-%dT%H:%M:%SZ}")
    permissions = Permissions(api, repository)

    pulled: list[TriageRecord] = []
    seen = {record_key(r) for r in read.records}
    totals: Counter[str] = Counter()
    already = 0
    for number in numbers:
        result = pull_pr(
            api,
            repository,
            number,
            bot_logins=identity.logins,
            known=known,
            ledger=read.records,
            permissions=permissions,
        )
        new: Counter[str] = Counter()
        for record, via in zip(result.records, result.sources, strict=True):
            if record_key(record) in seen:
                already += 1
                continue
            seen.add(record_key(record))
            pulled.append(record)
            new[via] += 1
        totals.update(new)
        for line in result.not_recorded:
            print(_safe(line))
        if result.unmapped:
            print(
                f"{repository}#{number}: {result.unmapped} command(s) name a finding reviewbot cannot map to a "
                "fingerprint (listed only in the summary: pass --report with the PR's scan report)"
            )
        if result.forged_markers:
            print(
                f"{repository}#{number}: ignored {result.forged_markers} marker(s) in comments reviewbot did not write"
            )
        print(f"{repository}#{number}: {_by_source(new)}")
    for problem in permissions.problems:
        _warn(problem)
    append_records(ledger, pulled)
    print(f"{len(pulled)} new verdict(s) appended to {ledger} ({_by_source(totals)}); {already} already in the ledger")
    return EXIT_OK


def _by_source(counts: Counter[str]) -> str:
    return f"{sum(counts.values())} new: thread command {counts['command']}, reaction {counts['reaction']}"


def run_import_github(args: argparse.Namespace) -> int:
    from reviewbot.github.client import Forbidden, GitHubError, NotFound
    from reviewbot.github.code_scanning import import_alerts, list_alerts
    from reviewbot.triage.scan_facts import load_scan_facts_or_last

    repository = _repository(args)
    api = _api("import-github")
    repo = GitRepo.discover(args.checkout if args.checkout is not None else Path.cwd())
    ledger = args.ledger if args.ledger is not None else repo.root / ".reviewbot" / "triage.jsonl"
    read = _read(ledger)
    known, warnings = load_scan_facts_or_last(args.report, repo.root)
    for w in warnings:
        _warn(w)
    try:
        result = import_alerts(list_alerts(api, repository, args.tool_name), repo, read.records, known)
    except Forbidden as exc:
        print(
            f"reviewbot: note: GitHub refused to list the code-scanning alerts of {repository} ({_safe(exc.detail)}): "
            "the token needs the security-events: read permission (a workflow: `permissions: security-events: "
            "read`), and code scanning must be enabled. Nothing was imported.",
            file=sys.stderr,
        )
        return EXIT_TOOL
    except NotFound as exc:
        raise TriageError(
            f"{repository}: no code-scanning alerts to read ({exc.detail}): the repository does not exist, the "
            "token cannot see it, or code scanning has no analysis yet"
        ) from exc
    except GitHubError as exc:
        from reviewbot.errors import ToolError

        raise ToolError(f"reading the code-scanning alerts of {repository} failed: {exc}") from exc
    append_records(ledger, result.records)
    states = ", ".join(f"{state} {n}" for state, n in sorted(result.states.items())) or "none"
    print(f"{result.alerts} code-scanning alert(s) read ({states})")
    for example in result.examples:
        print(_safe(f"skipped {example}"))
    skipped = "; ".join(f"{n} {why}" for why, n in result.skipped.most_common())
    print(
        f"{len(result.records)} new record(s) appended to {ledger} ({result.with_features} with a feature vector "
        f"from the scan report); {result.already} already in the ledger; "
        f"{sum(result.skipped.values())} dismissal(s) skipped{': ' + skipped if skipped else ''}"
    )
    return EXIT_OK
