"""Render markdown the way GitHub does (cmark-gfm with GitHub's extensions) and list what is live.

GitHub renders comment, check run and job summary markdown with cmark-gfm, then sanitises the
HTML and links `@name`, `#123`, `org/repo#1` and `GH-1` in its text. `live_parts` renders a body
with raw HTML let through (the strictest view: nothing may depend on the sanitiser) and returns
every part of the result a reader could be misled by: links, images, headings, tables, HTML
tags reviewbot does not write, code blocks other than its suggestions, and text GitHub would
turn into a mention, a reference or a link.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm  # type: ignore[import-untyped]
from cmarkgfm.cmark import Options  # type: ignore[import-untyped]

EXTENSIONS = ["autolink", "table", "strikethrough", "tagfilter", "tasklist"]
# What reviewbot's own markdown renders to. <details>/<summary> only as reviewbot writes them.
_ALLOWED = {"p", "code", "pre", "strong", "em", "sub", "ul", "li", "br", "details", "summary", "del"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_LINKABLE_TEXT = [
    ("mention", re.compile(r"@[A-Za-z0-9]")),
    ("reference", re.compile(r"#\d")),
    ("GH reference", re.compile(r"(?i)\bgh-\d")),
    ("url", re.compile(r"(?i)\b(?:https?|ftp)://")),
    ("www", re.compile(r"(?i)\bwww\.")),
    ("mailto", re.compile(r"(?i)\b(?:mailto|xmpp):")),
]


def render(markdown: str) -> str:
    html: str = cmarkgfm.markdown_to_html_with_extensions(
        markdown, extensions=EXTENSIONS, options=Options.CMARK_OPT_UNSAFE
    )
    return html


class _Walk(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []  # text outside code
        self.all_text: list[str] = []  # every text node, code included
        self.pre_code: list[tuple[str, str]] = []  # (class, text) of each code block
        self.comments: list[str] = []
        self._code_depth = 0
        self._in_pre = False
        self._block: list[str] = []
        self._block_class = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "pre":
            self._in_pre, self._block, self._block_class = True, [], ""
        if tag == "code":
            self._code_depth += 1
            if self._in_pre:
                self._block_class = dict(attrs).get("class") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._code_depth = max(0, self._code_depth - 1)
        if tag == "pre" and self._in_pre:
            self.pre_code.append((self._block_class, "".join(self._block)))
            self._in_pre = False

    def handle_data(self, data: str) -> None:
        self.all_text.append(data)
        if self._in_pre:
            self._block.append(data)
        elif self._code_depth == 0:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def live_parts(markdown: str, *, suggestions: frozenset[str] = frozenset()) -> list[str]:
    """What in `markdown` would render live on GitHub; [] when nothing does.

    `suggestions`: the code a ```suggestion block may hold (the fixes reviewbot was given)."""
    walk = _Walk()
    walk.feed(render(markdown))
    walk.close()
    problems = [f"<{tag}>" for tag, _ in walk.tags if tag not in _ALLOWED and tag not in _HEADINGS]
    # The one heading reviewbot writes is the summary's title line.
    own_headings = len(re.findall(r"^### reviewbot security review$", markdown, re.M))
    if sum(1 for tag, _ in walk.tags if tag in _HEADINGS) != own_headings:
        problems.append("a heading reviewbot did not write")
    # reviewbot opens each <details> at the start of a line of its own markdown; no other may exist.
    own_details = len(re.findall(r"^<details>", markdown, re.M))
    if sum(1 for tag, _ in walk.tags if tag == "details") != own_details:
        problems.append("a <details> reviewbot did not write")
    if sum(1 for tag, _ in walk.tags if tag == "summary") != own_details:
        problems.append("a <summary> reviewbot did not write")
    for cls, code in walk.pre_code:
        if cls != "language-suggestion" or code.rstrip("\n") not in {s.rstrip("\n") for s in suggestions}:
            problems.append(f"a code block that is not one of reviewbot's suggestions: {code[:80]!r}")
    for comment in walk.comments:
        if not comment.startswith(" reviewbot:"):
            problems.append(f"an HTML comment reviewbot did not write: {comment[:80]!r}")
    text = "".join(walk.text)
    for what, pattern in _LINKABLE_TEXT:
        for m in pattern.finditer(text):
            problems.append(f"{what} left linkable: {text[max(0, m.start() - 20) : m.end() + 20]!r}")
    return problems


def visible_text(markdown: str) -> str:
    """The rendered text (code included), without the zero-width joiners that break links."""
    walk = _Walk()
    walk.feed(render(markdown))
    walk.close()
    return "".join(walk.all_text).replace("\u200d", "")
