"""The command line: the only module that parses argv, prints and exits.

Exit codes are defined in `reviewbot.errors` and documented in docs/cli.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewbot import __version__
from reviewbot._io import check_output_file, write_output
from reviewbot._text import escape_control
from reviewbot.cli.learn import COMMANDS as LEARN_COMMANDS
from reviewbot.cli.learn import add_learn_parsers, add_model_flags, run_learn, scan_model
from reviewbot.cli.report import add_report_parser, run_report
from reviewbot.cli.suppress import add_suppress_parser, run_suppress
from reviewbot.cli.triage import add_triage_parser, run_triage
from reviewbot.errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    InputError,
    ReviewbotError,
)
from reviewbot.finding import Severity

if TYPE_CHECKING:
    from reviewbot.github.runner import PrOptions
    from reviewbot.review.result import ReviewResult
    from reviewbot.scanners.interface import Scanner
    from reviewbot.scanners.treesitter import TreeSitterScanner

_SCAN_EPILOG = """\
what is reviewed (choose one):
  --base REV      the change a pull request of HEAD into REV shows: from the merge-base of REV
                  and HEAD to HEAD (committed work only; add --worktree for uncommitted edits)
  --staged        what `git commit` would record: HEAD to the index (for pre-commit)
  --diff FILE     a unified patch, applied to a temporary copy of the checkout (never to it)
  --all [PATH ..] whole files, every finding counted as new (audits, benchmarks)

By default only findings the change introduces are reported: a finding is new when its
fingerprint is absent from the same rules run on the base version of the changed files.
Deleted files, symlinks, submodules, binary files and mode-only changes are skipped with a note.

exit codes:
  0  finished (whatever was found), unless --fail-on is given
  1  --fail-on was given and a reported finding reached that severity
  2  bad usage, input or config (the message names the value or file)
  3  git or semgrep missing or failed
  4  internal error (a bug: please report it)

examples:
  reviewbot scan --base origin/main
  reviewbot scan --staged --fail-on high
  reviewbot scan --diff change.patch --format sarif --output reviewbot.sarif
  reviewbot scan --all src/ --format json
