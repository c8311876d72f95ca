"""Redaction: secrets are shown by their first characters only, in every output.

A credential in the code must not become a second copy of itself in a terminal log, a JSON
artifact, a SARIF upload or a PR comment, whichever rule the line it sits on happens to match.

* `redact_secrets` is for the findings of secret rules: every quoted string of five or more
  characters keeps its first two characters; the rest become `*`s, capped at 8.
* `redact_text` is for everything else: it masks the shapes a credential has wherever it appears
  (provider tokens, private key blocks, JWTs, `password=`/`secret=` literals, `user:password@` in
  URLs, Authorization header values) and leaves ordinary code readable. Its masks keep the
  length and the line breaks of what they hide, so byte columns and line numbers stay true.
* `redact_data` applies `redact_text` to every string in a JSON-like document, and
  `redact_finding` to every text a finding carries; a finding whose fix text had a secret masked
  is marked `fix_redacted` (that text is no longer a valid replacement: never a suggestion).

Fingerprints are computed from the real code before any of this, so redaction never changes one.
Whatever leaves the process is made from `ReviewResult.redacted()` and passes `redact_text` once
more; an LLM prompt, when there is one, must be built the same way.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviewbot.finding import Finding

_QUOTED = re.compile(r"""(?P<q>'''|\"\"\"|'|")(?P<body>(?:\\.|(?!(?P=q)).){5,}?)(?P=q)""", re.DOTALL)
_UNQUOTED_TOKEN = re.compile(r"\b(?:AKIA|ASIA|ghp_|gho_|ghs_|github_pat_|xox[abpr]-|sk_live_|AIza)[A-Za-z0-9_\-]{8,}")


def _mask(body: str) -> str:
    return body[:2] + "*" * min(8, max(3, len(body) - 2))


def redact_secrets(text: str) -> str:
    text = _QUOTED.sub(lambda m: m.group("q") + _mask(m.group("body")) + m.group("q"), text)
    return _UNQUOTED_TOKEN.sub(lambda m: _mask(m.group()), text)


# A key: a whole run of name characters (`self.db_password`, `x-api-key`). It is matched at the
# start of its run and never backtracked into (possessive), so a long run of such characters
# (minified code) costs linear time; whether it names a credential is decided in `_masked_group`.
_KEY = r"(?<![A-Za-z0-9_.-])(?P<k>[A-Za-z0-9_.-]++)"
# Words that name a credential when they are (part of) a key: `DB_PASSWORD`, `client_secret`, `apiKey`.
_CREDENTIAL_WORD = re.compile(
    r"(?i)password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential"
)
# Each pattern's group `v` is the secret; what is around it stays as written.
_SHAPES = [
    # Provider tokens: GitHub (classic and fine-grained), Slack, AWS key ids, Stripe, Google.
    re.compile(r"(?P<v>\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}))"),
    re.compile(r"(?P<v>\bxox[abposre]-[A-Za-z0-9-]{8,})"),
    re.compile(r"(?P<v>\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b"),
    re.compile(r"(?P<v>\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,})"),
    re.compile(r"(?P<v>\bAIza[A-Za-z0-9_-]{30,})"),
    re.compile(r"hooks\.slack\.com/services/(?P<v>[A-Za-z0-9/_-]{8,})"),
    # A private key block, to its end line (or the end of the text, when it is cut off).
    re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?P<v>.*?)(?=-----END |\Z)", re.DOTALL),
    # A JWT: three base64url parts, the first a JSON header.
    re.compile(r"(?P<v>\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,})"),
    # user:password@host in a URL.
    re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*+://[^\s/:@'\"]*+:(?P<v>[^\s/@'\"]++)@"),
    # An Authorization header's credentials, and Bearer/Basic credentials anywhere.
    # (a quoted value, `"Authorization": "…"`, or a header line with its scheme, not code such as
    # `authorization=request.headers.get(…)`).
    re.compile(r"(?i)authorization['\"]?\s*[:=,]\s*['\"]\s*(?:(?:bearer|token|basic|digest)\s+)?(?P<v>[^\s'\"]{6,})"),
    re.compile(r"(?i)authorization:\s*(?:bearer|token|basic|digest)\s+(?P<v>[^\s'\"]{6,})"),
    re.compile(r"(?i)\b(?:bearer|basic)\s+(?P<v>[A-Za-z0-9._~+/=-]{8,})"),
    re.compile(r"(?i)\btoken\s+(?P<v>(?=[A-Za-z0-9._~+/=-]{0,512}?\d)[A-Za-z0-9._~+/=-]{16,})"),
    # A credential-named key set to a quoted literal: `password = "…"`, `"api_key": '…'`, `secret: "…"`.
    re.compile(rf"(?i){_KEY}['\"]?\s*(?::=|=>|[:=])\s*[rbuf]?(?P<q>['\"`])(?P<v>(?:\\.|(?!(?P=q)).){{1,4096}}?)(?P=q)"),
    # … or to a bare value that looks like one (has a digit; not a name or a call): `PASSWORD=hunter2x9`.
    re.compile(
        rf"(?i){_KEY}\s*[:=]\s*(?P<v>(?=[^\s'\"`]{{0,512}}?\d)[^\s'\"`,;&()\[\]{{}}<>.]{{8,512}}+)(?=[\s,;&)\]}}]|$)"
    ),
]


def _hide(value: str) -> str:
    """The first two characters, then a `*` for every other character but line breaks and spaces."""
    return value[:2] + re.sub(r"\S", "*", value[2:])


# Every shape above needs one of these words in the text (the key patterns: a credential word
# in the key). One search of them lets the text of nearly every finding through untouched, where
# running every shape over each string cost seconds on a large scan. Keep it a superset of
# `_SHAPES` and `_CREDENTIAL_WORD`: tests/test_redact.py checks the shapes through it.
_MAY_HOLD_A_SECRET = re.compile(
    r"(?i)gh[pousr]_|github_pat_|xox|akia|asia|abia|acca|[sr]k_(?:live|test)_|aiza|hooks\.slack|private|eyj|://"
    r"|authoriz|bearer|basic|token|passw|passphrase|pwd|secret|api[_-]?key|access[_-]?key|credential"
)


@functools.lru_cache(maxsize=8192)  # a review redacts the same keys and tokens thousands of times
def redact_text(text: str) -> str:
    """`text` with every credential-shaped value masked (same length, same line breaks)."""
    if not _MAY_HOLD_A_SECRET.search(text):
        return text
    for pattern in _SHAPES:
        text = pattern.sub(_masked_group, text)
    return text


# Keys that name something about a credential, not the credential: `TOKEN_URL`, `password_hash`.
_NOT_A_SECRET = re.compile(
    r"(?i)(?:url|uri|endpoint|name|names|hash|hashed|file|path|field|type|header|env|var|prefix|len|length|id|ids)$"
)


def _masked_group(m: re.Match[str]) -> str:
    if "k" in m.re.groupindex:
        key = m.group("k")
        if not _CREDENTIAL_WORD.search(key) or _NOT_A_SECRET.search(key):
            return m.group()
    start, end = m.span("v")
    whole = m.group()
    offset = m.start()
    return whole[: start - offset] + _hide(m.group("v")) + whole[end - offset :]


def redact_data(value: Any) -> Any:
    """Every string in a JSON-like document (dicts, lists, tuples, keys too) through `redact_text`."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {redact_data(k): redact_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_data(v) for v in value)
    return value


def redact_tokens(tokens: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Code tokens redacted as the code they came from: a literal is a token of its own, and
    only the code around it (`password = "…"`) says it is a secret. The masks keep lengths, so
    the joined text is cut back into the same tokens."""
    joined = redact_text("".join(tokens))
    out, at = [], 0
    for token in tokens:
        out.append(joined[at : at + len(token)])
        at += len(token)
    return tuple(out)


def redact_finding(finding: Finding) -> Finding:
    """The finding with every text it carries redacted (snippet, message, fix, metadata, context…).

    Its identity (rule id, path, fingerprint) is kept as it is: it addresses the code, in the
    diff and in the ledger, and the final pass over each output still covers its text."""
    doc = finding.model_dump()
    identity = {k: doc.pop(k) for k in _IDENTITY}
    clean = redact_data(doc)
    if clean.get("context") and clean["context"].get("tokens"):
        clean["context"]["tokens"] = redact_tokens(doc["context"]["tokens"])
    if clean == doc:
        return finding
    if clean["fix"] != doc["fix"]:
        clean["fix_redacted"] = True
    return type(finding).model_validate({**clean, **identity})


_IDENTITY = ("rule_id", "path", "fingerprint")
