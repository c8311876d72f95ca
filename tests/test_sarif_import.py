"""Importing other tools' SARIF: reading and validating, mapping, paths, and the review's stages.

Real Bandit and Semgrep outputs and a CodeQL-shaped file (tests/data/sarif_import/README.md) are
imported into reviews of real git repositories; every imported result must come out as a
`Finding` that the same stages as ours decided (fingerprint, new-only, suppressions, triage,
model, duplicates), and every refused result must be counted, by reason.
"""

from __future__ import annotations

import copy
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from reviewbot.change import changes
from reviewbot.change.git import GitRepo
from reviewbot.finding import Disposition, Finding, Severity
from reviewbot.lang.syntax import parse
from reviewbot.learn.scoring import Scorer, bundled_model
from reviewbot.review import fingerprint
from reviewbot.review.result import ReviewResult
from reviewbot.review.run import ReviewOptions, run_review
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules
from reviewbot.scanners.sarif_import import Lines, imported_scanners, to_match
from reviewbot.scanners.sarif_load import SarifError, read_sarif
from reviewbot.scanners.sarif_map import CWE_CATEGORY, ImportedResult, map_sarif, tool_id
from reviewbot.scanners.sarif_paths import NOT_FILE, OUTSIDE, repo_roots, resolve_location
from reviewbot.triage.ledger import DEFAULT_LEDGER, Source, TriageRecord, Verdict
from tests.conftest import Repo
from tests.hardening.gfm import live_parts

DATA = Path(__file__).parent / "data" / "sarif_import"
BANDIT, SEMGREP, CODEQL = DATA / "bandit-1.9.4.sarif", DATA / "semgrep-1.182.0.sarif", DATA / "codeql-shaped.sarif"
VIEWS = (DATA / "views.py.txt").read_text()
SHELL_LINE = '    return subprocess.check_output("ping -c 1 " + host, shell=True)'
# The base of the change: the same app, but the ping runs without a shell (line 21, same line count).
BASE_VIEWS = VIEWS.replace(SHELL_LINE, '    return subprocess.check_output(["ping", "-c", "1", host])')
assert BASE_VIEWS != VIEWS


def doc_of(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def write_doc(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc))
    return path


def make_change(repo: Repo, base_views: str = BASE_VIEWS) -> tuple[str, str]:
    """main: the app without the shell call; feature: the app as the tools scanned it. The two commits."""
    repo.write("app/views.py", base_views)
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app/views.py", VIEWS)
    return base, repo.commit("feature")


@pytest.fixture
def change_repo(repo: Repo) -> Repo:
    make_change(repo)
    return repo


def review(
    repo: Repo,
    heads: list[Path],
    bases: list[Path] | None = None,
    *,
    scorer: Scorer | None = None,
    trust_head: bool = False,
    ours: bool = False,
) -> ReviewResult:
    change = changes.from_base(GitRepo.discover(repo.root), "main")
    scanners: list[Any] = []
    if ours:  # reviewbot's own semgrep rules beside the imports
        from reviewbot.scanners.select import ScannerChoice

        scanners = ScannerChoice(frozenset({"semgrep"})).build(lambda: load_rules(builtin_rules_dir()))
    scanners += imported_scanners(heads, bases or [], repo.root)
    return run_review(change, scanners, ReviewOptions(trust_head=trust_head), scorer=scorer)


def by_rule(result: ReviewResult) -> dict[str, Finding]:
    return {f.rule_id: f for f in result.findings}


# ---- reading and validating ----


def test_the_real_outputs_and_the_codeql_shape_are_valid_sarif() -> None:
    for path in (BANDIT, SEMGREP, CODEQL):
        assert read_sarif(path)["version"] == "2.1.0"


def test_bad_json_names_the_file_and_the_place(tmp_path: Path) -> None:
    bad = tmp_path / "broken.sarif"
    bad.write_text('{"version": "2.1.0", "runs": [')
    with pytest.raises(SarifError, match=r"broken\.sarif: not JSON \(line 1, column 31"):
        read_sarif(bad)


def test_a_schema_violation_names_the_json_path_and_never_quotes_the_value(tmp_path: Path) -> None:
    doc = doc_of(BANDIT)
    doc["runs"][0]["results"][2]["locations"][0]["physicalLocation"]["region"]["startLine"] = "SECRET-VALUE-21"
    with pytest.raises(SarifError) as caught:
        read_sarif(write_doc(tmp_path / "bandit.sarif", doc))
    message = str(caught.value)
    assert "bandit.sarif: not valid SARIF 2.1.0: $.runs[0].results[2].locations[0].physicalLocation.region" in message
    assert "SECRET-VALUE" not in message
    assert caught.value.exit_code == 2


