"""The shipped rules load through the validator, cover what we promise, and cache safely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewbot.errors import ConfigError
from reviewbot.scanners.rulesets import builtin_rules_dir, cache_dir, load_rules, rule_files

# What the README promises the Python ruleset covers, by category.
PROMISED_CATEGORIES = {
    "cmdi", "codeinj", "sqli", "pathtraver", "ssrf", "xss", "redirect", "xxe", "xpathi", "ldapi",
    "deserialization", "hash", "weakrand", "securecookie", "trustbound", "secrets", "tls",
}  # fmt: skip


# ... and the JavaScript/TypeScript one (docs/rules.md, "JavaScript and TypeScript rules").
PROMISED_JS_CATEGORIES = {
    "cmdi", "codeinj", "sqli", "pathtraver", "ssrf", "xss", "redirect", "xxe", "deserialization", "hash",
    "weakrand", "securecookie", "secrets", "tls", "jwt", "misconfig", "dos", "authz", "protopollution",
}  # fmt: skip
# A rules folder -> the languages its rules name, and its test files' suffix.
FOLDERS = {"python": ((["python"]), ".py"), "javascript": (["javascript", "typescript"], ".js")}


def test_every_shipped_rule_validates_and_has_a_test_file() -> None:
    rules_dir = builtin_rules_dir()
    rules = load_rules(rules_dir)
    assert len(rules.rules) >= len(PROMISED_CATEGORIES) + len(PROMISED_JS_CATEGORIES)
    for path in rule_files(rules_dir):
        suffix = FOLDERS[path.parent.name][1]
        assert path.with_suffix(suffix).is_file(), f"{path.name} has no test file beside it"
    for info in rules.rules.values():
        folder = info.source.split("/")[0]
        assert info.id.startswith(f"{folder}."), info.id
        assert list(info.languages) == FOLDERS[folder][0], info.id
        assert info.category in info.id, f"{info.id} is not named after its category {info.category}"
        assert info.rationale and info.cwe and info.owasp


def test_the_promised_categories_are_all_covered() -> None:
    rules = load_rules(builtin_rules_dir()).rules.values()
    categories = {info.category for info in rules if info.id.startswith("python.")}
    assert categories >= PROMISED_CATEGORIES, sorted(PROMISED_CATEGORIES - categories)
    js = {info.category for info in rules if info.id.startswith("javascript.")}
    assert js >= PROMISED_JS_CATEGORIES, sorted(PROMISED_JS_CATEGORIES - js)


def test_the_semgrep_scanner_takes_javascript_typescript_and_tsx_files() -> None:
    from reviewbot.scanners.semgrep import SemgrepScanner

    scanner = SemgrepScanner(load_rules(builtin_rules_dir()))
    assert all(scanner.accepts(lang) for lang in ("python", "javascript", "typescript", "tsx"))
    assert not scanner.accepts("template")


def test_taint_rules_exist_for_the_injection_classes() -> None:
    import yaml

    taint_categories = set()
    for path in rule_files(builtin_rules_dir()):
        for rule in yaml.safe_load(path.read_text())["rules"]:
            if rule.get("mode") == "taint":
                taint_categories.add(rule["metadata"]["category"])
    assert {"cmdi", "codeinj", "sqli", "pathtraver", "ssrf", "xss"} <= taint_categories


def _rule(rule_id: str, severity: str = "ERROR", meta_severity: str = "high", cwe: str = "CWE-78") -> str:
    return f"""rules:
  - id: {rule_id}
    pattern: os.system(...)
    message: m
    severity: {severity}
    languages: [python]
    metadata:
      category: cmdi
      cwe: ["{cwe}"]
      owasp: ["A03:2021"]
      severity: {meta_severity}
      confidence: high
      rationale: r
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_rule("x.one", severity="INFO"), "does not match metadata.severity"),
        (_rule("x.one", cwe="89"), "CWE ids look like"),
        (_rule("Bad Id"), "id"),
        ("rules: [", "not valid YAML"),
        ("just: a mapping\n", "'rules' list"),
    ],
)
def test_a_malformed_rule_names_the_file_and_the_problem(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "broken.yaml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_rules(tmp_path)
    assert "broken.yaml" in str(info.value) and expected in str(info.value)


def test_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_rule("x.same"))
    (tmp_path / "b.yaml").write_text(_rule("x.same"))
    with pytest.raises(ConfigError, match=r"x\.same is also defined in a\.yaml"):
        load_rules(tmp_path)


def test_cache_is_keyed_by_content_and_a_corrupt_index_is_rebuilt(tmp_path: Path) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "a.yaml").write_text(_rule("x.one"))
    first = load_rules(rules_dir)
    assert first.merged_file.parent == cache_dir() and first.merged_file.is_file()
    (index,) = cache_dir().glob(f"semgrep-rules-{first.digest}.index-*.json")
    index.write_text("{ not json")
    again = load_rules(rules_dir)
    assert again.digest == first.digest and set(again.rules) == {"x.one"}
    (rules_dir / "a.yaml").write_text(_rule("x.two"))
    changed = load_rules(rules_dir)
    assert changed.digest != first.digest and set(changed.rules) == {"x.two"}


def test_semgrep_check_ids_map_back_through_their_folder_prefix(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_rule("python.cmdi.one"))
    rules = load_rules(tmp_path)
    info = rules.lookup("home.user.cache.reviewbot.python.cmdi.one")
    assert info is not None and info.id == "python.cmdi.one"
    assert rules.lookup("python.cmdi.other") is None


def test_a_requires_text_that_is_not_a_regex_names_the_rule_and_file(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(_rule("x.one") + "      requires-text: 'request.(GET'\n")
    with pytest.raises(ConfigError) as info:
        load_rules(tmp_path)
    message = str(info.value)
    assert "broken.yaml" in message and "x.one" in message and "requires-text" in message
    assert "not a valid Python regular expression" in message and "missing )" in message


def test_a_rule_subset_is_its_own_cached_config(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_rule("x.one") + "      requires-text: needle\n" + _rule("x.two")[7:])
    rules = load_rules(tmp_path)
    assert rules.rules["x.one"].requires_text == "needle" and rules.rules["x.two"].requires_text is None
    assert set(rules.prefilters()) == {"x.one"}
    assert rules.subset_file(frozenset({"x.one", "x.two"})) == rules.merged_file
    subset = rules.subset_file(frozenset({"x.two"}))
    assert subset.parent == rules.merged_file.parent  # semgrep's check_id prefix stays the same
    assert [r["id"] for r in json.loads(subset.read_bytes())["rules"]] == ["x.two"]
    assert rules.subset_file(frozenset({"x.two"})) == subset
    # the index keeps the prefilter: a second load reads it from the cache
    assert load_rules(tmp_path).rules["x.one"].requires_text == "needle"
