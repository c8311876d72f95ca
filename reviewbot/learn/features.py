"""Features: the pure, versioned vector the model sees for one finding (docs/features.md).

    attach_features(findings, history) -> findings with `features` and `feature_schema` set

A vector is computed from the finding's rule metadata, its code context (`reviewbot.lang.context`),
its place in the diff, and a `History` of earlier triage decisions. Nothing the author of a
change writes freely is read: no message, comment, identifier, token or path text. A path is
used only through the context's `path_role`, which is `unknown` for a path the change adds, and
per-path history is counted only for such trusted paths. Placement facts an author can change
without changing what the code does to its input (inside a loop, a `try`, an `except`, an async
function) are left out too: on the benchmark they only proxied its templates. Features where more evidence of risk
must never lower the score carry a monotone constraint (`Feature.monotone`) that training passes
to LightGBM. Any change to names, order or meaning is a new `FEATURE_SCHEMA_VERSION`.

History lives in `reviewbot.learn.history`, the words in `reviewbot.learn.words`; both are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reviewbot.finding import Finding, Severity
from reviewbot.lang.base import support_for
from reviewbot.lang.facts import CodeContext, PathRole, Provenance
from reviewbot.lang.languages import language_of
from reviewbot.learn.history import COUNT_CAP, History, leak_free_history
from reviewbot.learn.words import FAMILIES, describe, family

FEATURE_SCHEMA_VERSION = "2"
__all__ = [
    "ADDED_WITH_DEFAULT",
    "FAMILIES",
    "FEATURES",
    "FEATURE_INDEX",
    "FEATURE_NAMES",
    "FEATURE_SCHEMA_VERSION",
    "HISTORY_FEATURES",
    "Feature",
    "History",
    "attach_features",
    "describe",
    "family",
    "features_of",
    "leak_free_history",
    "static_features",
    "trusted_path",
]


@dataclass(frozen=True)
class Feature:
    name: str
    group: str  # rule | scanner | context | path | diff | history
    monotone: int  # +1: a larger value must never lower the score; 0: free
    doc: str


CATEGORIES = [
    "cmdi",
    "codeinj",
    "deserialization",
    "hash",
    "ldapi",
    "pathtraver",
    "permissions",
    "redirect",
    "secrets",
    "securecookie",
    "sqli",
    "ssrf",
    "tls",
    "trojansource",
    "trustbound",
    "weakrand",
    "xpathi",
    "xss",
    "xxe",
]
CWES = [
    "22",
    "78",
    "79",
    "89",
    "90",
    "94",
    "95",
    "250",
    "295",
    "327",
    "328",
    "330",
    "338",
    "451",
    "501",
    "502",
    "601",
    "611",
    "614",
    "643",
    "798",
    "916",
    "918",
    "1004",
    "1007",
    "1275",
    "1336",
]
LANGUAGES = ("python", "github-workflow", "javascript", "typescript")
# A language whose findings take another language's feature (TSX is TypeScript with JSX).
_LANGUAGE_FEATURE = {"tsx": "typescript"}
# Features added to the schema after vectors were stored, with the value they had then: a
# stored vector lacking only these is complete (learn/dataset.py). No JavaScript or TypeScript
# finding existed before their features, so 0 is exact for those vectors.
ADDED_WITH_DEFAULT: dict[str, float] = {"language.javascript": 0.0, "language.typescript": 0.0}
ROLES = (PathRole.TEST, PathRole.EXAMPLE, PathRole.MIGRATION, PathRole.VENDORED, PathRole.GENERATED)
SANITIZER_KINDS = ("shell", "cast", "path", "html", "url", "ldap", "sql", "other")
GUARD_KINDS = [
    "dotdot",
    "quote",
    "contains",
    "allowlist",
    "charset",
    "regex",
    "prefix",
    "host",
    "type",
    "safe_url",
    "validator",
]  # docs/context.md
_SANITIZER_KIND = {
    **dict.fromkeys(["shlex.quote", "pipes.quote", "shlex.join"], "shell"),
    **dict.fromkeys(["int", "float", "bool", "uuid.UUID", "ast.literal_eval", "json.loads", "len"], "cast"),
    **dict.fromkeys(["os.path.basename", "werkzeug.utils.secure_filename"], "path"),
    **dict.fromkeys(["html.escape", "markupsafe.escape", "flask.escape", "jinja2.escape", "cgi.escape"], "html"),
    **dict.fromkeys(["django.utils.html.escape", "django.utils.html.format_html", "bleach.clean"], "html"),
    **dict.fromkeys(["json.dumps", "flask.jsonify", "flask.render_template", "django.shortcuts.render"], "html"),
    **dict.fromkeys(["urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.urlencode"], "url"),
    **dict.fromkeys(["flask.url_for", "django.urls.reverse"], "url"),
    **dict.fromkeys(["ldap3.utils.conv.escape_filter_chars", "ldap.filter.escape_filter_chars"], "ldap"),
    **dict.fromkeys(["ldap.filter.filter_format", "ldap3.utils.dn.escape_rdn", "ldap.dn.escape_dn_chars"], "ldap"),
    **dict.fromkeys(["psycopg2.sql.Identifier", "psycopg2.sql.Literal", "psycopg.sql.Identifier"], "sql"),
    **dict.fromkeys(["psycopg.sql.Literal", "pymysql.converters.escape_string", "MySQLdb.escape_string"], "sql"),
    "sqlalchemy.bindparam": "sql",
}
# Local input, by the labels the provenance analyses give it: Python's, then JavaScript's
# (lang/javascript/known.py: INPUT_PREFIXES and INPUT_CALLS, `readline-sync.question()`).
_LOCAL_SOURCES = (
    *("input()", "raw_input()", "sys.argv", "sys.stdin", "os.environ", "os.getenv", "fileinput"),
    *("process.argv", "process.env", "process.stdin", "Deno.args", "readline-sync."),
)


def _f(name: str, group: str, doc: str, monotone: int = 0) -> Feature:
    return Feature(name, group, monotone, doc)


FEATURES: tuple[Feature, ...] = (
    _f("severity", "rule", "rule severity: 0 low, 1 medium, 2 high, 3 critical", +1),
    _f("confidence", "rule", "rule confidence: 0 low, 1 medium, 2 high", +1),
    *(_f(f"category.{c}", "rule", f"the rule's category is {c}") for c in CATEGORIES),
    _f("category.other", "rule", "a category outside the vocabulary"),
    *(_f(f"cwe.{c}", "rule", f"the rule lists CWE-{c}") for c in CWES),
    _f("cwe.other", "rule", "the rule lists a CWE outside the vocabulary"),
    _f("dataflow", "rule", "the rule follows data from a source to a sink (0: the value facts are not its business)"),
    _f("scanner.treesitter", "scanner", "found by the tree-sitter scanner (0: semgrep)"),
    *(_f(f"language.{lang}", "scanner", f"the file is {lang}") for lang in LANGUAGES),
    _f("has_context", "context", "a code context was computed"),
    _f("context_partial", "context", "some context fact could not be computed fully"),
    _f(
        "value_provenance",
        "context",
        "matched value: 0 literal, 1 constant, 2 unknown/none, 3 request or parameter",
        +1,
    ),
    _f(
        "value_parameter",
        "context",
        "the value is external only through a function parameter (no request source seen)",
        # Wrapping a sink in a helper turns request data into a parameter: the PR author controls
        # that, so being parameter-fed must never lower the score (DESIGN, "honest learning").
        +1,
    ),
    _f("sink_max_provenance", "context", "strongest provenance among the sink's arguments (same scale)", +1),
    _f("source.local", "context", "a local input source (argv, stdin, environment) reaches the value"),
    _f("sanitizers", "context", "number of sanitizer calls and guards on the value"),
    *(_f(f"sanitizer.{k}", "context", f"a {k} sanitizer call on the value") for k in SANITIZER_KINDS),
    *(_f(f"guard.{k}", "context", f"a dominating `{k}` guard checks the value") for k in GUARD_KINDS),
    _f("reachable", "context", "1 unless the code can never run", +1),
    _f("scope.module", "context", "top-level code (no enclosing function)"),
    _f("scope.method", "context", "inside a method of a class"),
    _f("request_handler", "context", "the enclosing function is a web request handler", +1),
    *(_f(f"path.{r.value}", "path", f"the file is {r.value} code (judged only for base-branch paths)") for r in ROLES),
    _f("path_new", "path", "the change adds this path: its name is not trusted", +1),
    _f("match_added", "diff", "the change adds at least one line of the match", +1),
    _f("hunk_added_lines", "diff", "lines the change adds in the hunks around the match", +1),
    _f("rule_decisions", "history", "earlier decisions on this rule in this repository"),
    _f("rule_real_rate", "history", "(real + 1) / (decisions + 2) over earlier decisions on this rule", +1),
    _f("path_decisions", "history", "earlier decisions on findings in this (base-branch) file"),
    _f("path_real_rate", "history", "(real + 1) / (decisions + 2) over earlier decisions in this file", +1),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
FEATURE_INDEX = {f.name: f for f in FEATURES}
HISTORY_FEATURES = frozenset(f.name for f in FEATURES if f.group == "history")
assert len(FEATURE_INDEX) == len(FEATURES), "feature names must be unique"


# A parameter is scored as request data: an intraprocedural analysis cannot see the callers, and
# moving a sink into a helper must not hide it. `value_parameter` tells them apart, but only
# upwards: its monotone constraint lets a model learn that parameter-fed findings matter more,
# never less.
_PROVENANCE = {
    Provenance.LITERAL: 0.0,
    Provenance.CONSTANT: 1.0,
    Provenance.UNKNOWN: 2.0,
    Provenance.PARAMETER: 3.0,
    Provenance.REQUEST: 3.0,
}


def _provenance_rank(p: Provenance | None) -> float:
    return _PROVENANCE[p] if p is not None else _PROVENANCE[Provenance.UNKNOWN]


def language_feature(finding: Finding) -> str | None:
    """The finding's `language.*` feature (tsx counts as typescript), or None outside the vocabulary."""
    ctx = finding.context
    language = (ctx.language if ctx is not None else None) or language_of(finding.path)
    language = _LANGUAGE_FEATURE.get(language or "", language)
    return f"language.{language}" if language in LANGUAGES else None


