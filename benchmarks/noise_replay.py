#!/usr/bin/env python3
"""Noise on ordinary code: replay ordinary merged commits of mature projects as pull requests.

    .venv/bin/python benchmarks/noise_replay.py --corpus benchmarks/corpus/noise_commits.jsonl \\
        --mirrors /work/.mirror
    .venv/bin/python benchmarks/noise_replay.py --mirrors /work/.mirror \\
        --build benchmarks/corpus/noise_commits.jsonl --repos pallets/click encode/httpx ...
    .venv/bin/python benchmarks/noise_replay.py --language javascript --mirrors /work/.mirror \\
        --build benchmarks/corpus/noise_js.jsonl --repos expressjs/express koajs/koa fastify/fastify --per-repo 25

`--mirrors DIR` holds one bare git directory per project at `DIR/owner+name/repo` (what the
`fetch` tool makes). Nothing here fetches anything.

Replay (`--corpus`): for each (repo, commit, parent) of the corpus, a temporary clone at the
commit (`git clone --shared`, objects borrowed from the mirror) and `reviewbot scan --base
<parent> --format json`, the view a pull request of that commit would get, with the default
model and this checkout's rules. Prints, per project and overall: reported findings per commit,
commits with any reported finding, hidden findings by disposition, seconds per commit (wall time
of the reviewbot process), and every reported finding (rule, path:line) for a rule author to
judge. `--no-model-baseline` reviews each commit a second time with `--no-model` in the same
run (the rules alone), so the model's share of the noise is measured beside it. All reviews of
one variant share one fresh reviewbot cache folder (like one CI runner; each variant its own, so
neither reuses the other's per-file results), and the first review pays for merging the rules.

Build (`--build FILE --repos ...`): writes the corpus by this rule, deterministic for a given
mirror snapshot (no commit is picked by hand). From the first-parent history of the mirror's
HEAD (its default branch), newest first, a commit qualifies when
  * its committer date is on or after SINCE (2019-01-01: today's Python, spread over years);
  * its diff against its first parent adds or modifies at least one non-test source file of
    `--language` (python, the default: a `.py` file not under a `test`/`tests`/`testing`
    folder, not `test_*.py`, `*_test.py` or `conftest.py`; javascript: a `.js .mjs .cjs .jsx .ts
    .mts .cts .tsx` file that replay_common.JAVASCRIPT does not take for a test);
  * its title has none of the SECURITY_WORDS (matched as substrings, case-insensitive; the
    title is the subject, plus the PR title on the first body line of a GitHub merge commit);
  * it is not a merge of a release branch (a title starting with "merge" that names `stable`,
    `release`, `maint…` or a version branch such as `8.1.x`).
Of the N qualifying commits, every k-th is taken from the newest, k = max(1, N // per_repo),
up to per_repo commits. The corpus holds identifiers only: repo, commit, parent, committer
date and the subject's length; no text of the projects.

The replay's `--language` only decides which reported findings count as "in test files".

Figures, not pass/fail: the issue's budget is <= 0.1 reported findings per ordinary commit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mirrors import mirror_of
from replay_common import JAVASCRIPT, PYTHON, Language

REPO_ROOT = Path(__file__).resolve().parent.parent
SINCE = datetime(2019, 1, 1, tzinfo=UTC)
PER_REPO = 40
SECURITY_WORDS = (
    "security", "vuln", "cve", "ghsa", "xss", "inject", "sanitiz", "sanitis", "escape", "auth",
    "csrf", "ssrf", "traversal", "exploit", "secret", "password", "token", "crypto", "tls", "ssl",
)  # fmt: skip
_SECURITY = re.compile("|".join(SECURITY_WORDS), re.IGNORECASE)
_RELEASE_MERGE = re.compile(r"^merge\b.*(stable|release|maint|\b\d+(\.\d+)*\.x\b)", re.IGNORECASE)
# The Python rule predates replay_common.PYTHON and is kept so a rebuild gives the same corpus:
# case-sensitive, three test folders, no `test.py`/`tests.py` names.
LANGUAGES = {
    "python": replace(
        PYTHON,
        test_dirs=frozenset({"test", "tests", "testing"}),
        test_names=frozenset({"conftest.py"}),
        fold_case=False,
    ),
    "javascript": JAVASCRIPT,
}
ENV = {
    **os.environ,
    "PYTHONPATH": str(REPO_ROOT),
    "SEMGREP_ENABLE_VERSION_CHECK": "0",
    "SEMGREP_SEND_METRICS": "off",
    "GIT_TERMINAL_PROMPT": "0",
}
# Measure what users run: an installed reviewbot has its bytecode compiled (see local_loop.py).
ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, errors="replace").stdout


def mirror_dir(mirrors: Path, repo: str) -> Path:
    found = mirror_of(mirrors, repo)
    if found is None:
        raise SystemExit(f"{repo}: no fetched copy under {mirrors} (fetch github:{repo} first)")
    return found


# ---------------------------------------------------------------- building the corpus


def title(subject: str, body: str, merge: bool) -> str:
    """The subject, and for a GitHub merge commit the PR title on its first body line."""
    if merge and subject.startswith("Merge pull request"):
        first = next((line for line in body.splitlines() if line.strip()), "")
        return f"{subject} {first}"
    return subject


def qualifying(git_dir: Path, lang: Language) -> list[dict[str, Any]]:
    """Qualifying first-parent commits of HEAD, newest first (the rule in the docstring)."""
    log = git(git_dir, "log", "--first-parent", "--format=%x00%H%x01%P%x01%ct%x01%s%x01%b", "HEAD")
    changed: dict[str, list[str]] = {}
    names = git(
        git_dir,
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--diff-filter=AMR",
        "--name-only",
        "--format=%x00%H",
        "HEAD",
    )
    for block in names.split("\0")[1:]:
        sha, *paths = block.strip().splitlines()
        changed[sha] = [p for p in paths if p]
    chosen = []
    for record in log.split("\0")[1:]:
        sha, parents, stamp, subject, body = record.split("\x01", 4)
        parent_list = parents.split()
        when = datetime.fromtimestamp(int(stamp), tz=UTC)
        text = title(subject, body, len(parent_list) > 1)
        if not parent_list or when < SINCE or _SECURITY.search(text) or _RELEASE_MERGE.search(text):
            continue
        if any(lang.is_source(p) for p in changed.get(sha, [])):
            chosen.append(
                {
                    "commit": sha,
                    "parent": parent_list[0],
                    "committed": when.strftime("%Y-%m-%d"),
                    "subject_chars": len(subject),
                }
            )
    return chosen


def build(mirrors: Path, repos: list[str], per_repo: int, out: Path, lang: Language) -> None:
    rows = []
    for repo in repos:
        found = qualifying(mirror_dir(mirrors, repo), lang)
        step = max(1, len(found) // per_repo)
        picked = found[::step][:per_repo]
        print(f"{repo}: {len(found)} qualifying commits since {SINCE:%Y-%m-%d}, k = {step}, taken {len(picked)}")
        rows += [{"repo": repo, **row} for row in picked]
    out.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    print(f"wrote {len(rows)} commits to {out}")


# ---------------------------------------------------------------- replaying it


@dataclass
class Review:
    """One review of one commit."""

    repo: str
    commit: str
    seconds: float
    findings: list[dict[str, Any]]
    error: str = ""

    @property
    def reported(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["disposition"] == "reported"]


def review_commit(
    checkout: Path, parent: str, cache: Path, extra: list[str]
) -> tuple[float, list[dict[str, Any]], str]:
    """One PR-view review of HEAD against `parent`: (wall seconds, all findings, error text)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reviewbot", "scan", "--base", parent, "--format", "json", *extra],
        cwd=checkout,
        capture_output=True,
        text=True,
        env={**ENV, "XDG_CACHE_HOME": str(cache)},
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return seconds, [], f"exit {done.returncode}: {done.stderr.strip()[-300:]}"
    return seconds, json.loads(done.stdout)["findings"], ""


