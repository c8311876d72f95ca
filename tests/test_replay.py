"""`reviewbot replay` end to end: a real git history in a temp dir, the real semgrep, the CLI entry point.

The history (first parent line, oldest first): base (root) → vuln (adds a verify=False call) →
harmless (a safe edit) → delete (removes a file) → merge (a feature branch adding a second
verify=False call, merged with --no-ff). Each replayed commit is reviewed against its first parent.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from tests.conftest import Repo, git

RULES = Path(__file__).parent / "data" / "rules"
FLAGS = ["--rules", str(RULES), "--scanner", "semgrep", "--no-model"]

APP = """\
import requests


def legacy():
    requests.get("https://example.com", verify=False)


def fetch(url):
    return requests.get(url, timeout=5)
"""
VULN = APP + "\n\ndef insecure(url):\n    return requests.get(url, verify=False)\n"


@dataclass(frozen=True)
class History:
    repo: Repo
    base: str
    vuln: str
    harmless: str
    delete: str
    feature: str
    merge: str


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    root = tmp_path_factory.mktemp("replay") / "repo"
    root.mkdir()
    repo = Repo(root)
    repo.write("app.py", APP)
    repo.write("old.py", "import requests\n\nrequests.get('https://old', verify=False)\n")
    base = repo.commit("base")
    repo.write("app.py", VULN)
    vuln = repo.commit("add insecure fetch")
    repo.write("app.py", VULN.replace("timeout=5", "timeout=10"))
    harmless = repo.commit("longer timeout")
    (root / "old.py").unlink()
    delete = repo.commit("drop old module")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("new.py", "import requests\n\n\ndef get(u):\n    return requests.get(u, verify=False)\n")
    feature = repo.commit("feature: new client")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from feature", "feature")
    merge = repo.git("rev-parse", "HEAD").strip()
    return History(repo, base, vuln, harmless, delete, feature, merge)


def replay(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["replay", "--repo", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def replay_json(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = replay(root, *args, *FLAGS, "--format", "json", capsys=capsys)
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    return doc


def reported(change: dict[str, Any]) -> list[tuple[str, str, int]]:
    findings = change["review"]["findings"]
    return sorted((f["rule_id"], f["path"], f["start_line"]) for f in findings if f["disposition"] == "reported")


def repo_state(root: Path) -> tuple[str, str, dict[str, str]]:
    """Everything a replay must leave alone: the work tree's status, the refs, every file under .git
    (hashed after `git status`, which may refresh the index itself)."""
    status, refs = git(root, "status", "--porcelain", "--ignored"), git(root, "for-each-ref")
    files = {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / ".git").rglob("*"))
        if p.is_file()
    }
    return status, refs, files


TLS = "test.tls.verify-disabled"


def test_last_reviews_each_first_parent_commit_against_its_parent_and_writes_nothing(
    history: History, capsys: pytest.CaptureFixture[str]
) -> None:
    before = repo_state(history.repo.root)
    doc = replay_json(history.repo.root, "--last", "10", capsys=capsys)
    assert repo_state(history.repo.root) == before  # no ref, no index, no file under .git or in the tree
    assert before[0] == ""  # the work tree was clean, ignored files included
    changes = doc["changes"]
    # newest first; the root commit has no parent and the feature commit is not on the first-parent line
    assert [c["head_commit"] for c in changes] == [history.merge, history.delete, history.harmless, history.vuln]
    assert [c["base_commit"] for c in changes] == [history.delete, history.harmless, history.vuln, history.base]
    assert [reported(c) for c in changes] == [[(TLS, "new.py", 5)], [], [], [(TLS, "app.py", 13)]]
    vuln = changes[3]["review"]
    # the old verify=False on line 5 was already there: hidden as preexisting, not reported
    assert [(f["start_line"], f["disposition"]) for f in vuln["findings"]] == [(5, "preexisting"), (13, "reported")]
    deleted = changes[1]["review"]
    assert deleted["files_changed"] == 1 and deleted["files_scanned"] == 0
    assert any("old.py: skipped (deleted)" in note for note in deleted["skipped"])
    assert [c["subject"] for c in changes] == [
        "Merge pull request #7 from feature",
        "drop old module",
        "longer timeout",
        "add insecure fetch",
    ]
    summary = doc["summary"]
    assert summary["changes"] == 4 and summary["reviewed"] == 4 and summary["failures"] == 0
    assert summary["reported"] == 2 and summary["reported_per_change"] == 0.5
    assert summary["changes_with_finding"] == 2
    # app.py line 5 at the vuln commit; lines 5 and 13 at the harmless one
    assert summary["hidden_by_disposition"] == {"preexisting": 3}


def test_last_n_and_rev_count_back_from_a_revision(history: History, capsys: pytest.CaptureFixture[str]) -> None:
    doc = replay_json(history.repo.root, "--last", "2", "--rev", history.harmless, capsys=capsys)
    assert [c["head_commit"] for c in doc["changes"]] == [history.harmless, history.vuln]


def test_merges_picks_the_merge_against_its_first_parent(history: History, capsys: pytest.CaptureFixture[str]) -> None:
    doc = replay_json(history.repo.root, "--last", "5", "--merges", capsys=capsys)
    (change,) = doc["changes"]
    assert (change["base_commit"], change["head_commit"]) == (history.delete, history.merge)
    assert reported(change) == [(TLS, "new.py", 5)]


def test_pairs_jsonl_and_csv_with_a_bad_revision_recorded_not_fatal(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {"id": "CVE-1", "base": history.base, "head": history.vuln},
        {"id": "broken", "base": "no-such-rev", "head": history.vuln},
        {"base": history.harmless, "head": history.delete},
    ]
    jsonl = tmp_path / "pairs.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    table = tmp_path / "pairs.csv"
    with table.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "base", "head"])
        writer.writeheader()
        writer.writerows(rows)
    for pairs in (jsonl, table):
        doc = replay_json(history.repo.root, "--pairs", str(pairs), capsys=capsys)
        first, broken, last = doc["changes"]
        assert (first["id"], reported(first)) == ("CVE-1", [(TLS, "app.py", 13)])
        assert broken["id"] == "broken" and broken["review"] is None
        assert "no-such-rev" in broken["error"] and "does not exist" in broken["error"]
        assert last["id"] is None and reported(last) == []
        assert doc["selection"] == {"pairs": str(pairs)}
        assert doc["summary"]["failures"] == 1 and doc["summary"]["reviewed"] == 2
        assert doc["summary"]["reported_per_change"] == 0.5


def test_pairs_file_errors_are_usage_errors(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = {
        "missing-head.jsonl": '{"base": "HEAD~1"}\n',
        "not-json.jsonl": '{"base": \n',
        "no-header.csv": "HEAD~1,HEAD\n",
        "empty.csv": "base,head\n",
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text)
        code, _, err = replay(history.repo.root, "--pairs", str(path), *FLAGS, capsys=capsys)
        assert code == 2, name
        assert name in err


def test_text_output_one_line_per_commit_then_the_summary(history: History, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = replay(history.repo.root, "--last", "10", *FLAGS, capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["change", "files", "reported", "hidden", "seconds", "subject"]
    rows = [line.split(None, 5) for line in lines[1:5]]
    expected = [
        (history.merge, "1", "1", "0", "Merge pull request #7 from feature"),
        (history.delete, "1", "0", "0", "drop old module"),
        (history.harmless, "1", "0", "2", "longer timeout"),
        (history.vuln, "1", "1", "1", "add insecure fetch"),
    ]
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows] == [(c[:12], *rest) for c, *rest in expected]
    assert all(float(r[4]) >= 0 for r in rows)
    summary = "\n".join(lines[5:])
    assert "changes replayed: 4 (4 reviewed, 0 failed)" in summary
    assert "reported findings: 2 (0.500 per reviewed change); changes with a finding: 2" in summary
    assert "hidden findings: 3 (preexisting 3)" in summary
    assert "seconds per change: median" in summary and "p90" in summary
    code, out, _ = replay(history.repo.root, "--last", "1", "-v", *FLAGS, capsys=capsys)
    assert f"    new.py:5  medium  {TLS}  [CWE-295]" in out.splitlines()


def test_a_bare_mirror_replays_like_the_checkout(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = tmp_path / "mirror.git"
    history.repo.git("clone", "-q", "--bare", str(history.repo.root), str(bare))
    doc = replay_json(bare, "--last", "2", capsys=capsys)
    assert [reported(c) for c in doc["changes"]] == [[(TLS, "new.py", 5)], []]


def test_json_document_fields(history: History, capsys: pytest.CaptureFixture[str]) -> None:
    doc = replay_json(history.repo.root, "--last", "1", capsys=capsys)
    assert doc["schema_version"] == "1" and doc["kind"] == "reviewbot-replay"
    assert doc["selection"] == {"last": 1, "rev": "HEAD", "merges": False}
    assert set(doc) == {"schema_version", "kind", "tool_version", "repository", "selection", "changes", "summary"}
    (change,) = doc["changes"]
    assert set(change) == {"id", "base", "head", "base_commit", "head_commit", "subject", "seconds", "error", "review"}
    review = change["review"]  # the scan JSON of the change
    assert review["schema_version"] == "1" and review["summary"]["reported"] == 1
    (finding,) = review["findings"]
    assert {"fingerprint", "rule_id", "cwe", "disposition", "in_diff", "context"} <= set(finding)
    assert set(doc["summary"]) == {
        "changes",
        "reviewed",
        "failures",
        "reported",
        "reported_per_change",
        "changes_with_finding",
        "hidden_by_disposition",
        "median_seconds",
        "p90_seconds",
    }


def test_subjects_are_escaped_in_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r").mkdir()
    repo = Repo(tmp_path / "r")
    repo.write("a.py", "x = 1\n")
    repo.commit("base")
    repo.write("a.py", "x = 2\n")
    repo.commit("paint \x1b[31mred")
    code, out, _ = replay(repo.root, "--last", "1", *FLAGS, capsys=capsys)
    assert code == 0 and "\x1b" not in out and "paint \\u001b[31mred" in out


def test_usage_and_whole_repo_failures(history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = history.repo.root
    assert replay(root, "--pairs", "x.jsonl", "--merges", *FLAGS, capsys=capsys)[0] == 2
    assert replay(root, "--last", "0", *FLAGS, capsys=capsys)[0] == 2
    assert replay(root, "--last", "2", "--rev", "no-such-rev", *FLAGS, capsys=capsys)[0] == 2
    assert replay(tmp_path, "--last", "2", *FLAGS, capsys=capsys)[0] == 2  # not a repository
    # git failing for the whole repository: a commit object of its history is missing
    broken = tmp_path / "broken"
    shutil.copytree(root, broken)
    (broken / ".git" / "objects" / history.harmless[:2] / history.harmless[2:]).unlink()
    code, _, err = replay(broken, "--last", "10", *FLAGS, capsys=capsys)
    assert code == 3, err


def test_the_model_scores_every_replayed_finding(history: History, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = replay(
        history.repo.root,
        "--last",
        "1",
        "--rules",
        str(RULES),
        "--scanner",
        "semgrep",
        "--format",
        "json",
        capsys=capsys,
    )
    assert code == 0, err
    (finding,) = json.loads(out)["changes"][0]["review"]["findings"]
    # the bundled model was asked (it has no training rows for the test rule's category)
    assert finding["score"] is not None or "model default" in finding["unscored_reason"]


def test_output_file_gets_the_report_and_stdout_nothing(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "replay.json"
    code, out, _ = replay(
        history.repo.root, "--last", "1", *FLAGS, "--format", "json", "-o", str(out_file), capsys=capsys
    )
    assert code == 0 and out == ""
    assert json.loads(out_file.read_text())["summary"]["reported"] == 1
    code, _, err = replay(history.repo.root, "--last", "1", *FLAGS, "-o", str(tmp_path / "no" / "x"), capsys=capsys)
    assert code == 2 and "--output" in err
