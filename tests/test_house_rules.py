"""The rules of the house for reviewbot/'s layout (docs/architecture.md), checked on the source.

Each rule reads the package with `ast` (every import counts: module level, inside functions and
under TYPE_CHECKING, since each is an arrow a reader has to follow), so a change that breaks one
fails here with the file and line to look at:

* parts are layered: a part imports only parts below it in `LAYERS` (so no two parts import each
  other, and a finding flows one way: change -> scanners -> review -> reporters -> github / cli);
* no import cycle between top-level packages or root modules, nor between any two modules;
* `finding.py` imports only data; reporters read the review's result type, never its conductor;
* only `cli/` parses argv or exits;
* no module is over 400 lines;
* no function body is written twice.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reviewbot"

# Lowest first. Root modules (errors, finding, _io, _text, _yaml, redact, bundled) are the data
# and helpers every part may use; `lang.facts` is data too (the code facts a finding carries).
LAYERS = (
    "<root>",
    "lang",
    "change",
    "scanners",
    "triage",
    "learn",
    "policy",
    "llm",
    "review",
    "reporters",
    "github",
    "cli",
)
DATA = ("reviewbot.lang.facts",)  # modules of a part that count as root data
ENTRY = "reviewbot.__main__"  # `python -m reviewbot`: above everything
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (or package)
    file: str  # the importing file, relative to the package's parent
    line: int

    def where(self) -> str:
        return f"{self.file}:{self.line} imports {self.target}"


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: Path) -> dict[str, Path]:
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def imports(package: Path) -> list[Import]:
    """Every import of a module of `package` by a module of `package`, as the module it names."""
    known = modules(package)
    root = package.name
    found: list[Import] = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets, line = [a.name for a in node.names], node.lineno
            elif isinstance(node, ast.ImportFrom):
                line = node.lineno
                base = ".".join(here[: len(here) - node.level + 1]) if node.level else ""
                module = ".".join(x for x in (base, node.module or "") if x)
                # `from reviewbot.pkg import mod` imports the module `mod` when there is one
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
            for target in targets:
                if target == root or target.startswith(root + "."):
                    found.append(Import(name, target, path.relative_to(package.parent).as_posix(), line))
    return list(dict.fromkeys(found))  # `from m import a, b` names the module `m` once


def part_of(module: str) -> str:
    """The layer a module belongs to: its top-level package, or <root> for a root module."""
    pieces = module.split(".")
    if module in DATA or len(pieces) == 1 or (PACKAGE / f"{pieces[1]}.py").is_file():
        return "<root>"
    return pieces[1]


def node_of(module: str) -> str:
    """The node of the cycle check: a root module itself, or its top-level package."""
    pieces = module.split(".")
    return ".".join(pieces[:2])


def layer_violations(found: list[Import]) -> list[str]:
    bad = []
    for imp in found:
        if imp.source == ENTRY:
            continue
        low, high = part_of(imp.source), part_of(imp.target)
        if low == high:
            continue
        if high not in LAYERS or low not in LAYERS:
            bad.append(f"{imp.where()}: {low if low not in LAYERS else high} is in no layer (add it to LAYERS)")
        elif LAYERS.index(high) > LAYERS.index(low):
            bad.append(f"{imp.where()}: {low} sits below {high} and may not import it")
    return bad


def cycles(found: list[Import], node: Callable[[str], str] = node_of) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan); a node is what `node` makes
    of a module: its top-level package by default, or the module itself."""
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in found:
        a, b = node(imp.source), node(imp.target)
        if a != b:
            graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found_cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found_cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found_cycles


def function_bodies(package: Path) -> dict[str, list[str]]:
    """Where each function body of three statements or more stands, keyed by its exact AST."""
    seen: dict[str, list[str]] = defaultdict(list)
    for name, path in modules(package).items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                body = node.body
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    body = body[1:]  # the docstring says what, not how: two may differ on the same code
                if len(body) >= 3:
                    key = "\n".join(ast.dump(statement) for statement in body)
                    seen[key].append(f"{name.replace('.', '/')}.py:{node.lineno} {node.name}")
    return {key: places for key, places in seen.items() if len(places) > 1}


def long_modules(package: Path) -> list[str]:
    too_long = []
    for name, path in modules(package).items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long.append(f"{name.replace('.', '/')}.py has {lines} lines (at most {MAX_LINES})")
    return too_long


def exits_outside_cli(package: Path) -> list[str]:
    """argv parsing and exits anywhere but cli/ and __main__."""
    bad = []
    for name, path in modules(package).items():
        if name.startswith(f"{package.name}.cli") or name == f"{package.name}.__main__":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            what: str | None = None
            if isinstance(node, ast.Import):
                what = "imports argparse" if any(a.name == "argparse" for a in node.names) else None
            elif isinstance(node, ast.ImportFrom):
                what = "imports argparse" if node.module == "argparse" else None
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sys":
                if node.attr in ("exit", "argv"):
                    what = f"uses sys.{node.attr}"
            elif isinstance(node, ast.Name) and node.id == "SystemExit":
                what = "names SystemExit"
            if what:
                bad.append(f"{name.replace('.', '/')}.py:{getattr(node, 'lineno', 0)} {what}")
    return bad


# -- the rules, on reviewbot/ ----------------------------------------------------------------------

IMPORTS = imports(PACKAGE)


