"""The tree-sitter scanner's built-in checks, by the name a rule's `check:` gives: what a query
cannot express. One module per concern:

* `trojan_source`: bidirectional controls and invisible characters in the bytes;
* `confusables`: identifiers mixing scripts with look-alike letters;
* `credentials`: high-entropy string literals bound to credential names;
* `workflows`: attacker-controlled GitHub Actions expressions expanded into scripts;
* `templates`: `|safe` and `autoescape` off in Jinja2 / Django (and Nunjucks / Swig) template files;
* `js_templates`: unescaped output in EJS, Pug, Handlebars / Mustache templates, Vue `v-html`
  and Angular `[innerHTML]` bindings;
* `access` (over `handlers`, a module's web request handlers): state-changing handlers with no auth
  check beside ones with it, objects loaded by a request id with no owner check, logins without a
  rate limit, login failures that tell an unknown account from a wrong password, admin handlers
  that check a login and no role.
* `js_access` (over `js_routes`, a module's Express/Koa/Fastify routes, and `js_auth`, what
  counts as auth middleware): the JavaScript/TypeScript half of `missing-auth-sibling` (routes,
  NestJS controllers; the check of both halves is registered from there) and Angular routes
  with no guard beside guarded ones (`client-route-without-guard`).
* `pam`: libpam's `pam_authenticate` called with no `pam_acct_mgmt` in the module.
* `http_framing`: Content-Length and chunk sizes parsed with `int()` in HTTP framing code;
  `http_length_fallback`: such a parse whose failure is taken as a default; `http_lines`: a
  header block cut into lines at a bare LF, a header line without a colon skipped,
  a field name stripped of the whitespace RFC 9112 forbids;
  `header_line`: a `Name: value\r\n` header line formatted from a value nobody checked for line breaks.
* `redos` (Python) and `js_redos` (JavaScript/TypeScript, and the check of both): regular
  expression literals that can backtrack exponentially (and, in JavaScript, polynomially:
  `redos_shapes`).

`check.Check` is what each of them provides.
"""

from __future__ import annotations

from reviewbot.scanners.ts_checks import (
    access,
    confusables,
    credentials,
    header_line,
    http_framing,
    http_length_fallback,
    http_lines,
    js_access,
    js_redos,
    js_templates,
    pam,
    templates,
    trojan_source,
    workflows,
)
from reviewbot.scanners.ts_checks.check import Check

CHECKS: dict[str, Check] = {
    check.name: check
    for check in (
        trojan_source.BIDI_CONTROL,
        trojan_source.INVISIBLE_CHARACTER,
        confusables.CHECK,
        credentials.CHECK,
        workflows.CHECK,
        templates.SAFE_FILTER,
        templates.AUTOESCAPE_OFF,
        js_templates.EJS_UNESCAPED,
        js_templates.PUG_UNESCAPED,
        js_templates.HANDLEBARS_UNESCAPED,
        js_templates.HTML_DIRECTIVE,
        js_templates.ANGULAR_INNER_HTML,
        js_access.MISSING_AUTH,
        js_access.CLIENT_ROUTES,
        access.UNSCOPED_LOOKUP,
        access.LOGIN_RATE_LIMIT,
        access.ENUMERATION,
        access.ADMIN_ROLE,
        pam.CHECK,
        http_framing.CHECK,
        http_length_fallback.CHECK,
        header_line.CHECK,
        http_lines.CHECK,
        http_lines.SKIPPED,
        http_lines.STRIPPED,
        js_redos.CHECK,
        js_redos.POLYNOMIAL,
    )
}

__all__ = ["CHECKS", "Check"]
