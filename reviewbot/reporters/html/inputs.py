"""Reading the report's inputs at the border: scan reports, the model folder, drift and audit results.

Everything here is foreign JSON written by another run (or another version) of reviewbot, so it
is parsed into small typed values that declare only the fields the report uses, and unknown fields
are ignored (docs/json-output.md lets later versions add fields). A file that is given but cannot
be used is an `InputError`; a file that is readable but partly wrong is used for what is right,
and each thing skipped becomes a line in `problems`, shown on the page: never dropped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reviewbot.errors import InputError
from reviewbot.redact import redact_data
from reviewbot.scan_report import result_of

MAX_PLOT_BYTES = 4_000_000
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CARD_FILE, PLOT_FILE, DRIFT_FILE = "card.json", "eval.png", "drift.json"


class ScanFinding(BaseModel):
    """The fields of a finding (docs/json-output.md) the report reads; others are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    rule_id: str = Field(min_length=1)
    path: str
    start_line: int = 1
    message: str = ""
    severity: str = ""
    category: str = ""
    fingerprint: str = ""
    disposition: str = Field(min_length=1)
    disposition_reason: str = ""
    score: float | None = None
    unscored_reason: str = ""


@dataclass(frozen=True)
class ScanReport:
    source: str
    change: str
    findings: list[ScanFinding]


@dataclass(frozen=True)
class ModelDir:
    """A model folder as the report sees it: the raw card (every section optional) and its plot."""

    path: Path
    card: dict[str, Any] | None
    plot: bytes | None = None
    plot_name: str = ""
    problems: list[str] = field(default_factory=list)


def report_files(paths: list[Path]) -> list[Path]:
    """Each given path, a folder standing for the `*.json` files directly in it (sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.glob("*.json") if p.is_file()))
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(f"--reports {path}: no such file or folder")
    return out


def read_scan_report(path: Path, problems: list[str]) -> ScanReport | None:
    """A `reviewbot scan --format json` report (or a `pr --save-results` file), or None and a problem."""
    before = len(problems)
    doc = _json_file(path, problems, "scan report")
    if len(problems) > before:  # not JSON: already said so
        return None
    doc = result_of(doc)
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        problems.append(f"{path}: not a reviewbot JSON scan report (no `findings` list); skipped")
        return None
    version = doc.get("schema_version")
    if version is not None and str(version) != "1":
        problems.append(f"{path}: schema_version {version!r} is newer than this reviewbot reads (1); skipped")
        return None
    findings: list[ScanFinding] = []
    bad = 0
    for item in doc["findings"]:
        try:
            # A report an older reviewbot wrote may quote a secret: redacted before it is shown.
            findings.append(ScanFinding.model_validate(redact_data(item)))
        except ValidationError:
            bad += 1
    if bad:
        problems.append(f"{path}: {bad} finding(s) without a rule, path or disposition; left out")
    change = doc.get("change")
    return ScanReport(str(path), change if isinstance(change, str) else "", findings)


def read_model_dir(path: Path) -> ModelDir:
    """The card (raw JSON object, required) and the evaluation plot (optional) of a model folder.

    Only those named files are opened (and `drift.json`, by `collect`); the folder is never listed,
    so `--model /tmp` or a folder holding a FIFO or a symlink loop reads nothing else."""
    if not path.is_dir():
        raise InputError(f"--model {path}: not a folder (expected a model folder with card.json)")
    problems: list[str] = []
    card_path = path / CARD_FILE
    if not card_path.is_file():
        raise InputError(f"--model {card_path}: missing (a model folder holds model.txt and {CARD_FILE})")
    card = _json_file(card_path, problems, "model card")
    if card is not None and not isinstance(card, dict):
        problems.append(f"{card_path}: not a JSON object; card not shown")
        card = None
    plot, plot_name = _plot(path, problems)
    return ModelDir(path, card, plot, plot_name, problems)


def _plot(folder: Path, problems: list[str]) -> tuple[bytes | None, str]:
    """The folder's `eval.png` (by name), when it is a real PNG of a sane size (embedded as data: URI)."""
    for png in [folder / PLOT_FILE] if (folder / PLOT_FILE).is_file() else []:
        try:
            data = png.read_bytes()
        except OSError as exc:
            problems.append(f"{png}: cannot read the plot: {exc.strerror or exc}")
            return None, ""
        if not data.startswith(_PNG_MAGIC):
            problems.append(f"{png}: not a PNG file; not embedded")
        elif len(data) > MAX_PLOT_BYTES:
            problems.append(f"{png}: {len(data)} bytes, over the {MAX_PLOT_BYTES} embedded at most; not embedded")
        else:
            return data, png.name
    return None, ""


def read_json_object(path: Path, problems: list[str], what: str) -> dict[str, Any] | None:
    """A JSON object from `path`, or None with a problem (a missing file is simply None)."""
    if not path.is_file():
        return None
    doc = _json_file(path, problems, what)
    if doc is not None and not isinstance(doc, dict):
        problems.append(f"{path}: the {what} is not a JSON object; not shown")
        return None
    return doc


def _json_file(path: Path, problems: list[str], what: str) -> Any:
    try:
        return json.loads(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from exc
    except (ValueError, RecursionError) as exc:
        problems.append(f"{path}: the {what} is not valid JSON ({exc}); skipped")
        return None
