"""The report's sections about governance and the model: suppressions by owner and expiry, the
model card with its plot, drift, and the hidden-findings audit estimate. Numbers appear only when
an input holds them; otherwise the section says "not computed" and how to compute it.
"""

from __future__ import annotations

import base64
from datetime import date

from reviewbot.reporters.html import aggregate as agg
from reviewbot.reporters.html.collect import ReportData
from reviewbot.reporters.html.markup import DASH, Cell, Html, code, empty, esc, join, section, table
from reviewbot.reporters.html.model_view import PSI_LARGE, PSI_MODERATE, card_summary, metric_text, reading

STATUS_LABEL = {
    agg.Status.EXPIRED: "expired",
    agg.Status.EXPIRING: f"expiring within {agg.EXPIRING_DAYS} days",
    agg.Status.ACTIVE: "active",
    agg.Status.PERMANENT: "permanent",
}
NO_MODEL_HOW = Html(
    f"train one with {code('reviewbot train --out models/NAME')} and pass {code('--model models/NAME')}."
)


def suppressions(data: ReportData, today: date) -> Html:
    title = "Suppressions by owner and expiry"
    intro = (
        f"Entries of the suppressions file. Expired entries no longer hide anything and should be renewed "
        f"or removed; expiring means within {agg.EXPIRING_DAYS} days of {today}. Unused entries matched nothing "
        f"in the last {data.sources.unused_after} reviews that could have used them."
    )
    read = data.suppressions
    if read is None or read.error or not read.entries:
        missing = (
            "no suppressions file was given."
            if read is None
            else f"the suppressions file cannot be used (the scan refuses it too): {read.error}"
            if read.error
            else "the suppressions file has no entries."
        )
        how = Html(
            f"add entries with {code('reviewbot suppress add')} (each with a reason, an owner and an expiry date) "
            f"in {code('.reviewbot/suppressions.yml')}, or pass {code('--suppressions FILE')}."
        )
        return section("suppressions", title, intro, [empty(missing, how)])
    order = list(agg.Status)
    owners = agg.suppressions_by_owner(read.entries, today)
    owner_rows: list[list[Cell]] = [[r.owner, *(r.counts[s] for s in order), r.total, r.unused] for r in owners]
    head = ["owner", *(STATUS_LABEL[s] for s in order), "total", "of which unused"]
    by_owner = table("Suppressions per owner", head, owner_rows, numeric=range(1, len(head)))
    entry_rows: list[list[Cell]] = [
        [
            code(e.id, "-"),
            Html(
                f'<span class="status-{s.name.lower()}">{esc(STATUS_LABEL[s])}</span>'
                + (' <span class="status-unused">(unused)</span>' if e.unused else "")
            ),
            "permanent" if e.permanent else f"{e.expires}" if e.expires else DASH,
            f"{e.last_matched}" if e.last_matched else DASH,
            e.owner,
            e.scope,
            e.reason,
        ]
        for e, s in agg.suppressions_by_urgency(read.entries, today)
    ]
    head = ["id", "status", "expires", "last matched", "owner", "scope", "reason"]
    return section("suppressions", title, intro, [by_owner, table("Entries, most urgent first", head, entry_rows)])


