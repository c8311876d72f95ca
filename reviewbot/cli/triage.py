"""`reviewbot triage …`: the argparse wiring and the handlers that print.

An extension of `_cli.py`'s boundary: argv is parsed and results are printed here; what the
commands do is in `reviewbot.triage.ledger`. Errors are raised as ReviewbotError and turned into exit
codes by `_cli.main`. Text that humans or PRs wrote (reasons, names, rule ids) is made inert
before it reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reviewbot._text import escape_control as _safe  # text from people or PRs, inert on a terminal
from reviewbot.change.git import head_commit, repo_root
from reviewbot.errors import EXIT_OK, EXIT_USAGE
from reviewbot.triage.ledger import (
    DEFAULT_LEDGER,
    FindingFacts,
    LedgerRead,
    LedgerStats,
    Source,
    Tally,
    TriageError,
    TriageRecord,
    Verdict,
    append_records,
    check_reason,
    default_ledger,
    default_who,
    find_facts,
    import_records,
    last_report_path,
    latest_verdicts,
    ledger_stats,
    load_report,
    new_record,
    pull_pr,
    read_ledger,
    select,
    unseen,
)
from reviewbot.triage.short_id import fingerprint_for

_ALIASES = {
    "tp": Verdict.TRUE_POSITIVE,
    "fp": Verdict.FALSE_POSITIVE,
    "accept": Verdict.ACCEPTED_RISK,
    "wontfix": Verdict.WONT_FIX,
    "wont-fix": Verdict.WONT_FIX,
}
_VERDICTS = "{" + ",".join(v.value for v in Verdict) + "}"
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")

_TRIAGE_EPILOG = f"""\
The ledger is a text file in the repository ({DEFAULT_LEDGER} at the top of the git work tree
by default; --ledger FILE to choose another), one JSON record a line, only ever appended to.
Review it in pull requests like code. Format and merge behaviour: docs/triage.md.

exit codes: 0 done; 2 bad usage or input (the message names the value or file); 3 GitHub
failed; 4 internal error.
"""

_MARK_EPILOG = """\
verdicts (the training label: everything but false_positive counts as a real finding):
  true_positive   real; someone should act on it                    (alias: tp)
  false_positive  not a real weakness here; --reason required       (alias: fp)
  accepted_risk   real, and the risk is accepted; --reason required (alias: accept)
  wont_fix        real, not worth fixing; --reason required         (alias: wontfix)

ID is the short id the text output shows beside each finding (`id 1a2b3c4d`): the shortest
fingerprint prefix, at least 8 hex digits, unique among that report's findings. It is looked up
in --report FILE, else in the last scan's report; a prefix two findings share is an error listing
them, one the report lacks is an error naming the report. A full fingerprint needs no report.

