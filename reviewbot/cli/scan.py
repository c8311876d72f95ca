"""`reviewbot scan`: its flags, and the scan from argv to a report, an exit code and the triage cache.

The review itself is `review.run.run_review`; this module resolves the flags, builds the change
and the scanners, loads the model from the trusted side, and prints or writes the report.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewbot._io import check_output_file, write_output
from reviewbot._text import escape_control
from reviewbot.cli.learn import add_model_flags
from reviewbot.errors import EXIT_FINDINGS, EXIT_OK, InputError
from reviewbot.finding import Severity
from reviewbot.scanners.select import SCANNERS, ScannerChoice

if TYPE_CHECKING:
    from reviewbot.change.changes import Change
    from reviewbot.review.result import ReviewResult
    from reviewbot.scanners.interface import Scanner
    from reviewbot.scanners.rulesets import RuleSet
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


def add_scanner_flags(parser: argparse.ArgumentParser) -> None:
    """Which scanners run and how semgrep runs: the flags `scan` and `pr` share (`ScannerChoice`)."""
    parser.add_argument(
        "--semgrep", metavar="PATH", help="the semgrep executable (default: the one installed with reviewbot)"
    )
    parser.add_argument(
        "--semgrep-engine",
        choices=["auto", "fast", "cli"],  # scanners.semgrep.Engine, not imported: start-up stays light
        default="auto",
        help="fast: semgrep's OCaml front end, no Python start-up (pinned semgrep only); cli: the semgrep "
        "command; auto (default): fast, falling back to cli on any error",
    )
    parser.add_argument(
        "--scanner",
        action="append",
        choices=list(SCANNERS),
        help="run only this scanner (repeat for several; default: all)",
    )


def add_import_flags(parser: argparse.ArgumentParser, env: str = "") -> None:
    """Other tools' SARIF to review with ours: the flags `scan` and `pr` share (docs/sarif-import.md)."""
    parser.add_argument(
        "--import-sarif",
        metavar="FILE",
        action="append",
        type=Path,
        help="import another tool's SARIF 2.1.0 results (Bandit, CodeQL, Semgrep, ...) run on the head: they go "
        f"through the same stages as reviewbot's own findings (repeat for several){env and f' [{env}]'}",
    )
    parser.add_argument(
        "--import-sarif-base",
        metavar="FILE",
        action="append",
        type=Path,
        help="the same tools' SARIF on the base: their results decide which imported findings are pre-existing "
        f"(default: those whose code the base has unchanged){env and f' [{env}_BASE]'}",
    )


def scanner_choice(args: argparse.Namespace, cache_dir: Path | None = None, *, imports: bool = True) -> ScannerChoice:
    """The scanners the flags of `add_scanner_flags` (and `add_import_flags`, where the command has
    them and `imports`) chose; `cache_dir`: semgrep's per-file results."""
    heads = tuple(getattr(args, "import_sarif", None) or ()) if imports else ()
    bases = tuple(getattr(args, "import_sarif_base", None) or ()) if imports else ()
    if bases and not heads:
        raise InputError("--import-sarif-base needs --import-sarif (the head's results to compare with)")
    for path in (*heads, *bases):
        if not path.is_file():
            raise InputError(f"--import-sarif {path}: no such file")
    names = frozenset(args.scanner or SCANNERS)
    return ScannerChoice(
        names, args.semgrep, args.semgrep_engine, cache_dir, import_sarif=heads, import_sarif_base=bases
    )


def add_llm_flag(parser: argparse.ArgumentParser, env: str = "") -> None:
    """--llm / --no-llm: the optional LLM second reader for this run (docs/llm.md)."""
    parser.add_argument(
        "--llm",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="ask the LLM of the config's `llm:` section to explain findings, propose verified fixes and (with "
        "`review: true`) review the changed hunks; sends redacted code to that endpoint (default: the config's "
        f"`llm.enabled`, off){env}",
    )


def add_scan_parser(sub: argparse._SubParsersAction[Any]) -> None:
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
        "--history",
        metavar="FILE",
        type=Path,
        help="append this scan's events (findings reported, fixed, suppressed) to this event history for "
        "`reviewbot kpi` (e.g. .reviewbot/history.jsonl; docs/kpi.md)",
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
    add_scanner_flags(scan)
    add_import_flags(scan)
    scan.add_argument(
        "--no-cache",
        action="store_true",
        help="scan every file again instead of reusing cached per-file results (see docs/cli.md)",
    )
    add_model_flags(scan)
    add_llm_flag(scan)
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


