"""JavaScript, TypeScript and TSX support for the context service: the grammars (the pinned
`tree-sitter-javascript` and `tree-sitter-typescript` wheels, `syntax`), node types, sources,
sanitizers, guards, and an intraprocedural flow analysis as small and bounded as Python's.

Three languages, one family: `.js .mjs .cjs .jsx` are javascript (its grammar reads JSX),
`.ts .mts .cts` typescript, `.tsx` tsx. The analysis, per function (declaration, expression,
arrow function or method; the module for top-level code):

* a one-pass index of every place a local name is bound, its loops, parameters (a handler's
  request object told apart) and module aliases from `import`/`require` (`scopes`, `functions`);
* a use of a name is reached by the bindings before it, cut at the nearest plain assignment that
  dominates it, plus bindings later in a loop containing both, plus the parameter; a name not
  bound in its function is looked up in the enclosing functions and the module (`reaching`);
* code after `return`/`throw`/`break`/`continue` or under a constant-false `if` never runs
  (`reachability`);
* an expression's provenance is the strongest of its parts (`provenance`), and the validation
  checks that dominate a node are guards (`guards`).

Each module imports only modules before it: `nodes`, `known`, `syntax` < `functions` < `scopes` <
`reaching` < `reachability` < `provenance` < `guards` < `analyzer` < `support`.
"""

from __future__ import annotations

from reviewbot.lang.javascript.support import JAVASCRIPT, TSX, TYPESCRIPT, JavaScriptSupport
from reviewbot.lang.javascript.syntax import FAMILY, JavaScriptSyntax

__all__ = ["FAMILY", "JAVASCRIPT", "TSX", "TYPESCRIPT", "JavaScriptSupport", "JavaScriptSyntax"]
