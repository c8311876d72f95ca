"""The command line: the parser of every command, and the one error boundary (`main`).

Each command is a module of its own (scan.py, pr.py, triage.py, suppress.py, report.py, kpi.py,
replay.py, learn.py), with its flags (`add_*_parser`) and its handler (`run_*`); only cli/ parses argv,
prints and exits. Exit codes are defined in `reviewbot.errors` and documented in docs/cli.md.
"""

from __future__ import annotations

import argparse
import sys

from reviewbot import __version__
from reviewbot._text import escape_control
from reviewbot.cli.kpi import add_kpi_parser, run_kpi
from reviewbot.cli.learn import COMMANDS as LEARN_COMMANDS
from reviewbot.cli.learn import add_learn_parsers, run_learn
from reviewbot.cli.pr import add_pr_parser, run_pr
from reviewbot.cli.replay import add_replay_parser, run_replay
from reviewbot.cli.report import add_report_parser, run_report
from reviewbot.cli.scan import add_scan_parser, run_scan
from reviewbot.cli.suppress import add_suppress_parser, run_suppress
from reviewbot.cli.triage import add_triage_parser, run_triage
from reviewbot.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, ReviewbotError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse exits with 2 on its own; keep the one-line style of our other errors.
        self.print_usage(sys.stderr)
        print(f"reviewbot: error: {escape_control(message)}", file=sys.stderr)  # quotes the bad value
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="reviewbot", description="Security code review that advises and never blocks.")
    parser.add_argument("--version", action="version", version=f"reviewbot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    add_scan_parser(sub)
    add_pr_parser(sub)
    add_triage_parser(sub)
    add_suppress_parser(sub)
    add_report_parser(sub)
    add_kpi_parser(sub)
    add_replay_parser(sub)
    add_learn_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors: return, so callers get a code
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "pr":
        return run_pr(args)
    try:
        if args.command == "triage":
            return run_triage(args)
        if args.command == "suppress":
            return run_suppress(args)
        if args.command == "report":
            return run_report(args)
        if args.command == "kpi":
            return run_kpi(args)
        if args.command == "replay":
            return run_replay(args)
        if args.command in LEARN_COMMANDS:
            return run_learn(args)
        return run_scan(args)
    except ReviewbotError as exc:
        # messages name paths and values from the input (a file name, a patch): escaped, one line
        print(f"reviewbot: error: {escape_control(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("reviewbot: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:  # noqa: BLE001 - the one boundary that turns a bug into a readable exit
        import traceback

        from reviewbot.redact import redact_text

        sys.stderr.write(redact_text(traceback.format_exc()))  # a message may quote a line of code
        print("reviewbot: internal error (a bug in reviewbot); please report it with the trace above", file=sys.stderr)
        return EXIT_INTERNAL


def entry() -> None:
    sys.exit(main())
