"""The JavaScript/TypeScript/TSX context service: provenance, sanitizers, guards, reachability and
handler facts on small samples, parametrised over the three grammars; hostile input bounded."""

from __future__ import annotations

import time

import pytest

from reviewbot.lang.base import support_for
from reviewbot.lang.context import context_for
from reviewbot.lang.facts import CodeContext, Provenance
from reviewbot.lang.syntax import parse

DIALECTS = ("javascript", "typescript", "tsx")
HEAD = 'const cp = require("child_process");\nconst { execSync } = require("node:child_process");\n'


def ctx(code: str, needle: str, language: str = "javascript", nth: int = 0) -> CodeContext:
    src = (HEAD + code).encode()
    parsed = parse(src, language)
    at = -1
    for _ in range(nth + 1):
        at = src.find(needle.encode(), at + 1)
    assert at >= 0, needle
    return context_for(parsed, at, at + len(needle.encode()), path="src/app.js", path_on_base=True)


def value(code: str, needle: str, language: str = "javascript") -> tuple[Provenance, tuple[str, ...], tuple[str, ...]]:
    c = ctx(code, needle, language)
    assert c.value is not None, c
    return c.value.provenance, c.value.sources, c.value.sanitizers


@pytest.mark.parametrize("language", DIALECTS)
@pytest.mark.parametrize(
    ("code", "needle", "provenance", "source"),
    [
        ('cp.exec("ls");', 'cp.exec("ls")', Provenance.LITERAL, None),
        ("cp.exec(`ls -l`);", "cp.exec(`ls -l`)", Provenance.LITERAL, None),
        ('const LIST = "ls -la";\nfunction f() { cp.exec(LIST); }', "cp.exec(LIST)", Provenance.CONSTANT, None),
        ('const D = "/tmp";\nfunction f() { cp.exec(`ls ${D}`); }', "cp.exec(`ls ${D}`)", Provenance.CONSTANT, None),
        (
            'app.get("/", (req, res) => { cp.exec("ls " + req.query.dir); });',
            "cp.exec(",
            Provenance.REQUEST,
            "req.query",
        ),
        (
            'app.post("/", (r, res) => { const { id } = r.params; execSync(id); });',
            "execSync(id)",
            Provenance.REQUEST,
            "r.params",
        ),
        ("function h(req, res) { const c = req.get('x'); cp.exec(c); }", "cp.exec(c)", Provenance.REQUEST, "req.get()"),
        (
            "router.get('/', async (ctx) => { cp.exec(ctx.request.body.c); });",
            "cp.exec(",
            Provenance.REQUEST,
            "ctx.request.body",
        ),
        ("router.get('/', async (ctx) => { cp.exec(ctx.query.c); });", "cp.exec(", Provenance.REQUEST, "ctx.query"),
        ("exports.handler = async (event) => { cp.exec(event.body); };", "cp.exec(", Provenance.REQUEST, "event.body"),
        (
            "const q = new URLSearchParams(location.search).get('c'); eval(q);",
            "eval(q)",
            Provenance.REQUEST,
            "location.search",
        ),
        ("el.innerHTML = document.cookie;", "document.cookie", Provenance.REQUEST, "document.cookie"),
        ("cp.exec(process.argv[2]);", "cp.exec(", Provenance.REQUEST, "process.argv"),
        ("function run(cmd) { cp.exec(cmd); }", "cp.exec(cmd)", Provenance.PARAMETER, "parameter:cmd"),
        ("function run() { cp.exec(getCommand()); }", "cp.exec(", Provenance.UNKNOWN, None),
        (
            "app.get('/', (req, res) => { db.all(q, (e, rows) => { cp.exec(req.body.x); }); });",
            "cp.exec(",
            Provenance.REQUEST,
            "req.body",
        ),
    ],
)
def test_provenance(language: str, code: str, needle: str, provenance: Provenance, source: str | None) -> None:
    got, sources, _ = value(code, needle, language)
    assert got is provenance
    if source is not None:
        assert source in sources


def test_request_method_and_user_are_not_client_text() -> None:
    assert value("function h(req) { cp.exec(req.method); }", "cp.exec(")[0] is Provenance.UNKNOWN


def test_a_local_variable_named_req_is_not_a_request() -> None:
    assert value('function h() { const req = {query: "a"}; cp.exec(req.query); }', "cp.exec(")[0] is Provenance.UNKNOWN


def test_a_later_plain_assignment_kills_the_request_value() -> None:
    code = "function h(req) { let c = req.query.c; c = 'ls'; cp.exec(c); }"
    assert value(code, "cp.exec(c)")[0] is Provenance.CONSTANT


@pytest.mark.parametrize("language", DIALECTS)
@pytest.mark.parametrize(
    ("expr", "sanitizer"),
    [
        ("parseInt(req.query.n, 10)", "parseInt"),
        ("Number(req.query.n)", "Number"),
        ("encodeURIComponent(req.query.n)", "encodeURIComponent"),
        ("escapeHtml(req.query.n)", "escape-html"),
        ("DOMPurify.sanitize(req.query.n)", "DOMPurify.sanitize"),
        ("path.basename(req.query.n)", "path.basename"),
        ("quote([req.query.n])", "shell-quote.quote"),
        ("conn.escape(req.query.n)", "<x>.escape"),
    ],
)
def test_sanitizers_keep_the_source_and_are_named(language: str, expr: str, sanitizer: str) -> None:
    code = (
        'const escapeHtml = require("escape-html");\nconst path = require("path");\n'
        'import { quote } from "shell-quote";\n'
        f"function h(req, res) {{ cp.exec({expr}); }}"
    )
    provenance, sources, sanitizers = value(code, "cp.exec(")
    assert provenance is Provenance.REQUEST and "req.query" in sources
    assert sanitizer in sanitizers