def test_the_checks_see_the_package() -> None:
    # A walker that found nothing would pass every rule below.
    assert len(modules(PACKAGE)) > 100 and len(IMPORTS) > 300
    assert {part_of(i.source) for i in IMPORTS} >= set(LAYERS)


def test_each_part_imports_only_the_parts_below_it() -> None:
    assert layer_violations(IMPORTS) == []


def test_no_import_cycle_between_top_level_packages_or_root_modules() -> None:
    assert cycles(IMPORTS) == []


def test_no_import_cycle_between_any_two_modules() -> None:
    # Stricter than the rule between parts: inside a package too, imports form a DAG (lang/python
    # is layered reaching < folding < reachability < provenance, and each module can be read after
    # the ones it imports).
    assert cycles(IMPORTS, node=lambda module: module) == []


def test_no_module_is_over_the_limit() -> None:
    assert long_modules(PACKAGE) == []


def test_no_function_body_is_written_twice() -> None:
    assert function_bodies(PACKAGE) == {}


def test_only_the_cli_parses_argv_or_exits() -> None:
    assert exits_outside_cli(PACKAGE) == []


def _loaded_by(module: str) -> set[str]:
    """What importing `module` loads, in a fresh interpreter (whatever the tests loaded before)."""
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


def test_finding_imports_only_data() -> None:
    loaded = _loaded_by("reviewbot.finding")
    assert {m for m in loaded if m.startswith("reviewbot")} <= {
        "reviewbot",
        "reviewbot.finding",
        "reviewbot.errors",
        "reviewbot.lang",
        *DATA,
    }
    assert "tree_sitter" not in loaded


def test_the_result_type_loads_only_data() -> None:
    # What a reporter needs to read a review: findings, what the change adds to suppress, redaction.
    loaded = _loaded_by("reviewbot.review.result")
    assert {m for m in loaded if m.startswith("reviewbot")} == {
        "reviewbot",
        "reviewbot.finding",
        "reviewbot.lang",
        "reviewbot.lang.facts",
        "reviewbot.policy",
        "reviewbot.policy.added",
        "reviewbot.redact",
        "reviewbot.review",
        "reviewbot.review.result",
    }


def test_reporters_read_the_result_type_never_the_conductor() -> None:
    reviewing = [
        i.where()
        for i in IMPORTS
        if part_of(i.source) == "reporters" and part_of(i.target) == "review" and i.target != "reviewbot.review.result"
    ]
    assert reviewing == []
    # ... and the review package itself loads nothing, so reading review.result runs no conductor code.
    assert [i.where() for i in IMPORTS if i.source == "reviewbot.review"] == []


# -- the checks can fail: each on a small package that breaks its rule -----------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "reviewbot"
    for rel, text in files.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(text)
    for folder in [package, *(p for p in package.rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()
    return package


def test_a_part_importing_a_higher_one_is_reported(tmp_path: Path) -> None:
    package = _package(tmp_path, {"lang/x.py": "def f():\n    from reviewbot.review import run\n", "review/run.py": ""})
    (violation,) = layer_violations(imports(package))
    assert (
        violation == "reviewbot/lang/x.py:2 imports reviewbot.review.run: lang sits below review and may not import it"
    )


def test_an_import_under_type_checking_counts(tmp_path: Path) -> None:
    text = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from reviewbot.cli.main import main\n"
    package = _package(tmp_path, {"change/x.py": text, "cli/main.py": ""})
    assert [v.split(":")[0] for v in layer_violations(imports(package))] == ["reviewbot/change/x.py"]


def test_a_cycle_between_packages_is_reported(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "a/x.py": "from reviewbot.b.y import g\n",
            "b/y.py": "from reviewbot.c import z\n",
            "c/z.py": "import reviewbot.a.x\n",
        },
    )
    assert cycles(imports(package)) == [["reviewbot.a", "reviewbot.b", "reviewbot.c"]]
    relative = _package(tmp_path / "r", {"a/x.py": "from ..b import y\n", "b/y.py": "from ..a.x import f\n"})
    assert cycles(imports(relative)) == [["reviewbot.a", "reviewbot.b"]]
    within = _package(
        tmp_path / "w", {"a/x.py": "from reviewbot.a import y\n", "a/y.py": "from reviewbot.a.x import f\n"}
    )
    assert cycles(imports(within)) == []
    assert cycles(imports(within), node=lambda module: module) == [["reviewbot.a.x", "reviewbot.a.y"]]


def test_a_copied_body_a_long_module_and_an_exit_are_reported(tmp_path: Path) -> None:
    body = "    a = 1\n    b = a + 1\n    return b\n"
    package = _package(
        tmp_path,
        {
            "one.py": f'def f():\n    """One."""\n{body}',
            "two/three.py": f"def g():\n{body}" + "\n" * 400,
            "four.py": "import sys\n\ndef h():\n    sys.exit(1)\n",
        },
    )
    assert list(function_bodies(package).values()) == [["reviewbot/one.py:1 f", "reviewbot/two/three.py:1 g"]]
    assert long_modules(package) == ["reviewbot/two/three.py has 404 lines (at most 400)"]
    assert exits_outside_cli(package) == ["reviewbot/four.py:4 uses sys.exit"]


@pytest.mark.parametrize("module", ["reviewbot.finding", "reviewbot.errors"])
def test_root_modules_are_their_own_nodes(module: str) -> None:
    assert part_of(module) == "<root>" and node_of(module) == module
