"""Suppressions: inline comments, the suppressions file, expiry, what a change adds, usage, and `suppress`.

Real files in temp dirs and real git repositories wherever base and head matter; findings are
built as values (the stage takes any findings), plus one run through the real tree-sitter scanner.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from reviewbot.change.changes import Change, from_all, from_base, from_staged
from reviewbot.change.git import GitRepo
from reviewbot.cli.main import main
from reviewbot.errors import ConfigError
from reviewbot.finding import Confidence, Disposition, Finding, Scanner, Severity
from reviewbot.policy.config import Config, SuppressionSettings
from reviewbot.policy.inline import scan_inline
from reviewbot.policy.suppression_file import (
    SUPPRESSIONS_FILE,
    SuppressionError,
    compile_glob,
    default_usage_path,
    parse_suppressions,
    read_usage,
)
from reviewbot.policy.suppressions import (
    Effective,
    SuppressionOutcome,
    apply_suppressions,
    record_usage,
    suppressions_for,
)
from tests.conftest import Repo

TODAY = date(2026, 3, 1)
FP_A, FP_B, FP_C = "a" * 32, "b" * 32, "c" * 32


def finding(
    path: str = "app.py",
    line: int = 2,
    rule: str = "py.cmdi",
    fp: str = FP_A,
    disposition: Disposition = Disposition.REPORTED,
) -> Finding:
    return Finding(
        rule_id=rule,
        scanner=Scanner.SEMGREP,
        path=path,
        start_line=line,
        start_col=1,
        end_line=line,
        end_col=5,
        message="m",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        category="cmdi",
        fingerprint=fp,
        disposition=disposition,
    )


def tree(root: Path, files: dict[str, str]) -> Change:
    """A whole-tree (`--all`) change over real files: everything present applies."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return from_all(root, [])


def run(
    change: Change, findings: list[Finding], config: Config | None = None, *, trust_head: bool = False
) -> tuple[Effective, SuppressionOutcome]:
    effective = suppressions_for(change, config, trust_head=trust_head)
    return effective, apply_suppressions(findings, effective, today=TODAY)


def entries_yaml(*entries: str) -> str:
    return "version: 1\nsuppressions:\n" + "".join(entries)


def entry(ident: str, scope: str, expires: str = "expires: 2026-12-31") -> str:
    lines = [f"- id: {ident}", *scope.splitlines(), "reason: fixture hosts only", "owner: ada", expires]
    return "".join(("  " if i == 0 else "    ") + x + "\n" for i, x in enumerate(lines))


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)


# -- inline comments ---------------------------------------------------------------------------------


def test_inline_ignore_with_a_reason_on_the_line_suppresses_and_says_where_and_why(tmp_path: Path) -> None:
    change = tree(
        tmp_path / "r", {"app.py": "import os\nos.system(cmd)  # reviewbot: ignore[py.cmdi] cmd is a constant\n"}
    )
    _, out = run(change, [finding()])
    [f] = out.findings
    assert f.disposition is Disposition.SUPPRESSED_INLINE
    assert "app.py:2" in f.disposition_reason and "cmd is a constant" in f.disposition_reason


def test_inline_ignore_alone_on_the_line_above_suppresses(tmp_path: Path) -> None:
    text = "import os\n# reviewbot: ignore[py.cmdi] fixed argv\nos.system(cmd)\n"
    _, out = run(tree(tmp_path / "r", {"app.py": text}), [finding(line=3)])
    assert out.findings[0].disposition is Disposition.SUPPRESSED_INLINE


def test_inline_ignore_above_a_code_line_does_not_reach_further(tmp_path: Path) -> None:
    text = "x = 1  # reviewbot: ignore[py.cmdi] fixed argv\nos.system(cmd)\n"
    _, out = run(tree(tmp_path / "r", {"app.py": text}), [finding(line=2)])
    assert out.findings[0].disposition is Disposition.REPORTED


