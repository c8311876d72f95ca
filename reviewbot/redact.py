"""Redaction: secrets found in code are shown by their first characters only.

A hard-coded credential finding must not become a second copy of the credential in a terminal
log, a JSON artifact, a SARIF upload or a PR comment. Every quoted string of five or more
characters in the text keeps its first two characters; the rest become `*`s, capped at 8.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"""(?P<q>'''|\"\"\"|'|")(?P<body>(?:\\.|(?!(?P=q)).){5,}?)(?P=q)""", re.DOTALL)
_UNQUOTED_TOKEN = re.compile(r"\b(?:AKIA|ASIA|ghp_|gho_|ghs_|github_pat_|xox[abpr]-|sk_live_|AIza)[A-Za-z0-9_\-]{8,}")


def _mask(body: str) -> str:
    return body[:2] + "*" * min(8, max(3, len(body) - 2))


def redact_secrets(text: str) -> str:
    text = _QUOTED.sub(lambda m: m.group("q") + _mask(m.group("body")) + m.group("q"), text)
    return _UNQUOTED_TOKEN.sub(lambda m: _mask(m.group()), text)
