#!/usr/bin/env python3
"""The JavaScript/TypeScript development benchmark: OWASP Juice Shop's marked vulnerable lines.

    .venv/bin/python benchmarks/juiceshop.py --prepare JUICE_SHOP_CHECKOUT   # (re)write the corpus
    .venv/bin/python benchmarks/juiceshop.py JUICE_SHOP_CHECKOUT [--corpus F] [--no-model]

Juice Shop (juice-shop/juice-shop, MIT) marks the code of its coding challenges in comments:
`vuln-code-snippet start <challenge...>` / `end` around a snippet and `vuln-code-snippet
vuln-line <challenge...>` on each vulnerable line; `data/static/codefixes/` holds each snippet's
candidate fixes, `_correct` in the name of the right one. `--prepare` reads those comments into
benchmarks/corpus/juiceshop.jsonl: identifiers, paths, line numbers and CWE ids only (the CWE and
reviewbot category of each challenge are our reading of it, in `CHALLENGES`), nothing of its code.

The run scans the checkout with `reviewbot scan --all` (JSON) and, in the same run, with plain
`semgrep scan` using the same JavaScript rules, and prints for each:

* recall: vulnerable lines with a finding within 3 lines (`WINDOW`), over all of them and over
  those in JavaScript/TypeScript files (the rest are YAML security questions and Solidity);
* precision: findings inside a snippet that are within 3 lines of a vulnerable line, over all
  findings inside snippets (a snippet is where the authors marked every vulnerable line; findings
  outside any snippet are not judged, and counted apart);
* F3 = 10·P·R / (9·P + R), recall weighted 3x;
* per category (of the challenge for recall, of the finding for precision).

reviewbot is counted twice: findings it shows (`reported`) and every finding it makes (also the
ones the model marks below threshold). The checkout is read only; the scan runs in a copy made
with `git clone --shared` when the checkout is a git directory without a work tree.
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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "benchmarks" / "corpus" / "juiceshop.jsonl"
JS_RULES = REPO_ROOT / "rulesets" / "semgrep" / "javascript"
BIN = Path(sys.executable).parent
WINDOW = 3
ENV = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")

# Our reading of each marked challenge: (reviewbot category, CWE ids). `other` is a weakness no
# reviewbot rule category covers (design, configuration, access control, prompt injection).
CHALLENGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "accessLogDisclosureChallenge": ("other", ("CWE-532", "CWE-548")),
    "adminSectionChallenge": ("other", ("CWE-284",)),
    "changeProductChallenge": ("other", ("CWE-862",)),
    "chatbotGreedyInjectionChallenge": ("other", ("CWE-1427",)),
    "chatbotPromptInjectionChallenge": ("other", ("CWE-1427",)),
    "dbSchemaChallenge": ("sqli", ("CWE-89",)),
    "directoryListingChallenge": ("other", ("CWE-548",)),
    "exposedMetricsChallenge": ("other", ("CWE-200",)),
    "forgedReviewChallenge": ("other", ("CWE-639",)),
    "localXssChallenge": ("xss", ("CWE-79",)),
    "loginAdminChallenge": ("sqli", ("CWE-89",)),
    "loginBenderChallenge": ("sqli", ("CWE-89",)),
    "loginJimChallenge": ("sqli", ("CWE-89",)),
    "nftMintChallenge": ("other", ("CWE-284",)),
    "nftUnlockChallenge": ("other", ("CWE-284",)),
    "noSqlReviewsChallenge": ("sqli", ("CWE-943",)),
    "redirectChallenge": ("redirect", ("CWE-601",)),
    "redirectCryptoCurrencyChallenge": ("redirect", ("CWE-601",)),
    "registerAdminChallenge": ("authz", ("CWE-915",)),
    "resetPasswordBenderChallenge": ("other", ("CWE-640",)),
    "resetPasswordBjoernChallenge": ("other", ("CWE-640",)),
    "resetPasswordBjoernOwaspChallenge": ("other", ("CWE-640",)),
    "resetPasswordJimChallenge": ("other", ("CWE-640",)),
    "resetPasswordMortyChallenge": ("other", ("CWE-348",)),
    "resetPasswordUvoginChallenge": ("other", ("CWE-640",)),
    "restfulXssChallenge": ("xss", ("CWE-79",)),
    "scoreBoardChallenge": ("other", ("CWE-200",)),
    "tokenSaleChallenge": ("other", ("CWE-656",)),
    "unionSqlInjectionChallenge": ("sqli", ("CWE-89",)),
    "weakPasswordChallenge": ("hash", ("CWE-916",)),
    "web3SandboxChallenge": ("other", ("CWE-284",)),
    "web3WalletChallenge": ("other", ("CWE-841",)),
    "xssBonusChallenge": ("xss", ("CWE-79",)),
}
_MARK = re.compile(r"vuln-code-snippet\s+(start|end|vuln-line)\s+([A-Za-z0-9 ]+)")
# The challenge machinery itself, the fix candidates and the tests quote the markers: not ground truth.
_NOT_MARKED_CODE = ("data/static/codefixes/", "lib/codingChallenges.ts", ".ai/", "test/", "frontend/src/assets/")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


# --- the corpus ---------------------------------------------------------------------------------


def prepare(checkout: Path, out: Path) -> None:
    commit = _git(checkout, "rev-parse", "HEAD").strip()
    rows: list[dict[str, object]] = []
    for path in sorted(_git(checkout, "grep", "-l", "vuln-code-snippet", "HEAD", "--").split()):
        rel = path.removeprefix("HEAD:")
        if rel.startswith(_NOT_MARKED_CODE):
            continue
        opened: dict[str, int] = {}
        for number, line in enumerate(_git(checkout, "show", f"HEAD:{rel}").split("\n"), start=1):
            for kind, names in _MARK.findall(line):
                for challenge in names.split():
                    if challenge not in CHALLENGES:
                        raise SystemExit(f"{rel}:{number}: challenge {challenge!r} is not in CHALLENGES")
                    category, cwe = CHALLENGES[challenge]
                    if kind == "start":
                        opened[challenge] = number
                    elif kind == "end":
                        start = opened.pop(challenge, None)
                        if start is not None:
                            rows.append(
                                {"kind": "snippet", "challenge": challenge, "path": rel, "start": start, "end": number}
                            )
                    else:
                        rows.append(
                            {"kind": "vuln-line", "challenge": challenge, "path": rel, "line": number,
                             "category": category, "cwe": list(cwe)}
                        )  # fmt: skip
    for name in sorted(_git(checkout, "ls-tree", "--name-only", "HEAD:data/static/codefixes/").split()):
        m = re.match(r"^([A-Za-z0-9]+Challenge)_(\d+)(_correct)?\.(ts|js|yml|sol)$", name)
        if m is not None:
            rows.append({"kind": "codefix", "challenge": m.group(1), "path": f"data/static/codefixes/{name}",
                         "variant": int(m.group(2)), "correct": bool(m.group(3))})  # fmt: skip
    header = {
        "source": "github:juice-shop/juice-shop",
        "commit": commit,
        "licence": "MIT (Copyright (c) 2014-2026 Bjoern Kimminich & the OWASP Juice Shop contributors)",
        "what": "vuln-code-snippet markers: identifiers, paths, line numbers; CWE/category are our reading",
    }
    out.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in [header, *rows]))
    kinds: dict[str, int] = defaultdict(int)
    for r in rows:
        kinds[str(r["kind"])] += 1
    print(f"{out}: commit {commit[:12]}, {dict(kinds)}")


@dataclass(frozen=True)
class Truth:
    commit: str
    vuln: list[dict[str, object]]
    snippets: list[dict[str, object]]


def load_truth(path: Path) -> Truth:
    lines = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    header, rows = lines[0], lines[1:]
    vuln = [r for r in rows if r["kind"] == "vuln-line"]
    # a line marked for two challenges is one vulnerable line (first challenge's category)
    unique = list({(r["path"], r["line"]): r for r in reversed(vuln)}.values())
    return Truth(
        header["commit"],
        sorted(unique, key=lambda r: (r["path"], r["line"])),
        [r for r in rows if r["kind"] == "snippet"],
    )


# --- the scans ----------------------------------------------------------------------------------

Finding = tuple[str, str, int, str]  # path, rule id, line, category


def reviewbot(root: Path, no_model: bool) -> tuple[list[Finding], list[Finding], float]:
    """(reported findings, every finding, seconds) of `reviewbot scan --all` on `root`."""
    # --no-cache: semgrep's per-file result cache would make a repeat run's seconds meaningless
    args = [str(BIN / "python"), "-m", "reviewbot", "scan", "--all", "--no-cache", "--format", "json"]
    began = time.monotonic()
    proc = subprocess.run(
        args + (["--no-model"] if no_model else []),
        cwd=root,
        capture_output=True,
        text=True,
        env={**ENV, "PYTHONPATH": str(REPO_ROOT)},
    )
    took = time.monotonic() - began
    if proc.returncode != 0:
        raise SystemExit(f"reviewbot failed ({proc.returncode}): {proc.stderr[-2000:]}")
    doc = json.loads(proc.stdout)
    every = [
        (f["path"], f["rule_id"], f["start_line"], f["category"])
        for f in doc["findings"]
        if f["disposition"] in ("reported", "below_threshold")
    ]
    shown = [
        (f["path"], f["rule_id"], f["start_line"], f["category"])
        for f in doc["findings"]
        if f["disposition"] == "reported"
    ]
    return shown, every, took


def semgrep(root: Path) -> tuple[list[Finding], float]:
    """Plain `semgrep scan` with reviewbot's JavaScript rules on the same files reviewbot reads."""
    files = [p for p in _git(root, "ls-files").split("\n") if p.endswith(JS_SUFFIXES)]
    categories = {}
    import yaml

    for rules in JS_RULES.glob("*.yaml"):
        for rule in yaml.safe_load(rules.read_text())["rules"]:
            categories[rule["id"]] = rule["metadata"]["category"]
    began = time.monotonic()
    proc = subprocess.run(
        [str(BIN / "semgrep"), "scan", "--metrics=off", "--disable-version-check", "--json", "--quiet",
         "--config", str(JS_RULES), *files],
        cwd=root, capture_output=True, text=True, env=ENV,
    )  # fmt: skip
    took = time.monotonic() - began
    out = []
    for r in json.loads(proc.stdout)["results"]:
        rule = r["check_id"].rsplit(".", 3)
        rule_id = ".".join(rule[-3:])
        out.append((r["path"], rule_id, r["start"]["line"], categories.get(rule_id, "?")))
    return out, took


