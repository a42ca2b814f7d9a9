"""Confirmations of assumed rates, and the hold of a month whose rates are assumed.

A benefit month whose rates are *assumed* (an input is an assumption: a regulation not yet published, a
dagpenge amount read only on a secondary page) is not paid on a guess: the payment run holds every case
of it with the reason "satserne for <måned> er ikke bekræftet", until either the parameter files carry
published (or computed) values, or a finance or admin user records a confirmation of the values in force
(who, when, on which source or decision). The confirmation is bound to the values' fingerprint
(``flexcalc.law.params.rates_fingerprint``): if the assumed values change, the month is held again until the
new values are confirmed. Confirmations are append-only and audited. The next run after a confirmation
pays the held months (a hold is only a record; the run computes every unpaid case again). If published
values later differ from what was paid, reconciliation records "satser ændret" corrections as for any
change of rates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.errors import InputError
from flexcalc.law.params import rates_fingerprint, rates_for
from flexcalc.period import Month
from flexcalc.text_da.format import month_name

from .models import RatesConfirmation

RATES_HOLD_PREFIX_DA = "satserne for "
CONFIRM_ROLES = ("finance", "admin")
"""The roles whose key may confirm a month's assumed rates."""


def rates_hold_reason(month: Month) -> tuple[str, str]:
    """The reason of a month held because its rates are assumed and not confirmed (English, Danish)."""
    names = ", ".join(rates_for(month).assumed)
    return (f"the rates of {month} are not confirmed: assumed, not published ({names}); record a confirmation "
            f"(flexcalc rates confirm --month {month}) or publish the values, then run the month again",
            f"{RATES_HOLD_PREFIX_DA}{month_name(month)} er ikke bekræftet")


def is_rates_hold(reason_da: str) -> bool:
    return reason_da.startswith(RATES_HOLD_PREFIX_DA) and reason_da.endswith("er ikke bekræftet")


def confirmation_for(session: Session, month: Month) -> RatesConfirmation | None:
    """The newest confirmation of the values now in force for ``month`` (``None`` if there is none)."""
    fingerprint = rates_fingerprint(month)
    return session.scalars(select(RatesConfirmation).where(
        RatesConfirmation.benefit_month == month, RatesConfirmation.fingerprint == fingerprint)
        .order_by(RatesConfirmation.id.desc()).limit(1)).first()


def rates_confirmed(session: Session, month: Month) -> bool:
    """True when ``month`` may be paid: no rate of it is assumed, or its values are confirmed."""
    if not rates_for(month).assumed:
        return True
    return confirmation_for(session, month) is not None


def confirm_rates(session: Session, month: Month, source: str, confirmed_by: str, *, role: str,
                  key_id: str | None = None, at: dt.datetime | None = None) -> RatesConfirmation:
    """Record that ``confirmed_by`` confirms the assumed rates of ``month`` on ``source`` (a publication or
    a decision). Refused for a month whose rates are not assumed, without a source or a name, or for a
    role other than finance or admin."""
    if role not in CONFIRM_ROLES and role != "cli":
        raise InputError("role", "only a finance or admin key may confirm rates",
                         "kun en nøgle til økonomi eller administrator kan bekræfte satser", code="forbidden_role")
    source, confirmed_by = source.strip(), confirmed_by.strip()
    if not source:
        raise InputError("source", "name the source or decision the rates are confirmed on",
                         "angiv kilden eller beslutningen, satserne bekræftes på", code="missing")
    if not confirmed_by:
        raise InputError("by", "name who confirms the rates", "angiv, hvem der bekræfter satserne", code="missing")
    if len(confirmed_by) > 64:
        raise InputError("by", "at most 64 characters", "højst 64 tegn", code="too_long")
    assumed = rates_for(month).assumed
    if not assumed:
        raise InputError("month", f"the rates of {month} are not assumed; there is nothing to confirm",
                         f"satserne for {month_name(month)} er ikke antaget; der er intet at bekræfte",
                         code="rates_not_assumed")
    from flexcalc.security.redact import redact

    from .caserows import now

    row = RatesConfirmation(benefit_month=month, fingerprint=rates_fingerprint(month), source=redact(source),
                            confirmed_by=redact(confirmed_by), key_id=key_id, role=role,
                            confirmed_at=at or now())
    session.add(row)
    session.flush()
    return row


def confirmation_dict(row: RatesConfirmation) -> dict[str, Any]:
    at = row.confirmed_at if row.confirmed_at.tzinfo else row.confirmed_at.replace(tzinfo=dt.UTC)
    return {"id": row.id, "month": str(row.benefit_month), "fingerprint": row.fingerprint, "source": row.source,
            "confirmed_by": row.confirmed_by, "key_id": row.key_id, "role": row.role,
            "confirmed_at": at.isoformat(), "assumed": rates_for(row.benefit_month).assumed}


def confirmations(session: Session, month: Month | None = None) -> list[dict[str, Any]]:
    query = select(RatesConfirmation).order_by(RatesConfirmation.id)
    if month is not None:
        query = query.where(RatesConfirmation.benefit_month == month)
    return [confirmation_dict(row) for row in session.scalars(query)]