def test_inline_ignore_without_a_reason_suppresses_nothing_and_is_a_note_naming_the_place(tmp_path: Path) -> None:
    text = "import os\nos.system(cmd)  # reviewbot: ignore[py.cmdi]\n"
    _, out = run(tree(tmp_path / "r", {"app.py": text}), [finding()])
    assert out.findings[0].disposition is Disposition.REPORTED
    [note] = out.notes
    assert note.startswith("app.py:2:") and "no reason" in note


@pytest.mark.parametrize(
    ("comment", "rule", "suppressed"),
    [
        ("# reviewbot: ignore[py.sqli, py.cmdi] both are constants", "py.cmdi", True),
        ("# reviewbot: ignore[py.sqli,py.cmdi] - both are constants", "py.sqli", True),
        ("# reviewbot: ignore[py.sqli] only the query", "py.cmdi", False),
        ("# reviewbot: ignore[*] generated code", "py.anything", True),
        ("# reviewbot: ignore[] no ids", "py.cmdi", False),
        ("# reviewbot: ignore no brackets", "py.cmdi", False),
        ("# nosemgrep", "py.cmdi", True),
        ("# nosemgrep: py.sqli", "py.cmdi", False),
        ("# nosemgrep: rules.py.cmdi", "py.cmdi", True),
    ],
)
def test_inline_rule_lists_and_wildcards(tmp_path: Path, comment: str, rule: str, suppressed: bool) -> None:
    _, out = run(tree(tmp_path / "r", {"app.py": f"import os\nos.system(cmd)  {comment}\n"}), [finding(rule=rule)])
    expected = Disposition.SUPPRESSED_INLINE if suppressed else Disposition.REPORTED
    assert out.findings[0].disposition is expected


@pytest.mark.parametrize(
    ("path", "text", "suppressed"),
    [
        ("web/app.js", "run(cmd); // reviewbot: ignore[js.cmdi] argv is fixed\n", True),
        ("web/app.ts", "// reviewbot: ignore[js.cmdi] argv is fixed\nrun(cmd);\n", True),
        ("Main.java", "run(cmd); /* reviewbot: ignore[js.cmdi] argv is fixed */\n", True),
        ("main.go", "/* reviewbot: ignore[js.cmdi] argv is fixed */\nrun(cmd)\n", True),
        ("main.go", "run(cmd) /* reviewbot: ignore[js.cmdi] */\n", False),  # the reason is inside the comment
        ("app.py", "run(cmd)  // reviewbot: ignore[js.cmdi] not a Python comment\n", False),
        ("app.py", 'run("# reviewbot: ignore[js.cmdi] in a string")\n', True),  # known limit: a '#' in a string
        ("conf.yml", "cmd: run  # reviewbot: ignore[js.cmdi] argv is fixed\n", True),
        ("tool.php", "run($cmd); # reviewbot: ignore[js.cmdi] argv is fixed\n", True),
    ],
)
def test_inline_comment_syntax_follows_the_language(tmp_path: Path, path: str, text: str, suppressed: bool) -> None:
    # Java and Go have no rules yet, so no change loads them: build the change by hand
    change = Change(tmp_path, "test", [], head={path: text.encode()}, whole_tree=True)
    _, out = run(change, [finding(path=path, line=text.count("\n"), rule="js.cmdi")])
    expected = Disposition.SUPPRESSED_INLINE if suppressed else Disposition.REPORTED
    assert out.findings[0].disposition is expected


def test_block_comment_reason_stops_at_the_comment_end() -> None:
    [d] = scan_inline("a.go", b"run() /* reviewbot: ignore[go.x] fixed argv */ + more()\n")
    assert d.reason == "fixed argv" and d.problem is None


def test_nosemgrep_can_be_turned_off_in_the_config(tmp_path: Path) -> None:
    change = tree(tmp_path / "r", {"app.py": "import os\nos.system(cmd)  # nosemgrep\n"})
    config = Config(suppressions=SuppressionSettings(nosemgrep=False))
    _, out = run(change, [finding()], config)
    assert out.findings[0].disposition is Disposition.REPORTED
    _, out = run(change, [finding()])
    assert out.findings[0].disposition is Disposition.SUPPRESSED_INLINE


