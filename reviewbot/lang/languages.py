"""Which language a path is, by its file name: the one place that mapping lives.

The semgrep scanner uses it to choose targets and the syntax layer to choose a grammar.
"""

from __future__ import annotations

from pathlib import PurePosixPath

_BY_SUFFIX = {
    ".py": "python",
    ".pyi": "python",
}
# GitHub Actions workflows: YAML files directly in a `.github/workflows/` folder (GitHub reads no
# subfolders there). Other YAML is not a language reviewbot has rules for. The folder may sit
# below a prefix (the review scans `head/.github/workflows/ci.yml`).
_WORKFLOW_SUFFIXES = frozenset({".yml", ".yaml"})


def language_of(path: str) -> str | None:
    """The language name for a repo-relative path, or None when reviewbot has no rules for it."""
    pure = PurePosixPath(path)
    suffix = pure.suffix.lower()
    if suffix in _WORKFLOW_SUFFIXES:
        return "github-workflow" if pure.parent.parts[-2:] == (".github", "workflows") else None
    return _BY_SUFFIX.get(suffix)
