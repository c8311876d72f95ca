"""Template files (`.html`, `.jinja2`, `.njk`, and Node's `.ejs`, `.pug`, `.hbs`, `.vue`): languages
of their own, scanned by byte-level checks, with inline suppressions written as each engine's comments."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reviewbot.cli.main import main
from reviewbot.lang.languages import comment_markers, language_of, semgrep_language
from reviewbot.lang.syntax import parse
from reviewbot.policy.inline import InlineKind, scan_inline
from reviewbot.scanners.rulesets import builtin_rules_dir, load_rules
from reviewbot.scanners.semgrep import SemgrepScanner
from reviewbot.scanners.treesitter import TreeSitterScanner
from tests.conftest import Repo

RULES_DIR = Path(__file__).resolve().parent.parent / "rulesets" / "treesitter"


@pytest.mark.parametrize(
    "name",
    ["t/index.html", "x.htm", "a.jinja", "course.jinja2", "mail.j2", "p.djhtml", "v/page.njk", "a.nunjucks", "b.swig"],
)
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


NODE_TEMPLATES = {
    "views/home.ejs": "ejs",
    "views/Home.EJS": "ejs",
    "views/layout.pug": "pug",
    "views/old.jade": "pug",
    "views/post.hbs": "handlebars",
    "views/post.handlebars": "handlebars",
    "views/card.mustache": "handlebars",
    "src/components/Post.vue": "vue",
}


@pytest.mark.parametrize(("name", "language"), NODE_TEMPLATES.items())
def test_node_template_files_have_a_language_with_no_grammar_and_no_semgrep(name: str, language: str) -> None:
    assert language_of(name) == language
    assert parse(b"<p>x</p>\n", language) is None  # the syntax layer tries no grammar for them
    semgrep = SemgrepScanner(load_rules(builtin_rules_dir()))
    assert not semgrep.accepts(language) and semgrep_language(language) == language
    assert TreeSitterScanner(RULES_DIR).accepts(language)


@pytest.mark.parametrize(
    ("path", "text", "reason"),
    [
        (
            "v/a.ejs",
            "<%# reviewbot: ignore[ejs.xss.unescaped-output] sanitized by DOMPurify %>\n",
            "sanitized by DOMPurify",
        ),
        ("v/a.ejs", "<%- html %> <!-- reviewbot: ignore[*] sanitized upstream -->\n", "sanitized upstream"),
        (
            "v/a.pug",
            "//- reviewbot: ignore[pug.xss.unescaped-output] built by marked with sanitize\n",
            "built by marked with sanitize",
        ),
        ("v/a.jade", "  // reviewbot: ignore[*] trusted CMS markup\n", "trusted CMS markup"),
        (
            "v/a.hbs",
            "{{! reviewbot: ignore[handlebars.xss.unescaped-output] escaped in the helper }}\n",
            "escaped in the helper",
        ),
        ("v/a.hbs", "{{!-- reviewbot: ignore[*] escaped in the helper --}}\n", "escaped in the helper"),
        ("v/a.mustache", "<p>{{{x}}}</p> <!-- reviewbot: ignore[*] x is a constant -->\n", "x is a constant"),
        (
            "c/A.vue",
            "<!-- reviewbot: ignore[vue.xss.v-html] sanitized with DOMPurify -->\n",
            "sanitized with DOMPurify",
        ),
        ("c/A.vue", "const x = 1; // reviewbot: ignore[*] script block\n", "script block"),
        ("v/a.njk", "{# reviewbot: ignore[template.xss.safe-filter] sanitized #}\n", "sanitized"),
    ],
)
def test_each_engine_comment_carries_a_suppression_and_its_closer_is_not_the_reason(
    path: str, text: str, reason: str
) -> None:
    (directive,) = scan_inline(path, text.encode())
    assert directive.kind is InlineKind.IGNORE and directive.problem is None
    assert directive.reason == reason


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("v/a.ejs", "{# reviewbot: ignore[*] a Jinja comment is text in EJS #}\n"),
        ("v/a.pug", "{{! reviewbot: ignore[*] not a Pug comment }}\n"),
        ("v/a.hbs", "<%# reviewbot: ignore[*] not a Handlebars comment %>\n"),
        ("c/A.vue", "{{! reviewbot: ignore[*] not a Vue comment }}\n"),
    ],
)
def test_another_engine_comment_syntax_is_not_a_suppression(path: str, text: str) -> None:
    assert scan_inline(path, text.encode()) == []


def test_a_handlebars_comment_without_a_reason_suppresses_nothing() -> None:
    (bare,) = scan_inline("a.hbs", b"{{!-- reviewbot: ignore[*] --}}\n")
    assert bare.problem is not None


APP = {
    "views/profile.ejs": (
        "<%- include('header') %>\n"
        "<h1><%= user.name %></h1>\n"
        "<div><%- user.bio %></div>\n"
        "<%# reviewbot: ignore[ejs.xss.unescaped-output] rendered from sanitized markdown %>\n"
        "<div><%- post.html %></div>\n"
    ),
    "views/profile.pug": (
        "html\n  body\n"
        "    h1= user.name\n"
        "    div!= user.bio\n"
        "    //- reviewbot: ignore[pug.xss.unescaped-output] rendered from sanitized markdown\n"
        "    div!= post.html\n"
    ),
    "views/profile.hbs": (
        "<h1>{{user.name}}</h1>\n"
        "<div>{{{user.bio}}}</div>\n"
        "{{!-- reviewbot: ignore[handlebars.xss.unescaped-output] rendered from sanitized markdown --}}\n"
        "<div>{{{post.html}}}</div>\n"
    ),
    "src/Profile.vue": (
        "<template>\n  <div>\n"
        '    <div v-html="user.bio"></div>\n'
        "    <!-- reviewbot: ignore[vue.xss.v-html] rendered from sanitized markdown -->\n"
        '    <div v-html="post.html"></div>\n'
        "  </div>\n</template>\n"
    ),
    "views/profile.njk": (
        "<div>{{ user.bio | safe }}</div>\n"
        "{# reviewbot: ignore[template.xss.safe-filter] rendered from sanitized markdown #}\n"
        "<div>{{ post.html | safe }}</div>\n"
    ),
}


def test_a_scan_reports_each_engine_unescaped_output_and_honours_its_comment(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    for path, text in APP.items():
        repo.write(path, text)
    repo.commit("base")
    os.chdir(repo.root)
    assert main(["scan", "--no-model", "--all", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    found = {(f["path"], f["start_line"], f["rule_id"], f["disposition"]) for f in doc["findings"]}
    assert found == {
        ("views/profile.ejs", 3, "ejs.xss.unescaped-output", "reported"),
        ("views/profile.ejs", 5, "ejs.xss.unescaped-output", "suppressed_inline"),
        ("views/profile.pug", 4, "pug.xss.unescaped-output", "reported"),
        ("views/profile.pug", 6, "pug.xss.unescaped-output", "suppressed_inline"),
        ("views/profile.hbs", 2, "handlebars.xss.unescaped-output", "reported"),
        ("views/profile.hbs", 4, "handlebars.xss.unescaped-output", "suppressed_inline"),
        ("src/Profile.vue", 3, "vue.xss.v-html", "reported"),
        ("src/Profile.vue", 5, "vue.xss.v-html", "suppressed_inline"),
        ("views/profile.njk", 1, "template.xss.safe-filter", "reported"),
        ("views/profile.njk", 3, "template.xss.safe-filter", "suppressed_inline"),
    }, doc["findings"]
    assert not any("no rules for this file type" in json.dumps(n) for n in doc.get("notes", []))


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("t.ejs", b"<%- " * 40_000 + b"\n<%- x %>\n"),
        ("t.hbs", b"{{{ " * 40_000 + b"\n{{{ x }}}\n"),
        ("t.pug", b"p !{" * 40_000 + b"\np!= x\n"),
        ("t.vue", b"<!-- " + b'v-html="x" ' * 40_000 + b'\n<p v-html="y"></p>\n'),
        ("u.vue", b"<p '" + b'v-html="x" ' * 40_000 + b'\n<p v-html="y"></p>\n'),  # an unclosed quote
    ],
)
def test_a_hostile_node_template_costs_a_bounded_search(name: str, line: bytes, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(line)
    out = TreeSitterScanner(RULES_DIR).scan(tmp_path, [name])
    assert not out.warnings
    assert [m.start_line for m in out.matches] == ([] if name == "t.vue" else [2])  # t.vue: an unclosed comment
