"""The template files of Node's engines, read as bytes (no grammar): output the engine does not escape.

* `ejs-unescaped-output`: EJS `<%- expr %>`, except the tags that insert another template
  (`include(...)`, ejs-locals' `partial(...)`, ejs-mate's `block(...)`, express-ejs-layouts'
  `defineContent(...)` and the layout's `body`) and string literals;
* `pug-unescaped-output`: Pug (Jade) `!{expr}` interpolation, unescaped buffered code
  (`p!= expr`, `!= expr`) and unescaped attributes (`a(href!=url)`);
* `handlebars-unescaped-output`: Handlebars / Mustache triple-stash `{{{ expr }}}` and Mustache
  `{{& expr }}`, except the layout's `{{{ body }}}` (express-handlebars) and string literals;
* `html-directive`: Vue's `v-html="expr"` and `:innerHTML` / `v-bind:innerHTML` bindings, and
  Alpine's `x-html` (in `.vue` files and in HTML);
* `angular-inner-html`: Angular's `[innerHTML]` / `[outerHTML]` bindings in HTML templates.

Comments are not read: EJS `<%# %>`, Handlebars `{{! }}` / `{{!-- --}}`, Pug `//` and `//-`
with the block indented under them, HTML `<!-- -->` for the directive checks (an HTML comment in
an EJS, Pug or Handlebars file is still rendered by the engine, so it is read there). Every search
for a closer is bounded or moves forward, so a hostile file costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

_MAX_TAG_BYTES = 4096  # a tag longer than this is not a tag (bounds the search for its end)
# An expression that is one string literal (or a template literal without `${}`) is constant markup.
_LITERAL = re.compile(rb"""\s*(?:"[^"\\]*"|'[^'\\]*'|`[^`\\$]*`)\s*$""")


def _mask(source: bytes, pairs: tuple[tuple[bytes, bytes], ...]) -> bytes:
    """`source` with every region from an opener to its closer blanked (newlines kept, offsets
    unchanged; an empty closer blanks the opener alone). An opener without a closer blanks the
    rest of the file, as the engine would fail there anyway. Every search starts past the last
    one of its kind: linear in the file's size."""
    out = bytearray(source)
    nexts = {opener: source.find(opener) for opener, _ in pairs}
    pos = 0
    while True:
        for opener, at in nexts.items():
            if at != -1 and at < pos:  # inside the region just blanked: look again past it
                nexts[opener] = source.find(opener, pos)
        # the first opener; of two at one place the longer (`{{!--` over `{{!`)
        found = [(at, -len(opener), opener, closer) for opener, closer in pairs if (at := nexts[opener]) != -1]
        if not found:
            return bytes(out)
        start, _, opener, closer = min(found)
        close = source.find(closer, start + len(opener)) if closer else start
        end = len(source) if close == -1 else close + len(closer or opener)
        out[start:end] = bytes(b if b == 0x0A else 0x20 for b in source[start:end])
        pos = end


# --- EJS ---------------------------------------------------------------------------------------

_EJS_MASK = ((b"<%#", b"%>"), (b"<%%", b""))  # comments; `<%%` writes a literal `<%`
# The tags whose output is another template's HTML: the normal way to include a partial or layout.
# `<%- include header %>` is EJS 1's include directive (still accepted with a file name).
_EJS_INCLUDES = re.compile(
    rb"\s*(?:await\s+)?(?:include|partial|block|defineContent)\s*\(|\s*body\s*$|\s*include\s+[\w./-]+\s*$"
)


def _check_ejs(ctx: FileContext) -> Iterator[Hit]:
    if b"<%-" not in ctx.source:
        return
    text = _mask(ctx.source, _EJS_MASK)
    pos = 0
    while (start := text.find(b"<%-", pos)) != -1:
        if ctx.deadline.passed():
            return
        close = text.find(b"%>", start + 3, start + 3 + _MAX_TAG_BYTES)
        if close == -1:
            pos = start + 3
            continue
        if (again := text.rfind(b"<%", start + 3, close)) != -1:
            start = again  # an unclosed tag before this one: the tag is the last opener before the closer
        pos = close + 2
        if not text.startswith(b"<%-", start):
            continue
        inside = text[start + 3 : close].rstrip(b"-_")  # `-%>` and `_%>` trim whitespace
        if not inside.strip() or _EJS_INCLUDES.match(inside) or _LITERAL.match(inside):
            continue
        yield Hit(start, close + 2)


# --- Handlebars / Mustache ---------------------------------------------------------------------

# `{{!-- --}}` before `{{!` (the long form may hold `}}`); `\{{` is an escaped, literal mustache.
_HBS_MASK = ((b"{{!--", b"--}}"), (b"{{!", b"}}"), (b"\\{{", b""))
# `{{{` (not a `{{{{raw}}}}` block), with `~` whitespace control; Mustache's `{{&`.
_HBS_OPEN = re.compile(rb"(?<!\{)\{\{~?(\{(?!\{)|&)")
_HBS_TRIPLE_CLOSE = re.compile(rb"\}~?\}\}")
_HBS_CLOSE = re.compile(rb"~?\}\}")
_HBS_LAYOUT_BODY = re.compile(rb"\s*body\s*$")


