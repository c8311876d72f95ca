"""Facts that look beyond one function: helpers in the repository's other modules that always
return a constant (reviewbot/lang/python/project.py), and `request.path` in a handler whose
route has no variables."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from reviewbot.change import changes
from reviewbot.change.git import GitRepo
from reviewbot.lang.context import context_for
from reviewbot.lang.facts import CodeContext, Provenance
from reviewbot.lang.python.project import Project
from reviewbot.lang.syntax import parse

from .conftest import git

SINK = "os.system(cmd)"

HELPERS = """
import flask

def constant_helper(name):
    return "fixed"

def passthrough(name):
    return name

@some_cache_decorator
def decorated(name):
    return "fixed"

async def later(name):
    return "fixed"

def generator(name):
    yield "fixed"

def shadowed(name):
    return "fixed"

shadowed = passthrough

class Wrapper:
    def __init__(self, request):
        self.request = request

    def safe_value(self, name):
        return "bar"

    @staticmethod
    def static_safe(name):
        return "bar" + "baz"

    def query(self, name):
        return self.request.args.get(name)

    def maybe(self, name):
        if name:
            return "a"
        return self.request.args.get(name)

class Dynamic:
    def __init__(self, request):
        self.request = request

    def safe_value(self, name):
        return "bar"

    def __getattr__(self, name):
        return lambda *a: self.request.args.get(name)
