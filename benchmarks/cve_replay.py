#!/usr/bin/env python3
"""Real Python CVE fixes replayed as pull requests that put the bug back: does reviewbot see them?

    .venv/bin/python benchmarks/cve_replay.py --corpus benchmarks/corpus/cve_python.jsonl \\
        --mirrors /work/.mirror [--bandit] [--only ID ...] [--limit N]
    .venv/bin/python benchmarks/cve_replay.py --corpus OUT.jsonl --mirrors /work/.mirror \\
        --build /work/.mirror/pypa+advisory-database/repo

This script owns the CVE development corpus (benchmarks/corpus/cve_python.jsonl) and its replay.

Corpus (--build): advisories of the PyPA advisory database (OSV YAML under vulns/<package>/) that
reference a fix commit on GitHub, in a repository whose bare git dir is under --mirrors as
`owner+name/repo`, and not in HELD_OUT (issue #13's held-out repositories, compared
case-insensitively, with RENAMED mapping old names onto them). Advisories that share a fix
commit become one entry. For each entry: base = the fix commit, head = the fix with its non-test
`.py` files restored from the fix's first parent (the bug put back). The vulnerable lines of a
file are the lines of its head (parent) version that the fix removed or changed (the `-` side of
`git diff -U0 parent fix`); where a hunk only adds lines, the head line just before the insertion
(the place where the missing check belongs). Entries whose fix touches no non-test `.py` line
are skipped, and so are advisories without a CWE in CWE_BY_ADVISORY. CWE ids come from GitHub's
advisory database (`database_specific.cwe_ids` of the GHSA alias, read file by file because the
whole database is too large to fetch); the corpus file records which entries were labelled by
hand from the advisory text instead (`cwe_source`); its first line is a header object saying so.
Identifiers and numbers only: no code.

Replay (default): for each entry, a temporary clone of the mirror gets the head commit on top of
the fix, and `reviewbot scan --base <fix> --format json` (the PR view) runs there with this
checkout's code. An entry is a HIT when a finding with a CWE the entry also has lies within
SLACK lines of a vulnerable line: "reported" counts findings with disposition `reported`,
"rules alone" counts every finding the change introduces that nothing suppressed (`reported`,
`below_threshold`, `duplicate`). Prints per entry, per CWE class (an entry counts in each of its
CWEs) and overall: hits, recall, and the seconds of each replay. With --bandit, the baseline in
the same run: Bandit on the head versions of the entry's files, its findings that the fix's
versions do not also have (same test id and line text), scored the same way (Bandit's CWE ids).
Not run in CI, not used by tests. What every language's replay shares (the head commit, the
vulnerable lines, the scoring, the summary) is in replay_common.py; cve_replay_js.py is the npm
counterpart.

Repositories fetched for the corpus (fetch tool, github:<owner>/<name>, one call each):
aio-libs/aiohttp mozilla/bleach bottlepy/bottle Kozea/CairoSVG janeczku/calibre-web
cobbler/cobbler cookiecutter/cookiecutter 9001/copyparty django-helpdesk/django-helpdesk
tiangolo/fastapi beancount/fava gitpython-developers/GitPython nicolargo/glances
html5lib/html5lib-python httpie/httpie httplib2/httplib2 lxml/lxml sqlalchemy/mako
lepture/mistune triaxtec/openapi-python-client tadashi-aikawa/owlmixin bbengfort/confire
fedora-infra/python-fedora andialbrecht/sqlparse tortoise/tortoise-orm urllib3/urllib3
Pylons/waitress pallets/werkzeug jpadilla/pyjwt davedoesdev/python-jwt
plone/Products.isurlinportal zopefoundation/Products.PluggableAuthService vantage6/vantage6
d0c-s4vage/lookatme miurahr/py7zr jupyterhub/jupyter-server-proxy zopefoundation/RestrictedPython
nltk/nltk jupyter/notebook Tethik/flask-session-captcha devsnd/cherrymusic
jupyterhub/oauthenticator martinpitt/python-dbusmock zopefoundation/Zope, and pallets/jinja (already
there for another benchmark),
and pypa/advisory-database itself.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mirrors import mirror_of
from replay_common import (
    COMMIT_URL,
    ENV,
    PYTHON,
    add_replay_arguments,
    canonical_repo,
    git,
    replay,
    vulnerable_lines,
    write_corpus,
)

# Issue #13: held out for evaluation, never in a development corpus.
HELD_OUT = [
    "AdaptiveScale/lxdui",
    "ArjunSharda/Searchor",
    "DataDog/guarddog",
    "Eugeny/ajenti",
    "Gerapy/Gerapy",
    "IdentityPython/pysaml2",
    "Morgan-Phoenix/EnroCrypt",
    "ProgVal/Limnoria",
    "archivy/archivy",
    "bbangert/beaker",
    "benbusby/whoogle-search",
    "blackducksoftware/hub-rest-api-python",
    "codecov/codecov-python",
    "dpgaspar/Flask-AppBuilder",
    "ikus060/rdiffweb",
    "jazzband/django-debug-toolbar",
    "joblib/joblib",
    "jupyter-server/jupyter_server",
    "jupyterhub/nbgitpuller",
    "kakwa/ldapcherry",
    "lkiesow/python-feedgen",
    "man-group/dtale",
    "mar10/wsgidav",
    "matrix-org/sydent",
    "mindsdb/mindsdb",
    "moinwiki/moin-1.9",
    "nvbn/thefuck",
    "piccolo-orm/piccolo",
    "pikepdf/pikepdf",
    "pyeve/eve",
    "recurly/recurly-client-python",
    "shuup/shuup",
    "tenable/integration-jira-cloud",
    "thanethomson/MLAlchemy",
    "toastdriven/django-tastypie",
    "tomoh1r/ansible-vault",
    "webrecorder/pywb",
    "zopefoundation/Products.CMFCore",
]
# Older names under which advisories cite a held-out repository.
RENAMED = {"rohe/pysaml2": "IdentityPython/pysaml2"}

# Advisories whose cited commit does not hold the fix, and the commit that does (read from the
# repository: the cited commit's diff and its neighbours). Replaying the cited commit would put
# back code that is not the vulnerability.
FIX_CORRECTED: dict[str, str] = {
    # cites 3b216bfa0 (Kobo token and localhost handling); the SSRF fix is its child 35f6f4c7,
    # which resolves the cover URL's host and refuses loopback before `requests.get` in
    # cps/helper.py `save_cover_from_url`
    "PYSEC-2022-23": "35f6f4c727c887f8f3607fe3233dbc1980d15020",
    # cites 85d5a6b4 (Popen -> secure_popen, a config typo: no XML); the XML-RPC fix is
    # 9d6051be (same title), which monkey-patches xmlrpc with defusedxml in glances/compat.py
    "PYSEC-2021-115": "9d6051be4a42f692392049fdbfc85d5dfa458b32",
    # cites a5f9cb52 (the 4.6.3 release: CHANGES, docs, __version__); the fix is its parent
    # 2d01a1ba, which adds HTML5 `formaction` to the link attributes lxml.html.clean checks
    "PYSEC-2021-19": "2d01a1ba8984e0483ce6619b972832377f208a0d",
    # cites a74c9cfb, the commit that added `_encode_invalid_chars`; the denial of service is
    # that function's replace-per-match loop, which a2697e7c ("Optimize _encode_invalid_chars",
    # 1.25.8) turns into one `subn`
    "PYSEC-2020-149": "a2697e7c6b275f05879b60f593c5854a816489f0",
}
# Advisories whose cited commit ends a series of fix commits: the vulnerable version is the
# parent of the series' first commit, not of the cited one.
SERIES_PARENT: dict[str, str] = {
    # cites a22eb067, the last of four commits (c54b89f1 "Fix bug Stored XSS via markdown",
    # then three refinements of its link pattern); a22eb067 alone changes `[\[\s\S\]]` to
    # `[\s\S]`, which matches the same text
    "PYSEC-2021-438": "3f245871ac91356fd91a4e2cea5048bcac1d833e",
}

# CWE ids per advisory: GitHub advisory database `database_specific.cwe_ids` of the GHSA id,
# or labelled by hand from the advisory text (those ids are also in HAND_LABELLED).
CWE_BY_ADVISORY: dict[str, list[str]] = {
    # GitHub advisory database (database_specific.cwe_ids), read file by file:
    "GHSA-qcx9-j53g-ccgf": ["CWE-1321", "CWE-915"],
    "GHSA-v6wp-4m6f-gcjg": ["CWE-601"],
    "GHSA-gfw2-4jvh-wgfg": ["CWE-444"],
    "GHSA-xx9p-xxvh-7g8j": ["CWE-444"],
    "GHSA-qvrw-v9rv-5rjx": ["CWE-20"],
    "GHSA-5h86-8mv2-jq9f": ["CWE-22"],
    "GHSA-8qpw-xqxj-h4r2": ["CWE-444"],
    "GHSA-vv2x-vrpj-qqpq": ["CWE-79"],
    "GHSA-xhp9-4947-rq78": ["CWE-755"],
    "GHSA-hq37-853p-g5cf": ["CWE-400"],
    "GHSA-rwmf-w63j-p7gv": ["CWE-20", "CWE-918"],
    "GHSA-rpcg-f9q6-2mq6": ["CWE-22"],
    "GHSA-wqc8-x2pr-7jqh": ["CWE-913"],
    "GHSA-xjw2-6jm9-rf67": ["CWE-74"],
    "GHSA-hj2j-77xm-mc5v": ["CWE-134"],
    "GHSA-5p8v-58qm-c7fp": ["CWE-290"],
    "GHSA-pr76-5cm5-w9cj": ["CWE-78"],
    "GHSA-f4q6-9qm4-h8j4": ["CWE-78"],
    "GHSA-w9h2-px87-74vx": ["CWE-94"],
    "GHSA-rjmv-52mp-gjrr": ["CWE-922"],
    "GHSA-cpqf-3c3r-c9g2": ["CWE-94"],
    "GHSA-4cfr-gjfx-fj3x": ["CWE-434"],
    "GHSA-cr3f-r24j-3chw": ["CWE-863"],
    "GHSA-384w-5v3f-q499": ["CWE-863"],
    # labelled by hand from the advisory text (the PyPA entry's details):
    "PYSEC-2023-250": ["CWE-93"],
    "PYSEC-2018-51": ["CWE-79"],
    "PYSEC-2016-24": ["CWE-93"],
    "PYSEC-2022-22": ["CWE-284"],
    "PYSEC-2022-23": ["CWE-918"],
    "PYSEC-2017-100": ["CWE-79"],
    "PYSEC-2017-99": ["CWE-22"],
    "PYSEC-2022-177": ["CWE-285"],
    "PYSEC-2017-78": ["CWE-502"],
    "PYSEC-2023-127": ["CWE-22"],
    "PYSEC-2023-132": ["CWE-79"],
    "PYSEC-2021-431": ["CWE-79"],
    "PYSEC-2021-438": ["CWE-79"],
    "PYSEC-2021-100": ["CWE-352"],
    "PYSEC-2022-239": ["CWE-79"],
    "PYSEC-2024-4": ["CWE-426"],
    "PYSEC-2021-115": ["CWE-611"],
    "PYSEC-2017-14": ["CWE-79"],
    "PYSEC-2017-15": ["CWE-79"],
    "PYSEC-2020-46": ["CWE-93"],
    "PYSEC-2021-16": ["CWE-400"],
    "PYSEC-2015-24": ["CWE-79"],
    "PYSEC-2015-25": ["CWE-79"],
    "PYSEC-2015-26": ["CWE-79"],
    "PYSEC-2015-27": ["CWE-79"],
    "PYSEC-2018-17": ["CWE-79"],
    "PYSEC-2020-215": ["CWE-601"],
    "PYSEC-2021-118": ["CWE-79"],
    "PYSEC-2022-16": ["CWE-918"],
    "PYSEC-2020-61": ["CWE-78"],
    "PYSEC-2018-12": ["CWE-79"],
    "PYSEC-2021-19": ["CWE-79"],
    "PYSEC-2021-852": ["CWE-79"],
    "PYSEC-2022-260": ["CWE-1333"],
    "PYSEC-2017-18": ["CWE-79"],
    "PYSEC-2022-237": ["CWE-1333"],
    "PYSEC-2019-106": ["CWE-22"],
    "PYSEC-2021-356": ["CWE-1333"],
    "PYSEC-2021-859": ["CWE-1333"],
    "PYSEC-2022-5": ["CWE-1333"],
    "PYSEC-2018-68": ["CWE-863"],
    "PYSEC-2020-70": ["CWE-22"],
    "PYSEC-2020-71": ["CWE-94"],
    "PYSEC-2017-22": ["CWE-502"],
    "PYSEC-2021-323": ["CWE-601"],
    "PYSEC-2021-44": ["CWE-200"],
    "PYSEC-2021-45": ["CWE-601"],
    "PYSEC-2022-42998": ["CWE-22"],
    "PYSEC-2022-202": ["CWE-327"],
    "PYSEC-2019-155": ["CWE-94"],
    "PYSEC-2017-27": ["CWE-601"],
    "PYSEC-2021-333": ["CWE-1333"],
    "PYSEC-2023-87": ["CWE-1333"],
    "PYSEC-2020-144": ["CWE-89"],
    "PYSEC-2020-148": ["CWE-93"],
    "PYSEC-2020-149": ["CWE-400"],
    "PYSEC-2021-108": ["CWE-1333"],
    "PYSEC-2021-59": ["CWE-295"],
    "PYSEC-2023-192": ["CWE-200"],
    "PYSEC-2023-207": ["CWE-200"],
    "PYSEC-2023-212": ["CWE-200"],
    "PYSEC-2023-196": ["CWE-502"],
    "PYSEC-2023-52": ["CWE-204"],
    "PYSEC-2023-53": ["CWE-863"],
    "PYSEC-2023-54": ["CWE-613"],
    "PYSEC-2024-31": ["CWE-208"],
    "PYSEC-2019-136": ["CWE-444"],
    "PYSEC-2019-137": ["CWE-444"],
    "PYSEC-2019-138": ["CWE-444"],
    "PYSEC-2020-155": ["CWE-1333"],
    "PYSEC-2020-178": ["CWE-444"],
    "PYSEC-2022-169": ["CWE-444"],
    "PYSEC-2022-205": ["CWE-400"],
    "PYSEC-2019-140": ["CWE-331"],
    "PYSEC-2023-221": ["CWE-400"],
    "PYSEC-2023-57": ["CWE-20"],
    "PYSEC-2023-58": ["CWE-770"],
    "PYSEC-2021-88": ["CWE-94"],
}
HAND_LABELLED: set[str] = {k for k in CWE_BY_ADVISORY if k.startswith("PYSEC")}


def held_out(repo: str) -> bool:
    """Whether `repo` (owner/name) is one of issue #13's held-out repositories."""
    renamed = {k.lower(): v.lower() for k, v in RENAMED.items()}
    name = renamed.get(repo.lower(), repo.lower())
    return name in {r.lower() for r in HELD_OUT}


