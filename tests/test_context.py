"""The code context service: each fact, true and false, on small samples; hostile input bounded."""

from __future__ import annotations

import textwrap
import time

import pytest
from pydantic import ValidationError

from reviewbot.lang.base import support_for
from reviewbot.lang.context import context_for
from reviewbot.lang.facts import SCHEMA_VERSION, CodeContext, PathRole, Provenance
from reviewbot.lang.path_role import path_role
from reviewbot.lang.syntax import enclosing_scope, parse
from reviewbot.review.fingerprint import match_identity

SINK = "os.system(cmd)"


def ctx(code: str, needle: str = SINK, *, nth: int = 0, path: str = "app.py", on_base: bool = True) -> CodeContext:
    """The context of the `nth` occurrence of `needle` in `code` (dedented)."""
    src = textwrap.dedent(code).encode()
    parsed = parse(src, "python")
    start = -1
    for _ in range(nth + 1):
        start = src.find(needle.encode(), start + 1)
    assert start >= 0, f"{needle!r} not in sample"
    return context_for(parsed, start, start + len(needle.encode()), path=path, path_on_base=on_base)


def arg_prov(code: str, needle: str = SINK, index: int = 0) -> Provenance:
    c = ctx(code, needle)
    assert c.sink is not None
    return c.sink.arguments[index].provenance


def in_func(body: str, params: str = "arg", decorator: str = "") -> str:
    """`body` inside `def view(params)`, with the imports the samples use."""
    head = "import os\nimport subprocess\nfrom flask import request\n\n"
    return head + decorator + f"def view({params}):\n" + textwrap.indent(textwrap.dedent(body), "    ")


# --- shape ----------------------------------------------------------------------------------------


def test_model_is_frozen_versioned_and_round_trips() -> None:
    c = ctx(in_func("cmd = 'ls'\nos.system(cmd)\n"))
    assert c.schema_version == SCHEMA_VERSION == "1"
    assert CodeContext.model_validate_json(c.model_dump_json()) == c
    with pytest.raises(ValidationError):
        c.model_copy(update={}).__setattr__("reachable", False)
    with pytest.raises(ValidationError):
        CodeContext.model_validate({"surprise": 1})


# --- enclosing function, class, scope --------------------------------------------------------------


def test_enclosing_function_class_and_scope() -> None:
    code = """
    class Handler:
        def post(self, cmd):
            def inner():
                os.system(cmd)
            os.system(cmd)
    os.system(cmd)
    """
    nested, method, top = (ctx(code, nth=i) for i in range(3))
    assert (nested.function, nested.class_name, nested.scope) == ("inner", "Handler", "Handler.post.inner")
    assert (method.function, method.class_name, method.scope) == ("post", "Handler", "Handler.post")
    assert (top.function, top.class_name, top.scope) == (None, None, "<module>")


def test_a_match_that_is_a_whole_function_names_it() -> None:
    code = "class A:\n    def run(self, cmd):\n        os.system(cmd)\n"
    c = ctx(code, "def run(self, cmd):\n        os.system(cmd)")
    assert (c.function, c.class_name, c.scope) == ("run", "A", "A.run")


def test_scope_is_the_fingerprint_scope() -> None:
    src = b"class A:\n    def f(self):\n        x = 1\n        os.system(x)\n"
    parsed = parse(src, "python")
    assert parsed is not None
    start = src.find(b"os.system(x)")
    end = start + len(b"os.system(x)")
    c = context_for(parsed, start, end, path="a.py", path_on_base=True)
    assert c.scope == enclosing_scope(parsed, start, end) == match_identity("r", "a.py", src, parsed, start, end).scope


# --- tokens -----------------------------------------------------------------------------------------


def test_tokens_use_the_fingerprint_normalization() -> None:
    # a formatter's wrapped call with a "magic trailing comma", and a comment inside
    code = in_func("subprocess.call(\n    cmd,  # why\n    shell=True,\n)\n")
    src = code.encode()
    start = src.find(b"subprocess.call(")
    end = src.find(b")\n", start) + 1
    parsed = parse(src, "python")
    c = context_for(parsed, start, end, path="a.py", path_on_base=True)
    assert " ".join(c.tokens) == match_identity("r", "a.py", src, parsed, start, end).normalized
    assert c.tokens == ("subprocess", ".", "call", "(", "cmd", ",", "shell", "=", "True", ")")
    assert not c.tokens_truncated


def test_tokens_are_capped() -> None:
    code = "x = [" + ", ".join(str(i) for i in range(1000)) + "]\n"
    c = ctx(code, code.strip())
    assert len(c.tokens) == 256
    assert c.tokens_truncated
    assert c.tokens[:3] == ("x", "=", "[")


# --- sink -------------------------------------------------------------------------------------------


