"""GitHub's REST description as a request checker: routes, parameters and body schemas.

Loads `tests/data/github/github-rest-subset.openapi.json` (vendored; see its README) and
answers two questions for the fake server: which operation does this method + path name, and
what is wrong with this request (path and query parameters, and the JSON body validated with
jsonschema, `#/components/...` refs resolved inside the document)?
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema

SPEC_PATH = Path(__file__).parent.parent / "data" / "github" / "github-rest-subset.openapi.json"
_SPEC: dict[str, Any] | None = None


def load_spec() -> dict[str, Any]:
    global _SPEC
    if _SPEC is None:
        _SPEC = json.loads(SPEC_PATH.read_text())
    return _SPEC


class Route:
    def __init__(self, template: str, method: str, op: dict[str, Any]) -> None:
        self.template, self.method, self.op = template, method, op
        names = re.findall(r"\{([^}]+)\}", template)
        pattern = re.escape(template)
        for name in names:
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>[^/]+)")
        self.regex = re.compile(f"^{pattern}$")


def _deref(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


class Spec:
    def __init__(self) -> None:
        self.spec = load_spec()
        self.routes = [
            Route(template, method, op)
            for template, ops in self.spec["paths"].items()
            for method, op in ops.items()
            if method in ("get", "post", "put", "patch", "delete")
        ]

    def route(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        for route in self.routes:
            if route.method == method.lower():
                m = route.regex.match(path)
                if m:
                    return route, m.groupdict()
        return None, {}

    def check(self, route: Route, params: dict[str, str], query: dict[str, list[str]], body: Any) -> list[str]:
        problems: list[str] = []
        declared = [_deref(self.spec, p) for p in route.op.get("parameters", [])]
        for p in declared:
            schema = p.get("schema", {})
            if p["in"] == "path":
                value = params.get(p["name"])
                if value is None:
                    problems.append(f"path parameter {p['name']} missing")
                elif schema.get("type") == "integer" and not value.isdigit():
                    problems.append(f"path parameter {p['name']}={value!r} is not an integer")
            elif (
                p["in"] == "query"
                and p["name"] in query
                and schema.get("type") == "integer"
                and not query[p["name"]][0].isdigit()
            ):
                problems.append(f"query parameter {p['name']} is not an integer")
        names = {p["name"] for p in declared if p["in"] == "query"}
        problems += [f"undeclared query parameter {q!r}" for q in query if q not in names]
        request = route.op.get("requestBody")
        if request is not None:
            schema = request["content"].get("application/json", {}).get("schema")
            if body is None and request.get("required"):
                problems.append("request body required")
            elif body is not None and schema is not None:
                validator = jsonschema.Draft7Validator({**self.spec, **{"$ref": "#/x-check"}, "x-check": schema})
                problems += [
                    f"body{''.join(f'[{e!r}]' for e in err.absolute_path)}: {err.message}"
                    for err in validator.iter_errors(body)
                ]
        elif body is not None:
            problems.append("a body was sent to an operation that takes none")
        return problems


def _nullable_to_jsonschema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable: true` as JSON Schema: the schema, or null."""
    if isinstance(node, list):
        return [_nullable_to_jsonschema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _nullable_to_jsonschema(v) for k, v in node.items() if k not in ("nullable", "discriminator")}
    if node.get("nullable") is True:
        return {"anyOf": [{"type": "null"}, out]}
    return out


_SCHEMA_DOC: dict[str, Any] | None = None


def response_problems(spec: dict[str, Any], route: Route, status: int, body: Any) -> list[str]:
    """What is wrong with this response: an undeclared status, or a JSON body off its schema."""
    global _SCHEMA_DOC
    declared = route.op.get("responses", {})
    if str(status) not in declared:
        return [f"status {status} is not a declared response"]
    response = _deref(spec, declared[str(status)])
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None or body is None:
        return []
    if _SCHEMA_DOC is None:
        _SCHEMA_DOC = _nullable_to_jsonschema({"components": spec["components"]})
    validator = jsonschema.Draft7Validator(
        {**_SCHEMA_DOC, "$ref": "#/x-check", "x-check": _nullable_to_jsonschema(schema)}
    )
    return [
        f"response{''.join(f'[{e!r}]' for e in err.absolute_path)}: {err.message[:200]}"
        for err in validator.iter_errors(body)
    ][:5]