def test_a_missing_required_property_is_named(tmp_path: Path) -> None:
    doc = doc_of(SEMGREP)
    del doc["runs"][0]["tool"]["driver"]["name"]
    with pytest.raises(SarifError, match=r"\$\.runs\[0\]\.tool\.driver: missing required property 'name'"):
        read_sarif(write_doc(tmp_path / "s.sarif", doc))


@pytest.mark.parametrize("version", ["2.0.0", 2.1, None])
def test_only_sarif_2_1_0_is_read(tmp_path: Path, version: object) -> None:
    doc = doc_of(BANDIT)
    doc["version"] = version
    with pytest.raises(SarifError, match=r"\$\.version: .* is not 2\.1\.0"):
        read_sarif(write_doc(tmp_path / "old.sarif", doc))


def test_a_json_array_is_not_a_sarif_log(tmp_path: Path) -> None:
    with pytest.raises(SarifError, match=r"\$: a SARIF log is a JSON object, not an array"):
        read_sarif(write_doc(tmp_path / "a.sarif", [1]))  # type: ignore[arg-type]


def test_a_file_over_the_size_cap_is_a_clear_error(tmp_path: Path) -> None:
    size = BANDIT.stat().st_size
    assert read_sarif(BANDIT, max_bytes=size)  # exactly at the cap: read
    with pytest.raises(SarifError, match=rf"larger than {size - 1:,} bytes"):
        read_sarif(BANDIT, max_bytes=size - 1)


def test_symlinks_and_fifos_are_never_read(tmp_path: Path) -> None:
    link = tmp_path / "link.sarif"
    link.symlink_to(BANDIT)
    with pytest.raises(SarifError, match="a symlink, which reviewbot never follows"):
        read_sarif(link)
    fifo = tmp_path / "fifo.sarif"
    os.mkfifo(fifo)
    with pytest.raises(SarifError, match="not a regular file"):
        read_sarif(fifo)  # opened non-blocking: no writer, no hang
    with pytest.raises(SarifError, match="no such file"):
        read_sarif(tmp_path / "absent.sarif")


# ---- mapping ----


def test_bandit_rules_and_results_map_to_reviewbot_terms() -> None:
    (run,) = map_sarif(read_sarif(BANDIT), "bandit.sarif", ("/repo",))
    assert run.tool == "bandit" and not run.refused
    rules = run.rules
    assert (rules["bandit/B608"].category, rules["bandit/B608"].cwe) == ("sqli", ("CWE-89",))
    assert rules["bandit/B608"].confidence.value == "medium"  # precision: medium
    assert rules["bandit/B602"].confidence.value == "high"
    results = {r.rule_id: r for r in run.results}
    # Bandit's severity is the result's level: error (high), warning (medium), note (low).
    assert {k: r.severity.value for k, r in results.items()} == {
        "bandit/B404": "low",
        "bandit/B608": "medium",
        "bandit/B602": "high",
        "bandit/B324": "high",
    }
    assert results["bandit/B602"].metadata["sarif"] == {
        "tool": "Bandit",
        "file": "bandit.sarif",
        "rule": "B602",
        "level": "error",
        "precision": "high",
        "tags": ["security", "external/cwe/cwe-78"],
    }


def test_semgrep_tags_give_cwe_confidence_and_security_severity() -> None:
    (run,) = map_sarif(read_sarif(SEMGREP), "semgrep.sarif", ("/repo",))
    assert run.tool == "semgrep-oss" == tool_id("Semgrep OSS")
    tainted = run.rules["semgrep-oss/rules.python.sqli.tainted-sql-query"]
    formatted = run.rules["semgrep-oss/rules.python.sqli.formatted-sql-query"]
    # Semgrep says precision very-high for every rule; its "<level> CONFIDENCE" tag is the rule's own.
    assert (tainted.confidence.value, formatted.confidence.value) == ("high", "medium")
    assert tainted.owasp == ("OWASP-A03:2021",)
    md5 = run.rules["semgrep-oss/rules.md5-call"]
    assert (md5.cwe, md5.category, md5.severity.value) == (("CWE-328",), "hash", "medium")  # 5.3: medium band


