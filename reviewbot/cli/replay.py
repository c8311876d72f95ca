"""`reviewbot replay`: its flags, and shadow mode from argv to a per-change table or a JSON document.

What is replayed and how each change is reviewed is `review.replay`; this module picks the
changes from the flags (`--last N`, `--merges`, `--pairs FILE`), builds the scanners once, and
prints or writes the outcome. Nothing is posted and nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewbot._io import check_output_file, write_output
from reviewbot._text import escape_control as safe
from reviewbot.cli.learn import add_model_flags
from reviewbot.cli.scan import add_llm_flag, add_scanner_flags, scanner_choice
from reviewbot.errors import EXIT_OK, InputError, ReviewbotError

if TYPE_CHECKING:
    from reviewbot.change.git import GitRepo
    from reviewbot.review.replay import Replayed, Summary

_EPILOG = """\
what is replayed (choose one):
  --last N         the last N first-parent commits of HEAD (or --rev REV), each against its
                   first parent; add --merges for merge commits only (merged pull requests)
  --pairs FILE     a list of changes: JSONL objects or a CSV with a header, each with base and
                   head revisions and an optional id (a corpus of (base, head) pairs)

Each change is reviewed as a pull request of its head into its base would be: new findings
only, with config, suppressions, ledger and model read from the base. Nothing is posted and the
repository is only read. A change that fails to review is listed as failed; the run goes on.

exit codes:
  0  finished (whatever was found, however many changes failed to review)
  2  bad usage or input (the message names the value or file)
  3  git failed for the whole repository (listing its history)

examples:
  reviewbot replay --last 50
  reviewbot replay --last 20 --merges --rev origin/main --format json -o replay.json
  reviewbot replay --repo ../clone --pairs corpus.jsonl --no-model
