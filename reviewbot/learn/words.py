"""Features in words: what a developer reads next to a score ("argument comes from request.args").

`describe` phrases one feature's value, using the whole vector for counts and the code context
for sources and reasons; `family` groups one-hot features so the scorer can sum their
contributions into one reason ("category cmdi" rather than "not category weakrand").
"""

from __future__ import annotations

from collections.abc import Mapping

from reviewbot.lang.facts import CodeContext, Provenance

_PROVENANCE_WORDS = {
    0: "is a literal written at the sink",
    1: "is a constant (it folds to a fixed value)",
    2: "comes from somewhere the analysis cannot see",
    3: "comes from the request or a caller",
}
_WORDS: dict[str, tuple[str, str]] = {  # feature -> (words when 1, words when 0)
    "scanner.treesitter": ("found by the tree-sitter scanner", "found by semgrep"),
    "has_context": ("code context analysed", "no code context"),
    "context_partial": ("code analysis incomplete", "code analysis complete"),
    "dataflow": ("a rule that follows data to a sink", "a rule about the call or setting itself"),
    "value_parameter": (
        "value from a function parameter (callers may pass request data)",
        "value not from a parameter",
    ),
    "source.local": ("value read from local input (argv, stdin, environment)", "no local input reaches the value"),
    "reachable": ("code can run", "code that can never run"),
    "scope.module": ("top-level code", "code inside a function"),
    "scope.method": ("code in a method", "code not in a method"),
    "request_handler": ("inside a web request handler", "not in a web request handler"),
    "path_new": ("file added by this change", "file exists on the base branch"),
    "match_added": ("the change adds these lines", "unchanged lines next to the change"),
}


def describe(
    feature: str, value: float, vector: Mapping[str, float] | None = None, context: CodeContext | None = None
) -> str:
    """A feature's value in words a developer reads ("argument comes from request.args").

    `vector` (the whole feature vector) and `context` let a phrase quote counts and sources."""
    vec = vector or {}
    on = value >= 0.5
    prefix = feature.partition(".")[0]
    if feature == "reachable" and not on and context is not None and context.reachability_reason:
        return f"code that can never run ({context.reachability_reason})"
    if feature in _WORDS:
        return _WORDS[feature][0 if on else 1]
    if feature == "severity":
        return f"severity {('low', 'medium', 'high', 'critical')[_clamp(value, 3)]}"
    if feature == "confidence":
        return f"rule confidence {('low', 'medium', 'high')[_clamp(value, 2)]}"
    if feature in ("value_provenance", "sink_max_provenance") and vec.get("dataflow", 1.0) < 0.5:
        return "the rule does not depend on where the value comes from"
    if feature in ("value_provenance", "sink_max_provenance"):
        rank = _clamp(value, 3)
        what = "argument" if feature == "value_provenance" else "strongest sink argument"
        words = _PROVENANCE_WORDS[rank]
        sources = context.value.sources if context is not None and context.value is not None else ()
        if rank == 3 and feature == "value_provenance" and sources:
            words = "comes from " + ", ".join(sources[:2])
            if context is not None and context.value is not None and context.value.provenance is Provenance.PARAMETER:
                words += " (a caller may pass request data)"
        return f"{what} {words}"
    if feature == "sanitizers":
        return f"{int(value)} sanitizer(s) or guard(s) on the value" if value else "no sanitizer or guard on the value"
    if feature == "hunk_added_lines":
        return f"the change adds {int(value)} line(s) around it"
    if feature in FAMILIES or prefix in FAMILIES:
        return _describe_family(prefix, vec)
    if feature in ("rule_real_rate", "path_real_rate", "rule_decisions", "path_decisions"):
        scope = "rule" if feature.startswith("rule") else "file"
        n = int(vec.get(f"{scope if scope == 'rule' else 'path'}_decisions", value if "decisions" in feature else 0))
        rate = vec.get(f"{'rule' if scope == 'rule' else 'path'}_real_rate", 0.5)
        real = max(0, min(n, round(rate * (n + 2) - 1)))
        subject = "rule has" if scope == "rule" else "findings in this file have"
        if n == 0:
            return f"no earlier decisions on this {scope} in this repo"
        return f"{subject} been dismissed {n - real} of {n} times in this repo"
    return f"{feature} = {value:g}"


FAMILIES = ("category", "cwe", "language", "path", "sanitizer", "guard")  # one-hot families


def family(feature: str) -> str:
    """The one-hot family a feature belongs to ("category" for "category.xss"), else itself.
    Contributions are summed per family: SHAP values add, and "category xss" reads better than
    one reason per category the finding is not."""
    prefix = feature.partition(".")[0]
    return prefix if prefix in FAMILIES else feature


def _describe_family(name: str, vec: Mapping[str, float]) -> str:
    on = [f.partition(".")[2] for f, v in vec.items() if f.startswith(name + ".") and v >= 0.5]
    if name == "category":
        return f"category {on[0]}" if on else "uncategorised rule"
    if name == "cwe":
        return ", ".join(f"CWE-{c}" if c != "other" else "an uncommon CWE" for c in on) or "no CWE"
    if name == "language":
        return f"{on[0]} file" if on else "a file of another language"
    if name == "path":
        return f"{on[0]} file (judged from its path on the base branch)" if on else "ordinary source file"
    if name == "sanitizer":
        return f"{', '.join(on)} sanitizer on the value" if on else "no sanitizer call on the value"
    return f"{', '.join(on)} guard before the sink" if on else "no guard before the sink"


def _clamp(value: float, top: int) -> int:
    return max(0, min(top, round(value)))