"""


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
    scan = sub.add_parser(
        "scan",
        help="review a change (or whole files) and report security findings",
        description="Run reviewbot's rules on a change and report the findings it introduces.",
        epilog=_SCAN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = scan.add_mutually_exclusive_group(required=True)
    what.add_argument("--base", metavar="REV", help="review merge-base(REV, HEAD)..HEAD, as a pull request would")
    what.add_argument("--staged", action="store_true", help="review the staged changes (HEAD..index)")
    what.add_argument("--diff", metavar="FILE", type=Path, help="review a unified patch applied to the checkout")
    what.add_argument(
        "--all", metavar="PATH", nargs="*", type=Path, help="review whole files (default: the repository)"
    )
    scan.add_argument("--worktree", action="store_true", help="with --base: review up to the working tree, not HEAD")
    scan.add_argument(
        "--repo",
        metavar="DIR",
        type=Path,
        help="the checkout (default: the git repository around the current directory)",
    )
    scan.add_argument(
        "--format", choices=["text", "json", "sarif"], default="text", help="output format (default: text)"
    )
    scan.add_argument(
        "--output", "-o", metavar="FILE", type=Path, help="write the report to FILE (atomically) instead of stdout"
    )
    scan.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        help="exit 1 when a reported finding has this severity or higher (default: never fail)",
    )
    scan.add_argument(
        "--new-only",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="report only findings the change introduces (default: on; --all reports everything anyway)",
    )
    scan.add_argument(
        "--rules", metavar="DIR", type=Path, help="folder of Semgrep rule files (default: reviewbot's own)"
    )
    scan.add_argument(
        "--max-file-bytes",
        metavar="N",
        type=int,
        default=1_000_000,
        help="skip files larger than N bytes (default: 1000000)",
    )
    scan.add_argument(
        "--semgrep", metavar="PATH", help="the semgrep executable (default: the one installed with reviewbot)"
    )
    scan.add_argument(
        "--semgrep-engine",
        choices=["auto", "fast", "cli"],
        default="auto",
        help="fast: semgrep's OCaml front end, no Python start-up (pinned semgrep only); cli: the semgrep "
        "command; auto (default): fast, falling back to cli on any error",
    )
    scan.add_argument(
        "--no-cache",
        action="store_true",
        help="scan every file again instead of reusing cached per-file results (see docs/cli.md)",
    )
    scan.add_argument(
        "--scanner",
        action="append",
        choices=["semgrep", "treesitter"],
        help="run only this scanner (repeat for several; default: all)",
    )
    add_model_flags(scan)
    scan.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="text output: also print the summary line when nothing is reported, and the files skipped on "
        "purpose (too large, binary, symlinks); warnings are printed on stderr with or without it",
    )
    scan.add_argument(
        "--color", choices=["auto", "always", "never"], default="auto", help="colour the text output (default: auto)"
    )
    pr = sub.add_parser(
        "pr",
        help="review a GitHub pull request inside GitHub Actions and post the results (always exits 0)",
        description="Review the pull request of the current GitHub Actions event and post one COMMENT review, "
        "a summary comment, a neutral check run and optionally SARIF. Every option can also be given as an "
        "environment variable (shown in brackets), which is how action.yml passes its inputs.",
        epilog=_PR_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pr.add_argument("--repo", metavar="DIR", type=Path, help="the PR checkout (default: $GITHUB_WORKSPACE or .)")
    pr.add_argument("--rules", metavar="DIR", type=Path, help="rules folder outside the checkout [REVIEWBOT_RULES]")
    pr.add_argument(
        "--model",
        metavar="NAME|DIR",
        help="scoring model: a bundled model's name (e.g. default) or a folder outside the checkout (default: "
        "the merge-base's .reviewbot/model, else default) [REVIEWBOT_MODEL]",
    )
    pr.add_argument(
        "--threshold",
        metavar="P",
        help="score threshold 0..1 for every finding; beats the card and the config's thresholds [REVIEWBOT_THRESHOLD]",
    )
    pr.add_argument(
        "--max-comments",
        metavar="N",
        help="inline comments per run, the rest in the summary (default 30) [REVIEWBOT_MAX_COMMENTS]",
    )
    pr.add_argument(
        "--sarif-upload",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="upload SARIF to code scanning (default: off) [REVIEWBOT_SARIF_UPLOAD]",
    )
    pr.add_argument("--sarif-category", metavar="ID", help="code scanning category [REVIEWBOT_SARIF_CATEGORY]")
    pr.add_argument(
        "--results", metavar="FILE", type=Path, help="post these saved results instead of reviewing [REVIEWBOT_RESULTS]"
    )
    pr.add_argument(
        "--save-results", metavar="FILE", type=Path, help="save the results for a later stage [REVIEWBOT_SAVE_RESULTS]"
    )
    pr.add_argument(
        "--no-post",
        action="store_true",
        help="write nothing to GitHub: annotations and job summary only [REVIEWBOT_POST=false]",
    )
    pr.add_argument(
        "--bot-login",
        metavar="LOGIN",
        help="logins whose markers are trusted, comma-separated (default: github-actions[bot]) [REVIEWBOT_BOT_LOGIN]",
    )
    pr.add_argument(
        "--semgrep", metavar="PATH", help="the semgrep executable (default: the one installed with reviewbot)"
    )
    pr.add_argument("--semgrep-engine", choices=["auto", "fast", "cli"], default="auto", help="as for scan")
    pr.add_argument(
        "--scanner",
        action="append",
        choices=["semgrep", "treesitter"],
        help="run only this scanner (repeat for several; default: all, as for scan)",
    )
    add_triage_parser(sub)
    add_suppress_parser(sub)
    add_report_parser(sub)
    add_learn_parsers(sub)
    return parser


_PR_EPILOG = """\
reads: GITHUB_EVENT_PATH and GITHUB_EVENT_NAME (pull_request or workflow_run), GITHUB_REPOSITORY,
GITHUB_TOKEN, GITHUB_API_URL (GitHub Enterprise), GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE.