def test_a_nosemgrep_comment_naming_the_rule_suppresses_as_a_nosemgrep_comment(tmp_path: Path) -> None:
    text = "import os\nos.system(cmd)  # nosemgrep: py.cmdi\n"
    [d] = scan_inline("app.py", text.encode())
    _, out = run(tree(tmp_path / "r", {"app.py": text}), [finding()])
    assert out.findings[0].disposition is Disposition.SUPPRESSED_INLINE and d.reason == "nosemgrep comment"


def test_the_stage_recomputes_inline_marks_it_owns(tmp_path: Path) -> None:
    """A finding marked SUPPRESSED_INLINE before the stage is re-judged (here: no comment at all)."""
    marked = finding().with_disposition(Disposition.SUPPRESSED_INLINE, "nosemgrep comment")
    _, out = run(tree(tmp_path / "r", {"app.py": "import os\nos.system(cmd)\n"}), [marked])
    assert out.findings[0].disposition is Disposition.REPORTED


# -- the suppressions file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "hit"),
    [
        ("rule: py.cmdi", finding(rule="py.cmdi")),
        ("path: tests/**", finding(path="tests/unit/test_app.py")),
        ("path: '**/fixtures/*.py'", finding(path="a/b/fixtures/x.py")),
        (f"fingerprint: {FP_B.upper()}", finding(fp=FP_B)),
        ("rule: py.cmdi\npath: tests/**", finding(rule="py.cmdi", path="tests/x.py")),
    ],
)
def test_file_entry_by_rule_glob_fingerprint(tmp_path: Path, scope: str, hit: Finding) -> None:
    change = tree(tmp_path / "r", {SUPPRESSIONS_FILE: entries_yaml(entry("sup-1", scope))})
    miss = finding(rule="py.other", path="src/app.py", fp=FP_C)
    _, out = run(change, [hit, miss])
    got, other = out.findings
    assert got.disposition is Disposition.SUPPRESSED_FILE
    assert got.disposition_reason == "suppression sup-1 (ada, until 2026-12-31): fixture hosts only"
    assert other.disposition is Disposition.REPORTED
    assert out.matched == {"sup-1"}


def test_an_entry_needs_every_scope_it_names(tmp_path: Path) -> None:
    change = tree(tmp_path / "r", {SUPPRESSIONS_FILE: entries_yaml(entry("sup-1", "rule: py.cmdi\npath: tests/**"))})
    _, out = run(change, [finding(rule="py.cmdi", path="src/app.py")])
    assert out.findings[0].disposition is Disposition.REPORTED


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("tests/**", "tests/a/b.py", True),
        ("tests/", "tests/a.py", True),
        ("*.py", "app.py", True),
        ("*.py", "src/app.py", False),
        ("**/*.py", "src/app.py", True),
        ("**/*.py", "app.py", True),
        ("src/*/x.py", "src/a/b/x.py", False),
        ("src/**/x.py", "src/a/b/x.py", True),
        ("src/[!t]*.py", "src/app.py", True),
        ("src/[!t]*.py", "src/tool.py", False),
        ("a?.py", "ab.py", True),
        ("a.py", "aXpy", False),
    ],
)
def test_path_globs(pattern: str, path: str, hit: bool) -> None:
    assert (compile_glob(pattern).fullmatch(path) is not None) is hit


@pytest.mark.parametrize(
    ("today", "suppressed"),
    [(date(2026, 1, 30), True), (date(2026, 1, 31), True), (date(2026, 2, 1), False)],
)
def test_expiry_is_the_last_day_it_suppresses(tmp_path: Path, today: date, suppressed: bool) -> None:
    change = tree(
        tmp_path / "r", {SUPPRESSIONS_FILE: entries_yaml(entry("sup-9", "rule: py.cmdi", "expires: 2026-01-31"))}
    )
    out = apply_suppressions([finding()], suppressions_for(change), today=today)
    [f] = out.findings
    if suppressed:
        assert f.disposition is Disposition.SUPPRESSED_FILE and not out.expired
    else:
        assert f.disposition is Disposition.REPORTED
        assert f.disposition_reason.startswith("suppression sup-9 expired on 2026-01-31")
        assert out.expired == {FP_A: f.disposition_reason}
        assert out.matched == frozenset()