def static_features(finding: Finding) -> dict[str, float]:
    """Everything but history: a function of the finding alone (rule, context, diff)."""
    v = dict.fromkeys(FEATURE_NAMES, 0.0)
    v["severity"] = float(finding.severity.rank)
    v["confidence"] = float(finding.confidence.rank)
    v[f"category.{finding.category}" if finding.category in CATEGORIES else "category.other"] = 1.0
    for cwe in finding.cwe:
        number = cwe.removeprefix("CWE-").split(":")[0].strip()
        v[f"cwe.{number}" if number in CWES else "cwe.other"] = 1.0
    v["scanner.treesitter"] = float(finding.scanner == "treesitter")
    ctx = finding.context
    language = language_feature(finding)
    if language is not None:
        v[language] = 1.0
    v["match_added"] = float(finding.added_lines > 0)
    v["hunk_added_lines"] = float(min(finding.hunk_added_lines, COUNT_CAP))
    v["value_provenance"] = v["sink_max_provenance"] = _provenance_rank(None)
    v["reachable"] = 1.0
    v["dataflow"] = float(finding.dataflow)
    if ctx is None:
        v["path_new"] = 1.0  # no context: nothing vouches for the path
        return v
    if ctx.language is not None and support_for(ctx.language) is None:
        # Parsed, but the language has no flow analysis yet (JavaScript, TypeScript): no context
        # facts (`has_context` = 0), only the path's role, which needs none.
        _path_features(ctx, v)
        return without_path_roles_if_critical(v)
    _context_features(ctx, v)
    if not finding.dataflow:
        _without_value_facts(v)
    return without_path_roles_if_critical(v)


