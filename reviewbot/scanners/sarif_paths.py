"""Where an imported SARIF result points: its artifact URI as a repository-relative path, or why not.

    path, refused = resolve_location(artifact_location, run, repo_root)

A location is `uri` relative to `uriBaseId`, whose URI the run's `originalUriBaseIds` gives
(itself possibly relative to another base id); a base id the run does not define (`%SRCROOT%`,
`SRCROOT`, as CodeQL and Semgrep write them) stands for the repository root, as GitHub code
scanning reads it. `file://` URIs and absolute paths must lie inside the repository; other schemes,
`..` past the root, and absolute paths elsewhere are refused with a reason that is counted, never
followed. Percent-encoding is decoded once. Nothing here touches the file system but to
normalise the repository root: whether the path is a symlink or in the change is decided by
the scanner (`sarif_import`).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

OUTSIDE = "outside the repository"
NOT_FILE = "not a file URI"
NO_LOCATION = "no file location"
_MAX_BASE_DEPTH = 8  # originalUriBaseIds chains deeper than this are a loop or an attack


def resolve_location(loc: dict[str, Any], run: dict[str, Any], roots: tuple[str, ...]) -> tuple[str | None, str]:
    """(the repository-relative POSIX path, '') or (None, the reason it is refused).

    `roots`: the repository root as absolute POSIX paths (as given and resolved)."""
    if "uri" not in loc and isinstance(loc.get("index"), int):
        artifacts = run.get("artifacts") or []
        if 0 <= loc["index"] < len(artifacts):
            loc = {**(artifacts[loc["index"]].get("location") or {}), **loc}
    uri = loc.get("uri")
    if not isinstance(uri, str) or not uri:
        return None, NO_LOCATION
    bases = run.get("originalUriBaseIds") or {}
    base_id = loc.get("uriBaseId")
    for _ in range(_MAX_BASE_DEPTH):
        if _scheme(uri) or uri.startswith("/") or not isinstance(base_id, str) or base_id not in bases:
            break
        base = bases[base_id] or {}
        base_uri = base.get("uri")
        uri = _join(base_uri if isinstance(base_uri, str) else "", uri)
        base_id = base.get("uriBaseId")
    else:
        return None, OUTSIDE
    return _relative(uri, roots)


def _scheme(uri: str) -> str:
    scheme = urlsplit(uri).scheme
    return scheme.lower() if len(scheme) > 1 else ""  # "C:/x" is a drive letter, not a scheme


def _join(base: str, uri: str) -> str:
    return uri if not base else base.rstrip("/") + "/" + uri


def _relative(uri: str, roots: tuple[str, ...]) -> tuple[str | None, str]:
    scheme = _scheme(uri)
    if scheme and scheme != "file":
        return None, NOT_FILE
    parts = urlsplit(uri)
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return None, OUTSIDE  # a file on another host
        raw = parts.path
    else:
        raw = parts.path if (parts.query or parts.fragment) else uri
    path = unquote(raw, errors="surrogateescape")
    if "\x00" in path or "\\" in path:
        return None, OUTSIDE
    if path.startswith("/"):
        normal = posixpath.normpath(path)
        for root in roots:
            if normal == root or normal.startswith(root.rstrip("/") + "/"):
                rel = normal[len(root.rstrip("/")) + 1 :]
                return (rel, "") if rel else (None, NO_LOCATION)
        return None, OUTSIDE
    normal = posixpath.normpath(path)
    if normal in (".", "") or normal == ".." or normal.startswith("../"):
        return None, OUTSIDE if normal != "." else NO_LOCATION
    return normal, ""


def repo_roots(root: Path) -> tuple[str, ...]:
    """The repository root as given and with symlinks resolved (a CI path may be either)."""
    absolute = posixpath.normpath(root.absolute().as_posix())
    resolved = root.resolve().as_posix()
    return (absolute,) if absolute == resolved else (absolute, resolved)
