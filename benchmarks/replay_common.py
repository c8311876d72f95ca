"""What the CVE replays of every language share: put a fix's bug back as a PR and score the review.

A corpus entry is one fix commit of one repository with the CWE ids of its advisories. Replaying
it: a temporary clone of the mirror at the fix, a head commit on top that restores the fix's
non-test source files of the entry's language from the fix's first parent (the bug put back),
and `reviewbot scan --base <fix> --format json` there (the PR view) with this checkout's code.
An entry is a HIT when a finding with a CWE the entry also has lies within SLACK lines of a
vulnerable line: the head (parent) lines the fix removed or changed, or, for a hunk that only
adds lines, the head line just before the insertion. "Reported" counts findings with disposition
`reported`; "rules alone" counts every finding the change introduces that nothing suppressed.

`Language` says which files count: the suffixes of its source files and which paths are tests.
`cve_replay.py` (Python, PyPA advisories) and `cve_replay_js.py` (npm, GitHub advisories) own
their corpora and call `replay` here. Not run in CI, not used by tests.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mirrors import mirror_of

REPO_ROOT = Path(__file__).resolve().parent.parent
SLACK = 3
RULES_ALONE = {"reported", "below_threshold", "duplicate"}
COMMIT_URL = re.compile(r"https://github\.com/([\w.-]+)/([\w.-]+)/commit/([0-9a-f]{7,40})")
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", re.M)
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "replay",
    "GIT_AUTHOR_EMAIL": "replay@example.com",
    "GIT_COMMITTER_NAME": "replay",
    "GIT_COMMITTER_EMAIL": "replay@example.com",
    "SEMGREP_ENABLE_VERSION_CHECK": "0",
    "SEMGREP_SEND_METRICS": "off",
}


@dataclass(frozen=True)
class Language:
    """Which changed files a replay puts back and scores: source files that are not tests.

    A path is a test when a folder on it is in `test_dirs`, or its file name is in `test_names`,
    starts with one of `test_prefixes` or, without its suffix, ends with one of `test_stem_ends`
    (all compared lower-cased unless `fold_case` is off)."""

    name: str
    suffixes: tuple[str, ...]
    test_dirs: frozenset[str]
    test_names: frozenset[str] = frozenset()
    test_prefixes: tuple[str, ...] = ()
    test_stem_ends: tuple[str, ...] = ()
    fold_case: bool = True

    def is_test(self, path: str) -> bool:
        parts = (path.lower() if self.fold_case else path).split("/")
        name = parts[-1]
        stem = name.rsplit(".", 1)[0]
        return (
            any(p in self.test_dirs for p in parts[:-1])
            or name in self.test_names
            or name.startswith(self.test_prefixes)
            or stem.endswith(self.test_stem_ends)
        )

    def is_source(self, path: str) -> bool:
        """A non-test file of this language."""
        return path.endswith(self.suffixes) and not self.is_test(path)


PYTHON = Language(
    name="python",
    suffixes=(".py",),
    test_dirs=frozenset({"test", "tests", "testing", "unittests", "test_utils"}),
    test_names=frozenset({"conftest.py", "tests.py", "test.py"}),
    test_prefixes=("test_",),
    test_stem_ends=("_test",),
)
# JavaScript and TypeScript: Jest/Mocha/Vitest layouts (`__tests__/`, `spec/`, `x.test.ts`,
# `x.spec.js`) as well as the `test/` folder most npm packages use; fixtures and mocks are test data.
JAVASCRIPT = Language(
    name="javascript",
    suffixes=(".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"),
    test_dirs=frozenset(
        {
            "test",
            "tests",
            "testing",
            "test-utils",
            "test_utils",
            "__tests__",
            "__mocks__",
            "__fixtures__",
            "spec",
            "specs",
            "fixtures",
            "e2e",
        }
    ),
    test_names=frozenset({f"{stem}{suffix}" for stem in ("test", "tests", "spec") for suffix in (".js", ".ts")}),
    test_stem_ends=(".test", ".spec", "_test", "_spec", "-test", "-spec"),
)
LANGUAGES = {lang.name: lang for lang in (PYTHON, JAVASCRIPT)}


def git(gitdir: Path, *args: str, check: bool = True) -> str:
    out = subprocess.run(["git", "--git-dir", str(gitdir), *args], capture_output=True, text=True, env=ENV)
    if check and out.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout


def canonical_repo(gitdir: Path) -> str:
    """owner/name as the mirror folder spells it (`owner+name/repo[/.git]`)."""
    top = gitdir.parent.parent if gitdir.name == ".git" else gitdir.parent
    return top.name.replace("+", "/", 1)


def vulnerable_lines(gitdir: Path, parent: str, fix: str, lang: Language) -> dict[str, list[int]]:
    """Per non-test source file the fix changed: the parent's lines it removed or changed."""
    # --diff-filter=a: a file the fix adds has no line in the head (its parent's tree)
    listed = git(gitdir, "diff", "--no-renames", "--diff-filter=a", "--name-only", parent, fix)
    names = listed.split("\n")
    out: dict[str, list[int]] = {}
    for path in sorted(n for n in names if lang.is_source(n)):
        patch = git(gitdir, "diff", "--no-renames", "-U0", parent, fix, "--", path)
        lines: set[int] = set()
        for m in HUNK.finditer(patch):
            start, count = int(m.group(1)), int(m.group(2) or "1")
            lines.update(range(start, start + count) if count else [max(start, 1)])
        if lines:
            out[path] = sorted(lines)
    return out