def test_an_active_entry_wins_over_an_expired_one(tmp_path: Path) -> None:
    text = entries_yaml(entry("old", "rule: py.cmdi", "expires: 2025-01-01"), entry("new", "rule: py.cmdi"))
    _, out = run(tree(tmp_path / "r", {SUPPRESSIONS_FILE: text}), [finding()])
    assert out.findings[0].disposition is Disposition.SUPPRESSED_FILE
    assert "new" in out.findings[0].disposition_reason


def test_a_permanent_entry_never_expires(tmp_path: Path) -> None:
    text = entries_yaml(entry("p", "rule: py.cmdi", "permanent: true"))
    change = tree(tmp_path / "r", {SUPPRESSIONS_FILE: text})
    out = apply_suppressions([finding()], suppressions_for(change), today=date(2999, 1, 1))
    assert out.findings[0].disposition is Disposition.SUPPRESSED_FILE
    assert "permanent" in out.findings[0].disposition_reason


def test_other_dispositions_are_kept_but_still_count_as_use(tmp_path: Path) -> None:
    change = tree(tmp_path / "r", {SUPPRESSIONS_FILE: entries_yaml(entry("sup-1", "rule: py.cmdi"))})
    _, out = run(change, [finding(disposition=Disposition.PREEXISTING)])
    assert out.findings[0].disposition is Disposition.PREEXISTING
    assert out.matched == {"sup-1"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            entries_yaml(entry("ok", "rule: a"), entry("bad", "rule: b", "owner2: x")),
            "entry #2 (id bad), line 8: owner2 (line 12): not a key of a schema-1 entry",
        ),
        (
            entries_yaml(entry("ok", "rule: a"), entry("bad", "rule: b", "permanent: false")),
            "entry #2 (id bad), line 8: `expires: YYYY-MM-DD` is required (or `permanent: true`",
        ),
        (entries_yaml(entry("s", "reason2: x")), "entry #1 (id s), line 3"),
        (entries_yaml(entry("s", "rule: a", "expires: 31/12/2026")), "expires (line 7): Value error, '31/12/2026'"),
        (entries_yaml(entry("s", "rule: a", "expires: 2026-12-31\n    permanent: true")), "not both"),
        (entries_yaml(entry("s", "rule: a"), entry("s", "rule: b")), "id s is also the id of the entry on line 3"),
        (entries_yaml("  - id: x\n    rule: a\n    reason: ''\n    owner: o\n    expires: 2026-01-01\n"), "reason"),
        (entries_yaml("  - just a string\n"), "entry #1, line 3: must be a mapping"),
        ("version: 2\nsuppressions: []\n", "unknown version 2"),
        ("suppressions: []\n", "no `version`"),
        ("version: 1\nsuppression: []\n", "unknown key 'suppression'"),
        ("version: 1\nsuppressions:\n  - id: a\n    id: b\n", "key 'id' appears twice"),
        ("version: 1\nsuppressions: [\n", "not valid YAML"),
    ],
)
def test_a_malformed_file_is_a_clear_error_naming_the_file_and_entry(text: str, expected: str) -> None:
    with pytest.raises(SuppressionError) as info:
        parse_suppressions(text.encode(), ".reviewbot/suppressions.yml")
    message = str(info.value)
    assert message.startswith(".reviewbot/suppressions.yml:")
    assert expected.replace("Value error, ", "") in message


def test_an_entry_without_scope_is_refused() -> None:
    text = entries_yaml("  - id: x\n    reason: r\n    owner: o\n    expires: 2026-01-01\n")
    with pytest.raises(SuppressionError, match=r"entry #1 \(id x\), line 3: needs a scope"):
        parse_suppressions(text.encode(), "f.yml")


# -- base versus head: the change cannot suppress its own findings -------------------------------------


