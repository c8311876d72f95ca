"""Optional upload of reviewbot's SARIF to GitHub code scanning (needs `security-events: write`).

The log is reviewbot's own SARIF reporter output (hidden findings included, with their
suppressions), with `runs[].automationDetails.id` set to the category — the REST API has no
`category` field; this is where GitHub reads it, so uploads of other categories are not
replaced. The log is gzip-compressed and base64-encoded, as the API requires.

Findings imported from other tools' SARIF (`--import-sarif`, scanner `sarif:<tool>`) are left out:
code scanning already has them from that tool's own upload, and under reviewbot's name they would
be every alert twice.
"""

from __future__ import annotations

import base64
import gzip
import json

from reviewbot.github.client import Api
from reviewbot.redact import redact_data
from reviewbot.reporters.sarif import render_sarif
from reviewbot.review.result import ReviewResult

MAX_COMPRESSED_BYTES = 10 * 1024 * 1024  # GitHub's limit on the gzip-compressed log


class SarifTooLarge(ValueError):
    pass


def encode_sarif(result: ReviewResult, category: str) -> str:
    own = [f for f in result.findings if not f.imported]
    doc = json.loads(render_sarif(result.model_copy(update={"findings": own}).redacted()))
    for run in doc["runs"]:
        run["automationDetails"] = {"id": category.rstrip("/") + "/"}
    # Compressed and encoded, the payload cannot be checked any more: redact every string first.
    raw = gzip.compress(json.dumps(redact_data(doc), ensure_ascii=False).encode("utf-8"), mtime=0)
    if len(raw) > MAX_COMPRESSED_BYTES:
        raise SarifTooLarge(
            f"the SARIF log is {len(raw)} bytes compressed; GitHub takes at most {MAX_COMPRESSED_BYTES}"
        )
    return base64.b64encode(raw).decode("ascii")


def upload_sarif(api: Api, repository: str, head_sha: str, ref: str, result: ReviewResult, category: str) -> str:
    """Upload; return GitHub's id for the upload."""
    body = {"commit_sha": head_sha, "ref": ref, "sarif": encode_sarif(result, category), "tool_name": "reviewbot"}
    data = api.request_json("upload SARIF", "POST", f"/repos/{repository}/code-scanning/sarifs", body, repeat_safe=True)
    return str(data.get("id", "")) if isinstance(data, dict) else ""
