"""Benchmarks of the case ledger; writes bench/results/ledger.md.

1. Reconciling a ten-year case history: 120 paid months, 300 reports of which 50 arrive late or
   correct an earlier report (target: under 50 ms); and the same with events in a third of its
   months, half of them registered after the month was paid. Timed per case over several identical cases,
   each reconciled once after its late reports arrive (the real work), on SQLite and PostgreSQL,
   and the in-memory part alone (as-of view + 120 monthly calculations).
2. A payment run over 100,000 cases (one employment, one report each) on SQLite and PostgreSQL.

Usage: python bench/ledger_bench.py [--cases 100000] [--postgres URL]
(PostgreSQL: FLEXCALC_TEST_POSTGRES_URL or --postgres; a fresh database is made and dropped.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, text

from flexcalc.ledger.asof import basis_view, month_due
from flexcalc.ledger.db import database_url, dispose_all, make_engine
from flexcalc.ledger.models import Case, Ceiling, Employment, Report
from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.reconcile import reconcile
from flexcalc.ledger.reports import WageReport
from flexcalc.ledger.store import create_case, ingest, load_facts, open_ledger, transaction
from flexcalc.money import ZERO
from flexcalc.period import Month

UTC = dt.UTC
RESULTS = Path(__file__).resolve().parent / "results" / "ledger.md"
FIRST_BASIS = Month(2015, 1)


def ten_year_history(case_id: str) -> tuple[list[WageReport], list[WageReport]]:
    """120 originals of the fleksjob employer, 25 corrections of them arriving 70 days late, and 155
    reports of a side job of which 25 arrive two months late: 300 reports, 50 late or corrected."""
    on_time: list[WageReport] = []
    late: list[WageReport] = []
    for i in range(120):
        basis = FIRST_BASIS + i
        pay = basis.last_day()
        received = dt.datetime.combine(pay, dt.time(9), UTC) + dt.timedelta(days=2)
        wage = Decimal(11000 + (i * 37) % 5000)
        main = WageReport(f"{case_id}-m{i}", case_id, "11111111", pay, basis.first_day(), pay, wage, Decimal("300"),
                          Decimal("700"), Decimal("60"), received, "original")
        on_time.append(main)
        if i % 4 == 2 and len(late) < 25:
            late.append(WageReport(f"{case_id}-m{i}R", case_id, "11111111", pay, basis.first_day(), pay,
                                   wage - 500, Decimal("300"), Decimal("700"), Decimal("55"),
                                   received + dt.timedelta(days=70), "correction", main.report_id))
    side = 0
    for i in range(120):
        basis = FIRST_BASIS + i
        for n in range(2 if i % 3 == 0 else 1):
            if side >= 155:
                break
            day = basis.first_day() + dt.timedelta(days=9 + n * 5)
            received = dt.datetime.combine(day, dt.time(9), UTC) + dt.timedelta(days=3)
            is_late = side % 6 == 5 and sum(1 for r in late if r.kind == "original") < 25
            if is_late:
                received += dt.timedelta(days=62)
            report = WageReport(f"{case_id}-s{side}", case_id, "22222222", day, day, day, Decimal(800 + side % 7 * 100),
                                ZERO, ZERO, Decimal("5"), received, "original")
            (late if is_late else on_time).append(report)
            side += 1
    assert len(on_time) + len(late) == 300 and len(late) == 50, (len(on_time), len(late))
    return on_time, late


def month_events(i: int, benefit: Month) -> dict[str, object]:
    """The events of every third benefit month: unpaid sickness with dagpenge, a second employer's
    income, or holiday on ledighedsydelse, in turn."""
    basis = benefit.previous()
    kind = (i // 3) % 3
    if kind == 0:
        start = basis.first_day() + dt.timedelta(days=7)
        return {"periods": [{"kind": "sickness_unpaid", "start": start.isoformat(),
                             "end": (start + dt.timedelta(days=4)).isoformat()}], "sickness_benefit": "2500",
                "paid_hours": "60", "paid_hours_before_sickness": "74"}
    if kind == 1:
        return {"incomes": [{"kind": "wage_other_employer", "amount": "1800"}]}
    return {"holiday_days": "3", "ledighedsydelse_days": "2"}


def register_month_events(factory: object, case_id: str, late: bool) -> int:
    """Events in a third of the 120 months (i % 3 == 0): registered before the month is paid or, with
    ``late``, half of them after it (the reconciliation then recomputes those months)."""
    from flexcalc.ledger.registrations import register_events

    count = 0
    with transaction(factory) as session:  # type: ignore[arg-type]
        for i in range(0, 120, 3):
            benefit = FIRST_BASIS.next() + i
            is_late = (i // 3) % 2 == 1
            if is_late != late:
                continue
            at = dt.datetime(benefit.year, benefit.month, 20 if is_late else 2, tzinfo=UTC)
            register_events(session, case_id, benefit, month_events(i, benefit), received_at=at,
                            registered_by="bench")
            count += 1
    return count


def bench_reconcile(url: str, cases: int = 11, events: bool = False) -> dict[str, float]:
    factory = open_ledger(url)
    ids = [f"ten{'e' if events else ''}-{n}" for n in range(cases)]
    histories = {}
    for case_id in ids:
        on_time, late = ten_year_history(case_id)
        histories[case_id] = late
        with transaction(factory) as session:
            create_case(session, case_id, Decimal("30000"), FIRST_BASIS.next(), ["11111111"])
            ingest(session, on_time)
        if events:
            register_month_events(factory, case_id, late=False)
    for i in range(120):
        month = FIRST_BASIS.next() + i
        pay_month(factory, month, dt.datetime(month.year, month.month, 6, tzinfo=UTC), ids)
    for case_id in ids:
        with transaction(factory) as session:
            ingest(session, histories[case_id])
        if events:
            register_month_events(factory, case_id, late=True)
    final = dt.datetime(2026, 1, 1, tzinfo=UTC)
    timings, counts, cpu = [], [], []
    for case_id in ids:
        start, start_cpu = time.perf_counter(), time.process_time()
        result = reconcile(factory, final, [case_id])
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        counts.append(len(result.corrections))
    again = []
    for case_id in ids:
        start = time.perf_counter()
        assert reconcile(factory, final, [case_id]).corrections == []
        again.append((time.perf_counter() - start) * 1000)
    with factory() as session:
        facts = load_facts(session, ids[0])
    memory = []
    for _ in range(7):
        start = time.perf_counter()
        view = basis_view(facts.reports, final)
        for i in range(120):
            month = FIRST_BASIS.next() + i
            month_due(month, view, facts.ceilings, facts.employments, as_of=final,
                      registration=facts.registration(month, final))
        memory.append((time.perf_counter() - start) * 1000)
    return {"median_ms": statistics.median(timings), "max_ms": max(timings), "min_ms": min(timings),
            "cpu_ms": statistics.median(cpu),
            "corrections": statistics.median(counts),
            "again_ms": statistics.median(again), "memory_ms": statistics.median(memory)}


def bench_pay_run(url: str, cases: int) -> dict[str, float]:
    open_ledger(url)
    engine = make_engine(url)
    stamp = dt.datetime(2024, 1, 1, tzinfo=UTC)
    basis = Month(2024, 2)
    month = basis.next()
    start = time.perf_counter()
    with engine.begin() as conn:
        for lo in range(0, cases, 10000):
            hi = min(cases, lo + 10000)
            conn.execute(insert(Case), [{"id": f"c{n:06d}", "cpr": None, "first_month": "2024-01", "last_month": None,
                                         "created_at": stamp, "revision": 0} for n in range(lo, hi)])
            conn.execute(insert(Ceiling), [{"case_id": f"c{n:06d}", "effective_month": "2024-01",
                                            "amount": Decimal(28000 + n % 9000), "recorded_at": stamp, "note": None}
                                           for n in range(lo, hi)])
            conn.execute(insert(Employment), [{"case_id": f"c{n:06d}", "employer_id": f"{10000000 + n % 5000}",
                                               "first_basis_month": "2023-12", "last_basis_month": None,
                                               "created_at": stamp} for n in range(lo, hi)])
            conn.execute(insert(Report), [{
                "report_id": f"r{n:06d}", "case_id": f"c{n:06d}", "employer_id": f"{10000000 + n % 5000}",
                "payment_date": basis.last_day(), "basis_month": str(basis), "period_start": basis.first_day(),
                "period_end": basis.last_day(), "wage": Decimal(8000 + n % 12000), "pension_own": Decimal("200"),
                "pension_employer": Decimal("400"), "hours": Decimal("60"),
                "received_at": dt.datetime(2024, 3, 3, tzinfo=UTC), "kind": "original", "corrects": None,
                "root_id": f"r{n:06d}", "ingested_at": stamp} for n in range(lo, hi) if n % 50 != 0])
    setup = time.perf_counter() - start
    factory = open_ledger(url)
    start = time.perf_counter()
    result = pay_month(factory, month, dt.datetime(2024, 3, 6, tzinfo=UTC))
    run = time.perf_counter() - start
    start = time.perf_counter()
    again = pay_month(factory, month, dt.datetime(2024, 3, 6, tzinfo=UTC))
    rerun = time.perf_counter() - start
    assert again.summary()["paid"] == 0 and again.summary()["already_paid"] == result.summary()["paid"]
    return {"setup_s": setup, "run_s": run, "rerun_s": rerun, **result.summary()}


def postgres_database(admin: str) -> tuple[str, callable]:  # type: ignore[valid-type]
    admin = database_url(admin)
    name = f"flexcalc_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        dispose_all()
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return admin.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("FLEXCALC_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-pay-run", action="store_true", help="Only the reconciliation benchmark.")
    args = parser.parse_args()
    lines = ["# Ledger benchmarks", "",
             f"Run {dt.datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} CPUs, "
             f"Python {platform.python_version()}, `python bench/ledger_bench.py --cases {args.cases}`.", ""]
    targets: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", f"sqlite:///{tmp}/rec.sqlite"))
        drops = []
        if args.postgres:
            url, drop = postgres_database(args.postgres)
            targets.append(("PostgreSQL", url))
            drops.append(drop)
        lines += ["## Reconciling a ten-year case history", "",
                  "120 paid months, 300 reports (120 fleksjob originals, 25 late corrections of them, 155 side-job "
                  "reports of which 25 arrive two months late). Target: under 50 ms. With events: a third "
                  "of the months (40) have event registrations — unpaid sickness with dagpenge, a second "
                  "employer's income, holiday on ledighedsydelse in turn — 20 registered before the month is paid "
                  "and 20 after it, so the reconciliation recomputes those months through the month pipeline.", "",
                  "| database | reconcile (median of 11 cases) | best | worst | CPU time of this process (median) | "
                  "corrections recorded | reconcile again (nothing new) | in-memory part (view + 120 calculations) |",
                  "|---|---|---|---|---|---|---|---|"]
        for label, url in targets:
            for events in (False, True):
                r = bench_reconcile(url, events=events)
                what = f"{label}, events in 40 months" if events else label
                lines.append(f"| {what} | {r['median_ms']:.1f} ms | {r['min_ms']:.1f} ms | {r['max_ms']:.1f} ms | "
                             f"{r['cpu_ms']:.1f} ms | {r['corrections']:.0f} | "
                             f"{r['again_ms']:.1f} ms | {r['memory_ms']:.1f} ms |")
                print(lines[-1], flush=True)
        kept: list[str] = []
        if args.skip_pay_run and RESULTS.exists():  # keep the payment-run figures of the last full run
            old = RESULTS.read_text(encoding="utf-8").splitlines()
            marks = [i for i, line in enumerate(old) if line.startswith("## A payment run")]
            if marks:
                end = next((i for i in range(marks[0] + 1, len(old)) if old[i].startswith("Load average")), len(old))
                kept = ["", *old[marks[0]:end]]
        lines += kept
        if not args.skip_pay_run:
            lines += ["", f"## A payment run over {args.cases:,} cases", "",
                      "Each case has one employment, one ceiling and (for 49 of 50 cases) one report of the basis "
                      "month; the other cases are held as awaiting report. Setup is a bulk insert, not timed.", "",
                      "| database | payment run | paid | held | second run (all already paid) |",
                      "|---|---|---|---|---|"]
        pay_targets = [] if args.skip_pay_run else [("SQLite", f"sqlite:///{tmp}/pay.sqlite")]
        if args.postgres and not args.skip_pay_run:
            url, drop = postgres_database(args.postgres)
            pay_targets.append(("PostgreSQL", url))
            drops.append(drop)
        for label, url in pay_targets:
            r = bench_pay_run(url, args.cases)
            lines.append(f"| {label} | {r['run_s']:.1f} s ({args.cases / r['run_s']:,.0f} cases/s) | {r['paid']:,} | "
                         f"{r['held']:,} | {r['rerun_s']:.1f} s |")
            print(lines[-1], flush=True)
        dispose_all()
        for drop in drops:
            drop()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines += ["", f"Load average when finished: {load:.1f} on {os.cpu_count()} CPUs. The machine is shared with other "
              "work; figures vary with its load (the best case shows the cost without interference)."]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