def test_sink_callee_as_written_and_with_imports_resolved() -> None:
    c = ctx("import subprocess as sp\nsp.call(cmd, shell=True)\n", "sp.call(cmd, shell=True)")
    assert c.sink is not None
    assert (c.sink.callee, c.sink.qualified) == ("sp.call", "subprocess.call")
    assert [(a.position, a.keyword) for a in c.sink.arguments] == [(0, None), (None, "shell")]
    c = ctx("from os import system\ndef f(cmd):\n    system(cmd)\n", "system(cmd)")
    assert c.sink is not None and c.sink.qualified == "os.system"
    c = ctx(in_func("import pickle as pk\npk.loads(arg)\n"), "pk.loads(arg)")  # an import inside the function
    assert c.sink is not None and c.sink.qualified == "pickle.loads"
    c = ctx(in_func("cursor.execute(arg)\n"), "cursor.execute(arg)")
    assert c.sink is not None and (c.sink.callee, c.sink.qualified) == ("cursor.execute", "cursor.execute")


def test_sink_around_a_focused_argument_marks_it() -> None:
    code = in_func("subprocess.call('ls ' + arg, shell=True)\n")
    c = ctx(code, "'ls ' + arg")
    assert c.sink is not None and c.sink.callee == "subprocess.call"
    assert [a.matched for a in c.sink.arguments] == [True, False]
    assert c.node_type == "binary_operator"
    whole = ctx(code, "subprocess.call('ls ' + arg, shell=True)")
    assert whole.sink is not None and not any(a.matched for a in whole.sink.arguments)


def test_sink_inside_a_statement_and_through_a_method_chain() -> None:
    c = ctx(in_func("out = os.popen(arg).read()\n"), "out = os.popen(arg).read()")
    assert c.sink is not None and c.sink.callee == "os.popen"
    assert c.value is not None and c.value.provenance is Provenance.PARAMETER


def test_no_sink_without_a_call() -> None:
    c = ctx(in_func("password = 'hunter2'\n"), "password = 'hunter2'")
    assert c.sink is None
    c = ctx(in_func("session['user'] = arg\n"), "arg", nth=1)
    assert c.sink is None
    assert c.value is not None and c.value.provenance is Provenance.PARAMETER


def test_huge_tokens_and_names_are_cut() -> None:
    name = "n" * 5000
    code = f"def {name}(cmd):\n    os.system('{'a' * 100_000}')\n"
    c = ctx(code, f"os.system('{'a' * 100_000}')")
    assert c.tokens_truncated and max(len(t) for t in c.tokens) == 256
    assert c.function is not None and len(c.function) == 256
    assert c.value is not None and c.value.provenance is Provenance.LITERAL


def test_many_arguments_are_capped() -> None:
    args = ", ".join(f"a{i}" for i in range(40))
    c = ctx(f"f({args})\n", f"f({args})")
    assert c.sink is not None and len(c.sink.arguments) == 32 and c.sink.arguments_truncated


# --- provenance -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr",
    ['"ls -l"', "b'ls'", "42", "-1", "3.5", "None", "True", '"ls" " -l"', '["ls", "-l"]', '("a", 1)', '{"k": [1, 2]}'],
)
def test_provenance_literal(expr: str) -> None:
    assert arg_prov(in_func(f"os.system({expr})\n"), f"os.system({expr})") is Provenance.LITERAL


@pytest.mark.parametrize(
    "body",
    [
        'cmd = "ls " + "-l"\nos.system(cmd)\n',
        'os.system("ls " + "-l")\n'.replace("os.system(", "cmd = (") + "os.system(cmd)\n",
        "cmd = f\"ls {'-l'}\"\nos.system(cmd)\n",
        'cmd = "ls %s" % "-l"\nos.system(cmd)\n',
        'cmd = "ls {}".format("-l")\nos.system(cmd)\n',
        'cmd = "ls"\nos.system(cmd)\n',
        'cmd = "ls"\nif arg:\n    cmd = "pwd"\nos.system(cmd)\n',
        'arg = "ls"\ncmd = arg\nos.system(cmd)\n',  # the parameter is overwritten before the use
        'cmd = ["ls", "-l"]\nos.system(cmd)\n',
    ],
)
def test_provenance_constant(body: str) -> None:
    assert arg_prov(in_func(body)) is Provenance.CONSTANT


def test_constant_ignores_assignments_in_code_that_never_runs() -> None:
    # the OWASP benchmark's favourite: a branch decided by arithmetic on local constants
    body = """
    num = 86
    if 7 * 42 - num > 200:
        cmd = "ls"
    else:
        cmd = arg
    os.system(cmd)
    """
    assert arg_prov(in_func(body)) is Provenance.CONSTANT
    ternary = 'num = 106\ncmd = "ls" if 7 * 18 + num > 200 else arg\nos.system(cmd)\n'
    assert arg_prov(in_func(ternary)) is Provenance.CONSTANT
    live = body.replace("num = 86", "num = 100")  # 194 > 200 is false: now the else branch runs
    assert arg_prov(in_func(live)) is Provenance.PARAMETER


