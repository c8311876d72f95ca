"""Which language a path is, by its file name: the one place that mapping lives.

The semgrep scanner uses it to choose targets and the syntax layer to choose a grammar.
"""

from __future__ import annotations

from pathlib import PurePosixPath

_BY_SUFFIX = {
    ".py": "python",
    ".pyi": "python",
}


def language_of(path: str) -> str | None:
    """The language name for a repo-relative path, or None when reviewbot has no rules for it."""
    return _BY_SUFFIX.get(PurePosixPath(path).suffix.lower())
