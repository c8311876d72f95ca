"""HTML building blocks that escape by default: `Html` marks markup we wrote, everything else is text.

Rule ids, paths, messages, ledger reasons, owners and people's names come from code under review,
from PRs or from hand-edited files: a cell or value that is not an `Html` instance is escaped
(after `reporters.text.safe` turns control and bidi characters into visible `\\u` escapes, so a
bidi override cannot reorder what the lead reads). Long untrusted text is cut to a readable length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from reviewbot._text import escape_control as safe

MAX_TEXT = 300
DASH = "\u2013"  # an en dash, for ranges


class Html(str):
    """A string of markup that is already safe to embed (built here from escaped parts)."""

    __slots__ = ()


Cell = Html | str | int | float


def esc(value: object, limit: int = MAX_TEXT) -> Html:
    """`value` as inert HTML text (quotes escaped too, so it is safe in attribute values)."""
    text = safe(" ".join(str(value).splitlines()))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return Html(escape(text, quote=True))


def cell(value: Cell) -> Html:
    if isinstance(value, Html):
        return value
    if isinstance(value, float):
        return Html(f"{value:.3f}")
    return esc(value)


def tag(name: str, content: Cell, **attrs: str) -> Html:
    attributes = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    return Html(f"<{name}{attributes}>{cell(content)}</{name}>")


def code(value: object, wrap_after: str = "./") -> Html:
    """Monospace text that may wrap after the characters in `wrap_after` (rule ids and paths are
    long); none of them can occur inside an entity (`&`, letters, digits, `#`, `;`)."""
    text = esc(value)
    if wrap_after:
        text = Html(re.sub(f"([{re.escape(wrap_after)}])", r"\1<wbr>", text))
    return Html(f"<code>{text}</code>")


def join(parts: Iterable[Cell], sep: str = "") -> Html:
    return Html(sep.join(cell(p) for p in parts))


def table(
    caption: str,
    head: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    numeric: Iterable[int] = (),
    row_headers: bool = True,
) -> Html:
    """An accessible table: a caption, `th scope="col"` headings, and (by default) the first cell
    of each row as `th scope="row"`. Columns in `numeric` are right-aligned."""
    nums = set(numeric)

    def attrs(i: int) -> str:
        return ' class="num"' if i in nums else ""

    narrow = ' class="narrow"' if len(head) <= 3 else ""
    out = [f"<table{narrow}><caption>{esc(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col"{attrs(i)}>{esc(h)}</th>' for i, h in enumerate(head)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, value in enumerate(row):
            if i == 0 and row_headers:
                out.append(f'<th scope="row">{cell(value)}</th>')
            else:
                out.append(f"<td{attrs(i)}>{cell(value)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return Html("".join(out))


def empty(missing: str, how: Cell) -> Html:
    """A section's empty state: what is missing, and how to get it."""
    return Html(f'<p class="empty"><strong>Not available:</strong> {esc(missing)} <br>How to get it: {cell(how)}</p>')


def section(anchor: str, title: str, intro: Cell, body: Iterable[Cell]) -> Html:
    return Html(
        f'<section id="{esc(anchor)}" aria-labelledby="{esc(anchor)}-h"><h2 id="{esc(anchor)}-h">{esc(title)}</h2>'
        f'<p class="intro">{cell(intro)}</p>{join(body)}</section>'
    )


def percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else DASH