def without_path_roles_if_critical(v: dict[str, float]) -> dict[str, float]:
    """`v` with every `path.*` role at 0 when the finding is critical (issue #13).

    A path role (tests/, examples/, vendored/, ...) says where code lives, not whether a shell,
    eval, deserialization, SQL or live-secret finding is safe. Trained on corpora whose test
    folders held only noise, a model learns that a test path alone sinks a score; for a critical
    finding it must not, so the role is not a fact the model sees. Training applies it to stored
    vectors too (`learn/dataset.py`), so older ledger rows teach the same."""
    if v.get("severity", 0.0) >= Severity.CRITICAL.rank:
        for role in ROLES:
            v[f"path.{role.value}"] = 0.0
    return v


def _without_value_facts(v: dict[str, float]) -> None:
    """A rule about a call or setting itself (`secure=False`, `md5(...)`) is right or wrong
    whatever the value it passes: where that value comes from must not move its score. Its value
    facts are set as for request data, the level that never lowers a score, and the model sees
    `dataflow = 0`."""
    v["value_provenance"] = v["sink_max_provenance"] = _PROVENANCE[Provenance.REQUEST]
    v["value_parameter"] = v["source.local"] = v["sanitizers"] = 0.0
    for name in v:
        if name.startswith(("sanitizer.", "guard.")):
            v[name] = 0.0