def build(advisories: Path, mirrors: Path, corpus: Path) -> None:
    """Write the corpus from the PyPA advisory database and the fetched mirrors."""
    import yaml

    names = git(advisories, "ls-tree", "-r", "--name-only", "HEAD", "vulns").split()
    by_fix: dict[tuple[str, str], dict[str, Any]] = {}
    skipped: dict[str, list[str]] = defaultdict(list)
    for name in names:
        text = git(advisories, "show", f"HEAD:{name}")
        if "/commit/" not in text:
            continue
        adv = yaml.safe_load(text)
        ids = [adv["id"], *adv.get("aliases", [])]
        refs = [COMMIT_URL.match(r.get("url", "")) for r in adv.get("references", [])]
        commits = [(f"{m.group(1)}/{m.group(2)}", m.group(3)) for m in refs if m]
        if adv["id"] in FIX_CORRECTED and commits:
            commits = [(commits[0][0], FIX_CORRECTED[adv["id"]])]
        if not commits:
            continue
        if any(held_out(r) for r, _ in commits):
            skipped["held-out repository"].append(adv["id"])
            continue
        labelled = next((i for i in ids if i in CWE_BY_ADVISORY), None)
        cwe = CWE_BY_ADVISORY[labelled] if labelled else None
        src = "hand" if labelled in HAND_LABELLED else "github-advisory-database"
        entry: dict[str, Any] | None = None
        for repo, sha in commits:
            gitdir = mirror_of(mirrors, repo)
            if gitdir is None:
                skipped["repository not fetched"].append(adv["id"])
                break
            full = git(gitdir, "rev-parse", "--verify", "-q", f"{sha}^{{commit}}", check=False)
            if not full.strip():
                skipped["fix commit not in the repository"].append(adv["id"])
                continue
            fix = full.strip()
            parent = SERIES_PARENT.get(adv["id"]) or git(gitdir, "rev-parse", f"{fix}^1", check=False).strip()
            lines = vulnerable_lines(gitdir, parent, fix, PYTHON) if parent else {}
            if not lines:
                skipped["fix touches no non-test .py line"].append(adv["id"])
                continue
            entry = {"repo": canonical_repo(gitdir), "fix": fix, "parent": parent, "files": lines}
            break
        if entry is None:
            continue
        if cwe is None:
            skipped["no CWE label"].append(" ".join(ids))
            continue
        key = (entry["repo"], entry["fix"])
        pkg = adv["affected"][0]["package"]["name"]
        if key in by_fix:
            old = by_fix[key]
            old["advisories"] = sorted({*old["advisories"], *ids})
            old["cwe"] = sorted({*old["cwe"], *cwe})
            old["cwe_source"] = "hand" if "hand" in (old["cwe_source"], src) else src
            continue
        by_fix[key] = {
            "advisories": sorted(set(ids)),
            "package": pkg,
            **entry,
            "cwe": sorted(set(cwe)),
            "cwe_source": src,
        }
    rows = sorted(by_fix.values(), key=lambda e: (e["repo"].lower(), e["advisories"][0]))
    hand = sum(r["cwe_source"] == "hand" for r in rows)
    header = {
        "header": "reviewbot CVE development corpus (benchmarks/cve_replay.py --build)",
        "source": f"pypa/advisory-database {git(advisories, 'rev-parse', 'HEAD').strip()}",
        "cwe": f"{len(rows) - hand} entries: GitHub advisory database cwe_ids of the GHSA alias; "
        f"{hand} entries (cwe_source=hand): labelled by hand from the advisory text, because "
        "github/advisory-database is too large to fetch and was read one file at a time",
        "lines": "per file, the head (parent) lines the fix removed or changed; for a hunk "
        "that only adds lines, the head line before the insertion",
        "fix_corrected": "fix commit taken from FIX_CORRECTED (the cited one holds no fix): "
        + " ".join(sorted(FIX_CORRECTED)),
        "series_parent": "parent = the first commit of a fix series' parent (SERIES_PARENT): "
        + " ".join(sorted(SERIES_PARENT)),
    }
    write_corpus(corpus, header, rows)
    print(f"{len(rows)} entries, {len({c for r in rows for c in r['cwe']})} CWE ids -> {corpus}")
    for why, ids in sorted(skipped.items()):
        shown = f": {' '.join(sorted(set(ids)))}" if len(set(ids)) <= 20 else ""
        print(f"skipped ({why}): {len(set(ids))}{shown}")


