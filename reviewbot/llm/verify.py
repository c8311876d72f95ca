"""The fix verifier: whether a proposed replacement of a finding's lines may be posted as a
```suggestion. The LLM's proposals and the rules' own `fix:` text go through the same checks.

    verdict = verify_fix(finding, head_text, FixProposal(path, start, end, text), verifier)
    verdicts = verify_fixes([(finding, head_text, proposal), ...], verifier)   # one rescan

A proposal is accepted only if all of these hold, checked cheapest first (the first that fails
is the verdict's reason, one of `Rejection`):

1. it replaces exactly the finding's lines, in the finding's file (what a suggestion on the
   finding's comment replaces), and changes something there besides trailing blanks;
2. it holds no code fence (three backticks or tildes: the text must never be able to end the
   suggestion block it is posted in) and no invisible character the replaced lines did not have
   (bidi controls, zero-width characters, control codes: code that reads otherwise than it runs),
   and no suppression comment (`nosemgrep`, `reviewbot: ignore`) the lines did not have: once
   merged, it would hide this finding and the next;
3. it is small: at most `MAX_EXTRA_LINES` lines and `MAX_EXTRA_BYTES` bytes more than it replaces;
4. the fixed file parses with no more ERROR or MISSING nodes than the original (tree-sitter);
5. the edit stays inside the finding's enclosing function or class (which must still start where
   it did and end where the edit moved its end), or, at module level, adds no statement and no
   definition (it may change its own statement, never add code beside it);
6. rerunning the whole ruleset (`FixVerifier`: the review's own scanners) on the fixed file, the
   finding's rule no longer matches the edited lines, and no match appears that the original
   file did not have: the same rule on the same text at the same line (shifted by the edit), or
   for matches touching the edited lines, the same rule there. A rerun that warned about the file
   (a rule did not run) or failed proves nothing, and rejects.

Nothing here can accept by default: a file that cannot be parsed, a scanner that fails, a
language without a grammar all reject.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from reviewbot.errors import ReviewbotError
from reviewbot.finding import Finding
from reviewbot.lang.base import support_for, syntax_support_for
from reviewbot.lang.languages import language_of
from reviewbot.lang.syntax import ParsedFile, ancestry, parse
from reviewbot.llm.verify_scan import FixVerifier, Match, Rescan
from reviewbot.policy.inline import scan_inline

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = [
    "MAX_EXTRA_BYTES",
    "MAX_EXTRA_LINES",
    "FixProposal",
    "FixVerdict",
    "FixVerifier",
    "Rejection",
    "describe",
    "verify_fix",
    "verify_fixes",
]

# A suggestion is read and committed with one click: a reviewer must be able to check it at a
# glance. The shipped rules' fixes change a word on their own lines; a fix that needs ten more
# lines is a rewrite to make by hand, not a suggestion.
MAX_EXTRA_LINES = 10
MAX_EXTRA_BYTES = 1024

# Three backticks or tildes open or close a fence, whatever the fence around them is.
_FENCE = re.compile(r"`{3,}|~{3,}")


class Rejection(StrEnum):
    """A verdict's reason: "ok", or the first check the proposal failed (a closed set)."""

    OK = "ok"
    WRONG_RANGE = "wrong-range"
    NO_OP = "no-op"
    CODE_FENCE = "code-fence"
    HIDDEN_CHARACTER = "hidden-character"
    ADDS_SUPPRESSION = "adds-suppression"
    TOO_LARGE = "too-large"
    NOT_PARSED = "not-parsed"
    PARSE_ERROR = "parse-error"
    ESCAPES_FUNCTION = "escapes-function"
    SCAN_FAILED = "scan-failed"
    FINDING_REMAINS = "finding-remains"
    NEW_FINDING = "new-finding"


_DESCRIPTIONS = {
    Rejection.OK: "the fix passed every check",
    Rejection.WRONG_RANGE: "it does not replace exactly the finding's lines",
    Rejection.NO_OP: "it changes nothing",
    Rejection.CODE_FENCE: "it holds a code fence",
    Rejection.HIDDEN_CHARACTER: "it adds an invisible or control character",
    Rejection.ADDS_SUPPRESSION: "it adds a suppression comment",
    Rejection.TOO_LARGE: "it is larger than a suggestion may be",
    Rejection.NOT_PARSED: "the file could not be parsed to check it",
    Rejection.PARSE_ERROR: "the fixed file no longer parses",
    Rejection.ESCAPES_FUNCTION: "it changes code outside the finding's function or statement",
    Rejection.SCAN_FAILED: "the rules could not be rerun on the fixed file",
    Rejection.FINDING_REMAINS: "the rule still matches the fixed lines",
    Rejection.NEW_FINDING: "the rules find something in the fixed file the original did not have",
}


