"""`reviewbot report`: the numbers (pure aggregation), the page (escaping, CSP, empty states), the
CLI, and the real page in Debian's headless chromium (DOM dump and screenshot).

Fixtures in tests/data/report/: a 60-record ledger over nine weeks and six rules, three scan
reports with every disposition (and audit samples the ledger has triaged), a suppressions file
with its usage counts, and a model folder (card.json, eval.png, drift.json). The page is built at
a fixed time so expiry states are stable.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reviewbot.cli.main import main
from reviewbot.errors import EXIT_OK, EXIT_USAGE
from reviewbot.reporters.html import Sources, collect, render_page
from reviewbot.reporters.html import aggregate as agg
from reviewbot.reporters.html.inputs import ScanFinding, read_scan_report
from reviewbot.reporters.html.model_view import card_summary, drift_from_mapping
from reviewbot.reporters.html.page import csp
from reviewbot.reporters.html.suppression_view import Suppression, read_entries
from reviewbot.reporters.html.svg import axis
from reviewbot.triage.ledger import LedgerRead, Source, TriageRecord, Verdict, format_record

DATA = Path(__file__).parent / "data" / "report"
AT = datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def fixture_sources() -> Sources:
    return Sources(
        ledger=DATA / "triage.jsonl",
        reports=[DATA / "reports"],
        model=DATA / "model",
        suppressions=DATA / "suppressions.yml",
        suppression_usage=DATA / "suppression-usage.json",
    )


def record(fp: int, rule: str, verdict: Verdict, when: datetime, reason: str = "r", who: str = "Ada") -> TriageRecord:
    return TriageRecord(
        fingerprint=f"{fp:032x}", rule_id=rule, verdict=verdict, reason=reason, who=who, when=when, source=Source.CLI
    )


def finding(disposition: str, score: float | None = None, **extra: object) -> ScanFinding:
    return ScanFinding.model_validate(
        {"rule_id": "r.x", "path": "a.py", "disposition": disposition, "score": score, **extra}
    )


# -- aggregation ---------------------------------------------------------------------------------


def test_weekly_decisions_fill_gaps_and_use_utc_weeks() -> None:
    monday = datetime(2026, 1, 5, 12, tzinfo=UTC)
    sunday = datetime(2026, 1, 11, 20, 30, tzinfo=UTC)
    late = datetime.fromisoformat("2026-01-18T23:30:00-05:00")  # Monday 04:30 UTC: the week of Jan 19
    weeks = agg.weekly_decisions(
        [
            record(1, "a", Verdict.FALSE_POSITIVE, monday),
            record(2, "a", Verdict.TRUE_POSITIVE, sunday),
            record(1, "a", Verdict.TRUE_POSITIVE, late),  # a re-decision counts as a decision
            record(3, "b", Verdict.WONT_FIX, datetime(2026, 2, 2, tzinfo=UTC)),
        ]
    )
    assert [w.start for w in weeks] == [
        date(2026, 1, 5),
        date(2026, 1, 12),
        date(2026, 1, 19),
        date(2026, 1, 26),
        date(2026, 2, 2),
    ]
    assert [w.total for w in weeks] == [2, 0, 1, 0, 1]
    assert weeks[0].counts[Verdict.FALSE_POSITIVE] == 1 and weeks[0].counts[Verdict.TRUE_POSITIVE] == 1
    assert agg.weekly_decisions([]) == []


def test_rules_by_volume_counts_latest_verdict_per_finding() -> None:
    t0 = datetime(2026, 1, 5, tzinfo=UTC)
    read = LedgerRead(
        records=[
            record(1, "noisy", Verdict.FALSE_POSITIVE, t0),
            record(2, "noisy", Verdict.FALSE_POSITIVE, t0),
            record(3, "noisy", Verdict.TRUE_POSITIVE, t0),
            record(4, "real", Verdict.TRUE_POSITIVE, t0),
            record(4, "real", Verdict.FALSE_POSITIVE, t0 + timedelta(days=1)),  # re-triaged: latest wins
        ]
    )
    rules = agg.rules_by_volume(read)
    assert [(t.rule_id, t.findings) for t in rules] == [("noisy", 3), ("real", 1)]
    assert rules[0].false_positive_rate == pytest.approx(2 / 3)
    assert rules[1].counts[Verdict.FALSE_POSITIVE] == 1 and rules[1].counts[Verdict.TRUE_POSITIVE] == 0


def test_score_histogram_bins_and_kinds() -> None:
    assert [agg.score_bin(s) for s in (0.0, 0.0999, 0.1, 0.31, 0.999, 1.0)] == [0, 0, 1, 3, 9, 9]
    hist = agg.score_histogram(
        [
            finding("reported", 0.95),
            finding("reported", 1.0),
            finding("below_threshold", 0.05),
            finding("triaged", 0.5),
            finding("reported", None),
            finding("reported", 0.12, disposition_reason="sampled for audit: shown although score 0.12 is below"),
        ]
    )
    assert hist.reported[9] == 2 and sum(hist.reported) == 2
    assert hist.demoted[0] == 1 and sum(hist.demoted) == 1
    assert hist.audit[1] == 1 and sum(hist.audit) == 1
    assert (hist.other_scored, hist.unscored, hist.scored) == (1, 1, 5)


def test_disposition_counts_in_pipeline_order_unknown_last() -> None:
    found = [finding(d) for d in ("below_threshold", "reported", "from_the_future", "preexisting", "reported")]
    assert agg.disposition_counts(found) == [
        ("reported", 2),
        ("preexisting", 1),
        ("below_threshold", 1),
        ("from_the_future", 1),
    ]


def test_hidden_examples_most_severe_first_and_capped() -> None:
    found = [
        finding("triaged", severity=s, start_line=i) for i, s in enumerate(["low", "critical", "medium", "high"], 1)
    ]
    examples = agg.hidden_examples([*found, finding("reported")], per_disposition=2)
    assert list(examples) == ["triaged"]
    assert [f.severity for f in examples["triaged"]] == ["critical", "high"]


def test_suppression_status_boundaries() -> None:
    today = date(2026, 3, 6)

    def entry(expires: date | None, permanent: bool = False, owner: str = "o") -> Suppression:
        return Suppression("S", "rule r", "why", owner, expires, permanent)

    assert agg.status_of(entry(today - timedelta(days=1)), today) is agg.Status.EXPIRED
    assert agg.status_of(entry(today), today) is agg.Status.EXPIRING
    assert agg.status_of(entry(today + timedelta(days=30)), today) is agg.Status.EXPIRING
    assert agg.status_of(entry(today + timedelta(days=31)), today) is agg.Status.ACTIVE
    assert agg.status_of(entry(None, permanent=True), today) is agg.Status.PERMANENT
    rows = agg.suppressions_by_owner(
        [
            entry(today + timedelta(days=90), owner="b"),
            entry(today - timedelta(days=3), owner="a"),
            entry(None, True, ""),
        ],
        today,
    )
    assert [r.owner for r in rows] == ["a", "(no owner)", "b"]  # owners with expired entries first


def test_axis_is_whole_numbers_covering_the_largest() -> None:
    for largest in (0, 1, 3, 8, 12, 22, 60, 1234):
        step, ticks = axis(largest)
        assert isinstance(step, int) and step >= 1 and step * ticks >= largest and ticks <= 6


# -- reading inputs ------------------------------------------------------------------------------


def test_suppressions_are_read_as_the_scan_reads_them(tmp_path: Path) -> None:
    today = AT.date()
    usage = DATA / "suppression-usage.json"
    read = read_entries(DATA / "suppressions.yml", usage, today=today, unused_after=10)
    assert len(read.entries) == 8 and read.error == ""
    by_id = {e.id: e for e in read.entries}
    assert (by_id["SUP-001"].owner, by_id["SUP-001"].permanent) == ("Ada Lovelace", True)
    assert "tests/fixtures/**" in by_id["SUP-001"].scope
    assert by_id["SUP-002"].unused and not by_id["SUP-007"].unused
    assert by_id["SUP-003"].last_matched == date(2026, 3, 5)
    assert not any(
        e.unused for e in read_entries(DATA / "suppressions.yml", None, today=today, unused_after=10).entries
    )
    bad = tmp_path / "s.yml"
    bad.write_text("version: 1\nsuppressions:\n  - {id: A, rule: r, owner: x, reason: y}\n")  # no expiry
    refused = read_entries(bad, None, today=today, unused_after=10)
    assert refused.entries == [] and "expires" in refused.error and str(bad) in refused.error


def test_scan_report_reader_is_tolerant_and_says_what_it_skipped(tmp_path: Path) -> None:
    problems: list[str] = []
    wrapped = tmp_path / "saved.json"
    good = {"rule_id": "r", "path": "a.py", "disposition": "reported", "brand_new_field": 1}
    wrapped.write_text(json.dumps({"result": {"schema_version": "1", "change": "c", "findings": [good, {"x": 1}]}}))
    report = read_scan_report(wrapped, problems)
    assert report is not None and len(report.findings) == 1 and report.change == "c"
    assert problems == [f"{wrapped}: 1 finding(s) without a rule, path or disposition; left out"]
    future = tmp_path / "v2.json"
    future.write_text(json.dumps({"schema_version": "2", "findings": []}))
    assert read_scan_report(future, problems) is None and "newer" in problems[-1]
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert read_scan_report(broken, problems) is None and "not valid JSON" in problems[-1]


def test_card_summary_reads_every_section_defensively() -> None:
    assert card_summary({}, "fallback").name == "fallback"
    weird = card_summary(
        {
            "name": 7,
            "threshold": True,  # a boolean is not a number
            "metrics": {"test": {"pr_auc": float("nan"), "ece": 0.05, "x": "high"}, "junk": [1]},
            "baselines": "none",
            "libraries": ["lightgbm"],
            "training_data": {"rows": 12},
        }
    )
    assert weird.metrics == {"test": {"ece": 0.05}} and weird.baselines == {} and weird.libraries == {}
    assert ("training rows", "12") in weird.facts and not any(k == "decision threshold" for k, _ in weird.facts)
    full = card_summary(json.loads((DATA / "model" / "card.json").read_text()))
    assert full.name == "team-2026-02" and ("decision threshold", "0.310") in full.facts
    assert full.baselines["keep-all"]["pr_auc"] == pytest.approx(0.59) and full.libraries["lightgbm"] == "4.7.0"


def test_drift_and_audit_never_invent_numbers(tmp_path: Path) -> None:
    assert not drift_from_mapping({"rows": 3}, "x").computed
    drift = drift_from_mapping({"score_psi": 0.3, "feature_psi": {"a": 0.01, "b": "big"}}, "x")
    assert drift.computed and drift.level == "large shift" and drift.worst == [("a", 0.01)]
    assert not drift.evidence.enough  # no row count: a PSI of unknown sample size is no verdict
    no_verdicts = tmp_path / "empty.jsonl"
    no_verdicts.write_text("")
    (tmp_path / "card.json").write_text("{}")
    data = collect(Sources(ledger=no_verdicts, reports=[DATA / "reports"], model=tmp_path), AT)
    assert data.audit is None and data.audit_why_not == "11 audit sample(s) were shown and none is triaged yet"
    assert not data.drift.computed and "no model.txt and no drift.json" in data.drift.why_not


def test_fixture_figures() -> None:
    data = collect(fixture_sources(), AT)
    assert data.problems == []
    assert data.ledger is not None and len(data.ledger.records) == 60
    weeks = agg.weekly_decisions(data.ledger.records)
    assert len(weeks) == 9 and sum(w.total for w in weeks) == 60
    top = agg.rules_by_volume(data.ledger)[0]
    assert (top.rule_id, top.findings) == ("python.sqli.formatted-sql-query", 14)
    counts = dict(agg.disposition_counts(agg.all_findings(data.reports)))
    assert counts["below_threshold"] == 22 and counts["reported"] == 27 and sum(counts.values()) == 69
    assert data.drift.computed and data.drift.level == "moderate shift"
    assert data.audit is not None and data.audit.demoted == 22
    audit = data.audit.estimate
    assert (audit.samples, audit.triaged, audit.real) == (11, 10, 2) and audit.share == pytest.approx(0.2)


# -- the page ------------------------------------------------------------------------------------


def test_page_is_self_contained_with_a_strict_policy() -> None:
    page = render_page(collect(fixture_sources(), AT))
    assert f'<meta http-equiv="Content-Security-Policy" content="{csp()}">' in page
    assert "default-src 'none'" in csp() and "unsafe-inline" not in csp()
    for external in ('src="http', "src='http", 'href="http', "url(", "<script", "<link", "@import"):
        assert external not in page
    assert page.count('<img src="data:image/png;base64,') == 1
    assert "Generated 2026-03-06 10:00 UTC by reviewbot" in page
    assert "from a ledger of 60 decisions, 3 scan report(s), model team-2026-02, 8 suppression(s)" in page
    assert '<th scope="col"' in page and '<th scope="row"' in page


def test_every_section_has_an_empty_state_saying_how_to_fill_it() -> None:
    page = render_page(collect(Sources(), AT))
    assert page.count('<p class="empty"><strong>Not available:</strong>') == 9  # the KPI section's too
    assert page.count("How to get it:") == 9
    assert "not computed: no model folder was given" in page
    assert "not computed: no audit samples in the scan reports" in page


XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def xss_inputs(tmp_path: Path) -> Sources:
    ledger = tmp_path / "triage.jsonl"
    ledger.write_text(
        format_record(record(1, "rule" + XSS, Verdict.FALSE_POSITIVE, AT, reason=XSS, who="Mallory" + XSS)) + "\n"
    )
    report = tmp_path / "scan.json"
    bad = {
        "rule_id": "python.x" + XSS,
        "path": "app/" + XSS + ".py",
        "message": XSS,
        "disposition": "suppressed_inline",
        "disposition_reason": "nosemgrep " + XSS,
        "severity": "high",
        "score": 0.4,
    }
    report.write_text(json.dumps({"schema_version": "1", "change": XSS, "findings": [bad]}))
    suppressions = tmp_path / "suppressions.yml"
    entry = {"id": "X-1", "path": "app/**", "owner": XSS, "reason": XSS, "expires": "2027-01-01"}
    suppressions.write_text(json.dumps({"version": 1, "suppressions": [entry]}))
    model = tmp_path / "model"
    model.mkdir()
    (model / "card.json").write_text(json.dumps({"name": XSS, "libraries": {XSS: XSS}, "notes": [XSS]}))
    return Sources(ledger, [report], model, suppressions)


def test_untrusted_text_is_escaped_everywhere(tmp_path: Path) -> None:
    page = render_page(collect(xss_inputs(tmp_path), AT))
    assert "<script>" not in page and "<img src=x" not in page and "onerror=alert(2)>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert page.count("&lt;script&gt;") >= 9  # rule, reason, path, message, change, owner, card name, library, note


def test_a_refused_suppressions_file_is_shown_escaped(tmp_path: Path) -> None:
    bad = tmp_path / "suppressions.yml"
    bad.write_text(json.dumps({"version": 1, "suppressions": [{"id": "A", "rule": "r", "owner": XSS, "reason": XSS}]}))
    page = render_page(collect(Sources(suppressions=bad), AT))
    assert "the suppressions file cannot be used (the scan refuses it too)" in page and "<script>" not in page


def test_bidi_and_control_characters_are_made_visible(tmp_path: Path) -> None:
    sources = xss_inputs(tmp_path)
    assert sources.ledger is not None
    sources.ledger.write_text(
        format_record(record(1, "r", Verdict.FALSE_POSITIVE, AT, reason="ok\u202e gnp.exe\x1b[31m")) + "\n"
    )
    page = render_page(collect(Sources(ledger=sources.ledger), AT))
    assert "\u202e" not in page and "\x1b" not in page


def test_cli_writes_the_report_and_names_a_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()  # reviewbot creates no folder for its output
    args = ["report", "--ledger", str(DATA / "triage.jsonl"), "--reports", str(DATA / "reports")]
    assert main([*args, "--model", str(DATA / "model"), "--out", str(out)]) == EXIT_OK
    assert out.read_text().startswith("<!DOCTYPE html>") and "wrote" in capsys.readouterr().out
    assert main(["report", "--ledger", str(tmp_path / "nope.jsonl"), "--out", str(out)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "--ledger" in err and "nope.jsonl: no such file" in err


# -- the real page in a real browser -------------------------------------------------------------


def chromium(fallback: Path = Path("/usr/bin/chromium")) -> str:
    """Debian's chromium; without it the browser tests skip locally and FAIL in CI (CI=true)."""
    found = shutil.which("chromium") or (str(fallback) if fallback.exists() else None)
    if found is None:
        reason = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: the browser test must run in CI")
        pytest.skip(reason)
    return found