def bandit_findings(checkout: Path, paths: list[str], rev: str | None) -> list[dict[str, Any]]:
    """Bandit's findings on `paths` of the checkout, or of revision `rev` of them (the baseline).

    Normalised to the fields `hit` reads: path, start/end line, CWE, disposition `reported`."""
    with tempfile.TemporaryDirectory(prefix="cve-bandit-") as tmp:
        root = checkout
        if rev is not None:
            root = Path(tmp)
            for path in paths:
                blob = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=checkout, capture_output=True, env=ENV)
                if blob.returncode == 0:
                    (root / path).parent.mkdir(parents=True, exist_ok=True)
                    (root / path).write_bytes(blob.stdout)
        files = [p for p in paths if (root / p).is_file()]
        if not files:
            return []
        cmd = [str(Path(sys.executable).parent / "bandit"), "-q", "-f", "json", *files]
        out = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=ENV)
        results = json.loads(out.stdout or "{}").get("results", [])
    return [
        {
            "path": r["filename"].removeprefix("./"),
            "start_line": r["line_range"][0] if r.get("line_range") else r["line_number"],
            "end_line": r["line_range"][-1] if r.get("line_range") else r["line_number"],
            "cwe": [f"CWE-{r['issue_cwe']['id']}"] if r.get("issue_cwe") else [],
            "disposition": "reported",
            "key": (r["test_id"], flagged_text(r["code"], r["line_number"])),
        }
        for r in results
    ]


