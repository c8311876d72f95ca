"""Packed semgrep runs: the groups of one worker in one process, each rule given only its files.

A packed config names each rule's files in `paths.include` (from the project root
`--project-root` makes of the scan root); it must find exactly what one process per group finds,
and never give a rule a file its prefilter kept from it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from reviewbot.scanners import semgrep_plan
from reviewbot.scanners.rulesets import RuleSet, load_rules
from reviewbot.scanners.semgrep import Engine, SemgrepScanner
from reviewbot.scanners.semgrep_plan import pack, packable

CALL = "import os\nos.system(cmd)\n"


def _rules(tmp_path: Path) -> Path:
    """Two rules matching the same call: `x.only` is prefiltered to files naming `alpha`."""
    rules = tmp_path / "rules"
    rules.mkdir()
    body = """
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
      rationale: r"""
    (rules / "r.yaml").write_text(f"rules:\n  - id: x.only{body}\n      requires-text: alpha\n  - id: x.always{body}\n")
    return rules


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], bool]]:
    calls: list[tuple[list[str], bool]] = []
    real = SemgrepScanner._scan_part

    def recording(
        self: SemgrepScanner, root: Path, files: list[str], config: Path, jobs: int, packed: bool = False
    ) -> Any:
        calls.append((sorted(files), packed))
        return real(self, root, files, config, jobs, packed)

    monkeypatch.setattr(SemgrepScanner, "_scan_part", recording)
    monkeypatch.setattr(semgrep_plan, "SMALL_GROUP_BYTES", 0)  # two groups, not one merged
    return calls


def _found(out: Any, scanner: SemgrepScanner) -> set[tuple[str, str, int]]:
    return {(info.id if (info := scanner.rule(m.rule_id)) else m.rule_id, m.path, m.start_line) for m in out.matches}


def test_two_groups_run_in_one_process_and_each_rule_only_on_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    (work / "a.py").write_text("# alpha\n" + CALL)
    (work / "b.py").write_text(CALL)  # x.only would match here, but its prefilter keeps it away
    (work / "sub" / "b.py").write_text("# alpha\n" + CALL)  # same base name, other folder
    calls = _recording(monkeypatch)
    scanner = SemgrepScanner(load_rules(_rules(tmp_path)), engine=Engine.FAST, jobs=1)
    out = scanner.scan(work, ["a.py", "b.py", "sub/b.py"])
    assert calls == [(["a.py", "b.py", "sub/b.py"], True)]
    assert _found(out, scanner) == {
        ("x.only", "a.py", 3),
        ("x.always", "a.py", 3),
        ("x.always", "b.py", 2),
        ("x.only", "sub/b.py", 3),
        ("x.always", "sub/b.py", 3),
    }
    assert out.warnings == []


def test_packed_and_one_process_per_group_find_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    for i in range(6):
        (work / f"f{i}.py").write_text(("# alpha\n" if i % 2 else "") + CALL * (i + 1))
    targets = sorted(p.name for p in work.iterdir())
    rules = load_rules(_rules(tmp_path))
    calls = _recording(monkeypatch)
    packed = SemgrepScanner(rules, engine=Engine.FAST, jobs=1)
    together = packed.scan(work, targets)
    assert [p for _, p in calls] == [True]
    monkeypatch.setattr("reviewbot.scanners.semgrep.pack", lambda root, runs, jobs: [[run] for run in runs])
    apart = SemgrepScanner(rules, engine=Engine.FAST, jobs=1).scan(work, targets)
    assert [p for _, p in calls[1:]] == [False, False]
    assert _found(together, packed) == _found(apart, packed) and len(together.matches) == 21 + 12


def test_a_packed_run_that_cannot_be_written_runs_its_groups_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.py").write_text("# alpha\n" + CALL)
    (work / "b.py").write_text(CALL)
    calls = _recording(monkeypatch)

    def refuse(self: RuleSet, rules_of: object, directory: Path) -> Path:
        raise ValueError("a rule has a paths filter of its own")

    monkeypatch.setattr(RuleSet, "packed_file", refuse)
    scanner = SemgrepScanner(load_rules(_rules(tmp_path)), engine=Engine.FAST, jobs=1)
    out = scanner.scan(work, ["a.py", "b.py"])
    assert sorted(calls) == [(["a.py"], False), (["b.py"], False)]
    assert _found(out, scanner) == {("x.only", "a.py", 3), ("x.always", "a.py", 3), ("x.always", "b.py", 2)}


def test_a_rule_with_paths_of_its_own_is_not_packed(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    text = (rules / "r.yaml").read_text()
    (rules / "r.yaml").write_text(
        text.replace("    languages: [python]\n", "    languages: [python]\n    paths:\n      exclude: ['tests/']\n", 1)
    )
    with pytest.raises(ValueError, match="paths filter"):
        load_rules(rules).packed_file({"a.py": frozenset({"x.only"})}, tmp_path)


def test_packed_file_names_each_rules_targets_from_the_root(tmp_path: Path) -> None:
    rules = load_rules(_rules(tmp_path))
    path = rules.packed_file(
        {"head/a.py": frozenset({"x.only", "x.always"}), "b.py": frozenset({"x.always"})}, tmp_path
    )
    given = {r["id"]: r["paths"]["include"] for r in json.loads(path.read_bytes())["rules"]}
    assert given == {"x.only": ["/head/a.py"], "x.always": ["/b.py", "/head/a.py"]}


def test_only_plain_paths_under_the_root_are_packable(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.py"
    outside.write_text(CALL)
    for name in ("a.py", "d/b.py", "we[ird].py", "st*r.py", "sp ace.py", "back\\slash.py"):
        (tmp_path / name).write_text(CALL)
    os.symlink(outside, tmp_path / "link.py")
    os.symlink(tmp_path / "d", tmp_path / "dlink")
    assert packable(tmp_path, "a.py") and packable(tmp_path, "d/b.py")
    for name in (
        "we[ird].py",
        "st*r.py",
        "sp ace.py",
        "back\\slash.py",
        "link.py",
        "dlink/b.py",
        "./a.py",
        "d/../a.py",
    ):
        assert not packable(tmp_path, name), name
    assert not packable(tmp_path, "missing.py")


def test_pack_balances_bytes_and_keeps_unpackable_runs_apart(tmp_path: Path) -> None:
    sizes = {"a.py": 900, "b.py": 500, "c.py": 400, "d.py": 100, "we[ird].py": 50}
    for name, size in sizes.items():
        (tmp_path / name).write_text("x" * size)
    x, y, z, w = (frozenset({n}) for n in "xyzw")
    runs = [(x, ["a.py"]), (y, ["b.py"]), (z, ["c.py", "d.py"]), (w, ["we[ird].py"])]
    # largest first onto the lightest bin: a (900) | b (500), then c+d (500) joins b; heaviest bin first
    assert pack(tmp_path, runs, 2) == [[(y, ["b.py"]), (z, ["c.py", "d.py"])], [(x, ["a.py"])], [(w, ["we[ird].py"])]]
    assert pack(tmp_path, runs[:1], 4) == [[(x, ["a.py"])]]
