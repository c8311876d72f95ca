"""`reviewbot suppress add|list|remove|expired`: the suppressions file from the command line.

An extension of `cli/main.py`'s boundary: argv is parsed and results are printed here; the
edits of the file (which keep its comments and layout) are `reviewbot.policy.suppression_edit`.
Errors are raised as ReviewbotError; `cli.main` turns them into exit codes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from reviewbot._io import check_output_file
from reviewbot._text import escape_control as _safe  # entries come from people: inert on a terminal
from reviewbot.change.git import user_name
from reviewbot.errors import EXIT_OK, EXIT_USAGE, InputError
from reviewbot.policy.config import CONFIG_FILE, load_config
from reviewbot.policy.suppression_edit import add_entry, new_entry_id, remove_entry
from reviewbot.policy.suppression_file import (
    SUPPRESSIONS_FILE,
    Entry,
    EntryStatus,
    default_usage_path,
    read_suppressions,
    read_usage,
    statuses,
)

_EPILOG = f"""\
The file is {SUPPRESSIONS_FILE} at the top of the git work tree (--file FILE for another).
Reviews read it from the base branch: an entry takes effect once it is merged.

examples:
  reviewbot suppress add --rule python.securecookie.cookie-without-secure --path 'examples/**' \\
      --reason "demo apps, never deployed" --expires 2026-12-31
  reviewbot suppress add --fingerprint 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d --reason "test key" --expires 90d
  reviewbot suppress list
  reviewbot suppress expired
  reviewbot suppress remove sup-1a2b3c4d

