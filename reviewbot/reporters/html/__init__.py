"""`reviewbot report`: the security lead's static HTML report of what the bot found, hid and why.

    collect.py          reads the inputs (ledger, scan reports, model folder, suppressions, audit)
    inputs.py           typed views of the foreign JSON files (scan reports, card, plot)
    suppression_view.py   the suppressions file and its usage, read by reviewbot.policy.suppression_file
    aggregate.py        pure numbers: decisions per week, FP rate per rule, histograms, expiry
    model_view.py       the card (every section optional), drift and the audit estimate
    svg.py, markup.py   inline SVG charts and escape-by-default HTML pieces
    sections_*.py, page.py  the sections and the self-contained page with its strict CSP

docs/report.md describes each section and its inputs.
"""

from __future__ import annotations

from reviewbot.reporters.html.collect import ReportData, Sources, collect
from reviewbot.reporters.html.page import render_page

__all__ = ["ReportData", "Sources", "collect", "render_page"]
