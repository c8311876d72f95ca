"""The optional second reader: an LLM that explains findings, proposes fixes and reviews what
rules cannot see (issue 14, docs/llm.md). Off by default; nothing here can hide a finding, change
a disposition or a score, or post a fix unchecked.

It sits between policy and review: it reads findings, the code and the scanners the review ran,
and the review's conductor calls it. What reaches a PR as a ```suggestion — an LLM's proposal or a
rule's own `fix:` — passes the fix verifier first (`verify`: the checks; `verify_scan`: the rerun
of the review's ruleset on the fixed file; `verify_rules`: the stage that checks rule fixes).
"""
