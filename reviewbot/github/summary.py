"""The one summary: a markdown document used for the PR's summary comment, the check run and the job summary.

It lists every reported finding not commented inline (outside the diff, over the budget,
refused by GitHub), the verdicts read from the thread (honoured or not, and why), counts of what
was hidden and why, and notes. Each list is collapsed in a `<details>` block. The document is
cut to a size limit (65,535 characters for a check run summary, 65,536 for a comment) with a
line saying how many items did not fit — the check run annotations and SARIF keep them all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from reviewbot.finding import Finding
from reviewbot.github.markers import summary_marker
from reviewbot.github.thread_triage import ThreadVerdict
from reviewbot.redact import redact_text
from reviewbot.reporters.markdown import code_span, escape, finding_list_item

CHECK_SUMMARY_LIMIT = 65_535
COMMENT_LIMIT = 65_536


@dataclass
class SummaryData:
    head_sha: str
    reported: int  # findings reported (visible), inline or not
    inline: int  # of those, with an inline comment (this run or earlier)
    listed: list[tuple[Finding, str]] = field(default_factory=list)  # finding, why it is not inline
    verdicts: list[ThreadVerdict] = field(default_factory=list)
    hidden: Counter[str] = field(default_factory=Counter)  # disposition → count
    notes: list[str] = field(default_factory=list)
    files_scanned: int = 0
    rules: int = 0
    record: list[str] = field(default_factory=list)  # how often this PR's rules were fixed before (github/history.py)


def render_summary(data: SummaryData, *, limit: int, with_marker: bool) -> str:
    head = [summary_marker()] if with_marker else []
    head += [
        "### reviewbot security review",
        "",
        f"Advisory only: reviewbot never blocks a merge. Head `{data.head_sha[:12]}` · "
        f"**{data.reported} finding{'' if data.reported == 1 else 's'}** "
        f"({data.inline} inline, {len(data.listed)} listed here) · {data.files_scanned} files scanned · "
        f"{data.rules} rules.",
        "",
        *(line for line in data.record for line in (line, "")),
    ]
    sections: list[tuple[str, list[str]]] = []
    if data.listed:
        items = [finding_list_item(f, escape(why)) for f, why in data.listed]
        sections.append(
            (f"{len(data.listed)} finding{'' if len(data.listed) == 1 else 's'} not commented inline", items)
        )
    if data.verdicts:
        sections.append(
            (f"Triage read from this thread ({len(data.verdicts)})", [_verdict_line(v) for v in data.verdicts])
        )
    if data.hidden:
        items = [f"- {escape(k)}: {n}" for k, n in sorted(data.hidden.items())]
        sections.append((f"Not reported ({sum(data.hidden.values())}), kept in SARIF with the reason", items))
    if data.notes:
        sections.append((f"Notes ({len(data.notes)})", [f"- {escape(n, limit=500)}" for n in data.notes]))
    foot = [
        "",
        "<sub>Triage: reply under an inline comment with `/reviewbot fp <reason>`, `/reviewbot accept <reason>` "
        "or `/reviewbot tp`, or react 👍 (real) / 👎 (false positive) on it; for a finding listed here, comment "
        "`/reviewbot fp <id> <reason>`. Only verdicts from people with write access count.</sub>",
    ]
    return _fit(head, sections, foot, limit)


def _verdict_line(v: ThreadVerdict) -> str:
    status = "honoured" if v.trusted else f"recorded, not trusted: {escape(v.why_untrusted)}"
    reason = f": {escape(v.reason, limit=300)}" if v.reason else ""
    return (
        f"- `{v.fingerprint[:12]}` {code_span(v.rule_id)} — **{v.verdict.label}** by {escape('@' + v.who)}"
        f"{reason} ({status})"
    )


def _fit(head: Sequence[str], sections: Sequence[tuple[str, list[str]]], foot: Sequence[str], limit: int) -> str:
    out = "\n".join(head)
    tail = "\n".join(foot)
    reserve = len(tail) + 400  # room for closing tags and the "did not fit" lines
    for title, items in sections:
        opening = f"\n<details><summary>{title}</summary>\n\n"
        if len(out) + len(opening) + reserve > limit:
            break
        out += opening
        shown = 0
        for item in items:
            if len(out) + len(item) + 1 + reserve > limit:
                break
            out += item + "\n"
            shown += 1
        if shown < len(items):
            out += f"- … and {len(items) - shown} more that did not fit (all are in the check run and SARIF)\n"
        out += "\n</details>\n"
    out += tail
    # Defence in depth: the findings and notes were redacted already; masks keep the length.
    return redact_text(out[:limit])