@pytest.mark.parametrize(
    ("check", "guard"),
    [
        ("if (!/^[a-z]+$/.test(x)) return;", "guard:regex"),
        ("if (!ALLOWED.includes(x)) { res.end(); return; }", "guard:allowlist"),
        ("if (typeof x !== 'number') throw new Error('no');", "guard:type"),
        ("if (x.includes('..')) return;", "guard:dotdot"),
        ("if (x !== 'a') return;", "guard:allowlist"),
        ("if (!validator.isInt(x)) return;", "guard:validator"),
    ],
)
def test_guards_that_dominate_the_sink(check: str, guard: str) -> None:
    code = f"function h(req, res) {{ const x = req.query.x; {check} cp.exec(x); }}"
    assert guard in value(code, "cp.exec(x)")[2]


def test_a_guard_inside_an_if_and_none_after_it() -> None:
    assert (
        "guard:regex"
        in value("function h(req) { const x = req.body.x; if (/^\\d+$/.test(x)) { cp.exec(x); } }", "cp.exec(x)")[2]
    )
    assert (
        value("function h(req) { const x = req.body.x; if (/^\\d+$/.test(x)) { f(); } cp.exec(x); }", "cp.exec(x)")[2]
        == ()
    )


@pytest.mark.parametrize("language", DIALECTS)
@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("function f(c) { return; cp.exec(c); }", "after `return` on line 3"),
        ("function f(c) { throw new Error('x'); cp.exec(c); }", "after `throw` on line 3"),
        ("function f(c) { if (false) { cp.exec(c); } }", "under an `if` whose condition is always false (line 3)"),
        ("function f(c) { if (c) { return 1; } else { throw c; } cp.exec(c); }", "in every branch"),
    ],
)
def test_unreachable_code(language: str, code: str, reason: str) -> None:
    c = ctx(code, "cp.exec(c)", language)
    assert not c.reachable and reason in c.reachability_reason


def test_reachable_code_after_a_conditional_return() -> None:
    c = ctx("function f(c) { if (c) return; cp.exec(c); }", "cp.exec(c)")
    assert c.reachable and c.reachability_reason == ""


def test_scopes_and_handler_facts() -> None:
    code = "class Svc {\n  async run(req, res) { try { for (const a of b) { cp.exec(a); } } catch (e) {} }\n}\n"
    c = ctx(code, "cp.exec(a)", "typescript")
    assert c.function == "run" and c.class_name == "Svc" and c.scope == "Svc.run"
    assert c.is_async and c.is_request_handler and c.in_loop and c.in_try and not c.in_except
    assert c.parameters == ("req", "res")
    arrow = ctx("const handler = (a) => { cp.exec(a); };", "cp.exec(a)")
    assert arrow.function == "handler" and arrow.scope == "<module>" and not arrow.is_request_handler
    routed = ctx("app.get('/x', (a, b) => { cp.exec(a.query.c); });", "cp.exec(")
    assert routed.is_request_handler and routed.value is not None and routed.value.sources == ("a.query",)


def test_sink_reads_callee_arguments_and_new_expressions() -> None:
    c = ctx("function f(c) { new Function('a', c); }", "new Function")
    assert c.sink is not None and c.sink.callee == "Function"
    assert [a.provenance for a in c.sink.arguments] == [Provenance.LITERAL, Provenance.PARAMETER]
    r = ctx('function f(c) { require("child_process").exec(c); }', "exec(c)")
    assert r.sink is not None and r.sink.qualified == "child_process.exec"


def test_the_registry_has_the_family() -> None:
    for language in DIALECTS:
        support = support_for(language)
        assert support is not None and support.name == language
        assert "arrow_function" in support.function_types and "call_expression" in support.call_types
        assert "req.query" in support.known.sources and "guard:regex" in support.known.guards


# --- hostile input ---------------------------------------------------------------------------------


def test_deep_nesting_is_bounded() -> None:
    code = "function f(c) {" + "if (c) {" * 2000 + "cp.exec(c);" + "}" * 2000 + "}"
    start = time.process_time()
    c = ctx(code, "cp.exec(c)")
    assert time.process_time() - start < 2.0
    assert c.partial and any("deeper" in n or "budget" in n or "syntax" in n for n in c.notes)


def test_a_minified_megabyte_stays_within_budget() -> None:
    body = "".join(f"var a{i}=b{i}+c{i};" for i in range(40_000))
    code = f"function f(req){{{body}cp.exec(a39999+req.query.x)}}"
    assert len(code) > 800_000
    start = time.process_time()
    c = ctx(code, "cp.exec(")
    assert time.process_time() - start < 2.0
    assert c.sink is not None and c.value is not None


def test_syntax_errors_give_a_partial_context_not_an_exception() -> None:
    c = ctx("function f(req) { cp.exec(req.query.x); ) ) {{ ", "cp.exec(")
    assert c.partial and any("syntax errors" in n for n in c.notes)
    assert c.value is not None and c.value.provenance is Provenance.REQUEST


def test_a_context_on_a_2000_line_file_is_cheap() -> None:
    lines = [f"function h{i}(req, res) {{ const v{i} = req.query.v; cp.exec('ls ' + v{i}); }}" for i in range(2000)]
    src = (HEAD + "\n".join(lines)).encode()
    parsed = parse(src, "javascript")
    at = src.find(b"cp.exec('ls ' + v1500)")
    start = time.process_time()
    for _ in range(10):
        c = context_for(parsed, at, at + 20, path="a.js", path_on_base=True)
    assert (time.process_time() - start) / 10 < 0.05
    assert c.value is not None and c.value.provenance is Provenance.REQUEST