# --- key-sensitive containers and `match` (constant vs request, and the fallbacks) ---------------

_REQ = 'p = request.args["q"]\n'
_CONF = "import configparser\nconf = configparser.ConfigParser()\nconf.add_section('s')\n"


@pytest.mark.parametrize(
    ("body", "want"),
    [
        # dict: constant keys, one key read back
        ('m = {}\nm["a"] = "ls"\nm["b"] = p\ncmd = m["a"]\n', Provenance.CONSTANT),
        ('m = {}\nm["a"] = "ls"\nm["b"] = p\ncmd = m["b"]\n', Provenance.REQUEST),
        ('opts = {"mode": "r", "path": p}\ncmd = opts["mode"]\n', Provenance.CONSTANT),
        ('opts = {"mode": "r", "path": p}\ncmd = opts["path"]\n', Provenance.REQUEST),
        ('m = {}\nm["a"] = "ls"\nm["b"] = p\ncmd = m.get("a")\n', Provenance.CONSTANT),
        ('m = {}\nm["a"] = "ls"\nm["b"] = p\ncmd = m.get("b", "x")\n', Provenance.REQUEST),
        ('m = {}\nm["a"] = "ls"\nm["a"] = p\ncmd = m["a"]\n', Provenance.REQUEST),  # overwritten
        ('m = {"a": "ls"}\nm.pop("a")\nm["a"] = p\ncmd = m["a"]\n', Provenance.REQUEST),
        ('k = "a"\nm = {k: p, "b": "ls"}\ncmd = m["a"]\n', Provenance.REQUEST),  # a key that folds
        ('m = {1: "ls", True: p}\ncmd = m[1]\n', Provenance.REQUEST),  # 1 == True: one key
        # list: per-element provenance through append/pop/insert
        ('lst = ["ls", p, "pwd"]\nlst.pop(0)\ncmd = lst[1]\n', Provenance.CONSTANT),
        ('lst = ["ls", p, "pwd"]\nlst.pop(0)\ncmd = lst[0]\n', Provenance.REQUEST),
        (
            'cmd = "x"\nif p:\n    lst = []\n    lst.append("a")\n    lst.append(p)\n    lst.append("b")\n'
            "    lst.pop(0)\n    cmd = lst[1]\n",
            Provenance.CONSTANT,
        ),
        (
            'cmd = "x"\nif p:\n    lst = []\n    lst.append("a")\n    lst.append(p)\n    lst.append("b")\n'
            "    lst.pop(0)\n    cmd = lst[0]\n",
            Provenance.REQUEST,
        ),
        ('lst = ["a", "b"]\nlst.insert(0, p)\ncmd = lst[1]\n', Provenance.CONSTANT),
        ('lst = ["a", "b"]\nlst.insert(0, p)\ncmd = lst[0]\n', Provenance.REQUEST),
        ('lst = ["a", p]\ncmd = lst[-1]\n', Provenance.REQUEST),
        ('lst = ["a", "b"]\nlst.append(p)\nlst.reverse()\ncmd = lst[0]\n', Provenance.REQUEST),
        # configparser: section + option
        (_CONF + 'conf.set("s", "k1", "ls")\nconf.set("s", "k2", p)\ncmd = conf.get("s", "k1")\n', Provenance.CONSTANT),
        (_CONF + 'conf.set("s", "k1", "ls")\nconf.set("s", "k2", p)\ncmd = conf.get("s", "k2")\n', Provenance.REQUEST),
        (_CONF + 'conf.set("s", "k1", "ls")\nconf.set("s", "K1", p)\ncmd = conf.get("s", "k1")\n', Provenance.REQUEST),
        (
            _CONF + 'conf.set("s", "k1", "%(k2)s")\nconf.set("s", "k2", p)\ncmd = conf.get("s", "k1")\n',
            Provenance.REQUEST,
        ),
    ],
)
def test_containers_are_followed_key_by_key(body: str, want: Provenance) -> None:
    assert arg_prov(in_func(_REQ + body + "os.system(cmd)\n")) is want


