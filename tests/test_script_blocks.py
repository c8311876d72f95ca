"""`<script>` blocks of .vue and .html files reach the JavaScript rules, at the file's own lines
and columns (real semgrep, real tree-sitter, real git repositories)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbot.change.changes import from_all, from_base
from reviewbot.change.git import GitRepo
from reviewbot.finding import Disposition, Finding
from reviewbot.review.result import ReviewResult
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules
from reviewbot.scanners.script_blocks import script_view
from reviewbot.scanners.semgrep import SemgrepScanner
from reviewbot.scanners.treesitter import TreeSitterScanner
from tests.conftest import Repo

Scanners = list[SemgrepScanner | TreeSitterScanner]
EVAL = "javascript.codeinj.eval-non-literal"
VUE = """<template>
  <div v-html="page"></div>
</template>
<script>
export default {
  methods: {
    run(req) {
        return eval(req.query.x)
    },
  },
}
</script>
"""


@pytest.fixture(scope="module")
def scanners() -> Scanners:
    return [SemgrepScanner(load_rules(builtin_rules_dir())), TreeSitterScanner()]


def _all(root: Path, scanners: Scanners) -> ReviewResult:
    return run_review(from_all(root, []), scanners, ReviewOptions(new_only=False, trust_head=True))


def _of(result: ReviewResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule_id == rule]


def test_a_vue_script_is_scanned_at_the_files_own_line_and_column(repo: Repo, scanners: Scanners) -> None:
    repo.write("src/App.vue", VUE)
    result = _all(repo.root, scanners)
    [found] = _of(result, EVAL)
    assert (found.path, found.start_line, found.start_col) == ("src/App.vue", 8, 16)
    assert found.snippet.strip() == "return eval(req.query.x)"
    assert found.disposition is Disposition.REPORTED  # no model: every finding is shown
    assert _of(result, "vue.xss.v-html"), "the template checks still run"
    assert not result.notes


def test_a_typescript_block_is_read_as_typescript(repo: Repo, scanners: Scanners) -> None:
    body = VUE.replace("<script>", '<script setup lang="ts">').replace("run(req)", "run(req: any): unknown")
    view = script_view("a.vue", body.encode())
    assert view is not None and view[0] == ".ts"
    repo.write("a.vue", body)
    [found] = _of(_all(repo.root, scanners), EVAL)
    assert (found.start_line, found.start_col) == (8, 16)


HTML = """<html><head>
<script src="/vendor.js"></script>
<script type="text/template"><div>{{ eval(a) }}</div></script>
<script type="application/json">{"eval": "eval(x)"}</script>
<!-- <script>eval(commented)</script> -->
<script>var a = location.hash</script><script>
  document.write(eval(a)) // reviewbot: ignore[javascript.codeinj.timer-string-non-literal] another rule
</script>
<script type="module">
  var cfg = {{ config|tojson }};
  eval(cfg.code) // reviewbot: ignore[javascript.codeinj.eval-non-literal] reviewed: a constant
</script>
<p>{{ page|safe }}</p>
</head></html>
"""


def test_two_blocks_in_html_other_types_ignored_and_a_suppression_inside(repo: Repo, scanners: Scanners) -> None:
    repo.write("index.html", HTML)
    result = _all(repo.root, scanners)
    evals = sorted((f.start_line, f.start_col, f.disposition) for f in _of(result, EVAL))
    # the text/template, JSON and commented-out blocks are not read; line 11's is suppressed inline
    assert evals == [(7, 18, Disposition.REPORTED), (11, 3, Disposition.SUPPRESSED_INLINE)]
    assert _of(result, "template.xss.safe-filter"), "the template checks still run"
    assert not result.notes, "`{{ … }}` inside the script parses"


def test_a_script_finding_on_the_base_is_preexisting(repo: Repo, scanners: Scanners) -> None:
    repo.write("App.vue", VUE)
    repo.commit("base")
    repo.write(
        "App.vue",
        "<!-- a new comment line -->\n"
        + VUE.replace("})", "})\n//x").replace("  methods: {", "  methods: {\n    go(q) { return eval(q.body) },"),
    )
    repo.commit("change")
    result = run_review(from_base(GitRepo(repo.root), "HEAD~1"), scanners, ReviewOptions())
    by_line = {f.start_line: f.disposition for f in _of(result, EVAL)}
    assert by_line == {8: Disposition.REPORTED, 10: Disposition.PREEXISTING}


def test_scan_all_keeps_large_and_minified_files_from_semgrep_with_a_note(repo: Repo, scanners: Scanners) -> None:
    repo.write(".reviewbot/config.yml", "version: 1\nsemgrep:\n  whole_tree_max_bytes: 20000\n")
    repo.write("big.js", "eval(req.query.x)\n" + "var a = 1;\n" * 3000)
    repo.write("app.min.js", "eval(req.query.x);" + "var a=1;" * 1000 + "\n")
    repo.write("app.js", "eval(req.query.x)\n")
    result = _all(repo.root, scanners)
    assert sorted(f.path for f in _of(result, EVAL)) == ["app.js"]
    assert "big.js: not scanned by semgrep (larger than semgrep.whole_tree_max_bytes (33018 > 20000 bytes))" in (
        result.skipped
    )
    assert any(s.startswith("app.min.js: not scanned by semgrep (looks minified: average line") for s in result.skipped)