def _check_handlebars(ctx: FileContext) -> Iterator[Hit]:
    if b"{{{" not in ctx.source and b"{{&" not in ctx.source and b"{{~" not in ctx.source:
        return
    text = _mask(ctx.source, _HBS_MASK)
    pos = 0
    while (m := _HBS_OPEN.search(text, pos)) is not None:
        if ctx.deadline.passed():
            return
        closer = _HBS_TRIPLE_CLOSE if m.group(1) == b"{" else _HBS_CLOSE
        close = closer.search(text, m.end(), m.end() + _MAX_TAG_BYTES)
        if close is None:
            pos = m.end()
            continue
        pos = close.end()
        if (again := text.rfind(b"{{", m.end(), close.start())) != -1:
            # an unclosed tag before this one: read the last opener before the closer instead
            while again > m.end() and text[again - 1] == 0x7B:  # `{{{`: rfind found its last two
                again -= 1
            if (last := _HBS_OPEN.match(text, again)) is None:
                continue
            m = last
        inside = text[m.end() : close.start()]
        if not inside.strip() or _HBS_LAYOUT_BODY.match(inside) or _LITERAL.match(inside):
            continue
        yield Hit(m.start(), close.end())


# --- Pug / Jade --------------------------------------------------------------------------------

_PUG_TAG = re.compile(rb"[A-Za-z][\w-]*(?::[\w-]+)*|[.#][A-Za-z_-][\w-]*|&attributes(?=\()")
_PUG_CLASS_OR_ID = re.compile(rb"[.#][A-Za-z_-][\w-]*")
# `name!=value` in a tag's attributes; the name follows `(`, `,` or a space (`a(x=b!=c)` is code).
_PUG_RAW_ATTRIBUTE = re.compile(rb"(?<![^\s,(])[\w:@.#\[\]-]+!=")
_PUG_BANG_INTERPOLATION = re.compile(rb"(?<!\\)!\{")


def _balanced(line: bytes, i: int, open_: int, close: int) -> int:
    """The index just past the bracket that closes the one at `line[i]`, or -1."""
    depth, quote = 0, 0
    for j in range(i, min(len(line), i + _MAX_TAG_BYTES)):  # bounded: many `!{` on one line
        b = line[j]
        if quote:
            if b == quote:
                quote = 0
        elif b in b"\"'`":
            quote = b
        elif b == open_:
            depth += 1
        elif b == close:
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


def _pug_tag(line: bytes, i: int) -> tuple[int, list[tuple[int, int]]] | None:
    """The end of the tag at `line[i]` (`a.cls#id(attrs)&attributes(x)`) and its attribute spans."""
    m = _PUG_TAG.match(line, i)
    if m is None:
        return None
    i, attrs = m.end(), []
    while i < len(line):
        if line[i] == ord("("):
            end = _balanced(line, i, ord("("), ord(")"))
            if end == -1:
                return None
            attrs.append((i + 1, end - 1))
            i = end
        elif (cls := _PUG_CLASS_OR_ID.match(line, i)) is not None:
            i = cls.end()
        elif line.startswith(b"&attributes(", i):
            i += len(b"&attributes")
        else:
            break
    return i, attrs


def _pug_line(line: bytes, base: int) -> Iterator[Hit]:
    """Unescaped code and attributes on one tag line (`li: a(href!=u)!= x` included)."""
    i = len(line) - len(line.lstrip())
    if line.startswith(b"!=", i):
        if not _LITERAL.match(line[i + 2 :]):
            yield Hit(base + i, base + len(line.rstrip()))
        return
    while (tag := _pug_tag(line, i)) is not None:
        end, attrs = tag
        for a, b in attrs:
            for m in _PUG_RAW_ATTRIBUTE.finditer(line[:b], a):
                yield Hit(base + m.start(), base + m.end())
        if line.startswith(b"!=", end):
            if not _LITERAL.match(line[end + 2 :]):
                yield Hit(base + i, base + len(line.rstrip()))
            return
        if not line.startswith(b": ", end):  # block expansion: `li: a!= x`
            return
        i = end + 2


