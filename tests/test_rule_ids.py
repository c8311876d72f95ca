"""Rule ids people type, and warnings about their own config: checked, suggested, and shown.

The docs check reads README.md, docs/*.md and every `--help` text of the real CLI, and fails on
any token that looks like a rule id (a language of rulesets/ followed by two dotted parts, or the
argument of `--rule` / `rule:`) and is not a rule the bundled rulesets define.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
from pathlib import Path

import pytest

from reviewbot.cli.main import build_parser, main
from reviewbot.policy.rule_ids import builtin_rule_ids, unknown_rule
from tests.conftest import Repo

ROOT = Path(__file__).parent.parent
RULESETS = ROOT / "rulesets"
RULES = Path(__file__).parent / "data" / "rules"


def _languages() -> list[str]:
    return sorted({p.name for kind in ("semgrep", "treesitter") for p in (RULESETS / kind).iterdir() if p.is_dir()})


def _help_texts() -> dict[str, str]:
    """`--help` of every command and subcommand, as argparse prints it."""
    out: dict[str, str] = {}
    todo: list[tuple[str, argparse.ArgumentParser]] = [("reviewbot", build_parser())]
    while todo:
        name, parser = todo.pop()
        out[name] = parser.format_help()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                todo.extend((f"{name} {sub}", p) for sub, p in action.choices.items())
    return out


def _rule_like(text: str) -> set[str]:
    langs = "|".join(map(re.escape, _languages()))
    found = set(re.findall(rf"\b(?:{langs})\.[a-z0-9_]+\.[a-z0-9][a-z0-9_-]*[a-z0-9]", text))
    # `--rule X` and `rule: X` with a dotted X (placeholders such as RULE_ID have no dot)
    found |= {m for m in re.findall(r"(?:--rule|\brule:)\s+['\"]?([A-Za-z0-9_.-]+\.[A-Za-z0-9_.-]+)", text)}
    # every dotted id inside `ignore[...]` (placeholders such as `rule-id` or `x` have no dot)
    for inside in re.findall(r"ignore\[([^\]]*)\]", text):
        found |= {p.strip() for p in inside.split(",") if re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", p.strip())}
    return found


def test_every_rule_id_in_the_docs_and_help_exists() -> None:
    known = builtin_rule_ids()
    sources = {
        str(p.relative_to(ROOT)): p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    }
    sources |= {f"`{name} --help`": text for name, text in _help_texts().items()}
    seen = {token: where for where, text in sources.items() for token in _rule_like(text)}
    assert len(seen) >= 5, "the check found almost nothing to check: is the pattern still right?"
    missing = sorted(f"{where}: {token}" for token, where in seen.items() if token not in known)
    assert missing == []


def test_the_docs_check_catches_an_id_that_does_not_exist() -> None:
    # The check itself can fail: the ids the issue found in the docs are flagged.
    found = _rule_like(
        "reviewbot suppress add --rule python.flask.debug-enabled\n  python.sqli.raw-query: 0.1\n"
        "x  # reviewbot: ignore[py.cmdi, rule-id] why\n"
    )
    assert found == {"python.flask.debug-enabled", "python.sqli.raw-query", "py.cmdi"}
    assert not found & builtin_rule_ids()


def test_unknown_rule_suggests_the_nearest_ids() -> None:
    known = builtin_rule_ids()
    assert unknown_rule("python.cmdi.shell-command-injection", known) is None
    message = unknown_rule("python.cmdi.shell-comand-injection", known)
    assert message is not None and "did you mean `python.cmdi.shell-command-injection`" in message


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def workdir(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Repo:
    monkeypatch.chdir(repo.root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("USER", "ada")
    return repo


def test_suppress_add_refuses_a_misspelt_rule_with_a_suggestion(workdir: Repo) -> None:
    code, _, err = run(
        ["suppress", "add", "--rule", "python.sqli.formated-sql-query", "--reason", "r", "--expires", "30d"]
    )
    assert code == 2 and "Traceback" not in err
    assert "not a known rule id" in err and "`python.sqli.formatted-sql-query`" in err
    assert not (workdir.root / ".reviewbot" / "suppressions.yml").exists()


def test_suppress_add_takes_a_rule_of_another_ruleset_when_asked(workdir: Repo) -> None:
    argv = ["suppress", "add", "--rule", "acme.custom.rule", "--reason", "r", "--expires", "30d"]
    code, out, _ = run([*argv, "--allow-unknown-rule"])
    assert code == 0 and "added sup-" in out
    code, _, err = run(["suppress", "list"])
    assert code == 0 and "`acme.custom.rule` is not a known rule id" in err and "hides nothing" in err


def test_triage_mark_warns_about_an_unknown_rule(workdir: Repo) -> None:
    code, _, err = run(
        ["triage", "mark", "0" * 32, "--verdict", "true_positive", "--rule", "python.tls.verify-disabled"]
    )
    assert code == 0 and "`python.tls.verify-disabled` is not a known rule id" in err
    assert "python.tls.requests-verify-disabled" in err


def _scan(repo: Repo, *args: str) -> tuple[int, str, str]:
    os.chdir(repo.root)
    return run(["scan", *args, "--rules", str(RULES)])


def test_config_rule_keys_and_inline_ignores_naming_no_rule_warn_on_stderr(workdir: Repo) -> None:
    workdir.write(
        ".reviewbot/config.yml",
        "version: 1\nthresholds:\n  rules:\n    test.tls.verify-disabld: 0.1\nalways_report: [tls, test.nope.rule]\n",
    )
    workdir.write("app.py", "import os\nos.system(x)  # reviewbot: ignore[test.cmdi.os-sytem] x is fixed\n")
    workdir.commit()
    code, out, err = _scan(workdir, "--all", ".", "--format", "json")
    assert code == 0 and "Traceback" not in err
    assert (
        "thresholds.rules: `test.tls.verify-disabld` is not a known rule id; did you mean `test.tls.verify-disabled`?"
        in err
    )
    assert "always_report.rules: `test.nope.rule`" in err and "`tls`" not in err  # a category is fine
    assert "app.py:2: `reviewbot: ignore[test.cmdi.os-sytem]`" in err and "suppresses nothing" in err
    assert any("test.nope.rule" in n for n in json.loads(out)["notes"])


def test_unknown_config_key_is_on_stderr_without_verbose_in_every_format(workdir: Repo) -> None:
    workdir.write(".reviewbot/config.yml", "version: 1\nthreshhold: 0.5\n")
    workdir.write("app.py", "x = 1\n")
    workdir.commit()
    for fmt in ("text", "json", "sarif"):
        code, out, err = _scan(workdir, "--all", ".", "--format", fmt)
        assert code == 0
        assert "reviewbot: warning: .reviewbot/config.yml: unknown key `threshhold` (line 2)" in err
        assert "did you mean `threshold`?" in err
        assert err.count("unknown key") == 1 and "unknown key" not in (out if fmt == "text" else "")


def test_a_config_that_is_a_directory_is_a_warning(workdir: Repo) -> None:
    workdir.write("app.py", "x = 1\n")
    workdir.commit()
    (workdir.root / ".reviewbot" / "config.yml").mkdir(parents=True)
    code, _, err = _scan(workdir, "--all", ".")
    assert code == 0 and ".reviewbot/config.yml: not a regular file" in err and "default settings" in err


def test_a_config_left_unstaged_under_staged_is_a_warning(workdir: Repo) -> None:
    workdir.write(".reviewbot/config.yml", "version: 1\n")
    workdir.write("app.py", "x = 1\n")
    workdir.commit()
    workdir.write(".reviewbot/config.yml", "version: 1\nthreshold: 0.9\n")
    workdir.write("app.py", "x = 2\n")
    workdir.git("add", "app.py")
    code, _, err = _scan(workdir, "--staged")
    assert code == 0 and ".reviewbot/config.yml: the file on disk has edits that are not in the change" in err


def test_verbose_help_says_what_it_adds() -> None:
    text = _help_texts()["reviewbot scan"]
    flat = " ".join(text.split())
    assert "summary line when nothing is reported" in flat and "warnings are printed on stderr" in flat


def test_report_flags_a_hand_written_entry_whose_rule_does_not_exist(workdir: Repo, tmp_path: Path) -> None:
    workdir.write(
        ".reviewbot/suppressions.yml",
        "version: 1\nsuppressions:\n  - id: s1\n    rule: python.flask.debug-enabled\n"
        "    reason: demo\n    owner: ada\n    permanent: true\n",
    )
    out = tmp_path / "report.html"
    code, _, err = run(["report", "--out", str(out)])
    assert code == 0, err
    page = out.read_text()
    assert "entry s1: `python.flask.debug-enabled` is not a known rule id" in page and "hides nothing" in page