@pytest.mark.parametrize(
    "body",
    [
        'm = {}\nm["a"] = "ls"\nm[p] = p\ncmd = m["a"]\n',  # a key that does not fold
        'm = {**request.args, "a": "x"}\ncmd = m["b"]\n',  # a splat
        'm = {"a": "ls"}\nm.update(request.args)\ncmd = m["a"]\n',  # a write it cannot replay
        'm = {}\nm["a"] = "ls"\nif p:\n    m["a"] = p\ncmd = m["a"]\n',  # a write under an `if`
        'lst = ["ls", p]\nlst.remove("ls")\ncmd = lst[0]\n',  # remove: which element is unknown
        'lst = ["ls", p, "pwd"]\nlst.pop(int(p))\ncmd = lst[1]\n',  # an index that does not fold
        'lst = ["a", "b"]\nfor i in range(3):\n    lst.insert(0, p)\ncmd = lst[1]\n',  # in a loop
        'm = {}\nm["a"] = "ls"\nm2 = m\nm2["a"] = p\ncmd = m["a"]\n',  # an alias
        'm = {}\nm["a"] = "ls"\nfill(m, p)\ncmd = m["a"]\n',  # passed to a call
        'm = {"a": "ls"}\ndef later():\n    m["a"] = p\nlater()\ncmd = m["a"]\n',  # a closure
        'm = {"a": "ls"}\nm["a"] += p\ncmd = m["a"]\n',
        'm = {"a": "ls"}\nm.setdefault("a", p)\nm.setdefault("b", p)\ncmd = m["b"]\n',
        _CONF + 'conf.set("s", "k1", "ls")\nconf.read(p)\ncmd = conf.get("s", "k1")\n',
        _CONF + 'conf.set("s", "k1", "ls")\nsec = conf["s"]\nsec["k1"] = p\ncmd = conf.get("s", "k1")\n',
        'match "B":\n    case "B" if p:\n        cmd = "ls"\n    case _:\n        cmd = p\n',  # a guard
        'match p:\n    case "B":\n        cmd = "ls"\n    case _:\n        cmd = p\n',  # a subject that does not fold
    ],
)
def test_containers_fall_back_when_they_cannot_be_followed(body: str) -> None:
    prov = arg_prov(in_func(_REQ + body + "os.system(cmd)\n"))
    assert prov not in (Provenance.CONSTANT, Provenance.LITERAL)


def test_a_mutable_element_read_back_is_not_a_constant() -> None:
    body = 'm = {"a": []}\nx = m["a"]\nx.append(p)\ncmd = m["a"]\nos.system(cmd)\n'
    assert arg_prov(in_func(_REQ + body)) is not Provenance.CONSTANT


@pytest.mark.parametrize(
    ("subject", "want"),
    [
        ('"ABC"[1]', Provenance.CONSTANT),  # case "B"
        ('"ABC"[2]', Provenance.REQUEST),  # case "C" | "D"
        ('"ABC"[0]', Provenance.REQUEST),  # case "A"
        ('"Z"', Provenance.CONSTANT),  # case _
        ("-1", Provenance.CONSTANT),
    ],
)
def test_match_on_a_constant_subject_keeps_only_the_case_taken(subject: str, want: Provenance) -> None:
    body = f"""
    guess = {subject}
    match guess:
        case "A":
            cmd = p
        case "B":
            cmd = "ls"
        case "C" | "D":
            cmd = p
        case -1:
            cmd = "pwd"
        case _:
            cmd = "true"
    os.system(cmd)
    """
    assert arg_prov(in_func(_REQ + textwrap.dedent(body))) is want


def test_a_case_never_taken_is_unreachable() -> None:
    code = in_func("match 2:\n    case 1:\n        os.system(cmd)\n    case x:\n        pass\n")
    c = ctx(code)
    assert not c.reachable
    assert "never matches" in c.reachability_reason
    after_capture = in_func("match 2:\n    case x:\n        pass\n    case 2:\n        os.system(cmd)\n")
    assert "always matches" in ctx(after_capture).reachability_reason


@pytest.mark.parametrize(
    ("body", "source"),
    [
        ('cmd = request.args.get("c")\nos.system(cmd)\n', "request.args"),
        ('cmd = "ls " + request.form["dir"]\nos.system(cmd)\n', "request.form"),
        ('name = request.cookies.get("n")\ncmd = f"ls {name}"\nos.system(cmd)\n', "request.cookies"),
        ('cmd = "ls %s" % request.values["d"]\nos.system(cmd)\n', "request.values"),
        ('cmd = "ls {}".format(request.args["d"].strip())\nos.system(cmd)\n', "request.args"),
        ("data = request.get_json()\ncmd = data['cmd']\nos.system(cmd)\n", "request.get_json"),
        ("cmd = input()\nos.system(cmd)\n", "input()"),
        ("import sys\ncmd = sys.argv[1]\nos.system(cmd)\n", "sys.argv"),
        ('cmd = os.environ["CMD"]\nos.system(cmd)\n', "os.environ"),
        ('cmd = os.getenv("CMD")\nos.system(cmd)\n', "os.getenv()"),
        ("parts = []\nparts.append(request.args['a'])\ncmd = ' '.join(parts)\nos.system(cmd)\n", "request.args"),
        ("cmd = 'ls '\ncmd += request.args['d']\nos.system(cmd)\n", "request.args"),
        ("for cmd in request.args.getlist('c'):\n    os.system(cmd)\n", "request.args"),
        ("cmd = helper(request)\nos.system(cmd)\n", "request (whole request)"),
        ("cmd = arg + request.args['x']\nos.system(cmd)\n", "request.args"),  # request outranks parameter
    ],
)
def test_provenance_request(body: str, source: str) -> None:
    c = ctx(in_func(body))
    assert c.sink is not None
    arg = c.sink.arguments[0]
    assert arg.provenance is Provenance.REQUEST
    assert source in arg.sources


