"""Settlement in the payment run: efterbetalinger paid, regulations netted, claims set off.

When a month is paid, the lines still open on the case are settled against that payment, in the same
transaction (so both paths of the run — the set-based kernel and the month pipeline — settle alike, and a
payment and its lines are written together or not at all):

1. every **efterbetaling** still unpaid (a correction with a positive payout difference on the
   ``regulation`` track) is paid on top, as its own line with its cause and the month it concerns;
2. every **regulation** still open (a negative payout difference on the ``regulation`` track: BEK 227/2024
   § 10, stk. 2; a provisional payment settled) is deducted, at most ``regulation_share`` of what the month
   pays (``correction_tracks.yaml``; no lower limit found in the rules), the rest carried to the next months;
3. a **claim** under a set-off plan is set off, at most the plan's monthly amount and what is left.

The amounts are payout amounts (after the own ATP share): what the person received too much or too little.
The own ATP share's difference is settled with ATP by finance, not with the person.
The statement of a payment: the month's payout, the lines, the net payout.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from flexcalc.money import ZERO, amount_str, from_ore, round_ore
from flexcalc.period import Month

from .claim_models import Claim, ClaimEvent, Settlement
from .models import Correction, Payment
from .payrun import raw_ore
from .tracks import track_table

LINE_WORDS: dict[str, tuple[str, str]] = {
    "efterbetaling": ("back payment", "efterbetaling"),
    "regulation": ("regulation deducted", "regulering trukket"),
    "setoff": ("claim set off", "modregnet i tilbagebetalingskrav"),
}


@dataclass(slots=True)
class OpenItem:
    correction_id: int
    concerns: Month
    cause: str
    open: Decimal
    """Signed: positive is owed to the person, negative is to be deducted."""


@dataclass(slots=True)
class Statement:
    """One payment's statement: the month's payout, the lines settled with it, and the net payout."""

    payout: Decimal
    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        total = self.payout
        for line in self.lines:
            amount = Decimal(line["amount"])
            total += amount if line["kind"] == "efterbetaling" else -amount
        return total

    def to_dict(self) -> dict[str, Any]:
        return {"due_payout": amount_str(self.payout), "lines": self.lines, "net_payout": amount_str(self.net)}


def _cases(column: Any, ids: Sequence[str]) -> Any:
    return column.in_(list(ids))


@dataclass(slots=True)
class MonthPosition:
    """One corrected month of a case, in payout amounts: what is due now, what the person holds for it
    (the payment, plus back payments, less regulations netted), the claims decided on it, and the
    negative repayment reviews waived or not yet decided."""

    case_id: str
    month: Month
    due: Decimal
    held: Decimal
    claims: Decimal = ZERO
    waived: Decimal = ZERO
    pending: Decimal = ZERO
    correction_id: int = 0
    cause: str = ""

    @property
    def excess(self) -> Decimal:
        """What the person holds beyond what is due, once the claims are collected."""
        return self.held - self.claims - self.due

    @property
    def owed(self) -> Decimal:
        """An efterbetaling still to pay."""
        return max(ZERO, -self.excess)

    @property
    def kept(self) -> Decimal:
        """The excess a repayment review covers (waived, or awaiting its decision): never netted."""
        return min(max(ZERO, self.excess), self.waived + self.pending)

    @property
    def to_net(self) -> Decimal:
        """The excess with a basis in the rules (the regulation track): netted in the next payments."""
        return max(ZERO, self.excess - self.waived - self.pending)


def month_positions(session: Session, case_ids: Sequence[str]) -> dict[str, list[MonthPosition]]:
    """The corrected months of the cases, oldest first. Counting per month, not per correction, keeps a
    later correction from paying out what an earlier, unsettled one took away (a reversal and its re-report
    under review pay nothing; a waived overpayment is not paid again when the wage is restored)."""
    from .claim_models import Claim
    from .models import Decision

    out: dict[str, list[MonthPosition]] = defaultdict(list)
    for i in range(0, len(case_ids), 900):
        chunk = list(case_ids[i:i + 900])
        corrections = list(session.execute(
            select(Correction.id, Correction.case_id, Correction.benefit_month, Correction.reasons,
                   Correction.status, Correction.track, Correction.previous_payout, Correction.due_payout,
                   Decision.outcome)
            .outerjoin(Decision, Decision.correction_id == Correction.id)
            .where(_cases(Correction.case_id, chunk)).order_by(Correction.id)))
        if not corrections:
            continue
        payouts = {(cid, m): payout for cid, m, payout in session.execute(
            select(Payment.case_id, Payment.benefit_month, Payment.payout).where(_cases(Payment.case_id, chunk)))}
        lines: dict[tuple[str, Month], Decimal] = defaultdict(lambda: ZERO)
        for cid, m, kind, total in session.execute(
                select(Settlement.case_id, Settlement.concerns_month, Settlement.kind,
                       func.sum(raw_ore(Settlement.amount)))
                .where(_cases(Settlement.case_id, chunk), Settlement.kind != "setoff")
                .group_by(Settlement.case_id, Settlement.concerns_month, Settlement.kind)):
            amount = from_ore(int(total))
            lines[(cid, m)] += amount if kind == "efterbetaling" else -amount
        claims: dict[tuple[str, Month], Decimal] = defaultdict(lambda: ZERO)
        for cid, m, amount in session.execute(select(Claim.case_id, Claim.concerns_month, Claim.amount)
                                              .where(_cases(Claim.case_id, chunk))):
            claims[(cid, m)] += amount
        months: dict[tuple[str, Month], MonthPosition] = {}
        for c_id, cid, m, reasons, status, track, previous, due, outcome in corrections:
            key = (cid, m)
            pos = months.get(key)
            if pos is None:
                pos = months[key] = MonthPosition(cid, m, due, payouts.get(key, previous) + lines[key],
                                                  claims[key])
            pos.due, pos.correction_id, pos.cause = due, c_id, " ".join(str(r) for r in reasons)
            if str(status) == "repayment_review" and track != "regulation" and previous > due:
                if outcome is None:
                    pos.pending += previous - due
                elif str(outcome) == "waive":
                    pos.waived += previous - due
        for (cid, _m), pos in sorted(months.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            out[cid].append(pos)
    return out


def open_items(session: Session, case_ids: Sequence[str]) -> dict[str, list[OpenItem]]:
    """What is still to settle per case, one item per corrected month, oldest first: positive an
    efterbetaling, negative a regulation to net (``MonthPosition``)."""
    out: dict[str, list[OpenItem]] = defaultdict(list)
    for cid, positions in month_positions(session, case_ids).items():
        for pos in positions:
            left = pos.owed if pos.owed > 0 else -pos.to_net
            if left != 0:
                out[cid].append(OpenItem(pos.correction_id, pos.month, pos.cause, left))
    return out


def _setoff_plans(session: Session, case_ids: Sequence[str], month: Month, on: dt.date
                  ) -> dict[str, list[tuple[Claim, Decimal, Decimal]]]:
    """Per case: each claim under a set-off plan in force in ``month`` with its monthly amount and balance."""
    from .claims import claim_state

    out: dict[str, list[tuple[Claim, Decimal, Decimal]]] = defaultdict(list)
    if not case_ids:
        return out
    claims = list(session.scalars(select(Claim).where(_cases(Claim.case_id, list(case_ids))).order_by(Claim.id)))
    if not claims:
        return out
    events: dict[int, list[ClaimEvent]] = defaultdict(list)
    for e in session.scalars(select(ClaimEvent).where(ClaimEvent.claim_id.in_([c.id for c in claims]))
                             .order_by(ClaimEvent.id)):
        events[e.claim_id].append(e)
    for claim in claims:
        state = claim_state(claim, events[claim.id], on)
        plan = state.plan
        if state.status != "open" or plan is None or plan.method != "setoff" or state.balance <= 0:
            continue
        if plan.first_month is not None and plan.first_month > month:
            continue
        out[claim.case_id].append((claim, plan.monthly_amount or ZERO, state.balance))
    return out


def settle(session: Session, month: Month, payouts: dict[str, Decimal], stamp: dt.datetime, on: dt.date
           ) -> dict[str, Statement]:
    """Settle the open lines of the cases just paid for ``month`` (``payouts``: each case's payout of the
    month; ``on``: the run's date, the date of a set-off) and store them; returns each case's statement
    (only cases with a line)."""
    ids = list(payouts)
    items = open_items(session, ids)
    plans = _setoff_plans(session, ids, month, on)
    share = track_table().withholding.regulation_share
    rows: list[dict[str, Any]] = []
    claim_rows: list[dict[str, Any]] = []
    out: dict[str, Statement] = {}
    for case_id in ids:
        if case_id not in items and case_id not in plans:
            continue
        statement = Statement(payouts[case_id])
        available = payouts[case_id]

        def line(kind: str, amount: Decimal, concerns: Month, cause: str, correction_id: int | None,
                 claim_id: int | None, case_id: str = case_id, statement: Statement = statement) -> None:
            rows.append({"case_id": case_id, "payment_month": month, "kind": kind, "amount": amount,
                         "concerns_month": concerns, "cause": cause, "correction_id": correction_id,
                         "claim_id": claim_id, "created_at": stamp})
            statement.lines.append({"kind": kind, "amount": amount_str(amount), "concerns_month": str(concerns),
                                    "cause": cause, "correction_id": correction_id, "claim_id": claim_id,
                                    "text": LINE_WORDS[kind][0], "text_da": LINE_WORDS[kind][1]})

        owed = [i for i in items.get(case_id, []) if i.open > 0]
        deduct = [i for i in items.get(case_id, []) if i.open < 0]
        for item in owed:
            line("efterbetaling", item.open, item.concerns, item.cause, item.correction_id, None)
            available += item.open
        room = round_ore(available * share) if share < 1 else available
        for item in deduct:
            if room <= 0:
                break
            take = min(-item.open, room)
            line("regulation", take, item.concerns, item.cause, item.correction_id, None)
            room -= take
            available -= take
        for claim, monthly, balance in plans.get(case_id, []):
            take = min(monthly, balance, available)
            if take <= 0:
                continue
            line("setoff", take, claim.concerns_month, "claim", None, claim.id)
            claim_rows.append({"claim_id": claim.id, "case_id": case_id, "kind": "setoff", "on_date": on,
                               "amount": take, "method": None, "monthly_amount": None, "first_month": month,
                               "reference": f"udbetaling {month}", "recorded_by": "payrun", "recorded_at": stamp})
            available -= take
        if statement.lines:
            out[case_id] = statement
    if rows:
        session.execute(insert(Settlement), rows)
    if claim_rows:
        session.execute(insert(ClaimEvent), claim_rows)
    return out


def statement_of(session: Session, case_id: str, month: Month) -> Statement | None:
    """The stored statement of a paid month (``None``: the month is not paid)."""
    payment = session.scalar(select(Payment).where(Payment.case_id == case_id, Payment.benefit_month == month))
    if payment is None:
        return None
    statement = Statement(payment.payout)
    for s in session.scalars(select(Settlement).where(Settlement.case_id == case_id, Settlement.payment_month == month,
                                                      Settlement.released_at.is_(None)).order_by(Settlement.id)):
        statement.lines.append({"kind": s.kind, "amount": amount_str(s.amount), "concerns_month": str(s.concerns_month),
                                "cause": s.cause, "correction_id": s.correction_id, "claim_id": s.claim_id,
                                "text": LINE_WORDS[s.kind][0], "text_da": LINE_WORDS[s.kind][1]})
    return statement


def case_balance(session: Session, case_id: str, on: dt.date) -> dict[str, str]:
    """The case's money in one account, to the øre: what was paid (payouts as paid, back payments, less
    regulations netted and claims set off or paid back), what is due after every correction, and what is
    still open. ``received − due = open regulations + claim balances + waived + written off − open
    back payments`` holds exactly; the tests check it on every scenario."""
    from .claims import claim_state

    payments = list(session.scalars(select(Payment).where(Payment.case_id == case_id)))
    corrections = list(session.scalars(select(Correction).where(Correction.case_id == case_id)
                                       .order_by(Correction.id)))
    last: dict[Month, Correction] = {}
    for c in corrections:
        last[c.benefit_month] = c
    due = sum((last[p.benefit_month].due_payout if p.benefit_month in last else p.payout for p in payments), ZERO)
    paid = sum((p.payout for p in payments), ZERO)
    lines = list(session.scalars(select(Settlement).where(Settlement.case_id == case_id)))
    back = sum((s.amount for s in lines if s.kind == "efterbetaling"), ZERO)
    netted = sum((s.amount for s in lines if s.kind == "regulation"), ZERO)
    setoff = sum((s.amount for s in lines if s.kind == "setoff"), ZERO)
    claims = list(session.scalars(select(Claim).where(Claim.case_id == case_id)))
    events: dict[int, list[ClaimEvent]] = defaultdict(list)
    for e in session.scalars(select(ClaimEvent).where(ClaimEvent.case_id == case_id).order_by(ClaimEvent.id)):
        events[e.claim_id].append(e)
    states = [claim_state(c, events[c.id], on) for c in claims]
    repaid = sum((s.paid for s in states), ZERO)
    written_off = sum((s.written_off for s in states), ZERO)
    claim_open = sum((s.balance for s in states), ZERO)
    positions = month_positions(session, [case_id]).get(case_id, [])
    open_regulation = sum((p.to_net for p in positions), ZERO)
    open_back = sum((p.owed for p in positions), ZERO)
    kept = sum((p.kept for p in positions), ZERO)
    received = paid + back - netted - setoff - repaid
    return {"paid": amount_str(paid), "back_paid": amount_str(back), "netted": amount_str(netted),
            "set_off": amount_str(setoff), "repaid": amount_str(repaid), "collected": amount_str(setoff + repaid),
            "received": amount_str(received), "due": amount_str(due),
            "open_regulation": amount_str(open_regulation), "open_back_payment": amount_str(open_back),
            "claims_open": amount_str(claim_open), "written_off": amount_str(written_off),
            "waived_or_in_review": amount_str(kept),
            "balanced": str(received - due == open_regulation + claim_open + written_off + kept - open_back).lower()}


def statements_for(session: Session, case_ids: Iterable[str], month: Month) -> dict[str, Statement]:
    out: dict[str, Statement] = {}
    for cid in case_ids:
        s = statement_of(session, cid, month)
        if s is not None and s.lines:
            out[cid] = s
    return out
