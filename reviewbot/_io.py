"""Writing files so that no reader ever sees half of one, and output paths the user names.

An output file named on the command line (`scan --output`, `report --out`, `suppress --file`)
is checked before any work and written without creating a folder: a typo must not leave a tree
of folders behind, and a path that cannot be written is the user's to fix (an InputError naming
it), not a crash. A model folder (`train --out DIR`) is made with its parents, as its help says
(`models/NAME`), and so is the Action's `--save-results` folder (the documented workflows save
to `${{ runner.temp }}/reviewbot/results.json`), unless a part of the path is a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reviewbot.errors import InputError


def write_atomic(path: Path, data: bytes, *, make_parents: bool = False) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    The folder must exist unless `make_parents` (for reviewbot's own cache and state folders).
    """
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file 0600; give it the mode a plain open() would (0666 less umask).
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_output_file(path: Path, flag: str, *, make_parents: bool = False) -> None:
    """Refuse, before any work, an output file that cannot be: a folder, or under a file or
    (unless `make_parents`) a missing folder."""
    if path.is_dir():
        raise InputError(f"{flag} {path}: is a folder, not a file")
    if make_parents:
        check_output_folder(path.parent, flag, named=path)
    else:
        _check_folder(path, path.parent, flag)


def check_output_folder(path: Path, flag: str, *, named: Path | None = None) -> None:
    """Refuse an output folder (made with its parents: `models/NAME`) that is, or is under, a file."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise InputError(f"{flag} {named or path}: {existing} is a file, not a folder")


def write_output(path: Path, data: bytes, flag: str, *, make_parents: bool = False) -> None:
    """`write_atomic` for a path the user named: checked first, any failure an InputError naming it."""
    check_output_file(path, flag, make_parents=make_parents)
    try:
        write_atomic(path, data, make_parents=make_parents)
    except OSError as exc:
        raise InputError(f"{flag} {path}: cannot write it: {exc.strerror or exc}") from exc


def _check_folder(path: Path, folder: Path, flag: str) -> None:
    if folder.is_dir():
        return
    check_output_folder(folder, flag, named=path)  # a part of it that is a file says so
    raise InputError(f"{flag} {path}: the folder {folder} does not exist (reviewbot creates no folders for its output)")
