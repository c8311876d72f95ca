"""Which language a path is, by its file name: the one place that mapping lives.

`javascript`, `typescript` and `tsx` are one family (`reviewbot.lang.javascript`): semgrep knows
the last as typescript (`semgrep_language`).

`template` is the HTML templates of Jinja2 and Django (`.html`, `.htm`, `.jinja`, `.jinja2`,
`.j2`, `.djhtml`) and of their JavaScript ports Nunjucks and Swig (`.njk`, `.nunjucks`, `.swig`),
whose tags, filters and comments are Jinja's. The other JavaScript template families have a
language each, as their syntax differs: `ejs`, `pug` (also `.jade`), `handlebars` (also
`.mustache`) and `vue` (single-file components). None of these has a grammar: only byte-level
tree-sitter checks read them (`scanners.ts_parse.BYTES_ONLY`), and semgrep never does; the
`<script>` blocks of `.vue`, `.html` and `.htm` files are scanned as JavaScript through a view
(`scanners.script_blocks`).

The semgrep scanner uses it to choose targets and the syntax layer to choose a grammar; the
inline suppressions use the comment syntax of a file (`comment_markers`), by its suffix too.
"""

from __future__ import annotations

from pathlib import PurePosixPath

_BY_SUFFIX = {
    ".py": "python",
    ".pyi": "python",
    # Jinja2 / Django templates: HTML with `{{ }}` and `{% %}`. A plain HTML file is read too (it
    # may be a template; a file without template tags yields nothing).
    **dict.fromkeys((".html", ".htm", ".jinja", ".jinja2", ".j2", ".djhtml"), "template"),
    # Nunjucks and Swig are Jinja's syntax in JavaScript: the same checks read them.
    **dict.fromkeys((".njk", ".nunjucks", ".swig"), "template"),
    # The other Node template engines, one language per syntax (their tags and comments differ).
    ".ejs": "ejs",
    **dict.fromkeys((".pug", ".jade"), "pug"),
    **dict.fromkeys((".hbs", ".handlebars", ".mustache"), "handlebars"),
    ".vue": "vue",
    # JavaScript (its grammar reads JSX too), TypeScript, and TSX, which has a grammar of its own
    # (`<T>x` is a cast in a .ts file and a JSX element in a .tsx one).
    **dict.fromkeys((".js", ".mjs", ".cjs", ".jsx"), "javascript"),
    **dict.fromkeys((".ts", ".mts", ".cts"), "typescript"),
    ".tsx": "tsx",
}
# semgrep's name for a reviewbot language where they differ: semgrep reads .tsx as typescript.
_SEMGREP_NAMES = {"tsx": "typescript"}
# GitHub Actions workflows: YAML files directly in a `.github/workflows/` folder (GitHub reads no
# subfolders there). Other YAML is not a language reviewbot has rules for. The folder may sit
# below a prefix (the review scans `head/.github/workflows/ci.yml`).
_WORKFLOW_SUFFIXES = frozenset({".yml", ".yaml"})


def language_of(path: str) -> str | None:
    """The language name for a repo-relative path, or None when reviewbot has no rules for it."""
    pure = PurePosixPath(path)
    suffix = pure.suffix.lower()
    if suffix in _WORKFLOW_SUFFIXES:
        return "github-workflow" if pure.parent.parts[-2:] == (".github", "workflows") else None
    return _BY_SUFFIX.get(suffix)


def semgrep_language(language: str) -> str:
    """The semgrep `languages:` name that covers files of reviewbot's `language`."""
    return _SEMGREP_NAMES.get(language, language)


# How a comment starts, by suffix: reviewbot's own `reviewbot: ignore` comment is looked for only
# after these. Files of any other type (and PHP, HCL, which have both) may use any of them.
_HASH, _SLASH, _BLOCK = "#", "//", "/*"
# A template comment: `{# reviewbot: ignore[...] reason #}` (Jinja2, Django) or an HTML comment.
_TEMPLATE = ("{#", "<!--")
# An HTML file's `<script>` blocks are scanned as JavaScript (scanners/script_blocks.py): a
# directive there is a JavaScript comment.
_HTML = (*_TEMPLATE, "//", "/*")
# EJS `<%# … %>` (an HTML comment is sent to the browser, but the file may use it too); Pug's
# unbuffered `//-` and buffered `//` line comments; Handlebars `{{!-- … --}}` and `{{! … }}`
# (`{{!--` is a marker of its own: after `{{!` the dashes would hide the directive); a Vue component
# file has an HTML template and a JavaScript script block.
_EJS = ("<%#", "<!--")
_PUG = ("//-", "//")
_HANDLEBARS = ("{{!--", "{{!", "<!--")
_VUE = ("<!--", "//", "/*")
_HASH_ONLY = (_HASH,)
_C_LIKE = (_SLASH, _BLOCK)
_COMMENT_MARKERS_BY_SUFFIX: dict[str, tuple[str, ...]] = {
    **dict.fromkeys((".py", ".pyi", ".yml", ".yaml", ".sh", ".bash", ".rb", ".toml", ".pl", ".r"), _HASH_ONLY),
    **dict.fromkeys(
        (
            ".js",
            ".jsx",
            ".mjs",
            ".cjs",
            ".ts",
            ".tsx",
            ".mts",
            ".cts",
            ".java",
            ".go",
            ".c",
            ".h",
            ".cc",
            ".cpp",
            ".hpp",
            ".cs",
        ),
        _C_LIKE,
    ),
    **dict.fromkeys((".jinja", ".jinja2", ".j2", ".djhtml", ".njk", ".nunjucks", ".swig"), _TEMPLATE),
    **dict.fromkeys((".html", ".htm"), _HTML),
    ".ejs": _EJS,
    **dict.fromkeys((".pug", ".jade"), _PUG),
    **dict.fromkeys((".hbs", ".handlebars", ".mustache"), _HANDLEBARS),
    ".vue": _VUE,
    **dict.fromkeys((".kt", ".kts", ".swift", ".scala", ".rs", ".dart", ".groovy"), _C_LIKE),
}
_ANY_COMMENT = (_HASH, _SLASH, _BLOCK)


def comment_markers(path: str) -> tuple[str, ...]:
    """The markers a comment may start with in the file at `path` (every one of them when unknown)."""
    return _COMMENT_MARKERS_BY_SUFFIX.get(PurePosixPath(path).suffix.lower(), _ANY_COMMENT)
