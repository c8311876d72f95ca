"""The optional LLM second reader (issue 14, docs/llm.md): off unless turned on, and never a
decision. Nothing here can hide a finding, change a disposition or a score, or post a fix unchecked.

    client    the one place the `openai` SDK is called: budget, failures, structured output
    cache     answers in the user cache, keyed by (fingerprint, code hash, model, prompt version)
    prompt    what is sent: the rule, the enclosing function (bounded), the facts, all redacted,
              the code marked as untrusted data
    explain   use 1: a short explanation and an exploit scenario for a reported finding
    fix       use 2: a replacement of the finding's lines, kept only if the fix verifier accepts it
    hunks     use 3: findings in the changed hunks that rules cannot see, as scanner `llm`
    stage     what the conductor (review/run.py) calls, and the note saying what was skipped
    verify    the fix verifier: may a proposed replacement of a finding's lines (an LLM's, or a
              rule's own `fix:`) be posted as a ```suggestion; verify_scan reruns the review's
              ruleset on the fixed file, verify_rules is the stage that puts rule fixes through it

It sits between policy and review: it reads findings, the code and the scanners the review ran,
and the review's conductor calls it. The LLM adds text and candidate findings; it never sets a
disposition, a score or a threshold.
"""
