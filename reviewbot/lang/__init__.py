"""Languages: which file is which language, parsing, code facts, and the context service.

`base` holds the vocabulary every language shares (provenance, flows, the `LanguageSupport`
protocol); `python/` implements it for Python; `syntax` parses; `context` answers what a finding's
code does; `facts` holds the answers as plain data. Nothing here imports tree-sitter at import time.
"""
