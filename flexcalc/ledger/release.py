"""A back payment (efterbetaling) paid at once on a caseworker's release, not only with the next payment.

An underpayment found on a paid month is normally paid on top of the next month's payment
(``flexcalc.ledger.settlement``). A caseworker may release it at once (an ended case has no next payment; a
person should not wait a month for money owed): the month's open back payment (``MonthPosition.owed``,
counted per month as the run counts it) is written as an ``efterbetaling`` line with the release's time and
who released it, its ``payment_month`` the month of the release. The next payment run then finds nothing open
for that month, so nothing is paid twice. A regulation or a claim is not netted against a release: netting
happens in a payment run, where a month's payout is there to net against (docs/decisions.md, "A back payment
released at once").

The write acts on the state the caseworker saw: the doors check the version of the correction's worklist item
(If-Match / ``--expect-version``), which counts every settlement line of the month, so a second release, or a
run that paid it meanwhile, makes the version stale. Audited by the door with the write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from flexcalc.errors import ConflictError, InputError, NotFoundError
from flexcalc.money import amount_str
from flexcalc.period import Month

from .claim_models import Settlement
from .models import Correction


def release_back_payment(session: Session, case_id: str, correction_id: int, by: str,
                         stamp: dt.datetime | None = None) -> dict[str, Any]:
    """Pay the open back payment of the correction's month now; returns the line written.

    ``NotFoundError`` (correction not of the case), ``InputError`` (no ``by``), ``ConflictError`` code
    ``nothing_to_release`` when the month has no back payment open (already paid, or the correction is not an
    underpayment): nothing stored."""
    from .caserows import lock_case
    from .reports import LOCAL_ZONE
    from .settlement import month_positions

    who = (by or "").strip()
    if not who:
        raise InputError("by", "say who releases the back payment", "angiv hvem der frigiver efterbetalingen",
                         code="missing")
    correction = session.get(Correction, correction_id)
    if correction is None or correction.case_id != case_id:
        raise NotFoundError("correction", f"case {case_id} has no correction {correction_id}",
                            f"sag {case_id} har ingen efterregulering {correction_id}", code="unknown_correction")
    lock_case(session, case_id)
    month = correction.benefit_month
    position = next((p for p in month_positions(session, [case_id]).get(case_id, []) if p.month == month), None)
    if position is None or position.owed <= 0:
        raise ConflictError("correction", f"{month} of case {case_id} has no back payment open to release",
                            f"{month} i sag {case_id} har ingen åben efterbetaling at frigive",
                            code="nothing_to_release")
    when = stamp or dt.datetime.now(dt.UTC)
    line = Settlement(case_id=case_id, payment_month=Month.of(when.astimezone(LOCAL_ZONE).date()),
                      kind="efterbetaling", amount=position.owed, concerns_month=month, cause=position.cause,
                      correction_id=position.correction_id, claim_id=None, created_at=when, released_at=when,
                      released_by=who[:64])
    session.add(line)
    session.flush()
    return release_dict(line)


def release_dict(line: Settlement) -> dict[str, Any]:
    released = line.released_at
    return {"id": line.id, "case_id": line.case_id, "kind": line.kind, "amount": amount_str(line.amount),
            "concerns_month": str(line.concerns_month), "payment_month": str(line.payment_month),
            "cause": line.cause, "correction_id": line.correction_id,
            "released_at": released.isoformat() if released else None, "released_by": line.released_by}
