"""The month in figures of a 100,000-case month; writes bench/results/insight.md.

A caseload inserted in bulk (not timed): N cases from January 2024 with a ceiling and an employment (5,000
employers), a February report for 49 of 50 (received 3 March), March paid as of 6 March (every 50th case held);
then 2 % of the paid cases get a corrected report on 20 March (late and corrected), 1 % a second employer's
report on 21 March (late), and each late report its correction on 22 March (half regulations, half possible
repayments); every possible repayment a hearing letter sent 10 March (half replied on 20 March, within the
reply date), 200 decisions, 50 complaints. Then ``month_figures`` of March 2024 as of 1 April 2024 (the month
and the 12 before it) is timed, and its figures checked against what was inserted. Target: under 5 s on PostgreSQL.

Usage: python bench/insight_bench.py [--cases 100000] [--postgres URL] [--skip-sqlite]
(PostgreSQL: FLEXCALC_TEST_POSTGRES_URL or --postgres; a fresh database is made and dropped.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bench.ledger_bench import postgres_database
from bench.payrun_bench import analyze
from flexcalc.insight.figures import month_figures
from flexcalc.ledger.db import dispose_all, make_engine
from flexcalc.ledger.hearings import HearingEvent
from flexcalc.ledger.models import Case, Ceiling, Correction, Decision, Employment, Hold, Payment, Report
from flexcalc.ledger.oversight import Complaint
from flexcalc.ledger.store import open_ledger
from flexcalc.period import Month

UTC = dt.UTC
RESULTS = Path(__file__).resolve().parent / "results" / "insight.md"
BASIS, MONTH = Month(2024, 2), Month(2024, 3)
STAMP = dt.datetime(2024, 1, 1, tzinfo=UTC)
RUN = dt.datetime(2024, 3, 6, tzinfo=UTC)
AS_OF = dt.datetime(2024, 3, 31, 22, tzinfo=UTC)  # 1 April 00:00 Danish time


def _employer(n: int) -> str:
    return f"{10000000 + n % 5000}"


def _report(n: int, **extra: Any) -> dict[str, Any]:
    row = {"report_id": f"r{n:06d}", "case_id": f"c{n:06d}", "employer_id": _employer(n),
           "payment_date": BASIS.last_day(), "basis_month": str(BASIS), "period_start": BASIS.first_day(),
           "period_end": BASIS.last_day(), "wage": Decimal(8000 + n % 12000), "pension_own": Decimal(200),
           "pension_employer": Decimal(400), "hours": Decimal(60), "received_at": dt.datetime(2024, 3, 3, tzinfo=UTC),
           "kind": "original", "corrects": None, "root_id": f"r{n:06d}", "ingested_at": STAMP}
    row.update(extra)
    return row


def caseload(url: str, cases: int) -> dict[str, int]:
    """Insert the caseload; the figures it must give."""
    open_ledger(url)
    engine = make_engine(url)
    expect = {"late": 0, "corrected": 0, "corrections": 0, "repayments": 0, "held": 0, "paid": 0}
    with engine.begin() as conn:
        for lo in range(0, cases, 10000):
            ns = range(lo, min(cases, lo + 10000))
            conn.execute(insert(Case), [{"id": f"c{n:06d}", "cpr": None, "first_month": "2024-01", "last_month": None,
                                         "created_at": STAMP, "revision": 0} for n in ns])
            conn.execute(insert(Ceiling), [{"case_id": f"c{n:06d}", "effective_month": "2024-01",
                                            "amount": Decimal(28000 + n % 9000), "recorded_at": STAMP,
                                            "note": "lønloftskema"} for n in ns])
            conn.execute(insert(Employment), [{"case_id": f"c{n:06d}", "employer_id": _employer(n),
                                               "first_basis_month": "2023-12", "created_at": STAMP} for n in ns])
            conn.execute(insert(Report), [_report(n) for n in ns if n % 50])
            conn.execute(insert(Payment), [{
                "case_id": f"c{n:06d}", "benefit_month": str(MONTH), "kind": "regular",
                "basis_wage": Decimal(8000 + n % 12000), "ceiling": Decimal(28000 + n % 9000),
                "subsidy": Decimal("15272.00"), "atp_own": Decimal("500.00"), "payout": Decimal("14772.00"),
                "report_ids": [f"r{n:06d}"], "rule_version": "bench", "as_of": RUN, "created_at": RUN}
                for n in ns if n % 50])
            conn.execute(insert(Hold), [{"case_id": f"c{n:06d}", "benefit_month": str(MONTH),
                                         "missing_employers": [_employer(n)], "reason": "afventer", "as_of": RUN,
                                         "created_at": RUN} for n in ns if n % 50 == 0])
            expect["paid"] += sum(1 for n in ns if n % 50)
            expect["held"] += sum(1 for n in ns if n % 50 == 0)
        late = [n for n in range(1, cases, 50)] + [n for n in range(2, cases, 100)]
        corrected = set(range(1, cases, 50))
        conn.execute(insert(Report), [
            _report(n, report_id=f"r{n:06d}c", kind="correction", corrects=f"r{n:06d}", root_id=f"r{n:06d}",
                    wage=Decimal(7000), received_at=dt.datetime(2024, 3, 20, tzinfo=UTC)) if n in corrected else
            _report(n, report_id=f"x{n:06d}", employer_id="99999999", received_at=dt.datetime(2024, 3, 21, tzinfo=UTC))
            for n in late])
        expect["late"], expect["corrected"] = len(late), len(corrected)
        rows = []
        for i, n in enumerate(late):
            repayment = i % 2 == 0
            rows.append({"case_id": f"c{n:06d}", "benefit_month": str(MONTH), "sequence": 1,
                         "previous_subsidy": Decimal(15272), "due_subsidy": Decimal(15000),
                         "difference": Decimal(-272 if repayment else 300), "previous_payout": Decimal(14772),
                         "due_payout": Decimal(14500), "basis_wage": Decimal(7000), "ceiling": Decimal(30000),
                         "report_ids": [], "caused_by": [f"r{n:06d}c" if n in corrected else f"x{n:06d}"],
                         "reasons": ["corrected_report"] if n in corrected else ["late_report"],
                         "explanation_da": "x", "explanation_en": "x", "legal_basis": "x",
                         "earliest_affected_month": str(MONTH),
                         "status": "repayment_review" if repayment else "payable", "rule_version": "bench",
                         "as_of": dt.datetime(2024, 3, 22, tzinfo=UTC),
                         "created_at": dt.datetime(2024, 3, 22, tzinfo=UTC),
                         "track": "repayment_review" if repayment else "regulation"})
        conn.execute(insert(Correction), rows)
        expect["corrections"], expect["repayments"] = len(rows), sum(1 for i in range(len(rows)) if i % 2 == 0)
    with engine.begin() as conn:
        from sqlalchemy import select

        ids = [(cid, case) for cid, case, track in conn.execute(
            select(Correction.id, Correction.case_id, Correction.track)) if track == "repayment_review"]
        conn.execute(insert(HearingEvent), [{"correction_id": cid, "case_id": case, "kind": "sent",
                                             "sent_on": dt.date(2024, 3, 10), "reply_by": dt.date(2024, 3, 24),
                                             "recorded_by": "bench",
                                             "recorded_at": dt.datetime(2024, 3, 10, tzinfo=UTC),
                                             "channel": "letter"} for cid, case in ids])
        conn.execute(insert(HearingEvent), [{"correction_id": cid, "case_id": case, "kind": "reply",
                                             "received_on": dt.date(2024, 3, 20), "summary": "svar",
                                             "recorded_by": "bench",
                                             "recorded_at": dt.datetime(2024, 3, 20, tzinfo=UTC)}
                                            for cid, case in ids[::2]])
        conn.execute(insert(Decision), [{"correction_id": cid, "outcome": "collect" if i % 2 else "waive",
                                         "reason": "r", "decided_by": "bench",
                                         "decided_at": dt.datetime(2024, 3, 28, tzinfo=UTC)}
                                        for i, (cid, _) in enumerate(ids[:200])])
        conn.execute(insert(Complaint), [{"case_id": case, "received_on": dt.date(2024, 3, 15), "subject": "klage",
                                          "recorded_by": "bench", "recorded_at": dt.datetime(2024, 3, 15, tzinfo=UTC)}
                                         for _, case in ids[:50]])
        expect["hearings"], expect["replies"] = len(ids), len(ids[::2])
    analyze(engine)
    engine.dispose()
    return expect


def bench(url: str, cases: int) -> dict[str, Any]:
    expect = caseload(url, cases)
    factory = open_ledger(url)
    month_figures(factory, MONTH, AS_OF)  # the connection pool and the caches warm (as a server's would be)
    start, cpu = time.perf_counter(), time.process_time()
    figures = month_figures(factory, MONTH, AS_OF)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    c = figures.current().to_dict()
    got = {"late": c["late_reports"], "corrected": c["corrected_reports"], "corrections": c["corrections"],
           "repayments": c["corrections_by_track"].get("repayment_review", 0), "held": c["held"],
           "paid": c["payments"], "hearings": c["hearings_sent"], "replies": c["replies_on_time"]}
    if got != expect or c["caseload"] != cases:
        raise SystemExit(f"figures differ from the caseload: {got} != {expect}")
    return {"seconds": seconds, "cpu": cpu, "employers": len(figures.employers), "load": os.getloadavg()[0],
            "subsidy": c["subsidy_total"], **expect}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("FLEXCALC_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    lines = ["# The month in figures", "",
             f"Run {dt.datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} CPUs, "
             f"Python {platform.python_version()}, `python bench/insight_bench.py --cases {args.cases}`.", "",
             __doc__.split("\n\n")[1].replace("\n", " "), "",
             "The time is the wall time of the second call of `month_figures` (the first warms the connection "
             "pool), with the CPU time of the benchmark process in brackets, and the load average then.", "",
             "| database | cases | figures of the month and 12 before | paid | held | late reports | corrections "
             "| hearings | employers listed | total subsidy | load |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        targets: list[tuple[str, str, Any]] = []
        if not args.skip_sqlite:
            targets.append(("SQLite", f"sqlite:///{tmp}/insight.sqlite", None))
        if args.postgres:
            url, drop = postgres_database(args.postgres)
            targets.append(("PostgreSQL", url, drop))
        for label, url, drop in targets:
            r = bench(url, args.cases)
            lines.append(f"| {label} | {args.cases:,} | {r['seconds']:.2f} s ({r['cpu']:.2f} s) | {r['paid']:,} | "
                         f"{r['held']:,} | {r['late']:,} | {r['corrections']:,} | {r['hearings']:,} | "
                         f"{r['employers']:,} | {r['subsidy']} | {r['load']:.1f} |")
            print(lines[-1], flush=True)
            dispose_all()
            if drop is not None:
                drop()
    lines += ["", "Target: under 5 s on PostgreSQL for 100,000 cases. The machine is shared; figures vary with its "
              "load."]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