def test_provenance_request_from_django_view_and_route_parameters() -> None:
    django = "def view(request):\n    cmd = request.GET.get('c')\n    os.system(cmd)\n"
    assert arg_prov(django) is Provenance.REQUEST  # `request` is a parameter, but a request
    route = in_func("os.system(cmd)\n", params="cmd", decorator='@app.route("/run/<cmd>")\n')
    c = ctx(route)
    assert c.sink is not None and c.sink.arguments[0].sources == ("route parameter:cmd",)
    fastapi = in_func("os.system(cmd)\n", params="cmd: int", decorator='@app.get("/run")\n')
    assert arg_prov(fastapi) is Provenance.PARAMETER  # FastAPI converted it to an int


def test_provenance_parameter() -> None:
    c = ctx(in_func("os.system(arg)\n"), "os.system(arg)")
    assert c.sink is not None
    assert (c.sink.arguments[0].provenance, c.sink.arguments[0].sources) == (Provenance.PARAMETER, ("parameter:arg",))
    assert arg_prov(in_func("cmd = 'ls ' + arg.strip()\nos.system(cmd)\n")) is Provenance.PARAMETER
    assert arg_prov(in_func("cmd = 'ls'\nif arg:\n    cmd = arg\nos.system(cmd)\n")) is Provenance.PARAMETER
    # a loop carries a later assignment back to the use
    loop = "cmd = 'ls'\nfor p in arg:\n    os.system(cmd)\n    cmd = p\n"
    assert arg_prov(in_func(loop)) is Provenance.PARAMETER


@pytest.mark.parametrize(
    "body",
    [
        "os.system(cmd)\n",  # a global
        "cmd = get_command()\nos.system(cmd)\n",  # what an unknown function returns
        "cmd = self_made.attr\nos.system(cmd)\n",
        "cmd = request.user.username\nos.system(cmd)\n",  # request attributes the client does not choose
        "global cmd\nos.system(cmd)\n",
        "cmd = lambda: 1\nos.system(cmd)\n",
    ],
)
def test_provenance_unknown(body: str) -> None:
    assert arg_prov(in_func(body)) is Provenance.UNKNOWN


def test_self_is_not_a_parameter() -> None:
    code = "class A:\n    def run(self):\n        os.system(self.cmd)\n"
    assert arg_prov(code, "os.system(self.cmd)") is Provenance.UNKNOWN


def test_value_of_the_matched_expression() -> None:
    c = ctx(in_func("subprocess.call('ls ' + arg, shell=True)\n"), "'ls ' + arg")
    assert c.value is not None and c.value.provenance is Provenance.PARAMETER
    c = ctx(in_func("x = 1\n"), "x = 1")
    assert c.value is None and c.sink is None


# --- sanitizers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("imports", "call", "name"),
    [
        ("import shlex", "shlex.quote", "shlex.quote"),
        ("from shlex import quote", "quote", "shlex.quote"),
        ("", "int", "int"),
        ("", "os.path.basename", "os.path.basename"),
        ("import html", "html.escape", "html.escape"),
        ("import markupsafe", "markupsafe.escape", "markupsafe.escape"),
        ("import urllib.parse", "urllib.parse.quote", "urllib.parse.quote"),
        ("from werkzeug.utils import secure_filename", "secure_filename", "werkzeug.utils.secure_filename"),
        ("", "escape_for_html", "escape_for_html"),
    ],
)
def test_sanitizer_calls_on_the_path_are_named(imports: str, call: str, name: str) -> None:
    body = f"{imports}\nsafe = {call}(request.args['f'])\nos.system('cat ' + safe)\n"
    c = ctx(in_func(body), "os.system('cat ' + safe)")
    assert c.value is not None
    assert c.value.provenance is Provenance.REQUEST  # still derived from the request ...
    assert name in c.sanitizers  # ... through a sanitizer
    assert c.sink is not None and name in c.sink.arguments[0].sanitizers


def test_no_sanitizer_when_none_is_on_the_path() -> None:
    c = ctx(in_func("cmd = request.args['c']\nos.system(cmd)\n"))
    assert c.sanitizers == ()
    # a sanitizer applied to another variable is not on this path
    c = ctx(in_func("other = shlex.quote(arg)\ncmd = request.args['c']\nos.system(cmd)\n"))
    assert c.sanitizers == ()