def test_the_codeql_shape_maps_extensions_indexes_and_message_strings() -> None:
    (run,) = map_sarif(read_sarif(CODEQL), "codeql.sarif", ("/repo",))
    sql, cmd = run.rules["codeql/py/sql-injection"], run.rules["codeql/py/command-line-injection"]
    assert (sql.cwe, sql.category, sql.severity.value, sql.dataflow) == (("CWE-89",), "sqli", "high", True)
    assert (cmd.cwe, cmd.severity.value) == (("CWE-78", "CWE-88"), "critical")  # 9.8
    got = [(r.rule_id, r.path, r.start_line, r.message) for r in run.results]
    assert got == [
        ("codeql/py/sql-injection", "app/views.py", 14, "This SQL query depends on a [user-provided value](1)."),
        (
            "codeql/py/command-line-injection",
            "app/views.py",
            21,
            "This command line depends on a [user-provided value](1).",
        ),
        ("codeql/py/sql-injection", "app/my views.py", 4, "This SQL query depends on a value from argv."),
    ]
    assert run.refused == {
        "outside the repository": 2,
        "kind pass, not a failure": 1,
        "suppressed in the tool's own output": 1,
    }


def test_the_cwe_table_agrees_with_reviewbots_own_rules() -> None:
    ours: dict[str, set[str]] = {}
    for rule in load_rules(builtin_rules_dir()).rules.values():
        for cwe in rule.cwe:
            ours.setdefault(cwe.removeprefix("CWE-"), set()).add(rule.category)
    for cwe, category in CWE_CATEGORY.items():
        assert category in ours.get(cwe, set()), (cwe, category)


# ---- paths ----

ROOTS = ("/work/repo",)


@pytest.mark.parametrize(
    ("loc", "run", "expected"),
    [
        ({"uri": "src/a.py"}, {}, ("src/a.py", "")),
        ({"uri": "src/a%20b.py", "uriBaseId": "%SRCROOT%"}, {}, ("src/a b.py", "")),
        ({"uri": "file:///work/repo/src/a.py"}, {}, ("src/a.py", "")),
        ({"uri": "file://localhost/work/repo/x.py"}, {}, ("x.py", "")),
        ({"uri": "file://evil.host/work/repo/x.py"}, {}, (None, OUTSIDE)),
        ({"uri": "file:///etc/passwd"}, {}, (None, OUTSIDE)),
        ({"uri": "/work/repo-other/x.py"}, {}, (None, OUTSIDE)),
        ({"uri": "../x.py"}, {}, (None, OUTSIDE)),
        ({"uri": "a/%2e%2e/%2e%2e/x.py"}, {}, (None, OUTSIDE)),  # encoded dots are still dots
        ({"uri": "https://example.com/x.py"}, {}, (None, NOT_FILE)),
        (
            {"uri": "a.py", "uriBaseId": "SRC"},
            {
                "originalUriBaseIds": {
                    "SRC": {"uri": "src/", "uriBaseId": "ROOT"},
                    "ROOT": {"uri": "file:///work/repo/"},
                }
            },
            ("src/a.py", ""),
        ),
        (
            {"uri": "a.py", "uriBaseId": "SRC"},
            {"originalUriBaseIds": {"SRC": {"uri": "file:///home/runner/work/other/"}}},
            (None, OUTSIDE),
        ),
        (
            {"uri": "a.py", "uriBaseId": "A"},
            {"originalUriBaseIds": {"A": {"uri": "x/", "uriBaseId": "A"}}},
            (None, OUTSIDE),
        ),
        ({"index": 0}, {"artifacts": [{"location": {"uri": "from/artifact.py"}}]}, ("from/artifact.py", "")),
    ],
)
def test_uris_resolve_against_the_repository(
    loc: dict[str, Any], run: dict[str, Any], expected: tuple[Any, str]
) -> None:
    assert resolve_location(loc, run, ROOTS) == expected


