"""The event history and the KPIs without GitHub: reading bad files, what a review appends, the
figures on hand-made timelines (clock skew, merges, windows, audit samples), `reviewbot kpi`'s
errors, and the report's KPI section in headless chromium.

The PR path's end-to-end story is tests/github/test_kpi_scenario.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reviewbot.cli.main import main
from reviewbot.errors import EXIT_OK, EXIT_USAGE
from reviewbot.finding import Confidence, Disposition, Finding, Scanner, Severity
from reviewbot.github.history import fix_rate_lines
from reviewbot.reporters.html import Sources, collect, render_page
from reviewbot.triage.events import (
    EventKind,
    EventSource,
    HistoryEvent,
    append_events,
    fold,
    format_event,
    parse_history,
)
from reviewbot.triage.interval import Proportion
from reviewbot.triage.kpi import compute_kpis, rule_fix_rates
from reviewbot.triage.ledger import Source, TriageRecord, Verdict
from reviewbot.triage.tracking import Review, review_events
from tests.conftest import Repo
from tests.github.conftest import RULES
from tests.test_report_html import Tables, chromium, run_chromium

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)  # a Monday
RULE = "python.tls.requests-verify-disabled"
D = "\u2013"  # the en dash of a range


def fp(i: int) -> str:
    return f"{i:032x}"


def ev(kind: EventKind, i: int, when: datetime, **extra: object) -> HistoryEvent:
    fields: dict[str, object] = {"event": kind, "when": when, "source": EventSource.PR, "pr": 7}
    if kind is not EventKind.REVIEWED:
        fields |= {"fingerprint": fp(i), "rule_id": extra.pop("rule_id", RULE), "path": "app.py"}
    return HistoryEvent.model_validate(fields | extra)


def line(kind: EventKind, i: int, when: datetime, **extra: object) -> str:
    return format_event(ev(kind, i, when, **extra))


def finding(i: int, disposition: Disposition = Disposition.REPORTED, path: str = "app.py") -> Finding:
    return Finding(
        rule_id=RULE,
        scanner=Scanner.SEMGREP,
        path=path,
        start_line=1,
        start_col=1,
        end_line=1,
        end_col=2,
        message="m",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        category="tls",
        fingerprint=fp(i),
        disposition=disposition,
    )


# -- reading -------------------------------------------------------------------------------------


def test_garbage_lines_are_reported_by_number_and_the_rest_is_read() -> None:
    good = line(EventKind.REPORTED, 1, T0, severity="high")
    newer = json.dumps({**json.loads(good), "schema_version": 2, "event": "escalated"})
    data = (
        "\n".join(
            [
                good,
                "not json at all",
                "[1, 2]",
                newer,
                json.dumps({**json.loads(good), "when": "2026-02-02T09:00:00"}),  # no timezone
                json.dumps({**json.loads(good), "score": 7.5}),
                json.dumps({**json.loads(good), "colour": "red"}),
                "<<<<<<< HEAD",
                "",
                line(EventKind.FIXED, 1, T0 + timedelta(hours=5)),
            ]
        ).encode()
        + b"\n\xff\xfe{}\n"
    )
    read = parse_history(data)
    assert [e.event for e in read.events] == [EventKind.REPORTED, EventKind.FIXED]
    problems = dict(read.problems)
    assert sorted(problems) == [2, 3, 4, 5, 6, 7, 8, 11]
    assert problems[2].startswith("not JSON")
    assert problems[3] == "not a JSON object (a list)"
    assert "schema_version 2 is newer than this reviewbot reads (1)" in problems[4]
    assert "no timezone" in problems[5]
    assert problems[6].startswith("score:")
    assert "not a field of a schema-1 event" in problems[7]
    assert "merge conflict marker" in problems[8]
    assert problems[11].startswith("not UTF-8")


def test_a_line_from_a_newer_reviewbot_is_skipped_in_the_cli_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = tmp_path / "history.jsonl"
    newer = json.dumps({"schema_version": 2, "event": "reported", "when": "2026-02-02T09:00:00Z"})
    history.write_text(line(EventKind.REPORTED, 1, T0) + "\n" + newer + "\n")
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text("")
    assert main(["kpi", "--history", str(history), "--ledger", str(ledger), "--format", "json"]) == EXIT_OK
    out, err = capsys.readouterr()
    assert f"{history}:2: schema_version 2 is newer" in err
    doc = json.loads(out)
    assert doc["overall"]["reported"] == 1 and doc["problems"][0]["line"] == 2


def test_appending_keeps_existing_bytes_and_repairs_a_missing_newline(tmp_path: Path) -> None:
    history = tmp_path / "h" / "history.jsonl"
    append_events(history, [ev(EventKind.REPORTED, 1, T0)])
    before = history.read_bytes()
    history.write_bytes(before.rstrip(b"\n"))  # a hand edit dropped the last newline
    append_events(history, [ev(EventKind.FIXED, 1, T0 + timedelta(days=1))])
    assert history.read_bytes().startswith(before)
    assert [e.event for e in parse_history(history.read_bytes()).events] == [EventKind.REPORTED, EventKind.FIXED]


# -- what a review appends -----------------------------------------------------------------------


def test_a_review_reports_once_fixes_what_it_looked_at_and_records_suppressions() -> None:
    review = Review(EventSource.SCAN, T0, "abc", None, looked_at=lambda path: path == "app.py")
    first = review_events({}, [finding(1), finding(2), finding(3, path="other.py")], review)
    assert [(e.event, e.fingerprint) for e in first] == [
        (EventKind.REPORTED, fp(1)),
        (EventKind.REPORTED, fp(2)),
        (EventKind.REPORTED, fp(3)),
        (EventKind.REVIEWED, None),
    ]
    later = Review(EventSource.SCAN, T0 + timedelta(days=1), "def", None, looked_at=lambda path: path == "app.py")
    timelines = fold(first).timelines
    # 1 is still there (not reported again), 2 is gone from a file the scan looked at (fixed),
    # 3 is gone from a file it did not look at (unknown: not fixed), 4 is new but suppressed.
    second = review_events(timelines, [finding(1), finding(4, Disposition.SUPPRESSED_INLINE)], later)
    assert [(e.event, e.fingerprint) for e in second] == [(EventKind.FIXED, fp(2)), (EventKind.REVIEWED, None)]
    third = review_events(fold([*first, *second]).timelines, [finding(1, Disposition.SUPPRESSED_FILE)], later)
    assert [(e.event, e.fingerprint) for e in third] == [(EventKind.SUPPRESSED, fp(1)), (EventKind.REVIEWED, None)]
    # Once suppressed or fixed, a finding is closed: nothing more is appended for it.
    fourth = review_events(fold([*first, *second, *third]).timelines, [], later)
    assert [e.event for e in fourth] == [EventKind.REVIEWED]


def test_thread_verdicts_are_recorded_once_and_only_for_findings_the_history_knows() -> None:
    pr = Review(EventSource.PR, T0, "abc", 7, looked_at=lambda path: True)
    given = T0 + timedelta(hours=1)
    verdicts = [(fp(1), RULE, Verdict.FALSE_POSITIVE, given), (fp(5), RULE, Verdict.FALSE_POSITIVE, given)]
    first = review_events({}, [finding(1)], pr, commented=[fp(1)], verdicts=verdicts)
    assert [(e.event, e.fingerprint, e.when) for e in first[:-1]] == [
        (EventKind.REPORTED, fp(1), T0),
        (EventKind.COMMENTED, fp(1), T0),
        (EventKind.VERDICT, fp(1), given),  # the comment's time, not the run's
    ]
    again = review_events(fold(first).timelines, [finding(1)], pr, commented=[fp(1)], verdicts=verdicts)
    assert [e.event for e in again] == [EventKind.REVIEWED]


def test_scan_history_records_a_fix_between_two_scans(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`reviewbot scan --all --history` with the real semgrep: reported once, fixed when its code goes."""
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    code = 'import requests\n\n\ndef fetch():\n    return requests.get("https://x", verify=False)\n'
    repo.write("app.py", code)
    repo.commit("base")
    history = tmp_path / "kept" / "history.jsonl"
    scan = ["scan", "--repo", str(repo.root), "--rules", str(RULES), "--no-model", "--history", str(history)]
    assert main([*scan, "--all"]) == EXIT_OK
    assert main([*scan, "--all"]) == EXIT_OK  # the same finding: nothing new but the run
    repo.write("app.py", code.replace(", verify=False", ""))
    assert main([*scan, "--all"]) == EXIT_OK
    capsys.readouterr()
    events = parse_history(history.read_bytes()).events
    assert [(e.event.value, e.rule_id) for e in events] == [
        ("reported", "test.tls.verify-disabled"),
        ("reviewed", None),
        ("reviewed", None),
        ("fixed", "test.tls.verify-disabled"),
        ("reviewed", None),
    ]
    assert all(e.source is EventSource.SCAN and e.pr is None for e in events)


