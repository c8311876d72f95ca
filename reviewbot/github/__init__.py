"""reviewbot on GitHub: `reviewbot pr` posts a review, a summary, a check run and optionally SARIF.

One module per concern:

    event.py          the Actions environment and event payload → typed PR context
    artifact.py       the results file handed from the fork pattern's first stage to the second
    client.py         PyGithub construction; retries, rate-limit backoff, spacing of writes
    anchors.py        which lines GitHub accepts inline comments on (the diff hunks)
    markers.py        hidden markers that identify reviewbot's own comments
    state.py          what is already on the PR (reviewbot's comments, replies, the summary)
    thread_triage.py  `/reviewbot fp|accept|tp` verdicts from the thread, as typed objects
    review.py         plan the inline comments within the budget, post one COMMENT review
    summary.py        the summary document (comment, check run and job summary)
    checks.py         the neutral/success check run with annotations, 50 per request
    sarif_upload.py   optional SARIF upload to code scanning
    fallback.py       workflow-command annotations and the job summary, when writes fail
    runner.py         the whole flow, which never raises and never blocks

See docs/github.md.
"""
