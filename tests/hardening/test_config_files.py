"""Malformed files people (or a pull request) put where reviewbot reads settings, rules or history.

For `scan` each case ends in exit 2 with a one-line error naming the file, or, where the file
is advisory, exit 0 with a warning naming it; never a traceback, never the contents of a file
outside the repository. For `reviewbot pr` a broken `.reviewbot/` file on the base branch is a
notice naming it and the review is still posted; a PR head that adds one changes nothing.

Files: `.reviewbot/config.yml`, `.reviewbot/suppressions.yml` (scan --all), the triage ledger
(`triage list`), a model's card.json (scan --model) and a semgrep rule file (scan --rules).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewbot.cli.main import main
from tests.conftest import Repo
from tests.github.conftest import BASE_APP, HEAD_APP, NUMBER, REPO, RULES, Checkout, Env, pull_request_event
from tests.github.fake_github import BOT, FakeGitHub

ROOT = Path(__file__).parent.parent.parent
SECRET = "TOPSECRET-7f3a9c"  # in the file outside the repository: must never be printed or posted

CONFIG = ".reviewbot/config.yml"
SUPPRESSIONS = ".reviewbot/suppressions.yml"
LEDGER = ".reviewbot/triage.jsonl"

# A tiny YAML file that expands to 9**9 values when its aliases are written out.
ALIAS_BOMB = "version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)
)
ENTRY = (
    "version: 1\nsuppressions:\n  - id: s1\n"
    + "    rule: python.cmdi.shell-command-injection\n    reason: r\n    owner: o\n"
)


@dataclass(frozen=True)
class Case:
    content: bytes | None  # None: `special` makes the file
    code: int  # the exit code expected
    says: str = ""  # text the error or warning must contain, besides the file name
    special: str = ""  # "directory" | "symlink"


def y(text: str) -> bytes:
    return text.encode()


CONFIG_CASES = {
    "impossible-date-unknown-key": Case(y("version: 1\nnote: 2026-02-30\n"), 0, "unknown key `note`"),
    "impossible-date-as-value": Case(y("version: 1\nthreshold: 2026-02-30\n"), 2, "threshold"),
    "explicit-timestamp-tag": Case(y("version: 1\nthreshold: !!timestamp 2026-02-30\n"), 2, "threshold"),
    "non-mapping-top-level": Case(y("- version: 1\n"), 2, "must be a mapping"),
    "scalar-top-level": Case(y("just text\n"), 2, "must be a mapping"),
    "wrong-type": Case(y("version: 1\nthresholds: [0.5]\n"), 2, "thresholds"),
    "deep-nesting": Case(y("version: 1\nx: " + "[" * 10_000 + "\n"), 2, "nested"),
    "alias-bomb": Case(y(ALIAS_BOMB), 2, "alias"),
    "self-referring-alias": Case(y("version: 1\nx: &a [*a]\n"), 2, "alias"),
    "invalid-utf8": Case(b"version: 1\npreset: \xff\xfe\n", 2, "not UTF-8"),
    "nul-byte": Case(b"version: 1\npreset: quiet\x00\n", 2, "U+0000"),
    "bom": Case(b"\xef\xbb\xbfversion: 1\npreset: quiet\n", 0),
    "empty": Case(b"", 0),
    "duplicate-keys": Case(y("version: 1\npreset: quiet\npreset: paranoid\n"), 2, "appears twice"),
    "non-string-key": Case(y("version: 1\n1: quiet\n"), 2, "not a string"),
    "python-tag": Case(y('version: 1\nx: !!python/object/apply:os.system ["echo PWNED"]\n'), 2, "constructor"),
    "huge-integer": Case(y("version: 1\nthreshold: " + "9" * 5000 + "\n"), 2, "readable"),
    "too-large": Case(y("version: 1\n" + "# padding\n" * 30_000), 2, "larger than"),
    "directory": Case(None, 0, "not a regular file", "directory"),
    "symlink-outside": Case(None, 0, "symlink", "symlink"),
}

SUPPRESSION_CASES = {
    "impossible-date-expires": Case(
        y(ENTRY + "    expires: 2026-02-30\n"), 2, "expires (line 7): '2026-02-30' is not a real date"
    ),
    "impossible-date-unknown-key": Case(y(ENTRY + "    permanent: true\n    note: 2026-02-30\n"), 2, "note"),
    "impossible-date-created": Case(y(ENTRY + "    permanent: true\n    created: 2026-13-01\n"), 2, "created"),
    "non-mapping-top-level": Case(y("- id: s1\n"), 2, "must be a mapping"),
    "wrong-type": Case(y("version: 1\nsuppressions: {id: s1}\n"), 2, "must be a list"),
    "entry-not-a-mapping": Case(y("version: 1\nsuppressions: [just-text]\n"), 2, "entry #1"),
    "deep-nesting": Case(y("version: 1\nsuppressions: " + "[" * 10_000 + "\n"), 2, "nested"),
    "alias-bomb": Case(y(ALIAS_BOMB), 2, "alias"),
    "invalid-utf8": Case(b"version: 1\nsuppressions: []\n# \xc3\x28\n", 2, "not UTF-8"),
    "nul-byte": Case(b"version: 1\x00\n", 2, "U+0000"),
    "bom": Case(b"\xef\xbb\xbf" + y(ENTRY + "    permanent: true\n"), 0),
    "empty": Case(b"", 0),
    "duplicate-keys": Case(
        y(ENTRY + "    permanent: true\n    rule: python.tls.requests-verify-disabled\n"), 2, "twice"
    ),
    "non-string-key": Case(y("version: 1\nsuppressions: []\nyes: 1\n"), 2, "not a string"),
    "directory": Case(None, 0, "not a regular file", "directory"),
    "symlink-outside": Case(None, 0, "symlink", "symlink"),
}

GOOD_RECORD = (
    '{"fingerprint":"' + "a" * 32 + '","rule_id":"python.cmdi.shell-command-injection","schema_version":1,'
    '"source":"cli","verdict":"true_positive","reason":"","when":"2026-01-02T03:04:05Z","who":"ada"}'
)

LEDGER_CASES = {
    "impossible-date": Case(y(GOOD_RECORD.replace("2026-01-02", "2026-02-30") + "\n"), 0, ":1: "),
    "non-object-line": Case(y("[1, 2]\n"), 0, "not a JSON object"),
    "wrong-types": Case(y(GOOD_RECORD.replace('"schema_version":1', '"schema_version":"one"') + "\n"), 0, ":1: "),
    "deep-nesting": Case(y("[" * 10_000 + "\n"), 0, "nested too deeply"),
    "invalid-utf8": Case(b'{"a": "\xff"}\n' + y(GOOD_RECORD) + b"\n", 0, "not UTF-8"),
    "nul-byte": Case(b"\x00\n", 0, ":1: "),
    "bom": Case(b"\xef\xbb\xbf" + y(GOOD_RECORD) + b"\n", 0),
    "empty": Case(b"", 0),
    "nan-constant": Case(y(GOOD_RECORD.replace('"reason":""', '"reason":NaN') + "\n"), 0, "NaN"),
    "directory": Case(None, 2, "cannot read", "directory"),
    "symlink-outside": Case(None, 2, "symlink", "symlink"),
}


def _card(edit: Callable[[dict[str, object]], object]) -> bytes:
    doc = json.loads((ROOT / "models" / "default" / "card.json").read_text())
    out = edit(doc)
    return json.dumps(doc if out is None else out).encode()


CARD_CASES = {
    "impossible-date": Case(_card(lambda d: d.update(created="2026-02-30T00:00:00Z")), 0),  # free text
    "non-mapping-top-level": Case(_card(lambda d: [d]), 2, "not a model card"),
    "wrong-types": Case(_card(lambda d: d.update(threshold="high")), 2, "threshold"),
    "deep-nesting": Case(b"[" * 10_000, 2, "not a model card"),
    "invalid-utf8": Case(b'{"name": "\xff"}', 2, "not a model card"),
    "nul-byte": Case(b"\x00", 2, "not a model card"),
    "empty": Case(b"", 2, "not a model card"),
    "not-json": Case(b"{", 2, "not a model card"),
    "directory": Case(None, 2, "not a regular file", "directory"),
    "symlink-outside": Case(None, 2, "symlink", "symlink"),
}

_RULE = (ROOT / "tests" / "data" / "rules" / "test-rules.yaml").read_text()
_RATIONALE = "      rationale: An attacker can run commands.\n"

RULE_CASES = {
    # Extra metadata is allowed: the date stays text (PyYAML's date object used to crash the load).
    "impossible-date-in-metadata": Case(
        y(_RULE.replace(_RATIONALE, _RATIONALE + "      reviewed: 2026-02-30\n", 1)), 0
    ),
    "non-mapping-top-level": Case(y("- id: x\n"), 2, "a rule file must be a mapping"),
    "wrong-types": Case(y("rules: {id: x}\n"), 2, "a rule file must be a mapping"),
    "deep-nesting": Case(y("rules: " + "[" * 10_000 + "\n"), 2, "nested"),
    "alias-bomb": Case(y(ALIAS_BOMB.replace("version: 1\n", "rules: []\n")), 2, "alias"),
    "invalid-utf8": Case(b"rules: []\n# \xff\n", 2, "not UTF-8"),
    "nul-byte": Case(b"rules: []\x00\n", 2, "U+0000"),
    "duplicate-keys": Case(y(_RULE.replace("    languages:", "    id: again\n    languages:", 1)), 2, "twice"),
    "symlink-outside": Case(None, 2, "symlink", "symlink"),
}


def _outside(tmp_path: Path, data: bytes) -> Path:
    target = tmp_path / "outside" / "secret-file"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def _place(path: Path, case: Case, tmp_path: Path, secret_doc: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    if case.special == "directory":
        (path / "inner").mkdir(parents=True)
    elif case.special == "symlink":
        path.symlink_to(_outside(tmp_path, secret_doc))
    else:
        assert case.content is not None
        path.write_bytes(case.content)


@dataclass
class Ran:
    code: int
    out: str
    err: str


def run(argv: list[str]) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return Ran(code, out.getvalue(), err.getvalue())


def check(ran: Ran, case: Case, name: str) -> None:
    both = ran.out + ran.err
    assert ran.code == case.code, both
    assert "Traceback" not in both and "internal error" not in both
    assert SECRET not in both
    if case.code == 2:
        (line,) = [line for line in ran.err.splitlines() if line.startswith("reviewbot: error:")]
        assert name in line and case.says in line
    elif case.says:
        warnings = [line for line in ran.err.splitlines() if line.startswith("reviewbot: warning:")]
        assert any(name in w and case.says in w for w in warnings), ran.err


@pytest.fixture
def workdir(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Repo:
    monkeypatch.chdir(repo.root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("USER", "ada")
    repo.write("app.py", "import os\nos.system(input())\n")
    repo.commit("base")
    return repo


def _scan(*extra: str) -> list[str]:
    return ["scan", "--all", ".", "--scanner", "treesitter", "--format", "json", *extra]


@pytest.mark.parametrize("case", CONFIG_CASES.values(), ids=CONFIG_CASES.keys())
def test_scan_with_a_malformed_config(workdir: Repo, tmp_path: Path, case: Case) -> None:
    _place(workdir.root / CONFIG, case, tmp_path, y(f"version: 1\nthreshold: {SECRET}\n"))
    check(run(_scan("--no-model")), case, CONFIG)


@pytest.mark.parametrize("case", SUPPRESSION_CASES.values(), ids=SUPPRESSION_CASES.keys())
def test_scan_with_a_malformed_suppressions_file(workdir: Repo, tmp_path: Path, case: Case) -> None:
    _place(workdir.root / SUPPRESSIONS, case, tmp_path, y(f"version: 1\nsuppressions: {SECRET}\n"))
    check(run(_scan("--no-model")), case, SUPPRESSIONS)


@pytest.mark.parametrize("case", LEDGER_CASES.values(), ids=LEDGER_CASES.keys())
def test_triage_list_with_a_malformed_ledger(workdir: Repo, tmp_path: Path, case: Case) -> None:
    _place(workdir.root / LEDGER, case, tmp_path, y(GOOD_RECORD.replace("ada", SECRET) + "\n"))
    check(run(["triage", "list", "--format", "json"]), case, LEDGER)


@pytest.mark.parametrize("case", CARD_CASES.values(), ids=CARD_CASES.keys())
def test_scan_with_a_malformed_model_card(workdir: Repo, tmp_path: Path, case: Case) -> None:
    model = tmp_path / "model"
    shutil.copytree(ROOT / "models" / "default", model)
    _place(model / "card.json", case, tmp_path, _card(lambda d: d.update(name=SECRET, threshold=SECRET)))
    check(run(_scan("--model", str(model))), case, str(model / "card.json"))


@pytest.mark.parametrize("case", RULE_CASES.values(), ids=RULE_CASES.keys())
def test_scan_with_a_malformed_rule_file(workdir: Repo, tmp_path: Path, case: Case) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    _place(rules / "test-rules.yaml", case, tmp_path, y(f"rules: {SECRET}\n"))
    check(run(_scan("--no-model", "--rules", str(rules))), case, str(rules / "test-rules.yaml"))


# -- the PR path: the loopback GitHub, the real semgrep --------------------------------------------

PR_CASES = {
    "config-impossible-date": (CONFIG, y("version: 1\nthreshold: 2026-02-30\n")),
    "config-non-mapping": (CONFIG, y("- version: 1\n")),
    "config-deep-nesting": (CONFIG, y("version: 1\nx: " + "[" * 10_000 + "\n")),
    "config-alias-bomb": (CONFIG, y(ALIAS_BOMB)),
    "config-invalid-utf8": (CONFIG, b"version: 1\npreset: \xff\n"),
    "config-nul-byte": (CONFIG, b"version: 1\x00\n"),
    "config-duplicate-keys": (CONFIG, y("version: 1\npreset: quiet\npreset: paranoid\n")),
    "suppressions-impossible-date": (SUPPRESSIONS, y(ENTRY + "    expires: 2026-02-30\n")),
    "suppressions-unknown-key-date": (SUPPRESSIONS, y(ENTRY + "    permanent: true\n    note: 2026-02-30\n")),
    "suppressions-non-mapping": (SUPPRESSIONS, y("[1, 2]\n")),
    "suppressions-deep-nesting": (SUPPRESSIONS, y("[" * 10_000 + "\n")),
    "suppressions-alias-bomb": (SUPPRESSIONS, y(ALIAS_BOMB)),
    "suppressions-nul-byte": (SUPPRESSIONS, b"version: 1\x00\n"),
}


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    # The loopback GitHub of tests/github/ (its fixtures are not visible from this folder).
    with FakeGitHub() as server:
        yield server
        assert server.violations == [], "requests that do not match GitHub's API description"


def _pr_checkout(root: Path, base_files: dict[str, bytes], head_files: dict[str, bytes]) -> Checkout:
    root.mkdir(parents=True)
    repo = Repo(root)
    repo.write("app.py", BASE_APP)
    for rel, data in base_files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", HEAD_APP)
    for rel, data in head_files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    head = repo.commit("feature")
    return Checkout(repo, base, head)


def _review(fake: FakeGitHub, checkout: Checkout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    fake.add_pull(checkout.pull())
    env = Env(fake, pull_request_event(tmp_path, checkout), tmp_path, workspace=checkout.root)
    env.extra.update(REVIEWBOT_RULES=str(RULES), REVIEWBOT_GITHUB_WRITE_SPACING="0")
    ran = env.run(monkeypatch=monkeypatch)
    assert ran.code == 0
    assert "Traceback" not in ran.out + ran.err and "internal error" not in ran.out
    # The review is posted as usual: one COMMENT review with the PR's two in-diff findings.
    assert [r["event"] for r in fake.reviews] == ["COMMENT"]
    assert len(fake.bot_review_comments(REPO, NUMBER)) == 2
    assert "no review for this change" not in ran.out
    return ran.out


def _summary(fake: FakeGitHub) -> str:
    (summary,) = [c for c in fake.issue_comments if c["user"]["login"] == BOT]
    return str(summary["body"])


@pytest.mark.parametrize(("rel", "data"), PR_CASES.values(), ids=PR_CASES.keys())
def test_pr_whose_base_has_a_broken_file_is_still_reviewed_with_a_notice(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rel: str, data: bytes
) -> None:
    checkout = _pr_checkout(tmp_path / "repo", {rel: data}, {})
    out = _review(fake, checkout, tmp_path, monkeypatch)
    notices = [line for line in out.splitlines() if line.startswith("::notice") and rel in line]
    assert any("refused" in n for n in notices), out
    assert "refused" in _summary(fake) and rel in _summary(fake)


@pytest.mark.parametrize(
    ("rel", "data"),
    [PR_CASES["config-impossible-date"], PR_CASES["suppressions-alias-bomb"]],
    ids=["config-impossible-date", "suppressions-alias-bomb"],
)
def test_pr_head_adding_a_broken_file_changes_nothing(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rel: str, data: bytes
) -> None:
    checkout = _pr_checkout(tmp_path / "repo", {}, {rel: data})
    out = _review(fake, checkout, tmp_path, monkeypatch)
    assert "refused" not in out  # the base has no such file: nothing was refused, nothing applied


def test_pr_whose_base_links_a_file_outside_never_reads_it(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _outside(tmp_path, y(f"version: 1\nthreshold: {SECRET}\n"))
    root = tmp_path / "repo"
    root.mkdir()
    repo = Repo(root)
    repo.write("app.py", BASE_APP)
    (root / ".reviewbot").mkdir()
    os.symlink(target, root / CONFIG)
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", HEAD_APP)
    checkout = Checkout(repo, base, repo.commit("feature"))
    out = _review(fake, checkout, tmp_path, monkeypatch)
    posted = json.dumps([r.body for r in fake.requests], default=str)
    assert SECRET not in out and SECRET not in posted
    assert any(line.startswith("::notice") and CONFIG in line and "symlink" in line for line in out.splitlines())


# -- JSON a person hands over: a saved report, the event payload ------------------------------------

REPORT_CASES = {
    "deep-nesting": Case(b"[" * 10_000, 2, "nested too deeply"),
    "invalid-utf8": Case(b'{"findings": "\xff"}', 2, "not UTF-8"),
    "not-json": Case(b"{", 2, "not valid JSON"),
    "non-mapping": Case(b"[]", 2, "no findings list"),
}


@pytest.mark.parametrize("case", REPORT_CASES.values(), ids=REPORT_CASES.keys())
def test_triage_mark_with_a_malformed_report(workdir: Repo, tmp_path: Path, case: Case) -> None:
    report = tmp_path / "report.json"
    report.write_bytes(case.content or b"")
    ran = run(["triage", "mark", "a" * 32, "--verdict", "true_positive", "--report", str(report)])
    check(ran, case, str(report))
    assert not (workdir.root / LEDGER).exists()


@pytest.mark.parametrize("payload", [b"[" * 10_000, b"\xff\xfe{}", b"\x00"], ids=["deep-nesting", "utf16-bom", "nul"])
def test_pr_with_a_malformed_event_payload_is_a_notice(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: bytes
) -> None:
    event = tmp_path / "event.json"
    event.write_bytes(payload)
    ran = Env(fake, event, tmp_path).run(monkeypatch=monkeypatch)
    assert ran.code == 0 and "Traceback" not in ran.out + ran.err and "internal error" not in ran.out
    assert "::warning title=reviewbot::reviewbot did not finish" in ran.out and "event payload" in ran.out
    assert fake.requests == []
