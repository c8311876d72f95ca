"""One call up: a sink argument that is a parameter of its function takes the provenance of what
the function's callers in the same module pass in that position or keyword
(reviewbot/lang/python/callers.py, docs/context.md "Callers, one call up")."""

from __future__ import annotations

import textwrap
import time

from reviewbot.lang.context import context_for
from reviewbot.lang.facts import CodeContext, Provenance
from reviewbot.lang.syntax import parse
from reviewbot.learn.features import static_features
from reviewbot.learn.words import describe

HEAD = (
    "import os\nimport shlex\nimport subprocess\nimport requests\nfrom flask import Flask, request\n\n"
    "app = Flask(__name__)\nBASE = '/srv/files'\n"
)


def ctx(code: str, needle: str, *, modules: dict[str, str] | None = None) -> CodeContext:
    src = (HEAD + textwrap.dedent(code)).encode()
    start = src.find(needle.encode())
    assert start >= 0, needle
    read = None
    if modules is not None:
        data = {p: (HEAD + textwrap.dedent(t)).encode() for p, t in modules.items()}
        read = data.get
    return context_for(parse(src, "python"), start, start + len(needle), path="app.py", path_on_base=True, modules=read)


def value(code: str, needle: str, **kw: dict[str, str]) -> tuple[Provenance, tuple[str, ...], tuple[str, ...]]:
    c = ctx(code, needle, **kw)
    assert c.sink is not None and c.value is not None
    return c.value.provenance, c.value.sources, c.value.sanitizers


def line_of(code: str, needle: str) -> int:
    """The 1-based line of `needle` in HEAD + code, as the context counts it."""
    src = HEAD + textwrap.dedent(code)
    return src[: src.index(needle)].count("\n") + 1


# --- route -> helper -> sink -----------------------------------------------------------------------

CMDI = """
def ping_host(host):
    return subprocess.call("ping -c 1 " + host, shell=True)

@app.route("/ping")
def ping():
    return str(ping_host(request.args["h"]))
"""

SSRF = """
def fetch(url):
    return requests.get(url, timeout=5).text

@app.post("/preview")
def preview():
    target = request.form.get("url")
    return fetch(target)
"""

PATH = """
def read(name):
    with open(os.path.join(BASE, name)) as f:
        return f.read()

@app.route("/file")
def download():
    return read(name=request.args.get("n"))
"""


def test_command_injection_through_a_helper_is_request_data_from_the_caller() -> None:
    prov, sources, _ = value(CMDI, '"ping -c 1 " + host')
    assert prov is Provenance.REQUEST
    n = line_of(CMDI, 'ping_host(request.args["h"])')
    # public: another module may call it too, so its own parameter stays among the sources
    assert sources == (f"request.args via `host` from the caller ping (line {n})", "parameter:host")


def test_ssrf_through_a_helper_is_request_data_from_the_caller() -> None:
    c = ctx(SSRF, "requests.get(url, timeout=5)")
    assert c.sink is not None and c.value is not None
    assert c.value.provenance is Provenance.REQUEST
    assert c.sink.arguments[0].provenance is Provenance.REQUEST  # the sink's own argument facts too
    assert c.sink.arguments[1].provenance is Provenance.LITERAL
    n = line_of(SSRF, "fetch(target)")
    assert c.value.sources == (f"request.form via `url` from the caller preview (line {n})", "parameter:url")


def test_path_traversal_through_a_helper_by_keyword() -> None:
    prov, sources, _ = value(PATH, "os.path.join(BASE, name)")
    assert prov is Provenance.REQUEST
    assert sources[0].startswith("request.args via `name` from the caller download (line ")


def test_the_explanation_names_the_caller_and_the_features_see_request_data() -> None:
    from reviewbot.finding import Confidence, Finding, Severity

    c = ctx(CMDI, '"ping -c 1 " + host')
    finding = Finding(
        rule_id="python.cmdi",
        scanner="semgrep",
        path="app.py",
        start_line=10,
        start_col=1,
        end_line=10,
        end_col=2,
        message="m",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        category="cmdi",
        dataflow=True,
        snippet="s",
        fingerprint="0" * 32,
        context=c,
    )
    v = static_features(finding)
    # mapped onto the existing provenance scale: request data, no longer "only a parameter"
    assert v["value_provenance"] == 3.0 and v["value_parameter"] == 0.0
    n = line_of(CMDI, 'ping_host(request.args["h"])')
    assert describe("value_provenance", 3.0, v, c) == (
        f"argument comes from request.args via `host` from the caller ping (line {n}), parameter:host"
    )