"""


def reader(files: dict[str, str]) -> Callable[[str], bytes | None]:
    data = {path: textwrap.dedent(text).encode() for path, text in files.items()}
    return data.get


def view(body: str, *, imports: str = "import helpers\n") -> str:
    return (
        "import os\nfrom flask import request\n"
        + imports
        + "\ndef view():\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
    )


def ctx(code: str, modules: Callable[[str], bytes | None] | None, needle: str = SINK) -> CodeContext:
    src = code.encode()
    start = src.find(needle.encode())
    assert start >= 0
    return context_for(
        parse(src, "python"), start, start + len(needle), path="app.py", path_on_base=True, modules=modules
    )


def provenance(code: str, modules: Callable[[str], bytes | None] | None = None) -> Provenance:
    c = ctx(code, modules)
    assert c.value is not None
    return c.value.provenance


MODULES = reader({"helpers.py": HELPERS})


@pytest.mark.parametrize(
    "call",
    [
        "helpers.Wrapper(request).safe_value('x')",
        "helpers.Wrapper.static_safe(request.args['x'])",
        "helpers.constant_helper(request.args['x'])",
    ],
)
def test_a_repository_helper_that_always_returns_a_constant_gives_a_constant(call: str) -> None:
    code = view(f"cmd = {call}\nos.system(cmd)\n")
    assert provenance(code, MODULES) is Provenance.CONSTANT
    assert provenance(code, None) is Provenance.REQUEST  # without the other modules: as before


def test_an_instance_bound_to_a_local_name_is_followed() -> None:
    code = view("w = helpers.Wrapper(request)\ncmd = w.safe_value('x')\nos.system(cmd)\n")
    c = ctx(code, MODULES)
    assert c.value is not None and c.value.provenance is Provenance.CONSTANT
    assert "helpers.Wrapper.safe_value" in c.value.sources[0]


def test_imports_by_alias_and_from_a_package_resolve() -> None:
    modules = reader({"pkg/__init__.py": "", "pkg/wrap.py": HELPERS})
    code = view(
        "w = W(request)\ncmd = w.safe_value('x')\nos.system(cmd)\n", imports="from pkg.wrap import Wrapper as W\n"
    )
    assert provenance(code, modules) is Provenance.CONSTANT


@pytest.mark.parametrize(
    "body",
    [
        "w = helpers.Wrapper(request)\ncmd = w.query('x')\n",  # returns request data
        "w = helpers.Wrapper(request)\ncmd = w.maybe('x')\n",  # one return is request data
        "w = helpers.Dynamic(request)\ncmd = w.safe_value('x')\n",  # __getattr__ may answer instead
        "cmd = helpers.passthrough(request.args['x'])\n",  # returns its argument
        "cmd = helpers.decorated(request.args['x'])\n",  # a decorator may replace the function
        "cmd = helpers.shadowed(request.args['x'])\n",  # rebound after its definition
        "cmd = helpers.missing(request.args['x'])\n",  # not defined there
        "w = helpers.Wrapper(request)\nif request.args:\n    w = make()\ncmd = w.safe_value('x')\n",
    ],
)
def test_helpers_not_known_to_return_a_constant_keep_the_request(body: str) -> None:
    assert provenance(view(body + "os.system(cmd)\n"), MODULES) is Provenance.REQUEST


def test_async_functions_and_generators_are_not_constant() -> None:
    project = Project(MODULES)
    assert project.returns_constant("helpers.constant_helper")
    assert not project.returns_constant("helpers.later")
    assert not project.returns_constant("helpers.generator")
    assert project.is_class("helpers.Wrapper") and not project.is_class("helpers.constant_helper")


def test_a_parameter_receiver_is_not_followed() -> None:
    code = "import os\nimport helpers\n\ndef view(w):\n    cmd = w.safe_value('x')\n    os.system(cmd)\n"
    assert provenance(code, MODULES) is not Provenance.CONSTANT


def test_module_reads_are_bounded_and_never_leave_the_repository() -> None:
    asked: list[str] = []

    def read(path: str) -> bytes | None:
        asked.append(path)
        return None

    project = Project(read)
    assert not project.returns_constant("os.path.join")
    assert not project.returns_constant("a.b-c.d")
    assert all(not p.startswith("/") and ".." not in p for p in asked)
    assert "os/path.py" in asked and "os.py" in asked


# --- request.path of a route without variables ------------------------------------------------


def route_view(route: str, expr: str = "request.path", extra: str = "") -> str:
    return (
        "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n"
        + extra
        + f"\n@app.route({route})\ndef view():\n    cmd = {expr}.split('/')[1]\n    os.system(cmd)\n"
    )


def test_the_path_of_a_route_without_variables_is_a_constant() -> None:
    c = ctx(route_view("'/reports/daily'"), None)
    assert c.value is not None and c.value.provenance is Provenance.CONSTANT
    assert "/reports/daily" in c.value.sources[0]


@pytest.mark.parametrize(
    ("route", "expr", "extra"),
    [
        ("'/files/<name>'", "request.path", ""),  # a variable in the route
        ("'/files/' + SUFFIX", "request.path", ""),  # not one literal
        ("f'/files/{x}'", "request.path", ""),
        ("'/reports'", "request.full_path", ""),  # the query string is the client's
        ("'/reports'", "request.url", ""),
        ("'/reports'", "request.path", "bp = Blueprint('b', __name__, url_prefix='/<lang>')\n"),
        ("'/reports'", "request.path", "app.add_url_rule('/x/<y>', view_func=view)\n"),
    ],
)
def test_the_path_stays_request_data_when_the_route_may_vary(route: str, expr: str, extra: str) -> None:
    c = ctx(route_view(route, expr, extra), None)
    assert c.value is not None and c.value.provenance is Provenance.REQUEST


def test_two_routes_on_one_handler_must_both_be_fixed() -> None:
    code = route_view("'/a'").replace("@app.route('/a')", "@app.route('/a')\n@app.route('/b/<x>')")
    c = ctx(code, None)
    assert c.value is not None and c.value.provenance is Provenance.REQUEST


def test_a_split_element_stored_in_a_dict_and_read_back_stays_constant() -> None:
    body = (
        "parts = request.path.split('/')\nparam = parts[1]\nif not param:\n    param = ''\n"
        "m = {}\nm['a'] = 'x'\nm['b'] = param\ncmd = m['b']\nos.system(cmd)\n"
    )
    code = "import os\nfrom flask import request\n\n@app.route('/r/s')\ndef view():\n" + textwrap.indent(body, "    ")
    assert provenance(code) is Provenance.CONSTANT


# --- the reader a change gives ----------------------------------------------------------------


def test_a_commit_review_reads_other_files_from_the_commit_not_the_work_tree(
    isolated_git: None, tmp_path: Path
) -> None:
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "helpers.py").write_text("def f():\n    return 'committed'\n")
    (root / "app.py").write_text("x = 1\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "one")
    (root / "app.py").write_text("x = 2\n")
    git(root, "commit", "-q", "-am", "two")
    (root / "helpers.py").write_text("def f():\n    return 'dirty'\n")  # not committed
    (root / "link.py").symlink_to(root / "helpers.py")
    change = changes.from_base(GitRepo(root), "HEAD~1")
    assert change.modules("helpers.py") == b"def f():\n    return 'committed'\n"
    assert change.modules("app.py") == b"x = 2\n"  # a scanned file: its head contents
    assert change.modules("missing.py") is None
    assert change.modules("../r/helpers.py") is None and change.modules("/etc/passwd") is None
    staged = changes.from_staged(GitRepo(root))
    assert staged.modules("helpers.py") == b"def f():\n    return 'committed'\n"  # the index
    git(root, "add", "helpers.py")
    assert changes.from_staged(GitRepo(root)).modules("helpers.py") == b"def f():\n    return 'dirty'\n"
    whole = changes.from_all(root, [root / "app.py"])
    assert whole.modules("helpers.py") == b"def f():\n    return 'dirty'\n"
    assert whole.modules("link.py") is None  # symlinks are never followed
