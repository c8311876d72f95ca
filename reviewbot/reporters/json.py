"""JSON output: the ReviewResult as a versioned document (docs/json-output.md).

Every finding is in it, hidden ones too, each with its disposition and the reason for it.
"""

from __future__ import annotations

import json
from collections import Counter

from reviewbot.review.result import ReviewResult


def render_json(result: ReviewResult) -> str:
    doc = result.model_dump(mode="json")
    doc["summary"] = {
        "reported": len(result.reported),
        "by_disposition": dict(sorted(Counter(f.disposition.value for f in result.findings).items())),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