# --- the figures --------------------------------------------------------------------------------


def near(finding: Finding, row: dict[str, object]) -> bool:
    return finding[0] == row["path"] and abs(finding[2] - int(str(row["line"]))) <= WINDOW


def in_snippet(finding: Finding, snippets: Iterable[dict[str, object]]) -> bool:
    return any(finding[0] == s["path"] and int(str(s["start"])) <= finding[2] <= int(str(s["end"])) for s in snippets)


def figures(name: str, findings: list[Finding], truth: Truth) -> None:
    found = [any(near(f, v) for f in findings) for v in truth.vuln]
    js = [hit for hit, v in zip(found, truth.vuln, strict=True) if str(v["path"]).endswith(JS_SUFFIXES)]
    judged = [f for f in findings if in_snippet(f, truth.snippets)]
    right = [f for f in judged if any(near(f, v) for v in truth.vuln)]
    recall, recall_js = sum(found) / len(found), (sum(js) / len(js) if js else 0.0)
    precision = len(right) / len(judged) if judged else 0.0

    def f3(p: float, r: float) -> float:
        return 10 * p * r / (9 * p + r) if p + r else 0.0

    print(
        f"{name}: recall {sum(found)}/{len(found)} = {recall:.2f} (JS/TS files {sum(js)}/{len(js)} = {recall_js:.2f}); "
        f"precision in snippets {len(right)}/{len(judged)} = {precision:.2f}; F3 {f3(precision, recall):.2f} "
        f"(JS/TS recall: {f3(precision, recall_js):.2f}); "
        f"{len(findings) - len(judged)} findings outside snippets, not judged"
    )
    by_truth: dict[str, list[bool]] = defaultdict(list)
    for hit, v in zip(found, truth.vuln, strict=True):
        by_truth[str(v["category"])].append(hit)
    by_finding: dict[str, list[bool]] = defaultdict(list)
    for f in judged:
        by_finding[f[3]].append(f in right)
    for category in sorted(set(by_truth) | set(by_finding)):
        r, p = by_truth.get(category, []), by_finding.get(category, [])
        recall_text = f"recall {sum(r)}/{len(r)}" if r else "recall -"
        precision_text = f"precision {sum(p)}/{len(p)}" if p else "precision -"
        print(f"    {category:<12} {recall_text:<14} {precision_text}")


