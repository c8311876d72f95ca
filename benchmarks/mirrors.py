"""Where a fetched repository is: the bare git dir the `fetch` tool makes, `MIRRORS/owner+name/repo`.

Some snapshots hold the git dir one level down (`repo/.git`); owner and name are matched without
regard to case, as GitHub does. The replay and RealVuln benchmarks find their repositories here.
"""

from __future__ import annotations

from pathlib import Path


def mirror_of(mirrors: Path, repo: str) -> Path | None:
    """The bare git dir of `repo` ("owner/name") under `mirrors`, or None when it was not fetched."""
    want = repo.replace("/", "+").lower()
    if not mirrors.is_dir():
        return None
    for folder in sorted(mirrors.iterdir()):
        if folder.name.lower() == want:
            for candidate in (folder / "repo" / ".git", folder / "repo"):
                if (candidate / "HEAD").exists():
                    return candidate
    return None
