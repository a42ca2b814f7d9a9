"""Properties of the ledger (Hypothesis), on SQLite:

- the final corrections do not depend on the order in which the same reports arrive;
- reconciling twice adds nothing;
- for every case and paid month, paid + corrections = due as of now;
- no report is ever lost.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flexcalc.ledger.asof import basis_view, month_due
from flexcalc.ledger.payments import pay_month
from flexcalc.ledger.reconcile import reconcile
from flexcalc.ledger.reports import WageReport
from flexcalc.ledger.store import create_case, ingest, load_facts, open_ledger, transaction
from flexcalc.money import ZERO
from flexcalc.period import Month

UTC = dt.UTC
BASIS = [Month(2024, m) for m in range(1, 7)]
FINAL = dt.datetime(2025, 1, 1, tzinfo=UTC)
_counter = itertools.count()
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def pay_as_of(benefit: Month) -> dt.datetime:
    return dt.datetime(benefit.year, benefit.month, 6, 12, tzinfo=UTC)


amounts = st.integers(min_value=0, max_value=3_000_000).map(lambda ore: Decimal(ore) / 100)
delays = st.sampled_from([3, 20, 45, 70])
followup = st.one_of(
    st.tuples(st.just("correction"), amounts, st.integers(1, 60), st.booleans()),
    st.tuples(st.just("reversal"), st.just(ZERO), st.integers(1, 60), st.just(False)),
    st.tuples(st.just("rereport"), amounts, st.integers(1, 60), st.just(False)),
)
side_job = st.one_of(st.none(), st.tuples(amounts, delays))
month_plan = st.tuples(amounts, delays, st.lists(followup, max_size=2), side_job)
histories = st.lists(month_plan, min_size=len(BASIS), max_size=len(BASIS))


def build(plan: list[Any], case_id: str) -> list[WageReport]:
    """The wage reports of a plan: per basis month an original of the fleksjob employer, its follow-ups
    (corrections, possibly moving the payment into the next month; reversals; reversal + re-report),
    and maybe a side job's report."""
    reports: list[WageReport] = []
    for index, (amount, delay, follow, side) in enumerate(plan):
        basis = BASIS[index]
        paid_on = basis.last_day()
        received = dt.datetime.combine(paid_on, dt.time(9), UTC) + dt.timedelta(days=delay)

        def make(rid: str, pay: dt.date, wage: Decimal, at: dt.datetime, kind: str = "original",
                 corrects: str | None = None, employer: str = "11111111") -> WageReport:
            return WageReport(f"{case_id}-{rid}", case_id, employer, pay, pay.replace(day=1), pay, wage, ZERO, ZERO,
                              ZERO, at, kind, f"{case_id}-{corrects}" if corrects else None)

        current = make(f"{index}-o", paid_on, amount, received)
        reports.append(current)
        at = received
        for n, (kind, value, extra, moves) in enumerate(follow):
            at = at + dt.timedelta(days=extra)
            if kind == "correction":
                pay = basis.next().first_day() + dt.timedelta(days=1) if moves else current.payment_date
                current = make(f"{index}-c{n}", pay, value, at, "correction", current.report_id[len(case_id) + 1:])
                reports.append(current)
            elif current.kind != "reversal":
                target = current.report_id[len(case_id) + 1:]
                current = replace(make(f"{index}-x{n}", current.payment_date, ZERO, at, "reversal", target))
                reports.append(current)
                if kind == "rereport":
                    current = make(f"{index}-r{n}", paid_on, value, at + dt.timedelta(minutes=5))
                    reports.append(current)
        if side is not None:
            side_amount, side_delay = side
            side_pay = basis.first_day() + dt.timedelta(days=14)
            reports.append(make(f"{index}-s", side_pay, side_amount,
                                dt.datetime.combine(side_pay, dt.time(9), UTC) + dt.timedelta(days=side_delay),
                                employer="22222222"))
    return reports


def dependency_order(reports: list[WageReport], order: list[int]) -> list[WageReport]:
    """The reports in the given order, except that a report comes after the one it corrects."""
    by_id = {r.report_id: r for r in reports}
    placed: list[WageReport] = []
    seen: set[str] = set()

    def place(report: WageReport) -> None:
        if report.report_id in seen:
            return
        if report.corrects:
            place(by_id[report.corrects])
        seen.add(report.report_id)
        placed.append(report)

    for i in order:
        place(reports[i])
    return placed


Run = tuple[str, list[dict[str, Any]]]