def replay_one(
    mirrors: Path, row: dict[str, str], scratch: Path, cache: Path, variants: dict[str, list[str]]
) -> dict[str, Review]:
    """Each variant's review of one corpus commit, in one temporary clone at the commit."""
    checkout = scratch / row["commit"][:12]
    git(scratch, "clone", "-q", "--shared", "--no-checkout", str(mirror_dir(mirrors, row["repo"])), str(checkout))
    git(checkout, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", row["commit"])
    try:
        done = {
            name: review_commit(checkout, row["parent"], cache / str(number), extra)
            for number, (name, extra) in enumerate(variants.items())
        }
    finally:
        subprocess.run(["rm", "-rf", str(checkout)], check=True)
    return {name: Review(row["repo"], row["commit"], *result) for name, result in done.items()}


def summarize(label: str, reviews: list[Review], lang: Language) -> None:
    ok = [r for r in reviews if not r.error]
    reported = [f for r in ok for f in r.reported]
    in_tests = sum(1 for f in reported if not lang.is_source(f["path"]) and f["path"].endswith(lang.suffixes))
    hidden = Counter(f["disposition"] for r in ok for f in r.findings if f["disposition"] != "reported")
    seconds = [r.seconds for r in ok]
    hidden_text = ", ".join(f"{k} {v}" for k, v in sorted(hidden.items())) or "none"
    print(
        f"  {label}: {len(ok)} commits ({len(reviews) - len(ok)} failed); "
        f"reported {len(reported)} = {len(reported) / max(1, len(ok)):.3f} per commit "
        f"({in_tests} in test files); commits with a reported finding {sum(1 for r in ok if r.reported)}; "
        f"hidden {sum(hidden.values())} ({hidden_text}); "
        f"seconds per commit median {statistics.median(seconds) if seconds else 0:.2f}, "
        f"mean {statistics.mean(seconds) if seconds else 0:.2f}"
    )
    by_rule = Counter(f["rule_id"] for f in reported)
    if by_rule:
        print("    reported by rule: " + ", ".join(f"{rule} {n}" for rule, n in by_rule.most_common()))


def report(name: str, reviews: dict[str, list[Review]], lang: Language) -> None:
    print(f"\n{name}:")
    for repo, items in reviews.items():
        summarize(repo, items, lang)
    summarize("overall", [r for items in reviews.values() for r in items], lang)


def replay(corpus: Path, mirrors: Path, no_model: bool, extra: list[str], save: Path | None, lang: Language) -> None:
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    rules_at = git(REPO_ROOT, "rev-parse", "--short=12", "HEAD").strip()
    if git(REPO_ROOT, "status", "--porcelain", "--untracked-files=no").strip():
        rules_at += " with uncommitted changes"
    variants = {
        ("reviewbot (default model)" if not extra else f"reviewbot {' '.join(extra)}"): extra,
        **({"reviewbot --no-model (rules alone)": ["--no-model"]} if no_model else {}),
    }
    print(f"noise replay: {len(rows)} commits, reviewbot at {rules_at}, reviewbot scan --base <parent> --format json")
    reviews: dict[str, dict[str, list[Review]]] = {name: defaultdict(list) for name in variants}
    with tempfile.TemporaryDirectory(prefix="noise-replay-") as tmp:
        scratch, cache = Path(tmp) / "clones", Path(tmp) / "cache"
        scratch.mkdir()
        for number, row in enumerate(rows, 1):
            done = replay_one(mirrors, row, scratch, cache, variants)
            for name, review in done.items():
                reviews[name][row["repo"]].append(review)
            status = "; ".join(
                review.error or f"{review.seconds:.2f}s {len(review.reported)} reported of {len(review.findings)}"
                for review in done.values()
            )
            print(f"  [{number}/{len(rows)}] {row['repo']} {row['commit'][:10]} {status}", flush=True)
    for name, by_repo in reviews.items():
        report(name, by_repo, lang)
    first = reviews[next(iter(variants))]
    if save is not None:
        saved = [
            {"repo": r.repo, "commit": r.commit, "findings": r.findings}
            for items in first.values()
            for r in items
            if not r.error
        ]
        save.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in saved), encoding="utf-8")
        print(f"saved {len(saved)} commits' findings to {save}")
    print("\nreported findings with the default model (repo commit rule path:line (score)):")
    for items in first.values():
        for review in items:
            for f in review.reported:
                score = "unscored" if f["score"] is None else f"{f['score']:.3f}"
                print(f"  {review.repo} {review.commit[:10]} {f['rule_id']} {f['path']}:{f['start_line']} ({score})")
    for by_repo in reviews.values():
        for items in by_repo.values():
            for review in items:
                if review.error:
                    print(f"  failed: {review.repo} {review.commit[:10]} {review.error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirrors", type=Path, required=True, help="folder of owner+name/repo bare git dirs")
    parser.add_argument("--corpus", type=Path, help="replay this corpus (JSON lines)")
    parser.add_argument("--build", type=Path, help="write a corpus here instead, by the rule above")
    parser.add_argument("--repos", nargs="+", default=[], help="with --build: owner/name of each project")
    parser.add_argument(
        "--language", choices=sorted(LANGUAGES), default="python", help="which files are source (default python)"
    )
    parser.add_argument(
        "--no-model-baseline", action="store_true", help="also review each commit with --no-model (rules alone)"
    )
    parser.add_argument("--per-repo", type=int, default=PER_REPO, help=f"with --build (default {PER_REPO})")
    parser.add_argument(
        "--scan-arg", action="append", default=[], help="an extra argument for reviewbot scan (e.g. --model=DIR)"
    )
    parser.add_argument(
        "--save", type=Path, metavar="FILE", help="write each commit's findings here (JSON lines; for training)"
    )
    args = parser.parse_args(argv)
    if args.build is not None:
        build(args.mirrors, args.repos, args.per_repo, args.build, LANGUAGES[args.language])
    elif args.corpus is not None:
        replay(args.corpus, args.mirrors, args.no_model_baseline, args.scan_arg, args.save, LANGUAGES[args.language])
    else:
        parser.error("give --corpus FILE or --build FILE --repos ...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