def test_refused_results_are_counted_in_one_note_by_reason(repo: Repo, tmp_path: Path) -> None:
    repo.write("app/views.py", BASE_VIEWS)
    repo.write("other.py", "print('unchanged by the change')\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app/views.py", VIEWS)
    repo.write("app/my views.py", "import sqlite3\nimport sys\n\nsqlite3.connect('db').execute('x%s' % sys.argv[1])\n")
    (repo.root / "app" / "link.py").symlink_to("views.py")
    repo.commit("feature")
    doc = doc_of(CODEQL)
    results = doc["runs"][0]["results"]
    for uri in ("app/link.py", "other.py"):
        extra = copy.deepcopy(results[0])
        extra["locations"][0]["physicalLocation"]["artifactLocation"] = {"uri": uri}
        extra["locations"][0]["physicalLocation"]["region"] = {"startLine": 1}
        results.append(extra)
    # The file URI of the checkout, as CodeQL writes it with --sarif-add-file-contents off.
    doc["runs"][0]["originalUriBaseIds"] = {"%SRCROOT%": {"uri": repo.root.as_uri() + "/"}}
    result = review(repo, [write_doc(tmp_path / "codeql.sarif", doc)])
    got = sorted((f.rule_id, f.path, f.start_line) for f in result.findings)
    assert got == [
        ("codeql/py/command-line-injection", "app/views.py", 21),
        ("codeql/py/sql-injection", "app/my views.py", 4),
        ("codeql/py/sql-injection", "app/views.py", 14),
    ]
    (note,) = [n for n in result.notes if n.startswith("imported SARIF")]
    assert note == (
        "imported SARIF of codeql (codeql.sarif): 6 result(s) not imported: 2 outside the repository, "
        "1 kind pass, not a failure, 1 on a symlink, 1 on files the change does not scan, "
        "1 suppressed in the tool's own output"
    )


def test_a_base_uri_elsewhere_refuses_every_result(change_repo: Repo, tmp_path: Path) -> None:
    doc = doc_of(BANDIT)
    doc["runs"][0]["originalUriBaseIds"] = {"SRC": {"uri": "file:///somewhere/else/"}}
    for r in doc["runs"][0]["results"]:
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] = "SRC"
    result = review(change_repo, [write_doc(tmp_path / "bandit.sarif", doc)])
    assert result.findings == []
    assert any("4 result(s) not imported: 4 outside the repository" in n for n in result.notes)


def test_repo_roots_lists_the_resolved_root_too(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real)
    assert repo_roots(tmp_path / "alias") == ((tmp_path / "alias").as_posix(), real.resolve().as_posix())


# ---- regions ----


def _result(line: int, start: int | None, end: int | None, end_line: int | None = None) -> ImportedResult:
    return ImportedResult("t/r", "a.py", line, start, end_line, end, "m", Severity.LOW, {})


def test_columns_are_utf16_units_by_default_and_code_points_when_said() -> None:
    data = 'x = "😀" + eval(y)\n'.encode()
    text = Lines(data)
    at = data.index(b"eval")
    # "😀" is one code point, two UTF-16 code units and four bytes.
    utf16_col = len('x = "😀" + '.encode("utf-16-le")) // 2 + 1
    utf16 = to_match(_result(1, utf16_col, None), "head/a.py", text, "utf16CodeUnits")
    points = to_match(_result(1, len('x = "😀" + ') + 1, None), "head/a.py", text, "unicodeCodePoints")
    assert utf16 is not None and points is not None
    assert utf16.start_byte == points.start_byte == at
    assert data[utf16.start_byte : utf16.end_byte] == b"eval(y)"  # no end column: to the end of the line


def test_a_point_region_covers_its_line_and_a_region_past_the_file_is_refused() -> None:
    text = Lines(b"a = 1\n    eval(x)  \n")
    point = to_match(_result(2, 5, 5), "head/a.py", text, "utf16CodeUnits")
    assert point is not None and (point.start_col, point.end_col) == (5, 12)  # `eval(x)`, stripped
    assert to_match(_result(9, 1, 2), "head/a.py", text, "utf16CodeUnits") is None


# ---- the review's stages ----


def test_imported_results_are_findings_fingerprinted_from_the_code(change_repo: Repo) -> None:
    result = review(change_repo, [BANDIT])
    found = by_rule(result)
    shell = found["bandit/B602"]
    assert (shell.scanner, shell.path, shell.start_line, shell.disposition) == (
        "sarif:bandit",
        "app/views.py",
        21,
        Disposition.REPORTED,
    )
    assert (shell.severity.value, shell.category, shell.cwe, shell.in_diff) == ("high", "cmdi", ("CWE-78",), True)
    assert shell.snippet == SHELL_LINE
    # Fingerprint v1 of exactly the code Bandit pointed at (columns 12..68 of line 21).
    source = VIEWS.encode()
    line_start = source.index(SHELL_LINE.encode())
    ident = fingerprint.match_identity(
        "bandit/B602", "app/views.py", source, parse(source, "python"), line_start + 11, line_start + 67
    )
    assert shell.fingerprint == fingerprint.fingerprints([ident])[0]
    assert shell.context is not None and shell.context.function == "ping"
    assert shell.metadata["sarif"]["tool"] == "Bandit"


