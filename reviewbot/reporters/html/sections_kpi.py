"""The report's KPI section and its two tiles: did the bot make the team faster and quieter?

Input: the event history (`reviewbot pr --history`, `reviewbot scan --history`) with the ledger's
verdicts, computed by `reviewbot.triage.kpi` exactly as `reviewbot kpi` computes them. Every
share is written as "part of whole" with its Wilson 95 % interval; a tile shows a headline
percentage only from `MIN_TILE_SAMPLE` findings on, and below that says how many it has.
"""

from __future__ import annotations

from reviewbot.reporters.html.collect import ReportData
from reviewbot.reporters.html.markup import DASH, Cell, Html, code, empty, esc, section, table
from reviewbot.reporters.html.svg import Line, share_lines
from reviewbot.reporters.kpi import duration_words
from reviewbot.triage.interval import Proportion
from reviewbot.triage.kpi import MIN_LINE_SAMPLE, Figures

MIN_TILE_SAMPLE = MIN_LINE_SAMPLE
NO_HISTORY_HOW = Html(
    f"run {code('reviewbot pr --history FILE')} in the Action (or {code('reviewbot scan --history FILE')}), "
    f"merge the file into {code('.reviewbot/history.jsonl')}, then pass {code('--history FILE')}."
)
TITLE = "KPIs: acted on, fixed, dismissed"


def share(p: Proportion) -> Html:
    """`8 of 10 · 80% (49-94%)` (an en dash in the page): never a bare percentage."""
    if not p.whole:
        return Html(f"0 of 0 {DASH}")
    low, high = p.interval or (0.0, 1.0)
    return Html(f'<span class="rate">{p.part} of {p.whole} · {p.part / p.whole:.0%} ({low:.0%}{DASH}{high:.0%})</span>')


def _row(name: Cell, f: Figures) -> list[Cell]:
    return [
        name,
        f.reported,
        share(f.accepted),
        share(f.fixed),
        share(f.false_positive),
        esc(duration_words(f.time_to_fix.median)),
        esc(duration_words(f.time_to_triage.median)),
        share(f.demoted_real),
    ]


HEAD = [
    "",
    "reported",
    "acted on (fixed or tp)",
    "fixed",
    "false positives / triaged",
    "median time to fix",
    "median time to triage",
    "demoted but real (audit)",
]


def kpi_section(data: ReportData) -> Html:
    intro = (
        "Findings counted in the week they were first reported; what happened to them later counts up to "
        "the generation time. Shares show their count and a Wilson 95% interval (docs/kpi.md)."
    )
    k = data.kpis
    if k is None or not k.overall.reported:
        missing = "no event history was given." if k is None else "the event history has no reported findings yet."
        return section("kpi", TITLE, intro, [empty(missing, NO_HISTORY_HOW)])
    labels = [f"{w:%d %b}" for w, _ in k.weeks]
    chart = share_lines(
        "kpi-trend",
        labels,
        [
            Line("acted on (fixed or tp)", "#1a7f37", [f.accepted.rate for _, f in k.weeks]),
            Line("false positives / triaged", "#b4261d", [f.false_positive.rate for _, f in k.weeks]),
        ],
        title="Acted-on and false-positive shares per week of first report",
        desc="One point per week with findings; the table below gives each week's counts and intervals.",
    )
    per_pr = f"{k.comments_per_pr:.2f}" if k.comments_per_pr is not None else DASH
    body: list[Cell] = [
        table("All findings in the window", HEAD, [_row("all", k.overall)], numeric=[1]),
        Html(
            f'<p class="note">Inline comments per PR: {esc(per_pr)} ({k.comments} comments on {k.prs} PRs). '
            f"Mean time to fix {esc(duration_words(k.overall.time_to_fix.mean))}, "
            f"mean time to triage {esc(duration_words(k.overall.time_to_triage.mean))}.</p>"
        ),
        Html(f"<figure>{chart}</figure>"),
        table("KPIs per week of first report", HEAD, [_row(f"{w:%Y-%m-%d}", f) for w, f in k.weeks], numeric=[1]),
        table("KPIs per severity", HEAD, [_row(s, f) for s, f in k.severities.items()], numeric=[1]),
        table("KPIs per rule", HEAD, [_row(code(r), f) for r, f in k.rules.items()], numeric=[1]),
    ]
    return section("kpi", TITLE, intro, body)


def kpi_tiles(data: ReportData) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """(what, big, sub) of the acted-on tile and the time-to-fix tile."""
    k = data.kpis
    if k is None or not k.overall.reported:
        return ("Acted on", "no history", "pass --history"), ("Time to fix", "no history", "pass --history")
    f = k.overall
    if f.reported < MIN_TILE_SAMPLE:
        acted = ("Acted on", "too few findings", f"{f.accepted.part} of {f.reported} ({MIN_TILE_SAMPLE} needed)")
    else:
        low, high = f.accepted.interval or (0.0, 1.0)
        sub = f"{f.accepted.part} of {f.reported} · 95% interval {low:.0%}{DASH}{high:.0%}"
        acted = ("Acted on (fixed or tp)", f"{f.accepted.rate or 0:.0%}", sub)
    fix = f.time_to_fix
    median = duration_words(fix.median) if fix.count else "none fixed"
    return acted, ("Median time to fix", median, f"{fix.count} fixed · mean {duration_words(fix.mean)}")
