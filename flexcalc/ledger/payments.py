"""The monthly payment run, held months and provisional payments.

``pay_month`` pays benefit month *m* for every case active in *m*, on the reports received up to the
as-of instant, with the rule version. A month is paid at most once (checked, and a unique constraint
on (case, month) makes a second payment impossible even for two runs at once). A month whose basis
month lacks a report of a known employment is **not** paid as if the wage were zero: it is held as
"awaiting report" with the reason, and listed for the caseworker, who may release a provisional
payment on a documented wage (payslip or contract); reconciliation settles it against the report
like any other payment (BEK 227/2024 § 14: the income register is the source; at job start the
municipality pays on the contract and regulates on the report).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.orm import Session

from flexcalc import RULE_VERSION
from flexcalc.errors import InputError
from flexcalc.format import month_name
from flexcalc.money import amount_str
from flexcalc.period import Month

from .asof import MonthDue, basis_view, month_due
from .models import Case, Ceiling, Employment, Hold, Payment, Report
from .store import (
    CaseFacts,
    ceiling_entries,
    employment_entries,
    get_case,
    load_facts,
    lock_case,
    now,
    report_from_row,
    run_in_transaction,
)

CHUNK = 2000


@dataclass(slots=True)
class PayRunResult:
    month: str
    as_of: dt.datetime
    paid: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    already_paid: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {"paid": len(self.paid), "held": len(self.held), "already_paid": len(self.already_paid)}

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "as_of": self.as_of.isoformat(), "rule_version": RULE_VERSION,
                "summary": self.summary(), "paid": self.paid, "held": self.held, "already_paid": self.already_paid}


def hold_reason(benefit_month: Month, missing: Sequence[str]) -> tuple[str, str]:
    basis = benefit_month.previous()
    who = ", ".join(missing)
    en = (f"awaiting report: no wage report for {basis} from employer {who}; the month is not paid as if the "
          "wage were zero")
    da = (f"afventer indberetning: ingen lønindberetning for {month_name(basis)} fra arbejdsgiver {who}; "
          "måneden udbetales ikke, som om lønnen var 0")
    return en, da


def _payment_values(case_id: str, due: MonthDue, as_of: dt.datetime, stamp: dt.datetime, kind: str = "regular",
                    documentation: str | None = None, released_by: str | None = None) -> dict[str, Any]:
    assert due.result is not None
    return {
        "case_id": case_id, "benefit_month": str(due.benefit_month), "kind": kind,
        "basis_wage": due.basis_wage, "ceiling": due.ceiling, "subsidy": due.result.subsidy,
        "atp_own": due.result.atp_own, "payout": due.result.payout,
        "report_ids": " ".join(sorted(due.report_ids)), "rule_version": RULE_VERSION, "as_of": as_of,
        "created_at": stamp, "documentation": documentation, "released_by": released_by,
    }


def _load_for_month(session: Session, case_ids: Sequence[str], basis: Month) -> dict[str, CaseFacts]:
    """The facts of many cases, with only the reports whose chains touch the basis month."""
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    ceilings: dict[str, list[Ceiling]] = defaultdict(list)
    for row in session.scalars(select(Ceiling).where(Ceiling.case_id.in_(case_ids))):
        ceilings[row.case_id].append(row)
    employments: dict[str, list[Employment]] = defaultdict(list)
    for job in session.scalars(select(Employment).where(Employment.case_id.in_(case_ids))):
        employments[job.case_id].append(job)
    roots = select(Report.root_id).where(Report.case_id.in_(case_ids), Report.basis_month == str(basis))
    reports: dict[str, list[Any]] = defaultdict(list)
    for report in session.scalars(select(Report).where(Report.root_id.in_(roots))):
        reports[report.case_id].append(report_from_row(report))
    return {
        cid: CaseFacts(cid, Month.parse(c.first_month), Month.parse(c.last_month) if c.last_month else None,
                       ceiling_entries(ceilings[cid]), employment_entries(employments[cid]), reports[cid])
        for cid, c in cases.items()
    }


def _active_case_ids(session: Session, month: Month) -> list[str]:
    m = str(month)
    return list(session.scalars(select(Case.id).where(
        Case.first_month <= m, or_(Case.last_month.is_(None), Case.last_month >= m)).order_by(Case.id)))


def pay_month(factory: Callable[[], Session], month: Month, as_of: dt.datetime,
              case_ids: Sequence[str] | None = None) -> PayRunResult:
    """Pay benefit month ``month`` for every active case (or ``case_ids``) on the reports received up
    to ``as_of``. Cases are paid in chunks, each in its own transaction; a chunk that meets a payment
    made meanwhile by another run is rolled back and redone, so nothing is paid twice."""
    from flexcalc.params import rates_for

    rates_for(month)  # a month outside the rates table is an error before anything is paid
    result = PayRunResult(str(month), as_of)
    with factory() as session:
        ids = list(case_ids) if case_ids is not None else _active_case_ids(session, month)
    basis = month.previous()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]

        def work(session: Session, chunk: list[str] = chunk) -> PayRunResult:
            part = PayRunResult(str(month), as_of)
            paid = set(session.scalars(select(Payment.case_id).where(
                Payment.benefit_month == str(month), Payment.case_id.in_(chunk))))
            held = set(session.scalars(select(Hold.case_id).where(
                Hold.benefit_month == str(month), Hold.case_id.in_(chunk))))
            todo = [c for c in chunk if c not in paid]
            facts = _load_for_month(session, todo, basis) if todo else {}
            stamp = now()
            payments: list[dict[str, Any]] = []
            holds: list[dict[str, Any]] = []
            for case_id in chunk:
                if case_id in paid:
                    part.already_paid.append(case_id)
                    continue
                case = facts.get(case_id)
                if case is None or not case.active_in(month):
                    continue
                due = month_due(month, basis_view(case.reports, as_of), case.ceilings, case.employments)
                if due.result is None:
                    en, da = hold_reason(month, due.missing_employers)
                    part.held.append({"case_id": case_id, "benefit_month": str(month),
                                      "missing_employers": due.missing_employers, "reason": en, "reason_da": da})
                    if case_id not in held:
                        holds.append({"case_id": case_id, "benefit_month": str(month),
                                      "missing_employers": " ".join(due.missing_employers), "reason": da,
                                      "as_of": as_of, "created_at": stamp})
                    continue
                values = _payment_values(case_id, due, as_of, stamp)
                payments.append(values)
                part.paid.append({"case_id": case_id, "benefit_month": str(month),
                                  "basis_wage": amount_str(due.basis_wage), "subsidy": amount_str(due.result.subsidy),
                                  "payout": amount_str(due.result.payout)})
            if payments:
                session.execute(insert(Payment), payments)
            if holds:
                session.execute(insert(Hold), holds)
            return part

        part = run_in_transaction(factory, work)
        result.paid += part.paid
        result.held += part.held
        result.already_paid += part.already_paid
    return result


def open_holds(session: Session, case_id: str | None = None) -> list[dict[str, Any]]:
    """Held months still awaiting a report: a hold without a payment for the same case and month."""
    query = (select(Hold).outerjoin(Payment, and_(Payment.case_id == Hold.case_id,
                                                  Payment.benefit_month == Hold.benefit_month))
             .where(Payment.id.is_(None)).order_by(Hold.case_id, Hold.benefit_month))
    if case_id is not None:
        query = query.where(Hold.case_id == case_id)
    return [{"case_id": h.case_id, "benefit_month": h.benefit_month,
             "missing_employers": h.missing_employers.split(), "reason_da": h.reason,
             "reason": hold_reason(Month.parse(h.benefit_month), h.missing_employers.split())[0],
             "held_as_of": h.as_of.isoformat()} for h in session.scalars(query)]


def release_provisional(session: Session, case_id: str, month: Month, documented_wage: Decimal,
                        documentation: str, released_by: str, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Pay a held month provisionally on a documented wage (payslip or contract) standing in for the
    missing employers' report; wage already reported by others counts too. Reconciliation settles it
    when the report comes."""
    get_case(session, case_id)
    if not (documentation or "").strip():
        raise InputError("document", "name the document the wage comes from (payslip, contract)",
                         "angiv dokumentationen for lønnen (lønseddel, kontrakt)", code="missing")
    if not (released_by or "").strip():
        raise InputError("by", "say who releases the payment", "angiv hvem der frigiver udbetalingen", code="missing")
    lock_case(session, case_id)
    if session.scalar(select(Payment.id).where(Payment.case_id == case_id,
                                               Payment.benefit_month == str(month))) is not None:
        raise InputError("month", f"{month} is paid already", f"{month} er allerede udbetalt", code="already_paid")
    hold = session.scalar(select(Hold).where(Hold.case_id == case_id, Hold.benefit_month == str(month)))
    if hold is None:
        raise InputError("month", f"{month} is not held for case {case_id}; run the payment run first",
                         f"{month} er ikke tilbageholdt for sag {case_id}; kør udbetalingen først", code="not_held")
    stamp = now()
    as_of = as_of or hold.as_of  # what was known when the month was held; later reports reconcile it
    facts = load_facts(session, case_id)
    due = month_due(month, basis_view(facts.reports, as_of), facts.ceilings, facts.employments,
                    documented_wage=documented_wage)
    assert due.result is not None
    kind = "provisional" if due.missing_employers else "regular"
    values = _payment_values(case_id, due, as_of, stamp, kind, documentation.strip(), released_by.strip()[:64])
    session.execute(insert(Payment), [values])
    return {"case_id": case_id, "benefit_month": str(month), "kind": kind,
            "basis_wage": amount_str(due.basis_wage), "subsidy": amount_str(due.result.subsidy),
            "payout": amount_str(due.result.payout), "documentation": documentation.strip(),
            "released_by": released_by.strip()}