exit codes: 0 done; 2 bad usage, or a malformed file (the message names the entry).
"""


def add_suppress_parser(sub: Any) -> None:
    """Add `suppress` and its subcommands to the top-level subparsers `sub`."""
    raw = argparse.RawDescriptionHelpFormatter
    top = sub.add_parser(
        "suppress",
        help="add, list and remove entries of the suppressions file (with reasons and expiry dates)",
        description="Manage .reviewbot/suppressions.yml: findings hidden on purpose, with a reason, an owner "
        "and an expiry date.",
        epilog=_EPILOG,
        formatter_class=raw,
    )
    top.set_defaults(suppress_parser=top)
    commands = top.add_subparsers(dest="suppress_command", metavar="SUBCOMMAND", parser_class=type(top))

    add = commands.add_parser(
        "add",
        help="add an entry (scoped by rule, path glob and/or fingerprint)",
        description="Append one entry with a new id. Give at least one of --rule, --path, --fingerprint; "
        "a finding must match all that are given.",
        formatter_class=raw,
    )
    add.add_argument("--rule", metavar="RULE_ID", help="the rule id the entry hides (one of reviewbot's rules)")
    add.add_argument(
        "--allow-unknown-rule",
        action="store_true",
        help="accept a --rule that is not one of reviewbot's bundled rules (a rule of your own --rules set)",
    )
    add.add_argument("--path", metavar="GLOB", help="paths it hides, e.g. 'tests/**' (** spans folders)")
    add.add_argument("--fingerprint", metavar="FP", help="one finding's fingerprint (32 hex digits)")
    add.add_argument("--reason", required=True, metavar="TEXT", help="why this is safe to hide (required)")
    add.add_argument("--owner", metavar="NAME", help="who answers for it (default: git config user.name, $USER)")
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--expires", metavar="DATE", help="last day it applies: YYYY-MM-DD, or Nd (N days from today)")
    when.add_argument("--permanent", action="store_true", help="never expires (the reason must say why)")
    _file_flag(add)

    show = commands.add_parser("list", help="list entries with their status: active, expired or unused")
    _file_flag(show)
    show.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")

    remove = commands.add_parser("remove", help="remove an entry by id")
    remove.add_argument("id", metavar="ID", help="the entry's id (see `suppress list`)")
    _file_flag(remove)

    expired = commands.add_parser("expired", help="list entries past their expiry date")
    _file_flag(expired)
    expired.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")


def _file_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--file", metavar="FILE", type=Path, help=f"the suppressions file (default: {SUPPRESSIONS_FILE} in the repo)"
    )


def run_suppress(args: argparse.Namespace) -> int:
    handlers = {"add": _add, "list": _list, "remove": _remove, "expired": _expired}
    handler = handlers.get(args.suppress_command or "")
    if handler is None:
        args.suppress_parser.print_help(sys.stderr)
        return EXIT_USAGE
    return handler(args)


# -- handlers ------------------------------------------------------------------------------------


def _root() -> Path:
    from reviewbot.change.git import repo_root

    return repo_root(Path.cwd())


def _path(args: argparse.Namespace) -> Path:
    return args.file if args.file is not None else _root() / SUPPRESSIONS_FILE


def _add(args: argparse.Namespace) -> int:
    path = _path(args)
    today = date.today()
    expires = None if args.permanent else parse_expiry(args.expires, today)
    owner = args.owner if args.owner is not None else _default_owner()
    if args.file is not None:
        check_output_file(path, "--file")  # a folder is made only for the default file
    current = read_suppressions(path)
    entry_id = new_entry_id({e.id for e in current.entries})
    fields: dict[str, Any] = {
        "id": entry_id,
        "rule": args.rule,
        "path": args.path,
        "fingerprint": args.fingerprint,
        "reason": args.reason,
        "owner": owner,
        "expires": expires,
        "permanent": args.permanent,
        "created": today,
    }
    try:
        entry = Entry.model_validate({k: v for k, v in fields.items() if v is not None and v is not False})
    except ValueError as exc:
        raise InputError(f"suppress add: {_first_error(exc)}") from None
    if args.rule is not None and not args.allow_unknown_rule:
        from reviewbot.policy.rule_ids import builtin_rule_ids, unknown_rule

        # A misspelt rule hides nothing and would still be listed as active: refuse it up front.
        problem = unknown_rule(args.rule, builtin_rule_ids())
        if problem is not None:
            raise InputError(f"suppress add --rule: {problem} (--allow-unknown-rule for a rule of another ruleset)")
    if args.file is None:
        try:
            path.parent.mkdir(exist_ok=True)  # the repository's .reviewbot folder
        except OSError as exc:
            raise InputError(f"{path.parent}: cannot create the folder: {exc.strerror or exc}") from exc
    add_entry(path, entry)
    print(f"added {entry.id} to {path}: {_safe(entry.scope)}, {entry.until}")
    print("reviews read suppressions from the base branch: commit it and merge it for it to apply")
    return EXIT_OK


def _first_error(exc: ValueError) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        e = exc.errors()[0]
        where = ".".join(str(p) for p in e["loc"])
        flag = f"--{where}" if where else "the entry"
        return f"{flag}: {e['msg'].removeprefix('Value error, ')}"
    return str(exc)


def parse_expiry(text: str, today: date) -> date:
    """`YYYY-MM-DD`, or `Nd` (N days from today); today or later."""
    value = text.strip()
    m = re.fullmatch(r"(\d{1,5})d", value)
    when: date | None = None
    if m:
        when = today + timedelta(days=int(m.group(1)))
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            when = date.fromisoformat(value)
        except ValueError:
            when = None
    if when is None:
        raise InputError(f"--expires {text!r}: write a date as YYYY-MM-DD, or a number of days as 90d")
    if when < today:
        raise InputError(f"--expires {text!r}: {when} is in the past")
    return when


def _default_owner() -> str:
    name = user_name(Path.cwd(), os.environ)
    if not name:
        raise InputError("cannot tell who owns the entry: pass --owner NAME (or set git config user.name)")
    return name


def _status_rows(args: argparse.Namespace) -> tuple[Path, list[EntryStatus]]:
    path = _path(args)
    root = _root()
    loaded = load_config(root / CONFIG_FILE)
    for warning in loaded.warnings:
        print(f"reviewbot: warning: {_safe(warning)}", file=sys.stderr)
    from reviewbot.policy.rule_ids import builtin_rule_ids, unknown_rule

    file = read_suppressions(path)
    known = builtin_rule_ids()
    for e in file.entries:
        problem = unknown_rule(e.rule, known) if e.rule is not None else None
        if problem is not None:
            print(f"reviewbot: warning: {path}: entry {e.id}: {_safe(problem)} (it hides nothing)", file=sys.stderr)
    rows = statuses(
        file,
        read_usage(default_usage_path(root)),
        today=date.today(),
        unused_after=loaded.config.suppressions.unused_after,
    )
    return path, rows


def _row_json(row: EntryStatus) -> dict[str, Any]:
    usage = row.usage.model_dump(mode="json") if row.usage is not None else None
    return {**row.entry.model_dump(mode="json"), "status": row.status, "line": row.line, "usage": usage}


def _print_rows(path: Path, rows: list[EntryStatus], fmt: str, empty: str) -> None:
    if fmt == "json":
        print(json.dumps({"file": str(path), "entries": [_row_json(r) for r in rows]}, indent=1, ensure_ascii=False))
        return
    if not rows:
        print(empty)
        return
    for r in rows:
        e = r.entry
        when = "permanent" if e.permanent else str(e.expires)
        used = ""
        if r.usage is not None:
            last = r.usage.last_matched or "never"
            used = f"; last matched {last}, unmatched in {r.usage.unmatched} review(s) since"
        print(f"{e.id}  {r.status:<7}  {when:<10}  {_safe(e.owner)}  {_safe(e.scope)}")
        print(f"    {_safe(e.reason)}{used}")


def _list(args: argparse.Namespace) -> int:
    path, rows = _status_rows(args)
    _print_rows(path, rows, args.format, f"{path}: no suppressions")
    return EXIT_OK


def _expired(args: argparse.Namespace) -> int:
    path, rows = _status_rows(args)
    _print_rows(path, [r for r in rows if r.status == "expired"], args.format, f"{path}: no expired suppressions")
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    path = _path(args)
    entry = remove_entry(path, args.id)
    print(f"removed {entry.id} from {path}: {_safe(entry.scope)}")
    return EXIT_OK
