"""Where reviewbot's shipped data lives: `rulesets/` and `models/`.

An installed wheel carries them inside the package (`reviewbot/rulesets`, `reviewbot/models`, see
pyproject's force-include); a source checkout has them beside the package. Every reader of shipped
data asks here, so the two places are named once.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SEARCHED = f"{PACKAGE} and {PACKAGE.parent}"  # for error messages


def bundled_dir(*parts: str) -> Path | None:
    """The shipped folder `parts` (e.g. "rulesets", "semgrep"), or None when neither place has it."""
    for base in (PACKAGE, PACKAGE.parent):
        candidate = base.joinpath(*parts)
        if candidate.is_dir():
            return candidate
    return None