def _context_features(ctx: CodeContext, v: dict[str, float]) -> None:
    v["has_context"] = 1.0
    v["context_partial"] = float(ctx.partial)
    if ctx.sink is not None and ctx.sink.arguments:
        v["sink_max_provenance"] = max(_provenance_rank(a.provenance) for a in ctx.sink.arguments)
    if ctx.value is not None:
        v["value_provenance"] = _provenance_rank(ctx.value.provenance)
        v["value_parameter"] = float(ctx.value.provenance is Provenance.PARAMETER)
        v["source.local"] = float(any(s.startswith(_LOCAL_SOURCES) for s in ctx.value.sources))
        v["sanitizers"] = float(len(set(ctx.value.sanitizers)))
        for name in ctx.value.sanitizers:
            if name.startswith("guard:"):
                kind = name.removeprefix("guard:")
                if kind in GUARD_KINDS:
                    v[f"guard.{kind}"] = 1.0
            else:
                v[f"sanitizer.{_sanitizer_kind(name)}"] = 1.0
    v["reachable"] = float(ctx.reachable)
    v["scope.module"] = float(ctx.function is None)
    v["scope.method"] = float(ctx.function is not None and ctx.class_name is not None)
    v["request_handler"] = float(ctx.is_request_handler)
    _path_features(ctx, v)


def _path_features(ctx: CodeContext, v: dict[str, float]) -> None:
    if ctx.path_role in ROLES:
        v[f"path.{ctx.path_role.value}"] = 1.0
    v["path_new"] = float(ctx.path_role is PathRole.UNKNOWN)


def _sanitizer_kind(name: str) -> str:
    kind = _SANITIZER_KIND.get(name)
    if kind is not None:
        return kind
    last = name.rsplit(".", 1)[-1].lower()
    if last in ("safe_join", "secure_filename"):
        return "path"
    return "html" if "escape" in last and "html" in last else "other"


def trusted_path(finding: Finding) -> str | None:
    """The path, when the base branch vouches for it (else per-path history is not counted)."""
    ctx = finding.context
    return finding.path if ctx is not None and ctx.path_role is not PathRole.UNKNOWN else None


def features_of(finding: Finding, history: History | None = None) -> dict[str, float]:
    vector = static_features(finding)
    stats = (history or History()).stats(finding.rule_id, trusted_path(finding), exclude=finding.fingerprint)
    vector.update(stats)
    return vector


def attach_features(findings: Iterable[Finding], history: History | None = None) -> list[Finding]:
    """Every finding with `features` and `feature_schema` set (a copy; findings are immutable)."""
    return [
        f.model_copy(update={"features": features_of(f, history), "feature_schema": FEATURE_SCHEMA_VERSION})
        for f in findings
    ]
