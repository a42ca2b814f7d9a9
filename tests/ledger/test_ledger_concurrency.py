"""Two processes ingesting, paying and reconciling the same case at once lose nothing and pay nothing
twice (PostgreSQL, and SQLite for good measure)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import sys
import types
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from flexcalc.ledger.asof import basis_view, month_due
from flexcalc.ledger.models import Correction, Payment, Report
from flexcalc.ledger.reports import WageReport
from flexcalc.money import ZERO
from flexcalc.period import Month

UTC = dt.UTC
CASE = "conc-1"
BASIS = [Month(2024, m) for m in range(1, 5)]
FINAL = dt.datetime(2025, 1, 1, tzinfo=UTC)


def all_reports() -> list[WageReport]:
    """Per basis month an original on time, and a correction arriving two months later."""
    out = []
    for i, basis in enumerate(BASIS):
        pay = basis.last_day()
        on_time = dt.datetime.combine(pay, dt.time(9), UTC) + dt.timedelta(days=2)
        out.append(WageReport(f"o{i}", CASE, "11111111", pay, basis.first_day(), pay, Decimal(12000 + 500 * i), ZERO,
                              ZERO, ZERO, on_time, "original"))
        out.append(WageReport(f"c{i}", CASE, "11111111", pay, basis.first_day(), pay, Decimal(16000 - 300 * i), ZERO,
                              ZERO, ZERO, on_time + dt.timedelta(days=60), "correction", f"o{i}"))
    return out


def worker(url: str, seed: int) -> None:
    from flexcalc.ledger.payments import pay_month
    from flexcalc.ledger.reconcile import reconcile
    from flexcalc.ledger.store import ingest_reports, open_ledger

    factory = open_ledger(url)
    rng = random.Random(seed)
    reports = all_reports()
    originals = [r for r in reports if r.kind == "original"]
    corrections = [r for r in reports if r.kind == "correction"]
    rng.shuffle(corrections)
    ingest_reports(factory, originals)
    for basis in BASIS:
        month = basis.next()
        pay_month(factory, month, dt.datetime(month.year, month.month, 6, tzinfo=UTC))
        reconcile(factory, FINAL)
    for start in range(0, len(corrections), 3):
        ingest_reports(factory, corrections[start:start + 3])
        reconcile(factory, FINAL)


def check(url: str) -> None:
    from flexcalc.ledger.store import create_case, load_facts, open_ledger, transaction

    factory = open_ledger(url)
    with transaction(factory) as session:
        create_case(session, CASE, Decimal("30000"), Month(2024, 2), ["11111111"])
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=worker, args=(url, seed)) for seed in (1, 2)]
    # A spawned child re-runs the parent's __main__ module. Under pytest-xdist, or after a Streamlit AppTest
    # has run a page as __main__, that is not pytest's: start the children from a neutral __main__.
    real_main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        for p in processes:
            p.start()
    finally:
        sys.modules["__main__"] = real_main
    for p in processes:
        p.join(120)
        assert p.exitcode == 0
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == len(all_reports())  # nothing lost
        payments = list(session.scalars(select(Payment)))
        assert sorted(p.benefit_month for p in payments) == [b.next() for b in BASIS]  # each month once
        net: dict[str, Decimal] = {}
        for c in session.scalars(select(Correction)):
            net[c.benefit_month] = net.get(c.benefit_month, ZERO) + c.difference
        facts = load_facts(session, CASE)
    view = basis_view(facts.reports, None)
    for payment in payments:
        due = month_due(payment.benefit_month, view, facts.ceilings, facts.employments)
        assert due.result is not None
        # paid once, corrected once: paid + corrections = due (a correction recorded twice would break it)
        assert payment.subsidy + net.get(payment.benefit_month, ZERO) == due.result.subsidy


@pytest.mark.postgres
def test_two_processes_on_postgresql(postgres_url: str) -> None:
    check(postgres_url)


def test_two_processes_on_sqlite(sqlite_url: str) -> None:
    check(sqlite_url)