def review_pair(checkout: Path, base: str, extra: list[str]) -> list[dict[str, Any]]:
    """The PR review of HEAD against `base` in `checkout`: the findings of `scan --format json`
    (`extra`: more `scan` arguments, e.g. `--model DIR`).

    The one place a replay runs reviewbot; `reviewbot replay --pairs` can take its place."""
    env = {**ENV, "PYTHONPATH": str(REPO_ROOT)}
    cmd = [sys.executable, "-m", "reviewbot", "scan", "--base", base, "--format", "json", *extra]
    out = subprocess.run(cmd, cwd=checkout, capture_output=True, text=True, env=env)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"scan exit {out.returncode}: {out.stderr.strip()[-500:]}")
    findings: list[dict[str, Any]] = json.loads(out.stdout)["findings"]
    return findings


def make_head(gitdir: Path, entry: dict[str, Any], tmp: Path, lang: Language) -> Path:
    """A clone of the mirror at the fix, with HEAD = the fix plus the parent's versions."""
    checkout = tmp / "repo"
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(gitdir), str(checkout)], check=True, env=ENV)

    def run(*args: str) -> None:
        subprocess.run(["git", *args], cwd=checkout, check=True, env=ENV, capture_output=True)

    run("checkout", "-q", "--detach", entry["fix"])
    changed = git(gitdir, "diff", "--no-renames", "--name-status", entry["parent"], entry["fix"])
    for row in changed.splitlines():
        status, path = row.split("\t", 1)
        if not lang.is_source(path):
            continue
        if status.startswith("A"):
            run("rm", "-q", "--", path)
        else:
            run("checkout", entry["parent"], "--", path)
    kinds = "/".join(lang.suffixes)
    run("commit", "-q", "--no-verify", "-m", f"replay: the fix's non-test {kinds} files reverted")
    return checkout


def hit(findings: list[dict[str, Any]], entry: dict[str, Any], keep: set[str]) -> bool:
    want = set(entry["cwe"])
    for f in findings:
        if f["disposition"] not in keep or not want & set(f.get("cwe", [])):
            continue
        lines = entry["files"].get(f["path"], [])
        lo, hi = f["start_line"] - SLACK, f["end_line"] + SLACK
        if any(lo <= n <= hi for n in lines):
            return True
    return False


# A baseline tool's new findings on one replayed entry (checkout at the head, the entry).
Baseline = Callable[[Path, dict[str, Any]], list[dict[str, Any]]]


