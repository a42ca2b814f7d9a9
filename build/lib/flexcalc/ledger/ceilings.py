"""A ceiling from the employer's lønloft form joins the case's ceiling history, and the paid months
it affects are reconciled (issue 5, item 6).

LAB § 123, stk. 3 (the ceiling); Ankestyrelsen PM 48-22 (the employer reports the full-time wage and
its changes; the municipality may regulate afterwards where the rules give a basis).

The form's effective date decides the first benefit month: a ceiling in force from the 1st applies
from that month; one that takes effect later in a month applies from the next month, the first month
it is in force for the whole month (docs/decisions.md, "A ceiling from the lønloft form").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from flexcalc.ledger.reconcile import ReconcileResult, reconcile
from flexcalc.ledger.store import add_ceiling, transaction
from flexcalc.normal_wage import NormalWageForm, ceiling_entry, describe_source
from flexcalc.period import Month


def first_benefit_month_of(effective: dt.date) -> Month:
    """The first benefit month a ceiling taking effect on ``effective`` governs in full."""
    month = Month.of(effective)
    return month if effective.day == 1 else month.next()


@dataclass(slots=True)
class AppliedCeiling:
    case_id: str
    amount: Decimal
    effective_date: dt.date
    first_month: Month
    note: str
    reconciliation: ReconcileResult


def apply_normal_wage_form(factory: Callable[[], Session], case_id: str, form: NormalWageForm,
                           as_of: dt.datetime,
                           on_write: Callable[[Session], None] | None = None) -> AppliedCeiling:
    """Add the form's ceiling to the case's history, then reconcile the case as of ``as_of``.

    Paid months from the first benefit month on are recomputed with the new ceiling; a difference is
    recorded as a correction with the reason "ceiling change" (an efterbetaling, or a repayment that
    needs a caseworker's decision). ``on_write`` runs inside the transaction that stores the ceiling
    (the API ties its Idempotency-Key to it).
    """
    entry = ceiling_entry(form)
    first = first_benefit_month_of(entry.effective_date)
    note = f"Lønloftskema pr. {entry.effective_date.isoformat()}: {describe_source(form)}"
    with transaction(factory) as session:
        if on_write is not None:
            on_write(session)
        add_ceiling(session, case_id, entry.amount, first, note)
    result = reconcile(factory, as_of, [case_id])
    return AppliedCeiling(case_id, entry.amount, entry.effective_date, first, note, result)
