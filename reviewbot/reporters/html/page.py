"""The page: one self-contained HTML file with a strict Content-Security-Policy.

The policy (`default-src 'none'`) lets the page load nothing from anywhere: no script runs, no
font, image or stylesheet is fetched. The one stylesheet is inline and allowed by its sha256 hash
(not by 'unsafe-inline', so no injected `style` could apply either); images are `data:` URIs.
The page opens with the figures a lead asks first (what was hidden, false positives, what the
team acted on and how fast, expiring suppressions, model health), then the sections, then the inputs it was built from.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date

from reviewbot import __version__
from reviewbot.finding import Disposition
from reviewbot.learn.evidence import audit_evidence
from reviewbot.reporters.html import aggregate as agg
from reviewbot.reporters.html import sections_findings as sf
from reviewbot.reporters.html import sections_model as sm
from reviewbot.reporters.html.collect import ReportData
from reviewbot.reporters.html.markup import DASH, Cell, Html, code, esc, join, percent, section, table
from reviewbot.reporters.html.model_view import number
from reviewbot.reporters.html.sections_kpi import kpi_section, kpi_tiles
from reviewbot.triage.ledger import Verdict
from reviewbot.triage.stats import ledger_stats

TITLE = "reviewbot security report"
CSS = """
:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--red:#b4261d;--amber:#9a5b13;--green:#1a7f37}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#fff}
header,main,footer{max-width:1180px;margin:0 auto;padding:0 24px}
header{padding-top:24px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:0 0 6px;padding-top:8px;border-top:2px solid var(--line)}
.meta{color:var(--muted);margin:0 0 16px}
nav ul{list-style:none;padding:0;margin:0 0 16px;display:flex;flex-wrap:wrap;gap:6px 18px}
nav a{color:#0b5cad}
.glance{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:0 0 24px}
.tile{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--bg)}
.tile .big{display:block;font-size:26px;font-weight:650;line-height:1.2}
.tile .what{display:block;font-weight:600}
.tile .sub{display:block;color:var(--muted);font-size:13px}
.tile.warn{border-color:#e3b341;background:#fff8e5}
.tile.bad{border-color:#f1aeb5;background:#fff1f0}
section{margin:0 0 32px}
.intro{color:var(--muted);margin:0 0 12px}
.note{color:var(--muted);font-size:13px}
.empty{border:1px dashed var(--line);border-radius:8px;padding:12px 14px;background:var(--bg)}
table{border-collapse:collapse;margin:8px 0 16px;width:100%;font-size:14px}
table.narrow{width:auto;min-width:420px;max-width:100%}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--bg);border-bottom:2px solid var(--line)}
tbody th{font-weight:normal}
.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:break-word}
.chart{max-width:100%;height:auto;display:block;margin:8px 0}
.chart text{font:12px system-ui,sans-serif;fill:var(--muted)}
.chart .legend{fill:var(--ink)}
.chart .grid{stroke:#e6e9ec;stroke-width:1}
.chart .marker{stroke:var(--ink);stroke-width:1.5;stroke-dasharray:5 4}
.meter{vertical-align:middle}
.meter-bg{fill:#e6e9ec}.meter-fill{fill:var(--red)}
.rate{white-space:nowrap}
.status-expired{color:var(--red);font-weight:600}
.status-unused{color:var(--amber)}
.status-expiring{color:var(--amber);font-weight:600}
.status-permanent{color:var(--muted)}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:6px 16px;margin:8px 0 16px}
.facts dt{color:var(--muted);font-size:12px}.facts dd{margin:0;overflow-wrap:anywhere}
.card-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:24px;align-items:start}
.plot img{max-width:100%;height:auto;border:1px solid var(--line)}
figure{margin:8px 0}
.drift-level,.audit-figure{font-size:17px}
.level-large{color:var(--red)}.level-moderate{color:var(--amber)}.level-stable{color:var(--green)}
.problems li{color:var(--red)}
footer{color:var(--muted);font-size:13px;padding-bottom:32px}
@media (max-width:900px){.card-grid{grid-template-columns:1fr}}
@media print{
 body{font-size:11pt}nav{display:none}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 section{break-before:auto}h2{break-after:avoid}
 thead{display:table-header-group}tr,figure,.chart,.tile{break-inside:avoid}
 .card-grid{grid-template-columns:1fr}
}
"""
SECTIONS = [
    ("kpi", "KPIs"),
    ("over-time", "Decisions over time"),
    ("fp-rate", "False positives per rule"),
    ("scores", "Score distributions"),
    ("hidden", "Hidden and why"),
    ("suppressions", "Suppressions"),
    ("model", "Model card"),
    ("drift", "Drift"),
    ("audit", "Audit"),
    ("inputs", "Inputs"),
]


def csp() -> str:
    digest = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; "
        "base-uri 'none'; form-action 'none'; object-src 'none'"
    )


def render_page(data: ReportData) -> str:
    generated = data.generated.astimezone(UTC)
    today = generated.date()
    threshold = number((data.model.card or {}).get("threshold")) if data.model is not None else None
    sections = [
        kpi_section(data),
        sf.decisions_over_time(data),
        sf.false_positives_per_rule(data),
        sf.score_distribution(data, threshold),
        sf.hidden_and_why(data),
        sm.suppressions(data, today),
        sm.model_card(data),
        sm.drift(data),
        sm.audit(data),
        _inputs(data),
    ]
    nav = join(Html(f'<li><a href="#{a}">{esc(t)}</a></li>') for a, t in SECTIONS)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp()}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(TITLE)} · {generated:%Y-%m-%d}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{esc(TITLE)}</h1>"
        f'<p class="meta">Generated {generated:%Y-%m-%d %H:%M} UTC by reviewbot {esc(__version__)} from '
        f'{esc(_inputs_line(data))} (<a href="#inputs">details</a>)</p>'
        f'<nav aria-label="Sections"><ul>{nav}</ul></nav>{_glance(data, today)}</header>'
        f"<main>{join(sections)}</main>"
        "<footer>A static page: it loads nothing from the network and runs no script.</footer>"
        "</body></html>\n"
    )


def _tile(what: str, big: str, sub: str, tone: str = "") -> Html:
    return Html(
        f'<div class="tile {tone}"><span class="what">{esc(what)}</span><span class="big">{esc(big)}</span>'
        f'<span class="sub">{esc(sub)}</span></div>'
    )


def _glance(data: ReportData, today: date) -> Html:
    tiles: list[Html] = []
    findings = agg.all_findings(data.reports)
    if findings:
        hidden = [f for f in findings if f.disposition != Disposition.REPORTED.value]
        top = agg.disposition_counts(hidden)
        biggest = max(top, key=lambda p: p[1]) if top else None
        sub = f"most: {biggest[0]} ({biggest[1]})" if biggest else "nothing hidden"
        tiles.append(_tile("Hidden by the bot", f"{len(hidden)} of {len(findings)}", sub))
    else:
        tiles.append(_tile("Hidden by the bot", "no scans", "pass --reports"))
    if data.ledger is not None and data.ledger.records:
        total = ledger_stats(data.ledger).total
        fp = total.counts[Verdict.FALSE_POSITIVE]
        tiles.append(_tile("False-positive rate", percent(fp, total.findings), f"{fp} of {total.findings} triaged"))
    else:
        tiles.append(_tile("False-positive rate", "no ledger", "pass --ledger"))
    if data.suppressions is not None and data.suppressions.entries:
        states = [agg.status_of(e, today) for e in data.suppressions.entries]
        expired, soon = states.count(agg.Status.EXPIRED), states.count(agg.Status.EXPIRING)
        tone = "bad" if expired else "warn" if soon else ""
        unused = sum(e.unused for e in data.suppressions.entries)
        sub = f"{soon} expiring in 30 days, {unused} unused, {len(states)} total"
        tiles.append(_tile("Suppressions expired", str(expired), sub, tone))
    else:
        tiles.append(_tile("Suppressions", "none", "pass --suppressions"))
    tiles += [_tile(*t) for t in kpi_tiles(data)]
    tiles.append(_drift_tile(data))
    tiles.append(_audit_tile(data))
    return Html(f'<div class="glance" role="list" aria-label="At a glance">{join(tiles)}</div>')


def _drift_tile(data: ReportData) -> Html:
    """Coloured only from the minimum sample on (`learn.evidence`); below it neutral, with "N of M needed"."""
    d = data.drift
    if not d.computed:
        return _tile("Model drift", "not computed", _model_name(data))
    if not d.evidence.enough:
        return _tile("Model drift", "too few findings", f"{d.evidence.shortfall()} · {_model_name(data)}")
    tone = "bad" if d.level == "large shift" else "warn" if d.level != "stable" else ""
    largest = d.largest
    sub = f"largest PSI {largest:.2f} · {_model_name(data)}" if largest is not None else _model_name(data)
    return _tile("Model drift", d.level.split()[0], sub, tone)


def _audit_tile(data: ReportData) -> Html:
    a = data.audit.estimate if data.audit is not None else None
    if a is None or a.share is None:
        return _tile("Demoted but real (audit)", "not computed", f"{data.audit_samples} audit sample(s) found")
    evidence = audit_evidence(a.triaged)
    if not evidence.enough:
        return _tile("Demoted but real (audit)", "too few samples", evidence.shortfall())
    return _tile("Demoted but real (audit)", f"{a.share:.0%}", f"95% interval {a.low:.0%}{DASH}{a.high:.0%}")


def _inputs_line(data: ReportData) -> str:
    parts = []
    if data.ledger is not None:
        parts.append(f"a ledger of {len(data.ledger.records)} decisions")
    if data.history_events:
        parts.append(f"an event history of {sum(data.history_events.values())} events")
    if data.reports:
        parts.append(f"{len(data.reports)} scan report(s)")
    if data.model is not None:
        parts.append(_model_name(data))
    if data.suppressions is not None:
        parts.append(f"{len(data.suppressions.entries)} suppression(s)")
    return ", ".join(parts) if parts else "no inputs"


def _model_name(data: ReportData) -> str:
    if data.model is None:
        return "no model given"
    name = (data.model.card or {}).get("name")
    return f"model {name if isinstance(name, str) and name else data.model.path.name}"


def _inputs(data: ReportData) -> Html:
    s = data.sources
    rows: list[list[Cell]] = []
    if s.ledger is not None and data.ledger is not None:
        rows.append(["triage ledger", code(s.ledger), f"{len(data.ledger.records)} record(s)"])
    rows += [["event history", code(path), f"{n} event(s)"] for path, n in data.history_events.items()]
    rows += [["scan report", code(r.source), f"{len(r.findings)} finding(s); {r.change}"] for r in data.reports]
    if s.model is not None:
        has_card = data.model is not None and data.model.card is not None
        rows.append(["model folder", code(s.model), "card.json read" if has_card else "no card.json"])
    if s.suppressions is not None and data.suppressions is not None:
        read = data.suppressions
        rows.append(["suppressions", code(s.suppressions), read.error or f"{len(read.entries)} entries"])
    if s.suppression_usage is not None:
        rows.append(["suppression usage", code(s.suppression_usage), "usage counts of the suppressions"])
    if s.audit_log is not None:
        rows.append(["audit log", code(s.audit_log), "audit samples shown in earlier scans"])
    body = [table("Files this report was built from", ["input", "path", "contents"], rows)] if rows else []
    if not rows:
        body.append(Html('<p class="empty">No inputs were given: every section above is empty.</p>'))
    if data.problems:
        items = "".join(f"<li>{esc(p)}</li>" for p in data.problems[:50])
        more = f"<li>… and {len(data.problems) - 50} more</li>" if len(data.problems) > 50 else ""
        body.append(Html(f'<h3>Problems reading the inputs</h3><ul class="problems">{items}{more}</ul>'))
    return section(
        "inputs", "Inputs", "What this page was built from, and anything in it that could not be used.", body
    )
