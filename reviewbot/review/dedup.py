"""Duplicates: one shown finding per weakness, chosen once the model has ranked the findings.

Two rules, or two scanners, on the same bug is noise, not evidence. The contract:

* Only findings the ranking decides take part: REPORTED and BELOW_THRESHOLD (an audit sample is
  REPORTED). Pre-existing, suppressed, triaged findings keep their disposition and are no one's
  duplicate, nor anyone's representative.
* Two findings cover the same weakness when they are in the same file, their line ranges overlap,
  and they are of the same category or, when one of them was imported from another tool's SARIF
  (`--import-sarif`), they name a CWE in common: another tool's SQL injection on our SQL
  injection's lines is one bug.
* Findings are taken best-ranked first: a rule's finding beats the LLM's (scanner `llm`), so
  the LLM can never make a rule's finding a duplicate; then a reported finding beats a
  below-threshold one, then the
  higher score (an unscored finding ranks under any score; within one category all findings are
  scored or none is), then the higher severity, the higher confidence, the one with a fix, the
  earlier line. A finding that covers the same weakness as a representative already taken joins
  that representative's group; otherwise it becomes a representative itself. So the
  representative of a group is its best-ranked member, and each member overlaps it.
* A member becomes DUPLICATE of its representative only when the representative is shown; the
  reason names the representative's rule and line (and keeps the member's own reason when it was
  below the threshold). When the representative is hidden, no member is shown either (the
  representative ranks first, and reported beats hidden), and each member keeps its own
  disposition: a finding is never a duplicate of a hidden one.

Run it after the last stage that decides visibility (scoring, tuning, the audit sample). Nothing
is dropped: every finding comes back, in the order given.
"""

from __future__ import annotations

from collections.abc import Sequence

from reviewbot.finding import Disposition, Finding, Scanner

_RANKED = (Disposition.REPORTED, Disposition.BELOW_THRESHOLD)


def rank(f: Finding) -> tuple[bool, bool, float, int, int, bool, int, int]:
    """Larger is better: the order in which findings become representatives."""
    score = f.score if f.score is not None else -1.0
    return (
        f.scanner is not Scanner.LLM,
        f.visible,
        score,
        f.severity.rank,
        f.confidence.rank,
        f.fix is not None,
        -f.start_line,
        -f.start_col,
    )


def same_weakness(a: Finding, b: Finding) -> bool:
    if a.path != b.path or a.start_line > b.end_line or b.start_line > a.end_line:
        return False
    return a.category == b.category or ((a.imported or b.imported) and not set(a.cwe).isdisjoint(b.cwe))


def mark_duplicates(findings: Sequence[Finding]) -> list[Finding]:
    """The findings with every member of a shown group but its representative marked DUPLICATE."""
    out = list(findings)
    candidates = [i for i, f in enumerate(out) if f.disposition in _RANKED]
    # Only findings of one file can cover the same weakness: look among those.
    representatives: dict[str, list[Finding]] = {}
    for i in sorted(candidates, key=lambda i: rank(out[i]), reverse=True):
        f = out[i]
        taken = representatives.setdefault(f.path, [])
        rep = next((r for r in taken if same_weakness(r, f)), None)
        if rep is None:
            taken.append(f)
        elif rep.visible:
            out[i] = f.with_disposition(Disposition.DUPLICATE, _reason(f, rep))
    return out


def _reason(f: Finding, rep: Finding) -> str:
    reason = f"same weakness reported by {rep.rule_id} at line {rep.start_line}"
    if f.disposition is Disposition.BELOW_THRESHOLD and f.disposition_reason:
        reason += f"; on its own: {f.disposition_reason}"
    return reason