def test_sanitizers_and_guards_at_the_call_site_come_along() -> None:
    quoted = """
    def ping_host(host):
        return subprocess.call("ping -c 1 " + host, shell=True)

    @app.route("/ping")
    def ping():
        return str(ping_host(shlex.quote(request.args["h"])))
    """
    prov, _, sanitizers = value(quoted, '"ping -c 1 " + host')
    assert prov is Provenance.REQUEST and sanitizers == ("shlex.quote",)
    guarded = """
    def ping_host(host):
        return subprocess.call("ping -c 1 " + host, shell=True)

    @app.route("/ping")
    def ping():
        h = request.args["h"]
        if h not in ALLOWED:
            return "no"
        return str(ping_host(h))
    """
    prov, _, sanitizers = value(guarded, '"ping -c 1 " + host')
    assert prov is Provenance.REQUEST and sanitizers == ("guard:allowlist",)


# --- constant callers ----------------------------------------------------------------------------


def test_a_private_helper_whose_every_caller_passes_a_constant_is_constant() -> None:
    code = """
    def _ping_host(host):
        return subprocess.call("ping -c 1 " + host, shell=True)

    def check_gateway():
        return _ping_host("10.0.0.1")

    def check_dns():
        server = "8.8.8.8"
        return _ping_host(server)
    """
    prov, sources, _ = value(code, '"ping -c 1 " + host')
    assert prov is Provenance.CONSTANT
    a, b = line_of(code, '_ping_host("10.0.0.1")'), line_of(code, "_ping_host(server)")
    assert sources == (
        f"constant via `host` from the caller check_gateway (line {a})",
        f"constant via `host` from the caller check_dns (line {b})",
    )


def test_a_nested_helper_sees_all_its_callers() -> None:
    code = """
    def job():
        def run(cmd):
            os.system(cmd)
        run("make clean")
        run("make all")
    """
    assert value(code, "os.system(cmd)")[0] is Provenance.CONSTANT


def test_a_public_helper_with_constant_callers_stays_a_parameter() -> None:
    """Another module may import a public function and call it with anything: the callers seen
    here can raise its provenance (request data), never lower it."""
    code = """
    def ping_host(host):
        return subprocess.call("ping -c 1 " + host, shell=True)

    def check_gateway():
        return ping_host("10.0.0.1")
    """
    prov, sources, _ = value(code, '"ping -c 1 " + host')
    assert prov is Provenance.PARAMETER
    assert sources[0] == "parameter:host"
    assert sources[1].startswith("constant via `host` from the caller check_gateway (line ")


def test_a_private_helper_that_escapes_as_a_value_is_not_lowered() -> None:
    code = """
    def _run(cmd):
        os.system(cmd)

    def main():
        _run("ls")
        HANDLERS["x"] = _run
    """
    assert value(code, "os.system(cmd)")[0] is Provenance.PARAMETER


# --- mixed callers, recursion, no callers ---------------------------------------------------------


def test_mixed_callers_the_worst_wins_and_each_is_named() -> None:
    code = """
    def _ping_host(host):
        return subprocess.call("ping -c 1 " + host, shell=True)

    def check_gateway():
        return _ping_host("10.0.0.1")

    def from_env():
        return _ping_host(os.environ["PING_HOST"])

    @app.route("/ping")
    def ping():
        return str(_ping_host(request.args["h"]))
    """
    prov, sources, _ = value(code, '"ping -c 1 " + host')
    assert prov is Provenance.REQUEST
    # strongest first, then in the order of the file
    assert [s.split(" via ")[0] for s in sources] == ["os.environ", "request.args", "constant"]
    assert [s.rsplit("the caller ", 1)[1].split(" ")[0] for s in sources] == ["from_env", "ping", "check_gateway"]


