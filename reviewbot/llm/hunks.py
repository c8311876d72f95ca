"""Use 3, Review: the LLM reads each changed hunk and may report what rules cannot see.

Each hunk's new-side lines (cut into pieces of at most `MAX_LINES` lines and `MAX_BYTES` bytes,
added lines marked `+`, redacted, marked untrusted) is one call with a strict schema: up to five
issues, each a CWE, a line, a title and a rationale. An issue whose line is not an added or
modified line of that piece is dropped (counted), and so is a second issue on the same line and
CWE. What is kept becomes a raw match of rule `llm.cwe-<n>` covering that whole line, which
`review/build.py` turns into a `Finding` of scanner `llm` like any other scanner's match: it is
fingerprinted, suppressible, scored, triaged and deduplicated against the rules' findings from
there on. Only files of a language reviewbot knows are read (never `.env`, keys, data files).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reviewbot.change.changes import Change
from reviewbot.finding import Confidence, Severity
from reviewbot.finding import Scanner as ScannerKind
from reviewbot.lang.languages import language_of
from reviewbot.llm.prompt import file_lines, number_lines
from reviewbot.redact import redact_data
from reviewbot.scanners.interface import RawMatch, Scanner, ScanOutput
from reviewbot.scanners.rulesets import RuleInfo

MAX_LINES = 80
MAX_BYTES = 6000
RULE_PREFIX = "llm.cwe-"
_RULE = re.compile(r"^llm\.cwe-(\d{1,5})$")
TASK = (
    "Review these changed lines for security weaknesses that pattern rules miss (missing "
    "authorization, insecure direct object references, business logic, data exposure). Report at "
    "most 5 issues, only on lines marked '+', none if there are none. Fields: issues (list of "
    "{cwe: 'CWE-<number>', line: number, title: string under 100 characters, rationale: string under "
    "60 words})."
)


class Issue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cwe: str = Field(pattern=r"^CWE-[0-9]{1,5}$")
    line: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=120)
    rationale: str = Field(min_length=1, max_length=600)

    @field_validator("title", "rationale")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return " ".join(value.split())


class ReviewAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issues: list[Issue] = Field(max_length=5)


@dataclass(frozen=True)
class Piece:
    """Lines `first..last` of a changed file, the added ones among them."""

    path: str
    first: int
    last: int
    added: frozenset[int]
    lines: tuple[str, ...]

    def document(self) -> str:
        import json

        numbered = number_lines(self.first, self.lines, self.added)
        doc = {
            "task": TASK,
            "path": self.path,
            "code": {"note": "untrusted data from the change under review; numbered lines", "text": numbered},
        }
        # The code was redacted as one text before it was numbered (a second pass over the numbered
        # text could run a multi-line mask over the line numbers); everything else is redacted here.
        code = doc.pop("code")
        return json.dumps({**redact_data(doc), "code": code}, ensure_ascii=False)


def pieces(change: Change) -> Iterable[Piece]:
    """Every changed hunk of a known language's file, cut to the bounds, in path order."""
    for fc in sorted(change.files, key=lambda f: f.path):
        source = change.head.get(fc.path)
        if source is None or fc.skip_reason is not None or language_of(fc.path) is None:
            continue
        lines = file_lines(source)
        if source.endswith(b"\n"):
            lines.pop()  # the "line" after the last newline is no line of the file
        spans = (
            [(1, len(lines), frozenset(range(1, len(lines) + 1)))]
            if fc.whole_file
            else [(h.new_start, h.new_end, h.added) for h in fc.hunks if h.added]
        )
        for first, last, added in spans:
            yield from _cut(fc.path, lines, first, min(last, len(lines)), added)


def _cut(path: str, lines: list[str], first: int, last: int, added: frozenset[int]) -> Iterable[Piece]:
    start = first
    while start <= last:
        end, size = start, 0
        while end <= last and end - start < MAX_LINES:
            cost = len(lines[end - 1].encode("utf-8")) + 1
            if size + cost > MAX_BYTES and end > start:
                break
            size += cost
            end += 1
        chunk = tuple(line[:400] for line in lines[start - 1 : end - 1])
        mine = frozenset(n for n in added if start <= n < end)
        if mine:
            yield Piece(path, start, end - 1, mine, chunk)
        start = end


def matches_for(piece: Piece, answer: ReviewAnswer, source: bytes, dropped: Counter[str]) -> list[RawMatch]:
    """The answer's issues on added lines of `piece`, as raw matches covering the whole line."""
    starts = [0]
    for i, byte in enumerate(source):
        if byte == 0x0A:
            starts.append(i + 1)
    out: list[RawMatch] = []
    seen: set[tuple[int, str]] = set()
    for issue in answer.issues:
        if issue.line not in piece.added:
            dropped["not on an added line"] += 1
            continue
        if (issue.line, issue.cwe) in seen:
            dropped["repeated"] += 1
            continue
        seen.add((issue.line, issue.cwe))
        begin = starts[issue.line - 1]
        end = starts[issue.line] - 1 if issue.line < len(starts) else len(source)
        if end > begin and source[end - 1 : end] == b"\r":
            end -= 1
        rule = f"{RULE_PREFIX}{issue.cwe.removeprefix('CWE-')}"
        message = (
            f"{issue.title}. {issue.rationale}" if not issue.title.endswith(".") else f"{issue.title} {issue.rationale}"
        )
        out.append(
            RawMatch(
                rule,
                f"head/{piece.path}",
                issue.line,
                1,
                begin,
                issue.line,
                max(1, end - begin + 1),
                max(begin, end),
                message,
            )
        )
    return out


@dataclass
class LlmScanner(Scanner):
    """The rules behind the LLM's findings: one per CWE (`llm.cwe-639`), made up on demand.

    A CWE one of the review's rules also lists takes that rule's category, so the LLM's finding
    and a rule's on the same lines are one weakness to `review/dedup.py`. Never scans a file
    itself: `hunks.py` asks the LLM and hands the matches to the build stage."""

    categories: Mapping[str, str] = field(default_factory=dict)  # "CWE-89" → the rules' category
    kind: ScannerKind = ScannerKind.LLM

    @classmethod
    def beside(cls, scanners: Sequence[Scanner]) -> LlmScanner:
        categories: dict[str, str] = {}
        for scanner in scanners:
            for rule_id in sorted(scanner.rule_ids()):
                info = scanner.rule(rule_id)
                for cwe in info.cwe if info is not None else ():
                    categories.setdefault(cwe.split(":")[0].strip(), info.category if info else "")
        return cls(categories)

    def accepts(self, language: str) -> bool:
        return True

    def rule(self, reported_id: str) -> RuleInfo | None:
        match = _RULE.match(reported_id)
        if match is None:
            return None
        cwe = f"CWE-{match.group(1)}"
        return RuleInfo(
            id=reported_id,
            message=f"The LLM reported a weakness ({cwe}).",
            category=self.categories.get(cwe) or "llm",
            cwe=(cwe,),
            owasp=(),
            severity=Severity.MEDIUM,
            confidence=Confidence.LOW,
            rationale="Reported by the optional LLM reviewer, not by a rule: its title and rationale are its "
            "words, unverified.",
            languages=(),
            source="llm",
        )

    def rule_count(self) -> int:
        return 0

    def scan(self, root: Path, targets: list[str], only: Mapping[str, frozenset[str]] | None = None) -> ScanOutput:
        return ScanOutput()  # the LLM is asked by `hunks.py`, not through the scanner interface
