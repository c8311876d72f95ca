"""Fingerprint v1: a finding's identity, with no line numbers in it.

    sha256("reviewbot-fp-v1" | rule id | path | enclosing scope | normalized match | occurrence)

* normalized match: the tree-sitter leaf tokens of the matched code joined by one space, comments
  and commas before a closing bracket (a formatter's "magic trailing comma") left out; without a
  grammar, the matched text with runs of whitespace folded to one space;
* enclosing scope: dotted function/class names ("Handler.post"), "<module>" at top level, "<file>"
  without a grammar;
* occurrence: 0 for the first match with the same (rule, path, scope, normalized match) in the file,
  1 for the second, … in source order; it tells apart identical matches in one scope.

So moving code, adding lines above it, re-indenting and editing comments keep the fingerprint;
changing the matched code, its scope, or the file's path change it. The path is part of the
identity on purpose: the same snippet in two files is two findings to triage. Fingerprints key
triage, suppressions, SARIF `partialFingerprints` and PR comment markers, so this recipe is
persisted data: a change to it is a new version, never an edit.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from reviewbot.lang.syntax import ParsedFile, enclosing_scope, normalized_tokens

VERSION = "v1"
_SALT = b"reviewbot-fp-v1"


@dataclass(frozen=True)
class MatchIdentity:
    """Everything but the occurrence index: what makes two matches 'the same code'."""

    rule_id: str
    path: str
    scope: str
    normalized: str


def match_identity(
    rule_id: str,
    path: str,
    source: bytes,
    parsed: ParsedFile | None,
    start_byte: int,
    end_byte: int,
) -> MatchIdentity:
    if parsed is not None:
        tokens, _ = normalized_tokens(parsed, start_byte, end_byte)
        if tokens:
            scope = enclosing_scope(parsed, start_byte, end_byte)
            return MatchIdentity(rule_id, path, scope, " ".join(tokens))
    text = source[start_byte:end_byte].decode("utf-8", "replace")
    return MatchIdentity(rule_id, path, "<file>", " ".join(text.split()))


def fingerprints(identities: Iterable[MatchIdentity]) -> list[str]:
    """One fingerprint per identity; `identities` must be in source order within each file."""
    seen: Counter[MatchIdentity] = Counter()
    out: list[str] = []
    for ident in identities:
        occurrence = seen[ident]
        seen[ident] += 1
        h = hashlib.sha256(_SALT)
        for part in (ident.rule_id, ident.path, ident.scope, ident.normalized, str(occurrence)):
            h.update(b"\x00")
            h.update(part.encode("utf-8", "surrogatepass"))
        out.append(h.hexdigest()[:32])
    return out
