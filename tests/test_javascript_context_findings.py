"""A real semgrep JavaScript finding carries its context: provenance in the JSON finding, in its
features and in the words the PR comment explains a score with."""

from __future__ import annotations

import json
import os

import pytest

from reviewbot.cli.main import main
from reviewbot.finding import Finding
from reviewbot.lang.facts import CodeContext
from reviewbot.learn.features import static_features
from reviewbot.learn.words import describe
from tests.conftest import Repo

SERVER = """const cp = require("child_process");
const LIST = "ls -la";
app.get("/files", (req, res) => {
  cp.exec("ls " + req.query.dir);
  cp.exec(`ls ${LIST}`);
});
"""


@pytest.mark.parametrize("path", ["api/server.js", "api/server.ts"])
def test_a_semgrep_javascript_finding_has_provenance_in_features_and_words(
    repo: Repo, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    repo.write(path, SERVER)
    repo.commit("base")
    os.chdir(repo.root)
    assert main(["scan", "--no-model", "--all", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    cmdi = {f["start_line"]: f for f in doc["findings"] if f["rule_id"] == "javascript.cmdi.shell-non-constant-command"}
    assert 4 in cmdi, doc["findings"]
    request = CodeContext.model_validate(cmdi[4]["context"])
    assert request.value is not None and request.value.provenance.value == "request"
    assert request.value.sources == ("req.query",) and request.is_request_handler
    search = Finding.model_validate(cmdi[4])
    assert not search.dataflow  # the JS rules are search rules: learn/features.py masks value facts
    masked = static_features(search)
    assert masked["has_context"] == 1.0 and masked["request_handler"] == 1.0 and masked["reachable"] == 1.0
    # as a taint (dataflow) rule's finding, the provenance is the feature and the explanation's words
    finding = search.model_copy(update={"dataflow": True})
    v = static_features(finding)
    assert v["value_provenance"] == 3.0
    assert describe("value_provenance", v["value_provenance"], v, finding.context) == "argument comes from req.query"
    if 5 in cmdi:  # semgrep may fold the template of a constant itself and not report it
        constant = Finding.model_validate(cmdi[5]).model_copy(update={"dataflow": True})
        cv = static_features(constant)
        assert cv["value_provenance"] == 1.0
        assert describe("value_provenance", 1.0, cv, constant.context).endswith(
            "is a constant (it folds to a fixed value)"
        )
