"""Python support for the context service: tree-sitter-python node types, sources, sanitizers,
guards, and an intraprocedural flow analysis that is small, bounded and errs on the side of
"not constant".

The flow analysis, per function (or the module, for top-level code):

* a one-pass index of every place a local name is bound and of its loops (`scopes`);
* a use of a name is reached by the bindings before it, cut at the nearest plain assignment
  that dominates it, plus bindings later in a loop that contains both, plus the parameter when
  no such assignment exists; bindings in code that can never run are ignored (`reaching`,
  `reachability`, with constant conditions from `folding` and `values`);
* an expression's provenance is the strongest of its parts; calls of unknown functions add
  "unknown" but keep the request/parameter taint of their arguments (`provenance`);
* the validation checks that dominate a node (`guards`);
* a parameter takes what the function's callers in the same file pass, one call up (`callers`).

Everything is capped by the caller's `Budget` and a recursion depth; running out gives
"unknown", never an exception. What the analysis knows of libraries is data, in `known`; the
node types it reads, in `nodes`. `SUPPORT` (`support`) is what `reviewbot.lang` loads.

Each module imports only modules before it in this order: `nodes`, `values`, `known` <
`functions` < `scopes` < `containers` < `run` < `reaching` < `folding` < `reachability` <
`elements` < `provenance`, `guards` < `callers` < `analyzer` < `project` < `support`. Where a lower module needs
a higher one's answer it is handed an object (a `Run` sees `project` through `run.ModuleSummaries`)
or declares the method abstract (`run.RunState.dead`, `elements.Elements.eval`).
"""

from __future__ import annotations

from reviewbot.lang.python.analyzer import PythonAnalyzer
from reviewbot.lang.python.known import KNOWN
from reviewbot.lang.python.support import SUPPORT, PythonSupport

__all__ = ["KNOWN", "SUPPORT", "PythonAnalyzer", "PythonSupport"]