def run_scan(args: argparse.Namespace) -> int:
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
    cache = None if args.no_cache else cache_dir() / "results"
    choice = scanner_choice(args, cache)

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

        return TreeSitterScanner() if "treesitter" in choice.names else None

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
        semgrep = _start_semgrep(choice, rules, change, new_only=args.new_only and args.all is None)
        tree_scanner = early.result()
    from reviewbot.reporters import OutputFormat, render
    from reviewbot.review.run import ReviewOptions, run_review
    from reviewbot.review.trusted_side import scoring_for, trusted_side

    # A developer's own staged change, or the whole tree, is trusted; a --base/--diff change is
    # reviewed the way a pull request is: config, suppressions, ledger and model come from the
    # trusted side (the merge-base; the checkout before the patch), never from the change.
    trust_head = args.staged or args.all is not None
    # The model: none with --no-model; else --model (the user's choice), else `.reviewbot/model`
    # on the trusted side, else the built-in default.
    side = trusted_side(change, trust_head=trust_head)
    history, scorer = (None, None) if args.no_model else scoring_for(side, model=args.model, threshold=args.threshold)
    scanners = choice.build(lambda: rules, treesitter=tree_scanner, repo=change.root, semgrep=semgrep)
    from reviewbot.llm.request import LlmRequest
    from reviewbot.policy.suppression_file import default_usage_path

    llm = LlmRequest(switch=args.llm, cache_dir=None if args.no_cache else cache_dir())
    options = ReviewOptions(
        new_only=args.new_only and args.all is None,
        trust_head=trust_head,
        usage_state=default_usage_path(root),
        llm=llm,
    )
    result = run_review(change, scanners, options, history=history, scorer=scorer)
    color = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    # Problems met (the user's own config among them) go to stderr in every format, so a JSON or
    # SARIF report, or --output, cannot hide them; the text report then does not repeat them.
    for note in result.notes:
        print(f"reviewbot: warning: {escape_control(note)}", file=sys.stderr)
    shown = result.model_copy(update={"notes": []}) if args.format == "text" else result
    report = render(shown, OutputFormat(args.format), color=color, verbose=args.verbose)
    if args.output is not None:
        write_output(args.output, report.encode("utf-8"), "--output")
    else:
        sys.stdout.write(report)
    _keep_for_triage(root, result, report if args.format == "json" else None)
    if args.history is not None:
        _record_history(args.history, change, result)
    _log_audit_samples(root, result)
    if args.fail_on is not None:
        floor = Severity(args.fail_on).rank
        if any(f.severity.rank >= floor for f in result.reported):
            return EXIT_FINDINGS
    return EXIT_OK


def _start_semgrep(choice: ScannerChoice, rules: RuleSet, change: Change, *, new_only: bool) -> Scanner | None:
    """Semgrep, already scanning the change (review.scan.EarlyScanner): it then runs while the
    tree-sitter rules, the model, the config and the later stages load, not after them. Not for
    --all, whose config can hold files back from semgrep (semgrep.whole_tree_max_bytes)."""
    if "semgrep" not in choice.names or change.whole_tree:
        return None
    from reviewbot.review.scan import EarlyScanner

    return EarlyScanner(choice.semgrep_scanner(rules), change, with_base=new_only and bool(change.base))


def _keep_for_triage(root: Path, result: ReviewResult, json_report: str | None) -> None:
    """Save the report where `triage mark` finds a fingerprint's rule, path and features.

    `json_report` is the JSON the scan already rendered, if its output format was JSON."""
    from reviewbot.reporters import OutputFormat, render
    from reviewbot.triage.ledger import TriageError
    from reviewbot.triage.scan_facts import save_last_report

    try:
        save_last_report(root, json_report if json_report is not None else render(result, OutputFormat.JSON))
    except TriageError as exc:  # a read-only cache costs `triage mark` a --report, never the scan
        print(f"reviewbot: warning: {escape_control(str(exc))}", file=sys.stderr)


def _record_history(path: Path, change: Change, result: ReviewResult) -> None:
    """Append this scan's events to the history the user named (docs/kpi.md); a problem is a warning."""
    from datetime import UTC, datetime

    from reviewbot.policy.audit import is_audit_sample
    from reviewbot.triage.events import EventSource, append_events, fold, read_history
    from reviewbot.triage.ledger import TriageError
    from reviewbot.triage.tracking import Review, looked_at_in, review_events

    try:
        read = read_history(path)
        review = Review(EventSource.SCAN, datetime.now(UTC), change.base_commit, None, looked_at_in(change))
        events = review_events(fold(read.events).timelines, result.findings, review, audit=is_audit_sample)
        append_events(path, events)
    except TriageError as exc:  # the KPIs lose a scan; the scan itself is unaffected
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
