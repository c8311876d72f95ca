"""Rule ids a person types: which exist, and what to say about one that does not.

A misspelt rule id in a suppression, a per-rule threshold or an inline `reviewbot: ignore[...]`
matches nothing, silently: the finding it was meant for keeps its old treatment and the file
looks as if it said something. Every place a user names a rule checks the name here:

    known = builtin_rule_ids()                           # the rules reviewbot ships
    problem = unknown_rule(rule_id, known)               # None, or "… did you mean `…`?"
    notes += config_rule_warnings(config, label, known, categories)   # per-rule tuning keys

`suppress add --rule` refuses an unknown id (unless --allow-unknown-rule, for a rule of another
ruleset); config keys and inline comments only warn, since a newer or custom ruleset may have it.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from pathlib import Path

from reviewbot.policy.config import Config
from reviewbot.policy.inline import InlineKind
from reviewbot.policy.suppressions import Effective

# The rule id of review/guard_removed.py's findings: a check removed in front of an unchanged sink.
# Defined here, below the review stages, so that both can name it.
GUARD_REMOVED = "change.guard-removed"


def builtin_rule_ids(semgrep_dir: Path | None = None, treesitter_dir: Path | None = None) -> frozenset[str]:
    """The ids of the semgrep and tree-sitter rules in these folders (default: the bundled ones)."""
    from reviewbot.scanners import ts_rules
    from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules

    semgrep = load_rules(semgrep_dir or builtin_rules_dir())
    tree = ts_rules.load_rules(treesitter_dir or ts_rules.builtin_rules_dir())
    # The review's own derived finding (a check removed in front of a sink) can be named too.
    return frozenset(semgrep.rules) | frozenset(tree) | {GUARD_REMOVED}


def unknown_rule(rule_id: str, known: Collection[str]) -> str | None:
    """None when `rule_id` is one of `known`; else a sentence saying so, with the closest ids."""
    if rule_id in known:
        return None
    close = difflib.get_close_matches(rule_id, sorted(known), n=2, cutoff=0.6)
    if not close:  # a right name in the wrong category, or the other way round
        tail = rule_id.rsplit(".", 1)[-1]
        close = sorted(k for k in known if k.rsplit(".", 1)[-1] == tail)[:2]
    hint = f"; did you mean {' or '.join(f'`{c}`' for c in close)}?" if close else ""
    return f"`{rule_id}` is not a known rule id{hint}"


def config_rule_warnings(config: Config, label: str, known: Collection[str], categories: Iterable[str]) -> list[str]:
    """Warnings for per-rule keys of the config naming no rule this review runs."""
    cats = set(categories)
    out = []
    for rule_id in sorted(config.thresholds.rules):
        problem = unknown_rule(rule_id, known)
        if problem is not None:
            out.append(f"{label}: thresholds.rules: {problem} (that threshold applies to nothing)")
    for name in sorted(set(config.always_report.rules)):
        # The list shorthand puts every name in both `rules` and `categories`: a category is fine.
        problem = None if name in cats else unknown_rule(name, known)
        if problem is not None:
            out.append(f"{label}: always_report.rules: {problem} (that floor applies to nothing)")
    return out


def inline_rule_warnings(effective: Effective, known: Collection[str]) -> list[str]:
    """Warnings for `reviewbot: ignore[rule-id]` comments naming no rule this review runs."""
    out = []
    for by_line in effective.inline.values():
        for directives in by_line.values():
            for d in directives:
                if d.kind is not InlineKind.IGNORE or d.problem is not None or "*" in d.rules:
                    continue
                for rule_id in d.rules:
                    problem = unknown_rule(rule_id, known)
                    if problem is not None:
                        out.append(f"{d.where}: {d.text}: {problem} (it suppresses nothing)")
    return out