@pytest.fixture
def pr(repo: Repo) -> Repo:
    """main: app.py and a suppressions file; branch `feature` checked out, ready for commits."""
    repo.write("app.py", "import os\n\n\ndef main():\n    return 1\n")
    repo.write(SUPPRESSIONS_FILE, entries_yaml(entry("base-1", "rule: py.base-rule")))
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    return repo


def review(repo: Repo) -> Change:
    return from_base(GitRepo(repo.root), "main")


def test_an_inline_ignore_added_by_the_change_is_reported_and_not_applied(pr: Repo) -> None:
    pr.write("app.py", "import os\n\n\ndef main():\n    os.system(cmd)  # reviewbot: ignore[py.cmdi] trust me\n")
    pr.commit()
    _, out = run(review(pr), [finding(line=5)])
    [f] = out.findings
    assert f.disposition is Disposition.REPORTED
    [added] = out.added
    assert (added.kind, added.where, added.change, added.applied) == ("inline", "app.py:5", "added", False)
    assert added.silences == ("py.cmdi",) and added.reason == "trust me"
    assert [h.fingerprint for h in added.hides] == [FP_A]
    note = out.notes[-1]
    assert note.startswith("suppression added by this change (not applied")
    assert "py.cmdi at app.py:5" in note and "would hide" in note


def test_a_comment_the_change_adds_is_listed_even_when_it_hides_nothing(pr: Repo) -> None:
    pr.write("app.py", "import os\n# nosemgrep\n\ndef main():\n    return 1\n")
    pr.commit()
    _, out = run(review(pr), [])
    [added] = out.added
    assert added.what == "`nosemgrep`" and added.hides == () and "hides no finding" in added.describe()


def test_an_ignore_on_the_base_still_applies_where_the_change_leaves_it_and_its_line_alone(pr: Repo) -> None:
    pr.write("app.py", "import os\n\n\ndef main():\n    os.system(cmd)  # reviewbot: ignore[py.cmdi] constant\n")
    pr.commit("main: the ignore")
    pr.git("checkout", "-q", "main")
    pr.git("merge", "-q", "--ff-only", "feature")
    pr.git("checkout", "-q", "feature")
    pr.write("app.py", "import os\n\n\ndef main():\n    os.system(cmd)  # reviewbot: ignore[py.cmdi] constant\nx = 2\n")
    pr.commit()
    _, out = run(review(pr), [finding(line=5)])
    assert out.findings[0].disposition is Disposition.SUPPRESSED_INLINE
    assert out.added == []


def test_new_code_under_an_existing_ignore_is_not_hidden(pr: Repo) -> None:
    pr.write("app.py", "import os\n# reviewbot: ignore[py.cmdi] the argv is fixed\nos.system('ls')\n")
    pr.commit("main: the ignore")
    pr.git("checkout", "-q", "main")
    pr.git("merge", "-q", "--ff-only", "feature")
    pr.git("checkout", "-q", "feature")
    pr.write("app.py", "import os\n# reviewbot: ignore[py.cmdi] the argv is fixed\nos.system(user_input)\n")
    pr.commit()
    _, out = run(review(pr), [finding(line=3)])
    assert out.findings[0].disposition is Disposition.REPORTED
    [added] = out.added
    assert added.change == "new code under it" and added.where == "app.py:2"
    assert out.notes[-1].startswith("this change puts new code under an existing suppression")


def test_a_file_entry_added_by_the_change_is_reported_and_not_applied(pr: Repo) -> None:
    pr.write(SUPPRESSIONS_FILE, entries_yaml(entry("base-1", "rule: py.base-rule"), entry("pr-1", "rule: py.cmdi")))
    pr.write("app.py", "import os\n\n\ndef main():\n    os.system(cmd)\n")
    pr.commit()
    base_hit = finding(rule="py.base-rule", fp=FP_B, line=4)
    _, out = run(review(pr), [finding(line=5), base_hit])
    f, g = out.findings
    assert f.disposition is Disposition.REPORTED
    assert g.disposition is Disposition.SUPPRESSED_FILE  # the base's entry applies
    [added] = out.added
    assert (added.kind, added.change, added.applied) == ("file", "added", False)
    assert added.where == f"{SUPPRESSIONS_FILE} entry pr-1 (line 8)" and added.silences == ("py.cmdi",)
    assert [h.fingerprint for h in added.hides] == [FP_A]