def test_the_summary_line_escapes_the_rule_id_and_needs_ten_findings() -> None:
    hostile = "r`<img src=x>`\n@everyone"
    events = [ev(EventKind.REPORTED, i, T0, pr=3, rule_id=hostile) for i in range(10)]
    events += [ev(EventKind.FIXED, i, T0, pr=3, rule_id=hostile) for i in range(7)]
    shown = [finding(99).model_copy(update={"rule_id": hostile})]
    (text,) = fix_rate_lines(events, shown, pr=7)
    assert text == "In this repo, findings of `` r`<img src=x>` @everyone `` were fixed 7 of 10 times."
    assert fix_rate_lines(events[1:], shown, pr=7) == []  # nine earlier findings: no line
    assert fix_rate_lines(events, shown, pr=3) == []  # the PR's own findings are not its record


# -- the figures ---------------------------------------------------------------------------------


def record(i: int, verdict: Verdict, when: datetime) -> TriageRecord:
    return TriageRecord(
        fingerprint=fp(i), rule_id=RULE, verdict=verdict, reason="r", who="lead", when=when, source=Source.CLI
    )


def test_clock_skew_counts_as_zero_time_and_is_counted() -> None:
    events = [
        ev(EventKind.REPORTED, 1, T0),
        ev(EventKind.FIXED, 1, T0 - timedelta(minutes=3)),  # another runner's clock is behind
        ev(EventKind.REPORTED, 2, T0),
        ev(EventKind.FIXED, 2, T0 + timedelta(hours=4)),
    ]
    k = compute_kpis(events, [record(1, Verdict.TRUE_POSITIVE, T0 - timedelta(hours=1))], until=T0 + timedelta(days=1))
    assert k.skewed == 2  # the early fix and the verdict dated before the report
    assert k.overall.time_to_fix.seconds == (0.0, 4 * 3600.0)
    assert k.overall.time_to_triage.seconds == (0.0,)
    assert k.overall.fixed == Proportion(2, 2)


