"""The tree-sitter scanner: bounded on hostile input, one broken file never stops the others,
malformed rules are config errors naming the file, and matches carry exact byte positions."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from reviewbot.cli.main import main
from reviewbot.errors import ConfigError
from reviewbot.finding import Scanner as ScannerKind
from reviewbot.lang import syntax
from reviewbot.scanners import treesitter
from reviewbot.scanners.interface import ScannerError, ScanOutput
from reviewbot.scanners.treesitter import (
    MAX_MATCHES_PER_RULE,
    TreeSitterScanner,
    is_secret_name,
    secret_value_reason,
    shannon_entropy,
)
from reviewbot.scanners.ts_checks import credentials

RLO, PDI, LRI, ZWSP, BOM = "\u202e", "\u2069", "\u2066", "\u200b", "\ufeff"
BIDI = "python.trojansource.bidi-control-character"
INVISIBLE = "python.trojansource.invisible-character"
SECRET = "python.secrets.high-entropy-credential"
FAKE_TOKEN = "Zk3p9QvX7tLm2RbW8yNc"  # made up for the tests
HOSTILE_SECONDS = 30  # loose on purpose: the point is "no hang", not speed

DATA_RULES = Path(__file__).parent / "data" / "rules"


@pytest.fixture(scope="module")
def scanner() -> TreeSitterScanner:
    return TreeSitterScanner()


def scan_files(scanner: TreeSitterScanner, root: Path, files: dict[str, bytes]) -> ScanOutput:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return scanner.scan(root, list(files))


def found(out: ScanOutput) -> set[tuple[str, str, int]]:
    return {(m.path, m.rule_id, m.start_line) for m in out.matches}


def warned(out: ScanOutput, path: str, text: str) -> bool:
    return any(w.path == path and text in w.message for w in out.warnings)


# --- the interface


def test_kind_accepts_and_rule_lookup(scanner: TreeSitterScanner) -> None:
    assert scanner.kind is ScannerKind.TREESITTER
    assert scanner.accepts("python") and scanner.accepts("github-workflow")
    assert scanner.accepts("javascript") and scanner.accepts("typescript") and scanner.accepts("tsx")
    assert not scanner.accepts("cobol")
    assert scanner.rule_count() == len(scanner.rules) >= 6
    info = scanner.rule(SECRET)
    assert info is not None and info.category == "secrets" and info.cwe == ("CWE-798",)
    assert scanner.rule("python.secrets.hardcoded-credential") is None  # a semgrep rule, not ours


def test_positions_are_1_based_byte_columns_end_exclusive(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = f'x = 1\ny = "é{RLO}"\n'.encode()
    out = scan_files(scanner, tmp_path, {"a.py": source})
    (m,) = [m for m in out.matches if m.rule_id == BIDI]
    start = source.index(RLO.encode())
    assert (m.start_byte, m.end_byte) == (start, start + 3)
    assert (m.start_line, m.start_col, m.end_line, m.end_col) == (2, start - 6 + 1, 2, start - 6 + 4)
    assert m.path == "a.py"
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in m.message and m.fix is None


def test_one_match_per_line_spanning_its_characters(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = f'a = "x{RLO}y {LRI}z{PDI}"\nb = 1\n'.encode()
    out = scan_files(scanner, tmp_path, {"a.py": source})
    (m,) = [m for m in out.matches if m.rule_id == BIDI]
    assert m.start_byte == source.index(RLO.encode()) and m.end_byte == source.index(PDI.encode()) + 3


def test_byte_order_mark_only_at_the_start_is_fine(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    out = scan_files(
        scanner,
        tmp_path,
        {"start.py": f"{BOM}x = 1\n".encode(), "later.py": f"x = 1\ny = '{BOM}'\n".encode()},
    )
    assert found(out) == {("later.py", INVISIBLE, 2)}
    assert not out.warnings


def test_non_workflow_yaml_and_unknown_files_are_ignored(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    text = f"run: echo '${{{{ github.event.issue.title }}}}' {RLO}\n".encode()
    out = scan_files(scanner, tmp_path, {"config.yml": text, "notes.txt": text, ".github/dependabot.yml": text})
    assert out.matches == [] and out.warnings == []


def test_a_workflow_file_is_scanned_under_a_prefix(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    workflow = b"on: issues\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n"
    out = scan_files(scanner, tmp_path, {"head/.github/workflows/ci.yaml": workflow})
    assert found(out) == {("head/.github/workflows/ci.yaml", "github-workflow.cmdi.script-injection", 5)}


# --- hostile input: bounded, a warning, no exception


def test_ten_megabyte_minified_line_runs_only_byte_checks(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    half = b"a=[1,2,3];" * 500_000
    source = half + f'b="{RLO}";'.encode() + half
    started = time.process_time()
    out = scan_files(scanner, tmp_path, {"min.py": source})
    assert time.process_time() - started < HOSTILE_SECONDS
    assert warned(out, "min.py", f"larger than {treesitter.MAX_FILE_BYTES} bytes")
    # the partial result that is safe: the byte-level rules still ran over the whole file
    (m,) = out.matches
    assert (m.rule_id, m.start_line, m.start_byte) == (BIDI, 1, len(half) + 3)
    assert m.start_col == m.start_byte + 1


def test_invalid_utf8_is_a_warning_and_byte_checks_only(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = f"x = '\xff'\nAPI_TOKEN = '{FAKE_TOKEN}'\ny = '{RLO}'\n".encode().replace(b"\xc3\xbf", b"\xff\xfe")
    out = scan_files(scanner, tmp_path, {"bad.py": source})
    assert warned(out, "bad.py", "not valid UTF-8 (byte 5)")
    assert found(out) == {("bad.py", BIDI, 3)}  # the credential rule needs a tree: not run


def test_deep_nesting_is_a_warning_not_a_hang(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n" + f"y = '{ZWSP}'\n".encode()
    started = time.process_time()
    out = scan_files(scanner, tmp_path, {"deep.py": source})
    assert time.process_time() - started < HOSTILE_SECONDS
    assert warned(out, "deep.py", f"nested more than {treesitter.MAX_NESTING} deep")
    assert found(out) == {("deep.py", INVISIBLE, 2)}


def test_deep_nesting_below_the_cap_still_parses(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = b"x = " + b"(" * 150 + b"1" + b")" * 150 + f"\nAPI_TOKEN = '{FAKE_TOKEN}'\n".encode()
    out = scan_files(scanner, tmp_path, {"ok.py": source})
    assert found(out) == {("ok.py", SECRET, 2)} and not out.warnings


def test_parse_errors_are_a_warning_and_the_recovered_tree_is_used(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = f"def f(:\n    pass\n\nAPI_TOKEN = '{FAKE_TOKEN}'\n".encode()
    started = time.process_time()
    out = scan_files(scanner, tmp_path, {"broken.py": source})
    assert time.process_time() - started < HOSTILE_SECONDS
    assert warned(out, "broken.py", "has syntax errors")
    assert found(out) == {("broken.py", SECRET, 4)}


def test_garbage_bytes_do_not_crash(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    garbage = bytes(range(256)) * 2000 + "\u202e".encode() * 3000
    out = scan_files(scanner, tmp_path, {"garbage.py": garbage, ".github/workflows/g.yml": garbage})
    assert warned(out, "garbage.py", "not valid UTF-8")
    assert warned(out, ".github/workflows/g.yml", "not valid UTF-8")


def test_a_parse_over_budget_is_a_warning_and_the_next_parse_is_clean(
    scanner: TreeSitterScanner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workflows are parsed by this module (reviewbot.lang.syntax has no YAML grammar yet), so a
    # cut-off parse can be provoked without leaving reviewbot.lang.syntax's shared parser mid-parse.
    big = b"on: push\njobs:\n" + b"".join(b"  j%d:\n    runs-on: x\n" % i for i in range(20_000))
    small = b"on: issues\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.event.issue.body }}\n"
    for rel, data in {".github/workflows/big.yml": big, ".github/workflows/small.yml": small}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    monkeypatch.setattr(syntax, "PARSE_BUDGET_SECONDS", 0.0)
    out = scanner.scan(tmp_path, [".github/workflows/big.yml"])
    assert warned(out, ".github/workflows/big.yml", "parsing took longer than 0 s")
    monkeypatch.setattr(syntax, "PARSE_BUDGET_SECONDS", 2.0)
    out = scanner.scan(tmp_path, [".github/workflows/small.yml"])
    assert found(out) == {(".github/workflows/small.yml", "github-workflow.cmdi.script-injection", 5)}
    assert not out.warnings


def test_rules_out_of_time_is_a_warning(
    scanner: TreeSitterScanner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(treesitter, "RULES_BUDGET_SECONDS", 0.0)
    out = scan_files(scanner, tmp_path, {"a.py": f"API_TOKEN = '{FAKE_TOKEN}'\n".encode()})
    assert warned(out, "a.py", "stopped after 0 s on this file: results are partial")


def test_scan_budget_skips_the_remaining_files_with_a_note(tmp_path: Path) -> None:
    exhausted = TreeSitterScanner(scan_budget_seconds=0.0)
    out = scan_files(exhausted, tmp_path, {"a.py": b"x = 1\n", "b.py": b"y = 2\n"})
    assert out.matches == []
    assert any(w.path is None and "2 file(s) not scanned" in w.message for w in out.warnings)
    assert warned(out, "a.py", "not scanned") and warned(out, "b.py", "not scanned")


def test_matches_per_rule_are_capped(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = "".join(f"x{i} = '{RLO}'\n" for i in range(MAX_MATCHES_PER_RULE + 50)).encode()
    out = scan_files(scanner, tmp_path, {"many.py": source})
    assert len([m for m in out.matches if m.rule_id == BIDI]) == MAX_MATCHES_PER_RULE
    assert warned(out, "many.py", f"more than {MAX_MATCHES_PER_RULE} matches")


# --- one broken file never stops the others


def test_one_broken_file_does_not_stop_findings_in_another(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    files = {
        "min.py": b"a=1;" * 3_000_000,
        "bad.py": b"\xff\xfe\x00 = 1\n",
        "deep.py": b"x = " + b"{" * 5000 + b"}" * 5000 + b"\n",
        "broken.py": b"def f(:\n",
        "good.py": f"API_TOKEN = '{FAKE_TOKEN}'\nz = '{RLO}'\n".encode(),
    }
    (tmp_path / "a_directory.py").mkdir()
    for rel, data in files.items():
        (tmp_path / rel).write_bytes(data)
    out = scanner.scan(tmp_path, ["a_directory.py", *files])
    assert {("good.py", SECRET, 1), ("good.py", BIDI, 2)} <= found(out)
    assert warned(out, "a_directory.py", "could not read the file")
    for rel in ("min.py", "bad.py", "deep.py", "broken.py"):
        assert any(w.path == rel for w in out.warnings), rel


def test_an_exception_in_a_rule_is_a_warning_on_that_file_only(
    scanner: TreeSitterScanner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = credentials.secret_value_reason

    def explode_on_boom(value: str) -> str | None:
        if value.startswith("boom"):
            raise RuntimeError("a bug in a check")
        return real(value)

    monkeypatch.setattr(credentials, "secret_value_reason", explode_on_boom)
    out = scan_files(
        scanner,
        tmp_path,
        {"a.py": b"token = 'boom'\n", "b.py": f"API_TOKEN = '{FAKE_TOKEN}'\n".encode()},
    )
    assert found(out) == {("b.py", SECRET, 1)}
    assert warned(out, "a.py", "tree-sitter scanner failed on this file (RuntimeError: a bug in a check)")


# --- rules: format, validation, queries

RULE = """\
id: {id}
message: m
severity: {severity}
languages: [{language}]
metadata:
  category: {category}
  cwe: ["CWE-95"]
  owasp: ["A03:2021"]
  severity: high
  confidence: high
  rationale: r
{body}
"""
EVAL_QUERY = """query: |
  ((call function: (identifier) @f arguments: (argument_list (_) @arg)) @match
   (#eq? @f "eval")
   (#not-match? @arg "^[\\"'][0-9]+[\\"']$"))"""


def write_rule(
    rules: Path,
    body: str = EVAL_QUERY,
    *,
    name: str = "eval-call",
    language: str = "python",
    category: str = "codeinj",
    rule_id: str | None = None,
    severity: str = "ERROR",
) -> Path:
    path = rules / language / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    rid = rule_id or f"{language}.{category}.{name}"
    path.write_text(
        RULE.format(id=rid, severity=severity, language=language, category=category, body=body), encoding="utf-8"
    )
    return path


def test_a_query_rule_reports_the_match_capture_and_honours_predicates(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    write_rule(rules)
    custom = TreeSitterScanner(rules)
    source = b"eval(user_input)\nevaluate(x)\neval('1')\nprint(eval(data))\n"
    out = scan_files(custom, tmp_path / "src", {"a.py": source})
    assert found(out) == {("a.py", "python.codeinj.eval-call", 1), ("a.py", "python.codeinj.eval-call", 4)}
    last = max(out.matches, key=lambda m: m.start_line)
    assert source[last.start_byte : last.end_byte] == b"eval(data)"
    assert (last.start_col, last.end_col) == (7, 17)
    assert last.message == "m"


def test_a_query_match_larger_than_a_chunk_is_reported_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(treesitter, "QUERY_CHUNK_BYTES", 16)
    rules = tmp_path / "rules"
    write_rule(rules)
    source = b"x = 1\n" * 10 + b"eval(\n" + b"    a_long_argument_name_that_spans_many_chunks\n" * 5 + b")\n"
    out = scan_files(TreeSitterScanner(rules), tmp_path / "src", {"a.py": source})
    assert [(m.start_line, m.end_line) for m in out.matches] == [(11, 17)]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("check: no-such-check", "unknown check 'no-such-check'"),
        ("query: (call (", "query does not compile"),
        ("query: '(call) @call'", "no @match capture"),
        ("query: '((identifier) @match (#lua-match? @match \"x\"))'", "unsupported predicate(s) #lua-match?"),
        ("query: '(call) @match'\ncheck: bidi-control", "exactly one of"),
        ("", "exactly one of"),
        ("check: workflow-script-injection", "does not support python"),
        ("query: '(call) @match'\npattern: os.system(...)", "Extra inputs are not permitted"),
    ],
)
def test_a_malformed_rule_is_a_config_error_naming_file_and_rule(tmp_path: Path, body: str, problem: str) -> None:
    path = write_rule(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        TreeSitterScanner(tmp_path)
    assert str(path) in str(err.value)
    assert "python.codeinj.eval-call" in str(err.value)
    assert problem in str(err.value)


def test_rule_metadata_is_validated_like_the_semgrep_rules(tmp_path: Path) -> None:
    path = write_rule(tmp_path, severity="WARNING")
    with pytest.raises(ConfigError, match=r"severity WARNING does not match metadata\.severity high"):
        TreeSitterScanner(tmp_path)
    path.write_text(path.read_text().replace('cwe: ["CWE-95"]', "cwe: [95]").replace("WARNING", "ERROR"))
    with pytest.raises(ConfigError, match=r"metadata\.cwe"):
        TreeSitterScanner(tmp_path)
    path.write_text(path.read_text().replace("  rationale: r\n", ""))
    with pytest.raises(ConfigError, match=r"metadata\.rationale"):
        TreeSitterScanner(tmp_path)


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"rule_id": "python.sqli.eval-call"}, "look like python.codeinj.<kebab-name>"),
        ({"rule_id": "javascript.codeinj.eval-call"}, "look like python.codeinj.<kebab-name>"),
        ({"rule_id": "python.codeinj.eval_call"}, "kebab-name"),
        ({"rule_id": "python.codeinj.other-name"}, "must be named other-name.yaml"),
    ],
)
def test_rule_ids_follow_folder_category_and_file_name(tmp_path: Path, kwargs: dict[str, str], problem: str) -> None:
    write_rule(tmp_path, **kwargs)
    with pytest.raises(ConfigError, match=problem):
        TreeSitterScanner(tmp_path)


