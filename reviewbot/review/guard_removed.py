"""A change that removes the check above a sink it leaves alone: the `change.guard-removed` finding.

A finding the base already has is PREEXISTING and hidden: the change did not write it. But a change
can make an old sink exploitable without touching its line, by deleting the check or the cleaning
step in front of it (`if not SAFE.match(name): abort(400)`, `name = shlex.quote(name)`). Real CVE
fixes show it again and again read backwards: the fix adds the guard, the vulnerable version lacks
it. So for each preexisting finding of an injection-class rule, this stage reads the lines the
change removes from the same function, above the sink. A removed line that

* mentions a name the sink's matched code uses (not the callee, not `self`/`req`-style receivers),
* and checks it (`if`/`elif`/`assert`/a ternary, or exits: `return`/`raise`/`throw`), or assigns
  it from a call or an expression (a sanitizer, a cast, a rewrite),
* and is not still in the head's function (code that moved is not code that went),

yields one finding of rule `change.guard-removed`, anchored in the diff where the code was removed
(so it can be commented inline), naming the sink's line and the removed line. It takes the sink's
severity, category, CWE and code context (the facts are about the sink's value), at low
confidence: the stage sees that a guard went, not that it was the only one. It is then a finding
like any other: suppressions, the model, duplicates and every report apply to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reviewbot.change.changes import Change
from reviewbot.change.diff import Removal
from reviewbot.finding import Confidence, Disposition, Finding, Scanner
from reviewbot.lang.base import support_for
from reviewbot.lang.syntax import ParsedFile, ancestry
from reviewbot.policy.rule_ids import GUARD_REMOVED
from reviewbot.redact import redact_finding
from reviewbot.review import fingerprint

RULE_ID = GUARD_REMOVED

# Rules about a value reaching a sink: a check on the value can be what made them safe. (Rules
# about a call or a setting itself, `md5(...)`, `verify=False`, are not guarded by a check.)
GUARDED_CATEGORIES = frozenset(
    {
        "cmdi",
        "codeinj",
        "deserialization",
        "headeri",
        "ldapi",
        "pathtraver",
        "protopollution",
        "redirect",
        "sqli",
        "ssrf",
        "xpathi",
        "xss",
        "xxe",
    }
)

_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
# Names that say nothing about which value a line checks: receivers, literals, keywords.
_NOT_A_VALUE = frozenset(
    {"self", "this", "cls", "req", "request", "res", "response", "ctx", "None", "True", "False"}
    | {"null", "undefined", "true", "false", "new", "await", "return", "if", "elif", "else", "not"}
    | {"and", "or", "in", "is", "of", "typeof", "instanceof", "let", "const", "var", "def"}
    | {"function", "lambda", "str", "int", "len"}
)
_CHECK = re.compile(
    r"^(?:\}\s*)?(?:if|elif|else\s+if|unless|assert|raise|throw|return|abort)\b|\?[^?:]*:|\bif\b.*\belse\b"
)
_ASSIGN = re.compile(r"^(?:(?:const|let|var)\s+)?([\w$.\[\]'\"]+)\s*(?::[^=]+)?(?<![=!<>])=(?!=)\s*(\S.*)$")
_CLEANING_CALL = re.compile(
    r"(?i)(?:quote|escape|saniti[sz]|clean|basename|normpath|realpath|secure_filename|valid|safe|allow|"
    r"\bint|\bfloat|\bbool|\bNumber|parseInt|parseFloat|encodeURIComponent)\w*\s*\("
)
_COMMENT = re.compile(r"^(?:#|//|/\*|\*)")
_MAX_SHOWN = 120


def guard_removed_findings(
    findings: Sequence[Finding], change: Change, head_parse: dict[str, ParsedFile | None]
) -> list[Finding]:
    """The new findings for the preexisting sinks whose guards the change removed: one per removed
    guard, standing for the most severe sink it guarded. `head_parse` maps a path to its head
    version's parse (None: no grammar, nothing derived)."""
    guarded: dict[tuple[str, int], tuple[Removal, Finding]] = {}
    for sink in findings:
        removal = _removed_guard(sink, change, head_parse.get(sink.path))
        if removal is None:
            continue
        key = (sink.path, removal.base_line)
        if key not in guarded or _worse(sink, guarded[key][1]):
            guarded[key] = (removal, sink)
    return [
        _finding(sink, removal, _lines(parsed.source))
        for (path, _), (removal, sink) in sorted(guarded.items())
        if (parsed := head_parse.get(path)) is not None
    ]


def _removed_guard(sink: Finding, change: Change, parsed: ParsedFile | None) -> Removal | None:
    """The first line the change removed above `sink`, in its function, that guarded its value."""
    if sink.disposition is not Disposition.PREEXISTING or sink.category not in GUARDED_CATEGORIES:
        return None
    fc = change.file(sink.path)
    if fc is None or fc.whole_file or parsed is None or not fc.hunks:
        return None
    span = _function_lines(parsed, sink.start_line)
    names = _sink_names(sink)
    if span is None or not names:
        return None
    first, last = span
    kept = {_squash(line) for line in _lines(parsed.source)[first - 1 : last]}
    return next(
        (
            r
            for h in fc.hunks
            for r in h.removed
            if first < r.before <= sink.start_line and _is_guard(r.text, names) and _squash(r.text) not in kept
        ),
        None,
    )


