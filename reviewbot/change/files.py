"""Reading files the user may not control, once: regular files only, never through a symlink.

A checkout (`read_regular_file`, `read_if_regular`, `read_small_file`) or a commit or the index
(`GitFiles`): each reader returns the bytes of a regular file, or None for anything else (absent,
a symlink or reached through one, a submodule, too large where a limit applies). Binary is decided
here too, from the bytes (`is_binary`). Config, suppressions, ledger and model all come through
these readers, so a change cannot point reviewbot at a file outside the repository.
"""

from __future__ import annotations

from pathlib import Path

from reviewbot.change.git import GitRepo

DEFAULT_MAX_FILE_BYTES = 1_000_000  # semgrep's own default, applied to named targets too


class GitFiles:
    """The regular files of a commit (or of the index), read on demand.

    `listed` (the default): the whole commit is listed once, on first use, which suits a reader
    asked about many files (the change's modules and their imports). `listed=False`: each path
    is looked up alone (`git ls-tree` of that one path, taken literally), for a reader asked about
    a handful (config, suppressions, ledger, model), where listing a large repository's tree
    costs more than the lookups. The index is always listed."""

    def __init__(self, repo: GitRepo, commit: str | None, *, listed: bool = True) -> None:
        self.repo = repo
        self.commit = commit  # None: the index
        self.listed = listed or commit is None
        self._blobs: dict[str, str] | None = None
        self._symlinks: set[str] = set()
        self._looked_up: dict[str, tuple[str | None, bool]] = {}  # path -> (blob, is a symlink)

    def __call__(self, path: str) -> bytes | None:
        blob = self._entry(path)[0]
        if blob is None:
            return None
        return self.repo.read_blobs([blob]).get(blob)

    def is_symlink(self, path: str) -> bool:
        """Whether `path` is a symlink there (read as absent, but worth saying: it is never followed)."""
        return self._entry(path)[1]

    def _entry(self, path: str) -> tuple[str | None, bool]:
        """`path`'s blob if it is a regular file, and whether it is a symlink."""
        if self.listed:
            return self._listing().get(path), path in self._symlinks
        if path not in self._looked_up:
            assert self.commit is not None
            if any(part in ("", ".", "..") for part in path.split("/")):
                return None, False  # no entry of a tree is named so (and git would refuse it)
            # A path naming a folder lists its entries, none of them named `path`: absent.
            out = self.repo.git("--literal-pathspecs", "ls-tree", "-z", "--full-tree", self.commit, "--", path)
            blobs, symlinks = _parse_tree(out, blob_field=2)
            self._looked_up[path] = (blobs.get(path), path in symlinks)
        return self._looked_up[path]

    def _listing(self) -> dict[str, str]:
        if self._blobs is None:
            if self.commit is None:
                listing = self.repo.git("ls-files", "-s", "-z")  # mode blob stage\tpath
            else:
                listing = self.repo.git("ls-tree", "-r", "-z", "--full-tree", self.commit)  # mode type blob\tpath
            self._blobs, self._symlinks = _parse_tree(listing, blob_field=1 if self.commit is None else 2)
        return self._blobs


def _parse_tree(listing: bytes, *, blob_field: int) -> tuple[dict[str, str], set[str]]:
    """Regular files (path -> blob) and symlinks of `ls-tree -z` / `ls-files -s -z` output."""
    blobs, symlinks = {}, set()
    for entry in listing.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[0] in (b"100644", b"100755"):
            blobs[name.decode("utf-8", "surrogateescape")] = fields[blob_field].decode()
        elif len(fields) == 3 and fields[0] == b"120000":
            symlinks.add(name.decode("utf-8", "surrogateescape"))
    return blobs, symlinks


def is_binary(data: bytes) -> bool:
    """Whether a file is binary: a NUL byte anywhere (git's own test, on the whole file).

    reviewbot decides this from the bytes for every way in, never from what the change says
    about itself (`.gitattributes` `-diff`/`binary`), which git is told to ignore (git.py).
    """
    return b"\0" in data


def symlink_on_path(root: Path, rel: str) -> str | None:
    """The first part of root/rel that is a symlink (rel itself or a folder above it), or None."""
    path = root
    for part in rel.split("/"):
        path = path / part
        if path.is_symlink():
            return path.relative_to(root).as_posix()
    return None


def through_symlink(root: Path, rel: str) -> bool:
    """True when root/rel is a symlink or is reached through one (a symlinked directory)."""
    return symlink_on_path(root, rel) is not None


def read_regular_file(root: Path, rel: str) -> bytes | None:
    """Read root/rel only if it is a regular file reached through no symlink at all."""
    if through_symlink(root, rel):
        return None
    path = root / rel
    return path.read_bytes() if path.is_file() else None


def read_if_regular(root: Path, rel: str) -> bytes | None:
    """`read_regular_file` for files that are advisory (config, ledger, model): a file that
    cannot be read is absent, not an error."""
    try:
        return read_regular_file(root, rel)
    except OSError:
        return None


def read_small_file(root: Path, rel: str) -> bytes | None:
    """`read_regular_file` for the reader of other files: nothing over the size limit, and an
    unreadable file is absent rather than an error (these facts are advisory)."""
    try:
        path = root / rel
        if path.is_file() and path.stat().st_size > DEFAULT_MAX_FILE_BYTES:
            return None
        return read_regular_file(root, rel)
    except OSError:
        return None
