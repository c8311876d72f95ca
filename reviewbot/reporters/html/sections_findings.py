"""The report's sections about findings: decisions over time, false positives per rule, score
distributions, and what the bot hid and why. Each returns one `<section>`, with an empty state
that names the missing input and the command that produces it.
"""

from __future__ import annotations

from reviewbot.finding import Disposition
from reviewbot.reporters.html import aggregate as agg
from reviewbot.reporters.html.collect import ReportData
from reviewbot.reporters.html.inputs import ScanFinding
from reviewbot.reporters.html.markup import DASH, Cell, Html, code, empty, esc, join, percent, section, table
from reviewbot.reporters.html.svg import Series, grouped_bars, meter, stacked_bars
from reviewbot.triage.ledger import Verdict

VERDICT_LABEL = {
    Verdict.TRUE_POSITIVE: "true positive",
    Verdict.ACCEPTED_RISK: "accepted risk",
    Verdict.WONT_FIX: "won't fix",
    Verdict.FALSE_POSITIVE: "false positive",
}
VERDICT_COLOUR = {
    Verdict.TRUE_POSITIVE: "#b4261d",
    Verdict.ACCEPTED_RISK: "#d9822b",
    Verdict.WONT_FIX: "#3b6fb6",
    Verdict.FALSE_POSITIVE: "#9aa0a6",
}
MEANING = {
    Disposition.REPORTED.value: "shown to the developer",
    Disposition.PREEXISTING.value: "already on the base branch: not introduced by the change",
    Disposition.SUPPRESSED_INLINE.value: "a nosemgrep / reviewbot: ignore comment in the code",
    Disposition.SUPPRESSED_FILE.value: "an entry in the suppressions file",
    Disposition.TRIAGED.value: "a human verdict in the triage ledger",
    Disposition.BELOW_THRESHOLD.value: "the model scored it under the reporting threshold",
    Disposition.DUPLICATE.value: "another finding covers the same weakness on the same lines",
}
NO_LEDGER_HOW = Html(
    f"record decisions with {code('reviewbot triage mark FINGERPRINT --verdict fp --reason …')} "
    f"(or {code('reviewbot triage pull')}), then pass {code('--ledger .reviewbot/triage.jsonl')}."
)
NO_REPORTS_HOW = Html(
    f"save scans with {code('reviewbot scan --format json -o reports/scan.json')} "
    f"(or {code('reviewbot pr --save-results FILE')}), then pass {code('--reports reports/')}."
)


def decisions_over_time(data: ReportData) -> Html:
    title, intro = "Decisions over time", "Every decision in the triage ledger, per week (weeks start on Monday, UTC)."
    records = data.ledger.records if data.ledger is not None else []
    weeks = agg.weekly_decisions(records)
    if not weeks:
        missing = "no triage ledger was given." if data.ledger is None else "the triage ledger has no decisions yet."
        return section("over-time", title, intro, [empty(missing, NO_LEDGER_HOW)])
    order = list(VERDICT_LABEL)
    series = [Series(VERDICT_LABEL[v], VERDICT_COLOUR[v], [w.counts[v] for w in weeks]) for v in order]
    chart = stacked_bars(
        "weekly",
        [f"{w.start:%d %b}" for w in weeks],
        series,
        title="Triage decisions per week, by verdict",
        desc=f"{len(records)} decisions from the week of {weeks[0].start} to the week of {weeks[-1].start}.",
    )
    rows: list[list[Cell]] = [[f"{w.start}", *(w.counts[v] for v in order), w.total] for w in weeks]
    rows.append([Html("<strong>all weeks</strong>"), *(sum(w.counts[v] for w in weeks) for v in order), len(records)])
    caption = "Decisions per week by verdict (a re-triaged finding counts once per decision)"
    head = ["week of", *(VERDICT_LABEL[v] for v in order), "total"]
    return section("over-time", title, intro, [chart, table(caption, head, rows, numeric=range(1, 6))])


def false_positives_per_rule(data: ReportData) -> Html:
    title = "False-positive rate per rule"
    intro = "Each finding (fingerprint) counted once, by its latest verdict; rules with the most decisions first."
    tallies = agg.rules_by_volume(data.ledger) if data.ledger is not None else []
    if not tallies:
        return section("fp-rate", title, intro, [empty("no triage decisions to count.", NO_LEDGER_HOW)])
    rows: list[list[Cell]] = []
    for t in tallies:
        rate = t.false_positive_rate or 0.0
        bar = meter(rate, label=f"{rate:.0%} false positives")
        rows.append(
            [
                code(t.rule_id),
                t.findings,
                *(t.counts[v] for v in VERDICT_LABEL),
                Html(f'<span class="rate">{bar} {percent(t.counts[Verdict.FALSE_POSITIVE], t.findings)}</span>'),
                f"{t.last_decision:%Y-%m-%d}" if t.last_decision else "",
            ]
        )
    head = ["rule", "findings", *VERDICT_LABEL.values(), "false-positive rate", "last decision"]
    return section(
        "fp-rate", title, intro, [table("Latest verdict per finding, by rule", head, rows, numeric=range(1, 6))]
    )


