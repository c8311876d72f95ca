"""Markdown for GitHub: escaping of untrusted text, code fences, and finding/summary rendering.

Everything a PR controls — file names, code, and rule messages (semgrep interpolates matched
code into them) — is escaped before it reaches a comment, a check run summary or a job summary:
no HTML, no links or images, no @mentions or #references, no table breaks. Code goes in a
fence longer than any backtick run inside it, so it cannot close the fence early.

Escaping characters is not enough on GitHub: GFM's autolink extension links `https://…`, `www.…`
and `name@host` in plain text (entities are decoded first), and GitHub links `@name`, `#123`,
`org/repo#1` and `GH-1` in the rendered text. So a zero-width joiner (invisible, and not a
character any of those accept) is put inside each of them. `plain` does the same for fields GitHub
shows as plain text (check run titles, annotations), without backslashes a reader would see.
"""

from __future__ import annotations

import re

from reviewbot._text import replace_control
from reviewbot.finding import Finding, Scanner, Severity
from reviewbot.redact import redact_text

_SEVERITY_BADGE = {
    Severity.CRITICAL: "🔴 critical",
    Severity.HIGH: "🟠 high",
    Severity.MEDIUM: "🟡 medium",
    Severity.LOW: "🔵 low",
}
# Characters with a meaning in GitHub-flavoured markdown or HTML. Entities are used for the ones
# a backslash does not neutralise everywhere (`<`, `>`, `&`, `@`, `#`, `|` inside tables).
# A ZWJ follows `@` and `#`: GitHub links mentions and references in the rendered text.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;\u200d", "#": "&#35;\u200d", "|": "&#124;"}
_BACKSLASHED = set("\\`*_[]()!~")
_BACKTICKS = re.compile(r"`+")
_ZWJ = "\u200d"
# What GitHub would turn into a link, a mention or a reference: a ZWJ goes where the groups meet.
_LINKISH = [
    (re.compile(r"(:)(//)"), rf"\1{_ZWJ}\2"),  # scheme://
    (re.compile(r"(?i)\b(www)(\.)"), rf"\1{_ZWJ}\2"),  # www.host
    (re.compile(r"(?i)\b(mailto|xmpp)(:)"), rf"\1{_ZWJ}\2"),
    (re.compile(r"(?i)\b(gh)(-\d)"), rf"\1{_ZWJ}\2"),  # GH-123
]
_REFERENCE = re.compile(r"([@#])")  # @name, name@host, #1, org/repo#1
# The start of a line that markdown would make a block of (heading, quote, list, table, fence,
# setext underline, indented code) when a plain-text field is rendered after all.
_BLOCK_START = re.compile(r"^(?=[ \t]*(?:[#>*+=|`~-]|\d+[.)])|    |\t)", re.MULTILINE)


def _unlink(text: str) -> str:
    for pattern, replacement in _LINKISH:
        text = pattern.sub(replacement, text)
    return text