def test_widening_an_entry_is_an_edit_and_the_base_scope_still_rules(pr: Repo) -> None:
    pr.write(SUPPRESSIONS_FILE, entries_yaml(entry("base-1", "path: '**'")))
    pr.commit()
    already_hidden = finding(rule="py.base-rule", fp=FP_B)  # by the base's version of base-1
    _, out = run(review(pr), [finding(rule="py.cmdi"), already_hidden])
    assert out.findings[0].disposition is Disposition.REPORTED
    assert out.findings[1].disposition is Disposition.SUPPRESSED_FILE
    [added] = out.added
    assert added.change == "edited" and added.silences == ("*",)
    assert [h.fingerprint for h in added.hides] == [FP_A]  # only what the edit newly hides


def test_a_broken_head_file_is_a_note_and_a_broken_base_is_an_error(pr: Repo) -> None:
    pr.write(SUPPRESSIONS_FILE, "version: 1\nsuppressions:\n  - id: x\n")
    pr.commit()
    effective, out = run(review(pr), [finding(rule="py.base-rule")])
    assert out.findings[0].disposition is Disposition.SUPPRESSED_FILE
    assert any("its new version is invalid" in n and "entry #1 (id x)" in n for n in effective.notes)
    pr.git("checkout", "-q", "main")
    pr.write(SUPPRESSIONS_FILE, "version: 1\nsuppressions:\n  - id: x\n")
    pr.commit("broken on main")
    pr.git("checkout", "-q", "-b", "next")
    pr.write("app.py", "x = 1\n")
    pr.commit()
    with pytest.raises(ConfigError, match=r"suppressions\.yml: entry #1 \(id x\), line 3"):
        suppressions_for(review(pr))


def test_trusting_the_head_applies_what_it_adds_and_still_lists_it(pr: Repo) -> None:
    pr.write("app.py", "import os\n\n\ndef main():\n    os.system(cmd)  # reviewbot: ignore[py.cmdi] mine\n")
    pr.write(SUPPRESSIONS_FILE, entries_yaml(entry("pr-1", "rule: py.sqli")))
    pr.git("add", "-A")
    change = from_staged(GitRepo(pr.root))
    _, out = run(change, [finding(line=5), finding(rule="py.sqli", fp=FP_B, line=1)], trust_head=True)
    assert [f.disposition for f in out.findings] == [Disposition.SUPPRESSED_INLINE, Disposition.SUPPRESSED_FILE]
    assert {(a.kind, a.applied) for a in out.added} == {("inline", True), ("file", True)}


def test_a_whole_tree_review_applies_everything_present_and_calls_nothing_out(tmp_path: Path) -> None:
    files = {
        "app.py": "os.system(cmd)  # reviewbot: ignore[py.cmdi] ok\n",
        SUPPRESSIONS_FILE: entries_yaml(entry("s", "rule: py.sqli")),
    }
    _, out = run(tree(tmp_path / "r", files), [finding(line=1), finding(rule="py.sqli", fp=FP_B)])
    assert [f.disposition for f in out.findings] == [Disposition.SUPPRESSED_INLINE, Disposition.SUPPRESSED_FILE]
    assert out.added == []


def test_end_to_end_with_the_real_scanner_a_pr_cannot_hide_its_own_secret(pr: Repo) -> None:
    from reviewbot.review.run import ReviewOptions, run_review
    from reviewbot.scanners.treesitter import TreeSitterScanner

    pr.write("app.py", 'import os\n\nAPI_TOKEN = "Zk3p9QvX7tLm2RbW8yNc"  # reviewbot: ignore[*] test value\n')
    pr.commit()
    change = review(pr)
    result = run_review(change, [TreeSitterScanner()], ReviewOptions())
    [secret] = [f for f in result.findings if f.rule_id == "python.secrets.high-entropy-credential"]
    out = apply_suppressions(result.findings, suppressions_for(change), today=TODAY)
    [after] = [f for f in out.findings if f.fingerprint == secret.fingerprint]
    assert after.disposition is Disposition.REPORTED
    [added] = out.added
    assert added.hides[0].rule_id == "python.secrets.high-entropy-credential" and added.where == "app.py:3"


