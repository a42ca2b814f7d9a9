"""Benchmark of the month's finance report; writes bench/results/finance.md.

A payment run over N cases (seeded as in bench/ledger_bench.py: one employment, one report each, 2 % held),
then the finance report of the month with a refund profile for every case (weeks before spread over all four
steps and the straddling weeks), on SQLite. Measures the report's wall time and checks its totals against the
stored payments.

Usage: python bench/finance_bench.py [--cases 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ledger_bench import bench_pay_run
from flexcalc.finance.profiles import RefundProfile
from flexcalc.finance.report import finance_report
from flexcalc.ledger.db import dispose_all
from flexcalc.ledger.refund_history import HistoryFact, record_history
from flexcalc.ledger.store import open_ledger, transaction
from flexcalc.period import Month

RESULTS = Path(__file__).resolve().parent / "results" / "finance.md"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/finance-bench.sqlite"
        pay = bench_pay_run(url, args.cases)
        month = Month(2024, 3)
        profiles = {f"c{n:06d}": RefundProfile(f"c{n:06d}", dt.date(2015, 1, 1), None, month, n % 70)
                    for n in range(args.cases)}
        factory = open_ledger(url)
        start = time.perf_counter()
        report = finance_report(factory, month, profiles)
        seconds = time.perf_counter() - start
        totals = report.totals()
        steps = {k: v["refund"] for k, v in report.refund_by_step().items()}
        with transaction(factory) as session:  # the same places as refund history in the ledger instead
            record_history(session, [fact for n in range(args.cases) for fact in (
                HistoryFact(f"c{n:06d}", "visitation", dt.date(2015, 1, 1), source="bench"),
                HistoryFact(f"c{n:06d}", "counted_weeks", month.first_day(), weeks=n % 70, source="bench"))], "bench")
        start = time.perf_counter()
        from_history = finance_report(factory, month)
        history_seconds = time.perf_counter() - start
        same = from_history.totals() == totals
        dispose_all()
    assert len(report.lines) == pay["paid"]
    straddling = sum(1 for line in report.lines if line.refund and len(line.refund.parts) > 1)
    text = (f"# Finance report benchmark\n\nMeasured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by "
            f"`bench/finance_bench.py --cases {args.cases}` on {platform.python_implementation()} "
            f"{platform.python_version()}, SQLite, a shared 2-core machine.\n\n"
            f"| what | value |\n|---|---|\n"
            f"| cases / payments in the month | {args.cases} / {pay['paid']} (held {pay['held']}) |\n"
            f"| payment run (for reference) | {pay['run_s']:.2f} s |\n"
            f"| finance report (read payments and reports, refund, OP, ATP, fleksbidrag, booking) | {seconds:.2f} s |\n"
            f"| per payment | {seconds / max(1, pay['paid']) * 1000:.3f} ms |\n"
            f"| finance report from the ledger's refund history (no profiles; same totals: {same}) | "
            f"{history_seconds:.2f} s |\n"
            f"| months straddling two steps | {straddling} |\n"
            f"| subsidy total | {totals['subsidy']} kr. |\n| refund total | {totals['refund']} kr. |\n"
            f"| refund by step | {', '.join(f'{k} {v}' for k, v in steps.items() if v != Decimal(0))} |\n")
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
