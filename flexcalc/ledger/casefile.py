"""A case's file for the caseworker: every month with its basis wage, what is due now, what was paid,
the corrections with their causes, and held months. Used by ``flexcalc case show``, the API and the
caseworker page of the explainer (none of them computes anything themselves)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.errors import FlexcalcError
from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month

from .asof import basis_view, ceiling_for
from .corrections import correction_dict
from .duplicates import flagged_reports
from .models import Correction, Decision, Hold, Payment, Report
from .payments import hold_reason
from .reports import WageReport
from .store import CaseFacts, get_case, load_facts


def report_entry(report: WageReport, stated: dict[tuple[str, str], dt.datetime | None],
                 flagged: set[tuple[str, str]]) -> dict[str, Any]:
    """A report in the case file: as received, with the receipt instant the sender stated
    (``stated_received_at``) and ``possible_duplicate`` (``flexcalc.ledger.duplicates``)."""
    key = (report.employer_id, report.report_id)
    at = stated.get(key)
    return {**report.to_dict(), "stated_received_at": at.isoformat() if at else None,
            "possible_duplicate": key in flagged}


def case_file(session: Session, case_id: str, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """The case's months as known at ``as_of`` (``None``: everything received). No CPR number."""
    case = get_case(session, case_id)
    facts = load_facts(session, case_id)
    view = basis_view(facts.reports, as_of)
    payments = {p.benefit_month: p for p in session.scalars(select(Payment).where(Payment.case_id == case_id))}
    holds = {h.benefit_month: h for h in session.scalars(select(Hold).where(Hold.case_id == case_id))}
    corrections: dict[Month, list[dict[str, Any]]] = defaultdict(list)
    decided = select(Decision).join(Correction, Correction.id == Decision.correction_id)
    decisions = {d.correction_id: d for d in session.scalars(decided.where(Correction.case_id == case_id))}
    for c in session.scalars(select(Correction).where(Correction.case_id == case_id).order_by(Correction.sequence)):
        corrections[c.benefit_month].append(correction_dict(c, decisions.get(c.id)))
    months: set[Month] = set(payments) | set(holds) | set(corrections)
    months |= {m.next() for m in view if facts.active_in(m.next())}
    months |= {r.benefit_month for r in facts.registrations if as_of is None or r.received_at <= as_of}
    out = [_month_entry(facts, month, as_of, payments.get(month), holds.get(month), corrections.get(month, []))
           for month in sorted(months)]
    flagged = flagged_reports(facts.reports)
    stated = {(e, r): at for e, r, at in session.execute(select(
        Report.employer_id, Report.report_id, Report.stated_received_at).where(Report.case_id == case_id))}
    employments = [{"employer_id": e.employer_id, "first_basis_month": str(e.first_basis_month),
                    "last_basis_month": str(e.last_basis_month) if e.last_basis_month else None}
                   for e in facts.employments]
    ceilings = [{"effective_month": str(c.effective_month), "amount": amount_str(c.amount)}
                for c in sorted(facts.ceilings, key=lambda c: (c.effective_month, c.seq))]
    current = None
    if facts.ceilings:
        try:
            current = amount_str(ceiling_for(facts.ceilings, max(months) if months else facts.first_month, as_of))
        except FlexcalcError:
            current = None
    return {"case_id": case.id, "first_month": str(case.first_month),
            "last_month": str(case.last_month) if case.last_month else None,
            "cpr_registered": case.cpr is not None, "employments": employments, "ceilings": ceilings,
            "current_ceiling": current, "reports": [report_entry(r, stated, flagged) for r in sorted(
                facts.reports, key=lambda r: (r.received_at, r.report_id))],
            "months": out}


def _payment_dict(payment: Payment, month_detail: bool = False) -> dict[str, Any]:
    """A payment as the case file shows it; ``month_detail`` adds its reason and event registration."""
    shown: dict[str, Any] = {
        "kind": str(payment.kind), "subsidy": amount_str(payment.subsidy), "payout": amount_str(payment.payout),
        "basis_wage": amount_str(payment.basis_wage), "ceiling": amount_str(payment.ceiling),
        "as_of": payment.as_of.isoformat(), "rule_version": payment.rule_version}
    if month_detail:
        shown["reason"] = None if payment.reason is None else str(payment.reason)
        shown["event_registration"] = payment.event_registration
    return {**shown, "documentation": payment.documentation, "released_by": payment.released_by}


