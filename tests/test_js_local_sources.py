"""`source.local` for JavaScript: the command line, the environment, stdin and readline-sync
answers, named as the JavaScript provenance names them, fire the feature; request data does not."""

from __future__ import annotations

import pytest

from reviewbot.finding import Confidence, Finding, Scanner, Severity
from reviewbot.lang.context import context_for
from reviewbot.lang.languages import language_of
from reviewbot.lang.syntax import parse
from reviewbot.learn.features import static_features

PRELUDE = 'const cp = require("child_process");\nconst rls = require("readline-sync");\n'


def _finding(body: str, path: str = "tools/run.js") -> Finding:
    source = (PRELUDE + body + "\n").encode()
    at = source.find(b"cp.exec(")
    end = source.find(b";", at)
    ctx = context_for(parse(source, language_of(path)), at, end, path=path, path_on_base=True)
    assert ctx is not None and ctx.value is not None
    return Finding(
        rule_id="javascript.cmdi.shell-non-constant-command",
        scanner=Scanner.SEMGREP,
        path=path,
        start_line=3,
        start_col=1,
        end_line=3,
        end_col=40,
        message="m",
        severity=Severity.MEDIUM,
        confidence=Confidence.LOW,
        category="cmdi",
        cwe=("CWE-78",),
        fingerprint="f" * 32,
        context=ctx,
        dataflow=True,  # the value facts are read only for rules that follow data
    )


@pytest.mark.parametrize(
    ("body", "label"),
    [
        ('function main() { cp.exec("ls " + process.argv[2]); }', "process.argv"),
        ("function main() { cp.exec(`ls ${process.env.TARGET_DIR}`); }", "process.env.TARGET_DIR"),
        ('function main() { const dir = rls.question("dir? "); cp.exec("ls " + dir); }', "readline-sync.question()"),
        ('function main() { cp.exec("cat " + process.stdin.read()); }', "process.stdin"),
    ],
)
def test_local_input_fires_source_local(body: str, label: str) -> None:
    f = _finding(body)
    assert f.context is not None and f.context.value is not None
    assert any(s.startswith(label) for s in f.context.value.sources), f.context.value.sources
    assert static_features(f)["source.local"] == 1.0


def test_request_data_does_not() -> None:
    f = _finding('function handler(req, res) { cp.exec("ls " + req.query.dir); }', "api/app.js")
    assert f.context is not None and f.context.value is not None and f.context.value.sources
    assert static_features(f)["source.local"] == 0.0
