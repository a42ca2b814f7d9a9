"""Properties of the ledger with event registrations (Hypothesis), on SQLite:

- the order in which reports *and* event registrations arrive does not change the final corrections;
- reconciling twice adds nothing;
- for every paid month, paid + corrections = due as known now (reports, events, ceiling).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from flexcalc.ledger.models import Payment
from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.reconcile import reconcile
from flexcalc.ledger.registrations import register_events
from flexcalc.ledger.reports import WageReport
from flexcalc.ledger.store import create_case, ingest, load_facts, open_ledger, transaction
from flexcalc.money import ZERO
from flexcalc.period import Month

UTC = dt.UTC
BASIS = [Month(2024, m) for m in range(1, 6)]
FINAL = dt.datetime(2025, 1, 1, tzinfo=UTC)
_counter = itertools.count()
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def event_kinds(benefit: Month) -> dict[str, dict[str, Any]]:
    basis = benefit.previous()
    start = basis.first_day() + dt.timedelta(days=7)
    return {
        "sick": {"periods": [{"kind": "sickness_unpaid", "start": start.isoformat(),
                              "end": (start + dt.timedelta(days=4)).isoformat()}], "sickness_benefit": "2000"},
        "holiday_ly": {"holiday_days": "2", "ledighedsydelse_days": "2"},
        "income": {"incomes": [{"kind": "wage_other_employer", "amount": "1500"}]},
        "nothing": {},
    }


def pay_as_of(benefit: Month) -> dt.datetime:
    return dt.datetime(benefit.year, benefit.month, 6, 12, tzinfo=UTC)


amounts = st.sampled_from(["0", "6000", "12000", "18000", "26000"]).map(Decimal)
delays = st.sampled_from([2, 20, 45])
registration = st.tuples(st.sampled_from(["sick", "holiday_ly", "income", "nothing"]), st.sampled_from([1, 3, 30, 60]))
month_plan = st.tuples(amounts, delays, st.one_of(st.none(), st.tuples(amounts, st.integers(5, 60))),
                       st.lists(registration, max_size=2, unique_by=(lambda r: r[0], lambda r: r[1])))
histories = st.lists(month_plan, min_size=len(BASIS), max_size=len(BASIS))

Item = tuple[dt.datetime, str, Any]


def build(plan: list[Any], case_id: str) -> list[Item]:
    """The arriving items of a plan: (received, "report", report) and (received, "events", (month, data))."""
    items: list[Item] = []
    for index, (amount, delay, correction, registrations) in enumerate(plan):
        basis = BASIS[index]
        benefit = basis.next()
        paid_on = basis.last_day()
        received = dt.datetime.combine(paid_on, dt.time(9), UTC) + dt.timedelta(days=delay)
        original = WageReport(f"{case_id}-{index}", case_id, "11111111", paid_on, basis.first_day(), paid_on, amount,
                              ZERO, ZERO, ZERO, received, "original", None)
        items.append((received, "report", original))
        if correction is not None:
            value, later = correction
            at = received + dt.timedelta(days=later)
            items.append((at, "report", WageReport(f"{case_id}-{index}c", case_id, "11111111", paid_on,
                                                   basis.first_day(), paid_on, value, ZERO, ZERO, ZERO, at,
                                                   "correction", original.report_id)))
        for kind, days in registrations:
            at = dt.datetime.combine(benefit.first_day(), dt.time(10), UTC) + dt.timedelta(days=days)
            items.append((at, "events", (benefit, event_kinds(benefit)[kind])))
    return items


def arrive(factory: Any, case_id: str, batch: list[Item]) -> None:
    with transaction(factory) as session:
        reports = [item for _at, kind, item in batch if kind == "report"]
        # a correction after the report it corrects (the register's order); otherwise any order
        reports.sort(key=lambda r: r.corrects is not None)
        if reports:
            ingest(session, reports)
        for at, kind, item in batch:
            if kind == "events":
                month, data = item
                register_events(session, case_id, month, data, received_at=at, registered_by="prop")


def run(url: str, plan: list[Any], order: list[int], batches: int, interleave: bool) -> tuple[str, list[Any]]:
    factory = open_ledger(url)
    case_id = f"ev{next(_counter)}"
    items = build(plan, case_id)
    with transaction(factory) as session:
        create_case(session, case_id, Decimal("30000"), BASIS[0].next(), ["11111111"])
    arriving = [items[i] for i in order]
    last_pay = pay_as_of(BASIS[-1].next())
    early = [i for i in arriving if i[0] <= last_pay]
    late = [i for i in arriving if i[0] > last_pay]
    # the early items in arrival order, but each before the pay run of its instant
    done: set[int] = set()
    for basis in BASIS:
        when = pay_as_of(basis.next())
        due_now = [k for k, i in enumerate(early) if i[0] <= when and k not in done]
        # reports before their corrections: arrival order within the batch, corrections last
        if due_now:
            arrive(factory, case_id, [early[k] for k in due_now])
            done.update(due_now)
        pay_month(factory, basis.next(), when, [case_id])
    corrections: list[dict[str, Any]] = []
    size = max(1, len(late) // batches + 1)
    pending = late
    # a correction never arrives before its report: hold it back until its report is in
    while pending:
        batch, pending = pending[:size], pending[size:]
        ids = {i[2].report_id for i in batch if i[1] == "report"}
        held = [i for i in batch if i[1] == "report" and i[2].corrects and i[2].corrects in
                {p[2].report_id for p in pending if p[1] == "report"} and i[2].corrects not in ids]
        batch = [i for i in batch if i not in held]
        pending = pending + held
        if batch:
            arrive(factory, case_id, batch)
        if interleave:
            corrections += reconcile(factory, FINAL, [case_id]).corrections
    corrections += reconcile(factory, FINAL, [case_id]).corrections
    assert reconcile(factory, FINAL, [case_id]).corrections == []  # reconciling twice adds nothing
    return case_id, corrections


def balances(url: str, case_id: str, corrections: list[dict[str, Any]]) -> dict[str, Decimal]:
    """paid + corrections = due as known now, for every paid month; the net correction per month."""
    factory = open_ledger(url)
    with factory() as session:
        facts = load_facts(session, case_id)
        payments = list(session.scalars(select(Payment).where(Payment.case_id == case_id)))
    net: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for c in corrections:
        net[c["benefit_month"]] += Decimal(c["difference"])
    for payment in payments:
        due = facts.month_due(payment.benefit_month, None)
        assert due.result is not None
        assert payment.subsidy + net[str(payment.benefit_month)] == due.result.subsidy, payment.benefit_month
    return dict(net)


def comparable(corrections: list[dict[str, Any]], case_id: str) -> list[tuple[Any, ...]]:
    return [(c["benefit_month"], c["previous_subsidy"], c["due_subsidy"], c["difference"],
             tuple(sorted(i[len(case_id) + 1:] for i in c["caused_by"])), tuple(c["reasons"]), c["status"])
            for c in corrections]


@PROPERTY
@given(plan=histories, seed=st.randoms(use_true_random=False), batches=st.integers(1, 3))
def test_corrections_do_not_depend_on_the_arrival_order_of_reports_and_events(
        sqlite_url: str, plan: list[Any], seed: Any, batches: int) -> None:
    n = len(build(plan, "x"))
    first, second = list(range(n)), list(range(n))
    seed.shuffle(second)
    case_a, got_a = run(sqlite_url, plan, first, 1, interleave=False)
    case_b, got_b = run(sqlite_url, plan, second, batches, interleave=False)
    assert comparable(got_a, case_a) == comparable(got_b, case_b)
    assert balances(sqlite_url, case_a, got_a) == balances(sqlite_url, case_b, got_b)


@PROPERTY
@given(plan=histories, seed=st.randoms(use_true_random=False), batches=st.integers(1, 3))
def test_reconciling_after_every_arrival_settles_to_the_same_net(sqlite_url: str, plan: list[Any], seed: Any,
                                                                 batches: int) -> None:
    n = len(build(plan, "x"))
    order = list(range(n))
    case_a, got_a = run(sqlite_url, plan, order, 1, interleave=True)
    seed.shuffle(order)
    case_b, got_b = run(sqlite_url, plan, order, batches, interleave=True)
    net_a = {m: v for m, v in balances(sqlite_url, case_a, got_a).items() if v}
    net_b = {m: v for m, v in balances(sqlite_url, case_b, got_b).items() if v}
    assert net_a == net_b
