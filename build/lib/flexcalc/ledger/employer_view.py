"""What an employer may see in the ledger: its own employments, their ceiling history, and the status
of the wage reports it has sent. Nothing of the subsidy, the payments or the corrections (data
minimisation; the employer reports the ceiling and the wage, LAB § 123 stk. 3 and BEK 227/2024 § 14,
but the subsidy is a matter between the municipality and the person)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.ledger.models import Ceiling, Employment, Report
from flexcalc.money import amount_str


def employer_view(session: Session, employer_id: str) -> dict[str, Any]:
    """The employer's employments (by pseudonymous case id) with their ceiling history, and every report
    it has sent with its kind, month and when it was received."""
    employments = session.scalars(
        select(Employment).where(Employment.employer_id == employer_id).order_by(Employment.case_id,
                                                                                 Employment.first_basis_month)
    ).all()
    out = []
    for employment in employments:
        ceilings = session.scalars(
            select(Ceiling).where(Ceiling.case_id == employment.case_id).order_by(Ceiling.effective_month,
                                                                                  Ceiling.recorded_at)
        ).all()
        out.append({
            "case_id": employment.case_id,
            "first_basis_month": str(employment.first_basis_month),
            "last_basis_month": str(employment.last_basis_month) if employment.last_basis_month else None,
            "ceilings": [{"effective_month": str(c.effective_month), "amount": amount_str(c.amount),
                          "recorded_at": c.recorded_at.isoformat(), "note": c.note} for c in ceilings],
        })
    reports = session.scalars(
        select(Report).where(Report.employer_id == employer_id).order_by(Report.received_at, Report.report_id)
    ).all()
    return {
        "employer_id": employer_id,
        "employments": out,
        "reports": [{"report_id": r.report_id, "case_id": r.case_id, "basis_month": str(r.basis_month),
                     "payment_date": r.payment_date.isoformat(), "kind": str(r.kind), "corrects": r.corrects,
                     "wage": amount_str(r.wage), "pension_own": amount_str(r.pension_own),
                     "pension_employer": amount_str(r.pension_employer), "hours": amount_str(r.hours),
                     "received_at": r.received_at.isoformat(), "status": "received"} for r in reports],
    }
