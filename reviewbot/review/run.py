"""The review: orders the stages from a `Change` to a `ReviewResult`. No argv, env or printing.

    materialize head + base files → scanners (concurrently) → findings (fingerprinted, with
      code context) → new-only (PREEXISTING when the base has the same fingerprint)
      → guards removed (guard_removed.py: a preexisting sink whose check the change deleted
      gets a `change.guard-removed` finding in the diff)
      → suppressions (inline and file, from the base unless the head is trusted; expired ones
      resurface) → in_diff and diff facts → features → scoring (BELOW_THRESHOLD under the
      threshold) → tuning (per-rule thresholds, always-report floors) → triage (the ledger's
      verdicts, from the trusted side: TRIAGED) → audit sample → duplicates (dedup.py: DUPLICATE
      when a better-ranked shown finding covers the same weakness and lines; decided last, so a
      finding is never the duplicate of a hidden one) → the fix check (PR path: a rule fix is
      a suggestion only when the fix verifier passes it, reviewbot/llm/verify.py)

With the optional LLM on (`ReviewOptions.llm`, reviewbot/llm/): its findings in the changed hunks
join the scanners' before new-only and go through every stage like theirs; after duplicates, the
reported findings get its explanations and verified fixes (text only: no disposition changes).

The stages are modules of their own: scanning (scan.py), building findings (build.py),
suppressions and tuning (policy/), features and scoring (learn/), the ledger's verdicts
(triage_stage.py), duplicates (dedup.py). The result type is result.py.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reviewbot.change.changes import Change
from reviewbot.finding import Disposition, Finding
from reviewbot.lang.syntax import ParsedFile
from reviewbot.learn.features import History, attach_features
from reviewbot.llm.request import LlmRequest, llm_wanted
from reviewbot.policy import audit, suppressions
from reviewbot.policy.config import Config, config_for
from reviewbot.policy.tuning import apply_tuning
from reviewbot.redact import redact_data
from reviewbot.review.build import Parses, base_fingerprints, build_findings, locate, scanner_notes
from reviewbot.review.dedup import mark_duplicates
from reviewbot.review.guard_removed import RULE_ID as GUARD_REMOVED
from reviewbot.review.guard_removed import guard_removed_findings
from reviewbot.review.result import ReviewResult
from reviewbot.review.scan import HEAD, scan_change
from reviewbot.review.triage_stage import apply_ledger_verdicts
from reviewbot.review.trusted_side import trusted_side
from reviewbot.scanners.interface import Scanner

if TYPE_CHECKING:
    from reviewbot.learn.scoring import Scorer
    from reviewbot.llm.stage import LlmRun

# Said on every finding of a review without a model (scoring says why for the ones a model skips).
NO_MODEL = "not scored: no model was used (--no-model, or no model folder was found)"


@dataclass(frozen=True)
class ReviewOptions:
    new_only: bool = True
    # The caller's own change (--staged, --all): what it adds (suppressions, config) applies.
    # False for a pull request, whose head is untrusted: only the base version's apply.
    trust_head: bool = False
    today: date | None = None  # for suppression expiry; None: today
    usage_state: Path | None = None  # where suppression usage is counted; None: not counted
    # The PR path: an invalid config or suppressions file is a note and the defaults apply, so a
    # broken file on the base branch (or one a PR managed to get merged) cannot stop every review.
    tolerate_invalid_config: bool = False
    # Why findings are unscored when no scorer is given (the PR path names a model it could not load).
    unscored_reason: str = NO_MODEL
    # The PR path: rule fixes that could be posted as suggestions are checked by the fix
    # verifier (one rerun of the scanners on the fixed files). Off for `scan`: the local loop
    # shows no suggestions and must not pay for the rerun.
    verify_fixes: bool = False
    # The optional LLM second reader, as the run asked for it (None: off whatever the config says).
    llm: LlmRequest | None = None


def run_review(
    change: Change,
    scanners: Sequence[Scanner],
    options: ReviewOptions,
    history: History | None = None,
    scorer: Scorer | None = None,
) -> ReviewResult:
    """`history`: earlier triage decisions for the history features (none: empty); `scorer`: the
    model that scores the findings (none: findings stay unscored). The ledger's verdicts are read
    here, from the trusted side of the change (`trusted_side`), like the config and suppressions."""
    started = time.monotonic()
    today = options.today or date.today()
    tolerate = options.tolerate_invalid_config
    loaded = config_for(change, trust_head=options.trust_head, tolerate_invalid=tolerate)
    notes: list[str] = list(loaded.warnings)
    effective = suppressions.suppressions_for(
        change, loaded.config, trust_head=options.trust_head, tolerate_invalid=tolerate
    )
    notes.extend(_rule_id_warnings(scanners, loaded.config, loaded.source, effective))
    side = trusted_side(change, trust_head=options.trust_head)
    with_base = options.new_only and bool(change.base)
    held, held_notes = _semgrep_held_back(change, loaded.config)
    outputs = scan_change(change, scanners, with_base=with_base, held_back={"semgrep": frozenset(held)})
    parses = Parses()
    head: list[Finding] = []
    base_fps: set[str] = set()
    for scanner, output in zip(scanners, outputs, strict=True):
        notes.extend(scanner_notes(output))
        head += build_findings(HEAD, change, output, scanner, parses, notes)
        if with_base:
            base_fps |= base_fingerprints(change, output, scanner, parses)
    llm: LlmRun | None = None
    if llm_wanted(loaded.config.llm.enabled, options.llm):  # off: none of the LLM stages is imported
        from reviewbot.llm.stage import LlmRun, verifier_of

        llm, llm_notes = LlmRun.open(loaded.config.llm, options.llm, verifier_of(scanners))
        notes.extend(llm_notes)
    if llm is not None:
        llm_output, llm_scanner = llm.review_hunks(change, scanners)
        head += build_findings(HEAD, change, llm_output, llm_scanner, parses, notes)
    head = [
        f.with_disposition(Disposition.PREEXISTING, "the same finding exists on the base version")
        if f.fingerprint in base_fps
        else f
        for f in head
    ]
    head += guard_removed_findings(head, change, _head_parses(head, change, parses))
    outcome = suppressions.apply_suppressions(head, effective, today=today)
    notes.extend(outcome.notes)
    head = attach_features((locate(f, change) for f in outcome.findings), history)
    if scorer is not None:
        head = scorer.score(head)
        head = apply_tuning(
            head,
            loaded.config,
            scorer.card,
            model=scorer.name,
            resurfaced=outcome.expired,
            override=scorer.explicit_threshold,
        )
    head = apply_ledger_verdicts(head, side.ledger())
    if scorer is not None:
        head = audit.sample_for_audit(head, loaded.config.audit)
    else:
        head = [f.model_copy(update={"unscored_reason": options.unscored_reason}) for f in head]
    head = mark_duplicates(head)
    if options.verify_fixes:
        from reviewbot.llm.verify import FixVerifier
        from reviewbot.llm.verify_rules import verify_rule_fixes

        head, fix_notes = verify_rule_fixes(head, change.head, FixVerifier(scanners))
        notes.extend(fix_notes)
    if llm is not None:
        head = llm.annotate(head, change)
        notes.extend(llm.notes())
    if options.usage_state is not None:
        unused_after = loaded.config.suppressions.unused_after
        notes.extend(suppressions.record_usage(options.usage_state, outcome, today=today, unused_after=unused_after))
    return ReviewResult(
        change=change.description,
        new_only=options.new_only,
        findings=sorted(head, key=lambda f: (f.path, f.start_line, f.start_col, f.rule_id)),
        notes=redact_data(notes),  # a scanner's warning may quote the code
        skipped=redact_data([*change.notes, *held_notes]),
        suppressions_added=outcome.added,
        files_changed=len(change.files),
        files_scanned=len(change.head),
        rules=sum(s.rule_count() for s in scanners),
        seconds=round(time.monotonic() - started, 3),
    )


def _head_parses(findings: list[Finding], change: Change, parses: Parses) -> dict[str, ParsedFile | None]:
    """The head parse of every file with a preexisting finding (the files guard_removed reads)."""
    paths = {f.path for f in findings if f.disposition is Disposition.PREEXISTING and f.path in change.head}
    return {p: parses.get(HEAD, p, change.head[p]) for p in paths}


def _semgrep_held_back(change: Change, config: Config) -> tuple[dict[str, str], list[str]]:
    """`scan --all`: the files too large, too minified or library copies for semgrep, and a note for each."""
    if not change.whole_tree:
        return {}, []
    from reviewbot.scanners.semgrep_cap import held_back

    settings = config.semgrep
    held = held_back(
        change.head,
        settings.whole_tree_max_bytes,
        settings.whole_tree_max_average_line,
        libraries=settings.whole_tree_skip_libraries,
    )
    return held, [f"{path}: not scanned by semgrep ({why})" for path, why in sorted(held.items())]


def _rule_id_warnings(
    scanners: Sequence[Scanner], config: Config, label: str, effective: suppressions.Effective
) -> list[str]:
    """Per-rule config keys and inline ignores that name no rule of this review: they do nothing."""
    from reviewbot.policy.rule_ids import config_rule_warnings, inline_rule_warnings

    # A scanner with no rules at all (an imported SARIF with nothing in it) has none to check.
    listed = [s.rule_ids() for s in scanners if s.rule_count()]
    if not listed or not all(listed):  # a scanner that cannot list its rules: nothing to check against
        return []
    known = frozenset().union(*listed, {GUARD_REMOVED})  # the stage's own rule can be named too
    infos = (s.rule(rule_id) for s in scanners for rule_id in s.rule_ids())
    categories = {info.category for info in infos if info is not None}
    return config_rule_warnings(config, label, known, categories) + inline_rule_warnings(effective, known)