def _month_entry(facts: CaseFacts, month: Month, as_of: dt.datetime | None, payment: Payment | None,
                 hold: Hold | None, month_corrections: list[dict[str, Any]]) -> dict[str, Any]:
    """One month of the case file: what is due as known at ``as_of``, what was paid, its corrections and
    its status (held, not paid, to reconcile, provisional or paid)."""
    entry: dict[str, Any] = {"benefit_month": str(month), "basis_month": str(month.previous())}
    try:
        due = facts.month_due(month, as_of)
        entry.update({"basis_wage": amount_str(due.basis_wage), "ceiling": amount_str(due.ceiling),
                      "reason": due.reason,
                      "event_registration": due.registration.id if due.registration else None,
                      "missing_employers": due.missing_employers,
                      "due": None if due.result is None else amount_str(due.result.subsidy),
                      "due_payout": None if due.result is None else amount_str(due.result.payout),
                      "report_ids": sorted(due.report_ids)})
    except FlexcalcError as error:
        entry.update({"basis_wage": None, "ceiling": None, "due": None, "due_payout": None,
                      "missing_employers": [], "report_ids": [], "error": str(error)})
    corrected = sum((Decimal(c["difference"]) for c in month_corrections), ZERO)
    entry["paid"] = None if payment is None else amount_str(payment.subsidy)
    entry["payment"] = None if payment is None else _payment_dict(payment)
    entry["corrections_total"] = amount_str(corrected)
    entry["settled"] = None if payment is None else amount_str(payment.subsidy + corrected)
    entry["corrections"] = month_corrections
    if payment is None and hold is not None:
        en, da = hold_reason(month, hold.missing_employers)
        entry["status"] = "held"
        entry["held"] = {"reason": en, "reason_da": da, "missing_employers": list(hold.missing_employers)}
    elif payment is None:
        entry["status"] = "not_paid"
    elif entry["due"] is not None and entry["settled"] != entry["due"]:
        entry["status"] = "to_reconcile"
    else:
        entry["status"] = str(payment.kind) if payment.kind == "provisional" and not month_corrections else "paid"
    return entry


def _computation(facts: CaseFacts, month: Month, as_of: dt.datetime | None) -> tuple[dict[str, Any] | None, str | None]:
    """The month as computed at ``as_of`` (with its trace), or the error that stops it."""
    from .asof import reason_words

    try:
        due = facts.month_due(month, as_of)
        words = reason_words(due)
        return {"basis_wage": amount_str(due.basis_wage), "fleksjob_wage": amount_str(due.known_wage),
                "other_wage": amount_str(due.other_wage), "ceiling": amount_str(due.ceiling),
                "missing_employers": due.missing_employers,
                "reason": None if due.reason is None else str(due.reason),
                "reason_da": words[1] if words else None,
                "result": None if due.result is None else due.result.to_dict()}, None
    except FlexcalcError as failed:
        return None, str(failed)


def month_file(session: Session, case_id: str, month: Month, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """One benefit month of a case for the caseworker (``flexcalc case show CASE --month``): the
    reports touching its basis month, the event registrations and the ceiling history as known, the
    computation with its trace (Danish labels and provisions), what was paid and every correction
    since. Nothing here computes a rule: the computation is ``CaseFacts.month_due``."""
    from flexcalc.text_da.format import date_da

    from .registrations import latest, local_date

    get_case(session, case_id)
    facts = load_facts(session, case_id)
    view = basis_view(facts.reports, as_of)
    basis = month.previous()
    entry = view.get(basis)
    ids = entry.report_ids if entry else set()
    reports = [r.to_dict() for r in sorted(facts.reports, key=lambda r: (r.received_at, r.report_id))
               if r.report_id in ids]
    registrations = sorted((r for r in facts.registrations if r.benefit_month == month),
                           key=lambda r: r.order_key())
    in_force = latest(registrations, month, as_of)
    events = [{**r.to_dict(), "in_force": in_force is not None and r.id == in_force.id,
               "known": as_of is None or r.received_at <= as_of,
               "received_da": date_da(local_date(r.received_at))} for r in registrations]
    ceilings = [{"effective_month": str(c.effective_month), "amount": amount_str(c.amount),
                 "known_at": c.known_at.isoformat() if c.known_at else None,
                 "known": as_of is None or c.known_at is None or c.known_at <= as_of}
                for c in sorted(facts.ceilings, key=lambda c: (c.effective_month, c.seq))]
    computation, error = _computation(facts, month, as_of)
    payment = session.scalar(select(Payment).where(Payment.case_id == case_id, Payment.benefit_month == month))
    hold = session.scalar(select(Hold).where(Hold.case_id == case_id, Hold.benefit_month == month))
    decided = select(Decision).join(Correction, Correction.id == Decision.correction_id)
    decisions = {d.correction_id: d for d in session.scalars(decided.where(Correction.case_id == case_id))}
    corrections = [correction_dict(c, decisions.get(c.id)) for c in session.scalars(
        select(Correction).where(Correction.case_id == case_id, Correction.benefit_month == month)
        .order_by(Correction.sequence))]
    return {
        "case_id": case_id, "benefit_month": str(month), "basis_month": str(basis),
        "as_of": as_of.isoformat() if as_of else None, "reports": reports, "events": events, "ceilings": ceilings,
        "computation": computation, "error": error,
        "payment": None if payment is None else _payment_dict(payment, month_detail=True),
        "held": None if hold is None or payment is not None else {
            "reason_da": hold.reason, "missing_employers": list(hold.missing_employers),
            "as_of": hold.as_of.isoformat()},
        "corrections": corrections,
        "settled": None if payment is None else amount_str(
            payment.subsidy + sum((Decimal(c["difference"]) for c in corrections), ZERO)),
    }
