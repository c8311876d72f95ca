"""Editing the suppressions file in place: `add_entry` appends one entry, `remove_entry` deletes one.

The edits are text edits, so comments and layout the team wrote survive: an entry is appended at
the end of the `suppressions:` list, or its lines are deleted; each edit is checked by parsing the
result (it must hold exactly the old entries plus or minus the one) and written atomically.
`reviewbot suppress` (cli/suppress.py) is the command that calls them.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from pathlib import Path

from reviewbot._io import write_atomic
from reviewbot.errors import InputError
from reviewbot.policy.suppression_file import SCHEMA_VERSION, Entry, SuppressionError, parse_suppressions

_HEADER = f"""\
# reviewbot suppressions (schema {SCHEMA_VERSION}): docs/suppressions.md
# Each entry hides matching findings until `expires` (inclusive). Edit with `reviewbot suppress`.
version: {SCHEMA_VERSION}
suppressions:
"""


def new_entry_id(taken: Collection[str]) -> str:
    """A fresh random entry id (`sup-` and 8 hex digits) that is not in `taken`."""
    return next(i for i in (f"sup-{secrets.token_hex(4)}" for _ in range(100)) if i not in taken)


def entry_text(entry: Entry, indent: int) -> str:
    """One list item in YAML, indented to sit under `suppressions:`."""
    import yaml

    doc = entry.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    doc = {"id": entry.id, **doc}  # id first, for readers
    body = yaml.safe_dump([doc], sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in body.splitlines(keepends=True))


def add_entry(path: Path, entry: Entry) -> None:
    """Append `entry` to the suppressions file at `path` (created if missing)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise SuppressionError(f"{path}: cannot read the suppressions file: {exc}") from exc
    before = parse_suppressions(text.encode(), str(path))
    if not text.strip():
        new = _HEADER + entry_text(entry, 2)
    else:
        root = before.doc.root if before.doc is not None else None
        seq = next((v for k, v in root.value if k.value == "suppressions"), None) if root is not None else None
        last_key = root.value[-1][0].value if root is not None and root.value else None
        body = text if text.endswith("\n") else text + "\n"
        if seq is None:
            new = body + "suppressions:\n" + entry_text(entry, 2)
        elif isinstance(seq, yaml.SequenceNode) and not seq.flow_style and last_key == "suppressions" and seq.value:
            new = body + entry_text(entry, seq.start_mark.column)
        elif isinstance(seq, yaml.ScalarNode) and seq.value == "" and last_key == "suppressions":
            new = body + entry_text(entry, 2)
        else:
            raise SuppressionError(
                f"{path}: cannot append safely (keep `suppressions:` a block list, last in the file); "
                f"add this entry by hand:\n{entry_text(entry, 2)}"
            )
    after = parse_suppressions(new.encode(), str(path))
    if after.entries != [*before.entries, entry]:
        raise SuppressionError(f"{path}: appending did not give the expected file; add this entry by hand:\n{new}")
    write_atomic(path, new.encode("utf-8"))


def remove_entry(path: Path, entry_id: str) -> Entry:
    """Delete the lines of entry `entry_id` from the file at `path`; the removed entry."""
    import yaml

    if not path.exists():
        raise InputError(f"{path}: no suppressions file")
    text = path.read_text(encoding="utf-8")
    before = parse_suppressions(text.encode(), str(path))
    index = next((i for i, e in enumerate(before.entries) if e.id == entry_id), None)
    if index is None or before.doc is None:
        known = ", ".join(e.id for e in before.entries) or "none"
        raise InputError(f"{path}: no entry with id {entry_id!r} (ids: {known})")
    seq = next(v for k, v in before.doc.root.value if k.value == "suppressions")
    item = seq.value[index]
    first = item.start_mark.line
    ends = [item.end_mark] if not isinstance(item, yaml.MappingNode) or item.flow_style else []
    ends += [v.end_mark for _, v in item.value] if isinstance(item, yaml.MappingNode) else []
    last = max(m.line - (1 if m.column == 0 else 0) for m in ends)
    lines = text.splitlines(keepends=True)
    new = "".join(lines[:first] + lines[last + 1 :])
    after = parse_suppressions(new.encode(), str(path))
    if after.entries != [e for e in before.entries if e.id != entry_id]:
        raise SuppressionError(f"{path}: could not remove {entry_id} cleanly; edit the file by hand")
    write_atomic(path, new.encode("utf-8"))
    return before.entries[index]
