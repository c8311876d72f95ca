"""Reading another tool's SARIF file: bounded reading, JSON, the SARIF 2.1.0 schema, the version.

    doc = read_sarif(path)              # a dict that is valid SARIF 2.1.0, or SarifError

The file is the user's (or the workflow's) but its contents come from a tool that read the code
under review, so nothing in it is trusted: it is opened without following a symlink, only if it
is a regular file (a FIFO is never opened), read in bounded chunks up to `MAX_SARIF_BYTES`, and
validated against the SARIF 2.1.0 JSON schema shipped in `sarif_schema/` (SchemaStore's copy of
the OASIS schema; source and licence in its README). An error names the file and the JSON path
of the first problem; it never quotes the file's values (a "SARIF" file could be anything).
Turning a valid document into results is `sarif_map`.
"""

from __future__ import annotations

import json
import os
import stat
from functools import cache
from pathlib import Path
from typing import Any

from reviewbot.errors import InputError

# Larger than any SARIF GitHub accepts (10 MB gzipped, 25,000 results a run), small enough to
# parse in memory: json has no streaming parser, and a document is parsed once, whole.
MAX_SARIF_BYTES = 128 * 1024 * 1024
_CHUNK = 1024 * 1024
_SCHEMA = Path(__file__).parent / "sarif_schema" / "sarif-2.1.0.json"


class SarifError(InputError):
    """An imported SARIF file reviewbot cannot use; the message names the file and why."""


def read_sarif(path: Path, *, max_bytes: int = MAX_SARIF_BYTES) -> dict[str, Any]:
    """The document in `path`, checked to be SARIF 2.1.0."""
    data = _read_bounded(path, max_bytes)
    try:
        doc = json.loads(data)
    except UnicodeDecodeError:
        raise SarifError(f"{path}: not UTF-8 text, so not SARIF") from None
    except json.JSONDecodeError as exc:
        raise SarifError(f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise SarifError(f"{path}: nested too deeply to be SARIF") from None
    if not isinstance(doc, dict):
        raise SarifError(f"{path}: $: a SARIF log is a JSON object, not {_kind(doc)}")
    version = doc.get("version")
    if version != "2.1.0":
        shown = repr(version)[:40] if isinstance(version, str) else _kind(version)
        raise SarifError(f"{path}: $.version: {shown} is not 2.1.0; reviewbot reads SARIF 2.1.0 only")
    problem = _first_schema_error(doc)
    if problem is not None:
        raise SarifError(f"{path}: not valid SARIF 2.1.0: {problem}")
    return doc


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise SarifError(f"{path}: no such file") from None
    except OSError as exc:
        if path.is_symlink():
            raise SarifError(f"{path}: a symlink, which reviewbot never follows; give the file itself") from None
        raise SarifError(f"{path}: cannot open it: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise SarifError(f"{path}: not a regular file")
        chunks, size = [], 0
        while chunk := fh.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise SarifError(
                    f"{path}: larger than {max_bytes:,} bytes, the most reviewbot imports; "
                    "split the tool's run or filter its output"
                )
            chunks.append(chunk)
    return b"".join(chunks)


@cache
def _validator() -> Any:
    from jsonschema import Draft7Validator

    return Draft7Validator(inline_refs(json.loads(_SCHEMA.read_text(encoding="utf-8"))))


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with each `{"$ref": "#/definitions/X"}` (and nothing but a description beside it,
    which draft-07 ignores next to a `$ref`) replaced by the definition itself, shared (recursive
    definitions become a cyclic structure). The same schema, validated ~2.5x faster: looking a
    reference up costs more than most checks, and a result of SARIF's schema is dozens of them."""
    definitions = schema.get("definitions") or {}
    seen: set[int] = set()

    def target(value: object) -> Any:
        if isinstance(value, dict) and set(value) <= {"$ref", "description"} and isinstance(value.get("$ref"), str):
            name = value["$ref"].removeprefix("#/definitions/")
            if value["$ref"].startswith("#/definitions/") and name in definitions:
                return definitions[name]
        return None

    def visit(node: Any) -> None:
        if id(node) in seen or not isinstance(node, dict | list):
            return
        seen.add(id(node))
        for key, value in list(node.items() if isinstance(node, dict) else enumerate(node)):
            found = target(value)
            if found is not None:
                node[key] = found
            visit(found if found is not None else value)

    visit(schema)
    return schema


def _first_schema_error(doc: dict[str, Any]) -> str | None:
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(doc))
    if error is None:
        return None
    # The validator's own message quotes the offending value: say what was expected instead.
    expected = error.validator_value
    if error.validator in ("type", "enum", "const"):
        detail = f"must be {error.validator} {json.dumps(expected)[:120]}, not {_kind(error.instance)}"
    elif error.validator == "required":
        missing = [k for k in expected if not isinstance(error.instance, dict) or k not in error.instance]
        detail = f"missing required property {', '.join(map(repr, missing))[:120]}"
    elif error.validator == "additionalProperties":
        detail = "has a property the schema does not allow"
    else:
        detail = f"fails the schema's {error.validator!r} constraint ({json.dumps(expected)[:80]})"
    return f"{error.json_path}: {detail}"


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )
