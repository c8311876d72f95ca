"""Prefilters (`metadata.requires-text`): reviewed against the sources they stand for, sound on
every spelling of every source kind, linear on hostile input, and invisible in the findings."""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from reviewbot.scanners import semgrep_plan
from reviewbot.scanners.interface import ScanOutput
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules, rule_files
from reviewbot.scanners.semgrep import Engine, SemgrepScanner

REVIEWED: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "data" / "prefilters.yaml").read_text())[
    "prefilters"
]
CORPUS = builtin_rules_dir() / "python"


def _shipped_rules() -> list[tuple[Path, dict[str, Any]]]:
    return [
        (path, rule) for path in rule_files(builtin_rules_dir()) for rule in yaml.safe_load(path.read_text())["rules"]
    ]


def _snippets(kind: str) -> list[tuple[str, str, str, str]]:
    """(entry name, snippet name, code, sink rule) for every `admits` or `rejects` snippet."""
    return [(e["name"], name, code, e["sink-rule"]) for e in REVIEWED for name, code in e[kind].items()]


def _ids(snippets: list[tuple[str, str, str, str]]) -> list[str]:
    return [f"{entry}: {name}" for entry, name, _, _ in snippets]


def _regex(entry_name: str) -> re.Pattern[bytes]:
    (entry,) = [e for e in REVIEWED if e["name"] == entry_name]
    return re.compile(entry["requires-text"].encode())


# The keys that say what a search rule matches: any edit of one asks for the prefilter's review.
MATCH_KEYS = ("pattern", "patterns", "pattern-either", "pattern-regex")


def _reviewed_against(rule: dict[str, Any]) -> tuple[str, Any]:
    """What a rule's prefilter must be checked against: a taint rule's sources, or (a search
    rule) the digest of everything it matches with (`patterns`, `pattern-either`, ...)."""
    if rule.get("mode") == "taint":
        return "pattern-sources", rule.get("pattern-sources")
    match = {key: rule[key] for key in MATCH_KEYS if key in rule}
    return "patterns-sha256", hashlib.sha256(json.dumps(match, sort_keys=True).encode()).hexdigest()


def test_every_prefilter_was_reviewed_against_its_rules_current_sources() -> None:
    """A rule's sources (a pattern rule: its patterns) changed, or its prefilter did, without the
    pair being reviewed again."""
    for path, rule in _shipped_rules():
        requires = rule["metadata"].get("requires-text")
        if requires is None:
            continue
        key, against = _reviewed_against(rule)
        assert any((requires, against) == (e["requires-text"], e.get(key)) for e in REVIEWED), (
            f"{path.name}: rule {rule['id']}: its requires-text and {key} are not a reviewed pair in "
            "tests/data/prefilters.yaml. Re-check the prefilter against the new sources (docs/rules.md, "
            "'Prefilters'), add snippets for any new source kind, then update the reviewed copy."
        )


def test_every_taint_rule_has_a_prefilter_and_every_reviewed_one_is_used() -> None:
    # A taint rule finds nothing in a file without a source: without a prefilter it costs every file.
    used = set()
    for path, rule in _shipped_rules():
        if rule.get("mode") == "taint":
            assert "requires-text" in rule["metadata"], f"{path.name}: taint rule {rule['id']} has no requires-text"
        if "requires-text" in rule["metadata"]:
            used.add(rule["metadata"]["requires-text"])
    assert used == {e["requires-text"] for e in REVIEWED}


@pytest.fixture(scope="module")
def snippet_findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Every snippet scanned by the real semgrep with every rule and no prefilter: rule ids by snippet."""
    root = tmp_path_factory.mktemp("snippets")
    names = {}
    suffix = {e["name"]: e.get("suffix", ".py") for e in REVIEWED}  # the language the sources are of
    for i, (entry, name, code, _) in enumerate(_snippets("admits") + _snippets("rejects")):
        (root / f"s{i}{suffix[entry]}").write_bytes(code.encode())
        names[f"s{i}{suffix[entry]}"] = f"{entry}: {name}"
    rules = load_rules(builtin_rules_dir())
    scanner = SemgrepScanner(rules, prefilter=False)
    out = scanner.scan(root, sorted(names))
    found: dict[str, set[str]] = {label: set() for label in names.values()}
    for m in out.matches:
        info = rules.lookup(m.rule_id)
        found[names[m.path]].add(info.id if info else m.rule_id)
    return found


@pytest.mark.parametrize(("entry", "name", "code", "sink"), _snippets("admits"), ids=_ids(_snippets("admits")))
def test_each_spelling_of_a_source_is_a_finding_and_is_admitted(
    snippet_findings: dict[str, set[str]], entry: str, name: str, code: str, sink: str
) -> None:
    assert sink in snippet_findings[f"{entry}: {name}"], "not a source after all: the snippet proves nothing"
    assert _regex(entry).search(code.encode()), "the prefilter would hide this finding"


@pytest.mark.parametrize(("entry", "name", "code", "sink"), _snippets("rejects"), ids=_ids(_snippets("rejects")))
def test_files_without_a_source_are_kept_from_the_rule(
    snippet_findings: dict[str, set[str]], entry: str, name: str, code: str, sink: str
) -> None:
    assert sink not in snippet_findings[f"{entry}: {name}"]
    assert not _regex(entry).search(code.encode())


HOSTILE = {
    "brackets": b"(" * 1_000_000,
    "brackets and blanks": b"( " * 500_000,
    "calls": b"a(" * 500_000,
    "the name, repeated": b"request " * 125_000,
    "the name, then closing brackets": b"request" + b")" * 1_000_000,
    "comments naming the source": b"#request.\n" * 15 + b" " * 1_000_000,
    "comments opening brackets": (b"#" + b"x(" * 140 + b"\n") * 15 + b"(" * 1_000_000,
    "long comments": (b"request.#" + b"x" * 299 + b"\n") * 3_000,
    "the module name, repeated": b"random " * 140_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_prefilters_are_linear_on_hostile_input(name: str) -> None:
    # Quadratic backtracking on 1 MB would take minutes; linear takes well under a second.
    for entry in REVIEWED:
        started = time.process_time()
        _regex(entry["name"]).search(HOSTILE[name])
        assert time.process_time() - started < 2.0, entry["name"]


def _key(out: ScanOutput, scanner: SemgrepScanner) -> set[tuple[str, str, int, int, str, str | None]]:
    keys = set()
    for m in out.matches:
        info = scanner.rule(m.rule_id)
        keys.add((info.id if info else m.rule_id, m.path, m.start_byte, m.end_byte, m.message, m.fix))
    return keys


def test_prefiltered_and_unfiltered_scans_agree_on_the_rules_test_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    targets = sorted(p.name for p in CORPUS.glob("*.py") if not p.name.endswith(".fixed.py"))
    rules = load_rules(builtin_rules_dir())
    pairs: list[int] = []  # (rule, file) pairs each semgrep process was given
    real = SemgrepScanner._scan_part

    def counting(
        self: SemgrepScanner, root: Path, files: list[str], config: Path, jobs: int, packed: bool = False
    ) -> Any:
        given = json.loads(config.read_bytes())["rules"]
        pairs.append(sum(len(r["paths"]["include"]) for r in given) if packed else len(given) * len(files))
        return real(self, root, files, config, jobs, packed)

    monkeypatch.setattr(SemgrepScanner, "_scan_part", counting)
    # Small groups would join bigger ones with more rules: keep every file to exactly its rules.
    monkeypatch.setattr(semgrep_plan, "SMALL_GROUP_BYTES", 0)
    filtered = SemgrepScanner(rules, engine=Engine.FAST)
    with_prefilter = filtered.scan(CORPUS, targets)
    everything = sum(len(filtered.prefilters.of_language(t)) for t in targets)
    assert 0 < sum(pairs) < everything  # the prefilter did leave rules out
    unfiltered = SemgrepScanner(rules, engine=Engine.FAST, prefilter=False)
    without = unfiltered.scan(CORPUS, targets)
    assert len(without.matches) > 100
    assert _key(with_prefilter, filtered) == _key(without, unfiltered)
    assert with_prefilter.warnings == without.warnings == []


def _one_rule_dir(tmp_path: Path, requires: str) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text(
        f"""rules:
  - id: x.cmdi.system
    pattern: os.system(...)
    message: m
    severity: ERROR
    languages: [python]
    metadata:
      category: cmdi
      cwe: ["CWE-78"]
      owasp: ["A03:2021"]
      severity: high
      confidence: high
      rationale: r
      requires-text: {requires}
