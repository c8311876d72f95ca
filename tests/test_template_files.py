"""Template files (`.html`, `.jinja2`, …): a language of their own, scanned by byte-level checks,
with inline suppressions written as template comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbot.lang.languages import comment_markers, language_of
from reviewbot.policy.inline import InlineKind, scan_inline
from reviewbot.scanners.treesitter import TreeSitterScanner

RULES_DIR = Path(__file__).resolve().parent.parent / "rulesets" / "treesitter"


@pytest.mark.parametrize("name", ["t/index.html", "x.htm", "a.jinja", "course.jinja2", "mail.j2", "p.djhtml"])
def test_template_names_are_the_template_language(name: str) -> None:
    assert language_of(name) == "template"
    assert "{#" in comment_markers(name)


def test_a_template_comment_suppresses_with_its_reason_and_governs_the_next_line() -> None:
    data = b"{# reviewbot: ignore[template.xss.safe-filter] the body is sanitized by nh3 #}\n{{ body|safe }}\n"
    (directive,) = scan_inline("t.html", data)
    assert directive.kind is InlineKind.IGNORE
    assert directive.rules == ("template.xss.safe-filter",)
    assert directive.reason == "the body is sanitized by nh3"
    assert directive.comment_only and directive.problem is None


def test_an_html_comment_works_too_and_a_bare_one_has_no_reason() -> None:
    (html,) = scan_inline("t.html", b"<p>{{ x|safe }}</p> <!-- reviewbot: ignore[*] trusted markup -->\n")
    assert html.reason == "trusted markup" and not html.comment_only
    (bare,) = scan_inline("t.html", b"{# reviewbot: ignore[*] #}\n")
    assert bare.problem is not None


def test_the_scanner_reads_a_template_and_skips_comments(tmp_path: Path) -> None:
    source = b"{# {{ a|safe }} #}\n<p>{{ b|safe }}</p>\n{% autoescape false %}{% endautoescape %}\n"
    (tmp_path / "t.jinja2").write_bytes(source)
    out = TreeSitterScanner(RULES_DIR).scan(tmp_path, ["t.jinja2"])
    assert not out.warnings
    assert {(m.rule_id, m.start_line) for m in out.matches} == {
        ("template.xss.safe-filter", 2),
        ("template.xss.autoescape-disabled", 3),
    }


def test_an_unclosed_tag_costs_no_more_than_a_bounded_search(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_bytes(b"{{ x|safe " * 50_000 + b"\n{{ y|safe }}\n")
    out = TreeSitterScanner(RULES_DIR).scan(tmp_path, ["t.html"])
    assert not out.warnings
    assert [m.start_line for m in out.matches] == [2]