def checkout_copy(source: Path, into: Path) -> Path:
    """A work tree of `source` (a checkout, or a bare/mirror git directory) at its HEAD."""
    target = into / "juice-shop"
    subprocess.run(["git", "clone", "-q", "--shared", str(source), str(target)], check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="a Juice Shop checkout or git directory")
    parser.add_argument("--prepare", action="store_true", help="write the corpus from the checkout and stop")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--no-model", action="store_true", help="reviewbot without its model")
    args = parser.parse_args()
    if args.prepare:
        prepare(args.checkout, args.corpus)
        return
    truth = load_truth(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        root = checkout_copy(args.checkout, Path(tmp))
        head = _git(root, "rev-parse", "HEAD").strip()
        if head != truth.commit:
            print(f"note: the checkout is at {head[:12]}, the corpus was built at {truth.commit[:12]}")
        shown, every, took_rb = reviewbot(root, args.no_model)
        plain, took_sg = semgrep(root)
    print(
        f"Juice Shop {head[:12]}: {len(truth.vuln)} vulnerable lines, {len(truth.snippets)} snippets; "
        f"window ±{WINDOW} lines"
    )
    print(f"reviewbot scan --all: {took_rb:.1f} s; semgrep scan (same JS rules, same files): {took_sg:.1f} s")
    figures("reviewbot (shown)", shown, truth)
    figures("reviewbot (all, incl. below threshold)", every, truth)
    figures("semgrep", plain, truth)


if __name__ == "__main__":
    main()
