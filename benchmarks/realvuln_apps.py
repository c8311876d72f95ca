"""The RealVuln development half: which 11 apps, where their code is, and getting it checked out.

``DEV_APPS`` names each app as RealVuln does (``ground-truth/<name>/``), the upstream repository
holding its pinned commit (the manifest's kolega-ai forks have no snapshot), the commit scanned and
that commit's tree, so a snapshot with the same tree counts as the same code. The other half of
RealVuln is held out for evaluation: nothing here names it. Used by benchmarks/realvuln.py (which
scans and scores) and benchmarks/default_model.py (which labels the scans as training data).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from mirrors import mirror_of


class App(NamedTuple):
    name: str  # RealVuln's repo id (ground-truth/<name>/)
    upstream: str  # GitHub owner/name holding the pinned commit
    commit: str  # the commit scanned
    tree: str  # that commit's tree: a snapshot with this tree is the same code


DEV_APPS: tuple[App, ...] = (
    App(
        "realvuln-djangoat",
        "Contrast-Security-OSS/DjanGoat",
        "72beb30afe3ddd5b31ce74a5d3b9da61d2c5df1d",
        "691b05c6baa9e3000e2ed20089a47504d4c55ce9",
    ),
    App(
        "realvuln-vulnpy",
        "Contrast-Security-OSS/vulnpy",
        "d1d0f64c06f038fe59a049e0e6001bfaf9839697",
        "d3b9e4a0d9d4a68cc7994e4011a20a3cd7aa2172",
    ),
    App(
        "realvuln-damn-vulnerable-graphql-application",
        "dolevf/Damn-Vulnerable-GraphQL-Application",
        "a961308c02d1fb462b192681c336b0739e432da7",
        "0804a6b5a31b3b7c50f215822e8b745045c72cbc",
    ),
    App(
        "realvuln-flask-xss",
        "terrabitz/Flask_XSS",
        "4d6f500246696d9078e141d7eabcc34087c54faa",
        "ae97873b3a82c7112cacca3917f1637cde8dc312",
    ),
    App(
        "realvuln-dsvw",
        "stamparm/DSVW",
        "2e9706c87fc0c74a9cc62d0777a0cc17c65e0ecd",
        "e09a07dbf3d9fed97b01dc969d0087b635f4b055",
    ),
    App(
        "realvuln-dvblab",
        "mamgad/DVBLab",
        "25bdef1e32055bfb6366856acc5db829e61e3647",
        "95859e2bab9dfe7fb4911061ee06dad3f55b8b93",
    ),
    App(
        "realvuln-dvpwa",
        "anxolerd/dvpwa",
        "a1d8f89fac2e57093189853c6527c2b01fc1d9c1",
        "17ce493cd3549c6f68ced85983fa58c7768d7c64",
    ),
    App(
        "realvuln-damn-vulnerable-flask-application",
        "fatinsourav/Damn-Vulnerable-Flask-Application",
        "55f63201c85190e760a8fa34a580a9bf918dbf36",
        "8c0a918ef73fa81d502f2e6ef47c9b1a7b427e8b",
    ),
    App(
        "realvuln-vulnerable-tornado-app",
        "ajinabraham/Vulnerable_Tornado_App",
        "7aca8b78ba948c841d6cb1cc2a244922a27e842b",
        "f6b6c60f26042a1bd456fca3f24734b2b893f982",
    ),
    App(
        "realvuln-python-insecure-app",
        "trottomv/python-insecure-app",
        "80b894a2f754590747a31c92b2088be086421953",
        "45dc736d9d4d881c2477d89617b902cce05ecda3",
    ),
    App(
        "realvuln-intentionally-vulnerable-python-application",
        "Skim177/Intentionally-Vulnerable-Python-Application",
        "3804a18ae666b296675f9a60bc617e527beae520",
        "563d1c8767f906d250478154c661a405d5542466",
    ),
)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def app_problem(app: App, apps_dir: Path) -> str | None:
    """Why the app's checkout is not the pinned code, or None when it is."""
    where = apps_dir / app.name
    if not (where / ".git").exists():
        return f"{where} is not a git checkout (see --prepare-from)"
    if git(where, "rev-parse", "HEAD") != app.commit and git(where, "rev-parse", "HEAD^{tree}") != app.tree:
        return f"{where}: HEAD is neither {app.commit[:12]} nor a commit with its tree {app.tree[:12]}"
    if git(where, "status", "--porcelain", "--untracked-files=no"):
        return f"{where} has uncommitted changes"
    return None


def prepare(apps: Iterable[App], mirrors: Path, apps_dir: Path) -> None:
    """Clone each app from a bare copy MIRRORS/OWNER+NAME/repo and check its commit out."""
    apps_dir.mkdir(parents=True, exist_ok=True)
    for app in apps:
        dest = apps_dir / app.name
        if dest.exists():
            print(f"{app.name}: {dest} exists, left as it is")
            continue
        source = mirror_of(mirrors, app.upstream)
        if source is None:
            raise SystemExit(f"{app.name}: no fetched copy of {app.upstream} under {mirrors}")
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(source), str(dest)], check=True)
        subprocess.run(["git", "-C", str(dest), "checkout", "--quiet", "--detach", app.commit], check=True)
        print(f"{app.name}: {app.upstream} @ {app.commit[:12]} in {dest}")