exit code: always 0 (problems are printed as workflow-command notices); 130 when interrupted.
See docs/github.md.
"""


def _pr_options(args: argparse.Namespace, environ: dict[str, str]) -> tuple[PrOptions, list[str]]:
    """PrOptions from flags, else REVIEWBOT_* variables; a bad value is a note and the default."""
    from reviewbot.github.markers import DEFAULT_BOT_LOGINS
    from reviewbot.github.runner import PrOptions
    from reviewbot.scanners.rulesets import load_rules
    from reviewbot.scanners.semgrep import Engine, SemgrepScanner

    notes: list[str] = []

    def value(flag: Any, name: str) -> str | None:
        if flag is not None:
            return str(flag)
        return environ.get(f"REVIEWBOT_{name}") or None

    def number(flag: Any, name: str, cast: type[int] | type[float], low: float, high: float) -> Any:
        raw = value(flag, name)
        if raw is None:
            return None
        try:
            parsed = cast(raw)
        except ValueError:
            parsed = None
        if parsed is None or not low <= parsed <= high:
            notes.append(
                f"{name.lower().replace('_', '-')}={raw!r} is not a number in {low}..{high}; using the default"
            )
            return None
        return parsed

    def boolean(flag: bool | None, name: str, default: bool) -> bool:
        if flag is not None:
            return flag
        raw = (environ.get(f"REVIEWBOT_{name}") or "").strip().lower()
        if raw in ("true", "1", "yes", "on"):
            return True
        if raw in ("false", "0", "no", "off"):
            return False
        if raw:
            notes.append(f"{name.lower().replace('_', '-')}={raw!r} is not true or false; using {default}")
        return default

    def path(flag: Path | None, name: str) -> Path | None:
        raw = value(flag, name)
        return Path(raw) if raw else None

    budget = number(args.max_comments, "MAX_COMMENTS", int, 0, 1000)
    logins = value(args.bot_login, "BOT_LOGIN")
    engine = Engine(args.semgrep_engine)

    chosen = set(args.scanner or ["semgrep", "treesitter"])

    def make_scanners(rules_dir: Path) -> list[Scanner]:  # the same scanners `scan` runs
        from reviewbot.scanners.treesitter import TreeSitterScanner

        scanners: list[Scanner] = []
        if "semgrep" in chosen:
            scanners.append(SemgrepScanner(load_rules(rules_dir), semgrep=args.semgrep, engine=engine))
        if "treesitter" in chosen:
            scanners.append(TreeSitterScanner())
        return scanners

    options = PrOptions(
        repo_dir=args.repo,
        rules_dir=path(args.rules, "RULES"),
        model=value(args.model, "MODEL"),
        threshold=number(args.threshold, "THRESHOLD", float, 0.0, 1.0),
        budget=budget if budget is not None else 30,
        sarif_upload=boolean(args.sarif_upload, "SARIF_UPLOAD", False),
        sarif_category=value(args.sarif_category, "SARIF_CATEGORY") or "reviewbot",
        results_in=path(args.results, "RESULTS"),
        results_out=path(args.save_results, "SAVE_RESULTS"),
        post=not args.no_post and boolean(None, "POST", True),
        bot_logins=tuple(x.strip() for x in logins.split(",") if x.strip()) if logins else DEFAULT_BOT_LOGINS,
        make_scanners=make_scanners,
    )
    return options, notes


def _pr(args: argparse.Namespace) -> int:
    """The GitHub Action's entry: whatever happens, a readable notice and exit 0 (never block)."""
    from reviewbot.github.fallback import notice

    try:
        from reviewbot.github.runner import run_pr

        options, notes = _pr_options(args, dict(os.environ))
        for note in notes:
            print(notice(note, level="warning"))  # a workflow command: escaped where it is built
        outcome = run_pr(options, os.environ)
        for line in outcome.lines:  # workflow commands, escaped where built (github/fallback.command)
            print(line)
        print(
            f"reviewbot: {outcome.posted_inline} inline comment(s) posted; summary comment "
            f"{'updated' if outcome.summary_comment else 'not needed or not posted'}; check run "
            f"{'created' if outcome.check_run else 'not created'}"
            + ("; findings reported as annotations instead" if outcome.fell_back else "")
        )
    except KeyboardInterrupt:
        print("reviewbot: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - never block a PR: a bug is a notice and a trace, exit 0
        import secrets
        import traceback

        from reviewbot.redact import redact_text

        # The trace may quote PR-controlled text: stop the runner reading it as workflow commands,
        # and redact it (an exception's message can quote a line of code, or a request).
        resume = secrets.token_hex(16)
        print(f"::stop-commands::{resume}")
        sys.stdout.write(redact_text(traceback.format_exc()))
        print(f"::{resume}::")
        print(
            notice(
                f"reviewbot failed with an internal error (please report it): {type(exc).__name__}: {exc}",
                level="warning",
            )
        )
    return EXIT_OK


def _keep_for_triage(root: Path, result: ReviewResult, json_report: str | None) -> None:
    """Save the report where `triage mark` finds a fingerprint's rule, path and features.

    `json_report` is the JSON the scan already rendered, if its output format was JSON."""
    from reviewbot.reporters import OutputFormat, render
    from reviewbot.triage.ledger import TriageError, save_last_report

    try:
        save_last_report(root, json_report if json_report is not None else render(result, OutputFormat.JSON))
    except TriageError as exc:  # a read-only cache costs `triage mark` a --report, never the scan
        print(f"reviewbot: warning: {escape_control(str(exc))}", file=sys.stderr)


def _log_audit_samples(root: Path, result: ReviewResult) -> None:
    """Remember which shown findings were audit samples, for the report's hidden-findings estimate."""
    from reviewbot.policy.audit import default_log_path, record_samples

    try:
        record_samples(default_log_path(root), result.findings)
    except OSError as exc:  # the estimate loses a sample; the scan is unaffected
        print(f"reviewbot: warning: cannot log audit samples: {escape_control(str(exc))}", file=sys.stderr)


def _root(args: argparse.Namespace) -> Path:
    from reviewbot.change.git import GitRepo

    repo: Path | None = args.repo
    if repo is not None:
        if not repo.is_dir():
            raise InputError(f"--repo {repo}: not a directory")
        return repo.resolve()
    try:
        return GitRepo.discover(Path.cwd()).root
    except InputError:
        return Path.cwd().resolve()


def _scan(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from reviewbot.change import changes
    from reviewbot.change.git import GitRepo
    from reviewbot.scanners.rulesets import builtin_rules_dir, cache_dir, load_rules

    if args.max_file_bytes <= 0:
        raise InputError(f"--max-file-bytes {args.max_file_bytes}: must be a positive number of bytes")
    if args.worktree and args.base is None:
        raise InputError("--worktree only applies to --base")
    if args.no_model and args.threshold is not None:
        raise InputError("--threshold has no effect with --no-model (nothing is scored)")
    if args.diff is not None and not args.diff.is_file():
        raise InputError(f"--diff {args.diff}: no such file")
    if args.output is not None:
        check_output_file(args.output, "--output")  # a typo costs nothing, not a whole scan
    root = _root(args)
    limit = args.max_file_bytes
    chosen = set(args.scanner or ["semgrep", "treesitter"])

    def independent_of_the_change() -> TreeSitterScanner | None:
        import importlib

        from reviewbot.scanners.treesitter import TreeSitterScanner

        modules = (
            "reviewbot.review.run",
            "reviewbot.reporters",
            "reviewbot.scanners.semgrep",
            "reviewbot.learn.scoring",
        )
        for module in modules:
            importlib.import_module(module)  # the later stages' code, loaded off the critical path

        return TreeSitterScanner() if "treesitter" in chosen else None

    # The tree-sitter rules and the later stages' code do not depend on the change: they load
    # while git runs. The model does (it is read from the trusted side of the change), but
    # parsing it takes milliseconds once its code is imported.
    with ThreadPoolExecutor(max_workers=1) as pool:
        early = pool.submit(independent_of_the_change)
        if args.base is not None:
            change = changes.from_base(GitRepo.discover(root), args.base, worktree=args.worktree, max_bytes=limit)
        elif args.staged:
            change = changes.from_staged(GitRepo.discover(root), max_bytes=limit)
        elif args.diff is not None:
            change = changes.from_patch(root, args.diff, max_bytes=limit)
        else:
            change = changes.from_all(root, args.all, max_bytes=limit)
        rules = load_rules(args.rules if args.rules is not None else builtin_rules_dir())
        tree_scanner = early.result()
    from reviewbot._text import escape_control as safe
    from reviewbot.reporters import OutputFormat, render
    from reviewbot.review.run import ReviewOptions, run_review
    from reviewbot.review.trusted_side import trusted_side
    from reviewbot.scanners.semgrep import Engine, SemgrepScanner

    # A developer's own staged change, or the whole tree, is trusted; a --base/--diff change is
    # reviewed the way a pull request is: config, suppressions, ledger and model come from the
    # trusted side (the merge-base; the checkout before the patch), never from the change.
    trust_head = args.staged or args.all is not None
    history, scorer = scan_model(args, trusted_side(change, trust_head=trust_head))

    scanners: list[Scanner] = []
    if "semgrep" in chosen:
        cache = None if args.no_cache else cache_dir() / "results"
        scanners.append(
            SemgrepScanner(rules, semgrep=args.semgrep, engine=Engine(args.semgrep_engine), cache_dir=cache)
        )
    if tree_scanner is not None:
        scanners.append(tree_scanner)
    from reviewbot.policy.suppression_file import default_usage_path

    options = ReviewOptions(
        new_only=args.new_only and args.all is None,
        trust_head=trust_head,
        usage_state=default_usage_path(root),
    )
    result = run_review(change, scanners, options, history=history, scorer=scorer)
    color = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    # Problems met (the user's own config among them) go to stderr in every format, so a JSON or
    # SARIF report, or --output, cannot hide them; the text report then does not repeat them.
    for note in result.notes:
        print(f"reviewbot: warning: {safe(note)}", file=sys.stderr)
    shown = result.model_copy(update={"notes": []}) if args.format == "text" else result
    report = render(shown, OutputFormat(args.format), color=color, verbose=args.verbose)
    if args.output is not None:
        write_output(args.output, report.encode("utf-8"), "--output")
    else:
        sys.stdout.write(report)
    _keep_for_triage(root, result, report if args.format == "json" else None)
    _log_audit_samples(root, result)
    if args.fail_on is not None:
        floor = Severity(args.fail_on).rank
        if any(f.severity.rank >= floor for f in result.reported):
            return EXIT_FINDINGS
    return EXIT_OK


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
        return _pr(args)
    try:
        if args.command == "triage":
            return run_triage(args)
        if args.command == "suppress":
            return run_suppress(args)
        if args.command == "report":
            return run_report(args)
        if args.command in LEARN_COMMANDS:
            return run_learn(args)
        return _scan(args)
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
