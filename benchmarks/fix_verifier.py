#!/usr/bin/env python3
"""How many fixes does the fix verifier accept, and which? The shipped rules' own fixes on the
rules' own corpus, and a fake proposer's good and bad fixes for the same findings.

    PYTHONPATH=. .venv/bin/python benchmarks/fix_verifier.py [PATH ...] [--rules DIR]

PATHs: files or folders of Python code to review (default: the rules' test corpus,
rulesets/semgrep/python and rulesets/treesitter/python, `.fixed.py` files left out). Every file is
reviewed with the shipped rules (or --rules) by semgrep and the tree-sitter scanner, all lines
new; each finding whose rule fix could be a suggestion then gets proposals from a fake proposer
(the worst LLM and the best one at once):

  good  the rule's own fix (what reviewbot posted before the verifier, unchecked: the baseline)
  bad   the same lines unchanged (no-op); the fix one line off (wrong range); the fix with a
        bracket left open (parse error); with a ``` in a comment (code fence); with a bidi
        override in a comment (hidden character); the original code with a `# nosemgrep` (suppression);
        the original code with a comment (the finding
        remains); the fix plus a line calling another sink (new finding); the fix plus code at
        module level (escapes the function); the fix plus a dozen lines (too large)

and all proposals are verified in one batch (`verify_fixes`: one rerun of each scanner). Prints
the verdicts by kind and reason, every good fix refused and every bad fix accepted (should be
none), and the time the review and the verification took, measured in the same run. A figure,
not a test: tests/test_fix_verifier*.py hold the verifier to its cases.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from reviewbot.change.changes import from_all  # noqa: E402
from reviewbot.finding import Finding  # noqa: E402
from reviewbot.llm.verify import FixProposal, FixVerifier, verify_fixes  # noqa: E402
from reviewbot.llm.verify_rules import fix_offerable  # noqa: E402
from reviewbot.review.run import ReviewOptions, run_review  # noqa: E402
from reviewbot.scanners.interface import Scanner  # noqa: E402
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules  # noqa: E402
from reviewbot.scanners.semgrep import SemgrepScanner  # noqa: E402
from reviewbot.scanners.treesitter import TreeSitterScanner  # noqa: E402

CORPUS = [REPO_ROOT / "rulesets" / "semgrep" / "python", REPO_ROOT / "rulesets" / "treesitter" / "python"]


def corpus_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        found = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        files += [f for f in found if not f.name.endswith(".fixed.py")]
    return files


def proposals(f: Finding, text: str) -> list[tuple[str, bool, FixProposal]]:
    """(kind, good?, proposal) for one finding with a rule fix."""
    assert f.fix is not None
    lines = text.split("\n")
    old = "\n".join(lines[f.start_line - 1 : f.end_line])
    indent = old[: len(old) - len(old.lstrip())]
    other_sink = "pickle.loads(b'x')" if "hash" in f.rule_id else "hashlib.md5(b'x')"

    def at(replacement: str, shift: int = 0) -> FixProposal:
        return FixProposal(f.path, f.start_line + shift, f.end_line + shift, replacement)

    return [
        ("rule fix", True, at(f.fix)),
        ("no-op", False, at(old)),
        ("wrong range", False, at(f.fix, 1)),
        ("parse error", False, at(f.fix + " (")),
        ("code fence", False, at(f.fix + "  # ```")),
        ("hidden character", False, at(f.fix + "  # \u202eok")),
        ("suppression", False, at(old + "  # nosemgrep")),
        ("cosmetic only", False, at(old + "  # fixed")),
        ("another sink", False, at(f"{f.fix}\n{indent}{other_sink}")),
        ("module code", False, at(f"{f.fix}\n\n\nEXFIL = __import__('os').environ")),
        ("too large", False, at(f.fix + f"\n{indent}pass" * 12)),
    ]


def measure(paths: list[Path], rules: Path | None = None) -> list[str]:
    """The figures as printed lines: review `paths` (files or folders of Python), propose good and
    bad fixes for every finding with a rule fix, verify them all. benchmarks/llm_cost.py calls
    this for the verifier's part of its report."""
    files = corpus_files(paths or CORPUS)
    if not files:
        raise ValueError("no Python files under the given paths")
    with tempfile.TemporaryDirectory(prefix="fix-verifier-bench-") as tmp:
        root = Path(tmp)
        for i, src in enumerate(files):  # one folder per file: two corpora may share a name
            dest = root / f"f{i}" / src.name
            dest.parent.mkdir()
            shutil.copyfile(src, dest)
        scanners: list[Scanner] = [SemgrepScanner(load_rules(rules or builtin_rules_dir())), TreeSitterScanner()]
        change = from_all(root, [])
        started = time.monotonic()
        result = run_review(change, scanners, ReviewOptions(new_only=False))
        review_s = time.monotonic() - started

        fixable = [f for f in result.findings if fix_offerable(f)]
        items, kinds = [], []
        for f in fixable:
            text = change.head[f.path].decode("utf-8", "replace")
            for kind, good, proposal in proposals(f, text):
                items.append((f, text, proposal))
                kinds.append((kind, good, f))
        # What the PR path pays: the rule fixes alone, checked by a fresh verifier (nothing cached).
        started = time.monotonic()
        verify_fixes([item for item, (_, good, _) in zip(items, kinds, strict=True) if good], FixVerifier(scanners))
        rule_fixes_s = time.monotonic() - started
        verifier = FixVerifier(scanners)
        started = time.monotonic()
        verdicts = verify_fixes(items, verifier)
        verify_s = time.monotonic() - started

    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    surprises = []
    for (kind, good, f), verdict in zip(kinds, verdicts, strict=True):
        by_kind[kind][verdict.reason] += 1
        if verdict.accepted != good:
            where = f"{f.path.split('/', 1)[1]}:{f.start_line} {f.rule_id}"
            surprises.append(f"  {'refused' if good else 'ACCEPTED'} {kind}: {where} -> {verdict.reason}")
    bad = [v for (_, g, _), v in zip(kinds, verdicts, strict=True) if not g]
    out = [
        f"corpus: {len(files)} files, {len(result.findings)} findings, {len(fixable)} with a rule fix "
        f"that could be a suggestion ({len({f.rule_id for f in fixable})} rules)",
        f"baseline (before the verifier): {len(fixable)} of {len(fixable)} rule fixes posted unchecked",
        f"verifier: {by_kind['rule fix']['ok']} of {sum(by_kind['rule fix'].values())} rule fixes accepted",
        f"fake proposer's bad fixes: {sum(v.accepted for v in bad)} of {len(bad)} accepted",
    ]
    for kind, reasons in by_kind.items():
        out.append(f"  {kind:<17} " + ", ".join(f"{r} {n}" for r, n in sorted(reasons.items())))
    if surprises:
        out += ["not as expected:", *surprises]
    out.append(
        f"time: review {review_s:.2f} s; verifying the {len(fixable)} rule fixes alone (the PR path's cost) "
        f"{rule_fixes_s:.2f} s; all {len(items)} proposals {verify_s:.2f} s "
        f"(one run per scanner, {verifier.files_scanned} files)"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders to review (default: the rules' corpus)")
    parser.add_argument("--rules", type=Path, default=None, help="semgrep rules folder (default: the shipped rules)")
    args = parser.parse_args(argv)
    try:
        lines = measure(args.paths, args.rules)
    except ValueError as exc:
        parser.error(str(exc))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
