"""Reading the paid months from the ledger: the one place the finance package touches the ledger's
schema (``flexcalc.ledger.models``), so a change there is a change here only.

A ``PaidMonth`` is what finance needs of a payment: the case, the benefit month, the subsidy, the own
ATP withheld, the payout, and from the reports behind it the wage without pension (for the særligt
fleksbidrag, § 7 stk. 3) and the fleksjob's paid hours (for the municipality's ATP, LAB § 138).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.ledger.models import Employment, Payment, Report
from flexcalc.money import ZERO
from flexcalc.period import Month


@dataclass(frozen=True, slots=True)
class PaidMonth:
    case_id: str
    benefit_month: Month
    kind: str
    subsidy: Decimal
    atp_own: Decimal
    payout: Decimal
    wage_excl_pension: Decimal
    fleksjob_hours: Decimal


REPORT_COLUMNS = (Report.report_id, Report.root_id, Report.received_at, Report.kind, Report.basis_month,
                  Report.employer_id, Report.wage, Report.hours)


def _effective(reports: Sequence[Any], basis: Month) -> list[Any]:
    """The last-received report of each chain among ``reports`` whose payment date is in ``basis``;
    a chain ending in a reversal counts nothing."""
    chains: dict[str, Any] = {}
    for report in reports:
        best = chains.get(report.root_id)
        if best is None or (report.received_at, report.report_id) > (best.received_at, best.report_id):
            chains[report.root_id] = report
    return [r for r in chains.values() if r.kind != "reversal" and Month.parse(r.basis_month) == basis]


def read_paid_months(session: Session, month: Month | None = None, case_ids: Sequence[str] | None = None,
                     ) -> list[PaidMonth]:
    """Every payment (of ``month``, or of all months up to it when ``case_ids`` are given), sorted by
    case and month."""
    query = select(Payment)
    if month is not None and case_ids is None:
        query = query.where(Payment.benefit_month == month)
    if case_ids is not None:
        query = query.where(Payment.case_id.in_(list(case_ids)))
        if month is not None:
            query = query.where(Payment.benefit_month <= month)
    payments = list(session.scalars(query.order_by(Payment.case_id, Payment.benefit_month)))
    ids = {rid for p in payments for rid in _report_ids(p)}
    reports: dict[str, Any] = {}
    ordered = sorted(ids)
    for chunk_start in range(0, len(ordered), 900):
        chunk = ordered[chunk_start:chunk_start + 900]
        for report in session.execute(select(*REPORT_COLUMNS).where(Report.report_id.in_(chunk))):
            reports[report.report_id] = report
    cases = {p.case_id for p in payments}
    employers: dict[str, set[str]] = {c: set() for c in cases}
    if cases:
        for row in session.execute(select(Employment.case_id, Employment.employer_id)
                                   .where(Employment.case_id.in_(sorted(cases)))):
            employers[row.case_id].add(row.employer_id)
    out = []
    for p in payments:
        benefit = Month.parse(p.benefit_month)
        effective = _effective([reports[r] for r in _report_ids(p) if r in reports], benefit.previous())
        wage = sum((r.wage for r in effective), ZERO)
        hours = sum((r.hours for r in effective if r.employer_id in employers[p.case_id]), ZERO)
        out.append(PaidMonth(p.case_id, benefit, p.kind, p.subsidy, p.atp_own, p.payout, wage, hours))
    return out


def paid_months(factory: Callable[[], Session], month: Month) -> list[PaidMonth]:
    """The payments of benefit ``month``."""
    with factory() as session:
        return read_paid_months(session, month)


def benefit_months(factory: Callable[[], Session], first: Month, month: Month,
                   case_ids: Sequence[str]) -> dict[str, list[Month]]:
    """For each of ``case_ids``, the months ``first``…``month`` paid with a subsidy above 0 (the months
    with benefits that count weeks on the refund ladder)."""
    wanted = set(case_ids)
    out: dict[str, list[Month]] = {c: [] for c in case_ids}
    with factory() as session:
        rows = session.execute(select(Payment.case_id, Payment.benefit_month, Payment.subsidy).where(
            Payment.benefit_month >= str(first), Payment.benefit_month <= str(month)))
        for case_id, benefit_month, subsidy in rows:
            if case_id in wanted and subsidy > 0:
                out[case_id].append(Month.parse(benefit_month))
    return out


def _report_ids(payment: Payment) -> list[str]:
    """The report ids a payment was computed from (a typed list in the ledger since 0006_casemonths)."""
    ids: Any = payment.report_ids
    return list(ids.split()) if isinstance(ids, str) else list(ids or [])