@pytest.mark.parametrize(
    ("guard", "kind"),
    [
        ('if ".." in cmd:\n    abort(400)\n', "guard:dotdot"),
        ('if "../" in cmd or cmd.startswith("/"):\n    raise ValueError(cmd)\n', "guard:dotdot"),
        ("if cmd not in ALLOWED:\n    return 'no'\n", "guard:allowlist"),
        ("if not cmd.isalnum():\n    return 'no'\n", "guard:charset"),
        ("if not re.fullmatch(r'[a-z]+', cmd):\n    return 'no'\n", "guard:regex"),
        ("if \"'\" in cmd:\n    return 'no'\n", "guard:quote"),
        ("if not is_valid_name(cmd):\n    return 'no'\n", "guard:validator"),
        ("assert cmd in ALLOWED\n", "guard:allowlist"),
        ("if not isinstance(cmd, int):\n    return 'no'\n", "guard:type"),
    ],
)
def test_guards_before_the_sink_are_sanitizers(guard: str, kind: str) -> None:
    body = "cmd = request.args['c']\n" + guard + "os.system(cmd)\n"
    assert kind in ctx(in_func(body)).sanitizers


def test_guards_around_the_sink_are_sanitizers() -> None:
    inside = "cmd = request.args['c']\nif cmd in ALLOWED:\n    os.system(cmd)\n"
    assert "guard:allowlist" in ctx(in_func(inside)).sanitizers
    in_else = "cmd = request.args['c']\nif '..' in cmd:\n    log(cmd)\nelse:\n    os.system(cmd)\n"
    assert "guard:dotdot" in ctx(in_func(in_else)).sanitizers


def test_url_host_check_is_a_guard() -> None:
    body = """
    url = request.args["next"]
    parts = urllib.parse.urlparse(url)
    if parts.netloc not in ALLOWED_HOSTS:
        return "no"
    requests.get(url)
    """
    c = ctx(in_func(body), "requests.get(url)")
    assert "guard:host" in c.sanitizers


@pytest.mark.parametrize(
    "guard",
    [
        'if ".." in cmd:\n    log("odd")\n',  # no exit: the value goes on unchecked
        'if ".." in other:\n    return "no"\n',  # checks another variable
        'if flag:\n    if ".." in cmd:\n        return "no"\n',  # only on one path
        'if cmd in ALLOWED:\n    return "known"\n',  # returns the *good* values
        'if ".." in cmd and strict:\n    return "no"\n',  # `and` of a rejection: neither part alone rejects
    ],
)
def test_guards_that_do_not_protect_the_sink_are_not_sanitizers(guard: str) -> None:
    body = "cmd = request.args['c']\n" + guard + "os.system(cmd)\n"
    assert ctx(in_func(body)).sanitizers == ()


def test_a_guard_after_the_sink_is_not_a_sanitizer() -> None:
    body = "cmd = request.args['c']\nos.system(cmd)\nif '..' in cmd:\n    return 'no'\n"
    assert ctx(in_func(body)).sanitizers == ()


# --- reachability -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("return 1\nos.system(cmd)\n", "after `return` on line"),
        ("raise ValueError()\nos.system(cmd)\n", "after `raise`"),
        ("for x in arg:\n    continue\n    os.system(cmd)\n", "after `continue`"),
        ("while arg:\n    break\n    os.system(cmd)\n", "after `break`"),
        ("if arg:\n    return 1\nelse:\n    raise E()\nos.system(cmd)\n", "in every branch"),
        ("if False:\n    os.system(cmd)\n", "always false"),
        ("if 0:\n    os.system(cmd)\n", "always false"),
        ("if 1 == 2:\n    os.system(cmd)\n", "always false"),
        ("if not True and arg:\n    os.system(cmd)\n", "always false"),
        ("while False:\n    os.system(cmd)\n", "`while` loop"),
        ("if True:\n    pass\nelse:\n    os.system(cmd)\n", "always true"),
        ("if 1:\n    pass\nelif arg:\n    os.system(cmd)\n", "always true"),
        ("DEBUG = False\nif DEBUG:\n    os.system(cmd)\n", "always false"),  # a local constant
        ("num = 106\nif 7 * 42 - num > 200:\n    os.system(cmd)\n", "always false"),
        ("return\nif arg:\n    os.system(cmd)\n", "after `return`"),  # nested in a dead statement
    ],
)
def test_unreachable(body: str, reason: str) -> None:
    c = ctx(in_func(body))
    assert not c.reachable
    assert reason in c.reachability_reason


@pytest.mark.parametrize(
    "body",
    [
        "os.system(cmd)\n",
        "if arg:\n    return 1\nos.system(cmd)\n",  # a conditional return
        "if DEBUG:\n    os.system(cmd)\n",  # a global: unknown, so reachable
        "if True:\n    os.system(cmd)\n",
        "if arg:\n    pass\nelse:\n    os.system(cmd)\n",
        "while True:\n    os.system(cmd)\n",
        "try:\n    return 1\nfinally:\n    os.system(cmd)\n",
        "def inner():\n    return 1\nos.system(cmd)\n",  # the return belongs to another block
    ],
)
def test_reachable(body: str) -> None:
    c = ctx(in_func(body))
    assert c.reachable
    assert c.reachability_reason == ""


