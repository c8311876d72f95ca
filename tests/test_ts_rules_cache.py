"""The tree-sitter rules' YAML is parsed once per content (reviewbot/scanners/ts_rules.py): later
loads read the parsed document from the user cache and validate it as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewbot import _yaml
from reviewbot.errors import ConfigError
from reviewbot.scanners import ts_rules
from reviewbot.scanners.treesitter import builtin_rules_dir, load_rules

RULE = "python/credential-enumeration-messages.yaml"


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "rules" / "python"
    folder.mkdir(parents=True)
    shutil.copy(builtin_rules_dir() / RULE, folder)
    return tmp_path / "rules"


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = _yaml.load_yaml

    def counting(data: bytes, label: str, **kwargs: int) -> object:
        seen.append(Path(label).name)
        return real(data, label, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ts_rules, "load_yaml", counting)  # the name ts_rules calls
    return seen


def test_a_second_load_of_the_same_bytes_parses_nothing(rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _parses(monkeypatch)
    first = load_rules(rules)
    assert seen == ["credential-enumeration-messages.yaml"]
    assert load_rules(rules).keys() == first.keys()
    assert [r.info for r in load_rules(rules).values()] == [r.info for r in first.values()]
    assert seen == ["credential-enumeration-messages.yaml"]  # the cached document, validated again


def test_changed_bytes_are_parsed_again_and_a_bad_document_fails_every_time(
    rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_rules(rules)
    seen = _parses(monkeypatch)
    path = rules / RULE
    path.write_text(path.read_text().replace("confidence: medium", "confidence: sure"))
    for _ in range(2):  # valid YAML, so its parse is cached; the document is still refused
        with pytest.raises(ConfigError, match="confidence"):
            load_rules(rules)
    assert seen == ["credential-enumeration-messages.yaml"]
    path.write_text("rules: [\n")
    for _ in range(2):
        with pytest.raises(ConfigError, match="not valid YAML"):
            load_rules(rules)


def test_a_corrupt_entry_is_a_miss(rules: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first = load_rules(rules)
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{not json")
    seen = _parses(monkeypatch)
    assert load_rules(rules).keys() == first.keys()
    assert seen == ["credential-enumeration-messages.yaml"]
