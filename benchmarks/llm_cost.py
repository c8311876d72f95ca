#!/usr/bin/env python3
"""What the optional LLM costs a review: calls, tokens and added wall time, against `--no-llm`.

    .venv/bin/python benchmarks/llm_cost.py [--runs N] [--repo GIT_DIR --rev REV]
        [--base-url URL --model NAME]    # a real endpoint: the key from $OPENAI_API_KEY

Each target is a checkout at the base of a change, with `.reviewbot/config.yml` committed there
turning every use on (`explain`, `fix`, `review`), and the change as a patch:

1. the demo: `examples/demo-app` and `examples/demo.patch` (the README's first command);
2. with --repo: commit REV of that repository (a checkout or a bare mirror, cloned `--shared`
   into a temp folder at REV^), the patch `git diff REV^ REV` — e.g. saleor/saleor 9062d3ee13.

`reviewbot scan --diff PATCH --format json --no-cache` runs with `--no-llm` (the baseline) and
`--llm`, alternately, `--runs` times each, as a user runs it (a subprocess, PYTHONDONTWRITEBYTECODE
unset). The LLM is an in-process OpenAI-compatible server that answers instantly (valid JSON for
each use: a short explanation, `pass` as every fix, which the verifier then judges, and no review
issue), so the added time is reviewbot's own (prompts, the SDK, the verifier's reruns); with
--base-url it is a real endpoint's. Printed: the median seconds of each, the difference, and per review the calls,
prompt and completion tokens the server counted, and reviewbot's own note. Figures, not
pass/fail: never run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG = "version: 1\nllm:\n  model: {model}\n  review: true\n  max_calls: 200\n  max_tokens: 2000000\n"
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "init.defaultBranch=main"]


class InstantLlm:
    """An OpenAI-compatible chat completions endpoint that answers at once and counts tokens."""

    def __init__(self) -> None:
        self.calls = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> tuple[int, int, int]:
        with self._lock:
            figures = (self.calls, self.prompt_tokens, self.completion_tokens)
            self.calls = self.prompt_tokens = self.completion_tokens = 0
        return figures

    def answer(self, body: dict[str, Any]) -> str:
        name = body.get("response_format", {}).get("json_schema", {}).get("name", "")
        text = str(body["messages"][-1]["content"])
        if name == "Explanation" or text.startswith('{"task": "Explain'):
            return json.dumps({"explanation": "The value reaches the sink unchecked.", "exploit": "A crafted value."})
        if name == "FixAnswer" or text.startswith('{"task": "Propose'):
            return json.dumps({"replacement": "    pass"})
        return json.dumps({"issues": []})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        llm = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                body = json.loads(raw)
                content = llm.answer(body)
                prompt, completion = len(raw) // 4, len(content) // 4
                with llm._lock:
                    llm.calls += 1
                    llm.prompt_tokens += prompt
                    llm.completion_tokens += completion
                doc = {
                    "id": "chatcmpl-bench",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": content, "refusal": None},
                            "finish_reason": "stop",
                            "logprobs": None,
                        }
                    ],
                    "usage": {
                        "prompt_tokens": prompt,
                        "completion_tokens": completion,
                        "total_tokens": prompt + completion,
                    },
                }
                out = json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        return Handler


def git(cwd: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def demo_target(tmp: Path, model: str) -> tuple[Path, Path]:
    root = tmp / "demo"
    shutil.copytree(REPO_ROOT / "examples" / "demo-app", root)
    return _with_config(root, model, init=True), REPO_ROOT / "examples" / "demo.patch"


def repo_target(tmp: Path, source: Path, rev: str, model: str) -> tuple[Path, Path]:
    root = tmp / "repo"
    subprocess.run([*GIT, "clone", "-q", "--shared", "--no-checkout", str(source), str(root)], check=True)
    git(root, "checkout", "-q", "--detach", f"{rev}^")
    patch = tmp / "change.patch"
    patch.write_text(git(root, "diff", "--binary", f"{rev}^", rev))
    return _with_config(root, model, init=False), patch


def _with_config(root: Path, model: str, *, init: bool) -> Path:
    if init:
        git(root, "init", "-q")
    (root / ".reviewbot").mkdir(exist_ok=True)
    (root / ".reviewbot" / "config.yml").write_text(CONFIG.format(model=model))
    git(root, "add", "-A")
    git(root, "add", "-f", ".reviewbot/config.yml")  # saleor's .gitignore ignores every dot folder
    git(root, "commit", "-q", "--no-verify", "-m", "base, with every LLM use on")
    return root


def scan(root: Path, patch: Path, llm: bool, env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    cmd = [sys.executable, "-m", "reviewbot", "scan", "--repo", str(root), "--diff", str(patch)]
    cmd += ["--format", "json", "--no-cache", "--llm" if llm else "--no-llm"]
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"scan failed ({proc.returncode}): {proc.stderr[-2000:]}")
    doc: dict[str, Any] = json.loads(proc.stdout)
    return took, doc


def measure(name: str, root: Path, patch: Path, runs: int, env: dict[str, str], llm: InstantLlm | None) -> None:
    base_times, llm_times, usage, note, findings = [], [], [], "", 0
    for _ in range(runs):
        took, doc = scan(root, patch, False, env)
        base_times.append(took)
        took, doc = scan(root, patch, True, env)
        llm_times.append(took)
        findings = sum(1 for f in doc["findings"] if f["disposition"] == "reported")
        note = next((n for n in doc["notes"] if n.startswith("llm (")), "(no llm note)")
        if llm is not None:
            usage.append(llm.reset())
    base, with_llm = statistics.median(base_times), statistics.median(llm_times)
    print(f"\n{name}: {findings} reported finding(s); median of {runs} run(s)")
    print(f"  --no-llm  {base:7.2f} s   (baseline, same run)")
    print(f"  --llm     {with_llm:7.2f} s   (+{with_llm - base:.2f} s, x{with_llm / base:.2f})")
    if usage:
        calls, prompt, completion = usage[-1]
        print(f"  per review: {calls} call(s), {prompt} prompt + {completion} completion token(s) (server count)")
    print(f"  reviewbot's note: {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each variant (default 3)")
    parser.add_argument("--repo", type=Path, help="a bigger repository (a checkout or a bare mirror)")
    parser.add_argument("--rev", default="9062d3ee13", help="with --repo: the commit whose change is reviewed")
    parser.add_argument("--base-url", help="a real OpenAI-compatible endpoint (key: $OPENAI_API_KEY)")
    parser.add_argument("--model", default="bench-instant", help="the model to ask (with --base-url)")
    args = parser.parse_args(argv)
    llm = None if args.base_url else InstantLlm()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["OPENAI_BASE_URL"] = args.base_url or (llm.url if llm else "")
    if llm is not None:
        env["OPENAI_API_KEY"] = "sk-bench-instant"
    elif not env.get("OPENAI_API_KEY"):
        parser.error("--base-url needs the endpoint's key in $OPENAI_API_KEY")
    with tempfile.TemporaryDirectory(prefix="llm-cost-") as tmp_name:
        tmp = Path(tmp_name)
        env["XDG_CACHE_HOME"] = str(tmp / "cache")
        endpoint = args.base_url or "an instant in-process fake"
        print(f"reviewbot scan --diff, --no-llm against --llm (explain, fix, review on); LLM: {endpoint}")
        root, patch = demo_target(tmp, args.model)
        measure("demo (examples/demo-app + demo.patch)", root, patch, args.runs, env, llm)
        if args.repo is not None:
            root, patch = repo_target(tmp, args.repo, args.rev, args.model)
            files = git(root, "apply", "--numstat", str(patch)).count("\n")
            measure(f"{args.repo} {args.rev} ({files} files)", root, patch, args.runs, env, llm)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