def test_code_in_a_function_defined_in_dead_code_is_unreachable() -> None:
    code = "if False:\n    def f(cmd):\n        os.system(cmd)\n"
    assert not ctx(code).reachable


# --- path role --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("tests/test_app.py", PathRole.TEST),
        ("pkg/tests/helpers.py", PathRole.TEST),
        ("src/app_test.py", PathRole.TEST),
        ("test_app.py", PathRole.TEST),
        ("conftest.py", PathRole.TEST),
        ("tests/fixtures/data.py", PathRole.TEST),
        ("examples/client.py", PathRole.EXAMPLE),
        ("docs/conf.py", PathRole.EXAMPLE),
        ("app/migrations/0001_initial.py", PathRole.MIGRATION),
        ("alembic/versions/abc123_add.py", PathRole.MIGRATION),
        ("vendor/requests/api.py", PathRole.VENDORED),
        ("third_party/lib/tests/test_x.py", PathRole.VENDORED),  # vendored outranks test
        ("proto/service_pb2.py", PathRole.GENERATED),
        ("proto/service_pb2_grpc.py", PathRole.GENERATED),
        ("generated/client.py", PathRole.GENERATED),
        ("app/views.py", PathRole.SOURCE),
        ("app/testing_utils_not_a_dir.py", PathRole.SOURCE),
        ("contest.py", PathRole.SOURCE),
        ("latest/app.py", PathRole.SOURCE),
    ],
)
def test_path_role_on_base(path: str, role: PathRole) -> None:
    assert path_role(path, on_base=True) is role
    assert ctx("os.system(cmd)\n", path=path).path_role is role


@pytest.mark.parametrize("path", ["tests/test_app.py", "vendor/x.py", "app/views.py", "examples/a.py"])
def test_path_role_of_a_path_the_change_adds_is_unknown(path: str) -> None:
    assert path_role(path, on_base=False) is PathRole.UNKNOWN
    assert ctx("os.system(cmd)\n", path=path, on_base=False).path_role is PathRole.UNKNOWN


# --- placement and function facts -------------------------------------------------------------------


def test_in_loop_in_try_in_except() -> None:
    assert ctx(in_func("for x in arg:\n    os.system(cmd)\n")).in_loop
    assert ctx(in_func("while arg:\n    os.system(cmd)\n")).in_loop
    assert ctx(in_func("[os.system(cmd) for c in arg]\n")).in_loop
    plain = ctx(in_func("os.system(cmd)\n"))
    assert not (plain.in_loop or plain.in_try or plain.in_except)
    # a loop outside the enclosing function does not count
    assert not ctx("for x in y:\n    def f(cmd):\n        os.system(cmd)\n").in_loop
    tried = ctx(in_func("try:\n    os.system(cmd)\nexcept OSError:\n    pass\n"))
    assert tried.in_try and not tried.in_except
    handler = ctx(in_func("try:\n    pass\nexcept OSError:\n    os.system(cmd)\n"))
    assert handler.in_except and not handler.in_try


def test_function_facts() -> None:
    flask = ctx(in_func("os.system(cmd)\n", params="cmd, n=1", decorator='@app.route("/x", methods=["POST"])\n'))
    assert flask.decorators == ("app.route",)
    assert flask.parameters == ("cmd", "n")
    assert flask.is_request_handler
    assert not flask.is_async
    django = ctx("def view(request, pk):\n    os.system(cmd)\n")
    assert django.is_request_handler and django.decorators == ()
    cbv = ctx("class V(View):\n    async def post(self, request):\n        os.system(cmd)\n")
    assert cbv.is_request_handler and cbv.is_async
    plain = ctx("@functools.cache\ndef helper(cmd, *args, **kw):\n    os.system(cmd)\n")
    assert not plain.is_request_handler
    assert plain.decorators == ("functools.cache",)
    assert plain.parameters == ("cmd", "args", "kw")
    top = ctx("os.system(cmd)\n")
    assert (top.decorators, top.parameters, top.is_request_handler) == ((), (), False)


# --- hostile input: bounded, partial, never an exception ---------------------------------------------


def test_no_tree_gives_a_partial_context() -> None:
    c = context_for(None, 0, 10, path="tests/x.py", path_on_base=True)
    assert c.partial and c.notes and c.path_role is PathRole.TEST
    assert c.scope == "<file>"


