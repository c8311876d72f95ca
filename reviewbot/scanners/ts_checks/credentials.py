"""`high-entropy-credential`: hard-coded secrets (CWE-798). A string literal bound to a name that
says it holds a credential (`API_TOKEN = "..."`, `password="..."`, `{"secret": "..."}`) is
reported when the string looks random enough to be a real one; a URL with an embedded password
is reported whatever its name. Placeholders, paths, UUIDs, colours and plain words are not.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

MIN_SECRET_LENGTH = 16
ENTROPY_THRESHOLD = 3.5  # bits per character
HEX_ENTROPY_THRESHOLD = 3.0  # a hex string has at most 4 bits per character

# JavaScript and both TypeScript grammars share these node types; fields and parameters differ.
_JS_STRING = "[(string) (template_string)]"
_JS_QUERY_COMMON = f"""
(variable_declarator name: (identifier) @name value: {_JS_STRING} @value)
(assignment_expression left: [(identifier) (member_expression) (subscript_expression)] @name right: {_JS_STRING} @value)
(pair key: [(property_identifier) (string)] @name value: {_JS_STRING} @value)
(binary_expression left: (_) @name operator: ["===" "==" "!==" "!="] right: (string) @value)
(binary_expression left: (string) @value operator: ["===" "==" "!==" "!="] right: (_) @name)
"""
_CREDENTIAL_QUERIES = {
    "python": """
(assignment left: (_) @name right: (string) @value)
(pair key: (_) @name value: (string) @value)
(keyword_argument name: (identifier) @name value: (string) @value)
(default_parameter name: (identifier) @name value: (string) @value)
(typed_default_parameter name: (identifier) @name value: (string) @value)
(comparison_operator (_) @name (string) @value)
(comparison_operator (string) @value (_) @name)
""",
    **dict.fromkeys(("javascript", "typescript", "tsx"), _JS_QUERY_COMMON),
}
_CREDENTIAL_QUERIES["javascript"] += """
(field_definition property: (property_identifier) @name value: (string) @value)
(assignment_pattern left: (identifier) @name right: (string) @value)
"""
for _ts in ("typescript", "tsx"):
    _CREDENTIAL_QUERIES[_ts] += """
(public_field_definition name: (property_identifier) @name value: (string) @value)
(required_parameter pattern: (identifier) @name value: (string) @value)
(optional_parameter pattern: (identifier) @name value: (string) @value)
"""
_JS_FAMILY = frozenset({"javascript", "typescript", "tsx"})
# A name holds a credential when one of its words (or two adjacent words joined) ends with one
# of these, or is one of the short forms ...
_SECRET_ENDINGS = (
    "password", "passwd", "passwort", "passphrase", "secret", "token", "apikey", "accesskey",
    "privatekey", "secretkey", "signingkey", "encryptionkey", "masterkey", "authkey", "sessionkey",
    "credential", "credentials",
)  # fmt: skip
_SECRET_WORDS = frozenset({"pwd", "pass", "auth", "creds", "bearer"})
# ... unless its last word says it holds something about the credential, not the credential.
_NOT_THE_SECRET = frozenset({
    "url", "uri", "urls", "endpoint", "host", "hostname", "path", "file", "filename", "dir", "name",
    "names", "type", "method", "mode", "header", "field", "param", "env", "var", "variable", "prefix",
    "suffix", "hint", "label", "id", "hdr", "headers", "length", "len", "size", "format", "pattern", "regex", "policy",
    "provider", "scheme", "kind", "backend", "version", "cls", "class", "expiry", "expires", "ttl",
    "timeout", "count", "enabled", "required", "hash", "hasher", "hashers", "help", "description",
    "title", "text", "message", "msg", "color", "colour",
})  # fmt: skip
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_URL_PASSWORD = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/\s:@]*):([^/\s@]+)@")
_PLACEHOLDER = re.compile(
    r"example|changeme|change_me|placeholder|dummy|redacted|your[_-]|xxx|\*\*\*|\.\.\.|<|>|\$\{|\{\{|%\(|%s|\{\}",
    re.IGNORECASE,
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_PATH = re.compile(r"^(?:/|\./|\.\./|~/|[A-Za-z]:[\\/]|\\\\)|^[\w.-]+(?:/[\w.-]+)+\.[A-Za-z0-9]{1,5}$")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_DOTTED_NAME = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
_PLAIN_WORDS = re.compile(r"^[A-Za-z][a-z]*(?:[-_.][A-Za-z][a-z]*)+$")  # Proxy-Authorization, bert-base
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_NAME_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def shannon_entropy(text: str) -> float:
    """Bits per character of `text`'s own character distribution."""
    if not text:
        return 0.0
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def is_secret_name(name: str) -> bool:
    """Whether a variable, attribute, key or parameter name says it holds a credential."""
    words = [w.lower() for w in _NAME_WORD.findall(name)]
    if not words or words[-1] in _NOT_THE_SECRET:
        return False
    candidates = words + [a + b for a, b in itertools.pairwise(words)]
    candidates += [c[:-1] for c in candidates if c.endswith("s")]  # plurals: tokens, passwords
    return any(c in _SECRET_WORDS or c.endswith(_SECRET_ENDINGS) for c in candidates)


