"""The error tree and the exit codes it maps to.

Library code raises a subclass of `ReviewbotError`; only `cli/main.py` turns one into an exit code.
Exit codes are part of the command-line contract (documented in docs/cli.md):

    0  the run finished (whatever it found, unless --fail-on was given)
    1  --fail-on was given and a reported finding reached that severity
    2  bad usage, bad input or bad config: the message names the value or file
    3  a tool we depend on (git, semgrep) is missing or failed
    4  an internal error: a bug in reviewbot
    130 interrupted
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_TOOL = 3
EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130


class ReviewbotError(Exception):
    """Base of every error reviewbot raises on purpose."""

    exit_code = EXIT_INTERNAL


class InputError(ReviewbotError):
    """The user gave something we cannot use: a bad path, revision, patch or flag value."""

    exit_code = EXIT_USAGE


class ConfigError(ReviewbotError):
    """A config or rule file is malformed; the message names the file."""

    exit_code = EXIT_USAGE


class ToolError(ReviewbotError):
    """An external tool is missing or failed; the message says what ran and what it said."""

    exit_code = EXIT_TOOL


def describe_failed_command(argv: list[str], returncode: int, stdout: str, stderr: str) -> str:
    """Say what ran and how it failed, keeping the output short enough to read."""

    def tail(text: str, limit: int = 2000) -> str:
        text = text.strip()
        return text if len(text) <= limit else "…" + text[-limit:]

    parts = [f"command {' '.join(argv)!s} exited with {returncode}"]
    if stderr.strip():
        parts.append(f"stderr: {tail(stderr)}")
    if stdout.strip():
        parts.append(f"stdout: {tail(stdout)}")
    return "\n".join(parts)
