"""What each `reviewbot triage` subcommand does and prints (mark, import, list, stats; the two
that read GitHub, pull and import-github, are in `cli/triage_github.py`).

`cli/triage.py` parses argv and calls these; the ledger work is in `reviewbot.triage`, the PR
thread is read by `github/thread_pull`. Errors are raised as ReviewbotError and turned into exit
codes by `cli/main`. Text that humans or PRs wrote (reasons, names, rule ids) is made inert
before it reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reviewbot._text import escape_control as _safe  # text from people or PRs, inert on a terminal
from reviewbot.change.git import head_commit, repo_root
from reviewbot.errors import EXIT_OK, EXIT_USAGE
from reviewbot.triage.importing import import_records
from reviewbot.triage.ledger import (
    LedgerRead,
    Source,
    TriageError,
    TriageRecord,
    Verdict,
    append_records,
    check_reason,
    default_ledger,
    default_who,
    latest_verdicts,
    new_record,
    read_ledger,
    select,
)
from reviewbot.triage.scan_facts import find_facts
from reviewbot.triage.short_id import fingerprint_for
from reviewbot.triage.stats import LedgerStats, Tally, ledger_stats

_ALIASES = {
    "tp": Verdict.TRUE_POSITIVE,
    "fp": Verdict.FALSE_POSITIVE,
    "accept": Verdict.ACCEPTED_RISK,
    "wontfix": Verdict.WONT_FIX,
    "wont-fix": Verdict.WONT_FIX,
}


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


def run_mark(args: argparse.Namespace) -> int:
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


def run_import(args: argparse.Namespace) -> int:
    ledger = _ledger_path(args)
    result = import_records(args.file, ledger)
    _report_problems(args.file, result.problems)
    already = f" ({result.duplicates} already in the ledger)" if result.duplicates else ""
    print(f"imported {len(result.imported)} record(s) into {ledger}{already}; skipped {len(result.problems)} line(s)")
    if not result.valid:
        print(f"reviewbot: error: {_safe(str(args.file))}: no valid record to import", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
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


def run_stats(args: argparse.Namespace) -> int:
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
