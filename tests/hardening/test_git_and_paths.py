"""Hardening: what git prints to reviewbot, names from the input in messages, and output paths.

* A change cannot talk git into hiding its files: `.gitattributes` (`-diff`, `binary`, a diff
  driver with a textconv or external command, a clean filter, `working-tree-encoding`) and the
  user's global attributes file change nothing in `--base`, `--staged` or `--base --worktree`;
  the finding is reported and no configured command runs (each would leave a marker file).
* Binary is reviewbot's decision from the bytes: real binaries are skipped with a note.
* File names with terminal escapes, bidi controls or newlines are escaped in error messages.
* Bad `--output` paths are usage errors (exit 2) that name the path and create nothing.

Every case runs the real CLI on a real git repository with the real semgrep.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reviewbot.cli.main import main
from tests.conftest import Repo

RULES = Path(__file__).parent.parent / "data" / "rules"
TLS = 'import requests\nrequests.get("https://x", verify=False)\n'
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)

pytestmark = pytest.mark.usefixtures("isolated_git")


def run_cli(capsys: pytest.CaptureFixture[str], cwd: Path, *args: str) -> tuple[int, str, str]:
    before = Path.cwd()
    os.chdir(cwd)
    try:
        code = main(list(args))
    finally:
        os.chdir(before)
    out, err = capsys.readouterr()
    return code, out, err


def scan_json(capsys: pytest.CaptureFixture[str], repo: Repo, *args: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run_cli(capsys, repo.root, "scan", *args, "--rules", str(RULES), "--format", "json")
    assert "Traceback" not in out + err
    return code, (json.loads(out) if out.strip() else {}), err


def reported(doc: dict[str, Any]) -> list[tuple[str, int]]:
    return sorted((f["path"], f["start_line"]) for f in doc.get("findings", []) if f["disposition"] == "reported")


# ---------------------------------------------------------------------------------------------
# 1. attributes in the change (and the user's) do not change what git prints to reviewbot


def _marker_command(marker: Path) -> str:
    # A command that proves it ran; as a filter or textconv it would also hide the code.
    return f"sh -c 'touch {marker}; echo x = 1'"


# name -> (the .gitattributes line, git config to set once the files are in git)
ATTRIBUTES: dict[str, tuple[str, Callable[[Path], dict[str, str]]]] = {
    "minus-diff": ("*.py -diff", lambda m: {}),
    "binary": ("* binary", lambda m: {}),
    "diff-textconv": ("*.py diff=x", lambda m: {"diff.x.textconv": _marker_command(m), "diff.x.binary": "true"}),
    "diff-command": ("*.py diff=x", lambda m: {"diff.x.command": _marker_command(m)}),
    "clean-filter": (
        "*.py filter=x",
        lambda m: {"filter.x.clean": _marker_command(m), "filter.x.smudge": "cat", "filter.x.required": "true"},
    ),
    "working-tree-encoding": ("*.py working-tree-encoding=UTF-16LE", lambda m: {}),
    "ident-eol": ("*.py ident text eol=crlf", lambda m: {}),
}
MODES = ["base", "staged", "worktree"]


def _stage_without_attributes(repo: Repo, files: dict[str, str], attributes: str) -> None:
    """Add files to the index the way the change's author would have them, attributes last
    (so setting up the case runs no filter and converts nothing)."""
    for rel, text in files.items():
        repo.write(rel, text)
        repo.git("add", rel)
    repo.write(".gitattributes", attributes + "\n")
    repo.git("add", ".gitattributes")


def _attribute_case(repo: Repo, mode: str, attributes: str) -> list[str]:
    """Set up the change for `mode`; the scan arguments."""
    repo.git("commit", "-q", "--allow-empty", "-m", "init")
    if mode == "diff":
        return []  # the caller writes the patch
    if mode == "staged":
        _stage_without_attributes(repo, {"a.py": TLS}, attributes)
        return ["--staged"]
    repo.git("checkout", "-q", "-b", "pr")
    if mode == "base":
        _stage_without_attributes(repo, {"a.py": TLS}, attributes)
        repo.git("commit", "-q", "-m", "pr")
        return ["--base", "main"]
    # worktree: the attributes and a harmless a.py are committed; the finding is an uncommitted edit
    _stage_without_attributes(repo, {"a.py": "import requests\n"}, attributes)
    repo.git("commit", "-q", "-m", "pr")
    return ["--base", "main", "--worktree"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("attribute", list(ATTRIBUTES))
def test_attributes_in_the_change_do_not_hide_a_finding(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], attribute: str, mode: str
) -> None:
    line, config = ATTRIBUTES[attribute]
    marker = tmp_path / "driver-ran"
    args = _attribute_case(repo, mode, line)
    for key, value in config(marker).items():
        repo.git("config", key, value)  # the checkout's own config: as good as the user's here
    if mode == "worktree":
        (repo.root / "a.py").write_text(TLS)
    code, doc, err = scan_json(capsys, repo, *args)
    assert code == 0, err
    assert reported(doc) == [("a.py", 2)]
    assert not any("a.py" in s for s in doc["skipped"])
    assert not marker.exists(), "a command named by the change's attributes ran"


@pytest.mark.parametrize("mode", [*MODES, "diff"])
def test_the_users_global_attributes_file_does_not_hide_a_finding(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    marker = tmp_path / "driver-ran"
    args = _attribute_case(repo, mode, "# nothing in the repository")
    (tmp_path / "attributes").write_text("*.py -diff filter=x\n")
    (tmp_path / "gitconfig").write_text(
        # quoted: `;` would start a comment in a config file
        f'[core]\n\tattributesFile = {tmp_path / "attributes"}\n[filter "x"]\n\tclean = "{_marker_command(marker)}"\n'
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    if mode == "worktree":
        (repo.root / "a.py").write_text(TLS)
    if mode == "diff":  # `git apply` in a temporary copy: it would run the filter too
        (repo.root / "a.py").write_text("import requests\n")
        patch = tmp_path / "change.patch"
        hunk = '@@ -1 +1,2 @@\n import requests\n+requests.get("https://x", verify=False)\n'
        patch.write_text("--- a/a.py\n+++ b/a.py\n" + hunk)
        args = ["--diff", str(patch)]
    code, doc, err = scan_json(capsys, repo, *args)
    assert code == 0, err
    assert reported(doc) == [("a.py", 2)]
    assert not marker.exists()


def test_worktree_line_endings_alone_are_no_change(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    # A CRLF checkout (core.autocrlf, `eol=crlf`) of LF blobs: compared as LF, as git compares them
    repo.write("a.py", "import requests\n")
    repo.write("b.py", "x = 1\ny = 2\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "pr")
    (repo.root / "a.py").write_bytes(TLS.replace("\n", "\r\n").encode())
    (repo.root / "b.py").write_bytes(b"x = 1\r\ny = 2\r\n")
    code, doc, err = scan_json(capsys, repo, "--base", "main", "--worktree")
    assert code == 0, err
    assert doc["files_changed"] == 1 and doc["skipped"] == []
    (finding,) = [f for f in doc["findings"] if f["disposition"] == "reported"]
    assert (finding["path"], finding["start_line"], finding["in_diff"]) == ("a.py", 2, True)


def test_worktree_review_writes_nothing_into_the_repository(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("a.py", "import requests\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "pr")
    repo.write("a.py", TLS)  # uncommitted: its blob exists nowhere yet
    git_dir = repo.root / ".git"
    before = {p: p.read_bytes() for p in [*git_dir.glob("objects/**/*"), git_dir / "index"] if p.is_file()}
    code, doc, err = scan_json(capsys, repo, "--base", "main", "--worktree")
    assert code == 0, err
    assert reported(doc) == [("a.py", 2)]
    after = {p: p.read_bytes() for p in [*git_dir.glob("objects/**/*"), git_dir / "index"] if p.is_file()}
    assert after == before


# ---------------------------------------------------------------------------------------------
# real binaries: skipped with a note, never a garbage review or a crash

BINARIES = {"png": ("logo.png", PNG), "py-with-nul": ("data.py", b"x = 1\n\x00\x01\x02\nrequests = 2\n")}


@pytest.mark.parametrize("mode", ["base", "staged", "worktree", "all"])
@pytest.mark.parametrize("kind", list(BINARIES))
def test_a_real_binary_file_is_skipped_with_a_note(
    repo: Repo, capsys: pytest.CaptureFixture[str], kind: str, mode: str
) -> None:
    name, data = BINARIES[kind]
    repo.git("commit", "-q", "--allow-empty", "-m", "init")
    if mode != "staged":
        repo.git("checkout", "-q", "-b", "pr")
    (repo.root / name).write_bytes(data if mode != "worktree" else b"placeholder\n")
    repo.write("a.py", TLS)
    repo.git("add", "-A")
    if mode in ("base", "worktree"):
        repo.git("commit", "-q", "-m", "pr")
    if mode == "worktree":
        (repo.root / name).write_bytes(data)
    args = {"base": ["--base", "main"], "staged": ["--staged"], "worktree": ["--base", "main", "--worktree"]}
    code, doc, err = scan_json(capsys, repo, *args.get(mode, ["--all"]))
    assert code == 0, err
    assert reported(doc) == [("a.py", 2)]  # the rest of the change is still reviewed
    # --all reads only the files it has rules for, so a picture is skipped before its bytes are read
    reason = "no rules for this file type" if (mode, kind) == ("all", "png") else "binary file"
    assert f"{name}: skipped ({reason})" in doc["skipped"]
    assert not any(f["path"] == name for f in doc["findings"])


@pytest.mark.parametrize("mode", ["base", "staged", "worktree"])
def test_a_file_over_the_size_limit_is_left_out_of_the_patch(
    repo: Repo, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    # --text would print it whole; it is listed as too large without its bytes being read
    big = bytes(range(256)) * 40  # 10240 bytes, NULs included
    repo.write("old.py", "x = 1\n" * 300)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "init")
    if mode != "staged":
        repo.git("checkout", "-q", "-b", "pr")
    repo.write("a.py", TLS)
    (repo.root / "asset.bin").write_bytes(big)
    repo.write("old.py", "y = 2\n" * 300)  # modified, over the limit on both sides
    repo.git("add", "-A")
    if mode != "staged":
        repo.git("commit", "-q", "-m", "pr")
    if mode == "worktree":
        (repo.root / "asset.bin").write_bytes(big[::-1])
    args = {"base": ["--base", "main"], "staged": ["--staged"], "worktree": ["--base", "main", "--worktree"]}[mode]
    code, doc, err = scan_json(capsys, repo, *args, "--max-file-bytes", "1000")
    assert code == 0, err
    assert reported(doc) == [("a.py", 2)]
    assert sorted(doc["skipped"]) == [
        "asset.bin: skipped (larger than 1000 bytes)",
        "old.py: skipped (larger than 1000 bytes)",
    ]


# the PR path: `reviewbot pr` builds its change from the checkout the same way


@pytest.mark.parametrize("attributes", ["*.py -diff", "* binary"])
def test_the_pr_path_posts_the_finding_of_a_file_the_pr_marks_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, attributes: str
) -> None:
    from tests.github.conftest import NUMBER, REPO, Env, pull_request_event
    from tests.github.fake_github import BOT, FakeGitHub
    from tests.hardening.pr_support import pr_checkout

    root = tmp_path / "repo"
    checkout = pr_checkout(root, {".gitattributes": attributes + "\n"})
    with FakeGitHub() as fake:
        fake.add_pull(checkout.pull())  # GitHub's files, as plain `git diff` shows them
        env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=root)
        env.extra.update(REVIEWBOT_RULES=str(RULES), REVIEWBOT_GITHUB_WRITE_SPACING="0")
        run = env.run(monkeypatch=monkeypatch)
        assert run.code == 0, run.out + run.err
        assert "Traceback" not in run.out + run.err
        posted = [c["body"] for c in fake.bot_review_comments(REPO, NUMBER)]
        posted += [c["body"] for c in fake.issue_comments if c["user"]["login"] == BOT]
        assert any("test.tls.verify-disabled" in body for body in posted), posted
        (check,) = fake.check_runs
        assert check["output"]["title"] != "0 findings"
        assert "binary file" not in json.dumps(check["output"])
        assert fake.violations == []


# ---------------------------------------------------------------------------------------------
# 6. names from the input are escaped in error messages: no repainting, no reordering, one line

# (raw name, how it is written in a patch header, what the message must show instead)
NAMES = {
    "ansi": ("\x1b[2J\x1b[31mx.py", "\x1b[2J\x1b[31mx.py", "\\u001b[2J\\u001b[31mx.py"),
    "c1-csi": ("\x9b2Jx.py", "\x9b2Jx.py", "\\u009b2Jx.py"),
    "bidi": ("x\u202eyp.txt", "x\u202eyp.txt", "x\\u202eyp.txt"),
    "zero-width": ("x\u200b.py", "x\u200b.py", "x\\u200b.py"),
    "newline": ("x\nreviewbot: ok.py", '"{side}/x\\nreviewbot: ok.py"', "x\\u000areviewbot: ok.py"),
}


def _assert_one_inert_error(err: str, raw: str, shown: str) -> None:
    assert "Traceback" not in err
    assert raw not in err and "\x1b" not in err and "\u202e" not in err
    assert shown in err
    assert err.count("\n") == 1 and err.startswith("reviewbot: error: ")  # one line, no forged second


@pytest.mark.parametrize("name", list(NAMES))
def test_a_patch_path_in_an_error_message_is_escaped(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    raw, header, shown = NAMES[name]
    repo.git("commit", "-q", "--allow-empty", "-m", "init")
    old = header.format(side="a") if "{side}" in header else f"a/{header}"
    new = header.format(side="b") if "{side}" in header else f"b/{header}"
    patch = tmp_path / "change.patch"
    patch.write_text(f"--- {old}\n+++ {new}\n@@ -1 +1 @@\n-a\n+b\n", encoding="utf-8")
    code, _out, err = run_cli(capsys, repo.root, "scan", "--diff", str(patch), "--rules", str(RULES))
    assert code == 2
    assert "is not a regular file under" in err
    _assert_one_inert_error(err, raw, shown)


@pytest.mark.parametrize("name", list(NAMES))
def test_a_path_given_to_all_is_escaped_in_the_error(repo: Repo, capsys: pytest.CaptureFixture[str], name: str) -> None:
    raw, _, shown = NAMES[name]
    code, _out, err = run_cli(capsys, repo.root, "scan", "--all", raw, "--rules", str(RULES))
    assert code == 2
    assert "no such file or directory" in err
    _assert_one_inert_error(err, raw, shown)


def test_a_value_in_a_usage_error_is_escaped(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    # argparse quotes a bad choice with repr(), but not an unrecognized argument
    code, _out, err = run_cli(capsys, repo.root, "scan", "--staged", "--\x1b[2Jx\nreviewbot: ok")
    assert code == 2
    assert "\x1b" not in err and "unrecognized arguments: --\\u001b[2Jx\\u000areviewbot: ok" in err
    assert [line for line in err.splitlines() if line.startswith("reviewbot:")] == [err.splitlines()[-1]]


# ---------------------------------------------------------------------------------------------
# 15. output paths: a bad one is a usage error naming it, and no folder is ever made for it

BAD_OUTPUTS = ["under-a-file", "missing-folders", "is-a-folder"]


def _bad_output(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """(the bad path, the part of the message that explains it)"""
    (tmp_path / "some-file.txt").write_text("not a folder\n")
    (tmp_path / "a-folder").mkdir()
    return {
        "under-a-file": (tmp_path / "some-file.txt" / "out.json", "some-file.txt is a file, not a folder"),
        "missing-folders": (tmp_path / "nonexistent" / "dir" / "out.json", "does not exist"),
        "is-a-folder": (tmp_path / "a-folder", "is a folder, not a file"),
    }[kind]


def _assert_refused(code: int, out: str, err: str, bad: Path, why: str, tmp_path: Path) -> None:
    assert code == 2, out + err
    assert "Traceback" not in out + err
    assert f"{bad}: " in err and why in err
    assert not (tmp_path / "nonexistent").exists()  # no folder made
    assert sorted(p.name for p in tmp_path.iterdir() if p.name in ("some-file.txt", "a-folder")) == [
        "a-folder",
        "some-file.txt",
    ]
    assert (tmp_path / "some-file.txt").read_text() == "not a folder\n" and not any((tmp_path / "a-folder").iterdir())


@pytest.mark.parametrize("kind", BAD_OUTPUTS)
@pytest.mark.parametrize("flag", ["--output", "-o"])
def test_scan_refuses_a_bad_output_path(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, kind: str
) -> None:
    repo.write("a.py", TLS)
    repo.commit("a")
    bad, why = _bad_output(tmp_path, kind)
    code, out, err = run_cli(capsys, repo.root, "scan", "--all", "--rules", str(RULES), flag, str(bad))
    _assert_refused(code, out, err, bad, why, tmp_path)
    assert err.startswith("reviewbot: error: --output ")


@pytest.mark.parametrize("kind", BAD_OUTPUTS)
def test_report_refuses_a_bad_out_path(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    bad, why = _bad_output(tmp_path, kind)
    data = Path(__file__).parent.parent / "data"
    args = ["report", "--ledger", str(data / "triage.jsonl"), "--reports", str(data / "reports"), "--out", str(bad)]
    code, out, err = run_cli(capsys, tmp_path, *args)
    _assert_refused(code, out, err, bad, why, tmp_path)


@pytest.mark.parametrize("kind", ["under-a-file", "is-a-file"])
def test_train_refuses_a_model_folder_under_or_at_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    (tmp_path / "some-file.txt").write_text("not a folder\n")
    bad = tmp_path / "some-file.txt" / ("model" if kind == "under-a-file" else "")
    ledger = Path(__file__).parent.parent / "data" / "triage.jsonl"
    code, out, err = run_cli(capsys, tmp_path, "train", "--ledger", str(ledger), "--out", str(bad))
    assert code == 2, out + err
    assert "Traceback" not in out + err
    assert "some-file.txt is a file, not a folder" in err and err.startswith("reviewbot: error: --out ")
    assert (tmp_path / "some-file.txt").read_text() == "not a folder\n"


@pytest.mark.parametrize("kind", BAD_OUTPUTS)
def test_suppress_add_refuses_a_bad_file_path(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    bad, why = _bad_output(tmp_path, kind)
    args = ["suppress", "add", "--rule", "r", "--reason", "safe", "--owner", "me", "--expires", "30d"]
    code, out, err = run_cli(capsys, repo.root, *args, "--file", str(bad))
    _assert_refused(code, out, err, bad, why, tmp_path)


@pytest.mark.parametrize("kind", BAD_OUTPUTS)
def test_pr_save_results_to_a_bad_path_is_a_notice_and_exit_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    from tests.github.conftest import Env, make_checkout, pull_request_event
    from tests.github.fake_github import FakeGitHub

    checkout = make_checkout(tmp_path / "repo")
    bad, why = _bad_output(tmp_path, kind)
    with FakeGitHub() as fake:
        fake.add_pull(checkout.pull())
        env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=checkout.root)
        env.extra.update(REVIEWBOT_RULES=str(RULES))
        run = env.run("--no-post", "--save-results", str(bad), monkeypatch=monkeypatch)
        assert fake.violations == []
    assert run.code == 0  # `reviewbot pr` never blocks
    assert "Traceback" not in run.out + run.err
    if kind == "missing-folders":
        # the documented workflows save to ${{ runner.temp }}/reviewbot/results.json: made for them
        assert json.loads(bad.read_text())["schema"] == "reviewbot-pr-results/1"
        return
    assert "reviewbot did not finish: --save-results" in run.out and why in run.out
    assert not any((tmp_path / "a-folder").iterdir())
    assert (tmp_path / "some-file.txt").read_text() == "not a folder\n"


def test_the_pr_path_escapes_a_file_name_in_its_workflow_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.github.conftest import BASE_APP, Env, pull_request_event
    from tests.github.fake_github import FakeGitHub
    from tests.hardening.pr_support import pr_checkout

    root = tmp_path / "repo"
    checkout = pr_checkout(root, {"\x1b[2J\x1b[31mevil\u202e.py": TLS}, app=BASE_APP)
    with FakeGitHub() as fake:
        fake.add_pull(checkout.pull())
        env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=root)
        env.extra.update(REVIEWBOT_RULES=str(RULES))
        run = env.run("--no-post", monkeypatch=monkeypatch)
    assert run.code == 0, run.out + run.err
    assert "\x1b" not in run.out + run.err and "\u202e" not in run.out + run.err
    assert any("\\u001b[2J\\u001b[31mevil\\u202e.py" in line for line in run.commands), run.commands


def test_eval_reports_an_unwritable_plot_and_keeps_its_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_training import synthetic_records, write_ledger

    ledger = write_ledger(tmp_path / "triage.jsonl", synthetic_records(300, seed=4))
    model = tmp_path / "model"
    code, out, err = run_cli(capsys, tmp_path, "train", "--ledger", str(ledger), "--out", str(model))
    assert code == 0, out + err
    (model / "eval.png").unlink(missing_ok=True)
    (model / "eval.png").mkdir()  # the plot's path cannot be written
    code, out, err = run_cli(capsys, tmp_path, "eval", "--ledger", str(ledger), "--model", str(model), "--curve", "50")
    assert code == 0, out + err
    assert "Traceback" not in out + err
    assert "P@95%R" in out and f"no plot written: {model / 'eval.png'}: " in err