def _worse(a: Finding, b: Finding) -> bool:
    return (a.severity.rank, a.confidence.rank, a.dataflow) > (b.severity.rank, b.confidence.rank, b.dataflow)


def _function_lines(parsed: ParsedFile, line: int) -> tuple[int, int] | None:
    """The 1-based first and last line of the innermost function around `line`, or None."""
    support = support_for(parsed.language)
    if support is None:
        return None
    root = parsed.tree.root_node
    node = root.descendant_for_point_range((line - 1, 0), (line - 1, 0))
    functions = [n for n in ancestry(root, node) if n.type in support.function_types] if node is not None else []
    if not functions:
        return None
    return functions[-1].start_point[0] + 1, functions[-1].end_point[0] + 1


def _sink_names(sink: Finding) -> frozenset[str]:
    """The names the sink's matched code uses, less its callee and the words that name no value."""
    text = sink.snippet
    callee = sink.context.sink.callee if sink.context is not None and sink.context.sink is not None else ""
    callee_parts = set(callee.split("."))
    return frozenset(n for n in _IDENT.findall(text) if n not in _NOT_A_VALUE and n not in callee_parts and len(n) > 1)


def _is_guard(text: str, names: frozenset[str]) -> bool:
    """A removed line that checks, exits on, or re-derives one of `names`."""
    line = text.strip()
    if not line or _COMMENT.match(line):
        return False
    if not names.intersection(_IDENT.findall(line)):
        return False
    if _CHECK.search(line):
        return True
    assigned = _ASSIGN.match(line)
    if assigned is None:
        return False
    target, value = assigned.groups()
    # `name = shlex.quote(name)`, `name = int(name)`: re-derived through a cleaning call. Any
    # other call is a rewrite, not a check (`rv = Markup(rv)`, `rv = " ".join(...)` in ordinary
    # refactors of Jinja were the noise of a looser test).
    return bool(names.intersection(_IDENT.findall(target))) and _CLEANING_CALL.search(value) is not None


def _finding(sink: Finding, removal: Removal, head_lines: list[str]) -> Finding:
    anchor = max(1, min(removal.before, len(head_lines)))
    if removal.before > len(head_lines) or not head_lines[anchor - 1].strip():
        anchor = max(1, anchor - 1)  # a blank line or the end: the line above, still in the hunk
    shown = removal.text.strip()
    if len(shown) > _MAX_SHOWN:
        shown = shown[: _MAX_SHOWN - 1] + "…"
    callee = sink.context.sink.callee if sink.context is not None and sink.context.sink is not None else None
    what = f"`{callee}` at line {sink.start_line}" if callee else f"the sink at line {sink.start_line}"
    message = (
        f"This change removes `{shown}` (base line {removal.base_line}), a check in front of {what}, "
        f"which the change leaves as it was: {sink.message.rstrip('.')}. "
        "Keep the check, or show that the value is safe without it."
    )
    # No line numbers, as every fingerprint: the removed code and the sink's own identity.
    scope = sink.context.scope if sink.context is not None else "<file>"
    identity = fingerprint.MatchIdentity(RULE_ID, sink.path, scope, f"{_squash(removal.text)} -> {sink.fingerprint}")
    fp = fingerprint.fingerprints([identity])[0]
    snippet = head_lines[anchor - 1] if anchor <= len(head_lines) else ""
    derived = Finding(
        rule_id=RULE_ID,
        scanner=Scanner.TREESITTER,
        path=sink.path,
        start_line=anchor,
        start_col=1,
        end_line=anchor,
        end_col=max(1, len(snippet.encode("utf-8"))) + (1 if snippet else 0),
        message=message,
        severity=sink.severity,
        confidence=Confidence.LOW,
        category=sink.category,
        cwe=sink.cwe,
        owasp=sink.owasp,
        rationale=(
            "A check on a value that reaches a sink was removed while the sink stayed: the sink's "
            "own finding predates the change and is not shown, so this one stands for it."
        ),
        dataflow=sink.dataflow,
        snippet=snippet,
        fingerprint=fp,
        context=sink.context,
        metadata={
            "sink": {"rule_id": sink.rule_id, "line": sink.start_line, "fingerprint": sink.fingerprint},
            "removed": {"base_line": removal.base_line, "text": shown},
        },
    )
    return redact_finding(derived)


def _lines(source: bytes) -> list[str]:
    # Split on "\n" only, as semgrep and the findings count lines.
    return [b.decode("utf-8", "replace").rstrip("\r") for b in source.split(b"\n")]


def _squash(text: str) -> str:
    return "".join(text.split())
