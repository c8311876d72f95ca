"""Terminal output a developer reads in seconds: grouped by file, the code line, the fix.

Each finding shows its short id (`id 1a2b3c4d`, reviewbot/triage/short_id.py), which
`reviewbot triage mark` accepts.

Nothing at all when there is nothing to report (a pre-commit hook that talks on every commit
gets muted); `verbose` adds the summary line and the files skipped on purpose. Problems met
while scanning (a file semgrep could not parse) are always shown: they mean something was not
reviewed.

Code and paths come from the change under review, so control characters are escaped before
they reach the terminal (an ANSI sequence or a bidi override in a PR must not repaint it).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from reviewbot._text import escape_control as safe
from reviewbot.finding import Finding, Scanner, Severity
from reviewbot.review.result import ReviewResult
from reviewbot.triage.short_id import short_ids

_SEVERITY_COLOR = {Severity.CRITICAL: "1;31", Severity.HIGH: "31", Severity.MEDIUM: "33", Severity.LOW: "36"}


def render_text(result: ReviewResult, *, color: bool = False, verbose: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    reported = result.reported
    # Unique among every finding of the report `triage mark` resolves it in, hidden ones included.
    ids = short_ids(f.fingerprint for f in result.findings)
    out: list[str] = []
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in reported:
        by_file[f.path].append(f)
    for path, findings in by_file.items():
        out.append(paint("1", safe(path)))
        for f in findings:
            sev = paint(_SEVERITY_COLOR[f.severity], f.severity.value.upper())
            cwe = ", ".join(f.cwe)
            where = "" if f.in_diff else "  (outside the diff)"
            out.append(f"  {f.start_line}:{f.start_col}  {sev}  {f.rule_id}  [{cwe}]  id {ids[f.fingerprint]}{where}")
            said = "the LLM's words: " if f.scanner is Scanner.LLM else ""
            out.append(f"    {said}{safe(_one_line(f.message))}")
            if f.score is not None:
                out.append(paint("2", f"    score {f.score:.2f}{_reasons(f)}"))
            elif f.unscored_reason:
                out.append(paint("2", f"    {safe(f.unscored_reason)}"))
            if f.disposition_reason:  # shown, but with something to say: an expired suppression, an audit sample
                out.append(paint("33", f"    note: {safe(f.disposition_reason)}"))
            for line in f.snippet.split("\n")[:3]:
                out.append(paint("2", f"    │ {safe(line.strip())}"))
            if f.fix is not None:
                for line in f.fix.split("\n")[:3]:
                    out.append(paint("32", f"    fix │ {safe(line.strip())}"))
            out.extend(paint("35", line) for line in _llm_lines(f))
        out.append("")
    if result.files_changed == 0:
        # Silence would look the same as "reviewed, found nothing": say the change was empty.
        out.append("reviewbot: nothing to review (the change touches no file)")
    elif reported or verbose:
        out.append(_summary(result))
    out.extend(paint("33", f"warning: {safe(note)}") for note in result.notes)
    if verbose:
        out.extend(paint("2", f"note: {safe(note)}") for note in result.skipped)
    return "\n".join(out) + "\n" if out else ""


def _llm_lines(f: Finding) -> list[str]:
    """What the LLM said about `f`, labelled as its words (escaped: it may echo the code)."""
    if f.llm is None:
        return []
    out = []
    if f.llm.explanation:
        words = " ".join(f.llm.explanation.split())
        out.append(f"    llm ({safe(f.llm.model)}, its words, not a rule's): {safe(words)}")
    if f.llm.exploit:
        out.append(f"    llm exploit scenario: {safe(' '.join(f.llm.exploit.split()))}")
    fix_lines = f.llm.fix.split("\n")[:3] if f.llm.fix is not None else []
    for line in fix_lines:
        out.append(f"    llm fix, verified │ {safe(line.strip())}")
    return out


def _reasons(f: Finding, top: int = 3) -> str:
    ranked = sorted(f.contributions, key=lambda kv: -abs(kv[1]))[:top]
    return (" — " + "; ".join(f"{safe(name)} ({value:+.2f})" for name, value in ranked)) if ranked else ""


def _one_line(message: str) -> str:
    """The first sentence of a message: the why, readable at a glance (JSON keeps it whole)."""
    first = message.strip().split("\n")[0]
    sentence_end = first.find(". ")
    return first[: sentence_end + 1] if sentence_end != -1 else first


def _summary(result: ReviewResult) -> str:
    reported = result.reported
    kind = "new finding" if result.new_only else "finding"
    head = f"reviewbot: {len(reported)} {kind}{'' if len(reported) == 1 else 's'}"
    if reported:
        sev = Counter(f.severity for f in reported)
        head += " (" + ", ".join(f"{sev[s]} {s.value}" for s in sorted(sev, key=lambda s: -s.rank)) + ")"
    head += f" in {result.files_scanned} file{'' if result.files_scanned == 1 else 's'} scanned"
    hidden = Counter(f.disposition.value for f in result.findings if not f.visible)
    if hidden:
        head += "; not shown: " + ", ".join(f"{n} {d}" for d, n in sorted(hidden.items()))
    return head