def test_recursion_is_followed_one_level_only() -> None:
    code = """
    def _walk(path, depth):
        for entry in os.listdir(path):
            if depth < 3:
                _walk(os.path.join(path, entry), depth + 1)

    def index():
        _walk("/srv", 0)
    """
    prov, sources, _ = value(code, "os.listdir(path)")
    # the recursive call passes its own parameter: one level up that stays a parameter
    assert prov is Provenance.PARAMETER
    assert any(s.startswith("parameter:path via `path` from the caller _walk (line ") for s in sources)
    routed = code + '\n@app.route("/w")\ndef w():\n    _walk(request.args["p"], 0)\n'
    assert value(routed, "os.listdir(path)")[0] is Provenance.REQUEST


def test_mutual_recursion_terminates() -> None:
    code = """
    def _a(x):
        os.system(x)
        _b(x)

    def _b(y):
        _a(y)
    """
    assert value(code, "os.system(x)")[0] is Provenance.PARAMETER


def test_no_callers_stays_a_parameter() -> None:
    code = """
    def _ping_host(host):
        return subprocess.call("ping -c 1 " + host, shell=True)
    """
    prov, sources, _ = value(code, '"ping -c 1 " + host')
    assert (prov, sources) == (Provenance.PARAMETER, ("parameter:host",))


# --- how arguments are matched --------------------------------------------------------------------


def test_keyword_and_positional_arguments_are_matched_to_the_parameter() -> None:
    code = """
    def _ping(count, host, *, timeout=5):
        subprocess.call(["ping", "-c", count, "-W", timeout, host])

    def a():
        _ping(1, "localhost")

    @app.route("/p")
    def b():
        _ping(host=request.args["h"], count=3)

    def c():
        _ping(2, "gw", timeout=request.args["t"])
    """
    c = ctx(code, "subprocess.call(")
    assert c.sink is not None and c.value is not None
    arg = c.sink.arguments[0]
    assert arg.provenance is Provenance.REQUEST  # host from b(), timeout from c()
    assert {s.rsplit("the caller ", 1)[1].split(" ")[0] for s in arg.sources if "request" in s} == {"b", "c"}
    only_count = code.replace('["ping", "-c", count, "-W", timeout, host]', "count")
    assert value(only_count, "subprocess.call(count)")[0] is Provenance.CONSTANT  # 1, 3, 2


def test_defaults_count_when_a_caller_leaves_the_argument_out() -> None:
    code = """
    def _ping(host="localhost"):
        os.system("ping " + host)

    def a():
        _ping()
    """
    prov, sources, _ = value(code, 'os.system("ping " + host)')
    assert prov is Provenance.CONSTANT and sources[0].startswith("constant via `host` (its default) at the caller a")
    code += '\n@app.route("/p")\ndef b():\n    _ping(request.args["h"])\n'
    assert value(code, 'os.system("ping " + host)')[0] is Provenance.REQUEST


def test_star_arguments_are_ambiguous() -> None:
    splat_call = """
    def _run(cmd):
        os.system(cmd)

    def a(args):
        _run("ls")
        _run(*args)
    """
    assert value(splat_call, "os.system(cmd)")[0] is Provenance.PARAMETER
    splat_param = """
    def _run(*cmd):
        os.system(cmd[0])

    def a():
        _run("ls")
    """
    assert value(splat_param, "os.system(cmd[0])")[0] is Provenance.PARAMETER


def test_decorated_or_rebound_helpers_are_not_followed() -> None:
    decorated = """
    @retry(3)
    def _run(cmd):
        os.system(cmd)

    @app.route("/r")
    def r():
        _run(request.args["c"])
    """
    assert value(decorated, "os.system(cmd)")[0] is Provenance.PARAMETER
    rebound = """
    def _run(cmd):
        os.system(cmd)

    _run = wrap(_run)

    def r():
        _run("ls")
    """
    assert value(rebound, "os.system(cmd)")[0] is Provenance.PARAMETER
    twice = """
    def _run(cmd):
        os.system(cmd)

    def _run(cmd):
        print(cmd)

    def r():
        _run("ls")
    """
    assert value(twice, "os.system(cmd)")[0] is Provenance.PARAMETER
    global_rebind = """
    def _run(cmd):
        os.system(cmd)

    def setup():
        global _run
        _run = print

    def r():
        _run("ls")
    """
    assert value(global_rebind, "os.system(cmd)")[0] is Provenance.PARAMETER


