"""`reviewbot triage …`: the argparse wiring, the help texts, and the dispatch to the subcommands.

An extension of `cli/main.py`'s boundary: argv is parsed here; what each subcommand does and
prints is in `cli/triage_commands.py`, the ledger itself in `reviewbot.triage`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reviewbot.errors import EXIT_USAGE
from reviewbot.triage.ledger import DEFAULT_LEDGER, Verdict

_VERDICTS = "{" + ",".join(v.value for v in Verdict) + "}"

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
Reads the review-comment replies, conversation comments and the 👍/👎 reactions on reviewbot's
own inline comments of each pull request through the GitHub API (GITHUB_TOKEN; GITHUB_API_URL
for GitHub Enterprise, default https://api.github.com) and parses the `/reviewbot fp|accept|tp …`
commands as the PR run does (docs/github.md). Nothing is written to GitHub.

Which pull requests: each --pr N; without --pr, every pull request closed since --since (default:
30 days ago), walked newest first through the list-pull-requests endpoint.

Only trusted verdicts are appended, with source "pr-thread". A command is trusted from people
with write access (OWNER, MEMBER, COLLABORATOR), with a reason for every dismissal, and never
from the PR author dismissing a finding in their own PR. A reaction (👍 true_positive, 👎
false_positive) is trusted when the reacting user's permission on the repository is write,
maintain or admin (asked of GitHub once per user per run; the PR author too). Untrusted verdicts
are printed as "not recorded" with the reason and are not written to the ledger (so they never
become training labels). A verdict already in the ledger (same fingerprint, who, verdict, when)
is not appended twice. Prints the new verdicts per pull request and per source (command, reaction).

reviewbot's comments are those by --bot-login (REVIEWBOT_BOT_LOGIN); without it, the token's own
login from GET /user when the token may ask (a personal token), plus github-actions[bot].
"""

_IMPORT_GITHUB_EPILOG = """\
Reads the repository's GitHub code-scanning alerts (GITHUB_TOKEN with security-events: read;
GITHUB_API_URL for GitHub Enterprise) and appends one record, source "import", per dismissed
alert:

  dismissed as "false positive"  -> false_positive
  dismissed as "won't fix"       -> wont_fix
  dismissed as "used in tests"   -> accepted_risk
  dismissed as "mitigated"       -> accepted_risk
  fixed, open                    -> no record (counted as context)

who is the dismisser's login, when the dismissal time, commit the alert's latest commit. The
fingerprint is reviewbot's own, computed from the code at the alert's location at that commit,
read with git from the checkout around the current directory (--checkout DIR): fetch the
history the alerts point at (actions/checkout with fetch-depth: 0). Alerts whose code cannot be
read are counted and skipped. Running it again writes nothing twice.

Training needs a feature vector, which an alert does not have: give --report a scan report in
which the same tool's results were imported (`reviewbot scan --all --import-sarif TOOL.sarif
--format json -o scan.json`); a record whose fingerprint the report holds gets its features.
Without one, the records still decide later reviews (triaged) and feed the per-rule history.

exit codes: 0 done; 2 bad input; 3 GitHub failed, or refused the token (403: it lacks
security-events: read, or code scanning is not enabled), with a note saying which.
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
        help="append the verdicts in pull requests' threads (commands and 👍/👎 reactions)",
        description="Append the trusted verdicts of pull requests' threads to the ledger: `/reviewbot fp|accept|tp` "
        "commands and 👍/👎 reactions on reviewbot's inline comments, from the --pr given or the pull requests "
        "closed since --since.",
        epilog=_PULL_EPILOG,
        formatter_class=raw,
    )
    pull.add_argument(
        "--repo", metavar="OWNER/NAME", help="the repository of the pull request (default: $GITHUB_REPOSITORY)"
    )
    pull.add_argument(
        "--pr", metavar="N", type=int, action="append", help="the pull request number (repeat for several)"
    )
    pull.add_argument(
        "--since",
        metavar="DATE",
        help="without --pr: the pull requests closed since DATE (YYYY-MM-DD or an ISO 8601 time; default: 30 days ago)",
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
        help="logins whose markers are reviewbot's, comma-separated (default: the token's login from "
        "GET /user if it may ask, and github-actions[bot]) [REVIEWBOT_BOT_LOGIN]",
    )

    gh = commands.add_parser(
        "import-github",
        help="append the decisions taken on GitHub code-scanning alerts (dismissals)",
        description="Append one record per dismissed GitHub code-scanning alert of the repository to the ledger, "
        "keyed by reviewbot's fingerprint of the code at the alert's location.",
        epilog=_IMPORT_GITHUB_EPILOG,
        formatter_class=raw,
    )
    gh.add_argument("--repo", metavar="OWNER/NAME", help="the repository (default: $GITHUB_REPOSITORY)")
    _ledger_flag(gh)
    gh.add_argument(
        "--checkout",
        metavar="DIR",
        type=Path,
        help="the git checkout of the repository the alerts' code is read from (default: the current directory)",
    )
    gh.add_argument("--tool-name", metavar="NAME", help="only the alerts of this code-scanning tool (e.g. CodeQL)")
    gh.add_argument(
        "--report",
        metavar="FILE",
        type=Path,
        help="a scan report holding the alerts' findings (`reviewbot scan --all --import-sarif TOOL.sarif "
        "--format json`): their feature vectors go into the records, so the decisions can train the model "
        "(default: the last scan's report, if any)",
    )


def _ledger_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ledger",
        metavar="FILE",
        type=Path,
        help=f"the ledger (default: {DEFAULT_LEDGER} at the top of the git work tree, else here)",
    )


def run_triage(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the GitHub client (PyGithub, jwt, cryptography) costs ~0.3 s
    # to import, and `reviewbot scan --staged` in a pre-commit hook must not pay for it.
    from reviewbot.cli.triage_commands import run_import, run_list, run_mark, run_stats
    from reviewbot.cli.triage_github import run_import_github, run_pull

    handlers = {
        "mark": run_mark,
        "import": run_import,
        "list": run_list,
        "stats": run_stats,
        "pull": run_pull,
        "import-github": run_import_github,
    }
    handler = handlers.get(args.triage_command or "")
    if handler is None:
        args.triage_parser.print_help(sys.stderr)
        return EXIT_USAGE
    return handler(args)
