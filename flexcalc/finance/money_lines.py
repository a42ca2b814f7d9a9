"""The money lines beside the month's payments: back payments paid (efterbetalinger), regulations netted,
repayments decided, claims set off and collected — each booked in the month it is paid or collected, at the
refund of the benefit month it concerns (docs/finance.md, "Money lines"; docs/decisions.md, "Finance: money
lines and their refund").

Each line is read from the ledger: the settlement lines of a payment (``ledger_settlement``; a line released
at once is booked in the month of its release), the payments registered on claims (``ledger_claim_event``) and
the claims decided (``ledger_claim``). Its amounts:

- ``amount``: the money paid or recovered (payout terms, as the person saw it);
- ``subsidy``: the subsidy it moves, signed as an expense (+ paid, − recovered): the payout grossed up by the own
  ATP share of the month it concerns (the month's subsidy difference over its payout difference; exact when the
  line settles the month whole, shared pro rata otherwise, øre half up);
- ``refund``: the state refund of that subsidy at the step of the month it concerns (the case's place on the
  ladder then, ``report.place_from_history``; ``ladder.refund_for_period``), signed alike;
- ``refund_month``: the month the refund is settled in the state's statement — the booking month.

A repayment decided is a receivable: shown with its amount, moving neither the expense nor the refund until it is
set off or collected (so nothing is counted twice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.money import ZERO, amount_str, round_ore
from flexcalc.period import Month

from . import accounts
from .lines import LineKind

SETTLEMENT_KIND = {"efterbetaling": LineKind.EFTERBETALING, "regulation": LineKind.REGULATION,
                   "setoff": LineKind.CLAIM_SET_OFF}
EXPENSE_SIGN = {LineKind.EFTERBETALING: 1, LineKind.REGULATION: -1, LineKind.CLAIM_SET_OFF: -1,
                LineKind.CLAIM_COLLECTED: -1, LineKind.REPAYMENT: 0}
LINE_AMOUNTS = ("amount", "subsidy", "atp_own", "refund", "net_municipal_cost")


@dataclass(slots=True)
class MoneyLine:
    case_id: str
    kind: LineKind
    booked_month: Month
    concerns_month: Month
    amount: Decimal
    subsidy: Decimal
    refund: Decimal
    source: str
    cause: str
    cohort: str
    step: str = ""

    @property
    def refund_month(self) -> Month:
        return self.booked_month

    @property
    def atp_own(self) -> Decimal:
        """The own ATP share the line moves (settled with ATP by finance, not with the person)."""
        return self.subsidy - EXPENSE_SIGN[self.kind] * self.amount

    @property
    def net_municipal_cost(self) -> Decimal:
        return self.subsidy - self.refund

    def bookings(self) -> list[dict[str, str]]:
        out = []
        for kind, value in (("subsidy", self.subsidy), ("refund", self.refund)):
            if value != 0:
                account, signed = accounts.book(kind, value)
                out.append({"account": account.id, "kind": kind, "amount": amount_str(signed)})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "kind": self.kind.value, "booked_month": str(self.booked_month),
                "concerns_month": str(self.concerns_month), "refund_month": str(self.refund_month),
                "amount": amount_str(self.amount), "subsidy": amount_str(self.subsidy),
                "atp_own": amount_str(self.atp_own), "refund": amount_str(self.refund),
                "net_municipal_cost": amount_str(self.net_municipal_cost), "refund_step": self.step,
                "cohort": self.cohort, "cause": self.cause, "source": self.source, "bookings": self.bookings()}


def line_totals(lines: list[MoneyLine]) -> dict[str, dict[str, str]]:
    """Per kind (and ``all``): the sum of each amount (``amount`` unsigned, the others signed)."""
    out: dict[str, dict[str, str]] = {}
    for key in [k.value for k in LineKind if k is not LineKind.PAYMENT] + ["all"]:
        chosen = [m for m in lines if key == "all" or m.kind.value == key]
        out[key] = {name: amount_str(sum((getattr(m, name) for m in chosen), ZERO)) for name in LINE_AMOUNTS}
        out[key]["lines"] = str(len(chosen))
    return out


def _gross(amount: Decimal, subsidy_diff: Decimal, payout_diff: Decimal) -> Decimal:
    """The subsidy behind ``amount`` of payout: pro rata to the month's subsidy and payout differences."""
    if payout_diff == 0 or subsidy_diff == payout_diff:
        return amount
    return round_ore(amount * subsidy_diff / payout_diff)


