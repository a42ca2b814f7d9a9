"""The month's outputs at national scale on PostgreSQL: after a payment run of 90,000 cases, the payouts after
A-skat (tax card in force on the payment date, frikort use), the NemKonto payment file and the income report
(eIndkomst), and the report read back and validated; writes bench/results/payout_outputs.md and .json.

Setup (not timed): 90,000 cases with a CPR number, ceiling, employment and a February report, inserted in bulk;
the payment run of March 2024 (timed for context: it is the payment run's own benchmark, bench/payrun_bench.py);
90,000 tax cards (hovedkort 80 %, bikort 15 %, frikort 5 %) imported through ``import_tax_cards``.

Usage: python bench/payout_outputs.py [--cases 90000] [--postgres URL]
(PostgreSQL: FLEXCALC_TEST_POSTGRES_URL or --postgres; a fresh database is made and dropped.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bench.ledger_bench import postgres_database
from bench.payrun_bench import analyze
from flexcalc.ledger.db import make_engine
from flexcalc.ledger.models import Case, Ceiling, Employment, Report
from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.store import open_ledger, transaction
from flexcalc.period import Month

UTC = dt.UTC
RESULTS = Path(__file__).resolve().parent / "results"
BASIS = Month(2024, 2)
MONTH = BASIS.next()
AS_OF = dt.datetime(2024, 3, 6, tzinfo=UTC)


def cpr_of(n: int) -> str:
    """A synthetic CPR-shaped number (day 61–70: never a real birth date)."""
    return f"{61 + n % 10:02d}{1 + n % 12:02d}{n % 100:02d}{n % 10000:04d}"


def caseload(url: str, cases: int) -> None:
    open_ledger(url)
    engine = make_engine(url)
    stamp = dt.datetime(2024, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for lo in range(0, cases, 10000):
            hi = min(cases, lo + 10000)
            conn.execute(insert(Case), [{"id": f"c{n:06d}", "cpr": cpr_of(n), "first_month": "2024-01",
                                         "last_month": None, "created_at": stamp, "revision": 0}
                                        for n in range(lo, hi)])
            conn.execute(insert(Ceiling), [{"case_id": f"c{n:06d}", "effective_month": "2024-01",
                                            "amount": Decimal(28000 + n % 9000), "recorded_at": stamp, "note": None}
                                           for n in range(lo, hi)])
            conn.execute(insert(Employment), [{"case_id": f"c{n:06d}", "employer_id": f"{10000000 + n % 5000}",
                                               "first_basis_month": "2023-12", "last_basis_month": None,
                                               "created_at": stamp} for n in range(lo, hi)])
            conn.execute(insert(Report), [{
                "report_id": f"r{n:06d}", "case_id": f"c{n:06d}", "employer_id": f"{10000000 + n % 5000}",
                "payment_date": BASIS.last_day(), "basis_month": str(BASIS), "period_start": BASIS.first_day(),
                "period_end": BASIS.last_day(), "wage": Decimal(8000 + n % 12000), "pension_own": Decimal("200"),
                "pension_employer": Decimal("400"), "hours": Decimal("60"),
                "received_at": dt.datetime(2024, 3, 3, tzinfo=UTC), "kind": "original", "corrects": None,
                "root_id": f"r{n:06d}", "ingested_at": stamp} for n in range(lo, hi)])
    analyze(engine)
    engine.dispose()


def tax_cards_csv(cases: int) -> str:
    rows = ["case_id,card,withholding_rate,monthly_deduction,valid_from,free_amount"]
    for n in range(cases):
        kind = n % 20
        if kind < 16:
            rows.append(f"c{n:06d},hovedkort,{36 + n % 6},{3000 + n % 3000},2024-01-01,")
        elif kind < 19:
            rows.append(f"c{n:06d},bikort,{38 + n % 4},,2024-01-01,")
        else:
            rows.append(f"c{n:06d},frikort,37,,2024-01-01,{40000 + n % 10000}")
    return "\n".join(rows) + "\n"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(url: str, cases: int) -> dict[str, object]:
    from flexcalc.formats.income_report import check_income_report, write_income_report
    from flexcalc.formats.payment_file import write_payment_file
    from flexcalc.ledger.payouts import month_payouts
    from flexcalc.ledger.tax_cards import import_tax_cards

    t = time.perf_counter()
    caseload(url, cases)
    setup = time.perf_counter() - t
    factory = open_ledger(url)
    t = time.perf_counter()
    run = pay_month(factory, MONTH, AS_OF)
    pay_s = time.perf_counter() - t
    text = tax_cards_csv(cases)
    t = time.perf_counter()
    with transaction(factory) as session:
        stored = import_tax_cards(session, text, "bench", "bench")
    import_s = time.perf_counter() - t
    rss_before = rss_mb()
    out: dict[str, object] = {"cases": cases, "paid": run.summary()["paid"], "tax_cards": stored,
                              "setup_s": round(setup, 2), "payment_run_s": round(pay_s, 2),
                              "tax_card_import_s": round(import_s, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with factory() as session:
            payouts = month_payouts(session, MONTH)
        t1 = time.perf_counter()
        with (Path(tmp) / "pay.txt").open("w", encoding="utf-8") as handle:
            write_payment_file(payouts, handle, "11223344")
        t2 = time.perf_counter()
        with (Path(tmp) / "report.txt").open("w", encoding="utf-8") as handle:
            write_income_report(payouts, handle, "11223344", dt.date(2024, 3, 29))
        t3 = time.perf_counter()
        with (Path(tmp) / "report.txt").open(encoding="utf-8") as handle:
            people = check_income_report(handle)
        t4 = time.perf_counter()
        totals = payouts.totals()
        out.update({
            "payouts_s": round(t1 - t0, 2), "payment_file_s": round(t2 - t1, 2), "income_report_s": round(t3 - t2, 2),
            "outputs_total_s": round(t3 - t0, 2), "report_check_s": round(t4 - t3, 2),
            "payees": len(payouts.lines), "reported": len(people),
            "payment_file_mb": round((Path(tmp) / "pay.txt").stat().st_size / 1e6, 1),
            "income_report_mb": round((Path(tmp) / "report.txt").stat().st_size / 1e6, 1),
            "gross": totals["gross"], "a_skat": totals["a_skat"], "net": totals["net"],
            "run_total_payout": totals["run_total_payout"],
            "peak_rss_mb_before_outputs": round(rss_before, 0), "peak_rss_mb_after_outputs": round(rss_mb(), 0),
        })
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=90_000)
    parser.add_argument("--postgres", default=os.environ.get("FLEXCALC_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.postgres:
        sys.exit("PostgreSQL needed: --postgres URL or FLEXCALC_TEST_POSTGRES_URL")
    url, drop = postgres_database(args.postgres)
    try:
        result = bench(url, args.cases)
    finally:
        drop()
    stamp = dt.datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.python_version()}, {os.cpu_count()} cores, PostgreSQL"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "payout_outputs.json").write_text(json.dumps({"measured": stamp, "machine": machine, **result},
                                                            indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Payouts after A-skat, the payment file and the income report (PostgreSQL)", "",
        f"Measured {stamp} by `bench/payout_outputs.py` (Python {machine}; one run, on a machine shared with other "
        "work).", "",
        "| step | seconds |", "|---|---|",
        f"| setup: {result['cases']} cases with CPR, ceiling, employment, report (bulk insert, not timed) | "
        f"{result['setup_s']} |",
        f"| payment run of {MONTH} ({result['paid']} paid; context, see payrun.md) | {result['payment_run_s']} |",
        f"| tax card import ({result['tax_cards']} cards, checked then stored) | {result['tax_card_import_s']} |",
        f"| payouts after A-skat (read payments, cards, frikort use; compute) | {result['payouts_s']} |",
        f"| payment file ({result['payees']} payees, {result['payment_file_mb']} MB) | {result['payment_file_s']} |",
        f"| income report ({result['income_report_mb']} MB) | {result['income_report_s']} |",
        f"| **outputs total (payouts + payment file + income report)** | **{result['outputs_total_s']}** |",
        f"| income report read back and validated ({result['reported']} persons) | {result['report_check_s']} |",
        "",
        f"Totals: gross {result['gross']} = the run's payout {result['run_total_payout']}; A-skat {result['a_skat']}; "
        f"net {result['net']}.",
        f"Peak RSS {result['peak_rss_mb_before_outputs']} MB before the outputs, "
        f"{result['peak_rss_mb_after_outputs']} MB after: the files are written line by line, but the month's payouts "
        "are held as one list of small records and the validation reads the whole report back into memory.",
    ]
    (RESULTS / "payout_outputs.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