"""


def add_replay_parser(sub: argparse._SubParsersAction[Any]) -> None:
    replay = sub.add_parser(
        "replay",
        help="shadow mode: what reviewbot would have said on past commits or merged PRs (nothing posted)",
        description="Review past changes of a repository one by one, as pull requests, and show per change "
        "what would have been reported, what was hidden, and how long it took; then the noise rate.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = replay.add_mutually_exclusive_group(required=True)
    what.add_argument("--last", metavar="N", type=int, help="the last N first-parent commits (or merges)")
    what.add_argument("--pairs", metavar="FILE", type=Path, help="JSONL or CSV of base, head (and id) revisions")
    replay.add_argument("--merges", action="store_true", help="with --last: merge commits only (merged PRs)")
    replay.add_argument("--rev", metavar="REV", help="with --last: count back from REV (default: HEAD)")
    replay.add_argument(
        "--repo", metavar="DIR", type=Path, help="the repository (default: the one around the current directory)"
    )
    replay.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    replay.add_argument(
        "--output", "-o", metavar="FILE", type=Path, help="write the report to FILE (atomically) instead of stdout"
    )
    replay.add_argument(
        "--rules", metavar="DIR", type=Path, help="folder of Semgrep rule files (default: reviewbot's own)"
    )
    replay.add_argument(
        "--max-file-bytes", metavar="N", type=int, default=1_000_000, help="skip files larger than N bytes"
    )
    add_scanner_flags(replay)
    replay.add_argument(
        "--cache",
        action="store_true",
        help="reuse semgrep's cached per-file results (faster repeat replays; the seconds then understate what "
        "a pull request's review takes, which, like `reviewbot pr`, starts without them)",
    )
    add_model_flags(replay)
    add_llm_flag(replay)
    replay.add_argument(
        "-v", "--verbose", action="store_true", help="text output: list each reported finding and note under its change"
    )


def run_replay(args: argparse.Namespace) -> int:
    from reviewbot.review import replay
    from reviewbot.scanners.rulesets import builtin_rules_dir, cache_dir, load_rules

    if args.pairs is not None and (args.merges or args.rev is not None):
        raise InputError("--merges and --rev choose commits for --last; --pairs names its own")
    if args.no_model and args.threshold is not None:
        raise InputError("--threshold has no effect with --no-model (nothing is scored)")
    if args.max_file_bytes <= 0:
        raise InputError(f"--max-file-bytes {args.max_file_bytes}: must be a positive number of bytes")
    if args.output is not None:
        check_output_file(args.output, "--output")
    repo = _open_repo(args.repo)
    if args.pairs is not None:
        targets = replay.read_pairs(args.pairs)
        selection: dict[str, Any] = {"pairs": str(args.pairs)}
    else:
        rev = args.rev or "HEAD"
        targets = replay.last_commits(repo, args.last, rev, merges_only=args.merges)
        selection = {"last": args.last, "rev": rev, "merges": args.merges}
    rules = load_rules(args.rules if args.rules is not None else builtin_rules_dir())
    choice = scanner_choice(args, cache_dir() / "results" if args.cache else None)
    scanners = choice.build(lambda: rules)
    from reviewbot.llm.request import LlmRequest

    # The LLM's answers are cached whatever --cache says: a second replay must not pay twice.
    llm = LlmRequest(switch=args.llm, cache_dir=cache_dir())
    settings = replay.ReplaySettings(
        use_model=not args.no_model,
        model=args.model,
        threshold=args.threshold,
        max_bytes=args.max_file_bytes,
        llm=llm,
    )
    stream = args.format == "text" and args.output is None  # a long replay shows each change as it is done
    if stream:
        _write(_HEADER + "\n")

    def progress(done: Replayed) -> None:
        if stream:
            _write(_text_lines(done, verbose=args.verbose))

    if not targets:
        kind = "merge commit" if args.merges else "commit with a parent"
        print(f"reviewbot: warning: nothing to replay: no {kind} on the first-parent line", file=sys.stderr)
    done = replay.replay(repo, targets, scanners, settings, progress=progress)
    figures = replay.summary(done)
    if args.format == "json":
        report = _json_report(repo.root, selection, done, figures)
    elif stream:
        report = _summary_text(figures)
    else:
        lines = "".join(_text_lines(r, verbose=args.verbose) for r in done)
        report = _HEADER + "\n" + lines + _summary_text(figures)
    if args.format == "text":
        report = _redacted(report)
    if args.output is not None:
        write_output(args.output, report.encode("utf-8"), "--output")
    else:
        sys.stdout.write(report)
    return EXIT_OK


def _open_repo(path: Path | None) -> GitRepo:
    """The work tree around `path` (default: the current directory), or `path` itself when it is a
    bare repository: a replay reads only git objects, so a mirror needs no checkout."""
    from reviewbot.change.git import GitRepo, run_git

    if path is not None and path.is_dir():
        try:
            bare = run_git(path, "rev-parse", "--is-bare-repository").strip() == b"true"
        except ReviewbotError:
            bare = False  # not a repository at all: discover says so
        if bare:
            return GitRepo(path.resolve())
    return GitRepo.discover(path if path is not None else Path.cwd())


def _write(text: str) -> None:
    sys.stdout.write(_redacted(text))
    sys.stdout.flush()


def _redacted(text: str) -> str:
    from reviewbot.redact import redact_text

    return redact_text(text)  # a subject or an error may quote a line of code


_HEADER = f"{'change':<12}  {'files':>5}  {'reported':>8}  {'hidden':>6}  {'seconds':>7}  subject"


def _text_lines(done: Replayed, *, verbose: bool) -> str:
    label = safe((done.head_commit or done.target.head)[:12])
    subject = safe(f"[{done.target.id}] {done.subject}" if done.target.id else done.subject)
    if done.result is None:
        error = safe((done.error or "").strip().split("\n")[0])
        return f"{label:<12}  failed after {done.seconds:.2f}s: {error}  {subject}".rstrip() + "\n"
    result = done.result
    out = [
        f"{label:<12}  {result.files_changed:>5}  {done.reported:>8}  {done.hidden:>6}  {done.seconds:>7.2f}  {subject}"
    ]
    if verbose:
        for f in result.reported:
            out.append(f"    {safe(f.path)}:{f.start_line}  {f.severity.value}  {f.rule_id}  [{', '.join(f.cwe)}]")
        out.extend(f"    note: {safe(note)}" for note in result.notes)
    return "\n".join(out) + "\n"


def _summary_text(s: Summary) -> str:
    per = "-" if s.reported_per_change is None else f"{s.reported_per_change:.3f}"
    hidden = ", ".join(f"{name} {count}" for name, count in s.hidden.items()) or "none"
    lines = [
        "",
        f"changes replayed: {s.changes} ({s.reviewed} reviewed, {s.failures} failed)",
        f"reported findings: {s.reported} ({per} per reviewed change); changes with a finding: {s.with_finding}",
        f"hidden findings: {sum(s.hidden.values())} ({hidden})",
    ]
    if s.median_seconds is not None and s.p90_seconds is not None:
        lines.append(f"seconds per change: median {s.median_seconds:.2f}, p90 {s.p90_seconds:.2f}")
    return "\n".join(lines) + "\n"


def _json_report(root: Path, selection: dict[str, Any], done: list[Replayed], s: Summary) -> str:
    from reviewbot import __version__
    from reviewbot.redact import redact_text
    from reviewbot.reporters import OutputFormat, render
    from reviewbot.review.replay import REPLAY_SCHEMA_VERSION

    changes = [
        {
            "id": r.target.id or None,
            "base": r.target.base,
            "head": r.target.head,
            "base_commit": r.base_commit,
            "head_commit": r.head_commit,
            "subject": redact_text(r.subject),
            "seconds": r.seconds,
            "error": None if r.error is None else redact_text(r.error),
            # the scan JSON of this change, finding for finding (`reviewbot scan --format json`)
            "review": None if r.result is None else json.loads(render(r.result, OutputFormat.JSON)),
        }
        for r in done
    ]
    doc = {
        "schema_version": REPLAY_SCHEMA_VERSION,
        "kind": "reviewbot-replay",
        "tool_version": __version__,
        "repository": str(root),
        "selection": selection,
        "changes": changes,
        "summary": {
            "changes": s.changes,
            "reviewed": s.reviewed,
            "failures": s.failures,
            "reported": s.reported,
            "reported_per_change": s.reported_per_change,
            "changes_with_finding": s.with_finding,
            "hidden_by_disposition": s.hidden,
            "median_seconds": s.median_seconds,
            "p90_seconds": s.p90_seconds,
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