def test_merged_histories_count_each_fact_once_and_the_earliest_report_wins() -> None:
    a = [ev(EventKind.REPORTED, 1, T0 + timedelta(hours=2)), ev(EventKind.FIXED, 1, T0 + timedelta(hours=6))]
    b = [ev(EventKind.REPORTED, 1, T0), ev(EventKind.COMMENTED, 1, T0), ev(EventKind.REVIEWED, 0, T0)]
    union = [*b, *a, *a, *b]  # git's union merge, then the same lines once more
    k = compute_kpis(union, [], until=T0 + timedelta(days=1))
    assert k.overall.reported == 1 and k.overall.time_to_fix.seconds == (6 * 3600.0,)
    assert (k.comments, k.prs) == (1, 1)


def test_windows_per_rule_severity_and_week_and_the_audit_share() -> None:
    week2 = T0 + timedelta(days=7)
    events = [
        ev(EventKind.REPORTED, 1, T0, severity="high"),
        ev(EventKind.REPORTED, 2, T0, severity="low", rule_id="r.other"),
        ev(EventKind.REPORTED, 3, week2, severity="high", audit=True),
        ev(EventKind.REPORTED, 4, week2 + timedelta(days=7), severity="high", audit=True),
        ev(EventKind.FIXED, 1, T0 + timedelta(hours=1)),
        ev(EventKind.VERDICT, 2, T0 + timedelta(hours=2), verdict="false_positive", rule_id="r.other"),
        ev(EventKind.REPORTED, 9, week2 + timedelta(days=30)),  # after `until`
    ]
    ledger = [record(3, Verdict.WONT_FIX, week2), record(4, Verdict.FALSE_POSITIVE, week2 + timedelta(days=8))]
    until = week2 + timedelta(days=10)
    k = compute_kpis(events, ledger, until=until)
    assert k.overall.reported == 4 and k.later == 1
    assert k.overall.accepted == Proportion(1, 4)  # wont_fix is real, but not acted on
    assert k.overall.false_positive == Proportion(2, 3)
    assert k.overall.demoted_real == Proportion(1, 2)  # the wont_fix audit sample is real
    assert list(k.rules) == [RULE, "r.other"] and k.rules["r.other"].false_positive == Proportion(1, 1)
    assert {s: f.reported for s, f in k.severities.items()} == {"high": 3, "low": 1}
    assert [(w.isoformat(), f.reported) for w, f in k.weeks] == [
        ("2026-02-02", 2),
        ("2026-02-09", 1),
        ("2026-02-16", 1),
    ]
    since = compute_kpis(events, ledger, until=until, since=week2)
    assert since.overall.reported == 2 and since.overall.demoted_real == Proportion(1, 2)
    assert compute_kpis(events, ledger, until=until, rule="r.other").overall.reported == 1


def test_fix_rates_for_the_summary_leave_the_pr_itself_out() -> None:
    events = [ev(EventKind.REPORTED, i, T0, pr=3) for i in range(4)] + [ev(EventKind.FIXED, 0, T0, pr=3)]
    events += [ev(EventKind.REPORTED, 9, T0, pr=7)]
    assert rule_fix_rates(events, until=T0, exclude_pr=7) == {RULE: Proportion(1, 4)}


