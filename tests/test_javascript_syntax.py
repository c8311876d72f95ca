"""JavaScript, TypeScript and TSX through the language-independent layers, with the real grammars:
which language a file is, the bounded parse, fingerprint v1 (identity without line numbers, as in
test_fingerprint.py), inline suppressions in `//` and `/* */`, and the context service saying it
has no analysis for them yet.
"""

from __future__ import annotations

import pytest

from reviewbot.lang import syntax
from reviewbot.lang.context import context_for
from reviewbot.lang.languages import comment_markers, language_of, semgrep_language
from reviewbot.lang.syntax import enclosing_scope, parse
from reviewbot.policy.inline import scan_inline
from reviewbot.review.fingerprint import fingerprints, match_identity

RULE = "javascript.cmdi.child-process-exec"
SINK = 'exec("ls " + req.query.dir, { cwd: root })'
# One source that each of the three grammars reads (a TSX-only or TS-only construct would not).
BASE = f"""const {{ exec }} = require("child_process");

class Files {{
  list(req, res) {{
    // list the folder
    {SINK};
    return 1;
  }}
}}
"""


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("web/app.js", "javascript"),
        ("web/app.mjs", "javascript"),
        ("web/app.cjs", "javascript"),
        ("web/App.jsx", "javascript"),
        ("api/server.ts", "typescript"),
        ("api/server.mts", "typescript"),
        ("api/server.cts", "typescript"),
        ("web/App.tsx", "tsx"),
        ("web/APP.JS", "javascript"),
        ("types.d.ts", "typescript"),
        ("app.py", "python"),
        ("README.md", None),
    ],
)
def test_languages_by_suffix(path: str, language: str | None) -> None:
    assert language_of(path) == language


def test_semgrep_reads_tsx_as_typescript_and_comments_are_c_like() -> None:
    assert semgrep_language("tsx") == "typescript"
    assert semgrep_language("javascript") == "javascript"
    for path in ("a.js", "a.mjs", "a.cjs", "a.jsx", "a.ts", "a.mts", "a.cts", "a.tsx"):
        assert comment_markers(path) == ("//", "/*"), path


def fp_of(source: str, language: str, path: str, needle: str = SINK, nth: int = 0) -> str:
    data = source.encode()
    parsed = parse(data, language)
    assert parsed is not None and not parsed.tree.root_node.has_error, language
    starts, pos = [], data.find(needle.encode())
    while pos != -1:
        starts.append(pos)
        pos = data.find(needle.encode(), pos + 1)
    idents = [match_identity(RULE, path, data, parsed, s, s + len(needle.encode())) for s in starts]
    return fingerprints(idents)[nth]


DIALECTS = [("javascript", "app.js"), ("typescript", "app.ts"), ("tsx", "app.tsx")]


@pytest.mark.parametrize(("language", "path"), DIALECTS)
def test_fingerprint_survives_moves_reindenting_rewrapping_and_comments(language: str, path: str) -> None:
    base = fp_of(BASE, language, path)
    assert fp_of("// header\nconst x = 1;\n\n" + BASE, language, path) == base  # lines added above
    assert fp_of(BASE.replace("  ", "    "), language, path) == base  # re-indented
    assert fp_of(BASE.replace("// list the folder", "/* another comment */"), language, path) == base
    wrapped = 'exec(\n      "ls " + req.query.dir, // why\n      { cwd: root, },\n    )'
    assert fp_of(BASE.replace(SINK, wrapped), language, path, wrapped) == base  # re-wrapped, trailing commas


@pytest.mark.parametrize(("language", "path"), DIALECTS)
def test_fingerprint_changes_with_the_code_the_scope_the_path_and_the_rule(language: str, path: str) -> None:
    base = fp_of(BASE, language, path)
    changed = SINK.replace("req.query.dir", "req.body.dir")
    assert fp_of(BASE.replace(SINK, changed), language, path, changed) != base
    assert fp_of(BASE.replace("list(req", "remove(req"), language, path) != base
    assert fp_of(BASE, language, "other/" + path) != base
    twice = BASE.replace(f"{SINK};", f"{SINK};\n    {SINK};")
    assert fp_of(twice, language, path, nth=0) == base
    assert fp_of(twice, language, path, nth=1) != base


def test_scopes_name_functions_classes_and_methods_not_arrow_functions() -> None:
    source = b"""namespace Api {
  export class Users {
    async get(req: Request) { run(req); }
  }
}
function outer() { const inner = () => { run(1); }; return function named() { run(2); }; }
app.get("/x", (req, res) => { run(3); });
"""
    parsed = parse(source, "typescript")
    assert parsed is not None

    def scope(needle: bytes) -> str:
        at = source.find(needle)
        return enclosing_scope(parsed, at, at + len(needle))

    assert scope(b"run(req)") == "Api.Users.get"
    assert scope(b"run(1)") == "outer"
    assert scope(b"run(2)") == "outer.named"
    assert scope(b"run(3)") == "<module>"


def test_tsx_needs_its_own_grammar() -> None:
    # `<T>x` is a cast in TypeScript and an element in TSX: each grammar reads its own file cleanly
    cast = b"const n = <number>value;\n"
    element = b"const e = <div className='a'>{value}</div>;\n"
    ts, tsx = parse(cast, "typescript"), parse(element, "tsx")
    assert ts is not None and not ts.tree.root_node.has_error
    assert tsx is not None and not tsx.tree.root_node.has_error
    as_ts = parse(element, "typescript")
    assert as_ts is not None and as_ts.tree.root_node.has_error


def test_the_parse_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    big = b"let a = 1;\n" * 200_000
    monkeypatch.setattr(syntax, "PARSE_BUDGET_SECONDS", 0.0)
    assert parse(big, "javascript") is None
    monkeypatch.setattr(syntax, "PARSE_BUDGET_SECONDS", 2.0)
    small = b"function f(a) { return a; }\n"
    parsed = parse(small, "javascript")
    assert parsed is not None and parsed.tree.root_node.end_byte == len(small)
    # no parse: the fingerprint falls back to the text form, whitespace folded
    ident = match_identity(RULE, "a.js", big, None, 0, 20)
    assert ident.scope == "<file>" and ident.normalized == "let a = 1; let a = 1"


def test_the_context_service_analyses_javascript() -> None:
    source = BASE.encode()
    parsed = parse(source, "javascript")
    at = source.find(SINK.encode())
    ctx = context_for(parsed, at, at + len(SINK), path="tests/app.test.js", path_on_base=True)
    assert ctx.language == "javascript" and ctx.sink is not None
    assert "no context analysis for javascript" not in ctx.notes
    assert ctx.path_role.value == "test"  # the path's role is known without analysis


@pytest.mark.parametrize(
    ("path", "text", "reason"),
    [
        ("a.js", "exec(cmd); // reviewbot: ignore[javascript.cmdi.x] argv is fixed\n", "argv is fixed"),
        ("a.mts", "/* reviewbot: ignore[javascript.cmdi.x] argv is fixed */\nexec(cmd);\n", "argv is fixed"),
        ("a.tsx", "exec(cmd); /* reviewbot: ignore[javascript.cmdi.x] fixed */ more();\n", "fixed"),
    ],
)
def test_inline_suppressions_in_line_and_block_comments(path: str, text: str, reason: str) -> None:
    [d] = scan_inline(path, text.encode())
    assert d.rules == ("javascript.cmdi.x",) and d.reason == reason and d.problem is None


def test_a_hash_comment_is_not_a_javascript_comment() -> None:
    assert scan_inline("a.js", b"exec(cmd); # reviewbot: ignore[javascript.cmdi.x] not JS\n") == []
