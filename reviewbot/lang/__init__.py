"""Languages: which file is which language, parsing, code facts, and the context service.

`languages` names a path's language; `syntax` parses; `base` holds the vocabulary every language
shares (flows, budgets, the `LanguageSupport` protocol) and `python/` implements it for Python;
`context` answers what a finding's code does and `path_role` what kind of file it is in; `facts`
holds the answers (with `Provenance`) as plain data, importing nothing else of reviewbot. Nothing
here imports tree-sitter at import time.
"""