def test_unknown_language_folder_and_bad_yaml_are_config_errors(tmp_path: Path) -> None:
    write_rule(tmp_path / "a", language="cobol")
    with pytest.raises(ConfigError, match="no tree-sitter grammar for language folder 'cobol'"):
        TreeSitterScanner(tmp_path / "a")
    bad = tmp_path / "b" / "python" / "x.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text("id: [unclosed\n")
    with pytest.raises(ConfigError, match=f"{bad}: not valid YAML"):
        TreeSitterScanner(tmp_path / "b")
    bad.write_text("- a list\n- of rules\n")
    with pytest.raises(ConfigError, match="one rule per file"):
        TreeSitterScanner(tmp_path / "b")
    loose = tmp_path / "c" / "rule.yaml"
    loose.parent.mkdir()
    loose.write_text("id: x\n")
    with pytest.raises(ConfigError, match=r"belongs in <rules>/<language>/<name>\.yaml"):
        TreeSitterScanner(tmp_path / "c")


def test_an_unloadable_rule_set_is_a_scanner_error(tmp_path: Path) -> None:
    with pytest.raises(ScannerError, match="does not exist"):
        TreeSitterScanner(tmp_path / "missing")
    with pytest.raises(ScannerError, match="no tree-sitter rule files"):
        TreeSitterScanner(tmp_path)


# --- the built-in checks' judgement


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("password", True), ("DB_PASSWORD", True), ("dbPassword", True), ("passwd", True), ("pwd", True),
        ("secret", True), ("client_secret", True), ("AWS_SECRET_ACCESS_KEY", True), ("api_key", True),
        ("apiKey", True), ("APIKEY", True), ("access_key", True), ("private_key", True), ("auth", True),
        ("auth_token", True), ("refreshToken", True), ("credentials", True), ("tokens", True),
        ("token", True), ("SIGNING_KEY", True),
        ("password_url", False), ("token_endpoint", False), ("secret_name", False), ("api_key_id", False),
        ("tokenizer", False), ("author", False), ("bypass", False), ("key", False), ("checksum", False),
        ("proxy_auth_hdr", False), ("password_hash", False), ("PASSWORD_HASHER", False), ("passwordHelp", False),
        ("", False),
    ],
)  # fmt: skip
def test_is_secret_name(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (FAKE_TOKEN, "20-character string"),
        ("d41f9c7ab28e6035f1c4", "20-character string"),  # hex: the lower threshold
        ("wJ4rXq9Lb7Tn2Vz8Kp5Hs3Dm6Fy1Gc0+/=", "34-character string"),
        ("postgres://app:Vx7qLm29TzPk@db/app", "URL with an embedded password"),
        ("short-Secret1", None),  # under 16 characters
        ("https://api.example.com/v1/Zk3p9QvX7tLm2RbW8yNc", None),  # URL without credentials
        ("amqp://guest:guest@localhost//", None),  # user == password: a default
        ("postgres://app:${DB_PASSWORD}@db/app", None),
        ("/var/lib/app/Secret-Key-01.pem", None),
        ("123e4567-e89b-12d3-a456-426614174000", None),
        ("use at least 12 Characters here", None),
        ("YOUR_API_KEY_GOES_HERE", None),
        ("your-api-key-goes-here-1234", None),
        ("django.contrib.auth.hashers.Argon2PasswordHasher", None),
        ("bert-base-multilingual-uncased", None),
        ("Proxy-Authorization", None),  # a header's name, not its value
        ("X-Upstream-Session-Token", None),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaa1", None),  # low entropy
        ("abcdefghijklmnopqrstu", None),  # one character class
        ("AbAbAbAbAbAbAbAb12", None),  # low entropy, two classes
    ],
)
def test_secret_value_reason(value: str, reason: str | None) -> None:
    got = secret_value_reason(value)
    if reason is None:
        assert got is None
    else:
        assert got is not None and reason in got
        assert value not in got and value[:6] not in got


