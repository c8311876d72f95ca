"""`reviewbot kpi` output: the KPIs (`triage.kpi.Kpis`) as text for a terminal or as JSON.

Rates are never printed bare: every share is written as `part of whole (rate, 95% interval
low-high)`, and in JSON as `{"part", "whole", "rate", "low", "high"}`. Rule ids come from rule
files and the history file, so text output escapes control and bidi characters.
"""

from __future__ import annotations

import json
from typing import Any

from reviewbot._text import escape_control
from reviewbot.triage.kpi import Durations, Figures, Kpis

KPI_JSON_SCHEMA = 1


def duration_words(seconds: float | None) -> str:
    """A duration a person reads: minutes under two hours, hours under two days, else days."""
    if seconds is None:
        return "\u2013"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def _durations_words(d: Durations) -> str:
    if not d.count:
        return "none yet"
    return f"mean {duration_words(d.mean)}, median {duration_words(d.median)} (n={d.count})"


def _figures_lines(f: Figures, indent: str) -> list[str]:
    rows = [
        ("reported", str(f.reported)),
        ("acceptance (fixed or tp)", f.accepted.words()),
        ("fixed", f.fixed.words()),
        ("false positives / triaged", f.false_positive.words()),
        ("time to fix", _durations_words(f.time_to_fix)),
        ("time to triage", _durations_words(f.time_to_triage)),
        ("demoted but real (audit)", f.demoted_real.words()),
    ]
    return [f"{indent}{label:<26}{value}" for label, value in rows]


def render_kpi_text(k: Kpis) -> str:
    since = f"{k.since:%Y-%m-%d %H:%M} UTC" if k.since else "the first event"
    head = f"reviewbot KPIs: findings first reported from {since} to {k.until:%Y-%m-%d %H:%M} UTC"
    lines = [head + (f", rule {escape_control(k.rule)}" if k.rule else ""), "", "overall"]
    lines += _figures_lines(k.overall, "  ")
    per_pr = f"{k.comments_per_pr:.2f}" if k.comments_per_pr is not None else "\u2013"
    lines.append(f"  {'comments per PR':<26}{per_pr} ({k.comments} inline comments on {k.prs} PRs reviewed)")
    for title, groups in (("per severity", k.severities), ("per rule", k.rules)):
        if groups:
            lines += ["", title]
            for name, f in groups.items():
                lines += [f"  {escape_control(name)}", *_figures_lines(f, "    ")]
    if k.weeks:
        lines += ["", "per week of first report (reported, acceptance, false positives)"]
        for week, f in k.weeks:
            lines.append(f"  {week:%Y-%m-%d}  {f.reported:>5}  {f.accepted.words()}  fp {f.false_positive.words()}")
    notes = notes_of(k)
    if notes:
        lines += ["", *(f"note: {n}" for n in notes)]
    if not k.overall.reported:
        lines += ["", "no findings reported in this window: run `reviewbot pr` or `reviewbot scan` with --history FILE"]
    return "\n".join(lines) + "\n"


def notes_of(k: Kpis) -> list[str]:
    out = []
    if k.skewed:
        out.append(f"{k.skewed} fix or verdict time(s) dated before the report (clock skew): counted as zero")
    if k.later:
        out.append(f"{k.later} event(s) dated after {k.until:%Y-%m-%d %H:%M} UTC were not counted")
    if k.orphans:
        out.append(f"{k.orphans} event(s) about findings the history never saw reported were not counted")
    return out


def _durations_json(d: Durations) -> dict[str, Any]:
    return {"count": d.count, "mean_seconds": d.mean, "median_seconds": d.median}


def figures_json(f: Figures) -> dict[str, Any]:
    return {
        "reported": f.reported,
        "acceptance": f.accepted.as_json(),
        "fixed": f.fixed.as_json(),
        "false_positive": f.false_positive.as_json(),
        "time_to_fix": _durations_json(f.time_to_fix),
        "time_to_triage": _durations_json(f.time_to_triage),
        "demoted_real": f.demoted_real.as_json(),
    }


def render_kpi_json(k: Kpis, problems: list[dict[str, Any]]) -> str:
    doc = {
        "schema_version": KPI_JSON_SCHEMA,
        "since": k.since.isoformat() if k.since else None,
        "until": k.until.isoformat(),
        "rule": k.rule,
        "overall": figures_json(k.overall),
        "comments": {"comments": k.comments, "prs": k.prs, "per_pr": k.comments_per_pr},
        "severities": {name: figures_json(f) for name, f in k.severities.items()},
        "rules": {name: figures_json(f) for name, f in k.rules.items()},
        "weeks": [{"week": w.isoformat(), **figures_json(f)} for w, f in k.weeks],
        "skewed": k.skewed,
        "later": k.later,
        "orphans": k.orphans,
        "problems": problems,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
