"""The JavaScript inside `<script>` blocks of Vue components and HTML files, as a file scanners read.

A `.vue`, `.html` or `.htm` file has no grammar of its own (lang/languages.py), so the JavaScript
rules never read its scripts. `script_view` gives a same-length copy of such a file in which
every byte outside its script blocks is a space (newlines kept): a JavaScript scanner's byte
offsets, lines and columns in the copy are those of the original file. The copy is named with
a `.js` or `.ts` suffix (`lang="ts"` / `lang="tsx"`), so the scanners choose their rules by it.

Read: `<script>` bodies whose `type` is JavaScript (none, `module`, `text/javascript`, …) and
whose `lang` is JavaScript or TypeScript. Not read: `src=` scripts without a body, other types
(`text/template`, `application/json`, `importmap`, …), HTML comments. Each block's closing `<`
becomes `;`, so two blocks never read as one statement (a browser runs each block by itself).
In a Jinja/Django `.html` file, `{{ … }}` inside a script becomes an identifier of underscores
and `{% … %}` / `{# … #}` spaces, so the usual `var x = {{ data|tojson }};` still parses.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

# Suffixes whose script blocks are read, and whether their files are Jinja-style templates.
_SUFFIXES = {".vue": False, ".html": True, ".htm": True}
# Where the views live in the scanned tree, beside the sides' own folders (head/, base/): a name
# no real file of the change can take.
VIEW_FOLDER = "scripts"
_OPEN = re.compile(rb"<script\b([^>]*)>", re.IGNORECASE)
_CLOSE = re.compile(rb"</script[\s/>]", re.IGNORECASE)
_COMMENT = re.compile(rb"<!--.*?(?:-->|\Z)", re.DOTALL)
_ATTR = re.compile(rb"""([a-zA-Z_:@.-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_JS_TYPES = frozenset(
    {"", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript",
     "text/babel", "text/jsx", "text/typescript", "application/typescript"}
)  # fmt: skip
_TS_LANGS = frozenset({"ts", "tsx", "typescript"})
_JS_LANGS = frozenset({"", "js", "jsx", "javascript"}) | _TS_LANGS
_TEMPLATE_TAGS = re.compile(rb"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def has_script_blocks(path: str) -> bool:
    """Whether files at `path` may hold script blocks reviewbot reads."""
    return PurePosixPath(path).suffix.lower() in _SUFFIXES


def _attributes(text: bytes) -> dict[str, str]:
    out = {}
    for m in _ATTR.finditer(text):
        value = m.group(2) or m.group(3) or m.group(4) or b""
        out[m.group(1).decode("ascii", "replace").lower()] = value.decode("utf-8", "replace").strip().lower()
    return out


def _blank(data: bytes) -> bytes:
    return bytes(b if b == 0x0A else 0x20 for b in data)


def script_view(path: str, data: bytes) -> tuple[str, bytes] | None:
    """(".js" or ".ts", the same-length copy of `data` holding only its script blocks), or None
    when the file has no script block to read."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix not in _SUFFIXES or b"<script" not in data.lower():
        return None
    # Comments out of the way first (same length), so a commented-out script is not read.
    text = _COMMENT.sub(lambda m: _blank(m.group(0)), data)
    out = bytearray(_blank(data))
    typescript, found, pos = False, False, 0
    while (m := _OPEN.search(text, pos)) is not None:
        start = m.end()
        close = _CLOSE.search(text, start)
        end = close.start() if close is not None else len(text)
        pos = end + 1 if close is not None else end
        attrs = _attributes(m.group(1))
        if attrs.get("type", "") not in _JS_TYPES or attrs.get("lang", "") not in _JS_LANGS:
            continue
        body = data[start:end]
        if not body.strip():
            continue  # `<script src=…></script>`: nothing here to read
        if _SUFFIXES[suffix]:
            body = _TEMPLATE_TAGS.sub(_template_tag, body)
        out[start:end] = body
        if close is not None:
            out[end] = ord(";")
        found = True
        typescript |= attrs.get("lang", "") in _TS_LANGS or "typescript" in attrs.get("type", "")
    if not found:
        return None
    return (".ts" if typescript else ".js"), bytes(out)


def _template_tag(m: re.Match[bytes]) -> bytes:
    tag = m.group(0)
    if tag.startswith(b"{{"):  # an expression: a value in the script, so an identifier
        return bytes(0x0A if b == 0x0A else 0x5F for b in tag)
    return _blank(tag)


def view_path(side: str, path: str, suffix: str) -> str:
    """Where the view of `side/path` is written in the scanned tree."""
    return f"{VIEW_FOLDER}/{side}/{path}{suffix}"


def original_path(target: str) -> str | None:
    """The `side/path` a view target stands for (None: not a view)."""
    if not target.startswith(VIEW_FOLDER + "/"):
        return None
    rest = target[len(VIEW_FOLDER) + 1 :]
    stem, dot, _ = rest.rpartition(".")
    return stem if dot and has_script_blocks(stem) else None