def run(url: str, plan: list[Any], order: list[int], batches: int, interleave: bool) -> Run:
    """Create a case, let reports arrive in ``order`` (in ``batches``), pay every month, reconcile."""
    factory = open_ledger(url)
    case_id = f"p{next(_counter)}"
    reports = build(plan, case_id)
    with transaction(factory) as session:
        create_case(session, case_id, Decimal("30000"), Month(2024, 2), ["11111111"])
    arriving = dependency_order(reports, order)
    last_pay = pay_as_of(BASIS[-1].next())
    if interleave:  # the reports known in time for the pay runs first, the rest later in batches
        early = [r for r in arriving if r.received_at <= last_pay]
        late = [r for r in arriving if r.received_at > last_pay]
    else:
        early, late = arriving, []
    size = max(1, len(early) // batches + 1)
    for start in range(0, len(early), size):
        with transaction(factory) as session:
            ingest(session, early[start:start + size])
    for basis in BASIS:
        pay_month(factory, basis.next(), pay_as_of(basis.next()), [case_id])
    corrections: list[dict[str, Any]] = []
    size = max(1, len(late) // batches + 1)
    for start in range(0, len(late), size):
        with transaction(factory) as session:
            ingest(session, late[start:start + size])
        corrections += reconcile(factory, FINAL, [case_id]).corrections
    corrections += reconcile(factory, FINAL, [case_id]).corrections
    assert reconcile(factory, FINAL, [case_id]).corrections == []  # reconciling twice adds nothing
    # no report is lost
    with factory() as session:
        facts = load_facts(session, case_id)
    assert sorted(facts.reports, key=lambda r: r.report_id) == sorted(reports, key=lambda r: r.report_id)
    return case_id, corrections


def check_balances(url: str, case_id: str, corrections: list[dict[str, Any]]) -> dict[str, Decimal]:
    """paid + corrections = due as of now, for every paid month; returns the net correction per month."""
    from sqlalchemy import select

    from flexcalc.ledger.models import Payment

    factory = open_ledger(url)
    with factory() as session:
        facts = load_facts(session, case_id)
        payments = list(session.scalars(select(Payment).where(Payment.case_id == case_id)))
    view = basis_view(facts.reports, None)
    net: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for c in corrections:
        net[c["benefit_month"]] += Decimal(c["difference"])
    for payment in payments:
        due = month_due(payment.benefit_month, view, facts.ceilings, facts.employments)
        if due.result is not None:
            assert payment.subsidy + net[str(payment.benefit_month)] == due.result.subsidy, payment.benefit_month
    return dict(net)


def comparable(corrections: list[dict[str, Any]], case_id: str) -> list[tuple[Any, ...]]:
    def strip(ids: list[str]) -> tuple[str, ...]:
        return tuple(sorted(i[len(case_id) + 1:] for i in ids))

    return [(c["benefit_month"], c["previous_subsidy"], c["due_subsidy"], c["difference"], strip(c["caused_by"]),
             tuple(c["reasons"]), c["status"], c["earliest_affected_month"]) for c in corrections]


@PROPERTY
@given(plan=histories, seed=st.randoms(use_true_random=False), batches=st.integers(1, 4))
def test_corrections_do_not_depend_on_arrival_order(sqlite_url: str, plan: list[Any], seed: Any, batches: int) -> None:
    n = len(build(plan, "x"))
    first, second = list(range(n)), list(range(n))
    seed.shuffle(second)
    case_a, got_a = run(sqlite_url, plan, first, 1, interleave=False)
    case_b, got_b = run(sqlite_url, plan, second, batches, interleave=False)
    assert comparable(got_a, case_a) == comparable(got_b, case_b)
    assert check_balances(sqlite_url, case_a, got_a) == check_balances(sqlite_url, case_b, got_b)


@PROPERTY
@given(plan=histories, seed=st.randoms(use_true_random=False), batches=st.integers(1, 4))
def test_interleaved_arrival_and_reconciliation_settle_to_the_same_net(sqlite_url: str, plan: list[Any], seed: Any,
                                                                      batches: int) -> None:
    """Late reports arriving in any order, with a reconciliation after each batch: the individual
    corrections may differ, but the net per month is the same and paid + corrections = due."""
    n = len(build(plan, "x"))
    order = list(range(n))
    case_a, got_a = run(sqlite_url, plan, order, 1, interleave=True)
    seed.shuffle(order)
    case_b, got_b = run(sqlite_url, plan, order, batches, interleave=True)
    net_a = {k: v for k, v in check_balances(sqlite_url, case_a, got_a).items() if v}
    net_b = {k: v for k, v in check_balances(sqlite_url, case_b, got_b).items() if v}
    assert net_a == net_b
