"""The review stage that puts rules' own `fix:` text through the fix verifier before it can be a
```suggestion on a PR.

    findings, notes = verify_rule_fixes(findings, change.head, verifier)

Only what could be posted as a suggestion is checked (a shown finding whose fix is a real
replacement: not redacted, not of a secret, not the code itself), all in one rerun of the ruleset;
each gets `fix_verdict` ("ok" or the reason it was refused). The finding itself is never touched
otherwise: a fix that fails costs its suggestion, never the comment. A fix left unchecked (hidden
findings, or past `MAX_CHECKED`: those in the diff and most severe are checked first) keeps
`fix_verdict` None and is not suggested either.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from reviewbot.finding import Finding
from reviewbot.llm.verify import FixProposal, verify_fixes
from reviewbot.llm.verify_scan import FixVerifier

# At most 30 comments go inline per review (github/review.py), so checking more than twice that
# many fixes would pay reruns for suggestions nobody sees.
MAX_CHECKED = 60


def fix_offerable(f: Finding) -> bool:
    """Whether `f.fix` is text a suggestion could commit: a secret's fix is masked, so applying it
    would write the mask into the code; a fix equal to the code is none."""
    return f.fix is not None and not f.fix_redacted and f.category != "secrets" and f.fix != f.snippet


def verify_rule_fixes(
    findings: Sequence[Finding], head: Mapping[str, bytes], verifier: FixVerifier
) -> tuple[list[Finding], list[str]]:
    """`findings` with the verifier's word on each shown finding's rule fix, and a note counting
    the fixes refused, by reason."""
    wanted = [i for i, f in enumerate(findings) if f.visible and fix_offerable(f) and f.path in head]
    # Past the cap, the ones most likely to be commented inline first: in the diff, most severe.
    wanted.sort(key=lambda i: (not findings[i].in_diff, -findings[i].severity.rank, -(findings[i].score or 0.0), i))
    checked, skipped = wanted[:MAX_CHECKED], len(wanted) - MAX_CHECKED
    items, texts = [], {}
    for i in checked:
        f = findings[i]
        if f.path not in texts:
            texts[f.path] = head[f.path].decode("utf-8", "replace")
        assert f.fix is not None
        items.append((f, texts[f.path], FixProposal(f.path, f.start_line, f.end_line, f.fix)))
    verdicts = verify_fixes(items, verifier) if items else []
    out = list(findings)
    for i, verdict in zip(checked, verdicts, strict=True):
        out[i] = out[i].model_copy(update={"fix_verdict": verdict.reason})
    notes = []
    refused = Counter(v.reason for v in verdicts if not v.accepted)
    if refused:
        why = ", ".join(f"{reason} {n}" for reason, n in sorted(refused.items()))
        notes.append(
            f"fix check: {sum(refused.values())} of {len(verdicts)} rule fixes not offered as suggestions ({why})"
        )
    if skipped > 0:
        notes.append(f"fix check: {skipped} more rule fixes not checked (over {MAX_CHECKED}); not suggested")
    return out, notes


__all__ = ["MAX_CHECKED", "fix_offerable", "verify_rule_fixes"]
