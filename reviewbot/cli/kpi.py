"""`reviewbot kpi`: the argparse wiring and the handler that prints the lead's KPIs.

An extension of `cli/main.py`'s boundary: argv is parsed and defaults resolved here (the
repository's event history and ledger); the figures are computed by `reviewbot.triage.kpi` and
written by `reviewbot.reporters.kpi`. Errors are ReviewbotErrors, exit codes in `cli.main.main`.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from reviewbot.change.git import repo_root
from reviewbot.errors import EXIT_OK, InputError
from reviewbot.triage.ledger import DEFAULT_HISTORY, DEFAULT_LEDGER

_EPILOG = f"""\
Reads the event history that `reviewbot pr --history FILE` and `reviewbot scan --history FILE`
append to (default: {DEFAULT_HISTORY} at the top of the git work tree) and the triage ledger
(default: {DEFAULT_LEDGER}). --history may be given several times: the files are read together,
as after a merge, and events repeated in them count once.

A finding counts in the window when it was first reported in it; what happened to it later
counts up to --until. Every share is printed with its count and a Wilson 95% interval. Each
figure is explained in docs/kpi.md, with the pilot gate (the figures to compare before and after
turning the bot on).

examples:
  reviewbot kpi --since 30d
  reviewbot kpi --since 2026-01-01 --rule python.tls.requests-verify-disabled --format json

exit codes: 0 printed; 2 bad usage, a given file that does not exist, or an unreadable file.
"""

_RELATIVE = re.compile(r"^(\d{1,5})([dw])$")


def add_kpi_parser(sub: Any) -> None:
    """Add `kpi` to the top-level subparsers `sub`."""
    p = sub.add_parser(
        "kpi",
        help="the lead's KPIs: acceptance, false positives, time to fix and to triage, per rule and severity",
        description="Print the KPIs of the findings reviewbot reported: how often they were fixed or accepted, "
        "how often dismissed as false positives, how fast they were fixed and triaged, and how many "
        "comments a PR got, overall, per severity, per rule and per week.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--history",
        metavar="FILE",
        type=Path,
        action="append",
        help=f"an event history file; repeat for several (default: {DEFAULT_HISTORY})",
    )
    p.add_argument("--ledger", metavar="FILE", type=Path, help=f"the triage ledger (default: {DEFAULT_LEDGER})")
    p.add_argument(
        "--since",
        metavar="WHEN",
        help="only findings first reported from WHEN on: a date (2026-01-31, UTC), an ISO time with a "
        "timezone, or a span back from now (30d, 12w)",
    )
    p.add_argument("--until", metavar="WHEN", help="the end of the window, as --since (default: now)")
    p.add_argument("--rule", metavar="RULE_ID", help="only the findings of this rule")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")


def parse_when(text: str, flag: str, now: datetime) -> datetime:
    """A date (midnight UTC), an ISO time with a timezone, or `Nd` / `Nw` back from `now`."""
    relative = _RELATIVE.match(text.strip())
    if relative:
        days = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
        return now - timedelta(days=days)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return datetime.fromisoformat(text.strip()).replace(tzinfo=UTC)
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{flag} {text!r}: not a date (2026-01-31), an ISO time (2026-01-31T08:00Z) or a span (30d, 12w)"
        ) from None
    if when.utcoffset() is None:
        raise InputError(f"{flag} {text!r}: give a timezone (e.g. Z for UTC), or a plain date")
    return when


def run_kpi(args: argparse.Namespace) -> int:
    from reviewbot._text import escape_control as safe
    from reviewbot.policy.rule_ids import unknown_rule
    from reviewbot.reporters.kpi import render_kpi_json, render_kpi_text
    from reviewbot.triage.events import HistoryEvent, read_history
    from reviewbot.triage.kpi import compute_kpis
    from reviewbot.triage.ledger import read_ledger

    now = datetime.now(UTC)
    since = parse_when(args.since, "--since", now) if args.since else None
    until = parse_when(args.until, "--until", now) if args.until else now
    if since is not None and since > until:
        raise InputError(f"--since {args.since!r} is after --until ({until:%Y-%m-%d %H:%M} UTC)")
    root = repo_root(Path.cwd())
    histories: list[Path] = args.history or [root / DEFAULT_HISTORY]
    for path in [*(args.history or []), *([args.ledger] if args.ledger else [])]:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    events: list[HistoryEvent] = []
    problems: list[dict[str, Any]] = []
    for path in histories:
        read = read_history(path)
        events += read.events
        problems += [{"file": str(path), "line": n, "message": m} for n, m in read.problems]
    ledger_path: Path = args.ledger or root / DEFAULT_LEDGER
    ledger = read_ledger(ledger_path)
    problems += [{"file": str(ledger_path), "line": n, "message": m} for n, m in ledger.problems]
    for p in problems:
        print(
            f"reviewbot: warning: {safe(str(p['file']))}:{p['line']}: {safe(str(p['message']))}; skipped",
            file=sys.stderr,
        )
    if args.rule is not None:
        hint = unknown_rule(args.rule, {str(e.rule_id) for e in events if e.rule_id})
        if hint is not None:
            print(f"reviewbot: warning: {safe(hint)} in the history: no findings to count", file=sys.stderr)
    kpis = compute_kpis(events, ledger.records, since=since, until=until, rule=args.rule)
    sys.stdout.write(render_kpi_json(kpis, problems) if args.format == "json" else render_kpi_text(kpis))
    return EXIT_OK
