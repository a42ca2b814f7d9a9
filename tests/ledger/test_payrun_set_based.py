"""The set-based payment run and reconciliation against the case-by-case path, on a whole
synthetic caseload: the same payments (to the øre, with the same reasons, report ids, rule version
and as-of instant), the same held months with their reasons, the same corrections with the same
causes and words.

The caseload (seeded, 240 cases over four benefit months across a change of rates year) holds
plain months, months without wage from the fleksjob employer (paid 0 with the reason), held months
(a known employer's report missing, or received after the run's instant), other employers' wage,
two fleksjob employers, wages above the ceiling, ceiling changes known before and after a run,
corrections and reversals, event registrations (before and after a month is paid), a job starting
within a basis month and closed cases. The set-based path runs on SQLite and on PostgreSQL; the
reference (case by case) on SQLite.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from flexcalc.ledger.confirmations import confirm_rates
from flexcalc.ledger.models import Correction, Hold, Payment
from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.reconcile import reconcile
from flexcalc.ledger.registrations import register_events
from flexcalc.ledger.reports import WageReport
from flexcalc.ledger.store import (
    add_ceiling,
    add_employment,
    close_case,
    create_case,
    ingest,
    open_ledger,
    set_employment_start,
    transaction,
)
from flexcalc.period import Month

UTC = dt.UTC
FIRST = Month(2023, 12)
MONTHS = [FIRST + i for i in range(4)]  # benefit months 2023-12 … 2024-03 (rates change in January)
FLEX = "20000001"
FLEX2 = "20000002"
OTHER = "30000003"


def money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def at(month: Month, day: int) -> dt.datetime:
    return dt.datetime(month.year, month.month, day, 12, tzinfo=UTC)


def build(url: str, cases: int = 240, seed: int = 14) -> None:
    """The caseload, built the same way (same ids, same order) in any database."""
    rng = random.Random(seed)
    factory = open_ledger(url)
    with transaction(factory) as session:  # December 2023's T is assumed: confirmed, or every case is held
        confirm_rates(session, FIRST, "kommunens beslutning", "test", role="finance")
    with transaction(factory) as session:
        for n in range(cases):
            case_id = f"k{n:04d}"
            first = FIRST if n % 9 else FIRST.next()
            employers = [FLEX, FLEX2] if n % 4 == 0 else [FLEX]
            create_case(session, case_id, money(rng, 18000, 40000), first, employers)
            if n % 13 == 5:
                add_employment(session, case_id, OTHER[:-1] + "9", first)  # a fleksjob employer from the 2nd month
            if n % 17 == 3:
                set_employment_start(session, case_id, FLEX, dt.date(first.previous().year,
                                                                     first.previous().month, 10))
            if n % 19 == 7:
                close_case(session, case_id, Month(2024, 1))
            if n % 6 == 1:  # a ceiling change from February, known before (even n) or after the run
                add_ceiling(session, case_id, money(rng, 15000, 42000), Month(2024, 2), "ny",
                            known_at=at(Month(2024, 2), 1 if n % 12 == 1 else 20))
            reports: list[WageReport] = []
            for index, benefit in enumerate(MONTHS):
                if benefit < first:
                    continue
                basis = benefit.previous()
                pay_day = basis.last_day() - dt.timedelta(days=rng.randint(0, 3))
                on_time = at(benefit, 3)
                payers = list(employers) + ([OTHER[:-1] + "9"] if n % 13 == 5 and benefit > first else [])
                for employer in payers:
                    roll = rng.random()
                    if roll < 0.06:
                        continue  # never reported: held
                    rid = f"{case_id}-{employer[-1]}-{index}"
                    wage = Decimal(0) if roll < 0.12 else (
                        money(rng, 38000, 60000) if roll < 0.16 else money(rng, 2000, 26000))
                    received = at(benefit, 18) if roll > 0.93 else on_time  # after the run's instant: held
                    reports.append(WageReport(rid, case_id, employer, pay_day, basis.first_day(), pay_day, wage,
                                              money(rng, 0, 300), money(rng, 0, 900), Decimal(60), received,
                                              "original"))
                    follow = rng.random()
                    if follow < 0.05:  # corrected before the run: the chain goes through the pipeline
                        reports.append(WageReport(f"{rid}c", case_id, employer, pay_day, basis.first_day(), pay_day,
                                                  money(rng, 0, 26000), Decimal(0), Decimal(0), Decimal(60),
                                                  received + dt.timedelta(hours=2), "correction", rid))
                    elif follow < 0.08:  # corrected late (after the payment): reconciliation
                        reports.append(WageReport(f"{rid}L", case_id, employer, pay_day, basis.first_day(), pay_day,
                                                  money(rng, 0, 26000), Decimal(0), Decimal(0), Decimal(60),
                                                  at(benefit.next(), 25), "correction", rid))
                    elif follow < 0.10:  # reversed before the run
                        reports.append(WageReport(f"{rid}r", case_id, employer, pay_day, basis.first_day(), pay_day,
                                                  Decimal(0), Decimal(0), Decimal(0), Decimal(0),
                                                  received + dt.timedelta(hours=1), "reversal", rid))
                if rng.random() < 0.15:  # another employer's wage (not the fleksjob)
                    reports.append(WageReport(f"{case_id}-o-{index}", case_id, "40000004", pay_day, basis.first_day(),
                                              pay_day, money(rng, 100, 9000), Decimal(0), Decimal(0), Decimal(10),
                                              on_time if rng.random() < 0.8 else at(benefit.next(), 26), "original"))
                if rng.random() < 0.06 and (n % 19 != 7 or benefit <= Month(2024, 1)):  # events, before or after paying
                    start = basis.first_day() + dt.timedelta(days=4)
                    events = {"periods": [{"kind": "sickness_unpaid", "start": start.isoformat(),
                                           "end": (start + dt.timedelta(days=3)).isoformat()}],
                               "sickness_benefit": "900"} \
                        if rng.random() < 0.5 else {"incomes": [{"kind": "wage_other_employer", "amount": "1200"}]}
                    register_events(session, case_id, benefit, events,
                                    received_at=at(benefit, 2 if rng.random() < 0.5 else 27), registered_by="test")
            ingest(session, reports)


def rows(url: str, model: Any) -> list[dict[str, Any]]:
    """Every row of a table as plain values, without the database's own id and clock."""
    factory = open_ledger(url)
    skip = {"id", "created_at"}
    with factory() as session:
        out = [{c.name: getattr(r, c.key) for c in model.__table__.columns if c.name not in skip}
               for r in session.scalars(select(model))]
    return sorted(out, key=lambda r: (r["case_id"], str(r["benefit_month"]), r.get("sequence", 0)))