def test_shannon_entropy() -> None:
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abcd") == pytest.approx(2.0)
    assert shannon_entropy("0123456789abcdef") == pytest.approx(4.0)


# --- end to end through the CLI


def test_cli_reports_tree_sitter_findings_with_secrets_redacted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "app.py").write_text(f"API_TOKEN = '{FAKE_TOKEN}'\naccess = 'user{RLO} {LRI}admin{PDI}'\n")
    (src / ".github" / "workflows").mkdir(parents=True)
    (src / ".github" / "workflows" / "ci.yml").write_text(
        "on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - run: echo '${{ github.event.pull_request.title }}'\n"
    )
    (src / "settings.yml").write_text("run: echo ${{ github.event.issue.title }}\n")
    monkeypatch.chdir(src)
    code = main(["scan", "--all", str(src), "--rules", str(DATA_RULES), "--format", "json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    ours = {(f["rule_id"], f["path"], f["start_line"]) for f in doc["findings"] if f["scanner"] == "treesitter"}
    assert ours == {
        (SECRET, "app.py", 1),
        (BIDI, "app.py", 2),
        ("github-workflow.cmdi.script-injection", ".github/workflows/ci.yml", 6),
    }
    secret = next(f for f in doc["findings"] if f["rule_id"] == SECRET)
    assert FAKE_TOKEN not in json.dumps(secret)
    assert secret["severity"] == "high" and secret["cwe"] == ["CWE-798"] and secret["disposition"] == "reported"
    assert doc["rules"] >= TreeSitterScanner().rule_count()