# -- usage: entries that match nothing -----------------------------------------------------------------


def test_entries_unmatched_for_n_reviews_that_could_use_them_are_reported(tmp_path: Path) -> None:
    text = entries_yaml(
        entry("used", "rule: py.cmdi"),
        entry("idle", "path: lib/**"),
        entry("elsewhere", "path: docs/**"),
        entry("ruleonly", "rule: py.never"),
    )
    root = tmp_path / "r"
    change = tree(root, {SUPPRESSIONS_FILE: text, "src/app.py": "x = 1\n"})
    state = tmp_path / "state.json"
    notes: list[str] = []
    for _ in range(3):
        out = apply_suppressions([finding(path="src/app.py")], suppressions_for(change), today=TODAY)
        notes = record_usage(state, out, today=TODAY, unused_after=3)
    unused = sorted(n.split()[1] for n in notes)
    # --all scans the whole tree, so every entry could have matched; only "used" did
    assert unused == ["elsewhere", "idle", "ruleonly"]
    counts = read_usage(state).entries
    assert counts["used"].unmatched == 0 and counts["used"].last_matched == TODAY
    assert "matched nothing in the last 3 reviews" in notes[0] and "suppress remove" in notes[0]


def test_a_partial_review_counts_only_entries_it_could_have_used(pr: Repo, tmp_path: Path) -> None:
    pr.write(
        SUPPRESSIONS_FILE,
        entries_yaml(entry("src", "path: src/**"), entry("lib", "path: lib/**"), entry("r", "rule: x")),
    )
    pr.write("src/app.py", "x = 1\n")
    pr.write("lib/a.py", "x = 1\n")
    pr.write("lib/b.py", "x = 1\n")
    pr.commit("main: entries")
    pr.git("checkout", "-q", "main")
    pr.git("merge", "-q", "--ff-only", "feature")
    pr.git("checkout", "-q", "feature")
    pr.write("src/app.py", "x = 2\n")
    pr.write("lib/a.py", "x = 2\n")  # lib/b.py is not in the change: lib/** cannot be judged
    pr.commit()
    state = tmp_path / "state.json"
    out = apply_suppressions([], suppressions_for(review(pr)), today=TODAY)
    assert out.in_scope == {"src"}
    notes = record_usage(state, out, today=TODAY, unused_after=1)
    assert [n.split()[1] for n in notes] == ["src"]
    assert read_usage(state).entries["lib"].unmatched == 0