def test_a_range_outside_the_file_is_clamped() -> None:
    src = b"os.system(cmd)\n"
    c = context_for(parse(src, "python"), 5, 10_000, path="a.py", path_on_base=True)
    assert c.partial and "clamped" in c.notes[0]
    c = context_for(parse(src, "python"), -3, -1, path="a.py", path_on_base=True)
    assert c.partial


def test_syntax_errors_give_a_partial_context() -> None:
    c = ctx("def f(cmd:\n    os.system(cmd)\n")
    assert c.partial
    assert any("syntax errors" in n for n in c.notes)
    ok = ctx(in_func("os.system(cmd)\n"))
    assert not ok.partial and ok.notes == ()


def test_invalid_utf8() -> None:
    src = b"def f(a):\n    x = '\xff\xfe\xc3'\n    os.system(x + a)\n"
    start = src.find(b"os.system")
    c = context_for(parse(src, "python"), start, start + 16, path="a.py", path_on_base=True)
    assert c.sink is not None and c.sink.arguments[0].provenance is Provenance.PARAMETER


@pytest.mark.parametrize(
    "src",
    [
        b"x = " + b"(" * 5000 + b"os.system(a)" + b")" * 5000 + b"\n",
        b"x = " + b"f(" * 5000 + b"os.system(a)" + b")" * 5000 + b"\n",
        b"".join(b" " * i + b"if x:\n" for i in range(5000)) + b" " * 5000 + b"os.system(a)\n",
    ],
    ids=["parens", "calls", "blocks"],
)
def test_deep_nesting_is_bounded(src: bytes) -> None:
    parsed = parse(src, "python")
    assert parsed is not None
    start = src.rfind(b"os.system(a)")
    began = time.process_time()
    c = context_for(parsed, start, start + 12, path="a.py", path_on_base=True)
    assert time.process_time() - began < 1.0
    assert c.partial
    assert any("nesting deeper" in n for n in c.notes)
    assert c.tokens == ("os", ".", "system", "(", "a", ")")


def test_flow_analysis_stops_at_its_budget() -> None:
    # 20,000 chained assignments, each doubling the work of a naive walk
    lines = "".join(f"    x{i + 1} = x{i} + x{i}\n" for i in range(20_000))
    src = ("def f(x0):\n" + lines + "    os.system(x20000)\n").encode()
    start = src.find(b"os.system(x20000)")
    began = time.process_time()
    c = context_for(parse(src, "python"), start, start + 17, path="a.py", path_on_base=True)
    assert time.process_time() - began < 1.0
    assert c.partial and any("budget" in n for n in c.notes)
    assert c.value is not None and c.value.provenance is Provenance.UNKNOWN


def test_huge_minified_file_is_bounded() -> None:
    src = b"a=1;" * 2_600_000 + b"os.system(a)\n"  # over 10 MB on one line
    began = time.process_time()
    parsed = parse(src, "python")  # None when it outruns the parse budget
    start = src.rfind(b"os.system(a)")
    c = context_for(parsed, start, start + 12, path="a.py", path_on_base=True)
    assert time.process_time() - began < 6.0
    assert c.partial


def test_wide_module_is_bounded() -> None:
    head = b"import subprocess as sp\n"
    body = b"".join(b"a%d = %d\n" % (i, i) for i in range(100_000))
    src = head + body + b"os.system(a5)\ndef f(cmd):\n    sp.call(cmd)\n"
    parsed = parse(src, "python")
    for needle in (b"os.system(a5)", b"sp.call(cmd)"):
        start = src.rfind(needle)
        began = time.process_time()
        c = context_for(parsed, start, start + len(needle), path="a.py", path_on_base=True)
        assert time.process_time() - began < 1.0
        assert c.sink is not None
    # inside a function, the module's size does not matter: imports are found, nothing is partial
    assert c.sink is not None and c.sink.qualified == "subprocess.call"
    assert not c.partial and c.sink.arguments[0].provenance is Provenance.PARAMETER


# --- the language interface -------------------------------------------------------------------------


def test_language_support_registry() -> None:
    python = support_for("python")
    assert python is not None and python.name == "python"
    assert "function_definition" in python.function_types and "call" in python.call_types
    assert "shlex.quote" in python.known.sanitizers and "guard:dotdot" in python.known.guards
    assert any(s.startswith("flask.request.") for s in python.known.sources)
    assert support_for("cobol") is None


def test_tornado_get_argument_is_a_request_source() -> None:
    code = (
        "import os\nimport tornado.web\n\n\nclass Ping(tornado.web.RequestHandler):\n"
        "    def get(self):\n        cmd = 'ping ' + self.get_argument('host')\n        os.system(cmd)\n"
    )
    assert arg_prov(code) is Provenance.REQUEST
    # the same method name on a plain object (not `self`) is no source
    other = in_func("cmd = 'ping ' + arg.get_argument('host')\nos.system(cmd)\n")
    assert arg_prov(other) is not Provenance.REQUEST