def test_missing_chromium_fails_in_ci_and_skips_locally(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        chromium(tmp_path / "no-chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        chromium(tmp_path / "no-chromium")


def run_chromium(browser: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    argv = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


class Tables(HTMLParser):
    """Each table of a DOM dump by caption: the text of every body row's cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.caption: str | None = None
        self.in_caption = self.in_body = False
        self.cell: list[str] | None = None
        self.images: list[str] = []
        self.charts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "caption":
            self.in_caption, self.caption = True, ""
        elif tag == "tbody":
            self.in_body = True
            assert self.caption is not None
            self.tables[self.caption] = []
        elif tag == "tr" and self.in_body and self.caption is not None:
            self.tables[self.caption].append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = []
        elif tag == "img":
            self.images.append(dict(attrs).get("src") or "")
        elif tag == "svg" and ("class", "chart") in attrs:
            self.charts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self.in_caption = False
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None and self.caption is not None:
            self.tables[self.caption][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.in_caption and self.caption is not None:
            self.caption += data
        elif self.cell is not None:
            self.cell.append(data)


def test_report_in_headless_chromium(tmp_path: Path) -> None:
    browser = chromium()
    page = tmp_path / "report.html"
    page.write_text(render_page(collect(fixture_sources(), AT)), encoding="utf-8")
    url = page.as_uri()

    dom = run_chromium(browser, tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Content Security Policy" not in dom.stderr, "the page breaks its own policy"
    parsed = Tables()
    parsed.feed(dom.stdout)
    tables = parsed.tables
    weekly = tables["Decisions per week by verdict (a re-triaged finding counts once per decision)"]
    assert (
        len(weekly) == 10 and weekly[0][0] == "2026-01-05" and weekly[-1] == ["all weeks", "28", "4", "4", "24", "60"]
    )
    rules = tables["Latest verdict per finding, by rule"]
    assert len(rules) == 6 and rules[0][:2] == ["python.sqli.formatted-sql-query", "14"]
    assert rules[1][0] == "python.weakrand.insecure-random-module" and rules[1][6] == "67%"
    scores = tables["Findings per score bin"]
    assert [row[0] for row in scores] == [
        "reported",
        "demoted (below threshold)",
        "audit samples (demoted, shown anyway)",
    ]
    assert [row[-1] for row in scores] == ["16", "22", "11"]
    dispositions = {row[0]: row[1] for row in tables["Findings by disposition"]}
    assert dispositions["below_threshold"] == "22" and dispositions["all"] == "69"
    assert len(tables["Examples of hidden findings (most severe first)"]) == 3 * 5 + 2  # two duplicates only
    owners = {row[0]: row[1:] for row in tables["Suppressions per owner"]}
    assert len(owners) == 5 and owners["Grace Hopper"] == ["2", "0", "0", "0", "2", "0"]
    assert owners["platform-team"] == ["0", "1", "1", "0", "2", "1"]
    entries = tables["Entries, most urgent first"]
    assert [e[1] for e in entries[:2]] == ["expired", "expired"] and entries[-1][1] == "permanent"
    assert ["SUP-002", "active (unused)"] in [e[:2] for e in entries]
    metrics = {row[0]: row[1:] for row in tables["Held-out metrics"]}
    assert metrics["pr_auc"] == ["0.874", "0.861"]
    assert tables["Model vs baselines on the test rows"][0] == ["model", "0.874", "0.781", "0.722"]
    assert ["the score", "0.064", "stable"] in tables["PSI of the score, then of the features that moved most"]
    assert "<strong>20.0%</strong> of demoted findings are real" in dom.stdout
    audit = [["audit samples shown", "11"], ["of which triaged", "10 (91%)"], ["triaged and real", "2"]]
    assert tables["Audit samples"] == audit
    assert parsed.charts == 2 and len(parsed.images) == 1 and parsed.images[0].startswith("data:image/png;base64,")

    shot = tmp_path / "report.png"
    taken = run_chromium(browser, tmp_path, f"--screenshot={shot}", "--window-size=1280,4000", url)
    assert taken.returncode == 0, taken.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", data[16:24]) == (1280, 4000)
    assert len(data) > 100_000, "a screenshot of a populated report is far larger than a blank page"
    keep = os.environ.get("REVIEWBOT_REPORT_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)


def test_escaped_text_stays_text_in_the_browser(tmp_path: Path) -> None:
    browser = chromium()
    page = tmp_path / "xss.html"
    page.write_text(render_page(collect(xss_inputs(tmp_path), AT)), encoding="utf-8")
    dom = run_chromium(browser, tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    parsed = Tables()
    parsed.feed(dom.stdout)
    assert parsed.images == [], "an injected <img> became an element"
    assert "<script>alert" not in dom.stdout and "Content Security Policy" not in dom.stderr
    reasons = [row[-1] for row in parsed.tables["Examples of hidden findings (most severe first)"]]
    assert reasons == ["nosemgrep " + XSS]


def test_unscored_findings_are_counted_by_their_recorded_reason(tmp_path: Path) -> None:
    why = "not scored: model team has no training rows for findings of category 'xxe'"
    findings = [
        {"rule_id": "r.x", "path": "a.py", "disposition": "reported", "score": 0.7},
        {"rule_id": "r.y", "path": "a.py", "disposition": "reported", "unscored_reason": why},
        {"rule_id": "r.y", "path": "b.py", "disposition": "reported", "unscored_reason": why},
        {"rule_id": "r.z", "path": "c.py", "disposition": "reported"},  # a report older than the field
    ]
    report = tmp_path / "scan.json"
    report.write_text(json.dumps({"schema_version": "1", "findings": findings}))
    page = render_page(collect(Sources(reports=[report]), AT))
    table = page.split("<caption>Unscored findings, by reason</caption>")[1].split("</table>")[0]
    assert f'<th scope="row">{why.replace(chr(39), "&#x27;")}</th><td class="num">2</td>' in table
    assert '<th scope="row">(not recorded by the scan that wrote this report)</th><td class="num">1</td>' in table


def test_a_saved_drift_result_under_the_minimum_sample_shows_no_verdict() -> None:
    saved = {"rows": 2, "score_psi": 1.4, "reasons": ["the score distribution moved (PSI 1.40 >= 0.25)"]}
    drift = drift_from_mapping(saved, "drift.json")
    assert drift.computed and not drift.evidence.enough and drift.reasons == []
    assert drift.evidence.shortfall() == "not enough recent findings to judge (2 of 100 needed)"
    enough = drift_from_mapping({**saved, "rows": 100}, "drift.json")
    assert enough.evidence.enough and enough.reasons == saved["reasons"]