def test_new_only_without_base_sarif_unchanged_code_is_preexisting(change_repo: Repo) -> None:
    found = by_rule(review(change_repo, [BANDIT]))
    assert found["bandit/B602"].disposition is Disposition.REPORTED  # the line the change makes
    for rule in ("bandit/B404", "bandit/B608", "bandit/B324"):
        assert found[rule].disposition is Disposition.PREEXISTING, rule


def test_new_only_with_base_sarif_the_base_results_decide(change_repo: Repo, tmp_path: Path) -> None:
    # The base run of Bandit did not report B608 (say it was newly enabled): new, though the code
    # is unchanged. It did report B404 and B324 on the same code: pre-existing.
    base = doc_of(BANDIT)
    base["runs"][0]["results"] = [r for r in base["runs"][0]["results"] if r["ruleId"] in ("B404", "B324")]
    found = by_rule(review(change_repo, [BANDIT], [write_doc(tmp_path / "bandit-base.sarif", base)]))
    assert {k: f.disposition.value for k, f in found.items()} == {
        "bandit/B404": "preexisting",
        "bandit/B608": "reported",
        "bandit/B602": "reported",
        "bandit/B324": "preexisting",
    }


def test_a_base_result_on_other_code_does_not_make_a_head_result_preexisting(change_repo: Repo, tmp_path: Path) -> None:
    # Bandit on the base "reported" B602 on line 21, but the base's line 21 is other code.
    base = doc_of(BANDIT)
    base["runs"][0]["results"] = [r for r in base["runs"][0]["results"] if r["ruleId"] == "B602"]
    found = by_rule(review(change_repo, [BANDIT], [write_doc(tmp_path / "b.sarif", base)]))
    assert found["bandit/B602"].disposition is Disposition.REPORTED


def test_messages_with_markdown_links_mentions_and_html_render_inert() -> None:
    from reviewbot.github.review import inline_body
    from reviewbot.reporters.markdown import finding_list_item

    (run,) = map_sarif(read_sarif(SEMGREP), "semgrep.sarif", ("/r",))
    md5 = next(r for r in run.results if r.rule_id.endswith("md5-call"))
    assert "[the advisory](https://evil.example/x)" in md5.message and "@octocat" in md5.message
    text = Lines(VIEWS.encode())
    match = to_match(md5, "head/app/views.py", text, run.column_kind)
    assert match is not None
    finding = Finding(
        rule_id=md5.rule_id,
        scanner="sarif:semgrep-oss",
        path="app/views.py",
        start_line=match.start_line,
        start_col=match.start_col,
        end_line=match.end_line,
        end_col=match.end_col,
        message=md5.message,
        severity=md5.severity,
        confidence=run.rules[md5.rule_id].confidence,
        category="hash",
        fingerprint="0" * 32,
    )
    for body in (inline_body(finding), finding_list_item(finding)):
        assert live_parts(body) == [], body


def test_an_imported_finding_is_suppressed_like_ours(change_repo: Repo) -> None:
    change_repo.write(
        "app/views.py", VIEWS.replace(SHELL_LINE, SHELL_LINE + "  # reviewbot: ignore[bandit/B602] host is an IP")
    )
    change_repo.commit("suppress")
    found = by_rule(review(change_repo, [BANDIT], trust_head=True))
    assert found["bandit/B602"].disposition is Disposition.SUPPRESSED_INLINE


def test_an_imported_finding_takes_the_ledger_verdict_for_its_fingerprint(change_repo: Repo) -> None:
    first = by_rule(review(change_repo, [BANDIT]))["bandit/B602"]
    record = TriageRecord(
        fingerprint=first.fingerprint,
        rule_id=first.rule_id,
        verdict=Verdict.FALSE_POSITIVE,
        reason="host is validated by the router",
        who="lead",
        when=datetime(2026, 11, 1, tzinfo=UTC),
        source=Source.CLI,
    )
    change_repo.git("checkout", "-q", "main")
    change_repo.write(DEFAULT_LEDGER, record.model_dump_json() + "\n")
    change_repo.commit("triage")
    change_repo.git("checkout", "-q", "feature")
    change_repo.git("merge", "-q", "--no-edit", "main")
    again = by_rule(review(change_repo, [BANDIT]))["bandit/B602"]
    assert again.fingerprint == first.fingerprint
    assert again.disposition is Disposition.TRIAGED


