"""The pre-commit path stays light: `reviewbot scan --staged` must not import the GitHub client.

PyGithub pulls in jwt and cryptography (~0.3 s of imports on a quiet machine), which only the
`triage pull` / `import-github` and `pr` commands need. Checked in a fresh interpreter, since
this test process may already have imported them. With the LLM off, none of its stages is
imported either (reviewbot/llm/request.py), nor the KPI event models when no --history is given.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
sys.argv = ["reviewbot", "scan", "--staged", "--no-cache", "--scanner", "treesitter"]
from reviewbot.cli.main import main
try:
    main()
except SystemExit:
    pass
LIGHT_PATH_SKIPS = ("github", "jwt", "cryptography", "lightgbm", "openai", "reviewbot.llm.stage", "reviewbot.triage.events")
heavy = sorted(m for m in LIGHT_PATH_SKIPS if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True)


def test_staged_scan_does_not_import_the_github_client(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "app.py").write_text("import os\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    (tmp_path / "app.py").write_text("import os\n\n\ndef run(cmd):\n    os.system(cmd)\n")
    _git(tmp_path, "add", "-A")
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    heavy = [line for line in out.stdout.splitlines() if line.startswith("HEAVY=")]
    assert heavy == ["HEAVY="], (out.stdout[-2000:], out.stderr[-2000:])
