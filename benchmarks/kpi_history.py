"""Time to compute the KPIs over a generated event history of 1,000,000 rows, beside a baseline.

    python benchmarks/kpi_history.py OUT_DIR [--rows 1000000] [--baseline 100000]

Writes two histories into OUT_DIR (a baseline of --baseline rows and the large one of --rows),
made the way a busy organisation's would look: per finding a `reported` event, then for most a
`commented`, a `fixed` or a thread `verdict`, over 26 weeks, 40 rules, 3,000 PRs, with one
`reviewed` event per run. Then, for each, it prints the time to read the file
(`triage.events.parse_history`) and to compute the KPIs (`triage.kpi.compute_kpis`), and the
rate in rows per second, so the large run reads against the baseline measured in the same run.
Never run in CI; no test needs it.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reviewbot.triage.events import parse_history
from reviewbot.triage.kpi import compute_kpis

START = datetime(2026, 1, 5, tzinfo=UTC)
VERDICTS = ["false_positive", "true_positive", "accepted_risk"]
SEVERITIES = ["low", "medium", "high", "critical"]


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def generate(path: Path, rows: int, seed: int = 17) -> int:
    """Write about `rows` events to `path`; the number written."""
    rng = random.Random(seed)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        finding = 0
        while written < rows:
            finding += 1
            fp = f"{finding:032x}"
            rule = f"python.rule-{rng.randrange(40):02d}"
            pr = rng.randrange(1, 3001)
            at = START + timedelta(seconds=rng.randrange(26 * 7 * 86400))
            base = {"fingerprint": fp, "rule_id": rule, "pr": pr, "source": "pr", "schema_version": 1}
            reported = {**base, "event": "reported", "severity": rng.choice(SEVERITIES), "path": "app/x.py"}
            reported |= {"score": round(rng.random(), 3), "when": _stamp(at)}
            if rng.random() < 0.05:
                reported["audit"] = True
            lines = [reported, {"event": "reviewed", "pr": pr, "source": "pr", "schema_version": 1, "when": _stamp(at)}]
            if rng.random() < 0.6:
                lines.append({**base, "event": "commented", "when": _stamp(at)})
            roll = rng.random()
            later = at + timedelta(seconds=rng.randrange(1, 14 * 86400))
            if roll < 0.55:
                lines.append({**base, "event": "fixed", "path": "app/x.py", "when": _stamp(later)})
            elif roll < 0.8:
                lines.append({**base, "event": "verdict", "verdict": rng.choice(VERDICTS), "when": _stamp(later)})
            for doc in lines:
                out.write(json.dumps(doc, sort_keys=True, separators=(",", ":")) + "\n")
            written += len(lines)
    return written


def measure(path: Path) -> tuple[int, float, float, float]:
    """(events read, wall seconds to read, wall seconds to compute, CPU seconds of both).

    CPU time is printed beside wall time: on a shared machine the wall clock also counts the
    time other processes held the cores."""
    c0, t0 = time.process_time(), time.perf_counter()
    read = parse_history(path.read_bytes())
    t1 = time.perf_counter()
    kpis = compute_kpis(read.events, [], until=START + timedelta(days=400))
    t2, c2 = time.perf_counter(), time.process_time()
    assert not read.problems and kpis.overall.reported > 0
    return len(read.events), t1 - t0, t2 - t1, c2 - c0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="a folder for the generated histories")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=int, default=100_000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    heads = ("history", "rows", "MB", "read s", "kpis s", "wall s", "cpu s", "rows/cpu s")
    print(" ".join(f"{h:>10}" for h in heads))
    for label, rows in (("baseline", args.baseline), ("large", args.rows)):
        path = args.out / f"history-{rows}.jsonl"
        generate(path, rows)
        events, read_s, kpi_s, cpu = measure(path)
        size = path.stat().st_size / 1e6
        wall = read_s + kpi_s
        cells = (label, events, f"{size:.1f}", f"{read_s:.2f}", f"{kpi_s:.2f}", f"{wall:.2f}", f"{cpu:.2f}")
        print(" ".join(f"{c:>10}" for c in (*cells, f"{events / cpu:.0f}")))


if __name__ == "__main__":
    main()