def plain(text: str) -> str:
    """Untrusted text for a field GitHub shows as plain text: readable as it is, and inert
    (no link, mention, reference, image, HTML tag or block) should it be rendered as markdown."""
    text = replace_control(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _REFERENCE.sub(rf"\1{_ZWJ}", _unlink(text))
    text = re.sub(r"<(?=[A-Za-z/!?])", "<" + _ZWJ, text)  # not an HTML tag or an <autolink>
    text = re.sub(r"\](?=[(:\[])", "]" + _ZWJ, text)  # not a link, image or link definition
    return _BLOCK_START.sub(_ZWJ, text)


def escape(text: str, *, limit: int = 1000) -> str:
    """Untrusted text as inert inline markdown, on one line, at most `limit` characters."""
    # Redacted first: once escaped (`ghp\_…`), a credential no longer has the shape a later
    # redaction pass looks for.
    text = redact_text(text)
    text = replace_control(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = " ".join(text.split("\n")).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    out = []
    if text[:1] in ("-", "+", "=") or re.match(r"\d+[.)]", text):  # would start a list or a heading underline
        out.append("\\")
    for ch in text:
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _BACKSLASHED:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return _unlink("".join(out))


def code_span(text: str, *, limit: int = 200) -> str:
    """Untrusted text as an inline code span (file names, rule ids), one line."""
    text = redact_text(text)
    text = replace_control(" ".join(text.splitlines())).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text or " "
    ticks = "`" * (_longest_backtick_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or ticks != "`" else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence(body: str, info: str = "") -> str:
    """A fenced block whose fence is longer than any backtick run in `body` (at least three)."""
    ticks = "`" * max(3, _longest_backtick_run(body) + 1)
    body = replace_control(body.replace("\r\n", "\n").replace("\r", "\n")) if info != "suggestion" else body
    return f"{ticks}{info}\n{body}\n{ticks}"


def _longest_backtick_run(text: str) -> int:
    return max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)


def severity_badge(severity: Severity) -> str:
    return _SEVERITY_BADGE[severity]


def finding_headline(f: Finding) -> str:
    """`🟠 high · rule-id · CWE-78 · score 0.83` — the facts, one line."""
    parts = [f"**{severity_badge(f.severity)}**", code_span(f.rule_id)]
    if f.cwe:
        parts.append(", ".join(escape(c, limit=20) for c in f.cwe))
    if f.score is not None:
        parts.append(f"score {f.score:.2f}")
    return " · ".join(parts)


# `finding_headline` read back, from the body of one of reviewbot's inline comments: the marker
# there holds only the fingerprint, so `reviewbot triage pull` learns the rule id from this line.
_HEADLINE = re.compile(r"^\*\*[^*\n]+\*\* · (?P<ticks>`+) ?(?P<rule>[^`\n]+?) ?(?P=ticks)(?: · |$)", re.MULTILINE)


def headline_rule(text: str) -> str | None:
    """The rule id of the first `finding_headline` line in `text`, or None when there is none."""
    match = _HEADLINE.search(text)
    return match.group("rule") if match else None


def score_reasons(f: Finding, top: int = 3) -> str:
    """The top contributions behind a score; for an unscored finding, why it has none."""
    if f.score is None:
        return escape(f.unscored_reason, limit=300)
    if not f.contributions:
        return ""
    ranked = sorted(f.contributions, key=lambda kv: -abs(kv[1]))[:top]
    return "why this score: " + ", ".join(f"{escape(name, limit=60)} {value:+.2f}" for name, value in ranked)


def location(f: Finding) -> str:
    lines = f"{f.start_line}" if f.start_line == f.end_line else f"{f.start_line}-{f.end_line}"
    return f"{code_span(f.path)} line {lines}"


def said_by(f: Finding) -> str:
    """The label before a finding's message when the message is the LLM's (scanner `llm`)."""
    return "the LLM's words: " if f.scanner is Scanner.LLM else ""


def llm_words(f: Finding) -> list[str]:
    """What the LLM said about `f`, as inert markdown lines labelled as its words."""
    if f.llm is None or not (f.llm.explanation or f.llm.exploit):
        return []
    who = f"_The LLM's words ({code_span(f.llm.model, limit=60)}), not a rule's:_"
    out = [f"{who} {escape(f.llm.explanation, limit=700)}"] if f.llm.explanation else [who]
    if f.llm.exploit:
        out.append(f"_Exploit scenario, as the LLM sees it:_ {escape(f.llm.exploit, limit=400)}")
    return out


def finding_list_item(f: Finding, note: str = "") -> str:
    """One summary line: where, what, and (optionally) why it is listed here."""
    tail = f" — {note}" if note else ""
    unscored = f" ({escape(f.unscored_reason, limit=200)})" if f.score is None and f.unscored_reason else ""
    return (
        f"- {location(f)} · {finding_headline(f)} · `{f.fingerprint[:12]}`: {said_by(f)}{escape(f.message, limit=300)}"
        f"{unscored}{tail}"
    )