def without_ids(result: dict[str, Any]) -> dict[str, Any]:
    return {**result, "corrections": [{k: v for k, v in c.items() if k != "id"} for c in result["corrections"]]}


def test_set_based_runs_equal_the_case_by_case_runs(database_url: str, tmp_path: Path) -> None:
    reference = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    build(database_url)
    build(reference)
    fast, slow = open_ledger(database_url), open_ledger(reference)
    for benefit in MONTHS:
        for day in (6, 28):  # the run, then a re-run that finds the reports received since
            a = pay_month(fast, benefit, at(benefit, day))
            b = pay_month(slow, benefit, at(benefit, day), set_based=False)
            assert a.to_dict() == b.to_dict(), (benefit, day)
    payments = rows(database_url, Payment)
    assert payments == rows(reference, Payment)
    assert rows(database_url, Hold) == rows(reference, Hold)
    # the caseload holds what it claims: paid 0 for want of wage, held months, events, other wage
    assert sum(1 for p in payments if p["reason"] == "no_fleksjob_wage") >= 8
    assert sum(1 for p in payments if p["event_registration"] is not None) >= 5
    assert len(rows(database_url, Hold)) >= 40
    assert len({p["rule_version"] for p in payments}) == 4  # the rates fingerprint is per month
    final = at(Month(2024, 6), 1)
    a_rec = reconcile(fast, final)
    b_rec = reconcile(slow, final, set_based=False)
    assert without_ids(a_rec.to_dict()) == without_ids(b_rec.to_dict())
    corrections = rows(database_url, Correction)
    assert corrections == rows(reference, Correction)
    reasons = {r for c in corrections for r in c["reasons"]}
    assert {"late_report", "corrected_report", "ceiling_change", "events_registered"} <= reasons, reasons
    # nothing new: both find nothing
    assert reconcile(fast, final).corrections == [] and reconcile(slow, final, set_based=False).corrections == []


def test_a_second_payment_in_the_bulk_write_is_refused_as_a_retryable_clash(database_url: str) -> None:
    """COPY (PostgreSQL) and executemany (SQLite) meet the unique (case, month) constraint like the ORM
    insert did, and the clash is SQLAlchemy's IntegrityError, which ``run_in_transaction`` redoes."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from flexcalc.ledger.payrun import PAYMENT_COLUMNS, payment_constants, write_payments

    factory = open_ledger(database_url)
    with transaction(factory) as session:
        create_case(session, "dup", Decimal("32067"), Month(2024, 3), [FLEX])
        ingest(session, [WageReport("d1", "dup", FLEX, dt.date(2024, 2, 29), dt.date(2024, 2, 1), dt.date(2024, 2, 29),
                                    Decimal("15600"), Decimal(0), Decimal(0), Decimal(60), at(Month(2024, 3), 3),
                                    "original")])
    paid = pay_month(factory, Month(2024, 3), at(Month(2024, 3), 6))
    assert [p["subsidy"] for p in paid.paid] == ["15272.00"]
    session = factory()
    try:
        values = {**payment_constants(session.get_bind().dialect, Month(2024, 3), "v", at(Month(2024, 3), 6),
                                      at(Month(2024, 3), 6)),
                  "case_id": "dup", "basis_wage": 1, "ceiling": 1, "subsidy": 1, "atp_own": 0, "payout": 1,
                  "report_ids": "[]", "reason": None}
        with pytest.raises(IntegrityError):
            write_payments(session, [tuple(values.get(name) for name in PAYMENT_COLUMNS)])
    finally:
        session.rollback()
        session.close()
    assert len(rows(database_url, Payment)) == 1