def replay(
    corpus: Path,
    mirrors: Path,
    only: set[str],
    limit: int | None,
    lang: Language,
    extra: list[str],
    save: Path | None,
    baseline: tuple[str, Baseline] | None = None,
) -> None:
    """Replay the corpus' entries and print per entry, per CWE class and overall.

    `baseline`: (name, function) of another tool scored the same way in the same run."""
    lines = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    entries = [e for e in lines if "fix" in e]  # the first line is the corpus header
    if only:
        entries = [e for e in entries if only & set(e["advisories"])]
    entries = entries[:limit] if limit else entries
    rows = []
    saved: list[dict[str, Any]] = []
    print(f"{'entry':<20} {'repo':<36} {'cwe':<16} rep rules n_rep n_rules  secs")
    for e in entries:
        gitdir = mirror_of(mirrors, e["repo"])
        name = next((a for a in e["advisories"] if a.startswith("GHSA")), e["advisories"][0])
        if gitdir is None:
            print(f"{name:<20} {e['repo']:<36} not fetched: skipped")
            continue
        with tempfile.TemporaryDirectory(prefix="cve-replay-") as tmp:
            start = time.perf_counter()
            try:
                checkout = make_head(gitdir, e, Path(tmp), lang)
                findings = review_pair(checkout, e["fix"], extra)
                secs = time.perf_counter() - start
                other = baseline[1](checkout, e) if baseline else []
            except (RuntimeError, subprocess.CalledProcessError, ValueError) as exc:
                print(f"{name:<20} {e['repo']:<36} error: {str(exc)[:200]}")
                continue
        rep, alone = hit(findings, e, {"reported"}), hit(findings, e, RULES_ALONE)
        band = hit(other, e, {"reported"})
        n_rep = sum(f["disposition"] == "reported" for f in findings)
        n_rules = sum(f["disposition"] in RULES_ALONE for f in findings)
        rows.append((e, (int(rep), int(alone), int(band)), secs, (n_rep, n_rules)))
        saved.append({"entry": name, "repo": e["repo"], "fix": e["fix"], "findings": findings})
        print(
            f"{name:<20} {e['repo'][:36]:<36} {','.join(e['cwe'])[:16]:<16} "
            f"{'HIT' if rep else '-':<3} {'HIT' if alone else '-':<5} {n_rep:>5} {n_rules:>7} "
            f"{secs:5.1f}" + (f"  {baseline[0]} {'HIT' if band else '-'}" if baseline else ""),
            flush=True,
        )
    summarize(rows, baseline[0] if baseline else None)
    if save is not None:
        save.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in saved), encoding="utf-8")
        print(f"saved {len(saved)} replays' findings to {save}")


# entry, hits per variant, seconds, findings per variant (any CWE, anywhere in the change)
Row = tuple[dict[str, Any], tuple[int, int, int], float, tuple[int, int]]


def summarize(rows: list[Row], baseline: str | None) -> None:
    """Hits and recall per CWE class and overall, for each variant (and the baseline's)."""
    names = ["reported", "rules"] + ([baseline] if baseline else [])
    by_cwe: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        for c in row[0]["cwe"]:
            by_cwe[c].append(row)
    print(f"\n{'CWE':<10} {'entries':>7}" + "".join(f" {n:>8} {'recall':>6}" for n in names))
    for c, group in sorted(by_cwe.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        cells = [sum(r[1][k] for r in group) for k in range(len(names))]
        print(f"{c:<10} {len(group):>7}" + "".join(f" {h:>8} {h / len(group):>6.2f}" for h in cells))
    n = len(rows) or 1
    totals = [sum(r[1][k] for r in rows) for k in range(len(names))]
    print(
        f"\noverall: {len(rows)} replays, {len(by_cwe)} CWE classes; "
        + "; ".join(f"{name} {t}/{len(rows)} = {t / n:.3f}" for name, t in zip(names, totals, strict=True))
    )
    print(
        f"replays with any finding at all: reported {sum(r[3][0] > 0 for r in rows)}, "
        f"rules alone {sum(r[3][1] > 0 for r in rows)}"
    )
    secs = sorted(r[2] for r in rows) or [0.0]
    print(
        f"seconds per replay (clone + head commit + scan): median {secs[len(secs) // 2]:.1f}, "
        f"mean {sum(secs) / n:.1f}, max {secs[-1]:.1f}"
    )


def add_replay_arguments(ap: argparse.ArgumentParser) -> None:
    """The options every corpus replay takes (`replay`'s arguments), in each script's --help."""
    ap.add_argument("--only", nargs="*", default=[], help="advisory ids to replay")
    ap.add_argument("--limit", type=int)
    ap.add_argument(
        "--scan-arg", action="append", default=[], help="an extra argument for reviewbot scan (e.g. --model=DIR)"
    )
    ap.add_argument(
        "--save", type=Path, metavar="FILE", help="write each replay's findings here (JSON lines; for training)"
    )


def write_corpus(corpus: Path, header: dict[str, str], rows: list[dict[str, Any]]) -> None:
    """The corpus file: the header object, then one entry a line (sorted keys)."""
    text = "".join(json.dumps(r, sort_keys=True) + "\n" for r in [header, *rows])
    corpus.write_text(text)
