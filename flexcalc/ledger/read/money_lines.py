"""The ledger's money lines for finance (read model): the settlement lines of the payments of a month, the
payments registered on claims in it and the claims decided in it, each with the subsidy behind its payout amount.
Finance reads them here, not the ledger's tables (``flexcalc.finance.money_lines``)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from flexcalc.money import ZERO, round_ore
from flexcalc.period import Month

if TYPE_CHECKING:
    from flexcalc.ledger.claim_models import Claim
    from flexcalc.ledger.models import Correction

RawLine = tuple[str, str, Month, Decimal, Decimal, str, str]
"""(case, kind, concerns month, amount, subsidy before sign, source, cause); kind is one of efterbetaling,
regulation, claim_set_off, claim_collected, repayment."""

SETTLEMENT_KIND = {"efterbetaling": "efterbetaling", "regulation": "regulation", "setoff": "claim_set_off"}


def _gross(amount: Decimal, subsidy_diff: Decimal, payout_diff: Decimal) -> Decimal:
    """The subsidy behind ``amount`` of payout: pro rata to the month's subsidy and payout differences."""
    if payout_diff == 0 or subsidy_diff == payout_diff:
        return amount
    return round_ore(amount * subsidy_diff / payout_diff)


class _Lookups:
    """The claims of the ledger, and the corrections asked for (each read once)."""

    def __init__(self, session: Session) -> None:
        from flexcalc.ledger.claim_models import Claim

        self.session = session
        self.claims: dict[int, Claim] = {c.id: c for c in session.scalars(select(Claim))}
        self._corrections: dict[int, Correction] = {}

    def correction(self, cid: int) -> Correction | None:
        from flexcalc.ledger.models import Correction

        if cid not in self._corrections:
            found = self.session.get(Correction, cid)
            if found is None:
                return None
            self._corrections[cid] = found
        return self._corrections[cid]

    def claim_gross(self, claim: Claim, amount: Decimal) -> Decimal:
        corr = self.correction(claim.correction_id)
        if corr is None:
            return amount
        return _gross(amount, corr.previous_subsidy - corr.due_subsidy, corr.previous_payout - corr.due_payout)


def _settlement_lines(session: Session, month: Month, found: _Lookups) -> list[RawLine]:
    """The lines of the settlements paid or netted in ``month`` (back payments, regulations, set-offs)."""
    from flexcalc.ledger.claim_models import Settlement
    from flexcalc.ledger.models import Payment

    out: list[RawLine] = []
    for s in session.scalars(select(Settlement).where(Settlement.payment_month == month).order_by(Settlement.id)):
        kind = SETTLEMENT_KIND[s.kind]
        if kind == "claim_set_off":
            claim = found.claims[s.claim_id] if s.claim_id is not None else None
            gross = found.claim_gross(claim, s.amount) if claim is not None else s.amount
            out.append((s.case_id, kind, s.concerns_month, s.amount, gross, f"settlement {s.id}",
                        f"claim {s.claim_id}"))
            continue
        corr = found.correction(s.correction_id) if s.correction_id is not None else None
        paid = session.scalar(select(Payment).where(Payment.case_id == s.case_id,
                                                    Payment.benefit_month == s.concerns_month))
        gross = s.amount
        if corr is not None and paid is not None:
            gross = _gross(s.amount, corr.due_subsidy - paid.subsidy, corr.due_payout - paid.payout)
        source = f"settlement {s.id}" + (" (released)" if s.released_at is not None else "")
        out.append((s.case_id, kind, s.concerns_month, s.amount, gross, source, s.cause))
    return out


def _claim_lines(session: Session, month: Month, found: _Lookups) -> list[RawLine]:
    """The claims' payments received in ``month`` and the repayments decided in it."""
    from flexcalc.ledger.claim_models import ClaimEvent

    out: list[RawLine] = []
    first, last = month.first_day(), month.last_day()
    for e in session.scalars(select(ClaimEvent).where(ClaimEvent.kind == "payment", ClaimEvent.on_date >= first,
                                                      ClaimEvent.on_date <= last).order_by(ClaimEvent.id)):
        claim = found.claims[e.claim_id]
        amount = e.amount or ZERO
        out.append((e.case_id, "claim_collected", claim.concerns_month, amount, found.claim_gross(claim, amount),
                    f"claim {claim.id} payment {e.id}", e.reference or ""))
    for claim in sorted(found.claims.values(), key=lambda c: c.id):
        if first <= claim.decided_on <= last:
            out.append((claim.case_id, "repayment", claim.concerns_month, claim.amount, ZERO,
                        f"claim {claim.id}", f"decision {claim.decision_id}"))
    return out


def money_line_rows(session: Session, month: Month) -> list[RawLine]:
    """(case, kind, concerns month, amount, subsidy before sign, source, cause) of the lines booked in ``month``."""
    found = _Lookups(session)
    return _settlement_lines(session, month, found) + _claim_lines(session, month, found)