def test_the_model_scores_known_categories_and_an_unknown_rule_as_category_other(
    change_repo: Repo, tmp_path: Path
) -> None:
    doc = doc_of(BANDIT)
    unknown = copy.deepcopy(next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "B602"))
    unknown.pop("ruleIndex")
    unknown["ruleId"] = "B999"  # a rule the run does not describe
    doc["runs"][0]["results"].append(unknown)
    model = bundled_model("default")
    assert model is not None
    found = by_rule(review(change_repo, [write_doc(tmp_path / "b.sarif", doc)], scorer=Scorer.load(model)))
    shell = found["bandit/B602"]
    assert shell.score is not None and shell.features is not None and shell.unscored_reason == ""
    mystery = found["bandit/B999"]
    # The default model has training rows of category `other` (the new rule categories of issue
    # #13): an unknown tool rule is scored as one of them, by severity, confidence and CWE.
    assert mystery.category == "other" and mystery.score is not None and mystery.unscored_reason == ""
    assert mystery.disposition in (Disposition.REPORTED, Disposition.DUPLICATE)  # never hidden for lack of evidence


def test_a_bad_file_is_a_note_when_tolerated_and_an_error_otherwise(change_repo: Repo, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sarif"
    bad.write_text("not json")
    with pytest.raises(SarifError, match=r"bad\.sarif: not JSON"):
        imported_scanners([BANDIT, bad], [], change_repo.root)
    scanners = imported_scanners([BANDIT, bad], [], change_repo.root, tolerate=True)
    assert [s.kind for s in scanners] == ["sarif:bandit"]
    change = changes.from_base(GitRepo.discover(change_repo.root), "main")
    result = run_review(change, scanners, ReviewOptions())
    assert "bandit/B602" in by_rule(result)
    assert any("bad.sarif: not JSON" in n and "its results were not imported" in n for n in result.notes)
    (only_bad,) = imported_scanners([bad], [], change_repo.root, tolerate=True)
    assert only_bad.rule_count() == 0
    assert any("bad.sarif" in n for n in run_review(change, [only_bad], ReviewOptions()).notes)


def test_the_faster_schema_is_the_same_schema() -> None:
    from jsonschema import Draft7Validator

    from reviewbot.scanners.sarif_load import _SCHEMA, _validator

    plain = Draft7Validator(json.loads(_SCHEMA.read_text()))
    docs = [doc_of(p) for p in (BANDIT, SEMGREP, CODEQL)]
    broken = [copy.deepcopy(d) for d in docs]
    broken[0]["runs"][0]["results"][0]["level"] = "fatal"  # not in the enum
    broken[1]["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["rank"] = 200.0  # over 100
    broken[2]["runs"][0]["tool"]["extensions"][0]["rules"][0]["relationships"] = [{"target": {}}]  # no id
    for doc in docs + broken:
        assert _validator().is_valid(doc) == plain.is_valid(doc)
    assert [plain.is_valid(d) for d in broken] == [False, False, False]


def test_two_results_on_the_same_code_where_the_base_has_it_once(repo: Repo, tmp_path: Path) -> None:
    base_code = "def run(x):\n    eval(x)\n    return 1\n"
    repo.write("a.py", base_code)
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("a.py", "def run(x):\n    eval(x)\n    eval(x)\n    return 1\n")
    repo.commit("feature")
    doc = doc_of(BANDIT)
    template = doc["runs"][0]["results"][0]
    results = []
    for line in (2, 3):
        r = copy.deepcopy(template)
        r["locations"][0]["physicalLocation"]["artifactLocation"] = {"uri": "a.py"}
        r["locations"][0]["physicalLocation"]["region"] = {"startLine": line, "startColumn": 5, "endColumn": 12}
        results.append(r)
    doc["runs"][0]["results"] = results
    found = review(repo, [write_doc(tmp_path / "b.sarif", doc)]).findings
    assert sorted(f.disposition.value for f in found) == ["preexisting", "reported"]