def model_card(data: ReportData) -> Html:
    title = "Model card"
    intro = "The scoring model: how it was trained, how it does on held-out decisions, and against what baselines."
    if data.model is None or data.model.card is None:
        missing = (
            "no model folder was given." if data.model is None else f"{data.model.path} has no readable card.json."
        )
        return section("model", title, intro, [empty(missing, NO_MODEL_HOW)])
    card = card_summary(data.model.card, data.model.path.name)
    parts: list[Html] = [
        Html(
            f'<p class="card-name"><strong>{esc(card.name or "(unnamed model)")}</strong>'
            + (f" · created {esc(card.created)}" if card.created else "")
            + "</p>"
        )
    ]
    facts = join(Html(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>") for k, v in card.facts)
    body: list[Html] = [Html(f'<dl class="facts">{facts}</dl>')] if card.facts else [_p("The card lists no facts.")]
    if card.metrics:
        sides = list(card.metrics)
        names = sorted({m for side in card.metrics.values() for m in side})
        metric_rows: list[list[Cell]] = [
            [code(m), *(metric_text(m, card.metrics[s].get(m)) for s in sides)] for m in names
        ]
        body.append(table("Held-out metrics", ["metric", *sides], metric_rows, numeric=range(1, len(sides) + 1)))
    else:
        body.append(_p("The card has no metrics."))
    if card.baselines:
        names = sorted({m for b in card.baselines.values() for m in b})
        test = card.metrics.get("test", {})
        base_rows: list[list[Cell]] = [[Html("<strong>model</strong>"), *(metric_text(m, test.get(m)) for m in names)]]
        base_rows += [[b, *(metric_text(m, vals.get(m)) for m in names)] for b, vals in card.baselines.items()]
        body.append(
            table("Model vs baselines on the test rows", ["", *names], base_rows, numeric=range(1, len(names) + 1))
        )
    else:
        body.append(_p("The card has no baselines: nothing shows the model beats keep-all or severity-only."))
    if card.libraries:
        lib_rows: list[list[Cell]] = [[code(k), code(v)] for k, v in sorted(card.libraries.items())]
        body.append(table("Library versions", ["library", "version"], lib_rows))
    if card.notes:
        body.append(Html("<ul class='notes'>" + "".join(f"<li>{esc(n)}</li>" for n in card.notes) + "</ul>"))
    parts.append(Html(f'<div class="card-grid"><div>{join(body)}</div>{_plot(data)}</div>'))
    return section("model", title, intro, parts)


def _plot(data: ReportData) -> Html:
    model = data.model
    if model is None or model.plot is None:
        return Html(
            f'<div class="plot">{_p("No evaluation plot in the model folder (reviewbot eval writes eval.png).")}</div>'
        )
    uri = "data:image/png;base64," + base64.b64encode(model.plot).decode("ascii")
    alt = f"Evaluation plot of {model.path.name}: precision-recall curves against the baselines, and calibration"
    return Html(
        f'<figure class="plot"><img src="{uri}" alt="{esc(alt)}">'
        f"<figcaption>{esc(model.plot_name)} from the model folder</figcaption></figure>"
    )


def drift(data: ReportData) -> Html:
    title = "Drift"
    intro = (
        f"Population stability index (PSI) of recent findings against the model's training data: under "
        f"{PSI_MODERATE} stable, {PSI_MODERATE}{DASH}{PSI_LARGE} a moderate shift, above {PSI_LARGE} a large one."
    )
    d = data.drift
    if not d.computed:
        how = Html(
            f"run {code('reviewbot drift --model models/NAME --json > models/NAME/drift.json')}, "
            f"or give {code('--model')} a folder with model.txt and {code('--ledger')}."
        )
        return section("drift", title, intro, [empty(f"not computed: {d.why_not}.", how)])
    if not d.evidence.enough:
        # Under the minimum sample a PSI reads noise as drift: no level, no table of PSIs.
        parts = [
            Html(f'<p class="drift-level"><strong>{esc(d.evidence.shortfall())}</strong>.</p>'),
            _p(
                f"PSI values are not shown: over fewer than {d.evidence.need} findings they measure the "
                "sample's noise, not a shift. Compare again after more decisions."
            ),
        ]
        if d.reasons:
            parts.append(Html("<ul class='notes'>" + "".join(f"<li>{esc(r)}</li>" for r in d.reasons) + "</ul>"))
        parts.append(_p(f"Source: {d.source}"))
        return section("drift", title, intro, parts)
    head = Html(f'<p class="drift-level level-{esc(d.level.split()[0])}"><strong>{esc(d.level)}</strong>')
    if d.rows is not None:
        head = Html(f"{head} over {d.rows} recent finding(s)")
    advice = {
        "stable": "No action needed.",
        "moderate": "Watch it: compare again after the next batch of decisions.",
        "large": "Retrain on recent decisions (reviewbot train) and compare the new card with this one.",
    }[d.level.split()[0]]
    parts = [Html(f"{head}. {esc(advice)}</p>")]
    pairs = ([("the score", d.score_psi)] if d.score_psi is not None else []) + d.worst[:10]
    rows: list[list[Cell]] = [
        [n if n == "the score" else code(n), _num(v), reading(v)] for n, v in pairs if v is not None
    ]
    caption = "PSI of the score, then of the features that moved most"
    parts.append(table(caption, ["distribution", "PSI", "reading"], rows, numeric=(1,)))
    if d.reasons:
        parts.append(Html("<ul class='notes'>" + "".join(f"<li>{esc(r)}</li>" for r in d.reasons) + "</ul>"))
    parts.append(_p(f"Source: {d.source}"))
    return section("drift", title, intro, parts)


def audit(data: ReportData) -> Html:
    title = "Hidden-findings audit"
    intro = (
        "How many of the findings the model demoted are real. The scan shows a small fixed sample of demoted "
        "findings anyway (audit samples, drawn independently of the score); the share of triaged samples "
        "that are real estimates the share among all demoted findings, with a Wilson 95% interval."
    )
    view = data.audit
    if view is None:
        return section("audit", title, intro, [empty(f"not computed: {data.audit_why_not}.", _audit_how(data))])
    a = view.estimate
    share = a.share if a.share is not None else 0.0
    parts = [
        Html(
            f'<p class="audit-figure"><strong>{share:.1%}</strong> of demoted findings are real '
            f"(95% interval {a.low:.1%} {DASH} {a.high:.1%}), from {a.real} real of {a.triaged} triaged "
            f"audit samples.</p>"
        )
    ]
    expected = a.hidden_real(view.demoted)
    if expected is not None and view.demoted:
        mid, low, high = expected
        parts.append(
            _p(
                f"Among the {view.demoted} findings demoted in these scan reports, that is about {mid:.1f} real "
                f"ones ({low:.1f} {DASH} {high:.1f})."
            )
        )
    coverage = a.coverage or 0.0
    rows: list[list[Cell]] = [
        ["audit samples shown", a.samples],
        ["of which triaged", f"{a.triaged} ({coverage:.0%})"],
        ["triaged and real", a.real],
    ]
    parts.append(table("Audit samples", ["", "count"], rows, numeric=(1,)))
    if coverage < 0.8:
        parts.append(_p("Under 80% of the samples are triaged: the estimate may reflect which ones were triaged."))
    if a.by_rule:
        rule_rows: list[list[Cell]] = [[code(r), n, k] for r, (k, n) in a.by_rule.items()]
        parts.append(table("Triaged audit samples per rule", ["rule", "triaged", "real"], rule_rows, numeric=(1, 2)))
    return section("audit", title, intro, parts)


def _audit_how(data: ReportData) -> Html:
    """The next step toward an audit estimate, from what is actually missing: a setting is suggested
    only when the repository's config does not already have it."""
    triage = Html(f"triage the samples ({code('reviewbot triage mark FINGERPRINT --verdict …')})")
    if data.audit_samples and data.ledger is None:
        return Html(f"pass the triage ledger ({code('--ledger .reviewbot/triage.jsonl')}) and {triage}.")
    if data.audit_samples:
        return Html(f"{triage}; the estimate appears with the first verdict.")
    rate = data.sources.audit_sample_rate
    setting, config = code("audit.sample_rate"), code(".reviewbot/config.yml")
    if rate is None:
        return Html(
            f"make {config} readable and check {setting} in it (above 0 shows demoted findings as samples); {triage}."
        )
    if rate <= 0:
        return Html(f"set {setting} above 0 in {config} (it is 0: scans show no samples), then {triage}.")
    return Html(
        f"{setting} is already {rate:g}, so scans with a model show about one demoted finding in "
        f"{round(1 / rate)} as a sample: pass the scan reports of such scans ({code('--reports')}), then {triage}."
    )


def _num(value: float | None) -> Html:
    return Html("—") if value is None else Html(f"{value:.3f}")


def _p(text: str) -> Html:
    return Html(f'<p class="note">{esc(text)}</p>')
