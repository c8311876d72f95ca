"""The LLM stages the conductor calls, and the note that says what the LLM did and skipped.

    run = LlmRun.open(config.llm, request)              # None: off (the note says why, if asked)
    output, scanner = run.review_hunks(change, rule_scanners)   # use 3, before suppressions
    findings = run.annotate(findings, change)            # uses 1 and 2, after dedup: reported only
    notes += run.notes()

`annotate` takes the reported findings best-ranked first (score, then severity) and, within the
budget, asks for an explanation and, for a rule's finding, a fix the verifier must accept. It only
ever sets `Finding.llm`: dispositions, scores and thresholds are the stages' before it, and no
finding is removed. Any failure costs that finding its LLM text, nothing else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel

from reviewbot.change.changes import Change
from reviewbot.finding import Finding, LlmNote
from reviewbot.finding import Scanner as ScannerKind
from reviewbot.llm.cache import AnswerCache, code_hash
from reviewbot.llm.client import LlmClient
from reviewbot.llm.explain import Explanation, explain_request
from reviewbot.llm.fix import FixAnswer, fix_request, proposal_for, verify_all
from reviewbot.llm.hunks import LlmScanner, ReviewAnswer, matches_for, pieces
from reviewbot.llm.prompt import PROMPT_VERSION, SYSTEM, enclosing_window
from reviewbot.llm.request import LlmRequest, llm_wanted
from reviewbot.policy.config import LlmSettings
from reviewbot.scanners.interface import Scanner, ScanOutput

if TYPE_CHECKING:
    from reviewbot.llm.verify import FixProposal, FixVerifier

T = TypeVar("T", bound=BaseModel)


@dataclass
class LlmRun:
    settings: LlmSettings
    client: LlmClient
    cache: AnswerCache
    verifier: Callable[[], FixVerifier] | None
    counts: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)

    @classmethod
    def open(
        cls, settings: LlmSettings, request: LlmRequest | None, verifier: Callable[[], FixVerifier] | None = None
    ) -> tuple[LlmRun | None, list[str]]:
        """The run, or None and why (a note only when the LLM was asked for but cannot run).
        `verifier` builds the review's fix verifier when the first fix is proposed (None: no fixes)."""
        if request is None or not llm_wanted(settings.enabled, request):
            return None, []
        client = LlmClient.open(settings, request.environ, request.base_url)
        if client is None:
            return None, [f"llm: on, but ${settings.api_key_env} holds no key: nothing was sent to any model"]
        folder = request.cache_dir / "llm" if request.cache_dir is not None else None
        return cls(settings, client, AnswerCache(folder), verifier), []

    def _key(self, use: str, identity: str, text: str) -> tuple[str, ...]:
        return (use, identity, code_hash(text), self.settings.model, PROMPT_VERSION, str(self.client.json_schema))

    def _ask(self, schema: type[T], use: str, identity: str, user: str) -> T | None:
        key = self._key(use, identity, user)
        cached = self.cache.get(schema, *key)
        if cached is not None:
            return cached
        answer = self.client.ask(schema, SYSTEM, user)
        if answer is not None:
            self.cache.put(answer, *key)
        return answer

    def review_hunks(self, change: Change, scanners: Sequence[Scanner]) -> tuple[ScanOutput, LlmScanner]:
        """Use 3: the LLM's issues in the changed hunks, as raw matches of an `LlmScanner`."""
        scanner = LlmScanner.beside(scanners)
        output = ScanOutput()
        if not self.settings.review:
            return output, scanner
        for piece in pieces(change):
            self.counts["hunks"] += 1
            user = piece.document()
            answer = self._ask(ReviewAnswer, "review", f"{piece.path}:{piece.first}", user)
            if answer is None:
                continue
            self.counts["hunks reviewed"] += 1
            found = matches_for(piece, answer, change.head[piece.path], self.dropped)
            self.counts["llm findings"] += len(found)
            output.matches.extend(found)
        return output, scanner

    def annotate(self, findings: Sequence[Finding], change: Change) -> list[Finding]:
        """Uses 1 and 2 on the reported findings, best-ranked first; only `llm` is set."""
        out = list(findings)
        order = sorted(
            (i for i, f in enumerate(out) if f.visible and f.path in change.head),
            key=lambda i: (-_score(out[i]), -out[i].severity.rank, i),
        )
        notes: dict[int, LlmNote] = {}
        proposals: list[tuple[int, FixProposal]] = []
        for i in order:
            f = out[i]
            source = change.head[f.path]
            window = enclosing_window(f, source)
            notes[i] = LlmNote(model=self.settings.model)
            if self.settings.explain and f.scanner is not ScannerKind.LLM:
                self.counts["to explain"] += 1
                said = self._ask(Explanation, "explain", f.fingerprint, explain_request(f, window))
                if said is not None:
                    self.counts["explained"] += 1
                    notes[i] = notes[i].model_copy(update={"explanation": said.explanation, "exploit": said.exploit})
            if self.settings.fix and f.scanner is not ScannerKind.LLM and self.verifier is not None:
                answer = self._ask(FixAnswer, "fix", f.fingerprint, fix_request(f, window))
                proposal = proposal_for(f, source, answer) if answer is not None else None
                if isinstance(proposal, str):
                    self.rejected[proposal] += 1
                elif proposal is not None:
                    proposals.append((i, proposal))
        if proposals and self.verifier is not None:
            # One rerun of the ruleset for every proposal (the verifier's batch form).
            items = [(out[i], change.head[out[i].path], p) for i, p in proposals]
            for (i, p), (accepted, reason) in zip(proposals, verify_all(items, self.verifier()), strict=True):
                if accepted:
                    self.counts["fixes accepted"] += 1
                    notes[i] = notes[i].model_copy(update={"fix": p.replacement})
                else:
                    self.rejected[reason] += 1
        for i, note in notes.items():
            if note.explanation or note.fix is not None:
                out[i] = out[i].model_copy(update={"llm": note})
        return out

    def notes(self) -> list[str]:
        """One note: what was sent, what came back, and what was skipped and why."""
        c, budget = self.counts, self.client.budget
        parts = [f"llm ({self.settings.model}): {budget.calls} call(s), {budget.tokens} token(s)"]
        if self.cache.hits:
            parts.append(f"{self.cache.hits} answer(s) from the cache")
        if c["to explain"]:
            parts.append(f"{c['explained']} of {c['to explain']} reported finding(s) explained")
        if self.settings.fix and self.verifier is not None:
            rejected = sum(self.rejected.values())
            why = f" ({_listed(self.rejected)})" if rejected else ""
            parts.append(f"fixes: {c['fixes accepted']} accepted, {rejected} rejected{why}")
        if self.settings.review:
            dropped = sum(self.dropped.values())
            parts.append(
                f"{c['hunks reviewed']} of {c['hunks']} hunk piece(s) reviewed, {c['llm findings']} finding(s)"
                + (f", {dropped} dropped ({_listed(self.dropped)})" if dropped else "")
            )
        if self.client.skips:
            parts.append(f"skipped: {_listed(self.client.skips)}; the review is complete without that text")
        return ["; ".join(parts)]


def verifier_of(scanners: Sequence[Scanner]) -> Callable[[], FixVerifier]:
    """The review's fix verifier (reviewbot/llm/verify.py): the review's own scanners, rerun on
    the fixed file; built when the first fix is proposed, so a run without fixes pays nothing."""

    def build() -> FixVerifier:
        from reviewbot.llm.verify import FixVerifier

        return FixVerifier(scanners)

    return build


def _score(f: Finding) -> float:
    return f.score if f.score is not None else -1.0


def _listed(counts: Counter[str]) -> str:
    return ", ".join(f"{n} {why}" for why, n in sorted(counts.items()))
