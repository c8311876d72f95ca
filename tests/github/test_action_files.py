"""action.yml and the README's workflows: valid against SchemaStore, and injection-safe."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).parent.parent.parent
DATA = ROOT / "tests" / "data"
EXPRESSION = re.compile(r"\$\{\{")


def _action() -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "action.yml").read_text())
    assert isinstance(doc, dict)
    return doc


def _readme_workflows() -> list[dict[str, Any]]:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## GitHub Action") :]
    section = section[: section.index("\n## ", 1)]
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)]
    for doc in blocks:  # YAML 1.1 reads the key `on` as True; GitHub reads it as "on"
        doc["on"] = doc.pop(True)
    return blocks


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_action_yml_is_valid_against_the_schemastore_schema() -> None:
    schema = json.loads((DATA / "schemastore" / "github-action.json").read_text())
    jsonschema.Draft7Validator(schema).validate(_action())


def test_action_inputs_reach_the_script_only_through_env() -> None:
    action = _action()
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    for step in steps:
        assert not EXPRESSION.search(step.get("run", "")), f"expression inside run: {step['name']}"
    env_values = " ".join(str(v) for step in steps for v in step.get("env", {}).values())
    for name, spec in action["inputs"].items():
        assert spec["description"].strip()
        assert f"inputs.{name}" in env_values, f"input {name} is not passed to the script"


def test_action_installs_from_its_own_path_and_never_fails_the_job() -> None:
    runs = [step["run"] for step in _action()["runs"]["steps"]]
    assert '"$GITHUB_ACTION_PATH"' in runs[0]
    assert '"$REVIEWBOT_BIN" pr' in runs[1] and runs[1].rstrip().endswith("exit 0")


def test_readme_workflows_are_valid_and_follow_the_fork_pattern() -> None:
    schema = json.loads((DATA / "github" / "github-workflow.json").read_text())
    same_repo, scan, post = _readme_workflows()
    for workflow in (same_repo, scan, post):
        jsonschema.Draft7Validator(schema).validate(workflow)
        for step in _steps(workflow):
            assert not EXPRESSION.search(step.get("run", ""))
    # The PR jobs check out the PR head with full history, not the merge ref.
    for workflow in (same_repo, scan):
        (checkout,) = [s for s in _steps(workflow) if s.get("uses", "").startswith("actions/checkout@")]
        assert checkout["with"]["ref"] == "${{ github.event.pull_request.head.sha }}"
        assert checkout["with"]["fetch-depth"] == 0
    # The unprivileged stage can only read; the privileged stage never checks out PR code.
    assert scan["permissions"] == {"contents": "read"}
    assert scan["on"] == {"pull_request": None}
    assert "workflow_run" in post["on"]
    assert not any(s.get("uses", "").startswith("actions/checkout@") for s in _steps(post))
    assert "contents" not in post["permissions"]