def describe(reason: str) -> str:
    """A verdict's reason in words (for a comment or a note)."""
    try:
        return _DESCRIPTIONS[Rejection(reason)]
    except ValueError:  # never echoed: a results file from a PR's first stage may say anything
        return "it did not pass the fix check"


@dataclass(frozen=True)
class FixProposal:
    """`replacement` replaces lines start_line..end_line (1-based, inclusive) of `path`; like
    `Finding.fix`, it holds whole lines, joined by "\\n", without a final newline."""

    path: str
    start_line: int
    end_line: int
    replacement: str


@dataclass(frozen=True)
class FixVerdict:
    accepted: bool
    reason: str  # a `Rejection` value: "ok" when accepted


@dataclass(frozen=True)
class _Edit:
    rule_id: str
    path: str
    original: bytes
    fixed: bytes
    start: int  # the first edited line, the same in both versions
    old_end: int  # the last replaced line of the original
    new_end: int  # the last line of the replacement in the fixed file

    def shift(self, line: int) -> int:
        """Where an original line after the edit is in the fixed file."""
        return line + self.new_end - self.old_end


def verify_fix(finding: Finding, head_text: str, proposal: FixProposal, verifier: FixVerifier) -> FixVerdict:
    """Whether `proposal` may be posted as the suggestion of `finding` on the file `head_text`."""
    return verify_fixes([(finding, head_text, proposal)], verifier)[0]


def verify_fixes(items: Sequence[tuple[Finding, str, FixProposal]], verifier: FixVerifier) -> list[FixVerdict]:
    """`verify_fix` for each item, with one rerun of the ruleset for all of them."""
    reasons: list[Rejection | _Edit] = [_prepare(*item) for item in items]
    edits = [r for r in reasons if isinstance(r, _Edit)]
    try:
        scans = verifier.rescan([(e.path, e.original) for e in edits] + [(e.path, e.fixed) for e in edits])
    except (ReviewbotError, OSError):  # a scanner that cannot run: nothing was shown to be safe
        scans = []
    judged = iter(
        _compare(e, scans[i], scans[len(edits) + i]) if scans else Rejection.SCAN_FAILED for i, e in enumerate(edits)
    )
    final = [next(judged) if isinstance(r, _Edit) else r for r in reasons]
    verdicts = [FixVerdict(r is Rejection.OK, r) for r in final]
    verifier.counts.update(v.reason for v in verdicts)
    return verdicts


def _prepare(finding: Finding, head_text: str, proposal: FixProposal) -> Rejection | _Edit:
    """The checks that need no rerun; the edit to rescan when they all pass."""
    lines = head_text.split("\n")
    start, end = finding.start_line, finding.end_line
    same_place = (proposal.path, proposal.start_line, proposal.end_line) == (finding.path, start, end)
    if not same_place or end > len(lines):
        return Rejection.WRONG_RANGE
    old, new = lines[start - 1 : end], proposal.replacement.split("\n")
    replaced = "\n".join(old)
    if _FENCE.search(proposal.replacement):
        return Rejection.CODE_FENCE
    if _hidden(proposal.replacement) - _hidden(replaced):
        return Rejection.HIDDEN_CHARACTER
    if _suppressions(finding.path, proposal.replacement) > _suppressions(finding.path, replaced):
        return Rejection.ADDS_SUPPRESSION
    too_long = len(new) > len(old) + MAX_EXTRA_LINES
    if too_long or len(proposal.replacement.encode()) > len(replaced.encode()) + MAX_EXTRA_BYTES:
        return Rejection.TOO_LARGE
    if [line.rstrip() for line in new] == [line.rstrip() for line in old]:
        return Rejection.NO_OP
    original = head_text.encode("utf-8", "replace")
    fixed = "\n".join([*lines[: start - 1], *new, *lines[end:]]).encode("utf-8", "replace")
    language = language_of(finding.path)
    before, after = parse(original, language), parse(fixed, language)
    if before is None or after is None:
        return Rejection.NOT_PARSED
    if _broken_nodes(after) > _broken_nodes(before):
        return Rejection.PARSE_ERROR
    edit = _Edit(finding.rule_id, finding.path, original, fixed, start, end, start + len(new) - 1)
    if not _stays_in_scope(before, after, finding, edit, new):
        return Rejection.ESCAPES_FUNCTION
    return edit