def score_distribution(data: ReportData, threshold: float | None) -> Html:
    title = "Score distributions"
    intro = (
        "Model scores (the probability that a human acts on the finding) of reported findings and of findings "
        "demoted below the threshold, across the scan reports."
    )
    if not data.reports:
        return section("scores", title, intro, [empty("no scan reports were given.", NO_REPORTS_HOW)])
    findings = agg.all_findings(data.reports)
    hist = agg.score_histogram(findings)
    why_unscored = _unscored_table(findings)
    if not hist.scored:
        how = Html(f"scan with a model: {code('reviewbot scan --model models/NAME --format json -o FILE')}.")
        return section(
            "scores", title, intro, [empty("no finding in the scan reports has a score.", how), *why_unscored]
        )
    labels = [f"{i / agg.HIST_BINS:.1f}{DASH}{(i + 1) / agg.HIST_BINS:.1f}" for i in range(agg.HIST_BINS)]
    series = [
        Series("reported", "#b4261d", hist.reported),
        Series("demoted (below threshold)", "#9aa0a6", hist.demoted),
    ]
    if any(hist.audit):
        series.append(Series("audit samples (demoted, shown anyway)", "#d9822b", hist.audit))
    chart = grouped_bars(
        "scores",
        labels,
        series,
        title="Histogram of scores: reported vs demoted findings",
        desc=f"{sum(hist.reported)} reported, {sum(hist.demoted)} demoted and {sum(hist.audit)} audit-sample "
        f"findings in {agg.HIST_BINS} bins.",
        marker=threshold,
        marker_label=f"threshold {threshold:.2f}" if threshold is not None else "",
    )
    rows: list[list[Cell]] = [[s.name, *s.values, sum(s.values)] for s in series]
    note = (
        f"Not in the histogram: {hist.other_scored} scored finding(s) hidden for another reason "
        f"(triaged, suppressed, pre-existing, duplicate) and {hist.unscored} unscored finding(s)."
    )
    return section(
        "scores",
        title,
        intro,
        [
            chart,
            table("Findings per score bin", ["score", *labels, "all"], rows, numeric=range(1, len(labels) + 2)),
            _p(note),
            *why_unscored,
        ],
    )


def _unscored_table(findings: list[ScanFinding]) -> list[Html]:
    """Why the unscored findings have no score, as the scan recorded it."""
    reasons = agg.unscored_reasons(findings)
    if not reasons:
        return []
    rows: list[list[Cell]] = [[r or "(not recorded by the scan that wrote this report)", n] for r, n in reasons]
    return [table("Unscored findings, by reason", ["why not scored", "findings"], rows, numeric=(1,))]


def hidden_and_why(data: ReportData) -> Html:
    title = "What was hidden, and why"
    intro = (
        "Every finding keeps its disposition: nothing is dropped. These are the findings of the scan reports "
        "by disposition, and a few hidden ones of each kind with the recorded reason."
    )
    findings = agg.all_findings(data.reports)
    if not findings:
        missing = "no scan reports were given." if not data.reports else "the scan reports hold no findings."
        return section("hidden", title, intro, [empty(missing, NO_REPORTS_HOW)])
    counts = agg.disposition_counts(findings)
    total = sum(n for _, n in counts)
    rows: list[list[Cell]] = [
        [
            code(d, ""),
            n,
            percent(n, total),
            "yes" if d == Disposition.REPORTED.value else "no",
            MEANING.get(d, "a disposition this reviewbot does not know"),
        ]
        for d, n in counts
    ]
    rows.append([Html("<strong>all</strong>"), total, "100%", "", f"in {len(data.reports)} scan report(s)"])
    by_kind = table(
        "Findings by disposition", ["disposition", "findings", "share", "shown?", "meaning"], rows, numeric=(1, 2)
    )
    examples = agg.hidden_examples(findings)
    if not examples:
        return section("hidden", title, intro, [by_kind, _p("Nothing was hidden: every finding was reported.")])
    example_rows = [
        [
            code(d, ""),
            code(f.rule_id),
            code(f"{f.path}:{f.start_line}", "/"),
            f.severity,
            f.disposition_reason or "(no reason)",
        ]
        for d, _ in counts
        for f in examples.get(d, [])
    ]
    head = ["disposition", "rule", "where", "severity", "reason"]
    return section(
        "hidden",
        title,
        intro,
        [by_kind, table("Examples of hidden findings (most severe first)", head, example_rows)],
    )


def _p(text: str) -> Html:
    return join([Html('<p class="note">'), esc(text), Html("</p>")])
