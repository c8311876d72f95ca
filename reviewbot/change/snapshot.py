"""The working tree as a git tree of its exact bytes, built without git reading the working tree.

`git diff REV` with no second revision reads each tracked file through the repository's
attributes: a clean filter runs (a command of the user's config, picked by `.gitattributes`),
`eol`/`text` rewrite line endings, `ident` collapses `$Id: …$`, `working-tree-encoding`
re-encodes. The change can edit `.gitattributes`, so it could pick what git shows. `--worktree`
therefore reviews a tree built here: each tracked file's bytes as Python reads them (never
through a symlink), hashed with `--no-filters` into a temporary object store that borrows the
repository's objects, listed in a temporary index and written as a tree. A tree-to-tree diff
involves no conversion, and the repository's own objects and index are never written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reviewbot.change.git import GitRepo, blob_id
from reviewbot.errors import InputError

# Options for the commands that write the temporary index: none of them may touch $GIT_DIR.
_INDEX_OPTIONS = ("-c", "core.splitIndex=false", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false")
_GITLINK = "160000"


@contextmanager
def worktree_snapshot(repo: GitRepo) -> Iterator[tuple[GitRepo, str]]:
    """(a GitRepo that sees the snapshot's objects, the snapshot's tree id), for the `with` block."""
    with tempfile.TemporaryDirectory(prefix="reviewbot-worktree-") as tmp:
        objects = Path(tmp, "objects")
        objects.mkdir()
        own = repo.root / repo.git("rev-parse", "--git-path", "objects").decode().strip()
        alternates = [str(own.resolve()), *filter(None, [os.environ.get("GIT_ALTERNATE_OBJECT_DIRECTORIES")])]
        snap = GitRepo(
            repo.root,
            env={
                "GIT_OBJECT_DIRECTORY": str(objects),
                "GIT_ALTERNATE_OBJECT_DIRECTORIES": os.pathsep.join(alternates),
                "GIT_INDEX_FILE": str(Path(tmp, "index")),
            },
        )
        entries = _worktree_entries(repo, snap, Path(tmp, "blobs"))
        listing = b"".join(f"{mode} {oid}\t".encode() + os.fsencode(path) + b"\0" for path, (mode, oid) in entries)
        snap.git(*_INDEX_OPTIONS, "update-index", "-z", "--index-info", stdin=listing)
        tree = snap.git(*_INDEX_OPTIONS, "write-tree").decode().strip()
        yield snap, tree


def _worktree_entries(repo: GitRepo, snap: GitRepo, scratch: Path) -> list[tuple[str, tuple[str, str]]]:
    """(path, (mode, object id)) of every tracked path as the working tree has it now."""
    algorithm = repo.git("rev-parse", "--show-object-format").decode().strip() or "sha1"
    file_mode = repo.git("config", "--type=bool", "--default=true", "core.fileMode").decode().strip() == "true"
    # -v: lower-case tags are assume-unchanged, S is skip-worktree; git diff uses the index for both
    listing = repo.git("ls-files", "-v", "-s", "-z")
    indexed: dict[str, tuple[str, str, bool]] = {}
    for record in filter(None, listing.split(b"\0")):
        meta, _, name = record.partition(b"\t")
        tag, mode, oid, _stage = meta.decode().split(" ")
        keep = tag == "S" or tag.islower() or mode == _GITLINK
        indexed.setdefault(os.fsdecode(name), (mode, oid, keep))  # a conflict's first stage
    entries: dict[str, tuple[str, str]] = {}
    to_write: list[tuple[str, str, bytes]] = []
    crlf: list[tuple[str, str, str, bytes]] = []  # (path, mode, index blob, bytes)
    scratch.mkdir()
    for path, (mode, oid, keep) in indexed.items():
        if keep:
            entries[path] = (mode, oid)
            continue
        found = _read_entry(repo.root, path)
        if found is None:
            continue  # gone from the working tree: the diff shows it deleted, as git's would
        new_mode, data = found
        if not file_mode and new_mode != "120000" and mode in ("100644", "100755"):
            new_mode = mode
        if blob_id(data, algorithm) == oid:
            entries[path] = (new_mode, oid)  # the index's blob: already in the object store
            continue
        if new_mode != "120000" and b"\r\n" in data:
            crlf.append((path, new_mode, oid, data))
            continue
        to_write.append((path, new_mode, data))
    to_write.extend(_line_endings(repo, algorithm, crlf, entries))
    for i, (_, _, data) in enumerate(to_write):
        (scratch / str(i)).write_bytes(data)
    if to_write:
        names = "".join(f"{scratch / str(i)}\n" for i in range(len(to_write))).encode()
        oids = snap.git("hash-object", "-w", "--no-filters", "--stdin-paths", stdin=names).decode().split()
        for (path, new_mode, _), new_oid in zip(to_write, oids, strict=True):
            entries[path] = (new_mode, new_oid)
    return sorted(entries.items())


def _line_endings(
    repo: GitRepo, algorithm: str, crlf: list[tuple[str, str, str, bytes]], entries: dict[str, tuple[str, str]]
) -> list[tuple[str, str, bytes]]:
    """Files checked out with CRLF (core.autocrlf, `eol=crlf`) whose blob has LF: compared as LF,
    as git compares them, or every line of every such file would look changed. Only CRLF
    becomes LF, so no byte of code can hide (a lone CR stays); a blob with CRs keeps the bytes."""
    out: list[tuple[str, str, bytes]] = []
    blobs = repo.read_blobs([oid for _, _, oid, _ in crlf]) if crlf else {}
    for path, mode, oid, data in crlf:
        lf = data.replace(b"\r\n", b"\n")
        if blob_id(lf, algorithm) == oid:
            entries[path] = (mode, oid)  # only the line endings differ from the index
        else:
            out.append((path, mode, lf if b"\r" not in blobs.get(oid, b"\r") else data))
    return out


def _read_entry(root: Path, rel: str) -> tuple[str, bytes] | None:
    """(git mode, bytes) of root/rel: a symlink as its target, never followed; None when absent.

    A path reached through a symlinked directory is absent, as git treats it ("beyond a symbolic
    link"); so is a directory or device where a file was.
    """
    path = root
    parts = rel.split("/")
    for part in parts[:-1]:
        path = path / part
        if path.is_symlink() or not path.is_dir():
            return None
    path = path / parts[-1]
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            return "120000", os.fsencode(os.readlink(path))
        if stat.S_ISREG(st.st_mode):
            return ("100755" if st.st_mode & stat.S_IXUSR else "100644"), path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError as exc:
        raise InputError(f"{rel}: cannot read it in the working tree: {exc.strerror}") from exc
    return None
