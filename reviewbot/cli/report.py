"""`reviewbot report`: the argparse wiring and the handler that writes the lead's HTML report.

An extension of `cli/main.py`'s boundary: argv is parsed and defaults are resolved here (the
repository's ledger, suppressions file and model when they exist); what the report shows is built
in `reviewbot.reporters.html`. Errors are raised as ReviewbotError and become exit codes in `cli.main.main`.
The report's modules are imported only when the command runs, so `reviewbot scan` (run on every
commit by the pre-commit hook) does not pay for them at start-up.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewbot._io import check_output_file, write_output
from reviewbot.change.git import repo_root
from reviewbot.errors import EXIT_OK, InputError
from reviewbot.policy.suppression_file import SUPPRESSIONS_FILE
from reviewbot.triage.ledger import DEFAULT_HISTORY, DEFAULT_LEDGER
from reviewbot.triage.scan_facts import last_report_path

if TYPE_CHECKING:
    from reviewbot.reporters.html import Sources


_EPILOG = f"""\
Every input is optional; a section without its input says what is missing and how to get it.
Defaults, from the git work tree around the current directory, when the file exists:
  --ledger        {DEFAULT_LEDGER}
  --history       {DEFAULT_HISTORY}
  --suppressions  {SUPPRESSIONS_FILE}
  --model         .reviewbot/model (or reviewbot's built-in model)
  --reports       the last `reviewbot scan` report kept for `triage mark`
The checkout's suppression usage counts and audit sample log (in the user cache) are read too,
and .reviewbot/config.yml for `suppressions.unused_after`.

The page is one static file: inline CSS and SVG, images as data: URIs, and a Content-Security-
Policy that forbids every network load and script. Sections: docs/report.md.

exit codes: 0 written; 2 bad usage or an unreadable input (the message names the file).
"""


def add_report_parser(sub: Any) -> None:
    """Add `report` to the top-level subparsers `sub`."""
    p = sub.add_parser(
        "report",
        help="write the security lead's HTML report: decisions, false positives, what was hidden and why",
        description="Write one self-contained HTML page from the triage ledger, saved scan reports, the "
        "suppressions file and the model card.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--ledger", metavar="FILE", type=Path, help=f"the triage ledger (default: {DEFAULT_LEDGER})")
    p.add_argument(
        "--reports",
        metavar="PATH",
        type=Path,
        nargs="+",
        help="`reviewbot scan --format json` reports, or folders of them (*.json)",
    )
    p.add_argument("--model", metavar="DIR", type=Path, help="a model folder with card.json (and eval.png)")
    p.add_argument(
        "--suppressions", metavar="FILE", type=Path, help=f"the suppressions file (default: {SUPPRESSIONS_FILE})"
    )
    p.add_argument(
        "--history",
        metavar="FILE",
        type=Path,
        action="append",
        help=f"an event history for the KPI section; repeat for several (default: {DEFAULT_HISTORY})",
    )
    p.add_argument("--out", "-o", metavar="FILE", type=Path, required=True, help="where to write the HTML page")


def run_report(args: argparse.Namespace) -> int:
    from reviewbot._text import escape_control as safe
    from reviewbot.redact import redact_text
    from reviewbot.reporters.html import collect, render_page

    check_output_file(args.out, "--out")  # before reading every input
    sources = resolve_sources(args, repo_root(Path.cwd()))
    data = collect(sources, datetime.now(UTC))
    # The page quotes findings from reports on disk, which an older reviewbot wrote unredacted.
    page = redact_text(render_page(data))
    write_output(args.out, page.encode("utf-8"), "--out")
    for problem in data.problems:
        print(f"reviewbot: warning: {safe(problem)}", file=sys.stderr)
    print(f"reviewbot: wrote {safe(str(args.out))} ({len(page.encode('utf-8')) // 1024 + 1} KB)")
    return EXIT_OK


def resolve_sources(args: argparse.Namespace, root: Path) -> Sources:
    """The given paths (each must exist), else the repository's files that exist."""
    from reviewbot.policy.audit import default_log_path
    from reviewbot.policy.suppression_file import default_usage_path
    from reviewbot.reporters.html import Sources

    for flag in ("ledger", "suppressions"):
        path: Path | None = getattr(args, flag)
        if path is not None and not path.is_file():
            raise InputError(f"--{flag} {path}: no such file")
    for given in args.history or []:
        if not given.is_file():
            raise InputError(f"--history {given}: no such file")
    history = args.history or [p for p in [_existing(root / DEFAULT_HISTORY)] if p is not None]
    ledger = args.ledger if args.ledger is not None else _existing(root / DEFAULT_LEDGER)
    suppressions = args.suppressions if args.suppressions is not None else _existing(root / SUPPRESSIONS_FILE)
    unused_after, audit_rate = _settings(root)
    reports: list[Path] = list(args.reports or [])
    if not reports and (last := _existing(last_report_path(root))) is not None:
        reports = [last]
    return Sources(
        ledger=ledger,
        reports=reports,
        model=args.model if args.model is not None else _default_model(root),
        suppressions=suppressions,
        suppression_usage=_existing(default_usage_path(root)),
        unused_after=unused_after,
        audit_log=_existing(default_log_path(root)),
        audit_sample_rate=audit_rate,
        history=history,
    )


def _settings(root: Path) -> tuple[int, float | None]:
    """`suppressions.unused_after` and `audit.sample_rate` of the repository's config; the default and
    "unknown" when the config is unusable (the audit hint then names the setting without a value)."""
    from reviewbot.errors import ConfigError
    from reviewbot.policy.config import CONFIG_FILE, load_config
    from reviewbot.reporters.html.collect import UNUSED_AFTER

    try:
        config = load_config(root / CONFIG_FILE).config
    except ConfigError as exc:
        from reviewbot._text import escape_control as safe

        print(
            f"reviewbot: warning: {safe(str(exc))}; counting unused suppressions after {UNUSED_AFTER} reviews",
            file=sys.stderr,
        )
        return UNUSED_AFTER, None
    return config.suppressions.unused_after, config.audit.sample_rate


def _existing(path: Path) -> Path | None:
    return path if path.is_file() else None


def _default_model(root: Path) -> Path | None:
    """The model `reviewbot scan` would use here, when its folder has a card."""
    try:
        from reviewbot.learn.scoring import resolve_model
    except ImportError:  # scoring is optional for the report: without it, no default model
        return None
    folder = resolve_model(None, root)
    return folder if folder is not None and (folder / "card.json").is_file() else None
