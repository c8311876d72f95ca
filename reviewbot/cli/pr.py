"""`reviewbot pr`: its flags, their REVIEWBOT_* variables, and the GitHub Action's entry (always exit 0).

The PR job itself is `github.runner.run_pr`; this module resolves its options from flags, else
the environment (how action.yml passes its inputs), and prints what happened.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewbot.cli.scan import add_import_flags, add_llm_flag, add_scanner_flags, scanner_choice
from reviewbot.errors import EXIT_INTERRUPTED, EXIT_OK

if TYPE_CHECKING:
    from reviewbot.github.runner import PrOptions

_PR_EPILOG = """\
reads: GITHUB_EVENT_PATH and GITHUB_EVENT_NAME (pull_request or workflow_run), GITHUB_REPOSITORY,
GITHUB_TOKEN, GITHUB_API_URL (GitHub Enterprise), GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE.

exit code: always 0 (problems are printed as workflow-command notices); 130 when interrupted.
See docs/github.md.
"""


def add_pr_parser(sub: argparse._SubParsersAction[Any]) -> None:
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
        "--history",
        metavar="FILE",
        type=Path,
        help="append this run's events (reported, commented, fixed, verdicts) to this event history, outside "
        "the checkout; `reviewbot kpi` reads it (docs/kpi.md) [REVIEWBOT_HISTORY]",
    )
    pr.add_argument(
        "--no-post",
        action="store_true",
        help="write nothing to GitHub: annotations and job summary only [REVIEWBOT_POST=false]",
    )
    pr.add_argument(
        "--bot-login",
        metavar="LOGIN",
        help="logins whose markers are trusted, comma-separated (default: the token's login from GET /user if "
        "the token may ask, and github-actions[bot]) [REVIEWBOT_BOT_LOGIN]",
    )
    add_scanner_flags(pr)
    add_import_flags(pr, env="REVIEWBOT_IMPORT_SARIF")
    add_llm_flag(pr, " [REVIEWBOT_LLM]; never on a pull request from a fork")


def _pr_options(args: argparse.Namespace, environ: dict[str, str]) -> tuple[PrOptions, list[str]]:
    """PrOptions from flags, else REVIEWBOT_* variables; a bad value is a note and the default."""
    from reviewbot.github.identity import parse_logins
    from reviewbot.github.runner import PrOptions

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
    # The scanners `scan` runs, but without semgrep's per-file result cache; imported SARIF files
    # that cannot be read are notes on the review, which goes on without them (never block).
    heads, bases = (
        _sarif_paths(args.import_sarif, "IMPORT_SARIF", environ),
        _sarif_paths(args.import_sarif_base, "IMPORT_SARIF_BASE", environ),
    )
    if bases and not heads:
        notes.append("import-sarif-base is set without import-sarif; nothing is imported")
    scanners = replace(
        scanner_choice(args, imports=False), import_sarif=heads, import_sarif_base=bases, tolerate_bad_sarif=True
    )

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
        history=path(args.history, "HISTORY"),
        post=not args.no_post and boolean(None, "POST", True),
        bot_logins=parse_logins(logins),  # empty: GET /user, else the default (github/identity.py)
        scanners=scanners,
        llm=boolean(args.llm, "LLM", False) if args.llm is not None or environ.get("REVIEWBOT_LLM") else None,
    )
    return options, notes


def _sarif_paths(flag: list[Path] | None, name: str, environ: dict[str, str]) -> tuple[Path, ...]:
    """--import-sarif FILE..., else REVIEWBOT_<name>: one path a line (action.yml's `import-sarif`),
    relative ones taken from the workspace, where the workflow's earlier steps wrote them."""
    if flag:
        return tuple(flag)
    workspace = Path(environ.get("GITHUB_WORKSPACE") or ".")
    lines = (line.strip() for line in (environ.get(f"REVIEWBOT_{name}") or "").splitlines())
    return tuple(workspace / line for line in lines if line)


def run_pr(args: argparse.Namespace) -> int:
    """The GitHub Action's entry: whatever happens, a readable notice and exit 0 (never block)."""
    from reviewbot.github.fallback import notice

    try:
        from reviewbot.github import runner

        options, notes = _pr_options(args, dict(os.environ))
        for note in notes:
            print(notice(note, level="warning"))  # a workflow command: escaped where it is built
        outcome = runner.run_pr(options, os.environ)
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
