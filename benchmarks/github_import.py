#!/usr/bin/env python3
"""How long does `triage import-github` take for a large repository's alerts, and what does it write?

    .venv/bin/python benchmarks/github_import.py [--alerts 5000] [--files 100] [--workdir DIR]

Builds a git repository of generated Python files (each a few functions with a shell call),
and a loopback HTTP server that answers `GET /repos/o/r/code-scanning/alerts` with N generated
alerts (70 % dismissed across the four reasons, 20 % fixed, 10 % open; one dismissal in a hundred
points at a commit the checkout does not have), 100 a page with Link headers, as GitHub does.
Then runs the real path (`code_scanning.list_alerts` through the PyGithub client, page by page;
`import_alerts`: git batch read, tree-sitter parse, fingerprint v1, the ledger's idempotency;
one append) twice on the same ledger:

  1. the first import: rows written, time;
  2. the baseline, in the same run: the same import again, which lists, reads and fingerprints
     everything the same way, also reads the ledger the first run wrote, and must write 0 rows
     (idempotency);
  3. the listing alone (HTTP and JSON, page by page), to show what the git read, the parse and
     the fingerprints cost on top.

Prints figures, not pass/fail; the machine is shared, so compare the two lines of one run.
Not run in CI, not used by tests.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from reviewbot.change.git import GitRepo
from reviewbot.github.client import Api, ClientSettings
from reviewbot.github.code_scanning import import_alerts, list_alerts
from reviewbot.triage.ledger import append_records, read_ledger

REASONS = ["false positive", "won't fix", "used in tests", "mitigated"]
FUNCS = 10  # functions per file, one alertable call each


def make_repo(root: Path, files: int) -> str:
    root.mkdir(parents=True, exist_ok=True)
    env = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    for f in range(files):
        body = ["import subprocess", ""]
        for k in range(FUNCS):
            body += ["", f"def handler_{k}(arg):", f'    subprocess.call("tool{k} " + arg, shell=True)', ""]
        (root / f"mod_{f:04d}.py").write_text("\n".join(body))
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), *env, "commit", "-q", "-m", "generated"], check=True)
    return subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def make_alerts(n: int, files: int, sha: str) -> list[dict[str, Any]]:
    alerts = []
    for i in range(n):
        f, k = i % files, (i // files) % FUNCS
        line = 2 + k * 4 + 2  # the call line of handler_k
        roll = i % 10
        state = "dismissed" if roll < 7 else "fixed" if roll < 9 else "open"
        dismissed = state == "dismissed"
        rule = f"py/rule-{(i // (files * FUNCS)) % 50}"  # several rules on one line: distinct fingerprints
        alerts.append(
            {
                "number": i + 1,
                "created_at": "2026-01-01T00:00:00Z",
                "state": state,
                "dismissed_by": {"login": f"lead{i % 7}"} if dismissed else None,
                "dismissed_at": f"2026-02-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z" if dismissed else None,
                "dismissed_reason": REASONS[i % 4] if dismissed else None,
                "dismissed_comment": "bulk triage" if dismissed else None,
                "rule": {"id": rule, "name": rule},
                "tool": {"name": "CodeQL", "guid": None, "version": "2.20.0"},
                "most_recent_instance": {
                    "commit_sha": "f" * 40 if dismissed and i % 100 == 0 else sha,
                    "location": {
                        "path": f"mod_{f:04d}.py",
                        "start_line": line,
                        "end_line": line,
                        "start_column": 5,
                        "end_column": 50,
                    },
                },
            }
        )
    return alerts


def serve(alerts: list[dict[str, Any]]) -> ThreadingHTTPServer:
    port = 0  # set once the server is bound

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            q = parse_qs(url.query)
            per, page = int(q.get("per_page", ["30"])[0]), int(q.get("page", ["1"])[0])
            data = json.dumps(alerts[(page - 1) * per : page * per]).encode()
            self.send_response(200)
            if page * per < len(alerts):
                base = f"http://127.0.0.1:{port}{url.path}"
                self.send_header(
                    "Link", f'<{base}?sort=created&direction=asc&per_page={per}&page={page + 1}>; rel="next"'
                )
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def once(api: Api, repo: GitRepo, ledger: Path) -> tuple[int, float, int]:
    start = time.perf_counter()
    result = import_alerts(list_alerts(api, "o/r"), repo, read_ledger(ledger).records)
    append_records(ledger, result.records)
    return len(result.records), time.perf_counter() - start, sum(result.skipped.values())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--alerts", type=int, default=5000)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--workdir", type=Path, help="where to build the repository (default: a temp dir)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        sha = make_repo(work / "repo", args.files)
        alerts = make_alerts(args.alerts, args.files, sha)
        server = serve(alerts)
        api_url = f"http://127.0.0.1:{server.server_port}"
        api = Api(ClientSettings(api_url=api_url, token="bench"))
        ledger = work / "ledger.jsonl"
        ledger.unlink(missing_ok=True)
        repo = GitRepo(work / "repo")
        dismissed = sum(1 for a in alerts if a["state"] == "dismissed")
        print(f"{len(alerts)} alerts ({dismissed} dismissed) over {args.files} files, 100 a page")
        rows, seconds, skipped = once(api, repo, ledger)
        print(f"first import : {rows:5d} ledger rows written, {skipped} skipped, {seconds:6.2f} s")
        rows2, seconds2, _ = once(api, repo, ledger)
        print(f"re-run (base): {rows2:5d} ledger rows written, {seconds2:6.2f} s (reads the ledger it wrote)")
        start = time.perf_counter()
        listed = sum(1 for _ in list_alerts(api, "o/r"))
        print(
            f"listing only : {listed:5d} alerts over HTTP, no git, no fingerprint, {time.perf_counter() - start:6.2f} s"
        )
        print(f"ledger: {len(read_ledger(ledger).records)} records, {ledger.stat().st_size:,} bytes")
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