def _raw_lines(session: Session, month: Month) -> list[tuple[str, LineKind, Month, Decimal, Decimal, str, str]]:
    """(case, kind, concerns month, amount, subsidy before sign, source, cause) of the lines booked in ``month``."""
    from flexcalc.ledger.claim_models import Claim, ClaimEvent, Settlement
    from flexcalc.ledger.models import Correction, Payment

    out: list[tuple[str, LineKind, Month, Decimal, Decimal, str, str]] = []
    claims = {c.id: c for c in session.scalars(select(Claim))}
    corrections: dict[int, Correction] = {}

    def correction(cid: int) -> Correction | None:
        if cid not in corrections:
            found = session.get(Correction, cid)
            if found is None:
                return None
            corrections[cid] = found
        return corrections[cid]

    def claim_gross(claim: Claim, amount: Decimal) -> Decimal:
        corr = correction(claim.correction_id)
        if corr is None:
            return amount
        return _gross(amount, corr.previous_subsidy - corr.due_subsidy, corr.previous_payout - corr.due_payout)

    for s in session.scalars(select(Settlement).where(Settlement.payment_month == month).order_by(Settlement.id)):
        kind = SETTLEMENT_KIND[s.kind]
        if kind is LineKind.CLAIM_SET_OFF:
            claim = claims[s.claim_id] if s.claim_id is not None else None
            gross = claim_gross(claim, s.amount) if claim is not None else s.amount
            out.append((s.case_id, kind, s.concerns_month, s.amount, gross, f"settlement {s.id}",
                        f"claim {s.claim_id}"))
            continue
        corr = correction(s.correction_id) if s.correction_id is not None else None
        paid = session.scalar(select(Payment).where(Payment.case_id == s.case_id,
                                                    Payment.benefit_month == s.concerns_month))
        gross = s.amount
        if corr is not None and paid is not None:
            gross = _gross(s.amount, corr.due_subsidy - paid.subsidy, corr.due_payout - paid.payout)
        source = f"settlement {s.id}" + (" (released)" if s.released_at is not None else "")
        out.append((s.case_id, kind, s.concerns_month, s.amount, gross, source, s.cause))
    first, last = month.first_day(), month.last_day()
    for e in session.scalars(select(ClaimEvent).where(ClaimEvent.kind == "payment", ClaimEvent.on_date >= first,
                                                      ClaimEvent.on_date <= last).order_by(ClaimEvent.id)):
        claim = claims[e.claim_id]
        amount = e.amount or ZERO
        out.append((e.case_id, LineKind.CLAIM_COLLECTED, claim.concerns_month, amount, claim_gross(claim, amount),
                    f"claim {claim.id} payment {e.id}", e.reference or ""))
    for claim in sorted(claims.values(), key=lambda c: c.id):
        if first <= claim.decided_on <= last:
            out.append((claim.case_id, LineKind.REPAYMENT, claim.concerns_month, claim.amount, ZERO,
                        f"claim {claim.id}", f"decision {claim.decision_id}"))
    return out


def money_lines(factory: Callable[[], Session], month: Month, as_of: dt.datetime | None = None) -> list[MoneyLine]:
    """The money lines booked in ``month``, each refunded at the step of the month it concerns."""
    from flexcalc.errors import require
    from flexcalc.ledger.refund_history import refund_histories

    from .ladder import refund_for_period, refund_outside_ladder
    from .report import NOT_ESTABLISHED_EN, STEP_KEYS, place_from_history

    with factory() as session:
        raw = _raw_lines(session, month)
        histories = refund_histories(session, sorted({r[0] for r in raw}), as_of) if raw else {}
    out: list[MoneyLine] = []
    for case_id, kind, concerns, amount, gross, source, cause in raw:
        sign = EXPENSE_SIGN[kind]
        refund, cohort, step = ZERO, NOT_ESTABLISHED_EN, ""
        history = histories.get(case_id)
        place = place_from_history(history, concerns) if history is not None else None
        if place is not None and place.cohort is not None and gross != 0:
            cohort = place.cohort.reason_en
            if place.cohort.on_ladder:
                result = refund_for_period(concerns, gross, require(place.weeks_before, "weeks before the month"))
            else:
                result = refund_outside_ladder(concerns, gross, place.cohort.reason_en)
            refund = result.refund
            step = "+".join(STEP_KEYS[p.step.number] for p in result.parts)
        signed_refund = sign * refund if refund else ZERO
        out.append(MoneyLine(case_id, kind, month, concerns, amount, sign * gross if gross else ZERO, signed_refund,
                             source, cause, cohort, step))
    return out
