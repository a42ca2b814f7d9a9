"""Reconciliation: recompute every paid month that newer reports (or a changed ceiling) affect, and
record a correction per case and month for the difference only.

For each paid month the amount settled so far is the payment plus every earlier correction; the
amount now due is the as-of calculation on what is known at the as-of instant. If they differ, a
correction records: paid so far, now due, the difference, the reports that caused it (those touching
the basis month that the previous computation did not know), the reasons in words, the legal basis,
and the earliest month affected in the case by this reconciliation (each revision names its reason
and pays only the difference, like helse-spleis' revurderinger). Reconciling again with nothing new
finds no difference and records nothing.

A provisional payment stands until every missing report has come; then it is settled on the reports.
A paid month whose basis month has lost a known employment's report (an employment added afterwards)
is left as it is until that report comes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc import RULE_VERSION
from flexcalc.money import ZERO
from flexcalc.period import Month

from .asof import NO_FLEKSJOB_WAGE, basis_view, ceiling_for, month_due, rule_version_of
from .corrections import LEGAL_BASIS, REPAYMENT_BASIS, STATUS_PAYABLE, STATUS_REVIEW, explain, reasons_for
from .models import Correction, Payment
from .registrations import Registration
from .store import load_facts, lock_case, now, run_in_transaction


@dataclass(slots=True)
class ReconcileResult:
    as_of: dt.datetime
    corrections: list[dict[str, Any]] = field(default_factory=list)
    cases_checked: int = 0
    months_checked: int = 0
    waiting: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        from flexcalc.money import amount_str

        pay = sum((Decimal(c["difference"]) for c in self.corrections if Decimal(c["difference"]) > 0), ZERO)
        back = sum((Decimal(c["difference"]) for c in self.corrections if Decimal(c["difference"]) < 0), ZERO)
        return {"cases_checked": self.cases_checked, "months_checked": self.months_checked,
                "corrections": len(self.corrections),
                "efterbetaling": sum(1 for c in self.corrections if c["status"] == STATUS_PAYABLE),
                "repayment_review": sum(1 for c in self.corrections if c["status"] == STATUS_REVIEW),
                "to_pay": amount_str(pay), "possible_repayment": amount_str(-back)}

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "rule_version": RULE_VERSION, "summary": self.summary(),
                "corrections": self.corrections, "waiting": self.waiting}


def reconcile_case(session: Session, case_id: str, as_of: dt.datetime, result: ReconcileResult) -> None:
    """Reconcile one case inside the caller's transaction (the case row is locked first)."""
    from .corrections import correction_dict

    lock_case(session, case_id)
    payments = list(session.scalars(select(Payment).where(Payment.case_id == case_id)))
    if not payments:
        return
    earlier: dict[Month, list[Correction]] = defaultdict(list)
    for c in session.scalars(select(Correction).where(Correction.case_id == case_id).order_by(Correction.sequence)):
        earlier[c.benefit_month].append(c)
    facts = load_facts(session, case_id)
    view = basis_view(facts.reports, as_of)
    kinds = {r.report_id: r.kind for r in facts.reports}
    registrations = {r.id: r for r in facts.registrations}
    result.cases_checked += 1
    new_rows: list[dict[str, Any]] = []
    stamp = now()
    for payment in sorted(payments, key=lambda p: p.benefit_month):
        history = earlier[payment.benefit_month]
        known_at = history[-1].as_of if history else payment.as_of
        if known_at > as_of:
            continue  # knowledge is never un-known: a month computed later than as_of is not rolled back
        result.months_checked += 1
        month = payment.benefit_month
        last = history[-1] if history else None
        previous_ids = set(last.report_ids if last else payment.report_ids)
        previous_ceiling = last.ceiling if last else payment.ceiling
        previous_events = last.event_registration if last else payment.event_registration
        previous_version = last.rule_version if last else payment.rule_version
        version = rule_version_of(month)
        # a version from before the fingerprint ("2026.11.1") cannot be compared: not a change
        rates_changed = "+" in previous_version and previous_version != version
        registration = facts.registration(month, as_of)
        events_changed = (registration.id if registration else None) != previous_events
        basis = view.get(month.previous())
        if (basis.report_ids if basis else set()) == previous_ids and payment.kind == "regular" and \
                ceiling_for(facts.ceilings, month, as_of) == previous_ceiling and not events_changed and \
                not rates_changed:
            continue  # nothing the month rests on has changed: nothing to redo
        due = month_due(month, view, facts.ceilings, facts.employments, as_of=as_of, registration=registration)
        if due.result is None:
            result.waiting.append({"case_id": case_id, "benefit_month": str(month),
                                   "missing_employers": " ".join(due.missing_employers),
                                   **({"reason": due.reason} if due.reason else {})})
            continue
        settled = payment.subsidy + sum((c.difference for c in history), ZERO)
        settled_payout = history[-1].due_payout if history else payment.payout
        if due.result.subsidy == settled:
            continue
        caused = sorted(due.report_ids - previous_ids)
        provisional_settled = payment.kind == "provisional" and not history
        reasons = reasons_for((kinds[r] for r in caused), due.ceiling != previous_ceiling, provisional_settled,
                              events_changed, rates_changed)
        difference = due.result.subsidy - settled
        event_cause = None
        if events_changed:
            event_cause = (registration.describe_da() if registration is not None else
                           _withdrawn(registrations.get(previous_events or 0)))
        da, en = explain(month, reasons, caused, settled, due.result.subsidy, previous_ceiling, due.ceiling,
                         event_cause_da=event_cause, versions=(previous_version, version) if rates_changed else None)
        if due.reason == NO_FLEKSJOB_WAGE:
            da += " Ingen løn fra fleksjobarbejdsgiveren i basismåneden: intet tilskud."
            en += " No wage from the fleksjob employer in the basis month: no subsidy."
        new_rows.append({
            "case_id": case_id, "benefit_month": month, "sequence": len(history) + 1,
            "previous_subsidy": settled, "due_subsidy": due.result.subsidy, "difference": difference,
            "previous_payout": settled_payout, "due_payout": due.result.payout, "basis_wage": due.basis_wage,
            "ceiling": due.ceiling, "report_ids": sorted(due.report_ids), "caused_by": caused,
            "reasons": reasons, "explanation_da": da, "explanation_en": en,
            "legal_basis": LEGAL_BASIS if difference > 0 else f"{LEGAL_BASIS}. {REPAYMENT_BASIS}",
            "earliest_affected_month": month, "status": STATUS_PAYABLE if difference > 0 else STATUS_REVIEW,
            "rule_version": version, "as_of": as_of, "created_at": stamp,
            "event_registration": registration.id if registration else None,
            "previous_rule_version": previous_version if rates_changed else None, "event_cause": event_cause,
        })
    if not new_rows:
        return
    earliest = min(r["benefit_month"] for r in new_rows)
    for row in new_rows:
        row["earliest_affected_month"] = earliest
    stored = [Correction(**row) for row in new_rows]
    session.add_all(stored)
    session.flush()
    result.corrections += [correction_dict(c) for c in stored]


def _withdrawn(registration: Registration | None) -> str:
    """The cause when the month's events are no longer known at the instant (never, for append-only
    registrations, unless reconciling as of an earlier instant)."""
    return "hændelser ikke længere registreret" if registration is None else \
        f"{registration.describe_da()} gælder ikke længere"


def reconcile(factory: Callable[[], Session], as_of: dt.datetime,
              case_ids: Sequence[str] | None = None) -> ReconcileResult:
    """Reconcile every case with payments (or ``case_ids``), each case in its own transaction."""
    result = ReconcileResult(as_of)
    with factory() as session:
        ids = list(case_ids) if case_ids is not None else list(
            session.scalars(select(Payment.case_id).distinct().order_by(Payment.case_id)))
    for case_id in ids:
        def work(session: Session, case_id: str = case_id) -> ReconcileResult:
            part = ReconcileResult(as_of)
            reconcile_case(session, case_id, as_of, part)
            return part

        part = run_in_transaction(factory, work)
        result.corrections += part.corrections
        result.cases_checked += part.cases_checked
        result.months_checked += part.months_checked
        result.waiting += part.waiting
    return result