def _check_pug(ctx: FileContext) -> Iterator[Hit]:
    if b"!" not in ctx.source:
        return
    block_indent = -1  # the indent of a `//` comment, a `-` code block or a `tag.` text block
    block_kind = b""
    offset = 0
    for raw in ctx.source.split(b"\n"):
        base, offset = offset, offset + len(raw) + 1
        if ctx.deadline.passed():
            return
        line = raw.rstrip(b"\r")
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if block_indent >= 0 and (not stripped or indent > block_indent):
            if block_kind == b"text":  # `script.`, `p.`: plain text, still interpolated
                yield from _interpolations(line, base)
            continue
        block_indent = -1
        if not stripped:
            continue
        if stripped.startswith(b"//"):
            block_indent, block_kind = indent, b"comment"
            continue
        if stripped.startswith(b"-"):  # unbuffered JavaScript; alone, a block of it follows
            if stripped.rstrip() == b"-":
                block_indent, block_kind = indent, b"code"
            continue
        yield from _interpolations(line, base)
        if stripped.startswith(b"|"):  # piped text
            continue
        tag = _pug_tag(line, indent)
        if tag is not None and line[tag[0] :].rstrip() == b".":
            block_indent, block_kind = indent, b"text"
        yield from _pug_line(line, base)


def _interpolations(line: bytes, base: int) -> Iterator[Hit]:
    if b"!{" not in line:
        return
    closing = _brace_pairs(line)
    for m in _PUG_BANG_INTERPOLATION.finditer(line):
        end = closing.get(m.end() - 1)
        if end is None or _LITERAL.match(line[m.end() : end]) or not line[m.end() : end].strip():
            continue
        yield Hit(base + m.start(), base + end + 1)


def _brace_pairs(line: bytes) -> dict[int, int]:
    """Each `{` of the line -> its `}`, in one pass over the braces (a line of a thousand unclosed
    `!{` costs no more than one); quotes are not followed, as text around the code has apostrophes."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in re.finditer(rb"[{}]", line):
        if m.group() == b"{":
            stack.append(m.start())
        elif stack:
            pairs[stack.pop()] = m.start()
    return pairs


# --- HTML directives: Vue, Alpine, Angular -----------------------------------------------------

_HTML_COMMENT = ((b"<!--", b"-->"),)
_ATTRIBUTE_VALUE = rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')"""
_HTML_DIRECTIVE = re.compile(
    rb"(?<![\w:.-])(?:v-html|x-html|(?:v-bind)?:inner-?html)" + _ATTRIBUTE_VALUE, re.IGNORECASE
)
_ANGULAR_BINDING = re.compile(rb"(?<![\w-])(?:\[(?:innerHTML|outerHTML)\]|bind-innerHTML)" + _ATTRIBUTE_VALUE)


def _attribute_hits(ctx: FileContext, needle: re.Pattern[bytes], words: tuple[bytes, ...]) -> Iterator[Hit]:
    lowered = ctx.source.lower()
    if not any(w in lowered for w in words):
        return
    text = _mask(ctx.source, _HTML_COMMENT)
    for m in needle.finditer(text):
        if ctx.deadline.passed():
            return
        value = m.group(1) if m.group(1) is not None else m.group(2)
        if not value.strip() or _LITERAL.match(value) or not (_in_a_tag(text, m.start()) or _in_pug(text, m.start())):
            continue
        yield Hit(m.start(), m.end())


_START_TAG_SO_FAR = re.compile(rb"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*""")


def _in_a_tag(text: bytes, at: int) -> bool:
    """Whether `at` is inside a start tag (after a `<` with no `>` since, outside attribute quotes:
    `<p v-if="a > b" v-html="x">`), not in the page's text."""
    start = text.rfind(b"<", max(0, at - _MAX_TAG_BYTES), at)
    if start == -1:
        return False
    tag = _START_TAG_SO_FAR.match(text, start, at)
    return tag is not None and tag.end() == at


def _in_pug(text: bytes, at: int) -> bool:
    """Whether `at` starts an attribute of a Pug tag (`div(class="c", v-html="x")`): a Vue
    `<template lang="pug">` or an Angular template written in Pug."""
    before = text[max(0, at - 200) : at].rstrip(b" \t")
    return before.endswith((b"(", b","))


def _check_html_directive(ctx: FileContext) -> Iterator[Hit]:
    return _attribute_hits(ctx, _HTML_DIRECTIVE, (b"-html", b"innerhtml", b"inner-html"))


def _check_angular(ctx: FileContext) -> Iterator[Hit]:
    return _attribute_hits(ctx, _ANGULAR_BINDING, (b"innerhtml", b"outerhtml"))


EJS_UNESCAPED = Check("ejs-unescaped-output", needs_tree=False, languages=frozenset({"ejs"}), run=_check_ejs)
PUG_UNESCAPED = Check("pug-unescaped-output", needs_tree=False, languages=frozenset({"pug"}), run=_check_pug)
HANDLEBARS_UNESCAPED = Check(
    "handlebars-unescaped-output", needs_tree=False, languages=frozenset({"handlebars"}), run=_check_handlebars
)
HTML_DIRECTIVE = Check(
    "html-directive", needs_tree=False, languages=frozenset({"vue", "template"}), run=_check_html_directive
)
ANGULAR_INNER_HTML = Check(
    "angular-inner-html", needs_tree=False, languages=frozenset({"template"}), run=_check_angular
)