def test_proportions_are_never_bare() -> None:
    assert Proportion(8, 10).words() == "8 of 10 (80%, 95% interval 49%\u201394%)"
    assert Proportion(0, 0).words() == "0 of 0" and Proportion(0, 0).rate is None


# -- the command ---------------------------------------------------------------------------------


def test_cli_errors_are_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kpi", "--history", str(tmp_path / "missing.jsonl")]) == EXIT_USAGE
    assert "missing.jsonl: no such file" in capsys.readouterr().err
    history = tmp_path / "h.jsonl"
    history.write_text(line(EventKind.REPORTED, 1, T0) + "\n")
    assert main(["kpi", "--history", str(history), "--since", "last tuesday"]) == EXIT_USAGE
    assert "--since 'last tuesday': not a date" in capsys.readouterr().err
    assert main(["kpi", "--history", str(history), "--since", "2026-02-03T00:00"]) == EXIT_USAGE
    assert "give a timezone" in capsys.readouterr().err
    assert main(["kpi", "--history", str(history), "--since", "2026-03-01", "--until", "2026-02-01"]) == EXIT_USAGE
    assert "is after --until" in capsys.readouterr().err
    ledger = tmp_path / "l.jsonl"
    ledger.write_text("")
    assert main(["kpi", "--history", str(history), "--ledger", str(ledger), "--rule", RULE + "x"]) == EXIT_OK
    assert f"did you mean `{RULE}`" in capsys.readouterr().err
    assert main(["kpi", "--help"]) == 0
    assert "docs/kpi.md" in capsys.readouterr().out


# -- the report ----------------------------------------------------------------------------------

XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def report_history(tmp_path: Path) -> Path:
    """Twelve findings over three weeks: eight fixed, two dismissed; one rule id is hostile."""
    lines = []
    for i in range(12):
        at = T0 + timedelta(days=7 * (i % 3), hours=i)
        rule = RULE if i else "python." + XSS
        lines.append(line(EventKind.REPORTED, i, at, severity="high" if i % 2 else "medium", rule_id=rule))
        if i < 8:
            lines.append(line(EventKind.FIXED, i, at + timedelta(hours=10), rule_id=rule))
        elif i < 10:
            lines.append(line(EventKind.VERDICT, i, at + timedelta(hours=2), verdict="false_positive", rule_id=rule))
    lines.append(line(EventKind.REVIEWED, 0, T0))
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(lines) + "\nnot json\n")
    return path


def test_report_kpi_section_in_headless_chromium(tmp_path: Path) -> None:
    browser = chromium()
    at = T0 + timedelta(days=30)
    data = collect(Sources(history=[report_history(tmp_path)]), at)
    page = tmp_path / "report.html"
    page.write_text(render_page(data), encoding="utf-8")
    assert XSS not in page.read_text()
    dom = run_chromium(browser, tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Content Security Policy" not in dom.stderr
    parsed = Tables()
    parsed.feed(dom.stdout)
    (overall,) = parsed.tables["All findings in the window"]
    acted = f"8 of 12 · 67% (39%{D}86%)"
    assert overall[:5] == ["all", "12", acted, acted, f"2 of 2 · 100% (34%{D}100%)"]
    assert overall[5] == "10.0 h"
    weeks = parsed.tables["KPIs per week of first report"]
    assert [w[:2] for w in weeks] == [["2026-02-02", "4"], ["2026-02-09", "4"], ["2026-02-16", "4"]]
    assert [r[1] for r in parsed.tables["KPIs per rule"]] == ["11", "1"]
    assert "python.<script>" in parsed.tables["KPIs per rule"][1][0]  # shown as text, not run
    assert parsed.charts == 1  # the trend (the other sections are empty without their inputs)
    assert "Acted on (fixed or tp)" in dom.stdout and "67%" in dom.stdout
    assert any("history.jsonl:24: not JSON" in p for p in data.problems)
    (inputs,) = parsed.tables["Files this report was built from"]
    assert inputs[0] == "event history" and inputs[2] == "23 event(s)"


def test_a_small_history_shows_no_headline_percentage(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    history.write_text(
        line(EventKind.REPORTED, 1, T0) + "\n" + line(EventKind.FIXED, 1, T0 + timedelta(hours=1)) + "\n"
    )
    page = render_page(collect(Sources(history=[history]), T0 + timedelta(days=1)))
    assert "too few findings" in page and "1 of 1 (10 needed)" in page
    assert f"1 of 1 · 100% (21%{D}100%)" in page  # the table still shows the count and the interval
