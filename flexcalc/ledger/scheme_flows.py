"""One engine, three flows: the payment run's dispatch by scheme.

The new scheme (``new_2013``) is the payment run of ``flexcalc.ledger.payments.pay_month``; it leaves out the
cases whose scheme in the month is another (``schemes.cases_outside_new_scheme``). Every other scheme registers
a **flow** here: a function ``(factory, month, as_of) -> SchemeRunResult`` that pays that scheme's cases for the
month. ``pay_month`` runs every registered flow after the new scheme's cases and puts their results under
``schemes`` in its answer. The built-in flows are the old scheme's (``pay_old_scheme``) and the self-employed
(``pay_self_employed``), so ``flexcalc pay``, ``POST /v1/payment-runs`` and either path (set-based or case by
case) pay all three flows by this one mechanism.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from flexcalc.money import ZERO, amount_str
from flexcalc.period import Month


@dataclass(slots=True)
class SchemeRunResult:
    """What one scheme's flow did in a payment run: each case's outcome (a dict with ``case_id`` and
    ``status``: paid, corrected, unchanged, held) and the total paid out in the run."""

    scheme: str
    month: str
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    total_paid: Decimal = ZERO

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            counts[outcome["status"]] = counts.get(outcome["status"], 0) + 1
        return {"scheme": self.scheme, "month": self.month, "counts": counts,
                "total_paid": amount_str(self.total_paid), "outcomes": self.outcomes}


SchemeFlow = Callable[[Callable[[], Session], Month, dt.datetime], SchemeRunResult]

SCHEME_FLOWS: dict[str, SchemeFlow] = {}


def register_scheme_flow(scheme: str, flow: SchemeFlow) -> None:
    """Register the payment flow of ``scheme`` (any scheme but ``new_2013``); registering again replaces it."""
    if scheme == "new_2013":
        raise ValueError("the new scheme is the payment run itself, not a registered flow")
    SCHEME_FLOWS[scheme] = flow


def run_scheme_flows(factory: Callable[[], Session], month: Month, as_of: dt.datetime) -> dict[str, SchemeRunResult]:
    """Run every registered flow for ``month`` (in the order of their names)."""
    _register_builtin()
    return {scheme: SCHEME_FLOWS[scheme](factory, month, as_of) for scheme in sorted(SCHEME_FLOWS)}


def pay_old_scheme(factory: Callable[[], Session], month: Month, as_of: dt.datetime) -> SchemeRunResult:
    """Settle period ``month`` of every old-scheme case, each in its own transaction under the case's lock."""
    from flexcalc.ledger.caserows import lock_case
    from flexcalc.ledger.confirmations import confirmation_for
    from flexcalc.ledger.schemes import old_scheme_cases, settle_period
    from flexcalc.ledger.store import run_in_transaction
    from flexcalc.old_scheme import old_scheme_rates

    result = SchemeRunResult("old", str(month))
    rates = old_scheme_rates(month)  # a period outside the tables is an error before anything is paid
    with factory() as session:
        ids = old_scheme_cases(session, month, as_of)
        unconfirmed = rates.kind == "assumed" and confirmation_for(session, month) is None
    if unconfirmed:  # assumed caps are not paid until the month's rates are confirmed
        result.outcomes = [{"case_id": c, "period": str(month), "status": "held",
                            "reason_da": f"satserne for {month} er antaget og ikke bekræftet"} for c in ids]
        return result
    for case_id in ids:
        def work(session: Session, case_id: str = case_id) -> dict[str, Any]:
            lock_case(session, case_id)
            return settle_period(session, case_id, month, as_of).to_dict()

        outcome = run_in_transaction(factory, work)
        result.outcomes.append(outcome)
        if outcome["status"] in ("paid", "corrected"):
            result.total_paid += Decimal(outcome["difference"])
    return result


def pay_self_employed(factory: Callable[[], Session], month: Month, as_of: dt.datetime) -> SchemeRunResult:
    """Pay ``month`` of every self-employed case (LAB § 126; BEK 233/2024 § 8) and the back payments due
    (``flexcalc.ledger.self_employed``), as a scheme flow: each outcome is ``paid`` (the month's 1/12),
    ``back_payment`` (an underpayment found by a settlement), ``held`` (with the reason) or ``already_paid``."""
    from flexcalc.ledger.self_employed import pay_self_employed_month

    run = pay_self_employed_month(factory, month, as_of)
    result = SchemeRunResult("self_employed", str(month), total_paid=run.total)
    result.outcomes += [{**p, "status": "paid"} for p in run.paid]
    result.outcomes += [{**p, "status": "back_payment"} for p in run.back_payments]
    result.outcomes += [{**h, "status": "held"} for h in run.held]
    result.outcomes += [{"case_id": c, "month": str(month), "status": "already_paid"} for c in run.already_paid]
    return result


def _register_builtin() -> None:
    SCHEME_FLOWS.setdefault("old", pay_old_scheme)
    SCHEME_FLOWS.setdefault("self_employed", pay_self_employed)