def flagged_text(code: str, line: int) -> str:
    """The text of the flagged line in Bandit's `code` excerpt (lines prefixed by their number)."""
    for row in code.splitlines():
        number, _, text = row.partition(" ")
        if number == str(line):
            return text.strip()
    return code.strip()


def bandit_new(checkout: Path, entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Baseline: Bandit on the head versions of the entry's files, minus what the base has."""
    paths = sorted(entry["files"])
    base = {f["key"] for f in bandit_findings(checkout, paths, entry["fix"])}
    return [f for f in bandit_findings(checkout, paths, None) if f["key"] not in base]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--mirrors", type=Path, required=True)
    ap.add_argument(
        "--build",
        type=Path,
        metavar="ADVISORY_GIT_DIR",
        help="write the corpus from this PyPA advisory-database git dir instead",
    )
    ap.add_argument(
        "--bandit",
        action="store_true",
        help="also score Bandit on the same files (new findings against the base) as a baseline",
    )
    add_replay_arguments(ap)
    args = ap.parse_args()
    if args.build:
        build(args.build, args.mirrors, args.corpus)
    else:
        baseline = ("bandit", bandit_new) if args.bandit else None
        replay(args.corpus, args.mirrors, set(args.only), args.limit, PYTHON, args.scan_arg, args.save, baseline)


if __name__ == "__main__":
    main()