The record keeps the finding's rule id, path and feature vector. They come from --report FILE
(a `reviewbot scan --format json` output), else from the last scan's report that `reviewbot
scan` keeps in the user cache ($XDG_CACHE_HOME/reviewbot/last-report/). A fingerprint in neither
is an error unless --rule RULE_ID is given; the record then has no features (a warning says so).

who: --who, else `git config user.name`, else $USER. when: now, in UTC. commit: HEAD of the git
repository around the current directory (absent outside git).

examples:
  reviewbot scan --base main            # each finding shows its id, e.g. `id 1a2b3c4d`
  reviewbot triage mark 1a2b3c4d --verdict fp --reason "test fixture host"
  reviewbot triage mark 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d --verdict fp --reason "test fixture host"
  reviewbot scan --base main --format json -o scan.json
  reviewbot triage mark 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d --verdict accepted_risk \\
      --reason "internal network only" --report scan.json
"""

_IMPORT_EPILOG = """\
FILE holds records in the ledger's format (schema 1, one JSON object a line; docs/triage.md).
A record without a `source` gets source "import"; one that has a source keeps it. Each line is
validated on its own: a bad line is reported with its line number and skipped. Records already in
the ledger (same fingerprint, who, verdict and when) are not appended again, so importing a file
twice is harmless.

exit code: 0 when the file held at least one valid record (even if all were already in the
ledger), 2 when it held none.
"""

_LIST_EPILOG = """\
Malformed ledger lines are reported on stderr with their line numbers; the records around them are
listed. --format json prints {"records": [...], "problems": [{"line": N, "message": ...}]}.
"""

_STATS_EPILOG = """\
Each finding (fingerprint) is counted once, by its latest verdict (latest `when`; on a tie the
later line). false-positive rate = false_positive / findings of the rule. "records" counts every
line, re-decisions included; "last decision" is the newest `when` of the rule's records.
"""

_PULL_EPILOG = """\
Reads the review-comment replies and conversation comments of each --pr through the GitHub API
(GITHUB_TOKEN; GITHUB_API_URL for GitHub Enterprise, default https://api.github.com) and parses
the `/reviewbot fp|accept|tp …` commands as the PR run does (docs/github.md). Nothing is written
to GitHub.

Only verdicts thread_triage trusts are appended, with source "pr-thread": those from people
with write access (OWNER, MEMBER, COLLABORATOR), with a reason for every dismissal, and never
the PR author dismissing a finding in their own PR. Untrusted verdicts are printed as "not recorded" with the
reason and are not written to the ledger (so they never become training labels). A verdict
already in the ledger (same fingerprint, who, verdict, when) is not appended twice.

--pr is required: the GitHub API subset reviewbot is built against has no endpoint that lists
pull requests. Repeat it for several PRs.
"""


def add_triage_parser(sub: Any) -> None:
    """Add `triage` and its subcommands to the top-level subparsers `sub`."""
    triage = sub.add_parser(
        "triage",
        help="record, import, list and count human verdicts on findings (the triage ledger)",
        description="The triage ledger: human verdicts on findings. In later reviews the latest verdict "
        "per fingerprint marks a dismissed finding triaged (true_positive keeps it reported); the ledger is "
        "read from the trusted side of the change (the merge-base for --base and PRs). It also trains the "
        "scoring model.",
        epilog=_TRIAGE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    triage.set_defaults(triage_parser=triage)
    commands = triage.add_subparsers(dest="triage_command", metavar="SUBCOMMAND", parser_class=type(triage))
    raw = argparse.RawDescriptionHelpFormatter

    mark = commands.add_parser(
        "mark",
        help="record your verdict on one finding",
        description="Append one verdict on the finding with this id to the ledger.",
        epilog=_MARK_EPILOG,
        formatter_class=raw,
    )
    mark.add_argument(
        "fingerprint",
        metavar="ID",
        help="the finding's short id as `reviewbot scan` shows it (a fingerprint prefix unique in the report), "
        "or its full fingerprint (32 hex digits)",
    )
    mark.add_argument("--verdict", required=True, metavar=_VERDICTS, help="your decision (see the list below)")
    mark.add_argument("--reason", default="", metavar="TEXT", help="why; required for every verdict but true_positive")
    _ledger_flag(mark)
    mark.add_argument("--who", metavar="NAME", help="who decides (default: git config user.name, else $USER)")
    mark.add_argument(
        "--report", metavar="FILE", type=Path, help="a `reviewbot scan --format json` report holding the finding"
    )
    mark.add_argument(
        "--rule",
        metavar="RULE_ID",
        help="the finding's rule, when it is in no report (the record then has no features)",
    )

    imp = commands.add_parser(
        "import",
        help="append the records of a JSONL file (another ledger, another tool's export)",
        description="Append the valid records of FILE (ledger format, one JSON object a line) to the ledger.",
        epilog=_IMPORT_EPILOG,
        formatter_class=raw,
    )
    imp.add_argument("file", metavar="FILE", type=Path, help="the JSONL file to import")
    _ledger_flag(imp)

    show = commands.add_parser(
        "list",
        help="print the ledger's records",
        description="Print the ledger's records in file order, optionally filtered.",
        epilog=_LIST_EPILOG,
        formatter_class=raw,
    )
    _ledger_flag(show)
    show.add_argument("--rule", metavar="RULE_ID", help="only records of this rule")
    show.add_argument("--verdict", metavar=_VERDICTS, help="only records with this verdict")
    show.add_argument(
        "--latest", action="store_true", help="only the deciding (latest) record of each fingerprint, then filter"
    )
    show.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")

    stats = commands.add_parser(
        "stats",
        help="per rule: findings per verdict, false-positive rate, last decision",
        description="Per rule: findings per latest verdict, the false-positive rate and the last decision "
        "date; totals; and how many ledger lines are malformed.",
        epilog=_STATS_EPILOG,
        formatter_class=raw,
    )
    _ledger_flag(stats)
    stats.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")

    pull = commands.add_parser(
        "pull",
        help="append the verdicts typed in a pull request's thread",
        description="Append the trusted `/reviewbot fp|accept|tp` verdicts of a pull request's thread to the ledger.",
        epilog=_PULL_EPILOG,
        formatter_class=raw,
    )
    pull.add_argument(
        "--repo", metavar="OWNER/NAME", help="the repository of the pull request (default: $GITHUB_REPOSITORY)"
    )
    pull.add_argument(
        "--pr", metavar="N", type=int, action="append", help="the pull request number (required; repeat for several)"
    )
    _ledger_flag(pull)
    pull.add_argument(
        "--report",
        metavar="FILE",
        type=Path,
        help="the PR's scan report: adds feature vectors, and maps verdicts on findings listed only in the "
        "summary (default: the last scan's report, if any)",
    )
    pull.add_argument(
        "--bot-login",
        metavar="LOGIN",
        help="logins whose markers are reviewbot's, comma-separated (default: github-actions[bot]) "
        "[REVIEWBOT_BOT_LOGIN]",
    )


def _ledger_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ledger",
        metavar="FILE",
        type=Path,
        help=f"the ledger (default: {DEFAULT_LEDGER} at the top of the git work tree, else here)",
    )


def _verdict(text: str) -> Verdict:
    """A verdict or one of its aliases; checked here rather than by argparse for a one-line error."""
    value = text.strip().lower()
    if value in _ALIASES:
        return _ALIASES[value]
    try:
        return Verdict(value)
    except ValueError:
        raise TriageError(
            f"--verdict {text!r}: not a verdict; choose from {', '.join(v.value for v in Verdict)} "
            "(or tp, fp, accept, wontfix)"
        ) from None


def run_triage(args: argparse.Namespace) -> int:
    handlers = {"mark": _mark, "import": _import, "list": _list, "stats": _stats, "pull": _pull}
    handler = handlers.get(args.triage_command or "")
    if handler is None:
        args.triage_parser.print_help(sys.stderr)
        return EXIT_USAGE
    return handler(args)


def _warn(message: str) -> None:
    print(f"reviewbot: warning: {_safe(message)}", file=sys.stderr)


def _report_problems(path: Path, problems: list[tuple[int, str]], what: str = "skipped") -> None:
    for number, message in problems:
        _warn(f"{path}:{number}: {message} ({what})")


def _ledger_path(args: argparse.Namespace) -> Path:
    return args.ledger if args.ledger is not None else default_ledger(Path.cwd())


def _read(path: Path) -> LedgerRead:
    read = read_ledger(path)
    _report_problems(path, read.problems, "malformed ledger line, ignored")
    return read


def _mark(args: argparse.Namespace) -> int:
    cwd = Path.cwd()
    fp = fingerprint_for(args.fingerprint, report=args.report, repo_root=repo_root(cwd))
    verdict = _verdict(args.verdict)
    check_reason(verdict, args.reason)
    ledger = _ledger_path(args)
    read = _read(ledger)  # an unreadable ledger fails here, before anything else is looked up
    who = args.who if args.who is not None else default_who(cwd, os.environ)
    facts, warnings = find_facts(fp, report=args.report, repo_root=repo_root(cwd), rule_id=args.rule)
    record = new_record(
        facts, verdict, reason=args.reason, who=who, when=datetime.now(UTC), source=Source.CLI, commit=head_commit(cwd)
    )
    if args.rule is not None and args.report is None:
        from reviewbot.policy.rule_ids import builtin_rule_ids, unknown_rule

        # A warning, not an error: the ledger may hold verdicts on another ruleset's findings.
        warnings = [*warnings, *filter(None, [unknown_rule(args.rule, builtin_rule_ids())])]
    for w in warnings:
        _warn(w)
    previous = latest_verdicts(read.records).get(fp)
    append_records(ledger, [record])
    print(f"recorded {verdict.value} for {fp} ({_safe(record.rule_id)}) by {_safe(record.who)} in {ledger}")
    if previous is not None and previous.when > record.when:
        _warn(
            f"the ledger already has a verdict on {fp} dated later ({previous.verdict.value} by {previous.who} "
            f"at {previous.when.isoformat()}): that one still decides"
        )
    elif previous is not None and previous.verdict is not verdict:
        print(
            f"it supersedes {previous.verdict.value} by {_safe(previous.who)} "
            f"on {previous.when:%Y-%m-%d}: the latest verdict counts"
        )
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    ledger = _ledger_path(args)
    result = import_records(args.file, ledger)
    _report_problems(args.file, result.problems)
    already = f" ({result.duplicates} already in the ledger)" if result.duplicates else ""
    print(f"imported {len(result.imported)} record(s) into {ledger}{already}; skipped {len(result.problems)} line(s)")
    if not result.valid:
        print(f"reviewbot: error: {_safe(str(args.file))}: no valid record to import", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    verdict = _verdict(args.verdict) if args.verdict is not None else None
    ledger = _ledger_path(args)
    read = _read(ledger)
    records = list(latest_verdicts(read.records).values()) if args.latest else read.records
    if args.latest:  # back to file order
        order = {id(r): i for i, r in enumerate(read.records)}
        records.sort(key=lambda r: order[id(r)])
    records = select(records, rule=args.rule, verdict=verdict)
    if args.format == "json":
        doc = {
            "records": [r.model_dump(mode="json") for r in records],
            "problems": [{"line": n, "message": m} for n, m in read.problems],
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if not read.records and not read.problems and not ledger.exists():
        print(f"reviewbot: note: {_safe(str(ledger))} does not exist yet: no verdicts recorded", file=sys.stderr)
    for r in records:
        sys.stdout.write(_record_line(r) + "\n")
    return EXIT_OK


def _record_line(r: TriageRecord) -> str:
    when = r.when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    reason = f"  {json.dumps(r.reason, ensure_ascii=False)}" if r.reason else ""
    where = f"  {r.path}" if r.path else ""
    return _safe(f"{when}  {r.verdict.value:<14}  {r.fingerprint}  {r.rule_id}{where}  @{r.who} ({r.source}){reason}")


def _stats(args: argparse.Namespace) -> int:
    ledger = _ledger_path(args)
    stats = ledger_stats(_read(ledger))
    if args.format == "json":
        doc = {
            "rules": [_tally_json(t) for t in stats.rules],
            "total": _tally_json(stats.total),
            "malformed_lines": stats.malformed_lines,
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    sys.stdout.write(_stats_text(stats))
    return EXIT_OK


def _tally_json(t: Tally) -> dict[str, Any]:
    return {
        "rule_id": t.rule_id,
        "findings": t.findings,
        "records": t.records,
        "counts": {v.value: t.counts[v] for v in Verdict},
        "false_positive_rate": t.false_positive_rate,
        "last_decision": t.last_decision.strftime("%Y-%m-%dT%H:%M:%SZ") if t.last_decision else None,
    }


def _stats_text(stats: LedgerStats) -> str:
    head = ["rule", "findings", "tp", "fp", "accepted", "wont_fix", "fp rate", "records", "last decision"]
    rows = [head]
    for t in [*stats.rules, stats.total]:
        rate = t.false_positive_rate
        rows.append(
            [
                _safe(t.rule_id),
                str(t.findings),
                *(str(t.counts[v]) for v in Verdict),
                "-" if rate is None else f"{rate:.0%}",
                str(t.records),
                t.last_decision.strftime("%Y-%m-%d") if t.last_decision else "-",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for k, row in enumerate(rows):
        if k == len(rows) - 1:
            lines.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines.append(f"malformed lines: {stats.malformed_lines}")
    return "\n".join(lines) + "\n"


def _pull(args: argparse.Namespace) -> int:
    from reviewbot.github.client import Api, ClientSettings
    from reviewbot.github.markers import DEFAULT_BOT_LOGINS

    repository = args.repo or os.environ.get("GITHUB_REPOSITORY", "")
    if not _REPOSITORY.match(repository):
        raise TriageError(
            f"--repo {repository!r}: expected OWNER/NAME" if repository else "--repo OWNER/NAME is required"
        )
    if not args.pr:
        raise TriageError(
            "--pr N is required: the GitHub API subset reviewbot is built against cannot list pull requests"
        )
    if any(n < 1 for n in args.pr):
        raise TriageError(f"--pr {min(args.pr)}: not a pull request number")
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        raise TriageError("GITHUB_TOKEN is not set: `triage pull` reads the pull request through the GitHub API")
    logins = args.bot_login or os.environ.get("REVIEWBOT_BOT_LOGIN", "")
    bots = tuple(x.strip() for x in logins.split(",") if x.strip()) or DEFAULT_BOT_LOGINS
    ledger = _ledger_path(args)
    read = _read(ledger)
    known = _known_findings(args.report)
    api_url = (os.environ.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/")
    api = Api(ClientSettings.from_environ(api_url, token, os.environ))

    pulled: list[TriageRecord] = []
    for number in args.pr:
        result = pull_pr(api, repository, number, bot_logins=bots, known=known, ledger=read.records)
        pulled.extend(result.records)
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
    fresh = unseen(pulled, read.records)
    append_records(ledger, fresh)
    already = len(pulled) - len(fresh)
    print(f"{len(fresh)} new verdict(s) appended to {ledger}; {already} already in the ledger")
    return EXIT_OK


def _known_findings(report: Path | None) -> dict[str, FindingFacts]:
    """The report's findings by fingerprint: --report, else the last scan's report when it is usable."""
    if report is not None:
        return dict(load_report(report))
    cached = last_report_path(repo_root(Path.cwd()))
    if not cached.is_file():
        return {}
    try:
        return dict(load_report(cached))
    except TriageError as exc:
        _warn(f"ignoring the last scan's report: {exc}")
        return {}
