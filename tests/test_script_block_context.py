"""Code context for findings in `.vue`/`.html` `<script>` blocks: the context service reads the
blocks' JavaScript (the same-length script view), so provenance and guards reach those findings;
template findings keep the file's own parse, and fingerprints do not change."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbot.change.changes import from_all
from reviewbot.finding import Finding
from reviewbot.lang.facts import Provenance
from reviewbot.review.build import Parses
from reviewbot.review.result import ReviewResult
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules
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
HTML = """<html><body>
<script>
  var a = location.hash;
  document.write(eval(a));
</script>
</body></html>
"""


@pytest.fixture(scope="module")
def scanners() -> Scanners:
    return [SemgrepScanner(load_rules(builtin_rules_dir())), TreeSitterScanner()]


def _all(root: Path, scanners: Scanners) -> ReviewResult:
    return run_review(from_all(root, []), scanners, ReviewOptions(new_only=False, trust_head=True))


def _one(result: ReviewResult, rule: str) -> Finding:
    [found] = [f for f in result.findings if f.rule_id == rule]
    return found


def test_a_vue_script_finding_has_javascript_context(repo: Repo, scanners: Scanners) -> None:
    repo.write("src/App.vue", VUE)
    result = _all(repo.root, scanners)
    ctx = _one(result, EVAL).context
    assert ctx is not None and ctx.language == "javascript" and not ctx.partial, ctx
    assert ctx.value is not None and ctx.value.provenance is Provenance.REQUEST
    assert ctx.function == "run"
    # the template's own finding reads the file's own parse, which has no flow analysis
    template = _one(result, "vue.xss.v-html").context
    assert template is not None and template.language != "javascript"


def test_an_html_script_finding_follows_a_variable(repo: Repo, scanners: Scanners) -> None:
    repo.write("index.html", HTML)
    ctx = _one(_all(repo.root, scanners), EVAL).context
    assert ctx is not None and ctx.language == "javascript"
    assert ctx.value is not None and any(s.startswith("location.hash") for s in ctx.value.sources), ctx.value


def test_the_script_parse_is_for_script_files_only() -> None:
    parses = Parses()
    view = parses.script("head", "a.vue", VUE.encode())
    assert view is not None and view.language == "javascript" and len(view.source) == len(VUE.encode())
    assert parses.script("head", "a.js", b"eval(x)") is None
    assert parses.script("head", "b.vue", b"<template><p>hi</p></template>") is None