def _hidden(text: str) -> Counter[str]:
    """The invisible characters of `text`: format (bidi, zero-width), control (but tab and the
    line break) and line/paragraph separators; a carriage return only when no newline follows."""
    out: Counter[str] = Counter()
    for i, ch in enumerate(text):
        if ch in "\t\n" or (ch == "\r" and text[i + 1 : i + 2] == "\n"):
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out[ch] += 1
    return out


def _suppressions(path: str, text: str) -> int:
    """How many suppression comments `text` holds, as the review would read them in `path`."""
    return len(scan_inline(path, text.encode("utf-8", "replace")))


def _broken_nodes(parsed: ParsedFile) -> int:
    """ERROR and MISSING nodes in the tree (only subtrees that have an error are walked)."""
    count, stack = 0, [parsed.tree.root_node]
    while stack:
        node = stack.pop()
        count += node.type == "ERROR" or node.is_missing
        if node.has_error:
            stack.extend(node.children)
    return count


def _stays_in_scope(before: ParsedFile, after: ParsedFile, finding: Finding, edit: _Edit, new: list[str]) -> bool:
    """Whether the edit stays in the finding's innermost function or class, or, at module level,
    adds no statement or definition to the module."""
    kinds = _scope_kinds(before.language)
    if kinds is None:
        return False
    offsets = [0]
    for line in before.source.split(b"\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    first = offsets[finding.start_line - 1] + finding.start_col - 1
    last = max(first, offsets[finding.end_line - 1] + finding.end_col - 1)
    root = before.tree.root_node
    node = root.named_descendant_for_byte_range(first, last) or root
    scope = next((n for n in reversed(ancestry(root, node)) if n.type in kinds), None)
    if scope is None or not (scope.start_point.row + 1 <= edit.start and edit.old_end <= scope.end_point.row + 1):
        # Module level: no scope to stay in, so the edit must keep the file's shape (as many
        # module statements, as many definitions): it may change its statement, never add code.
        return _shape(before, kinds) == _shape(after, kinds)
    begins, ends = scope.start_point.row + 1, scope.end_point.row + 1
    written = [i for i, line in enumerate(new) if line.strip()]
    for twin in _nodes_of(after, frozenset({scope.type})):
        if twin.start_point.row + 1 != begins:
            continue
        if ends > edit.old_end:  # the scope goes on after the edit: the same line must still close it
            if twin.end_point.row + 1 == edit.shift(ends):
                return True
        elif twin.end_point.row + 1 >= edit.start + (written[-1] if written else 0):
            return True  # the edit ends the scope: its last written line must still be inside
    return False


def _nodes_of(parsed: ParsedFile, kinds: frozenset[str]) -> list[Node]:
    out: list[Node] = []
    stack = [parsed.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in kinds:
            out.append(node)
        stack.extend(node.children)
    return out


def _scope_kinds(language: str) -> frozenset[str] | None:
    """The node types of functions and classes; a language parsed without a context service
    (JavaScript, TypeScript) names them by the scopes its fingerprint knows."""
    support = support_for(language)
    if support is not None:
        return support.function_types | support.class_types
    syntax = syntax_support_for(language)
    return frozenset(syntax.scope_name_fields) if syntax is not None else None


def _shape(parsed: ParsedFile, kinds: frozenset[str]) -> tuple[int, int]:
    """(module-level statements, definitions anywhere); comments are no statements."""
    support = syntax_support_for(parsed.language)
    comments = support.comment_types if support is not None else frozenset()
    statements = sum(1 for n in parsed.tree.root_node.named_children if n.type not in comments)
    return statements, len(_nodes_of(parsed, kinds))


def _compare(edit: _Edit, before: Rescan, after: Rescan) -> Rejection:
    """The rerun's verdict: the finding gone from the edited lines, nothing new anywhere."""
    if after.warnings > before.warnings:
        return Rejection.SCAN_FAILED

    def touches(m: Match, end: int) -> bool:
        return m.start_line <= end and edit.start <= m.end_line

    if any(m.rule_id == edit.rule_id and touches(m, edit.new_end) for m in after.matches):
        return Rejection.FINDING_REMAINS
    # Matches are compared in the fixed file's lines. Those on the edited lines have new text by
    # construction, so there only the rule counts: a rule the original did not have there is new.
    had = Counter(
        (m.rule_id, None, None) if touches(m, edit.old_end) else (m.rule_id, m.text, _fixed_line(edit, m.start_line))
        for m in before.matches
    )
    has = Counter(
        (m.rule_id, None, None) if touches(m, edit.new_end) else (m.rule_id, m.text, m.start_line)
        for m in after.matches
    )
    return Rejection.NEW_FINDING if has - had else Rejection.OK


def _fixed_line(edit: _Edit, line: int) -> int:
    return line if line < edit.start else edit.shift(line)
