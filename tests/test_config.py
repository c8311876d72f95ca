"""Tuning config: schema and defaults, unknown keys warned, errors named, presets from a card, floors,
the tuning stage, and which version of the file a review reads (real git repositories)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from reviewbot.change.changes import from_base
from reviewbot.change.git import GitRepo
from reviewbot.errors import ConfigError
from reviewbot.finding import Confidence, Disposition, Finding, Scanner, Severity
from reviewbot.policy.config import (
    CONFIG_FILE,
    AlwaysReport,
    Config,
    Preset,
    Thresholds,
    config_for,
    load_config,
    parse_config,
    versions_of,
)
from reviewbot.policy.tuning import always_report, apply_tuning, effective_threshold, threshold_for_recall
from tests.conftest import Repo

CARD: dict[str, Any] = {"threshold": 0.5, "thresholds": {"0.90": 0.41, "0.95": 0.27, "0.99": 0.08}}


def finding(
    rule: str = "py.sqli",
    category: str = "sqli",
    severity: Severity = Severity.MEDIUM,
    score: float | None = 0.3,
    disposition: Disposition = Disposition.REPORTED,
    fp: str = "a" * 32,
) -> Finding:
    return Finding(
        rule_id=rule,
        scanner=Scanner.SEMGREP,
        path="app.py",
        start_line=1,
        start_col=1,
        end_line=1,
        end_col=2,
        message="m",
        severity=severity,
        confidence=Confidence.HIGH,
        category=category,
        fingerprint=fp,
        score=score,
        disposition=disposition,
    )


def parse(text: str) -> Config:
    return parse_config(text.encode(), ".reviewbot/config.yml").config


# -- the file ------------------------------------------------------------------------------------------


def test_a_missing_file_is_every_default(tmp_path: Path) -> None:
    loaded = load_config(tmp_path / "config.yml")
    c = loaded.config
    assert loaded.warnings == [] and loaded.source == "defaults"
    assert (c.preset, c.threshold, c.audit.sample_rate, c.suppressions.nosemgrep, c.suppressions.unused_after) == (
        None,
        None,
        0.02,
        True,
        10,
    )


def test_a_full_file_parses(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text(
        "version: 1\n"
        "preset: paranoid\n"
        "thresholds:\n  rules: {py.sqli: 0.1}\n  categories:\n    xss: 0.2\n"
        "always_report:\n  severity: critical\n  rules: [py.secrets]\n"
        "audit:\n  sample_rate: 0.05\n  salt: team-2026\n"
        "suppressions:\n  nosemgrep: false\n  unused_after: 3\n"
    )
    loaded = load_config(path)
    c = loaded.config
    assert loaded.warnings == []
    assert (
        c.preset is Preset.PARANOID
        and c.thresholds.rules == {"py.sqli": 0.1}
        and c.thresholds.categories == {"xss": 0.2}
    )
    assert c.always_report.severity is Severity.CRITICAL and c.always_report.rules == ("py.secrets",)
    assert (c.audit.sample_rate, c.audit.salt, c.suppressions.nosemgrep, c.suppressions.unused_after) == (
        0.05,
        "team-2026",
        False,
        3,
    )


def test_unknown_keys_warn_naming_the_file_key_and_line_and_the_rest_applies() -> None:
    loaded = parse_config(
        b"version: 1\npresets: quiet\naudit:\n  sample_rate: 0.1\n  rate: 0.5\nlegacy: {a: 1}\n",
        ".reviewbot/config.yml",
    )
    assert loaded.warnings == [
        ".reviewbot/config.yml: unknown key `legacy` (line 6) is ignored",
        ".reviewbot/config.yml: unknown key `presets` (line 2) is ignored; did you mean `preset`?",
        ".reviewbot/config.yml: unknown key `audit.rate` (line 5) is ignored; did you mean `audit.sample_rate`?",
    ]
    assert loaded.config.audit.sample_rate == 0.1 and loaded.config.preset is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 1\nthreshold: 1.5\n", "threshold (line 2): Input should be less than or equal to 1"),
        ("version: 1\npreset: loud\n", "preset (line 2): Input should be 'quiet', 'balanced' or 'paranoid'"),
        ("version: 1\naudit:\n  sample_rate: yes\n", "audit.sample_rate (line 3): Value error, must be a number"),
        ("version: 1\nthresholds:\n  rules:\n    py.x: high\n", "thresholds.rules.py.x (line 4)"),
        ("version: 1\nalways_report:\n  severity: urgent\n", "always_report.severity (line 3)"),
        ("version: 1\nsuppressions:\n  unused_after: 0\n", "suppressions.unused_after (line 3)"),
        ("version: 2\n", "version (line 1): unknown version 2: this reviewbot reads version 1"),
        ("preset: quiet\n", "no `version` key"),
        ("- a\n", "must be a mapping"),
        ("version: 1\nversion: 1\n", "line 2: key 'version' appears twice"),
        ("version: 1\npreset: [\n", "not valid YAML (line 3"),
    ],
)
def test_bad_values_are_errors_naming_the_file_key_and_line(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse(text)
    assert str(info.value).startswith(".reviewbot/config.yml: ")
    assert expected in str(info.value)


def test_an_unreadable_config_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "config.yml").mkdir()
    with pytest.raises(ConfigError, match=r"config\.yml: cannot read the config"):
        load_config(tmp_path / "config.yml")


# -- thresholds ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "expected"), [(Preset.QUIET, 0.41), (Preset.BALANCED, 0.27), (Preset.PARANOID, 0.08), (None, 0.5)]
)
def test_presets_resolve_from_the_cards_threshold_table(preset: Preset | None, expected: float) -> None:
    assert effective_threshold(finding(), Config(preset=preset), CARD) == expected


def test_a_preset_missing_from_the_table_takes_the_next_recall_up_else_the_cards_threshold() -> None:
    card = {"threshold": 0.5, "thresholds": {"0.9": 0.41, "0.99": 0.08}}
    assert effective_threshold(finding(), Config(preset=Preset.BALANCED), card) == 0.08
    assert threshold_for_recall({"thresholds": {"0.9": 0.41}}, 0.95) is None
    assert (
        effective_threshold(finding(), Config(preset=Preset.PARANOID), {"threshold": 0.5, "thresholds": {"0.9": 0.4}})
        == 0.5
    )
    assert effective_threshold(finding(), Config(preset=Preset.QUIET), {"threshold": 0.33}) == 0.33


def test_a_card_may_be_a_pydantic_model() -> None:
    class Card(BaseModel):
        threshold: float
        thresholds: dict[str, float]

    assert effective_threshold(finding(), Config(preset=Preset.QUIET), Card(**CARD)) == 0.41


def test_a_card_without_a_usable_threshold_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no usable `threshold`"):
        effective_threshold(finding(), Config(), {"threshold": "high"})


def test_the_most_specific_threshold_wins() -> None:
    config = Config(
        preset=Preset.QUIET, threshold=0.3, thresholds=Thresholds(rules={"py.sqli": 0.1}, categories={"sqli": 0.2})
    )
    assert effective_threshold(finding(), config, CARD) == 0.1
    assert effective_threshold(finding(rule="py.other"), config, CARD) == 0.2
    assert effective_threshold(finding(rule="py.other", category="xss"), config, CARD) == 0.3
    assert effective_threshold(finding(category="xss", rule="x"), Config(preset=Preset.QUIET), CARD) == 0.41


def test_always_report_floors() -> None:
    config = Config(always_report=AlwaysReport(severity=Severity.HIGH, rules=("py.x",), categories=("secrets",)))
    assert always_report(finding(severity=Severity.HIGH), config)
    assert always_report(finding(severity=Severity.CRITICAL), config)
    assert not always_report(finding(severity=Severity.MEDIUM), config)
    assert always_report(finding(rule="py.x"), config)
    assert always_report(finding(category="secrets"), config)
    assert not always_report(finding(severity=Severity.CRITICAL), Config())


def test_always_report_as_a_list_names_rules_or_categories() -> None:
    config = parse("version: 1\nalways_report: [py.secrets.aws, cmdi]\n")
    assert always_report(finding(rule="py.secrets.aws"), config)
    assert always_report(finding(category="cmdi"), config)
    assert not always_report(finding(), config)


# -- the tuning stage -----------------------------------------------------------------------------------


def test_apply_tuning_demotes_restores_and_respects_floors() -> None:
    config = Config(preset=Preset.QUIET, always_report=AlwaysReport(severity=Severity.CRITICAL))
    scored_low = finding(score=0.3)
    demoted_by_scorer = finding(score=0.3, disposition=Disposition.BELOW_THRESHOLD, fp="b" * 32)
    critical = finding(score=0.05, severity=Severity.CRITICAL, fp="c" * 32)
    unscored = finding(score=None, fp="d" * 32)
    suppressed = finding(score=0.01, disposition=Disposition.SUPPRESSED_FILE, fp="e" * 32)
    out = apply_tuning([scored_low, demoted_by_scorer, critical, unscored, suppressed], config, CARD, model="m1")
    assert [f.disposition for f in out] == [
        Disposition.BELOW_THRESHOLD,
        Disposition.BELOW_THRESHOLD,
        Disposition.REPORTED,
        Disposition.REPORTED,
        Disposition.SUPPRESSED_FILE,
    ]
    assert out[0].disposition_reason == (
        "score 0.30 is below the threshold 0.41 of model m1 (from preset quiet (recall 0.90 on the model card))"
    )
    assert out[2].disposition_reason.startswith("always reported: severity critical is at or above")
    paranoid = apply_tuning([demoted_by_scorer], Config(preset=Preset.PARANOID), CARD)
    assert paranoid[0].disposition is Disposition.REPORTED and paranoid[0].disposition_reason == ""


def test_an_expired_suppression_resurfaces_whatever_the_score() -> None:
    f = finding(score=0.01, disposition=Disposition.BELOW_THRESHOLD)
    note = "suppression s1 expired on 2026-01-31 (ada: fixture)"
    [out] = apply_tuning([f], Config(), CARD, resurfaced={f.fingerprint: note})
    assert out.disposition is Disposition.REPORTED
    assert out.disposition_reason == note + "; score 0.01 is below the threshold 0.50"


# -- which version a review reads ----------------------------------------------------------------------


@pytest.fixture
def pr(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    repo.write("app.py", "x = 1\n")
    repo.write(CONFIG_FILE, "version: 1\npreset: paranoid\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    return repo


def test_a_review_reads_the_base_config_and_notes_the_changes_edits(pr: Repo) -> None:
    pr.write(CONFIG_FILE, "version: 1\npreset: quiet\nthreshold: 0.99\n")
    pr.write("app.py", "x = 2\n")
    pr.commit()
    change = from_base(GitRepo(pr.root), "main")
    loaded = config_for(change)
    assert loaded.config.preset is Preset.PARANOID and loaded.config.threshold is None
    [note] = loaded.notes
    assert note.startswith(f"this change edits {CONFIG_FILE}") and "uses the base version" in note
    trusted = config_for(change, trust_head=True)
    assert trusted.config.preset is Preset.QUIET and trusted.notes == []


def test_an_invalid_head_config_is_only_a_note(pr: Repo) -> None:
    pr.write(CONFIG_FILE, "version: 1\npreset: silent\n")
    pr.commit()
    loaded = config_for(from_base(GitRepo(pr.root), "main"))
    assert loaded.config.preset is Preset.PARANOID
    assert "the head version is also invalid" in loaded.notes[0] and "preset (line 2)" in loaded.notes[0]


def test_an_unchanged_config_is_read_from_the_commit_not_the_dirty_work_tree(pr: Repo) -> None:
    pr.write("app.py", "x = 2\n")
    pr.commit()
    pr.write(CONFIG_FILE, "version: 1\npreset: quiet\n")  # uncommitted
    change = from_base(GitRepo(pr.root), "main")
    versions = versions_of(change, CONFIG_FILE)
    assert not versions.changed and versions.base == versions.head == b"version: 1\npreset: paranoid\n"
    assert config_for(change).config.preset is Preset.PARANOID


def test_worktree_edits_to_the_config_are_the_head_version(pr: Repo) -> None:
    pr.write(CONFIG_FILE, "version: 1\npreset: quiet\n")  # uncommitted, reviewed with --worktree
    change = from_base(GitRepo(pr.root), "main", worktree=True)
    versions = versions_of(change, CONFIG_FILE)
    assert versions.changed and versions.base == b"version: 1\npreset: paranoid\n"
    assert versions.head == b"version: 1\npreset: quiet\n"