def test_editing_an_entry_restarts_its_count(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    for expires, expected in (("expires: 2026-12-31", 2), ("expires: 2027-06-30", 1)):
        change = tree(tmp_path / "r", {SUPPRESSIONS_FILE: entries_yaml(entry("s", "rule: py.x", expires))})
        for _ in range(expected):
            out = apply_suppressions([], suppressions_for(change), today=TODAY)
            record_usage(state, out, today=TODAY, unused_after=5)
        assert read_usage(state).entries["s"].unmatched == expected


def test_an_unwritable_state_is_a_note_not_a_failure(tmp_path: Path) -> None:
    change = tree(tmp_path / "r", {SUPPRESSIONS_FILE: entries_yaml(entry("s", "rule: py.x"))})
    blocker = tmp_path / "file"
    blocker.write_text("")
    out = apply_suppressions([], suppressions_for(change), today=TODAY)
    notes = record_usage(blocker / "state.json", out, today=TODAY, unused_after=5)
    assert "cannot keep suppression usage" in notes[0]


# -- reviewbot suppress ------------------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def workdir(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(repo.root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("USER", "ada")
    return repo.root


def test_suppress_add_list_remove_keep_the_files_comments(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workdir / SUPPRESSIONS_FILE
    code, out, _ = cli(
        capsys,
        "suppress",
        "add",
        "--rule",
        "python.cmdi.shell-command-injection",
        "--path",
        "tests/**",
        "--reason",
        "fixtures",
        "--expires",
        "2999-01-01",
    )
    assert code == 0 and "added sup-" in out
    text = path.read_text()
    assert text.startswith("# reviewbot suppressions") and "owner: ada" in text
    path.write_text(text.replace("version: 1", "version: 1  # keep me"))
    code, out, _ = cli(capsys, "suppress", "add", "--fingerprint", FP_A.upper(), "--reason", "test key", "--permanent")
    assert code == 0
    second = out.split()[1]
    entries = parse_suppressions(path.read_bytes(), "f").entries
    assert [e.fingerprint for e in entries] == [None, FP_A] and entries[1].permanent
    assert "# keep me" in path.read_text()
    code, out, _ = cli(capsys, "suppress", "list", "--format", "json")
    doc = json.loads(out)
    assert [e["status"] for e in doc["entries"]] == ["active", "active"]
    code, out, _ = cli(capsys, "suppress", "remove", entries[0].id)
    assert code == 0
    assert [e.id for e in parse_suppressions(path.read_bytes(), "f").entries] == [second]
    assert "# keep me" in path.read_text()


def test_suppress_list_shows_expired_and_unused(workdir: Path, capsys: pytest.CaptureFixture[str], repo: Repo) -> None:
    text = entries_yaml(
        entry("old", "rule: a", "expires: 2001-01-01"),
        entry("idle", "path: 'no/**'", "expires: 2999-12-31"),  # the real today: far from both dates
        entry("ok", "rule: b", "expires: 2999-12-31"),
    )
    repo.write(SUPPRESSIONS_FILE, text)
    change = from_all(workdir, [])
    for _ in range(10):
        outcome = apply_suppressions([finding(rule="b")], suppressions_for(change), today=date.today())
        record_usage(default_usage_path(workdir), outcome, today=date.today(), unused_after=10)
    code, out, _ = cli(capsys, "suppress", "list")
    assert code == 0
    status = {line.split()[0]: line.split()[1] for line in out.splitlines() if not line.startswith(" ")}
    assert status == {"old": "expired", "idle": "unused", "ok": "active"}
    code, out, _ = cli(capsys, "suppress", "expired")
    assert out.split()[0] == "old" and "idle" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--reason", "r", "--expires", "2999-01-01"], "needs a scope"),
        (["--rule", "x", "--reason", "r", "--expires", "2001-01-01"], "is in the past"),
        (["--rule", "x", "--reason", "r", "--expires", "soon"], "YYYY-MM-DD"),
        (["--rule", "x", "--reason", " ", "--expires", "30d"], "--reason"),
        (["--fingerprint", "xyz", "--reason", "r", "--expires", "30d"], "--fingerprint"),
        (["--path", "../x", "--reason", "r", "--expires", "30d"], "--path"),
    ],
)
def test_suppress_add_refuses_bad_entries(
    workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = cli(capsys, "suppress", "add", *argv)
    assert code == 2 and message in err
    assert not (workdir / SUPPRESSIONS_FILE).exists()


def test_suppress_on_a_malformed_file_names_the_entry(
    workdir: Path, capsys: pytest.CaptureFixture[str], repo: Repo
) -> None:
    repo.write(SUPPRESSIONS_FILE, entries_yaml(entry("a", "rule: x"), "  - id: b\n    rule: y\n"))
    code, _, err = cli(capsys, "suppress", "list")
    assert code == 2 and "entry #2 (id b), line 8" in err
    code, _, err = cli(capsys, "suppress", "remove", "nope")
    assert code == 2


def test_suppress_remove_an_unknown_id(workdir: Path, capsys: pytest.CaptureFixture[str], repo: Repo) -> None:
    repo.write(SUPPRESSIONS_FILE, entries_yaml(entry("a", "rule: x")))
    code, _, err = cli(capsys, "suppress", "remove", "nope")
    assert code == 2 and "no entry with id 'nope' (ids: a)" in err