def test_a_local_name_that_shadows_the_helper_is_not_a_call_of_it() -> None:
    code = """
    def _run(cmd):
        os.system(cmd)

    def a():
        _run("ls")

    @app.route("/r")
    def r():
        _run = other_runner
        _run(request.args["c"])
    """
    assert value(code, "os.system(cmd)")[0] is Provenance.CONSTANT


def test_a_caller_in_code_that_never_runs_is_ignored() -> None:
    code = """
    def _run(cmd):
        os.system(cmd)

    def a():
        _run("ls")
        if False:
            _run(request.args["c"])
    """
    assert value(code, "os.system(cmd)")[0] is Provenance.CONSTANT


# --- methods --------------------------------------------------------------------------------------


def test_a_method_called_through_self_takes_the_callers_argument() -> None:
    code = """
    class Handler:
        def _fetch(self, url):
            return requests.get(url)

        def get(self):
            return self._fetch(self.request.args["u"])
    """
    prov, sources, _ = value(code, "requests.get(url)")
    assert prov is Provenance.REQUEST
    assert sources[0].startswith("self.request.args via `url` from the caller get (line ")


def test_a_class_private_method_with_constant_callers_is_constant_and_staticmethods_shift_nothing() -> None:
    code = """
    class Tool:
        def __run(self, cmd):
            os.system(cmd)

        @staticmethod
        def _quiet(cmd):
            os.system(cmd + " >/dev/null")

        def build(self):
            self.__run("make")
            self._quiet("make test")
    """
    assert value(code, "os.system(cmd)")[0] is Provenance.CONSTANT
    # `_quiet` is only protected (a subclass elsewhere may call it): seen callers cannot lower it
    prov, sources, _ = value(code, 'os.system(cmd + " >/dev/null")')
    assert prov is Provenance.PARAMETER and sources[1].startswith("constant via `cmd` from the caller build")


def test_a_method_called_on_another_receiver_is_not_matched() -> None:
    code = """
    class Tool:
        def __run(self, cmd):
            os.system(cmd)

    def main(tool):
        tool.run(request.args["c"])
    """
    assert value(code, "os.system(cmd)")[0] is Provenance.PARAMETER


# --- other modules, bounds ------------------------------------------------------------------------


def test_a_caller_in_another_module_is_not_seen() -> None:
    """Known limit: the module reader reads a path it is given and cannot list who imports this
    module, so a caller elsewhere is not found; the parameter stays a parameter (never lowered)."""
    code = """
    def ping_host(host):
        return subprocess.call("ping -c 1 " + host, shell=True)
    """
    views = """
    from app import ping_host

    @app.route("/ping")
    def ping():
        return ping_host(request.args["h"])
    """
    prov, sources, _ = value(code, '"ping -c 1 " + host', modules={"views.py": views, "app.py": code})
    assert (prov, sources) == (Provenance.PARAMETER, ("parameter:host",))


def test_other_modules_summaries_do_not_use_callers() -> None:
    """`returns_constant` of another module's helper means "whatever its arguments": a private
    pass-through whose callers there pass constants must not become a constant helper."""
    helpers = """
    def _echo(x):
        return x

    def echo(x):
        return _echo(x)

    def warm():
        return _echo("a")
    """
    code = """
    import helpers

    @app.route("/e")
    def e():
        os.system(helpers.echo(request.args["c"]))
    """
    assert value(code, "os.system(", modules={"helpers.py": helpers})[0] is Provenance.REQUEST


def test_many_callers_stay_bounded() -> None:
    calls = "".join(f"    _run('c{i}')\n" for i in range(3000))
    code = "def _run(cmd):\n    os.system(cmd)\n\ndef main():\n" + calls
    started = time.process_time()
    c = ctx(code, "os.system(cmd)")
    assert time.process_time() - started < 2.0
    assert c.value is not None and c.value.provenance is Provenance.PARAMETER  # too many to look at
