#!/usr/bin/env python3
"""Real npm vulnerability fixes replayed as pull requests that put the bug back: does reviewbot see them?

    .venv/bin/python benchmarks/cve_replay_js.py --corpus benchmarks/corpus/cve_npm.jsonl \\
        --mirrors /work/.mirror [--only ID ...] [--limit N] [--save FILE]
    .venv/bin/python benchmarks/cve_replay_js.py --corpus OUT.jsonl --mirrors /work/.mirror --build

The JavaScript counterpart of cve_replay.py, with the same replay and scoring (replay_common.py):
base = the fix commit, head = the fix with its non-test `.js .mjs .cjs .jsx .ts .mts .cts .tsx`
files restored from the fix's first parent; vulnerable lines = the head lines the fix removed or
changed (a hunk that only adds: the head line before the insertion); a HIT is a finding with an
intersecting CWE within SLACK lines of one.

Corpus (--build): the advisories in ADVISORIES, GitHub-reviewed npm advisories of the GitHub
Advisory Database (github/advisory-database, CC-BY-4.0) that reference a fix commit
`https://github.com/OWNER/REPO/commit/SHA`. The database is too large to fetch, so advisories were
found with the search tools, their files read one at a time
(advisories/github-reviewed/YYYY/MM/GHSA-…/GHSA-….json; 28 of the 30; the other two, published 2025-26, only as
copies of the record) and their identifiers copied here: GHSA id, aliases, package, the fix commit
URLs in the advisory's order, and `database_specific.cwe_ids`. Where stored versions of a file
differ, a comment says so. The one advisory whose cwe_ids is empty is labelled by hand from its
advisory text (cwe_source=hand). For each advisory the first referenced commit that resolves in
the mirror (`--mirrors`/owner+name/repo) and touches a non-test JS/TS line is its fix; advisories
sharing a fix commit become one entry; HELD_OUT repositories are never used. Chosen for variety of
CWE classes in small and medium repositories the fetch tool could copy; no advisory was dropped
for how reviewbot does on it. Identifiers and numbers only: no code, no advisory text.

Repositories fetched (fetch tool, github:<owner>/<name>, one call each):
jonschlinkert/set-value jonschlinkert/mixin-deep sindresorhus/dot-prop mariocasciaro/object-path
hughsk/flat npm/ini gulpjs/glob-parent Qix-/color-string npm/hosted-git-info davewasmer/devcert
apostrophecms/sanitize-html mde/ejs yahoo/serialize-javascript indutny/node-ip
unshiftio/url-parse steveukx/git-js scravy/node-macaddress sebhildebrandt/systeminformation
cthackers/adm-zip knex/knex expressjs/express.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mirrors import mirror_of
from replay_common import (
    COMMIT_URL,
    JAVASCRIPT,
    add_replay_arguments,
    canonical_repo,
    git,
    replay,
    vulnerable_lines,
    write_corpus,
)

# Held out for evaluation (issue #15): never in a development corpus.
HELD_OUT = {"juice-shop/juice-shop", "owasp/nodegoat", "appsecco/dvna"}

GH = "https://github.com"


def _commits(repo: str, *shas: str) -> list[str]:
    return [f"{GH}/{repo}/commit/{sha}" for sha in shas]


# GHSA id -> identifiers copied from its github/advisory-database file (see the module docstring).
ADVISORIES: dict[str, dict[str, Any]] = {
    "GHSA-4jqc-8m5r-9rpr": {
        "aliases": ["CVE-2021-23440"],
        "package": "set-value",
        "commits": _commits(
            "jonschlinkert/set-value",
            "09c4b108fea3c0260008590053ff13da64913245",
            "7cf8073bb06bf0c15e08475f9f952823b4576452",
            "cb12f14955dde6e61829d70d1851bfea6a3c31ad",
        ),
        "cwe": ["CWE-1321", "CWE-843"],
    },
    "GHSA-3mpr-hq3p-49h9": {
        "aliases": ["CVE-2018-3719"],
        "package": "mixin-deep",
        "commits": _commits("jonschlinkert/mixin-deep", "578b0bc5e74e14de9ef4975f504dc698796bdf9c"),
        "cwe": ["CWE-20", "CWE-471"],
    },
    "GHSA-ff7x-qrg7-qggm": {
        "aliases": ["CVE-2020-8116"],
        "package": "dot-prop",
        "commits": _commits(
            "sindresorhus/dot-prop",
            "3039c8c07f6fdaa8b595ec869ae0895686a7a0f2",
            "c914124f418f55edea27928e89c94d931babe587",
        ),
        "cwe": ["CWE-1321", "CWE-425", "CWE-471"],
    },
    "GHSA-cwx2-736x-mf6w": {
        "aliases": ["CVE-2020-15256"],
        "package": "object-path",
        "commits": _commits("mariocasciaro/object-path", "2be3354c6c46215c7635eb1b76d80f1319403c68"),
        "cwe": ["CWE-20", "CWE-471"],
    },
    "GHSA-v39p-96qg-c8rf": {
        "aliases": ["CVE-2021-23434"],
        "package": "object-path",
        "commits": _commits("mariocasciaro/object-path", "7bdf4abefd102d16c163d633e8994ef154cab9eb"),
        "cwe": ["CWE-1321", "CWE-843"],
    },
    "GHSA-2j2x-2gpw-g8fm": {
        "aliases": ["CVE-2020-36632"],
        "package": "flat",
        "commits": _commits("hughsk/flat", "20ef0ef55dfa028caddaedbcb33efbdb04d18e13"),
        "cwe": ["CWE-1321"],
    },
    "GHSA-qqgx-2p2h-9c37": {
        "aliases": ["CVE-2020-7788"],
        "package": "ini",
        "commits": _commits("npm/ini", "56d2805e07ccd94e2ba0984ac9240ff02d44b6f1"),
        "cwe": ["CWE-1321"],
    },
    "GHSA-ww39-953v-wcq6": {
        "aliases": ["CVE-2020-28469"],
        "package": "glob-parent",
        "commits": _commits("gulpjs/glob-parent", "4a80667c69355c76a572a5892b0f133c8e1f457e"),
        "cwe": ["CWE-400"],
    },
    "GHSA-257v-vj4p-3w2h": {
        "aliases": ["CVE-2021-29060"],
        "package": "color-string",
        "commits": _commits("Qix-/color-string", "0789e21284c33d89ebc4ab4ca6f759b9375ac9d3"),
        "cwe": ["CWE-770"],
    },
    "GHSA-43f8-2h32-f4cj": {
        "aliases": ["CVE-2021-23362"],
        "package": "hosted-git-info",
        "commits": _commits(
            "npm/hosted-git-info",
            "29adfe5ef789784c861b2cdeb15051ec2ba651a7",
            "8d4b3697d79bcd89cdb36d1db165e3696c783a01",
            "bede0dc38e1785e732bf0a48ba6f81a4a908eba3",
        ),
        "cwe": ["CWE-400"],
    },
    "GHSA-fp36-299x-pwmw": {
        # One stored file version also lists CWE-697.
        "aliases": ["CVE-2022-1929"],
        "package": "devcert",
        "commits": _commits("davewasmer/devcert", "b0763215f6683271d296fda98f7ef7bcd4a55977"),
        "cwe": ["CWE-1333"],
    },
    "GHSA-cgfm-xwp7-2cvr": {
        "aliases": ["CVE-2022-25887"],
        "package": "sanitize-html",
        "commits": _commits("apostrophecms/sanitize-html", "b4682c12fd30e12e82fa2d9b766de91d7d2cd23c"),
        "cwe": ["CWE-1333"],
    },
    "GHSA-qhxp-v273-g94h": {
        # Published 2025-09: no file version in the search index; read from a copy of the record.
        "aliases": ["CVE-2019-25225"],
        "package": "sanitize-html",
        "commits": _commits("apostrophecms/sanitize-html", "712cb6895825c8bb6ede71a16b42bade42abcaf3"),
        "cwe": ["CWE-79"],
    },
    "GHSA-rm97-x556-q36h": {
        # One stored file version lists CWE-200 only.
        "aliases": ["CVE-2024-21501"],
        "package": "sanitize-html",
        "commits": _commits("apostrophecms/sanitize-html", "c5dbdf77fe8b836d3bf4554ea39edb45281ec0b4"),
        "cwe": ["CWE-200", "CWE-538"],
    },
    "GHSA-hwcf-pp87-7x6p": {
        "aliases": ["CVE-2017-1000188"],
        "package": "ejs",
        "commits": _commits("mde/ejs", "49264e0037e313a0a3e033450b5c184112516d8f"),
        "cwe": ["CWE-79"],
    },
    "GHSA-phwq-j96m-2c2q": {
        "aliases": ["CVE-2022-29078"],
        "package": "ejs",
        "commits": _commits("mde/ejs", "15ee698583c98dadc456639d6245580d17a24baf"),
        "cwe": ["CWE-74"],
    },
    "GHSA-hxcc-f52p-wc94": {
        "aliases": ["CVE-2020-7660"],
        "package": "serialize-javascript",
        "commits": _commits("yahoo/serialize-javascript", "f21a6fb3ace2353413761e79717b2d210ba6ccbd"),
        "cwe": ["CWE-502"],
    },
    "GHSA-78xj-cgh5-2h22": {
        "aliases": ["CVE-2023-42282"],
        "package": "ip",
        "commits": _commits("indutny/node-ip", "6a3ada9b471b09d5f0f5be264911ab564bf67894"),
        # cwe_ids is empty in the database; the advisory text says SSRF (isPublic misclassifies).
        "cwe": ["CWE-918"],
        "cwe_source": "hand",
    },
    "GHSA-46c4-8wrp-j99v": {
        # The fix commit reference was added in a later version (advisory-database PR 6762).
        "aliases": ["CVE-2020-8124"],
        "package": "url-parse",
        "commits": _commits("unshiftio/url-parse", "3ecd256f127c3ada36a84d9b8dd3ebd14316274b"),
        "cwe": ["CWE-20"],
    },
    "GHSA-8v38-pw62-9cw2": {
        "aliases": ["CVE-2022-0639"],
        "package": "url-parse",
        "commits": _commits("unshiftio/url-parse", "ef45a1355375a8244063793a19059b4f62fc8788"),
        "cwe": ["CWE-639"],
    },
    "GHSA-rv95-896h-c2vc": {
        "aliases": ["CVE-2024-29041"],
        "package": "express",
        "commits": _commits(
            "expressjs/express",
            "0867302ddbde0e9463d0564fea5861feb708c2dd",
            "0b746953c4bd8e377123527db11f9cd866e39f94",
        ),
        "cwe": ["CWE-1286", "CWE-601"],
    },
    "GHSA-9p95-fxvg-qgq2": {
        "aliases": ["CVE-2022-25912"],
        "package": "simple-git",
        "commits": _commits("steveukx/git-js", "774648049eb3e628379e292ea172dccaba610504"),
        "cwe": ["CWE-77", "CWE-94"],
    },
    "GHSA-28xr-mwxg-3qc8": {
        # The file version modified 2022-05-03 says CWE-74/77; the later record (fixed-in text
        # corrected to 3.5.0) says CWE-88, used here.
        "aliases": ["CVE-2022-24066"],
        "package": "simple-git",
        "commits": _commits("steveukx/git-js", "2040de601c894363050fef9f28af367b169a56c5"),
        "cwe": ["CWE-88"],
    },
    "GHSA-pp57-mqmh-44h7": {
        "aliases": ["CVE-2018-13797"],
        "package": "macaddress",
        "commits": _commits("scravy/node-macaddress", "358fd594adb196a86b94ac9c691f69fe5dad2332"),
        "cwe": ["CWE-78"],
    },
    "GHSA-2m8v-572m-ff2v": {
        "aliases": ["CVE-2021-21315"],
        "package": "systeminformation",
        "commits": _commits("sebhildebrandt/systeminformation", "07daa05fb06f24f96297abaa30c2ace8bfd8b525"),
        "cwe": ["CWE-78"],
    },
    "GHSA-4v2w-h9jm-mqjg": {
        "aliases": ["CVE-2020-26245"],
        "package": "systeminformation",
        "commits": _commits("sebhildebrandt/systeminformation", "8113ff0e87b2f422a5756c48f1057575e73af016"),
        "cwe": ["CWE-471", "CWE-78"],
    },
    "GHSA-fj59-f6c3-3vw4": {
        "aliases": ["CVE-2020-26300"],
        "package": "systeminformation",
        "commits": _commits("sebhildebrandt/systeminformation", "bad372e654cdd549e7d786acbba0035ded54c607"),
        "cwe": ["CWE-78"],
    },
    "GHSA-9c88-49p5-5ggf": {
        # Published 2026-02: no file version in the search index; read from a copy of the record.
        "aliases": ["CVE-2026-26280"],
        "package": "systeminformation",
        "commits": _commits("sebhildebrandt/systeminformation", "22242aa56188f2bffcbd7d265a11e1ebb808b460"),
        "cwe": ["CWE-78"],
    },
    "GHSA-3v6h-hqm4-2rg6": {
        "aliases": ["CVE-2018-1002204"],
        "package": "adm-zip",
        "commits": _commits("cthackers/adm-zip", "62f64004fefb894c523a7143e8a88ebe6c84df25"),
        "cwe": ["CWE-22"],
    },
    "GHSA-4jv9-3563-23j3": {
        "aliases": ["CVE-2016-20018"],
        "package": "knex",
        "commits": _commits("knex/knex", "e145322da92749be7749f9ade5b5f5a66d6586a4"),
        "cwe": ["CWE-89"],
    },
}


def build(mirrors: Path, corpus: Path) -> None:
    """Write the corpus from ADVISORIES and the fetched mirrors (the rule in the docstring)."""
    by_fix: dict[tuple[str, str], dict[str, Any]] = {}
    skipped: dict[str, list[str]] = {}
    for ghsa, adv in sorted(ADVISORIES.items()):
        ids = sorted({ghsa, *adv["aliases"]})
        src = adv.get("cwe_source", "github-advisory-database")
        entry: dict[str, Any] | None = None
        why = "no referenced commit"
        for url in adv["commits"]:
            m = COMMIT_URL.fullmatch(url)
            if m is None:
                continue
            repo, sha = f"{m.group(1)}/{m.group(2)}", m.group(3)
            if repo.lower() in HELD_OUT:
                why = "held-out repository"
                break
            gitdir = mirror_of(mirrors, repo)
            if gitdir is None:
                why = "repository not fetched"
                continue
            full = git(gitdir, "rev-parse", "--verify", "-q", f"{sha}^{{commit}}", check=False).strip()
            if not full:
                why = "fix commit not in the repository"
                continue
            parent = git(gitdir, "rev-parse", f"{full}^1", check=False).strip()
            lines = vulnerable_lines(gitdir, parent, full, JAVASCRIPT) if parent else {}
            if not lines:
                why = "fix touches no non-test JS/TS line"
                continue
            entry = {"repo": canonical_repo(gitdir), "fix": full, "parent": parent, "files": lines}
            break
        if entry is None:
            skipped.setdefault(why, []).append(ghsa)
            continue
        key = (entry["repo"], entry["fix"])
        if key in by_fix:
            old = by_fix[key]
            old["advisories"] = sorted({*old["advisories"], *ids})
            old["cwe"] = sorted({*old["cwe"], *adv["cwe"]})
            old["cwe_source"] = "hand" if "hand" in (old["cwe_source"], src) else src
            continue
        by_fix[key] = {
            "advisories": ids,
            "package": adv["package"],
            **entry,
            "cwe": sorted(set(adv["cwe"])),
            "cwe_source": src,
        }
    rows = sorted(by_fix.values(), key=lambda e: (e["repo"].lower(), e["advisories"][0]))
    hand = sum(r["cwe_source"] == "hand" for r in rows)
    header = {
        "header": "reviewbot npm CVE development corpus (benchmarks/cve_replay_js.py --build)",
        "source": "github/advisory-database (CC-BY-4.0), GitHub-reviewed npm advisories, "
        "advisories/github-reviewed/YYYY/MM/GHSA-*/GHSA-*.json read one file at a time (the database "
        "is too large to fetch); identifiers copied into cve_replay_js.py ADVISORIES",
        "cwe": f"{len(rows) - hand} entries: database_specific.cwe_ids of the GHSA file; {hand} "
        "entries (cwe_source=hand): empty cwe_ids, labelled by hand from the advisory text",
        "lines": "per file, the head (parent) lines the fix removed or changed; for a hunk "
        "that only adds lines, the head line before the insertion",
        "files": "non-test " + " ".join(JAVASCRIPT.suffixes) + " files (replay_common.JAVASCRIPT)",
    }
    write_corpus(corpus, header, rows)
    print(f"{len(rows)} entries, {len({c for r in rows for c in r['cwe']})} CWE ids -> {corpus}")
    for why, ghsas in sorted(skipped.items()):
        print(f"skipped ({why}): {len(ghsas)}: {' '.join(ghsas)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--mirrors", type=Path, required=True)
    ap.add_argument("--build", action="store_true", help="write the corpus from ADVISORIES and the mirrors instead")
    add_replay_arguments(ap)
    args = ap.parse_args()
    if args.build:
        build(args.mirrors, args.corpus)
    else:
        replay(args.corpus, args.mirrors, set(args.only), args.limit, JAVASCRIPT, args.scan_arg, args.save)


if __name__ == "__main__":
    main()