def secret_value_reason(value: str) -> str | None:
    """Why a string literal's text looks like a real credential, or None. Never echoes the value."""
    url = _URL_PASSWORD.match(value)
    if url is not None:
        user, password = url.groups()
        if (
            len(password) >= 8
            and password != user
            and not password.isalpha()
            and not _PLACEHOLDER.search(password)
            and not password.startswith("$")
        ):
            return "a URL with an embedded password"
        return None
    if len(value) < MIN_SECRET_LENGTH or _URL.match(value) or any(ch.isspace() for ch in value):
        return None
    for not_secret in (_PLACEHOLDER, _UUID, _HEX_COLOUR, _PATH, _ENV_NAME, _DOTTED_NAME, _PLAIN_WORDS):
        if not_secret.search(value):
            return None
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value)))
    if classes < 2:
        return None
    entropy = shannon_entropy(value)
    threshold = HEX_ENTROPY_THRESHOLD if _HEX.match(value) else ENTROPY_THRESHOLD
    if entropy < threshold:
        return None
    return f"a {len(value)}-character string with {entropy:.1f} bits of entropy per character"


def _string_content(node: Node, source: bytes) -> str | None:
    """The text between a string literal's quotes, or None for f-strings and odd shapes."""
    if node.type != "string":
        return None
    children = node.children
    if len(children) < 2 or children[0].type != "string_start" or children[-1].type != "string_end":
        return None
    if any(c.type == "interpolation" for c in children):
        return None
    return source[children[0].end_byte : children[-1].start_byte].decode("utf-8", "replace")


def _js_string_content(node: Node, source: bytes) -> str | None:
    """The text between a JavaScript string's quotes (a template string without `${}` too)."""
    if node.type not in ("string", "template_string") or node.end_byte - node.start_byte < 2:
        return None
    if any(c.type == "template_substitution" for c in node.children):
        return None
    return source[node.start_byte + 1 : node.end_byte - 1].decode("utf-8", "replace")


def _js_binding_name(node: Node, source: bytes) -> str | None:
    if node.type in ("identifier", "property_identifier"):
        return source[node.start_byte : node.end_byte].decode("utf-8", "replace")
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return _js_binding_name(prop, source) if prop is not None else None
    if node.type == "subscript_expression":
        key = node.child_by_field_name("index")
        return _js_string_content(key, source) if key is not None else None
    if node.type == "string":
        return _js_string_content(node, source)
    return None


def _binding_name(node: Node, source: bytes) -> str | None:
    if node.type == "identifier":
        return source[node.start_byte : node.end_byte].decode("utf-8", "replace")
    if node.type == "attribute":
        attr = node.child_by_field_name("attribute")
        return _binding_name(attr, source) if attr is not None else None
    if node.type == "subscript":
        key = node.child_by_field_name("subscript")
        return _string_content(key, source) if key is not None else None
    if node.type == "string":
        return _string_content(node, source)
    return None


def _check_credentials(ctx: FileContext) -> Iterator[Hit]:
    js = ctx.language in _JS_FAMILY
    name_of, content_of = (_js_binding_name, _js_string_content) if js else (_binding_name, _string_content)
    for captures in CHECK.matches(ctx):
        name_node, value_node = captures["name"][0], captures["value"][0]
        parent = name_node.parent.type if name_node.parent is not None else ""
        if parent in ("comparison_operator", "binary_expression") and name_node.type == "string":
            continue  # two literals compared
        if parent == "pair" and name_node.type != "string" and not js:
            continue  # a dict keyed by a variable's value, not by a name (a JS key is a name)
        name = name_of(name_node, ctx.source)
        value = content_of(value_node, ctx.source)
        if name is None or value is None or len(name) > 100:
            continue
        reason = secret_value_reason(value)
        if reason is None:
            continue
        if not reason.startswith("a URL") and not is_secret_name(name):
            continue
        shown = name.replace("`", "'")
        yield Hit(value_node.start_byte, value_node.end_byte, f"`{shown}` is bound to {reason}.")


CHECK = Check(
    "high-entropy-credential",
    needs_tree=True,
    languages=frozenset(_CREDENTIAL_QUERIES),
    run=_check_credentials,
    queries=_CREDENTIAL_QUERIES,
)
