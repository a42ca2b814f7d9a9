"""What the letters read from the ledger: a case's corrections, decisions, wage reports and payments as
frozen rows. The letters package (``flexcalc.letters``) asks here and never sees an ORM table; a change
of the ledger's schema is a change here only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.ledger.models import Case, Correction, Decision, Employment, Hold, Payment, Report
from flexcalc.ledger.types import CorrectionStatus, MonthReason, Outcome, PaymentKind, ReportKind
from flexcalc.period import Month


@dataclass(frozen=True, slots=True)
class CorrectionRow:
    """A stored correction: one benefit month computed again (``difference`` = due − paid subsidy)."""

    id: int
    case_id: str
    benefit_month: Month
    sequence: int
    status: CorrectionStatus
    track: str | None
    as_of: dt.datetime
    previous_subsidy: Decimal
    due_subsidy: Decimal
    difference: Decimal
    basis_wage: Decimal
    ceiling: Decimal
    reasons: tuple[str, ...]
    caused_by: tuple[str, ...]
    event_cause: str | None


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """The decision on a possible repayment: collect or waive, why, by whom and when."""

    correction_id: int
    outcome: Outcome
    reason: str
    decided_by: str
    decided_at: dt.datetime
    knowledge: str | None
    reply_summary: str | None
    reply_weighing: str | None


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A stored wage report (the amounts with pension as reported)."""

    employer_id: str
    report_id: str
    kind: ReportKind
    corrects: str | None
    received_at: dt.datetime
    payment_date: dt.date
    wage: Decimal
    pension_own: Decimal
    pension_employer: Decimal


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """A stored payment of a benefit month."""

    case_id: str
    benefit_month: Month
    kind: PaymentKind
    as_of: dt.datetime
    basis_wage: Decimal
    ceiling: Decimal
    subsidy: Decimal
    atp_own: Decimal
    payout: Decimal
    documentation: str | None
    reason: MonthReason | None


def _correction_row(c: Correction) -> CorrectionRow:
    return CorrectionRow(id=c.id, case_id=c.case_id, benefit_month=c.benefit_month, sequence=c.sequence,
                         status=c.status, track=c.track, as_of=c.as_of, previous_subsidy=c.previous_subsidy,
                         due_subsidy=c.due_subsidy, difference=c.difference, basis_wage=c.basis_wage,
                         ceiling=c.ceiling, reasons=tuple(c.reasons), caused_by=tuple(c.caused_by),
                         event_cause=c.event_cause)


def _decision_row(d: Decision) -> DecisionRow:
    return DecisionRow(correction_id=d.correction_id, outcome=d.outcome, reason=d.reason, decided_by=d.decided_by,
                       decided_at=d.decided_at, knowledge=d.knowledge, reply_summary=d.reply_summary,
                       reply_weighing=d.reply_weighing)


def _payment_row(p: Payment) -> PaymentRow:
    return PaymentRow(case_id=p.case_id, benefit_month=p.benefit_month, kind=p.kind, as_of=p.as_of,
                      basis_wage=p.basis_wage, ceiling=p.ceiling, subsidy=p.subsidy, atp_own=p.atp_own,
                      payout=p.payout, documentation=p.documentation, reason=p.reason)


def case_exists(session: Session, case_id: str) -> bool:
    return session.get(Case, case_id) is not None


def case_cpr(session: Session, case_id: str) -> str | None:
    """The CPR number stored on the case (for the Digital Post recipient only; never logged or shown)."""
    found = session.get(Case, case_id)
    return None if found is None else found.cpr


def correction(session: Session, correction_id: int) -> CorrectionRow | None:
    found = session.get(Correction, correction_id)
    return None if found is None else _correction_row(found)


def decision_of(session: Session, correction_id: int) -> DecisionRow | None:
    """The decision on correction ``correction_id``, if one is recorded."""
    found = session.scalar(select(Decision).where(Decision.correction_id == correction_id))
    return None if found is None else _decision_row(found)


def case_decisions(session: Session, case_id: str) -> dict[int, DecisionRow]:
    """The decisions on the case's corrections, by correction id."""
    query = select(Decision).join(Correction, Correction.id == Decision.correction_id).where(
        Correction.case_id == case_id)
    return {d.correction_id: _decision_row(d) for d in session.scalars(query)}


def case_corrections(session: Session, case_id: str) -> list[CorrectionRow]:
    """The case's corrections in the order they were stored."""
    query = select(Correction).where(Correction.case_id == case_id).order_by(Correction.id)
    return [_correction_row(c) for c in session.scalars(query)]


def month_corrections(session: Session, case_id: str, month: Month) -> list[CorrectionRow]:
    """The corrections of one benefit month of the case, by as-of instant."""
    query = select(Correction).where(Correction.case_id == case_id, Correction.benefit_month == month).order_by(
        Correction.as_of, Correction.id)
    return [_correction_row(c) for c in session.scalars(query)]


def earlier_correction(session: Session, later: CorrectionRow) -> CorrectionRow | None:
    """The correction of the same month stored just before ``later``, if any."""
    found = session.scalar(select(Correction).where(
        Correction.case_id == later.case_id, Correction.benefit_month == later.benefit_month,
        Correction.sequence < later.sequence).order_by(Correction.sequence.desc()).limit(1))
    return None if found is None else _correction_row(found)


def case_reports(session: Session, case_id: str) -> dict[tuple[str, str], ReportRow]:
    """The case's wage reports by (employer, report id)."""
    rows = session.scalars(select(Report).where(Report.case_id == case_id))
    return {(r.employer_id, r.report_id): ReportRow(
        employer_id=r.employer_id, report_id=r.report_id, kind=r.kind, corrects=r.corrects,
        received_at=r.received_at, payment_date=r.payment_date, wage=r.wage, pension_own=r.pension_own,
        pension_employer=r.pension_employer) for r in rows}


def case_employers(session: Session, case_id: str) -> set[str]:
    """The employers of the case's registered employments."""
    return set(session.scalars(select(Employment.employer_id).where(Employment.case_id == case_id)))


def case_payments(session: Session, case_id: str) -> dict[Month, PaymentRow]:
    """The case's payments by benefit month."""
    return {p.benefit_month: _payment_row(p)
            for p in session.scalars(select(Payment).where(Payment.case_id == case_id))}


def payment_of(session: Session, case_id: str, month: Month) -> PaymentRow | None:
    found = session.scalar(select(Payment).where(Payment.case_id == case_id, Payment.benefit_month == month))
    return None if found is None else _payment_row(found)


def is_held(session: Session, case_id: str, month: Month) -> bool:
    """Whether a hold is recorded for the case's benefit month."""
    return session.scalar(select(Hold.id).where(Hold.case_id == case_id, Hold.benefit_month == month)) is not None