"""
    )
    return rules


def test_a_file_no_rule_applies_to_is_not_given_to_semgrep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.py").write_text("import os\nos.system(x)\n")
    (work / "b.py").write_text("print('nothing to see')\n")
    given: list[str] = []
    real = SemgrepScanner._scan_part

    def recording(
        self: SemgrepScanner, root: Path, files: list[str], config: Path, jobs: int, packed: bool = False
    ) -> Any:
        given.extend(files)
        return real(self, root, files, config, jobs, packed)

    monkeypatch.setattr(SemgrepScanner, "_scan_part", recording)
    out = SemgrepScanner(load_rules(_one_rule_dir(tmp_path, "system")), engine=Engine.FAST).scan(work, ["a.py", "b.py"])
    assert given == ["a.py"]
    assert [(m.path, m.start_line) for m in out.matches] == [("a.py", 2)]
    assert out.warnings == []  # in particular, no "semgrep did not scan b.py"


def test_a_prefiltered_file_semgrep_could_not_parse_is_scanned_again_with_every_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """semgrep's error recovery skips text, and so can join tokens the regexes saw apart: here it
    reads `request $$$ .GET` as `request.GET`, a source. It reports the skipped text, and the
    file is scanned again with every rule of its language, so the finding is kept."""
    broken = {
        f"broken{i}.py": f"import os\nos.system(request {junk} .GET)\n" for i, junk in enumerate(["$$$", "?", "else"])
    }
    for name, text in broken.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "fine.py").write_text("import hashlib\nhashlib.md5(b'x')\n")
    targets = [*sorted(broken), "fine.py"]
    rules = load_rules(builtin_rules_dir())
    runs: list[tuple[list[str], int]] = []
    real = SemgrepScanner._scan_part

    def recording(
        self: SemgrepScanner, root: Path, files: list[str], config: Path, jobs: int, packed: bool = False
    ) -> Any:
        runs.append((files, len(json.loads(config.read_bytes())["rules"])))
        return real(self, root, files, config, jobs, packed)

    monkeypatch.setattr(SemgrepScanner, "_scan_part", recording)
    monkeypatch.setattr(semgrep_plan, "SMALL_GROUP_BYTES", 0)  # no group joins another
    filtered = SemgrepScanner(rules, engine=Engine.FAST, jobs=1)  # one process per group
    python = filtered.prefilters.of_language("x.py")  # every rule a .py file can get
    assert all(
        filtered.rules_for(text.encode()) & python == filtered.rules_for(b"") & python for text in broken.values()
    )
    out = filtered.scan(tmp_path, targets)
    assert runs == [(targets, len(filtered.rules_for(b"") & python)), (sorted(broken), len(python))]
    unfiltered = SemgrepScanner(rules, engine=Engine.FAST, prefilter=False)
    expected = unfiltered.scan(tmp_path, targets)
    assert {(m.path, m.start_line) for m in out.matches if "cmdi" in m.rule_id} == {(n, 2) for n in broken}
    assert _key(out, filtered) == _key(expected, unfiltered)
    assert sorted(out.warnings, key=str) == sorted(expected.warnings, key=str)
    assert {w.path for w in out.warnings} == set(broken)  # the parse problems are still reported


def test_unreadable_and_huge_files_get_every_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scanner = SemgrepScanner(load_rules(_one_rule_dir(tmp_path, "system")), engine=Engine.FAST)
    (tmp_path / "big.py").write_text("x = 1\n" * 100)
    (tmp_path / "small.py").write_text("x = 1\n")
    monkeypatch.setattr(semgrep_plan, "PREFILTER_MAX_BYTES", 100)
    groups = scanner.prefilters.group(tmp_path, ["big.py", "small.py", "missing.py"])
    assert groups == {frozenset({"x.cmdi.system"}): ["big.py", "missing.py"]}


def test_prefilters_read_bytes_not_text(tmp_path: Path) -> None:
    scanner = SemgrepScanner(load_rules(_one_rule_dir(tmp_path, "system")), engine=Engine.FAST)
    assert scanner.rules_for(b"\xff\xfe invalid utf-8 \x80 os.system(x)") == {"x.cmdi.system"}
    assert scanner.rules_for(b"\xff\xfe invalid utf-8 \x80") == frozenset()


def test_a_small_group_runs_with_a_group_whose_rules_include_its_own(tmp_path: Path) -> None:
    from reviewbot.scanners.semgrep_plan import SMALL_GROUP_BYTES, merge_small

    (tmp_path / "tiny.py").write_bytes(b"x = 1\n")
    (tmp_path / "big.py").write_bytes(b"#" * SMALL_GROUP_BYTES)
    a, ab, c = frozenset({"a"}), frozenset({"a", "b"}), frozenset({"c"})
    assert merge_small(tmp_path, {a: ["tiny.py"], ab: ["big.py"]}) == {ab: ["big.py", "tiny.py"]}
    assert merge_small(tmp_path, {ab: ["tiny.py"], a: ["big.py"]}) == {
        ab: ["tiny.py"],
        a: ["big.py"],
    }  # not a superset
    assert merge_small(tmp_path, {a: ["tiny.py"], c: ["big.py"]}) == {a: ["tiny.py"], c: ["big.py"]}


def test_a_troubled_file_is_rescanned_only_when_its_run_lacked_a_rule_it_wants() -> None:
    plan = semgrep_plan.Prefilters(load_rules(builtin_rules_dir()))
    everything = plan.everything
    some = frozenset(sorted(everything)[:3])
    wanted = {"narrowed.py": some}
    python = plan.of_language("a.py")
    again = plan.rescans((some, ["a.py", "narrowed.py", "calm.py"]), {"a.py", "narrowed.py"}, wanted)
    assert again == {python: ["a.py"]}  # narrowed.py ran with all it wants; calm.py had no trouble
    assert plan.rescans((everything, ["a.py"]), {"a.py"}, {}) == {}  # a run with every rule
    assert plan.rescans((python, ["a.py"]), {"a.py"}, {}) == {}  # ... every rule of its language
    # a small group merged into one with more rules already ran everything the file wants
    assert plan.rescans((everything, ["narrowed.py"]), {"narrowed.py"}, wanted) == {}


def test_a_file_is_given_only_the_rules_of_its_language(tmp_path: Path) -> None:
    # Semgrep skips rules of other languages itself, after parsing them: each group's config
    # holds only its language's.
    rules = load_rules(builtin_rules_dir())
    plan = semgrep_plan.Prefilters(rules)
    for name in ("app.js", "view.tsx", "api.ts", "app.py"):
        (tmp_path / name).write_text("import os\nconst cp = require('child_process'); os.system(x); cp.exec(x)\n")
    groups = plan.group(tmp_path, ["app.js", "view.tsx", "api.ts", "app.py"])
    language = {rule: rules.rules[rule].languages for rule in rules.rules}
    by_file = {target: ids for ids, targets in groups.items() for target in targets}
    assert set(by_file) == {"app.js", "view.tsx", "api.ts", "app.py"}
    assert all("python" in language[r] for r in by_file["app.py"])
    assert any(r.startswith("python.cmdi.") for r in by_file["app.py"])
    for target, lang in (("app.js", "javascript"), ("view.tsx", "typescript"), ("api.ts", "typescript")):
        assert by_file[target] and all(lang in language[r] for r in by_file[target]), target
        assert "javascript.cmdi.shell-non-constant-command" in by_file[target]
    assert plan.of_language("notes.txt") == plan.everything  # no language: semgrep decides
    (tmp_path / "types.d.ts").write_text("export declare function run(cmd: string): void;\n")
    assert plan.group(tmp_path, ["types.d.ts"]) == {}  # declarations: semgrep would skip it, unexplained
